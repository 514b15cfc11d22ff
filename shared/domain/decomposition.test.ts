import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { DEFAULT_CALENDAR, periodContaining, type OrgCalendar } from './calendar';
import { SHANGHAI_2026 } from './calendars.fixture';
import { shiftDay } from './day';
import {
  allocateToReps,
  amountWithin,
  annualTarget,
  decomposeYear,
  splitAcrossWorkingDays,
  splitYearIntoMonths,
  splitYearIntoQuarters,
  targetLevels,
  type Growth,
  type RepShareInput,
  type RepSplit,
  type YearPlan,
} from './decomposition';

const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);

/** Problems with a plan (empty when every level sums to its parent and every amount is a non-negative integer). */
function planProblems(plan: YearPlan): string[] {
  const problems: string[] = [];
  const isPart = (n: number) => Number.isInteger(n) && n >= 0;
  if (sum(plan.quarters.map((q) => q.amount)) !== plan.amount) problems.push('quarters');
  for (const quarter of plan.quarters) {
    if (!isPart(quarter.amount)) problems.push(`${quarter.period.key} negative`);
    if (sum(quarter.months.map((m) => m.amount)) !== quarter.amount) problems.push(`${quarter.period.key} months`);
    for (const month of quarter.months) {
      if (sum(month.days.map((d) => d.amount)) !== month.amount) problems.push(`${month.period.key} days`);
      for (const day of month.days) {
        if (!isPart(day.amount)) problems.push(`${day.day} negative`);
        if (day.day < month.period.start || day.day > month.period.end) problems.push(`${day.day} outside ${month.period.key}`);
      }
    }
  }
  if (sum(plan.weeks.map((w) => w.amount)) !== plan.amount) problems.push('weeks');
  for (const week of plan.weeks) if (!isPart(week.amount)) problems.push(`${week.period.key} negative`);
  return problems;
}

function expectPlanConsistent(plan: YearPlan): void {
  expect(planProblems(plan)).toEqual([]);
}

describe('annualTarget', () => {
  test.each<[string, number, Growth, number]>([
    ['seed: +10 %', 12_000_000, { percent: 10 }, 13_200_000],
    ['seed: +1000 bp', 12_000_000, { basisPoints: 1_000 }, 13_200_000],
    ['no growth', 12_000_000, { percent: 0 }, 12_000_000],
    ['decline −10 %', 12_000_000, { percent: -10 }, 10_800_000],
    ['−100 % is zero', 12_000_000, { basisPoints: -10_000 }, 0],
    ['+12.5 % rounds half up', 1_000_001, { percent: 12.5 }, 1_125_001], // 1,125,001.125
    ['exact half rounds up', 1, { percent: 50 }, 2],
    ['below half rounds down', 3, { basisPoints: 50 }, 3], // 3.015
    ['zero last year', 0, { percent: 25 }, 0],
    ['percent with float noise', 100_000, { percent: 0.07 }, 100_070],
  ])('%s: %i → %i', (_label, lastYear, growth, expected) => {
    expect(annualTarget(lastYear, growth)).toBe(expected);
  });

  test.each<[string, number, Growth]>([
    ['three-decimal percent', 100, { percent: 10.001 }],
    ['fractional basis points', 100, { basisPoints: 1.5 }],
    ['growth below −100 %', 100, { basisPoints: -10_001 }],
    ['negative last year', -1, { percent: 10 }],
    ['fractional last year (not minor units)', 10.5, { percent: 10 }],
  ])('rejects %s', (_label, lastYear, growth) => {
    expect(() => annualTarget(lastYear, growth)).toThrow(RangeError);
  });
});

