import { browser, storage, type Browser } from "#imports";
import { overlayPrefsKey } from "../sites/registry";
import { serverHostPattern } from "../features/server-url";
import type { ExtensionState, OverlayView } from "../messages";
import { overlayPrefsStorageKey, settingsItem, type OverlayPrefs } from "../storage";

/**
 * Enabled sites and the page overlay, background side.
 *
 * The browser's host permissions ARE the list of enabled sites: the options page (or the popup's "enable on this site")
 * asks for an origin with `permissions.request` from a click, Chrome's own site-access menu can grant or revoke one,
 * and whatever is granted gets the content script, registered at runtime for exactly those origins
 * (`scripting.registerContentScripts`, persisted across sessions, reconciled at every start and on every
 * `permissions.onAdded/onRemoved`). Nothing is injected anywhere else; the manifest asks for no host at install.
 *
 * The content script is a few checks (entrypoints/content-entry.ts). When its page is idle it asks for the detector (site
 * adapters + SPA watcher), and when that matches the page, for the overlay UI (Preact); the background injects each
 * into that one frame with `scripting.executeScript`: no web-accessible resource for pages to probe, no request the
 * page can see, and pages pay for the parts only when they need them.
 *
 * Content scripts get no direct access to `storage.local` (which holds the device token): the background answers
 * them with messages and tells open overlays when something changed (`tabs.sendMessage`, to the tabs that asked
 * for the overlay; the list survives service-worker restarts in `storage.session`).
 */

/** Id of the registered content script. */
export const OVERLAY_SCRIPT_ID = "target-hud-overlay";
/** Built paths (WXT): the registered content script, and the parts injected into a frame on demand. */
export const CONTENT_SCRIPT_FILE = "/content-entry.js";
export const INJECTED_FILES = { detector: "/content-detector.js", ui: "/content-ui.js" } as const;
/** Sent to open overlays when the state, the preferences or the enabled sites changed. */
export const OVERLAY_CHANGED = "target-hud:overlay-changed";
const TAB_KEY_PREFIX = "overlayTab:";

type Permissions = Pick<typeof browser.permissions, "getAll" | "contains"> & {
  onAdded: Pick<typeof browser.permissions.onAdded, "addListener">;
  onRemoved: Pick<typeof browser.permissions.onRemoved, "addListener">;
};
type Scripting = Pick<
  typeof browser.scripting,
  "registerContentScripts" | "getRegisteredContentScripts" | "updateContentScripts" | "unregisterContentScripts" | "executeScript"
>;
type Tabs = Pick<typeof browser.tabs, "query" | "sendMessage">;

export interface SiteAccessDeps {
  permissions?: Permissions;
  scripting?: Scripting;
  tabs?: Tabs;
  /** The background's state for the UI (background/service.ts). */
  state: () => Promise<ExtensionState>;
  /** Changes arriving within this window are announced to overlays once. */
  debounceMs?: number;
  /**
   * Whether pairing grants the API server's host (Firefox: options page, see ui/Options.tsx). That grant is for the
   * API, not an overlay site, so it is left out of the sites. Chrome asks for nothing at pairing, so there a grant for
   * the server's host is the user's own choice (the demo serves its pages and the API from 127.0.0.1).
   */
  pairingGrantsServerHost?: boolean;
}

export type SiteAccess = ReturnType<typeof createSiteAccess>;

