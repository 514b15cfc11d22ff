import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { parseCsv } from "../../shared/csv";
import { makeFixture, type Fixture, type FixtureUser } from "../test/fixture";
import { api, count, json, runSql } from "../test/helpers";

// Monday 2026-11-16, 12:00 in Shanghai.
const NOW = Date.parse("2026-11-16T04:00:00Z");

let f: Fixture;
const call = (user: FixtureUser, path: string, init: { method?: string; body?: string; type?: string } = {}) =>
  api(path, {
    method: init.method ?? "GET",
    token: f.token(user),
    now: NOW,
    ...(init.body === undefined ? {} : { body: init.body, headers: { "content-type": init.type ?? "text/csv; charset=utf-8" } }),
  });
const exportCsv = async (user: FixtureUser, what: "targets" | "activities", query = "") => {
  const res = await call(user, `/v1/export/${what}.csv${query}`);
  expect(res.status, await res.clone().text()).toBe(200);
  return new Uint8Array(await res.arrayBuffer());
};
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
const importCsv = (user: FixtureUser, what: "targets" | "activities", body: string | Uint8Array, query = "") =>
  call(user, `/v1/import/${what}${query}`, { method: "POST", body: typeof body === "string" ? body : text(body) });

/** Every row of the tables an import may touch, for "nothing changed" checks. */
const snapshot = async () => {
  const all = async (table: string) => (await env.DB.prepare(`SELECT * FROM ${table} ORDER BY 1`).all()).results;
  return { targets: await all("targets"), versions: await all("target_versions"), activities: await all("activities"), customers: await all("key_customers") };
};

const TRICKY_CUSTOMER = '华为, "深圳"\n总部';

beforeAll(async () => {
  f = await makeFixture("csv", NOW);
  await runSql([
    `UPDATE users SET name = '罗伯' WHERE id = '${f.id("rob")}'`,
    `UPDATE users SET name = '瑞, "小"' WHERE id = '${f.id("rae")}'`,
    `UPDATE teams SET name = '华东一组' WHERE id = 'team_csv_team1'`,
    `INSERT INTO key_customers (id, org_id, user_id, label, last_response_at, created_at) VALUES ('kc_csv_1', '${f.orgId}', '${f.id("rob")}', '${TRICKY_CUSTOMER.replace(/'/g, "''")}', 0, ${NOW})`,
  ]);
  const target = async (user: FixtureUser, body: Record<string, unknown>) => {
    const res = await call(user, "/v1/targets", { method: "POST", body: JSON.stringify(body), type: "application/json" });
    expect(res.status, await res.clone().text()).toBe(201);
  };
  await target("ada", { scope: "org", periodKey: "2026", amount: 120_000_000 });
  await target("ada", { scope: "team", subjectId: "team_csv_team1", periodKey: "2026-Q4", amount: 9_000_000, level: "stretch" });
  await target("mia", { scope: "rep", subjectId: f.id("rob"), periodKey: "2026-11", amount: 1_100_000 });
  await target("mia", { scope: "rep", subjectId: f.id("rae"), periodKey: "2026-W47", metric: "proposal_sent", amount: 10 });
  await target("max", { scope: "rep", subjectId: f.id("ron"), periodKey: "2026-11-16", metric: "touch", amount: 8 });

  const event = (day: string, kind: string, extra: Record<string, unknown> = {}, time = "02:30:00.123") => ({
    clientEventId: crypto.randomUUID(),
    kind,
    occurredAt: `${day}T${time}Z`,
    source: "popup",
    ...extra,
  });
  const post = async (user: FixtureUser, events: unknown[]) => {
    const res = await call(user, "/v1/activities", { method: "POST", body: JSON.stringify({ events }), type: "application/json" });
    expect(res.status, await res.clone().text()).toBe(201);
  };
  await post("rob", [
    event("2026-11-10", "touch", { customer: TRICKY_CUSTOMER }),
    event("2026-11-12", "won", { amount: 250_000, customer: "Acme, Inc." }),
    event("2026-11-13", "proposal_sent"),
  ]);
  await post("rae", [event("2026-11-11", "touch", { customer: "  阿里巴巴  " }), event("2026-11-14", "demo_or_visit", { source: "overlay" })]);
  await post("ron", [event("2026-11-12", "lead", {}, "05:00:00.000")]);
});

