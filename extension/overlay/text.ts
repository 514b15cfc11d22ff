import { browser } from "#imports";
import { i18n } from "#i18n";
import type { TextDeps } from "../features/texts";
import { formatAgo, formatAmount, formatPercent } from "../features/format";
import { formatMoney, orgCurrency } from "../features/money";
import { BackgroundError, sendToBackground } from "../messages";
import type { LanguagePreference } from "../storage";

/**
 * The overlay's messages: the browser's language through @wxt-dev/i18n, or the language chosen on the options page,
 * whose built messages come from the background (`getMessages`). Same template rules as extension/i18n.ts (checked
 * by text.test.ts); kept apart because that module reads the preference from extension storage, which content
 * scripts may not touch (background/sites.ts keeps the device token out of their reach) — the overlay gets the
 * preference with its state instead.
 */
type Table = Record<string, { message: string }>;

let override: { language: Exclude<LanguagePreference, "auto">; table: Table } | null = null;

export async function useLanguage(language: LanguagePreference): Promise<void> {
  if (language === "auto") {
    override = null;
    return;
  }
  if (override?.language === language) return;
  try {
    override = { language, table: (await sendToBackground({ type: "getMessages", language })) as Table };
  } catch (error) {
    console.warn(`[target-hud] messages for ${language} not loaded; following the browser language`, error);
    override = null;
  }
}

/** `t(key, count?, substitutions?, named?)` like @wxt-dev/i18n, in the chosen language. */
export function t(key: string, ...args: unknown[]): string {
  const entry = override?.table[key.replaceAll(".", "_")];
  if (entry) return fillMessage(entry.message, args);
  return (i18n.t as unknown as (key: string, ...args: unknown[]) => string)(key, ...args);
}

/** chrome.i18n-style template: `$1`…`$9`, `$$`, plural forms `a | b` (or `zero | one | other`) by count, `{name}`. */
export function fillMessage(template: string, args: readonly unknown[]): string {
  let positional: string[] | undefined;
  let named: Record<string, unknown> | undefined;
  let count: number | undefined;
  for (const arg of args) {
    if (arg == null) continue;
    if (typeof arg === "number") count = arg;
    else if (Array.isArray(arg)) positional = arg.map(String);
    else if (typeof arg === "object") named = arg as Record<string, unknown>;
  }
  if (count !== undefined && positional === undefined) positional = [String(count)];
  let message = template.replace(/\$(\$|[1-9])/g, (_, which: string) => (which === "$" ? "$" : (positional?.[Number(which) - 1] ?? "")));
  if (count !== undefined) {
    const forms = message.split(" | ");
    message = forms.length === 2 ? forms[count === 1 ? 0 : 1]! : forms.length === 3 ? forms[count === 0 || count === 1 ? count : 2]! : forms[0]!;
  }
  if (named) {
    message = message.replace(/\{([A-Za-z0-9_]+)\}/g, (match, name: string) => (Object.hasOwn(named!, name) ? String(named![name]) : match));
  }
  return message;
}

export function overlayLocale(): string {
  if (override) return override.language;
  try {
    return browser.i18n.getUILanguage() || "en";
  } catch {
    return "en";
  }
}

export interface OverlayFormat extends TextDeps {
  percent: (ratio: number) => string;
  ago: (ms: number) => string;
}

/** Numbers in the UI language; money in the org's currency (features/money.ts). */
export function overlayFormat(org: { timeZone: string; language: string } | null): OverlayFormat {
  const locale = overlayLocale();
  const currency = orgCurrency(org);
  return {
    t,
    amount: (value, metric, digits = 0) => (metric === "revenue" ? formatMoney(value, locale, currency, digits) : formatAmount(value, metric, locale, digits)),
    percent: (ratio) => formatPercent(ratio, locale),
    ago: (ms) => formatAgo(ms, locale),
  };
}

/**
 * One sentence for a failed click or undo, in the overlay's language (the same cases as ui/errors.ts, which the overlay
 * cannot import: it reads the language preference from storage).
 */
export function describeError(error: unknown): string {
  if (!(error instanceof BackgroundError)) return t("error.unexpected", [error instanceof Error ? error.message : String(error)]);
  if (error.kind === "network") return t("error.offline");
  if (error.kind === "not_paired") return t("badge.notPaired");
  if (error.kind === "http" && error.code === "unauthorized") return t("error.unauthorized");
  if (error.kind === "http" && (error.code === "internal" || error.code === "rate_limited" || /^http_5\d\d$/.test(error.code ?? ""))) {
    return t("error.server", [error.code ?? "?"]);
  }
  return t("error.unexpected", [error.message]);
}
