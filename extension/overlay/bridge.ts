import type { ContentScriptContext } from "wxt/utils/content-script-context";
import type { DetectedPage } from "../sites/registry";

/**
 * The hand-off between the two halves of the content side, which share the extension's isolated world in the page:
 *
 *   content-entry.js     (entrypoints/content-entry.ts → overlay/gate.ts; registered for the enabled sites; < 1 KB)
 *     checks for an ordinary top-level page and, once the page is idle, asks the background for the detector;
 *   content-detector.js  (entrypoints/content-detector.ts → overlay/detector.ts; injected by the background)
 *     detects the page with the site adapters, keeps watching for SPA navigation, publishes an OverlayHost on the
 *     isolated world's globalThis under HOST_KEY, then asks the background for the UI;
 *   content-ui.js        (entrypoints/content-ui.ts → overlay/mount.tsx; Preact, injected by the background only on a match)
 *     picks the host up and renders the pill in a shadow root.
 *
 * Nothing here is visible to the page's own scripts (they run in the main world).
 */
export const HOST_KEY = "__targetHudOverlayHost";

export interface OverlayHost {
  readonly ctx: ContentScriptContext;
  /** The page as last detected. */
  readonly page: DetectedPage;
  /** Called with each new detection (SPA navigation); returns the unsubscribe function. */
  subscribe(listener: (page: DetectedPage) => void): () => void;
  /** Stops watching the page and withdraws the host (site disabled, context invalidated). Idempotent. */
  shutdown(): void;
  /** Set by the UI once it has mounted, so a second injection does not mount twice. */
  mounted: boolean;
}

export function publishHost(host: OverlayHost): void {
  (globalThis as Record<string, unknown>)[HOST_KEY] = host;
}

export function currentHost(): OverlayHost | null {
  return ((globalThis as Record<string, unknown>)[HOST_KEY] as OverlayHost | undefined) ?? null;
}

export function withdrawHost(host: OverlayHost): void {
  if (currentHost() === host) delete (globalThis as Record<string, unknown>)[HOST_KEY];
}
