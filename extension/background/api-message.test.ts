import { beforeEach, describe, expect, test } from "vitest";
import { fakeBrowser } from "wxt/testing";
import { createBackground } from "./service";
import { API_ROUTES } from "./requests";
import { createFakeApi, PAIRED } from "../test-support/fake-api";
import { spellKey } from "../features/badge";
import type { Reply } from "../messages";

/**
 * The generic `api` message (the console's door to the API): checked against the route table before anything is sent,
 * executed by the background's typed client with the paired token, answered with typed data or a typed error.
 */

const SERVER = "http://127.0.0.1:8787";
const consoleSender = { id: "test-extension-id", url: "chrome-extension://test-extension-id/console.html" };
const pageSender = { id: "test-extension-id", url: "https://crm.example.com/deal/1", tab: { id: 3 } as never };

const USER = {
  id: "u_rep2",
  name: "Li Lei",
  email: null,
  role: "rep",
  seniority: "junior",
  teamId: "t_1",
  managerId: "u_mgr",
  hireDate: null,
  rampPercent: 100,
  active: true,
};

let calls: { method: string; path: string; auth: string | null; body: unknown }[];
let background: ReturnType<typeof createBackground>;

beforeEach(() => {
  fakeBrowser.reset();
  const api = createFakeApi(SERVER);
  calls = api.state.calls;
  // The few console routes these tests call, answered like the worker; the rest goes to the shared fake.
  const fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = new URL(String(input));
    const authed = new Headers(init?.headers).get("authorization") === `Bearer ${PAIRED.token}`;
    const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status });
    if (authed && init?.method === "POST" && url.pathname === "/v1/users") {
      calls.push({ method: "POST", path: url.pathname, auth: "bearer", body: JSON.parse(String(init.body)) });
      return json(201, { ...USER, ...JSON.parse(String(init.body)) });
    }
    if (authed && init?.method === "PATCH" && url.pathname === "/v1/users/u_other") {
      return json(400, { error: { code: "validation_failed", message: "Unknown team", details: [{ path: "teamId", message: "not in your scope" }] } });
    }
    return api.fetch(input, init);
  };
  background = createBackground({ fetch: fetch as typeof globalThis.fetch, now: () => Date.parse("2026-11-23T02:00:00.000Z"), locale: () => "en", t: spellKey });
});

async function send(message: unknown, sender: object = consoleSender): Promise<Reply<unknown>> {
  return background.handleMessage(message, sender as never);
}

async function pair() {
  const reply = await send({ type: "pair", serverUrl: SERVER, code: "ABCD2345" });
  expect(reply.ok).toBe(true);
}

describe("api message", () => {
  test("only authenticated routes are proxied (pairing has its own message)", () => {
    expect(API_ROUTES).toContain("createUser");
    expect(API_ROUTES).toContain("listChannelDeliveries");
    expect(API_ROUTES).not.toContain("pair");
    expect(API_ROUTES).not.toContain("health");
  });

  test("a valid call goes out with the paired token and answers the parsed response", async () => {
    await pair();
    const reply = await send({ type: "api", route: "createUser", body: { name: "Li Lei", seniority: "junior" } });
    expect(reply).toEqual({ ok: true, data: { ...USER, name: "Li Lei", seniority: "junior", role: "rep", rampPercent: 100 } });
    // The client applied the schema's defaults before sending.
    expect(calls.at(-1)).toMatchObject({ method: "POST", path: "/v1/users", body: { name: "Li Lei", role: "rep", seniority: "junior", rampPercent: 100 } });
  });

  test("the API's field details reach the caller", async () => {
    await pair();
    const reply = await send({ type: "api", route: "updateUser", params: { id: "u_other" }, body: { teamId: "t_x" } });
    expect(reply).toEqual({
      ok: false,
      error: { kind: "http", code: "validation_failed", message: "Unknown team", details: [{ path: "teamId", message: "not in your scope" }] },
    });
  });

  test.each([
    ["an unknown route", { route: "dropTables" }, "route"],
    ["an unauthenticated route", { route: "pair", body: { code: "ABCD2345" } }, "route"],
    ["a body against the route's schema", { route: "createUser", body: { name: "", rampPercent: 120 } }, "body.name"],
    ["a missing path parameter", { route: "updateUser", body: { name: "A" } }, "params.id"],
    ["an extra path parameter", { route: "listUsers", params: { id: "x" } }, "params.id"],
    ["a body for a route without one", { route: "teamSummary", body: {} }, "body"],
    ["a query against the route's schema", { route: "listTasks", query: { status: "someday" } }, "query.status"],
  ])("refuses %s before sending, naming the field", async (_name, fields, path) => {
    await pair();
    const before = calls.length;
    const reply = await send({ type: "api", ...fields });
    expect(reply.ok).toBe(false);
    if (reply.ok) return;
    expect(reply.error).toMatchObject({ kind: "invalid_input", code: "invalid_message" });
    expect((reply.error.details as { path: string }[]).map((d) => d.path)).toContain(path);
    expect(calls.length).toBe(before);
  });

  test("unpaired devices and web pages cannot call the API", async () => {
    const unpaired = await send({ type: "api", route: "teamSummary" });
    expect(unpaired).toMatchObject({ ok: false, error: { kind: "not_paired" } });
    await pair();
    const fromPage = await send({ type: "api", route: "teamSummary" }, pageSender);
    expect(fromPage).toMatchObject({ ok: false, error: { kind: "invalid_input", code: "forbidden" } });
  });
});
