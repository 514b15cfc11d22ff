import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { routes, type RouteName, type RouteSpec } from "../../shared/api";
import { formatCsv, readCsvTable } from "../../shared/csv";
import { ERROR_CODES, type ErrorCode } from "../../shared/errors";
import {
  ACTIVITY_CSV_COLUMNS,
  ACTIVITY_CSV_REQUIRED,
  ActivityCsvRow,
  CsvText,
  MAX_IMPORT_ROWS,
  TARGET_CSV_COLUMNS,
  TARGET_CSV_REQUIRED,
  TargetCsvRow,
} from "../../shared/schemas/csv";
import { MAX_BODY_BYTES } from "../app";
import { sha256Hex } from "../auth/crypto";
import { buildPairingCodes } from "../db/seed";
import worker from "../index";
import { makeFixture, type Fixture, type FixtureUser } from "../test/fixture";
import { api, json, runSql } from "../test/helpers";

/**
 * The fuzz test: for EVERY route of the route table (the one /openapi.json is generated from, so a new route is fuzzed
 * without touching this file), fast-check builds requests that are wrong in exactly one part — the body, the query, a
 * path parameter or the credentials — and otherwise well-formed (a real id in the path, a valid body, a token of an
 * admin, sometimes of a rep), with noise headers on top. Every answer must be a 4xx (never 429: this fuzzes
 * validation, not the rate limit) carrying the JSON error envelope, and the database must be unchanged, byte for byte.
 *
 * "Wrong" is decided with the same material the worker uses — the route table's zod schemas, shared/csv.ts — so a
 * case is only ever sent when it must be refused. Routes without any input (health, ping, the OpenAPI document)
 * must ignore junk and still answer 200, again without a write.
 */

const RUNS = 200;
let f: Fixture;

// ---- The database, digested ------------------------------------------------------------------------------------------

/** Per table: SHA-256 of every row in a total order. `device_tokens.last_used_at` is bookkeeping auth may touch. */
async function tableDigests(): Promise<Record<string, string>> {
  const tables = (
    await env.DB.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' ORDER BY name").all<{
      name: string;
    }>()
  ).results.map((t) => t.name);
  const digests: Record<string, string> = {};
  for (const table of tables) {
    const columns = (await env.DB.prepare(`PRAGMA table_info("${table}")`).all<{ name: string }>()).results
      .map((c) => c.name)
      .filter((c) => !(table === "device_tokens" && c === "last_used_at"));
    const rows = await env.DB.prepare(`SELECT ${columns.map((c) => `"${c}"`).join(", ")} FROM "${table}" ORDER BY ${columns.map((_, i) => i + 1).join(", ")}`).raw();
    digests[table] = `${rows.length} rows ${await sha256Hex(JSON.stringify([columns, rows]))}`;
  }
  return digests;
}

// ---- Real things the requests point at -------------------------------------------------------------------------------

interface World {
  ids: Record<string, string>;
  /** Credentials that must be refused. */
  revokedToken: string;
  deactivatedToken: string;
  /** An existing target's version, for a valid PATCH body. */
  targetVersion: number;
}
let world: World;

async function pairToken(user: FixtureUser | string, orgId = f.orgId): Promise<{ token: string; tokenId: string }> {
  const userId = user.startsWith("usr_") ? user : f.id(user as FixtureUser);
  const { statements, codes } = await buildPairingCodes(Date.now(), [{ id: userId, name: userId, role: "rep" }], orgId);
  await runSql(statements);
  const res = await api("/v1/pair", { method: "POST", body: JSON.stringify({ code: codes[0]!.code }) });
  if (res.status !== 200) throw new Error(`pairing failed: ${await res.text()}`);
  return json(res);
}

async function ok<T = any>(res: Promise<Response>): Promise<T> {
  const r = await res;
  if (r.status >= 300) throw new Error(`setup request failed: ${r.status} ${await r.text()}`);
  return json<T>(r);
}

