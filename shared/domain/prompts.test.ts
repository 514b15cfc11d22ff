import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { DEFAULT_CALENDAR, startOfLocalDay } from './calendar';
import { SHANGHAI_2026 } from './calendars.fixture';
import { kpiMinimums } from './kpi';
import { nextActionPrompts, type PromptInput } from './prompts';

const nine = (day: string) => startOfLocalDay(day, DEFAULT_CALENDAR).getTime() + 9 * 3_600_000;
const mid = kpiMinimums('mid'); // 6 / 3 / 2 / 2
const metToday = { touch: 6, needs_confirmed: 3, proposal_sent: 2, demo_or_visit: 2 };
const base: PromptInput = { repId: 'r1', now: nine('2026-11-24'), calendar: DEFAULT_CALENDAR, minimums: mid, todayCounts: metToday };

const brief = (input: PromptInput) => nextActionPrompts(input).map((p) => `${p.priority} ${p.id} ${JSON.stringify(p.params)}`);

describe('nextActionPrompts', () => {
  test.each<[string, Partial<PromptInput>, string[]]>([
    ['nothing to say', {}, []],
    ['"2 proposals short today"', { todayCounts: { ...metToday, proposal_sent: 0 } }, [
      '80 kpi_gap:r1:proposal_sent:2026-11-24 {"kind":"proposal_sent","missing":2,"minimum":2,"done":0}',
    ]],
    ['bigger relative gaps rank first', { todayCounts: { touch: 3, needs_confirmed: 3, proposal_sent: 2, demo_or_visit: 1 } }, [
      '65 kpi_gap:r1:demo_or_visit:2026-11-24 {"kind":"demo_or_visit","missing":1,"minimum":2,"done":1}',
      '65 kpi_gap:r1:touch:2026-11-24 {"kind":"touch","missing":3,"minimum":6,"done":3}',
    ]],
    ['no KPI prompts on a weekend', { now: nine('2026-11-28'), todayCounts: {} }, []],
    ['"Acme silent for 8 days: send a value follow-up"', { keyCustomers: [{ repId: 'r1', customerId: 'acme', label: 'Acme', lastResponseAt: Date.parse('2026-11-16T02:00:00Z') }] }, [
      '60 stale_customer:r1:acme:2026-11-16 {"customer":"Acme","customerId":"acme","silentDays":8,"action":"send_value_follow_up"}',
    ]],
    ['after 10 silent days: an ROI summary, higher priority', { keyCustomers: [{ repId: 'r1', customerId: 'acme', label: 'Acme', lastResponseAt: Date.parse('2026-11-12T02:00:00Z') }] }, [
      '72 stale_customer:r1:acme:2026-11-12 {"customer":"Acme","customerId":"acme","silentDays":12,"action":"send_roi_summary"}',
    ]],
    ['other reps’ customers and recent responses are ignored', { keyCustomers: [
      { repId: 'r2', customerId: 'acme', lastResponseAt: Date.parse('2026-10-01T02:00:00Z') },
      { repId: 'r1', customerId: 'globex', lastResponseAt: Date.parse('2026-11-20T02:00:00Z') },
    ] }, []],
    ['"3 more demos reach the 80 % tier"', { tierGoal: { periodKey: '2026-11', actual: 13, target: 20, actionKind: 'demo_or_visit', valuePerAction: 1 } }, [
      '61 next_tier:r1:2026-11:advanced {"actions":3,"kind":"demo_or_visit","tier":"advanced","percent":80}',
    ]],
    ['a tier too far away is not worth a prompt', { tierGoal: { periodKey: '2026-11', actual: 0, target: 100, actionKind: 'won', valuePerAction: 1 } }, []],
    ['"need 2.3 proposals per day"', { runRate: { periodKey: '2026-11', metric: 'proposal_sent', target: 30, actual: 7, remainingWorkingDays: 10 } }, [
      '30 run_rate:r1:proposal_sent:2026-11 {"metric":"proposal_sent","perDay":2.3,"percent":100}',
    ]],
    ['run-rate rounds up', { runRate: { periodKey: '2026-11', metric: 'revenue', target: 100, actual: 0, remainingWorkingDays: 3 } }, [
      '30 run_rate:r1:revenue:2026-11 {"metric":"revenue","perDay":33.4,"percent":100}',
    ]],
    ['target reached: no run-rate', { runRate: { periodKey: '2026-11', metric: 'revenue', target: 100, actual: 100, remainingWorkingDays: 3 } }, []],
    ['one below day and not met today → yellow risk first', { belowStreak: 1, todayCounts: { ...metToday, touch: 5 } }, [
      '80 streak_risk:r1:2026-11-24 {"belowDays":1,"nextLevel":"yellow"}',
      '55 kpi_gap:r1:touch:2026-11-24 {"kind":"touch","missing":1,"minimum":6,"done":5}',
    ]],
    ['two below days → orange risk', { belowStreak: 2, todayCounts: { ...metToday, touch: 5 } }, [
      '90 streak_risk:r1:2026-11-24 {"belowDays":2,"nextLevel":"orange"}',
      '55 kpi_gap:r1:touch:2026-11-24 {"kind":"touch","missing":1,"minimum":6,"done":5}',
    ]],
    ['met today: no risk left', { belowStreak: 2 }, []],
  ])('%s', (_label, patch, expected) => {
    expect(brief({ ...base, ...patch })).toEqual(expected);
  });

  test('a make-up Saturday in Shanghai is a working day for KPI prompts', () => {
    const now = startOfLocalDay('2026-02-14', SHANGHAI_2026).getTime() + 9 * 3_600_000;
    expect(nextActionPrompts({ ...base, calendar: SHANGHAI_2026, now, todayCounts: {} }).map((p) => p.type)).toEqual(['kpi_gap', 'kpi_gap', 'kpi_gap', 'kpi_gap']);
  });

  test('every prompt explains itself and uses message keys, not English', () => {
    const prompts = nextActionPrompts({
      ...base,
      todayCounts: {},
      belowStreak: 1,
      keyCustomers: [{ repId: 'r1', customerId: 'acme', label: 'Acme', lastResponseAt: Date.parse('2026-11-10T02:00:00Z') }],
      tierGoal: { periodKey: '2026-11', actual: 55, target: 100, actionKind: 'won', valuePerAction: 1 },
      runRate: { periodKey: '2026-11', metric: 'won', target: 100, actual: 55, remainingWorkingDays: 5 },
      options: { limit: 3 },
    });
    expect(prompts).toHaveLength(3);
    for (const prompt of prompts) {
      expect(prompt.messageKey).toBe(`prompt.${prompt.type}`);
      expect(prompt.because.rule).toBe(prompt.type);
      expect(Object.keys(prompt.because.facts).length).toBeGreaterThan(0);
    }
  });

  test('property: ranked by priority, unique ids, stable under input order and repeated calls', () => {
    const customerArb = fc.record({
      repId: fc.constantFrom('r1', 'r2'),
      customerId: fc.constantFrom('acme', 'globex', 'initech'),
      label: fc.constantFrom('A', 'B'),
      lastResponseAt: fc.integer({ min: Date.parse('2026-10-01T00:00:00Z'), max: Date.parse('2026-11-24T00:00:00Z') }),
    });
    fc.assert(
      fc.property(
        fc.array(customerArb, { maxLength: 8 }),
        fc.record({ touch: fc.nat(8), needs_confirmed: fc.nat(4), proposal_sent: fc.nat(3), demo_or_visit: fc.nat(3) }),
        fc.nat(4),
        fc.integer({ min: 0, max: 30 }),
        (keyCustomers, todayCounts, belowStreak, actual) => {
          const input: PromptInput = { ...base, keyCustomers, todayCounts, belowStreak, tierGoal: { periodKey: '2026-11', actual, target: 30, actionKind: 'quote', valuePerAction: 1 } };
          const prompts = nextActionPrompts(input);
          for (let i = 1; i < prompts.length; i++) expect(prompts[i]!.priority).toBeLessThanOrEqual(prompts[i - 1]!.priority);
          expect(new Set(prompts.map((p) => p.id)).size).toBe(prompts.length);
          expect(nextActionPrompts({ ...input, keyCustomers: [...keyCustomers].reverse() })).toEqual(prompts);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
