/**
 * npm run bench:content — what the page overlay costs a host page, measured in real Chromium (Debian `chromium`) with
 * the built extension, the real worker (seeded demo org, paired rep) and a large host page: a Gmail inbox with
 * BENCH_ROWS conversation rows (default 3,000, about 40,000 elements) served as mail.google.com by the local fixture
 * server (test/fixtures/server.ts).
 *
 * Each run loads the page twice, alternately first or second: once on the enabled site (mail.google.com: content script,
 * detector, overlay) and once, byte-identical, on a host that is not enabled (no extension code in the page). Per load:
 * - a DevTools trace (devtools.timeline) of the page's renderer main thread: the task that evaluated the registered
 *   content script (the injection), and for each part (content-entry.js, content-detector.js, content-ui.js) the tasks
 *   that ran its code, less the host's own parsing/style/layout/paint inside them; the longest such task; the total
 *   main-thread busy time;
 * - in the page: layout shifts (PerformanceObserver "layout-shift"), navigation timing (load event end);
 * - the page's network requests (Playwright), which must be the document only.
 * Prints medians / maxima, the with / without comparison and the built sizes (gzip -9), and merges everything into
 * bench/results.json under "content". Numbers, not assertions; budgets are shown next to them.
 *
 * Knobs: BENCH_RUNS (7), BENCH_ROWS (3000), BENCH_SETTLE_MS (1500), BENCH_SKIP_BUILD=1 (use .output-bench as built),
 * BENCH_EXTENSION=<dir> (measure another build, e.g. one whose content-entry.js is empty, for the floor),
 * BENCH_DEBUG=1 (list every task that ran extension code), BENCH_CONSOLE=1 (echo the page's console).
 */
import { spawnSync } from "node:child_process";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import type { Page } from "playwright-core";
import { launchExtension, ROOT } from "../helpers/browser";
import { startWorker } from "../helpers/worker";
import { FIXTURES_ROOT, startFixtureServer } from "../fixtures/server";

const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const ROWS = Number(process.env.BENCH_ROWS ?? 3_000);
const SETTLE_MS = Number(process.env.BENCH_SETTLE_MS ?? 1_500);
const OUT_DIR = ".output-bench";
const EXTENSION = process.env.BENCH_EXTENSION ?? join(ROOT, OUT_DIR, "chrome-mv3");
const ENABLED_URL = "https://mail.google.com/mail/u/0/#inbox";
const REFERENCE_URL = "https://reference.huaxin-tech.example/mail/u/0/#inbox";

interface TraceEvent {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  args?: { data?: { url?: string }; beginData?: { url?: string }; name?: string };
}

type Part = "entry" | "detector" | "ui";
const PART_FILES: Record<Part, string> = { entry: "/content-entry.js", detector: "/content-detector.js", ui: "/content-ui.js" };
/** Work of the host page that can run inside a task that also ran extension code (e.g. a frame after a rAF callback). */
const HOST_WORK = new Set(["ParseHTML", "UpdateLayoutTree", "Layout", "PrePaint", "Paint", "Layerize", "Commit", "HitTest", "ScrollLayer", "UpdateLayer"]);


interface Load {
  enabled: boolean;
  overlayMounted: boolean;
  /** ms, from the trace: the task that evaluated the registered content script (the injection itself) */
  injectionTaskMs: number;
  /** main-thread time of each part: its tasks, less the host's own parsing and rendering inside them */
  partMs: Record<Part, number>;
  /** the longest such task */
  longestExtensionTaskMs: number;
  busyMs: number;
  longTasks: number;
  /** from the page */
  layoutShift: number;
  pageLongTasks: number;
  loadMs: number;
  requests: string[];
}

// --- build ---------------------------------------------------------------------------------------------------------
if (!process.env.BENCH_SKIP_BUILD) {
  const build = spawnSync(join(ROOT, "node_modules/.bin/wxt"), ["build"], { cwd: ROOT, encoding: "utf8", env: { ...process.env, WXT_OUT_DIR: OUT_DIR } });
  if (build.status !== 0) throw new Error(`wxt build failed:\n${build.stdout}\n${build.stderr}`);
}
const gz = (file: string) => gzipSync(readFileSync(join(EXTENSION, file)), { level: 9 }).length;
const sizes = {
  entryBytes: readFileSync(join(EXTENSION, "content-entry.js")).length,
  entryGzip: gz("content-entry.js"),
  detectorBytes: readFileSync(join(EXTENSION, "content-detector.js")).length,
  detectorGzip: gz("content-detector.js"),
  uiBytes: readFileSync(join(EXTENSION, "content-ui.js")).length,
  uiGzip: gz("content-ui.js"),
};

