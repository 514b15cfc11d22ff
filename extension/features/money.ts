/**
 * Money in the UI: amounts are integer minor units (分 / cents) on the wire and in storage (DOMAIN.md), shown and
 * typed in major units. Parsing is done on the digits, never through floating point, so "0.29" is exactly 29.
 *
 * The org has no currency setting yet, so the currency is inferred from the org's timezone (mainland China → CNY,
 * Taipei → TWD, Hong Kong → HKD, Macau → MOP, Singapore → SGD), else its language (zh-CN → CNY, zh-TW → TWD); with
 * neither, amounts are shown as plain numbers with two decimals.
 */

const ZONE_CURRENCY: Record<string, string> = {
  "Asia/Shanghai": "CNY",
  "Asia/Chongqing": "CNY",
  "Asia/Harbin": "CNY",
  "Asia/Urumqi": "CNY",
  "Asia/Taipei": "TWD",
  "Asia/Hong_Kong": "HKD",
  "Asia/Macau": "MOP",
  "Asia/Singapore": "SGD",
};
const LANGUAGE_CURRENCY: Record<string, string> = { "zh-CN": "CNY", "zh-TW": "TWD" };

export function orgCurrency(org: { timeZone: string; language: string } | null): string | null {
  if (!org) return null;
  return ZONE_CURRENCY[org.timeZone] ?? LANGUAGE_CURRENCY[org.language] ?? null;
}

/** Largest amount the API accepts (minor units). */
export const MAX_AMOUNT_MINOR = 1e13;

export type MoneyParse = { ok: true; minor: number } | { ok: false; reason: "empty" | "format" | "too_large" };

/**
 * "12,500.5" → 1_250_050. Accepts digits with optional thousands separators (`,`, space, `'`) and at most two
 * decimals after `.` (also the full-width `．` and `，` of Chinese input methods). No signs, no exponents.
 */
export function parseMoney(input: string): MoneyParse {
  const text = input.replace(/，/g, ",").replace(/．/g, ".").replace(/[¥￥$]/g, "").trim();
  if (text === "") return { ok: false, reason: "empty" };
  const match = /^(\d{1,3}(?:[,' ]\d{3})+|\d+)(?:\.(\d{0,2}))?$/.exec(text);
  if (!match) return { ok: false, reason: "format" };
  const whole = match[1]!.replace(/[,' ]/g, "");
  const fraction = (match[2] ?? "").padEnd(2, "0");
  if (whole.length > 14) return { ok: false, reason: "too_large" };
  const minor = Number(whole) * 100 + Number(fraction);
  if (!Number.isSafeInteger(minor) || minor > MAX_AMOUNT_MINOR) return { ok: false, reason: "too_large" };
  return { ok: true, minor };
}

/**
 * Minor units as currency in the UI language: 1_250_050 CNY → "¥12,500.50", 1_250_000 → "¥12,500". Cents are shown
 * as two digits when there are any (and `maxFractionDigits` allows them), never as "12,500.5".
 */
export function formatMoney(minor: number, locale: string, currency: string | null, maxFractionDigits = 2): string {
  const major = minor / 100;
  const cents = maxFractionDigits >= 2 && Number.isInteger(minor) && minor % 100 !== 0;
  if (!currency) {
    return new Intl.NumberFormat(locale, { minimumFractionDigits: cents ? 2 : 0, maximumFractionDigits: maxFractionDigits }).format(major);
  }
  return new Intl.NumberFormat(locale, {
    style: "currency",
    currency,
    currencyDisplay: "narrowSymbol",
    minimumFractionDigits: cents ? 2 : 0,
    maximumFractionDigits: maxFractionDigits,
  }).format(major);
}
