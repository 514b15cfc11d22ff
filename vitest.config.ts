import { defineConfig } from "vitest/config";

// Unit tests: pure code in shared/ (no DOM, no Workers runtime).
// Worker tests run in workerd via worker/vitest.config.ts; e2e via test/e2e (see package.json scripts).
export default defineConfig({
  test: {
    include: ["shared/**/*.test.ts", "test/*.test.ts"],
    environment: "node",
  },
});
