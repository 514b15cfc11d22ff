/**
 * npm run bench:api — the API on local workerd (wrangler dev, local D1 seeded with the demo org),
 * driven from one client with a fixed number of requests in flight. Prints requests/s and p50/p99
 * for POST /v1/activities, GET /v1/progress, GET /v1/team/summary and the no-op GET /ping, each
 * route's ratio to the no-op, and the D1 round trips and statements per request as the worker
 * counted them (SERVER_TIMING=1: the Server-Timing header of every answer). Numbers, not assertions.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, startDevServer } from "../../worker/scripts/dev-server";
import { migrateLocal, seedLocal } from "../../worker/scripts/local-d1";
import { parseServerTiming } from "../../worker/server-timing";

const DURATION_MS = Number(process.env.BENCH_MS ?? 8_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);

async function pairTokens(url: string, codes: string[]): Promise<string[]> {
  const tokens: string[] = [];
  for (const code of codes) {
    const res = await fetch(`${url}/v1/pair`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ code }) });
    tokens.push(((await res.json()) as { token: string }).token);
  }
  return tokens;
}

interface Result {
  name: string;
  requests: number;
  errors: number;
  rps: number;
  p50: number;
  p99: number;
  /** D1 round trips and statements per request: mean and max over the run (null: no D1 header). */
  d1: { roundTrips: number; maxRoundTrips: number; statements: number; maxStatements: number } | null;
}

async function drive(name: string, request: (i: number) => Promise<Response>): Promise<Result> {
  const latencies: number[] = [];
  const roundTrips: number[] = [];
  const statements: number[] = [];
  let errors = 0;
  let i = 0;
  const end = performance.now() + DURATION_MS;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < end) {
        const t0 = performance.now();
        const res = await request(i++);
        await res.arrayBuffer();
        latencies.push(performance.now() - t0);
        if (!res.ok) errors++;
        const d1 = parseServerTiming(res.headers.get("server-timing"));
        if (d1) {
          roundTrips.push(d1.roundTrips);
          statements.push(d1.statements);
        }
      }
    }),
  );
  const elapsed = performance.now() - start;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const d1 = roundTrips.length
    ? { roundTrips: mean(roundTrips), maxRoundTrips: Math.max(...roundTrips), statements: mean(statements), maxStatements: Math.max(...statements) }
    : null;
  return { name, requests: latencies.length, errors, rps: (latencies.length / elapsed) * 1000, p50: at(0.5), p99: at(0.99), d1 };
}

const persistTo = await mkdtemp(join(tmpdir(), "thud-bench-"));
const port = await freePort();
await migrateLocal(persistTo);
// Three seeds: the demo org plus two rounds of fresh codes, so the load spreads over several tokens
// (the per-token rate limit is 300 requests / 10 s).
const seeded = [(await seedLocal(persistTo)).codes, (await seedLocal(persistTo)).codes, (await seedLocal(persistTo)).codes].flat();
const codes = seeded.filter((c) => c.role === "rep").map((c) => c.code);
const managerCodes = seeded.filter((c) => c.role === "manager").map((c) => c.code);
const server = await startDevServer({ port, persistTo, vars: { SERVER_TIMING: "1" } });
try {
  const tokens = await pairTokens(server.url, codes);
  const managerTokens = await pairTokens(server.url, managerCodes);
  const auth = (i: number) => ({ authorization: `Bearer ${tokens[i % tokens.length]}` });
  const managerAuth = (i: number) => ({ authorization: `Bearer ${managerTokens[i % managerTokens.length]}` });
  // Warm-up: JIT, auth caches, SQLite pages.
  for (let i = 0; i < 50; i++) await (await fetch(`${server.url}/v1/progress`, { headers: auth(i) })).arrayBuffer();
  for (let i = 0; i < 10; i++) await (await fetch(`${server.url}/v1/team/summary`, { headers: managerAuth(i) })).arrayBuffer();

  const results: Result[] = [];
  results.push(await drive("GET /ping (no-op)", () => fetch(`${server.url}/ping`)));
  results.push(
    await drive("POST /v1/activities (1 event)", (i) =>
      fetch(`${server.url}/v1/activities`, {
        method: "POST",
        headers: { ...auth(i), "content-type": "application/json" },
        body: JSON.stringify({ events: [{ clientEventId: crypto.randomUUID(), kind: "touch", occurredAt: new Date().toISOString(), source: "api" }] }),
      }),
    ),
  );
  results.push(await drive("GET /v1/progress", (i) => fetch(`${server.url}/v1/progress`, { headers: auth(i) })));
  results.push(await drive("GET /v1/team/summary (3 reps)", (i) => fetch(`${server.url}/v1/team/summary`, { headers: managerAuth(i) })));
  const base = results[0]!;
  const d1 = (r: Result, key: "roundTrips" | "statements", max: "maxRoundTrips" | "maxStatements") =>
    r.d1 ? `${r.d1[key].toFixed(2)} (max ${r.d1[max]})` : "-";
  console.log(
    `\nAPI on local workerd — ${CONCURRENCY} requests in flight, ${DURATION_MS / 1000} s per route, ${tokens.length} rep and ${managerTokens.length} manager tokens\n`,
  );
  console.log(
    "route                              req/s    p50 ms   p99 ms  errors  rps vs no-op  p50 vs no-op  D1 round trips/req  D1 statements/req",
  );
  for (const r of results)
    console.log(
      `${r.name.padEnd(32)} ${r.rps.toFixed(0).padStart(7)} ${r.p50.toFixed(2).padStart(9)} ${r.p99.toFixed(2).padStart(8)} ${String(r.errors).padStart(7)} ${(r.rps / base.rps).toFixed(2).padStart(13)} ${(r.p50 / base.p50).toFixed(2).padStart(13)} ${d1(r, "roundTrips", "maxRoundTrips").padStart(19)} ${d1(r, "statements", "maxStatements").padStart(18)}`,
    );
  console.log(
    "\nD1 columns: mean (max) per request, counted by the worker (Server-Timing). An auth-cache miss (first request of a token in an isolate, then every 30 s) adds the token look-up and its last-used update.",
  );
} finally {
  await server.stop();
  await rm(persistTo, { recursive: true, force: true });
}
