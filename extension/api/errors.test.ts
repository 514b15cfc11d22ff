import { expect, test } from "vitest";
import { HTTPError, NetworkError, SchemaError, isKnownErrorCode, isRetryable } from "./errors";

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
