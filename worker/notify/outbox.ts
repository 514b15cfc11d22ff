import { sql } from "drizzle-orm";
import { z } from "zod";
import { CHANNEL_CONFIG, ChannelKind } from "../../shared/schemas/channels";
import { newId } from "../auth/crypto";
import type { Db } from "../db/client";
import { notificationOutbox } from "../db/schema";
import { deliver } from "./deliver";
import { renderFor } from "./registry";
import { LANGUAGES, NotificationMessageSchema, renderMessage, type Language, type NotificationMessage } from "./templates";
import type { ChannelTarget, DeliveryOutcome } from "./types";

/**
 * The notification outbox (table notification_outbox). Evaluation enqueues; a sender delivers.
 *
 * Life of a row: pending → (claimed: attempts + 1, next_attempt_at = now + lease) → sent | pending (retry at
 * now + backoff) | failed (permanent error, or attempts exhausted; last_error kept).
 *
 * Guarantees
 * - Enqueued once: stored dedup_key = `${channelId}|${dedupKey}`, UNIQUE(org_id, dedup_key), inserts are
 *   ON CONFLICT DO NOTHING — re-running an evaluation (or two at once) enqueues nothing new.
 * - Sent once per claim: rows are claimed by one UPDATE … RETURNING (a single statement, so atomic in D1);
 *   the claim moves next_attempt_at past `now` as a lease, so an overlapping run cannot claim the same row.
 *   Results are written back only if `attempts` still equals the claimed value (a fencing token): a run whose
 *   lease expired cannot overwrite a newer attempt.
 * - At-least-once, not exactly-once, across crashes: if a run dies after sending but before writing the result,
 *   the row is sent again after the lease. Every request carries the row id (X-HUD-Delivery /
 *   Idempotency-Key) so receivers that care can drop the duplicate.
 * - deliverDue/deliverNow never throw: failures are reported in the returned summary.
 *
 * D1 statements per call
 * - enqueue(db, rows): ⌈rows / 14⌉ INSERT statements in one db.batch (one round trip; 7 bound params per row).
 * - deliverDue(env, now, limit): 1 claim UPDATE … RETURNING; if anything was claimed, 1 SELECT of the channels
 *   and ⌈claimed / 16⌉ result UPDATEs in one db.batch. So 1 statement when idle, 3 round trips and
 *   2 + ⌈claimed / 16⌉ statements otherwise — plus one outbound request per claimed row.
 * - deliverNow(env, orgId, ids, now): the same, claiming only the given rows.
 */

export const DEFAULT_MAX_ATTEMPTS = 8;
export const BACKOFF_BASE_MS = 30_000;
export const BACKOFF_CAP_MS = 60 * 60_000;
/** A claimed row is invisible to other runs for this long (must exceed one run's sending time). */
export const DEFAULT_LEASE_MS = 10 * 60_000;
/** Rows per deliverDue call: one outbound request each, within the Workers subrequest limit (1000 paid / 50 free). */
export const DEFAULT_DELIVERY_LIMIT = 50;
/** Cap per call: the channel lookup binds one parameter per claimed row (D1: 100 per statement). */
export const MAX_DELIVERY_LIMIT = 100;
/** Workers allow 6 simultaneous outbound connections per invocation. */
export const DEFAULT_CONCURRENCY = 6;

const INSERT_PARAMS_PER_ROW = 7;
export const ENQUEUE_ROWS_PER_STATEMENT = Math.floor(100 / INSERT_PARAMS_PER_ROW);
const RESULT_PARAMS_PER_ROW = 6;
const RESULT_ROWS_PER_STATEMENT = Math.floor(100 / RESULT_PARAMS_PER_ROW);

export interface EnqueueRow {
  orgId: string;
  channelId: string;
  /**
   * The notification's natural key, unique per channel in the org: rule, subject and slot, e.g.
   * `alert_yellow:usr_1:2026-11-23`. The stored key is prefixed with the channel id.
   */
  dedupKey: string;
  message: NotificationMessage;
  language: Language;
  /** Earliest send time (epoch ms); default: the enqueue time. */
  notBefore?: number;
  /** Overrides the attempt limit for this row (channel tests use 1: no retries). */
  maxAttempts?: number;
}

