/**
 * The org calendar: timezone, week start, working weekdays, holidays and make-up working days (China 调休).
 *
 * Local days are 'YYYY-MM-DD' strings in the org's timezone. Instants (Date or epoch ms) become local days only through
 * @date-fns/tz, which is DST-correct: a local day can be 23, 24 or 25 hours long, and when local midnight does not exist
 * (e.g. America/Santiago in September) the day starts at its first existing instant.
 *
 * Period keys: day 'YYYY-MM-DD', month 'YYYY-MM', quarter 'YYYY-Qn', year 'YYYY', week 'YYYY-Www'. Week numbering
 * generalises ISO 8601 to any week start: a week belongs to the year of its 4th day, and week 1 is the week that contains
 * 4 January. With `weekStartsOn: 1` (Monday) this is exactly the ISO week ('2026-11-23' is in '2026-W48'). A week may
 * straddle two months or two years; it is never cut: `periodContaining('week', …)` returns the whole 7 days, and rules that
 * need a week's share of a month or year sum its days inside that range (see decomposition.ts).
 */
import { TZDate } from '@date-fns/tz';
import { assertDay, daysInMonth, dayNumber, dayFromNumber, eachDay, formatDay, isDay, maxDay, minDay, shiftDay, weekdayOf } from './day';

export type Weekday = 0 | 1 | 2 | 3 | 4 | 5 | 6;

export interface OrgCalendar {
  /** IANA timezone, e.g. 'Asia/Shanghai'. */
  timeZone: string;
  weekStartsOn: Weekday;
  /** 0 = Sunday … 6 = Saturday; default Monday–Friday. */
  workingWeekdays: readonly number[];
  /** Local days off that would otherwise be working days. */
  holidays: readonly string[];
  /** Local days that are working days although their weekday is not (调休). A make-up day wins over `holidays`. */
  makeupWorkdays: readonly string[];
}

export const DEFAULT_CALENDAR: OrgCalendar = {
  timeZone: 'Asia/Shanghai',
  weekStartsOn: 1,
  workingWeekdays: [1, 2, 3, 4, 5],
  holidays: [],
  makeupWorkdays: [],
};

export type PeriodKind = 'day' | 'week' | 'month' | 'quarter' | 'year';
export const PERIOD_KINDS: readonly PeriodKind[] = ['day', 'week', 'month', 'quarter', 'year'];

export interface Period {
  kind: PeriodKind;
  /** First local day, inclusive. */
  start: string;
  /** Last local day, inclusive. */
  end: string;
  key: string;
}

export interface DayRange {
  start: string;
  end: string;
}

/** Problems with a calendar, as stable codes ('time_zone', 'week_starts_on', 'working_weekdays', 'holidays', 'makeup_workdays'); empty when valid. */
export function validateCalendar(cal: OrgCalendar): string[] {
  const problems: string[] = [];
  if (typeof cal.timeZone !== 'string' || Number.isNaN(new TZDate(0, cal.timeZone).getFullYear())) problems.push('time_zone');
  if (!Number.isInteger(cal.weekStartsOn) || cal.weekStartsOn < 0 || cal.weekStartsOn > 6) problems.push('week_starts_on');
  if (!cal.workingWeekdays.every((d) => Number.isInteger(d) && d >= 0 && d <= 6)) problems.push('working_weekdays');
  if (!cal.holidays.every((d) => isDay(d))) problems.push('holidays');
  if (!cal.makeupWorkdays.every((d) => isDay(d))) problems.push('makeup_workdays');
  return problems;
}

function zoned(instant: Date | number, timeZone: string): TZDate {
  const ms = typeof instant === 'number' ? instant : instant.getTime();
  if (!Number.isFinite(ms)) throw new RangeError('instant must be a valid date');
  const local = new TZDate(ms, timeZone);
  if (Number.isNaN(local.getFullYear())) throw new RangeError(`unknown time zone ${JSON.stringify(timeZone)}`);
  return local;
}

/** The org-local calendar day of an instant. */
export function localDay(instant: Date | number, cal: OrgCalendar): string {
  const local = zoned(instant, cal.timeZone);
  return formatDay(local.getFullYear(), local.getMonth() + 1, local.getDate());
}