describe("GET /v1/export/*.csv", () => {
  it("writes UTF-8 with a BOM, CRLF records, a header row and RFC 4180 quoting", async () => {
    const res = await call("ada", "/v1/export/targets.csv");
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toBe('attachment; filename="targets.csv"');
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const csv = text(bytes);
    expect(csv.endsWith("\r\n")).toBe(true);
    expect(csv.split("\r\n")[0]).toBe("scope,subject_id,subject_name,metric,period_kind,period_key,period_start,period_end,level,amount");
    expect(parseCsv(csv)).toEqual([
      ["scope", "subject_id", "subject_name", "metric", "period_kind", "period_key", "period_start", "period_end", "level", "amount"],
      ["org", f.orgId, "Fixture csv", "revenue", "year", "2026", "2026-01-01", "2026-12-31", "base", "120000000"],
      ["team", "team_csv_team1", "华东一组", "revenue", "quarter", "2026-Q4", "2026-10-01", "2026-12-31", "stretch", "9000000"],
      ["rep", f.id("rob"), "罗伯", "revenue", "month", "2026-11", "2026-11-01", "2026-11-30", "base", "1100000"],
      ["rep", f.id("ron"), "ron", "touch", "day", "2026-11-16", "2026-11-16", "2026-11-16", "base", "8"],
      ["rep", f.id("rae"), '瑞, "小"', "proposal_sent", "week", "2026-W47", "2026-11-16", "2026-11-22", "base", "10"],
    ]);
    expect(csv).toContain(`"瑞, ""小"""`);
  });

  it("exports activities oldest first, with ISO instants, empty cells for none, and quoted multi-line labels", async () => {
    const rows = parseCsv(text(await exportCsv("ada", "activities")));
    expect(rows[0]).toEqual(["client_event_id", "user_id", "user_name", "kind", "occurred_at", "day", "amount", "customer", "source"]);
    expect(rows.slice(1).map((r) => [r[2], r[3], r[4], r[5], r[6], r[7], r[8]])).toEqual([
      ["罗伯", "touch", "2026-11-10T02:30:00.123Z", "2026-11-10", "", TRICKY_CUSTOMER, "popup"],
      ["瑞, \"小\"", "touch", "2026-11-11T02:30:00.123Z", "2026-11-11", "", "阿里巴巴", "popup"],
      ["罗伯", "won", "2026-11-12T02:30:00.123Z", "2026-11-12", "250000", "Acme, Inc.", "popup"],
      ["ron", "lead", "2026-11-12T05:00:00.000Z", "2026-11-12", "", "", "popup"],
      ["罗伯", "proposal_sent", "2026-11-13T02:30:00.123Z", "2026-11-13", "", "", "popup"],
      ["瑞, \"小\"", "demo_or_visit", "2026-11-14T02:30:00.123Z", "2026-11-14", "", "", "overlay"],
    ]);
  });

  it("exports only the caller's scope, and filters by days and user", async () => {
    const subjects = async (user: FixtureUser, query = "") => parseCsv(text(await exportCsv(user, "targets", query))).slice(1).map((r) => r[1]);
    expect(await subjects("rob")).toEqual([f.orgId, "team_csv_team1", f.id("rob")]);
    expect(await subjects("mia")).toEqual([f.orgId, "team_csv_team1", f.id("rob"), f.id("rae")]);
    expect(await subjects("max")).toEqual([f.orgId, f.id("ron")]);
    expect(await subjects("xadmin")).toEqual([]);
    expect(await subjects("ada", "?from=2026-11-17&to=2026-11-30")).toEqual([f.orgId, "team_csv_team1", f.id("rob"), f.id("rae")]);
    expect(await subjects("ada", `?userId=${f.id("rae")}`)).toEqual([f.id("rae")]);

    const users = async (user: FixtureUser, query = "") => parseCsv(text(await exportCsv(user, "activities", query))).slice(1).map((r) => r[1]);
    expect(new Set(await users("rob"))).toEqual(new Set([f.id("rob")]));
    expect(new Set(await users("mia"))).toEqual(new Set([f.id("rob"), f.id("rae")]));
    expect(await users("ada", "?from=2026-11-12&to=2026-11-12")).toEqual([f.id("rob"), f.id("ron")]);
    expect(await users("ada", `?userId=${f.id("rae")}`)).toEqual([f.id("rae"), f.id("rae")]);
    expect(await users("xadmin")).toEqual([]);

    for (const what of ["targets", "activities"]) {
      expect((await call("rob", `/v1/export/${what}.csv?userId=${f.id("rae")}`)).status).toBe(404);
      expect((await call("mia", `/v1/export/${what}.csv?userId=${f.id("ron")}`)).status).toBe(404);
      expect((await call("ada", `/v1/export/${what}.csv?from=2026-12-01&to=2026-11-01`)).status).toBe(400);
      expect((await call("ada", `/v1/export/${what}.csv?orgId=x`)).status).toBe(400);
    }
  });
});

