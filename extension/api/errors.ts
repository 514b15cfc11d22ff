import { ERROR_CODES, type ErrorCode } from "../../shared/errors";

/**
 * Typed failures of an API call (in the spirit of ky), so callers decide "retry later" vs "give up"
 * without parsing messages:
 * - `NetworkError`: no HTTP answer at all (server down, offline, DNS, CORS, timeout).
 * - `HTTPError`: the server answered non-2xx; `code` comes from the JSON envelope `{ error: { code, message, details } }`.
 * - `SchemaError`: a request body that fails the route's schema (caught before sending) or a 2xx response
 *   that does not match the contract (client and server out of step).
 */
export class NetworkError extends Error {
  override readonly name = "NetworkError";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

export class HTTPError extends Error {
  override readonly name = "HTTPError";
  constructor(
    readonly status: number,
    /** One of shared/errors.ts ERROR_CODES when the server sent the envelope; `http_<status>` otherwise. */
    readonly code: ErrorCode | `http_${number}`,
    message: string,
    readonly details?: unknown,
    /** From `Retry-After` (429, 503): how long the server asked us to wait before the next request. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

/**
 * `Retry-After` as milliseconds from `now`: delta-seconds or an HTTP date (RFC 9110 §10.2.3). Absent or unreadable →
 * undefined; capped at an hour so a misconfigured proxy cannot park the outbox for days.
 */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null || value.trim() === "") return undefined;
  const text = value.trim();
  // An HTTP date names its weekday and month in letters; anything else that is not plain digits is unreadable.
  const ms = /^\d+$/.test(text) ? Number(text) * 1000 : /[a-z]{3}/i.test(text) ? Date.parse(text) - now : NaN;
  if (!Number.isFinite(ms)) return undefined;
  return Math.min(Math.max(0, ms), 60 * 60 * 1000);
}

export class SchemaError extends Error {
  override readonly name = "SchemaError";
  constructor(
    readonly direction: "request" | "response",
    message: string,
    readonly issues: unknown,
  ) {
    super(message);
  }
}

export type ApiError = NetworkError | HTTPError | SchemaError;

export function isApiError(error: unknown): error is ApiError {
  return error instanceof NetworkError || error instanceof HTTPError || error instanceof SchemaError;
}

export function isKnownErrorCode(code: string): code is ErrorCode {
  return Object.hasOwn(ERROR_CODES, code);
}

/**
 * Worth trying again later with the same request: nothing answered, the server failed, or it asked
 * us to slow down. A 2xx we could not understand is retried too (a deploy may be rolling out);
 * everything else is a 4xx that will fail the same way again.
 */
export function isRetryable(error: unknown): boolean {
  if (error instanceof NetworkError) return true;
  if (error instanceof HTTPError) return error.status >= 500 || error.status === 429 || error.status === 408;
  if (error instanceof SchemaError) return error.direction === "response";
  return false;
}
