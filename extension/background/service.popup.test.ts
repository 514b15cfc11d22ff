/**
 * The background's popup-facing features through its real message handler and API client (fake `fetch` that
 * answers like the worker): undo, the popup's insights cache, the "what was sent" log, the privacy mode for labels,
 * and logging from the keyboard shortcut and the context menu (registered on fake event sources).
 */
import { beforeEach, describe, expect, onTestFinished, test, vi } from "vitest";
import { fakeBrowser } from "wxt/testing";
import { storage } from "#imports";
import { createBackground, FLASH_MS } from "./service";
import { createFakeApi, PAIRED } from "../test-support/fake-api";
import { insightsItem, popupIntentItem, preferencesItem, sentLogItem } from "../storage";
import { spellKey } from "../features/badge";
import type { Reply, ResponseMap } from "../messages";
import type { MenusApi } from "./menus";

const SERVER = "http://127.0.0.1:8787";
const popupSender = { id: "test-extension-id", url: "chrome-extension://test-extension-id/popup.html" };
const pageSender = { id: "test-extension-id", url: "https://crm.example.com/deal/1", tab: { id: 3 } as never };
// Content scripts (pageSender) may ask for messages; the popup's other requests come from extension pages.

let api: ReturnType<typeof createFakeApi>;
let clock: number;
let background: ReturnType<typeof createBackground>;
let deleted: string[];
let undoAllowed: boolean;
let extraDown: boolean;
let onCommand: ((command: string) => void) | undefined;
let onMenuClick: ((info: { menuItemId: string | number }) => void) | undefined;
let menuTitles: string[];

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
const team = {
  serverTime: "2026-11-23T02:00:00.000Z",
  day: "2026-11-23",
  reps: [] as unknown[],
};

/** The fake worker of test-support plus the routes the popup's insights and undo use. */
function fetchWithExtras(base: typeof fetch): typeof fetch {
  return (async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(String(input));
    const method = init?.method ?? "GET";
    const authed = new Headers(init?.headers).get("authorization") === `Bearer ${PAIRED.token}`;
    const extra = authed && (url.pathname.startsWith("/v1/") && !["/v1/activities", "/v1/progress", "/v1/pair"].includes(url.pathname));
    if (!extra) return base(input, init);
    if (extraDown) throw new TypeError("Failed to fetch");
    if (method === "DELETE" && url.pathname.startsWith("/v1/activities/")) {
      const id = decodeURIComponent(url.pathname.slice("/v1/activities/".length));
      if (!api.activities.stored.has(id)) return json(404, { error: { code: "not_found", message: "No such event of yours" } });
      if (!undoAllowed) return json(409, { error: { code: "conflict", message: "The undo window for this event has passed" } });
      deleted.push(id);
      return new Response(null, { status: 204 });
    }
    if (url.pathname === "/v1/org")
      return json(200, {
        id: "o_1",
        name: "Demo",
        timeZone: "Asia/Shanghai",
        weekStartsOn: 1,
        workingWeekdays: [1, 2, 3, 4, 5],
        holidays: [],
        makeupWorkdays: [],
        language: "zh-CN",
        settings: {
          kpiOverrides: {},
          tiers: [{ id: "base", percent: 60 }],
          scoreWeights: { result: 70, process: 30 },
          colourBands: { red: 0.5, yellow: 1 },
          leaderboardPrivacy: "neighbours",
          keyCustomerSilenceDays: 7,
          undoWindowMinutes: 15,
        },
      });
    if (url.pathname === "/v1/leaderboard")
      return json(200, { privacy: "neighbours", periodKey: "2026-11", rows: [{ userId: "u_rep1", name: "Wang Fang", rank: 1, completion: 0.62, isViewer: true }] });
    if (url.pathname === "/v1/alerts") return json(200, { alerts: [] });
    if (url.pathname === "/v1/tasks") return json(200, { tasks: [] });
    if (url.pathname === "/v1/key-customers")
      return json(200, { customers: [{ id: "k1", userId: "u_rep1", label: "ACME", lastResponseAt: null, createdAt: "2026-11-01T00:00:00.000Z", silentDays: null }] });
    if (url.pathname === "/v1/team/summary") return json(200, team);
    if (url.pathname === "/v1/teams") return json(200, { teams: [] });
    return json(404, { error: { code: "not_found", message: "No such route" } });
  }) as typeof fetch;
}