describe("export → import round trip", () => {
  it("re-importing an export changes nothing (no new versions, no new events)", async () => {
    const before = await snapshot();
    const targets = await exportCsv("ada", "targets");
    const res = await importCsv("ada", "targets", targets);
    expect(res.status, await res.clone().text()).toBe(200);
    expect(await json(res)).toEqual({ dryRun: false, rows: 5, created: 0, updated: 0, unchanged: 5 });
    const activities = await exportCsv("ada", "activities");
    const resA = await importCsv("ada", "activities", activities);
    expect(await json(resA)).toEqual({ dryRun: false, rows: 6, created: 0, duplicates: 6 });
    expect(await snapshot()).toEqual(before);
  });

  it("lets a manager re-import their own export, although it holds the org's target they cannot set", async () => {
    const before = await snapshot();
    const res = await importCsv("mia", "targets", await exportCsv("mia", "targets"));
    expect(res.status, await res.clone().text()).toBe(200);
    expect(await json(res)).toMatchObject({ rows: 4, created: 0, updated: 0, unchanged: 4 });
    expect(await snapshot()).toEqual(before);
  });

  it("rebuilds wiped targets exactly: export again is byte-identical, each target with version 'Imported'", async () => {
    const first = await exportCsv("ada", "targets");
    await runSql([
      `DELETE FROM target_versions WHERE org_id = '${f.orgId}'`,
      `DELETE FROM targets WHERE org_id = '${f.orgId}'`,
    ]);
    expect(parseCsv(text(await exportCsv("ada", "targets")))).toHaveLength(1);
    const res = await importCsv("ada", "targets", first);
    expect(await json(res)).toEqual({ dryRun: false, rows: 5, created: 5, updated: 0, unchanged: 0 });
    expect(await exportCsv("ada", "targets")).toEqual(first);
    const versions = await env.DB.prepare(`SELECT reason, author_id, version FROM target_versions WHERE org_id = ?`).bind(f.orgId).all();
    expect(versions.results).toEqual(Array(5).fill({ reason: "Imported", author_id: f.id("ada"), version: 1 }));
  });

  it("rebuilds wiped activities exactly, and imported touches refresh key customers", async () => {
    const first = await exportCsv("ada", "activities");
    await runSql([`DELETE FROM activities WHERE org_id = '${f.orgId}'`, `UPDATE key_customers SET last_response_at = 0 WHERE id = 'kc_csv_1'`]);
    const res = await importCsv("ada", "activities", first);
    expect(await json(res)).toEqual({ dryRun: false, rows: 6, created: 6, duplicates: 0 });
    expect(await exportCsv("ada", "activities")).toEqual(first);
    const customer = await env.DB.prepare(`SELECT last_response_at AS at FROM key_customers WHERE id = 'kc_csv_1'`).first<{ at: number }>();
    expect(customer?.at).toBe(Date.parse("2026-11-10T02:30:00.123Z"));
  });

  it("takes columns in any order, without the informative ones, and updates a changed amount with a version", async () => {
    const csv = ["amount,level,period_key,metric,subject_id,scope", `1200000,base,2026-11,revenue,${f.id("rob")},rep`, ""].join("\r\n");
    const dry = await importCsv("mia", "targets", csv, "?dryRun=1");
    expect(await json(dry)).toEqual({ dryRun: true, rows: 1, created: 0, updated: 1, unchanged: 0 });
    const res = await importCsv("mia", "targets", csv);
    expect(await json(res)).toEqual({ dryRun: false, rows: 1, created: 0, updated: 1, unchanged: 0 });
    const list = await json(await call("mia", `/v1/targets?scope=rep&subjectId=${f.id("rob")}&periodKey=2026-11`));
    expect(list.targets[0]).toMatchObject({ amount: 1_200_000, version: 2 });
    const history = await json(await call("mia", `/v1/targets/${list.targets[0].id}/versions`));
    expect(history.versions.map((v: { reason: string; authorId: string }) => [v.reason, v.authorId])).toEqual([
      ["Imported", f.id("ada")],
      ["Imported", f.id("mia")],
    ]);
  });
});

