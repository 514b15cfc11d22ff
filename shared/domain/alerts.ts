/**
 * The alert ladder (DOMAIN.md "Alert ladder"), as one pure evaluation the cron trigger runs for an org:
 *
 *   (calendar, daily results, weekly results, key customers, existing alerts, now)
 *     → { open, escalate, resolve, coachingTasks, reviewItems, notifications }
 *
 * | rule               | condition (defaults)                                   | produces                                        |
 * |--------------------|--------------------------------------------------------|-------------------------------------------------|
 * | `kpi_streak`       | ≥ 2 consecutive closed working days below → yellow     | alert; notify rep + manager                     |
 * |                    | ≥ 3 → orange (same alert escalates: orange supersedes) | + 1:1 coaching task due the next working day    |
 * |                    |                                                        |   after today, senior-help flag; notify         |
 * | `weekly_completion`| the last closed week's completion < 40 % → red         | alert + review item (复盘); notify manager +    |
 * |                    |                                                        |   director                                      |
 * | `stale_customer`   | a key customer silent > 7 calendar days → yellow       | alert with a next action; notify rep            |
 * |                    | still `open` (not acknowledged) 3 days after opening   | escalate to orange; notify rep + manager        |
 *
 * Natural keys: every alert is identified by `rule:subject:anchor` (no org part; the caller scopes by org) where the
 * subject is the rep (and `/customer` for stale customers), ids URI-encoded, and the anchor is the first below day of the
 * streak, the week key, or the local day of the customer's last response. Coaching tasks, review items and notifications
 * derive their keys from the alert key (notification key = alert key + '#' + level), so the cron can insert-or-ignore
 * every row and send each notification once.
 *
 * Semantics where DOMAIN.md is open (documented in README.md):
 * - One alert row per streak; its level goes yellow → orange. Opening a streak already ≥ 3 days long opens it at orange.
 * - Only the current streak (ending on the last closed working day) opens or escalates; consecutive means consecutive
 *   working days of the org calendar. A closed working day missing from the input breaks a streak (no data, no alert);
 *   the caller supplies a row for every closed working day (a day without activity is `below`). Rows for non-working days
 *   and for days not yet closed are ignored; duplicate rows for a day count as `meets` if any of them does.
 * - A streak alert resolves when the rep has a closed working day that meets KPIs after the streak started.
 * - A red weekly alert resolves when a later closed week reaches the threshold.
 * - A stale-customer alert resolves when the customer responds (a later last-response day) or is no longer a key customer
 *   of that rep (`keyCustomers` is the org's complete current list). Silence counts calendar days from the local day of the
 *   last response (or of `keySince` when there was none). Acknowledging it stops the escalation ("ignored" = still open).
 * - Alerts resolved by hand are final for their key: they neither escalate nor reopen.
 * - Levels never go down.
 *
 * Idempotent: applying the output (`applyAlertEvaluation`) and evaluating again at the same `now` yields nothing.
 * Order-independent: every output list is sorted by key and no result depends on the order of the inputs.
 */
import { isWorkingDay, localDay, nextWorkingDay, periodContaining, periodFromKey, previousWorkingDay, startOfWeekDay, type OrgCalendar } from './calendar';
import { dayDiff, shiftDay } from './day';
import type { DayJudgement } from './kpi';

export type AlertRule = 'kpi_streak' | 'weekly_completion' | 'stale_customer';
export type AlertLevel = 'yellow' | 'orange' | 'red';
export type AlertStatus = 'open' | 'acknowledged' | 'resolved';
export type Recipient = 'rep' | 'manager' | 'director';
export type NextAction = 'send_value_follow_up' | 'send_roi_summary';
export type ResolutionReason = 'kpi_met' | 'week_recovered' | 'customer_responded' | 'customer_dropped';

export interface AlertRules {
  /** Consecutive closed working days below KPI for yellow (default 2). */
  yellowStreak: number;
  /** … for orange (default 3). */
  orangeStreak: number;
  /** A closed week below this completion is red (default 0.4). */
  redWeeklyCompletion: number;
  /** A key customer silent for more than this many calendar days is stale (default 7). */
  staleAfterDays: number;
  /** An unacknowledged stale alert escalates this many days after it opened (default 3, at least 1). */
  staleEscalateAfterDays: number;
}

