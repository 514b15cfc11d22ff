// ESLint 9 flat config: `npm run lint` (part of `npm test` and `npm run check`).
// A small rule set on purpose: the recommended JavaScript and typescript-eslint rules, plus the few type-aware rules
// that catch real bugs in this code base (promises nobody awaits or handles). Each TypeScript file is linted with the
// type information of the project that type-checks it (see `npm run typecheck`), so the worker's files see Workers
// types and the extension's files see DOM types.
import js from "@eslint/js";
import { defineConfig } from "eslint/config";
import tseslint from "typescript-eslint";

export default defineConfig(
  {
    ignores: [
      // Dot files and folders (.output, .wxt, .wrangler, scratch files): tsc's include globs skip them too.
      "**/.*",
      "node_modules/**",
      "dist/**",
      "artifacts/**",
      "test-results/**",
      "bench/**",
      "worker/db/migrations/**",
    ],
  },
  {
    files: ["**/*.js", "**/*.mjs"],
    extends: [js.configs.recommended],
  },
  {
    files: ["**/*.ts", "**/*.tsx"],
    extends: [js.configs.recommended, tseslint.configs.recommended],
    languageOptions: {
      parserOptions: {
        // The first project that contains a file lints it: worker/ with Workers types, extension/ with DOM + Preact,
        // test/ (which also holds worker/scripts and the root *.config.ts) with Node.
        project: ["shared/tsconfig.json", "worker/tsconfig.json", "extension/tsconfig.json", "test/tsconfig.json"],
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // A promise that is neither awaited, returned nor given a rejection handler loses its error (and, in the
      // worker, may be cut off when the response is sent: use ctx.waitUntil).
      "@typescript-eslint/no-floating-promises": "error",
      // Awaiting a non-promise is a mistake; `Promise.all([maybePromise, undefined])` is fine.
      "@typescript-eslint/await-thenable": ["error", { allowMixedPromiseArrays: true }],
      // Promises in conditions and spreads are bugs. Async callbacks given to event emitters and JSX handlers are
      // allowed: browser and Node ignore their return value, and our handlers catch their own errors.
      "@typescript-eslint/no-misused-promises": [
        "error",
        { checksVoidReturn: { arguments: false, attributes: false } },
      ],
      // `_name` marks a parameter or binding that is unused on purpose (positional arguments, omitted fields).
      "@typescript-eslint/no-unused-vars": [
        "error",
        {
          argsIgnorePattern: "^_",
          varsIgnorePattern: "^_",
          caughtErrorsIgnorePattern: "^_",
          destructuredArrayIgnorePattern: "^_",
          ignoreRestSiblings: true,
        },
      ],
    },
  },
  {
    // Tests read loosely typed JSON bodies; `any` there is a convenience, not a hole in production code.
    files: ["**/*.test.ts", "**/*.test.tsx", "test/**/*.ts", "worker/test/**/*.ts", "extension/test-support/**/*.ts"],
    rules: {
      "@typescript-eslint/no-explicit-any": "off",
    },
  },
);
