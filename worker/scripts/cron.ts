/**
 * npm run cron [-- --port 8787]
 *
 * Triggers one scheduled run (the 15-minute cron) now, against the local D1, as Cloudflare would:
 * - if `npm start` is running (it starts wrangler dev with --test-scheduled), through its /__scheduled route;
 * - otherwise it applies the migrations, starts its own local workerd on a free port, triggers, and stops it.
 * Then it prints what the evaluation left in the local D1 (alerts, tasks, awards, outbox).
 * The run's clock is the wall clock (wrangler's /__scheduled takes no time); tests choose scheduledTime directly.
 */
import { parseArgs } from "node:util";
import { z } from "zod";
import { freePort, startDevServer } from "./dev-server";
import { migrateLocal, queryLocal } from "./local-d1";

const CRON = "*/15 * * * *";

const { values } = parseArgs({ options: { port: { type: "string", default: process.env.PORT ?? "8787" } } });
const Args = z.object({ port: z.coerce.number().int().min(1).max(65535) });
const parsed = Args.safeParse(values);
if (!parsed.success) {
  console.error(`npm run cron: ${parsed.error.issues.map((i) => `--${i.path.join(".")}: ${i.message}`).join("; ")}`);
  console.error("usage: npm run cron [-- --port <npm start's port>]");
  process.exit(2);
}
const { port } = parsed.data;
const time = Date.now();

async function trigger(base: string): Promise<boolean> {
  const res = await fetch(`${base}/__scheduled?cron=${encodeURIComponent(CRON)}`).catch(() => null);
  return res !== null && res.ok;
}

const running = `http://127.0.0.1:${port}`;
const up = await fetch(`${running}/healthz`, { signal: AbortSignal.timeout(1000) }).then((r) => r.ok).catch(() => false);
let log = "";
if (up && (await trigger(running))) {
  console.log(`• Ran the cron at ${new Date(time).toISOString()} on the running worker at ${running} (its terminal shows the run's log).`);
} else {
  if (up) console.log(`• The worker at ${running} was not started with --test-scheduled; starting a separate one.`);
  await migrateLocal();
  const server = await startDevServer({ port: await freePort(), testScheduled: true });
  try {
    if (!(await trigger(server.url))) throw new Error("the scheduled run failed");
    await new Promise((r) => setTimeout(r, 300)); // let wrangler flush the run's log line
    log = server.output();
  } finally {
    await server.stop();
  }
  console.log(`• Ran the cron at ${new Date(time).toISOString()} on a local workerd.`);
}
for (const line of log.split("\n")) if (line.includes('"event":"cron.')) console.log(`  ${line.trim()}`);

const rows = await queryLocal<{ what: string; n: number }>(
  `SELECT 'alerts ' || level || ' ' || status AS what, COUNT(*) AS n FROM alerts GROUP BY level, status
   UNION ALL SELECT 'tasks ' || kind || ' ' || status, COUNT(*) FROM coaching_tasks GROUP BY kind, status
   UNION ALL SELECT 'awards ' || kind, COUNT(*) FROM awards GROUP BY kind
   UNION ALL SELECT 'outbox ' || status, COUNT(*) FROM notification_outbox GROUP BY status
   UNION ALL SELECT 'org ' || name || ' evaluated through', evaluated_through FROM orgs`,
);
console.log("• Local D1 now holds:");
for (const r of rows) console.log(`  ${r.what}: ${r.n ?? "—"}`);
