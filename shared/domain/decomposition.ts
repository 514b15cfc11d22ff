/**
 * Target setting and decomposition (DOMAIN.md "Target setting and decomposition").
 *
 * - Annual target = last year's actual × (1 + growth), growth in basis points (or a percent with at most two decimals),
 *   computed exactly in integers and rounded half up to a minor unit: 12,000,000 at +10 % → 13,200,000.
 * - Year → quarters → months: equal by default, or seasonality weights. Monthly weights, when given, also weight the
 *   quarters (a quarter weighs the sum of its months) unless quarter weights are given explicitly.
 * - Month → days: a month's amount is spread over **its own** working days (largest remainder, earlier days win ties);
 *   non-working days get 0.
 * - Week = the sum of its days' amounts. A week straddling two months therefore takes its share from each month; a week
 *   straddling the year boundary only holds the days inside the planned year (`partial: true`) — add the next year's plan
 *   to complete it.
 * - Rep split: equal, by seniority (default weights junior 3 : mid 4 : senior 5), or explicit weights; multiplied by the
 *   rep's ramp factor (0..1) and, for reps hired mid-period, by the share of the period's working days from the hire day on.
 *   What a ramping rep does not carry goes to the others, so the team total is unchanged.
 *
 * Every split uses `allocateLargestRemainder`, so at every level the parts add up exactly to the whole and none is negative.
 */
import { allocateLargestRemainder } from './allocation';
import { periodContaining, startOfWeekDay, workingDaysIn, type DayRange, type OrgCalendar, type Period } from './calendar';
import { assertDay, formatDay, maxDay } from './day';
import type { Seniority } from './kinds';

export type Growth = { basisPoints: number } | { percent: number };

export interface DayAmount {
  day: string;
  amount: number;
}

export interface MonthPlan {
  period: Period;
  amount: number;
  /** The month's working days with their amounts (non-working days are omitted: they get 0). */
  days: DayAmount[];
}

export interface QuarterPlan {
  period: Period;
  amount: number;
  months: MonthPlan[];
}

export interface WeekPlan {
  period: Period;
  amount: number;
  /** True when the week extends beyond the planned range (it then holds only the days inside it). */
  partial: boolean;
}

export interface YearPlan {
  period: Period;
  amount: number;
  quarters: QuarterPlan[];
  weeks: WeekPlan[];
}

export interface SeasonalityWeights {
  /** 4 weights, Q1..Q4. */
  quarterWeights?: readonly number[];
  /** 12 weights, January..December. */
  monthWeights?: readonly number[];
}

function growthBasisPoints(growth: Growth): number {
  if ('basisPoints' in growth) {
    if (!Number.isInteger(growth.basisPoints)) throw new RangeError(`growth basis points must be an integer, got ${growth.basisPoints}`);
    return growth.basisPoints;
  }
  const basisPoints = Math.round(growth.percent * 100);
  if (!Number.isFinite(growth.percent) || Math.abs(basisPoints - growth.percent * 100) > 1e-6) {
    throw new RangeError(`growth percent must have at most two decimals, got ${growth.percent}`);
  }
  return basisPoints;
}

