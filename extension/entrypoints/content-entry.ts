import { shouldWatch } from "@/overlay/gate";

/**
 * The overlay's content script: not in the manifest; background/sites.ts registers it at runtime for exactly the sites
 * the rep enabled (so no host permission and no injection anywhere by default). Injecting it costs a few checks and
 * nothing else (not even the extension API, which is first touched when the page is idle): then the background injects
 * the detector (content-detector.js), and on a match the overlay UI (content-ui.js). See overlay/bridge.ts.
 */
export default defineUnlistedScript(() => {
  if (!shouldWatch(window)) return;
  const run = () => {
    const { browser, chrome } = globalThis as unknown as Record<"browser" | "chrome", ExtensionApi | undefined>;
    const api = browser?.runtime?.id ? browser : chrome;
    if (!api?.runtime?.id) return; // the extension was reloaded or removed while the page was busy
    api.runtime.sendMessage({ type: "overlayInject", part: "detector" }).catch(() => undefined);
  };
  if (typeof requestIdleCallback === "function") requestIdleCallback(run, { timeout: 1_000 });
  else setTimeout(run, 0);
});

interface ExtensionApi {
  runtime: { id?: string; sendMessage(message: unknown): Promise<unknown> };
}