/** The instant at which local `day` begins (local midnight, or the first existing instant when midnight is skipped by DST). */
export function startOfLocalDay(day: string, cal: OrgCalendar): Date {
  assertDay(day);
  const local = new TZDate(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, Number(day.slice(8, 10)), cal.timeZone);
  const ms = local.getTime();
  if (Number.isNaN(ms)) throw new RangeError(`unknown time zone ${JSON.stringify(cal.timeZone)}`);
  return new Date(ms);
}

/** Length of local `day` in hours (23, 24 or 25 around DST changes). */
export function localDayLengthHours(day: string, cal: OrgCalendar): number {
  return (startOfLocalDay(shiftDay(day, 1), cal).getTime() - startOfLocalDay(day, cal).getTime()) / 3_600_000;
}

/** First day of the week containing `day`. */
export function startOfWeekDay(day: string, cal: Pick<OrgCalendar, 'weekStartsOn'>): string {
  return shiftDay(day, -((weekdayOf(day) - cal.weekStartsOn + 7) % 7));
}

/** 'YYYY-Www' for the week starting on `weekStart` (see the module comment for the numbering). */
export function weekKeyOf(weekStart: string, cal: Pick<OrgCalendar, 'weekStartsOn'>): string {
  const start = startOfWeekDay(weekStart, cal);
  const weekYear = Number(shiftDay(start, 3).slice(0, 4));
  const firstWeekStart = startOfWeekDay(formatDay(weekYear, 1, 4), cal);
  const week = (dayNumber(start) - dayNumber(firstWeekStart)) / 7 + 1;
  return `${weekYear}-W${String(week).padStart(2, '0')}`;
}

/** The day/week/month/quarter/year period containing local `day`. */
export function periodContaining(kind: PeriodKind, day: string, cal: OrgCalendar): Period {
  assertDay(day);
  const year = Number(day.slice(0, 4));
  const month = Number(day.slice(5, 7));
  switch (kind) {
    case 'day':
      return { kind, start: day, end: day, key: day };
    case 'week': {
      const start = startOfWeekDay(day, cal);
      return { kind, start, end: shiftDay(start, 6), key: weekKeyOf(start, cal) };
    }
    case 'month':
      return {
        kind,
        start: formatDay(year, month, 1),
        end: formatDay(year, month, daysInMonth(year, month)),
        key: `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}`,
      };
    case 'quarter': {
      const quarter = Math.ceil(month / 3);
      const lastMonth = quarter * 3;
      return {
        kind,
        start: formatDay(year, lastMonth - 2, 1),
        end: formatDay(year, lastMonth, daysInMonth(year, lastMonth)),
        key: `${year}-Q${quarter}`,
      };
    }
    case 'year':
      return { kind, start: formatDay(year, 1, 1), end: formatDay(year, 12, 31), key: String(year) };
    default:
      throw new RangeError(`unknown period kind ${JSON.stringify(kind)}`);
  }
}

/** The period containing instant `now` (its local day). */
export function periodAt(kind: PeriodKind, now: Date | number, cal: OrgCalendar): Period {
  return periodContaining(kind, localDay(now, cal), cal);
}

const KEY_PATTERNS: Array<[PeriodKind, RegExp]> = [
  ['day', /^\d{4}-\d{2}-\d{2}$/],
  ['week', /^(\d{4})-W(\d{2})$/],
  ['month', /^(\d{4})-(\d{2})$/],
  ['quarter', /^(\d{4})-Q([1-4])$/],
  ['year', /^(\d{4})$/],
];

/** Inverse of `Period.key`: the period a key names. Throws a RangeError for a malformed key or a week that does not exist. */
export function periodFromKey(key: string, cal: OrgCalendar): Period {
  for (const [kind, pattern] of KEY_PATTERNS) {
    const match = pattern.exec(key);
    if (!match) continue;
    const year = Number(match[1]);
    switch (kind) {
      case 'day':
        assertDay(key, 'period key');
        return periodContaining('day', key, cal);
      case 'week': {
        const week = Number(match[2]);
        const start = shiftDay(startOfWeekDay(formatDay(year, 1, 4), cal), (week - 1) * 7);
        const period = periodContaining('week', start, cal);
        if (week < 1 || period.key !== key) throw new RangeError(`no such week ${JSON.stringify(key)}`);
        return period;
      }
      case 'month': {
        const month = Number(match[2]);
        if (year < 1000 || month < 1 || month > 12) throw new RangeError(`no such month ${JSON.stringify(key)}`);
        return periodContaining('month', formatDay(year, month, 1), cal);
      }
      case 'quarter':
        if (year < 1000) throw new RangeError(`no such quarter ${JSON.stringify(key)}`);
        return periodContaining('quarter', formatDay(year, Number(match[2]) * 3, 1), cal);
      case 'year':
        if (year < 1000) throw new RangeError(`no such year ${JSON.stringify(key)}`);
        return periodContaining('year', formatDay(year, 1, 1), cal);
    }
  }
  throw new RangeError(`malformed period key ${JSON.stringify(key)}`);
}

