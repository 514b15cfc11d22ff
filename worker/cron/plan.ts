/**
 * The cron's evaluation of one org, as a pure function: facts loaded set-based (./load.ts) in, rows to write
 * (./write.ts) out. No I/O, no clock: the run's `now` (the scheduled time) is an input, so a re-run of the same slot,
 * or two runs at once, plan exactly the same rows.
 *
 * What one run does for an org
 * 1. **Day closes** — every local day closed since `orgs.evaluated_through` (at most MAX_CATCH_UP_DAYS back; a first
 *    run evaluates yesterday only), oldest first, each at the instant it closed: the alert ladder
 *    (`evaluateAlerts`: KPI streaks → yellow / orange + 1:1 coaching task, weekly completion < 40 % → red + review
 *    item, silent key customers → stale, automatic resolution). The rows of one day feed the next day's evaluation in
 *    memory, so a catch-up of three missed days gives the rows three on-time runs would have given.
 * 2. **Week closes** — when a closed day is the last day of a week: weekly champion, most improved, team PK and a
 *    weekly review digest (复盘) per team leader.
 * 3. **Tiers, on every run** — completion of the current month / quarter / year (and of the periods of the days just
 *    closed, so a crossing in the last hours of a month is not lost) against the rep's explicit revenue target for
 *    that period (decomposition gives reps monthly targets; quarter and year count where a target was set); each
 *    (rep, period, tier) is awarded once.
 * 4. **Notifications** — one outbox row per event and channel: the channels of the subject's team and of every
 *    department above it, plus the org-wide channels. Dedup keys are the events' natural keys.
 *
 * Choices where DOMAIN.md is open (also in README.md):
 * - A rep is judged from their hire date, or from the day their account was created when it has none (activity
 *   imported for earlier days counts when a hire date says the rep was there); a week counts for red / recognition
 *   only if the rep was there from its first day.
 * - The weekly target is the rep's explicit weekly revenue target, else their monthly revenue targets spread by working
 *   days (a week across two months takes its share of each). No target → no red alert and no recognition.
 * - Only daily data of the last HISTORY_WORKING_DAYS working days is loaded; an unresolved streak alert whose anchor
 *   lies before that window stands for its days (they were all below, or it would have resolved), so its key is stable.
 * - Champion, most improved and team PK are org-wide; team PK needs two teams with targets.
 */
import {
  isWorkingDay,
  localDay,
  nextWorkingDay,
  periodContaining,
  periodFromKey,
  previousWorkingDay,
  startOfLocalDay,
  workingDaysIn,
  type OrgCalendar,
  type Period,
} from "../../shared/domain/calendar";
import { eachDay, maxDay, minDay, shiftDay } from "../../shared/domain/day";
import {
  applyAlertEvaluation,
  DEFAULT_ALERT_RULES,
  evaluateAlerts,
  type AlertLevel,
  type AlertNotification,
  type AlertRow,
  type AlertRule,
  type KeyCustomer,
  type NextAction,
} from "../../shared/domain/alerts";
import { kpiProgressFromCounts, mostImproved, teamPk, tierCrossings, weeklyChampion, weightedScore, type RepScore } from "../../shared/domain/incentives";
import { BEHAVIOUR_KINDS, type BehaviourKind, type Seniority } from "../../shared/domain/kinds";
import { judgeDay, kpiMinimums, type KpiMinimums } from "../../shared/domain/kpi";
import type { OrgSettings } from "../../shared/schemas/settings";
import type { EnqueueRow } from "../notify/outbox";
import type { Language, NotificationMessage } from "../notify/templates";

/** A worker down for longer than this catches up only the last MAX_CATCH_UP_DAYS days. */
export const MAX_CATCH_UP_DAYS = 31;
/** Working days of daily data loaded before the first day evaluated (orange needs 3; margin for streak anchors). */
export const HISTORY_WORKING_DAYS = 10;
/** Resolved alerts younger than this are loaded too, so a key resolved by hand is not reopened. */
export const RESOLVED_LOOKBACK_DAYS = 120;

// ---- facts --------------------------------------------------------------------------------------------------------

export interface OrgRow {
  id: string;
  name: string;
  language: Language;
  calendar: OrgCalendar;
  settings: OrgSettings;
  evaluatedThrough: string | null;
}

