import type { BatchItem } from "drizzle-orm/batch";
import { Hono, type Context } from "hono";
import type { z } from "zod";
import { formatCsv, readCsvTable, type CsvProblem } from "../../shared/csv";
import { localDay, periodFromKey, type Period } from "../../shared/domain/calendar";
import { dayNumber } from "../../shared/domain/day";
import {
  ACTIVITY_CSV_COLUMNS,
  ACTIVITY_CSV_REQUIRED,
  ActivityCsvRow,
  CsvExportQuery,
  CsvImportQuery,
  ImportActivitiesResponse,
  ImportTargetsResponse,
  MAX_IMPORT_ROWS,
  TARGET_CSV_COLUMNS,
  TARGET_CSV_REQUIRED,
  TargetCsvRow,
} from "../../shared/schemas/csv";
import { requireAuth } from "../auth/middleware";
import { requireRole } from "../auth/roles";
import { findUserInScope } from "../auth/scope";
import { db as makeDb } from "../db/client";
import { existingClientEventIds, exportActivitiesQuery, exportTargetsQuery, importActivitiesStatements, type ImportedActivity } from "../db/queries/csv";
import {
  existingTargetsByKey,
  naturalKey,
  subjectAccess,
  subjectsInScope,
  targetAccess,
  upsertTargetsStatements,
  type SubjectAccess,
  type TargetFields,
} from "../db/queries/targets";
import type { AppEnv } from "../env";
import { ApiError } from "../errors";
import { iso } from "../time";
import { readQuery } from "../validate";

/**
 * CSV export and import of targets and activities (UTF-8, RFC 4180, header row; see shared/csv.ts and
 * shared/schemas/csv.ts for the columns). Exports are scoped like the lists; an export re-imported is a no-op, and
 * an export imported into an emptied org gives the same export again, byte for byte.
 *
 * Imports check every row first (the row schema, then references: users and teams in the caller's scope, period keys
 * in the org's calendar, duplicates within the file) and either write everything in one db.batch or nothing, answering
 * 400 validation_failed with every problem as { row, column, message }.
 */

/** Events may not claim to happen later than this after the server's clock (as in POST /v1/activities). */
const MAX_FUTURE_MS = 60_000;

function csvResponse(c: Context<AppEnv>, filename: string, records: string[][]): Response {
  // The BOM makes spreadsheet apps read the file as UTF-8 (Chinese names); our parser drops it again.
  return c.body(formatCsv(records, { bom: true }), 200, {
    "content-type": "text/csv; charset=utf-8",
    "content-disposition": `attachment; filename="${filename}"`,
    "cache-control": "no-store",
  });
}

/** The request body as text: text/csv (or text/plain), strictly UTF-8 — a GBK file from Excel is refused, not garbled. */
async function csvBody(c: Context<AppEnv>): Promise<string> {
  const [mime, ...params] = (c.req.header("content-type") ?? "").toLowerCase().split(";").map((s) => s.trim());
  if (mime !== "text/csv" && mime !== "text/plain") throw new ApiError("bad_request", "Body must be text/csv");
  const charset = params.find((p) => p.startsWith("charset="))?.slice("charset=".length).replace(/"/g, "");
  if (charset && charset !== "utf-8" && charset !== "utf8") throw new ApiError("bad_request", "CSV must be UTF-8");
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(await c.req.arrayBuffer());
  } catch (error) {
    if (error instanceof TypeError) throw new ApiError("bad_request", "The file is not valid UTF-8 (save it as “CSV UTF-8”)");
    throw error;
  }
}

function reject(problems: CsvProblem[]): never {
  const sorted = [...problems].sort((a, b) => a.row - b.row);
  throw new ApiError("validation_failed", `${sorted.length} problem(s) in the file; nothing was imported`, sorted);
}

/** Reads the file's table; problems with the header or the file as a whole stop here (rows cannot be read without them). */
function readTable(text: string, required: readonly string[], all: readonly string[]) {
  const table = readCsvTable(text, { required, optional: all.filter((name) => !required.includes(name)) });
  if (table.problems.some((p) => p.row === 0)) reject(table.problems);
  if (table.rows.length > MAX_IMPORT_ROWS) reject([{ row: 0, column: "", message: `at most ${MAX_IMPORT_ROWS} rows per import` }]);
  return table;
}

function zodProblems(row: number, error: z.ZodError): CsvProblem[] {
  return error.issues.map((issue) => ({ row, column: String(issue.path[0] ?? ""), message: issue.message }));
}

