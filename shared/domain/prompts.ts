/**
 * Next-action prompts: a ranked, explainable list of what a rep should do now.
 *
 * Each prompt has a stable id (`type:rep:subject:day-or-period`, ids URI-encoded — the same situation on the same day
 * always has the same id, so a UI can dismiss it), an i18n message key with parameters (never English text), a priority
 * (higher first; ties by id) and `because`: the rule and the facts that triggered it.
 *
 * | type             | when                                                        | priority                              |
 * |------------------|-------------------------------------------------------------|---------------------------------------|
 * | `streak_risk`    | today is a working day, KPIs not met yet, and the last      | 90 if today below → orange,           |
 * |                  | closed working day(s) were below                            | 80 if → yellow                        |
 * | `stale_customer` | a key customer silent > 7 days                              | 60 + 3 per extra day, at most 95      |
 * | `kpi_gap`        | today is a working day and a KPI is short                   | 50 + 30 × missing / minimum (50–80)   |
 * | `next_tier`      | the next incentive tier is ≤ 10 actions away                | 40 + 3 × (10 − actions) (40–70)       |
 * | `run_rate`       | the period target needs more per remaining working day      | 30                                    |
 *
 * The stale-customer action is a value follow-up up to 10 silent days, an ROI summary after (matching the alert ladder).
 */
import type { KeyCustomer } from './alerts';
import { isWorkingDay, localDay, type OrgCalendar } from './calendar';
import { dayDiff } from './day';
import { distanceToNextTier, type Tier } from './incentives';
import { BEHAVIOUR_KINDS, type ActivityKind, type BehaviourKind } from './kinds';
import { judgeDay, type KpiMinimums } from './kpi';

export type PromptType = 'streak_risk' | 'stale_customer' | 'kpi_gap' | 'next_tier' | 'run_rate';

export interface Prompt {
  id: string;
  type: PromptType;
  /** i18n key, e.g. 'prompt.kpi_gap'. */
  messageKey: `prompt.${PromptType}`;
  params: Record<string, string | number>;
  priority: number;
  because: { rule: string; facts: Record<string, string | number> };
}

export interface PromptInput {
  repId: string;
  now: Date | number;
  calendar: OrgCalendar;
  minimums: KpiMinimums;
  /** Today's counts so far. */
  todayCounts: Partial<Record<BehaviourKind, number>>;
  /** Consecutive closed working days below KPI ending on the last closed working day (0 if it met them). */
  belowStreak?: number;
  /** The rep's key customers (others are ignored). */
  keyCustomers?: readonly KeyCustomer[];
  /** Progress towards the next incentive tier, measured in actions of `actionKind`. */
  tierGoal?: { periodKey: string; actual: number; target: number; actionKind: ActivityKind | 'revenue'; valuePerAction: number; tiers?: readonly Tier[] };
  /** The period target to keep pace with. */
  runRate?: { periodKey: string; metric: ActivityKind | 'revenue'; target: number; actual: number; remainingWorkingDays: number };
  options?: { staleAfterDays?: number; orangeStreak?: number; maxTierActions?: number; limit?: number };
}

const enc = encodeURIComponent;

export function nextActionPrompts(input: PromptInput): Prompt[] {
  const { repId, calendar: cal, minimums } = input;
  const staleAfterDays = input.options?.staleAfterDays ?? 7;
  const orangeStreak = input.options?.orangeStreak ?? 3;
  const maxTierActions = input.options?.maxTierActions ?? 10;
  const today = localDay(input.now, cal);
  const working = isWorkingDay(today, cal);
  const prompts: Prompt[] = [];
  const add = (type: PromptType, subject: string, params: Prompt['params'], priority: number, facts: Prompt['because']['facts']) => {
    prompts.push({ id: `${type}:${enc(repId)}:${subject}`, type, messageKey: `prompt.${type}`, params, priority, because: { rule: type, facts } });
  };

  const belowStreak = input.belowStreak ?? 0;
  if (working && belowStreak > 0 && judgeDay(input.todayCounts, minimums) === 'below') {
    const nextLevel = belowStreak + 1 >= orangeStreak ? 'orange' : 'yellow';
    add('streak_risk', today, { belowDays: belowStreak, nextLevel }, nextLevel === 'orange' ? 90 : 80, { belowStreak, today });
  }

  const latest = new Map<string, { customer: KeyCustomer; since: string }>();
  for (const customer of input.keyCustomers ?? []) {
    if (customer.repId !== repId) continue;
    const reference = customer.lastResponseAt ?? customer.keySince ?? null;
    if (reference === null) continue;
    const since = localDay(reference, cal);
    const seen = latest.get(customer.customerId);
    if (!seen || since > seen.since || (since === seen.since && (customer.label ?? '') > (seen.customer.label ?? ''))) {
      latest.set(customer.customerId, { customer, since });
    }
  }
  for (const [customerId, { customer, since }] of latest) {
    const silentDays = dayDiff(since, today);
    if (silentDays <= staleAfterDays) continue;
    const action = silentDays > staleAfterDays + 3 ? 'send_roi_summary' : 'send_value_follow_up';
    add('stale_customer', `${enc(customerId)}:${since}`, { customer: customer.label ?? '', customerId, silentDays, action }, Math.min(95, 60 + 3 * (silentDays - staleAfterDays - 1)), {
      lastResponseDay: since,
      silentDays,
      staleAfterDays,
    });
  }

  if (working) {
    for (const kind of BEHAVIOUR_KINDS) {
      const done = input.todayCounts[kind] ?? 0;
      const minimum = minimums[kind];
      const missing = minimum - done;
      if (missing <= 0) continue;
      add('kpi_gap', `${kind}:${today}`, { kind, missing, minimum, done }, 50 + Math.round((30 * missing) / minimum), { kind, done, minimum, today });
    }
  }

  if (input.tierGoal) {
    const goal = input.tierGoal;
    const distance = distanceToNextTier({ actual: goal.actual, target: goal.target, valuePerAction: goal.valuePerAction, ...(goal.tiers ? { tiers: goal.tiers } : {}) });
    if (distance && distance.actions <= maxTierActions) {
      add('next_tier', `${enc(goal.periodKey)}:${enc(distance.tier.id)}`, { actions: distance.actions, kind: goal.actionKind, tier: distance.tier.id, percent: distance.tier.percent }, 40 + 3 * (maxTierActions - distance.actions), {
        actual: goal.actual,
        target: goal.target,
        missing: distance.missing,
        valuePerAction: goal.valuePerAction,
      });
    }
  }

  if (input.runRate && input.runRate.remainingWorkingDays > 0 && input.runRate.target > input.runRate.actual) {
    const { periodKey, metric, target, actual, remainingWorkingDays } = input.runRate;
    // Rounded up to one decimal: "need 2.3 per day" must not under-state the need.
    const perDay = Math.ceil(Math.round(((target - actual) / remainingWorkingDays) * 1e9) / 1e8) / 10;
    add('run_rate', `${enc(metric)}:${enc(periodKey)}`, { metric, perDay, percent: 100 }, 30, { target, actual, remainingWorkingDays });
  }

  prompts.sort((a, b) => b.priority - a.priority || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return input.options?.limit === undefined ? prompts : prompts.slice(0, input.options.limit);
}
