/**
 * Incentives and recognition (DOMAIN.md "Incentives and recognition").
 *
 * - Tiers on period completion (default 60 % base, 80 % advanced, 100 % top; integer percents, configurable). A tier is
 *   reached when actual × 100 ≥ target × percent (exact integers). Each (rep, period, tier) is awarded once: the award key
 *   is `rep:period:tier`, and `tierCrossings` never returns an award already given. A zero target earns no tier.
 * - Distance to the next tier, in actions of one kind: ceil(missing / value per action) ("3 more proposals → 80 %").
 * - Weighted score = 70 % result + 30 % process (weights configurable, normalised by their sum), with the breakdown.
 *   Result = completion of the primary target (uncapped unless `resultCap` is given; a zero target counts as 1).
 *   Process = mean over the KPIs of min(actual / required, 1) (a KPI requiring 0 counts as 1; no KPIs counts as 1).
 * - Weekly champion: highest score; ties → higher result completion, then lower rep id.
 * - Most improved: largest positive week-over-week score gain among reps scored in both weeks; ties → higher current
 *   score, then lower rep id; null when nobody improved.
 * - Team PK: teams ranked by the average completion of members who have a target; equal averages share a rank; the winner
 *   is null on a tie at the top.
 * - Points per activity kind (defaults below, configurable).
 * - Leaderboard: ranked by % of own target (never raw counts), compared exactly; equal completions share a rank
 *   (1, 1, 3) and are listed by rep id; reps without a target are not ranked. Privacy modes: 'full', 'neighbours'
 *   (the viewer and up to 2 places above and below), 'self'. Rows carry completion and rank only, never amounts.
 */
import { ACTIVITY_KINDS, BEHAVIOUR_KINDS, type ActivityKind } from './kinds';
import type { KpiMinimums } from './kpi';

export interface Tier {
  id: string;
  /** Integer percent of the target, e.g. 80. */
  percent: number;
}

export const DEFAULT_TIERS: readonly Tier[] = [
  { id: 'base', percent: 60 },
  { id: 'advanced', percent: 80 },
  { id: 'top', percent: 100 },
];

export interface PeriodResult {
  repId: string;
  periodKey: string;
  actual: number;
  target: number;
}

export interface TierAward {
  /** `rep:period:tier` (ids URI-encoded): insert-or-ignore on this key. */
  key: string;
  repId: string;
  periodKey: string;
  tierId: string;
  percent: number;
}

