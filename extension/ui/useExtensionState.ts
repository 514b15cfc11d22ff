import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import { browser } from "#imports";
import { BackgroundError, sendToBackground, type ExtensionState } from "../messages";

/**
 * The background's view of things, kept current: read at once, re-read (debounced) whenever extension
 * storage changes, and optionally a sync on open. Answers can arrive out of order; the newest wins.
 */
export function useExtensionState(options: { syncOnOpen?: boolean } = {}) {
  const [state, setStateRaw] = useState<ExtensionState | null>(null);
  const [loadError, setLoadError] = useState<BackgroundError | null>(null);
  const newest = useRef(0);

  const accept = useCallback((next: ExtensionState) => {
    if (next.now < newest.current) return;
    newest.current = next.now;
    setStateRaw(next);
    setLoadError(null);
  }, []);

  const fail = useCallback((error: unknown) => {
    setLoadError(error instanceof BackgroundError ? error : new BackgroundError({ kind: "internal", code: null, message: String(error) }));
  }, []);

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = () => sendToBackground({ type: "getState" }).then(accept, fail);
    const onChanged = (_changes: unknown, area: string) => {
      if (area !== "local") return;
      clearTimeout(timer);
      timer = setTimeout(load, 80);
    };
    void load();
    if (options.syncOnOpen) void sendToBackground({ type: "sync" }).then(accept, fail);
    browser.storage.onChanged.addListener(onChanged);
    return () => {
      clearTimeout(timer);
      browser.storage.onChanged.removeListener(onChanged);
    };
  }, []);

  return { state, accept, loadError };
}

/** Re-renders every `ms` so relative times ("updated 12 seconds ago") stay true. */
export function useTicker(ms: number): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(id);
  }, [ms]);
  return now;
}

export function uiLocale(): string {
  try {
    return browser.i18n.getUILanguage() || "en";
  } catch {
    return "en";
  }
}
