import {
  elapsedWorkingDays,
  isWorkingDay,
  localDay,
  previousWorkingDay,
  remainingWorkingDays,
  workingDaysIn,
  type OrgCalendar,
  type Period,
} from "../../shared/domain/calendar";
import { shiftDay } from "../../shared/domain/day";
import { distanceToNextTier, kpiProgressFromCounts, weightedScore } from "../../shared/domain/incentives";
import { BEHAVIOUR_KINDS, type BehaviourKind, type Seniority } from "../../shared/domain/kinds";
import { judgeDay, kpiMinimums, type KpiMinimums } from "../../shared/domain/kpi";
import { nextActionPrompts } from "../../shared/domain/prompts";
import { computeProgress } from "../../shared/domain/progress";
import type { OrgSettings } from "../../shared/schemas/settings";
import type { RepProgress } from "../../shared/schemas/progress";
import { iso, isoOrNull } from "../time";

/** How many closed working days back streaks are counted. */
export const STREAK_LOOKBACK_DAYS = 20;
/** History window for the rep's value per action (tier distance in actions). */
export const VALUE_WINDOW_DAYS = 90;

export interface ReadWindow {
  today: string;
  month: Period;
  /** First day of the daily-count window: covers the month and the streak lookback. */
  from: string;
  valueFrom: string;
}

export function readWindow(today: string, month: Period, cal: OrgCalendar): ReadWindow {
  let lookback = today;
  for (let i = 0; i < STREAK_LOOKBACK_DAYS; i++) lookback = previousWorkingDay(lookback, cal);
  return { today, month, from: lookback < month.start ? lookback : month.start, valueFrom: shiftDay(today, -VALUE_WINDOW_DAYS) };
}

/** Whose progress: the fields the read model needs of a rep. */
export interface RepSubject {
  id: string;
  seniority: Seniority;
  rampPercent: number;
  /** Hire date (local YYYY-MM-DD), if set: the first day judged against the KPIs. */
  hireDate: string | null;
  /** Account creation (epoch ms): without a hire date, the first judged day is its local day (as in worker/cron/plan.ts). */
  createdAt: number;
}

export interface RepFacts {
  user: RepSubject;
  /** Rows of dailyCounts for this user. */
  daily: { day: string; kind: string; n: number; amount: number }[];
  /** Rows of kindTotals for this user (value window). */
  totals: { kind: string; n: number; amount: number }[];
  monthTarget: number;
  alerts: { id: string; level: "yellow" | "orange" | "red"; rule: string; status: "open" | "acknowledged" | "resolved"; openedAt: number }[];
  keyCustomers: { id: string; label: string; lastResponseAt: number | null; createdAt: number }[];
  lastActivityAt: number | null;
}

const LEVEL_RANK = { yellow: 1, orange: 2, red: 3 } as const;

/** Consecutive closed working days, newest first, that meet or miss the KPIs. */
function streaks(byDay: Map<string, Partial<Record<BehaviourKind, number>>>, minimums: KpiMinimums, w: ReadWindow, cal: OrgCalendar, startDay: string) {
  let meets = 0;
  let below = 0;
  let day = previousWorkingDay(w.today, cal);
  // Days before the rep started are not theirs to meet or miss.
  const first = startDay > w.from ? startDay : w.from;
  for (let i = 0; i < STREAK_LOOKBACK_DAYS && day >= first; i++, day = previousWorkingDay(day, cal)) {
    const verdict = judgeDay(byDay.get(day) ?? {}, minimums);
    if (verdict === "meets" && below === 0) meets++;
    else if (verdict === "below" && meets === 0) below++;
    else break;
  }
  return { meets, below };
}

