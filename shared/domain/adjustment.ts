/**
 * Dynamic target adjustment (DOMAIN.md "Dynamic adjustment").
 *
 * A target changed mid-period gets a new version; versions are data (amount, reason, author, when) and are never edited.
 * What is still missing — new target − achieved, never below 0 — is re-spread equally over the period's remaining working
 * days, **today included** (the same days `remainingWorkingDays` counts; today's achievements so far are in `achieved`).
 * Earlier days take the odd units. When no working day remains, the missing amount is reported as `unallocated`, so
 * `sum(perDay) + unallocated = remaining` always holds.
 */
import { allocateLargestRemainder } from './allocation';
import { localDay, workingDaysIn, type DayRange, type OrgCalendar } from './calendar';
import { maxDay } from './day';
import type { DayAmount } from './decomposition';

export interface TargetVersion {
  /** 1 for the first version, then +1 per change. */
  version: number;
  /** Integer (minor units for money, a count otherwise). */
  amount: number;
  reason: string;
  /** User id of whoever made the change. */
  author: string;
  /** Org-local day from which this version applies (the local day of `createdAt`). */
  effectiveFrom: string;
  /** Epoch ms of the change. */
  createdAt: number;
}

export interface TargetChange {
  amount: number;
  reason: string;
  author: string;
  at: Date | number;
}

export interface Respread {
  /** max(0, target − achieved). */
  remaining: number;
  /** The remaining working days (today included) with their share. */
  perDay: DayAmount[];
  /** Part of `remaining` with no working day left to carry it. */
  unallocated: number;
}

function assertAmount(value: number, what: string): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${what} must be a non-negative integer, got ${value}`);
}

/** Append a new version to a target's history (returns a new array; the input is not modified). */
export function reviseTarget(history: readonly TargetVersion[], change: TargetChange, cal: OrgCalendar): TargetVersion[] {
  assertAmount(change.amount, 'target amount');
  if (change.reason.trim() === '') throw new RangeError('a target change needs a reason');
  if (change.author.trim() === '') throw new RangeError('a target change needs an author');
  const createdAt = typeof change.at === 'number' ? change.at : change.at.getTime();
  const last = history.reduce<TargetVersion | undefined>((latest, v) => (!latest || v.version > latest.version ? v : latest), undefined);
  if (last && createdAt < last.createdAt) throw new RangeError('a target change cannot predate the previous version');
  const next: TargetVersion = {
    version: (last?.version ?? 0) + 1,
    amount: change.amount,
    reason: change.reason.trim(),
    author: change.author,
    effectiveFrom: localDay(createdAt, cal),
    createdAt,
  };
  return [...history, next];
}

/** The version in force on local `day`: the highest version whose `effectiveFrom` is on or before it (null if none). */
export function versionInEffect(history: readonly TargetVersion[], day: string): TargetVersion | null {
  let current: TargetVersion | null = null;
  for (const version of history) {
    if (version.effectiveFrom <= day && (!current || version.version > current.version)) current = version;
  }
  return current;
}

/** Re-spread `target − achieved` over the period's working days from today (inclusive) to its end. */
export function respreadRemaining(input: {
  target: number;
  achieved: number;
  period: DayRange;
  now: Date | number;
  cal: OrgCalendar;
}): Respread {
  const { target, achieved, period, now, cal } = input;
  assertAmount(target, 'target');
  assertAmount(achieved, 'achieved');
  const remaining = Math.max(0, target - achieved);
  const days = workingDaysIn({ start: maxDay(period.start, localDay(now, cal)), end: period.end }, cal);
  if (days.length === 0) return { remaining, perDay: [], unallocated: remaining };
  const parts = allocateLargestRemainder(remaining, days.map(() => 1));
  return { remaining, perDay: days.map((day, i) => ({ day, amount: parts[i]! })), unallocated: 0 };
}

/** A mid-period change in one step: the new history and the re-spread of what the new amount still requires. */
export function adjustTarget(input: {
  history: readonly TargetVersion[];
  change: TargetChange;
  achieved: number;
  period: DayRange;
  cal: OrgCalendar;
}): { history: TargetVersion[]; version: TargetVersion; respread: Respread } {
  const history = reviseTarget(input.history, input.change, input.cal);
  const version = history[history.length - 1]!;
  const respread = respreadRemaining({
    target: version.amount,
    achieved: input.achieved,
    period: input.period,
    now: version.createdAt,
    cal: input.cal,
  });
  return { history, version, respread };
}
