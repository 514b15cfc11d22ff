import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { z } from "zod";
import { ERROR_CODES, type ErrorBody, type ErrorCode } from "../shared/errors";

/** Every failure the API reports is an ApiError; app.onError turns it into the JSON envelope. */
export class ApiError extends HTTPException {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
    readonly headers?: Record<string, string>,
  ) {
    super(ERROR_CODES[code] as ContentfulStatusCode, { message });
  }
}

export function zodDetails(error: z.ZodError): { path: string; message: string }[] {
  return error.issues.map((issue) => ({ path: issue.path.join("."), message: issue.message }));
}

export function errorResponse(c: Context, err: Error): Response {
  let status: number;
  let body: ErrorBody;
  const headers: Record<string, string> = {};
  if (err instanceof ApiError) {
    status = err.status;
    body = { error: { code: err.code, message: err.message, ...(err.details === undefined ? {} : { details: err.details }) } };
    Object.assign(headers, err.headers);
  } else if (err instanceof HTTPException) {
    // Thrown by Hono middleware (e.g. body limit); keep its status, give it our shape.
    status = err.status;
    const code: ErrorCode = status === 413 ? "payload_too_large" : status === 401 ? "unauthorized" : "bad_request";
    body = { error: { code, message: err.message || code } };
  } else {
    console.error("unhandled error", err);
    status = 500;
    body = { error: { code: "internal", message: "Internal error" } };
  }
  return c.json(body, status as ContentfulStatusCode, headers);
}
