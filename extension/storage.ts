import { storage } from "#imports";
import type { z } from "zod";
import type { MeOrg, MeUser } from "../shared/schemas/pairing";
import type { ProgressResponse } from "../shared/schemas/progress";

/**
 * Everything the extension keeps, in `browser.storage.local`. Versioned items: bump `version` and add a
 * migration when a shape changes, so an update never loses a pairing or a cached number.
 *
 * Outbox events are NOT here: each one has its own key (`local:outbox:<clientEventId>`, see api/outbox.ts)
 * so that recording a click never reads-modifies-writes a shared list.
 */

export const DEFAULT_SERVER_URL = "http://127.0.0.1:8787";

export interface Settings {
  serverUrl: string;
  /** Device token from POST /v1/pair; null when not paired. */
  token: string | null;
  tokenId: string | null;
  user: z.infer<typeof MeUser> | null;
  org: z.infer<typeof MeOrg> | null;
  pairedAt: string | null;
}

export const settingsItem = storage.defineItem<Settings>("local:settings", {
  version: 1,
  fallback: { serverUrl: DEFAULT_SERVER_URL, token: null, tokenId: null, user: null, org: null, pairedAt: null },
});

export interface CachedProgress {
  data: ProgressResponse;
  /** Whose progress this is; a cache from a previous pairing is ignored. */
  userId: string;
  /** Client clock (epoch ms) when the request left: events acknowledged before this are counted in `data`. */
  requestedAt: number;
  /** Client clock (epoch ms) when the answer arrived: "updated 12 s ago". */
  fetchedAt: number;
}

export const progressItem = storage.defineItem<CachedProgress | null>("local:progress", {
  version: 1,
  fallback: null,
});

export interface SyncError {
  /** network | http | schema, plus the envelope code for http. */
  kind: "network" | "http" | "schema";
  code: string | null;
  message: string;
}

export interface SyncStatus {
  consecutiveFailures: number;
  /** Automatic flushes (alarm, click) wait until then; explicit ones (popup open, online, sync button) do not. */
  nextAttemptAt: number;
  lastAttemptAt: number | null;
  lastSuccessAt: number | null;
  /** Last outbox failure; cleared by a successful flush. */
  lastError: SyncError | null;
  /** Last failure of GET /v1/progress; cleared by a successful fetch. */
  progressError: SyncError | null;
}

export const INITIAL_SYNC_STATUS: SyncStatus = {
  consecutiveFailures: 0,
  nextAttemptAt: 0,
  lastAttemptAt: null,
  lastSuccessAt: null,
  lastError: null,
  progressError: null,
};

export const syncStatusItem = storage.defineItem<SyncStatus>("local:syncStatus", {
  version: 1,
  fallback: INITIAL_SYNC_STATUS,
});

/** An event the server acknowledged: the "what was sent" log and the bridge until progress catches up. */
export interface SentEvent {
  clientEventId: string;
  userId: string;
  kind: string;
  occurredAt: string;
  source: string;
  customer?: string;
  status: "created" | "duplicate";
  deliveredAt: number;
}

export const SENT_LOG_LIMIT = 200;

export const sentLogItem = storage.defineItem<SentEvent[]>("local:sentLog", {
  version: 1,
  fallback: [],
});
