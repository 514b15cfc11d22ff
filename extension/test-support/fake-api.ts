import { HTTPError, NetworkError } from "../api/errors";
import type { PairResponse } from "../../shared/schemas/pairing";
import type { ProgressResponse } from "../../shared/schemas/progress";
import { FakeActivityServer } from "./fake-server";
import { progressFixture } from "./progress";

export const PAIRED: PairResponse = {
  token: "tok_secret",
  tokenId: "tk_1",
  user: { id: "u_rep1", name: "Wang Fang", role: "rep", seniority: "mid", teamId: "t_1" },
  org: { id: "o_1", name: "Demo Trading Co.", timeZone: "Asia/Shanghai", language: "zh-CN" },
};

/**
 * A `fetch` that answers like the worker for /v1/pair, /v1/activities and /v1/progress, so the background
 * can be tested through its real API client (URL, headers, JSON envelope, schemas).
 */
export function createFakeApi(baseUrl = "http://127.0.0.1:8787") {
  const activities = new FakeActivityServer();
  const state = {
    codes: new Set(["ABCD2345"]),
    progress: progressFixture() as ProgressResponse,
    calls: [] as { method: string; path: string; auth: string | null; body: unknown }[],
    down: false,
  };

  const json = (status: number, body: unknown) =>
    new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
  const envelope = (status: number, code: string, message: string) => json(status, { error: { code, message } });

  const fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    if (state.down) throw new TypeError("Failed to fetch");
    const url = new URL(String(input));
    if (url.origin !== new URL(baseUrl).origin) throw new TypeError("Failed to fetch");
    const headers = new Headers(init?.headers);
    const body = typeof init?.body === "string" ? JSON.parse(init.body) : undefined;
    const method = init?.method ?? "GET";
    state.calls.push({ method, path: url.pathname, auth: headers.get("authorization"), body });
    const authed = headers.get("authorization") === `Bearer ${PAIRED.token}`;

    if (method === "POST" && url.pathname === "/v1/pair") {
      if (!state.codes.delete(body.code)) return envelope(400, "pairing_code_invalid", "Unknown, expired or used code");
      return json(200, PAIRED);
    }
    if (!authed) return envelope(401, "unauthorized", "Missing or invalid token");
    if (method === "POST" && url.pathname === "/v1/activities") {
      try {
        const answer = await activities.send(body.events, body.sentAt);
        // The fake server's progress follows what was stored.
        const touches = [...activities.stored.values()].filter((e) => e.kind === "touch").length;
        state.progress.today.kpis[0]!.count = 2 + touches;
        return json(200, answer);
      } catch (error) {
        if (error instanceof HTTPError) return envelope(error.status, error.code, error.message);
        if (error instanceof NetworkError) throw new TypeError("Failed to fetch");
        throw error;
      }
    }
    if (method === "GET" && url.pathname === "/v1/progress") return json(200, state.progress);
    if (method === "DELETE" && url.pathname === `/v1/tokens/${PAIRED.tokenId}`) return new Response(null, { status: 204 });
    return envelope(404, "not_found", "No such route");
  };

  return { fetch, activities, state };
}
