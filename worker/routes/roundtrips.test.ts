import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../app";
import { parseServerTiming } from "../server-timing";
import { buildPairingCodes } from "../db/seed";
import { makeFixture, type Fixture, type FixtureUser } from "../test/fixture";
import { api, json, runSql } from "../test/helpers";

/**
 * D1 round trips per request on the hot paths, measured by the counting D1 wrapper (SERVER_TIMING = "1", reported in
 * the Server-Timing header): with the caller in the auth cache, each request is ONE round trip (one db.batch).
 */

// Monday 2026-11-16, 12:00 in Shanghai.
const NOW = Date.parse("2026-11-16T04:00:00Z");
const app = createApp();
let f: Fixture;

async function measured(path: string, token: string, init: { method?: string; body?: unknown } = {}) {
  const ctx = createExecutionContext();
  const headers = new Headers({ authorization: `Bearer ${token}`, "x-debug-now": new Date(NOW).toISOString() });
  if (init.body !== undefined) headers.set("content-type", "application/json");
  const request = new Request(`http://hud.test${path}`, {
    method: init.method ?? "GET",
    headers,
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  const res = await app.fetch(request, { ...env, SERVER_TIMING: "1" }, ctx);
  await waitOnExecutionContext(ctx);
  const stats = parseServerTiming(res.headers.get("server-timing"));
  expect(stats, "Server-Timing header").not.toBeNull();
  return { status: res.status, text: await res.text(), ...stats! };
}

/** A token no isolate has seen yet, so its first request misses the auth cache. */
async function freshToken(user: FixtureUser): Promise<string> {
  const { statements, codes } = await buildPairingCodes(NOW, [{ id: f.id(user), name: user, role: "rep" }], f.orgId);
  await runSql(statements);
  const res = await api("/v1/pair", { method: "POST", body: JSON.stringify({ code: codes[0]!.code }), now: NOW });
  return (await json<{ token: string }>(res)).token;
}

const event = (kind = "touch") => ({ clientEventId: crypto.randomUUID(), kind, occurredAt: new Date(NOW - 60_000).toISOString(), source: "api" });

beforeAll(async () => {
  f = await makeFixture("rt", NOW);
});

describe("D1 round trips per request", () => {
  const HOT: [string, FixtureUser, number, () => { path: string; method?: string; body?: unknown }][] = [
    ["POST /v1/activities, 1 event", "rob", 201, () => ({ path: "/v1/activities", method: "POST", body: { events: [event()] } })],
    [
      "POST /v1/activities, 500 events with key customers",
      "rob",
      201,
      () => ({ path: "/v1/activities", method: "POST", body: { events: Array.from({ length: 500 }, (_, i) => ({ ...event(), customer: `C${i % 7}` })) } }),
    ],
    ["GET /v1/progress", "rob", 200, () => ({ path: "/v1/progress" })],
    ["GET /v1/progress?userId (a rep in the manager's scope)", "mia", 200, () => ({ path: `/v1/progress?userId=${f.id("rob")}` })],
    ["GET /v1/progress?userId (outside the manager's scope: 404)", "mia", 404, () => ({ path: `/v1/progress?userId=${f.id("ron")}` })],
    ["GET /v1/team/summary (manager)", "mia", 200, () => ({ path: "/v1/team/summary" })],
    ["GET /v1/team/summary (director)", "dora", 200, () => ({ path: "/v1/team/summary" })],
    ["GET /v1/team/summary (rep: 403)", "rob", 403, () => ({ path: "/v1/team/summary" })],
  ];

  it.each(HOT)("%s: one round trip once the caller is cached", async (_, user, status, request) => {
    const token = await freshToken(user);
    const cold = await measured(request().path, token, request());
    expect(cold.status, cold.text).toBe(status);
    // The first request also looks the token up (and records its use): more than one round trip.
    expect(cold.roundTrips).toBeGreaterThan(1);
    const warm = await measured(request().path, token, request());
    expect(warm.status, warm.text).toBe(status);
    expect(warm.roundTrips).toBe(1);
    expect(warm.statements).toBeGreaterThanOrEqual(1);
  });

  it("counts every statement of the one batch", async () => {
    const token = await freshToken("rob");
    await measured("/v1/progress", token);
    // Token re-check + the six read-model statements (daily counts, kind totals, target, alerts, key customers, last activity).
    expect((await measured("/v1/progress", token)).statements).toBe(7);
    // Token re-check + one insert + one key-customer touch.
    expect((await measured("/v1/activities", token, { method: "POST", body: { events: [{ ...event(), customer: "Acme" }] } })).statements).toBe(3);
  });

  it("sends no Server-Timing header unless the deployment asks for it", async () => {
    const res = await api("/v1/progress", { token: f.token("rob"), now: NOW });
    expect(res.status).toBe(200);
    expect(res.headers.get("server-timing")).toBeNull();
  });
});

describe("a cached caller whose role or team changed", () => {
  it("is read again, so the scope is always today's", async () => {
    const token = await freshToken("max");
    const summary = async () => JSON.parse((await measured("/v1/team/summary", token)).text) as { reps: { name: string }[] };
    expect((await summary()).reps.map((r) => r.name)).toEqual(["ron"]);
    // Max moves to team 1: the cached scope (team 2) is stale. (Ron still reports to him directly.)
    await runSql([`UPDATE users SET team_id = 'team_rt_team1' WHERE id = '${f.id("max")}'`]);
    const moved = await measured("/v1/team/summary", token);
    expect(JSON.parse(moved.text).reps.map((r: { name: string }) => r.name)).toEqual(["rae", "rob", "ron"]);
    expect(moved.roundTrips).toBeGreaterThan(1);
    // The stale entry is gone from the cache: the next request looks the caller up, the one after is one round trip.
    await measured("/v1/team/summary", token);
    expect((await measured("/v1/team/summary", token)).roundTrips).toBe(1);
    // Demoted to rep: the summary is refused at once, not after the cache expires.
    await runSql([`UPDATE users SET role = 'rep' WHERE id = '${f.id("max")}'`]);
    expect((await measured("/v1/team/summary", token)).status).toBe(403);
    expect((await measured(`/v1/progress?userId=${f.id("rob")}`, token)).status).toBe(404);
    await runSql([`UPDATE users SET role = 'manager', team_id = 'team_rt_team2' WHERE id = '${f.id("max")}'`]);
    expect(JSON.parse((await measured("/v1/team/summary", token)).text).reps.map((r: { name: string }) => r.name)).toEqual(["ron"]);
  });

  it("answers 401 at once when the token is revoked, within the one batch", async () => {
    const token = await freshToken("mia");
    expect((await measured("/v1/team/summary", token)).status).toBe(200);
    await runSql([`UPDATE device_tokens SET revoked_at = ${NOW} WHERE org_id = '${f.orgId}' AND user_id = '${f.id("mia")}'`]);
    const revoked = await measured("/v1/team/summary", token);
    expect(revoked.status).toBe(401);
    expect(revoked.roundTrips).toBe(1);
  });
});