export const DEFAULT_ALERT_RULES: AlertRules = {
  yellowStreak: 2,
  orangeStreak: 3,
  redWeeklyCompletion: 0.4,
  staleAfterDays: 7,
  staleEscalateAfterDays: 3,
};

export interface DailyResult {
  repId: string;
  /** A closed working day (local). */
  day: string;
  result: DayJudgement;
}

export interface WeeklyResult {
  repId: string;
  /** Any local day of the week (normally its first day). */
  weekStart: string;
  /** actual / target of the week (ratio, 1 = 100 %). */
  completion: number;
}

export interface KeyCustomer {
  repId: string;
  customerId: string;
  /** Shown in messages; chosen by the rep (may be empty). */
  label?: string;
  lastResponseAt: Date | number | null;
  /** When the customer became a key customer; silence is counted from here when there was no response yet. */
  keySince?: Date | number | null;
}

export interface AlertRow {
  key: string;
  rule: AlertRule;
  repId: string;
  customerId: string | null;
  /** Streak start day, week key, or last-response day. */
  anchor: string;
  level: AlertLevel;
  status: AlertStatus;
  /** Local day the alert was opened. */
  openedOn: string;
  /** Local day it was resolved (null while unresolved). */
  resolvedOn: string | null;
  /** Orange KPI alerts: the rep should get help from a senior colleague. */
  seniorHelp: boolean;
  nextAction: NextAction | null;
}

export interface AlertEscalation {
  key: string;
  rule: AlertRule;
  repId: string;
  from: AlertLevel;
  to: AlertLevel;
  seniorHelp: boolean;
  nextAction: NextAction | null;
}

export interface AlertResolution {
  key: string;
  rule: AlertRule;
  repId: string;
  reason: ResolutionReason;
  /** The local day whose fact resolved it (the day that met KPIs, the recovered week's start, the response day). */
  on: string;
}

export interface CoachingTask {
  key: string;
  alertKey: string;
  repId: string;
  kind: 'one_on_one';
  /** The next working day after the evaluation day. */
  due: string;
  seniorHelp: true;
}

export interface ReviewItem {
  key: string;
  alertKey: string;
  repId: string;
  weekKey: string;
  completion: number;
  actions: readonly ['review_meeting', 'reallocate_accounts'];
}

export interface AlertNotification {
  /** alert key + '#' + level: one notification per alert and level, ever. */
  key: string;
  alertKey: string;
  rule: AlertRule;
  level: AlertLevel;
  repId: string;
  recipients: readonly Recipient[];
  /** i18n message key, e.g. 'alert.kpi_streak.orange'. */
  messageKey: string;
  params: Record<string, string | number>;
}

export interface AlertEvaluation {
  open: AlertRow[];
  escalate: AlertEscalation[];
  resolve: AlertResolution[];
  coachingTasks: CoachingTask[];
  reviewItems: ReviewItem[];
  notifications: AlertNotification[];
}

export interface AlertInput {
  calendar: OrgCalendar;
  now: Date | number;
  dailyResults: readonly DailyResult[];
  weeklyResults: readonly WeeklyResult[];
  keyCustomers: readonly KeyCustomer[];
  existing: readonly AlertRow[];
  rules?: Partial<AlertRules>;
}

const LEVEL_RANK: Record<AlertLevel, number> = { yellow: 1, orange: 2, red: 3 };
const STATUS_RANK: Record<AlertStatus, number> = { open: 0, acknowledged: 1, resolved: 2 };
const REVIEW_ACTIONS = ['review_meeting', 'reallocate_accounts'] as const;

const byKey = <T extends { key: string }>(a: T, b: T) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

/** The natural key of an alert: `rule:subject:anchor` with URI-encoded ids. */
export function alertKey(rule: AlertRule, repId: string, anchor: string, customerId?: string | null): string {
  const subject = customerId == null ? encodeURIComponent(repId) : `${encodeURIComponent(repId)}/${encodeURIComponent(customerId)}`;
  return `${rule}:${subject}:${anchor}`;
}