async function buildWorld(): Promise<World> {
  const ada = f.token("ada");
  const post = (path: string, body: unknown) => ok(api(path, { method: "POST", body: JSON.stringify(body), token: ada }));
  const eventId = crypto.randomUUID();
  await post("/v1/activities", { events: [{ clientEventId: eventId, kind: "touch", occurredAt: new Date().toISOString(), source: "api" }] });
  const customer = await post("/v1/key-customers", { label: "Fuzz Co" });
  const channel = await post("/v1/channels", { kind: "webhook", name: "Fuzz hook", config: { url: "http://127.0.0.1:9/hook" }, secret: "fuzz-secret-1" });
  const target = await post("/v1/targets", { scope: "rep", subjectId: f.id("rob"), periodKey: "2026-11", amount: 1_000 });
  const spareToken = await pairToken("rob");
  const now = Date.now();
  await runSql([
    `INSERT INTO alerts (id, org_id, user_id, level, rule, natural_key, status, details, opened_at) VALUES ('alr_fz', '${f.orgId}', '${f.id("rob")}', 'yellow', 'below_kpi_2', 'fz:1', 'open', '{}', ${now})`,
    `INSERT INTO coaching_tasks (id, org_id, user_id, assignee_id, alert_id, kind, natural_key, due_day, status, created_at) VALUES ('tsk_fz', '${f.orgId}', '${f.id("rob")}', '${f.id("mia")}', 'alr_fz', 'coaching', 'fz:1', '2026-11-17', 'open', ${now})`,
    `INSERT INTO users (id, org_id, team_id, name, role, seniority, created_at) VALUES ('usr_fz_gone', '${f.orgId}', 'team_fz_team1', 'gone', 'rep', 'mid', ${now})`,
  ]);
  const revoked = await pairToken("rae");
  const deactivated = await pairToken("usr_fz_gone");
  await runSql([
    `UPDATE device_tokens SET revoked_at = ${now} WHERE id = '${revoked.tokenId}'`,
    `UPDATE users SET active = 0 WHERE id = 'usr_fz_gone'`,
  ]);
  return {
    // Path parameters by resource (the first segment after /v1).
    ids: {
      activities: eventId,
      tokens: spareToken.tokenId,
      users: f.id("rob"),
      teams: "team_fz_team1",
      "key-customers": customer.id,
      alerts: "alr_fz",
      tasks: "tsk_fz",
      channels: channel.id,
      targets: target.id,
    },
    revokedToken: revoked.token,
    deactivatedToken: deactivated.token,
    targetVersion: target.version,
  };
}

/** A real id for a route's path parameter, or an id of the right shape that names nothing (routes added later). */
function realPath(spec: RouteSpec, override?: string): string {
  const resource = spec.path.split("/")[2] ?? "";
  return spec.path.replace(/\{(\w+)\}/g, () => encodeURIComponent(override ?? world.ids[resource] ?? "id_that_names_nothing"));
}

// ---- Valid examples: each case corrupts one part of an otherwise valid request --------------------------------------

const iso = (ms = Date.now()) => new Date(ms).toISOString();
const targetCsvRow = () => ["rep", f.id("rob"), "rob", "revenue", "month", "2026-12", "2026-12-01", "2026-12-31", "base", "5000"];
const activityCsvRow = () => [crypto.randomUUID(), f.id("rob"), "rob", "won", iso(Date.now() - 3_600_000), "", "12345", "Acme", "api"];

interface CsvRoute {
  columns: readonly string[];
  required: readonly string[];
  row: z.ZodType;
  example: () => string[];
}
const CSV_ROUTES: Partial<Record<RouteName, CsvRoute>> = {
  importTargetsCsv: { columns: TARGET_CSV_COLUMNS, required: TARGET_CSV_REQUIRED, row: TargetCsvRow, example: targetCsvRow },
  importActivitiesCsv: { columns: ACTIVITY_CSV_COLUMNS, required: ACTIVITY_CSV_REQUIRED, row: ActivityCsvRow, example: activityCsvRow },
};

const plan = () => ({
  year: 2027,
  scope: "team",
  teamId: "team_fz_team1",
  metric: "revenue",
  lastYearActual: 12_000_000,
  growth: { percent: 10 },
  seasonality: { quarterWeights: [1, 1, 1, 2], monthWeights: [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 3] },
  repSplit: { mode: "seniority", weights: { junior: 3, mid: 4, senior: 5 } },
  reps: [f.id("rob"), f.id("rae")],
  levels: ["base", "stretch", "challenge"],
  levelBasisPoints: { stretch: 12_000, challenge: 15_000 },
});

