import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, test } from "vitest";
import { periodContaining, startOfLocalDay, type OrgCalendar } from "../../shared/domain/calendar";
import { eachDay } from "../../shared/domain/day";
import { buildPairingCodes } from "../db/seed";
import { api, json, runSql } from "../test/helpers";
import { newHook, received, type Hook } from "../test/receivers";
import { webhookSignature } from "../notify/webhook";
import worker from "../index";

/**
 * The cron, end to end: activities posted through the API on simulated days, the real scheduled handler run at
 * chosen scheduledTimes, rows read back from D1 and messages from a real webhook receiver on 127.0.0.1.
 *
 * Ten working-and-weekend days (Mon 2026-09-07 → Wed 09-16) after a week of history; Saturday 09-12 is a make-up
 * working day (调休), Sunday 09-13 is not. Team East: Li (mid), Chen (senior); team West: Zhang (junior); both in a
 * department led by director Dora. Monthly revenue targets for September: Li 2,200,000, Chen 1,000,000,
 * Zhang 500,000 (minor units).
 *
 * | day      | Li (6/3/2/2)        | Chen (4/3/3/3)            | Zhang (8/2/1/1)                 | run after the day closes            |
 * |----------|---------------------|---------------------------|---------------------------------|-------------------------------------|
 * | Mon 7    | below               | meets                     | meets                           | —                                   |
 * | Tue 8    | below               | meets, won 300,000 (60 %) | meets                           | Li yellow; Zhang's customer stale; Chen tier 60 |
 * | Wed 9    | below               | meets, won 200,000 (80 %) | meets                           | Li orange + coaching task; Chen 80  |
 * | Thu 10   | meets, won 100,000  | meets                     | meets, won 100,000              | Li resolved                         |
 * | Fri 11   | below               | meets                     | meets                           | Zhang's stale alert → orange        |
 * | Sat 12 ✱ | below               | meets                     | meets                           | Li yellow (Fri + make-up Sat)       |
 * | Sun 13   | —                   | —                         | —                               | week close: Li red + review; champion Chen; most improved Zhang; PK East; 2 digests |
 * | Mon 14   | below               | meets                     | meets, touches Acme             | Li orange (Fri, Sat, Mon) + task; Acme resolved |
 * | Tue 15   | meets               | meets; 15:10 won 200,000  | meets                           | 15:15 run: Chen 100 %; then Li resolved |
 * | Wed 16   | meets               | meets                     | meets                           | nothing new                         |
 *
 * The week before (Aug 31 – Sep 6): Li and Chen meet their KPIs; Zhang was below every day. Wins on Sep 2–3: Chen
 * 300,000, Li 200,000, Zhang 40,000 — every rep above 40 % of that week's target (September's targets spread by working
 * days: 4 of the month's 23, the make-up Saturday included), so the week is not red.
 *
 * Week of Sep 7 (6 working days): targets Li 573,913 / Chen 260,870 / Zhang 130,435. Scores (70 % result, 30 % process):
 * Chen 0.7 × 1.917 + 0.3 = 1.642 (champion); Zhang 0.837, up from 0.341 (most improved, +0.496; Chen only +0.135);
 * Li 0.193 and 17 % of target (red). Team PK: East (17 % and 192 % → 105 %) beats West (77 %).
 */

const MINIMUMS = {
  li: { touch: 6, needs_confirmed: 3, proposal_sent: 2, demo_or_visit: 2 },
  chen: { touch: 4, needs_confirmed: 3, proposal_sent: 3, demo_or_visit: 3 },
  zhang: { touch: 8, needs_confirmed: 2, proposal_sent: 1, demo_or_visit: 1 },
} as const;
type Rep = keyof typeof MINIMUMS;

const HISTORY = eachDay("2026-08-31", "2026-09-04");
const SCENARIO = eachDay("2026-09-07", "2026-09-16");
const MAKEUP_SATURDAY = "2026-09-12";
const isWorking = (day: string) => day === MAKEUP_SATURDAY || ![0, 6].includes(new Date(`${day}T00:00:00Z`).getUTCDay());