function isDryRun(c: Context<AppEnv>): boolean {
  const { dryRun } = readQuery(c, CsvImportQuery);
  return dryRun === "1" || dryRun === "true";
}

export const exportRoute = new Hono<AppEnv>()
  .use(requireAuth)
  .get("/targets.csv", async (c) => {
    const q = readQuery(c, CsvExportQuery);
    const { auth } = c.var;
    const db = makeDb(c.env.DB);
    if (q.userId && (await subjectAccess(db, auth, "rep", q.userId)) === "none") throw new ApiError("not_found", "No such user in your scope");
    const rows = await exportTargetsQuery(db, auth, q);
    return csvResponse(c, "targets.csv", [
      [...TARGET_CSV_COLUMNS],
      ...rows.map((t) => [
        t.scope,
        t.subjectId,
        t.subjectName,
        t.metric,
        t.periodKind,
        t.periodKey,
        t.periodStart,
        t.periodEnd,
        t.level,
        String(t.amount),
      ]),
    ]);
  })
  .get("/activities.csv", async (c) => {
    const q = readQuery(c, CsvExportQuery);
    const { auth } = c.var;
    const db = makeDb(c.env.DB);
    if (q.userId && !(await findUserInScope(db, auth, q.userId))) throw new ApiError("not_found", "No such user in your scope");
    const rows = await exportActivitiesQuery(db, auth, q);
    return csvResponse(c, "activities.csv", [
      [...ACTIVITY_CSV_COLUMNS],
      ...rows.map((a) => [
        a.clientEventId,
        a.userId,
        a.userName,
        a.kind,
        iso(a.occurredAt),
        a.day,
        a.amount === null ? "" : String(a.amount),
        a.customer ?? "",
        a.source,
      ]),
    ]);
  });

