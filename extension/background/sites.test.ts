import { beforeEach, describe, expect, test } from "vitest";
import { fakeBrowser } from "wxt/testing";
import { storage } from "#imports";
import { createSiteAccess, CONTENT_SCRIPT_FILE, INJECTED_FILES, OVERLAY_CHANGED, OVERLAY_SCRIPT_ID, SiteAccessError } from "./sites";
import { createBackground } from "./service";
import { createFakeSiteAccess } from "../test-support/fake-site-access";
import { spellKey } from "../features/badge";
import type { ExtensionState } from "../messages";
import { settingsItem, type OverlayPrefs } from "../storage";

const GMAIL = "https://mail.google.com/*";
const SALESFORCE = "https://*.lightning.force.com/*";
const STATE = { paired: false, now: 1 } as unknown as ExtensionState;
const gmailTab = { id: 7, frameId: 0, url: "https://mail.google.com/mail/u/0/#inbox" };
const sender = (tab: { id: number; frameId?: number; url: string }) => ({ id: "test-extension-id", url: tab.url, tab: { id: tab.id } as never, frameId: tab.frameId ?? 0 });
const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

let fake: ReturnType<typeof createFakeSiteAccess>;
let sites: ReturnType<typeof createSiteAccess>;

beforeEach(() => {
  fakeBrowser.reset();
  fake = createFakeSiteAccess({
    tabs: [
      { id: 7, url: "https://mail.google.com/mail/u/0/#inbox" },
      { id: 8, url: "https://huaxin.lightning.force.com/lightning/page/home" },
      { id: 9, url: "https://example.com/" },
    ],
  });
  sites = createSiteAccess({ ...fake.deps, state: async () => STATE, debounceMs: 0 });
});

describe("the content script is registered for exactly the granted sites", () => {
  test("nothing granted → nothing registered", async () => {
    expect(await sites.reconcile()).toEqual([]);
    expect(fake.registered.size).toBe(0);
  });

  test("grant → register (persisted, idle, top frame); another → update; revoke all → unregister", async () => {
    sites.start();
    fake.grant(GMAIL);
    await settle();
    expect(fake.registered.get(OVERLAY_SCRIPT_ID)).toEqual({
      id: OVERLAY_SCRIPT_ID,
      js: [CONTENT_SCRIPT_FILE.slice(1)],
      matches: [GMAIL],
      runAt: "document_idle",
      allFrames: false,
      persistAcrossSessions: true,
    });
    fake.grant(SALESFORCE);
    await settle();
    expect(fake.registered.get(OVERLAY_SCRIPT_ID)?.matches).toEqual([SALESFORCE, GMAIL].sort());
    fake.revoke(GMAIL, SALESFORCE);
    await settle();
    expect(fake.registered.size).toBe(0);
  });

  test("Firefox: the API server's host (granted at pairing) is not a site, so no overlay there", async () => {
    sites = createSiteAccess({ ...fake.deps, state: async () => STATE, debounceMs: 0, pairingGrantsServerHost: true });
    await settingsItem.setValue({ ...(await settingsItem.getValue()), serverUrl: "http://127.0.0.1:8787" });
    fake.grant("http://127.0.0.1/*", GMAIL);
    expect(await sites.reconcile()).toEqual([GMAIL]);
    expect(fake.registered.get(OVERLAY_SCRIPT_ID)?.matches).toEqual([GMAIL]);
    expect(await sites.grantedOrigins()).toEqual([GMAIL]);
  });

  test("Chrome: pairing grants nothing, so the server's host granted by the user is a site like any other", async () => {
    sites = createSiteAccess({ ...fake.deps, state: async () => STATE, debounceMs: 0, pairingGrantsServerHost: false });
    await settingsItem.setValue({ ...(await settingsItem.getValue()), serverUrl: "http://127.0.0.1:8787" });
    fake.grant("http://127.0.0.1/*", GMAIL);
    expect(await sites.reconcile()).toEqual(["http://127.0.0.1/*", GMAIL].sort());
  });

  test("a newly granted site gets the content script in its open tabs at once, other tabs do not", async () => {
    sites.start();
    fake.grant(SALESFORCE);
    await settle();
    expect(fake.injected).toEqual([{ tabId: 8, files: [CONTENT_SCRIPT_FILE] }]);
  });

  test("only web origins count (never e.g. chrome:// favicons)", async () => {
    fake.grant("chrome://favicon/*", GMAIL);
    expect(await sites.reconcile()).toEqual([GMAIL]);
  });

  test("concurrent reconciliations do not register twice", async () => {
    fake.grant(GMAIL);
    await Promise.all([sites.reconcile(), sites.reconcile(), sites.reconcile()]);
    expect(fake.registered.size).toBe(1);
  });
});