export interface Person {
  id: string;
  name: string;
  role: "rep" | "manager" | "director" | "admin";
  seniority: Seniority;
  rampPercent: number;
  teamId: string | null;
  managerId: string | null;
  hireDate: string | null;
  createdAt: number;
}

export interface TeamRow {
  id: string;
  parentId: string | null;
  name: string;
  leaderId: string | null;
}

/** One row per (rep, local day) with activity: behaviour counts and the won amount. */
export interface DayRow {
  userId: string;
  day: string;
  touch: number;
  needs_confirmed: number;
  proposal_sent: number;
  demo_or_visit: number;
  won: number;
}

export interface MonthRevenueRow {
  userId: string;
  /** 'YYYY-MM' */
  month: string;
  amount: number;
}

/** A rep's base revenue target. */
export interface TargetRow {
  userId: string;
  periodKind: "week" | "month" | "quarter" | "year";
  periodKey: string;
  periodStart: string;
  periodEnd: string;
  amount: number;
}

export interface StoredAlert {
  userId: string;
  rule: string;
  naturalKey: string;
  level: AlertLevel;
  status: "open" | "acknowledged" | "resolved";
  details: Record<string, unknown>;
  openedAt: number;
  resolvedAt: number | null;
}

export interface CustomerRow {
  id: string;
  userId: string;
  label: string;
  lastResponseAt: number | null;
  createdAt: number;
}

export interface ChannelRow {
  id: string;
  teamId: string | null;
}

export interface OrgFacts {
  org: OrgRow;
  people: Person[];
  teams: TeamRow[];
  days: DayRow[];
  monthRevenue: MonthRevenueRow[];
  targets: TargetRow[];
  alerts: StoredAlert[];
  customers: CustomerRow[];
  /** Natural keys of tier awards already given for the window's tier periods. */
  tierAwardKeys: string[];
  openTasks: { userId: string; n: number }[];
  channels: ChannelRow[];
}

// ---- the window: what to load ---------------------------------------------------------------------------------------

export interface EvaluationWindow {
  /** Local day of the run. */
  today: string;
  /** Local days whose close this run evaluates, oldest first (empty when already evaluated). */
  days: string[];
  /** First day of daily data to load. */
  from: string;
  /** Periods whose tiers are evaluated. */
  tierPeriods: Period[];
  /** First day of the monthly revenue to load (start of the earliest tier period). */
  revenueFrom: string;
}

export function evaluationWindow(cal: OrgCalendar, evaluatedThrough: string | null, now: number): EvaluationWindow {
  const today = localDay(now, cal);
  const yesterday = shiftDay(today, -1);
  const first = maxDay(evaluatedThrough ? shiftDay(evaluatedThrough, 1) : yesterday, shiftDay(today, -MAX_CATCH_UP_DAYS));
  const days = first <= yesterday ? eachDay(first, yesterday) : [];

  let from = days[0] ?? today;
  for (let i = 0; i < HISTORY_WORKING_DAYS; i++) from = previousWorkingDay(from, cal);
  for (const day of days) {
    const week = periodContaining("week", day, cal);
    if (week.end === day) from = minDay(from, shiftDay(week.start, -7)); // the closed week and the one before it
  }

  const tierPeriods = new Map<string, Period>();
  for (const day of [...days, today]) {
    for (const kind of ["month", "quarter", "year"] as const) {
      const period = periodContaining(kind, day, cal);
      tierPeriods.set(period.key, period);
    }
  }
  const periods = [...tierPeriods.values()];
  return { today, days, from, tierPeriods: periods, revenueFrom: periods.reduce((a, p) => minDay(a, p.start), today) };
}

// ---- the plan: what to write ----------------------------------------------------------------------------------------

export interface PlannedAlert {
  naturalKey: string;
  userId: string;
  rule: AlertRule;
  /** The level it opened at; later raises in the same plan are in `raises`. */
  level: AlertLevel;
  details: AlertDetails;
  openedAt: number;
}

/** What an alert row's `details` holds (the API returns it as is). */
export interface AlertDetails {
  anchor: string;
  customerId: string | null;
  customer?: string;
  openedOn: string;
  seniorHelp: boolean;
  nextAction: NextAction | null;
  params: Record<string, string | number>;
}

export interface PlannedRaise {
  naturalKey: string;
  level: AlertLevel;
  seniorHelp: boolean;
  nextAction: NextAction | null;
  at: number;
}

export interface PlannedResolution {
  naturalKey: string;
  reason: string;
  at: number;
}

