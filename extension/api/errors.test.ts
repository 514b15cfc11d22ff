import { expect, test } from "vitest";
import { HTTPError, NetworkError, SchemaError, isKnownErrorCode, isRetryable, parseRetryAfter } from "./errors";

test.each([
  [new NetworkError("x"), true],
  [new HTTPError(503, "http_503", "x"), true],
  [new HTTPError(429, "rate_limited", "x"), true],
  [new HTTPError(400, "validation_failed", "x"), false],
  [new HTTPError(401, "unauthorized", "x"), false],
  [new SchemaError("response", "x", []), true],
  [new SchemaError("request", "x", []), false],
  [new Error("x"), false],
])("isRetryable(%s) = %s", (error, expected) => {
  expect(isRetryable(error)).toBe(expected);
});

test.each([
  ["pairing_code_invalid", true],
  ["validation_failed", true],
  ["teapot", false],
  ["toString", false],
])("isKnownErrorCode(%s) = %s", (code, expected) => {
  expect(isKnownErrorCode(code)).toBe(expected);
});

const NOW = Date.parse("2026-11-23T08:00:00Z");
test.each<[string | null, number | undefined]>([
  [null, undefined],
  ["", undefined],
  ["10", 10_000],
  [" 0 ", 0],
  ["Mon, 23 Nov 2026 08:00:30 GMT", 30_000],
  ["Mon, 23 Nov 2026 07:59:00 GMT", 0], // a date already past: no wait
  ["86400", 3_600_000], // capped at an hour
  ["soon", undefined],
  ["-5", undefined],
])("parseRetryAfter(%j) = %j ms", (header, expected) => {
  expect(parseRetryAfter(header, NOW)).toBe(expected);
});
