import { beforeAll, describe, expect, it } from "vitest";
import { api, count, json, makeOtherOrg, pair, seedDemoOnce } from "../test/helpers";
import { correctedOccurredAt } from "./activities";

const event = (over: Record<string, unknown> = {}) => ({
  clientEventId: crypto.randomUUID(),
  kind: "touch",
  occurredAt: new Date().toISOString(),
  source: "popup",
  ...over,
});
const post = (token: string, body: unknown, now?: number) =>
  api("/v1/activities", { method: "POST", body: JSON.stringify(body), token, ...(now === undefined ? {} : { now }) });
const rows = (ids: string[]) =>
  count(`SELECT count(*) AS n FROM activities WHERE client_event_id IN (${ids.map((id) => `'${id}'`).join(",")})`);

describe("POST /v1/activities", () => {
  let token: string;
  beforeAll(async () => {
    await seedDemoOnce();
    token = await pair("usr_demo_li");
  });

  it("stores a batch once and reports a replay as duplicates", async () => {
    const events = [event(), event({ kind: "proposal_sent" }), event({ kind: "won", amount: 1_234_56, customer: "Acme" })];
    const ids = events.map((e) => e.clientEventId);
    const first = await post(token, { events });
    expect(first.status).toBe(201);
    expect(await json(first)).toMatchObject({ created: 3, duplicates: 0 });
    const replay = await post(token, { events: [...events].reverse() });
    expect(replay.status).toBe(200);
    const body = await json(replay);
    expect(body).toMatchObject({ created: 0, duplicates: 3 });
    expect(body.results.map((r: { status: string }) => r.status)).toEqual(["duplicate", "duplicate", "duplicate"]);
    expect(await rows(ids)).toBe(3);
  });

  it("stores a client id repeated inside one batch once", async () => {
    const e = event();
    const res = await json(await post(token, { events: [e, e] }));
    expect(res.results).toEqual([
      { clientEventId: e.clientEventId, status: "created" },
      { clientEventId: e.clientEventId, status: "duplicate" },
    ]);
    expect(await rows([e.clientEventId])).toBe(1);
  });

  it("stores each event once when the same batch is posted concurrently 20 times and replayed out of order", async () => {
    const events = Array.from({ length: 25 }, () => event());
    const answers = await Promise.all(Array.from({ length: 20 }, () => post(token, { events }).then(json)));
    expect(answers.reduce((sum, a) => sum + a.created, 0)).toBe(25);
    // Out-of-order replays: reversed, interleaved halves, single events.
    const replays = [[...events].reverse(), [...events.filter((_, i) => i % 2), ...events.filter((_, i) => i % 2 === 0)], ...events.slice(0, 5).map((e) => [e])];
    const again = await Promise.all(replays.map((batch) => post(token, { events: batch }).then(json)));
    expect(again.every((a) => a.created === 0)).toBe(true);
    expect(await rows(events.map((e) => e.clientEventId))).toBe(25);
  });

  it("takes a full batch of 500 in one request", async () => {
    const events = Array.from({ length: 500 }, () => event());
    const res = await post(token, { events });
    expect((await json(res)).created).toBe(500);
  });

  it.each([
    ["no events", { events: [] }],
    ["501 events", { events: Array.from({ length: 501 }, () => event()) }],
    ["unknown kind", { events: [event({ kind: "coffee" })] }],
    ["bad client id", { events: [event({ clientEventId: "123" })] }],
    ["local time without zone", { events: [event({ occurredAt: "2026-11-23T10:00:00" })] }],
    ["amount on a touch", { events: [event({ amount: 100 })] }],
    ["negative amount", { events: [event({ kind: "won", amount: -1 })] }],
    ["fractional amount", { events: [event({ kind: "won", amount: 1.5 })] }],
    ["unknown source", { events: [event({ source: "email-body" })] }],
    ["mass assignment of user", { events: [event({ userId: "usr_demo_chen" })] }],
    ["mass assignment of org", { orgId: "org_other", events: [event()] }],
  ])("rejects %s with a 4xx envelope and writes nothing — even the valid events", async (_, body) => {
    const good = event();
    const payload = { ...body, events: [...(body as { events: unknown[] }).events, good] };
    const before = await count("SELECT count(*) AS n FROM activities");
    const res = await post(token, _ === "no events" ? body : payload);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    const err = await json(res);
    expect(typeof err.error.code).toBe("string");
    expect(typeof err.error.message).toBe("string");
    expect(await count("SELECT count(*) AS n FROM activities")).toBe(before);
  });

  it("rejects a body over the size limit with 413", async () => {
    const res = await api("/v1/activities", { method: "POST", body: "x".repeat(300 * 1024), token });
    expect(res.status).toBe(413);
    expect((await json(res)).error.code).toBe("payload_too_large");
  });

  it.each([
    ["no header", undefined],
    ["unknown token", "thd_this-token-does-not-exist-anywhere"],
  ])("refuses %s with 401", async (_, t) => {
    const res = await api("/v1/activities", { method: "POST", body: JSON.stringify({ events: [event()] }), ...(t ? { token: t } : {}) });
    expect(res.status).toBe(401);
    expect((await json(res)).error.code).toBe("unauthorized");
  });

  it("puts the event on the org's local day, correcting the client's clock", async () => {
    // Server: 2026-11-23 00:30 in Shanghai (16:30 UTC the day before). Client clock is 2 h behind.
    const now = Date.parse("2026-11-22T16:30:00Z");
    const clientNow = now - 2 * 3_600_000;
    const e = event({ occurredAt: new Date(clientNow - 60_000).toISOString() });
    await post(token, { sentAt: new Date(clientNow).toISOString(), events: [e] }, now);
    const { env } = await import("cloudflare:test");
    const row = await env.DB.prepare("SELECT day, occurred_at FROM activities WHERE client_event_id = ?").bind(e.clientEventId).first<{ day: string; occurred_at: number }>();
    expect(row).toEqual({ day: "2026-11-23", occurred_at: now - 60_000 });
  });

  it.each([
    ["no skew", 1_000, undefined, 5_000, 1_000],
    ["client 1 h behind", 1_000, 2_000, 3_602_000, 3_601_000],
    ["client 1 h ahead", 3_601_000, 3_602_000, 2_000, 1_000],
    ["future event is clamped to now + 60 s", 500_000, undefined, 1_000, 61_000],
  ])("correctedOccurredAt: %s", (_, occurredAt, sentAt, now, expected) => {
    expect(correctedOccurredAt(occurredAt, sentAt, now)).toBe(expected);
  });

  it("keeps orgs apart: the same client id in another org is a different event, and neither sees the other", async () => {
    const other = await makeOtherOrg("org_iso_a");
    const e = event();
    expect((await json(await post(token, { events: [e] }))).created).toBe(1);
    expect((await json(await post(other.token, { events: [e] }))).created).toBe(1);
    expect(await count("SELECT count(*) AS n FROM activities WHERE org_id = ? AND client_event_id = ?", "org_iso_a", e.clientEventId)).toBe(1);
    // The other org's rep cannot read a demo rep's progress.
    const res = await api("/v1/progress?userId=usr_demo_li", { token: other.token });
    expect(res.status).toBe(404);
  });
});