beforeEach(() => {
  fakeBrowser.reset();
  api = createFakeApi(SERVER);
  clock = Date.parse("2026-11-23T02:00:00.000Z");
  deleted = [];
  undoAllowed = true;
  extraDown = false;
  onCommand = undefined;
  onMenuClick = undefined;
  menuTitles = [];
  const menus: MenusApi = {
    removeAll: () => void menuTitles.splice(0),
    create: (item, callback) => {
      menuTitles.push(item.title);
      callback?.();
    },
    onClicked: { addListener: (listener) => (onMenuClick = listener) },
  };
  background = createBackground({
    fetch: fetchWithExtras(api.fetch as typeof fetch),
    now: () => clock,
    random: () => 0.5,
    locale: () => "en",
    t: spellKey,
    commands: { onCommand: { addListener: (listener) => (onCommand = listener) } },
    menus,
  });
});

async function send<T extends keyof ResponseMap>(message: { type: T } & Record<string, unknown>, sender = popupSender) {
  return (await background.handleMessage(message, sender)) as Reply<ResponseMap[T]>;
}

async function ok<T extends keyof ResponseMap>(message: { type: T } & Record<string, unknown>): Promise<ResponseMap[T]> {
  const reply = await send(message);
  if (!reply.ok) throw new Error(`${reply.error.kind}/${reply.error.code}: ${reply.error.message}`);
  return reply.data;
}

const pair = () => ok({ type: "pair", serverUrl: SERVER, code: "ABCD2345" });
const touchCount = (state: ResponseMap["getState"]) => state.today!.kpis.find((k) => k.kind === "touch")!.count;

describe("undo", () => {
  test("a queued event just leaves the outbox: nothing is ever sent", async () => {
    await pair();
    api.state.down = true;
    const { event } = await ok({ type: "logActivity", kind: "touch", source: "popup" });
    expect((await ok({ type: "getState" })).recent.map((e) => [e.clientEventId, e.status])).toEqual([[event.clientEventId, "queued"]]);

    const { outcome, state } = await ok({ type: "undoActivity", clientEventId: event.clientEventId });
    expect(outcome).toBe("unqueued");
    expect(state.pendingCount).toBe(0);
    expect(state.recent).toEqual([]);
    expect(touchCount(state)).toBe(2);
    expect(await storage.getItem(`local:outbox:${event.clientEventId}`)).toBeNull();

    api.state.down = false;
    await ok({ type: "sync" });
    expect(api.activities.stored.has(event.clientEventId)).toBe(false);
  });

  test("a sent event is deleted on the server, marked undone in the log, and no longer counted", async () => {
    await pair();
    const { event } = await ok({ type: "logActivity", kind: "touch", source: "popup" });
    await ok({ type: "sync" });
    const before = await ok({ type: "getState" });
    expect(before.recent[0]).toMatchObject({ clientEventId: event.clientEventId, status: "sent" });
    expect(touchCount(before)).toBe(3);

    // The fake's progress does not know about deletes; what the background shows must not count the undone event.
    api.state.progress.today.kpis[0]!.count = 2;
    clock += 1_000;
    const { outcome, state } = await ok({ type: "undoActivity", clientEventId: event.clientEventId });
    expect(outcome).toBe("deleted");
    expect(deleted).toEqual([event.clientEventId]);
    expect(state.recent).toEqual([]);
    expect(touchCount(state)).toBe(2);
    expect((await sentLogItem.getValue())[0]).toMatchObject({ clientEventId: event.clientEventId, undoneAt: clock });
    expect((await ok({ type: "sentLog" }))[0]).toMatchObject({ clientEventId: event.clientEventId, status: "undone" });
  });

  test("after the window the server says conflict and nothing changes here", async () => {
    await pair();
    const { event } = await ok({ type: "logActivity", kind: "touch", source: "popup" });
    await ok({ type: "sync" });
    undoAllowed = false;
    expect(await send({ type: "undoActivity", clientEventId: event.clientEventId })).toMatchObject({
      ok: false,
      error: { kind: "http", code: "conflict" },
    });
    expect((await sentLogItem.getValue())[0]!.undoneAt).toBeUndefined();
    expect((await ok({ type: "getState" })).recent).toHaveLength(1);
  });

  test("an undo waits for a running flush, so an event is never both sent and dropped", async () => {
    await pair();
    const { event } = await ok({ type: "logActivity", kind: "touch", source: "popup" });
    const flushing = background.sync("manual"); // sends the event
    const { outcome } = await ok({ type: "undoActivity", clientEventId: event.clientEventId });
    await flushing;
    // The flush had it: the undo went to the server instead of silently dropping a sent event.
    expect(outcome).toBe("deleted");
    expect(deleted).toEqual([event.clientEventId]);
  });
});

