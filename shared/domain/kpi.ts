/**
 * Daily behaviour KPIs (DOMAIN.md "Daily behaviour KPIs").
 *
 * Minimums are per working day and per seniority; an org may override any of them. A ramping new hire gets the minimums
 * scaled by `ramp` (0..1), rounded **up** so that any positive ramp still asks for at least one of each non-zero KPI.
 * A closed working day `meets` when every KPI reaches its minimum, otherwise it is `below`.
 */
import { BEHAVIOUR_KINDS, type BehaviourKind, type Seniority } from './kinds';

export type KpiMinimums = Record<BehaviourKind, number>;
export type KpiOverrides = Partial<Record<Seniority, Partial<Record<BehaviourKind, number>>>>;
export type DayJudgement = 'meets' | 'below';

export const DEFAULT_KPI_BY_SENIORITY: Record<Seniority, KpiMinimums> = {
  junior: { touch: 8, needs_confirmed: 2, proposal_sent: 1, demo_or_visit: 1 },
  mid: { touch: 6, needs_confirmed: 3, proposal_sent: 2, demo_or_visit: 2 },
  senior: { touch: 4, needs_confirmed: 3, proposal_sent: 3, demo_or_visit: 3 },
};

function assertCount(value: number, what: string): void {
  if (!Number.isInteger(value) || value < 0) throw new RangeError(`${what} must be a non-negative integer, got ${value}`);
}

/**
 * The daily minimums for a rep: defaults for the seniority, then org overrides, then the ramp factor
 * (`ceil(minimum × ramp)`, computed so that float noise such as 10 × 0.7 = 7.000000000000001 does not round up).
 */
export function kpiMinimums(seniority: Seniority, overrides?: KpiOverrides, ramp = 1): KpiMinimums {
  const defaults = DEFAULT_KPI_BY_SENIORITY[seniority];
  if (!defaults) throw new RangeError(`unknown seniority ${JSON.stringify(seniority)}`);
  if (!Number.isFinite(ramp) || ramp < 0 || ramp > 1) throw new RangeError(`ramp must be within 0..1, got ${ramp}`);
  const own = overrides?.[seniority] ?? {};
  const result = {} as KpiMinimums;
  for (const kind of BEHAVIOUR_KINDS) {
    const minimum = own[kind] ?? defaults[kind];
    assertCount(minimum, `KPI override ${seniority}.${kind}`);
    result[kind] = Math.ceil(Math.round(minimum * ramp * 1e6) / 1e6);
  }
  return result;
}

/** Judge one closed working day: `meets` when every KPI count reaches its minimum (a missing count is 0). */
export function judgeDay(counts: Partial<Record<BehaviourKind, number>>, minimums: KpiMinimums): DayJudgement {
  for (const kind of BEHAVIOUR_KINDS) {
    if ((counts[kind] ?? 0) < minimums[kind]) return 'below';
  }
  return 'meets';
}

/** How many more of each kind are needed to meet the minimums (0 when already met). */
export function kpiShortfall(counts: Partial<Record<BehaviourKind, number>>, minimums: KpiMinimums): KpiMinimums {
  const result = {} as KpiMinimums;
  for (const kind of BEHAVIOUR_KINDS) result[kind] = Math.max(0, minimums[kind] - (counts[kind] ?? 0));
  return result;
}