describe("POST /v1/import/*: every row checked first, all or nothing", () => {
  const header = "scope,subject_id,subject_name,metric,period_kind,period_key,period_start,period_end,level,amount";

  it("names the row and column of every problem in a targets file and changes nothing", async () => {
    const before = await snapshot();
    const csv = [
      header,
      `rep,${f.id("rae")},瑞,revenue,month,2026-12,2026-12-01,2026-12-31,base,500000`, // 1: fine
      `region,${f.id("rae")},,revenue,,2026-12,,,base,1`, // 2: bad scope
      `rep,usr_nobody,,revenue,,2026-12,,,base,1`, // 3: unknown user
      `rep,${f.id("ron")},,revenue,,2026-12,,,base,1`, // 4: ron is not in mia's scope
      `rep,${f.id("rae")},,revenue,,2026-13,,,base,1`, // 5: no such month
      `rep,${f.id("rae")},,revenue,,2026-12,,,base,-5`, // 6: negative
      `rep,${f.id("rae")},,revenue,,2026-12,,,stretch,1.5`, // 7: fractional
      `rep,${f.id("rae")},,revenue,week,2026-12,,,challenge,1`, // 8: kind disagrees with key
      `rep,${f.id("rae")},,revenue,,2026-12,2026-12-02,,base,1`, // 9: start disagrees; also the same target as row 1
      `team,team_csv_team2,,revenue,,2026-12,,,base,1`, // 10: other team
      `org,${f.orgId},,revenue,,2026-12,,,base,1`, // 11: a manager cannot set the org's target
      `rep,${f.id("rae")},,calls,,2026-12,,,base,abc`, // 12: two problems
      `rep,${f.id("rae")},,revenue,,2026-12`, // 13: short row
      "",
    ].join("\r\n");
    const res = await importCsv("mia", "targets", csv);
    expect(res.status).toBe(400);
    const body = await json(res);
    expect(body.error.code).toBe("validation_failed");
    expect(body.error.details.map((d: { row: number; column: string }) => `${d.row}:${d.column}`)).toEqual([
      "2:scope",
      "3:subject_id",
      "4:subject_id",
      "5:period_key",
      "6:amount",
      "7:amount",
      "8:period_kind",
      "9:period_start",
      "10:subject_id",
      "11:subject_id",
      "12:metric",
      "12:amount",
      "13:",
    ]);
    expect(body.error.details.every((d: { message: string }) => d.message.length > 0)).toBe(true);
    expect(body.error.details[2]).toEqual({ row: 4, column: "subject_id", message: "no such user in your scope" });
    expect(await snapshot()).toEqual(before);
    // A dry run reports the same and writes nothing either.
    expect((await importCsv("mia", "targets", csv, "?dryRun=1")).status).toBe(400);
    expect(await snapshot()).toEqual(before);
  });

  it("reports a duplicate target within the file against its first row", async () => {
    const row = `rep,${f.id("rae")},,revenue,,2026-10,,,base,7`;
    const res = await importCsv("mia", "targets", [header, row, row].join("\n"));
    expect((await json(res)).error.details).toEqual([{ row: 2, column: "", message: "the same target (scope, subject, metric, period, level) as row 1" }]);
  });

  it("names the row and column of every problem in an activities file and changes nothing", async () => {
    const before = await snapshot();
    const id = () => crypto.randomUUID();
    const dup = id();
    const csv = [
      "client_event_id,user_id,user_name,kind,occurred_at,day,amount,customer,source",
      `${dup},${f.id("rob")},,touch,2026-11-15T01:00:00Z,,,,popup`, // 1: fine
      `not-a-uuid,${f.id("rob")},,touch,2026-11-15T01:00:00Z,,,,popup`, // 2
      `${id()},${f.id("ron")},,touch,2026-11-15T01:00:00Z,,,,popup`, // 3: out of mia's scope
      `${id()},${f.id("rob")},,call,2026-11-15T01:00:00Z,,,,popup`, // 4: unknown kind
      `${id()},${f.id("rob")},,touch,2026-11-15T01:00:00Z,,100,,popup`, // 5: amount on a touch
      `${id()},${f.id("rob")},,won,2026-11-17T01:00:00Z,,100,,popup`, // 6: in the future
      `${id()},${f.id("rob")},,touch,yesterday,,,,popup`, // 7: not an instant
      `${id()},${f.id("rob")},,touch,2026-11-15T01:00:00Z,2026-11-01,,,popup`, // 8: day far from occurred_at
      `${dup},${f.id("rob")},,touch,2026-11-15T01:00:00Z,,,,popup`, // 9: same event as row 1
      `${id()},${f.id("rob")},,touch,2026-11-15T01:00:00Z,,,,email`, // 10: unknown source
      `${id()},${f.id("rob")},,touch,2026-11-15T01:00:00Z,,,${"x".repeat(81)},popup`, // 11: label too long
    ].join("\r\n");
    const res = await importCsv("mia", "activities", csv);
    expect(res.status).toBe(400);
    expect((await json(res)).error.details.map((d: { row: number; column: string }) => `${d.row}:${d.column}`)).toEqual([
      "2:client_event_id",
      "3:user_id",
      "4:kind",
      "5:amount",
      "6:occurred_at",
      "7:occurred_at",
      "8:day",
      "9:client_event_id",
      "10:source",
      "11:customer",
    ]);
    expect(await snapshot()).toEqual(before);
  });

  it("imports a rep's own activities (dry run first), idempotently, and no one else's", async () => {
    const own = crypto.randomUUID();
    const csv = `client_event_id,user_id,kind,occurred_at,amount,customer,source\n${own},${f.id("rob")},won,2026-11-15T20:00:00Z,999,新客户,api\n`;
    const before = await snapshot();
    expect(await json(await importCsv("rob", "activities", csv, "?dryRun=1"))).toEqual({ dryRun: true, rows: 1, created: 1, duplicates: 0 });
    expect(await snapshot()).toEqual(before);
    expect(await json(await importCsv("rob", "activities", csv))).toEqual({ dryRun: false, rows: 1, created: 1, duplicates: 0 });
    expect(await json(await importCsv("rob", "activities", csv))).toEqual({ dryRun: false, rows: 1, created: 0, duplicates: 1 });
    // 20:00 UTC on the 15th is the 16th in Shanghai.
    const row = await env.DB.prepare(`SELECT day, amount, customer, source FROM activities WHERE client_event_id = ?`).bind(own).first();
    expect(row).toEqual({ day: "2026-11-16", amount: 999, customer: "新客户", source: "api" });
    const other = csv.replace(own, crypto.randomUUID()).replace(f.id("rob"), f.id("rae"));
    expect((await json(await importCsv("rob", "activities", other))).error.details).toEqual([
      { row: 1, column: "user_id", message: "no such user in your scope" },
    ]);
    expect((await importCsv("rob", "targets", `${header}\n`)).status).toBe(403);
  });

  it.each([
    ["an empty file", "", [{ row: 0, column: "", message: "the file is empty: expected a header row" }]],
    ["a missing column", "scope,subject_id,metric,period_key,level\n", [{ row: 0, column: "amount", message: "missing column" }]],
    ["a forged column", `${header},org_id\n`, [{ row: 0, column: "org_id", message: expect.stringContaining("unknown column") }]],
    ["an unterminated quote", `${header}\nrep,"${"usr"},x\n`, [{ row: 1, column: "", message: "unterminated quoted field" }]],
  ])("rejects %s", async (_name, csv, details) => {
    const res = await importCsv("ada", "targets", csv);
    expect(res.status).toBe(400);
    expect((await json(res)).error).toMatchObject({ code: "validation_failed", details });
  });

  it("refuses bodies that are not UTF-8 CSV", async () => {
    const gbk = new Uint8Array([0xc2, 0xde, 0xb2, 0xae]); // "罗伯" in GBK
    const bad = await api("/v1/import/targets", { method: "POST", body: gbk, token: f.token("ada"), headers: { "content-type": "text/csv" } });
    expect(bad.status).toBe(400);
    expect((await json(bad)).error.message).toContain("UTF-8");
    expect((await importCsv("ada", "targets", `${header}\n`, "")).status).toBe(200);
    const asJson = await call("ada", "/v1/import/targets", { method: "POST", body: "{}", type: "application/json" });
    expect(asJson.status).toBe(400);
    const latin1 = await call("ada", "/v1/import/targets", { method: "POST", body: `${header}\n`, type: "text/csv; charset=iso-8859-1" });
    expect(latin1.status).toBe(400);
    expect((await call("ada", "/v1/import/targets?dryRun=yes", { method: "POST", body: `${header}\n` })).status).toBe(400);
  });

  it("caps the rows of one import", async () => {
    const row = (i: number) => `rep,${f.id("rae")},,revenue,,2030-${String((i % 12) + 1).padStart(2, "0")},,,base,${i}`;
    const csv = [header, ...Array.from({ length: 2001 }, (_, i) => row(i))].join("\n");
    const res = await importCsv("ada", "targets", csv);
    expect((await json(res)).error.details).toEqual([{ row: 0, column: "", message: "at most 2000 rows per import" }]);
    expect(await count(`SELECT count(*) AS n FROM targets WHERE period_key LIKE '2030%'`)).toBe(0);
  });
});
