import { env } from "cloudflare:workers";
import { expect, test } from "vitest";
import { DEMO_ORG_ID } from "../db/seed";
import { seedDemoOnce } from "../test/helpers";
import { runScheduled, type CronEnv } from "./run";

/** The demo org (npm start's seed) leaves two weeks unevaluated, so the first cron run gives the demo its alerts. */
test("the first run over the seeded demo org catches up its two weeks and flags the struggling rep", async () => {
  const now = Date.parse("2026-11-23T02:00:00Z"); // Monday 10:00 in Shanghai
  await seedDemoOnce(now);
  const summary = await runScheduled(env as CronEnv, now);
  const demo = summary.orgs.find((o) => o.orgId === DEMO_ORG_ID)!;
  expect(demo.error).toBeUndefined();
  expect(demo.days.length).toBeGreaterThanOrEqual(14);
  const row = await env.DB.prepare("SELECT evaluated_through AS d FROM orgs WHERE id = ?").bind(DEMO_ORG_ID).first<{ d: string }>();
  expect(row!.d).toBe("2026-11-22");
  // Zhang Wei works at 60 % of his minimums: below every day, so his streak is orange with a coaching task.
  const zhang = await env.DB.prepare("SELECT level, status FROM alerts WHERE org_id = ? AND user_id = 'usr_demo_zhang' AND rule = 'kpi_streak'").bind(DEMO_ORG_ID).all();
  expect(zhang.results).toEqual([{ level: "orange", status: "open" }]);
  const again = await runScheduled(env as CronEnv, now + 60_000);
  expect(again.orgs.find((o) => o.orgId === DEMO_ORG_ID)).toMatchObject({ days: [], alerts: 0, tasks: 0 });
});
