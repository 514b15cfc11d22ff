import { browser, type Browser } from "#imports";
import { i18n } from "#i18n";
import { PairingCode } from "../../shared/schemas/pairing";
import { createApiClient, type ApiClient, type CallArgs } from "../api/client";
import { HTTPError, NetworkError, SchemaError } from "../api/errors";
import { Outbox, describeSyncError, type FlushTrigger } from "../api/outbox";
import { formatBadge, type Translate } from "../features/badge";
import { parseServerUrl } from "../features/server-url";
import { localDay, todayKpis } from "../features/today";
import { BackgroundRequest as BackgroundRequestSchema } from "./requests";
import {
  CONTENT_SCRIPT_REQUESTS,
  type BackgroundRequest,
  type ExtensionState,
  type MessageError,
  type Reply,
  type ResponseMap,
} from "../messages";
import {
  INITIAL_SYNC_STATUS,
  progressItem,
  sentLogItem,
  settingsItem,
  syncStatusItem,
  type Settings,
  type SyncStatus,
} from "../storage";

/**
 * The background: owns the API client, the outbox, the sync alarm and the badge, and answers the
 * message protocol (messages.ts). Everything durable is in storage, so a service worker started
 * fresh (or killed mid-flush) continues where the previous one stopped.
 */

export const SYNC_ALARM = "sync";
/** Chrome's minimum alarm period (30 s). */
export const SYNC_PERIOD_MINUTES = 0.5;
/** Cached progress older than this is refreshed by the alarm. */
export const PROGRESS_MAX_AGE_MS = 5 * 60_000;

const FORCING_TRIGGERS: ReadonlySet<FlushTrigger> = new Set(["popup", "online", "manual"]);

export interface BackgroundDeps {
  fetch?: typeof fetch;
  client?: ApiClient;
  now?: () => number;
  random?: () => number;
  randomUUID?: () => string;
  /** Localised badge strings; defaults to the extension's messages (@wxt-dev/i18n). */
  t?: Translate;
  locale?: () => string;
}

class InputError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

class NotPairedError extends Error {}

export type Background = ReturnType<typeof createBackground>;

