// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { GENERIC_ADAPTER, type DetectedPage } from "../sites/registry";
import { PageWatcher } from "./watch";

const page = (kind: "list" | "other"): DetectedPage => ({
  adapter: GENERIC_ADAPTER,
  context: { site: "generic", kind, suggestedKinds: ["touch"] },
});

let current: DetectedPage;
let detections: number;
let seen: DetectedPage[];
let watcher: PageWatcher;

beforeEach(() => {
  vi.useFakeTimers();
  document.body.innerHTML = "<main></main>";
  current = page("other");
  detections = 0;
  seen = [];
  watcher = new PageWatcher({
    window,
    detect: () => {
      detections++;
      return current;
    },
    onChange: (next) => seen.push(next),
    settleMs: 1_000,
    throttleMs: 100,
    pollMs: 0,
  });
});

afterEach(() => {
  watcher.stop();
  vi.useRealTimers();
});

const flushMutations = () => vi.advanceTimersByTimeAsync(0);

describe("SPA page watcher", () => {
  test("DOM changes are watched for the settle window only, and many mutations cost one detection", async () => {
    watcher.start(current);
    expect(watcher.observing).toBe(true);
    for (let i = 0; i < 50; i++) document.querySelector("main")!.append(document.createElement("div"));
    await flushMutations();
    expect(detections).toBe(0);
    await vi.advanceTimersByTimeAsync(100);
    expect(detections).toBe(1);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(watcher.observing).toBe(false);
    document.querySelector("main")!.append(document.createElement("div"));
    await vi.advanceTimersByTimeAsync(500);
    expect(detections).toBe(1);
  });

  test("reports a changed page once, not an unchanged one", async () => {
    watcher.start(current);
    watcher.check();
    expect(seen).toEqual([]);
    current = page("list");
    watcher.check();
    watcher.check();
    expect(seen).toEqual([page("list")]);
  });

  test("a URL change re-detects at once and re-arms the observer", async () => {
    watcher.start(current);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(watcher.observing).toBe(false);
    current = page("list");
    location.hash = "#inbox/FMfcgzQbfLmNxWzkRtPqDsVhJcBnGkTw";
    window.dispatchEvent(new HashChangeEvent("hashchange"));
    expect(seen).toEqual([page("list")]);
    expect(watcher.observing).toBe(true);
  });

  test("a click (passive, never stopped) re-arms the observer; the page still gets the event", async () => {
    const pageListener = vi.fn();
    document.addEventListener("pointerup", pageListener);
    watcher.start(current);
    await vi.advanceTimersByTimeAsync(1_000);
    document.body.dispatchEvent(new Event("pointerup", { bubbles: true }));
    expect(watcher.observing).toBe(true);
    expect(pageListener).toHaveBeenCalledTimes(1);
  });

  test("stop disconnects everything", async () => {
    watcher.start(current);
    watcher.stop();
    expect(watcher.observing).toBe(false);
    current = page("list");
    window.dispatchEvent(new HashChangeEvent("hashchange"));
    document.querySelector("main")!.append(document.createElement("div"));
    await vi.advanceTimersByTimeAsync(2_000);
    expect(seen).toEqual([]);
  });
});
