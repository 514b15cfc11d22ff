import { beforeAll, describe, expect, it } from "vitest";
import { api, json, runSql } from "../test/helpers";
import { makeFixture, type Fixture } from "../test/fixture";

const NOW = Date.parse("2026-11-20T04:00:00Z"); // Friday noon in Shanghai

describe("leaderboard, funnel, key customers, alerts, tasks, activity list and undo", () => {
  let f: Fixture;
  const post = (user: Parameters<Fixture["token"]>[0], events: object[], now = NOW) =>
    api("/v1/activities", { method: "POST", token: f.token(user), body: JSON.stringify({ events }), now });
  const ev = (kind: string, iso: string, extra: object = {}) => ({ clientEventId: crypto.randomUUID(), kind, occurredAt: iso, source: "api", ...extra });

  beforeAll(async () => {
    f = await makeFixture("ins", NOW);
    const target = (u: string, amount: number) =>
      `INSERT INTO targets (id, org_id, scope, subject_id, metric, period_kind, period_key, period_start, period_end, level, amount)
       VALUES ('t_${u}', '${f.orgId}', 'rep', '${f.id(u as never)}', 'revenue', 'month', '2026-11', '2026-11-01', '2026-11-30', 'base', ${amount})`;
    await runSql([target("rob", 1000), target("rae", 100), target("ron", 400)]);
    // rob 50 %, rae 100 %, ron 25 % — rae has the smallest target but ranks first.
    expect((await post("rob", [ev("won", "2026-11-18T03:00:00Z", { amount: 500 })])).status).toBe(201);
    expect((await post("rae", [ev("won", "2026-11-18T03:00:00Z", { amount: 100 })])).status).toBe(201);
    expect((await post("ron", [ev("won", "2026-11-18T03:00:00Z", { amount: 100 })])).status).toBe(201);
  });

  it("ranks by % of own target, and applies the privacy mode to reps only", async () => {
    const board = async (u: Parameters<Fixture["token"]>[0]) => json(await api("/v1/leaderboard", { token: f.token(u), now: NOW }));
    const full = await board("mia");
    expect(full.rows.map((r: { name: string; rank: number }) => [r.name, r.rank])).toEqual([["rae", 1], ["rob", 2], ["ron", 3]]);
    expect(JSON.stringify(full)).not.toContain("500"); // completion only, never amounts
    await runSql([`UPDATE orgs SET settings = '{"leaderboardPrivacy":"self"}' WHERE id = '${f.orgId}'`]);
    const self = await board("ron");
    expect(self.privacy).toBe("self");
    expect(self.rows.map((r: { name: string }) => r.name)).toEqual(["ron"]);
    expect((await board("mia")).rows).toHaveLength(3);
    await runSql([`UPDATE orgs SET settings = '{}' WHERE id = '${f.orgId}'`]);
  });

  it("counts the funnel with conversions in scope", async () => {
    await post("rob", [
      ...Array.from({ length: 4 }, () => ev("lead", "2026-11-19T03:00:00Z")),
      ...Array.from({ length: 2 }, () => ev("first_contact", "2026-11-19T03:00:00Z")),
      ev("needs_confirmed", "2026-11-19T03:00:00Z"),
    ]);
    await post("ron", [ev("lead", "2026-11-19T03:00:00Z")]);
    const funnel = async (u: Parameters<Fixture["token"]>[0], qs = "") => json(await api(`/v1/funnel${qs}`, { token: f.token(u), now: NOW }));
    const mine = await funnel("mia");
    expect(mine.stages.slice(0, 3)).toEqual([
      { kind: "lead", count: 4, conversion: 0.5 },
      { kind: "first_contact", count: 2, conversion: 0.5 },
      { kind: "needs_confirmed", count: 1, conversion: 0 },
    ]);
    expect(mine.stages.find((s: { kind: string }) => s.kind === "won").count).toBe(2); // rob's + rae's deals
    expect((await funnel("ada")).stages[0].count).toBe(5);
    expect((await api(`/v1/funnel?userId=${f.id("ron")}`, { token: f.token("mia"), now: NOW })).status).toBe(404);
  });

  it("tracks key customers' silence, refreshed by touches with their label", async () => {
    const add = await api("/v1/key-customers", { method: "POST", token: f.token("rob"), now: NOW, body: JSON.stringify({ label: "Acme 上海", lastResponseAt: "2026-11-10T02:00:00Z" }) });
    expect(add.status).toBe(201);
    const again = await api("/v1/key-customers", { method: "POST", token: f.token("rob"), now: NOW, body: JSON.stringify({ label: "Acme 上海" }) });
    expect(again.status).toBe(200);
    const list = async () => (await json(await api("/v1/key-customers", { token: f.token("rob"), now: NOW }))).customers;
    expect((await list())[0]).toMatchObject({ label: "Acme 上海", silentDays: 10 });
    await post("rob", [ev("touch", "2026-11-19T03:00:00Z", { customer: "Acme 上海" })]);
    expect((await list())[0]).toMatchObject({ lastResponseAt: "2026-11-19T03:00:00.000Z", silentDays: 1 });
    // An older touch never moves it back.
    await post("rob", [ev("touch", "2026-11-12T03:00:00Z", { customer: "Acme 上海" })]);
    expect((await list())[0].silentDays).toBe(1);
    expect((await api(`/v1/key-customers?userId=${f.id("rob")}`, { token: f.token("max"), now: NOW })).status).toBe(404);
  });

  it("lists alerts and tasks in scope; reps acknowledge, managers resolve and complete with a note", async () => {
    await runSql([
      `INSERT INTO alerts (id, org_id, user_id, level, rule, natural_key, status, opened_at) VALUES ('al_ins', '${f.orgId}', '${f.id("rob")}', 'yellow', 'kpi_streak', 'ins1', 'open', ${NOW})`,
      `INSERT INTO coaching_tasks (id, org_id, user_id, assignee_id, alert_id, kind, natural_key, due_day, created_at) VALUES ('ct_ins', '${f.orgId}', '${f.id("rob")}', '${f.id("mia")}', 'al_ins', 'coaching', 'ins1', '2026-11-23', ${NOW})`,
    ]);
    const ids = async (u: Parameters<Fixture["token"]>[0]) => (await json(await api("/v1/alerts", { token: f.token(u), now: NOW }))).alerts.map((a: { id: string }) => a.id);
    expect(await ids("rob")).toEqual(["al_ins"]);
    expect(await ids("mia")).toEqual(["al_ins"]);
    expect(await ids("max")).toEqual([]);
    expect((await api("/v1/alerts/al_ins/acknowledge", { method: "POST", token: f.token("max"), now: NOW })).status).toBe(404);
    const ack = await json(await api("/v1/alerts/al_ins/acknowledge", { method: "POST", token: f.token("rob"), now: NOW }));
    expect(ack.status).toBe("acknowledged");
    expect((await api("/v1/alerts/al_ins/resolve", { method: "POST", token: f.token("rob"), now: NOW })).status).toBe(403);
    expect((await json(await api("/v1/alerts/al_ins/resolve", { method: "POST", token: f.token("mia"), now: NOW }))).status).toBe("resolved");
    expect(await ids("mia")).toEqual([]);

    const tasks = await json(await api("/v1/tasks", { token: f.token("mia"), now: NOW }));
    expect(tasks.tasks.map((t: { id: string }) => t.id)).toEqual(["ct_ins"]);
    expect((await api("/v1/tasks/ct_ins/complete", { method: "POST", token: f.token("mia"), now: NOW, body: "{}" })).status).toBe(400);
    const done = await json(await api("/v1/tasks/ct_ins/complete", { method: "POST", token: f.token("mia"), now: NOW, body: JSON.stringify({ note: "1:1 held, plan agreed" }) }));
    expect(done).toMatchObject({ status: "done", note: "1:1 held, plan agreed" });
  });

  it("lists activities in scope with paging, and undoes an own event only within the window", async () => {
    const e = ev("touch", new Date(NOW).toISOString());
    await post("rae", [e]);
    const page1 = await json(await api(`/v1/activities?userId=${f.id("rae")}&limit=1`, { token: f.token("mia"), now: NOW }));
    expect(page1.activities).toHaveLength(1);
    expect(page1.nextCursor).not.toBeNull();
    const page2 = await json(await api(`/v1/activities?userId=${f.id("rae")}&limit=1&cursor=${page1.nextCursor}`, { token: f.token("mia"), now: NOW }));
    expect(page2.activities[0].id).not.toBe(page1.activities[0].id);
    expect((await api(`/v1/activities?userId=${f.id("rae")}`, { token: f.token("max"), now: NOW })).status).toBe(404);

    // Someone else cannot undo it; the owner can, twice harmlessly; a replay stays a duplicate.
    expect((await api(`/v1/activities/${e.clientEventId}`, { method: "DELETE", token: f.token("rob"), now: NOW })).status).toBe(404);
    expect((await api(`/v1/activities/${e.clientEventId}`, { method: "DELETE", token: f.token("rae"), now: NOW + 60_000 })).status).toBe(204);
    expect((await api(`/v1/activities/${e.clientEventId}`, { method: "DELETE", token: f.token("rae"), now: NOW + 61_000 })).status).toBe(204);
    expect((await json(await post("rae", [e]))).duplicates).toBe(1);
    const progress = await json(await api("/v1/progress", { token: f.token("rae"), now: NOW }));
    expect(progress.today.kpis[0].count).toBe(0);
    // Outside the 10-minute window: refused.
    const late = ev("touch", new Date(NOW).toISOString());
    await post("rae", [late]);
    const res = await api(`/v1/activities/${late.clientEventId}`, { method: "DELETE", token: f.token("rae"), now: Date.now() + 11 * 60_000 });
    expect(res.status).toBe(409);
  });
});
