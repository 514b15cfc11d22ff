import { BEHAVIOUR_KINDS, type BehaviourKind } from "../../shared/domain/kinds";
import type { CachedProgress, SentEvent } from "../storage";

/**
 * Today's KPI counts as the popup shows them: the server's count, plus what the server cannot know yet.
 *
 *   shown = server count (if the cached progress is for today)
 *         + events still in the outbox             (pending: the optimistic part)
 *         + events acknowledged after that progress was requested (stored, but not in the cached numbers)
 *
 * Acknowledged events are only counted while the cache predates them, so nothing is counted twice once
 * progress is refreshed. Undone events are never added, and one undone after the cached progress was requested
 * (but stored before it) is taken off the server's count until the next refresh. "Predates" is strict: the background never overlaps a progress request with a
 * flush (background/service.ts), so an event acknowledged in the same millisecond as the request started
 * was acknowledged before it and is in the answer. "Today" is the org's calendar day (its timezone), like on the server.
 */

export interface QueuedEventLike {
  clientEventId: string;
  kind: string;
  occurredAt: string;
  userId: string;
}

export interface TodayKpi {
  kind: BehaviourKind;
  /** Shown count, including pending events. */
  count: number;
  /** Daily minimum from the server; null until progress was fetched once. */
  minimum: number | null;
  /** Of `count`, how many are still waiting to be sent. */
  pending: number;
}

export interface TodayInput {
  progress: CachedProgress | null;
  pending: readonly QueuedEventLike[];
  sent: readonly SentEvent[];
  userId: string;
  timeZone: string;
  /** Client clock (epoch ms). */
  now: number;
  /**
   * Server clock minus client clock (ms), from `serverClockOffset`: "today" is the org's day on the server's clock, and a
   * queued event's day is the one the server will give it (it shifts `occurredAt` by the same skew, see
   * shared/schemas/activities.ts `sentAt`). 0 when unknown.
   */
  clockOffsetMs?: number;
}

export interface Today {
  day: string;
  kpis: TodayKpi[];
  /** True when the server's counts are from an earlier day (or absent): counts are local only. */
  stale: boolean;
  /**
   * Ids of the local events counted above (queued, or acknowledged after the cached progress). A UI that
   * shows a click optimistically stops adding it once its id is here or the progress includes it.
   */
  eventIds: string[];
}

export function todayKpis(input: TodayInput): Today {
  const offset = input.clockOffsetMs ?? 0;
  const day = localDay(input.now + offset, input.timeZone);
  const progress = input.progress?.userId === input.userId ? input.progress : null;
  const fresh = progress !== null && progress.data.day === day;
  const isToday = (event: { occurredAt: string; userId: string }) =>
    event.userId === input.userId && localDay(Date.parse(event.occurredAt) + offset, input.timeZone) === day;

  const queued = input.pending.filter(isToday);
  const acknowledgedSince = input.sent.filter(
    (e) => isToday(e) && e.undoneAt === undefined && (!fresh || e.deliveredAt > progress!.requestedAt),
  );
  // Undone after the cached progress was requested, but stored before: the server's count still has it.
  const undoneSince = fresh
    ? input.sent.filter(
        (e) => isToday(e) && e.undoneAt !== undefined && e.undoneAt > progress!.requestedAt && e.deliveredAt <= progress!.requestedAt,
      )
    : [];

  const kpis = BEHAVIOUR_KINDS.map((kind): TodayKpi => {
    const server = progress?.data.today.kpis.find((k) => k.kind === kind);
    const pending = queued.filter((e) => e.kind === kind).length;
    const acknowledged = acknowledgedSince.filter((e) => e.kind === kind).length;
    const undone = undoneSince.filter((e) => e.kind === kind).length;
    return {
      kind,
      count: Math.max(0, (fresh ? (server?.count ?? 0) : 0) - undone) + acknowledged + pending,
      minimum: server?.minimum ?? null,
      pending,
    };
  });
  const eventIds = [...queued, ...acknowledgedSince].map((e) => e.clientEventId);
  return { day, kpis, stale: !fresh, eventIds };
}

/**
 * How far the server's clock is ahead of this device's (ms, negative when behind), estimated from the last progress
 * answer: its `serverTime` against the middle of the request's round trip. 0 without an answer.
 */
export function serverClockOffset(cached: Pick<CachedProgress, "data" | "requestedAt" | "fetchedAt"> | null): number {
  if (!cached) return 0;
  const server = Date.parse(cached.data.serverTime);
  return Number.isFinite(server) ? server - Math.round((cached.requestedAt + cached.fetchedAt) / 2) : 0;
}

const dayFormatters = new Map<string, Intl.DateTimeFormat>();

/** 'YYYY-MM-DD' of an instant on the calendar of `timeZone` (IANA name). */
export function localDay(instant: number, timeZone: string): string {
  let format = dayFormatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" });
    dayFormatters.set(timeZone, format);
  }
  return format.format(instant);
}