const BELOW: Record<Rep, string[]> = {
  li: ["2026-09-07", "2026-09-08", "2026-09-09", "2026-09-11", "2026-09-12", "2026-09-14"],
  chen: [],
  zhang: HISTORY,
};
const WON: Record<Rep, Record<string, number>> = {
  li: { "2026-09-03": 200_000, "2026-09-10": 100_000 },
  chen: { "2026-09-02": 300_000, "2026-09-08": 300_000, "2026-09-09": 200_000 },
  zhang: { "2026-09-03": 40_000, "2026-09-10": 100_000 },
};

interface Org {
  id: string;
  cal: OrgCalendar;
  hook: Hook;
  token: Record<Rep, string>;
  user: (name: string) => string;
  team: (name: string) => string;
}

const at = (org: Org, day: string, hhmm = "00:05") => {
  const [h, m] = hhmm.split(":").map(Number) as [number, number];
  return startOfLocalDay(day, org.cal).getTime() + (h * 60 + m) * 60_000;
};

async function setUpOrg(prefix: string, timeZone: string, language: "en" | "zh-CN"): Promise<Org> {
  const cal: OrgCalendar = { timeZone, weekStartsOn: 1, workingWeekdays: [1, 2, 3, 4, 5], holidays: [], makeupWorkdays: [MAKEUP_SATURDAY] };
  const id = `org_${prefix}`;
  const user = (n: string) => `usr_${prefix}_${n}`;
  const team = (n: string) => `team_${prefix}_${n}`;
  const created = Date.parse("2026-08-01T00:00:00Z");
  const hook = newHook("webhook");
  const sept = periodContaining("month", "2026-09-01", cal);
  const target = (rep: Rep, amount: number) =>
    `INSERT INTO targets (id, org_id, scope, subject_id, metric, period_kind, period_key, period_start, period_end, level, amount, created_at, updated_at)
     VALUES ('tgt_${prefix}_${rep}', '${id}', 'rep', '${user(rep)}', 'revenue', 'month', '${sept.key}', '${sept.start}', '${sept.end}', 'base', ${amount}, ${created}, ${created})`;
  await runSql([
    `INSERT INTO orgs (id, name, time_zone, language, makeup_workdays, evaluated_through, created_at)
     VALUES ('${id}', 'Scenario ${prefix}', '${timeZone}', '${language}', '["${MAKEUP_SATURDAY}"]', '2026-09-06', ${created})`,
    `INSERT INTO teams (id, org_id, parent_id, name, kind, leader_id) VALUES ('${team("dept")}', '${id}', NULL, 'Sales', 'department', '${user("dora")}')`,
    `INSERT INTO teams (id, org_id, parent_id, name, kind, leader_id) VALUES ('${team("east")}', '${id}', '${team("dept")}', 'East', 'team', '${user("mia")}')`,
    `INSERT INTO teams (id, org_id, parent_id, name, kind, leader_id) VALUES ('${team("west")}', '${id}', '${team("dept")}', 'West', 'team', '${user("max")}')`,
    ...(
      [
        ["dora", "Dora", "director", "senior", "dept", null],
        ["mia", "Mia", "manager", "senior", "east", "dora"],
        ["max", "Max", "manager", "senior", "west", "dora"],
        ["li", "Li", "rep", "mid", "east", "mia"],
        ["chen", "Chen", "rep", "senior", "east", "mia"],
        ["zhang", "Zhang", "rep", "junior", "west", "max"],
      ] as const
    ).map(
      ([key, name, role, seniority, t, manager]) =>
        `INSERT INTO users (id, org_id, team_id, name, role, seniority, manager_id, created_at)
         VALUES ('${user(key)}', '${id}', '${team(t)}', '${name}', '${role}', '${seniority}', ${manager ? `'${user(manager)}'` : "NULL"}, ${created})`,
    ),
    target("li", 2_200_000),
    target("chen", 1_000_000),
    target("zhang", 500_000),
    `INSERT INTO notification_channels (id, org_id, team_id, kind, name, config, secret, enabled, created_at)
     VALUES ('chn_${prefix}', '${id}', NULL, 'webhook', 'Sales bot', '${JSON.stringify({ url: hook.url })}', 'whsec-scenario-1', 1, ${created})`,
    `INSERT INTO key_customers (id, org_id, user_id, label, last_response_at, created_at)
     VALUES ('kc_${prefix}_acme', '${id}', '${user("zhang")}', 'Acme Ltd', NULL, ${startOfLocalDay("2026-09-01", cal).getTime() + 10 * 3_600_000})`,
  ]);
  const org: Org = { id, cal, hook, token: {} as Record<Rep, string>, user, team };
  for (const rep of ["li", "chen", "zhang"] as const) {
    const now = at(org, "2026-08-31", "08:00");
    const { statements, codes } = await buildPairingCodes(now, [{ id: user(rep), name: rep, role: "rep" }], id);
    await runSql(statements);
    const res = await api("/v1/pair", { method: "POST", body: JSON.stringify({ code: codes[0]!.code }), now });
    expect(res.status).toBe(200);
    org.token[rep] = (await json<{ token: string }>(res)).token;
  }
  return org;
}