// --- the large host page ---------------------------------------------------------------------------------------------
function largeInbox(rows: number): string {
  const html = readFileSync(join(FIXTURES_ROOT, "gmail/2026-11-23-inbox.html"), "utf8");
  const row = /<tr class="zA zE"[\s\S]*?<\/tr>/.exec(html)![0];
  const many = Array.from({ length: rows }, (_, i) => row.replace("Re: Pilot rollout for the Suzhou warehouse", `Conversation ${i + 1}: pilot rollout`)).join("\n");
  return html.replace(/<tbody>[\s\S]*<\/tbody>/, `<tbody>\n${many}\n</tbody>`);
}

// --- setup: worker, fixtures, browser, pairing, Gmail enabled ------------------------------------------------------
const worker = await startWorker();
const seeded = await worker.seed();
const fixtures = await startFixtureServer(["reference.huaxin-tech.example"]);
const page = { html: largeInbox(ROWS) };
fixtures.serve(ENABLED_URL, page);
fixtures.serve(REFERENCE_URL, page);
const browser = await launchExtension({ extensionPath: EXTENSION, args: fixtures.browserArgs() });
const extensionOrigin = `chrome-extension://${browser.extensionId}/`;

try {
  const options = await browser.open("options.html");
  await options.getByTestId("server-url").fill(worker.url);
  await options.getByTestId("pairing-code").fill(seeded.codes["Chen Jing"]!);
  await options.getByTestId("pair-button").click();
  await options.getByTestId("paired-user").waitFor();
  // The site-access grant a user gives in chrome://extensions (a headless browser cannot click the permission prompt),
  // then the options page's own "Turn on".
  const extensions = await browser.context.newPage();
  await extensions.goto("chrome://extensions");
  await extensions.evaluate(
    ([id]) => (globalThis as unknown as { chrome: { developerPrivate: { addHostPermission(id: string, host: string): Promise<void> } } }).chrome.developerPrivate.addHostPermission(id!, "https://mail.google.com/*"),
    [browser.extensionId],
  );
  await extensions.close();
  await options.getByTestId("site-toggle-gmail").click();
  await options.waitForFunction(() => document.querySelector("[data-testid=site-gmail]")?.getAttribute("data-on") === "true");
  await options.close();

  await measure(true); // warm-up: caches, first service-worker wake-up, JIT
  await measure(false);
  const loads: Load[] = [];
  for (let run = 0; run < RUNS; run++) {
    const order = run % 2 === 0 ? [true, false] : [false, true];
    for (const enabled of order) loads.push(await measure(enabled));
    process.stdout.write(".");
  }
  process.stdout.write("\n");
  await report(loads);
} finally {
  await browser.close();
  await fixtures.close();
  await worker.dispose();
}

// --- one load ----------------------------------------------------------------------------------------------------------
async function measure(enabled: boolean): Promise<Load> {
  const url = enabled ? ENABLED_URL : REFERENCE_URL;
  const tab: Page = await browser.context.newPage();
  const requests: string[] = [];
  tab.on("request", (request) => requests.push(request.url()));
  if (process.env.BENCH_CONSOLE) tab.on("console", (m) => console.log(m.text()));
  await tab.addInitScript(() => {
    const w = window as unknown as { __bench: { shift: number; longTasks: number } };
    w.__bench = { shift: 0, longTasks: 0 };
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) w.__bench.shift += (entry as unknown as { value: number }).value;
    }).observe({ type: "layout-shift", buffered: true });
    new PerformanceObserver((list) => {
      w.__bench.longTasks += list.getEntries().length;
    }).observe({ type: "longtask", buffered: true });
  });
  const cdp = await browser.context.newCDPSession(tab);
  const events: TraceEvent[] = [];
  cdp.on("Tracing.dataCollected", (e) => void events.push(...(e.value as unknown as TraceEvent[])));
  const complete = new Promise<void>((resolve) => cdp.once("Tracing.tracingComplete", () => resolve()));
  await cdp.send("Tracing.start", {
    traceConfig: { includedCategories: ["devtools.timeline", "disabled-by-default-devtools.timeline", "v8.execute", "blink.user_timing", "loading"] },
    transferMode: "ReportEvents",
  });
  await tab.goto(url, { waitUntil: "load" });
  let overlayMounted = false;
  if (enabled && !process.env.BENCH_EXTENSION) {
    overlayMounted = await tab
      .waitForFunction(() => document.querySelector("target-hud-overlay") !== null, undefined, { timeout: 10_000 })
      .then(() => true, () => false);
  }
  await tab.waitForTimeout(SETTLE_MS);
  const inPage = await tab.evaluate(() => {
    const w = window as unknown as { __bench: { shift: number; longTasks: number } };
    const nav = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming;
    return { shift: w.__bench.shift, longTasks: w.__bench.longTasks, loadMs: nav.loadEventEnd };
  });
  await cdp.send("Tracing.end");
  await complete;
  await cdp.detach();
  await tab.close();
  return { enabled, overlayMounted, ...analyse(events, url), layoutShift: inPage.shift, pageLongTasks: inPage.longTasks, loadMs: inPage.loadMs, requests };
}

