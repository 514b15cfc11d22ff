import { browser } from "#imports";
import type { z } from "zod";
import type { RouteName, Routes } from "../shared/api";
import type { ActivityKind } from "../shared/domain/kinds";
import type { ACTIVITY_SOURCES } from "../shared/schemas/activities";
import type { MeOrg, MeUser } from "../shared/schemas/pairing";
import type { ProgressResponse } from "../shared/schemas/progress";
import type { Today } from "./features/today";
import type { Insights, OverlayPrefs, Preferences, SyncError } from "./storage";

/**
 * The message protocol: popup, options and content scripts → background. Only the background talks to the
 * network and writes pairing, outbox and cache; the others ask it.
 *
 *   getState                         → ExtensionState        (cheap: storage only)
 *   sync                             → ExtensionState        (flush the outbox now, refresh progress)
 *   pair { serverUrl, code, label? } → ExtensionState        (POST /v1/pair; stores token, user, org)
 *   unpair                           → ExtensionState
 *   logActivity { kind, source, clientEventId?, customer?, amount? }
 *                                    → { event, state }       (stored in the outbox before the reply)
 *   undoActivity { clientEventId }  → { outcome, state }      (queued: removed from the outbox; sent: DELETE
 *                                                              /v1/activities/{id} within the org's undo window)
 *   insights { refresh }             → Insights | null        (cached popup data; refresh: fetch it again first)
 *   sentLog                          → SentLogEntry[]         ("what was sent": queued, sent, refused, undone)
 *   getMessages { language }         → MessageTable           (a language's built messages, for the override)
 *   overlayInject { part }           → { injected }           (content script only: the detector, then the overlay UI,
 *                                                              into its frame; overlay/bridge.ts)
 *   overlay                          → OverlayView            (content script only: state, site still enabled, prefs)
 *   overlayPrefs { prefs }           → OverlayPrefs           (content script only: remember position etc. per site)
 *   api { route, params?, query?, body? }
 *                                    → the route's response   (extension pages only: one authenticated call of the
 *                                                              route table in shared/api.ts, made by the background's
 *                                                              typed client with the paired token; the console uses it)
 *
 * Every reply is `{ ok: true, data }` or `{ ok: false, error: MessageError }`: errors cross the message
 * boundary as data (class instances do not survive structured cloning), with the API's error code.
 *
 * This module is types plus a tiny sender, so popup and content scripts do not bundle zod; the background
 * validates every incoming message with the schema in background/requests.ts.
 */

export type ActivitySource = (typeof ACTIVITY_SOURCES)[number];

export type BackgroundRequest =
  | { type: "getState" }
  | { type: "sync" }
  | { type: "pair"; serverUrl: string; code: string; deviceLabel?: string }
  | { type: "unpair" }
  | {
      type: "logActivity";
      /** Chosen by the sender (crypto.randomUUID()), so a resent message is still one event. */
      clientEventId?: string;
      kind: ActivityKind;
      source: ActivitySource;
      customer?: string;
      amount?: number;
    }
  | { type: "undoActivity"; clientEventId: string }
  | { type: "insights"; refresh: boolean }
  | { type: "sentLog" }
  | { type: "getMessages"; language: "en" | "zh-CN" | "zh-TW" }
  | { type: "overlayInject"; part: "detector" | "ui" }
  | { type: "overlay" }
  | { type: "overlayPrefs"; prefs: OverlayPrefs }
  | {
      type: "api";
      route: ApiRoute;
      /** Path parameters, e.g. `{ id }` for /v1/users/{id}. */
      params?: Record<string, string>;
      query?: Record<string, unknown>;
      body?: unknown;
    };
export type RequestType = BackgroundRequest["type"];
export type RequestOf<T extends RequestType> = Extract<BackgroundRequest, { type: T }>;

/**
 * Routes an extension page may call through the `api` message: every route that needs the device token. The
 * unauthenticated ones (pair, health, ping, openapi) are not proxied: pairing has its own message, which stores the token.
 */
export type ApiRoute = { [N in RouteName]: Routes[N]["auth"] extends true ? N : never }[RouteName];

/** Messages content scripts may send (they run inside web pages, so they get the least). */
export const CONTENT_SCRIPT_REQUESTS: ReadonlySet<RequestType> = new Set([
  "getState",
  "sync",
  "logActivity",
  "getMessages",
  "undoActivity",
  "overlayInject",
  "overlay",
  "overlayPrefs",
]);

export interface ExtensionState {
  paired: boolean;
  serverUrl: string;
  user: z.infer<typeof MeUser> | null;
  org: z.infer<typeof MeOrg> | null;
  progress: { data: ProgressResponse; fetchedAt: number } | null;
  /** Today's KPI counts including events not yet synced; null when not paired. */
  today: Today | null;
  /** The paired user's events waiting to be sent. */
  pendingCount: number;
  /** Events the server refused; kept aside, never retried on their own. */
  deadLetterCount: number;

