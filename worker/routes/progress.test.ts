import { beforeAll, describe, expect, it } from "vitest";
import { api, json, makeOtherOrg, pair, runSql, seedDemoOnce } from "../test/helpers";

// Monday 2026-11-16, 12:00 in Shanghai. November 2026 has 21 Mon–Fri working days; 10 have closed.
const NOW = Date.parse("2026-11-16T04:00:00Z");

describe("GET /v1/progress", () => {
  let token: string;
  beforeAll(async () => {
    await seedDemoOnce(NOW);
    const org = await makeOtherOrg("org_prog", NOW);
    await runSql([
      `UPDATE orgs SET time_zone = 'Asia/Shanghai' WHERE id = 'org_prog'`,
      `UPDATE users SET seniority = 'junior' WHERE id = '${org.userId}'`,
      `INSERT INTO targets (id, org_id, scope, subject_id, metric, period_kind, period_key, period_start, period_end, level, amount)
       VALUES ('tgt_prog', 'org_prog', 'rep', '${org.userId}', 'revenue', 'month', '2026-11', '2026-11-01', '2026-11-30', 'base', 1000000)`,
    ]);
    token = org.token;
    const at = (iso: string, kind: string, amount?: number) => ({
      clientEventId: crypto.randomUUID(),
      kind,
      occurredAt: iso,
      source: "api",
      ...(amount === undefined ? {} : { amount }),
    });
    const events = [
      at("2026-11-10T03:00:00Z", "won", 400_000),
      at("2026-10-30T03:00:00Z", "won", 999_999), // last month: not counted
      at("2026-11-16T01:00:00Z", "touch"),
      at("2026-11-16T02:00:00Z", "touch"),
      at("2026-11-16T03:00:00Z", "touch"),
      at("2026-11-15T15:59:00Z", "touch"), // 23:59 Sunday in Shanghai: yesterday
      at("2026-11-16T03:30:00Z", "proposal_sent"),
    ];
    const res = await api("/v1/activities", { method: "POST", body: JSON.stringify({ events }), token, now: NOW });
    expect(res.status).toBe(201);
  });

  it("reports today's KPIs against the junior minimums and the month's pace", async () => {
    const res = await api("/v1/progress", { token, now: NOW });
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body.day).toBe("2026-11-16");
    expect(body.serverTime).toBe("2026-11-16T04:00:00.000Z");
    expect(body.today.kpis).toEqual([
      { kind: "touch", count: 3, minimum: 8 },
      { kind: "needs_confirmed", count: 0, minimum: 2 },
      { kind: "proposal_sent", count: 1, minimum: 1 },
      { kind: "demo_or_visit", count: 0, minimum: 1 },
    ]);
    expect(body.today.status).toBe("below");
    const p = body.period;
    expect(p).toMatchObject({ kind: "month", key: "2026-11", target: 1_000_000, actual: 400_000, workingDays: 21, elapsedWorkingDays: 10, remainingWorkingDays: 11, band: "yellow" });
    expect(p.completion).toBeCloseTo(0.4, 10);
    expect(p.expectedToDate).toBeCloseTo((1_000_000 * 10) / 21, 6);
    expect(p.pace).toBeCloseTo(0.4 / (10 / 21), 10);
    expect(p.requiredRunRate).toBeCloseTo(600_000 / 11, 6);
  });

  it("lets a manager read a rep of their team, and not a rep read another rep", async () => {
    await seedDemoOnce(NOW);
    const manager = await pair("usr_demo_manager", NOW);
    const rep = await pair("usr_demo_chen", NOW);
    expect((await api("/v1/progress?userId=usr_demo_li", { token: manager, now: NOW })).status).toBe(200);
    const denied = await api("/v1/progress?userId=usr_demo_li", { token: rep, now: NOW });
    expect(denied.status).toBe(404);
    expect((await json(denied)).error.code).toBe("not_found");
    // Another org's user id is not found either, even for a manager.
    expect((await api("/v1/progress?userId=usr_org_prog", { token: manager, now: NOW })).status).toBe(404);
  });

  it("rejects unknown query parameters", async () => {
    const res = await api("/v1/progress?orgId=org_demo", { token, now: NOW });
    expect(res.status).toBe(400);
    expect((await json(res)).error.code).toBe("validation_failed");
  });
});