/** Bodies every schema accepts; mutations start here. Routes missing here start from {} (still fuzzed). */
const EXAMPLES: Partial<Record<RouteName, () => unknown>> = {
  pair: () => ({ code: "ABCD-EFGH", deviceLabel: "Chrome on laptop" }),
  postActivities: () => ({
    sentAt: iso(),
    events: [
      { clientEventId: crypto.randomUUID(), kind: "won", occurredAt: iso(Date.now() - 60_000), source: "popup", amount: 120_000, customer: "Acme" },
      { clientEventId: crypto.randomUUID(), kind: "touch", occurredAt: iso(Date.now() - 30_000), source: "shortcut" },
    ],
  }),
  createPairingCode: () => ({ userId: f.id("rob") }),
  updateOrg: () => ({
    name: "Fuzz Org",
    timeZone: "Asia/Shanghai",
    weekStartsOn: 1,
    workingWeekdays: [1, 2, 3, 4, 5],
    holidays: ["2026-10-01", "2026-10-02"],
    makeupWorkdays: ["2026-09-27"],
    language: "zh-CN",
    settings: {
      tiers: [
        { id: "base", percent: 60 },
        { id: "top", percent: 100 },
      ],
      scoreWeights: { result: 60, process: 40 },
      colourBands: { red: 0.4, yellow: 0.9 },
      leaderboardPrivacy: "neighbours",
      keyCustomerSilenceDays: 5,
      undoWindowMinutes: 15,
      kpiOverrides: { junior: { touch: 10 } },
      levelBasisPoints: { stretch: 11_000, challenge: 13_000 },
      seniorityWeights: { junior: 1, mid: 2, senior: 3 },
    },
  }),
  createUser: () => ({ name: "New Rep", email: "new@fuzz.test", role: "rep", seniority: "junior", teamId: "team_fz_team1", managerId: f.id("mia"), hireDate: "2026-11-02", rampPercent: 50 }),
  updateUser: () => ({ name: "Rob R.", seniority: "senior", rampPercent: 80, hireDate: "2025-01-06", managerId: f.id("mia"), email: null }),
  createTeam: () => ({ name: "Team 3", kind: "team", parentId: "team_fz_dept", leaderId: f.id("max") }),
  updateTeam: () => ({ name: "Team One", parentId: "team_fz_dept", leaderId: f.id("mia") }),
  addKeyCustomer: () => ({ label: "Globex", userId: f.id("rob"), lastResponseAt: iso(Date.now() - 86_400_000) }),
  completeTask: () => ({ note: "Talked it through; shadowing Rae on Thursday." }),
  createChannel: () => ({ kind: "email", name: "Mail", teamId: "team_fz_team1", enabled: true, config: { transport: "api", url: "http://127.0.0.1:9/mail", from: "hud@fuzz.test", to: ["a@fuzz.test"] }, secret: "api-key-123456" }),
  updateChannel: () => ({ name: "Renamed", enabled: false, config: { url: "http://127.0.0.1:9/other" }, secret: "another-secret-1" }),
  createTarget: () => ({ scope: "rep", subjectId: f.id("rae"), metric: "proposal_sent", periodKey: "2026-W48", level: "stretch", amount: 12, reason: "Q4 push" }),
  updateTarget: () => ({ amount: 2_000, reason: "More leads", expectedVersion: world.targetVersion }),
  decomposeTargets: plan,
  applyDecomposition: () => ({ ...plan(), reason: "Plan 2027" }),
  importTargetsCsv: () => formatCsv([[...TARGET_CSV_COLUMNS], targetCsvRow()]),
  importActivitiesCsv: () => formatCsv([[...ACTIVITY_CSV_COLUMNS], activityCsvRow()]),
};

// ---- Generators ------------------------------------------------------------------------------------------------------

const graphemes = (minLength: number, maxLength: number) => fc.string({ unit: "grapheme", minLength, maxLength });
const printable = (minLength: number, maxLength: number) =>
  fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((n) => String.fromCharCode(n)), minLength, maxLength });
const tokenChars = fc.string({ unit: fc.integer({ min: 0x21, max: 0x7e }).map((n) => String.fromCharCode(n)), minLength: 16, maxLength: 256 });

const junk: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.constantFrom<unknown>(null, true, false, 0, -1, 1.5, -0.25, 1e308, -1e308, 2 ** 53 + 2, "", " ", "0", "null", "2026-02-30", "2026-11-16T25:00:00Z", "x".repeat(5_000), [], {}, [[]], { "": null }),
  graphemes(0, 60),
  fc.integer(),
);

