import type { ActivityKind } from "../../shared/domain/kinds";
import type { ActivitySource, RecentEvent, SentLogEntry } from "../messages";
import type { SentEvent } from "../storage";

/**
 * The user's own recent events, from what this device holds: the outbox (queued), the sent log (acknowledged by
 * the server, maybe undone since) and the dead letters (refused). Pure; the background feeds it from storage.
 */

export interface QueuedLike {
  clientEventId: string;
  kind: ActivityKind;
  occurredAt: string;
  source: ActivitySource;
  userId: string;
  createdAt: number;
  customer?: string;
  amount?: number;
}

export interface DeadLike {
  event: QueuedLike;
  failedAt: number;
}

/** How many recent events the popup may offer to undo. */
export const RECENT_LIMIT = 8;
/** How many lines the "what was sent" log shows. */
export const SENT_LOG_SHOWN = 50;
export const LABELS_LIMIT = 8;

/** Newest first: queued events, then sent ones that were not undone. */
export function recentEvents(
  pending: readonly QueuedLike[],
  sent: readonly SentEvent[],
  userId: string,
  limit = RECENT_LIMIT,
): RecentEvent[] {
  const queued = pending
    .filter((e) => e.userId === userId)
    .map((e): RecentEvent & { at: number } => ({
      clientEventId: e.clientEventId,
      kind: e.kind,
      occurredAt: e.occurredAt,
      source: e.source,
      ...(e.customer !== undefined ? { customer: e.customer } : {}),
      ...(e.amount !== undefined ? { amount: e.amount } : {}),
      status: "queued",
      deliveredAt: null,
      at: Date.parse(e.occurredAt),
    }));
  const queuedIds = new Set(queued.map((e) => e.clientEventId));
  const delivered = sent
    .filter((e) => e.userId === userId && e.undoneAt === undefined && !queuedIds.has(e.clientEventId))
    .map((e): RecentEvent & { at: number } => ({
      clientEventId: e.clientEventId,
      kind: e.kind as ActivityKind,
      occurredAt: e.occurredAt,
      source: e.source as ActivitySource,
      ...(e.customer !== undefined ? { customer: e.customer } : {}),
      ...(e.amount !== undefined ? { amount: e.amount } : {}),
      status: "sent",
      deliveredAt: e.deliveredAt,
      at: Date.parse(e.occurredAt),
    }));
  return [...queued, ...delivered]
    .sort((a, b) => b.at - a.at || a.clientEventId.localeCompare(b.clientEventId))
    .slice(0, limit)
    .map(({ at: _at, ...event }) => event);
}

/** Customer labels the user attached, newest first, without repeats (case-insensitive). */
export function recentLabels(
  pending: readonly QueuedLike[],
  sent: readonly SentEvent[],
  userId: string,
  limit = LABELS_LIMIT,
): string[] {
  const events = [
    ...pending.filter((e) => e.userId === userId).map((e) => ({ customer: e.customer, at: Date.parse(e.occurredAt) })),
    ...sent.filter((e) => e.userId === userId).map((e) => ({ customer: e.customer, at: Date.parse(e.occurredAt) })),
  ].sort((a, b) => b.at - a.at);
  const seen = new Set<string>();
  const labels: string[] = [];
  for (const { customer } of events) {
    if (!customer || seen.has(customer.toLowerCase())) continue;
    seen.add(customer.toLowerCase());
    labels.push(customer);
    if (labels.length === limit) break;
  }
  return labels;
}

/** The "what was sent" log: every event this device holds for the user, newest first. */
export function sentLogEntries(
  pending: readonly QueuedLike[],
  sent: readonly SentEvent[],
  dead: readonly DeadLike[],
  userId: string,
  limit = SENT_LOG_SHOWN,
): SentLogEntry[] {
  const entries: (SentLogEntry & { order: number })[] = [];
  const extras = (e: { customer?: string; amount?: number }) => ({
    ...(e.customer !== undefined ? { customer: e.customer } : {}),
    ...(e.amount !== undefined ? { amount: e.amount } : {}),
  });
  for (const e of pending) {
    if (e.userId !== userId) continue;
    entries.push({ clientEventId: e.clientEventId, kind: e.kind, occurredAt: e.occurredAt, source: e.source, ...extras(e), status: "queued", at: null, order: Date.parse(e.occurredAt) });
  }
  for (const e of sent) {
    if (e.userId !== userId) continue;
    const undone = e.undoneAt !== undefined;
    entries.push({
      clientEventId: e.clientEventId,
      kind: e.kind,
      occurredAt: e.occurredAt,
      source: e.source,
      ...extras(e),
      status: undone ? "undone" : e.status,
      at: undone ? e.undoneAt! : e.deliveredAt,
      order: Date.parse(e.occurredAt),
    });
  }
  for (const { event: e, failedAt } of dead) {
    if (e.userId !== userId) continue;
    entries.push({ clientEventId: e.clientEventId, kind: e.kind, occurredAt: e.occurredAt, source: e.source, ...extras(e), status: "refused", at: failedAt, order: Date.parse(e.occurredAt) });
  }
  return entries
    .sort((a, b) => b.order - a.order || a.clientEventId.localeCompare(b.clientEventId))
    .slice(0, limit)
    .map(({ order: _order, ...entry }) => entry);
}