export interface PlannedTask {
  naturalKey: string;
  alertKey: string;
  userId: string;
  assigneeId: string | null;
  kind: "coaching" | "review";
  dueDay: string | null;
  createdAt: number;
}

export interface PlannedAward {
  naturalKey: string;
  kind: "tier" | "champion" | "most_improved" | "team_pk";
  userId: string | null;
  teamId: string | null;
  periodKey: string;
  tier: number | null;
  details: Record<string, unknown>;
  createdAt: number;
}

export interface OrgPlan {
  orgId: string;
  /** New value of orgs.evaluated_through, or null to leave it. */
  evaluatedThrough: string | null;
  /** Days whose close was evaluated. */
  days: string[];
  alerts: PlannedAlert[];
  raises: PlannedRaise[];
  resolutions: PlannedResolution[];
  tasks: PlannedTask[];
  awards: PlannedAward[];
  outbox: EnqueueRow[];
}

const LEVEL_RANK: Record<AlertLevel, number> = { yellow: 1, orange: 2, red: 3 };

interface Rep extends Person {
  startDay: string;
  minimums: KpiMinimums;
}

type Counts = Partial<Record<BehaviourKind, number>>;

/** Rebuilds the domain's alert row from a stored one (details written by this module). */
function toAlertRow(stored: StoredAlert, cal: OrgCalendar): AlertRow | null {
  const d = stored.details as Partial<AlertDetails>;
  if (typeof d.anchor !== "string" || !["kpi_streak", "weekly_completion", "stale_customer"].includes(stored.rule)) return null;
  return {
    key: stored.naturalKey,
    rule: stored.rule as AlertRule,
    repId: stored.userId,
    customerId: typeof d.customerId === "string" ? d.customerId : null,
    anchor: d.anchor,
    level: stored.level,
    status: stored.status,
    openedOn: typeof d.openedOn === "string" ? d.openedOn : localDay(stored.openedAt, cal),
    resolvedOn: stored.resolvedAt === null ? null : localDay(stored.resolvedAt, cal),
    seniorHelp: d.seniorHelp === true,
    nextAction: d.nextAction ?? null,
  };
}

