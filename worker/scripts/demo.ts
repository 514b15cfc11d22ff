/**
 * npm run demo [-- --headless] [--port 8787] [--pages-port N] [--cdp-port N] [--no-build] [--persist-to DIR] [--rep NAME]
 *
 * The product in one command, offline:
 * 1. a fresh local D1 (temp folder, or --persist-to) with the migrations, the seeded demo org and one cron run
 *    (alerts, coaching tasks), then the worker on local workerd (wrangler dev) at 127.0.0.1:<port>;
 * 2. the extension built into .output/chrome-mv3 (WXT_OUT_DIR respected; --no-build reuses it);
 * 3. a demo CRM deal page and a demo webmail message on 127.0.0.1 (worker/scripts/demo/);
 * 4. Chromium (Debian's `chromium`, or CHROME_PATH) with the extension loaded, paired to a demo rep through the
 *    options page with a fresh pairing code, the demo pages' site allowed and enabled for the overlay, and both
 *    pages open. Headed when a display is available; `--headless` (or no display) runs it headless.
 * Ctrl-C stops everything: browser, worker (its whole process group), page server, temp folders.
 */
import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs, promisify } from "node:util";
import { chromium, type BrowserContext, type Worker } from "playwright-core";
import { z } from "zod";
import { EXTENSION_DEV_ID } from "../../wxt.config";
import { startDevServer, type DevServer } from "./dev-server";
import { migrateLocal, OFFLINE_ENV, printCodes, ROOT, seedLocal } from "./local-d1";

const CRON = "*/15 * * * *";
const PAGES = join(import.meta.dirname, "demo");
export const CRM_PATH = "/crm/deal/1042";
export const MAIL_PATH = "/mail/?_task=mail&_mbox=INBOX&_uid=42&_action=show";

const Args = z.object({
  headless: z.boolean(),
  port: z.coerce.number().int().min(1).max(65535),
  pagesPort: z.coerce.number().int().min(0).max(65535),
  cdpPort: z.coerce.number().int().min(1).max(65535).optional(),
  noBuild: z.boolean(),
  persistTo: z.string().min(1).optional(),
  rep: z.string().min(1),
});

const { values } = parseArgs({
  options: {
    headless: { type: "boolean", default: false },
    port: { type: "string", default: process.env.PORT ?? "8787" },
    "pages-port": { type: "string", default: "0" },
    "cdp-port": { type: "string" },
    "no-build": { type: "boolean", default: false },
    "persist-to": { type: "string" },
    rep: { type: "string", default: "Chen Jing" },
  },
});
const parsed = Args.safeParse({
  headless: values.headless,
  port: values.port,
  pagesPort: values["pages-port"],
  cdpPort: values["cdp-port"],
  noBuild: values["no-build"],
  persistTo: values["persist-to"],
  rep: values.rep,
});
if (!parsed.success) {
  console.error(`npm run demo: ${parsed.error.issues.map((i) => `--${i.path.join(".")}: ${i.message}`).join("; ")}`);
  console.error("usage: npm run demo [-- --headless] [--port 8787] [--pages-port N] [--cdp-port N] [--no-build] [--persist-to DIR] [--rep NAME]");
  process.exit(2);
}
const args = parsed.data;

const EXTENSION = join(ROOT, process.env.WXT_OUT_DIR ?? ".output", "chrome-mv3");
const CHROME = process.env.CHROME_PATH ?? "/usr/bin/chromium";
const hasDisplay = process.platform !== "linux" || Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
const headless = args.headless || !hasDisplay;

// --- cleanup: runs once, on Ctrl-C, SIGTERM or a failure ---------------------------------------------------------
let server: DevServer | undefined;
let pages: Server | undefined;
let context: BrowserContext | undefined;
const temps: string[] = [];
let stopping: Promise<void> | undefined;

function stopAll(): Promise<void> {
  stopping ??= (async () => {
    await context?.close().catch(() => undefined);
    await server?.stop().catch(() => undefined);
    await new Promise<void>((resolve) => (pages ? pages.close(() => resolve()) : resolve()));
    for (const dir of temps) await rm(dir, { recursive: true, force: true }).catch(() => undefined);
  })();
  return stopping;
}

for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.on(signal, () => {
    console.log(`\n• Stopping the demo (${signal}) …`);
    void stopAll().then(() => process.exit(0));
  });
}

try {
  await main();
} catch (error) {
  console.error(`\nnpm run demo failed: ${error instanceof Error ? error.message : String(error)}`);
  await stopAll();
  process.exit(1);
}

