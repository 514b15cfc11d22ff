/**
 * npm run deploy [-- --dry-run] [--env NAME] [--config PATH]
 *
 * Deploys the worker to Cloudflare: checks the prerequisites first (credentials, a real D1 database id, production
 * CORS origins, no test-only switches), then runs, in this order and stopping at the first failure:
 *
 *   1. wrangler queues info target-hud-eval          the cron's fan-out queue exists (EVAL_QUEUE)
 *   2. wrangler d1 migrations apply DB --remote      schema first: migrations are additive, the running code copes
 *   3. wrangler deploy                                then the code that needs them
 *
 * --dry-run changes nothing and needs no account or network: it reports the same checks, prints the commands above,
 * and bundles the worker with `wrangler deploy --dry-run` (into a temporary folder). It exits 1 when a check failed,
 * like the real run would, so it is a faithful rehearsal.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { unstable_readConfig } from "wrangler";

export const ROOT = resolve(import.meta.dirname, "../..");
const WRANGLER_BIN = join(ROOT, "node_modules/wrangler/bin/wrangler.js");

/** The unpacked development build's origin (its id is pinned by EXTENSION_DEV_KEY in wxt.config.ts). */
export const DEV_EXTENSION_ORIGIN = "chrome-extension://ejkgpjfoednhacjjbcnkippfanjeepig";
const PLACEHOLDER_DATABASE_ID = /^0{8}-0{4}-0{4}-0{4}-0{12}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class UsageError extends Error {}

export interface DeployOptions {
  dryRun: boolean;
  /** Absolute path of a wrangler.toml (or .json/.jsonc) other than the repository's. */
  config?: string;
  /** A wrangler environment ([env.NAME]); bindings are not inherited by environments, so define them there too. */
  env?: string;
}