describe("injecting the overlay's parts", () => {
  test("into the asking frame, only on a granted site", async () => {
    expect(await sites.inject(sender({ ...gmailTab, frameId: 0 }), "detector")).toEqual({ injected: false });
    fake.grant(GMAIL);
    expect(await sites.inject(sender(gmailTab), "detector")).toEqual({ injected: true });
    expect(await sites.inject(sender(gmailTab), "ui")).toEqual({ injected: true });
    expect(fake.injected).toEqual([
      { tabId: 7, frameIds: [0], files: [INJECTED_FILES.detector] },
      { tabId: 7, frameIds: [0], files: [INJECTED_FILES.ui] },
    ]);
  });

  test("refused for a sender that is not a page's content script", async () => {
    await expect(sites.inject({ id: "test-extension-id", url: "chrome-extension://test-extension-id/popup.html" }, "ui")).rejects.toBeInstanceOf(SiteAccessError);
  });
});

describe("the overlay's view, preferences and change notices", () => {
  const prefs: OverlayPrefs = { placement: { corner: "top-right", x: 12, y: 80 }, collapsed: true, attachLabel: false };

  test("enabled follows the permission; preferences are kept per site, keyed by the sender's address", async () => {
    expect(await sites.overlayView(sender(gmailTab))).toEqual({ state: STATE, enabled: false, prefs: null });
    fake.grant(GMAIL);
    await sites.saveOverlayPrefs(sender(gmailTab), prefs);
    expect(await storage.getItem("local:overlay:gmail")).toEqual(prefs);
    // Another Gmail address shares them; another site does not.
    expect((await sites.overlayView(sender({ id: 11, url: "https://mail.google.com/mail/u/1/#sent" }))).prefs).toEqual(prefs);
    expect((await sites.overlayView(sender({ id: 9, url: "https://example.com/" }))).prefs).toBeNull();
  });

  test("changes are announced to the frames that showed an overlay; closed tabs are forgotten", async () => {
    fake.grant(GMAIL, SALESFORCE);
    await sites.overlayView(sender(gmailTab));
    await sites.overlayView(sender({ id: 8, frameId: 0, url: "https://huaxin.lightning.force.com/lightning/page/home" }));
    fake.closeTab(8);
    expect(await sites.broadcast()).toBe(1);
    expect(fake.sent).toEqual([{ tabId: 7, frameId: 0, message: { type: OVERLAY_CHANGED } }]);
    fake.sent.length = 0;
    expect(await sites.broadcast()).toBe(1);
    expect(fake.sent.map((s) => s.tabId)).toEqual([7]);
  });

  test("a storage change (e.g. a sync) and a revoked site are announced; the overlay's own preferences are not", async () => {
    sites.start();
    fake.grant(GMAIL);
    await sites.overlayView(sender(gmailTab));
    await storage.setItem("local:overlay:gmail", prefs);
    await settle();
    expect(fake.sent).toEqual([]);
    await storage.setItem("local:progress", { any: 1 });
    await settle();
    expect(fake.sent).toHaveLength(1);
    fake.revoke(GMAIL);
    await settle();
    expect(fake.sent).toHaveLength(2);
  });
});

describe("through the message protocol", () => {
  const background = () =>
    createBackground({ locale: () => "en", t: spellKey, siteAccess: fake.deps, fetch: (() => Promise.reject(new Error("offline"))) as typeof fetch });

  test("content scripts may ask; preferences are validated", async () => {
    fake.grant(GMAIL);
    const bg = background();
    const page = sender(gmailTab);
    expect(await bg.handleMessage({ type: "overlayInject", part: "ui" }, page)).toEqual({ ok: true, data: { injected: true } });
    expect(await bg.handleMessage({ type: "overlayInject", part: "everything" }, page)).toMatchObject({ ok: false, error: { code: "invalid_message" } });
    const bad = { type: "overlayPrefs", prefs: { placement: { corner: "middle", x: 1, y: 1 }, collapsed: false, attachLabel: false } };
    expect(await bg.handleMessage(bad, page)).toMatchObject({ ok: false, error: { code: "invalid_message" } });
    const good = { type: "overlayPrefs", prefs: { placement: null, collapsed: true, attachLabel: true } };
    expect(await bg.handleMessage(good, page)).toEqual({ ok: true, data: good.prefs });
    const view = await bg.handleMessage({ type: "overlay" }, page);
    expect(view).toMatchObject({ ok: true, data: { enabled: true, prefs: good.prefs, state: { paired: false } } });
  });

  test("an extension page is not a tab: the overlay messages are refused with a clear code", async () => {
    const bg = background();
    const reply = await bg.handleMessage({ type: "overlay" }, { id: "test-extension-id", url: "chrome-extension://test-extension-id/popup.html" });
    expect(reply).toMatchObject({ ok: false, error: { kind: "invalid_input", code: "not_in_a_tab" } });
  });
});
