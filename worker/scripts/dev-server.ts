/**
 * Starts `wrangler dev` (local workerd) in its own process group so it can be stopped
 * with everything it spawned. Used by `npm start`, the e2e tests and the benchmarks.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { OFFLINE_ENV, ROOT } from "./local-d1";

export interface DevServerOptions {
  port: number;
  persistTo?: string;
  vars?: Record<string, string>;
  /** Forward wrangler's output to this process's stdio. */
  inheritOutput?: boolean;
  /** Expose /__scheduled (wrangler dev --test-scheduled) so `npm run cron` can trigger a scheduled run. */
  testScheduled?: boolean;
}

export interface DevServer {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
  /** wrangler's output so far (empty with inheritOutput). */
  output(): string;
}

export async function startDevServer(opts: DevServerOptions): Promise<DevServer> {
  const args = ["dev", "--local", "--ip", "127.0.0.1", "--port", String(opts.port), "--inspector-port", "0", "--show-interactive-dev-session=false"];
  if (opts.persistTo) args.push("--persist-to", opts.persistTo);
  if (opts.testScheduled) args.push("--test-scheduled");
  for (const [k, v] of Object.entries(opts.vars ?? {})) args.push("--var", `${k}:${v}`);
  const child = spawn(join(ROOT, "node_modules/.bin/wrangler"), args, {
    cwd: ROOT,
    env: OFFLINE_ENV,
    detached: true, // own process group: kill(-pid) stops workerd too
    stdio: opts.inheritOutput ? ["ignore", "inherit", "inherit"] : ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (d) => (output += d));
  child.stderr?.on("data", (d) => (output += d));
  const url = `http://127.0.0.1:${opts.port}`;

  const stop = async () => {
    if (child.pid && child.exitCode === null) {
      try {
        process.kill(-child.pid, "SIGTERM");
      } catch {
        /* already gone */
      }
    }
    await waitForPortClosed(url);
  };

  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited with ${child.exitCode}:\n${output}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) break;
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`wrangler dev did not answer /healthz within 60 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { url, child, stop, output: () => output };
}

/** PID 1 in these containers may not reap children; wait for the port, not the pid. */
async function waitForPortClosed(url: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    try {
      await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(500) });
    } catch {
      return;
    }
    await new Promise((r) => setTimeout(r, 150));
  }
}

export async function freePort(): Promise<number> {
  const { createServer } = await import("node:net");
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
