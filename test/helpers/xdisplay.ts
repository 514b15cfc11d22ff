/**
 * Real X input for the browser's NATIVE UI (context menus), which headless Chromium does not have: a virtual display
 * (Xvfb) to run Chromium headed on (`launchExtension({ display })`), and xdotool (XTEST) to move the pointer, click and
 * type there, as a user's hand would.
 *
 * Chromium's menus select an item by its first letter and activate it when it is the only match, so an item is picked
 * with the initial of its label in the browser's language (English labels in the tests that use this).
 */
import { execFile, spawn, spawnSync, type ChildProcess } from "node:child_process";
import { promisify } from "node:util";
import type { Locator, Page } from "playwright-core";
import { eventually } from "./wait";

export const X_INSTALL_HINT =
  "Xvfb and xdotool not found: install them with `apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends xvfb xdotool`.";

export interface XDisplay {
  /** `:N`, for `launchExtension({ display })`. */
  name: string;
  xdotool(...args: string[]): Promise<string>;
  /** Visible top-level X windows: the browser window, plus one per open menu level. */
  visibleWindows(): Promise<number>;
  stop(): Promise<void>;
}

/** Fails with the install command when the tools are missing (never skips). */
export function requireXTools(): void {
  for (const tool of ["Xvfb", "xdotool"]) {
    if (spawnSync("sh", ["-c", `command -v ${tool}`]).status !== 0) throw new Error(X_INSTALL_HINT);
  }
}

const run = promisify(execFile);

/** Xvfb on a free display number (it picks one and writes it to fd 3). */
export async function startXvfb(): Promise<XDisplay> {
  requireXTools();
  const xvfb: ChildProcess = spawn("Xvfb", ["-displayfd", "3", "-screen", "0", "1280x1024x24", "-nolisten", "tcp"], {
    stdio: ["ignore", "ignore", "pipe", "pipe"],
  });
  let stderr = "";
  xvfb.stderr!.on("data", (chunk) => (stderr += chunk));
  const number = await new Promise<string>((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error(`Xvfb did not report a display within 10 s: ${stderr}`)), 10_000);
    xvfb.stdio[3]!.on("data", (chunk) => {
      out += chunk;
      if (out.includes("\n")) {
        clearTimeout(timer);
        resolve(out.trim());
      }
    });
    xvfb.once("error", reject);
    xvfb.once("exit", (code) => reject(new Error(`Xvfb exited (${code}): ${stderr}`)));
  });
  const name = `:${number}`;
  const xdotool = async (...args: string[]) => (await run("xdotool", args, { env: { ...process.env, DISPLAY: name } })).stdout;
  return {
    name,
    xdotool,
    visibleWindows: async () => (await xdotool("search", "--onlyvisible", "--name", "")).trim().split("\n").filter(Boolean).length,
    async stop() {
      if (xvfb.exitCode !== null || xvfb.signalCode !== null) return;
      const exited = new Promise((resolve) => xvfb.once("exit", resolve));
      xvfb.kill("SIGTERM");
      await exited;
    },
  };
}

export interface PageRecord {
  pointer: { seq: number; x: number; y: number };
  menu: { seq: number; target: string; selection: string };
}

/** The page's own listeners (main world): where the real pointer is, and what the last right-click hit. */
export async function installRecorder(page: Page): Promise<void> {
  await page.evaluate(() => {
    const record = { pointer: { seq: 0, x: -1, y: -1 }, menu: { seq: 0, target: "", selection: "" } };
    (window as unknown as { __record: typeof record }).__record = record;
    addEventListener("mousemove", (e) => (record.pointer = { seq: record.pointer.seq + 1, x: e.clientX, y: e.clientY }), true);
    addEventListener(
      "contextmenu",
      (e) => {
        const el = e.target as Element;
        record.menu = { seq: record.menu.seq + 1, target: el.id || el.tagName, selection: getSelection()?.toString() ?? "" };
      },
      true,
    );
  });
}

export const readRecord = (page: Page) => page.evaluate(() => (window as unknown as { __record: PageRecord }).__record);

let calibration = 0;
/** Moves the real X pointer to the middle of `target`. The page's offset on the screen is measured, not assumed. */
async function pointAt(display: XDisplay, page: Page, target: Locator): Promise<void> {
  const box = await target.boundingBox();
  if (!box) throw new Error("target not visible");
  const x = Math.round(box.x + box.width / 2);
  const y = Math.round(box.y + box.height / 2);
  // Somewhere inside the page (the window sits near the screen's top left; a new spot each time, so it moves).
  const guess = { x: 420 + (calibration++ % 20), y: 420 };
  const seq = (await readRecord(page)).pointer.seq;
  await display.xdotool("mousemove", String(guess.x), String(guess.y));
  await eventually(async () => (await readRecord(page)).pointer.seq > seq, true, 5_000, 50, "the page saw the X pointer move");
  const seen = (await readRecord(page)).pointer;
  await display.xdotool("mousemove", String(guess.x - seen.x + x), String(guess.y - seen.y + y));
  await eventually(
    async () => {
      const p = (await readRecord(page)).pointer;
      return [p.x, p.y];
    },
    [x, y],
    5_000,
    50,
    "the X pointer is on the target",
  );
}

/**
 * Right-clicks `target` with the real pointer, then picks "Log as …" → the item starting with `letter` in Chromium's
 * native menu with real key presses (`installRecorder` must have run on the page). Returns what the page saw of the
 * right-click.
 */
export async function logFromMenu(display: XDisplay, page: Page, target: Locator, letter: string): Promise<PageRecord["menu"]> {
  await page.bringToFront();
  await pointAt(display, page, target);
  const windows = await display.visibleWindows();
  const before = (await readRecord(page)).menu.seq;
  await display.xdotool("click", "3");
  await eventually(async () => (await readRecord(page)).menu.seq, before + 1, 5_000, 50, "the page saw the right-click");
  // The native menu is its own X window; then "Log as …"'s submenu is another; activating an item closes both.
  await eventually(display.visibleWindows, windows + 1, 5_000, 50, "Chromium's context menu opened");
  await display.xdotool("key", "l");
  await eventually(display.visibleWindows, windows + 2, 5_000, 50, "'Log as …' opened its submenu");
  await display.xdotool("key", letter);
  await eventually(display.visibleWindows, windows, 5_000, 50, `the item '${letter}…' was activated and the menu closed`);
  return (await readRecord(page)).menu;
}
