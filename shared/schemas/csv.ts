import { z } from "zod";
import { ActivityKind, ActivitySource } from "./activities";
import { ClientId, Id, IsoInstant, LocalDate } from "./common";
import { PeriodKey, TargetLevelName, TargetMetric, TargetPeriodKind, TargetScope } from "./targets";

/**
 * CSV export/import of targets and activities: the column layouts (stable order; export writes exactly these, import
 * accepts them in any order) and the per-row schemas every imported row is checked against. Files are UTF-8, RFC 4180
 * (shared/csv.ts), with a header row.
 */
export const TARGET_CSV_COLUMNS = [
  "scope",
  "subject_id",
  "subject_name",
  "metric",
  "period_kind",
  "period_key",
  "period_start",
  "period_end",
  "level",
  "amount",
] as const;
/** Import needs these; the others are informative (subject_name is ignored, period columns must agree with the key). */
export const TARGET_CSV_REQUIRED = ["scope", "subject_id", "metric", "period_key", "level", "amount"] as const;

export const ACTIVITY_CSV_COLUMNS = [
  "client_event_id",
  "user_id",
  "user_name",
  "kind",
  "occurred_at",
  "day",
  "amount",
  "customer",
  "source",
] as const;
/** user_name is ignored; an empty day is computed from occurred_at in the org's timezone. */
export const ACTIVITY_CSV_REQUIRED = ["client_event_id", "user_id", "kind", "occurred_at", "amount", "customer", "source"] as const;

/** Most data rows one import takes (all are written in one db.batch). */
export const MAX_IMPORT_ROWS = 2000;

const WholeNumber = z
  .string()
  .regex(/^\d{1,16}$/, "must be a whole number ≥ 0 (minor units for money)")
  .transform(Number)
  .pipe(z.int());
const EmptyOr = <S extends z.ZodType>(s: S) => z.union([z.literal(""), s]).optional();

export const TargetCsvRow = z.object({
  scope: TargetScope,
  /** Empty is allowed for org targets (the importing org). */
  subject_id: z.union([z.literal(""), Id]),
  subject_name: z.string().optional(),
  metric: TargetMetric,
  period_kind: EmptyOr(TargetPeriodKind),
  period_key: PeriodKey,
  period_start: EmptyOr(LocalDate),
  period_end: EmptyOr(LocalDate),
  level: TargetLevelName,
  amount: WholeNumber,
});

export const ActivityCsvRow = z
  .object({
    client_event_id: ClientId,
    user_id: Id,
    user_name: z.string().optional(),
    kind: ActivityKind,
    occurred_at: IsoInstant,
    day: EmptyOr(LocalDate),
    amount: z.union([z.literal("").transform(() => null), WholeNumber]),
    /** Trimmed like the API does; empty means none. */
    customer: z
      .string()
      .transform((s) => s.trim())
      .pipe(z.string().max(80))
      .transform((s) => (s === "" ? null : s)),
    source: ActivitySource,
  })
  .refine((r) => r.amount === null || r.kind === "won", { message: "amount is only allowed on won events", path: ["amount"] });

export const CsvExportQuery = z
  .strictObject({
    /** Inclusive local days: activities by their day, targets by overlapping period. */
    from: LocalDate.optional(),
    to: LocalDate.optional(),
    /** One user in scope (for targets: that rep's own targets). */
    userId: Id.optional(),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: "from must not be after to", path: ["from"] });

export const CsvImportQuery = z.strictObject({
  /** 1: only validate and report what would happen; nothing is written. */
  dryRun: z.enum(["0", "1", "true", "false"]).optional(),
});

export const CsvText = z.string().describe("text/csv; charset=utf-8, RFC 4180, header row first");

/** Each problem of a rejected import (details of the 400 validation_failed answer). */
export const ImportProblem = z.object({
  /** 1-based data row (the line after the header is 1); 0 for the header or the file as a whole. */
  row: z.int(),
  column: z.string(),
  message: z.string(),
});

export const ImportTargetsResponse = z.object({
  dryRun: z.boolean(),
  rows: z.int(),
  created: z.int(),
  updated: z.int(),
  unchanged: z.int(),
});
export const ImportActivitiesResponse = z.object({
  dryRun: z.boolean(),
  rows: z.int(),
  created: z.int(),
  duplicates: z.int(),
});
