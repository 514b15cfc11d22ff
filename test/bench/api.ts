/**
 * npm run bench:api — the API on local workerd (wrangler dev, local D1 seeded with the demo org),
 * driven from one client with a fixed number of requests in flight. Prints requests/s and p50/p99
 * for POST /v1/activities, GET /v1/progress and the no-op GET /ping, and each route's ratio to the
 * no-op. Numbers, not assertions.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, startDevServer } from "../../worker/scripts/dev-server";
import { migrateLocal, seedLocal } from "../../worker/scripts/local-d1";

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
}

async function drive(name: string, request: (i: number) => Promise<Response>): Promise<Result> {
  const latencies: number[] = [];
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
      }
    }),
  );
  const elapsed = performance.now() - start;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
  return { name, requests: latencies.length, errors, rps: (latencies.length / elapsed) * 1000, p50: at(0.5), p99: at(0.99) };
}

const persistTo = await mkdtemp(join(tmpdir(), "thud-bench-"));
const port = await freePort();
await migrateLocal(persistTo);
// Three seeds: the demo org plus two rounds of fresh codes, so the load spreads over several tokens
// (the per-token rate limit is 300 requests / 10 s).
const codes = [(await seedLocal(persistTo)).codes, (await seedLocal(persistTo)).codes, (await seedLocal(persistTo)).codes]
  .flat()
  .filter((c) => c.role === "rep")
  .map((c) => c.code);
const server = await startDevServer({ port, persistTo });
try {
  const tokens = await pairTokens(server.url, codes);
  const auth = (i: number) => ({ authorization: `Bearer ${tokens[i % tokens.length]}` });
  // Warm-up: JIT, auth caches, SQLite pages.
  for (let i = 0; i < 50; i++) await (await fetch(`${server.url}/v1/progress`, { headers: auth(i) })).arrayBuffer();

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
  const base = results[0]!;
  console.log(`\nAPI on local workerd — ${CONCURRENCY} requests in flight, ${DURATION_MS / 1000} s per route, ${tokens.length} tokens\n`);
  console.log("route                              req/s    p50 ms   p99 ms  errors  throughput vs no-op  p50 vs no-op");
  for (const r of results)
    console.log(
      `${r.name.padEnd(32)} ${r.rps.toFixed(0).padStart(7)} ${r.p50.toFixed(2).padStart(9)} ${r.p99.toFixed(2).padStart(8)} ${String(r.errors).padStart(7)} ${(r.rps / base.rps).toFixed(2).padStart(20)} ${(r.p50 / base.p50).toFixed(2).padStart(13)}`,
    );
  console.log("\nD1 round trips per request (by construction, see worker/routes): POST /v1/activities 1 batch (token re-check + inserts + key-customer updates); GET /v1/progress 1 batch of 7 statements; both +1 look-up on an auth-cache miss.");
} finally {
  await server.stop();
  await rm(persistTo, { recursive: true, force: true });
}