type JsonPath = (string | number)[];
function nodePaths(value: unknown, at: JsonPath = []): JsonPath[] {
  const out: JsonPath[] = [at];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...nodePaths(v, [...at, i])));
  else if (value !== null && typeof value === "object") for (const [k, v] of Object.entries(value)) out.push(...nodePaths(v, [...at, k]));
  return out;
}
const setOwn = (o: object, key: string | number, value: unknown) => Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });

/** One structural change at one node of a valid body: delete, replace, add a key or item, wrap, stringify. */
function mutate(example: unknown, m: { pick: number; op: string; value: unknown; key: string }): unknown {
  const copy = structuredClone(example);
  const paths = nodePaths(copy);
  const path = paths[m.pick % paths.length]!;
  if (path.length === 0) return m.op === "add" && copy !== null && typeof copy === "object" ? setOwn(copy, m.key, m.value) : m.value;
  let parent = copy as Record<string | number, unknown>;
  for (const step of path.slice(0, -1)) parent = parent[step] as Record<string | number, unknown>;
  const last = path.at(-1)!;
  const node = parent[last];
  switch (m.op) {
    case "delete":
      if (Array.isArray(parent)) parent.splice(last as number, 1);
      else delete parent[last];
      break;
    case "add":
      if (Array.isArray(node)) node.push(m.value);
      else if (node !== null && typeof node === "object") setOwn(node, m.key, m.value);
      else setOwn(parent, last, m.value);
      break;
    case "wrap":
      setOwn(parent, last, [node]);
      break;
    case "stringify":
      setOwn(parent, last, JSON.stringify(node) ?? "");
      break;
    default:
      setOwn(parent, last, m.value);
  }
  return copy;
}

/** Byte sequences that are not UTF-8: a lone continuation byte, an overlong '/', a truncated sequence, a surrogate, 0xFF. */
const BAD_UTF8 = [[0x80], [0xc0, 0xaf], [0xe2, 0x82], [0xed, 0xa0, 0x80], [0xff], [0xc3, 0x28]];
const withBadBytes = (text: string, at: number, bad: number[]) => {
  const bytes = new TextEncoder().encode(text);
  const i = at % (bytes.length + 1);
  return new Uint8Array([...bytes.subarray(0, i), ...bad, ...bytes.subarray(i)]);
};

/**
 * `base` filtered by `refused` — or null when samples show the filter can (almost) never hold, e.g. a schema that
 * accepts any string: fast-check's filter would otherwise retry forever. Such a variant is left out, not faked.
 */
function onlyRefused<T>(base: fc.Arbitrary<T>, refused: (value: T) => boolean): fc.Arbitrary<T> | null {
  return fc.sample(base, { numRuns: 300, seed: 7 }).some(refused) ? base.filter(refused) : null;
}
const present = <T>(xs: (T | null)[]): T[] => xs.filter((x): x is T => x !== null);

const isJsonContentType = (ct: string) => /^application\/([\w.-]+\+)?json\s*(;|$)/i.test(ct.trim());

interface Case {
  part: string;
  method: string;
  path: string;
  query: string;
  headers: Record<string, string>;
  body?: string | Uint8Array;
}
type Change = Partial<Pick<Case, "path" | "query" | "body">> & { part: string; headers?: Record<string, string | undefined> };

