import { beforeAll, describe, expect, test } from "vitest";
import { api, json, runSql } from "../test/helpers";
import { makeFixture, type Fixture, type FixtureUser } from "../test/fixture";

/** Awards as the cron writes them (worker/cron/write.ts), read back per role. */
describe("GET /v1/awards", () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await makeFixture("awd");
    const row = (id: string, kind: string, user: string | null, team: string | null, period: string, tier: number | null, at: number) =>
      `INSERT INTO awards (id, org_id, user_id, team_id, kind, period_key, tier, natural_key, details, created_at)
       VALUES ('${id}', '${f.orgId}', ${user ? `'${user}'` : "NULL"}, ${team ? `'${team}'` : "NULL"}, '${kind}', '${period}', ${tier ?? "NULL"}, '${kind}:${id}', '{"note":"x"}', ${at})`;
    await runSql([
      row("awd_rob60", "tier", f.id("rob"), "team_awd_team1", "2026-09", 60, 1_000),
      row("awd_rob80", "tier", f.id("rob"), "team_awd_team1", "2026-09", 80, 2_000),
      row("awd_ron60", "tier", f.id("ron"), "team_awd_team2", "2026-09", 60, 3_000),
      row("awd_champ", "champion", f.id("ron"), "team_awd_team2", "2026-W37", null, 4_000),
      row("awd_pk", "team_pk", null, "team_awd_team1", "2026-W37", null, 5_000),
      `INSERT INTO awards (id, org_id, user_id, team_id, kind, period_key, natural_key, created_at) VALUES ('awd_other', '${f.otherOrgId}', '${f.id("xrep")}', NULL, 'tier', '2026-09', 'x', 6000)`,
    ]);
  });

  const ids = async (who: FixtureUser, query = "") => {
    const res = await api(`/v1/awards${query}`, { token: f.token(who) });
    expect(res.status).toBe(200);
    return (await json<{ awards: { id: string }[] }>(res)).awards.map((a) => a.id);
  };

  test("each role sees the awards of its scope, newest first; team PK by team", async () => {
    expect(await ids("rob")).toEqual(["awd_pk", "awd_rob80", "awd_rob60"]);
    expect(await ids("mia")).toEqual(["awd_pk", "awd_rob80", "awd_rob60"]);
    expect(await ids("max")).toEqual(["awd_champ", "awd_ron60"]);
    expect(await ids("dora")).toEqual(["awd_pk", "awd_champ", "awd_ron60", "awd_rob80", "awd_rob60"]);
    expect(await ids("ada")).toEqual(["awd_pk", "awd_champ", "awd_ron60", "awd_rob80", "awd_rob60"]);
    expect(await ids("xrep")).toEqual(["awd_other"]);
  });

  test("filters: user, kind, since", async () => {
    expect(await ids("ada", `?userId=${f.id("ron")}`)).toEqual(["awd_champ", "awd_ron60"]);
    expect(await ids("ada", "?kind=tier")).toEqual(["awd_ron60", "awd_rob80", "awd_rob60"]);
    expect(await ids("ada", `?since=${new Date(2_500).toISOString()}`)).toEqual(["awd_pk", "awd_champ", "awd_ron60"]);
    const bad = await api("/v1/awards?kind=medal", { token: f.token("ada") });
    expect(bad.status).toBe(400);
    expect((await json(bad)).error.code).toBe("validation_failed");
  });
});
