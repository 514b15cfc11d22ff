import { expect } from "vitest";

/**
 * Polls `read` until it equals `expected` (JSON equality), then returns; otherwise fails with the last value read, as an
 * ordinary `toEqual` failure. For state that settles asynchronously (a flush, a re-render, a row in D1).
 */
export async function eventually<T>(read: () => Promise<T>, expected: T, timeoutMs = 20_000, intervalMs = 200, what?: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await read();
    if (JSON.stringify(last) === JSON.stringify(expected)) return;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  expect(last, what).toEqual(expected);
}
