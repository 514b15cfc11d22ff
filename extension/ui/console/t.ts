import { t as translate, uiLocale } from "../../i18n";

/**
 * The console's message lookup: the extension's language helper (extension/i18n.ts), so the console follows the
 * language chosen on the options page (or the browser's), like the popup.
 */
export const t = translate;

/** BCP 47 tag of the UI language, for Intl (numbers, dates). */
export function locale(): string {
  return uiLocale();
}
