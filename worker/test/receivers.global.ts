import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { TestProject } from "vitest/node";

/**
 * Real HTTP receivers for the notification tests, started once per run from Node (vitest globalSetup).
 * One node:http server per channel kind on a free port on 127.0.0.1; the tests get the base URLs
 * through `inject("receivers")`.
 *
 * Each receiver answers like the real service would on success (DingTalk/WeCom `{"errcode":0}`, Feishu
 * `{"code":0}`, Slack `ok`, others `{"ok":true}`) and records every request. Tests work under a unique
 * path (`/hook/<uuid>`), so test files running in parallel never see each other's requests.
 *
 * Control endpoints (same server):
 *   GET  /__requests?path=/hook/x      → recorded requests whose path is /hook/x (query string ignored)
 *   POST /__fail?path=/hook/x  {times, status, body?, delayMs?}
 *        → the next `times` requests to /hook/x get `status` with `body` (after `delayMs`)
 */

export const RECEIVER_KINDS = ["email", "wecom", "dingtalk", "feishu", "slack", "webhook"] as const;
export type ReceiverKind = (typeof RECEIVER_KINDS)[number];

export interface RecordedRequest {
  method: string;
  /** Path and query string, as received. */
  url: string;
  headers: Record<string, string>;
  body: string;
  receivedAt: number;
}

interface FailurePlan {
  times: number;
  status: number;
  body: string;
  delayMs: number;
}

declare module "vitest" {
  export interface ProvidedContext {
    receivers: Record<ReceiverKind, string>;
  }
}

const SUCCESS: Record<ReceiverKind, { type: string; body: string }> = {
  email: { type: "application/json", body: JSON.stringify({ id: "msg_local" }) },
  wecom: { type: "application/json", body: JSON.stringify({ errcode: 0, errmsg: "ok" }) },
  dingtalk: { type: "application/json", body: JSON.stringify({ errcode: 0, errmsg: "ok" }) },
  feishu: { type: "application/json", body: JSON.stringify({ code: 0, msg: "success", data: {} }) },
  slack: { type: "text/plain", body: "ok" },
  webhook: { type: "application/json", body: JSON.stringify({ ok: true }) },
};

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function startReceiver(kind: ReceiverKind): Promise<Server> {
  const recorded = new Map<string, RecordedRequest[]>();
  const failures = new Map<string, FailurePlan>();

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://receiver");
    const body = await readBody(req);
    const send = (status: number, type: string, text: string) => {
      res.writeHead(status, { "content-type": type });
      res.end(text);
    };

    if (url.pathname === "/__requests") {
      return send(200, "application/json", JSON.stringify(recorded.get(url.searchParams.get("path") ?? "") ?? []));
    }
    if (url.pathname === "/__fail") {
      const plan = JSON.parse(body || "{}") as Partial<FailurePlan>;
      failures.set(url.searchParams.get("path") ?? "", {
        times: plan.times ?? 1,
        status: plan.status ?? 500,
        body: plan.body ?? "injected failure",
        delayMs: plan.delayMs ?? 0,
      });
      return send(204, "text/plain", "");
    }

    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers[k] = v;
    const list = recorded.get(url.pathname) ?? [];
    list.push({ method: req.method ?? "", url: req.url ?? "", headers, body, receivedAt: Date.now() });
    recorded.set(url.pathname, list);

    const plan = failures.get(url.pathname);
    if (plan && plan.times > 0) {
      plan.times -= 1;
      if (plan.delayMs) await new Promise((r) => setTimeout(r, plan.delayMs));
      return send(plan.status, plan.body.startsWith("{") ? "application/json" : "text/plain", plan.body);
    }
    const ok = SUCCESS[kind];
    return send(200, ok.type, ok.body);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      res.writeHead(500);
      res.end(String(err));
    });
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve(server));
  });
}

export default async function setup(project: TestProject) {
  const servers = await Promise.all(RECEIVER_KINDS.map(startReceiver));
  const urls = Object.fromEntries(
    RECEIVER_KINDS.map((kind, i) => [kind, `http://127.0.0.1:${(servers[i]!.address() as AddressInfo).port}`]),
  ) as Record<ReceiverKind, string>;
  project.provide("receivers", urls);
  return async () => {
    await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  };
}
