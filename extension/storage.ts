import { storage } from "#imports";
import type { z } from "zod";
import type { MeOrg, MeUser } from "../shared/schemas/pairing";
import type { ProgressResponse, TeamSummaryResponse } from "../shared/schemas/progress";
import type { AlertRowOut, LeaderboardResponse, TaskOut } from "../shared/schemas/insights";
import type { Team } from "../shared/schemas/users";

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
  /**
   * The server asked for a pause (429/503 with `Retry-After`): no flush before then, explicit ones included — sending
   * sooner only earns another 429. Absent in statuses stored by older versions (read as 0).
   */
  holdUntil?: number;
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
  /** Minor units, `won` only. */
  amount?: number;
  status: "created" | "duplicate";
  deliveredAt: number;
  /** Set when the user undid it (DELETE /v1/activities/{id}); the server no longer counts it. */
  undoneAt?: number;
}

export const SENT_LOG_LIMIT = 200;

export const sentLogItem = storage.defineItem<SentEvent[]>("local:sentLog", {
  version: 1,
  fallback: [],
});

/** The UI language: `auto` follows the browser (chrome.i18n); the others override it (extension/i18n.ts). */
export const LANGUAGE_PREFERENCES = ["auto", "en", "zh-CN", "zh-TW"] as const;
export type LanguagePreference = (typeof LANGUAGE_PREFERENCES)[number];

/**
 * Customer labels on logged events (DOMAIN.md "Privacy"):
 * - `ask`: the popup offers an optional label for each click and forgets it afterwards (default);
 * - `keep`: the label stays filled in for the next clicks until cleared;
 * - `never`: no label field, and the background drops any label before it is stored or sent.
 */
export const CUSTOMER_LABEL_MODES = ["ask", "keep", "never"] as const;
export type CustomerLabelMode = (typeof CUSTOMER_LABEL_MODES)[number];

export interface Preferences {
  language: LanguagePreference;
  customerLabels: CustomerLabelMode;
}

export const DEFAULT_PREFERENCES: Preferences = { language: "auto", customerLabels: "ask" };

/** The user's choices on the options page; the popup, options, overlay and badge read them. */
export const preferencesItem = storage.defineItem<Preferences>("local:preferences", {
  version: 1,
  fallback: DEFAULT_PREFERENCES,
});

/**
 * What the popup shows beyond the HUD itself, cached so it renders at once and then refreshes
 * (background/insights.ts): org settings the UI needs, leaderboard, alerts, tasks, key customers, and
 * for managers/directors/admins the team summary and teams.
 */
export interface Insights {
  userId: string;
  /** Client clock when the requests left (a later one has newer answers; see background/insights.ts). */
  fetchedAt: number;
  undoWindowMinutes: number | null;
  leaderboard: z.infer<typeof LeaderboardResponse> | null;
  alerts: z.infer<typeof AlertRowOut>[];
  tasks: z.infer<typeof TaskOut>[];
  /** Labels of the user's key customers (suggested in the label field). */
  keyCustomers: string[];
  /** Leaders only. */
  team: { summary: TeamSummaryResponse; teams: z.infer<typeof Team>[] } | null;
  /** The first failure among the calls (the parts that answered are still shown). */
  error: SyncError | null;
}

export const insightsItem = storage.defineItem<Insights | null>("local:insights", {
  version: 1,
  fallback: null,
});

/**
 * A request for the popup to open on a form, e.g. the `won` amount after "Log as … → Won" in the context menu
 * (a deal needs an amount, which a menu cannot ask for). Session storage: it never outlives the browser session.
 */
export interface PopupIntent {
  kind: "won";
  /** Client clock; the popup ignores intents older than a minute. */
  at: number;
  /** Where the rep asked for it: the won deal is logged with this source (absent in intents of older versions: popup). */
  source?: "shortcut" | "context_menu";
}

export const popupIntentItem = storage.defineItem<PopupIntent | null>("session:popupIntent", {
  fallback: null,
});

/** Where the page overlay sits: a viewport corner and the pill's distance from its two edges, in CSS pixels. */
export interface OverlayPlacement {
  corner: "bottom-left" | "bottom-right" | "top-left" | "top-right";
  x: number;
  y: number;
}

/** The overlay's per-site memory (position, collapsed, "attach the customer label"), written only by the background. */
export interface OverlayPrefs {
  placement: OverlayPlacement | null;
  collapsed: boolean;
  attachLabel: boolean;
}

/**
 * One key per site (`local:overlay:gmail`, `local:overlay:https://crm.example.com`), so two tabs saving at once never
 * overwrite each other's site. The site key is sites/registry.ts `overlayPrefsKey`.
 */
export function overlayPrefsStorageKey(siteKey: string): `local:overlay:${string}` {
  return `local:overlay:${siteKey}`;
}
