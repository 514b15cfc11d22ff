/**
 * Real Chromium with the built extension loaded unpacked (playwright-core, Debian's `chromium`).
 * One browser at a time: each launch gets a fresh profile in a temp folder, removed on close.
 */
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { chromium, type BrowserContext, type Page, type Worker } from "playwright-core";
import { EXTENSION_DEV_ID } from "../../wxt.config";

export const ROOT = resolve(import.meta.dirname, "../..");
export const EXTENSION_PATH = join(ROOT, process.env.WXT_OUT_DIR ?? ".output", "chrome-mv3");
export const ARTIFACTS = join(ROOT, "artifacts");

export const INSTALL_HINT =
  "Chromium not found: install it with `apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium` or set CHROME_PATH.";

/** The Chromium binary, or an error whose message is the one-line install instruction. */
export function chromePath(): string {
  const path = process.env.CHROME_PATH ?? "/usr/bin/chromium";
  if (!existsSync(path)) throw new Error(INSTALL_HINT);
  return path;
}

export interface Badge {
  text: string;
  /** RGBA as Chrome reports it. */
  color: [number, number, number, number];
  title: string;
}

export interface ExtensionBrowser {
  context: BrowserContext;
  extensionId: string;
  /** The extension's service worker (waits for it to (re)start). */
  serviceWorker(): Promise<Worker>;
  /** Opens an extension page (popup.html, options.html) in a tab. */
  open(page: "popup.html" | "options.html"): Promise<Page>;
  badge(): Promise<Badge>;
  /** Reads extension storage (chrome.storage.local) through the service worker. */
  storage<T = Record<string, unknown>>(keys?: string | string[] | null): Promise<T>;
  /**
   * Stops the extension's service worker like Chrome does when it is idle or killed (DevTools protocol
   * `ServiceWorker.stopWorker`); the next event or message starts a fresh one with empty memory.
   */
  stopServiceWorker(): Promise<void>;
  close(): Promise<void>;
}

export async function launchExtension(
  opts: {
    locale?: string;
    extensionPath?: string;
    /** Extra Chromium switches, e.g. `--host-resolver-rules=…` to serve real hostnames from local fixtures. */
    args?: string[];
    /**
     * An X display (`:99`, e.g. a virtual Xvfb one) to run headed on instead of headless: the browser's native UI
     * (context menus) then exists and takes real X input.
     */
    display?: string;
  } = {},
): Promise<ExtensionBrowser> {
  const executablePath = chromePath();
  const ext = opts.extensionPath ?? EXTENSION_PATH;
  if (!existsSync(join(ext, "manifest.json"))) throw new Error(`No built extension at ${ext}: run \`npx wxt build\` first.`);
  const userDataDir = await mkdtemp(join(tmpdir(), "thud-chrome-"));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath,
    headless: false, // the new headless mode comes from --headless=new (the old one cannot load extensions)
    locale: opts.locale ?? "en-US",
    viewport: { width: 900, height: 700 },
    ...(opts.display ? { env: { ...process.env, DISPLAY: opts.display } } : {}),
    args: [
      ...(opts.display ? [] : ["--headless=new"]),
      "--no-sandbox",
      "--disable-gpu",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      `--lang=${opts.locale ?? "en-US"}`,
      `--disable-extensions-except=${ext}`,
      `--load-extension=${ext}`,
      ...(opts.args ?? []),
    ],
  });

  const isOurs = (worker: Worker) => worker.url().startsWith(`chrome-extension://${EXTENSION_DEV_ID}/`);
  const serviceWorker = async (): Promise<Worker> => {
    const running = context.serviceWorkers().find(isOurs);
    if (running) return running;
    return context.waitForEvent("serviceworker", { predicate: isOurs, timeout: 30_000 });
  };
  const worker = await serviceWorker();
  const extensionId = new URL(worker.url()).host;

  return {
    context,
    extensionId,
    serviceWorker,
    async open(path) {
      const page = await context.newPage();
      await page.goto(`chrome-extension://${extensionId}/${path}`);
      return page;
    },
    async badge() {
      const sw = await serviceWorker();
      return sw.evaluate(async () => {
        const { action } = (globalThis as unknown as { chrome: ChromeInWorker }).chrome;
        return {
          text: await action.getBadgeText({}),
          color: (await action.getBadgeBackgroundColor({})) as [number, number, number, number],
          title: await action.getTitle({}),
        };
      });
    },
    async storage<T>(keys: string | string[] | null = null) {
      const sw = await serviceWorker();
      return sw.evaluate(
        (k) => (globalThis as unknown as { chrome: ChromeInWorker }).chrome.storage.local.get(k),
        keys,
      ) as Promise<T>;
    },
    async stopServiceWorker() {
      const page = await context.newPage();
      try {
        await page.goto("about:blank");
        const cdp = await context.newCDPSession(page);
        const ours = (v: { scriptURL: string }) => v.scriptURL.startsWith(`chrome-extension://${extensionId}/`);
        const stopped = new Promise<void>((resolve) => {
          cdp.on("ServiceWorker.workerVersionUpdated", (event) => {
            if (event.versions.some((v) => ours(v) && v.runningStatus === "stopped")) resolve();
          });
        });
        const running = new Promise<string[]>((resolve) => {
          cdp.once("ServiceWorker.workerVersionUpdated", (event) =>
            resolve(event.versions.filter((v) => ours(v) && v.runningStatus === "running").map((v) => v.versionId)),
          );
        });
        await cdp.send("ServiceWorker.enable");
        const versions = await running;
        if (versions.length === 0) throw new Error("the extension's service worker is not running");
        for (const versionId of versions) await cdp.send("ServiceWorker.stopWorker", { versionId });
        await stopped;
        await cdp.detach();
      } finally {
        await page.close();
      }
    },
    async close() {
      await context.close();
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}

/** The few `chrome.*` calls the tests make inside the service worker. */
interface ChromeInWorker {
  action: {
    getBadgeText(details: object): Promise<string>;
    getBadgeBackgroundColor(details: object): Promise<number[]>;
    getTitle(details: object): Promise<string>;
  };
  storage: { local: { get(keys: string | string[] | null): Promise<Record<string, unknown>> } };
}

/** Saves a screenshot of `selector` (or the page) to artifacts/<name>.png and returns the path. */
export async function screenshot(page: Page, name: string, selector?: string): Promise<string> {
  await mkdir(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  if (selector) await page.locator(selector).screenshot({ path });
  else await page.screenshot({ path, fullPage: true });
  return path;
}
