/**
 * `wxt build -b firefox` builds an add-on that loads and works in real Firefox: the package is built into
 * `.output/e2e-firefox`, installed as a temporary add-on (like about:debugging → "Load Temporary Add-on…") into
 * headless Firefox ESR over WebDriver BiDi (`test/helpers/firefox.ts`, fresh profile, no outside network), and driven
 * with real pointer and key input against the real worker (wrangler dev, local workerd, seeded D1).
 *
 * Host access to the server: Firefox gives each installation its own moz-extension:// origin, which the worker's CORS
 * allow-list cannot name, so the Firefox build asks for an optional host permission for the server when the rep
 * clicks "Pair" (`extension/ui/Options.tsx`; the manifest requires no host). The test answers Firefox's own permission
 * prompt the way a user does: it waits for the doorhanger, reads it, and clicks "Deny" once (pairing then stops with a
 * clear error and nothing is granted) and "Allow" the second time. The click on the browser's UI is synthesised by
 * Firefox's EventUtils in the window's privileged scope (`--remote-allow-system-access`), since BiDi input actions only
 * reach web content; everything inside the add-on's pages is clicked and typed through BiDi `input.performActions`.
 *
 * Then: the popup's "touch" button → the row lands in D1 exactly once, the popup count goes up, the background sets
 * the badge from the API's progress; the add-on is active with no manifest warnings, its event page ran, and Firefox's
 * console holds no error from any of the add-on's scripts (what about:debugging would show).
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { FIREFOX_ADDON_ID } from "../../wxt.config";
import { ROOT } from "../helpers/browser";
import {
  FIREFOX_OUT_DIR,
  firefoxPath,
  launchFirefox,
  type FirefoxBrowser,
  type FirefoxTab,
} from "../helpers/firefox";
import { startWorker, type WorkerHandle } from "../helpers/worker";
import { formatBadge } from "../../extension/features/badge";
import { ProgressResponse } from "../../shared/schemas/progress";
import { eventually } from "../helpers/wait";

const REP = "Chen Jing";
const REP_ID = "usr_demo_chen";

let worker: WorkerHandle;
let firefox: FirefoxBrowser;
let codes: Record<string, string>;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function touchRows(): Promise<{ n: number; ids: number }> {
  const [row] = await worker.query<{ n: number; ids: number }>(
    `SELECT count(*) AS n, count(DISTINCT client_event_id) AS ids FROM activities
     WHERE user_id = '${REP_ID}' AND kind = 'touch' AND deleted_at IS NULL`,
  );
  return row!;
}

/** What the add-on's own pages see of the browser (the same `browser.*` the background uses). */
const badgeText = (tab: FirefoxTab) => tab.evaluate<string>("browser.action.getBadgeText({})");
const grantedOrigins = async (tab: FirefoxTab) => (await tab.evaluate<{ origins: string[] }>("browser.permissions.getAll()")).origins;

beforeAll(async () => {
  firefoxPath(); // the one-line install instruction when Firefox ESR is missing: this test never skips
  const env: NodeJS.ProcessEnv = { ...process.env, WXT_OUT_DIR: FIREFOX_OUT_DIR };
  for (const key of Object.keys(env)) if (key === "NODE_ENV" || key.startsWith("VITEST")) delete env[key];
  await promisify(execFile)(`${ROOT}/node_modules/.bin/wxt`, ["build", "-b", "firefox"], { cwd: ROOT, env, maxBuffer: 16 * 1024 * 1024 });
  worker = await startWorker();
  ({ codes } = await worker.seed());
  firefox = await launchFirefox();
});

afterAll(async () => {
  await firefox?.close();
  await worker?.dispose();
});

