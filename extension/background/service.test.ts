import { beforeEach, describe, expect, test, vi } from "vitest";
import { fakeBrowser } from "wxt/testing";
import { storage } from "#imports";
import { createBackground, SYNC_ALARM, SYNC_PERIOD_MINUTES } from "./service";
import { createFakeApi, PAIRED } from "../test-support/fake-api";
import { progressItem, settingsItem } from "../storage";
import { formatBadge, spellKey } from "../features/badge";
import type { ExtensionState, Reply, ResponseMap } from "../messages";

const SERVER = "http://127.0.0.1:8787";
const popupSender = { id: "test-extension-id", url: "chrome-extension://test-extension-id/popup.html" };
const pageSender = { id: "test-extension-id", url: "https://crm.example.com/deal/1", tab: { id: 3 } as never };

let api: ReturnType<typeof createFakeApi>;
let clock: number;
let background: ReturnType<typeof createBackground>;

beforeEach(() => {
  fakeBrowser.reset();
  api = createFakeApi(SERVER);
  clock = Date.parse("2026-11-23T02:00:00.000Z"); // 10:00 in Shanghai, the fixture's day
  background = createBackground({
    fetch: api.fetch as typeof fetch,
    now: () => clock,
    random: () => 0.5,
    locale: () => "en",
    t: spellKey,
    commands: null,
    menus: null,
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

async function pair(): Promise<ExtensionState> {
  return ok({ type: "pair", serverUrl: `${SERVER}/`, code: "abcd-2345" });
}

const touch = (state: ExtensionState) => state.today!.kpis.find((k) => k.kind === "touch")!;

describe("message validation", () => {
  test.each([
    ["not an object", "hello"],
    ["unknown type", { type: "deleteEverything" }],
    ["extra field", { type: "getState", token: "x" }],
    ["unknown kind", { type: "logActivity", kind: "nap", source: "popup" }],
    ["bad client id", { type: "logActivity", kind: "touch", source: "popup", clientEventId: "1" }],
  ])("refuses %s", async (_name, message) => {
    const reply = await background.handleMessage(message, popupSender);
    expect(reply).toMatchObject({ ok: false, error: { kind: "invalid_input", code: "invalid_message" } });
  });

  test("refuses other extensions", async () => {
    const reply = await background.handleMessage({ type: "getState" }, { id: "someone-else" });
    expect(reply).toMatchObject({ ok: false, error: { code: "unknown_sender" } });
  });

  test("content scripts may log and read, not pair or unpair", async () => {
    expect(await send({ type: "pair", serverUrl: SERVER, code: "ABCD2345" }, pageSender)).toMatchObject({
      ok: false,
      error: { code: "forbidden" },
    });
    expect(await send({ type: "getState" }, pageSender)).toMatchObject({ ok: true });
    expect(api.state.calls).toEqual([]);
  });
});

describe("pairing", () => {
  test("stores token, user and org, fetches progress and sets the badge", async () => {
    const state = await pair();
    expect(state).toMatchObject({ paired: true, serverUrl: SERVER, user: PAIRED.user, org: PAIRED.org, pendingCount: 0 });
    expect(state.progress?.data).toEqual(api.state.progress);
    expect(await settingsItem.getValue()).toMatchObject({ token: PAIRED.token, serverUrl: SERVER });
    expect(api.state.calls.map((c) => `${c.method} ${c.path}`)).toEqual(["POST /v1/pair", "GET /v1/progress"]);
    expect(api.state.calls[0]!.body).toEqual({ code: "ABCD2345" });
    expect(api.state.calls[1]!.auth).toBe(`Bearer ${PAIRED.token}`);
    expect(await fakeBrowser.action.getBadgeText({})).toBe(formatBadge(api.state.progress, 0).text);
    expect(await fakeBrowser.action.getBadgeText({})).toBe("62%");
  });

  test.each([
    ["not a URL", "localhost", "invalid_input", "invalid_server_url"],
    ["a query", `${SERVER}/?x=1`, "invalid_input", "invalid_server_url"],
  ])("refuses a server address with %s before any request", async (_name, serverUrl, kind, code) => {
    expect(await send({ type: "pair", serverUrl, code: "ABCD2345" })).toMatchObject({ ok: false, error: { kind, code } });
    expect(api.state.calls).toEqual([]);
  });

  test("refuses a malformed code before any request", async () => {
    expect(await send({ type: "pair", serverUrl: SERVER, code: "ABC" })).toMatchObject({
      ok: false,
      error: { kind: "invalid_input", code: "invalid_pairing_code" },
    });
    expect(api.state.calls).toEqual([]);
  });

  test("a wrong, expired or reused code changes nothing", async () => {
    await pair();
    await ok({ type: "unpair" });
    const reply = await send({ type: "pair", serverUrl: SERVER, code: "ABCD2345" }); // already used
    expect(reply).toMatchObject({ ok: false, error: { kind: "http", code: "pairing_code_invalid" } });
    expect(await settingsItem.getValue()).toMatchObject({ token: null, user: null });
  });

  test("an unreachable server is a network error", async () => {
    const reply = await send({ type: "pair", serverUrl: "http://127.0.0.1:1", code: "ABCD2345" });
    expect(reply).toMatchObject({ ok: false, error: { kind: "network" } });
  });

  test("unpair revokes and forgets the token and the cache, keeps the server address", async () => {
    await pair();
    const state = await ok({ type: "unpair" });
    expect(api.state.calls.at(-1)).toMatchObject({ method: "DELETE", path: `/v1/tokens/${PAIRED.tokenId}`, auth: `Bearer ${PAIRED.token}` });
    expect(state).toMatchObject({ paired: false, serverUrl: SERVER, user: null, progress: null, today: null });
    expect(await progressItem.getValue()).toBeNull();
    expect(await fakeBrowser.action.getBadgeText({})).toBe("");
  });

  test("unpair works offline (the token is forgotten locally)", async () => {
    await pair();
    api.state.down = true;
    expect(await ok({ type: "unpair" })).toMatchObject({ paired: false });
    expect(await settingsItem.getValue()).toMatchObject({ token: null });
  });
});

describe("logging", () => {
  test("needs a pairing", async () => {
    expect(await send({ type: "logActivity", kind: "touch", source: "popup" })).toMatchObject({
      ok: false,
      error: { kind: "not_paired" },
    });
  });

  test("the event is stored before the reply, shown at once, then synced exactly once", async () => {
    await pair();
    api.state.down = true; // the flush right after the click fails; the event must stay
    const clientEventId = crypto.randomUUID();
    const { event, state } = await ok({ type: "logActivity", kind: "touch", source: "popup", clientEventId });
    expect(event.clientEventId).toBe(clientEventId);
    expect(await storage.getItem(`local:outbox:${clientEventId}`)).toMatchObject({ kind: "touch", userId: PAIRED.user.id });
    expect(touch(state)).toEqual({ kind: "touch", count: 3, minimum: 6, pending: 1 });
    expect(state.today!.eventIds).toContain(clientEventId);
    expect(await fakeBrowser.action.getBadgeText({})).toBe("62•");

    await background.sync("click");
    expect((await ok({ type: "getState" })).sync.error).toMatchObject({ kind: "network" });

    // Resending the same message (e.g. the popup retried) is still one event.
    await ok({ type: "logActivity", kind: "touch", source: "popup", clientEventId });
    expect((await ok({ type: "getState" })).pendingCount).toBe(1);

    api.state.down = false;
    const synced = await ok({ type: "sync" });
    expect(synced.pendingCount).toBe(0);
    expect(synced.sync.error).toBeNull();
    expect(touch(synced)).toEqual({ kind: "touch", count: 3, minimum: 6, pending: 0 });
    expect([...api.activities.sendCounts().values()]).toEqual([1]);
    expect(await fakeBrowser.action.getBadgeText({})).toBe("62%");
  });

  test("the count never dips between delivery and the progress refresh", async () => {
    await pair();
    const fetchSpy = vi.fn(api.fetch);
    let stateDuringRefresh: ExtensionState | undefined;
    const slow = createBackground({
      fetch: (async (input: RequestInfo | URL, init?: RequestInit) => {
        if (String(input).endsWith("/v1/progress")) stateDuringRefresh = await slow.state();
        return fetchSpy(input, init);
      }) as typeof fetch,
      now: () => clock,
      locale: () => "en",
      t: spellKey,
    });
    await slow.handleMessage({ type: "logActivity", kind: "touch", source: "popup" }, popupSender);
    await slow.sync("manual");
    expect(stateDuringRefresh!.pendingCount).toBe(0);
    expect(touch(stateDuringRefresh!).count).toBe(3);
    expect(touch(await slow.state()).count).toBe(3);
  });
});

describe("background wiring", () => {
  test("creates the 30 s alarm once and syncs when it fires", async () => {
    await background.ensureAlarm();
    await background.ensureAlarm();
    expect(await fakeBrowser.alarms.getAll()).toEqual([
      expect.objectContaining({ name: SYNC_ALARM, periodInMinutes: SYNC_PERIOD_MINUTES }),
    ]);

    await pair();
    background.start();
    api.state.down = true;
    await ok({ type: "logActivity", kind: "touch", source: "popup" });
    await vi.waitFor(async () => expect((await ok({ type: "getState" })).sync.error).not.toBeNull());
    api.state.down = false;
    clock += 10 * 60_000; // past the back-off
    await fakeBrowser.alarms.onAlarm.trigger({ name: SYNC_ALARM, scheduledTime: clock, periodInMinutes: 0.5 });
    await vi.waitFor(async () => expect((await ok({ type: "getState" })).pendingCount).toBe(0));
  });

  test("answers through runtime messaging", async () => {
    background.start();
    const reply = await fakeBrowser.runtime.sendMessage({ type: "getState" });
    // The fake passes an empty sender, which the background refuses like any unknown sender.
    expect(reply).toMatchObject({ ok: false, error: { code: "unknown_sender" } });
  });

  test("the badge tooltip says what is waiting and how fresh the numbers are", async () => {
    await pair();
    clock += 12_000;
    api.state.down = true;
    await ok({ type: "logActivity", kind: "touch", source: "popup" });
    const title = await fakeBrowser.action.getTitle({});
    expect(title).toContain("badge.updated(12 seconds ago)");
    expect(title).toContain("badge.pending(1)#1");
  });
});