export function createBackground(deps: BackgroundDeps = {}) {
  const now = deps.now ?? Date.now;
  const t: Translate = deps.t ?? ((key, substitutions, count) => translate(key, substitutions, count));
  const locale = deps.locale ?? (() => browser.i18n.getUILanguage());
  const client =
    deps.client ??
    createApiClient({
      server: async () => {
        const settings = await settingsItem.getValue();
        return { baseUrl: settings.serverUrl, token: settings.token };
      },
      ...(deps.fetch ? { fetch: deps.fetch } : {}),
    });
  const outbox = new Outbox({
    send: (events, sentAt) => client.call("postActivities", { body: { sentAt, events } }),
    currentUserId: async () => pairedUser(await settingsItem.getValue())?.id ?? null,
    now,
    ...(deps.random ? { random: deps.random } : {}),
    ...(deps.randomUUID ? { randomUUID: deps.randomUUID } : {}),
  });

  // --- sync: flush the outbox, then refresh progress, as one single-flight unit --------------------------
  // Serialising the two means a progress answer never overlaps a flush, which keeps today's counts exact
  // (features/today.ts relies on "acknowledged before the progress request" ⇒ "included in it").
  let running: Promise<void> | null = null;
  let queued: Promise<void> | null = null;
  let queuedTrigger: FlushTrigger | null = null;

  function sync(trigger: FlushTrigger): Promise<void> {
    if (!running) {
      running = runSync(trigger).finally(() => {
        running = null;
      });
      return running;
    }
    if (!queuedTrigger || FORCING_TRIGGERS.has(trigger)) queuedTrigger = trigger;
    queued ??= running.then(() => {
      const next = queuedTrigger ?? "alarm";
      queued = null;
      queuedTrigger = null;
      return sync(next);
    });
    return queued;
  }

  async function runSync(trigger: FlushTrigger): Promise<void> {
    try {
      const result = await outbox.flush(trigger);
      const settings = await settingsItem.getValue();
      const user = pairedUser(settings);
      if (user && !(result.error instanceof NetworkError)) {
        const cached = await progressItem.getValue();
        const status = await syncStatusItem.getValue();
        const stale =
          !cached ||
          cached.userId !== user.id ||
          now() - cached.fetchedAt > PROGRESS_MAX_AGE_MS ||
          cached.data.day !== localDay(now(), settings.org?.timeZone ?? "UTC");
        const due = status.nextAttemptAt <= now();
        if (result.delivered.length > 0 || FORCING_TRIGGERS.has(trigger) || (stale && due)) await refreshProgress();
      }
    } catch (error) {
      console.error("[target-hud] sync failed", error);
    } finally {
      await refreshBadge().catch((error) => console.error("[target-hud] badge update failed", error));
    }
  }

  async function refreshProgress(): Promise<void> {
    const settings = await settingsItem.getValue();
    const user = pairedUser(settings);
    if (!user) return;
    const requestedAt = now();
    try {
      const data = await client.call("progress");
      // The device may have been unpaired or re-paired while the request was in flight.
      if ((await settingsItem.getValue()).token !== settings.token) return;
      await progressItem.setValue({ data, userId: user.id, requestedAt, fetchedAt: now() });
      await patchSyncStatus({ progressError: null });
    } catch (error) {
      await patchSyncStatus({ progressError: describeSyncError(error) });
    }
  }

  async function patchSyncStatus(patch: Partial<SyncStatus>): Promise<void> {
    await syncStatusItem.setValue({ ...(await syncStatusItem.getValue()), ...patch });
  }

  // --- badge --------------------------------------------------------------------------------------------
  async function refreshBadge(): Promise<void> {
    const [settings, cached, status, { pending }] = await Promise.all([
      settingsItem.getValue(),
      progressItem.getValue(),
      syncStatusItem.getValue(),
      outbox.contents(),
    ]);
    const user = pairedUser(settings);
    const progress = user && cached?.userId === user.id ? cached : null;
    const waiting = user ? pending.filter((event) => event.userId === user.id).length : 0;
    const badge = formatBadge(progress?.data ?? null, waiting, {
      paired: user !== null,
      now: now(),
      ...(progress ? { fetchedAt: progress.fetchedAt } : {}),
      syncFailed: user !== null && (status.lastError !== null || status.progressError !== null),
      t,
      locale: safeLocale(locale),
    });
    // MV2 builds (Firefox) only have browserAction.
    const action = browser.action ?? (browser as unknown as { browserAction: typeof browser.action }).browserAction;
    await action.setBadgeText({ text: badge.text });
    await action.setBadgeBackgroundColor({ color: badge.color });
    await action.setTitle({ title: badge.title });
    // Chrome ≥ 110 picks black text on yellow otherwise; keep it white and legible everywhere.
    await action.setBadgeTextColor?.({ color: "#ffffff" });
  }

  // --- state for the UI ---------------------------------------------------------------------------------
  async function state(): Promise<ExtensionState> {
    // Taken before reading: a state with a later `now` started reading later, so it includes every write
    // finished before it began (the UI keeps the newest, see ui/useExtensionState.ts).
    const at = now();
    const [settings, cached, status, sent, { pending, dead }] = await Promise.all([
      settingsItem.getValue(),
      progressItem.getValue(),
      syncStatusItem.getValue(),
      sentLogItem.getValue(),
      outbox.contents(),
    ]);
    const user = pairedUser(settings);
    const progress = user && cached?.userId === user.id ? cached : null;
    return {
      paired: user !== null,
      serverUrl: settings.serverUrl,
      user: settings.user,
      org: settings.org,
      progress: progress ? { data: progress.data, fetchedAt: progress.fetchedAt } : null,
      today: user
        ? todayKpis({ progress, pending, sent, userId: user.id, timeZone: settings.org?.timeZone ?? "UTC", now: at })
        : null,
      pendingCount: user ? pending.filter((event) => event.userId === user.id).length : 0,
      deadLetterCount: user ? dead.filter((letter) => letter.event.userId === user.id).length : 0,
      sync: {
        lastSuccessAt: status.lastSuccessAt,
        nextAttemptAt: status.nextAttemptAt,
        error: user ? (status.lastError ?? status.progressError) : null,
      },
      now: at,
    };
  }

  // --- message handlers ---------------------------------------------------------------------------------
  const handlers: { [T in keyof ResponseMap]: (request: Extract<BackgroundRequest, { type: T }>) => Promise<ResponseMap[T]> } =
    {
      getState: () => state(),

      sync: async () => {
        await sync("manual");
        return state();
      },

      pair: async (request) => {
        const serverUrl = normalizeServerUrl(request.serverUrl);
        const code = PairingCode.safeParse(request.code);
        if (!code.success) {
          throw new InputError("invalid_pairing_code", "A pairing code has 8 letters and digits.");
        }
        const paired = await client.call("pair", {
          baseUrl: serverUrl,
          body: { code: code.data, ...(request.deviceLabel ? { deviceLabel: request.deviceLabel } : {}) },
        });
        await settingsItem.setValue({
          serverUrl,
          token: paired.token,
          tokenId: paired.tokenId,
          user: paired.user,
          org: paired.org,
          pairedAt: new Date(now()).toISOString(),
        });
        await progressItem.setValue(null);
        await syncStatusItem.setValue(INITIAL_SYNC_STATUS);
        await sync("manual");
        return state();
      },

      unpair: async () => {
        const settings = await settingsItem.getValue();
        await settingsItem.setValue({ ...settingsItem.fallback, serverUrl: settings.serverUrl });
        // Best effort: revoke the token on the server too. Forgetting it locally is what counts; an
        // admin can still revoke it if the server was unreachable.
        if (settings.token && settings.tokenId) {
          await client
            .call("revokeToken", { params: { id: settings.tokenId }, baseUrl: settings.serverUrl, token: settings.token })
            .catch(() => undefined);
        }
        await progressItem.setValue(null);
        await syncStatusItem.setValue(INITIAL_SYNC_STATUS);
        await refreshBadge();
        return state();
      },

      logActivity: async (request) => {
        const user = pairedUser(await settingsItem.getValue());
        if (!user) throw new NotPairedError("Pair this device first.");
        const event = await outbox.add(
          {
            kind: request.kind,
            source: request.source,
            ...(request.clientEventId ? { clientEventId: request.clientEventId } : {}),
            ...(request.customer !== undefined ? { customer: request.customer } : {}),
            ...(request.amount !== undefined ? { amount: request.amount } : {}),
          },
          user.id,
        );
        await refreshBadge();
        void sync("click");
        return {
          event: { clientEventId: event.clientEventId, kind: event.kind, occurredAt: event.occurredAt },
          state: await state(),
        };
      },

      // The console's one door to the API: the request was checked against the route table (background/requests.ts);
      // the typed client adds the paired token, checks the answer against the route's schema and types the failure.
      api: async (request) => {
        if (!pairedUser(await settingsItem.getValue())) throw new NotPairedError("Pair this device first.");
        const options = {
          ...(request.params ? { params: request.params } : {}),
          ...(request.query ? { query: request.query } : {}),
          ...(request.body !== undefined ? { body: request.body } : {}),
        };
        return client.call(request.route, ...([options] as unknown as CallArgs<typeof request.route>));
      },
    };

  async function handleMessage(message: unknown, sender: Browser.runtime.MessageSender): Promise<Reply<unknown>> {
    if (sender.id !== browser.runtime.id) {
      return { ok: false, error: { kind: "invalid_input", code: "unknown_sender", message: "Message from another extension." } };
    }
    const parsed = BackgroundRequestSchema.safeParse(message);
    if (!parsed.success) {
      const details = parsed.error.issues.map((issue) => ({ path: issue.path.join("."), message: issue.message }));
      return { ok: false, error: { kind: "invalid_input", code: "invalid_message", message: parsed.error.message, details } };
    }
    const request = parsed.data;
    if (!isExtensionPage(sender) && !CONTENT_SCRIPT_REQUESTS.has(request.type)) {
      return { ok: false, error: { kind: "invalid_input", code: "forbidden", message: `${request.type} is not allowed here.` } };
    }
    try {
      const handler = handlers[request.type] as (request: BackgroundRequest) => Promise<unknown>;
      return { ok: true, data: await handler(request) };
    } catch (error) {
      return { ok: false, error: toMessageError(error) };
    }
  }

  async function ensureAlarm(): Promise<void> {
    const existing = await browser.alarms.get(SYNC_ALARM);
    if (!existing || existing.periodInMinutes !== SYNC_PERIOD_MINUTES) {
      await browser.alarms.create(SYNC_ALARM, { periodInMinutes: SYNC_PERIOD_MINUTES });
    }
  }

  /** Registers every listener synchronously (MV3 wakes the worker for events registered at top level). */
  function start(): void {
    browser.runtime.onMessage.addListener((message, sender, sendResponse) => {
      const reply = handleMessage(message, sender);
      if (typeof sendResponse === "function") {
        void reply.then(sendResponse);
        return true; // keep the channel open for the async answer
      }
      return reply;
    });
    browser.alarms.onAlarm.addListener((alarm) => {
      if (alarm.name === SYNC_ALARM) void sync("alarm");
    });
    globalThis.addEventListener?.("online", () => void sync("online"));
    void ensureAlarm().catch((error) => console.error("[target-hud] alarm", error));
    void sync("startup");
  }

  return { start, handleMessage, sync, refreshBadge, refreshProgress, state, ensureAlarm, outbox };
}

