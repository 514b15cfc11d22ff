import { env } from "cloudflare:workers";
import { describe, expect, test } from "vitest";
import { startOfLocalDay, type OrgCalendar } from "../../shared/domain/calendar";
import { runSql } from "../test/helpers";
import { newHook, received } from "../test/receivers";
import { READ_STATEMENTS } from "./load";
import { loadOrgFacts, loadOrgRow } from "./load";
import { planOrg } from "./plan";
import { runScheduled, type CronEnv } from "./run";
import { writeStatements } from "./write";

/**
 * The run around the plan: fan-out through the real local queue, many rows in chunked statements, one broken org not
 * stopping the others. Activities are inserted as rows here (the scenario test posts them through the API).
 */
const CAL: OrgCalendar = { timeZone: "Asia/Shanghai", weekStartsOn: 1, workingWeekdays: [1, 2, 3, 4, 5], holidays: [], makeupWorkdays: [] };
const created = Date.parse("2026-08-01T00:00:00Z");
/** Thu 2026-10-08 00:05 in Shanghai: closes Wed 10-07; Mon 10-05 … Wed 10-07 are the streak. */
const RUN_AT = startOfLocalDay("2026-10-08", CAL).getTime() + 5 * 60_000;

/** An org whose reps each touched twice on Mon–Wed (below every KPI), evaluated through Sunday. */
async function orgWithSlackers(id: string, reps: number, opts: { timeZone?: string; channels?: string[] } = {}) {
  const s = [
    `INSERT INTO orgs (id, name, time_zone, evaluated_through, created_at) VALUES ('${id}', '${id}', '${opts.timeZone ?? CAL.timeZone}', '2026-10-04', ${created})`,
    `INSERT INTO teams (id, org_id, name, kind) VALUES ('${id}_t', '${id}', 'Team', 'team')`,
  ];
  for (const [i, url] of (opts.channels ?? []).entries())
    s.push(
      `INSERT INTO notification_channels (id, org_id, team_id, kind, name, config, secret, created_at) VALUES ('${id}_c${i}', '${id}', NULL, 'webhook', 'Bot ${i}', '${JSON.stringify({ url })}', 'whsec-run-test', ${created})`,
    );
  let n = 0;
  for (let r = 0; r < reps; r++) {
    s.push(`INSERT INTO users (id, org_id, team_id, name, role, seniority, created_at) VALUES ('${id}_u${r}', '${id}', '${id}_t', 'Rep ${r}', 'rep', 'mid', ${created})`);
    for (const day of ["2026-10-05", "2026-10-06", "2026-10-07"]) {
      const t = startOfLocalDay(day, CAL).getTime() + 10 * 3_600_000;
      for (let k = 0; k < 2; k++)
        s.push(
          `INSERT INTO activities (org_id, user_id, client_event_id, kind, occurred_at, day, source, created_at) VALUES ('${id}', '${id}_u${r}', '${id}-${++n}', 'touch', ${t}, '${day}', 'api', ${t})`,
        );
    }
  }
  for (let i = 0; i < s.length; i += 200) await runSql(s.slice(i, i + 200));
}

const count = async (sql: string, ...params: unknown[]) => (await env.DB.prepare(sql).bind(...params).first<{ n: number }>())!.n;

