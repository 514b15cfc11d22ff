/**
 * The network between the browser and the worker, for the user journeys: a small HTTP proxy on 127.0.0.1 in front of the
 * real worker (`wrangler dev`), the way a load balancer or a flaky hotel Wi-Fi sits in front of the real one.
 *
 * - **The server's clock.** Every request gets `X-Debug-Now` (honoured by a worker started with ALLOW_TIME_TRAVEL=1), from
 *   a simulated clock that runs in real time from the instant it was last set. The browser keeps its own (real) clock, so
 *   the extension talks to a server whose clock is months away from its own: clock skew is always on.
 * - **Faults**, each for the next `n` matching requests:
 *   - `loseResponses`: the request reaches the worker and is answered (it committed), then the connection to the browser is
 *     cut — before the first byte of the answer (`"before-answer"`; Chromium may then resend the request by itself on a
 *     fresh connection, as it does when a reused connection dies) or in the middle of its body (`"mid-body"`; the headers
 *     arrived, so nothing resends it: the page's own code sees the failure).
 *   - `duplicate`: the request is delivered to the worker twice (a retrying middlebox); the browser gets the second answer.
 *   - `holdResponses`: the worker answers (it committed), then the answer waits at the edge until released — the moment
 *     to kill the browser's service worker "mid-flush", with the server's side already done.
 * - **Worker down**: when the worker does not accept the connection, the browser's connection is cut too (a network error,
 *   as with the real thing), never a made-up HTTP answer.
 *
 * Nothing here knows the API: it forwards bytes and headers. `log` records what happened to each request.
 */
import { createServer, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from "node:http";

export interface EdgeLogEntry {
  method: string;
  path: string;
  /** HTTP status the worker answered, per delivery (two for a duplicated request). */
  upstream: number[];
  outcome: "answered" | "lost" | "worker-down";
}

export interface FaultRule {
  /** Which requests, e.g. `(m, p) => m === "POST" && p === "/v1/activities"`. */
  match: (method: string, path: string) => boolean;
  remaining: number;
}

export interface EdgeProxy {
  url: string;
  /** The server's simulated clock (epoch ms now). */
  now(): number;
  /** Sets the server's clock; it runs on in real time from there. */
  setClock(at: number | string): void;
  loseResponses(n: number, match: FaultRule["match"], how?: "before-answer" | "mid-body"): FaultRule;
  holdResponses(n: number, match: FaultRule["match"]): HeldResponses;
  duplicate(n: number, match: FaultRule["match"]): FaultRule;
  log: EdgeLogEntry[];
  close(): Promise<void>;
}

interface LoseRule extends FaultRule {
  how: "before-answer" | "mid-body";
}

export interface HeldResponses extends FaultRule {
  /** Resolves when the first held request has been answered by the worker and waits at the edge. */
  held: Promise<void>;
  /** Lets every held answer (and any later one) go on to the browser, if it is still listening. */
  release(): void;
}

const HOP_BY_HOP = new Set(["connection", "keep-alive", "transfer-encoding", "upgrade", "proxy-connection", "te", "trailer"]);

function forwardHeaders(headers: IncomingHttpHeaders, upstreamHost: string, now: number): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || HOP_BY_HOP.has(name)) continue;
    out[name] = value;
  }
  out.host = upstreamHost;
  out["x-debug-now"] = new Date(now).toISOString();
  return out;
}

interface UpstreamAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

function deliver(target: URL, method: string, path: string, headers: Record<string, string | string[]>, body: Buffer): Promise<UpstreamAnswer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: target.hostname, port: target.port, method, path, headers: { ...headers, "content-length": String(body.length) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 502, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(body);
  });
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

export async function startEdgeProxy(upstream: string, opts: { clock?: number | string } = {}): Promise<EdgeProxy> {
  const target = new URL(upstream);
  let base = opts.clock === undefined ? Date.now() : new Date(opts.clock).getTime();
  let setAt = Date.now();
  const now = () => base + (Date.now() - setAt);
  const lose: LoseRule[] = [];
  const dup: FaultRule[] = [];
  const holds: (HeldResponses & { arrived(): void; gate: Promise<void> })[] = [];
  const log: EdgeLogEntry[] = [];
  const take = <R extends FaultRule>(rules: R[], method: string, path: string): R | undefined => {
    const rule = rules.find((r) => r.remaining > 0 && r.match(method, path));
    if (rule) rule.remaining--;
    return rule;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const method = req.method ?? "GET";
    const path = req.url ?? "/";
    const pathname = path.split("?")[0]!;
    const entry: EdgeLogEntry = { method, path: pathname, upstream: [], outcome: "answered" };
    log.push(entry);
    const body = await readBody(req);
    const headers = forwardHeaders(req.headers, target.host, now());
    const times = method !== "OPTIONS" && take(dup, method, pathname) ? 2 : 1;
    let answer: UpstreamAnswer | undefined;
    try {
      for (let i = 0; i < times; i++) {
        answer = await deliver(target, method, path, headers, body);
        entry.upstream.push(answer.status);
      }
    } catch {
      entry.outcome = "worker-down";
      req.socket.destroy();
      return;
    }
    const hold = method !== "OPTIONS" ? take(holds, method, pathname) : undefined;
    if (hold) {
      hold.arrived();
      await hold.gate;
    }
    const lost = method !== "OPTIONS" ? take(lose, method, pathname) : undefined;
    if (lost?.how === "before-answer") {
      entry.outcome = "lost";
      req.socket.destroy();
      return;
    }
    const out: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(answer!.headers)) if (value !== undefined && !HOP_BY_HOP.has(name)) out[name] = value;
    out["content-length"] = String(answer!.body.length);
    if (lost) {
      entry.outcome = "lost";
      res.writeHead(answer!.status, out);
      res.write(answer!.body.subarray(0, Math.floor(answer!.body.length / 2)), () => req.socket.destroy());
      return;
    }
    res.writeHead(answer!.status, out).end(answer!.body);
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => req.socket.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    now,
    setClock(at) {
      base = new Date(at).getTime();
      setAt = Date.now();
    },
    loseResponses(n, match, how = "before-answer") {
      const rule = { match, remaining: n, how };
      lose.push(rule);
      return rule;
    },
    holdResponses(n, match) {
      let arrived!: () => void;
      let release!: () => void;
      const held = new Promise<void>((resolve) => (arrived = resolve));
      const gate = new Promise<void>((resolve) => (release = resolve));
      const rule = { match, remaining: n, held, release, arrived, gate };
      holds.push(rule);
      return rule;
    },
    duplicate(n, match) {
      const rule = { match, remaining: n };
      dup.push(rule);
      return rule;
    },
    log,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