async function post(org: Org, rep: Rep, when: number, events: { kind: string; amount?: number; customer?: string }[]) {
  const occurredAt = new Date(when).toISOString();
  const body = { sentAt: occurredAt, events: events.map((e) => ({ clientEventId: crypto.randomUUID(), occurredAt, source: "api", ...e })) };
  const res = await api("/v1/activities", { method: "POST", token: org.token[rep], body: JSON.stringify(body), now: when + 1000 });
  expect(res.status, await res.clone().text()).toBe(201);
}

/** One rep's working day: the KPI minimums (or two touches when below), plus any win. */
async function logDay(org: Org, rep: Rep, day: string, extra: { kind: string; amount?: number; customer?: string }[] = []) {
  const events: { kind: string; amount?: number; customer?: string }[] = [];
  if (BELOW[rep].includes(day)) events.push({ kind: "touch" }, { kind: "touch" });
  else for (const [kind, n] of Object.entries(MINIMUMS[rep])) for (let i = 0; i < n; i++) events.push({ kind });
  if (WON[rep][day]) events.push({ kind: "won", amount: WON[rep][day] });
  await post(org, rep, at(org, day, "10:00"), [...events, ...extra]);
}

/** The worker's real scheduled handler, as the cron trigger calls it. */
async function runCron(when: number) {
  const ctx = createExecutionContext();
  await worker.scheduled(createScheduledController({ scheduledTime: new Date(when), cron: "*/15 * * * *" }), env, ctx);
  await waitOnExecutionContext(ctx);
}

interface AlertRecord {
  user_id: string;
  rule: string;
  level: string;
  status: string;
  natural_key: string;
  details: string;
}
const alertsOf = async (org: Org) =>
  (await env.DB.prepare("SELECT user_id, rule, level, status, natural_key, details FROM alerts WHERE org_id = ? ORDER BY natural_key").bind(org.id).all<AlertRecord>()).results;
const tasksOf = async (org: Org) =>
  (await env.DB.prepare("SELECT user_id, assignee_id, kind, due_day, natural_key FROM coaching_tasks WHERE org_id = ? ORDER BY natural_key").bind(org.id).all()).results;
const awardsOf = async (org: Org) =>
  (
    await env.DB.prepare("SELECT kind, user_id, team_id, period_key, tier FROM awards WHERE org_id = ? ORDER BY kind, period_key, tier").bind(org.id).all<{
      kind: string;
      user_id: string | null;
      team_id: string | null;
      period_key: string;
      tier: number | null;
    }>()
  ).results;

