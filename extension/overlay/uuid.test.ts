import { expect, test } from "vitest";
import { newEventId } from "./uuid";

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

test("uses randomUUID where the page is a secure context", () => {
  expect(newEventId({ getRandomValues: (a) => a, randomUUID: () => "from-randomUUID" })).toBe("from-randomUUID");
});

test("builds a v4 UUID from getRandomValues on plain-http pages", () => {
  const ids = new Set(Array.from({ length: 200 }, () => newEventId({ getRandomValues: (a) => crypto.getRandomValues(a) })));
  expect(ids.size).toBe(200);
  for (const id of ids) expect(id).toMatch(UUID_V4);
  // Extreme bytes still give the version and variant bits.
  expect(newEventId({ getRandomValues: <T extends ArrayBufferView | null>(a: T) => (new Uint8Array((a as unknown as Uint8Array).length).fill(255) as unknown as T) })).toMatch(UUID_V4);
  expect(newEventId({ getRandomValues: <T extends ArrayBufferView | null>(a: T) => a })).toMatch(UUID_V4);
});