const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function assertCount(value: number, what: string): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${what} must be a non-negative integer, got ${value}`);
}

function sortedTiers(tiers: readonly Tier[]): Tier[] {
  const ids = new Set<string>();
  for (const tier of tiers) {
    if (!Number.isInteger(tier.percent) || tier.percent <= 0) throw new RangeError(`tier ${tier.id} needs a positive integer percent`);
    if (ids.has(tier.id)) throw new RangeError(`duplicate tier id ${tier.id}`);
    ids.add(tier.id);
  }
  return [...tiers].sort((a, b) => a.percent - b.percent || compareText(a.id, b.id));
}

/** Whether actual/target reaches `percent` %, in exact integer arithmetic. A zero target reaches nothing. */
export function reachesPercent(actual: number, target: number, percent: number): boolean {
  assertCount(actual, 'actual');
  assertCount(target, 'target');
  return target > 0 && BigInt(actual) * 100n >= BigInt(target) * BigInt(percent);
}

/** The tiers reached, lowest first. */
export function tiersReached(actual: number, target: number, tiers: readonly Tier[] = DEFAULT_TIERS): Tier[] {
  return sortedTiers(tiers).filter((tier) => reachesPercent(actual, target, tier.percent));
}

export function tierAwardKey(repId: string, periodKey: string, tierId: string): string {
  return [repId, periodKey, tierId].map(encodeURIComponent).join(':');
}

/**
 * New tier awards: every tier reached by a result that has not been awarded yet for that (rep, period). Repeated results
 * for the same (rep, period) count once (the highest). Sorted by key.
 */
export function tierCrossings(
  results: readonly PeriodResult[],
  awarded: readonly Pick<TierAward, 'repId' | 'periodKey' | 'tierId'>[],
  tiers: readonly Tier[] = DEFAULT_TIERS,
): TierAward[] {
  const given = new Set(awarded.map((a) => tierAwardKey(a.repId, a.periodKey, a.tierId)));
  const awards = new Map<string, TierAward>();
  for (const { repId, periodKey, actual, target } of results) {
    for (const tier of tiersReached(actual, target, tiers)) {
      const key = tierAwardKey(repId, periodKey, tier.id);
      if (!given.has(key)) awards.set(key, { key, repId, periodKey, tierId: tier.id, percent: tier.percent });
    }
  }
  return [...awards.values()].sort((a, b) => compareText(a.key, b.key));
}

export interface TierDistance {
  tier: Tier;
  /** Amount still missing to reach the tier (same unit as actual/target). */
  missing: number;
  /** Actions of the chosen kind needed: ceil(missing / valuePerAction). */
  actions: number;
}

/**
 * Distance to the next tier not yet reached, in actions worth `valuePerAction` each (1 when the target counts actions).
 * Null when every tier is reached or the target is 0.
 */
export function distanceToNextTier(input: { actual: number; target: number; valuePerAction: number; tiers?: readonly Tier[] }): TierDistance | null {
  const { actual, target, valuePerAction } = input;
  if (!Number.isFinite(valuePerAction) || valuePerAction <= 0) throw new RangeError(`valuePerAction must be > 0, got ${valuePerAction}`);
  assertCount(actual, 'actual');
  assertCount(target, 'target');
  if (target === 0) return null;
  const next = sortedTiers(input.tiers ?? DEFAULT_TIERS).find((tier) => !reachesPercent(actual, target, tier.percent));
  if (!next) return null;
  const needed = (BigInt(target) * BigInt(next.percent) + 99n) / 100n; // ceil(target × percent / 100)
  const missing = Number(needed - BigInt(actual));
  // Round the quotient to 1e-9 before ceil so 0.3 / 0.1 = 2.9999999999999996 still means 3 actions.
  return { tier: next, missing, actions: Math.ceil(Math.round((missing / valuePerAction) * 1e9) / 1e9) };
}

// ---- weighted score ----------------------------------------------------------------------------------------------

export interface ScoreWeights {
  result: number;
  process: number;
}

export const DEFAULT_SCORE_WEIGHTS: ScoreWeights = { result: 70, process: 30 };

export interface KpiProgress {
  kind: string;
  actual: number;
  required: number;
}

export interface ScoreBreakdown {
  /** result.contribution + process.contribution (1 = 100 %). */
  score: number;
  result: { actual: number; target: number; completion: number; weight: number; contribution: number };
  process: { kpis: Array<KpiProgress & { ratio: number }>; mean: number; weight: number; contribution: number };
}

/** Process inputs from activity counts over a period: required = daily minimum × working days. */
export function kpiProgressFromCounts(
  counts: Partial<Record<ActivityKind, number>>,
  minimums: KpiMinimums,
  workingDays: number,
): KpiProgress[] {
  assertCount(workingDays, 'workingDays');
  return BEHAVIOUR_KINDS.map((kind) => ({ kind, actual: counts[kind] ?? 0, required: minimums[kind] * workingDays }));
}

export function weightedScore(input: {
  result: { actual: number; target: number };
  process: readonly KpiProgress[];
  weights?: ScoreWeights;
  /** Cap on the result completion (e.g. 1.5); default none. */
  resultCap?: number | null;
}): ScoreBreakdown {
  const weights = input.weights ?? DEFAULT_SCORE_WEIGHTS;
  if (!(weights.result >= 0 && weights.process >= 0 && weights.result + weights.process > 0)) {
    throw new RangeError('score weights must be >= 0 and not both 0');
  }
  const { actual, target } = input.result;
  if (!(actual >= 0 && target >= 0)) throw new RangeError('result actual and target must be >= 0');
  const rawCompletion = target === 0 ? 1 : actual / target;
  const completion = input.resultCap == null ? rawCompletion : Math.min(rawCompletion, input.resultCap);
  const kpis = input.process.map((kpi) => {
    if (!(kpi.actual >= 0 && kpi.required >= 0)) throw new RangeError(`KPI ${kpi.kind} needs actual and required >= 0`);
    return { ...kpi, ratio: kpi.required === 0 ? 1 : Math.min(kpi.actual / kpi.required, 1) };
  });
  const mean = kpis.length === 0 ? 1 : kpis.reduce((sum, k) => sum + k.ratio, 0) / kpis.length;
  const total = weights.result + weights.process;
  const resultWeight = weights.result / total;
  const processWeight = weights.process / total;
  const result = { actual, target, completion, weight: resultWeight, contribution: completion * resultWeight };
  const process = { kpis, mean, weight: processWeight, contribution: mean * processWeight };
  return { score: result.contribution + process.contribution, result, process };
}

// ---- recognition -------------------------------------------------------------------------------------------------

export interface RepScore {
  repId: string;
  score: number;
  /** Result completion, used to break ties (optional). */
  completion?: number;
}

/** The rep with the highest weighted score (ties: higher completion, then lower rep id); null when nobody is scored. */
export function weeklyChampion(scores: readonly RepScore[]): RepScore | null {
  let best: RepScore | null = null;
  for (const candidate of scores) {
    if (
      !best ||
      candidate.score > best.score ||
      (candidate.score === best.score &&
        ((candidate.completion ?? 0) > (best.completion ?? 0) ||
          ((candidate.completion ?? 0) === (best.completion ?? 0) && candidate.repId < best.repId)))
    ) {
      best = candidate;
    }
  }
  return best;
}

/** The rep with the largest positive score gain over the previous week (see the module comment for ties). */
export function mostImproved(current: readonly RepScore[], previous: readonly RepScore[]): { repId: string; gain: number; score: number } | null {
  const before = new Map(previous.map((p) => [p.repId, p.score]));
  let best: { repId: string; gain: number; score: number } | null = null;
  for (const { repId, score } of current) {
    const last = before.get(repId);
    if (last === undefined) continue;
    const gain = score - last;
    if (gain <= 0) continue;
    if (!best || gain > best.gain || (gain === best.gain && (score > best.score || (score === best.score && repId < best.repId)))) {
      best = { repId, gain, score };
    }
  }
  return best;
}

export interface TeamMemberResult {
  repId: string;
  actual: number;
  target: number;
}

export interface TeamStanding {
  teamId: string;
  /** Mean completion of members with a target; null when none has one. */
  average: number | null;
  members: number;
  /** 1-based, shared on equal averages; null for teams without an average. */
  rank: number | null;
}

/** Team PK: teams ranked by average member completion (% of own target). */
export function teamPk(teams: readonly { teamId: string; members: readonly TeamMemberResult[] }[]): { standings: TeamStanding[]; winner: string | null } {
  const standings = teams.map(({ teamId, members }) => {
    const ratios = members.filter((m) => m.target > 0).map((m) => m.actual / m.target);
    const average = ratios.length === 0 ? null : ratios.reduce((a, b) => a + b, 0) / ratios.length;
    return { teamId, average, members: ratios.length, rank: null as number | null };
  });
  standings.sort((a, b) => {
    if (a.average === null || b.average === null) return a.average === b.average ? compareText(a.teamId, b.teamId) : a.average === null ? 1 : -1;
    return b.average - a.average || compareText(a.teamId, b.teamId);
  });
  standings.forEach((team, i) => {
    if (team.average === null) return;
    const previous = standings[i - 1];
    team.rank = previous && previous.average === team.average ? previous.rank : i + 1;
  });
  const leaders = standings.filter((t) => t.rank === 1);
  return { standings, winner: leaders.length === 1 ? leaders[0]!.teamId : null };
}

export type PointsTable = Record<ActivityKind, number>;

/** Default points per activity kind (configurable per org). */
export const DEFAULT_POINTS: PointsTable = {
  touch: 1,
  needs_confirmed: 3,
  proposal_sent: 5,
  demo_or_visit: 5,
  lead: 1,
  first_contact: 2,
  quote: 5,
  won: 10,
};

export function activityPoints(
  counts: Partial<Record<ActivityKind, number>>,
  points: PointsTable = DEFAULT_POINTS,
): { total: number; byKind: Record<ActivityKind, number> } {
  const byKind = {} as Record<ActivityKind, number>;
  let total = 0;
  for (const kind of ACTIVITY_KINDS) {
    const count = counts[kind] ?? 0;
    assertCount(count, `count of ${kind}`);
    byKind[kind] = count * points[kind];
    total += byKind[kind];
  }
  return { total, byKind };
}

export type LeaderboardPrivacy = 'full' | 'neighbours' | 'self';

export interface LeaderboardRow {
  repId: string;
  /** 1-based; equal completions share a rank. */
  rank: number;
  completion: number;
  isViewer: boolean;
}

/** Exact comparison of a1/t1 and a2/t2 (t > 0): negative when the first is larger. */
function compareCompletion(a: TeamMemberResult, b: TeamMemberResult): number {
  const left = BigInt(b.actual) * BigInt(a.target);
  const right = BigInt(a.actual) * BigInt(b.target);
  return left < right ? -1 : left > right ? 1 : 0;
}

/** Ranked by % of own target, filtered by the privacy mode for `viewerId`. */
export function leaderboard(
  entries: readonly TeamMemberResult[],
  options: { privacy: LeaderboardPrivacy; viewerId: string },
): LeaderboardRow[] {
  for (const e of entries) {
    assertCount(e.actual, `actual of ${e.repId}`);
    assertCount(e.target, `target of ${e.repId}`);
  }
  const ranked = entries.filter((e) => e.target > 0).sort((a, b) => compareCompletion(a, b) || compareText(a.repId, b.repId));
  const rows: LeaderboardRow[] = [];
  ranked.forEach((entry, i) => {
    const previous = ranked[i - 1];
    const rank = previous && compareCompletion(previous, entry) === 0 ? rows[i - 1]!.rank : i + 1;
    rows.push({ repId: entry.repId, rank, completion: entry.actual / entry.target, isViewer: entry.repId === options.viewerId });
  });
  if (options.privacy === 'full') return rows;
  const me = rows.findIndex((r) => r.isViewer);
  if (me < 0) return [];
  if (options.privacy === 'self') return [rows[me]!];
  return rows.slice(Math.max(0, me - 2), me + 3);
}