/** Every period of `kind` that overlaps [range.start, range.end], in order (weeks may stick out of the range). */
export function periodsOverlapping(kind: PeriodKind, range: DayRange, cal: OrgCalendar): Period[] {
  assertDay(range.start, 'range start');
  assertDay(range.end, 'range end');
  const periods: Period[] = [];
  let day = range.start;
  while (day <= range.end) {
    const period = periodContaining(kind, day, cal);
    periods.push(period);
    day = shiftDay(period.end, 1);
  }
  return periods;
}

/**
 * Whether local `day` is a working day. Precedence: a make-up working day is always a working day (it wins over weekends
 * and over a conflicting holiday entry); otherwise a holiday is never one; otherwise the weekday decides.
 */
export function isWorkingDay(day: string, cal: OrgCalendar): boolean {
  assertDay(day);
  if (cal.makeupWorkdays.includes(day)) return true;
  if (cal.holidays.includes(day)) return false;
  return cal.workingWeekdays.includes(weekdayOf(day));
}

/** The working days of a range (both ends inclusive), in order. */
export function workingDaysIn(period: DayRange, cal: OrgCalendar): string[] {
  assertDay(period.start, 'period start');
  assertDay(period.end, 'period end');
  const makeup = new Set(cal.makeupWorkdays);
  const holidays = new Set(cal.holidays);
  const weekdays = new Set(cal.workingWeekdays);
  return eachDay(period.start, period.end).filter(
    (day) => makeup.has(day) || (!holidays.has(day) && weekdays.has(weekdayOf(day))),
  );
}

function countWorkingDays(start: string, end: string, cal: OrgCalendar): number {
  return start > end ? 0 : workingDaysIn({ start, end }, cal).length;
}

/**
 * Closed working days of the period at `now`: working days strictly before today's local day. A day is judged only after it
 * has closed, so today never counts here. Before the period: 0; after it: all of them.
 */
export function elapsedWorkingDays(period: DayRange, now: Date | number, cal: OrgCalendar): number {
  const yesterday = shiftDay(localDay(now, cal), -1);
  return countWorkingDays(period.start, minDay(period.end, yesterday), cal);
}

/**
 * Working days of the period from today (inclusive) to its end. elapsed + remaining = total for every `now`
 * (before the period remaining is the total, after it 0).
 */
export function remainingWorkingDays(period: DayRange, now: Date | number, cal: OrgCalendar): number {
  return countWorkingDays(maxDay(period.start, localDay(now, cal)), period.end, cal);
}

// Ten years without a working day means the calendar has none (e.g. empty workingWeekdays and no make-up days).
const SEARCH_LIMIT_DAYS = 3660;

function stepWorkingDay(day: string, step: 1 | -1, cal: OrgCalendar): string {
  assertDay(day);
  let n = dayNumber(day);
  for (let i = 0; i < SEARCH_LIMIT_DAYS; i++) {
    n += step;
    const candidate = dayFromNumber(n);
    if (isWorkingDay(candidate, cal)) return candidate;
  }
  throw new RangeError(`no working day within ${SEARCH_LIMIT_DAYS} days of ${day}`);
}

/** The last working day strictly before `day`. */
export function previousWorkingDay(day: string, cal: OrgCalendar): string {
  return stepWorkingDay(day, -1, cal);
}

/** The first working day strictly after `day`. */
export function nextWorkingDay(day: string, cal: OrgCalendar): string {
  return stepWorkingDay(day, 1, cal);
}

/** The last closed working day at `now` (the working day before today's local day). */
export function lastClosedWorkingDay(now: Date | number, cal: OrgCalendar): string {
  return previousWorkingDay(localDay(now, cal), cal);
}
