import type { Context } from "hono";
import type { z } from "zod";
import { ApiError, zodDetails } from "./errors";

/** application/json, or a +json type (application/merge-patch+json), with parameters. */
const JSON_MEDIA_TYPE = /^application\/([\w.-]+\+)?json$/;

/**
 * Parses the JSON body against a schema. The body must be declared JSON (Content-Type) and be UTF-8: a body sent as
 * text/plain or form data, or with bytes that are not UTF-8, is refused rather than guessed at (lenient decoding would
 * store U+FFFD in place of what the client meant). Malformed JSON and schema failures are 400s with details.
 */
export async function readBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.output<S>> {
  const mime = (c.req.header("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (!JSON_MEDIA_TYPE.test(mime)) throw new ApiError("bad_request", "Content-Type must be application/json");
  const bytes = await c.req.arrayBuffer();
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new ApiError("bad_request", "Body must be UTF-8");
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new ApiError("bad_request", "Body must be valid JSON");
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new ApiError("validation_failed", "Request body is invalid", zodDetails(parsed.error));
  return parsed.data;
}

/**
 * Parses the query string against a schema. Parameters become own properties (so `__proto__` is just an unknown
 * parameter), and a parameter given twice is refused: which of the two was meant is not ours to guess.
 */
export function readQuery<S extends z.ZodType>(c: Context, schema: S): z.output<S> {
  const query: Record<string, string> = {};
  for (const [key, value] of new URL(c.req.url).searchParams) {
    if (Object.hasOwn(query, key))
      throw new ApiError("validation_failed", "Query is invalid", [{ path: key, message: "given more than once" }]);
    Object.defineProperty(query, key, { value, enumerable: true, writable: true, configurable: true });
  }
  const parsed = schema.safeParse(query);
  if (!parsed.success) throw new ApiError("validation_failed", "Query is invalid", zodDetails(parsed.error));
  return parsed.data;
}
