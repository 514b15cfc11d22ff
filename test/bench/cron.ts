/**
 * npm run bench:cron — the cron on local workerd (wrangler dev --test-scheduled) against a local D1 filled by SQL
 * (recursive CTEs, no client round trips):
 *
 *   shape A: one org of BENCH_REPS reps (default 10,000) with 90 days of activity history (≈ 5 events per rep and
 *            working day), monthly revenue targets, a key customer each and one webhook channel;
 *   shape B: BENCH_ORGS orgs (default 100) of BENCH_ORG_REPS reps (default 20), same history, evaluated through the
 *            queue fan-out (more orgs than CRON_INLINE_ORGS = 25).
 *
 * For each shape it times a day-close run (yesterday's close is evaluated) and an intra-day run (tiers only, what 95 of
 * the 96 daily runs do), and prints the D1 statements per org the worker reported. Numbers, not assertions; results are
 * merged into bench/results.json under "cron".
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { localDay, periodContaining, startOfLocalDay, type OrgCalendar } from "../../shared/domain/calendar";
import { shiftDay } from "../../shared/domain/day";
import { freePort, startDevServer, type DevServer } from "../../worker/scripts/dev-server";
import { executeLocal, migrateLocal, queryLocal, ROOT } from "../../worker/scripts/local-d1";

const REPS = Number(process.env.BENCH_REPS ?? 10_000);
const ORGS = Number(process.env.BENCH_ORGS ?? 100);
const ORG_REPS = Number(process.env.BENCH_ORG_REPS ?? 20);
const DAYS = 90;
const CAL: OrgCalendar = { timeZone: "Asia/Shanghai", weekStartsOn: 1, workingWeekdays: [1, 2, 3, 4, 5], holidays: [], makeupWorkdays: [] };

const now = Date.now();
const today = localDay(now, CAL);
const firstDay = shiftDay(today, -DAYS);
const firstStart = startOfLocalDay(firstDay, CAL).getTime();

/** SQL that creates one org with `reps` reps (teams of 100) and its history, entirely inside SQLite. */
function orgSql(org: string, reps: number, hookUrl: string): string[] {
  const months = [0, 1, 2, 3].map((i) => periodContaining("month", shiftDay(firstDay, i * 31), CAL));
  const series = (name: string, n: number) => `${name}(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM ${name} WHERE i < ${n - 1})`;
  return [
    `INSERT INTO orgs (id, name, time_zone, language, evaluated_through, created_at) VALUES ('${org}', 'Bench ${org}', '${CAL.timeZone}', 'zh-CN', '${shiftDay(today, -2)}', ${firstStart})`,
    `WITH RECURSIVE ${series("t", Math.ceil(reps / 100))}
     INSERT INTO teams (id, org_id, name, kind, created_at) SELECT '${org}_t' || i, '${org}', 'Team ' || i, 'team', ${firstStart} FROM t`,
    `WITH RECURSIVE ${series("r", reps)}
     INSERT INTO users (id, org_id, team_id, name, role, seniority, created_at)
     SELECT '${org}_u' || i, '${org}', '${org}_t' || (i / 100), 'Rep ' || i, 'rep', CASE i % 3 WHEN 0 THEN 'junior' WHEN 1 THEN 'mid' ELSE 'senior' END, ${firstStart} FROM r`,
    `WITH RECURSIVE ${series("r", reps)}
     INSERT INTO key_customers (id, org_id, user_id, label, last_response_at, created_at)
     SELECT '${org}_k' || i, '${org}', '${org}_u' || i, 'Customer ' || i, ${firstStart} + (i % 20) * 86400000, ${firstStart} FROM r`,
    ...months.map(
      (m) => `WITH RECURSIVE ${series("r", reps)}
       INSERT INTO targets (id, org_id, scope, subject_id, metric, period_kind, period_key, period_start, period_end, level, amount, created_at, updated_at)
       SELECT '${org}_g${m.key}_' || i, '${org}', 'rep', '${org}_u' || i, 'revenue', 'month', '${m.key}', '${m.start}', '${m.end}', 'base', 1000000, ${firstStart}, ${firstStart} FROM r`,
    ),
    `WITH RECURSIVE ${series("r", reps)}, ${series("d", DAYS)}, ${series("e", 8)}
     INSERT INTO activities (org_id, user_id, client_event_id, kind, occurred_at, day, source, amount, created_at)
     SELECT '${org}', '${org}_u' || r.i, '${org}-' || r.i || '-' || d.i || '-' || e.i,
            CASE WHEN e.i < 4 THEN 'touch' WHEN e.i = 4 THEN 'needs_confirmed' WHEN e.i = 5 THEN 'proposal_sent' WHEN e.i = 6 THEN 'demo_or_visit'
                 WHEN (r.i + d.i) % 5 = 0 THEN 'won' ELSE 'touch' END,
            ${firstStart} + d.i * 86400000 + 36000000, date('${firstDay}', '+' || d.i || ' days'), 'api',
            CASE WHEN e.i = 7 AND (r.i + d.i) % 5 = 0 THEN 30000 END, ${firstStart} + d.i * 86400000 + 36000000
       FROM r, d, e
      WHERE strftime('%w', date('${firstDay}', '+' || d.i || ' days')) NOT IN ('0', '6') AND (r.i * 31 + d.i * 17 + e.i * 7) % 10 < 7`,
    `INSERT INTO notification_channels (id, org_id, team_id, kind, name, config, secret, created_at)
     VALUES ('${org}_c', '${org}', NULL, 'webhook', 'Bench bot', '${JSON.stringify({ url: hookUrl })}', 'whsec-bench-0001', ${firstStart})`,
  ];
}