function resolveRules(partial: Partial<AlertRules> | undefined): AlertRules {
  const rules = { ...DEFAULT_ALERT_RULES, ...partial };
  if (!Number.isInteger(rules.yellowStreak) || rules.yellowStreak < 1) throw new RangeError('yellowStreak must be an integer >= 1');
  if (!Number.isInteger(rules.orangeStreak) || rules.orangeStreak <= rules.yellowStreak) {
    throw new RangeError('orangeStreak must be an integer greater than yellowStreak');
  }
  if (!Number.isInteger(rules.staleAfterDays) || rules.staleAfterDays < 0) throw new RangeError('staleAfterDays must be an integer >= 0');
  if (!Number.isInteger(rules.staleEscalateAfterDays) || rules.staleEscalateAfterDays < 1) {
    throw new RangeError('staleEscalateAfterDays must be an integer >= 1');
  }
  if (!Number.isFinite(rules.redWeeklyCompletion)) throw new RangeError('redWeeklyCompletion must be a number');
  return rules;
}

/** One row per key; if the input repeats a key, keep the most advanced state (resolved, then higher level). */
function indexExisting(existing: readonly AlertRow[]): Map<string, AlertRow> {
  const index = new Map<string, AlertRow>();
  for (const row of existing) {
    const seen = index.get(row.key);
    if (
      !seen ||
      STATUS_RANK[row.status] > STATUS_RANK[seen.status] ||
      (row.status === seen.status && LEVEL_RANK[row.level] > LEVEL_RANK[seen.level]) ||
      (row.status === seen.status && row.level === seen.level && row.openedOn < seen.openedOn)
    ) {
      index.set(row.key, row);
    }
  }
  return index;
}

const instantMs = (value: Date | number) => (typeof value === 'number' ? value : value.getTime());

function emptyEvaluation(): AlertEvaluation {
  return { open: [], escalate: [], resolve: [], coachingTasks: [], reviewItems: [], notifications: [] };
}

