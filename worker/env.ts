import type { AuthContext } from "./auth/context";

export interface Env {
  DB: D1Database;
  /** Comma-separated origins allowed by CORS (the extension's chrome-extension:// origin). */
  ALLOWED_ORIGINS: string;
  /** "1" lets the X-Debug-Now header set the request's clock (tests, demos). */
  ALLOW_TIME_TRAVEL?: string;
  /** Per-token rate limiter (wrangler.toml [[ratelimits]]). */
  TOKEN_LIMITER?: RateLimit;
}

export interface Vars {
  /** The request's clock, epoch ms. Handlers never call Date.now() themselves. */
  now: number;
  auth: AuthContext;
  /** SHA-256 of the caller's bearer token. */
  tokenHash: string;
}

export type AppEnv = { Bindings: Env; Variables: Vars };
