import { defineConfig } from "vitest/config";
import { WxtVitest } from "wxt/testing";

// Extension unit tests: the fake browser (in-memory storage, alarms, action, runtime) via WxtVitest,
// which also resolves `#imports`, `#i18n` and the `@/` alias like the real build.
// Tests sit beside their code (foo.ts + foo.test.ts), never inside entrypoints/.
export default defineConfig({
  plugins: [WxtVitest()],
  test: {
    include: ["extension/**/*.test.ts", "extension/**/*.test.tsx"],
    exclude: ["extension/entrypoints/**", "**/node_modules/**"],
    environment: "node",
    restoreMocks: true,
  },
});