/** Everything a rep's HUD shows, from facts loaded set-based. Pure: no I/O, time from `now`. */
export function buildRepProgress(facts: RepFacts, w: ReadWindow, now: number, cal: OrgCalendar, settings: OrgSettings) {
  const minimums = kpiMinimums(facts.user.seniority, settings.kpiOverrides, facts.user.rampPercent / 100);
  const byDay = new Map<string, Partial<Record<BehaviourKind, number>>>();
  const monthCounts: Partial<Record<BehaviourKind, number>> = {};
  let monthRevenue = 0;
  for (const row of facts.daily) {
    if (row.kind === "won" && row.day >= w.month.start && row.day <= w.month.end) monthRevenue += row.amount;
    if (!(BEHAVIOUR_KINDS as readonly string[]).includes(row.kind)) continue;
    const kind = row.kind as BehaviourKind;
    const counts = byDay.get(row.day) ?? {};
    counts[kind] = (counts[kind] ?? 0) + row.n;
    byDay.set(row.day, counts);
    if (row.day >= w.month.start && row.day <= w.today) monthCounts[kind] = (monthCounts[kind] ?? 0) + row.n;
  }
  const todayCounts = byDay.get(w.today) ?? {};
  const working = isWorkingDay(w.today, cal);

  const workingDays = workingDaysIn(w.month, cal).length;
  const elapsed = elapsedWorkingDays(w.month, now, cal);
  const remaining = remainingWorkingDays(w.month, now, cal);
  const p = computeProgress({
    target: facts.monthTarget,
    actual: monthRevenue,
    elapsedWorkingDays: elapsed,
    totalWorkingDays: workingDays,
    remainingWorkingDays: remaining,
    bands: settings.colourBands,
  });

  const daysToDate = elapsed + (working ? 1 : 0);
  const score = weightedScore({
    result: { actual: monthRevenue, target: facts.monthTarget },
    process: kpiProgressFromCounts(monthCounts, minimums, daysToDate),
    weights: settings.scoreWeights,
  });

  // Value per action from the rep's own history: revenue per proposal, else per won deal.
  const total = (kind: string) => facts.totals.find((t) => t.kind === kind);
  const wonAmount = total("won")?.amount ?? 0;
  const proposals = total("proposal_sent")?.n ?? 0;
  const deals = total("won")?.n ?? 0;
  const perAction =
    wonAmount > 0 && proposals > 0 ? { kind: "proposal_sent" as const, value: wonAmount / proposals } : wonAmount > 0 && deals > 0 ? { kind: "won" as const, value: wonAmount / deals } : null;
  const distance = distanceToNextTier({ actual: monthRevenue, target: facts.monthTarget, valuePerAction: perAction?.value ?? 1, tiers: settings.tiers });
  const tierDistance = distance
    ? { tierId: distance.tier.id, percent: distance.tier.percent, missing: distance.missing, actions: perAction ? distance.actions : null, actionKind: perAction?.kind ?? null }
    : null;

  const streak = streaks(byDay, minimums, w, cal, facts.user.hireDate ?? localDay(facts.user.createdAt, cal));
  const live = facts.alerts.filter((a) => a.status !== "resolved");
  const alertLevel = live.reduce<"yellow" | "orange" | "red" | null>((top, a) => (top === null || LEVEL_RANK[a.level] > LEVEL_RANK[top] ? a.level : top), null);

  const progress: RepProgress = {
    userId: facts.user.id,
    day: w.today,
    isWorkingDay: working,
    today: { kpis: BEHAVIOUR_KINDS.map((kind) => ({ kind, count: todayCounts[kind] ?? 0, minimum: minimums[kind] })), status: judgeDay(todayCounts, minimums) },
    period: {
      kind: "month",
      key: w.month.key,
      start: w.month.start,
      end: w.month.end,
      metric: "revenue",
      target: facts.monthTarget,
      actual: monthRevenue,
      ...p,
      workingDays,
      elapsedWorkingDays: elapsed,
      remainingWorkingDays: remaining,
    },
    score: {
      score: score.score,
      result: { completion: score.result.completion, weight: score.result.weight, contribution: score.result.contribution },
      process: { mean: score.process.mean, weight: score.process.weight, contribution: score.process.contribution, kpis: score.process.kpis },
    },
    tierDistance,
    streak,
    alertLevel,
    lastActivityAt: isoOrNull(facts.lastActivityAt),
  };

  const prompts = () =>
    nextActionPrompts({
      repId: facts.user.id,
      now,
      calendar: cal,
      minimums,
      todayCounts,
      belowStreak: streak.below,
      keyCustomers: facts.keyCustomers.map((k) => ({ repId: facts.user.id, customerId: k.id, label: k.label, lastResponseAt: k.lastResponseAt, keySince: k.createdAt })),
      ...(perAction && facts.monthTarget > 0
        ? { tierGoal: { periodKey: w.month.key, actual: monthRevenue, target: facts.monthTarget, actionKind: perAction.kind, valuePerAction: perAction.value, tiers: settings.tiers } }
        : {}),
      runRate: { periodKey: w.month.key, metric: "revenue", target: facts.monthTarget, actual: monthRevenue, remainingWorkingDays: remaining },
      options: { staleAfterDays: settings.keyCustomerSilenceDays, limit: 5 },
    }).map(({ id, type, messageKey, params, priority }) => ({ id, type, messageKey, params, priority }));

  const alerts = live.map((a) => ({ id: a.id, level: a.level, rule: a.rule, status: a.status as "open" | "acknowledged", openedAt: iso(a.openedAt) }));
  return { progress, prompts, alerts };
}
