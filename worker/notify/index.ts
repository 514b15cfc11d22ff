/**
 * Notifications: templates → channel modules (render) → deliver, driven by the outbox.
 *
 *   cron / routes ── enqueue(db, rows, now) ──► notification_outbox ◄── deliverDue(env, now) ── cron
 *                                                                  ◄── deliverNow(env, org, ids, now) ── POST /v1/channels/:id/test
 */
export { CHANNEL_MODULES, renderFor } from "./registry";
export { deliver } from "./deliver";
export { backoffDelay, deliverDue, deliverNow, enqueue, enqueueStatements } from "./outbox";
export type { DeliveryOptions, DeliveryReport, DeliveryResult, EnqueueRow, NotifyEnv } from "./outbox";
export { renderMessage, LANGUAGES, MESSAGE_KINDS } from "./templates";
export type { Language, MessageKind, NotificationMessage, RenderedMessage } from "./templates";
export type * from "./types";