/** Everything the cron writes, in a canonical order (the outbox without its delivery bookkeeping). */
async function digest(org: Org): Promise<string> {
  const q = async (sql: string) => JSON.stringify((await env.DB.prepare(sql).bind(org.id).all()).results);
  return [
    await q("SELECT * FROM alerts WHERE org_id = ? ORDER BY id"),
    await q("SELECT * FROM coaching_tasks WHERE org_id = ? ORDER BY id"),
    await q("SELECT * FROM awards WHERE org_id = ? ORDER BY id"),
    await q("SELECT channel_id, dedup_key, payload, created_at FROM notification_outbox WHERE org_id = ? ORDER BY dedup_key"),
    await q("SELECT evaluated_through FROM orgs WHERE id = ?"),
  ].join("\n");
}

const summary = (alerts: AlertRecord[]) => alerts.map((a) => `${a.user_id.split("_").at(-1)} ${a.rule} ${a.level} ${a.status}`);

for (const [prefix, timeZone, language] of [
  ["scn_sh", "Asia/Shanghai", "zh-CN"],
  ["scn_ny", "America/New_York", "en"],
] as const) {
  describe(`ten days of cron in ${timeZone}`, () => {
    let org: Org;
    beforeAll(async () => {
      org = await setUpOrg(prefix, timeZone, language);
      for (const day of HISTORY) for (const rep of ["li", "chen", "zhang"] as const) await logDay(org, rep, day);
    });

    const dayRun = async (day: string, after?: () => Promise<void>) => {
      if (isWorking(day)) for (const rep of ["li", "chen", "zhang"] as const) await logDay(org, rep, day, rep === "zhang" && day === "2026-09-14" ? [{ kind: "touch", customer: "Acme Ltd" }] : []);
      await after?.();
      const next = SCENARIO[SCENARIO.indexOf(day) + 1] ?? "2026-09-17";
      await runCron(at(org, next));
    };

    test("Mon 7: one day below is not an alert yet", async () => {
      await dayRun("2026-09-07");
      expect(await alertsOf(org)).toEqual([]);
      expect(await awardsOf(org)).toEqual([]);
    });

    test("Tue 8: yellow for two days below, a stale key customer, and the 60 % tier", async () => {
      await dayRun("2026-09-08");
      expect(summary(await alertsOf(org))).toEqual(["li kpi_streak yellow open", "zhang stale_customer yellow open"]);
      const [streak] = await alertsOf(org);
      expect(streak!.natural_key).toBe(`kpi_streak:${org.user("li")}:2026-09-07`);
      expect(await awardsOf(org)).toEqual([{ kind: "tier", user_id: org.user("chen"), team_id: org.team("east"), period_key: "2026-09", tier: 60 }]);
    });

    test("Wed 9: orange supersedes yellow on the same streak, with a 1:1 coaching task due the next working day", async () => {
      await dayRun("2026-09-09");
      expect(summary(await alertsOf(org))).toEqual(["li kpi_streak orange open", "zhang stale_customer yellow open"]);
      expect(await tasksOf(org)).toEqual([
        { user_id: org.user("li"), assignee_id: org.user("mia"), kind: "coaching", due_day: "2026-09-11", natural_key: `coaching:kpi_streak:${org.user("li")}:2026-09-07` },
      ]);
      expect((await awardsOf(org)).map((a) => a.tier)).toEqual([60, 80]);
    });

    test("Thu 10: a day that meets the KPIs resolves the streak", async () => {
      await dayRun("2026-09-10");
      expect(summary(await alertsOf(org))).toEqual(["li kpi_streak orange resolved", "zhang stale_customer yellow open"]);
      expect(JSON.parse((await alertsOf(org))[0]!.details).resolution).toBe("kpi_met");
    });

    test("Fri 11: the ignored stale customer escalates to orange three days after it opened", async () => {
      await dayRun("2026-09-11");
      expect(summary(await alertsOf(org))).toEqual(["li kpi_streak orange resolved", "zhang stale_customer orange open"]);
    });

    test("Sat 12 (make-up working day): Friday and Saturday below are a new two-day streak", async () => {
      await dayRun("2026-09-12");
      const alerts = await alertsOf(org);
      expect(summary(alerts)).toEqual(["li kpi_streak orange resolved", "li kpi_streak yellow open", "zhang stale_customer orange open"]);
      expect(alerts[1]!.natural_key).toBe(`kpi_streak:${org.user("li")}:2026-09-11`);
    });

    test("Sun 13 closes the week: red + review item below 40 %, champion, most improved, team PK", async () => {
      await dayRun("2026-09-13");
      const week = periodContaining("week", "2026-09-13", org.cal).key;
      expect(summary(await alertsOf(org))).toContain("li weekly_completion red open");
      expect((await tasksOf(org)).filter((t) => t.kind === "review")).toEqual([
        { user_id: org.user("li"), assignee_id: org.user("mia"), kind: "review", due_day: "2026-09-14", natural_key: `review:weekly_completion:${org.user("li")}:${week}` },
      ]);
      const weekly = (await awardsOf(org)).filter((a) => a.period_key === week);
      expect(weekly).toEqual([
        { kind: "champion", user_id: org.user("chen"), team_id: org.team("east"), period_key: week, tier: null },
        { kind: "most_improved", user_id: org.user("zhang"), team_id: org.team("west"), period_key: week, tier: null },
        { kind: "team_pk", user_id: null, team_id: org.team("east"), period_key: week, tier: null },
      ]);
    });

    test("Mon 14: Friday, make-up Saturday and Monday (Sunday skipped) make three days → orange; Acme answered", async () => {
      await dayRun("2026-09-14");
      const alerts = await alertsOf(org);
      expect(summary(alerts)).toEqual([
        "li kpi_streak orange resolved",
        "li kpi_streak orange open",
        "zhang stale_customer orange resolved",
        "li weekly_completion red open",
      ]);
      expect(JSON.parse(alerts[2]!.details).resolution).toBe("customer_responded");
      expect((await tasksOf(org)).filter((t) => t.kind === "coaching").map((t) => t.natural_key)).toEqual([
        `coaching:kpi_streak:${org.user("li")}:2026-09-07`,
        `coaching:kpi_streak:${org.user("li")}:2026-09-11`,
      ]);
    });

    test("Tue 15: a win at 15:10 is recognised by the 15:15 run; the day's close resolves the streak", async () => {
      await dayRun("2026-09-15", async () => {
        await post(org, "chen", at(org, "2026-09-15", "15:10"), [{ kind: "won", amount: 200_000 }]);
        await runCron(at(org, "2026-09-15", "15:15"));
        expect((await awardsOf(org)).filter((a) => a.kind === "tier").map((a) => a.tier)).toEqual([60, 80, 100]);
      });
      expect(summary(await alertsOf(org))).toEqual([
        "li kpi_streak orange resolved",
        "li kpi_streak orange resolved",
        "zhang stale_customer orange resolved",
        "li weekly_completion red open",
      ]);
    });

    test("Wed 16: nothing new; the same slot run twice and concurrently changes nothing and sends nothing twice", async () => {
      await dayRun("2026-09-16");
      const before = await digest(org);
      const messages = (await received(org.hook)).length;
      const slot = at(org, "2026-09-17");
      await Promise.all([runCron(slot), runCron(slot)]);
      await runCron(slot);
      expect(await digest(org)).toBe(before);
      expect((await received(org.hook)).length).toBe(messages);
      expect((await env.DB.prepare("SELECT evaluated_through AS d FROM orgs WHERE id = ?").bind(org.id).first<{ d: string }>())!.d).toBe("2026-09-16");
    });

    test("the receiver got each notification exactly once, signed, in the org's language", async () => {
      const requests = await received(org.hook);
      const bodies = requests.map((r) => JSON.parse(r.body) as { id: string; kind: string; language: string; title: string });
      expect(bodies.map((b) => b.kind).sort()).toEqual(
        [
          "alert_yellow", // Li, streak from Mon 7
          "stale_customer", // Acme, yellow
          "tier_reached", // 60
          "alert_orange", // Li, streak from Mon 7
          "tier_reached", // 80
          "stale_customer", // Acme, orange
          "alert_yellow", // Li, streak from Fri 11
          "alert_red",
          "weekly_champion",
          "most_improved",
          "team_pk",
          "weekly_review_digest", // East (Mia)
          "weekly_review_digest", // West (Max)
          "alert_orange", // Li, streak from Fri 11
          "tier_reached", // 100
        ].sort(),
      );
      expect(new Set(bodies.map((b) => b.id)).size).toBe(bodies.length);
      for (const r of requests) {
        expect(r.headers["x-hud-signature"]).toBe(await webhookSignature("whsec-scenario-1", Number(r.headers["x-hud-timestamp"]), r.body));
      }
      expect(bodies.every((b) => b.language === language)).toBe(true);
      const red = bodies.find((b) => b.kind === "alert_red")!;
      expect(red.title).toContain("Li");
      if (language === "zh-CN") expect(red.title).toMatch(/红色预警/);
    });
  });
}

