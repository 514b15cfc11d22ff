/**
 * Funnel (DOMAIN.md "Funnel"): lead → first_contact → needs_confirmed → quote → won.
 *
 * Conversion of a stage = count of the next stage / count of this stage, in the same period and scope; null when this
 * stage's count is 0 (no denominator), and null for `won` (no next stage). Conversions above 1 are kept as they are
 * (a deal can enter the funnel mid-way); they are data, not errors. Scope (rep, team) and period are the caller's filter:
 * `countFunnel` counts whatever activities it is given, `funnelBy` groups them by any key.
 */
import { FUNNEL_KINDS, type ActivityKind, type FunnelKind } from './kinds';

export interface FunnelStage {
  kind: FunnelKind;
  count: number;
  /** The next stage's count / this count; null when this count is 0 or for the last stage. */
  conversion: number | null;
}

export interface Funnel {
  stages: FunnelStage[];
  /** won / lead; null when there is no lead. */
  overall: number | null;
}

export function computeFunnel(counts: Partial<Record<FunnelKind, number>>): Funnel {
  const values = FUNNEL_KINDS.map((kind) => {
    const count = counts[kind] ?? 0;
    if (!Number.isSafeInteger(count) || count < 0) throw new RangeError(`count of ${kind} must be a non-negative integer, got ${count}`);
    return count;
  });
  const stages = FUNNEL_KINDS.map((kind, i) => {
    const count = values[i]!;
    const next = values[i + 1];
    return { kind, count, conversion: next === undefined || count === 0 ? null : next / count };
  });
  const leads = values[0]!;
  return { stages, overall: leads === 0 ? null : values[values.length - 1]! / leads };
}

/** Count funnel activities by kind (other kinds are ignored). `count` defaults to 1 per activity. */
export function countFunnel(activities: Iterable<{ kind: ActivityKind; count?: number }>): Record<FunnelKind, number> {
  const counts = Object.fromEntries(FUNNEL_KINDS.map((kind) => [kind, 0])) as Record<FunnelKind, number>;
  for (const { kind, count } of activities) {
    if ((FUNNEL_KINDS as readonly string[]).includes(kind)) counts[kind as FunnelKind] += count ?? 1;
  }
  return counts;
}

/** One funnel per group (e.g. per rep, team or period key), groups sorted by key. */
export function funnelBy<T extends { kind: ActivityKind; count?: number }>(activities: Iterable<T>, groupOf: (activity: T) => string): Array<{ group: string; funnel: Funnel }> {
  const groups = new Map<string, T[]>();
  for (const activity of activities) {
    const group = groupOf(activity);
    const list = groups.get(group) ?? [];
    list.push(activity);
    groups.set(group, list);
  }
  return [...groups.keys()]
    .sort()
    .map((group) => ({ group, funnel: computeFunnel(countFunnel(groups.get(group)!)) }));
}
