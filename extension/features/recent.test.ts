import { expect, test } from "vitest";
import { recentEvents, recentLabels, sentLogEntries, type QueuedLike } from "./recent";
import type { SentEvent } from "../storage";

const ME = "u_me";
const at = (minute: number) => `2026-11-23T02:${String(minute).padStart(2, "0")}:00.000Z`;
const queued = (id: string, minute: number, extra: Partial<QueuedLike> = {}): QueuedLike => ({
  clientEventId: id,
  kind: "touch",
  occurredAt: at(minute),
  source: "popup",
  userId: ME,
  createdAt: Date.parse(at(minute)),
  ...extra,
});
const sent = (id: string, minute: number, extra: Partial<SentEvent> = {}): SentEvent => ({
  clientEventId: id,
  userId: ME,
  kind: "proposal_sent",
  occurredAt: at(minute),
  source: "shortcut",
  status: "created",
  deliveredAt: Date.parse(at(minute)) + 500,
  ...extra,
});

test("recent events: newest first, queued and sent, without undone ones or other users'", () => {
  const events = recentEvents(
    [queued("q1", 5), queued("q2", 9, { customer: "ACME" }), queued("other", 10, { userId: "u_other" })],
    [sent("s1", 7), sent("s2", 8, { undoneAt: 1 }), sent("s3", 1, { userId: "u_other" }), sent("q1", 5)],
    ME,
  );
  expect(events.map((e) => [e.clientEventId, e.status])).toEqual([
    ["q2", "queued"],
    ["s1", "sent"],
    ["q1", "queued"], // queued wins over a sent-log copy (killed between log and delete)
  ]);
  expect(events[0]).toMatchObject({ customer: "ACME", deliveredAt: null });
  expect(events[1]).toMatchObject({ kind: "proposal_sent", source: "shortcut", deliveredAt: Date.parse(at(7)) + 500 });
});

test("recent events are capped", () => {
  const many = Array.from({ length: 20 }, (_, i) => queued(`q${i}`, i));
  expect(recentEvents(many, [], ME, 3).map((e) => e.clientEventId)).toEqual(["q19", "q18", "q17"]);
});

test("labels: newest first, each once whatever its case, only the user's own", () => {
  expect(
    recentLabels(
      [queued("a", 9, { customer: "acme" }), queued("b", 3, { customer: "Initech" }), queued("c", 8, { customer: "Secret", userId: "u_other" })],
      [sent("d", 7, { customer: "Globex" }), sent("e", 6, { customer: "ACME" }), sent("f", 5)],
      ME,
    ),
  ).toEqual(["acme", "Globex", "Initech"]);
});

test("the sent log: queued, stored, duplicate, undone and refused, newest first, with what was sent", () => {
  const log = sentLogEntries(
    [queued("q", 9)],
    [sent("s", 8, { customer: "ACME" }), sent("d", 7, { status: "duplicate" }), sent("u", 6, { undoneAt: 42 }), sent("x", 5, { userId: "u_other" })],
    [{ event: queued("r", 4, { kind: "won", amount: 1_250_050 }), failedAt: 99 }],
    ME,
  );
  expect(log.map((e) => [e.clientEventId, e.status, e.at])).toEqual([
    ["q", "queued", null],
    ["s", "created", Date.parse(at(8)) + 500],
    ["d", "duplicate", Date.parse(at(7)) + 500],
    ["u", "undone", 42],
    ["r", "refused", 99],
  ]);
  expect(log[1]).toMatchObject({ kind: "proposal_sent", source: "shortcut", customer: "ACME" });
  expect(log[4]).toMatchObject({ kind: "won", amount: 1_250_050 });
});
