import { browser } from "#imports";
import { i18n } from "#i18n";
import { sendToBackground } from "./messages";
import { preferencesItem, type LanguagePreference } from "./storage";

/**
 * The extension's message lookup with a language override.
 *
 * @wxt-dev/i18n (`i18n.t`) always answers in the browser's UI language (chrome.i18n.getMessage). The options
 * page lets the user pick en / zh-CN / zh-TW instead; then `t` reads the same messages from the built
 * `_locales/<lang>/messages.json` (loaded once, through the background, which is the only part that fetches),
 * with the same rules as @wxt-dev/i18n: `$1`…`$9` substitutions, `{name}` named substitutions, and plural forms
 * `one | other` (or `zero | one | other`) picked by the count. A key missing from the chosen table falls back
 * to the browser language. `auto` (the default) is exactly @wxt-dev/i18n.
 *
 * Popup, options, overlay and badge all use this module:
 *
 *   await initI18n();                 // before the first render (cheap: one storage read when `auto`)
 *   t("popup.today");                 // typed like i18n.t
 *   uiLocale();                       // BCP 47 tag for Intl number/date formatting
 *   watchLanguage(() => rerender());  // the user changed the language on the options page
 */

export type MessageTable = Record<string, { message: string }>;
export type FixedLanguage = Exclude<LanguagePreference, "auto">;
/** Loads the built messages of one language (`_locales/<dir>/messages.json`). */
export type MessageLoader = (language: FixedLanguage) => Promise<MessageTable>;

let override: { language: FixedLanguage; table: MessageTable } | null = null;

/** `_locales` folder of a language: zh-CN → zh_CN. */
export function localeDir(language: FixedLanguage): string {
  return language.replace("-", "_");
}

/** Same call shapes and key types as @wxt-dev/i18n's `i18n.t`. */
export const t = ((key: string, ...args: unknown[]): string => {
  if (override) {
    const entry = override.table[key.replaceAll(".", "_")];
    if (entry) return formatMessage(entry.message, args);
  }
  return (i18n.t as (key: string, ...args: unknown[]) => string)(key, ...args);
}) as typeof i18n.t;

/**
 * Fills a chrome.i18n message template like chrome.i18n.getMessage + @wxt-dev/i18n do: the arguments are any of
 * a count (number), positional substitutions (array) and named substitutions (object), in that order.
 */
export function formatMessage(template: string, args: readonly unknown[]): string {
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
  // chrome.i18n: $1…$9 are the substitutions (missing ones are empty), $$ is a dollar sign.
  let message = template.replace(/\$(\$|[1-9])/g, (_, which: string) =>
    which === "$" ? "$" : (positional?.[Number(which) - 1] ?? ""),
  );
  if (count !== undefined) {
    const forms = message.split(" | ");
    if (forms.length === 2) message = forms[count === 1 ? 0 : 1]!;
    else if (forms.length === 3) message = forms[count === 0 || count === 1 ? count : 2]!;
    else message = forms[0]!;
  }
  if (named) {
    message = message.replace(/\{([A-Za-z0-9_]+)\}/g, (match, name: string) =>
      Object.hasOwn(named!, name) ? String(named![name]) : match,
    );
  }
  return message;
}

/** The UI language as a BCP 47 tag, for Intl (numbers, percentages, "12 seconds ago"). */
export function uiLocale(): string {
  if (override) return override.language;
  try {
    return browser.i18n.getUILanguage() || "en";
  } catch {
    return "en";
  }
}

/** The language in force: a fixed one, or `auto` (the browser's). */
export function currentLanguage(): LanguagePreference {
  return override?.language ?? "auto";
}

const askBackground: MessageLoader = async (language) =>
  (await sendToBackground({ type: "getMessages", language })) as MessageTable;

/**
 * Applies the stored language preference. Extension pages and content scripts use the default loader (a message to
 * the background); the background passes its own. A table that cannot be loaded leaves the browser language in force.
 */
export async function initI18n(loader: MessageLoader = askBackground): Promise<LanguagePreference> {
  const { language } = await preferencesItem.getValue();
  await applyLanguage(language, loader);
  return currentLanguage();
}

export async function applyLanguage(language: LanguagePreference, loader: MessageLoader = askBackground): Promise<void> {
  if (language === "auto") {
    override = null;
    return;
  }
  if (override?.language === language) return;
  try {
    override = { language, table: await loader(language) };
  } catch (error) {
    console.warn(`[target-hud] messages for ${language} not loaded; following the browser language`, error);
    override = null;
  }
}

/** Calls `onChange` after the language preference changed and the new messages are in place. */
export function watchLanguage(onChange: () => void, loader: MessageLoader = askBackground): () => void {
  return preferencesItem.watch((next, previous) => {
    if (next?.language === previous?.language) return;
    void applyLanguage(next?.language ?? "auto", loader).then(onChange);
  });
}