describe(`the Firefox build in real Firefox ESR`, () => {
  test("installs as a temporary add-on: active, MV3, no manifest warnings, the background event page runs", async () => {
    expect(firefox.addonId).toBe(FIREFOX_ADDON_ID);
    expect(Number(firefox.version.split(".")[0])).toBeGreaterThanOrEqual(128); // strict_min_version
    const state = await firefox.chrome<{
      active: boolean;
      temporary: boolean;
      appDisabled: boolean;
      manifestVersion: number;
      warnings: string[];
      errors: string[];
      background: string;
    }>(`(async () => {
      const { AddonManager } = ChromeUtils.importESModule("resource://gre/modules/AddonManager.sys.mjs");
      const addon = await AddonManager.getAddonByID(${JSON.stringify(FIREFOX_ADDON_ID)});
      const { extension } = WebExtensionPolicy.getByID(${JSON.stringify(FIREFOX_ADDON_ID)});
      return {
        active: addon.isActive, temporary: addon.temporarilyInstalled, appDisabled: addon.appDisabled,
        manifestVersion: extension.manifestVersion, warnings: extension.warnings, errors: extension.errors,
        background: extension.backgroundState,
      };
    })()`);
    expect(state).toMatchObject({ active: true, temporary: true, appDisabled: false, manifestVersion: 3, warnings: [], errors: [] });
    expect(["starting", "running"]).toContain(state.background);

    // The background answers the pages' messages: the popup of an unpaired add-on asks it for its state.
    const popup = await firefox.open("popup.html");
    await popup.waitFor("open-options");
    expect(await badgeText(popup)).toBe("");
    await popup.close();
  });

  test("options: pairing asks Firefox for access to the server's host; denied → a clear error, allowed → paired", async () => {
    const options = await firefox.open("options.html");
    await options.waitFor("server-url");
    expect(await grantedOrigins(options)).toEqual([]);
    await options.type("server-url", worker.url);
    await options.type("pairing-code", codes[REP]!.toLowerCase());
    expect(await options.evaluate(`document.querySelector('[data-testid="pairing-code"]').value`)).toBe(codes[REP]);

    await options.click("pair-button");
    const prompt = await firefox.answerPermissionPrompt("deny");
    expect(prompt).toContain("Target HUD");
    expect(prompt).toContain("127.0.0.1");
    await options.waitFor("pair-error");
    expect(await options.evaluate(`document.querySelector('[data-testid="pair-error"]').dataset.code`)).toBe("host_permission_denied");
    expect(await options.text("pair-error")).toBe(`Firefox needs your permission to reach ${worker.url}. Click Pair again and choose Allow.`);
    expect(await grantedOrigins(options)).toEqual([]);

    await options.click("pair-button");
    await firefox.answerPermissionPrompt("allow");
    await options.waitFor("paired-user");
    expect(await options.text("paired-user")).toBe(REP);
    expect(await options.text("paired-server")).toBe(worker.url);
    // One host, every port: a Firefox match pattern with a port would match nothing.
    expect(await grantedOrigins(options)).toEqual(["http://127.0.0.1/*"]);
    await options.close();
  });

  test("popup: a real click on 'touch' lands in D1 exactly once; the count and the badge follow", async () => {
    const before = await touchRows();
    const popup = await firefox.open("popup.html");
    await popup.waitFor("count-touch");
    await eventually(() => popup.text("pending-count"), "0");
    const count = Number(await popup.text("count-touch"));

    await popup.click("log-touch");
    await eventually(() => popup.text("count-touch"), String(count + 1), 2_000); // optimistic, before the server answers
    await eventually(() => popup.text("pending-count"), "0");
    await eventually(touchRows, { n: before.n + 1, ids: before.ids + 1 });

    const [row] = await worker.query<{ source: string; client_event_id: string }>(
      `SELECT source, client_event_id FROM activities WHERE user_id = '${REP_ID}' AND kind = 'touch' ORDER BY id DESC LIMIT 1`,
    );
    expect(row!.source).toBe("popup");
    expect(row!.client_event_id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);

    // The background fetched the progress after the sync and set the badge from it (as the API computes it).
    const { settings } = await popup.evaluate<{ settings: { token: string } }>(`browser.storage.local.get("settings")`);
    const res = await fetch(`${worker.url}/v1/progress`, { headers: { authorization: `Bearer ${settings.token}` } });
    expect(res.status).toBe(200);
    const progress = ProgressResponse.parse(await res.json());
    expect(progress.today.kpis.find((k) => k.kind === "touch")!.count).toBe(count + 1);
    const expected = formatBadge(progress, 0).text;
    expect(expected).toMatch(/^\d+%$|^–$/);
    await eventually(() => badgeText(popup), expected);

    // Still once after a while: the outbox does not resend a stored event.
    await sleep(1_500);
    expect(await touchRows()).toEqual({ n: before.n + 1, ids: before.ids + 1 });
    await popup.close();
  });

  test("no error from the add-on's scripts in Firefox's console (background, popup, options, console page)", async () => {
    const page = await firefox.open("console.html");
    await eventually(() => page.evaluate<boolean>(`document.getElementById("app").childElementCount > 0`), true);
    await page.close();
    // Closing a page while it waits for the background's answer makes Firefox log that the (now unobservable)
    // promise was rejected — the tests close their tabs mid-flight like a user closes the popup. Everything else counts.
    const closedMidFlight = /Promise rejected after context unloaded: Actor 'Conduits' destroyed before query/;
    expect((await firefox.extensionErrors()).filter((error) => !closedMidFlight.test(error))).toEqual([]);
  });
});