/** What the outbox stores in `payload`: the message, not its rendering, so a fix to a template applies to retries. */
export const OutboxPayload = z.object({
  v: z.literal(1),
  language: z.enum(LANGUAGES),
  message: NotificationMessageSchema,
  maxAttempts: z.int().min(1).max(100).optional(),
});
export type OutboxPayload = z.infer<typeof OutboxPayload>;

export const storedDedupKey = (channelId: string, dedupKey: string) => `${channelId}|${dedupKey}`;

/**
 * The INSERT statements for `rows`, for callers that want them in their own db.batch (e.g. the cron writes
 * alerts and their notifications atomically). Throws if a message does not match its kind (a programming
 * error, found before anything is written).
 */
export function enqueueStatements(db: Db, rows: EnqueueRow[], now: number) {
  const values = rows.map((row) => {
    const payload: OutboxPayload = {
      v: 1,
      language: row.language,
      message: NotificationMessageSchema.parse(row.message) as NotificationMessage,
      ...(row.maxAttempts === undefined ? {} : { maxAttempts: row.maxAttempts }),
    };
    return {
      id: newId("nob"),
      orgId: row.orgId,
      channelId: row.channelId,
      dedupKey: storedDedupKey(row.channelId, row.dedupKey),
      payload: payload as unknown as Record<string, unknown>,
      // Constants inline (not bound) keep a row at 7 parameters.
      status: sql`'pending'`,
      attempts: sql`0`,
      nextAttemptAt: row.notBefore ?? now,
      createdAt: now,
    };
  });
  const statements = [];
  for (let i = 0; i < values.length; i += ENQUEUE_ROWS_PER_STATEMENT) {
    statements.push(
      db
        .insert(notificationOutbox)
        .values(values.slice(i, i + ENQUEUE_ROWS_PER_STATEMENT))
        .onConflictDoNothing({ target: [notificationOutbox.orgId, notificationOutbox.dedupKey] })
        .returning({ id: notificationOutbox.id }),
    );
  }
  return statements;
}

/** Enqueues rows once each; returns the ids of the rows actually inserted (the rest were already there). */
export async function enqueue(db: Db, rows: EnqueueRow[], now: number): Promise<{ inserted: string[]; duplicates: number }> {
  const statements = enqueueStatements(db, rows, now);
  if (statements.length === 0) return { inserted: [], duplicates: 0 };
  const results = await db.batch(statements as [(typeof statements)[number], ...(typeof statements)[number][]]);
  const inserted = results.flat().map((r) => r.id);
  return { inserted, duplicates: rows.length - inserted.length };
}

// ---------------------------------------------------------------------------------------------------------

export interface NotifyEnv {
  DB: D1Database;
  /** Cloudflare send_email binding, for e-mail channels with transport "send_email". */
  SEND_EMAIL?: SendEmail;
}

export interface DeliveryOptions {
  /** Source of jitter in [0, 1); injectable for tests. */
  random?: () => number;
  maxAttempts?: number;
  leaseMs?: number;
  timeoutMs?: number;
  concurrency?: number;
  fetch?: typeof fetch;
}

export interface DeliveryResult {
  id: string;
  orgId: string;
  channelId: string;
  status: "sent" | "pending" | "failed";
  attempts: number;
  error: string | null;
  retryable?: boolean;
  httpStatus?: number;
  /** When the row will be tried again (pending only). */
  nextAttemptAt: number | null;
  sentAt: number | null;
}

export interface DeliveryReport {
  claimed: number;
  sent: number;
  retrying: number;
  failed: number;
  results: DeliveryResult[];
  /** Set when the outbox itself could not be read or written; nothing is thrown. */
  error?: string;
}

/** Full-jitter exponential backoff: uniform in [0, min(cap, base · 2^(attempt − 1))). */
export function backoffDelay(attempt: number, random: () => number, base = BACKOFF_BASE_MS, cap = BACKOFF_CAP_MS): number {
  const ceiling = Math.min(cap, base * 2 ** Math.max(0, attempt - 1));
  return Math.floor(Math.min(Math.max(random(), 0), 1) * ceiling);
}