async function main(): Promise<void> {
  if (!existsSync(CHROME)) {
    throw new Error(
      `Chromium not found at ${CHROME}: install it with \`apt-get install -y --no-install-recommends chromium\` or set CHROME_PATH.`,
    );
  }
  if (await answers(`http://127.0.0.1:${args.port}/healthz`)) {
    throw new Error(`port ${args.port} is already in use (is \`npm start\` running?); pick another with --port.`);
  }

  const persistTo = args.persistTo ?? (await mkdtemp(join(tmpdir(), "thud-demo-d1-")));
  if (!args.persistTo) temps.push(persistTo);
  console.log("• Preparing a local D1 with the demo org …");
  await migrateLocal(persistTo);
  const { codes } = await seedLocal(persistTo);

  if (args.noBuild) {
    if (!existsSync(join(EXTENSION, "manifest.json"))) throw new Error(`--no-build, but there is no built extension at ${EXTENSION}.`);
  } else {
    console.log("• Building the extension …");
    await promisify(execFile)(join(ROOT, "node_modules/.bin/wxt"), ["build"], { cwd: ROOT, env: OFFLINE_ENV, maxBuffer: 16 * 1024 * 1024 });
  }

  console.log(`• Starting the worker on local workerd at http://127.0.0.1:${args.port} …`);
  server = await startDevServer({ port: args.port, persistTo, testScheduled: true });
  const cron = await fetch(`${server.url}/__scheduled?cron=${encodeURIComponent(CRON)}`);
  if (!cron.ok) throw new Error(`the first cron run failed: ${cron.status}`);
  console.log("• Ran the cron once (alerts and coaching tasks from the seeded two weeks).");

  pages = await servePages(args.pagesPort);
  const address = pages.address();
  const origin = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;

  const rep = codes.find((c) => c.name === args.rep);
  if (!rep) throw new Error(`no demo user named ${args.rep}; one of: ${codes.map((c) => c.name).join(", ")}`);

  console.log(`• Starting Chromium${headless ? " (headless)" : ""} with the extension …`);
  context = await launchChromium();
  const sw = await serviceWorker(context);

  console.log(`• Pairing the extension as ${rep.name} through its options page …`);
  const options = await context.newPage();
  await options.goto(`chrome-extension://${EXTENSION_DEV_ID}/options.html`);
  await options.getByTestId("server-url").fill(server.url);
  await options.getByTestId("pairing-code").fill(rep.code);
  await options.getByTestId("pair-button").click();
  await options.getByTestId("paired-user").waitFor({ timeout: 30_000 });

  const overlay = await enableDemoSite(context, options, origin);
  await options.close();

  const crm = await context.newPage();
  await crm.goto(`${origin}${CRM_PATH}`);
  const mail = await context.newPage();
  await mail.goto(`${origin}${MAIL_PATH}`);
  await crm.bringToFront();

  const badge = await readBadge(sw);
  console.log(`
Demo ready.
  API:        ${server.url}
  CRM page:   ${origin}${CRM_PATH}
  Mail page:  ${origin}${MAIL_PATH}
  Extension:  ${EXTENSION} (paired as ${rep.name}, ${rep.role}); badge ${JSON.stringify(badge.text)}
              ${badge.title.split("\n").slice(1).join(" · ")}
  Overlay:    ${overlay}
  Try:        the toolbar button (popup), Alt+Shift+L (log a touch), right-click → "Log as …"`);
  if (headless) {
    console.log(`
  ${hasDisplay ? "Running headless (--headless)." : "No display found, so Chromium runs headless."} The worker and pages stay up:
  load ${EXTENSION} in your own Chromium (chrome://extensions → Developer mode → Load unpacked) and pair it
  with one of the codes below.${args.cdpPort ? `\n  DevTools protocol: http://127.0.0.1:${args.cdpPort}` : ""}`);
  }
  printCodes(codes.filter((c) => c.name !== rep.name));
  console.log("\nCtrl-C stops everything.");

  context.on("close", () => {
    if (!stopping) {
      console.log("\n• Chromium was closed; stopping the demo …");
      void stopAll().then(() => process.exit(0));
    }
  });
  server.child.on("exit", () => {
    if (!stopping) {
      console.error("\n• The worker stopped unexpectedly; stopping the demo …");
      void stopAll().then(() => process.exit(1));
    }
  });
}

async function answers(url: string): Promise<boolean> {
  return fetch(url, { signal: AbortSignal.timeout(1000) })
    .then(() => true)
    .catch(() => false);
}

function servePages(port: number): Promise<Server> {
  const crm = readFileSync(join(PAGES, "crm.html"));
  const mail = readFileSync(join(PAGES, "mail.html"));
  const index = `<!doctype html><meta charset="utf-8"><title>Target HUD demo</title><h1>Target HUD demo pages</h1>
<ul><li><a href="${CRM_PATH}">CRM deal</a></li><li><a href="${MAIL_PATH.replace(/&/g, "&amp;")}">Webmail message</a></li></ul>`;
  const http = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://127.0.0.1").pathname;
    const body = path === CRM_PATH ? crm : path === "/mail/" ? mail : path === "/" ? index : null;
    res.writeHead(body ? 200 : 404, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
    res.end(body ?? "Not found");
  });
  return new Promise((resolve, reject) => {
    http.once("error", reject);
    http.listen(port, "127.0.0.1", () => resolve(http));
  });
}

