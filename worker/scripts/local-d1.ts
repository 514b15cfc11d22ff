/**
 * The local D1 through wrangler's own CLI: the same migrations and SQL path as
 * production, on workerd's SQLite under .wrangler/ (or `persistTo`). No account, no network.
 */
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { buildDemoSeed, buildPairingCodes, DEMO_ORG_ID, type SeedCode } from "../db/seed";

const run = promisify(execFile);
export const ROOT = resolve(import.meta.dirname, "../..");
const WRANGLER = join(ROOT, "node_modules/.bin/wrangler");

/** Environment for every wrangler child: offline and quiet. */
export const OFFLINE_ENV = {
  ...process.env,
  WRANGLER_SEND_METRICS: "false",
  CLOUDFLARE_CF_FETCH_ENABLED: "false",
  NO_UPDATE_NOTIFIER: "1",
  CI: process.env.CI ?? "",
};

function persistArgs(persistTo?: string): string[] {
  return persistTo ? ["--persist-to", persistTo] : [];
}

async function wrangler(args: string[]) {
  return run(WRANGLER, args, { cwd: ROOT, env: OFFLINE_ENV, maxBuffer: 64 * 1024 * 1024 });
}

export async function migrateLocal(persistTo?: string): Promise<void> {
  await wrangler(["d1", "migrations", "apply", "DB", "--local", ...persistArgs(persistTo)]);
}

/**
 * A read of the local D1 from outside the running worker (its own workerd process, same SQLite file). While the
 * worker is writing, SQLite answers SQLITE_BUSY ("database is locked"); a read is safe to repeat, so it is, briefly.
 */
export async function queryLocal<T = Record<string, unknown>>(sql: string, persistTo?: string): Promise<T[]> {
  for (let attempt = 1; ; attempt++) {
    try {
      const { stdout } = await wrangler(["d1", "execute", "DB", "--local", "--json", "--command", sql, ...persistArgs(persistTo)]);
      const parsed = JSON.parse(stdout) as { results: T[] }[];
      return parsed.flatMap((r) => r.results);
    } catch (error) {
      if (attempt >= 5 || !/SQLITE_BUSY|database is locked/.test(String(error))) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
    }
  }
}

export async function executeLocal(statements: string[], persistTo?: string): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "thud-sql-"));
  try {
    const file = join(dir, "seed.sql");
    await writeFile(file, statements.map((s) => s + ";\n").join(""));
    await wrangler(["d1", "execute", "DB", "--local", "--file", file, ...persistArgs(persistTo)]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Seeds the demo org if the database has none; otherwise only issues fresh pairing codes
 * (codes are one-time, so every start needs new ones).
 */
export async function seedLocal(persistTo?: string, now = Date.now()): Promise<{ seeded: boolean; codes: SeedCode[] }> {
  const [existing] = await queryLocal<{ n: number }>(`SELECT count(*) AS n FROM orgs WHERE id = '${DEMO_ORG_ID}'`, persistTo);
  const seed = existing && existing.n > 0 ? await buildPairingCodes(now) : await buildDemoSeed(now);
  await executeLocal(seed.statements, persistTo);
  return { seeded: !(existing && existing.n > 0), codes: seed.codes };
}

export function printCodes(codes: SeedCode[]): void {
  console.log("\nOne-time pairing codes (valid 24 h) — paste one into the extension's options page:");
  for (const c of codes) console.log(`  ${c.code}  ${c.name.padEnd(10)} ${c.role}`);
}