describe("runScheduled", () => {
  test("above CRON_INLINE_ORGS the run fans out one queue message per org, and the consumer evaluates each", async () => {
    await orgWithSlackers("org_q1", 2);
    await orgWithSlackers("org_q2", 3);
    const summary = await runScheduled({ ...(env as CronEnv), CRON_INLINE_ORGS: "1" }, RUN_AT);
    expect(summary.mode).toBe("queue");
    expect(summary.queued).toBeGreaterThanOrEqual(2);
    expect(summary.orgs).toEqual([]);
    // The local queue delivers to this worker's queue() handler (wrangler.toml [[queues.consumers]]).
    const deadline = Date.now() + 20_000;
    while ((await count("SELECT COUNT(*) AS n FROM orgs WHERE id IN ('org_q1', 'org_q2') AND evaluated_through = '2026-10-07'")) < 2) {
      if (Date.now() > deadline) throw new Error("the queue consumer did not evaluate both orgs within 20 s");
      await new Promise((r) => setTimeout(r, 100));
    }
    // Three closed working days below: one orange alert (opened at orange) per rep, each with a coaching task.
    expect(await count("SELECT COUNT(*) AS n FROM alerts WHERE org_id IN ('org_q1', 'org_q2') AND level = 'orange' AND rule = 'kpi_streak'")).toBe(5);
    expect(await count("SELECT COUNT(*) AS n FROM coaching_tasks WHERE org_id IN ('org_q1', 'org_q2') AND kind = 'coaching'")).toBe(5);
  });

  test("150 reps and two channels: 150 alerts, 150 tasks and 300 messages in chunked statements, once", async () => {
    const hooks = [newHook("webhook"), newHook("webhook")];
    await orgWithSlackers("org_big", 150, { channels: hooks.map((h) => h.url) });
    const only = { ...(env as CronEnv), CRON_INLINE_ORGS: "1000" };
    const first = await runScheduled(only, RUN_AT);
    const big = first.orgs.find((o) => o.orgId === "org_big")!;
    expect(big).toMatchObject({ days: ["2026-10-05", "2026-10-06", "2026-10-07"], alerts: 150, tasks: 150, messages: 300 });
    // ⌈150/12⌉ alert inserts + ⌈150/11⌉ task inserts + ⌈300/14⌉ outbox inserts + 1 evaluated_through update.
    expect(big.statements).toEqual({ read: READ_STATEMENTS, write: 13 + 14 + 22 + 1 });
    expect(await count("SELECT COUNT(*) AS n FROM alerts WHERE org_id = 'org_big'")).toBe(150);
    expect(await count("SELECT COUNT(*) AS n FROM notification_outbox WHERE org_id = 'org_big'")).toBe(300);
    const again = await runScheduled(only, RUN_AT);
    expect(again.orgs.find((o) => o.orgId === "org_big")).toMatchObject({ days: [], alerts: 0, tasks: 0, messages: 0 });
    // Delivery is bounded per run (50); later runs send the rest, never twice.
    for (let i = 0; i < 8; i++) await runScheduled(only, RUN_AT + (i + 1) * 60_000);
    const got = [...(await received(hooks[0]!)), ...(await received(hooks[1]!))];
    expect(got.length).toBe(300);
    expect(new Set(got.map((r) => r.headers["x-hud-delivery"])).size).toBe(300);
  });

  test("an org that fails to evaluate is reported and retried later; the others go on", async () => {
    await orgWithSlackers("org_bad", 1, { timeZone: "Not/A_Zone" });
    await orgWithSlackers("org_good", 1);
    const summary = await runScheduled({ ...(env as CronEnv), CRON_INLINE_ORGS: "1000" }, RUN_AT);
    expect(summary.orgs.find((o) => o.orgId === "org_bad")?.error).toMatch(/./);
    const good = summary.orgs.find((o) => o.orgId === "org_good")!;
    expect(good.alerts).toBe(1);
    expect(good.error).toBeUndefined();
    expect(await count("SELECT COUNT(*) AS n FROM orgs WHERE id = 'org_bad' AND evaluated_through = '2026-10-04'")).toBe(1);
  });

  test("a run that died after part of its writes is completed by the next one, each message once", async () => {
    const hook = newHook("webhook");
    await orgWithSlackers("org_crash", 60, { channels: [hook.url] });
    const org = (await loadOrgRow(env.DB, "org_crash"))!;
    const statements = await writeStatements(env.DB, planOrg(await loadOrgFacts(env.DB, org, RUN_AT), RUN_AT), RUN_AT);
    // Everything but the last alert chunk and the evaluated_through update made it; then the invocation died.
    await env.DB.batch(statements.slice(0, -2));
    expect(await count("SELECT COUNT(*) AS n FROM notification_outbox WHERE org_id = 'org_crash'")).toBe(60);
    expect(await count("SELECT COUNT(*) AS n FROM alerts WHERE org_id = 'org_crash'")).toBeGreaterThan(0);
    expect(await count("SELECT COUNT(*) AS n FROM alerts WHERE org_id = 'org_crash'")).toBeLessThan(60);
    await runScheduled({ ...(env as CronEnv), CRON_INLINE_ORGS: "1000" }, RUN_AT);
    await runScheduled({ ...(env as CronEnv), CRON_INLINE_ORGS: "1000" }, RUN_AT + 60_000);
    expect(await count("SELECT COUNT(*) AS n FROM alerts WHERE org_id = 'org_crash'")).toBe(60);
    expect(await count("SELECT COUNT(*) AS n FROM coaching_tasks WHERE org_id = 'org_crash'")).toBe(60);
    expect(await count("SELECT COUNT(*) AS n FROM notification_outbox WHERE org_id = 'org_crash'")).toBe(60);
    expect(await count("SELECT COUNT(*) AS n FROM orgs WHERE id = 'org_crash' AND evaluated_through = '2026-10-07'")).toBe(1);
    expect((await received(hook)).length).toBe(60);
  });
});
