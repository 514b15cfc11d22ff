import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { buildPairingCodes } from "../db/seed";
import { api, count, demoCodes, json, runSql, seedDemoOnce } from "../test/helpers";

const pairBody = (code: unknown) => ({ method: "POST", body: JSON.stringify({ code }) });

describe("POST /v1/pair", () => {
  beforeAll(() => seedDemoOnce());

  it("exchanges a fresh code for a token, stored only as its SHA-256", async () => {
    const codes = await demoCodes();
    const res = await api("/v1/pair", pairBody(codes["usr_demo_li"]));
    const body = await json(res);
    expect(res.status).toBe(200);
    expect(body.user).toMatchObject({ id: "usr_demo_li", role: "rep", seniority: "junior" });
    expect(body.org).toMatchObject({ id: "org_demo", timeZone: "Asia/Shanghai", language: "zh-CN" });
    expect(body.token).toMatch(/^thd_/);
    const stored = await env.DB.prepare("SELECT token_hash FROM device_tokens WHERE id = ?").bind(body.tokenId).first<{ token_hash: string }>();
    expect(stored?.token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(stored?.token_hash).not.toContain(body.token);
    // The token works.
    const me = await api("/v1/progress", { token: body.token });
    expect(me.status).toBe(200);
  });

  it("accepts the code in lower case and with a separator", async () => {
    const codes = await demoCodes();
    const code = codes["usr_demo_chen"]!;
    const res = await api("/v1/pair", pairBody(`${code.slice(0, 4).toLowerCase()}-${code.slice(4)}`));
    expect(res.status).toBe(200);
  });

  it.each([
    ["wrong", async () => "ZZZZ2222"],
    [
      "expired",
      async () => {
        const past = Date.now() - 25 * 3_600_000; // demo codes live 24 h
        const { statements, codes } = await buildPairingCodes(past);
        await runSql(statements);
        return codes[0]!.code;
      },
    ],
    [
      "reused",
      async () => {
        const code = (await demoCodes())["usr_demo_zhang"]!;
        expect((await api("/v1/pair", pairBody(code))).status).toBe(200);
        return code;
      },
    ],
  ])("rejects a %s code with pairing_code_invalid and writes no token", async (_, makeCode) => {
    const code = await makeCode();
    const before = await count("SELECT count(*) AS n FROM device_tokens");
    const res = await api("/v1/pair", pairBody(code));
    expect(res.status).toBe(400);
    expect((await json(res)).error.code).toBe("pairing_code_invalid");
    expect(await count("SELECT count(*) AS n FROM device_tokens")).toBe(before);
  });

  it.each([
    ["missing code", {}],
    ["too short", { code: "ABC" }],
    ["look-alike characters", { code: "O0I1L0O0" }],
    ["extra field", { code: "ABCDEFGH", orgId: "org_demo" }],
    ["not a string", { code: 12345678 }],
  ])("rejects %s with validation_failed", async (_, body) => {
    const res = await api("/v1/pair", { method: "POST", body: JSON.stringify(body) });
    expect(res.status).toBe(400);
    const err = await json(res);
    expect(err.error.code).toBe("validation_failed");
    expect(Array.isArray(err.error.details)).toBe(true);
  });

  it("answers malformed JSON with bad_request", async () => {
    const res = await api("/v1/pair", { method: "POST", body: "{not json" });
    expect(res.status).toBe(400);
    expect((await json(res)).error.code).toBe("bad_request");
  });
});
