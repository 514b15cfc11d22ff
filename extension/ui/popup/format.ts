import { formatAgo, formatAmount, formatPercent } from "../../features/format";
import { formatMoney, orgCurrency } from "../../features/money";
import type { TextDeps } from "../../features/texts";
import { t, uiLocale } from "../../i18n";

/** Number, money and time formatting for the popup, in the UI language and the org's currency. */
export interface Fmt extends TextDeps {
  locale: string;
  percent: (ratio: number) => string;
  ago: (ms: number) => string;
  /** "3h ago": for tables. */
  agoShort: (ms: number) => string;
  time: (iso: string) => string;
  day: (isoDay: string) => string;
  /** "¥" for the org's currency; empty without one. */
  currencySymbol: string;
}

export function makeFmt(org: { timeZone: string; language: string } | null): Fmt {
  const locale = uiLocale();
  const currency = orgCurrency(org);
  const timeZone = org?.timeZone;
  const clock = new Intl.DateTimeFormat(locale, { hour: "2-digit", minute: "2-digit", ...(timeZone ? { timeZone } : {}) });
  const date = new Intl.DateTimeFormat(locale, { month: "short", day: "numeric", timeZone: "UTC" });
  return {
    locale,
    t: t as unknown as TextDeps["t"],
    amount: (value, metric, digits = 0) =>
      metric === "revenue" ? formatMoney(value, locale, currency, digits) : formatAmount(value, metric, locale, digits),
    percent: (ratio) => formatPercent(ratio, locale),
    ago: (ms) => formatAgo(ms, locale),
    agoShort: (ms) => formatAgo(ms, locale, "narrow"),
    time: (iso) => clock.format(Date.parse(iso)),
    day: (isoDay) => date.format(Date.parse(`${isoDay}T00:00:00Z`)),
    currencySymbol: currency
      ? (new Intl.NumberFormat(locale, { style: "currency", currency, currencyDisplay: "narrowSymbol" })
          .formatToParts(0)
          .find((part) => part.type === "currency")?.value ?? "")
      : "",
  };
}

export const BAND_VAR = { red: "var(--red)", yellow: "var(--yellow)", green: "var(--green)" } as const;
