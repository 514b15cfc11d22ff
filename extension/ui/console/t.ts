import { i18n } from "#i18n";
import { browser } from "#imports";

/**
 * The console's message lookup: @wxt-dev/i18n (the browser's UI language), like the popup and options.
 * One module so the console can follow the popup's language override (extension/i18n.ts) with a one-line change.
 */
export const t = i18n.t;

/** BCP 47 tag of the UI language, for Intl (numbers, dates). */
export function locale(): string {
  try {
    return browser.i18n.getUILanguage() || "en";
  } catch {
    return "en";
  }
}
