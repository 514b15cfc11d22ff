import { defineConfig } from "vitest/config";

// End-to-end in real Chromium against the real worker (wrangler dev, local D1). One file at a time,
// one browser at a time (2-core machines); generous timeouts because wrangler and Chromium start cold.
export default defineConfig({
  test: {
    include: ["test/e2e/**/*.e2e.test.ts"],
    globalSetup: ["test/e2e/global-setup.ts"],
    environment: "node",
    pool: "forks",
    maxWorkers: 1,
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 180_000,
    retry: 0,
  },
});