export function createSiteAccess(deps: SiteAccessDeps) {
  const permissions = deps.permissions ?? browser.permissions;
  const scripting = deps.scripting ?? browser.scripting;
  const tabs = deps.tabs ?? browser.tabs;
  const debounceMs = deps.debounceMs ?? 120;
  const pairingGrantsServerHost = deps.pairingGrantsServerHost ?? import.meta.env.FIREFOX;

  /**
   * Web origins granted to the extension for the overlay (all optional: the manifest requires none). On Firefox the
   * API server's own host is not a site: it is granted when the device pairs, and no overlay belongs there.
   */
  async function grantedOrigins(): Promise<string[]> {
    const [{ origins = [] }, { serverUrl }] = await Promise.all([permissions.getAll(), settingsItem.getValue()]);
    let server: string | null = null;
    try {
      server = pairingGrantsServerHost && serverUrl ? serverHostPattern(serverUrl) : null;
    } catch {
      server = null;
    }
    return [...new Set(origins.filter((origin) => /^(https?|\*):\/\//.test(origin) && origin !== server))].sort();
  }

  // Reconciliations run one at a time, so an onAdded during startup cannot race a register against an update.
  let reconciling: Promise<string[]> = Promise.resolve([]);
  function reconcile(): Promise<string[]> {
    reconciling = reconciling.catch(() => []).then(reconcileNow);
    return reconciling;
  }

  async function reconcileNow(): Promise<string[]> {
    const origins = await grantedOrigins();
    const registered = await scripting.getRegisteredContentScripts({ ids: [OVERLAY_SCRIPT_ID] });
    const current = registered[0];
    if (origins.length === 0) {
      if (current) await scripting.unregisterContentScripts({ ids: [OVERLAY_SCRIPT_ID] });
      return origins;
    }
    if (!current) {
      await scripting.registerContentScripts([
        {
          id: OVERLAY_SCRIPT_ID,
          js: [CONTENT_SCRIPT_FILE.slice(1)],
          matches: origins,
          runAt: "document_idle",
          allFrames: false,
          persistAcrossSessions: true,
        },
      ]);
    } else if ([...(current.matches ?? [])].sort().join("\n") !== origins.join("\n")) {
      await scripting.updateContentScripts([{ id: OVERLAY_SCRIPT_ID, js: [CONTENT_SCRIPT_FILE.slice(1)], matches: origins }]);
    }
    return origins;
  }

  /** A newly enabled site shows the overlay in its open tabs at once, without a reload. */
  async function injectIntoOpenTabs(origins: string[]): Promise<void> {
    const web = origins.filter((origin) => /^(https?|\*):\/\//.test(origin));
    if (web.length === 0) return;
    const open = await tabs.query({ url: web });
    await Promise.all(
      open.map((tab) =>
        tab.id === undefined
          ? undefined
          : scripting.executeScript({ target: { tabId: tab.id }, files: [CONTENT_SCRIPT_FILE] }).catch(() => undefined),
      ),
    );
  }

  // --- overlays in tabs -------------------------------------------------------------------------------------
  function tabKey(tabId: number, frameId: number): `session:${string}` {
    return `session:${TAB_KEY_PREFIX}${tabId}:${frameId}`;
  }

  function senderFrame(sender: Browser.runtime.MessageSender): { tabId: number; frameId: number; url: URL } {
    const tabId = sender.tab?.id;
    if (tabId === undefined || !sender.url) throw new SiteAccessError("not_in_a_tab", "Only a page's content script can ask for the overlay.");
    return { tabId, frameId: sender.frameId ?? 0, url: new URL(sender.url) };
  }

  async function isEnabled(url: URL): Promise<boolean> {
    if (url.protocol !== "https:" && url.protocol !== "http:") return false;
    return permissions.contains({ origins: [`${url.protocol}//${url.hostname}/*`] });
  }

  /**
   * Injects a part of the overlay into the asking frame: the detector (its content script found an ordinary page, now
   * idle), then the UI (the detector matched the page). Only into frames of enabled sites.
   */
  async function inject(sender: Browser.runtime.MessageSender, part: keyof typeof INJECTED_FILES): Promise<{ injected: boolean }> {
    const { tabId, frameId, url } = senderFrame(sender);
    if (!(await isEnabled(url))) return { injected: false };
    await scripting.executeScript({ target: { tabId, frameIds: [frameId] }, files: [INJECTED_FILES[part]] });
    return { injected: true };
  }

  /** What an overlay shows; remembers the frame so it hears about later changes. */
  async function overlayView(sender: Browser.runtime.MessageSender): Promise<OverlayView> {
    const { tabId, frameId, url } = senderFrame(sender);
    const enabled = await isEnabled(url);
    if (enabled) await storage.setItem(tabKey(tabId, frameId), Date.now());
    else await storage.removeItem(tabKey(tabId, frameId));
    const [state, prefs] = await Promise.all([deps.state(), storage.getItem<OverlayPrefs>(overlayPrefsStorageKey(overlayPrefsKey(url)))]);
    return { state, enabled, prefs };
  }

  /** Position, collapsed state and label choice, per site (the key comes from the sender's address, not from the page). */
  async function saveOverlayPrefs(sender: Browser.runtime.MessageSender, prefs: OverlayPrefs): Promise<OverlayPrefs> {
    const { url } = senderFrame(sender);
    await storage.setItem(overlayPrefsStorageKey(overlayPrefsKey(url)), prefs);
    return prefs;
  }

  let timer: ReturnType<typeof setTimeout> | undefined;
  /** Tells every open overlay to re-read its view (debounced: a sync writes several keys). */
  function announceChange(): void {
    clearTimeout(timer);
    timer = setTimeout(() => void broadcast().catch((error) => console.error("[target-hud] overlay broadcast", error)), debounceMs);
  }

  async function broadcast(): Promise<number> {
    const snapshot = (await browser.storage.session.get(null)) as Record<string, unknown>;
    const frames = Object.keys(snapshot)
      .filter((key) => key.startsWith(TAB_KEY_PREFIX))
      .map((key) => key.slice(TAB_KEY_PREFIX.length).split(":").map(Number) as [number, number]);
    let reached = 0;
    await Promise.all(
      frames.map(async ([tabId, frameId]) => {
        try {
          await tabs.sendMessage(tabId, { type: OVERLAY_CHANGED }, { frameId });
          reached++;
        } catch {
          await storage.removeItem(tabKey(tabId, frameId)); // tab closed or navigated away
        }
      }),
    );
    return reached;
  }

  /** Registers the listeners synchronously (MV3 wakes the worker for them) and reconciles once. */
  function start(): void {
    try {
      permissions.onAdded.addListener((added) => {
        void reconcile()
          .then(() => injectIntoOpenTabs(added.origins ?? []))
          .catch((error) => console.error("[target-hud] enabling a site", error));
      });
      permissions.onRemoved.addListener(() => {
        void reconcile().catch((error) => console.error("[target-hud] disabling a site", error));
        announceChange();
      });
    } catch (error) {
      // A browser (or test double) without optional permissions: the overlay is unavailable, the rest works.
      console.warn("[target-hud] no site access: the page overlay is off", error);
      return;
    }
    browser.storage.onChanged.addListener((changes, area) => {
      if (area !== "local") return;
      if (Object.keys(changes).every((key) => key.startsWith("overlay:"))) return;
      announceChange();
    });
    // Keep the device token out of reach of content scripts (Chrome; Firefox has no access levels).
    void (browser.storage.local as { setAccessLevel?: (o: { accessLevel: string }) => Promise<void> })
      .setAccessLevel?.({ accessLevel: "TRUSTED_CONTEXTS" })
      ?.catch((error: unknown) => console.error("[target-hud] storage access level", error));
    void reconcile().catch((error) => console.error("[target-hud] registering the overlay", error));
  }

  return { start, reconcile, grantedOrigins, inject, overlayView, saveOverlayPrefs, broadcast, announceChange };
}

export class SiteAccessError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
