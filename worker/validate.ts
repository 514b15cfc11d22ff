import type { Context } from "hono";
import type { z } from "zod";
import { ApiError, zodDetails } from "./errors";

/** Parses the JSON body against a schema; malformed JSON and schema failures are 400s with details. */
export async function readBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.output<S>> {
  let raw: unknown;
  try {
    raw = await c.req.json();
  } catch {
    throw new ApiError("bad_request", "Body must be valid JSON");
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new ApiError("validation_failed", "Request body is invalid", zodDetails(parsed.error));
  return parsed.data;
}

export function readQuery<S extends z.ZodType>(c: Context, schema: S): z.output<S> {
  const parsed = schema.safeParse(c.req.query());
  if (!parsed.success) throw new ApiError("validation_failed", "Query is invalid", zodDetails(parsed.error));
  return parsed.data;
}
