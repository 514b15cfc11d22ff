/**
 * Release tooling: `npm run deploy` (prerequisite checks, the command sequence, a real `--dry-run` through wrangler)
 * and `npm run zip` (store packages for Chrome and Firefox). Everything runs offline and without a Cloudflare account.
 */
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { inflateRawSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  checkPrerequisites,
  credentials,
  DEV_EXTENSION_ORIGIN,
  deployCommands,
  dryRunCommand,
  findWranglerLogin,
  originProblem,
  parseDeployArgs,
  readDeployConfig,
  UsageError,
  type DeployConfig,
} from "../worker/scripts/deploy";

const ROOT = resolve(import.meta.dirname, "..");
const run = promisify(execFile);
const temps: string[] = [];
function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temps.push(dir);
  return dir;
}
afterAll(() => temps.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** The environment of a child process: no vitest leftovers (NODE_ENV=test would change the builds), no credentials. */
function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, WRANGLER_SEND_METRICS: "false", NO_UPDATE_NOTIFIER: "1" };
  for (const key of Object.keys(env)) {
    if (key === "NODE_ENV" || key.startsWith("VITEST") || key.startsWith("CLOUDFLARE_") || key === "WXT_STORE_BUILD") delete env[key];
  }
  return { ...env, ...extra };
}

const STORE_ORIGIN = "chrome-extension://abcdefghijklmnopabcdefghijklmnop";
const REAL_DB_ID = "3f2a9c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b";

/** The repository's wrangler.toml with exactly the edits the README's Deploy section asks for. */
function deployableConfig(dir: string, edits: { databaseId?: string; origins?: string } = {}): string {
  const toml = readFileSync(join(ROOT, "wrangler.toml"), "utf8");
  const replaced = toml
    .replace(/^main = .*$/m, `main = ${JSON.stringify(join(ROOT, "worker/index.ts"))}`)
    .replace(/^migrations_dir = .*$/m, `migrations_dir = ${JSON.stringify(join(ROOT, "worker/db/migrations"))}`)
    .replace(/^database_id = .*$/m, `database_id = "${edits.databaseId ?? REAL_DB_ID}"`)
    .replace(/^ALLOWED_ORIGINS = .*$/m, `ALLOWED_ORIGINS = "${edits.origins ?? STORE_ORIGIN}"`);
  expect(replaced.match(/^(main|migrations_dir|database_id|ALLOWED_ORIGINS) = /gm)).toHaveLength(4);
  const file = join(dir, "wrangler.toml");
  writeFileSync(file, replaced);
  return file;
}

function config(overrides: Partial<DeployConfig> & { vars?: Record<string, unknown> } = {}): DeployConfig {
  return {
    configPath: "/x/wrangler.toml",
    databaseId: REAL_DB_ID,
    hasDbBinding: true,
    migrationsDir: join(ROOT, "worker/db/migrations"),
    queues: ["target-hud-eval"],
    accountId: undefined,
    ...overrides,
    vars: { ALLOWED_ORIGINS: STORE_ORIGIN, ALLOW_TIME_TRAVEL: "0", ...overrides.vars },
  };
}
const noCredentialsEnv = {} as NodeJS.ProcessEnv;

