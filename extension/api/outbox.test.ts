import { beforeEach, describe, expect, test, vi } from "vitest";
import { fakeBrowser } from "wxt/testing";
import { storage } from "#imports";
import { BACKOFF_BASE_MS, BACKOFF_MAX_MS, Outbox, backoffDelay, outboxKey, type OutboxDeps } from "./outbox";
import { sentLogItem, syncStatusItem } from "../storage";
import { FakeActivityServer } from "../test-support/fake-server";
import { HTTPError } from "./errors";

const USER = "u_rep1";
let clock: number;
let server: FakeActivityServer;

function makeOutbox(overrides: Partial<OutboxDeps> = {}): Outbox {
  return new Outbox({
    send: server.send,
    currentUserId: async () => USER,
    now: () => clock,
    random: () => 0.5,
    ...overrides,
  });
}

async function storedOutboxIds(): Promise<string[]> {
  const all = await storage.snapshot("local");
  return Object.keys(all)
    .filter((key) => key.startsWith("outbox:"))
    .map((key) => key.slice("outbox:".length));
}

beforeEach(() => {
  fakeBrowser.reset();
  clock = Date.parse("2026-11-23T02:00:00.000Z");
  server = new FakeActivityServer();
});

describe("recording a click", () => {
  test("stores the event under its own key before anything is sent", async () => {
    const send = vi.fn(server.send);
    const outbox = makeOutbox({ send });
    const event = await outbox.add({ kind: "touch", source: "popup" }, USER);

    expect(send).not.toHaveBeenCalled();
    expect(await storage.getItem(outboxKey(event.clientEventId))).toEqual(event);
    expect(event).toMatchObject({ kind: "touch", source: "popup", userId: USER, occurredAt: "2026-11-23T02:00:00.000Z" });
    expect(event.clientEventId).toMatch(/^[0-9a-f-]{36}$/);
  });

  test("clicks recorded concurrently are all kept (no shared list to race on)", async () => {
    const outbox = makeOutbox();
    await Promise.all(Array.from({ length: 25 }, () => outbox.add({ kind: "touch", source: "popup" }, USER)));
    expect(await storedOutboxIds()).toHaveLength(25);
  });

  test("adding an id that is already queued keeps one event (a resent message is one click)", async () => {
    const outbox = makeOutbox();
    const clientEventId = crypto.randomUUID();
    const first = await outbox.add({ clientEventId, kind: "touch", source: "popup" }, USER);
    clock += 5;
    const again = await outbox.add({ clientEventId, kind: "touch", source: "popup" }, USER);
    expect(again).toEqual(first);
    expect(await storedOutboxIds()).toEqual([clientEventId]);
  });

  test("the event is still stored while the request is in flight", async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const outbox = makeOutbox({
      send: async (events, sentAt) => {
        expect(await storedOutboxIds()).toEqual(events.map((e) => e.clientEventId));
        await gate;
        return server.send(events, sentAt);
      },
    });
    await outbox.add({ kind: "touch", source: "popup" }, USER);
    const flushing = outbox.flush("click");
    release();
    await flushing;
    expect(await storedOutboxIds()).toEqual([]);
  });
});