function jsonBodyChanges(schema: z.ZodType, example: unknown): fc.Arbitrary<Change> {
  const exampleJson = JSON.stringify(example);
  const refused = (text: string) => {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return true;
    }
    return !schema.safeParse(value).success;
  };
  const asJson = (part: string) => (body: string): Change => ({ part, body, headers: { "content-type": "application/json" } });
  const weighted = (weight: number, arbitrary: fc.Arbitrary<Change> | null) => (arbitrary ? { weight, arbitrary } : null);
  const filtered = (base: fc.Arbitrary<string>, part: string) => onlyRefused(base, refused)?.map(asJson(part)) ?? null;
  return fc.oneof(
    ...present([
      weighted(
        4,
        filtered(
          fc
            .record({ pick: fc.nat(), op: fc.constantFrom("delete", "replace", "replace", "add", "wrap", "stringify"), value: junk, key: graphemes(0, 12) })
            .map((m) => JSON.stringify(mutate(example, m)) ?? ""),
          "body: one node changed",
        ),
      ),
      weighted(1, filtered(fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)), "body: any JSON")),
      weighted(1, filtered(graphemes(0, 80), "body: not JSON")),
      weighted(1, filtered(fc.nat().map((n) => exampleJson.slice(0, n % exampleJson.length)), "body: truncated")),
      weighted(
        1,
        fc
          .tuple(fc.nat(), fc.constantFrom(...BAD_UTF8))
          .map(([at, bad]): Change => ({ part: "body: not UTF-8", body: withBadBytes(exampleJson, at, bad), headers: { "content-type": "application/json" } })),
      ),
      weighted(
        1,
        fc
          .oneof(
            fc.constantFrom("text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "text/csv", "application/jsonx", "json", ""),
            printable(0, 40),
          )
          .filter((ct) => !isJsonContentType(ct))
          .map((ct): Change => ({ part: "body: not declared JSON", body: exampleJson, headers: { "content-type": ct || undefined } })),
      ),
      weighted(1, fc.constant<Change>({ part: "body: too large", body: JSON.stringify({ pad: "x".repeat(MAX_BODY_BYTES) }), headers: { "content-type": "application/json" } })),
    ]),
  );
}

function csvBodyChanges(csv: CsvRoute): fc.Arbitrary<Change> {
  const valid = () => formatCsv([[...csv.columns], csv.example()]);
  /** Would the import refuse this text? The same reader and row schema as the worker. */
  const refused = (text: string) => {
    const table = readCsvTable(text, { required: csv.required, optional: csv.columns.filter((c) => !csv.required.includes(c)) });
    return table.problems.length > 0 || table.rows.length > MAX_IMPORT_ROWS || table.rows.some((r) => !csv.row.safeParse(r.values).success);
  };
  const asCsv = (part: string) => (body: string): Change => ({ part, body, headers: { "content-type": "text/csv; charset=utf-8" } });
  const cell = fc.oneof(graphemes(0, 30), junk.map((v) => (typeof v === "string" ? v : (JSON.stringify(v) ?? ""))));
  return fc.oneof(
    {
      weight: 4,
      arbitrary: onlyRefused(
        fc
          .array(fc.record({ row: fc.nat(), column: fc.nat(), value: cell }), { minLength: 1, maxLength: 4 })
          .chain((edits) =>
            fc.integer({ min: 1, max: 3 }).map((n) => {
              const rows = Array.from({ length: n }, () => csv.example());
              for (const e of edits) rows[e.row % n]![e.column % csv.columns.length] = e.value;
              return formatCsv([[...csv.columns], ...rows]);
            }),
          ),
        refused,
      )!.map(asCsv("csv: bad cells")),
    },
    {
      weight: 1,
      arbitrary: fc
        .subarray([...csv.columns], { minLength: 0 })
        .filter((header) => csv.required.some((c) => !header.includes(c)))
        .chain((header) => fc.array(fc.array(cell, { minLength: header.length, maxLength: header.length }), { maxLength: 3 }).map((rows) => formatCsv([header, ...rows])))
        .map(asCsv("csv: a required column missing")),
    },
    { weight: 1, arbitrary: onlyRefused(fc.oneof(graphemes(0, 200), printable(0, 200)), refused)!.map(asCsv("csv: any text")) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.nat(), fc.constantFrom(...BAD_UTF8))
        .map(([at, bad]): Change => ({ part: "csv: not UTF-8", body: withBadBytes(valid(), at, bad), headers: { "content-type": "text/csv" } })),
    },
    {
      weight: 1,
      arbitrary: fc
        .oneof(
          fc.constantFrom("application/json", "application/csv", "text/csvx", "multipart/form-data; boundary=x", "", "text/csv; charset=gbk", "text/plain; charset=utf-16", "text/csv;charset=latin1"),
          printable(0, 40),
        )
        .filter((ct) => {
          const [mime, ...params] = ct.toLowerCase().split(";").map((s) => s.trim());
          const charset = params.find((p) => p.startsWith("charset="))?.slice(8).replace(/"/g, "");
          return !((mime === "text/csv" || mime === "text/plain") && (!charset || charset === "utf-8" || charset === "utf8"));
        })
        .map((ct): Change => ({ part: "csv: not declared UTF-8 CSV", body: valid(), headers: { "content-type": ct || undefined } })),
    },
    {
      weight: 1,
      arbitrary: fc.constant(0).map(() => asCsv("csv: too many rows")(formatCsv([[...csv.columns], ...Array.from({ length: MAX_IMPORT_ROWS + 1 }, csv.example)]))),
    },
  );
}

