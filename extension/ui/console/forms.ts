import type { z } from "zod";
import { BackgroundError } from "../../messages";
import { t } from "./t";

/** Field path ("name", "settings.scoreWeights", "config.url") → the one message shown next to that field. */
export type FieldErrors = Record<string, string>;

type Issue = z.core.$ZodIssue;

/** A zod issue in the user's language (the shared schemas' own custom messages are kept as they are). */
export function issueMessage(issue: Issue): string {
  switch (issue.code) {
    case "too_small":
      if (issue.origin === "string") return Number(issue.minimum) <= 1 ? t("console.form.required") : t("console.form.minLength", [String(issue.minimum)]);
      if (issue.origin === "array" || issue.origin === "set") return t("console.form.minItems", [String(issue.minimum)]);
      return t("console.form.min", [String(issue.minimum)]);
    case "too_big":
      if (issue.origin === "string") return t("console.form.maxLength", [String(issue.maximum)]);
      if (issue.origin === "array" || issue.origin === "set") return t("console.form.maxItems", [String(issue.maximum)]);
      return t("console.form.max", [String(issue.maximum)]);
    case "invalid_type":
      if (issue.expected === "int") return t("console.form.wholeNumber");
      if (issue.expected === "number") return t("console.form.number");
      return t("console.form.required");
    case "invalid_format":
      if (issue.format === "email") return t("console.form.email");
      if (issue.format === "url") return t("console.form.url");
      if (issue.format === "date") return t("console.form.date");
      return t("console.form.invalid");
    case "invalid_value":
    case "invalid_union":
      return t("console.form.choose");
    default:
      return issue.message;
  }
}

/** The first issue per field path. */
export function fieldErrors(issues: readonly Issue[]): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of issues) {
    const path = issue.path.map(String).join(".");
    errors[path] ??= issueMessage(issue);
  }
  return errors;
}

/** Checks a form's request with the route's own schema (shared/schemas), before anything is sent. */
export function check<S extends z.ZodType>(schema: S, value: unknown): { ok: true; data: z.output<S> } | { ok: false; errors: FieldErrors } {
  const parsed = schema.safeParse(value);
  return parsed.success ? { ok: true, data: parsed.data } : { ok: false, errors: fieldErrors(parsed.error.issues) };
}

/**
 * Field errors in a failure from the background: the API's 400 details (`[{ path, message }]`) or the background's
 * own check of the request (`body.name`, `params.id`), with the `body.` prefix dropped so they land on the form's fields.
 */
export function serverFieldErrors(error: unknown): FieldErrors {
  if (!(error instanceof BackgroundError) || !Array.isArray(error.details)) return {};
  const errors: FieldErrors = {};
  for (const detail of error.details as { path?: unknown; message?: unknown }[]) {
    if (typeof detail?.path !== "string" || typeof detail.message !== "string") continue;
    const path = detail.path.replace(/^(body|query)\.?/, "");
    errors[path] ??= detail.message;
  }
  return errors;
}

/** Messages of `errors` whose field is not shown by the form (so they are not lost). */
export function unplaced(errors: FieldErrors, shown: readonly string[]): string[] {
  return Object.entries(errors)
    .filter(([path]) => !shown.some((field) => path === field || path.startsWith(`${field}.`)))
    .map(([path, message]) => (path ? `${path}: ${message}` : message));
}

/**
 * Money in major units as typed ("12,000,000.50", "1 200") → integer minor units, exactly (no floats); null when it
 * is not an amount. Counts (activity-kind targets) are whole numbers.
 */
export function parseAmount(text: string, metric: string): number | null {
  const cleaned = text.replace(/[\s,_']/g, "");
  if (metric !== "revenue") return /^\d{1,15}$/.test(cleaned) ? Number(cleaned) : null;
  const match = /^(\d{1,13})(?:\.(\d{0,2}))?$/.exec(cleaned);
  if (!match) return null;
  return Number(match[1]) * 100 + Number((match[2] ?? "").padEnd(2, "0"));
}

/** Minor units → the text an amount field shows (major units, no grouping, so it parses back). */
export function amountInput(value: number, metric: string): string {
  if (metric !== "revenue") return String(value);
  const cents = value % 100;
  return cents === 0 ? String(Math.floor(value / 100)) : `${Math.floor(value / 100)}.${String(cents).padStart(2, "0")}`;
}
