import { createMiddleware } from "hono/factory";
import { db } from "../db/client";
import { findAuthByTokenHash, touchToken } from "../db/queries/auth";
import type { AppEnv } from "../env";
import { ApiError } from "../errors";
import type { AuthContext } from "./context";
import { sha256Hex } from "./crypto";

/**
 * Per-isolate cache of token → caller, for the hot paths only (POST /v1/activities,
 * GET /v1/progress). Those routes re-check the token inside their single db.batch
 * (see `tokenIsLiveStatement`), so a revoked token stops working at once everywhere;
 * the cache only saves the look-up round trip. Org settings seen through it may be up
 * to AUTH_CACHE_TTL_MS old.
 */
export const AUTH_CACHE_TTL_MS = 30_000;
const AUTH_CACHE_MAX = 2_000;
const authCache = new Map<string, { auth: AuthContext; expires: number }>();

export function evictAuth(tokenHash: string): void {
  authCache.delete(tokenHash);
}

/** Seconds a limited client should wait: the limiter's window. */
export const RATE_LIMIT_RETRY_AFTER_S = 10;

/**
 * Per-token rate limit before any D1 work. Keyed by the token's hash, so it also throttles
 * someone hammering with an invalid token.
 */
async function checkRateLimit(limiter: RateLimit | undefined, tokenHash: string): Promise<void> {
  if (!limiter) return;
  const { success } = await limiter.limit({ key: tokenHash });
  if (!success)
    throw new ApiError("rate_limited", "Too many requests for this device token; retry later", undefined, {
      "Retry-After": String(RATE_LIMIT_RETRY_AFTER_S),
    });
}

function bearer(header: string | undefined): string {
  const match = /^Bearer\s+(\S{16,256})$/i.exec(header ?? "");
  if (!match?.[1]) throw new ApiError("unauthorized", "Missing or malformed bearer token");
  return match[1];
}

async function lookUp(c: Parameters<Parameters<typeof createMiddleware<AppEnv>>[0]>[0], tokenHash: string): Promise<AuthContext> {
  const auth = await findAuthByTokenHash(db(c.env.DB), tokenHash);
  if (!auth) {
    evictAuth(tokenHash);
    throw new ApiError("unauthorized", "Unknown or revoked device token");
  }
  if (authCache.size >= AUTH_CACHE_MAX) authCache.delete(authCache.keys().next().value!);
  authCache.set(tokenHash, { auth, expires: c.var.now + AUTH_CACHE_TTL_MS });
  // Bookkeeping off the request path.
  c.executionCtx.waitUntil(touchToken(db(c.env.DB), auth.org.id, auth.tokenId, c.var.now).then(() => undefined, () => undefined));
  return auth;
}

/** Requires `Authorization: Bearer <device token>`, verified against D1, and puts the caller in c.var.auth. */
export const requireAuth = createMiddleware<AppEnv>(async (c, next) => {
  const tokenHash = await sha256Hex(bearer(c.req.header("authorization")));
  await checkRateLimit(c.env.TOKEN_LIMITER, tokenHash);
  c.set("tokenHash", tokenHash);
  c.set("auth", await lookUp(c, tokenHash));
  await next();
});

/**
 * Like requireAuth, but may answer from the per-isolate cache. Only for handlers that
 * include `tokenIsLiveStatement` in their one batch and call `assertTokenLive` on it.
 */
export const requireAuthBatched = createMiddleware<AppEnv>(async (c, next) => {
  const tokenHash = await sha256Hex(bearer(c.req.header("authorization")));
  await checkRateLimit(c.env.TOKEN_LIMITER, tokenHash);
  c.set("tokenHash", tokenHash);
  const hit = authCache.get(tokenHash);
  c.set("auth", hit && hit.expires > c.var.now ? hit.auth : await lookUp(c, tokenHash));
  await next();
});

export function assertTokenLive(rows: unknown[], tokenHash: string): void {
  if (rows.length === 0) {
    evictAuth(tokenHash);
    throw new ApiError("unauthorized", "Unknown or revoked device token");
  }
}
