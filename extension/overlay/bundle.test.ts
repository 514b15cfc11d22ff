import { existsSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, test } from "vitest";

/**
 * The page-side bundles (content-entry.js, content-detector.js, content-ui.js) run inside web pages: they must not
 * load extension storage (storage.ts defines items that read `storage.local` as soon as they are defined, which content
 * scripts may not do: background/sites.ts restricts it to the extension's own pages), nor zod, nor the API client.
 * The entry must not even reach the extension API at load time. Checked on the value-import graph of the sources.
 */
const EXTENSION = resolve(import.meta.dirname, "..");
const FORBIDDEN = ["storage.ts", "i18n.ts", "api/client.ts", "api/outbox.ts", "ui/errors.ts", "ui/popup/format.ts"];

function resolveImport(from: string, specifier: string): string | null {
  const base = specifier.startsWith("@/") ? join(EXTENSION, specifier.slice(2)) : specifier.startsWith(".") ? resolve(dirname(from), specifier) : null;
  if (!base) return null;
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, join(base, "index.ts")]) if (existsSync(candidate) && candidate.match(/\.tsx?$/)) return candidate;
  return null;
}

/** Files reachable from `entry` through value imports (`import type` and `export type` are erased, so skipped). */
function valueImports(entry: string, seen = new Set<string>()): Set<string> {
  if (seen.has(entry)) return seen;
  seen.add(entry);
  const source = readFileSync(entry, "utf8");
  for (const match of source.matchAll(/^\s*(import|export)\s+(?!type\b)([^;]*?)\s+from\s+["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/gm)) {
    const specifier = match[3] ?? match[4]!;
    const target = resolveImport(entry, specifier);
    if (target) valueImports(target, seen);
  }
  return seen;
}

const reachable = (entry: string) => [...valueImports(join(EXTENSION, entry))].map((file) => relative(EXTENSION, file));

describe("page-side bundles", () => {
  test.each(["entrypoints/content-entry.ts", "entrypoints/content-detector.ts", "entrypoints/content-ui.ts"])("%s loads no storage, zod or API client", (entry) => {
    const files = reachable(entry);
    expect(files.length).toBeGreaterThan(0);
    expect(files.filter((file) => FORBIDDEN.includes(file))).toEqual([]);
    for (const file of files) expect(readFileSync(join(EXTENSION, file), "utf8"), file).not.toMatch(/^\s*import\s+(?!type\b)[^;]*from\s+["']zod["']/m);
  });

  test("the registered entry imports only its gate (no extension API at load time)", () => {
    expect(reachable("entrypoints/content-entry.ts").sort()).toEqual(["entrypoints/content-entry.ts", "overlay/gate.ts"]);
  });

  test("the checker sees through to storage where it is imported (it works)", () => {
    expect(reachable("ui/Options.tsx")).toContain("storage.ts");
  });
});
