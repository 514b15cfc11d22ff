import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { makeFixture, type Fixture, type FixtureUser } from "../test/fixture";
import { api, json, runSql } from "../test/helpers";

let f: Fixture;
const call = (user: FixtureUser, path: string, method = "GET", body?: unknown) =>
  api(path, { method, token: f.token(user), ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
const storedSettings = async () =>
  JSON.parse((await env.DB.prepare("SELECT settings FROM orgs WHERE id = ?").bind(f.orgId).first<{ settings: string }>())!.settings);

beforeAll(async () => {
  f = await makeFixture("org");
});

describe("org settings", () => {
  it("answers every setting with the DOMAIN.md defaults when none is stored, target defaults included", async () => {
    const res = await call("rob", "/v1/org");
    expect(res.status).toBe(200);
    const org = await json(res);
    expect(org).toMatchObject({ id: f.orgId, timeZone: "Asia/Shanghai" });
    expect(org.settings).toEqual({
      kpiOverrides: {},
      tiers: [
        { id: "base", percent: 60 },
        { id: "advanced", percent: 80 },
        { id: "top", percent: 100 },
      ],
      scoreWeights: { result: 70, process: 30 },
      colourBands: { red: 0.5, yellow: 1 },
      leaderboardPrivacy: "full",
      keyCustomerSilenceDays: 7,
      undoWindowMinutes: 10,
      levelBasisPoints: { stretch: 12_000, challenge: 15_000 },
      seniorityWeights: { junior: 3, mid: 4, senior: 5 },
    });
  });

  it("changes one setting at a time and leaves the others as they are", async () => {
    const first = await call("ada", "/v1/org", "PATCH", { settings: { levelBasisPoints: { stretch: 11_000, challenge: 13_000 } } });
    expect(first.status, await first.clone().text()).toBe(200);
    const second = await call("ada", "/v1/org", "PATCH", { settings: { leaderboardPrivacy: "self" } });
    expect(second.status).toBe(200);
    const { settings } = await json(second);
    expect(settings.levelBasisPoints).toEqual({ stretch: 11_000, challenge: 13_000 });
    expect(settings.leaderboardPrivacy).toBe("self");
    // Only what was set is stored; defaults stay defaults (a later change of a default reaches this org).
    expect(await storedSettings()).toEqual({ levelBasisPoints: { stretch: 11_000, challenge: 13_000 }, leaderboardPrivacy: "self" });
  });

  it.each<[string, FixtureUser, unknown, number]>([
    ["challenge below stretch", "ada", { levelBasisPoints: { stretch: 13_000, challenge: 12_000 } }, 400],
    ["stretch below base", "ada", { levelBasisPoints: { stretch: 9_000, challenge: 12_000 } }, 400],
    ["all seniority weights zero", "ada", { seniorityWeights: { junior: 0, mid: 0, senior: 0 } }, 400],
    ["a missing seniority", "ada", { seniorityWeights: { junior: 1, mid: 1 } }, 400],
    ["a negative weight", "ada", { seniorityWeights: { junior: -1, mid: 1, senior: 1 } }, 400],
    ["an unknown setting", "ada", { levelMultipliers: { stretch: 12_000 } }, 400],
    ["a manager", "mia", { seniorityWeights: { junior: 1, mid: 1, senior: 1 } }, 403],
  ])("refuses %s and changes nothing", async (_, user, settings, status) => {
    const before = await storedSettings();
    const res = await call(user, "/v1/org", "PATCH", { settings });
    expect(res.status).toBe(status);
    expect((await json(res)).error.code).toBe(status === 403 ? "forbidden" : "validation_failed");
    expect(await storedSettings()).toEqual(before);
  });
});

describe("POST /v1/targets/decompose takes the org's target defaults", () => {
  const plan = (over: Record<string, unknown> = {}) => ({
    year: 2026,
    scope: "team",
    teamId: "team_org_team1",
    annual: 1_200_000,
    levels: ["base", "stretch", "challenge"],
    ...over,
  });
  const annuals = (body: { levels: { level: string; annual: number }[] }) => Object.fromEntries(body.levels.map((l) => [l.level, l.annual]));
  const novemberShares = (body: { levels: { quarters: { months: { reps: { repId: string; amount: number }[] }[] }[] }[] }) =>
    Object.fromEntries(body.levels[0]!.quarters[3]!.months[1]!.reps.map((r) => [r.repId, r.amount]));

  beforeAll(async () => {
    await runSql([`UPDATE users SET seniority = 'senior' WHERE id = '${f.id("rob")}'`, `UPDATE users SET seniority = 'junior' WHERE id = '${f.id("rae")}'`]);
  });

  it("uses the org's level multipliers when the body gives none, and the body's when it does", async () => {
    await runSql([`UPDATE orgs SET settings = '{"levelBasisPoints":{"stretch":11000,"challenge":13000}}' WHERE id = '${f.orgId}'`]);
    const fromOrg = await json(await call("mia", "/v1/targets/decompose", "POST", plan()));
    expect(fromOrg.levelBasisPoints).toEqual({ stretch: 11_000, challenge: 13_000 });
    expect(annuals(fromOrg)).toEqual({ base: 1_200_000, stretch: 1_320_000, challenge: 1_560_000 });

    const fromBody = await json(await call("mia", "/v1/targets/decompose", "POST", plan({ levelBasisPoints: { stretch: 12_500, challenge: 20_000 } })));
    expect(fromBody.levelBasisPoints).toEqual({ stretch: 12_500, challenge: 20_000 });
    expect(annuals(fromBody)).toEqual({ base: 1_200_000, stretch: 1_500_000, challenge: 2_400_000 });

    await runSql([`UPDATE orgs SET settings = '{}' WHERE id = '${f.orgId}'`]);
    const defaults = await json(await call("mia", "/v1/targets/decompose", "POST", plan()));
    expect(defaults.levelBasisPoints).toEqual({ stretch: 12_000, challenge: 15_000 });
    expect(annuals(defaults)).toEqual({ base: 1_200_000, stretch: 1_440_000, challenge: 1_800_000 });
  });

  it("splits by the org's seniority weights when the body gives none, and by the body's when it does", async () => {
    // 100,000 a month between a senior (Rob) and a junior (Rae).
    const defaults = await json(await call("mia", "/v1/targets/decompose", "POST", plan({ repSplit: { mode: "seniority" } })));
    expect(defaults.repSplit).toEqual({ mode: "seniority", weights: { junior: 3, mid: 4, senior: 5 } });
    expect(novemberShares(defaults)).toEqual({ [f.id("rob")]: 62_500, [f.id("rae")]: 37_500 });

    const patch = await call("ada", "/v1/org", "PATCH", { settings: { seniorityWeights: { junior: 1, mid: 1, senior: 3 } } });
    expect(patch.status).toBe(200);
    const fromOrg = await json(await call("mia", "/v1/targets/decompose", "POST", plan({ repSplit: { mode: "seniority" } })));
    expect(fromOrg.repSplit).toEqual({ mode: "seniority", weights: { junior: 1, mid: 1, senior: 3 } });
    expect(novemberShares(fromOrg)).toEqual({ [f.id("rob")]: 75_000, [f.id("rae")]: 25_000 });

    const fromBody = await json(
      await call("mia", "/v1/targets/decompose", "POST", plan({ repSplit: { mode: "seniority", weights: { junior: 1, mid: 1, senior: 1 } } })),
    );
    expect(novemberShares(fromBody)).toEqual({ [f.id("rob")]: 50_000, [f.id("rae")]: 50_000 });

    // An equal split ignores seniority weights altogether.
    const equal = await json(await call("mia", "/v1/targets/decompose", "POST", plan()));
    expect(equal.repSplit).toEqual({ mode: "equal" });
    expect(novemberShares(equal)).toEqual({ [f.id("rob")]: 50_000, [f.id("rae")]: 50_000 });
  });

  it("applies with the org's defaults too", async () => {
    await runSql([`UPDATE orgs SET settings = '{"levelBasisPoints":{"stretch":10000,"challenge":20000}}' WHERE id = '${f.orgId}'`]);
    const res = await call("mia", "/v1/targets/decompose/apply", "POST", { ...plan({ year: 2027 }), reason: "plan 2027" });
    expect(res.status, await res.clone().text()).toBe(200);
    const stored = await env.DB.prepare(
      "SELECT level, amount FROM targets WHERE org_id = ? AND scope = 'team' AND subject_id = 'team_org_team1' AND period_key = '2027' ORDER BY level",
    )
      .bind(f.orgId)
      .all<{ level: string; amount: number }>();
    expect(stored.results).toEqual([
      { level: "base", amount: 1_200_000 },
      { level: "challenge", amount: 2_400_000 },
      { level: "stretch", amount: 1_200_000 },
    ]);
  });
});