/** Evaluate the alert ladder at `now`. Pure: the same input (in any order) always gives the same output. */
export function evaluateAlerts(input: AlertInput): AlertEvaluation {
  const cal = input.calendar;
  const rules = resolveRules(input.rules);
  const today = localDay(input.now, cal);
  const existing = indexExisting(input.existing);
  const out = emptyEvaluation();

  const notify = (row: Pick<AlertRow, 'key' | 'rule' | 'repId'>, level: AlertLevel, recipients: readonly Recipient[], params: Record<string, string | number>) => {
    out.notifications.push({
      key: `${row.key}#${level}`,
      alertKey: row.key,
      rule: row.rule,
      level,
      repId: row.repId,
      recipients,
      messageKey: `alert.${row.rule}.${level}`,
      params,
    });
  };
  const coach = (key: string, repId: string) => {
    out.coachingTasks.push({ key: `coaching:${key}`, alertKey: key, repId, kind: 'one_on_one', due: nextWorkingDay(today, cal), seniorHelp: true });
  };
  const newRow = (fields: Pick<AlertRow, 'rule' | 'repId' | 'customerId' | 'anchor' | 'level' | 'seniorHelp' | 'nextAction'>): AlertRow => ({
    key: alertKey(fields.rule, fields.repId, fields.anchor, fields.customerId),
    status: 'open',
    openedOn: today,
    resolvedOn: null,
    ...fields,
  });

  // ---- KPI streaks -------------------------------------------------------------------------------------------------
  const daysByRep = new Map<string, Map<string, DayJudgement>>();
  for (const { repId, day, result } of input.dailyResults) {
    if (day >= today || !isWorkingDay(day, cal)) continue; // not closed yet, or not a working day
    const days = daysByRep.get(repId) ?? new Map<string, DayJudgement>();
    if (days.get(day) !== 'meets') days.set(day, result);
    daysByRep.set(repId, days);
  }
  const lastClosed = previousWorkingDay(today, cal);
  for (const [repId, days] of daysByRep) {
    let streakStart: string | null = null;
    let streakLength = 0;
    for (let day = lastClosed; days.get(day) === 'below'; day = previousWorkingDay(day, cal)) {
      streakStart = day;
      streakLength += 1;
    }
    if (streakStart === null || streakLength < rules.yellowStreak) continue;
    const level: AlertLevel = streakLength >= rules.orangeStreak ? 'orange' : 'yellow';
    const params = { streakDays: streakLength, since: streakStart, lastDay: lastClosed };
    const key = alertKey('kpi_streak', repId, streakStart);
    const current = existing.get(key);
    if (!current) {
      const row = newRow({ rule: 'kpi_streak', repId, customerId: null, anchor: streakStart, level, seniorHelp: level === 'orange', nextAction: null });
      out.open.push(row);
      notify(row, level, ['rep', 'manager'], params);
      if (level === 'orange') coach(key, repId);
    } else if (current.status !== 'resolved' && LEVEL_RANK[level] > LEVEL_RANK[current.level]) {
      out.escalate.push({ key, rule: 'kpi_streak', repId, from: current.level, to: level, seniorHelp: true, nextAction: null });
      notify(current, level, ['rep', 'manager'], params);
      coach(key, repId);
    }
  }
  for (const row of existing.values()) {
    if (row.rule !== 'kpi_streak' || row.status === 'resolved') continue;
    let metOn: string | null = null;
    for (const [day, result] of daysByRep.get(row.repId) ?? []) {
      if (result === 'meets' && day > row.anchor && (metOn === null || day < metOn)) metOn = day;
    }
    if (metOn !== null) out.resolve.push({ key: row.key, rule: row.rule, repId: row.repId, reason: 'kpi_met', on: metOn });
  }

  // ---- Weekly completion (red) -------------------------------------------------------------------------------------
  const lastClosedWeek = periodContaining('week', shiftDay(startOfWeekDay(today, cal), -1), cal);
  const weeksByRep = new Map<string, Map<string, { start: string; completion: number }>>();
  for (const { repId, weekStart, completion } of input.weeklyResults) {
    if (!Number.isFinite(completion)) throw new RangeError(`weekly completion of ${repId} must be a number`);
    const week = periodContaining('week', weekStart, cal);
    if (week.end >= today) continue; // the week has not closed
    const weeks = weeksByRep.get(repId) ?? new Map<string, { start: string; completion: number }>();
    const seen = weeks.get(week.key);
    if (!seen || completion > seen.completion) weeks.set(week.key, { start: week.start, completion });
    weeksByRep.set(repId, weeks);
  }
  for (const [repId, weeks] of weeksByRep) {
    const closed = weeks.get(lastClosedWeek.key);
    if (!closed || closed.completion >= rules.redWeeklyCompletion) continue;
    const key = alertKey('weekly_completion', repId, lastClosedWeek.key);
    if (existing.has(key)) continue;
    const row = newRow({ rule: 'weekly_completion', repId, customerId: null, anchor: lastClosedWeek.key, level: 'red', seniorHelp: false, nextAction: null });
    out.open.push(row);
    out.reviewItems.push({ key: `review:${key}`, alertKey: key, repId, weekKey: lastClosedWeek.key, completion: closed.completion, actions: REVIEW_ACTIONS });
    notify(row, 'red', ['manager', 'director'], { week: lastClosedWeek.key, completionPercent: Math.floor(closed.completion * 100) });
  }
  for (const row of existing.values()) {
    if (row.rule !== 'weekly_completion' || row.status === 'resolved') continue;
    let alertWeekStart: string;
    try {
      alertWeekStart = periodFromKey(row.anchor, cal).start;
    } catch {
      continue; // a week key from another week numbering (the org changed its week start): leave it to a human
    }
    let recoveredOn: string | null = null;
    for (const { start, completion } of weeksByRep.get(row.repId)?.values() ?? []) {
      if (start > alertWeekStart && completion >= rules.redWeeklyCompletion && (recoveredOn === null || start < recoveredOn)) recoveredOn = start;
    }
    if (recoveredOn !== null) out.resolve.push({ key: row.key, rule: row.rule, repId: row.repId, reason: 'week_recovered', on: recoveredOn });
  }

  // ---- Stale key customers -----------------------------------------------------------------------------------------
  const customers = new Map<string, { repId: string; customerId: string; label: string; since: string | null }>();
  for (const customer of input.keyCustomers) {
    const reference = customer.lastResponseAt ?? customer.keySince ?? null;
    const since = reference === null ? null : localDay(instantMs(reference), cal);
    const id = alertKey('stale_customer', customer.repId, '', customer.customerId);
    const seen = customers.get(id);
    if (!seen || (since !== null && (seen.since === null || since > seen.since))) {
      customers.set(id, { repId: customer.repId, customerId: customer.customerId, label: customer.label ?? '', since });
    }
  }
  for (const { repId, customerId, label, since } of customers.values()) {
    if (since === null) continue;
    const silentDays = dayDiff(since, today);
    if (silentDays <= rules.staleAfterDays) continue;
    const key = alertKey('stale_customer', repId, since, customerId);
    const current = existing.get(key);
    const params = { customer: label, customerId, silentDays, since };
    if (!current) {
      const row = newRow({ rule: 'stale_customer', repId, customerId, anchor: since, level: 'yellow', seniorHelp: false, nextAction: 'send_value_follow_up' });
      out.open.push(row);
      notify(row, 'yellow', ['rep'], { ...params, action: 'send_value_follow_up' });
    } else if (current.status === 'open' && current.level === 'yellow' && dayDiff(current.openedOn, today) >= rules.staleEscalateAfterDays) {
      out.escalate.push({ key, rule: 'stale_customer', repId, from: 'yellow', to: 'orange', seniorHelp: false, nextAction: 'send_roi_summary' });
      notify(current, 'orange', ['rep', 'manager'], { ...params, action: 'send_roi_summary' });
    }
  }
  for (const row of existing.values()) {
    if (row.rule !== 'stale_customer' || row.status === 'resolved' || row.customerId === null) continue;
    const customer = customers.get(alertKey('stale_customer', row.repId, '', row.customerId));
    if (!customer) {
      out.resolve.push({ key: row.key, rule: row.rule, repId: row.repId, reason: 'customer_dropped', on: today });
    } else if (customer.since !== null && customer.since > row.anchor) {
      out.resolve.push({ key: row.key, rule: row.rule, repId: row.repId, reason: 'customer_responded', on: customer.since });
    }
  }

  out.open.sort(byKey);
  out.escalate.sort(byKey);
  out.resolve.sort(byKey);
  out.coachingTasks.sort(byKey);
  out.reviewItems.sort(byKey);
  out.notifications.sort(byKey);
  return out;
}

