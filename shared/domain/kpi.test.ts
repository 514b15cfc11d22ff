import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { BEHAVIOUR_KINDS, type Seniority } from './kinds';
import { DEFAULT_KPI_BY_SENIORITY, judgeDay, kpiMinimums, kpiShortfall, type KpiOverrides } from './kpi';

describe('kpiMinimums', () => {
  // DOMAIN.md table: touch / needs_confirmed / proposal_sent / demo_or_visit
  test.each<[Seniority, number, number, number, number]>([
    ['junior', 8, 2, 1, 1],
    ['mid', 6, 3, 2, 2],
    ['senior', 4, 3, 3, 3],
  ])('%s defaults: %i / %i / %i / %i', (seniority, touch, needs, proposals, demos) => {
    const expected = { touch, needs_confirmed: needs, proposal_sent: proposals, demo_or_visit: demos };
    expect(DEFAULT_KPI_BY_SENIORITY[seniority]).toEqual(expected);
    expect(kpiMinimums(seniority)).toEqual(expected);
  });

  test.each<[string, Seniority, KpiOverrides | undefined, number, [number, number, number, number]]>([
    ['override one KPI', 'mid', { mid: { touch: 10 } }, 1, [10, 3, 2, 2]],
    ['override of another seniority is ignored', 'mid', { junior: { touch: 20 } }, 1, [6, 3, 2, 2]],
    ['ramp 0.5 rounds up', 'junior', undefined, 0.5, [4, 1, 1, 1]],
    ['ramp 0.25', 'senior', undefined, 0.25, [1, 1, 1, 1]],
    ['ramp 0.7 of 10 is 7, not 8 (float noise)', 'mid', { mid: { touch: 10 } }, 0.7, [7, 3, 2, 2]],
    ['ramp 0 asks nothing', 'mid', undefined, 0, [0, 0, 0, 0]],
    ['zero override stays zero under ramp', 'senior', { senior: { demo_or_visit: 0 } }, 0.5, [2, 2, 2, 0]],
  ])('%s', (_label, seniority, overrides, ramp, [touch, needs, proposals, demos]) => {
    expect(kpiMinimums(seniority, overrides, ramp)).toEqual({
      touch,
      needs_confirmed: needs,
      proposal_sent: proposals,
      demo_or_visit: demos,
    });
  });

  test.each([
    ['ramp above 1', () => kpiMinimums('mid', undefined, 1.2)],
    ['negative ramp', () => kpiMinimums('mid', undefined, -0.1)],
    ['negative override', () => kpiMinimums('mid', { mid: { touch: -1 } })],
    ['fractional override', () => kpiMinimums('mid', { mid: { touch: 2.5 } })],
    ['unknown seniority', () => kpiMinimums('intern' as Seniority)],
  ])('rejects %s', (_label, call) => {
    expect(call).toThrow(RangeError);
  });

  test('a ramped minimum never exceeds the full one and is positive when the full one is', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<Seniority>('junior', 'mid', 'senior'),
        fc.integer({ min: 0, max: 50 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (seniority, touch, ramp) => {
          const full = kpiMinimums(seniority, { [seniority]: { touch } });
          const ramped = kpiMinimums(seniority, { [seniority]: { touch } }, ramp);
          for (const kind of BEHAVIOUR_KINDS) {
            expect(ramped[kind]).toBeLessThanOrEqual(full[kind]);
            expect(ramped[kind]).toBeGreaterThanOrEqual(full[kind] * ramp - 1e-6);
            if (ramp > 1e-6 && full[kind] > 0) expect(ramped[kind]).toBeGreaterThan(0);
          }
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe('judgeDay', () => {
  const mid = kpiMinimums('mid');
  test.each([
    ['exactly the minimums', { touch: 6, needs_confirmed: 3, proposal_sent: 2, demo_or_visit: 2 }, 'meets'],
    ['above every minimum', { touch: 20, needs_confirmed: 5, proposal_sent: 4, demo_or_visit: 3 }, 'meets'],
    ['one touch short', { touch: 5, needs_confirmed: 3, proposal_sent: 2, demo_or_visit: 2 }, 'below'],
    ['one demo short', { touch: 6, needs_confirmed: 3, proposal_sent: 2, demo_or_visit: 1 }, 'below'],
    ['a missing kind counts as 0', { touch: 6, needs_confirmed: 3, proposal_sent: 2 }, 'below'],
    ['nothing at all', {}, 'below'],
  ] as const)('mid rep, %s → %s', (_label, counts, expected) => {
    expect(judgeDay(counts, mid)).toBe(expected);
  });

  test('with all minimums 0 every day meets', () => {
    expect(judgeDay({}, kpiMinimums('mid', undefined, 0))).toBe('meets');
  });

  test('kpiShortfall says how many are missing', () => {
    expect(kpiShortfall({ touch: 7, proposal_sent: 0 }, mid)).toEqual({ touch: 0, needs_confirmed: 3, proposal_sent: 2, demo_or_visit: 2 });
  });
});
