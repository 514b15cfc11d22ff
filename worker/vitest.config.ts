import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";
import { fileURLToPath } from "node:url";

const migrationsDir = fileURLToPath(new URL("./db/migrations", import.meta.url));

// Worker tests run inside workerd against a real local D1 with the real migrations.
export default defineConfig(async () => ({
  plugins: [
    cloudflareTest({
      main: "./worker/index.ts",
      wrangler: { configPath: "./wrangler.toml" },
      miniflare: {
        bindings: {
          TEST_MIGRATIONS: await readD1Migrations(migrationsDir),
          ALLOW_TIME_TRAVEL: "1",
        },
        // A strict limiter beside the production one, so the 429 path is tested without racing the clock.
        ratelimits: {
          TOKEN_LIMITER: { simple: { limit: 300, period: 10 } },
          STRICT_LIMITER: { simple: { limit: 5, period: 60 } },
        },
      },
    }),
  ],
  test: {
    include: ["worker/**/*.test.ts"],
    setupFiles: ["./worker/test/apply-migrations.ts"],
    globalSetup: ["./worker/test/receivers.global.ts"],
  },
}));