interface ClaimedRow {
  id: string;
  org_id: string;
  channel_id: string;
  payload: string;
  attempts: number;
}

const CLAIM_COLUMNS = "id, org_id, channel_id, payload, attempts";

/** Claims and sends due rows (pending, next_attempt_at <= now), oldest first. */
export async function deliverDue(env: NotifyEnv, now: number, limit = DEFAULT_DELIVERY_LIMIT, options: DeliveryOptions = {}): Promise<DeliveryReport> {
  const n = Math.max(1, Math.min(MAX_DELIVERY_LIMIT, Math.floor(limit)));
  const lease = now + (options.leaseMs ?? DEFAULT_LEASE_MS);
  const claim = () =>
    env.DB.prepare(
      `UPDATE notification_outbox SET attempts = attempts + 1, next_attempt_at = ?
        WHERE status = 'pending' AND next_attempt_at <= ?
          AND id IN (SELECT id FROM notification_outbox WHERE status = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?)
        RETURNING ${CLAIM_COLUMNS}`,
    ).bind(lease, now, now, n);
  return claimAndSend(env, claim, now, options);
}

/** Claims and sends the given rows of one org right away (if still pending and due), e.g. a channel test. */
export async function deliverNow(env: NotifyEnv, orgId: string, ids: string[], now: number, options: DeliveryOptions = {}): Promise<DeliveryReport> {
  const chosen = ids.slice(0, MAX_DELIVERY_LIMIT - 3);
  if (chosen.length === 0) return emptyReport();
  const lease = now + (options.leaseMs ?? DEFAULT_LEASE_MS);
  const claim = () =>
    env.DB.prepare(
      `UPDATE notification_outbox SET attempts = attempts + 1, next_attempt_at = ?
        WHERE org_id = ? AND status = 'pending' AND next_attempt_at <= ? AND id IN (${chosen.map(() => "?").join(", ")})
        RETURNING ${CLAIM_COLUMNS}`,
    ).bind(lease, orgId, now, ...chosen);
  return claimAndSend(env, claim, now, options);
}

const emptyReport = (): DeliveryReport => ({ claimed: 0, sent: 0, retrying: 0, failed: 0, results: [] });

async function claimAndSend(env: NotifyEnv, claim: () => D1PreparedStatement, now: number, options: DeliveryOptions): Promise<DeliveryReport> {
  const report = emptyReport();
  try {
    const claimed = (await claim().all<ClaimedRow>()).results;
    report.claimed = claimed.length;
    if (claimed.length === 0) return report;

    const channels = await loadChannels(env.DB, [...new Set(claimed.map((r) => r.channel_id))]);
    report.results = await mapLimit(claimed, options.concurrency ?? DEFAULT_CONCURRENCY, (row) =>
      sendOne(env, row, channels.get(row.channel_id), now, options),
    );
    for (const r of report.results) {
      if (r.status === "sent") report.sent++;
      else if (r.status === "pending") report.retrying++;
      else report.failed++;
    }
    await writeResults(env.DB, report.results, now);
  } catch (err) {
    report.error = err instanceof Error ? err.message : String(err);
    console.error("notification outbox:", report.error);
  }
  return report;
}

interface ChannelRow {
  id: string;
  org_id: string;
  kind: string;
  name: string;
  config: string;
  secret: string | null;
  enabled: number;
}

async function loadChannels(d1: D1Database, ids: string[]): Promise<Map<string, ChannelRow>> {
  const { results } = await d1
    .prepare(`SELECT id, org_id, kind, name, config, secret, enabled FROM notification_channels WHERE id IN (${ids.map(() => "?").join(", ")})`)
    .bind(...ids)
    .all<ChannelRow>();
  return new Map(results.map((c) => [c.id, c]));
}