describe("insights", () => {
  test("cached first, refreshed on request; a failing refresh keeps what was there and says so", async () => {
    await pair();
    expect(await ok({ type: "insights", refresh: false })).toBeNull();
    const fresh = await ok({ type: "insights", refresh: true });
    expect(fresh).toMatchObject({
      userId: PAIRED.user.id,
      fetchedAt: clock,
      undoWindowMinutes: 15,
      keyCustomers: ["ACME"],
      team: null, // a rep
      error: null,
    });
    expect(fresh!.leaderboard?.privacy).toBe("neighbours");
    expect(await ok({ type: "insights", refresh: false })).toEqual(fresh);

    extraDown = true;
    clock += 60_000;
    const failed = await ok({ type: "insights", refresh: true });
    expect(failed).toMatchObject({ undoWindowMinutes: 15, keyCustomers: ["ACME"], error: { kind: "network" } });
  });

  test("leaders also get the team summary", async () => {
    api.state.codes.add("MGRC2345");
    const original = PAIRED.user.role;
    PAIRED.user.role = "manager";
    try {
      await ok({ type: "pair", serverUrl: SERVER, code: "MGRC2345" });
      expect((await ok({ type: "insights", refresh: true }))!.team).toEqual({ summary: team, teams: [] });
    } finally {
      PAIRED.user.role = original;
    }
  });

  test("a cache of another user is not shown", async () => {
    await pair();
    await insightsItem.setValue({
      userId: "u_someone_else",
      fetchedAt: 1,
      undoWindowMinutes: 10,
      leaderboard: null,
      alerts: [],
      tasks: [],
      keyCustomers: ["Secret Corp"],
      team: null,
      error: null,
    });
    expect(await ok({ type: "insights", refresh: false })).toBeNull();
  });
});

describe("customer labels and privacy", () => {
  test("labels are kept and suggested, unless the privacy mode says never", async () => {
    await pair();
    await ok({ type: "logActivity", kind: "touch", source: "popup", customer: "ACME" });
    clock += 1_000;
    await ok({ type: "logActivity", kind: "proposal_sent", source: "overlay", customer: "Globex" });
    expect((await ok({ type: "getState" })).labels).toEqual(["Globex", "ACME"]);

    await preferencesItem.setValue({ language: "auto", customerLabels: "never" });
    clock += 1_000;
    const { event } = await ok({ type: "logActivity", kind: "touch", source: "overlay", customer: "Initech" });
    const sent = await ok({ type: "sentLog" });
    const stored = sent.find((e) => e.clientEventId === event.clientEventId) ?? (await storage.getItem(`local:outbox:${event.clientEventId}`));
    expect(stored).not.toHaveProperty("customer");
    expect((await ok({ type: "getState" })).labels).toEqual([]);
  });

  test("the sent log lists queued, stored and refused events with what was sent", async () => {
    await pair();
    const a = await ok({ type: "logActivity", kind: "won", source: "popup", amount: 1_250_050, customer: "ACME" });
    await ok({ type: "sync" });
    clock += 1_000;
    api.state.down = true;
    const b = await ok({ type: "logActivity", kind: "touch", source: "popup" });
    const log = await ok({ type: "sentLog" });
    expect(log.map((e) => [e.clientEventId, e.kind, e.status, e.source, e.customer, e.amount])).toEqual([
      [b.event.clientEventId, "touch", "queued", "popup", undefined, undefined],
      [a.event.clientEventId, "won", "created", "popup", "ACME", 1_250_050],
    ]);
  });
});

