import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import { BackgroundError, sendToBackground } from "../../messages";
import type { Insights } from "../../storage";

/** Refreshes caused by the user's own activity (a click delivered or undone) run at most this often. */
const FOLLOW_MS = 5_000;

/**
 * The popup's extra data (background/insights.ts): the cached copy at once, then a fresh one; again (throttled) when
 * `activity` changes (the ids of the user's delivered events), so the leaderboard and alerts follow the rep's clicks. Answers can arrive out of order; the
 * newest `fetchedAt` wins.
 */
export function useInsights(userId: string | null, activity: string | null = null) {
  const [insights, setInsights] = useState<Insights | null>(null);
  const [error, setError] = useState<BackgroundError | null>(null);
  const [refreshing, setRefreshing] = useState(false);
  const newest = useRef(-1);
  const lastRefresh = useRef(0);
  const followTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const seenActivity = useRef<string | null | undefined>(undefined);

  const accept = useCallback((next: Insights | null) => {
    if (!next || next.fetchedAt < newest.current) return;
    newest.current = next.fetchedAt;
    setInsights(next);
  }, []);

  const refresh = useCallback(async () => {
    lastRefresh.current = Date.now();
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

  useEffect(() => {
    if (!userId || activity === null) return;
    if (seenActivity.current === undefined || seenActivity.current === activity) {
      seenActivity.current = activity; // the refresh on open covers what was there
      return;
    }
    seenActivity.current = activity;
    clearTimeout(followTimer.current);
    followTimer.current = setTimeout(() => void refresh(), Math.max(0, lastRefresh.current + FOLLOW_MS - Date.now()));
  }, [userId, activity]);
  useEffect(() => () => clearTimeout(followTimer.current), []);

  return { insights: insights?.userId === userId ? insights : null, error, refreshing, refresh };
}
