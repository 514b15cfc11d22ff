import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { kpiMinimums } from './kpi';
import {
  activityPoints,
  DEFAULT_TIERS,
  distanceToNextTier,
  kpiProgressFromCounts,
  leaderboard,
  mostImproved,
  teamPk,
  tierAwardKey,
  tierCrossings,
  tiersReached,
  weeklyChampion,
  weightedScore,
  type LeaderboardPrivacy,
  type TeamMemberResult,
  type Tier,
  type TierAward,
} from './incentives';

describe('tiers (60 / 80 / 100 %)', () => {
  test.each<[number, number, string[]]>([
    [59, 100, []],
    [60, 100, ['base']],
    [79, 100, ['base']],
    [80, 100, ['base', 'advanced']],
    [99, 100, ['base', 'advanced']],
    [100, 100, ['base', 'advanced', 'top']],
    [150, 100, ['base', 'advanced', 'top']],
    [2, 3, ['base']], // 66.7 %
    [659_999, 1_100_000, []], // 59.99991 %: no float rounding up
    [660_000, 1_100_000, ['base']],
    [0, 0, []], // zero target earns nothing
    [5, 0, []],
  ])('%i of %i reaches %j', (actual, target, expected) => {
    expect(tiersReached(actual, target).map((t) => t.id)).toEqual(expected);
  });

  test.each<[string, number, TierAward['tierId'][], string[]]>([
    ['first crossing of 60 %', 65, [], ['base']],
    ['jump straight to 100 %: all three at once', 100, [], ['advanced', 'base', 'top']],
    ['base already awarded', 85, ['base'], ['advanced']],
    ['falling back below a tier takes nothing back and gives nothing', 50, ['base', 'advanced'], []],
    ['everything already awarded', 120, ['base', 'advanced', 'top'], []],
  ])('%s', (_label, actual, already, expected) => {
    const awarded = already.map((tierId) => ({ repId: 'r1', periodKey: '2026-11', tierId }));
    const awards = tierCrossings([{ repId: 'r1', periodKey: '2026-11', actual, target: 100 }], awarded);
    expect(awards.map((a) => a.tierId)).toEqual(expected);
    for (const award of awards) expect(award.key).toBe(tierAwardKey('r1', '2026-11', award.tierId));
  });

  test('configurable tiers', () => {
    const tiers: Tier[] = [{ id: 'bronze', percent: 50 }, { id: 'gold', percent: 120 }];
    expect(tierCrossings([{ repId: 'r1', periodKey: '2026-Q4', actual: 130, target: 100 }], [], tiers).map((a) => a.tierId)).toEqual(['bronze', 'gold']);
    expect(() => tiersReached(1, 1, [{ id: 'a', percent: 50 }, { id: 'a', percent: 60 }])).toThrow(/duplicate/);
    expect(() => tiersReached(1, 1, [{ id: 'a', percent: 0 }])).toThrow(RangeError);
  });

  test('periods and reps are separate', () => {
    const awards = tierCrossings(
      [
        { repId: 'r1', periodKey: '2026-11', actual: 60, target: 100 },
        { repId: 'r1', periodKey: '2026-12', actual: 60, target: 100 },
        { repId: 'r2', periodKey: '2026-11', actual: 60, target: 100 },
      ],
      [{ repId: 'r1', periodKey: '2026-11', tierId: 'base' }],
    );
    expect(awards.map((a) => a.key)).toEqual(['r1:2026-12:base', 'r2:2026-11:base']);
  });

  test('property: over any sequence of evaluations each (rep, period, tier) is awarded at most once, and every reached tier exactly once', () => {
    const progressArb = fc.array(
      fc.record({ repId: fc.constantFrom('r1', 'r2'), periodKey: fc.constantFrom('2026-11', '2026-12'), actual: fc.integer({ min: 0, max: 150 }) }),
      { minLength: 1, maxLength: 30 },
    );
    fc.assert(
      fc.property(progressArb, fc.integer({ min: 0, max: 120 }), (evaluations, target) => {
        const awarded: TierAward[] = [];
        for (const evaluation of evaluations) {
          // each cron run sees the current result (sometimes twice, as in a retried run)
          const batch = [{ ...evaluation, target }, { ...evaluation, target }];
          awarded.push(...tierCrossings(batch, awarded));
        }
        const keys = awarded.map((a) => a.key);
        expect(new Set(keys).size).toBe(keys.length);
        const best = new Map<string, number>();
        for (const e of evaluations) best.set(`${e.repId}|${e.periodKey}`, Math.max(best.get(`${e.repId}|${e.periodKey}`) ?? 0, e.actual));
        const expected = [...best].flatMap(([id, actual]) => tiersReached(actual, target).map((t) => tierAwardKey(id.split('|')[0]!, id.split('|')[1]!, t.id)));
        expect([...keys].sort()).toEqual(expected.sort());
      }),
      { numRuns: 1000 },
    );
  });
});

