import { env, exports } from "cloudflare:workers";
import { PAIRING_ALPHABET, PAIRING_CODE_LENGTH } from "../../shared/schemas/pairing";
import { randomCode, sha256Hex } from "../auth/crypto";
import { buildPairingCodes, buildDemoSeed, type DemoUser } from "../db/seed";

/** Calls the worker under test, as a client would. */
export function api(path: string, init: RequestInit & { token?: string; now?: string | number } = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (init.token) headers.set("authorization", `Bearer ${init.token}`);
  if (init.now !== undefined) headers.set("x-debug-now", new Date(init.now).toISOString());
  if (init.body && !headers.has("content-type")) headers.set("content-type", "application/json");
  return exports.default.fetch(new Request(`http://hud.test${path}`, { ...init, headers }));
}

export async function json<T = any>(res: Response): Promise<T> {
  return (await res.json()) as T;
}

export async function runSql(statements: string[]): Promise<void> {
  await env.DB.batch(statements.map((s) => env.DB.prepare(s)));
}

let seeded: Promise<void> | undefined;
/** Seeds the demo org once per test file (D1 state is shared within a file). */
export function seedDemoOnce(now = Date.now()): Promise<void> {
  seeded ??= buildDemoSeed(now).then((s) => runSql(s.statements.filter((q) => !q.startsWith("INSERT INTO pairing_codes"))));
  return seeded;
}

/** Fresh pairing codes for the demo users: name → code. */
export async function demoCodes(now = Date.now(), users?: DemoUser[]): Promise<Record<string, string>> {
  const { statements, codes } = await buildPairingCodes(now, users);
  await runSql(statements);
  return Object.fromEntries(codes.map((c) => [c.userId, c.code]));
}

export async function pair(userId: string, now = Date.now()): Promise<string> {
  const codes = await demoCodes(now);
  const res = await api("/v1/pair", { method: "POST", body: JSON.stringify({ code: codes[userId] }), now });
  if (res.status !== 200) throw new Error(`pairing failed: ${res.status} ${await res.text()}`);
  return (await json<{ token: string }>(res)).token;
}

export async function count(sql: string, ...params: unknown[]): Promise<number> {
  const row = await env.DB.prepare(sql).bind(...params).first<{ n: number }>();
  return row?.n ?? 0;
}

/**
 * A second, independent org with one rep, for isolation tests. Returns the rep's token.
 * Uses the real pairing flow so the token is stored exactly as production stores it.
 */
export async function makeOtherOrg(id: string, now = Date.now()): Promise<{ orgId: string; userId: string; token: string }> {
  const userId = `usr_${id}`;
  await runSql([
    `INSERT INTO orgs (id, name, time_zone, language, created_at) VALUES ('${id}', 'Other ${id}', 'America/New_York', 'en', ${now})`,
    `INSERT INTO users (id, org_id, name, role, seniority, created_at) VALUES ('${userId}', '${id}', 'Other rep', 'rep', 'mid', ${now})`,
  ]);
  return { orgId: id, userId, token: await pairUser(id, userId, now) };
}

/** Makes a one-time code for an existing user (as the console would) and pairs with it; returns the device token. */
export async function pairUser(orgId: string, userId: string, now = Date.now()): Promise<string> {
  const code = randomCode(PAIRING_ALPHABET, PAIRING_CODE_LENGTH);
  await runSql([
    `INSERT INTO pairing_codes (code_hash, org_id, user_id, expires_at, created_at) VALUES ('${await sha256Hex(code)}', '${orgId}', '${userId}', ${now + 600_000}, ${now})`,
  ]);
  const res = await api("/v1/pair", { method: "POST", body: JSON.stringify({ code }), now });
  if (res.status !== 200) throw new Error(`pairing failed: ${res.status} ${await res.text()}`);
  return (await json<{ token: string }>(res)).token;
}
