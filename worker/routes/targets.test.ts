import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { makeFixture, type Fixture, type FixtureUser } from "../test/fixture";
import { api, count, json, runSql } from "../test/helpers";

// Monday 2026-11-16, 12:00 in Shanghai. From today to 30 Nov there are 11 Mon–Fri working days.
const NOW = Date.parse("2026-11-16T04:00:00Z");

let f: Fixture;
const call = (user: FixtureUser, path: string, method = "GET", body?: unknown) =>
  api(path, { method, token: f.token(user), now: NOW, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
const create = (user: FixtureUser, body: Record<string, unknown>) => call(user, "/v1/targets", "POST", body);
const team = (t: string) => `team_tgt_${t}`;
const versionsOf = (id: string) => count(`SELECT count(*) AS n FROM target_versions WHERE target_id = ?`, id);
const dump = async (table: string) => (await env.DB.prepare(`SELECT * FROM ${table} ORDER BY 1`).all()).results;

beforeAll(async () => {
  f = await makeFixture("tgt", NOW);
});

describe("targets CRUD", () => {
  let robNov: { id: string; version: number };

  it("creates a rep target for a period key resolved with the org calendar, with version 1", async () => {
    const res = await create("mia", { scope: "rep", subjectId: f.id("rob"), periodKey: "2026-11", amount: 1_000_000 });
    expect(res.status).toBe(201);
    const body = await json(res);
    expect(body).toMatchObject({
      scope: "rep",
      subjectId: f.id("rob"),
      metric: "revenue",
      periodKind: "month",
      periodKey: "2026-11",
      periodStart: "2026-11-01",
      periodEnd: "2026-11-30",
      level: "base",
      amount: 1_000_000,
      version: 1,
      createdAt: new Date(NOW).toISOString(),
    });
    robNov = body;
    const versions = await json(await call("mia", `/v1/targets/${body.id}/versions`));
    expect(versions).toMatchObject({ targetId: body.id, inEffect: 1, versions: [{ version: 1, amount: 1_000_000, reason: "Created", authorId: f.id("mia"), effectiveFrom: "2026-11-16" }] });
  });

  it.each([
    ["2026", "year", "2026-01-01", "2026-12-31"],
    ["2026-Q4", "quarter", "2026-10-01", "2026-12-31"],
    ["2026-W48", "week", "2026-11-23", "2026-11-29"],
    ["2026-11-20", "day", "2026-11-20", "2026-11-20"],
  ])("resolves period key %s", async (periodKey, periodKind, periodStart, periodEnd) => {
    const res = await create("mia", { scope: "rep", subjectId: f.id("rae"), metric: "proposal_sent", periodKey, amount: 3 });
    expect(res.status).toBe(201);
    expect(await json(res)).toMatchObject({ periodKind, periodStart, periodEnd });
  });

  it("answers 409 naming the existing target when the natural key is taken, and writes nothing", async () => {
    const before = await count(`SELECT count(*) AS n FROM target_versions WHERE org_id = ?`, f.orgId);
    const res = await create("dora", { scope: "rep", subjectId: f.id("rob"), periodKey: "2026-11", amount: 5 });
    expect(res.status).toBe(409);
    expect(await json(res)).toMatchObject({ error: { code: "conflict", details: { id: robNov.id, version: 1 } } });
    expect(await count(`SELECT count(*) AS n FROM target_versions WHERE org_id = ?`, f.orgId)).toBe(before);
  });

  it.each([
    ["a malformed period key", { periodKey: "2026-13" }, "periodKey"],
    ["a week that does not exist", { periodKey: "2026-W54" }, "periodKey"],
    ["a negative amount", { amount: -1 }, "amount"],
    ["a fractional amount", { amount: 1.5 }, "amount"],
    ["an unknown metric", { metric: "calls" }, "metric"],
    ["an unknown level", { level: "dream" }, "level"],
    ["mass assignment of orgId", { orgId: "org_tgt" }, ""],
    ["mass assignment of version", { version: 7 }, ""],
  ])("rejects %s", async (_name, over, path) => {
    const res = await create("mia", { scope: "rep", subjectId: f.id("rob"), periodKey: "2027-01", amount: 1, ...over });
    expect(res.status).toBe(400);
    const body = await json(res);
    expect(body.error.code).toBe("validation_failed");
    if (path) expect(body.error.details.map((d: { path: string }) => d.path)).toContain(path);
  });

  it.each<[string, FixtureUser, Record<string, unknown>, number]>([
    ["a rep sets no targets", "rob", { scope: "rep", subjectId: "usr_tgt_rob" }, 403],
    ["a manager sets no org target", "mia", { scope: "org" }, 403],
    ["a manager sets no target on another team", "mia", { scope: "team", subjectId: team("team2") }, 404],
    ["a manager sets no target on a rep of another team", "mia", { scope: "rep", subjectId: "usr_tgt_ron" }, 404],
    ["a manager sets no target on themself", "mia", { scope: "rep", subjectId: "usr_tgt_mia" }, 403],
    ["a director sets no target on a manager", "dora", { scope: "rep", subjectId: "usr_tgt_max" }, 403],
    ["an admin sets no target in another org", "xadmin", { scope: "rep", subjectId: "usr_tgt_rob" }, 404],
    ["a manager sets their own team's target", "mia", { scope: "team", subjectId: team("team1") }, 201],
    ["a director sets a team's target in the department", "dora", { scope: "team", subjectId: team("team2") }, 201],
    ["an admin sets the org's target", "ada", { scope: "org" }, 201],
    ["an admin sets the department's target", "ada", { scope: "team", subjectId: team("dept") }, 201],
  ])("%s", async (_name, caller, subject, status) => {
    const res = await create(caller, { ...subject, periodKey: "2026-Q4", amount: 9_000_000 });
    expect(res.status, await res.clone().text()).toBe(status);
  });

  it("lists targets in the caller's scope: a rep sees their own, their team's and the org's", async () => {
    const list = async (user: FixtureUser, query = "") =>
      ((await json(await call(user, `/v1/targets${query}`))).targets as { scope: string; subjectId: string }[]).map((t) => `${t.scope}:${t.subjectId}`);
    const rob = new Set(await list("rob"));
    expect(rob).toEqual(new Set([`rep:${f.id("rob")}`, `team:${team("team1")}`, `org:${f.orgId}`]));
    const mia = new Set(await list("mia"));
    expect(mia).toEqual(new Set([`rep:${f.id("rob")}`, `rep:${f.id("rae")}`, `team:${team("team1")}`, `org:${f.orgId}`]));
    const max = new Set(await list("max"));
    expect(max).toEqual(new Set([`team:${team("team2")}`, `org:${f.orgId}`]));
    expect(new Set(await list("dora"))).toEqual(new Set([...mia, `team:${team("team2")}`, `team:${team("dept")}`]));
    expect(await list("xadmin")).toEqual([]);
    // Filters.
    expect(await list("ada", `?scope=rep&subjectId=${f.id("rae")}&periodKind=week`)).toEqual([`rep:${f.id("rae")}`]);
    expect(await list("ada", "?metric=revenue&periodKey=2026-Q4&scope=team")).toHaveLength(3);
    expect((await call("rob", `/v1/targets?subjectId=${f.id("rae")}`)).status).toBe(404);
    expect((await call("rob", "/v1/targets?orgId=x")).status).toBe(400);
  });

  describe("PATCH: a new version, atomically, with optimistic concurrency", () => {
    it("stores the version with reason and author and re-spreads what is missing over the remaining working days", async () => {
      const won = (day: string, amount: number) => ({ clientEventId: crypto.randomUUID(), kind: "won", occurredAt: `${day}T03:00:00Z`, source: "api", amount });
      const posted = await call("rob", "/v1/activities", "POST", { events: [won("2026-11-10", 250_000), won("2026-11-16", 50_000), won("2026-10-30", 999_999)] });
      expect(posted.status).toBe(201);

      const res = await call("mia", `/v1/targets/${robNov.id}`, "PATCH", { amount: 1_200_000, reason: "  New key account  ", expectedVersion: 1 });
      expect(res.status, await res.clone().text()).toBe(200);
      const body = await json(res);
      expect(body.target).toMatchObject({ id: robNov.id, amount: 1_200_000, version: 2 });
      expect(body.version).toMatchObject({ version: 2, amount: 1_200_000, reason: "New key account", authorId: f.id("mia"), effectiveFrom: "2026-11-16" });
      const { adjustment } = body;
      expect(adjustment).toMatchObject({ achieved: 300_000, remaining: 900_000, unallocated: 0 });
      expect(adjustment.perDay).toHaveLength(11);
      expect(adjustment.perDay[0]).toEqual({ day: "2026-11-16", amount: 81_819 });
      expect(adjustment.perDay.at(-1)).toEqual({ day: "2026-11-30", amount: 81_818 });
      expect(adjustment.perDay.reduce((s: number, d: { amount: number }) => s + d.amount, 0)).toBe(900_000);
      expect(await versionsOf(robNov.id)).toBe(2);
    });

    it("answers 409 on a stale expectedVersion and writes nothing", async () => {
      const res = await call("mia", `/v1/targets/${robNov.id}`, "PATCH", { amount: 1, reason: "stale", expectedVersion: 1 });
      expect(res.status).toBe(409);
      expect(await json(res)).toMatchObject({ error: { code: "conflict", details: { currentVersion: 2 } } });
      expect(await versionsOf(robNov.id)).toBe(2);
      expect((await json(await call("mia", `/v1/targets/${robNov.id}`))).amount).toBe(1_200_000);
    });

    it("lets exactly one of two concurrent changes of the same version win", async () => {
      const results = await Promise.all(
        [1_300_000, 1_400_000].map((amount) => call("mia", `/v1/targets/${robNov.id}`, "PATCH", { amount, reason: "race", expectedVersion: 2 })),
      );
      expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
      expect(await versionsOf(robNov.id)).toBe(3);
      const { versions, inEffect } = await json(await call("rob", `/v1/targets/${robNov.id}/versions`));
      expect(versions.map((v: { version: number }) => v.version)).toEqual([1, 2, 3]);
      expect(inEffect).toBe(3);
      const target = await json(await call("rob", `/v1/targets/${robNov.id}`));
      expect(target.version).toBe(3);
      expect(target.amount).toBe(versions[2].amount);
    });

    it.each([
      ["no reason", { amount: 5, expectedVersion: 3 }],
      ["a blank reason", { amount: 5, reason: "   ", expectedVersion: 3 }],
      ["no expectedVersion", { amount: 5, reason: "x" }],
      ["a change of subject", { amount: 5, reason: "x", expectedVersion: 3, subjectId: "usr_tgt_rae" }],
    ])("rejects %s", async (_name, body) => {
      const res = await call("mia", `/v1/targets/${robNov.id}`, "PATCH", body);
      expect(res.status).toBe(400);
      expect(await versionsOf(robNov.id)).toBe(3);
    });

    it("gives no re-spread for team or org targets", async () => {
      const created = await json(await create("ada", { scope: "org", periodKey: "2026-11", amount: 10 }));
      const res = await json(await call("ada", `/v1/targets/${created.id}`, "PATCH", { amount: 20, reason: "more", expectedVersion: 1 }));
      expect(res.adjustment).toBeNull();
      expect(res.target.version).toBe(2);
    });
  });

  describe("by id, per role and subject", () => {
    // Each caller × subject gets its own target (created by the admin), so a delete does not affect other cases.
    const CALLERS: FixtureUser[] = ["ada", "dora", "mia", "max", "rob", "xadmin"];
    const SUBJECTS: FixtureUser[] = ["rob", "ron"];
    const VISIBLE: Record<string, FixtureUser[]> = { ada: ["rob", "ron"], dora: ["rob", "ron"], mia: ["rob"], max: ["ron"], rob: ["rob"], xadmin: [] };
    const LEADER = new Set(["ada", "dora", "mia", "max", "xadmin"]);
    const cases = CALLERS.flatMap((caller, i) =>
      SUBJECTS.map((subject) => {
        const visible = VISIBLE[caller]!.includes(subject);
        return { caller, subject, periodKey: `2025-${String(i + 1).padStart(2, "0")}`, read: visible ? 200 : 404, write: !LEADER.has(caller) ? 403 : visible ? 200 : 404 };
      }),
    );

    it.each(cases.map((c) => [c.caller, c.subject, c.read, c.write, c] as const))("%s on %s's target: read %i, write %i", async (caller, subject, read, write, c) => {
      const target = await json(await create("ada", { scope: "rep", subjectId: f.id(subject), periodKey: c.periodKey, amount: 100 }));
      expect((await call(caller, `/v1/targets/${target.id}`)).status).toBe(read);
      expect((await call(caller, `/v1/targets/${target.id}/versions`)).status).toBe(read);
      const patch = await call(caller, `/v1/targets/${target.id}`, "PATCH", { amount: 200, reason: "r", expectedVersion: 1 });
      expect(patch.status).toBe(write);
      const del = await call(caller, `/v1/targets/${target.id}`, "DELETE");
      expect(del.status).toBe(write);
      const left = await count(`SELECT count(*) AS n FROM targets WHERE id = ?`, target.id);
      expect(left).toBe(write === 200 ? 0 : 1);
      if (write === 200) {
        expect(await json(del)).toEqual({ id: target.id, deletedVersions: 2 });
        expect(await versionsOf(target.id)).toBe(0);
        expect((await call("ada", `/v1/targets/${target.id}`)).status).toBe(404);
      }
    });
  });
});

describe("POST /v1/targets/decompose (preview)", () => {
  const plan = (over: Record<string, unknown> = {}) => ({ year: 2026, scope: "team", teamId: team("team1"), lastYearActual: 12_000_000, growth: { percent: 10 }, ...over });
  const preview = (user: FixtureUser, body: unknown) => call(user, "/v1/targets/decompose", "POST", body);
  const sum = (xs: { amount: number }[]) => xs.reduce((s, x) => s + x.amount, 0);

  it("follows the DOMAIN example: 12,000,000 + 10 % → 13,200,000 → 3,300,000 per quarter → 1,100,000 per month", async () => {
    const res = await preview("mia", plan());
    expect(res.status, await res.clone().text()).toBe(200);
    const body = await json(res);
    expect(body).toMatchObject({ year: 2026, metric: "revenue", scope: "team", subjectId: team("team1") });
    expect(body.reps.map((r: { id: string }) => r.id).sort()).toEqual([f.id("rae"), f.id("rob")].sort());
    const [base] = body.levels;
    expect(base.level).toBe("base");
    expect(base.annual).toBe(13_200_000);
    expect(base.quarters.map((q: { amount: number }) => q.amount)).toEqual([3_300_000, 3_300_000, 3_300_000, 3_300_000]);
    for (const q of base.quarters) {
      expect(q.months.map((m: { amount: number }) => m.amount)).toEqual([1_100_000, 1_100_000, 1_100_000]);
      for (const m of q.months) expect(m.reps.map((r: { amount: number }) => r.amount)).toEqual([550_000, 550_000]);
    }
    expect(base.quarters[3].months[1]).toMatchObject({ key: "2026-11", start: "2026-11-01", end: "2026-11-30", workingDays: 21 });
    expect(sum(base.weeks)).toBe(13_200_000);
    expect(base.weeks[0]).toMatchObject({ key: "2026-W01", start: "2025-12-29", partial: true });
    expect(base.repTotals).toEqual(expect.arrayContaining([{ repId: f.id("rob"), amount: 6_600_000 }, { repId: f.id("rae"), amount: 6_600_000 }]));
    // 1 year + 4 quarters + 12 months + full weeks (51 of 53: W01 and W53 reach into 2025 and 2027) + 2 reps × 12 months.
    expect(base.weeks).toHaveLength(53);
    expect(base.weeks.at(-1)).toMatchObject({ key: "2026-W53", end: "2027-01-03", partial: true });
    expect(body.targetCount).toBe(1 + 4 + 12 + 51 + 24);
  });

  it("takes growth in basis points too, and the annual amount directly", async () => {
    const bp = await json(await preview("mia", plan({ growth: { basisPoints: 1000 } })));
    expect(bp.levels[0].annual).toBe(13_200_000);
    const direct = await json(await preview("mia", plan({ lastYearActual: undefined, growth: undefined, annual: 13_200_000 })));
    expect(direct.levels).toEqual(bp.levels);
  });

  it("splits by seniority (junior 3 : senior 5) and by explicit weights, exactly", async () => {
    await runSql([`UPDATE users SET seniority = 'senior' WHERE id = '${f.id("rob")}'`, `UPDATE users SET seniority = 'junior' WHERE id = '${f.id("rae")}'`]);
    const bySeniority = await json(await preview("mia", plan({ repSplit: { mode: "seniority" } })));
    const nov = bySeniority.levels[0].quarters[3].months[1];
    expect(nov.reps).toEqual(expect.arrayContaining([{ repId: f.id("rob"), amount: 687_500 }, { repId: f.id("rae"), amount: 412_500 }]));
    const custom = await json(await preview("mia", plan({ repSplit: { mode: "seniority", weights: { junior: 1, mid: 1, senior: 3 } } })));
    expect(custom.levels[0].quarters[0].months[0].reps).toEqual(expect.arrayContaining([{ repId: f.id("rob"), amount: 825_000 }, { repId: f.id("rae"), amount: 275_000 }]));
    const explicit = await json(await preview("mia", plan({ repSplit: { mode: "explicit", weights: { [f.id("rob")]: 1, [f.id("rae")]: 2 } } })));
    const jan = explicit.levels[0].quarters[0].months[0];
    expect(jan.reps).toEqual(expect.arrayContaining([{ repId: f.id("rob"), amount: 366_667 }, { repId: f.id("rae"), amount: 733_333 }]));
    expect(sum(jan.reps)).toBe(1_100_000);
    await runSql([`UPDATE users SET seniority = 'mid' WHERE id IN ('${f.id("rob")}', '${f.id("rae")}')`]);
  });

  it("keeps every total exact with awkward amounts, seasonality, ramps and levels", async () => {
    await runSql([`UPDATE users SET ramp_percent = 50, hire_date = '2026-03-18' WHERE id = '${f.id("ron")}'`]);
    const res = await preview(
      "dora",
      plan({
        teamId: team("dept"),
        lastYearActual: 9_999_999,
        growth: { percent: 7.77 },
        seasonality: { monthWeights: [1, 1, 2, 2, 2, 3, 3, 3, 2, 2, 4, 5] },
        levels: ["base", "stretch", "challenge"],
      }),
    );
    expect(res.status, await res.clone().text()).toBe(200);
    const body = await json(res);
    expect(body.reps).toHaveLength(3);
    const annuals = body.levels.map((l: { annual: number }) => l.annual);
    expect(annuals).toEqual([10_776_999, 12_932_399, 16_165_499]);
    for (const level of body.levels) {
      expect(sum(level.quarters)).toBe(level.annual);
      expect(sum(level.weeks)).toBe(level.annual);
      expect(sum(level.repTotals)).toBe(level.annual);
      for (const q of level.quarters) {
        expect(sum(q.months)).toBe(q.amount);
        for (const m of q.months) expect(sum(m.reps)).toBe(m.amount);
      }
      // Ron was hired on 18 March at 50 % ramp: nothing before March, a partial March.
      const ronOf = (m: { reps: { repId: string; amount: number }[] }) => m.reps.find((r) => r.repId === f.id("ron"))!.amount;
      expect(ronOf(level.quarters[0].months[1])).toBe(0);
      expect(ronOf(level.quarters[0].months[2])).toBeGreaterThan(0);
      expect(ronOf(level.quarters[0].months[2])).toBeLessThan(ronOf(level.quarters[1].months[0]));
    }
    await runSql([`UPDATE users SET ramp_percent = 100, hire_date = NULL WHERE id = '${f.id("ron")}'`]);
  });

  it.each<[string, FixtureUser, Record<string, unknown>, number]>([
    ["a rep cannot plan", "rob", {}, 403],
    ["a manager cannot plan the org", "mia", { scope: "org", teamId: undefined }, 403],
    ["a manager cannot plan another team", "mia", { teamId: team("team2") }, 404],
    ["an admin of another org cannot plan this team", "xadmin", {}, 404],
    ["a rep outside the caller's scope is not found", "mia", { reps: ["usr_tgt_ron"] }, 404],
    ["a rep outside the planned team is refused", "dora", { reps: ["usr_tgt_ron"] }, 400],
    ["a manager is not a rep to plan for", "dora", { teamId: team("dept"), reps: ["usr_tgt_mia"] }, 403],
    ["annual and growth together", "mia", { annual: 5 }, 400],
    ["growth without last year's actual", "mia", { lastYearActual: undefined }, 400],
    ["growth with three decimals", "mia", { growth: { percent: 10.001 } }, 400],
    ["growth below −100 %", "mia", { growth: { basisPoints: -10_001 } }, 400],
    ["explicit weights missing a rep", "mia", { repSplit: { mode: "explicit", weights: { usr_tgt_rob: 1 } } }, 400],
    ["seasonality with 11 months", "mia", { seasonality: { monthWeights: [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1] } }, 400],
    ["seasonality of all zeros", "mia", { seasonality: { quarterWeights: [0, 0, 0, 0] } }, 400],
    ["a duplicate level", "mia", { levels: ["base", "base"] }, 400],
    ["a team plan without teamId", "mia", { teamId: undefined }, 400],
    ["an unknown field", "mia", { orgId: "org_tgt" }, 400],
  ])("%s", async (_name, caller, over, status) => {
    const res = await preview(caller, plan(over));
    expect(res.status, await res.clone().text()).toBe(status);
  });

  it("lets an admin plan the whole org among all active reps", async () => {
    const body = await json(await preview("ada", plan({ scope: "org", teamId: undefined, lastYearActual: undefined, growth: undefined, annual: 3_000_001 })));
    expect(body.subjectId).toBe(f.orgId);
    expect(body.reps.map((r: { id: string }) => r.id).sort()).toEqual([f.id("rae"), f.id("rob"), f.id("ron")].sort());
    expect(sum(body.levels[0].repTotals)).toBe(3_000_001);
  });
});

describe("POST /v1/targets/decompose/apply", () => {
  const plan = (over: Record<string, unknown> = {}) => ({
    year: 2028,
    scope: "team",
    teamId: team("team1"),
    lastYearActual: 12_000_000,
    growth: { percent: 10 },
    levels: ["base", "stretch"],
    reason: "FY2028 plan",
    ...over,
  });
  const apply = (user: FixtureUser, body: unknown) => call(user, "/v1/targets/decompose/apply", "POST", body);
  const inYear = (year: number) => count(`SELECT count(*) AS n FROM targets WHERE org_id = ? AND period_start >= ? AND period_end <= ?`, f.orgId, `${year}-01-01`, `${year}-12-31`);
  const versionsInYear = (year: number) =>
    count(
      `SELECT count(*) AS n FROM target_versions v JOIN targets t ON t.id = v.target_id WHERE t.org_id = ? AND t.period_start >= ? AND t.period_end <= ?`,
      f.orgId,
      `${year}-01-01`,
      `${year}-12-31`,
    );

  it("stores the previewed plan with a version per target, and re-applying it changes nothing", async () => {
    const previewBody = await json(await call("mia", "/v1/targets/decompose", "POST", { ...plan(), reason: undefined }));
    const res = await apply("mia", plan());
    expect(res.status, await res.clone().text()).toBe(200);
    const body = await json(res);
    expect(body.levels).toEqual(previewBody.levels);
    expect(body).toMatchObject({ targetCount: 2 * (1 + 4 + 12 + 52 + 24), created: 2 * 93, updated: 0, unchanged: 0 });
    expect(await inYear(2028)).toBe(186);
    expect(await versionsInYear(2028)).toBe(186);
    const reasons = await env.DB.prepare(`SELECT DISTINCT v.reason, v.author_id, v.version FROM target_versions v JOIN targets t ON t.id = v.target_id WHERE t.period_key LIKE '2028%'`).all();
    expect(reasons.results).toEqual([{ reason: "FY2028 plan", author_id: f.id("mia"), version: 1 }]);

    const robMonth = await json(await call("rob", `/v1/targets?scope=rep&subjectId=${f.id("rob")}&periodKey=2028-11&level=stretch`));
    expect(robMonth.targets).toHaveLength(1);
    expect(robMonth.targets[0].amount).toBe(660_000);

    const targetsBefore = await dump("targets");
    const versionsBefore = await dump("target_versions");
    const again = await json(await apply("mia", plan()));
    expect(again).toMatchObject({ created: 0, updated: 0, unchanged: 186 });
    expect(await dump("targets")).toEqual(targetsBefore);
    expect(await dump("target_versions")).toEqual(versionsBefore);
  });

  it("updates only what changed, each change a new version with the given reason", async () => {
    // Same annual, different seasonality: the year and weeks may stay, quarters and months move.
    const res = await json(await apply("mia", plan({ seasonality: { quarterWeights: [1, 1, 1, 2] }, reason: "Q4 heavier" })));
    expect(res.created).toBe(0);
    expect(res.updated).toBeGreaterThan(0);
    expect(res.unchanged).toBeGreaterThan(0);
    expect(res.updated + res.unchanged).toBe(186);
    expect(await versionsInYear(2028)).toBe(186 + res.updated);
    const year = await json(await call("mia", `/v1/targets?scope=team&subjectId=${team("team1")}&periodKey=2028&level=base`));
    expect(year.targets[0]).toMatchObject({ amount: 13_200_000, version: 1 });
    const q4 = await json(await call("mia", `/v1/targets?scope=team&subjectId=${team("team1")}&periodKey=2028-Q4&level=base`));
    expect(q4.targets[0]).toMatchObject({ amount: 5_280_000, version: 2 });
    const history = await json(await call("mia", `/v1/targets/${q4.targets[0].id}/versions`));
    expect(history.versions.map((v: { reason: string }) => v.reason)).toEqual(["FY2028 plan", "Q4 heavier"]);
  });

  it("feeds the rep's progress: the month's target is the plan's", async () => {
    await apply("ada", { ...plan(), year: 2026, levels: ["base"], reason: "FY2026" });
    const progress = await json(await call("rob", "/v1/progress"));
    expect(progress.period).toMatchObject({ key: "2026-11", target: 550_000 });
  });

  it("is atomic: when one statement of the batch fails, nothing is written", async () => {
    await runSql([
      `CREATE TRIGGER fail_tgt_test BEFORE INSERT ON targets WHEN NEW.period_key = '2029-12' AND NEW.scope = 'rep'
       BEGIN SELECT RAISE(ABORT, 'injected failure'); END`,
    ]);
    try {
      const targetsBefore = await dump("targets");
      const versionsBefore = await dump("target_versions");
      const res = await apply("mia", plan({ year: 2029 }));
      expect(res.status).toBe(500);
      expect(await inYear(2029)).toBe(0);
      expect(await dump("targets")).toEqual(targetsBefore);
      expect(await dump("target_versions")).toEqual(versionsBefore);
    } finally {
      await runSql([`DROP TRIGGER fail_tgt_test`]);
    }
    const res = await apply("mia", plan({ year: 2029 }));
    expect(res.status).toBe(200);
    expect(await inYear(2029)).toBe(186);
  });

  it("refuses reps and managers' plans outside their scope, and writes nothing", async () => {
    const before = await count(`SELECT count(*) AS n FROM targets WHERE org_id = ?`, f.orgId);
    expect((await apply("rob", plan({ year: 2030 }))).status).toBe(403);
    expect((await apply("max", plan({ year: 2030 }))).status).toBe(404);
    expect((await apply("mia", plan({ year: 2030, reason: "" }))).status).toBe(400);
    expect((await apply("mia", { ...plan({ year: 2030 }), reason: undefined })).status).toBe(400);
    expect(await count(`SELECT count(*) AS n FROM targets WHERE org_id = ?`, f.orgId)).toBe(before);
  });
});
