import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { computeFunnel, countFunnel, funnelBy } from './funnel';
import { ACTIVITY_KINDS, FUNNEL_KINDS, type ActivityKind } from './kinds';

describe('computeFunnel', () => {
  test.each<[string, Partial<Record<(typeof FUNNEL_KINDS)[number], number>>, Array<number | null>, number | null]>([
    ['a typical month', { lead: 100, first_contact: 60, needs_confirmed: 30, quote: 15, won: 6 }, [0.6, 0.5, 0.5, 0.4, null], 0.06],
    ['empty', {}, [null, null, null, null, null], null],
    ['a stage with 0 has no conversion, the stage before converts at 0', { lead: 10, first_contact: 0, needs_confirmed: 2 }, [0, null, 0, null, null], 0],
    ['deals entering mid-funnel can convert above 1', { lead: 2, first_contact: 3, needs_confirmed: 3, quote: 3, won: 1 }, [1.5, 1, 1, 1 / 3, null], 0.5],
    ['won without leads', { won: 3 }, [null, null, null, null, null], null],
  ])('%s', (_label, counts, conversions, overall) => {
    const funnel = computeFunnel(counts);
    expect(funnel.stages.map((s) => s.kind)).toEqual([...FUNNEL_KINDS]);
    expect(funnel.stages.map((s) => s.conversion)).toEqual(conversions);
    expect(funnel.overall).toEqual(overall);
  });

  test('rejects negative counts', () => {
    expect(() => computeFunnel({ lead: -1 })).toThrow(RangeError);
  });

  test('property: a conversion is null exactly when its denominator is 0, else next / this', () => {
    fc.assert(
      fc.property(fc.tuple(...FUNNEL_KINDS.map(() => fc.integer({ min: 0, max: 50 }))), (values) => {
        const funnel = computeFunnel(Object.fromEntries(FUNNEL_KINDS.map((k, i) => [k, values[i]])));
        funnel.stages.forEach((stage, i) => {
          if (i === values.length - 1 || values[i] === 0) expect(stage.conversion).toBeNull();
          else expect(stage.conversion).toBe(values[i + 1]! / values[i]!);
        });
      }),
      { numRuns: 1000 },
    );
  });
});

describe('counting and grouping', () => {
  const activities: Array<{ kind: ActivityKind; repId: string; count?: number }> = [
    { kind: 'lead', repId: 'a' },
    { kind: 'lead', repId: 'a', count: 2 },
    { kind: 'touch', repId: 'a' }, // not a funnel stage
    { kind: 'first_contact', repId: 'a' },
    { kind: 'lead', repId: 'b' },
    { kind: 'won', repId: 'b' },
  ];

  test('countFunnel ignores behaviour-only kinds and honours counts', () => {
    expect(countFunnel(activities)).toEqual({ lead: 4, first_contact: 1, needs_confirmed: 0, quote: 0, won: 1 });
  });

  test.each([
    ['a', [3, 1, 0, 0, 0], [1 / 3, 0, null, null, null]],
    ['b', [1, 0, 0, 0, 1], [0, null, null, null, null]],
  ])('funnelBy rep %s', (rep, counts, conversions) => {
    const group = funnelBy(activities, (a) => a.repId).find((g) => g.group === rep)!;
    expect(group.funnel.stages.map((s) => s.count)).toEqual(counts);
    expect(group.funnel.stages.map((s) => s.conversion)).toEqual(conversions);
  });

  test('every activity kind is accepted', () => {
    expect(() => countFunnel(ACTIVITY_KINDS.map((kind) => ({ kind })))).not.toThrow();
  });
});
