/** Number and time formatting shared by the badge and the UI (Intl, in the UI language). */

export function formatPercent(ratio: number, locale: string): string {
  return new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 0 }).format(
    Math.floor(ratio * 100 + 1e-9) / 100,
  );
}

/** Revenue is in minor units (分 / cents) and shown in major units; counts as they are. */
export function formatAmount(value: number, metric: string, locale: string, maxFractionDigits = 0): string {
  const shown = metric === "revenue" ? value / 100 : value;
  return new Intl.NumberFormat(locale, { maximumFractionDigits: maxFractionDigits }).format(shown);
}

/** "12 seconds ago", "3 minutes ago", "2 hours ago", "yesterday" in the UI language; `narrow`: "3h ago" (tables). */
export function formatAgo(elapsedMs: number, locale: string, style: "long" | "narrow" = "long"): string {
  const rtf = new Intl.RelativeTimeFormat(locale, { numeric: "auto", style });
  const seconds = Math.max(0, Math.round(elapsedMs / 1000));
  if (seconds < 60) return rtf.format(-seconds, "second");
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return rtf.format(-minutes, "minute");
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return rtf.format(-hours, "hour");
  return rtf.format(-Math.floor(hours / 24), "day");
}