export const importRoute = new Hono<AppEnv>()
  .use(requireAuth)
  /**
   * Targets: upsert on the natural key; every created or changed target gets a version "Imported" by the caller.
   * A row the caller may read but not set (e.g. the org's target, for a manager) is accepted only when it changes
   * nothing, so a leader can re-import their own export.
   */
  .post("/targets", requireRole("manager", "director", "admin"), async (c) => {
    const dryRun = isDryRun(c);
    const table = readTable(await csvBody(c), TARGET_CSV_REQUIRED, TARGET_CSV_COLUMNS);
    const { auth } = c.var;
    const { org } = auth;
    const db = makeDb(c.env.DB);
    const subjects = await subjectsInScope(db, auth);
    const problems = [...table.problems];
    const accepted: { row: number; fields: TargetFields; access: SubjectAccess }[] = [];
    const firstRowOf = new Map<string, number>();

    for (const { row, values } of table.rows) {
      const parsed = TargetCsvRow.safeParse(values);
      if (!parsed.success) {
        problems.push(...zodProblems(row, parsed.error));
        continue;
      }
      const v = parsed.data;
      const before = problems.length;
      const fail = (column: string, message: string) => problems.push({ row, column, message });

      const subjectId = v.scope === "org" ? v.subject_id || org.id : v.subject_id;
      const access =
        v.scope === "org"
          ? targetAccess(auth, "org", subjectId === org.id ? {} : null)
          : v.scope === "team"
            ? targetAccess(auth, "team", subjects.teams.get(subjectId) ?? null)
            : targetAccess(auth, "rep", subjects.users.get(subjectId) ?? null);
      if (subjectId === "") fail("subject_id", "required for team and rep targets");
      else if (access === "none") fail("subject_id", v.scope === "org" ? "not your org" : `no such ${v.scope === "rep" ? "user" : "team"} in your scope`);

      let period: Period | undefined;
      try {
        period = periodFromKey(v.period_key, org.calendar);
      } catch (error) {
        if (!(error instanceof RangeError)) throw error;
        fail("period_key", error.message);
      }
      if (period) {
        if (v.period_kind && v.period_kind !== period.kind) fail("period_kind", `${period.key} is a ${period.kind}`);
        if (v.period_start && v.period_start !== period.start) fail("period_start", `${period.key} starts on ${period.start} in the org's calendar`);
        if (v.period_end && v.period_end !== period.end) fail("period_end", `${period.key} ends on ${period.end} in the org's calendar`);
      }
      if (problems.length > before || !period) continue;

      const fields: TargetFields = {
        scope: v.scope,
        subjectId,
        metric: v.metric,
        periodKind: period.kind,
        periodKey: period.key,
        periodStart: period.start,
        periodEnd: period.end,
        level: v.level,
        amount: v.amount,
      };
      const key = naturalKey(fields);
      const first = firstRowOf.get(key);
      if (first !== undefined) {
        fail("", `the same target (scope, subject, metric, period, level) as row ${first}`);
        continue;
      }
      firstRowOf.set(key, row);
      accepted.push({ row, fields, access });
    }

    const existing = await existingTargetsByKey(db, org.id, accepted.map((a) => a.fields.periodKey));
    for (const { row, fields, access } of accepted) {
      if (access === "write") continue;
      const current = existing.get(naturalKey(fields));
      if (!current) problems.push({ row, column: "subject_id", message: "you cannot set targets for this subject" });
      else if (current.amount !== fields.amount) problems.push({ row, column: "amount", message: "you cannot change this target" });
    }
    if (problems.length > 0) reject(problems);

    const writes = accepted.filter((a) => a.access === "write").map((a) => a.fields);
    if (dryRun || writes.length === 0) {
      const created = writes.filter((w) => !existing.has(naturalKey(w))).length;
      const updated = writes.filter((w) => {
        const current = existing.get(naturalKey(w));
        return current !== undefined && current.amount !== w.amount;
      }).length;
      return c.json(ImportTargetsResponse.parse({ dryRun, rows: accepted.length, created, updated, unchanged: accepted.length - created - updated }));
    }
    const { statements, upserts } = upsertTargetsStatements(db, writes, {
      orgId: org.id,
      authorId: auth.user.id,
      reason: "Imported",
      now: c.var.now,
    });
    const results = await db.batch(statements as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]);
    const written = (results.slice(0, upserts) as { version: number }[][]).flat();
    const created = written.filter((w) => w.version === 1).length;
    return c.json(
      ImportTargetsResponse.parse({ dryRun, rows: accepted.length, created, updated: written.length - created, unchanged: accepted.length - written.length }),
    );
  })
  /** Activities: insert-or-ignore by client_event_id, so re-importing a file (or an export) is a no-op. */
  .post("/activities", async (c) => {
    const dryRun = isDryRun(c);
    const table = readTable(await csvBody(c), ACTIVITY_CSV_REQUIRED, ACTIVITY_CSV_COLUMNS);
    const { auth } = c.var;
    const { org } = auth;
    const db = makeDb(c.env.DB);
    const { users } = await subjectsInScope(db, auth);
    const problems = [...table.problems];
    const accepted: ImportedActivity[] = [];
    const firstRowOf = new Map<string, number>();

    for (const { row, values } of table.rows) {
      const parsed = ActivityCsvRow.safeParse(values);
      if (!parsed.success) {
        problems.push(...zodProblems(row, parsed.error));
        continue;
      }
      const v = parsed.data;
      const before = problems.length;
      const fail = (column: string, message: string) => problems.push({ row, column, message });
      if (!users.has(v.user_id)) fail("user_id", "no such user in your scope");
      const occurredAt = Date.parse(v.occurred_at);
      if (occurredAt > c.var.now + MAX_FUTURE_MS) fail("occurred_at", "is in the future");
      // A given day is kept (it was computed in the org's timezone when the event was first stored); it can only be
      // within a day of the UTC date, whatever the timezone.
      if (v.day && Math.abs(dayNumber(v.day) - dayNumber(v.occurred_at.slice(0, 10))) > 1) fail("day", "does not match occurred_at");
      const first = firstRowOf.get(v.client_event_id);
      if (first !== undefined) fail("client_event_id", `the same event as row ${first}`);
      if (problems.length > before) continue;
      firstRowOf.set(v.client_event_id, row);
      accepted.push({
        userId: v.user_id,
        clientEventId: v.client_event_id,
        kind: v.kind,
        occurredAt,
        day: v.day || localDay(occurredAt, org.calendar),
        amount: v.amount,
        customer: v.customer,
        source: v.source,
      });
    }
    if (problems.length > 0) reject(problems);

    if (dryRun || accepted.length === 0) {
      const known = await existingClientEventIds(db, org.id, accepted.map((a) => a.clientEventId));
      return c.json(ImportActivitiesResponse.parse({ dryRun, rows: accepted.length, created: accepted.length - known.size, duplicates: known.size }));
    }
    const { statements, inserts } = importActivitiesStatements(db, org.id, accepted, c.var.now);
    const results = await db.batch(statements as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]);
    const created = (results.slice(0, inserts) as unknown[][]).reduce((n, r) => n + r.length, 0);
    return c.json(ImportActivitiesResponse.parse({ dryRun, rows: accepted.length, created, duplicates: accepted.length - created }));
  });