describe('year → quarter → month', () => {
  test('seed example: 13,200,000 → 3,300,000 per quarter → 1,100,000 per month', () => {
    const annual = annualTarget(12_000_000, { percent: 10 });
    expect(splitYearIntoQuarters(annual)).toEqual([3_300_000, 3_300_000, 3_300_000, 3_300_000]);
    expect(splitYearIntoMonths(annual)).toEqual(Array.from({ length: 12 }, () => 1_100_000));
    const plan = decomposeYear({ year: 2026, annual, cal: SHANGHAI_2026 });
    expect(plan.quarters.map((q) => [q.period.key, q.amount])).toEqual([
      ['2026-Q1', 3_300_000], ['2026-Q2', 3_300_000], ['2026-Q3', 3_300_000], ['2026-Q4', 3_300_000],
    ]);
    expect(plan.quarters.flatMap((q) => q.months.map((m) => m.amount))).toEqual(Array.from({ length: 12 }, () => 1_100_000));
    expectPlanConsistent(plan);
  });

  test.each<[string, number, { quarterWeights?: number[]; monthWeights?: number[] }, number[]]>([
    ['equal, with a remainder: 25 per quarter', 100, {}, [9, 8, 8, 9, 8, 8, 9, 8, 8, 9, 8, 8]],
    ['quarter weights 1:2:3:4', 1_000, { quarterWeights: [1, 2, 3, 4] }, [34, 33, 33, 67, 67, 66, 100, 100, 100, 134, 133, 133]],
    ['December peak by month weights', 1_300, { monthWeights: [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2] }, [100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 200]],
    ['zero months', 900, { monthWeights: [1, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0] }, [300, 0, 0, 300, 0, 0, 300, 0, 0, 0, 0, 0]],
  ])('%s', (_label, annual, seasonality, months) => {
    expect(splitYearIntoMonths(annual, seasonality)).toEqual(months);
    expect(sum(months)).toBe(annual);
  });

  test('wrong number of weights is rejected', () => {
    expect(() => splitYearIntoQuarters(100, [1, 2, 3])).toThrow(/4 weights/);
    expect(() => splitYearIntoMonths(100, { monthWeights: [1] })).toThrow(/12 weights/);
  });
});