function analyse(events: TraceEvent[], url: string) {
  const document = url.split("#")[0]!;
  const parse = events.find((e) => e.name === "ParseHTML" && e.args?.beginData?.url?.startsWith(document));
  if (!parse) throw new Error(`no ParseHTML for ${document} in the trace`);
  const main = events.filter((e) => e.pid === parse.pid && e.tid === parse.tid && e.ph === "X" && e.dur !== undefined);
  const tasks = main.filter((e) => e.name === "RunTask");
  const within = (outer: TraceEvent) => (e: TraceEvent) => e !== outer && e.ts >= outer.ts && e.ts <= outer.ts + outer.dur!;
  const partOf = (e: TraceEvent): Part | null => {
    if (e.name !== "EvaluateScript" && e.name !== "FunctionCall" && e.name !== "v8.compile") return null;
    const script = e.args?.data?.url ?? "";
    if (!script.startsWith(extensionOrigin)) return null;
    return (Object.keys(PART_FILES) as Part[]).find((part) => script.endsWith(PART_FILES[part])) ?? null;
  };
  const partMs: Record<Part, number> = { entry: 0, detector: 0, ui: 0 };
  let longestExtensionTaskMs = 0;
  let injectionTaskMs = 0;
  for (const task of tasks) {
    const inside = main.filter(within(task));
    const first = inside.map(partOf).find((part) => part !== null);
    if (!first) continue;
    // Host work directly inside the task (outermost only) is the page's, not the extension's.
    const hostWork = inside.filter((e) => HOST_WORK.has(e.name) && !inside.some((o) => HOST_WORK.has(o.name) && o !== e && within(o)(e)));
    const ours = (task.dur! - hostWork.reduce((total, e) => total + e.dur!, 0)) / 1000;
    partMs[first] += ours;
    longestExtensionTaskMs = Math.max(longestExtensionTaskMs, ours);
    if (inside.some((e) => e.name === "EvaluateScript" && partOf(e) === "entry")) injectionTaskMs = task.dur! / 1000;
  }
  if (process.env.BENCH_DEBUG) {
    for (const task of tasks) {
      const inside = main.filter(within(task));
      const parts = [...new Set(inside.map(partOf).filter(Boolean))];
      if (parts.length === 0) continue;
      const big = inside.filter((e) => e.dur! > 300).map((e) => `${e.name}${partOf(e) ? `(${partOf(e)})` : ""}:${(e.dur! / 1000).toFixed(2)}`);
      console.log(`  task ${(task.dur! / 1000).toFixed(2)} ms [${parts.join(",")}] ${big.slice(0, 8).join(" ")}`);
    }
  }
  return {
    injectionTaskMs,
    partMs,
    longestExtensionTaskMs,
    busyMs: tasks.reduce((total, e) => total + e.dur!, 0) / 1000,
    longTasks: tasks.filter((t) => t.dur! >= 50_000).length,
  };
}

// --- report --------------------------------------------------------------------------------------------------------------
function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
function max(values: number[]): number {
  return values.reduce((m, v) => Math.max(m, v), 0);
}