const encodeQuery = (pairs: [string, string][]) => pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join("&");

function queryChanges(schema: z.ZodType): fc.Arbitrary<Change> | null {
  const keys = schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
  const refused = (pairs: [string, string][]) => !schema.safeParse(Object.fromEntries(pairs)).success;
  const value = fc.oneof(graphemes(0, 30), fc.constantFrom("", "0", "-1", "1e3", "NaN", "true", "2026-02-30", "x".repeat(100), "%", "null"));
  const unknownKey = graphemes(1, 20).filter((k) => !keys.includes(k));
  const variants = present([
    onlyRefused(fc.tuple(unknownKey, value).map(([k, v]) => [[k, v]] as [string, string][]), refused)?.map((pairs) => ({
      part: "query: unknown parameter",
      query: encodeQuery(pairs),
    })) ?? null,
    keys.length === 0
      ? null
      : (onlyRefused(fc.uniqueArray(fc.tuple(fc.constantFrom(...keys), value), { minLength: 1, maxLength: 3, selector: ([k]) => k }), refused)?.map((pairs) => ({
          part: "query: bad value",
          query: encodeQuery(pairs),
        })) ?? null),
    keys.length === 0
      ? null
      : fc.tuple(fc.constantFrom(...keys), value, value).map(([k, a, b]) => ({ part: "query: repeated parameter", query: encodeQuery([[k, a], [k, b]]) })),
  ]);
  return variants.length ? fc.oneof(...variants) : null;
}

function pathChanges(spec: RouteSpec): fc.Arbitrary<Change> {
  // "." and ".." cannot be path parameters: URLs resolve them as dot segments.
  const id = fc.oneof(
    graphemes(1, 40).filter((s) => s !== "." && s !== ".."),
    fc.constantFrom(
      "0",
      "-1",
      "null",
      "%",
      "' OR '1'='1",
      "../../etc/passwd",
      "x".repeat(65),
      "x".repeat(300),
      f.id("xrep"),
      f.id("xadmin"),
      "team_fz_xteam",
      `${f.id("rob")} `,
      f.id("rob").toUpperCase(),
      "00000000-0000-4000-8000-000000000000",
    ),
  );
  return id.map((bad) => ({ part: "path: unknown id", path: realPath(spec, bad) }));
}

function authChanges(): fc.Arbitrary<Change> {
  const authorization = fc.oneof(
    fc.constantFrom<string | undefined>(
      undefined,
      "",
      "Bearer",
      "Bearer ",
      "Bearer short",
      "Basic dXNlcjpwYXNzd29yZA==",
      "Token abcdefghijklmnopqrstuvwxyz",
      `Bearer ${world.revokedToken}`,
      `Bearer ${world.deactivatedToken}`,
      `Bearer ${world.revokedToken} ${world.revokedToken}`,
    ),
    tokenChars.map((t) => `Bearer ${t}`),
    printable(0, 120),
  );
  return authorization.map((value) => ({ part: "auth: bad credentials", headers: { authorization: value } }));
}

/** Headers that must change nothing, on every case. */
const noiseHeaders = fc.dictionary(
  fc.constantFrom("x-debug-now", "accept", "accept-language", "origin", "x-forwarded-for", "x-request-id", "if-none-match", "cache-control", "x-http-method-override", "user-agent"),
  fc.oneof(printable(0, 60), fc.date({ noInvalidDate: true }).map((d) => d.toISOString())),
  { maxKeys: 3 },
);

/** The parts of a route's requests that can be wrong; bad credentials get a quarter of the weight of the others. */
function parts(name: RouteName, spec: RouteSpec): { weight: number; arbitrary: fc.Arbitrary<Change> }[] {
  const out: { weight: number; arbitrary: fc.Arbitrary<Change> }[] = [];
  if (spec.body) {
    const csv = CSV_ROUTES[name];
    out.push({ weight: 4, arbitrary: spec.body === CsvText ? csvBodyChanges(csv!) : jsonBodyChanges(spec.body, EXAMPLES[name]?.() ?? {}) });
  }
  const query = spec.query && queryChanges(spec.query);
  if (query) out.push({ weight: 4, arbitrary: query });
  if (/\{\w+\}/.test(spec.path)) out.push({ weight: 4, arbitrary: pathChanges(spec) });
  if (spec.auth) out.push({ weight: 1, arbitrary: authChanges() });
  return out;
}

