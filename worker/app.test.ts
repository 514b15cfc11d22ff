import { describe, expect, it } from "vitest";
import { api, json } from "./test/helpers";

describe("app", () => {
  it("answers /healthz", async () => {
    const res = await api("/healthz");
    expect(res.status).toBe(200);
    expect((await json(res)).ok).toBe(true);
  });

  it("answers unknown routes with the JSON envelope", async () => {
    const res = await api("/v1/nope");
    expect(res.status).toBe(404);
    expect(await json(res)).toEqual({ error: { code: "not_found", message: "No such route" } });
  });

  it("allows CORS only for the configured extension origin", async () => {
    const preflight = (origin: string) =>
      api("/v1/activities", { method: "OPTIONS", headers: { origin, "access-control-request-method": "POST" } });
    const ok = await preflight("chrome-extension://ejkgpjfoednhacjjbcnkippfanjeepig");
    expect(ok.headers.get("access-control-allow-origin")).toBe("chrome-extension://ejkgpjfoednhacjjbcnkippfanjeepig");
    const evil = await preflight("https://evil.example");
    expect(evil.headers.get("access-control-allow-origin")).toBeNull();
  });
});

describe("route table", () => {
  it("documents every route the app serves, and serves every documented route", async () => {
    const { createApp } = await import("./app");
    const { routes } = await import("../shared/api");
    const served = new Set(
      createApp()
        .routes.filter((r) => r.method !== "ALL" && !r.path.endsWith("*"))
        .map((r) => `${r.method} ${r.path.replace(/\/$/, "")}`),
    );
    const documented = new Set(Object.values(routes).map((r) => `${r.method} ${r.path.replace(/\{(\w+)\}/g, ":$1")}`));
    expect([...served].filter((r) => !documented.has(r)).sort()).toEqual([]);
    expect([...documented].filter((r) => !served.has(r)).sort()).toEqual([]);
  });

  it("serves an OpenAPI 3.1 document generated from the zod schemas", async () => {
    const doc = await json(await api("/openapi.json"));
    expect(doc.openapi).toBe("3.1.0");
    const post = doc.paths["/v1/activities"].post;
    expect(post.requestBody.content["application/json"].schema.properties.events.maxItems).toBe(500);
    expect(post.responses["201"]).toBeDefined();
    expect(doc.paths["/v1/tokens/{id}"].delete.parameters[0]).toMatchObject({ name: "id", in: "path" });
  });
});