interface RunResult {
  seconds: number;
  log: Record<string, unknown> | null;
}

async function scheduled(server: DevServer, logFrom: number): Promise<RunResult> {
  const t0 = performance.now();
  const res = await fetch(`${server.url}/__scheduled?cron=${encodeURIComponent("*/15 * * * *")}`);
  const seconds = (performance.now() - t0) / 1000;
  if (!res.ok) throw new Error(`scheduled run failed: ${res.status} ${await res.text()}`);
  await new Promise((r) => setTimeout(r, 300));
  const line = server
    .output()
    .slice(logFrom)
    .split("\n")
    .find((l) => l.includes('"event":"cron.run"'));
  return { seconds, log: line ? (JSON.parse(line.slice(line.indexOf("{"))) as Record<string, unknown>) : null };
}

async function shape(name: string, orgs: string[], repsPerOrg: number, hookUrl: string, inline: number) {
  const persist = await mkdtemp(join(tmpdir(), `thud-bench-cron-${name}-`));
  try {
    await migrateLocal(persist);
    const t0 = performance.now();
    // A few orgs per wrangler call: one call per org is slow to start, all in one file is too long for SQLite.
    for (let i = 0; i < orgs.length; i += 10) await executeLocal(orgs.slice(i, i + 10).flatMap((org) => orgSql(org, repsPerOrg, hookUrl)), persist);
    const [{ n: events }] = (await queryLocal<{ n: number }>("SELECT COUNT(*) AS n FROM activities", persist)) as [{ n: number }];
    const seedSeconds = (performance.now() - t0) / 1000;
    const server = await startDevServer({ port: await freePort(), persistTo: persist, testScheduled: true, vars: { CRON_INLINE_ORGS: String(inline) } });
    try {
      let dayClose: RunResult;
      let queueSeconds: number | null = null;
      if (orgs.length > inline) {
        const t1 = performance.now();
        dayClose = await scheduled(server, 0);
        for (;;) {
          // The queue consumers are writing: a read from a second process may find the database busy; try again.
          const rows = await queryLocal<{ n: number }>(`SELECT COUNT(*) AS n FROM orgs WHERE evaluated_through = '${shiftDay(today, -1)}'`, persist).catch(() => [{ n: -1 }]);
          const n = rows[0]?.n ?? -1;
          if (n === orgs.length) break;
          if (performance.now() - t1 > 600_000) throw new Error("the queue did not evaluate every org within 10 min");
          await new Promise((r) => setTimeout(r, 250));
        }
        queueSeconds = (performance.now() - t1) / 1000;
      } else {
        dayClose = await scheduled(server, 0);
      }
      const intraDay = await scheduled(server, server.output().length);
      const [rows] = (await queryLocal<Record<string, number>>(
        `SELECT (SELECT COUNT(*) FROM alerts) AS alerts, (SELECT COUNT(*) FROM coaching_tasks) AS tasks, (SELECT COUNT(*) FROM awards) AS awards, (SELECT COUNT(*) FROM notification_outbox) AS outbox`,
        persist,
      )) as [Record<string, number>];
      const result = { name, orgs: orgs.length, repsPerOrg, events, seedSeconds, dayClose, queueSeconds, intraDay, rows };
      console.log(`shape ${name} done: ${JSON.stringify(result)}`);
      return result;
    } finally {
      await server.stop();
    }
  } finally {
    await rm(persist, { recursive: true, force: true });
  }
}

const receiver = createServer((req, res) => {
  req.resume();
  req.on("end", () => res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}'));
});
await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
const hookUrl = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hook`;

const results = [];
try {
  if (REPS > 0) results.push(await shape("A", ["org_bench"], REPS, hookUrl, 25));
  if (ORGS > 0) results.push(await shape("B", Array.from({ length: ORGS }, (_, i) => `org_b${i}`), ORG_REPS, hookUrl, 25));
} finally {
  receiver.close();
}

console.log(`\nCron on local workerd (Asia/Shanghai, ${DAYS} days of history, wall clock ${new Date(now).toISOString()})\n`);
console.log("shape | orgs × reps | events | day-close run | queue drained | intra-day run | D1 statements per org (read + write) | rows written");
console.log("------|-------------|--------|---------------|---------------|---------------|--------------------------------------|-------------");
for (const r of results) {
  const log = r.dayClose.log as { statements?: { read: number; write: number } } | null;
  const st = log?.statements ? `${(log.statements.read / r.orgs).toFixed(0)} + ${(log.statements.write / r.orgs).toFixed(1)}` : "(fanned out: per org 10 + writes)";
  console.log(
    `${r.name}     | ${r.orgs} × ${r.repsPerOrg} | ${r.events.toLocaleString("en")} | ${r.dayClose.seconds.toFixed(2)} s | ${r.queueSeconds === null ? "—" : `${r.queueSeconds.toFixed(2)} s`} | ${r.intraDay.seconds.toFixed(2)} s | ${st} | ${JSON.stringify(r.rows)}`,
  );
}
console.log(`\n(seeding, not part of the runs: ${results.map((r) => `${r.name} ${r.seedSeconds.toFixed(0)} s`).join(", ")})`);

const file = join(ROOT, "bench/results.json");
await mkdir(join(ROOT, "bench"), { recursive: true });
const previous = await readFile(file, "utf8").then((t) => JSON.parse(t) as Record<string, unknown>, () => ({}));
await writeFile(file, JSON.stringify({ ...previous, cron: { at: new Date(now).toISOString(), results } }, null, 2) + "\n");
