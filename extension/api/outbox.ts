import { storage } from "#imports";
import {
  ActivityEvent,
  MAX_BATCH,
  type PostActivitiesResponse,
} from "../../shared/schemas/activities";
import type { ActivityKind } from "../../shared/domain/kinds";
import { HTTPError, NetworkError, SchemaError } from "./errors";
import {
  SENT_LOG_LIMIT,
  sentLogItem,
  syncStatusItem,
  type SentEvent,
  type SyncError,
  type SyncStatus,
} from "../storage";

/**
 * Durable outbox for activity events.
 *
 * - A click becomes an event with a `crypto.randomUUID()` client id, written to its own key
 *   `local:outbox:<clientEventId>` before anything else happens. One key per event means two clicks (or a
 *   click during a flush) never race on a shared list, and a service worker killed at any moment loses nothing.
 * - The flusher sends the current user's events in batches of ≤ MAX_BATCH and deletes a key only after the
 *   server acknowledged it (`created` or `duplicate`: both mean "stored"). A worker killed between the
 *   server's insert and our delete resends the event next time; the server answers `duplicate`, so nothing
 *   is counted twice.
 * - A batch the server rejects as invalid (400/413) is split in halves until the bad events are isolated;
 *   those go to a dead-letter key (`local:deadletter:<id>`) instead of being retried forever.
 * - Network failures, 5xx, 429 and unexpected answers back off exponentially with jitter. Automatic
 *   triggers (click, alarm, startup) respect the back-off; explicit ones (popup open, `online`, sync button)
 *   try at once — except while the server's own `Retry-After` runs (429 from the per-token rate limit).
 * - Flushes are single-flight inside one service worker: a flush requested while one runs is queued
 *   once and runs right after, so no event is sent by two overlapping flushes.
 */

export const OUTBOX_PREFIX = "outbox:";
export const DEAD_LETTER_PREFIX = "deadletter:";

export interface OutboxEvent {
  clientEventId: string;
  kind: ActivityKind;
  /** ISO UTC instant of the click. */
  occurredAt: string;
  source: ActivityEvent["source"];
  amount?: number;
  customer?: string;
  /** The paired user who clicked: only their token may send it (see flush). */
  userId: string;
  /** Epoch ms, client clock; orders the queue. */
  createdAt: number;
}

export interface DeadLetter {
  event: OutboxEvent;
  failedAt: number;
  error: { code: string; message: string; details?: unknown };
}

export type FlushTrigger = "click" | "alarm" | "startup" | "popup" | "online" | "manual";

/** Triggers that mean "the user or the network just told us to try now". */
const FORCING_TRIGGERS: ReadonlySet<FlushTrigger> = new Set(["popup", "online", "manual"]);

export interface FlushResult {
  /** Why nothing was sent, if nothing was attempted. */
  skipped?: "backoff" | "not_paired" | "empty";
  delivered: SentEvent[];
  deadLettered: number;
  /** The error that stopped the flush (events stay queued). */
  error?: unknown;
}

export interface OutboxDeps {
  /** POST /v1/activities with the current token. */
  send(events: ActivityEvent[], sentAt: string): Promise<PostActivitiesResponse>;
  /** The paired user's id, or null when not paired. */
  currentUserId(): Promise<string | null>;
  now?: () => number;
  random?: () => number;
  randomUUID?: () => string;
  batchSize?: number;
}

export const BACKOFF_BASE_MS = 5_000;
export const BACKOFF_MAX_MS = 10 * 60_000;

/** Exponential back-off with jitter: attempt n waits between 50 % and 100 % of min(max, base·2^(n−1)). */
export function backoffDelay(consecutiveFailures: number, random: number): number {
  const exp = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, consecutiveFailures - 1));
  return Math.round(exp * (0.5 + 0.5 * random));
}

export interface NewEvent {
  /** Chosen by the UI so that a resent message cannot create a second event; generated when absent. */
  clientEventId?: string;
  kind: ActivityKind;
  source: ActivityEvent["source"];
  amount?: number;
  customer?: string;
}

export class Outbox {
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly randomUUID: () => string;
  private readonly batchSize: number;
  private running: Promise<FlushResult> | null = null;
  private queued: Promise<FlushResult> | null = null;
  private queuedForce = false;

  constructor(private readonly deps: OutboxDeps) {
    this.now = deps.now ?? Date.now;
    this.random = deps.random ?? Math.random;
    this.randomUUID = deps.randomUUID ?? (() => crypto.randomUUID());
    this.batchSize = Math.min(deps.batchSize ?? MAX_BATCH, MAX_BATCH);
  }

