import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import { BackgroundError } from "../../messages";

export interface Loaded<T> {
  data: T | null;
  error: BackgroundError | null;
  loading: boolean;
  reload: () => void;
  /** Replace the data locally (after a write answered with the new row). */
  set: (data: T) => void;
}

/** Loads on mount and whenever `deps` change; the newest request wins (older answers are dropped). */
export function useLoad<T>(load: () => Promise<T>, deps: readonly unknown[]): Loaded<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<BackgroundError | null>(null);
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  const latest = useRef(0);

  useEffect(() => {
    const id = ++latest.current;
    setLoading(true);
    load().then(
      (value) => {
        if (id !== latest.current) return;
        setData(value);
        setError(null);
        setLoading(false);
      },
      (failure: unknown) => {
        if (id !== latest.current) return;
        setError(asBackgroundError(failure));
        setLoading(false);
      },
    );
  }, [...deps, tick]);

  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { data, error, loading, reload, set: setData };
}

export function asBackgroundError(failure: unknown): BackgroundError {
  return failure instanceof BackgroundError
    ? failure
    : new BackgroundError({ kind: "internal", code: null, message: failure instanceof Error ? failure.message : String(failure) });
}

/** The current `location.hash` route, e.g. "#/people" → "people". */
export function useHashRoute(fallback: string): string {
  const read = () => location.hash.replace(/^#\/?/, "").split(/[/?]/)[0] || fallback;
  const [route, setRoute] = useState(read);
  useEffect(() => {
    const onChange = () => setRoute(read());
    addEventListener("hashchange", onChange);
    return () => removeEventListener("hashchange", onChange);
  }, []);
  return route;
}
