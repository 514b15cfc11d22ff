import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, test } from "vitest";

/** Structure checks for extension/ (STYLE.md): thin entrypoints, tests beside code, only the background on the network. */

const ROOT = import.meta.dirname;

function files(dir = ROOT): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === "node_modules" ? [] : files(path);
    return [relative(ROOT, path)];
  });
}

const sources = files().filter((f) => /\.(ts|tsx)$/.test(f) && !/\.test\.tsx?$/.test(f) && !f.startsWith("test-support/"));
const read = (f: string) => readFileSync(join(ROOT, f), "utf8");

describe("extension structure", () => {
  test("no tests inside entrypoints/", () => {
    expect(files(join(ROOT, "entrypoints")).filter((f) => /\.test\./.test(f))).toEqual([]);
  });

  test("entrypoints stay thin (≤ 20 lines of code each)", () => {
    const fat = sources
      .filter((f) => f.startsWith("entrypoints/"))
      .map((f) => [f, read(f).split("\n").filter((line) => line.trim() && !/^\s*(\/\/|\*|\/\*)/.test(line)).length] as const)
      .filter(([, lines]) => lines > 20);
    expect(fat).toEqual([]);
  });

  test("only api/ and background/ reach the network or the API client", () => {
    const allowed = (f: string) => f.startsWith("api/") || f.startsWith("background/");
    const offenders = sources.filter(
      (f) => !allowed(f) && (/\bfetch\s*\(|XMLHttpRequest|WebSocket|EventSource/.test(read(f)) || /from\s+["'][^"']*api\/(client|outbox)["']/.test(read(f))),
    );
    expect(offenders).toEqual([]);
  });

  test("UI and content code do not bundle zod (messages.ts is types plus a sender)", () => {
    const uiSide = sources.filter((f) => f.startsWith("ui/") || f.startsWith("entrypoints/") || f === "messages.ts");
    expect(uiSide.filter((f) => /from\s+["']zod["']/.test(read(f)) && !/import\s+type/.test(read(f)))).toEqual([]);
  });

  test("every behaviour has a test beside it", () => {
    const needTests = sources.filter((f) => /^(api|features|background)\/[^/]+\.ts$/.test(f) && !f.endsWith("requests.ts"));
    const missing = needTests.filter((f) => !files().includes(f.replace(/\.ts$/, ".test.ts")));
    expect(missing).toEqual([]);
  });
});
