/**
 * The real worker for end-to-end tests: `wrangler dev` on local workerd, on a free port,
 * with its own freshly migrated D1 in a temp folder. Stop/start keeps the same port and data,
 * so tests can take the server away and bring it back.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, startDevServer, type DevServer } from "../../worker/scripts/dev-server";
import { migrateLocal, queryLocal, seedLocal } from "../../worker/scripts/local-d1";
import { DEMO_USERS } from "../../worker/db/seed";

export interface WorkerHandle {
  url: string;
  port: number;
  persistTo: string;
  stop(): Promise<void>;
  start(): Promise<void>;
  seed(): Promise<{ codes: Record<string, string>; reps: { id: string; name: string; seniority: string }[] }>;
  /** One scheduled (cron) run now, like Cloudflare's trigger; needs `startWorker({ testScheduled: true })`. */
  runCron(): Promise<void>;
  /** One scheduled run as if Cloudflare fired it at `at` (epoch ms): the run's clock is `at` (`testScheduled` too). */
  runCronAt(at: number): Promise<void>;
  query<T = Record<string, unknown>>(sql: string): Promise<T[]>;
  dispose(): Promise<void>;
}

export async function startWorker(opts: { port?: number; vars?: Record<string, string>; testScheduled?: boolean } = {}): Promise<WorkerHandle> {
  const persistTo = await mkdtemp(join(tmpdir(), "thud-d1-"));
  const port = opts.port ?? (await freePort());
  await migrateLocal(persistTo);
  let server: DevServer | undefined;
  const handle: WorkerHandle = {
    url: `http://127.0.0.1:${port}`,
    port,
    persistTo,
    async start() {
      if (server) return;
      server = await startDevServer({
        port,
        persistTo,
        vars: { ALLOW_TIME_TRAVEL: "1", ...opts.vars },
        ...(opts.testScheduled ? { testScheduled: true } : {}),
      });
    },
    async stop() {
      await server?.stop();
      server = undefined;
    },
    async seed() {
      const { codes } = await seedLocal(persistTo);
      return {
        codes: Object.fromEntries(codes.map((c) => [c.name, c.code])),
        reps: DEMO_USERS.filter((u) => u.role === "rep").map(({ id, name, seniority }) => ({ id, name, seniority })),
      };
    },
    query: (sql) => queryLocal(sql, persistTo),
    async runCron() {
      const res = await fetch(`${handle.url}/__scheduled?cron=${encodeURIComponent("*/15 * * * *")}`);
      if (!res.ok) throw new Error(`scheduled run failed: ${res.status} ${await res.text()}`);
    },
    async runCronAt(at) {
      // Miniflare's own trigger route: unlike wrangler's /__scheduled it takes the run's time.
      const res = await fetch(`${handle.url}/cdn-cgi/handler/scheduled?cron=${encodeURIComponent("*/15 * * * *")}&time=${at}`);
      if (!res.ok) throw new Error(`scheduled run at ${new Date(at).toISOString()} failed: ${res.status} ${await res.text()}`);
    },
    async dispose() {
      await handle.stop();
      await rm(persistTo, { recursive: true, force: true });
    },
  };
  await handle.start();
  return handle;
}
