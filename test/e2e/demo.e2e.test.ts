/**
 * `npm run demo` smoke run, headless: the script starts the worker with the seeded demo org, serves the demo pages,
 * launches Chromium with the built extension paired to a demo rep, and stops everything on Ctrl-C (SIGINT).
 * The test looks at the running browser through the DevTools port the script opens (--cdp-port), as a user would look
 * at the toolbar: the badge shows the rep's number, the demo pages are open, and the overlay (turned on for the demo
 * site through the options page) is on both of them.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { afterAll, expect, test } from "vitest";
import { chromium, type Browser } from "playwright-core";
import { ROOT } from "../helpers/browser";
import { freePort } from "../../worker/scripts/dev-server";
import { EXTENSION_DEV_ID } from "../../wxt.config";

let demo: ChildProcess | undefined;
let output = "";
let cdp: Browser | undefined;

async function closed(url: string): Promise<boolean> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const up = await fetch(url, { signal: AbortSignal.timeout(500) }).then(
      () => true,
      () => false,
    );
    if (!up) return true;
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}

afterAll(async () => {
  // Only if the test failed half-way: stop the demo's whole process group (it started it detached).
  if (demo?.pid && demo.exitCode === null) process.kill(-demo.pid, "SIGKILL");
});

test("npm run demo --headless: paired extension with the rep's number on the badge, demo pages with the overlay; Ctrl-C stops it all", async () => {
  const [port, cdpPort] = [await freePort(), await freePort()];
  demo = spawn(join(ROOT, "node_modules/.bin/tsx"), ["worker/scripts/demo.ts", "--headless", "--no-build", "--port", String(port), "--cdp-port", String(cdpPort)], {
    cwd: ROOT,
    env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
    detached: true, // its own process group, like a terminal's foreground job
    stdio: ["ignore", "pipe", "pipe"],
  });
  demo.stdout!.on("data", (d) => (output += d));
  demo.stderr!.on("data", (d) => (output += d));

  const deadline = Date.now() + 150_000;
  while (!output.includes("Ctrl-C stops everything.")) {
    if (demo.exitCode !== null) throw new Error(`npm run demo exited with ${demo.exitCode}:\n${output}`);
    if (Date.now() > deadline) throw new Error(`npm run demo did not get ready in 150 s:\n${output}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  expect(output).toContain("paired as Chen Jing");
  expect(output).toMatch(/Overlay: +on for http:\/\/127\.0\.0\.1\/\*/);
  const pages = /CRM page: +(\S+)[\s\S]*Mail page: +(\S+)/.exec(output)!;

  cdp = await chromium.connectOverCDP(`http://127.0.0.1:${cdpPort}`);
  const context = cdp.contexts()[0]!;
  const sw = context.serviceWorkers().find((w) => w.url().startsWith(`chrome-extension://${EXTENSION_DEV_ID}/`))!;
  expect(sw, "the extension's service worker runs").toBeDefined();
  const badge = await sw.evaluate(async () => {
    const { action } = (globalThis as unknown as { chrome: { action: { getBadgeText(d: object): Promise<string>; getTitle(d: object): Promise<string> } } }).chrome;
    return { text: await action.getBadgeText({}), title: await action.getTitle({}) };
  });
  expect(badge.text).toMatch(/^\d{1,3}%$/);
  expect(badge.title).toContain("Updated");

  // The badge's number is the paired rep's own progress, as the API computes it.
  const { settings } = (await sw.evaluate(() =>
    (globalThis as unknown as { chrome: { storage: { local: { get(k: string): Promise<unknown> } } } }).chrome.storage.local.get("settings"),
  )) as { settings: { token: string; user: { name: string } } };
  expect(settings.user.name).toBe("Chen Jing");
  const progress = (await (await fetch(`http://127.0.0.1:${port}/v1/progress`, { headers: { authorization: `Bearer ${settings.token}` } })).json()) as {
    period: { completion: number };
  };
  expect(badge.text).toBe(`${Math.floor(progress.period.completion * 100 + 1e-9)}%`);

  const open = context.pages().map((p) => p.url());
  expect(open).toEqual(expect.arrayContaining([pages[1], pages[2]]));
  for (const url of [pages[1]!, pages[2]!]) {
    const page = context.pages().find((p) => p.url() === url)!;
    const session = await context.newCDPSession(page);
    // The overlay's host element (its shadow root is closed; the DevTools protocol still sees the element).
    await expect
      .poll(async () => JSON.stringify(((await session.send("DOM.getDocument", { depth: -1, pierce: true })) as { root: unknown }).root), { timeout: 15_000 })
      .toContain("TARGET-HUD-OVERLAY");
  }

  // Ctrl-C: everything stops, and the script exits cleanly.
  const exited = new Promise<number | null>((resolve) => demo!.once("exit", resolve));
  process.kill(demo.pid!, "SIGINT");
  expect(await exited).toBe(0);
  expect(output).toContain("Stopping the demo (SIGINT)");
  expect(await closed(`http://127.0.0.1:${port}/healthz`)).toBe(true);
  expect(await closed(`http://127.0.0.1:${cdpPort}/json/version`)).toBe(true);
  expect(await closed(pages[1]!)).toBe(true);
});