  /**
   * Records a click durably. Resolves once the event is in storage; sending happens later.
   * Adding an id that is already queued returns the queued event (a repeated message is one click).
   */
  async add(input: NewEvent, userId: string): Promise<OutboxEvent> {
    if (input.clientEventId) {
      const existing = await storage.getItem<OutboxEvent>(outboxKey(input.clientEventId));
      if (existing) return existing;
    }
    const now = this.now();
    const event: OutboxEvent = {
      clientEventId: input.clientEventId ?? this.randomUUID(),
      kind: input.kind,
      occurredAt: new Date(now).toISOString(),
      source: input.source,
      ...(input.amount !== undefined ? { amount: input.amount } : {}),
      ...(input.customer !== undefined ? { customer: input.customer } : {}),
      userId,
      createdAt: now,
    };
    await storage.setItem<OutboxEvent>(`local:${OUTBOX_PREFIX}${event.clientEventId}`, event);
    return event;
  }

  /** Queued events (all users), oldest first. */
  async pending(): Promise<OutboxEvent[]> {
    return (await this.contents()).pending;
  }

  async deadLetters(): Promise<DeadLetter[]> {
    return (await this.contents()).dead;
  }

  /** Puts dead letters back in the queue (e.g. after an update fixed the cause). */
  async retryDeadLetters(): Promise<number> {
    const { dead } = await this.contents();
    for (const letter of dead) {
      await storage.setItem(`local:${OUTBOX_PREFIX}${letter.event.clientEventId}`, letter.event);
      await storage.removeItem(`local:${DEAD_LETTER_PREFIX}${letter.event.clientEventId}`);
    }
    return dead.length;
  }

  /** Single-flight: overlapping calls share the running flush or one queued follow-up. */
  flush(trigger: FlushTrigger): Promise<FlushResult> {
    const force = FORCING_TRIGGERS.has(trigger);
    if (!this.running) {
      this.running = this.run(force).finally(() => {
        this.running = null;
      });
      return this.running;
    }
    this.queuedForce ||= force;
    this.queued ??= this.running.then(
      () => this.startQueued(),
      () => this.startQueued(),
    );
    return this.queued;
  }

  private startQueued(): Promise<FlushResult> {
    const force = this.queuedForce;
    this.queued = null;
    this.queuedForce = false;
    return this.flush(force ? "manual" : "alarm");
  }

  /** Queued events and dead letters (all users), oldest first, in one storage read. */
  async contents(): Promise<{ pending: OutboxEvent[]; dead: DeadLetter[] }> {
    const all = await storage.snapshot("local");
    const pending: OutboxEvent[] = [];
    const dead: DeadLetter[] = [];
    for (const [key, value] of Object.entries(all)) {
      if (key.endsWith("$") || value == null) continue; // metadata keys of @wxt-dev/storage
      if (key.startsWith(OUTBOX_PREFIX)) pending.push(value as OutboxEvent);
      else if (key.startsWith(DEAD_LETTER_PREFIX)) dead.push(value as DeadLetter);
    }
    const order = (a: OutboxEvent, b: OutboxEvent) =>
      a.createdAt - b.createdAt || a.clientEventId.localeCompare(b.clientEventId);
    pending.sort(order);
    dead.sort((a, b) => order(a.event, b.event));
    return { pending, dead };
  }

  private async run(force: boolean): Promise<FlushResult> {
    const result: FlushResult = { delivered: [], deadLettered: 0 };
    const status = await syncStatusItem.getValue();
    if ((!force && status.nextAttemptAt > this.now()) || (status.holdUntil ?? 0) > this.now()) return { ...result, skipped: "backoff" };

    const userId = await this.deps.currentUserId();
    if (!userId) return { ...result, skipped: "not_paired" };

    const { pending, dead } = await this.contents();
    // A worker killed between writing a dead letter and deleting the queued copy leaves both.
    const deadIds = new Set(dead.map((letter) => letter.event.clientEventId));
    const leftovers = pending.filter((event) => deadIds.has(event.clientEventId));
    if (leftovers.length > 0) await storage.removeItems(leftovers.map((event) => outboxKey(event.clientEventId)));

    const mine: OutboxEvent[] = [];
    for (const event of pending) {
      if (event.userId !== userId || deadIds.has(event.clientEventId)) continue;
      const wire = ActivityEvent.safeParse(toWire(event));
      if (wire.success) mine.push(event);
      else {
        await this.deadLetter(event, { code: "invalid_event", message: "Rejected locally", details: wire.error.issues });
        result.deadLettered++;
      }
    }
    if (mine.length === 0) {
      // Nothing left to send (e.g. the waiting events were undone): an earlier send failure no longer applies.
      if (status.lastError !== null || status.consecutiveFailures > 0) {
        await syncStatusItem.setValue({ ...(await syncStatusItem.getValue()), consecutiveFailures: 0, nextAttemptAt: 0, lastError: null });
      }
      return { ...result, skipped: "empty" };
    }

    const queue: OutboxEvent[][] = [];
    for (let i = 0; i < mine.length; i += this.batchSize) queue.push(mine.slice(i, i + this.batchSize));

    const attemptAt = this.now();
    while (queue.length > 0) {
      const batch = queue.shift()!;
      try {
        const response = await this.deps.send(batch.map(toWire), new Date(this.now()).toISOString());
        result.delivered.push(...(await this.acknowledge(batch, response)));
      } catch (error) {
        if (isRejectedBatch(error)) {
          if (batch.length === 1) {
            await this.deadLetter(batch[0]!, describeHttp(error));
            result.deadLettered++;
          } else {
            const half = Math.ceil(batch.length / 2);
            queue.unshift(batch.slice(0, half), batch.slice(half));
          }
          continue;
        }
        result.error = error;
        break;
      }
    }

    await this.recordAttempt(attemptAt, result.error);
    return result;
  }