function pairedUser(settings: Settings): NonNullable<Settings["user"]> | null {
  return settings.token && settings.user ? settings.user : null;
}

function isExtensionPage(sender: Browser.runtime.MessageSender): boolean {
  return typeof sender.url === "string" && sender.url.startsWith(browser.runtime.getURL("/"));
}

/** Validates the server address (features/server-url.ts) or throws the input error the options page shows. */
export function normalizeServerUrl(input: string): string {
  const parsed = parseServerUrl(input);
  if (!parsed.ok) throw new InputError("invalid_server_url", `Invalid server address (${parsed.reason}).`);
  return parsed.url;
}

export function toMessageError(error: unknown): MessageError {
  if (error instanceof InputError) return { kind: "invalid_input", code: error.code, message: error.message };
  if (error instanceof NotPairedError) return { kind: "not_paired", code: null, message: error.message };
  if (error instanceof NetworkError) return { kind: "network", code: null, message: error.message };
  if (error instanceof HTTPError) {
    return { kind: "http", code: error.code, message: error.message, ...(error.details !== undefined ? { details: error.details } : {}) };
  }
  if (error instanceof SchemaError) return { kind: "schema", code: null, message: error.message, details: schemaIssues(error.issues) };
  return { kind: "internal", code: null, message: error instanceof Error ? error.message : String(error) };
}

/** Zod issues as `{ path: "a.b", message }` (plain data: they cross the message boundary). */
function schemaIssues(issues: unknown): { path: string; message: string }[] {
  if (!Array.isArray(issues)) return [];
  return issues.map((issue: { path?: PropertyKey[]; message?: string }) => ({
    path: (issue.path ?? []).map(String).join("."),
    message: issue.message ?? "invalid",
  }));
}

function safeLocale(locale: () => string): string {
  try {
    return locale() || "en";
  } catch {
    return "en";
  }
}

/** @wxt-dev/i18n's `t` is typed per key; the badge passes keys it declares in BadgeMessageKey. */
function translate(key: string, substitutions?: string[], count?: number): string {
  const t = i18n.t as (key: string, ...args: unknown[]) => string;
  if (count !== undefined) return t(key, count, substitutions);
  return substitutions?.length ? t(key, substitutions) : t(key);
}
