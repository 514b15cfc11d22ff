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
