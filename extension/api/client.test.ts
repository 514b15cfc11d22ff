import { describe, expect, test, vi } from "vitest";
import { createApiClient, joinUrl } from "./client";
import { HTTPError, NetworkError, SchemaError } from "./errors";
import { progressFixture } from "../test-support/progress";

const BASE = "http://127.0.0.1:8787";

function clientWith(respond: (url: string, init: RequestInit) => Response | Promise<Response>, token: string | null = "tok") {
  const fetch = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => respond(String(input), init ?? {}));
  return { fetch, client: createApiClient({ server: () => ({ baseUrl: BASE, token }), fetch: fetch as typeof globalThis.fetch }) };
}

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status });

describe("requests", () => {
  test("method, path, JSON body and bearer token come from the route table", async () => {
    const { fetch, client } = clientWith(() => json(200, { results: [], created: 0, duplicates: 0 }));
    const event = { clientEventId: crypto.randomUUID(), kind: "touch" as const, occurredAt: "2026-11-23T02:00:00.000Z", source: "popup" as const };
    await client.call("postActivities", { body: { events: [event] } });
    const [url, init] = fetch.mock.calls[0]!;
    expect(url).toBe(`${BASE}/v1/activities`);
    expect(init).toMatchObject({ method: "POST", credentials: "omit" });
    expect(new Headers(init!.headers).get("authorization")).toBe("Bearer tok");
    expect(JSON.parse(init!.body as string)).toEqual({ events: [event] });
  });

  test("pairing needs no token, may target an unsaved server, and sends the normalised code", async () => {
    const { fetch, client } = clientWith(() => json(400, { error: { code: "pairing_code_invalid", message: "no" } }), null);
    await expect(client.call("pair", { baseUrl: "https://hud.example.com/api", body: { code: "abcd-2345" } })).rejects.toThrow(HTTPError);
    const [url, init] = fetch.mock.calls[0]!;
    expect(url).toBe("https://hud.example.com/api/v1/pair");
    expect(new Headers(init!.headers).has("authorization")).toBe(false);
    expect(JSON.parse(init!.body as string)).toEqual({ code: "ABCD2345" });
  });

  test("a body that breaks the schema is refused before sending", async () => {
    const { fetch, client } = clientWith(() => json(200, {}));
    const error = await client.call("pair", { body: { code: "O0" } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SchemaError);
    expect((error as SchemaError).direction).toBe("request");
    expect(fetch).not.toHaveBeenCalled();
  });

  test("an authenticated route without a token fails like a 401, without a request", async () => {
    const { fetch, client } = clientWith(() => json(200, {}), null);
    await expect(client.call("progress")).rejects.toMatchObject({ status: 401, code: "unauthorized" });
    expect(fetch).not.toHaveBeenCalled();
  });

  test("path parameters are filled in and encoded; 204 answers are null", async () => {
    const { fetch, client } = clientWith(() => new Response(null, { status: 204 }));
    expect(await client.call("revokeToken", { params: { id: "tk/1" } })).toBeNull();
    expect(fetch.mock.calls[0]![0]).toBe(`${BASE}/v1/tokens/tk%2F1`);
    expect(fetch.mock.calls[0]![1]).toMatchObject({ method: "DELETE" });
  });

  test("options are required exactly when the route needs them", async () => {
    const { client } = clientWith(() => new Response(null, { status: 204 }));
    // @ts-expect-error revokeToken needs params.id
    await expect(client.call("revokeToken")).rejects.toBeInstanceOf(SchemaError);
    // @ts-expect-error pair needs a body
    await expect(client.call("pair")).rejects.toBeInstanceOf(SchemaError);
  });

  test("query parameters are validated and encoded", async () => {
    const { fetch, client } = clientWith(() => json(200, progressFixture()));
    await client.call("progress", { query: { userId: "u 1" } });
    expect(fetch.mock.calls[0]![0]).toBe(`${BASE}/v1/progress?userId=u+1`);
  });
});

describe("CSV routes", () => {
  test("an import sends the file as text/csv with the dry-run query; the report is JSON", async () => {
    const { fetch, client } = clientWith(() => json(200, { dryRun: true, rows: 1, created: 1, updated: 0, unchanged: 0 }));
    const file = "scope,subject_id,metric,period_key,level,amount\r\norg,,revenue,2026,base,100\r\n";
    const report = await client.call("importTargetsCsv", { body: file, query: { dryRun: "1" } });
    expect(report).toEqual({ dryRun: true, rows: 1, created: 1, updated: 0, unchanged: 0 });
    const [url, init] = fetch.mock.calls[0]!;
    expect(url).toBe(`${BASE}/v1/import/targets?dryRun=1`);
    expect(new Headers(init!.headers).get("content-type")).toBe("text/csv; charset=utf-8");
    expect(init!.body).toBe(file);
  });

  test("an export answers its CSV text; its errors are still the JSON envelope", async () => {
    const csv = "client_event_id,user_id\r\n";
    const { client } = clientWith(() => new Response(csv, { status: 200, headers: { "content-type": "text/csv; charset=utf-8" } }));
    expect(await client.call("exportActivitiesCsv", { query: { from: "2026-11-01" } })).toBe(csv);
    const { client: failing } = clientWith(() => json(400, { error: { code: "validation_failed", message: "bad", details: [{ path: "from", message: "x" }] } }));
    await expect(failing.call("exportActivitiesCsv")).rejects.toMatchObject({ code: "validation_failed", details: [{ path: "from", message: "x" }] });
  });
});

describe("answers", () => {
  test("a valid answer is parsed", async () => {
    const { client } = clientWith(() => json(200, progressFixture()));
    expect(await client.call("progress")).toEqual(progressFixture());
  });

  test.each<[string, () => Response | Promise<Response>, (e: unknown) => void]>([
    [
      "error envelope → HTTPError with its code",
      () => json(400, { error: { code: "validation_failed", message: "bad", details: [{ path: ["events", 0] }] } }),
      (e) => expect(e).toMatchObject({ name: "HTTPError", status: 400, code: "validation_failed", message: "bad", details: [{ path: ["events", 0] }] }),
    ],
    [
      "429 with Retry-After → HTTPError carrying the wait",
      () => new Response(JSON.stringify({ error: { code: "rate_limited", message: "slow down" } }), { status: 429, headers: { "content-type": "application/json", "retry-after": "10" } }),
      (e) => expect(e).toMatchObject({ name: "HTTPError", status: 429, code: "rate_limited", retryAfterMs: 10_000 }),
    ],
    [
      "unknown code in the envelope → http_<status>",
      () => json(418, { error: { code: "teapot", message: "short and stout" } }),
      (e) => expect(e).toMatchObject({ status: 418, code: "http_418" }),
    ],
    [
      "HTML error page from a proxy → http_<status>",
      () => new Response("<h1>Bad gateway</h1>", { status: 502, statusText: "Bad Gateway" }),
      (e) => expect(e).toMatchObject({ name: "HTTPError", status: 502, code: "http_502" }),
    ],
    [
      "2xx that breaks the contract → SchemaError(response)",
      () => json(200, { hello: "world" }),
      (e) => expect(e).toMatchObject({ name: "SchemaError", direction: "response" }),
    ],
    [
      "2xx that is not JSON → SchemaError(response)",
      () => new Response("ok", { status: 200 }),
      (e) => expect(e).toMatchObject({ name: "SchemaError", direction: "response" }),
    ],
    [
      "fetch rejects → NetworkError",
      () => Promise.reject(new TypeError("Failed to fetch")),
      (e) => expect(e).toBeInstanceOf(NetworkError),
    ],
  ])("%s", async (_name, respond, check) => {
    const { client } = clientWith(respond);
    check(await client.call("progress").catch((e: unknown) => e));
  });

  test("a slow server times out as a NetworkError", async () => {
    const fetch = (_: RequestInfo | URL, init?: RequestInit) =>
      new Promise<Response>((_resolve, reject) => init?.signal?.addEventListener("abort", () => reject(init.signal!.reason)));
    const client = createApiClient({ server: () => ({ baseUrl: BASE, token: "t" }), fetch: fetch as typeof globalThis.fetch, timeoutMs: 20 });
    const error = await client.call("progress").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as Error).message).toMatch(/timed out after 20 ms/);
  });
});

test.each([
  ["http://127.0.0.1:8787", "/healthz", "http://127.0.0.1:8787/healthz"],
  ["https://host/api/", "/v1/pair", "https://host/api/v1/pair"],
])("joinUrl(%s, %s)", (base, path, expected) => {
  expect(joinUrl(base, path)).toBe(expected);
});
