/**
 * Civil calendar dates as 'YYYY-MM-DD' strings.
 *
 * A local day has no timezone of its own: it is a label on the org's calendar. Arithmetic on labels (add n days, weekday,
 * distance) is therefore plain proleptic-Gregorian arithmetic; it is done on a day count since 1970-01-01 through
 * `Date.UTC`, which has no DST, so no offsets are involved. Converting between instants and local days is timezone work and
 * lives in calendar.ts (date-fns + @date-fns/tz).
 */

const MS_PER_DAY = 86_400_000;
const DAY_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days since 1970-01-01 of a valid 'YYYY-MM-DD' string (years 1000–9999), or NaN. */
function parseDayNumber(value: string): number {
  const match = DAY_PATTERN.exec(value);
  if (!match) return Number.NaN;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const date = Number(match[3]);
  if (year < 1000) return Number.NaN;
  const ms = Date.UTC(year, month - 1, date);
  const check = new Date(ms);
  // Date.UTC rolls 2026-02-30 over to 2 March: a real date round-trips unchanged.
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== date) return Number.NaN;
  return ms / MS_PER_DAY;
}

/** True when `value` is a real calendar date written 'YYYY-MM-DD' (years 1000–9999). */
export function isDay(value: unknown): value is string {
  return typeof value === 'string' && !Number.isNaN(parseDayNumber(value));
}

/** Throws a RangeError naming `what` unless `value` is a valid 'YYYY-MM-DD' day. */
export function assertDay(value: unknown, what = 'day'): asserts value is string {
  if (!isDay(value)) throw new RangeError(`${what} must be a calendar date 'YYYY-MM-DD', got ${JSON.stringify(value)}`);
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Days since 1970-01-01 (negative before). Throws a RangeError for an invalid day. */
export function dayNumber(day: string): number {
  const n = parseDayNumber(day);
  if (Number.isNaN(n)) assertDay(day);
  return n;
}

export function dayFromNumber(dayNo: number): string {
  const date = new Date(dayNo * MS_PER_DAY);
  return formatDay(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate());
}

export function formatDay(year: number, month: number, date: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(date).padStart(2, '0')}`;
}

/** `day` shifted by `n` calendar days (n may be negative). */
export function shiftDay(day: string, n: number): string {
  return dayFromNumber(dayNumber(day) + n);
}

/** Calendar days from `from` to `to` (positive when `to` is later). */
export function dayDiff(from: string, to: string): number {
  return dayNumber(to) - dayNumber(from);
}

/** 0 = Sunday … 6 = Saturday. */
export function weekdayOf(day: string): number {
  return new Date(dayNumber(day) * MS_PER_DAY).getUTCDay();
}

/** Every day from `start` to `end`, both inclusive; empty when end < start. */
export function eachDay(start: string, end: string): string[] {
  const first = dayNumber(start);
  const last = dayNumber(end);
  const days: string[] = [];
  for (let n = first; n <= last; n++) days.push(dayFromNumber(n));
  return days;
}

export function minDay(a: string, b: string): string {
  return a <= b ? a : b;
}

export function maxDay(a: string, b: string): string {
  return a >= b ? a : b;
}