/** Renders and sends one claimed row; decides its next state. Never throws. */
async function sendOne(env: NotifyEnv, row: ClaimedRow, channelRow: ChannelRow | undefined, now: number, options: DeliveryOptions): Promise<DeliveryResult> {
  const base = { id: row.id, orgId: row.org_id, channelId: row.channel_id, attempts: row.attempts };
  const fail = (error: string, extra: Partial<DeliveryResult> = {}): DeliveryResult => ({
    ...base,
    status: "failed",
    error,
    retryable: false,
    nextAttemptAt: null,
    sentAt: null,
    ...extra,
  });

  let outcome: DeliveryOutcome;
  let maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  try {
    const payload = OutboxPayload.safeParse(JSON.parse(row.payload));
    if (!payload.success) return fail("unreadable payload");
    maxAttempts = payload.data.maxAttempts ?? maxAttempts;
    // A run that crashed after claiming still counted the attempt; stop here instead of looping forever.
    if (row.attempts > maxAttempts) return fail(`gave up after ${maxAttempts} attempts`);

    const message = payload.data.message as NotificationMessage;
    if (!channelRow || channelRow.org_id !== row.org_id) return fail("channel not found (deleted?)");
    // A disabled channel still takes its own test message: admins test before enabling.
    if (!channelRow.enabled && message.kind !== "channel_test") return fail("channel is disabled");
    const channel = parseChannel(channelRow);
    if (!channel) return fail("channel configuration is invalid");

    const rendered = renderMessage(message, payload.data.language);
    const request = await renderFor(
      channel,
      { ...rendered, deliveryId: row.id, kind: message.kind, language: payload.data.language, params: message.params },
      { now },
    );
    outcome = await deliver(request, {
      env,
      ...(options.fetch ? { fetch: options.fetch } : {}),
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    });
  } catch (err) {
    return fail(`cannot render: ${err instanceof Error ? err.message : String(err)}`.slice(0, 300));
  }

  const http = outcome.httpStatus === undefined ? {} : { httpStatus: outcome.httpStatus };
  if (outcome.ok) return { ...base, ...http, status: "sent", error: null, nextAttemptAt: null, sentAt: now };
  if (!outcome.retryable) return fail(outcome.error, http);
  if (row.attempts >= maxAttempts) return fail(`${outcome.error} (gave up after ${row.attempts} attempt${row.attempts === 1 ? "" : "s"})`, { ...http, retryable: true });
  const nextAttemptAt = now + backoffDelay(row.attempts, options.random ?? Math.random);
  return { ...base, ...http, status: "pending", error: outcome.error, retryable: true, nextAttemptAt, sentAt: null };
}

function parseChannel(row: ChannelRow): ChannelTarget | null {
  const kind = ChannelKind.safeParse(row.kind);
  if (!kind.success) return null;
  let raw: unknown;
  try {
    raw = JSON.parse(row.config);
  } catch {
    return null;
  }
  const config = CHANNEL_CONFIG[kind.data].safeParse(raw);
  if (!config.success) return null;
  return { id: row.id, kind: kind.data, name: row.name, config: config.data, secret: row.secret } as ChannelTarget;
}

/**
 * Writes all results with UPDATE … FROM (VALUES …), 16 rows per statement, in one db.batch. The
 * `attempts = claimed attempts` and `status = 'pending'` conditions fence out stale writers.
 * A successful send keeps the previous attempt's last_error (COALESCE) for the log.
 */
async function writeResults(d1: D1Database, results: DeliveryResult[], now: number): Promise<void> {
  const statements: D1PreparedStatement[] = [];
  for (let i = 0; i < results.length; i += RESULT_ROWS_PER_STATEMENT) {
    const chunk = results.slice(i, i + RESULT_ROWS_PER_STATEMENT);
    statements.push(
      d1
        .prepare(
          `UPDATE notification_outbox AS o
              SET status = v.column3, next_attempt_at = v.column4, last_error = COALESCE(v.column5, o.last_error), sent_at = v.column6
             FROM (VALUES ${chunk.map(() => "(?, ?, ?, ?, ?, ?)").join(", ")}) AS v
            WHERE o.id = v.column1 AND o.attempts = v.column2 AND o.status = 'pending'`,
        )
        .bind(...chunk.flatMap((r) => [r.id, r.attempts, r.status, r.nextAttemptAt ?? now, r.error, r.sentAt])),
    );
  }
  await d1.batch(statements);
}

async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return out;
}