function report(loads: Load[]) {
  const withExt = loads.filter((l) => l.enabled);
  const without = loads.filter((l) => !l.enabled);
  const ms = (v: number) => `${v.toFixed(2)} ms`;
  const kb = (v: number) => `${(v / 1024).toFixed(2)} KB`;
  const stat = (values: number[]) => ({ medianMs: median(values), maxMs: max(values) });
  const extraRequests = withExt.flatMap((l) => l.requests.filter((r) => !r.startsWith(ENABLED_URL.split("#")[0]!) && !r.endsWith("/favicon.ico")));
  const results = {
    rows: ROWS,
    runs: RUNS,
    sizes,
    overlayMountedInAllRuns: withExt.every((l) => l.overlayMounted),
    injectionTask: stat(withExt.map((l) => l.injectionTaskMs)),
    detector: stat(withExt.map((l) => l.partMs.detector)),
    overlayUi: stat(withExt.map((l) => l.partMs.ui)),
    extensionTotal: stat(withExt.map((l) => l.partMs.entry + l.partMs.detector + l.partMs.ui)),
    longestExtensionTaskMs: max(withExt.map((l) => l.longestExtensionTaskMs)),
    busy: { withMedianMs: median(withExt.map((l) => l.busyMs)), withoutMedianMs: median(without.map((l) => l.busyMs)) },
    pageLongTasks: { with: median(withExt.map((l) => l.longTasks)), without: median(without.map((l) => l.longTasks)) },
    layoutShift: { with: max(withExt.map((l) => l.layoutShift)), without: max(without.map((l) => l.layoutShift)) },
    load: {
      withMedianMs: median(withExt.map((l) => l.loadMs)),
      withoutMedianMs: median(without.map((l) => l.loadMs)),
      ratio: median(withExt.map((l) => l.loadMs)) / median(without.map((l) => l.loadMs)),
    },
    pageRequestsBeyondDocument: extraRequests.length,
  };
  const ok = (pass: boolean) => (pass ? "ok" : "OVER");
  console.log(`\nPage overlay on a large host page (Gmail inbox, ${ROWS.toLocaleString("en")} rows), ${RUNS} runs each with / without, median / max\n`);
  const line = (name: string, value: string, budget = "", verdict = "") => console.log(`${name.padEnd(62)}| ${value.padEnd(26)}| ${budget.padEnd(9)}| ${verdict}`);
  line("metric", "value", "budget");
  console.log(`${"-".repeat(62)}|${"-".repeat(27)}|${"-".repeat(10)}|-----`);
  line("registered content script (content-entry.js), gzip -9", `${kb(sizes.entryGzip)} (${kb(sizes.entryBytes)} raw)`, "≤ 12 KB", ok(sizes.entryGzip <= 12 * 1024));
  line("detector (content-detector.js, injected when idle), gzip -9", `${kb(sizes.detectorGzip)} (${kb(sizes.detectorBytes)} raw)`, "lazy");
  line("overlay UI (content-ui.js, injected on a match), gzip -9", `${kb(sizes.uiGzip)} (${kb(sizes.uiBytes)} raw)`, "lazy");
  line("injection: the task that evaluated content-entry.js", `${ms(results.injectionTask.medianMs)} / ${ms(results.injectionTask.maxMs)}`, "≤ 3 ms", ok(results.injectionTask.medianMs <= 3));
  line("detector main-thread time (idle tasks, SPA checks)", `${ms(results.detector.medianMs)} / ${ms(results.detector.maxMs)}`);
  line("overlay UI main-thread time (evaluation, render, effects)", `${ms(results.overlayUi.medianMs)} / ${ms(results.overlayUi.maxMs)}`);
  line("all extension main-thread time per page load", `${ms(results.extensionTotal.medianMs)} / ${ms(results.extensionTotal.maxMs)}`);
  line("longest task of extension code", ms(results.longestExtensionTaskMs), "< 50 ms", ok(results.longestExtensionTaskMs < 50));
  line("layout shift (CLS sum), with / without", `${results.layoutShift.with} / ${results.layoutShift.without}`, "0", ok(results.layoutShift.with === 0));
  line("page requests beyond the document (all runs)", String(results.pageRequestsBeyondDocument), "0", ok(results.pageRequestsBeyondDocument === 0));
  line("main-thread busy during the load, with / without", `${ms(results.busy.withMedianMs)} / ${ms(results.busy.withoutMedianMs)}`);
  line("page's own tasks ≥ 50 ms, with / without", `${results.pageLongTasks.with} / ${results.pageLongTasks.without}`);
  line("load event, with / without", `${ms(results.load.withMedianMs)} / ${ms(results.load.withoutMedianMs)}`);
  line("load event ratio with / without", `${results.load.ratio.toFixed(3)}×`);
  line("overlay mounted in every enabled run", String(results.overlayMountedInAllRuns));
  return saveResults(results);
}

async function saveResults(results: object) {
  const file = join(ROOT, "bench/results.json");
  await mkdir(join(ROOT, "bench"), { recursive: true });
  const previous = await readFile(file, "utf8").then((t) => JSON.parse(t) as Record<string, unknown>, () => ({}));
  await writeFile(file, JSON.stringify({ ...previous, content: { at: new Date().toISOString(), results } }, null, 2) + "\n");
}