describe("a worker down for the whole ten days catches up in one run", () => {
  let org: Org;
  beforeAll(async () => {
    org = await setUpOrg("scn_cu", "Asia/Shanghai", "zh-CN");
    for (const day of [...HISTORY, ...SCENARIO].filter(isWorking))
      for (const rep of ["li", "chen", "zhang"] as const) await logDay(org, rep, day, rep === "zhang" && day === "2026-09-14" ? [{ kind: "touch", customer: "Acme Ltd" }] : []);
    await post(org, "chen", at(org, "2026-09-15", "15:10"), [{ kind: "won", amount: 200_000 }]);
  });

  /** Rows with the org's ids replaced by role names, comparable across orgs. */
  async function comparable(prefix: string) {
    const scrub = (rows: unknown[]) => JSON.parse(JSON.stringify(rows).replaceAll(`_${prefix}_`, "_ORG_")) as Record<string, unknown>[];
    const q = async (sql: string) => scrub((await env.DB.prepare(sql).bind(`org_${prefix}`).all()).results);
    return {
      // Stale-customer alerts are left out: a catch-up sees the customer's current last response (Sep 14), not the
      // silence an on-time run saw on Sep 9, so it never opens that alert (documented in worker/cron/plan.ts).
      alerts: await q("SELECT user_id, rule, level, status, natural_key, opened_at, resolved_at FROM alerts WHERE org_id = ? AND rule <> 'stale_customer' ORDER BY natural_key"),
      tasks: await q("SELECT user_id, assignee_id, kind, natural_key, due_day, created_at FROM coaching_tasks WHERE org_id = ? ORDER BY natural_key"),
      awards: await q("SELECT kind, user_id, team_id, period_key, tier, natural_key, CASE kind WHEN 'tier' THEN NULL ELSE created_at END AS at FROM awards WHERE org_id = ? ORDER BY natural_key"),
    };
  }

  test("the same alerts, tasks and awards as ten on-time runs, each notification once", async () => {
    await runCron(at(org, "2026-09-17"));
    const caughtUp = await comparable("scn_cu");
    expect(caughtUp).toEqual(await comparable("scn_sh"));
    expect(caughtUp.alerts.length).toBe(3);
    expect(caughtUp.awards.length).toBe(6);
    await runCron(at(org, "2026-09-17", "00:20"));
    const kinds = (await received(org.hook)).map((r) => (JSON.parse(r.body) as { kind: string }).kind).sort();
    expect(kinds).toEqual(
      ["alert_yellow", "alert_orange", "alert_yellow", "alert_orange", "alert_red", "tier_reached", "tier_reached", "tier_reached", "weekly_champion", "most_improved", "team_pk", "weekly_review_digest", "weekly_review_digest"].sort(),
    );
    expect((await env.DB.prepare("SELECT evaluated_through AS d FROM orgs WHERE id = ?").bind(org.id).first<{ d: string }>())!.d).toBe("2026-09-16");
  });
});