export function parseDeployArgs(argv: string[]): DeployOptions {
  let values: { "dry-run"?: boolean; config?: string; env?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        "dry-run": { type: "boolean" },
        config: { type: "string", short: "c" },
        env: { type: "string", short: "e" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) throw new UsageError("");
  return {
    dryRun: values["dry-run"] ?? false,
    // npm runs scripts in the package root; a relative --config means relative to where the user typed it.
    ...(values.config ? { config: resolve(process.env.INIT_CWD ?? process.cwd(), values.config) } : {}),
    ...(values.env ? { env: values.env } : {}),
  };
}

/** What the checks need from the wrangler configuration (read by wrangler itself, environments applied). */
export interface DeployConfig {
  configPath: string;
  /** The DB binding's database_id, if the binding exists. */
  databaseId: string | undefined;
  hasDbBinding: boolean;
  migrationsDir: string | undefined;
  vars: Record<string, unknown>;
  /** Queues the worker produces to or consumes (they must exist before deploying). */
  queues: string[];
  accountId: string | undefined;
}

interface WranglerConfig {
  configPath: string | undefined;
  account_id: string | undefined;
  vars: Record<string, unknown>;
  d1_databases: { binding: string; database_id?: string; migrations_dir?: string }[];
  queues: { producers?: { queue: string }[]; consumers?: { queue: string }[] };
}

export function readDeployConfig(options: Pick<DeployOptions, "config" | "env">): DeployConfig {
  const path = options.config ?? join(ROOT, "wrangler.toml");
  if (!existsSync(path)) throw new UsageError(`no wrangler configuration at ${path}`);
  // wrangler's own reader (TOML/JSON, environments, validation); typed here with the fields we read.
  const config = unstable_readConfig({ config: path, ...(options.env ? { env: options.env } : {}) }, { hideWarnings: true }) as WranglerConfig;
  const db = config.d1_databases.find((d) => d.binding === "DB");
  const configPath = config.configPath ?? path;
  return {
    configPath,
    databaseId: db?.database_id,
    hasDbBinding: db !== undefined,
    migrationsDir: db ? resolve(dirname(configPath), db.migrations_dir ?? "migrations") : undefined,
    vars: config.vars,
    queues: [
      ...new Set([...(config.queues.producers ?? []).map((p) => p.queue), ...(config.queues.consumers ?? []).map((c) => c.queue)]),
    ],
    accountId: config.account_id,
  };
}

/**
 * Where `wrangler login` keeps its OAuth token (wrangler's getGlobalWranglerConfigPath: ~/.wrangler if present, else
 * the platform's config folder + /.wrangler), when one holds a token.
 */
export function findWranglerLogin(env: NodeJS.ProcessEnv = process.env, home = homedir()): string | undefined {
  const dirs = [
    join(home, ".wrangler"),
    ...(env.XDG_CONFIG_HOME ? [join(env.XDG_CONFIG_HOME, ".wrangler")] : []),
    join(home, ".config", ".wrangler"),
    join(home, "Library", "Preferences", ".wrangler"),
    ...(env.APPDATA ? [join(env.APPDATA, ".wrangler")] : []),
  ];
  for (const dir of dirs) {
    const file = join(dir, "config", "default.toml");
    if (!existsSync(file)) continue;
    if (/^\s*(oauth_token|refresh_token|api_token)\s*=\s*"[^"]+"/m.test(readFileSync(file, "utf8"))) return file;
  }
  return undefined;
}

export type Credentials = "api-token" | "global-api-key" | "login" | "none";

export function credentials(env: NodeJS.ProcessEnv = process.env, home = homedir()): Credentials {
  if (env.CLOUDFLARE_API_TOKEN?.trim()) return "api-token";
  if (env.CLOUDFLARE_API_KEY?.trim() && env.CLOUDFLARE_EMAIL?.trim()) return "global-api-key";
  return findWranglerLogin(env, home) ? "login" : "none";
}

export function splitOrigins(value: string): string[] {
  // The same split as the worker's CORS allow-list (worker/app.ts allowedOrigins).
  return value
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Why an ALLOWED_ORIGINS entry can never equal a browser's Origin header, or undefined when it can. */
export function originProblem(origin: string): string | undefined {
  if (origin === "*") return "a wildcard would let any web page call the API with a stolen token";
  if (!/^[a-z][a-z0-9+.-]*:\/\/[^/\s?#]+$/.test(origin)) return "an origin is scheme://host, with no path and no trailing slash";
  if (origin.startsWith("chrome-extension://") && !/^chrome-extension:\/\/[a-p]{32}$/.test(origin))
    return "a Chrome extension id is 32 letters a–p (the id on the store's dashboard)";
  return undefined;
}

export interface CheckResult {
  errors: string[];
  warnings: string[];
}

/** The prerequisites of a deploy; pure, so each rule is tested on its own. */
export function checkPrerequisites(config: DeployConfig, creds: Credentials, env: NodeJS.ProcessEnv = process.env): CheckResult {
  const errors: string[] = [];
  const warnings: string[] = [];
  const file = config.configPath;

  if (creds === "none") {
    errors.push(
      "Not logged in to Cloudflare: run `npx wrangler login`, or set CLOUDFLARE_API_TOKEN and CLOUDFLARE_ACCOUNT_ID " +
        '(a token from the "Edit Cloudflare Workers" template, plus D1: Edit and Queues: Edit).',
    );
  } else if (creds !== "login" && !env.CLOUDFLARE_ACCOUNT_ID && !config.accountId) {
    warnings.push(
      "CLOUDFLARE_ACCOUNT_ID is not set (nor account_id in the configuration): wrangler stops if the token reaches more than one account.",
    );
  }

  if (!config.hasDbBinding) {
    errors.push(`${file}: no [[d1_databases]] entry with binding = "DB".`);
  } else if (!config.databaseId || PLACEHOLDER_DATABASE_ID.test(config.databaseId)) {
    errors.push(
      `${file}: the DB binding still has the placeholder database_id. Run \`npx wrangler d1 create target-hud\` ` +
        "and put the database_id it prints into [[d1_databases]].",
    );
  } else if (!UUID.test(config.databaseId)) {
    errors.push(`${file}: database_id "${config.databaseId}" is not a D1 database id (a UUID, as \`npx wrangler d1 list\` shows).`);
  }

  const rawOrigins = config.vars.ALLOWED_ORIGINS;
  const origins = typeof rawOrigins === "string" ? splitOrigins(rawOrigins) : [];
  if (origins.length === 0) {
    errors.push(`${file}: [vars] ALLOWED_ORIGINS is empty, so no extension could call the API. Set it to your published extension's origin(s).`);
  } else {
    for (const origin of origins) {
      const problem = originProblem(origin);
      if (problem) errors.push(`${file}: ALLOWED_ORIGINS entry "${origin}": ${problem}.`);
    }
    if (origins.every((o) => o === DEV_EXTENSION_ORIGIN)) {
      errors.push(
        `${file}: ALLOWED_ORIGINS is only the development build's origin (${DEV_EXTENSION_ORIGIN}). Add the store ` +
          "extension's origin, chrome-extension://<id from the Chrome Web Store dashboard>, comma-separated.",
      );
    } else if (origins.includes(DEV_EXTENSION_ORIGIN)) {
      warnings.push(`ALLOWED_ORIGINS still includes the development build (${DEV_EXTENSION_ORIGIN}): unpacked dev builds can use this server.`);
    }
  }

  if (String(config.vars.ALLOW_TIME_TRAVEL ?? "") === "1") {
    errors.push(`${file}: ALLOW_TIME_TRAVEL = "1" lets any client set the server's clock (X-Debug-Now). Set it to "0" for production.`);
  }

  if (config.migrationsDir && !existsSync(config.migrationsDir)) {
    errors.push(`${file}: migrations_dir ${config.migrationsDir} does not exist.`);
  }
  return { errors, warnings };
}

/** wrangler's global flags for the chosen configuration and environment. */
function scopeArgs(options: DeployOptions): string[] {
  return [...(options.config ? ["--config", options.config] : []), ...(options.env ? ["--env", options.env] : [])];
}

/** The wrangler commands of a real deploy, in order. */
export function deployCommands(options: DeployOptions, config: Pick<DeployConfig, "queues">): string[][] {
  const scope = scopeArgs(options);
  return [
    ...config.queues.map((queue) => ["queues", "info", queue, ...scope]),
    ["d1", "migrations", "apply", "DB", "--remote", ...scope],
    ["deploy", ...scope],
  ];
}

/** The command a dry run executes: bundle and validate, upload nothing. */
export function dryRunCommand(options: DeployOptions, outdir: string): string[] {
  return ["deploy", "--dry-run", "--outdir", outdir, ...scopeArgs(options)];
}

const quote = (arg: string) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, "'\\''")}'`);
export const showCommand = (args: string[]) => ["npx", "wrangler", ...args].map(quote).join(" ");

const HINTS: Record<string, string> = {
  queues: "The queue is missing or unreachable: create it once with `npx wrangler queues create <name>`.",
  d1: "Migrations failed: nothing was deployed, the running worker is unchanged. Fix the cause and run `npm run deploy` again (applied migrations are skipped).",
  deploy: "The new code was not deployed, but the migrations above were applied (they are additive; the running worker keeps working). Fix the cause and run `npm run deploy` again.",
};

function runWrangler(args: string[]): Promise<number> {
  return new Promise((resolveExit, reject) => {
    const child = spawn(process.execPath, [WRANGLER_BIN, ...args], {
      cwd: ROOT,
      stdio: "inherit",
      env: { ...process.env, WRANGLER_SEND_METRICS: process.env.WRANGLER_SEND_METRICS ?? "false" },
    });
    child.on("error", reject);
    child.on("exit", (code, signal) => resolveExit(code ?? (signal ? 1 : 0)));
  });
}

function migrationFiles(dir: string | undefined): string[] {
  return dir && existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith(".sql")).sort() : [];
}

async function main(): Promise<number> {
  let options: DeployOptions;
  let config: DeployConfig;
  try {
    options = parseDeployArgs(process.argv.slice(2));
    config = readDeployConfig(options);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    if (error.message) console.error(`deploy: ${error.message}`);
    console.error("usage: npm run deploy [-- --dry-run] [--env NAME] [--config PATH]");
    return 2;
  }

  const { errors, warnings } = checkPrerequisites(config, credentials());
  console.log(`Deploy${options.dryRun ? " (dry run: nothing is changed)" : ""} with ${config.configPath}${options.env ? ` [env ${options.env}]` : ""}`);
  for (const w of warnings) console.log(`  warning: ${w}`);
  for (const e of errors) console.error(`  ✗ ${e}`);
  if (errors.length === 0) console.log("  ✓ prerequisites: credentials, D1 database id, ALLOWED_ORIGINS, ALLOW_TIME_TRAVEL off");

  const commands = deployCommands(options, config);
  if (options.dryRun) {
    const migrations = migrationFiles(config.migrationsDir);
    console.log(`\nA deploy would run (migrations in ${config.migrationsDir ?? "-"}: ${migrations.join(", ") || "none"}; D1 skips the applied ones):`);
    commands.forEach((args, i) => console.log(`  ${i + 1}. ${showCommand(args)}`));
    const outdir = mkdtempSync(join(tmpdir(), "thud-deploy-"));
    try {
      const args = dryRunCommand(options, outdir);
      console.log(`\nNow bundling without uploading: ${showCommand(args)}`);
      const code = await runWrangler(args);
      if (code !== 0) {
        console.error(`\nwrangler deploy --dry-run failed (exit ${code}).`);
        return code;
      }
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
    if (errors.length > 0) {
      console.error(`\nDry run: the bundle is fine, but ${errors.length} prerequisite(s) above would stop a real deploy.`);
      return 1;
    }
    console.log("\nDry run passed: `npm run deploy` would run the commands above.");
    return 0;
  }

  if (errors.length > 0) {
    console.error(`\nNothing was deployed: fix the ${errors.length} problem(s) above (\`npm run deploy -- --dry-run\` checks again without deploying).`);
    return 1;
  }
  for (const [i, args] of commands.entries()) {
    console.log(`\n[${i + 1}/${commands.length}] ${showCommand(args)}`);
    const code = await runWrangler(args);
    if (code !== 0) {
      console.error(`\n✗ ${showCommand(args)} failed (exit ${code}). ${HINTS[args[0]!] ?? ""}`);
      return code;
    }
  }
  console.log("\nDeployed. Create the first org's admin with `npm run bootstrap -- --remote …` (see README, Deploy).");
  return 0;
}

if (process.argv[1] && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url))) {
  process.exitCode = await main();
}
