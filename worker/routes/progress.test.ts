import { beforeAll, describe, expect, it } from "vitest";
import { api, json, makeOtherOrg, pair, pairUser, runSql, seedDemoOnce } from "../test/helpers";

// Monday 2026-11-16, 12:00 in Shanghai. November 2026 has 21 Mon–Fri working days; 10 have closed.
const NOW = Date.parse("2026-11-16T04:00:00Z");

describe("GET /v1/progress", () => {
  let token: string;
  beforeAll(async () => {
    await seedDemoOnce(NOW);
    const org = await makeOtherOrg("org_prog", NOW);
    await runSql([
      `UPDATE orgs SET time_zone = 'Asia/Shanghai' WHERE id = 'org_prog'`,
      // Hired long before: every closed working day of the lookback is theirs to meet or miss.
      `UPDATE users SET seniority = 'junior', hire_date = '2026-09-01' WHERE id = '${org.userId}'`,
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

  it.each([
    // [account created (UTC), hire date, streak] — org in New York; NOW is Sunday 15 Nov there, Friday the 13th the last closed day.
    ["2026-11-16T04:00:00Z", null, { meets: 0, below: 0 }], // made today: no closed working day is theirs yet
    ["2026-11-12T02:00:00Z", null, { meets: 0, below: 3 }], // made Wed 11 Nov (21:00 in New York): Wed, Thu, Fri
    ["2026-11-12T02:00:00Z", "2026-11-13", { meets: 0, below: 1 }], // the hire date wins over the account's day
  ] as const)("a new rep's streak starts on the day the account was made (%s), or the hire date (%s)", async (created, hireDate, streak) => {
    const id = `org_prog_new_${created.slice(8, 10)}_${hireDate ?? "none"}`.replace(/-/g, "");
    await runSql([
      `INSERT INTO orgs (id, name, time_zone, language, created_at) VALUES ('${id}', 'New reps', 'America/New_York', 'en', ${NOW})`,
      `INSERT INTO users (id, org_id, name, role, seniority, hire_date, created_at) VALUES ('usr_${id}', '${id}', 'New rep', 'rep', 'mid', ${hireDate ? `'${hireDate}'` : "NULL"}, ${Date.parse(created)})`,
    ]);
    const token = await pairUser(id, `usr_${id}`, NOW);
    const body = await json(await api("/v1/progress", { token, now: NOW }));
    expect(body.day).toBe("2026-11-15");
    expect(body.streak).toEqual(streak);
  });

  it("explains the score, the next tier in proposals, the streak, the alert level and the prompts", async () => {
    await runSql([
      `INSERT INTO alerts (id, org_id, user_id, level, rule, natural_key, status, opened_at) VALUES ('al_prog', 'org_prog', 'usr_org_prog', 'orange', 'kpi_streak', 'k1', 'open', ${NOW - 3_600_000})`,
    ]);
    const body = await json(await api("/v1/progress", { token, now: NOW }));
    // 70 % result: 0.4 completion. 30 % process over 11 working days to date (10 closed + today):
    // touch 4/88, needs 0/22, proposals 1/11, demos 0/11.
    const processMean = (4 / 88 + 0 + 1 / 11 + 0) / 4;
    expect(body.score.result).toEqual({ completion: 0.4, weight: 0.7, contribution: 0.4 * 0.7 });
    expect(body.score.process.mean).toBeCloseTo(processMean, 12);
    expect(body.score.score).toBeCloseTo(0.28 + 0.3 * processMean, 12);
    // 90 days of history: 1,399,999 won over 1 proposal → the 60 % tier (200,000 missing) is 1 proposal away.
    expect(body.tierDistance).toEqual({ tierId: "base", percent: 60, missing: 200_000, actions: 1, actionKind: "proposal_sent" });
    expect(body.streak).toEqual({ meets: 0, below: 20 });
    expect(body.alertLevel).toBe("orange");
    expect(body.alerts).toEqual([{ id: "al_prog", level: "orange", rule: "kpi_streak", status: "open", openedAt: new Date(NOW - 3_600_000).toISOString() }]);
    expect(body.lastActivityAt).toBe("2026-11-16T03:30:00.000Z");
    const types = body.prompts.map((p: { type: string }) => p.type);
    expect(types[0]).toBe("streak_risk");
    expect(types).toContain("next_tier");
    expect(types).toContain("kpi_gap");
    for (const p of body.prompts) expect(p.messageKey).toMatch(/^prompt\./);
  });

  it("summarises every rep in a manager's scope, and refuses reps", async () => {
    await seedDemoOnce(NOW);
    const manager = await pair("usr_demo_manager", NOW);
    const res = await api("/v1/team/summary", { token: manager, now: NOW });
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body.reps.map((r: { name: string }) => r.name)).toEqual(["Chen Jing", "Li Lei", "Zhang Wei"]);
    for (const rep of body.reps) {
      expect(rep.today.kpis).toHaveLength(4);
      expect(rep.period.key).toBe("2026-11");
    }
    // The summary row of a rep equals that rep's own progress (same rules, same data).
    const li = body.reps.find((r: { name: string }) => r.name === "Li Lei");
    const own = await json(await api("/v1/progress?userId=usr_demo_li", { token: manager, now: NOW }));
    for (const key of ["today", "period", "score", "tierDistance", "streak", "alertLevel", "lastActivityAt"]) expect(li[key]).toEqual(own[key]);
    const rep = await pair("usr_demo_li", NOW);
    expect((await api("/v1/team/summary", { token: rep, now: NOW })).status).toBe(403);
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
