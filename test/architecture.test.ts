import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve, dirname } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "..");
const SKIP = new Set(["node_modules", ".output", ".wxt", ".wrangler", "migrations"]);

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    if (SKIP.has(name)) return [];
    const path = join(dir, name);
    if (statSync(join(ROOT, path)).isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx)$/.test(name) ? [path] : [];
  });
}

/** Every relative import of a file, resolved to a repo-relative path. */
function relativeImports(file: string): string[] {
  const text = readFileSync(join(ROOT, file), "utf8");
  const specifiers = [...text.matchAll(/(?:import|export)[^'"]*?from\s*["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g)].map(
    (m) => m[1] ?? m[2] ?? "",
  );
  return specifiers.filter((s) => s.startsWith(".")).map((s) => relative(ROOT, resolve(ROOT, dirname(file), s)));
}

const rules: [layer: string, forbidden: string[]][] = [
  ["shared", ["worker", "extension", "test"]],
  ["worker", ["extension"]],
  ["extension", ["worker"]],
];

describe("architecture", () => {
  it.each(rules)("%s/ imports none of %j", (layer, forbidden) => {
    const files = sourceFiles(layer);
    expect(files.length).toBeGreaterThan(0);
    const violations = files.flatMap((file) =>
      relativeImports(file)
        .filter((target) => forbidden.some((f) => target === f || target.startsWith(f + "/")))
        .map((target) => `${file} → ${target}`),
    );
    expect(violations).toEqual([]);
  });

  it("shared/ is type-checked without DOM, Workers or Node types (so it cannot use their globals)", () => {
    const config = JSON.parse(readFileSync(join(ROOT, "shared/tsconfig.json"), "utf8")) as { compilerOptions: { lib: string[]; types: string[] } };
    expect(config.compilerOptions.types).toEqual([]);
    expect(config.compilerOptions.lib.map((l) => l.toLowerCase()).filter((l) => l.startsWith("dom") || l.startsWith("webworker"))).toEqual([]);
    const nodeImports = sourceFiles("shared").filter((f) => /from\s+["']node:/.test(readFileSync(join(ROOT, f), "utf8")));
    expect(nodeImports.filter((f) => !f.endsWith(".test.ts"))).toEqual([]);
  });

  it("detects a forbidden import (the checker itself works)", () => {
    const fake = "shared/x.ts";
    const resolved = relative(ROOT, resolve(ROOT, dirname(fake), "../worker/app"));
    expect(rules[0]![1].some((f) => resolved.startsWith(f + "/"))).toBe(true);
  });
});