describe("deploy: prerequisite checks", () => {
  it("a production-ready configuration passes", () => {
    expect(checkPrerequisites(config(), "login", noCredentialsEnv)).toEqual({ errors: [], warnings: [] });
    expect(checkPrerequisites(config(), "api-token", { CLOUDFLARE_ACCOUNT_ID: "acc" })).toEqual({ errors: [], warnings: [] });
  });

  it("the repository's own wrangler.toml is not deployable as it is: placeholder id and the dev origin only", () => {
    const { errors } = checkPrerequisites(readDeployConfig({}), "login", noCredentialsEnv);
    expect(errors).toHaveLength(2);
    expect(errors[0]).toMatch(/placeholder database_id.*wrangler d1 create target-hud/);
    expect(errors[1]).toMatch(/only the development build's origin/);
  });

  it("without credentials it says how to log in", () => {
    const { errors } = checkPrerequisites(config(), "none", noCredentialsEnv);
    expect(errors).toEqual([expect.stringMatching(/wrangler login.*CLOUDFLARE_API_TOKEN/)]);
  });

  it("an API token without an account id is a warning (wrangler needs one when the token reaches several accounts)", () => {
    expect(checkPrerequisites(config(), "api-token", noCredentialsEnv).warnings).toEqual([
      expect.stringMatching(/CLOUDFLARE_ACCOUNT_ID/),
    ]);
    expect(checkPrerequisites(config({ accountId: "acc" }), "api-token", noCredentialsEnv).warnings).toEqual([]);
  });

  it("database id: missing binding, placeholder, not a UUID", () => {
    expect(checkPrerequisites(config({ hasDbBinding: false, databaseId: undefined }), "login").errors).toEqual([
      expect.stringMatching(/no \[\[d1_databases\]\] entry with binding = "DB"/),
    ]);
    expect(checkPrerequisites(config({ databaseId: "00000000-0000-0000-0000-000000000000" }), "login").errors).toEqual([
      expect.stringMatching(/placeholder/),
    ]);
    expect(checkPrerequisites(config({ databaseId: "" }), "login").errors).toEqual([expect.stringMatching(/placeholder/)]);
    expect(checkPrerequisites(config({ databaseId: "target-hud" }), "login").errors).toEqual([
      expect.stringMatching(/"target-hud" is not a D1 database id/),
    ]);
  });

  it("ALLOWED_ORIGINS: empty, dev only, malformed entries; the dev origin beside a store origin is a warning", () => {
    const errorsFor = (origins: unknown) => checkPrerequisites(config({ vars: { ALLOWED_ORIGINS: origins } }), "login").errors;
    expect(errorsFor("")).toEqual([expect.stringMatching(/ALLOWED_ORIGINS is empty/)]);
    expect(errorsFor(undefined)).toEqual([expect.stringMatching(/ALLOWED_ORIGINS is empty/)]);
    expect(errorsFor(` ${DEV_EXTENSION_ORIGIN} , `)).toEqual([expect.stringMatching(/only the development build's origin/)]);
    expect(errorsFor(`${STORE_ORIGIN}/`)).toEqual([expect.stringMatching(/no path and no trailing slash/)]);
    expect(errorsFor(`${STORE_ORIGIN},*`)).toEqual([expect.stringMatching(/"\*": a wildcard/)]);
    expect(errorsFor("chrome-extension://ABC")).toEqual([expect.stringMatching(/32 letters a–p/)]);
    expect(errorsFor(`${STORE_ORIGIN}, chrome-extension://ponmlkjihgfedcbaponmlkjihgfedcba`)).toEqual([]);
    const mixed = checkPrerequisites(config({ vars: { ALLOWED_ORIGINS: `${STORE_ORIGIN},${DEV_EXTENSION_ORIGIN}` } }), "login");
    expect(mixed.errors).toEqual([]);
    expect(mixed.warnings).toEqual([expect.stringMatching(/still includes the development build/)]);
  });

  it("origin syntax", () => {
    expect(originProblem(STORE_ORIGIN)).toBeUndefined();
    expect(originProblem("moz-extension://2f8a6c1e-0000-4000-8000-123456789abc")).toBeUndefined();
    expect(originProblem("https://console.example.com")).toBeUndefined();
    expect(originProblem("https://console.example.com/app")).toBeDefined();
    expect(originProblem("console.example.com")).toBeDefined();
  });

  it("ALLOW_TIME_TRAVEL=1 never reaches production", () => {
    expect(checkPrerequisites(config({ vars: { ALLOW_TIME_TRAVEL: "1" } }), "login").errors).toEqual([
      expect.stringMatching(/ALLOW_TIME_TRAVEL = "1"/),
    ]);
  });

  it("the dev origin it refuses is the one wxt.config.ts pins and wrangler.toml allows for development", () => {
    const devId = /EXTENSION_DEV_ID = "([a-p]{32})"/.exec(readFileSync(join(ROOT, "wxt.config.ts"), "utf8"))?.[1];
    expect(DEV_EXTENSION_ORIGIN).toBe(`chrome-extension://${devId}`);
    expect(readDeployConfig({}).vars.ALLOWED_ORIGINS).toBe(DEV_EXTENSION_ORIGIN);
  });
});

describe("deploy: credentials", () => {
  it("an API token, a global key with its e-mail, or a `wrangler login` token file", () => {
    const home = tempDir("thud-home-");
    expect(credentials({}, home)).toBe("none");
    expect(credentials({ CLOUDFLARE_API_TOKEN: " " }, home)).toBe("none");
    expect(credentials({ CLOUDFLARE_API_KEY: "k" }, home)).toBe("none");
    expect(credentials({ CLOUDFLARE_API_KEY: "k", CLOUDFLARE_EMAIL: "a@b.c" }, home)).toBe("global-api-key");
    expect(credentials({ CLOUDFLARE_API_TOKEN: "t" }, home)).toBe("api-token");

    // `wrangler login` writes <config dir>/.wrangler/config/default.toml; an empty file (logged out) does not count.
    const xdg = join(home, "xdg");
    mkdirSync(join(xdg, ".wrangler", "config"), { recursive: true });
    writeFileSync(join(xdg, ".wrangler", "config", "default.toml"), "");
    expect(credentials({ XDG_CONFIG_HOME: xdg }, home)).toBe("none");
    writeFileSync(join(xdg, ".wrangler", "config", "default.toml"), 'oauth_token = "abc"\nexpiration_time = "2026-01-01"\n');
    expect(credentials({ XDG_CONFIG_HOME: xdg }, home)).toBe("login");
    expect(findWranglerLogin({ XDG_CONFIG_HOME: xdg }, home)).toBe(join(xdg, ".wrangler", "config", "default.toml"));

    mkdirSync(join(home, ".wrangler", "config"), { recursive: true });
    writeFileSync(join(home, ".wrangler", "config", "default.toml"), 'refresh_token = "r"\n');
    expect(findWranglerLogin({}, home)).toBe(join(home, ".wrangler", "config", "default.toml"));
  });
});

describe("deploy: commands", () => {
  it("queue check, then remote migrations, then the deploy; flags passed through", () => {
    expect(deployCommands(parseDeployArgs([]), { queues: ["target-hud-eval"] })).toEqual([
      ["queues", "info", "target-hud-eval"],
      ["d1", "migrations", "apply", "DB", "--remote"],
      ["deploy"],
    ]);
    const options = parseDeployArgs(["--env", "production", "--config", "/abs/wrangler.toml", "--dry-run"]);
    expect(options).toEqual({ dryRun: true, env: "production", config: "/abs/wrangler.toml" });
    expect(deployCommands(options, { queues: [] })).toEqual([
      ["d1", "migrations", "apply", "DB", "--remote", "--config", "/abs/wrangler.toml", "--env", "production"],
      ["deploy", "--config", "/abs/wrangler.toml", "--env", "production"],
    ]);
    expect(dryRunCommand(options, "/tmp/o")).toEqual(["deploy", "--dry-run", "--outdir", "/tmp/o", "--config", "/abs/wrangler.toml", "--env", "production"]);
    expect(() => parseDeployArgs(["--force"])).toThrow(UsageError);
    expect(() => parseDeployArgs(["production"])).toThrow(UsageError);
  });

  it("reads the queues (producer and consumer, once) and the DB binding through wrangler's own config reader", () => {
    const c = readDeployConfig({});
    expect(c.queues).toEqual(["target-hud-eval"]);
    expect(c.hasDbBinding).toBe(true);
    expect(c.migrationsDir).toBe(join(ROOT, "worker/db/migrations"));
  });
});

describe("npm run deploy -- --dry-run (real wrangler, offline, no account)", () => {
  async function dryRun(args: string[], env: Record<string, string>) {
    const home = tempDir("thud-home-");
    try {
      const { stdout, stderr } = await run("npm", ["run", "--silent", "deploy", "--", "--dry-run", ...args], {
        cwd: ROOT,
        env: childEnv({ HOME: home, XDG_CONFIG_HOME: join(home, ".config"), ...env }),
        maxBuffer: 16 * 1024 * 1024,
      });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const e = error as { code: number; stdout: string; stderr: string };
      return { code: e.code, stdout: e.stdout, stderr: e.stderr };
    }
  }

  it("with the prerequisites met: prints the three commands, bundles the worker, exits 0", async () => {
    const file = deployableConfig(tempDir("thud-deploy-cfg-"));
    const { code, stdout, stderr } = await dryRun(["--config", file], { CLOUDFLARE_API_TOKEN: "t", CLOUDFLARE_ACCOUNT_ID: "a" });
    expect(stderr).not.toMatch(/✗/);
    expect(code).toBe(0);
    const plan = stdout.slice(stdout.indexOf("A deploy would run"));
    expect(plan).toContain(`1. npx wrangler queues info target-hud-eval --config ${file}`);
    expect(plan).toContain(`2. npx wrangler d1 migrations apply DB --remote --config ${file}`);
    expect(plan).toContain(`3. npx wrangler deploy --config ${file}`);
    expect(plan).toMatch(/0000_init\.sql/);
    // wrangler itself bundled the worker and listed the bindings, then stopped.
    expect(stdout).toMatch(/Total Upload: [\d.]+ KiB/);
    expect(stdout).toMatch(/env\.DB \(target-hud\)\s+D1 Database/);
    expect(stdout).toMatch(/env\.EVAL_QUEUE \(target-hud-eval\)\s+Queue/);
    expect(stdout).toContain("--dry-run: exiting now.");
    expect(stdout).toContain("Dry run passed");
  }, 120_000);

  it("with the repository's configuration and no login: lists every problem, still bundles, exits 1", async () => {
    const { code, stdout, stderr } = await dryRun([], {});
    expect(code).toBe(1);
    expect(stderr).toMatch(/✗ Not logged in to Cloudflare/);
    expect(stderr).toMatch(/✗ .*placeholder database_id/);
    expect(stderr).toMatch(/✗ .*only the development build's origin/);
    expect(stderr).toMatch(/3 prerequisite\(s\) above would stop a real deploy/);
    expect(stdout).toContain("1. npx wrangler queues info target-hud-eval\n");
    expect(stdout).toContain("--dry-run: exiting now.");
  }, 120_000);
});

// ---------------------------------------------------------------------------------------------------------------
// npm run zip

/** The files of a zip archive (stored or deflated entries, as wxt writes them). */
function readZip(buffer: Buffer): Map<string, Buffer> {
  let eocd = buffer.length - 22;
  while (eocd >= 0 && buffer.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  if (eocd < 0) throw new Error("not a zip archive");
  const count = buffer.readUInt16LE(eocd + 10);
  let at = buffer.readUInt32LE(eocd + 16);
  const files = new Map<string, Buffer>();
  for (let i = 0; i < count; i++) {
    if (buffer.readUInt32LE(at) !== 0x02014b50) throw new Error("bad central directory");
    const method = buffer.readUInt16LE(at + 10);
    const size = buffer.readUInt32LE(at + 20);
    const nameLength = buffer.readUInt16LE(at + 28);
    const local = buffer.readUInt32LE(at + 42);
    const name = buffer.toString("utf8", at + 46, at + 46 + nameLength);
    at += 46 + nameLength + buffer.readUInt16LE(at + 30) + buffer.readUInt16LE(at + 32);
    const start = local + 30 + buffer.readUInt16LE(local + 26) + buffer.readUInt16LE(local + 28);
    const data = buffer.subarray(start, start + size);
    if (!name.endsWith("/")) files.set(name, method === 8 ? inflateRawSync(data) : Buffer.from(data));
  }
  return files;
}

interface Manifest {
  manifest_version: number;
  name: string;
  description?: string;
  default_locale?: string;
  key?: string;
  permissions?: string[];
  host_permissions?: string[];
  optional_host_permissions?: string[];
  content_scripts?: { matches?: string[] }[];
  background?: { service_worker?: string; scripts?: string[]; type?: string };
  action?: { default_popup?: string; default_title?: string };
  options_ui?: { page?: string };
  browser_specific_settings?: { gecko?: { id?: string } };
}

describe("npm run zip: store packages", () => {
  let out: string;
  let archives: string[];
  beforeAll(async () => {
    out = tempDir("thud-zip-");
    await run("npm", ["run", "--silent", "zip"], { cwd: ROOT, env: childEnv({ WXT_OUT_DIR: out }), maxBuffer: 16 * 1024 * 1024 });
    archives = readdirSync(out).filter((f) => f.endsWith(".zip")).sort();
  }, 180_000);

  it("writes a Chrome package, a Firefox package and the Firefox sources", () => {
    const version = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string }).version;
    expect(archives).toEqual([`target-hud-${version}-chrome.zip`, `target-hud-${version}-firefox.zip`, `target-hud-${version}-sources.zip`]);
  });

  for (const browser of ["chrome", "firefox"] as const) {
    it(`${browser}: MV3 manifest without the dev key, no required host access, every referenced file packed`, () => {
      const zip = readZip(readFileSync(join(out, archives.find((a) => a.endsWith(`-${browser}.zip`))!)));
      const manifest = JSON.parse(zip.get("manifest.json")!.toString("utf8")) as Manifest;
      expect(manifest.manifest_version).toBe(3);
      expect(manifest).not.toHaveProperty("key");
      expect(manifest.permissions?.length).toBeGreaterThan(0);
      // Required permissions are API names only: any match pattern there (or in host_permissions, or a static
      // content script) would ask every user for site access at install.
      for (const permission of manifest.permissions ?? []) expect(permission).toMatch(/^[a-zA-Z.]+$/);
      expect(manifest.host_permissions ?? []).toEqual([]);
      expect((manifest.content_scripts ?? []).flatMap((c) => c.matches ?? [])).toEqual([]);
      expect(manifest.optional_host_permissions).toEqual(expect.arrayContaining(["https://*/*"]));

      if (browser === "chrome") {
        expect(manifest.background).toEqual({ service_worker: expect.any(String) });
        expect(manifest).not.toHaveProperty("browser_specific_settings");
      } else {
        expect(manifest.background).toEqual({ scripts: [expect.any(String)] });
        expect(manifest.browser_specific_settings?.gecko?.id).toMatch(/@/);
      }
      const referenced = [
        manifest.background?.service_worker,
        ...(manifest.background?.scripts ?? []),
        manifest.action?.default_popup,
        manifest.options_ui?.page,
      ].filter((f): f is string => f !== undefined);
      expect(referenced.length).toBeGreaterThanOrEqual(3);
      for (const file of referenced) expect(zip.has(file), file).toBe(true);

      // Every __MSG_…__ of the manifest resolves in every packed locale (the stores reject a missing one).
      const keys = [...JSON.stringify(manifest).matchAll(/__MSG_(\w+)__/g)].map((m) => m[1]!);
      expect(keys).toContain("extName");
      const locales = [...zip.keys()].filter((f) => /^_locales\/[^/]+\/messages\.json$/.test(f));
      expect(locales.map((f) => f.split("/")[1]).sort()).toEqual(["en", "zh_CN", "zh_TW"]);
      expect(zip.has(`_locales/${manifest.default_locale}/messages.json`)).toBe(true);
      for (const locale of locales) {
        const messages = JSON.parse(zip.get(locale)!.toString("utf8")) as Record<string, { message: string }>;
        for (const key of keys) expect(messages[key]?.message, `${locale} ${key}`).toBeTruthy();
      }
    });
  }

  it("firefox sources: what a reviewer needs to rebuild, and no local secrets or dependencies", () => {
    const files = [...readZip(readFileSync(join(out, archives.find((a) => a.endsWith("-sources.zip"))!))).keys()];
    for (const needed of ["package.json", "package-lock.json", "wxt.config.ts", "tsconfig.base.json", "extension/tsconfig.json"]) {
      expect(files).toContain(needed);
    }
    expect(files.some((f) => f.startsWith("extension/entrypoints/"))).toBe(true);
    expect(files.some((f) => f.startsWith("shared/"))).toBe(true);
    expect(files.filter((f) => /(^|\/)(node_modules|\.[^/]+)(\/|$)/.test(f))).toEqual([]);
  });
});