describe('distance to the next tier', () => {
  test.each<[string, number, number, number, string | null, number, number]>([
    ['"3 more proposals → 80 %"', 13, 20, 1, 'advanced', 3, 3],
    ['revenue with an average deal of 50,000', 700_000, 1_100_000, 50_000, 'advanced', 180_000, 4],
    ['below the first tier', 0, 20, 1, 'base', 12, 12],
    ['uneven target rounds the need up', 0, 7, 1, 'base', 5, 5], // 60 % of 7 = 4.2 → 5
    ['exactly on a tier: the next one', 16, 20, 1, 'top', 4, 4],
    ['decimal value per action', 0, 10, 0.1, 'base', 6, 60],
  ])('%s', (_label, actual, target, valuePerAction, tierId, missing, actions) => {
    expect(distanceToNextTier({ actual, target, valuePerAction })).toEqual({ tier: DEFAULT_TIERS.find((t) => t.id === tierId), missing, actions });
  });

  test.each([
    ['every tier reached', 20, 20],
    ['zero target', 5, 0],
  ])('%s → null', (_label, actual, target) => {
    expect(distanceToNextTier({ actual, target, valuePerAction: 1 })).toBeNull();
  });

  test('doing the actions does reach the tier', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000 }), fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: 1, max: 5_000 }), (actual, target, value) => {
        const distance = distanceToNextTier({ actual, target, valuePerAction: value });
        if (distance === null) return;
        expect(tiersReached(actual + distance.actions * value, target).map((t) => t.id)).toContain(distance.tier.id);
        if (distance.actions > 0) expect(tiersReached(actual + (distance.actions - 1) * value, target).map((t) => t.id)).not.toContain(distance.tier.id);
      }),
      { numRuns: 1000 },
    );
  });

  test('rejects a non-positive value per action', () => {
    expect(() => distanceToNextTier({ actual: 1, target: 2, valuePerAction: 0 })).toThrow(RangeError);
  });
});

describe('weighted score (70 % result + 30 % process)', () => {
  const mid = kpiMinimums('mid');
  test.each<[string, Parameters<typeof weightedScore>[0], number, number, number]>([
    ['all on target', { result: { actual: 100, target: 100 }, process: kpiProgressFromCounts({ touch: 30, needs_confirmed: 15, proposal_sent: 10, demo_or_visit: 10 }, mid, 5) }, 1, 1, 1],
    // process: touch 15/30 = .5, needs 15/15 = 1, proposals 20/10 capped 1, demos 0/10 = 0 → mean .625
    ['process ratios are capped at 1', { result: { actual: 50, target: 100 }, process: kpiProgressFromCounts({ touch: 15, needs_confirmed: 15, proposal_sent: 20 }, mid, 5) }, 0.5, 0.625, 0.7 * 0.5 + 0.3 * 0.625],
    ['result is not capped by default', { result: { actual: 150, target: 100 }, process: [] }, 1.5, 1, 0.7 * 1.5 + 0.3],
    ['result cap', { result: { actual: 150, target: 100 }, process: [], resultCap: 1.2 }, 1.2, 1, 0.7 * 1.2 + 0.3],
    ['custom weights 50/50', { result: { actual: 40, target: 100 }, process: [{ kind: 'touch', actual: 8, required: 10 }], weights: { result: 1, process: 1 } }, 0.4, 0.8, 0.6],
    ['zero target, zero requirement', { result: { actual: 0, target: 0 }, process: [{ kind: 'touch', actual: 0, required: 0 }] }, 1, 1, 1],
  ])('%s', (_label, input, completion, processMean, score) => {
    const breakdown = weightedScore(input);
    expect(breakdown.result.completion).toBeCloseTo(completion, 12);
    expect(breakdown.process.mean).toBeCloseTo(processMean, 12);
    expect(breakdown.score).toBeCloseTo(score, 12);
    expect(breakdown.result.contribution + breakdown.process.contribution).toBeCloseTo(breakdown.score, 12);
    expect(breakdown.result.weight + breakdown.process.weight).toBeCloseTo(1, 12);
  });

  test('the breakdown lists every KPI with its ratio', () => {
    const breakdown = weightedScore({ result: { actual: 1, target: 2 }, process: kpiProgressFromCounts({ touch: 3 }, mid, 1) });
    expect(breakdown.process.kpis.map((k) => [k.kind, k.ratio])).toEqual([
      ['touch', 0.5],
      ['needs_confirmed', 0],
      ['proposal_sent', 0],
      ['demo_or_visit', 0],
    ]);
    expect(breakdown.result.weight).toBeCloseTo(0.7, 12);
  });

  test('rejects weights that are both zero', () => {
    expect(() => weightedScore({ result: { actual: 1, target: 1 }, process: [], weights: { result: 0, process: 0 } })).toThrow(RangeError);
  });
});

