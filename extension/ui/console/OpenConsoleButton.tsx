import { browser } from "#imports";
import type { ExtensionState } from "../../messages";
import { t } from "./t";

/** The console's page in this extension. */
export const CONSOLE_PATH = "/console.html";

/**
 * "Open console": for a paired manager, director or admin only (nothing for reps or an unpaired device). Opens the
 * console in a tab, or focuses the tab that already shows it.
 */
export function OpenConsoleButton({ state, class: cls }: { state: ExtensionState | null; class?: string }) {
  const role = state?.paired ? state.user?.role : null;
  if (!role || role === "rep") return null;
  return (
    <button type="button" class={cls} style={cls ? undefined : LINK_STYLE} data-testid="open-console" onClick={() => void openConsole()}>
      {t("console.open")}
    </button>
  );
}

/** Looks like a link wherever it is placed (popup and options have different stylesheets). */
const LINK_STYLE = "font: inherit; background: none; border: 0; padding: 0; color: #1a73e8; text-decoration: underline; cursor: pointer; white-space: nowrap;";

export async function openConsole(): Promise<void> {
  const url = browser.runtime.getURL(CONSOLE_PATH);
  await browser.tabs.create({ url });
}