describe('month → working days → weeks', () => {
  test.each<[string, OrgCalendar, string, number, number, number]>([
    ['Shanghai February with make-up Saturdays', SHANGHAI_2026, '2026-02-10', 1_100_000, 16, 68_750],
    ['plain February', DEFAULT_CALENDAR, '2026-02-10', 1_100_000, 20, 55_000],
    ['leap February 2028', DEFAULT_CALENDAR, '2028-02-29', 2_100_000, 21, 100_000],
    ['zero target', DEFAULT_CALENDAR, '2026-11-01', 0, 21, 0],
  ])('%s: %i working days of %i each', (_label, cal, day, amount, workingDays, each) => {
    const days = splitAcrossWorkingDays(amount, periodContaining('month', day, cal), cal);
    expect(days).toHaveLength(workingDays);
    expect(days.every((d) => d.amount === each)).toBe(true);
    expect(sum(days.map((d) => d.amount))).toBe(amount);
  });

  test('make-up Saturday carries a share; a holiday carries none', () => {
    const days = splitAcrossWorkingDays(1_100_000, periodContaining('month', '2026-02-01', SHANGHAI_2026), SHANGHAI_2026);
    expect(days.find((d) => d.day === '2026-02-14')?.amount).toBe(68_750);
    expect(days.find((d) => d.day === '2026-02-16')).toBeUndefined();
  });

  test('remainders go to the earliest days', () => {
    const days = splitAcrossWorkingDays(10, { start: '2026-11-23', end: '2026-11-29' }, DEFAULT_CALENDAR);
    expect(days.map((d) => d.amount)).toEqual([2, 2, 2, 2, 2]);
    expect(splitAcrossWorkingDays(7, { start: '2026-11-25', end: '2026-12-01' }, DEFAULT_CALENDAR).map((d) => d.amount)).toEqual([2, 2, 1, 1, 1]);
  });

  test('a positive amount with no working day to carry it is an error', () => {
    expect(() => splitAcrossWorkingDays(5, { start: '2026-11-28', end: '2026-11-29' }, DEFAULT_CALENDAR)).toThrow(/no working day/);
    expect(splitAcrossWorkingDays(0, { start: '2026-11-28', end: '2026-11-29' }, DEFAULT_CALENDAR)).toEqual([]);
  });

  test('a week straddling two months takes its days from each month', () => {
    const plan = decomposeYear({ year: 2026, annual: 13_200_000, cal: DEFAULT_CALENDAR });
    // March and April 2026 both have 22 working days: 1,100,000 / 22 = 50,000 per day.
    const w14 = plan.weeks.find((w) => w.period.key === '2026-W14')!;
    expect(w14.period).toMatchObject({ start: '2026-03-30', end: '2026-04-05' });
    expect(w14.amount).toBe(5 * 50_000);
    expect(w14.partial).toBe(false);
    const allDays = plan.quarters.flatMap((q) => q.months.flatMap((m) => m.days));
    expect(amountWithin(allDays, { start: '2026-03-30', end: '2026-03-31' })).toBe(100_000);
  });

  test('weeks at the year boundary are partial and hold only the year’s days', () => {
    const plan = decomposeYear({ year: 2026, annual: 13_200_000, cal: DEFAULT_CALENDAR });
    const first = plan.weeks[0]!;
    const last = plan.weeks[plan.weeks.length - 1]!;
    expect(first.period.key).toBe('2026-W01'); // 29 Dec 2025 – 4 Jan 2026
    expect(first.partial).toBe(true);
    expect(last.period.key).toBe('2026-W53'); // 28 Dec 2026 – 3 Jan 2027
    expect(last.partial).toBe(true);
    // December 2026 has 23 working days; the last week holds Mon 28 – Thu 31.
    const december = plan.quarters[3]!.months[2]!;
    expect(last.amount).toBe(sum(december.days.filter((d) => d.day >= '2026-12-28').map((d) => d.amount)));
    expect(plan.weeks).toHaveLength(53);
    expectPlanConsistent(plan);
  });

  const calendarArb = fc
    .record({
      weekStartsOn: fc.integer({ min: 0, max: 6 }),
      holidays: fc.array(fc.integer({ min: 0, max: 365 }), { maxLength: 30 }),
      makeup: fc.array(fc.integer({ min: 0, max: 365 }), { maxLength: 8 }),
      timeZone: fc.constantFrom('Asia/Shanghai', 'America/New_York', 'Europe/Berlin'),
    })
    .map(
      ({ weekStartsOn, holidays, makeup, timeZone }): OrgCalendar => ({
        timeZone,
        weekStartsOn: weekStartsOn as OrgCalendar['weekStartsOn'],
        workingWeekdays: [1, 2, 3, 4, 5],
        holidays: holidays.map((n) => shiftDay('2028-01-01', n)),
        makeupWorkdays: makeup.map((n) => shiftDay('2028-01-01', n)),
      }),
    );

  test('property: every level of a year plan sums to its parent and nothing is negative', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1_000_000_000_000 }),
        calendarArb,
        fc.option(fc.array(fc.integer({ min: 1, max: 100 }), { minLength: 12, maxLength: 12 }), { nil: undefined }),
        (annual, cal, monthWeights) => {
          const plan = decomposeYear({ year: 2028, annual, cal, ...(monthWeights ? { monthWeights } : {}) });
          expectPlanConsistent(plan);
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe('rep split', () => {
  const november = periodContaining('month', '2026-11-10', DEFAULT_CALENDAR); // 21 working days
  test.each<[string, number, RepShareInput[], RepSplit, number[]]>([
    ['equal, ties to the lowest id', 1_100_000, [{ repId: 'c' }, { repId: 'a' }, { repId: 'b' }], { mode: 'equal' }, [366_666, 366_667, 366_667]],
    ['by seniority 3:4:5', 1_200_000, [{ repId: 'j', seniority: 'junior' }, { repId: 'm', seniority: 'mid' }, { repId: 's', seniority: 'senior' }], { mode: 'seniority' }, [300_000, 400_000, 500_000]],
    ['custom seniority weights', 900, [{ repId: 'j', seniority: 'junior' }, { repId: 's', seniority: 'senior' }], { mode: 'seniority', weights: { junior: 1, mid: 1, senior: 2 } }, [300, 600]],
    ['explicit capacity', 1_000, [{ repId: 'a', weight: 3 }, { repId: 'b', weight: 1 }], { mode: 'explicit' }, [750, 250]],
    ['new hire ramping at 50 %', 900, [{ repId: 'a' }, { repId: 'b' }, { repId: 'new', ramp: 0.5 }], { mode: 'equal' }, [360, 360, 180]],
    ['ramp 0 carries nothing', 1_000, [{ repId: 'a' }, { repId: 'new', ramp: 0 }], { mode: 'equal' }, [1_000, 0]],
    // hired Monday 16 Nov: 11 of November's 21 working days → weights 1 : 11/21
    ['hired mid-period', 3_200_000, [{ repId: 'a' }, { repId: 'b', hiredOn: '2026-11-16' }], { mode: 'equal' }, [2_100_000, 1_100_000]],
    ['hired before the period counts fully', 1_000, [{ repId: 'a' }, { repId: 'b', hiredOn: '2025-01-01' }], { mode: 'equal' }, [500, 500]],
    ['hired after the period carries nothing', 1_000, [{ repId: 'a' }, { repId: 'b', hiredOn: '2026-12-01' }], { mode: 'equal' }, [1_000, 0]],
    ['zero target', 0, [{ repId: 'a' }, { repId: 'b' }], { mode: 'equal' }, [0, 0]],
  ])('%s', (_label, amount, reps, split, expected) => {
    const result = allocateToReps(amount, reps, split, { period: november, cal: DEFAULT_CALENDAR });
    expect(result.map((r) => r.repId)).toEqual(reps.map((r) => r.repId));
    expect(result.map((r) => r.amount)).toEqual(expected);
  });

  test.each<[string, () => unknown]>([
    ['duplicate ids', () => allocateToReps(10, [{ repId: 'a' }, { repId: 'a' }])],
    ['missing seniority', () => allocateToReps(10, [{ repId: 'a' }], { mode: 'seniority' })],
    ['missing explicit weight', () => allocateToReps(10, [{ repId: 'a' }], { mode: 'explicit' })],
    ['ramp above 1', () => allocateToReps(10, [{ repId: 'a', ramp: 2 }])],
    ['hire day without a period', () => allocateToReps(10, [{ repId: 'a', hiredOn: '2026-11-16' }])],
    ['nobody to carry a positive target', () => allocateToReps(10, [{ repId: 'a', ramp: 0 }])],
  ])('rejects %s', (_label, call) => {
    expect(call).toThrow(RangeError);
  });

  const repsArb = fc.uniqueArray(
    fc.record({
      repId: fc.string({ minLength: 1, maxLength: 4 }),
      seniority: fc.constantFrom('junior' as const, 'mid' as const, 'senior' as const),
      weight: fc.integer({ min: 0, max: 10 }),
      ramp: fc.constantFrom(0.25, 0.5, 0.75, 1),
      hiredOn: fc.option(fc.integer({ min: -10, max: 40 }).map((n) => shiftDay('2026-11-01', n)), { nil: undefined }),
    }),
    { minLength: 1, maxLength: 12, selector: (r) => r.repId },
  );

  test('property: rep amounts sum to the target, are never negative and do not depend on input order', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 100_000_000_000 }),
        repsArb,
        fc.constantFrom<RepSplit>({ mode: 'equal' }, { mode: 'seniority' }, { mode: 'explicit' }),
        fc.func(fc.integer()),
        (amount, reps, split, order) => {
          const context = { period: november, cal: DEFAULT_CALENDAR };
          let result;
          try {
            result = allocateToReps(amount, reps, split, context);
          } catch (error) {
            // Only legitimate refusal: a positive amount and nobody with a positive weight.
            expect(String(error)).toMatch(/all zero/);
            return;
          }
          expect(sum(result.map((r) => r.amount))).toBe(amount);
          expect(result.every((r) => Number.isInteger(r.amount) && r.amount >= 0)).toBe(true);
          const shuffled = [...reps].sort((a, b) => order(a.repId) - order(b.repId));
          const again = new Map(allocateToReps(amount, shuffled, split, context).map((r) => [r.repId, r.amount]));
          for (const r of result) expect(again.get(r.repId)).toBe(r.amount);
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe('target levels', () => {
  test.each([
    [1_000_000, undefined, { base: 1_000_000, stretch: 1_200_000, challenge: 1_500_000 }],
    [13_200_000, { stretch: 11_000, challenge: 13_000 }, { base: 13_200_000, stretch: 14_520_000, challenge: 17_160_000 }],
    [0, undefined, { base: 0, stretch: 0, challenge: 0 }],
  ])('levels of %i', (base, basisPoints, expected) => {
    expect(targetLevels(base, basisPoints)).toEqual(expected);
  });

  test('stretch below base is rejected', () => {
    expect(() => targetLevels(100, { stretch: 9_000, challenge: 12_000 })).toThrow(RangeError);
  });
});