describe('recognition', () => {
  test.each([
    ['highest score', [{ repId: 'a', score: 0.8 }, { repId: 'b', score: 0.9 }], 'b'],
    ['tie → higher completion', [{ repId: 'a', score: 0.9, completion: 0.8 }, { repId: 'b', score: 0.9, completion: 0.95 }], 'b'],
    ['tie → lower rep id', [{ repId: 'b', score: 0.9 }, { repId: 'a', score: 0.9 }], 'a'],
    ['nobody', [], null],
  ])('weekly champion: %s', (_label, scores, expected) => {
    expect(weeklyChampion(scores)?.repId ?? null).toBe(expected);
  });

  test.each([
    ['largest gain, not the highest score', [{ repId: 'a', score: 1.0 }, { repId: 'b', score: 0.7 }], [{ repId: 'a', score: 0.95 }, { repId: 'b', score: 0.4 }], 'b'],
    ['new reps are not compared', [{ repId: 'new', score: 0.9 }, { repId: 'a', score: 0.5 }], [{ repId: 'a', score: 0.45 }], 'a'],
    ['nobody improved', [{ repId: 'a', score: 0.5 }], [{ repId: 'a', score: 0.5 }], null],
    ['tie on gain → higher current score', [{ repId: 'a', score: 0.6 }, { repId: 'b', score: 0.9 }], [{ repId: 'a', score: 0.5 }, { repId: 'b', score: 0.8 }], 'b'],
  ])('most improved: %s', (_label, current, previous, expected) => {
    expect(mostImproved(current, previous)?.repId ?? null).toBe(expected);
  });

  test.each<[string, Parameters<typeof teamPk>[0], Array<[string, number | null]>, string | null]>([
    ['higher average completion wins', [
      { teamId: 'north', members: [{ repId: 'a', actual: 50, target: 100 }, { repId: 'b', actual: 90, target: 100 }] },
      { teamId: 'south', members: [{ repId: 'c', actual: 8, target: 10 }] },
    ], [['south', 1], ['north', 2]], 'south'],
    ['fair across sizes: completion, not totals', [
      { teamId: 'big', members: [{ repId: 'a', actual: 500, target: 1000 }, { repId: 'b', actual: 500, target: 1000 }] },
      { teamId: 'small', members: [{ repId: 'c', actual: 6, target: 10 }] },
    ], [['small', 1], ['big', 2]], 'small'],
    ['a tie has no winner', [
      { teamId: 'a', members: [{ repId: 'x', actual: 1, target: 2 }] },
      { teamId: 'b', members: [{ repId: 'y', actual: 2, target: 4 }] },
    ], [['a', 1], ['b', 1]], null],
    ['members without a target are left out; a team without any is unranked', [
      { teamId: 'a', members: [{ repId: 'x', actual: 1, target: 2 }, { repId: 'z', actual: 0, target: 0 }] },
      { teamId: 'b', members: [{ repId: 'y', actual: 3, target: 0 }] },
    ], [['a', 1], ['b', null]], 'a'],
  ])('team PK: %s', (_label, teams, ranks, winner) => {
    const result = teamPk(teams);
    expect(result.standings.map((s) => [s.teamId, s.rank])).toEqual(ranks);
    expect(result.winner).toBe(winner);
  });

  test.each([
    [{ touch: 10 }, 10],
    [{ proposal_sent: 2, won: 1 }, 20],
    [{}, 0],
    [{ touch: 1, needs_confirmed: 1, proposal_sent: 1, demo_or_visit: 1, lead: 1, first_contact: 1, quote: 1, won: 1 }, 32],
  ])('points for %j = %i', (counts, total) => {
    expect(activityPoints(counts).total).toBe(total);
  });

  test('custom points table and breakdown', () => {
    const result = activityPoints({ won: 2 }, { touch: 0, needs_confirmed: 0, proposal_sent: 0, demo_or_visit: 0, lead: 0, first_contact: 0, quote: 0, won: 50 });
    expect(result.total).toBe(100);
    expect(result.byKind.won).toBe(100);
  });
});

