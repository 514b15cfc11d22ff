import { expect, test } from "vitest";
import { localDay, serverClockOffset, todayKpis, type TodayInput } from "./today";
import { progressFixture } from "../test-support/progress";
import type { SentEvent } from "../storage";

const USER = "u_rep1";
const requestedAt = Date.parse("2026-11-23T02:00:00.000Z");
const now = Date.parse("2026-11-23T03:00:00.000Z"); // 11:00 in Shanghai

function input(overrides: Partial<TodayInput> = {}): TodayInput {
  return {
    progress: { data: progressFixture(), userId: USER, requestedAt, fetchedAt: requestedAt + 100 },
    pending: [],
    sent: [],
    userId: USER,
    timeZone: "Asia/Shanghai",
    now,
    ...overrides,
  };
}

function sent(kind: string, deliveredAt: number, occurredAt = "2026-11-23T01:00:00.000Z"): SentEvent {
  return { clientEventId: crypto.randomUUID(), userId: USER, kind, occurredAt, source: "popup", status: "created", deliveredAt };
}

const touch = (result: ReturnType<typeof todayKpis>) => result.kpis.find((k) => k.kind === "touch")!;

test("server counts plus pending events of today", () => {
  const result = todayKpis(
    input({
      pending: [
        { clientEventId: "e1", kind: "touch", occurredAt: "2026-11-23T02:30:00.000Z", userId: USER },
        { clientEventId: "e1", kind: "touch", occurredAt: "2026-11-23T02:31:00.000Z", userId: USER },
        { clientEventId: "e1", kind: "touch", occurredAt: "2026-11-22T15:59:00.000Z", userId: USER }, // 23:59 yesterday in Shanghai
        { clientEventId: "e1", kind: "touch", occurredAt: "2026-11-23T02:31:00.000Z", userId: "u_other" },
      ],
    }),
  );
  expect(result.day).toBe("2026-11-23");
  expect(result.stale).toBe(false);
  expect(touch(result)).toEqual({ kind: "touch", count: 4, minimum: 6, pending: 2 });
  expect(result.kpis.map((k) => k.kind)).toEqual(["touch", "needs_confirmed", "proposal_sent", "demo_or_visit"]);
});

test("acknowledged events count only until progress is refreshed after them", () => {
  const before = sent("touch", requestedAt - 1);
  const sameMs = sent("touch", requestedAt);
  const after = sent("touch", requestedAt + 50);
  const result = todayKpis(input({ sent: [before, sameMs, after] }));
  expect(touch(result).count).toBe(3);
  expect(result.eventIds).toEqual([after.clientEventId]);
});

test("yesterday's cache: server counts are dropped, minimums kept", () => {
  const result = todayKpis(
    input({
      progress: { data: progressFixture({}, { day: "2026-11-22" }), userId: USER, requestedAt, fetchedAt: requestedAt },
      pending: [{ clientEventId: "e1", kind: "touch", occurredAt: "2026-11-23T02:30:00.000Z", userId: USER }],
      sent: [sent("touch", requestedAt - 10)],
    }),
  );
  expect(result.stale).toBe(true);
  expect(touch(result)).toEqual({ kind: "touch", count: 2, minimum: 6, pending: 1 });
});

test("a cache of another user is ignored", () => {
  const result = todayKpis(input({ userId: "u_rep2" }));
  expect(result.stale).toBe(true);
  expect(touch(result)).toEqual({ kind: "touch", count: 0, minimum: null, pending: 0 });
});

test.each([
  ["2026-11-22T15:59:59.999Z", "Asia/Shanghai", "2026-11-22"],
  ["2026-11-22T16:00:00.000Z", "Asia/Shanghai", "2026-11-23"],
  ["2026-11-23T04:00:00.000Z", "America/New_York", "2026-11-22"],
  ["2026-11-23T00:00:00.000Z", "UTC", "2026-11-23"],
])("localDay(%s, %s) = %s", (iso, zone, day) => {
  expect(localDay(Date.parse(iso), zone)).toBe(day);
});

test("undone events: never added; taken off the server count until a refresh includes the undo", () => {
  const before = { ...sent("touch", requestedAt - 10), undoneAt: requestedAt + 20 }; // in the server count, undone since
  const after = { ...sent("touch", requestedAt + 5), undoneAt: requestedAt + 30 }; // never in the server count
  const undoneEarlier = { ...sent("touch", requestedAt - 50), undoneAt: requestedAt - 40 }; // the server already dropped it
  const result = todayKpis(input({ sent: [before, after, undoneEarlier] }));
  expect(touch(result).count).toBe(1); // fixture: 2 on the server, minus the one undone since
  expect(result.eventIds).toEqual([]);
});

test.each([
  // [server time, requestedAt, fetchedAt, offset]
  ["2026-11-23T02:00:00.050Z", requestedAt, requestedAt + 100, 0], // in step: the answer was made mid-round-trip
  ["2026-11-23T02:05:00.050Z", requestedAt, requestedAt + 100, 300_000], // server 5 min ahead
  ["2026-11-23T01:59:00.000Z", requestedAt, requestedAt, -60_000], // server 1 min behind
  ["not a time", requestedAt, requestedAt, 0],
])("serverClockOffset(%s, sent %i, back %i) = %i ms", (serverTime, req, back, offset) => {
  const data = { ...progressFixture(), serverTime };
  expect(serverClockOffset({ data, requestedAt: req, fetchedAt: back })).toBe(offset);
});

test("serverClockOffset without an answer is 0", () => {
  expect(serverClockOffset(null)).toBe(0);
});

test("clock skew: 'today' and a queued event's day follow the server's clock, as the server will date the event", () => {
  // The device's clock is a day and an hour behind (Shanghai: device 2026-11-22 10:00, server 2026-11-23 11:00).
  const skew = 25 * 3_600_000;
  const deviceNow = now - skew;
  const result = todayKpis(
    input({
      now: deviceNow,
      clockOffsetMs: skew,
      pending: [
        { clientEventId: "e1", kind: "touch", occurredAt: new Date(deviceNow - 60_000).toISOString(), userId: USER },
        { clientEventId: "e2", kind: "touch", occurredAt: new Date(deviceNow - 12 * 3_600_000).toISOString(), userId: USER }, // the server's yesterday
      ],
    }),
  );
  expect(result.day).toBe("2026-11-23");
  expect(result.stale).toBe(false);
  expect(touch(result)).toMatchObject({ count: 3, pending: 1 });
  // The same input without the offset would take the device's day: the server's counts look stale.
  const naive = todayKpis(input({ now: deviceNow, pending: [] }));
  expect(naive.day).toBe("2026-11-22");
  expect(naive.stale).toBe(true);
});
