import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { chromePath, ROOT } from "../helpers/browser";

/** Fails fast (one line) without Chromium, then builds the extension the tests load. Never skips. */
export default function setup(): void {
  chromePath();
  const build = spawnSync(join(ROOT, "node_modules/.bin/wxt"), ["build"], { cwd: ROOT, encoding: "utf8" });
  if (build.status !== 0) throw new Error(`wxt build failed:\n${build.stdout}\n${build.stderr}`);
}