/** True when an evaluation changes nothing. */
export function isEmptyEvaluation(evaluation: AlertEvaluation): boolean {
  return Object.values(evaluation).every((list: unknown[]) => list.length === 0);
}

/**
 * Apply an evaluation to a set of alert rows the way the cron stores it: insert-or-ignore the opened rows, raise levels
 * (never lower them), resolve unresolved rows. Returns new rows sorted by key; the input is not modified.
 */
export function applyAlertEvaluation(existing: readonly AlertRow[], evaluation: AlertEvaluation, today: string): AlertRow[] {
  const rows = new Map([...indexExisting(existing)].map(([key, row]) => [key, { ...row }]));
  for (const row of evaluation.open) if (!rows.has(row.key)) rows.set(row.key, { ...row });
  for (const change of evaluation.escalate) {
    const row = rows.get(change.key);
    if (row && row.status !== 'resolved' && LEVEL_RANK[change.to] > LEVEL_RANK[row.level]) {
      row.level = change.to;
      row.seniorHelp = row.seniorHelp || change.seniorHelp;
      row.nextAction = change.nextAction ?? row.nextAction;
    }
  }
  for (const change of evaluation.resolve) {
    const row = rows.get(change.key);
    if (row && row.status !== 'resolved') {
      row.status = 'resolved';
      row.resolvedOn = today;
    }
  }
  return [...rows.values()].sort(byKey);
}
