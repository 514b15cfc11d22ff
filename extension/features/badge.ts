import type { ProgressResponse } from "../../shared/schemas/progress";
import { formatAgo, formatAmount, formatPercent } from "./format";

/**
 * The toolbar badge, as a pure function of the cached progress and the outbox size.
 *
 * Text (Chrome shows about 4 characters):
 * - the current period's completion, floored (99.6 % is not yet 100 %): `62%`, `100%`; above 999 % → `999+`.
 * - events waiting to sync replace the `%` with a dot: `62•`, `100•`, `999•`. Still ≤ 4 characters, and the
 *   number never changes meaning. The tooltip says how many are waiting.
 * - no target for the period: `–` (`–•` with waiting events). No progress yet: empty, or `•` with waiting events.
 * Colour: the server's pace band (red < 50 %, yellow < 100 %, green; configurable per org); grey without data.
 * Title (tooltip): progress, pace, required run-rate, waiting events, freshness.
 */

export const BADGE_COLORS = {
  red: "#d93025",
  yellow: "#f9ab00",
  green: "#188038",
  none: "#5f6368",
} as const;

export const PENDING_MARKER = "•";
export const MAX_BADGE_LENGTH = 4;

export interface Badge {
  text: string;
  color: string;
  title: string;
}

/** Message keys the title uses (extension/locales/*.yml, `badge.*`, `period.*`, `band.*`). */
export type BadgeMessageKey =
  | "extName"
  | "badge.progress"
  | "badge.pace"
  | "badge.noPace"
  | "badge.runRate"
  | "badge.targetMet"
  | "badge.noTarget"
  | "badge.pending"
  | "badge.updated"
  | "badge.notSynced"
  | "badge.notPaired"
  | "badge.syncError"
  | `period.${ProgressResponse["period"]["kind"]}`
  | `band.${ProgressResponse["period"]["band"]}`;

export type Translate = (key: BadgeMessageKey, substitutions?: string[], count?: number) => string;

export interface BadgeContext {
  /** Client time (epoch ms) of the answer, for "updated 12 s ago". */
  fetchedAt?: number;
  now?: number;
  paired?: boolean;
  /** The last sync or refresh failed (details in the popup). */
  syncFailed?: boolean;
  /** Localised messages; the default spells the key and its arguments (tests, debugging). */
  t?: Translate;
  /** BCP 47 locale for numbers and relative time. */
  locale?: string;
}

export const spellKey: Translate = (key, substitutions, count) =>
  `${key}${substitutions?.length ? `(${substitutions.join(", ")})` : ""}${count !== undefined ? `#${count}` : ""}`;

export function badgeText(progress: ProgressResponse | null, pendingCount: number): string {
  const waiting = pendingCount > 0;
  if (!progress) return waiting ? PENDING_MARKER : "";
  if (progress.period.target <= 0) return waiting ? `–${PENDING_MARKER}` : "–";
  const percent = Math.floor(progress.period.completion * 100 + 1e-9);
  if (percent > 999) return waiting ? `999${PENDING_MARKER}` : "999+";
  return `${Math.max(0, percent)}${waiting ? PENDING_MARKER : "%"}`;
}

export function badgeColor(progress: ProgressResponse | null): string {
  if (!progress || progress.period.target <= 0) return BADGE_COLORS.none;
  return BADGE_COLORS[progress.period.band];
}

export function formatBadge(progress: ProgressResponse | null, pendingCount: number, context: BadgeContext = {}): Badge {
  const t = context.t ?? spellKey;
  const locale = context.locale ?? "en";
  const lines = [t("extName")];

  if (context.paired === false) {
    lines.push(t("badge.notPaired"));
  } else if (!progress) {
    lines.push(t("badge.notSynced"));
  } else {
    const { period } = progress;
    const amount = (value: number) => formatAmount(value, period.metric, locale);
    if (period.target <= 0) {
      lines.push(t("badge.noTarget"));
    } else {
      lines.push(
        t("badge.progress", [
          t(`period.${period.kind}`),
          formatPercent(period.completion, locale),
          amount(period.actual),
          amount(period.target),
        ]),
      );
      lines.push(
        period.pace === null
          ? t("badge.noPace")
          : t("badge.pace", [formatPercent(period.pace, locale), t(`band.${period.band}`)]),
      );
      if (period.actual >= period.target) lines.push(t("badge.targetMet"));
      else if (period.requiredRunRate !== null && period.remainingWorkingDays > 0) {
        lines.push(
          t("badge.runRate", [
            formatAmount(period.requiredRunRate, period.metric, locale, period.metric === "revenue" ? 0 : 1),
            String(period.remainingWorkingDays),
          ]),
        );
      }
    }
    if (context.fetchedAt !== undefined && context.now !== undefined) {
      lines.push(t("badge.updated", [formatAgo(context.now - context.fetchedAt, locale)]));
    }
  }
  if (pendingCount > 0) lines.push(t("badge.pending", [String(pendingCount)], pendingCount));
  if (context.syncFailed) lines.push(t("badge.syncError"));

  return { text: badgeText(progress, pendingCount), color: badgeColor(progress), title: lines.join("\n") };
}