/** Plans everything one run writes for one org. Pure and deterministic. */
export function planOrg(facts: OrgFacts, now: number): OrgPlan {
  const { org } = facts;
  const cal = org.calendar;
  const settings = org.settings;
  const w = evaluationWindow(cal, org.evaluatedThrough, now);
  const plan: OrgPlan = { orgId: org.id, evaluatedThrough: null, days: w.days, alerts: [], raises: [], resolutions: [], tasks: [], awards: [], outbox: [] };

  // ---- people, teams, routing ----
  const peopleById = new Map(facts.people.map((p) => [p.id, p]));
  const teamsById = new Map(facts.teams.map((t) => [t.id, t]));
  const reps: Rep[] = facts.people
    .filter((p) => p.role === "rep")
    .map((p) => {
      const created = localDay(p.createdAt, cal);
      return {
        ...p,
        startDay: p.hireDate ?? created,
        minimums: kpiMinimums(p.seniority, settings.kpiOverrides, Math.min(100, Math.max(0, p.rampPercent)) / 100),
      };
    })
    .sort((a, b) => (a.id < b.id ? -1 : 1));
  const repsById = new Map(reps.map((r) => [r.id, r]));
  const teamChain = (teamId: string | null): string[] => {
    const chain: string[] = [];
    for (let id = teamId; id && !chain.includes(id); id = teamsById.get(id)?.parentId ?? null) chain.push(id);
    return chain;
  };
  const managerOf = (rep: Person): Person | null => {
    const leader = rep.teamId ? teamsById.get(rep.teamId)?.leaderId : null;
    return peopleById.get(rep.managerId ?? "") ?? peopleById.get(leader ?? "") ?? null;
  };
  /** Org-wide channels plus those of the team and every department above it. */
  const channelsFor = (teamId: string | null) => {
    const chain = new Set(teamChain(teamId));
    return facts.channels.filter((c) => c.teamId === null || chain.has(c.teamId)).sort((a, b) => (a.id < b.id ? -1 : 1));
  };
  const notify = (dedupKey: string, teamId: string | null, message: NotificationMessage) => {
    for (const channel of channelsFor(teamId)) plan.outbox.push({ orgId: org.id, channelId: channel.id, dedupKey, message, language: org.language, notBefore: now });
  };

  // ---- daily facts ----
  const countsByRep = new Map<string, Map<string, Counts & { won: number }>>();
  for (const row of facts.days) {
    const days = countsByRep.get(row.userId) ?? new Map();
    days.set(row.day, { touch: row.touch, needs_confirmed: row.needs_confirmed, proposal_sent: row.proposal_sent, demo_or_visit: row.demo_or_visit, won: row.won });
    countsByRep.set(row.userId, days);
  }
  const countsOn = (repId: string, day: string) => countsByRep.get(repId)?.get(day);
  const lastDay = w.days.at(-1) ?? null;

  // ---- targets ----
  const explicit = new Map<string, number>(); // `${rep}|${periodKey}` → amount
  const monthTargets = new Map<string, TargetRow[]>();
  for (const t of facts.targets) {
    explicit.set(`${t.userId}|${t.periodKey}`, t.amount);
    if (t.periodKind === "month") monthTargets.set(t.userId, [...(monthTargets.get(t.userId) ?? []), t]);
  }
  const workingDayCount = new Map<string, number>();
  const workingDaysOf = (p: { start: string; end: string }) => {
    const key = `${p.start}|${p.end}`;
    let n = workingDayCount.get(key);
    if (n === undefined) workingDayCount.set(key, (n = workingDaysIn(p, cal).length));
    return n;
  };
  /** The rep's weekly revenue target: explicit, else the monthly targets spread by working days. */
  const weekTarget = (repId: string, week: Period): number => {
    const own = explicit.get(`${repId}|${week.key}`);
    if (own !== undefined) return own;
    let total = 0;
    for (const m of monthTargets.get(repId) ?? []) {
      if (m.periodEnd < week.start || m.periodStart > week.end) continue;
      const inMonth = workingDaysOf({ start: m.periodStart, end: m.periodEnd });
      if (inMonth > 0) total += (m.amount * workingDaysOf({ start: maxDay(week.start, m.periodStart), end: minDay(week.end, m.periodEnd) })) / inMonth;
    }
    return Math.round(total);
  };
  const weekResult = (rep: Rep, week: Period) => {
    const counts: Counts = {};
    let revenue = 0;
    for (const day of eachDay(week.start, week.end)) {
      const c = countsOn(rep.id, day);
      if (!c) continue;
      revenue += c.won;
      for (const kind of BEHAVIOUR_KINDS) counts[kind] = (counts[kind] ?? 0) + (c[kind] ?? 0);
    }
    return { revenue, counts, target: weekTarget(rep.id, week) };
  };
  const weekScores = (week: Period): (RepScore & { result: number; process: number })[] =>
    reps.flatMap((rep) => {
      if (rep.startDay > week.start) return [];
      const r = weekResult(rep, week);
      if (r.target <= 0) return [];
      const s = weightedScore({
        result: { actual: r.revenue, target: r.target },
        process: kpiProgressFromCounts(r.counts, rep.minimums, workingDaysOf(week)),
        weights: settings.scoreWeights,
      });
      return [{ repId: rep.id, score: s.score, completion: s.result.completion, result: s.result.completion, process: s.process.mean }];
    });

  // ---- 1. day closes: the alert ladder, day by day ----
  let rows: AlertRow[] = facts.alerts.map((a) => toAlertRow(a, cal)).filter((r): r is AlertRow => r !== null);
  const storedKeys = new Set(facts.alerts.map((a) => a.naturalKey));
  const openedHere = new Map<string, PlannedAlert>();
  // Judged days of every rep (only when a day closes: an intra-day run evaluates tiers alone).
  const dailyResults = (w.days.length === 0 ? [] : reps).flatMap((rep) => {
    const first = maxDay(w.from, rep.startDay);
    const judged = lastDay && first <= lastDay ? eachDay(first, lastDay).filter((d) => isWorkingDay(d, cal)) : [];
    const results = judged.map((day) => ({ repId: rep.id, day, result: judgeDay(countsOn(rep.id, day) ?? {}, rep.minimums) }));
    // An unresolved streak that started before the loaded window stands for its days (see the module comment).
    for (const row of rows) {
      if (row.rule !== "kpi_streak" || row.repId !== rep.id || row.status === "resolved" || row.anchor >= first) continue;
      for (let d = row.anchor; d < first; d = nextWorkingDay(d, cal)) results.push({ repId: rep.id, day: d, result: "below" as const });
    }
    return results;
  });
  const closedWeeks = (through: string) =>
    reps.flatMap((rep) => {
      const weeks: { repId: string; weekStart: string; completion: number }[] = [];
      for (let week = periodContaining("week", maxDay(w.from, rep.startDay), cal); week.end <= through; week = periodContaining("week", shiftDay(week.end, 1), cal)) {
        if (week.start < w.from || week.start < rep.startDay) continue;
        const r = weekResult(rep, week);
        if (r.target > 0) weeks.push({ repId: rep.id, weekStart: week.start, completion: r.revenue / r.target });
      }
      return weeks;
    });
  const keyCustomers: KeyCustomer[] = facts.customers
    .filter((c) => repsById.has(c.userId))
    .map((c) => ({ repId: c.userId, customerId: c.id, label: c.label, lastResponseAt: c.lastResponseAt, keySince: c.createdAt }));
  const customerLabel = new Map(facts.customers.map((c) => [c.id, c.label]));

  for (const day of w.days) {
    const evalNow = startOfLocalDay(shiftDay(day, 1), cal).getTime();
    const evaluation = evaluateAlerts({
      calendar: cal,
      now: evalNow,
      dailyResults,
      weeklyResults: closedWeeks(day),
      keyCustomers,
      existing: rows,
      rules: { staleAfterDays: settings.keyCustomerSilenceDays },
    });
    const evalToday = shiftDay(day, 1);
    const paramsOf = new Map(evaluation.notifications.map((n) => [n.alertKey, n.params]));
    const dueOf = new Map(evaluation.coachingTasks.map((t) => [t.alertKey, t.due]));
    for (const row of evaluation.open) {
      if (storedKeys.has(row.key) || openedHere.has(row.key)) continue;
      const planned: PlannedAlert = {
        naturalKey: row.key,
        userId: row.repId,
        rule: row.rule,
        level: row.level,
        openedAt: evalNow,
        details: {
          anchor: row.anchor,
          customerId: row.customerId,
          ...(row.customerId ? { customer: customerLabel.get(row.customerId) ?? "" } : {}),
          openedOn: row.openedOn,
          seniorHelp: row.seniorHelp,
          nextAction: row.nextAction,
          params: paramsOf.get(row.key) ?? {},
        },
      };
      openedHere.set(row.key, planned);
      plan.alerts.push(planned);
    }
    for (const e of evaluation.escalate) plan.raises.push({ naturalKey: e.key, level: e.to, seniorHelp: e.seniorHelp, nextAction: e.nextAction, at: evalNow });
    for (const r of evaluation.resolve) plan.resolutions.push({ naturalKey: r.key, reason: r.reason, at: evalNow });
    for (const task of evaluation.coachingTasks) {
      const rep = repsById.get(task.repId);
      plan.tasks.push({ naturalKey: task.key, alertKey: task.alertKey, userId: task.repId, assigneeId: rep ? (managerOf(rep)?.id ?? null) : null, kind: "coaching", dueDay: task.due, createdAt: evalNow });
    }
    for (const item of evaluation.reviewItems) {
      const rep = repsById.get(item.repId);
      plan.tasks.push({ naturalKey: item.key, alertKey: item.alertKey, userId: item.repId, assigneeId: rep ? (managerOf(rep)?.id ?? null) : null, kind: "review", dueDay: nextWorkingDay(day, cal), createdAt: evalNow });
    }
    for (const n of evaluation.notifications) {
      const rep = repsById.get(n.repId);
      if (rep) notify(n.key, rep.teamId, alertMessage(n, rep, dueOf.get(n.alertKey) ?? nextWorkingDay(evalToday, cal)));
    }
    rows = applyAlertEvaluation(rows, evaluation, evalToday);

    // ---- 2. week closes ----
    const week = periodContaining("week", day, cal);
    if (week.end === day) planWeekClose(week, evalNow);
  }
  if (lastDay) plan.evaluatedThrough = lastDay;

  /** The message for one alert notification of the domain engine. */
  function alertMessage(n: AlertNotification, rep: Rep, coachingDueDay: string): NotificationMessage {
    const p = n.params;
    switch (n.rule) {
      case "kpi_streak": {
        const common = { repName: rep.name, consecutiveDays: Number(p.streakDays), lastDay: String(p.lastDay) };
        if (n.level === "yellow") {
          const counts: Counts = countsOn(rep.id, common.lastDay) ?? {};
          const shortfalls = BEHAVIOUR_KINDS.filter((k) => (counts[k] ?? 0) < rep.minimums[k]).map((kind) => ({ kind, count: counts[kind] ?? 0, minimum: rep.minimums[kind] }));
          return { kind: "alert_yellow", params: { ...common, shortfalls } };
        }
        const manager = managerOf(rep);
        return { kind: "alert_orange", params: { ...common, ...(manager ? { managerName: manager.name } : {}), coachingDueDay } };
      }
      case "weekly_completion": {
        const week = periodFromKey(String(p.week), cal);
        const r = weekResult(rep, week);
        return { kind: "alert_red", params: { repName: rep.name, weekStart: week.start, weekEnd: week.end, completion: r.target > 0 ? r.revenue / r.target : 0, threshold: DEFAULT_ALERT_RULES.redWeeklyCompletion } };
      }
      case "stale_customer":
        return {
          kind: "stale_customer",
          params: {
            repName: rep.name,
            customer: (customerLabel.get(String(p.customerId)) || "—").slice(0, 80),
            silentDays: Number(p.silentDays),
            nextAction: n.level === "yellow" ? "value_follow_up" : "roi_summary",
            escalated: n.level !== "yellow",
          },
        };
    }
  }

  function planWeekClose(week: Period, at: number) {
    const current = weekScores(week);
    const previous = weekScores(periodContaining("week", shiftDay(week.start, -1), cal));
    const range = { weekStart: week.start, weekEnd: week.end };
    const champion = weeklyChampion(current);
    if (champion) {
      const s = current.find((c) => c.repId === champion.repId)!;
      const rep = repsById.get(champion.repId)!;
      const team = rep.teamId ? teamsById.get(rep.teamId) : undefined;
      const key = `champion:${week.key}`;
      plan.awards.push({ naturalKey: key, kind: "champion", userId: rep.id, teamId: rep.teamId, periodKey: week.key, tier: null, details: { score: s.score, result: s.result, process: s.process }, createdAt: at });
      notify(key, rep.teamId, { kind: "weekly_champion", params: { repName: rep.name, ...(team ? { teamName: team.name } : {}), ...range, score: s.score, result: s.result, process: s.process } });
    }
    const improved = mostImproved(current, previous);
    if (improved) {
      const rep = repsById.get(improved.repId)!;
      const before = improved.score - improved.gain;
      const key = `most_improved:${week.key}`;
      plan.awards.push({ naturalKey: key, kind: "most_improved", userId: rep.id, teamId: rep.teamId, periodKey: week.key, tier: null, details: { score: improved.score, previousScore: before, gain: improved.gain }, createdAt: at });
      notify(key, rep.teamId, { kind: "most_improved", params: { repName: rep.name, ...range, previousScore: before, score: improved.score } });
    }
    const members = new Map<string, { repId: string; actual: number; target: number }[]>();
    for (const rep of reps) {
      if (!rep.teamId || rep.startDay > week.start) continue;
      const r = weekResult(rep, week);
      members.set(rep.teamId, [...(members.get(rep.teamId) ?? []), { repId: rep.id, actual: r.revenue, target: r.target }]);
    }
    const pk = teamPk([...members].map(([teamId, list]) => ({ teamId, members: list })));
    const ranked = pk.standings.filter((s) => s.average !== null && teamsById.has(s.teamId));
    if (pk.winner && ranked.length >= 2) {
      const key = `team_pk:${week.key}`;
      plan.awards.push({ naturalKey: key, kind: "team_pk", userId: null, teamId: pk.winner, periodKey: week.key, tier: null, details: { standings: ranked }, createdAt: at });
      notify(key, null, {
        kind: "team_pk",
        params: { ...range, winner: teamsById.get(pk.winner)!.name, standings: ranked.slice(0, 50).map((s) => ({ team: teamsById.get(s.teamId)!.name, average: Math.min(100, s.average!), rank: s.rank! })) },
      });
    }
    // Weekly review digest (复盘) for each team leader, with the alert levels as they stand after this day.
    const liveLevel = new Map<string, AlertLevel>();
    for (const row of rows) {
      if (row.status === "resolved") continue;
      const seen = liveLevel.get(row.repId);
      if (!seen || LEVEL_RANK[row.level] > LEVEL_RANK[seen]) liveLevel.set(row.repId, row.level);
    }
    const tally = (pairs: Iterable<[string, number]>) => {
      const m = new Map<string, number>();
      for (const [k, n] of pairs) m.set(k, (m.get(k) ?? 0) + n);
      return m;
    };
    const alertsByRep = tally(rows.filter((r) => r.status !== "resolved").map((r) => [r.repId, 1] as [string, number]));
    const tasksByRep = tally([...facts.openTasks.map((t) => [t.userId, t.n] as [string, number]), ...plan.tasks.map((t) => [t.userId, 1] as [string, number])]);
    const openAlerts = (repId: string) => alertsByRep.get(repId) ?? 0;
    const openTasks = (repId: string) => tasksByRep.get(repId) ?? 0;
    const repsByTeam = new Map<string, Rep[]>();
    for (const rep of reps) if (rep.teamId) repsByTeam.set(rep.teamId, [...(repsByTeam.get(rep.teamId) ?? []), rep]);
    for (const team of [...teamsById.values()].sort((a, b) => (a.id < b.id ? -1 : 1))) {
      const leader = team.leaderId ? peopleById.get(team.leaderId) : undefined;
      const teamReps = (repsByTeam.get(team.id) ?? []).filter((r) => r.startDay <= week.end);
      if (!leader || teamReps.length === 0) continue;
      let actual = 0;
      let target = 0;
      const lines = teamReps.map((rep) => {
        const r = weekResult(rep, week);
        actual += r.revenue;
        target += r.target;
        return { name: rep.name, completion: r.target > 0 ? Math.min(100, r.revenue / r.target) : 0, alertLevel: liveLevel.get(rep.id) ?? null };
      });
      notify(`digest:${team.id}:${week.key}`, team.id, {
        kind: "weekly_review_digest",
        params: {
          managerName: leader.name,
          teamName: team.name,
          ...range,
          teamCompletion: target > 0 ? Math.min(100, actual / target) : 0,
          reps: lines.slice(0, 200),
          openAlerts: teamReps.reduce((n, r) => n + openAlerts(r.id), 0),
          openTasks: teamReps.reduce((n, r) => n + openTasks(r.id), 0),
        },
      });
    }
  }

  // ---- 3. tiers, every run ----
  const revenue = new Map<string, number>(); // `${rep}|${YYYY-MM}` → amount
  for (const r of facts.monthRevenue) revenue.set(`${r.userId}|${r.month}`, r.amount);
  const given = new Set(facts.tierAwardKeys);
  for (const period of w.tierPeriods) {
    const months = eachMonth(period.start, period.end);
    const results = reps.flatMap((rep) => {
      const target = explicit.get(`${rep.id}|${period.key}`) ?? 0;
      if (target <= 0) return [];
      const actual = months.reduce((a, m) => a + (revenue.get(`${rep.id}|${m}`) ?? 0), 0);
      return [{ repId: rep.id, periodKey: period.key, actual, target }];
    });
    const resultsByRep = new Map(results.map((x) => [x.repId, x]));
    for (const award of tierCrossings(results, [], settings.tiers)) {
      const key = `tier:${award.key}`;
      if (given.has(key)) continue;
      const rep = repsById.get(award.repId)!;
      const r = resultsByRep.get(award.repId)!;
      plan.awards.push({
        naturalKey: key,
        kind: "tier",
        userId: rep.id,
        teamId: rep.teamId,
        periodKey: period.key,
        tier: award.percent,
        details: { tierId: award.tierId, percent: award.percent, periodKind: period.kind, actual: r.actual, target: r.target },
        createdAt: now,
      });
      notify(key, rep.teamId, {
        kind: "tier_reached",
        params: { repName: rep.name, tierPercent: award.percent, periodKind: period.kind as "month" | "quarter" | "year", periodKey: period.key, completion: Math.min(100, r.actual / r.target) },
      });
    }
  }
  return plan;
}

/** 'YYYY-MM' of every month overlapping [start, end]. */
function eachMonth(start: string, end: string): string[] {
  const out: string[] = [];
  let y = Number(start.slice(0, 4));
  let m = Number(start.slice(5, 7));
  for (;;) {
    const key = `${String(y).padStart(4, "0")}-${String(m).padStart(2, "0")}`;
    if (`${key}-01` > end) return out;
    out.push(key);
    if (++m > 12) [y, m] = [y + 1, 1];
  }
}