async function launchChromium(): Promise<BrowserContext> {
  const profile = await mkdtemp(join(tmpdir(), "thud-demo-chrome-"));
  temps.push(profile);
  // Pin the extension's button to the toolbar (otherwise it hides in the puzzle menu of a fresh profile).
  await mkdir(join(profile, "Default"), { recursive: true });
  await writeFile(join(profile, "Default", "Preferences"), JSON.stringify({ extensions: { pinned_extensions: [EXTENSION_DEV_ID] } }));
  return chromium.launchPersistentContext(profile, {
    executablePath: CHROME,
    headless: false, // the new headless mode comes from --headless=new (the old one cannot load extensions)
    viewport: headless ? { width: 1280, height: 800 } : null,
    handleSIGINT: false, // stopAll closes it, after nothing else needs it
    handleSIGTERM: false,
    handleSIGHUP: false,
    args: [
      ...(headless ? ["--headless=new"] : []),
      ...(process.getuid?.() === 0 ? ["--no-sandbox"] : []),
      "--no-first-run",
      "--no-default-browser-check",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      `--disable-extensions-except=${EXTENSION}`,
      `--load-extension=${EXTENSION}`,
      ...(args.cdpPort ? [`--remote-debugging-port=${args.cdpPort}`] : []),
    ],
  });
}

async function serviceWorker(ctx: BrowserContext): Promise<Worker> {
  const ours = (w: Worker) => w.url().startsWith(`chrome-extension://${EXTENSION_DEV_ID}/`);
  return ctx.serviceWorkers().find(ours) ?? ctx.waitForEvent("serviceworker", { predicate: ours, timeout: 30_000 });
}

/**
 * Turns the overlay on for the demo pages as a user would: allow the site for the extension (what chrome://extensions
 * → Site access does), then add it on the options page. Best effort: the demo runs without the overlay if it fails.
 */
async function enableDemoSite(ctx: BrowserContext, options: import("playwright-core").Page, origin: string): Promise<string> {
  // Match patterns have no port: the site is the host (every port), as the options page's own pattern says.
  const pattern = `${new URL(origin).protocol}//${new URL(origin).hostname}/*`;
  try {
    const settings = await ctx.newPage();
    await settings.goto("chrome://extensions");
    await settings.evaluate(
      ([id, pattern]) =>
        (globalThis as unknown as { chrome: { developerPrivate: { addHostPermission(id: string, host: string): Promise<void> } } }).chrome.developerPrivate.addHostPermission(
          id!,
          pattern!,
        ),
      [EXTENSION_DEV_ID, pattern],
    );
    await settings.close();
    await options.getByTestId("site-address").fill(origin);
    await options.getByTestId("site-add").click();
    await options.locator(`[data-testid=site-other][data-pattern="${pattern}"]`).waitFor({ timeout: 10_000 });
    return `on for ${pattern} (options page → Sites)`;
  } catch (error) {
    return `not enabled (${error instanceof Error ? error.message.split("\n")[0] : String(error)}); add ${origin} on the options page`;
  }
}

async function readBadge(sw: Worker): Promise<{ text: string; title: string }> {
  const read = () =>
    sw.evaluate(async () => {
      const { action } = (globalThis as unknown as { chrome: { action: { getBadgeText(d: object): Promise<string>; getTitle(d: object): Promise<string> } } }).chrome;
      return { text: await action.getBadgeText({}), title: await action.getTitle({}) };
    });
  const deadline = Date.now() + 15_000;
  let badge = await read();
  while (!/\d/.test(badge.text) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 250));
    badge = await read();
  }
  return badge;
}