  sync: {
    lastSuccessAt: number | null;
    nextAttemptAt: number;
    /** Outbox or progress failure, outbox first. */
    error: SyncError | null;
  };
  /** Background clock when reading the state began (newer states include every earlier write). */
  now: number;
  /** The user's choices on the options page (language, customer labels). */
  preferences: Preferences;
  /** The paired user's latest events, newest first (queued or sent; not undone): the popup offers undo. */
  recent: RecentEvent[];
  /** Customer labels the user attached lately, newest first (suggestions for the label field). */
  labels: string[];
}

export interface RecentEvent {
  clientEventId: string;
  kind: ActivityKind;
  occurredAt: string;
  source: ActivitySource;
  customer?: string;
  amount?: number;
  /** queued: still on this device; sent: acknowledged by the server at `deliveredAt`. */
  status: "queued" | "sent";
  deliveredAt: number | null;
}

/** One line of the options page's "what was sent" log. */
export interface SentLogEntry {
  clientEventId: string;
  kind: string;
  occurredAt: string;
  source: string;
  customer?: string;
  amount?: number;
  /** queued: waiting on this device; created/duplicate: stored by the server; refused: dead letter; undone. */
  status: "queued" | "created" | "duplicate" | "refused" | "undone";
  /** When it was delivered, refused or undone (client clock); null while queued. */
  at: number | null;
}

export interface LoggedEvent {
  clientEventId: string;
  kind: ActivityKind;
  occurredAt: string;
}

export interface ResponseMap {
  getState: ExtensionState;
  sync: ExtensionState;
  pair: ExtensionState;
  unpair: ExtensionState;
  logActivity: { event: LoggedEvent; state: ExtensionState };
  /** `unqueued`: it had not left this device and never will; `deleted`: the server removed it. */
  undoActivity: { outcome: "unqueued" | "deleted"; state: ExtensionState };
  insights: Insights | null;
  sentLog: SentLogEntry[];
  getMessages: Record<string, { message: string }>;
  /** The route's parsed response (`RouteResponse<route>`); typed by the console's `callApi` wrapper. */
  api: unknown;
  overlayInject: { injected: boolean };
  overlay: OverlayView;
  overlayPrefs: OverlayPrefs;
}

/** What the page overlay shows (content scripts cannot read extension storage; they ask for this). */
export interface OverlayView {
  state: ExtensionState;
  /** The page's origin is still granted; false → the overlay removes itself. */
  enabled: boolean;
  /** Remembered for this site; null the first time. */
  prefs: OverlayPrefs | null;
}

export type MessageErrorKind =
  /** The server could not be reached. */
  | "network"
  /** The server answered with an error; `code` is from the envelope (e.g. pairing_code_invalid). */
  | "http"
  /** The server's answer did not match the contract. */
  | "schema"
  /** The input was refused before anything was sent; `code` says which (invalid_server_url, invalid_pairing_code, ...). */
  | "invalid_input"
  | "not_paired"
  | "internal";

export interface MessageError {
  kind: MessageErrorKind;
  code: string | null;
  message: string;
  /**
   * Field problems, when known: the API's `details` of a 400 (`[{ path: "teamId", message }]`, or CSV rows
   * `[{ row, column, message }]`), or the request's own schema issues (`[{ path: "body.name", message }]`).
   */
  details?: unknown;
}

export type Reply<T> = { ok: true; data: T } | { ok: false; error: MessageError };

/** Thrown by `sendToBackground` so UI code can branch on `kind` / `code`. */
export class BackgroundError extends Error {
  override readonly name = "BackgroundError";
  readonly kind: MessageErrorKind;
  readonly code: string | null;
  readonly details: unknown;
  constructor(error: MessageError) {
    super(error.message);
    this.kind = error.kind;
    this.code = error.code;
    this.details = error.details;
  }
}

export async function sendToBackground<T extends RequestType>(request: RequestOf<T>): Promise<ResponseMap[T]> {
  let reply: Reply<ResponseMap[T]> | undefined;
  try {
    reply = (await browser.runtime.sendMessage(request)) as Reply<ResponseMap[T]> | undefined;
  } catch (error) {
    throw new BackgroundError({
      kind: "internal",
      code: null,
      message: `The extension's background did not answer: ${error instanceof Error ? error.message : String(error)}`,
    });
  }
  if (!reply) throw new BackgroundError({ kind: "internal", code: null, message: "The extension's background did not answer." });
  if (!reply.ok) throw new BackgroundError(reply.error);
  return reply.data;
}