describe('leaderboard (ranked by % of own target)', () => {
  // A junior with small numbers outranks a senior with big raw counts.
  const entries: TeamMemberResult[] = [
    { repId: 'senior', actual: 900, target: 1000 }, // 90 %
    { repId: 'junior', actual: 95, target: 100 }, // 95 %
    { repId: 'mid-a', actual: 40, target: 50 }, // 80 %
    { repId: 'mid-b', actual: 80, target: 100 }, // 80 % (tie)
    { repId: 'new', actual: 10, target: 100 }, // 10 %
    { repId: 'ramp', actual: 1, target: 20 }, // 5 %
    { repId: 'untargeted', actual: 500, target: 0 },
  ];
  test.each<[LeaderboardPrivacy, string, Array<[string, number]>]>([
    ['full', 'new', [['junior', 1], ['senior', 2], ['mid-a', 3], ['mid-b', 3], ['new', 5], ['ramp', 6]]],
    ['neighbours', 'mid-b', [['senior', 2], ['mid-a', 3], ['mid-b', 3], ['new', 5], ['ramp', 6]]],
    ['neighbours', 'junior', [['junior', 1], ['senior', 2], ['mid-a', 3]]],
    ['neighbours', 'ramp', [['mid-b', 3], ['new', 5], ['ramp', 6]]],
    ['self', 'senior', [['senior', 2]]],
    ['self', 'untargeted', []],
    ['neighbours', 'stranger', []],
  ])('%s for %s', (privacy, viewerId, expected) => {
    const rows = leaderboard(entries, { privacy, viewerId });
    expect(rows.map((r) => [r.repId, r.rank])).toEqual(expected);
    expect(rows.filter((r) => r.isViewer).map((r) => r.repId)).toEqual(rows.some((r) => r.repId === viewerId) ? [viewerId] : []);
    for (const row of rows) expect(Object.keys(row).sort()).toEqual(['completion', 'isViewer', 'rank', 'repId']);
  });

  test('ties are exact, not float: 1/3 and 2/6 share a rank', () => {
    const rows = leaderboard([{ repId: 'b', actual: 2, target: 6 }, { repId: 'a', actual: 1, target: 3 }, { repId: 'c', actual: 333_333, target: 1_000_000 }], { privacy: 'full', viewerId: 'a' });
    expect(rows.map((r) => [r.repId, r.rank])).toEqual([['a', 1], ['b', 1], ['c', 3]]);
  });

  test('property: ranking does not depend on input order and never on raw counts', () => {
    const entryArb = fc.uniqueArray(
      fc.record({ repId: fc.string({ minLength: 1, maxLength: 3 }), actual: fc.integer({ min: 0, max: 1000 }), target: fc.integer({ min: 0, max: 1000 }) }),
      { selector: (e) => e.repId, maxLength: 15 },
    );
    fc.assert(
      fc.property(entryArb, fc.integer({ min: 1, max: 50 }), (list, scale) => {
        const board = leaderboard(list, { privacy: 'full', viewerId: '' });
        expect(leaderboard([...list].reverse(), { privacy: 'full', viewerId: '' })).toEqual(board);
        // scaling one rep's actual and target keeps their completion and therefore their rank
        const [first] = list;
        if (!first) return;
        const scaled = list.map((e) => (e === first ? { ...e, actual: e.actual * scale, target: e.target * scale } : e));
        expect(leaderboard(scaled, { privacy: 'full', viewerId: '' }).map((r) => [r.repId, r.rank])).toEqual(board.map((r) => [r.repId, r.rank]));
        for (let i = 1; i < board.length; i++) expect(board[i]!.completion).toBeLessThanOrEqual(board[i - 1]!.completion);
      }),
      { numRuns: 1000 },
    );
  });
});
