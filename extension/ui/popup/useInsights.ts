import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import { BackgroundError, sendToBackground } from "../../messages";
import type { Insights } from "../../storage";

/**
 * The popup's extra data (background/insights.ts): the cached copy at once, then a fresh one. Answers can arrive
 * out of order; the newest `fetchedAt` wins.
 */
export function useInsights(userId: string | null) {
  const [insights, setInsights] = useState<Insights | null>(null);
  const [error, setError] = useState<BackgroundError | null>(null);
  const [refreshing, setRefreshing] = useState(false);
  const newest = useRef(-1);

  const accept = useCallback((next: Insights | null) => {
    if (!next || next.fetchedAt < newest.current) return;
    newest.current = next.fetchedAt;
    setInsights(next);
  }, []);

  const refresh = useCallback(async () => {
    setRefreshing(true);
    try {
      accept(await sendToBackground({ type: "insights", refresh: true }));
      setError(null);
    } catch (failure) {
      setError(failure instanceof BackgroundError ? failure : new BackgroundError({ kind: "internal", code: null, message: String(failure) }));
    } finally {
      setRefreshing(false);
    }
  }, []);

  useEffect(() => {
    if (!userId) return;
    newest.current = -1;
    setInsights(null);
    void sendToBackground({ type: "insights", refresh: false }).then(accept, () => undefined);
    void refresh();
  }, [userId]);

  return { insights: insights?.userId === userId ? insights : null, error, refreshing, refresh };
}
