/**
 * npm run bench:popup — how fast the popup shows something, in real Chromium (Debian `chromium`) with the built
 * extension, the real worker (seeded demo org, one cron run) and a paired rep.
 *
 * The popup renders from the background's cached state and cached insights first, then syncs. Per open (popup.html
 * in a tab, the same document the toolbar button shows), measured in the page from its navigation start
 * (`performance.now()` when the element first exists, checked every animation frame):
 * - `rings`: today's KPI rings (the cached state from the background);
 * - `leaderboard`: the leaderboard (the cached insights; on the first, cold open it needs the network);
 * Also the built sizes of what the popup loads (gzip -9). Prints medians and p90; merges into bench/results.json
 * under "popup". Numbers, not assertions.
 */
import { spawnSync } from "node:child_process";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import type { Page } from "playwright-core";
import { launchExtension, ROOT } from "../helpers/browser";
import { startWorker } from "../helpers/worker";

const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const OUT_DIR = ".output-bench-popup";
const EXTENSION = join(ROOT, OUT_DIR, "chrome-mv3");

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}
function p90(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.9) - 1)]!;
}

/** ms from the page's navigation start until `selector` exists. */
async function appearedAt(page: Page, selector: string): Promise<number> {
  const handle = await page.waitForFunction((s) => (document.querySelector(s) ? performance.now() : 0), selector, { polling: "raf", timeout: 30_000 });
  return Math.round((await handle.jsonValue()) as number);
}

async function open(browser: Awaited<ReturnType<typeof launchExtension>>): Promise<{ rings: number; leaderboard: number }> {
  const page = await browser.context.newPage();
  await page.setViewportSize({ width: 400, height: 600 });
  const loading = page.goto(`chrome-extension://${browser.extensionId}/popup.html`);
  const [rings, leaderboard] = await Promise.all([appearedAt(page, "[data-testid=count-touch]"), appearedAt(page, "[data-testid=leaderboard]"), loading]);
  // Let the sync-on-open finish before the next open, so every warm open starts from the same kind of cache.
  await page.getByTestId("pending-count").waitFor({ state: "attached" });
  await page.waitForTimeout(1_500);
  await page.close();
  return { rings, leaderboard };
}

async function sizes(): Promise<Record<string, number>> {
  const dir = join(EXTENSION, "chunks");
  const out: Record<string, number> = {};
  const html = await readFile(join(EXTENSION, "popup.html"), "utf8");
  const referenced = [...html.matchAll(/(?:src|href)="\/?([^"]+\.(?:js|css))"/g)].map((m) => m[1]!);
  for (const file of referenced) out[file] = gzipSync(await readFile(join(EXTENSION, file)), { level: 9 }).length;
  // Chunks the popup imports that are not in the HTML (shared with options).
  for (const name of await readdir(dir)) {
    const file = `chunks/${name}`;
    if (!(file in out) && /^(popup|styles)-/.test(name)) out[file] = gzipSync(await readFile(join(dir, name)), { level: 9 }).length;
  }
  return out;
}

const build = spawnSync(join(ROOT, "node_modules/.bin/wxt"), ["build"], { cwd: ROOT, encoding: "utf8", env: { ...process.env, WXT_OUT_DIR: OUT_DIR } });
if (build.status !== 0) throw new Error(`wxt build failed:\n${build.stdout}\n${build.stderr}`);

const worker = await startWorker({ testScheduled: true });
const browser = await launchExtension({ extensionPath: EXTENSION });
try {
  const { codes } = await worker.seed();
  await worker.runCron();
  const options = await browser.open("options.html");
  await options.getByTestId("server-url").fill(worker.url);
  await options.getByTestId("pairing-code").fill(codes["Chen Jing"]!);
  await options.getByTestId("pair-button").click();
  await options.getByTestId("paired-user").waitFor();
  await options.close();

  const cold = await open(browser); // no cached insights yet: the leaderboard waits for the network
  const warm: { rings: number; leaderboard: number }[] = [];
  for (let i = 0; i < RUNS; i++) warm.push(await open(browser));
  const results = {
    runs: RUNS,
    cold,
    warm: {
      rings: { median: median(warm.map((w) => w.rings)), p90: p90(warm.map((w) => w.rings)) },
      leaderboard: { median: median(warm.map((w) => w.leaderboard)), p90: p90(warm.map((w) => w.leaderboard)) },
    },
    gzipBytes: await sizes(),
  };
  console.log(`popup, ${RUNS} warm opens after one cold open (ms from navigation start, median / p90):`);
  console.log(`  KPI rings (cached state):      ${results.warm.rings.median} / ${results.warm.rings.p90}   (cold: ${cold.rings})`);
  console.log(`  leaderboard (cached insights): ${results.warm.leaderboard.median} / ${results.warm.leaderboard.p90}   (cold, from the network: ${cold.leaderboard})`);
  console.log("  gzip -9 bytes:", results.gzipBytes);
  const file = join(ROOT, "bench/results.json");
  await mkdir(join(ROOT, "bench"), { recursive: true });
  const previous = await readFile(file, "utf8").then((t) => JSON.parse(t) as Record<string, unknown>, () => ({}));
  await writeFile(file, JSON.stringify({ ...previous, popup: { at: new Date().toISOString(), results } }, null, 2) + "\n");
} finally {
  await browser.close();
  await worker.dispose();
}
