import type { AuthContext } from "./auth/context";

export interface Env {
  DB: D1Database;
  /** Comma-separated origins allowed by CORS (the extension's chrome-extension:// origin). */
  ALLOWED_ORIGINS: string;
  /** "1" lets the X-Debug-Now header set the request's clock (tests, demos). */
  ALLOW_TIME_TRAVEL?: string;
  /** Cron fan-out: one message per org when there are more than CRON_INLINE_ORGS orgs (worker/cron/run.ts). */
  EVAL_QUEUE?: Queue<import("./cron/run").EvalMessage>;
  CRON_INLINE_ORGS?: string;
  /** Per-token rate limiter (wrangler.toml [[ratelimits]]). */
  TOKEN_LIMITER?: RateLimit;
  /**
   * Cloudflare's send_email binding (wrangler.toml [[send_email]] name = "SEND_EMAIL"), used by e-mail channels
   * whose transport is "send_email" (worker/notify/email.ts); channels with transport "api" POST to an HTTP e-mail API
   * instead and need no binding. Without it, saving a send_email channel is refused.
   */
  SEND_EMAIL?: SendEmail;
  /** "1" adds `Server-Timing: d1;…` (D1 round trips and statements of the request) to every answer. */
  SERVER_TIMING?: string;
}

export interface Vars {
  /** The request's clock, epoch ms. Handlers never call Date.now() themselves. */
  now: number;
  auth: AuthContext;
  /** SHA-256 of the caller's bearer token. */
  tokenHash: string;
}

export type AppEnv = { Bindings: Env; Variables: Vars };