describe("shortcut and context menu", () => {
  test("the shortcut logs a touch with source shortcut and flashes +1 on the badge", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    try {
      await pair();
      background.start();
      api.state.down = true;
      onCommand!("log-touch");
      await vi.waitFor(async () => expect((await ok({ type: "getState" })).pendingCount).toBe(1));
      const [queued] = (await ok({ type: "getState" })).recent;
      expect(queued).toMatchObject({ kind: "touch", source: "shortcut", status: "queued" });
      await vi.waitFor(async () => expect(await fakeBrowser.action.getBadgeText({})).toBe("+1"));
      clock += FLASH_MS;
      await vi.advanceTimersByTimeAsync(FLASH_MS);
      await vi.waitFor(async () => expect(await fakeBrowser.action.getBadgeText({})).toBe("62•"));
    } finally {
      vi.useRealTimers();
    }
  });

  test("a menu click logs its kind with source context_menu; the selection never reaches the event", async () => {
    await pair();
    background.start();
    api.state.down = true;
    onMenuClick!({ menuItemId: "log-as:proposal_sent", selectionText: "jane@acme.example" } as never);
    await vi.waitFor(async () => expect((await ok({ type: "getState" })).pendingCount).toBe(1));
    const all = await storage.snapshot("local");
    const event = Object.entries(all).find(([key]) => key.startsWith("outbox:"))![1];
    expect(event).toMatchObject({ kind: "proposal_sent", source: "context_menu" });
    expect(JSON.stringify(event)).not.toContain("acme");
  });

  test("Won from the menu opens the popup's amount form instead of logging a deal without an amount", async () => {
    await pair();
    const openPopup = vi.fn(async () => undefined);
    fakeBrowser.action.openPopup = openPopup as never;
    background.start();
    onMenuClick!({ menuItemId: "log-as:won" });
    await vi.waitFor(() => expect(openPopup).toHaveBeenCalled());
    expect(await popupIntentItem.getValue()).toEqual({ kind: "won", at: clock, source: "context_menu" });
    expect((await ok({ type: "getState" })).pendingCount).toBe(0);
  });

  test("menus are built on install and rebuilt in the new language, not on every service-worker start", async () => {
    // Stands in for chrome.i18n (not part of the fake browser); fakeBrowser.reset() does not undo it, the next test's
    // messages do not depend on it.
    fakeBrowser.i18n.getMessage = ((key: string) => `en:${key}`) as never;
    fakeBrowser.i18n.getUILanguage = () => "en";
    background.start();
    await new Promise((r) => setTimeout(r, 20));
    expect(menuTitles).toEqual([]);
    await fakeBrowser.runtime.onInstalled.trigger({ reason: "install", temporary: false } as never);
    await vi.waitFor(() => expect(menuTitles).toHaveLength(9));
    expect(menuTitles.slice(0, 2)).toEqual(["en:menu_logAs", "en:menuKind_touch"]);
  });

  test("not paired: a shortcut opens the options page", async () => {
    const openOptionsPage = vi.fn(async () => undefined);
    fakeBrowser.runtime.openOptionsPage = openOptionsPage as never;
    background.start();
    onCommand!("log-touch");
    await vi.waitFor(() => expect(openOptionsPage).toHaveBeenCalled());
  });
});

test("the 30 s alarm rewrites the badge tooltip, so its freshness stays true", async () => {
  await pair();
  expect(await fakeBrowser.action.getTitle({})).toContain("badge.updated(now)");
  clock += 40_000;
  await background.sync("alarm"); // what the alarm listener runs
  expect(await fakeBrowser.action.getTitle({})).toContain("badge.updated(40 seconds ago)");
});

test("getMessages: content scripts may ask for a language's messages", async () => {
  const getURL = fakeBrowser.runtime.getURL;
  fakeBrowser.runtime.getURL = ((path: string) => `${SERVER}/ext${path}`) as never;
  onTestFinished(() => void (fakeBrowser.runtime.getURL = getURL));
  const local = createBackground({
    fetch: (async (input: RequestInfo | URL) =>
      String(input) === `${SERVER}/ext/_locales/zh_CN/messages.json`
        ? json(200, { popup_today: { message: "今天" } })
        : json(404, {})) as typeof fetch,
    now: () => clock,
    t: spellKey,
    locale: () => "en",
    commands: null,
    menus: null,
  });
  expect(await local.handleMessage({ type: "getMessages", language: "zh-CN" }, pageSender)).toEqual({
    ok: true,
    data: { popup_today: { message: "今天" } },
  });
});
