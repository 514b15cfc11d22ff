import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { createApp } from "../app";
import { beforeAll, describe, expect, it } from "vitest";
import { api, json, seedDemoOnce, pair, count } from "../test/helpers";

describe("per-token rate limit and revocation", () => {
  beforeAll(() => seedDemoOnce());

  it("answers 429 with Retry-After once a token exceeds its budget, without touching other tokens", async () => {
    const greedy = await pair("usr_demo_chen");
    const other = await pair("usr_demo_zhang");
    // The real app and middleware, with the test's strict limiter (5 per minute) in the production binding's place.
    const app = createApp();
    const call = async (token: string) => {
      const ctx = createExecutionContext();
      const headers = { authorization: `Bearer ${token}`, origin: "chrome-extension://ejkgpjfoednhacjjbcnkippfanjeepig" };
      const res = await app.fetch(new Request("http://hud.test/v1/me", { headers }), { ...env, TOKEN_LIMITER: env.STRICT_LIMITER }, ctx);
      await waitOnExecutionContext(ctx);
      return res;
    };
    const statuses: number[] = [];
    let limited: Response | undefined;
    for (let i = 0; i < 6; i++) {
      const res = await call(greedy);
      statuses.push(res.status);
      if (res.status === 429) limited = res;
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    expect(limited!.headers.get("retry-after")).toBe("10");
    // The extension's fetch is cross-origin: it can read the header only because CORS exposes it.
    expect(limited!.headers.get("access-control-expose-headers")).toBe("Retry-After");
    expect((await json(limited!)).error.code).toBe("rate_limited");
    expect((await call(other)).status).toBe(200);
  });

  it("stops a revoked token at once, even on the cached hot paths, and writes nothing", async () => {
    const token = await pair("usr_demo_li");
    const me = await json(await api("/v1/me", { token }));
    // Warm the auth cache on both hot paths.
    expect((await api("/v1/progress", { token })).status).toBe(200);
    const event = () => ({ clientEventId: crypto.randomUUID(), kind: "touch", occurredAt: new Date().toISOString(), source: "api" });
    expect((await api("/v1/activities", { method: "POST", token, body: JSON.stringify({ events: [event()] }) })).status).toBe(201);
    expect((await api(`/v1/tokens/${me.tokenId}`, { method: "DELETE", token })).status).toBe(204);
    const late = event();
    const res = await api("/v1/activities", { method: "POST", token, body: JSON.stringify({ events: [late] }) });
    expect(res.status).toBe(401);
    expect(await count("SELECT count(*) AS n FROM activities WHERE client_event_id = ?", late.clientEventId)).toBe(0);
    expect((await api("/v1/progress", { token })).status).toBe(401);
    expect((await api("/v1/me", { token })).status).toBe(401);
  });

  it("re-checks the token inside the hot path's batch even when the cache still holds it (revoked elsewhere)", async () => {
    const token = await pair("usr_demo_li");
    const me = await json(await api("/v1/me", { token }));
    expect((await api("/v1/progress", { token })).status).toBe(200); // cached now
    // Revoked by another isolate: this isolate's cache is not evicted.
    await env.DB.prepare("UPDATE device_tokens SET revoked_at = 1 WHERE id = ?").bind(me.tokenId).run();
    const e = { clientEventId: crypto.randomUUID(), kind: "touch", occurredAt: new Date().toISOString(), source: "api" };
    expect((await api("/v1/activities", { method: "POST", token, body: JSON.stringify({ events: [e] }) })).status).toBe(401);
    expect(await count("SELECT count(*) AS n FROM activities WHERE client_event_id = ?", e.clientEventId)).toBe(0);
  });
});