  private async acknowledge(batch: OutboxEvent[], response: PostActivitiesResponse): Promise<SentEvent[]> {
    const statusById = new Map(response.results.map((r) => [r.clientEventId, r.status] as const));
    const deliveredAt = this.now();
    const delivered: SentEvent[] = [];
    for (const event of batch) {
      const status = statusById.get(event.clientEventId);
      // Not in the answer: not known to be stored, so keep it and send again (the server dedupes).
      if (!status) continue;
      delivered.push({
        clientEventId: event.clientEventId,
        userId: event.userId,
        kind: event.kind,
        occurredAt: event.occurredAt,
        source: event.source,
        ...(event.customer !== undefined ? { customer: event.customer } : {}),
        ...(event.amount !== undefined ? { amount: event.amount } : {}),
        status,
        deliveredAt,
      });
    }
    if (delivered.length === 0) return delivered;
    // Log first, then delete: the popup's count never dips between "left the queue" and "in the progress".
    const log = await sentLogItem.getValue();
    await sentLogItem.setValue([...log, ...delivered].slice(-SENT_LOG_LIMIT));
    await storage.removeItems(delivered.map((event) => outboxKey(event.clientEventId)));
    return delivered;
  }

  private async deadLetter(event: OutboxEvent, error: DeadLetter["error"]): Promise<void> {
    const letter: DeadLetter = { event, failedAt: this.now(), error };
    await storage.setItem<DeadLetter>(`local:${DEAD_LETTER_PREFIX}${event.clientEventId}`, letter);
    await storage.removeItem(outboxKey(event.clientEventId));
  }

  private async recordAttempt(attemptAt: number, error: unknown): Promise<void> {
    const previous = await syncStatusItem.getValue();
    let next: SyncStatus;
    if (error === undefined) {
      next = {
        ...previous,
        consecutiveFailures: 0,
        nextAttemptAt: 0,
        holdUntil: 0,
        lastAttemptAt: attemptAt,
        lastSuccessAt: this.now(),
        lastError: null,
      };
    } else {
      const failures = previous.consecutiveFailures + 1;
      const asked = error instanceof HTTPError ? (error.retryAfterMs ?? 0) : 0;
      next = {
        ...previous,
        consecutiveFailures: failures,
        nextAttemptAt: this.now() + Math.max(backoffDelay(failures, this.random()), asked),
        holdUntil: asked > 0 ? this.now() + asked : 0,
        lastAttemptAt: attemptAt,
        lastError: describeSyncError(error),
      };
    }
    await syncStatusItem.setValue(next);
  }
}

export function outboxKey(clientEventId: string): `local:${string}` {
  return `local:${OUTBOX_PREFIX}${clientEventId}`;
}

/** The wire form: what the server needs and nothing more (no user id, no local timestamps). */
export function toWire(event: OutboxEvent): ActivityEvent {
  return {
    clientEventId: event.clientEventId,
    kind: event.kind,
    occurredAt: event.occurredAt,
    source: event.source,
    ...(event.amount !== undefined ? { amount: event.amount } : {}),
    ...(event.customer !== undefined ? { customer: event.customer } : {}),
  };
}

/** The server says this batch can never be accepted as it is (bad event or too big): split, then dead-letter. */
function isRejectedBatch(error: unknown): error is HTTPError {
  return (
    error instanceof HTTPError &&
    (error.status === 413 || (error.status === 400 && (error.code === "validation_failed" || error.code === "bad_request")))
  );
}

function describeHttp(error: HTTPError): DeadLetter["error"] {
  return { code: error.code, message: error.message, ...(error.details !== undefined ? { details: error.details } : {}) };
}

export function describeSyncError(error: unknown): SyncError {
  if (error instanceof NetworkError) return { kind: "network", code: null, message: error.message };
  if (error instanceof HTTPError) return { kind: "http", code: error.code, message: error.message };
  if (error instanceof SchemaError) return { kind: "schema", code: null, message: error.message };
  return { kind: "network", code: null, message: error instanceof Error ? error.message : String(error) };
}