describe("flushing", () => {
  test("sends batches of at most 500 with sentAt, oldest first", async () => {
    const outbox = makeOutbox();
    for (let i = 0; i < 1201; i++) {
      clock += 1;
      await outbox.add({ kind: "touch", source: "popup" }, USER);
    }
    const sentAts: string[] = [];
    const result = await makeOutbox({
      send: (events, sentAt) => {
        sentAts.push(sentAt);
        return server.send(events, sentAt);
      },
    }).flush("click");

    expect(server.requests.map((r) => r.length)).toEqual([500, 500, 201]);
    expect(sentAts.every((s) => s === new Date(clock).toISOString())).toBe(true);
    const occurred = server.requests.flat().map((e) => e.occurredAt);
    expect(occurred).toEqual([...occurred].sort());
    expect(result.delivered).toHaveLength(1201);
    expect(await storedOutboxIds()).toEqual([]);
  });

  test("removes only what the server acknowledged; created and duplicate both count", async () => {
    const outbox = makeOutbox();
    const a = await outbox.add({ kind: "touch", source: "popup" }, USER);
    clock += 1;
    const b = await outbox.add({ kind: "proposal_sent", source: "popup" }, USER);
    clock += 1;
    const c = await outbox.add({ kind: "demo_or_visit", source: "popup" }, USER);
    server.stored.set(b.clientEventId, { clientEventId: b.clientEventId, kind: "proposal_sent", occurredAt: b.occurredAt, source: "popup" });

    const partial = makeOutbox({
      send: async (events, sentAt) => {
        const answer = await server.send(events, sentAt);
        // The answer leaves out c: it is not known to be stored.
        return { ...answer, results: answer.results.filter((r) => r.clientEventId !== c.clientEventId) };
      },
    });
    const result = await partial.flush("click");

    expect(result.delivered.map((e) => [e.clientEventId, e.status])).toEqual([
      [a.clientEventId, "created"],
      [b.clientEventId, "duplicate"],
    ]);
    expect(await storedOutboxIds()).toEqual([c.clientEventId]);
    expect((await sentLogItem.getValue()).map((e) => e.clientEventId)).toEqual([a.clientEventId, b.clientEventId]);
  });

  test("a network failure keeps every event and backs off; an explicit trigger retries at once", async () => {
    const outbox = makeOutbox();
    await outbox.add({ kind: "touch", source: "popup" }, USER);
    await outbox.add({ kind: "touch", source: "popup" }, USER);
    server.down = true;

    const failed = await outbox.flush("click");
    expect(failed.error).toBeDefined();
    expect(await storedOutboxIds()).toHaveLength(2);
    const status = await syncStatusItem.getValue();
    expect(status.consecutiveFailures).toBe(1);
    expect(status.lastError).toMatchObject({ kind: "network" });
    expect(status.nextAttemptAt).toBe(clock + backoffDelay(1, 0.5));

    server.down = false;
    expect((await outbox.flush("alarm")).skipped).toBe("backoff");
    expect(server.stored.size).toBe(0);

    const retried = await outbox.flush("popup");
    expect(retried.delivered).toHaveLength(2);
    expect(await storedOutboxIds()).toEqual([]);
    expect(await syncStatusItem.getValue()).toMatchObject({ consecutiveFailures: 0, nextAttemptAt: 0, lastError: null });
  });

  test("an empty queue clears an earlier send failure (nothing is waiting for a retry any more)", async () => {
    const outbox = makeOutbox();
    const event = await outbox.add({ kind: "touch", source: "popup" }, USER);
    server.down = true;
    await outbox.flush("manual");
    expect((await syncStatusItem.getValue()).lastError).toMatchObject({ kind: "network" });
    await storage.removeItem(outboxKey(event.clientEventId)); // e.g. undone while offline
    expect((await outbox.flush("manual")).skipped).toBe("empty");
    expect(await syncStatusItem.getValue()).toMatchObject({ lastError: null, consecutiveFailures: 0, nextAttemptAt: 0 });
  });

  test("5xx backs off too, and the delay grows", async () => {
    const outbox = makeOutbox({ send: async () => Promise.reject(new HTTPError(503, "http_503", "Service Unavailable")) });
    await outbox.add({ kind: "touch", source: "popup" }, USER);
    await outbox.flush("click");
    await outbox.flush("manual");
    const status = await syncStatusItem.getValue();
    expect(status.consecutiveFailures).toBe(2);
    expect(status.nextAttemptAt - clock).toBe(backoffDelay(2, 0.5));
    expect(await storedOutboxIds()).toHaveLength(1);
  });

  test("a 429 waits as long as the server asked, explicit triggers too; success clears the hold", async () => {
    let limited = true;
    const outbox = makeOutbox({
      send: async (events, sentAt) => {
        if (limited) throw new HTTPError(429, "rate_limited", "Too many requests", undefined, 60_000);
        return server.send(events, sentAt);
      },
    });
    await outbox.add({ kind: "touch", source: "popup" }, USER);
    await outbox.flush("click");
    const status = await syncStatusItem.getValue();
    expect(status).toMatchObject({ holdUntil: clock + 60_000, nextAttemptAt: clock + 60_000, lastError: { kind: "http", code: "rate_limited" } });
    limited = false;
    clock += 59_999;
    expect((await outbox.flush("manual")).skipped).toBe("backoff");
    expect(await storedOutboxIds()).toHaveLength(1);
    clock += 1;
    expect((await outbox.flush("manual")).delivered).toHaveLength(1);
    expect(await syncStatusItem.getValue()).toMatchObject({ holdUntil: 0, nextAttemptAt: 0, lastError: null });
  });

  test("a 400 isolates the bad event into the dead-letter list and delivers the rest", async () => {
    const outbox = makeOutbox();
    const events = [];
    for (let i = 0; i < 5; i++) {
      clock += 1;
      events.push(await outbox.add({ kind: "touch", source: "popup" }, USER));
    }
    const bad = events[3]!;
    server.rejectIds.add(bad.clientEventId);

    const result = await outbox.flush("click");

    expect(result.deadLettered).toBe(1);
    expect(result.delivered.map((e) => e.clientEventId).sort()).toEqual(
      events.filter((e) => e !== bad).map((e) => e.clientEventId).sort(),
    );
    expect(await storedOutboxIds()).toEqual([]);
    const dead = await outbox.deadLetters();
    expect(dead.map((d) => d.event.clientEventId)).toEqual([bad.clientEventId]);
    expect(dead[0]!.error.code).toBe("validation_failed");
    expect(result.error).toBeUndefined();

    // Never retried on its own.
    const before = server.requests.length;
    expect((await outbox.flush("manual")).skipped).toBe("empty");
    expect(server.requests.length).toBe(before);
  });

  test("an event that fails the wire schema locally goes straight to the dead-letter list", async () => {
    const outbox = makeOutbox();
    await outbox.add({ kind: "touch", source: "popup", amount: 5 }, USER); // amount only on won
    const good = await outbox.add({ kind: "touch", source: "popup" }, USER);
    const result = await outbox.flush("click");
    expect(result.deadLettered).toBe(1);
    expect(server.requests).toEqual([[expect.objectContaining({ clientEventId: good.clientEventId })]]);
  });

  test("two overlapping flushes never send the same event twice, and a click during a flush is sent", async () => {
    const gates: Array<() => void> = [];
    const send = vi.fn(async (events: Parameters<typeof server.send>[0], sentAt: string) => {
      await new Promise<void>((resolve) => gates.push(resolve));
      return server.send(events, sentAt);
    });
    const outbox = makeOutbox({ send });
    await outbox.add({ kind: "touch", source: "popup" }, USER);
    await outbox.add({ kind: "touch", source: "popup" }, USER);

    const first = outbox.flush("click");
    const second = outbox.flush("alarm");
    const third = outbox.flush("popup");
    expect(third).toBe(second); // one follow-up, shared
    await vi.waitFor(() => expect(gates).toHaveLength(1));
    const late = await outbox.add({ kind: "touch", source: "popup" }, USER);
    gates[0]!();
    await first;
    await vi.waitFor(() => expect(gates).toHaveLength(2));
    gates[1]!();
    await second;

    expect(send).toHaveBeenCalledTimes(2);
    expect(send.mock.calls[1]![0].map((e) => e.clientEventId)).toEqual([late.clientEventId]);
    expect([...server.sendCounts().values()]).toEqual([1, 1, 1]);
    expect(await storedOutboxIds()).toEqual([]);
  });

  test("an answer lost after the server stored the batch is resent and acknowledged as duplicate, counted once", async () => {
    const killed = makeOutbox();
    await killed.add({ kind: "touch", source: "popup" }, USER);
    await killed.add({ kind: "needs_confirmed", source: "popup" }, USER);
    server.loseAnswers = true;
    await killed.flush("click");
    expect(server.stored.size).toBe(2);
    expect(await storedOutboxIds()).toHaveLength(2);

    // A fresh service worker (new Outbox instance, same storage) picks them up.
    server.loseAnswers = false;
    const restarted = makeOutbox();
    const result = await restarted.flush("startup");
    expect(result.skipped).toBe("backoff");
    const forced = await restarted.flush("online");
    expect(forced.delivered.map((e) => e.status)).toEqual(["duplicate", "duplicate"]);
    expect(server.stored.size).toBe(2);
    expect(await storedOutboxIds()).toEqual([]);
  });

  test("only the paired user's events are sent; nothing is sent when not paired", async () => {
    const outbox = makeOutbox();
    await outbox.add({ kind: "touch", source: "popup" }, "u_someone_else");
    const mine = await outbox.add({ kind: "touch", source: "popup" }, USER);
    await outbox.flush("click");
    expect(server.requests.flat().map((e) => e.clientEventId)).toEqual([mine.clientEventId]);
    expect(await storedOutboxIds()).toHaveLength(1);

    const unpaired = makeOutbox({ currentUserId: async () => null });
    expect((await unpaired.flush("manual")).skipped).toBe("not_paired");
  });

  test("the wire form carries no local fields", async () => {
    const outbox = makeOutbox();
    await outbox.add({ kind: "won", source: "popup", amount: 120000, customer: "ACME" }, USER);
    await outbox.flush("click");
    expect(Object.keys(server.requests[0]![0]!).sort()).toEqual(
      ["amount", "clientEventId", "customer", "kind", "occurredAt", "source"],
    );
  });
});

test.each([
  [1, 0, BACKOFF_BASE_MS / 2],
  [1, 1, BACKOFF_BASE_MS],
  [2, 1, BACKOFF_BASE_MS * 2],
  [5, 1, BACKOFF_BASE_MS * 16],
  [30, 1, BACKOFF_MAX_MS],
  [30, 0, BACKOFF_MAX_MS / 2],
])("backoffDelay(failures=%i, random=%f) = %i ms", (failures, random, expected) => {
  expect(backoffDelay(failures, random)).toBe(expected);
});