function caseArbitrary(name: RouteName, spec: RouteSpec, tokens: { admin: string; rep: string }): fc.Arbitrary<Case> {
  const changes = parts(name, spec);
  return fc.tuple(fc.oneof(...changes), noiseHeaders, fc.constantFrom("admin", "admin", "admin", "rep")).map(([change, noise, role]) => {
    const headers: Record<string, string | undefined> = { ...noise };
    if (spec.auth) headers.authorization = `Bearer ${tokens[role as "admin" | "rep"]}`;
    let body: string | Uint8Array | undefined;
    if (spec.body) {
      const example = EXAMPLES[name]?.() ?? {};
      body = spec.body === CsvText ? (example as string) : JSON.stringify(example);
      headers["content-type"] = spec.body === CsvText ? "text/csv; charset=utf-8" : "application/json";
    }
    Object.assign(headers, change.headers);
    return {
      part: change.part,
      method: spec.method,
      path: change.path ?? realPath(spec),
      query: change.query ?? "",
      headers: Object.fromEntries(Object.entries(headers).filter((e): e is [string, string] => e[1] !== undefined)),
      ...("body" in change ? { body: change.body } : body === undefined ? {} : { body }),
    };
  });
}

// ---- Sending and judging ---------------------------------------------------------------------------------------------

/**
 * Straight into the worker's fetch handler with the real bindings and a real execution context (the `exports`
 * loopback costs tens of ms per error answer on a busy machine, and the fuzz sends ten thousand).
 */
async function send(k: Case): Promise<{ status: number; contentType: string; text: string }> {
  const url = `http://hud.test${k.path}${k.query ? `?${k.query}` : ""}`;
  // Bytes, never a string: a string body would make Request add "text/plain" when the case has no Content-Type.
  const body = typeof k.body === "string" ? new TextEncoder().encode(k.body) : k.body;
  const request = new Request(url, { method: k.method, headers: k.headers, ...(body === undefined ? {} : { body }) });
  const ctx = createExecutionContext();
  const res = await worker.fetch(request as Request<unknown, IncomingRequestCfProperties>, env, ctx);
  await waitOnExecutionContext(ctx);
  return { status: res.status, contentType: res.headers.get("content-type") ?? "", text: await res.text() };
}

const Envelope = z.strictObject({
  error: z.strictObject({ code: z.enum(Object.keys(ERROR_CODES) as [ErrorCode, ...ErrorCode[]]), message: z.string().min(1), details: z.unknown().optional() }),
});

function judge(k: Case, res: { status: number; contentType: string; text: string }): void {
  const where = `${k.part} — ${k.method} ${k.path}${k.query ? `?${k.query}` : ""} → ${res.status} ${res.text.slice(0, 300)}`;
  if (res.status < 400 || res.status > 499) throw new Error(`not a 4xx: ${where}`);
  if (res.status === 429) throw new Error(`rate limited (the fuzz must reach validation): ${where}`);
  if (!/^application\/json\b/.test(res.contentType)) throw new Error(`not JSON (${res.contentType}): ${where}`);
  let body: unknown;
  try {
    body = JSON.parse(res.text);
  } catch {
    throw new Error(`invalid JSON: ${where}`);
  }
  const envelope = Envelope.safeParse(body);
  if (!envelope.success) throw new Error(`not the error envelope: ${where}`);
  if (ERROR_CODES[envelope.data.error.code] !== res.status) throw new Error(`code ${envelope.data.error.code} with status ${res.status}: ${where}`);
}

// ---- The tests -------------------------------------------------------------------------------------------------------

const ROUTE_NAMES = Object.keys(routes) as RouteName[];
const spec = (name: RouteName) => routes[name] as RouteSpec;
const takesInput = (r: RouteSpec) => r.body !== undefined || r.query !== undefined || /\{\w+\}/.test(r.path) || r.auth;
const FUZZED = ROUTE_NAMES.filter((name) => takesInput(spec(name)));
const INPUTLESS = ROUTE_NAMES.filter((name) => !FUZZED.includes(name));

beforeAll(async () => {
  f = await makeFixture("fz");
  world = await buildWorld();
}, 60_000);

