// Types for `cloudflare:test` / `cloudflare:workers` in the worker tests (mirrors worker/env.ts).
declare namespace Cloudflare {
  interface GlobalProps {
    mainModule: typeof import("../index");
  }
  interface Env {
    DB: D1Database;
    ALLOWED_ORIGINS: string;
    ALLOW_TIME_TRAVEL?: string;
    TOKEN_LIMITER?: RateLimit;
    SEND_EMAIL?: SendEmail;
    SERVER_TIMING?: string;
    EVAL_QUEUE?: Queue<import("../cron/run").EvalMessage>;
    CRON_INLINE_ORGS?: string;
    STRICT_LIMITER: RateLimit;
    TEST_MIGRATIONS: import("@cloudflare/vitest-pool-workers").D1Migration[];
  }
}
