import { ContentScriptContext } from "wxt/utils/content-script-context";
import { sendToBackground } from "../messages";
import { detectPage, type DetectedPage } from "../sites/registry";
import { publishHost, withdrawHost, type OverlayHost } from "./bridge";
import { largeEnough } from "./gate";
import { PageWatcher } from "./watch";

/** The WXT context's name: a newer copy of the script (extension updated, site re-enabled) retires the older one. */
export const CONTEXT_NAME = "target-hud-overlay";

/**
 * Runs when the page is idle after the content script was injected (entrypoints/content-entry.ts, overlay/gate.ts):
 * take over from an older copy (WXT's ContentScriptContext: extension reloaded, site re-enabled), detect the page with
 * the site adapters (pure, cheap), publish the host, watch for SPA navigation, and ask the background for the overlay
 * UI (Preact, styles, messages: content-ui.js, injected on demand).
 */
export function startDetector(win: Window = window): void {
  if (!largeEnough(win)) return;
  // WXT's "started" signal as a DOM event only, not window.postMessage (which host pages' listeners would receive).
  const ctx = new ContentScriptContext(CONTEXT_NAME, { noScriptStartedPostMessage: true } as ConstructorParameters<typeof ContentScriptContext>[1]);
  if (ctx.isValid) startOverlay(ctx, win);
}

function startOverlay(ctx: ContentScriptContext, win: Window): OverlayHost | null {
  const doc = win.document;
  if (!doc.body) return null;
  const detect = () => detectPage(new URL(win.location.href), doc);
  let page = detect();
  if (!page) return null;

  const listeners = new Set<(page: DetectedPage) => void>();
  const watcher = new PageWatcher({
    window: win,
    detect,
    onChange(next) {
      page = next;
      for (const listener of listeners) listener(next);
    },
  });
  let stopped = false;
  const host: OverlayHost = {
    ctx,
    get page() {
      return page!;
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    shutdown() {
      if (stopped) return;
      stopped = true;
      watcher.stop();
      listeners.clear();
      withdrawHost(host);
    },
    mounted: false,
  };
  publishHost(host);
  watcher.start(page);
  ctx.onInvalidated(() => host.shutdown());
  sendToBackground({ type: "overlayInject", part: "ui" }).then(
    ({ injected }) => {
      if (!injected) host.shutdown();
    },
    (error: unknown) => {
      console.warn("[target-hud] overlay not loaded", error);
      host.shutdown();
    },
  );
  return host;
}