/** last year × (10000 + bp) / 10000, exact, rounded half up. Growth may be negative down to −100 %. */
export function annualTarget(lastYearActual: number, growth: Growth): number {
  if (!Number.isSafeInteger(lastYearActual) || lastYearActual < 0) {
    throw new RangeError(`last year's actual must be a non-negative integer (minor units), got ${lastYearActual}`);
  }
  const basisPoints = growthBasisPoints(growth);
  if (basisPoints < -10_000) throw new RangeError(`growth below −100 % makes a negative target (${basisPoints} bp)`);
  const scaled = BigInt(lastYearActual) * BigInt(10_000 + basisPoints);
  const result = (scaled + 5_000n) / 10_000n;
  if (result > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError('annual target exceeds the safe integer range');
  return Number(result);
}

function checkWeights(weights: readonly number[] | undefined, length: number, what: string): readonly number[] {
  if (weights === undefined) return Array.from({ length }, () => 1);
  if (weights.length !== length) throw new RangeError(`${what} needs ${length} weights, got ${weights.length}`);
  return weights;
}

/** Split an annual amount into Q1..Q4 (equal unless weighted). */
export function splitYearIntoQuarters(annual: number, quarterWeights?: readonly number[]): number[] {
  return allocateLargestRemainder(annual, checkWeights(quarterWeights, 4, 'quarterWeights'));
}

/** Split a quarter's amount into its 3 months (equal unless weighted). */
export function splitQuarterIntoMonths(quarterAmount: number, monthWeights?: readonly number[]): number[] {
  return allocateLargestRemainder(quarterAmount, checkWeights(monthWeights, 3, 'monthWeights'));
}

function monthsOfYear(annual: number, seasonality: SeasonalityWeights): { quarters: number[]; months: number[] } {
  const monthWeights = checkWeights(seasonality.monthWeights, 12, 'monthWeights');
  const quarterWeights =
    seasonality.quarterWeights ??
    (seasonality.monthWeights ? [0, 1, 2, 3].map((q) => monthWeights.slice(q * 3, q * 3 + 3).reduce((a, b) => a + b, 0)) : undefined);
  const quarters = splitYearIntoQuarters(annual, quarterWeights);
  const months = quarters.flatMap((amount, q) => {
    const weights = monthWeights.slice(q * 3, q * 3 + 3);
    // A quarter whose months all weigh 0 but which still carries an amount (explicit quarter weights) splits equally.
    return splitQuarterIntoMonths(amount, weights.some((w) => w > 0) ? weights : undefined);
  });
  return { quarters, months };
}

/** Split an annual amount into its 12 months through the quarters. */
export function splitYearIntoMonths(annual: number, seasonality: SeasonalityWeights = {}): number[] {
  return monthsOfYear(annual, seasonality).months;
}

/**
 * Spread `amount` over the working days of `range` (equal per working day, earlier days win ties). Throws a RangeError when
 * the range has no working day but the amount is positive.
 */
export function splitAcrossWorkingDays(amount: number, range: DayRange, cal: OrgCalendar): DayAmount[] {
  const days = workingDaysIn(range, cal);
  if (days.length === 0 && amount > 0) {
    throw new RangeError(`no working day in ${range.start}..${range.end} to carry ${amount}`);
  }
  const parts = allocateLargestRemainder(amount, days.map(() => 1));
  return days.map((day, i) => ({ day, amount: parts[i]! }));
}

/**
 * Group day amounts into the weeks that contain them: a week's amount is the sum of its days' amounts. Weeks are listed in
 * order; `partial` marks weeks that reach outside `range`.
 */
export function weeklyAmounts(days: readonly DayAmount[], range: DayRange, cal: OrgCalendar): WeekPlan[] {
  const weeks = new Map<string, WeekPlan>();
  for (const { day, amount } of days) {
    const weekStart = startOfWeekDay(day, cal);
    let week = weeks.get(weekStart);
    if (!week) {
      const period = periodContaining('week', weekStart, cal);
      week = { period, amount: 0, partial: period.start < range.start || period.end > range.end };
      weeks.set(weekStart, week);
    }
    week.amount += amount;
  }
  return [...weeks.values()].sort((a, b) => (a.period.start < b.period.start ? -1 : 1));
}

/** Sum of the day amounts that fall inside `range` (e.g. a week's share of a plan). */
export function amountWithin(days: readonly DayAmount[], range: DayRange): number {
  return days.reduce((sum, { day, amount }) => (day >= range.start && day <= range.end ? sum + amount : sum), 0);
}

/** The whole plan for a calendar year: quarters, months, working days and weeks, every level summing to `annual`. */
export function decomposeYear(input: { year: number; annual: number; cal: OrgCalendar } & SeasonalityWeights): YearPlan {
  const { year, annual, cal } = input;
  if (!Number.isInteger(year) || year < 1000 || year > 9999) throw new RangeError(`year must be a 4-digit integer, got ${year}`);
  const yearPeriod = periodContaining('year', formatDay(year, 1, 1), cal);
  const { quarters, months } = monthsOfYear(annual, input);
  const quarterPlans: QuarterPlan[] = quarters.map((amount, q) => ({
    period: periodContaining('quarter', formatDay(year, q * 3 + 1, 1), cal),
    amount,
    months: [0, 1, 2].map((m) => {
      const period = periodContaining('month', formatDay(year, q * 3 + m + 1, 1), cal);
      const monthAmount = months[q * 3 + m]!;
      return { period, amount: monthAmount, days: splitAcrossWorkingDays(monthAmount, period, cal) };
    }),
  }));
  const allDays = quarterPlans.flatMap((q) => q.months.flatMap((m) => m.days));
  return { period: yearPeriod, amount: annual, quarters: quarterPlans, weeks: weeklyAmounts(allDays, yearPeriod, cal) };
}

export interface RepShareInput {
  repId: string;
  seniority?: Seniority;
  /** Explicit weight (capacity); required in 'explicit' mode. */
  weight?: number;
  /** 0..1, default 1: a new hire's share is scaled down while ramping. */
  ramp?: number;
  /** Local day the rep started; with a period, only working days from this day on count. */
  hiredOn?: string;
}

export type RepSplit =
  | { mode: 'equal' }
  | { mode: 'seniority'; weights?: Record<Seniority, number> }
  | { mode: 'explicit' };

export interface RepAllocation {
  repId: string;
  amount: number;
  /** The effective weight used (base × ramp × active share). */
  weight: number;
}

export const DEFAULT_SENIORITY_WEIGHTS: Record<Seniority, number> = { junior: 3, mid: 4, senior: 5 };

function baseWeight(rep: RepShareInput, split: RepSplit): number {
  switch (split.mode) {
    case 'equal':
      return 1;
    case 'seniority': {
      if (!rep.seniority) throw new RangeError(`rep ${rep.repId} has no seniority for a split by seniority`);
      return (split.weights ?? DEFAULT_SENIORITY_WEIGHTS)[rep.seniority];
    }
    case 'explicit':
      if (rep.weight === undefined) throw new RangeError(`rep ${rep.repId} has no weight for an explicit split`);
      return rep.weight;
  }
}

/**
 * Split a target among reps. Results come back in the input order, but ties are broken by rep id, so the same reps in any
 * order get the same amounts. `period` and `cal` are needed when a rep has `hiredOn`.
 */
export function allocateToReps(
  amount: number,
  reps: readonly RepShareInput[],
  split: RepSplit = { mode: 'equal' },
  context?: { period: DayRange; cal: OrgCalendar },
): RepAllocation[] {
  const ids = new Set(reps.map((r) => r.repId));
  if (ids.size !== reps.length) throw new RangeError('rep ids must be unique');
  const totalDays = context ? workingDaysIn(context.period, context.cal).length : 0;
  const weighted = reps.map((rep) => {
    const ramp = rep.ramp ?? 1;
    if (!Number.isFinite(ramp) || ramp < 0 || ramp > 1) throw new RangeError(`ramp of ${rep.repId} must be within 0..1, got ${ramp}`);
    let activeShare = 1;
    if (rep.hiredOn !== undefined) {
      assertDay(rep.hiredOn, `hiredOn of ${rep.repId}`);
      if (!context) throw new RangeError('a period and calendar are needed to weigh reps hired mid-period');
      const { period, cal } = context;
      const activeDays = rep.hiredOn > period.end ? 0 : workingDaysIn({ start: maxDay(period.start, rep.hiredOn), end: period.end }, cal).length;
      activeShare = totalDays === 0 ? 0 : activeDays / totalDays;
    }
    const weight = baseWeight(rep, split) * ramp * activeShare;
    if (!Number.isFinite(weight) || weight < 0) throw new RangeError(`weight of ${rep.repId} must be finite and >= 0`);
    return { repId: rep.repId, weight };
  });
  const canonical = [...weighted].sort((a, b) => (a.repId < b.repId ? -1 : a.repId > b.repId ? 1 : 0));
  const parts = allocateLargestRemainder(amount, canonical.map((r) => r.weight));
  const byId = new Map(canonical.map((r, i) => [r.repId, parts[i]!]));
  return weighted.map((r) => ({ repId: r.repId, amount: byId.get(r.repId)!, weight: r.weight }));
}

export type TargetLevel = 'base' | 'stretch' | 'challenge';
export const TARGET_LEVELS: readonly TargetLevel[] = ['base', 'stretch', 'challenge'];

/** Default level multipliers in basis points of the base target: stretch 120 %, challenge 150 %. */
export const DEFAULT_LEVEL_BASIS_POINTS: Record<Exclude<TargetLevel, 'base'>, number> = { stretch: 12_000, challenge: 15_000 };

/** The three levels of a target (目标 / 冲刺 / 挑战) from its base amount, exact and rounded half up. */
export function targetLevels(
  base: number,
  basisPoints: Record<Exclude<TargetLevel, 'base'>, number> = DEFAULT_LEVEL_BASIS_POINTS,
): Record<TargetLevel, number> {
  if (basisPoints.stretch < 10_000 || basisPoints.challenge < basisPoints.stretch) {
    throw new RangeError('levels need base <= stretch <= challenge');
  }
  return {
    base: annualTarget(base, { basisPoints: 0 }),
    stretch: annualTarget(base, { basisPoints: basisPoints.stretch - 10_000 }),
    challenge: annualTarget(base, { basisPoints: basisPoints.challenge - 10_000 }),
  };
}
