/**
 * npm run bootstrap -- --org "Acme" --admin "Ada" --email ada@acme.test --tz Asia/Shanghai --lang zh-CN [--id org_acme] [--remote]
 *
 * Creates a new org and its first admin, and prints a one-time pairing code (10 minutes) for the admin's extension.
 * There is deliberately no HTTP endpoint for this: whoever runs it holds the D1 credentials (wrangler login) or the
 * local database. Without --remote it works on the local D1 (migrated first; --persist-to picks the folder, as
 * wrangler's own flag does); with --remote on the deployed D1 through `wrangler d1 execute --remote` (migrations are
 * not applied remotely: apply them before deploying, see README).
 *
 * The org, the admin and the code are written by one execution of three statements; the org row guards the other
 * two (see buildOrgBootstrap), and an org id that exists already is refused before anything is written.
 */
import { execFile } from "node:child_process";
import { realpathSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs, promisify } from "node:util";
import { z } from "zod";
import { Language, TimeZone } from "../../shared/schemas/org";
import { PAIRING_CODE_TTL_MS } from "../../shared/schemas/pairing";
import { newId } from "../auth/crypto";
import { buildOrgBootstrap } from "../db/seed";
import { executeLocal, migrateLocal, OFFLINE_ENV, queryLocal, ROOT } from "./local-d1";

const OrgId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{2,63}$/, "3–64 characters: lowercase letters, digits, '_' and '-' (e.g. org_acme)");

export const BootstrapArgs = z
  .strictObject({
    org: z.string({ error: "is required" }).trim().min(1, "must not be empty").max(120),
    admin: z.string({ error: "is required" }).trim().min(1, "must not be empty").max(80),
    email: z.email("is not an e-mail address").max(200).optional(),
    tz: z.string({ error: "is required (an IANA timezone such as Asia/Shanghai)" }).pipe(TimeZone),
    lang: Language.default("en"),
    id: OrgId.optional(),
    remote: z.boolean().default(false),
    "persist-to": z.string().min(1).optional(),
  })
  .refine((a) => !(a.remote && a["persist-to"]), { message: "--persist-to is for the local D1 only", path: ["persist-to"] });
export type BootstrapArgs = z.output<typeof BootstrapArgs>;

/** org_<ascii slug of the name>, or org_<random> when the name has no ASCII letters (e.g. a Chinese name). */
export function orgIdFor(name: string): string {
  const slug = name
    .normalize("NFKD")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "")
    .slice(0, 40);
  return slug.length >= 2 ? `org_${slug}` : newId("org").slice(0, 16);
}

export class UsageError extends Error {}

/** argv → validated arguments, or a UsageError listing every problem by flag. */
export function parseBootstrapArgs(argv: string[]): BootstrapArgs & { id: string } {
  let values: Record<string, unknown>;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      options: {
        org: { type: "string" },
        admin: { type: "string" },
        email: { type: "string" },
        tz: { type: "string" },
        lang: { type: "string" },
        id: { type: "string" },
        remote: { type: "boolean" },
        "persist-to": { type: "string" },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const parsed = BootstrapArgs.safeParse(values);
  if (!parsed.success) throw new UsageError(parsed.error.issues.map((i) => `--${i.path.join(".") || "args"}: ${i.message}`).join("\n"));
  return { ...parsed.data, id: parsed.data.id ?? orgIdFor(parsed.data.org) };
}

const sqlText = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** The D1 the script writes to: local (wrangler's local SQLite) or remote (wrangler d1 execute --remote). */
function database(args: BootstrapArgs) {
  if (!args.remote) {
    const persistTo = args["persist-to"];
    return {
      where: persistTo ? `local D1 in ${persistTo}` : "local D1 (.wrangler/)",
      prepare: () => migrateLocal(persistTo),
      query: <T>(sql: string) => queryLocal<T>(sql, persistTo),
      execute: (statements: string[]) => executeLocal(statements, persistTo),
    };
  }
  const wrangler = async (extra: string[]) => {
    const { stdout } = await promisify(execFile)(join(ROOT, "node_modules/.bin/wrangler"), ["d1", "execute", "DB", "--remote", "--json", ...extra], {
      cwd: ROOT,
      env: OFFLINE_ENV,
      maxBuffer: 16 * 1024 * 1024,
    });
    return JSON.parse(stdout) as { results: unknown[] }[];
  };
  return {
    where: "remote D1 (wrangler.toml's database)",
    prepare: async () => undefined,
    query: async <T>(sql: string) => (await wrangler(["--command", sql])).flatMap((r) => r.results as T[]),
    execute: async (statements: string[]) => void (await wrangler(["--command", statements.join(";\n")])),
  };
}

export async function bootstrap(argv: string[], now = Date.now()) {
  const args = parseBootstrapArgs(argv);
  const db = database(args);
  await db.prepare();
  const [taken] = await db.query<{ name: string }>(`SELECT name FROM orgs WHERE id = ${sqlText(args.id)}`);
  if (taken) throw new UsageError(`An org with id ${args.id} exists already (“${taken.name}”). Pick another with --id.`);

  const admin = { id: newId("usr"), name: args.admin, email: args.email ?? null };
  const seed = await buildOrgBootstrap(
    { orgId: args.id, orgName: args.org, timeZone: args.tz, language: args.lang, admin },
    now,
    PAIRING_CODE_TTL_MS,
  );
  await db.execute(seed.statements);
  // The guard in the statements makes a lost race write nothing; say so rather than print a dead code.
  const [created] = await db.query<{ n: number }>(
    `SELECT count(*) AS n FROM pairing_codes WHERE org_id = ${sqlText(args.id)} AND user_id = ${sqlText(admin.id)}`,
  );
  if (!created || created.n !== 1) throw new UsageError(`An org with id ${args.id} was created by someone else meanwhile; nothing was written.`);
  return { args, admin, code: seed.code, expiresAt: seed.expiresAt, where: db.where };
}

async function main() {
  try {
    const { args, admin, code, expiresAt, where } = await bootstrap(process.argv.slice(2));
    console.log(`Created org “${args.org}” (${args.id}, ${args.tz}, ${args.lang}) in the ${where},`);
    console.log(`with its admin ${admin.name} (${admin.id}${admin.email ? `, ${admin.email}` : ""}).`);
    console.log(`\nOne-time pairing code for ${admin.name} — valid 10 minutes, until ${new Date(expiresAt).toISOString()}:\n`);
    console.log(`  Pairing code: ${code}\n`);
    console.log("Paste it with the server URL into the extension's options page. Then add teams, users and their codes from there");
    console.log("(or POST /v1/teams, /v1/users, /v1/pairing-codes). Run this script again only for another org.");
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`bootstrap: ${error.message}`);
      console.error('usage: npm run bootstrap -- --org "Acme" --admin "Ada" --tz Asia/Shanghai [--email ada@acme.test] [--lang en|zh-CN|zh-TW] [--id org_acme] [--remote | --persist-to DIR]');
      process.exit(2);
    }
    const stderr = (error as { stderr?: string }).stderr;
    console.error(`bootstrap failed: ${(error as Error).message}${stderr ? `\n${stderr}` : ""}`);
    process.exit(1);
  }
}

if (process.argv[1] && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url))) await main();
