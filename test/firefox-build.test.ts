/**
 * `npm run build:firefox` builds a loadable Firefox MV3 add-on: the manifest Firefox needs (gecko id, MV3 background
 * `scripts` instead of a service worker, no Chromium `key`), the shortcut and context-menu declarations, every file the
 * manifest points at, and every __MSG_…__ resolvable in each locale. web-ext is not installed here, so this checks the
 * generated manifest.json against what Firefox requires for MV3 add-ons.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, test } from "vitest";
import { FIREFOX_ADDON_ID } from "../wxt.config";

const ROOT = resolve(import.meta.dirname, "..");
const out = mkdtempSync(join(tmpdir(), "thud-firefox-"));
let dir: string;
let manifest: Record<string, unknown> & {
  manifest_version: number;
  background?: { scripts?: string[]; service_worker?: string };
  browser_specific_settings?: { gecko?: { id?: string; strict_min_version?: string } };
  permissions?: string[];
  host_permissions?: string[];
  commands?: Record<string, { suggested_key?: { default?: string }; description?: string }>;
  action?: { default_popup?: string };
  options_ui?: { page?: string };
  default_locale?: string;
};

beforeAll(async () => {
  const env: NodeJS.ProcessEnv = { ...process.env, WXT_OUT_DIR: out };
  for (const key of Object.keys(env)) if (key === "NODE_ENV" || key.startsWith("VITEST")) delete env[key];
  await promisify(execFile)("npm", ["run", "--silent", "build:firefox"], { cwd: ROOT, env, maxBuffer: 16 * 1024 * 1024 });
  dir = join(out, "firefox-mv3");
  manifest = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8"));
}, 180_000);

afterAll(() => rmSync(out, { recursive: true, force: true }));

test("Firefox MV3: gecko id, background scripts (no service worker), no Chromium key", () => {
  expect(manifest.manifest_version).toBe(3);
  expect(manifest.browser_specific_settings?.gecko?.id).toBe(FIREFOX_ADDON_ID);
  expect(manifest.browser_specific_settings?.gecko?.strict_min_version).toMatch(/^\d+\.\d+$/);
  expect(manifest.background).toEqual({ scripts: [expect.stringMatching(/\.js$/)] });
  expect(manifest).not.toHaveProperty("key");
});

test("the shortcut and the context menu are declared; no site access is required", () => {
  expect(manifest.commands?.["log-touch"]).toEqual({ suggested_key: { default: "Alt+Shift+L" }, description: "__MSG_command_logTouch__" });
  expect(manifest.commands?._execute_action?.suggested_key?.default).toBe("Alt+Shift+H");
  expect(manifest.permissions).toEqual(expect.arrayContaining(["storage", "alarms", "contextMenus"]));
  expect(manifest.permissions?.filter((p) => p.includes("://") || p === "<all_urls>")).toEqual([]);
  expect(manifest.host_permissions ?? []).toEqual([]);
});

test("every file the manifest names is in the build, and every message it uses exists in each locale", () => {
  const files = [...(manifest.background?.scripts ?? []), manifest.action?.default_popup, manifest.options_ui?.page];
  for (const file of files) expect(file && existsSync(join(dir, file)), String(file)).toBe(true);
  const keys = [...JSON.stringify(manifest).matchAll(/__MSG_(\w+)__/g)].map((m) => m[1]!);
  expect(keys).toEqual(expect.arrayContaining(["extName", "command_logTouch"]));
  for (const locale of ["en", "zh_CN", "zh_TW"]) {
    const messages = JSON.parse(readFileSync(join(dir, "_locales", locale, "messages.json"), "utf8")) as Record<string, { message: string }>;
    for (const key of keys) expect(messages[key]?.message, `${locale}: ${key}`).toBeTruthy();
  }
});

test("pairing on Firefox asks for host access to the server (its moz-extension origin cannot be on a CORS allow-list)", async () => {
  const { readdirSync } = await import("node:fs");
  const chunks = (root: string): string[] =>
    readdirSync(root, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? chunks(join(root, e.name)) : e.name.endsWith(".js") ? [join(root, e.name)] : []));
  const bundle = chunks(dir).map((f) => readFileSync(f, "utf8")).join("\n");
  expect(bundle).toContain("host_permission_denied");
  expect(bundle).toMatch(/permissions\.request\(/);
});