describe("fuzz: malformed requests to every route", () => {
  it("starts from valid examples (a mutation of an invalid body would prove nothing)", () => {
    for (const [name, example] of Object.entries(EXAMPLES) as [RouteName, () => unknown][]) {
      const body = spec(name).body!;
      if (body === CsvText) {
        const csv = CSV_ROUTES[name]!;
        const table = readCsvTable(example() as string, { required: csv.required, optional: csv.columns });
        expect(table.problems, name).toEqual([]);
        for (const row of table.rows) expect(csv.row.safeParse(row.values).success, name).toBe(true);
      } else {
        const parsed = body.safeParse(example());
        expect(parsed.success, `${name}: ${parsed.error?.message}`).toBe(true);
      }
    }
    // Every route is either fuzzed or has no input at all.
    expect(INPUTLESS.sort()).toEqual(["health", "openapi", "ping"]);
    // Every declared query can be refused (a query schema that takes anything is a hole in the contract).
    for (const name of ROUTE_NAMES) if (spec(name).query) expect(queryChanges(spec(name).query!), name).not.toBeNull();
  });

  it("digests the database so that any write shows, except the token bookkeeping", async () => {
    const before = await tableDigests();
    await runSql([`UPDATE teams SET name = name || '!' WHERE id = 'team_fz_team2'`]);
    const changed = await tableDigests();
    expect(changed.teams).not.toBe(before.teams);
    expect({ ...changed, teams: before.teams }).toEqual(before);
    await runSql([`UPDATE teams SET name = substr(name, 1, length(name) - 1) WHERE id = 'team_fz_team2'`]);
    await runSql([`UPDATE device_tokens SET last_used_at = 1 WHERE org_id = '${f.orgId}'`]);
    expect(await tableDigests()).toEqual(before);
  });

  it.each(FUZZED)(
    "%s: every malformed request is a 4xx JSON envelope and writes nothing",
    async (name) => {
      const route = spec(name);
      // Fresh tokens per route: 200+ requests stay under the per-token limit of 300 / 10 s.
      const tokens = { admin: (await pairToken("ada")).token, rep: (await pairToken("rob")).token };
      const before = await tableDigests();
      await fc.assert(
        fc.asyncProperty(caseArbitrary(name, route, tokens), async (k) => judge(k, await send(k))),
        { numRuns: RUNS },
      );
      expect(await tableDigests()).toEqual(before);
    },
    120_000,
  );

  it.each<[string, FixtureUser]>([
    ["/v1/progress", "rob"],
    ["/v1/team/summary", "mia"],
    ["/v1/leaderboard", "rob"],
    ["/v1/funnel", "mia"],
    ["/v1/me", "rob"],
    ["/v1/targets", "mia"],
  ])(
    "a valid GET %s survives any X-Debug-Now (the tests' clock header): 200, never 5xx",
    async (path, user) => {
      const token = (await pairToken(user)).token;
      const clock = fc.oneof(fc.date({ noInvalidDate: true }).map((d) => d.toISOString()), printable(0, 40), fc.constantFrom("0", "1e20", "2026-11-16", "2099-12-31T23:59:59.999Z"));
      await fc.assert(
        fc.asyncProperty(clock, async (now) => {
          const res = await send({ part: "clock", method: "GET", path, query: "", headers: { authorization: `Bearer ${token}`, "x-debug-now": now } });
          if (res.status !== 200) throw new Error(`x-debug-now ${now}: ${res.status} ${res.text.slice(0, 200)}`);
        }),
        { numRuns: 40 },
      );
    },
    60_000,
  );

  it.each(INPUTLESS)(
    "%s takes no input: junk query and headers are ignored, nothing is written",
    async (name) => {
      const route = spec(name);
      const before = await tableDigests();
      const junkQuery = fc.array(fc.tuple(graphemes(1, 20), graphemes(0, 20)), { maxLength: 3 }).map(encodeQuery);
      await fc.assert(
        fc.asyncProperty(junkQuery, noiseHeaders, async (query, headers) => {
          const res = await send({ part: "junk", method: route.method, path: route.path, query, headers });
          if (res.status !== 200 || !/^application\/json\b/.test(res.contentType)) throw new Error(`${route.path}?${query} → ${res.status} ${res.text.slice(0, 200)}`);
          JSON.parse(res.text);
        }),
        { numRuns: RUNS },
      );
      expect(await tableDigests()).toEqual(before);
    },
    120_000,
  );
});
