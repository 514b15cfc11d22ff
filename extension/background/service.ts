import { browser, storage, type Browser } from "#imports";
import type { ActivityKind } from "../../shared/domain/kinds";
import { PairingCode } from "../../shared/schemas/pairing";
import { createApiClient, type ApiClient, type CallArgs } from "../api/client";
import { HTTPError, NetworkError, SchemaError } from "../api/errors";
import { DEAD_LETTER_PREFIX, Outbox, describeSyncError, outboxKey, type FlushTrigger, type NewEvent, type OutboxEvent } from "../api/outbox";
import { formatBadge, type Translate } from "../features/badge";
import { parseServerUrl } from "../features/server-url";
import { localDay, serverClockOffset, todayKpis } from "../features/today";
import { recentEvents, recentLabels, sentLogEntries } from "../features/recent";
import { initI18n, t as translateUi, uiLocale, watchLanguage } from "../i18n";
import { registerCommands, type CommandEvents } from "./commands";
import { loadInsights } from "./insights";
import { createLocaleLoader } from "./locale-messages";
import { installMenus, menuItems, registerMenuClicks, type MenusApi } from "./menus";
import { BackgroundRequest as BackgroundRequestSchema } from "./requests";
import { createSiteAccess, SiteAccessError, type SiteAccessDeps } from "./sites";
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
  insightsItem,
  popupIntentItem,
  preferencesItem,
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
/** How long a shortcut or menu click shows `+1` on the badge. */
export const FLASH_MS = 1_500;

export interface BackgroundDeps {
  fetch?: typeof fetch;
  client?: ApiClient;
  now?: () => number;
  random?: () => number;
  randomUUID?: () => string;
  /** Localised badge strings; defaults to the extension's messages in the chosen language (extension/i18n.ts). */
  t?: Translate;
  locale?: () => string;
  /** Keyboard shortcuts; defaults to browser.commands (null: none). */
  commands?: CommandEvents | null;
  /** Context menus; defaults to browser.contextMenus (null: none). */
  menus?: MenusApi | null;
  /** Browser APIs of the site access (permissions, scripting, tabs); the real ones by default. */
  siteAccess?: Omit<SiteAccessDeps, "state">;
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
  const locale = deps.locale ?? uiLocale;
  const loadMessages = createLocaleLoader({ fetch: (...args) => (deps.fetch ?? fetch)(...args), getURL: (path) => browser.runtime.getURL(path as "/") });
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

  /**
   * Runs `work` while no sync runs, and holds syncs back until it is done (they queue as usual). Undo needs this:
   * an event is either still in the outbox (then no flush may be sending it) or acknowledged (then it is in the sent log).
   */
  async function exclusive<T>(work: () => Promise<T>): Promise<T> {
    while (running) await running;
    const result = work();
    running = result.then(
      () => undefined,
      () => undefined,
    );
    void running.then(() => {
      running = null;
    });
    return result;
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
          cached.data.day !== localDay(now() + serverClockOffset(cached), settings.org?.timeZone ?? "UTC");
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
  /** A logged shortcut or menu click shows `+1` on the badge for a moment (the only feedback they get). */
  let flash: { text: string; until: number } | null = null;
  let flashTimer: ReturnType<typeof setTimeout> | undefined;

  async function flashBadge(text: string, ms = FLASH_MS): Promise<void> {
    flash = { text, until: now() + ms };
    clearTimeout(flashTimer);
    flashTimer = setTimeout(() => {
      flash = null;
      void refreshBadge().catch((error) => console.error("[target-hud] badge update failed", error));
    }, ms);
    await refreshBadge();
  }

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
    await action.setBadgeText({ text: flash && flash.until > now() ? flash.text : badge.text });
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
    const [settings, cached, status, sent, { pending, dead }, preferences] = await Promise.all([
      settingsItem.getValue(),
      progressItem.getValue(),
      syncStatusItem.getValue(),
      sentLogItem.getValue(),
      outbox.contents(),
      preferencesItem.getValue(),
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
        ? todayKpis({ progress, pending, sent, userId: user.id, timeZone: settings.org?.timeZone ?? "UTC", now: at, clockOffsetMs: serverClockOffset(progress) })
        : null,
      pendingCount: user ? pending.filter((event) => event.userId === user.id).length : 0,
      deadLetterCount: user ? dead.filter((letter) => letter.event.userId === user.id).length : 0,
      sync: {
        lastSuccessAt: status.lastSuccessAt,
        nextAttemptAt: status.nextAttemptAt,
        error: user ? (status.lastError ?? status.progressError) : null,
      },
      now: at,
      preferences,
      recent: user ? recentEvents(pending, sent, user.id) : [],
      labels: user && preferences.customerLabels !== "never" ? recentLabels(pending, sent, user.id) : [],
    };
  }

  // --- logging from anywhere (popup, overlay, shortcut, context menu) -------------------------------------
  /** Stores the event in the outbox before anything else, updates the badge, starts a flush. */
  async function record(input: NewEvent): Promise<OutboxEvent> {
    const user = pairedUser(await settingsItem.getValue());
    if (!user) throw new NotPairedError("Pair this device first.");
    const { customerLabels } = await preferencesItem.getValue();
    // Privacy mode "never": a label never reaches storage or the server, whoever asked for it.
    const { customer, ...rest } = input;
    const event = await outbox.add({ ...rest, ...(customer !== undefined && customerLabels !== "never" ? { customer } : {}) }, user.id);
    await refreshBadge();
    void sync("click");
    return event;
  }

  /** A shortcut or menu click: log it and flash `+1`; `won` needs an amount, so it opens the popup's form instead. */
  async function logWithoutUi(kind: ActivityKind, source: "shortcut" | "context_menu"): Promise<void> {
    if (!pairedUser(await settingsItem.getValue())) {
      await browser.runtime.openOptionsPage();
      return;
    }
    if (kind === "won") {
      await popupIntentItem.setValue({ kind, at: now(), source });
      await openPopup();
      return;
    }
    await record({ kind, source });
    await flashBadge("+1");
  }

  async function openPopup(): Promise<void> {
    try {
      await browser.action.openPopup();
    } catch {
      // No focused window, or a browser without openPopup: the popup page in a tab does the same.
      await browser.tabs.create({ url: browser.runtime.getURL("/popup.html") });
    }
  }

  async function refreshInsights(): Promise<void> {
    const user = pairedUser(await settingsItem.getValue());
    if (!user) return;
    const insights = await loadInsights(client, user, await insightsItem.getValue(), now);
    if (pairedUser(await settingsItem.getValue())?.id !== user.id) return;
    // An overlapping refresh that asked later may have finished first: never replace newer answers with older ones.
    const stored = await insightsItem.getValue();
    if (stored?.userId === user.id && stored.fetchedAt > insights.fetchedAt) return;
    await insightsItem.setValue(insights);
  }

  // --- message handlers ---------------------------------------------------------------------------------
  // Enabled sites, the registered content script and the page overlay (background/sites.ts).
  const sites = createSiteAccess({ ...deps.siteAccess, state: () => state() });

  const handlers: {
    [T in keyof ResponseMap]: (request: Extract<BackgroundRequest, { type: T }>, sender: Browser.runtime.MessageSender) => Promise<ResponseMap[T]>;
  } =
    {
      getState: () => state(),

      overlayInject: (request, sender) => sites.inject(sender, request.part),
      overlay: (_request, sender) => sites.overlayView(sender),
      overlayPrefs: (request, sender) => sites.saveOverlayPrefs(sender, request.prefs),

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
        const event = await record({
          kind: request.kind,
          source: request.source,
          ...(request.clientEventId ? { clientEventId: request.clientEventId } : {}),
          ...(request.customer !== undefined ? { customer: request.customer } : {}),
          ...(request.amount !== undefined ? { amount: request.amount } : {}),
        });
        return {
          event: { clientEventId: event.clientEventId, kind: event.kind, occurredAt: event.occurredAt },
          state: await state(),
        };
      },

      undoActivity: async ({ clientEventId }) => {
        const user = pairedUser(await settingsItem.getValue());
        if (!user) throw new NotPairedError("Pair this device first.");
        const outcome = await exclusive(async () => {
          // Still on this device (queued or refused): it never reached the server, so dropping it is the undo.
          const queued = await storage.getItem<OutboxEvent>(outboxKey(clientEventId));
          const dead = await storage.getItem<{ event: OutboxEvent }>(`local:${DEAD_LETTER_PREFIX}${clientEventId}`);
          const local = queued ?? dead?.event;
          if (local && local.userId === user.id) {
            await storage.removeItems([outboxKey(clientEventId), `local:${DEAD_LETTER_PREFIX}${clientEventId}`]);
            return "unqueued" as const;
          }
          await client.call("undoActivity", { params: { clientEventId } });
          const log = await sentLogItem.getValue();
          const undoneAt = now();
          await sentLogItem.setValue(log.map((e) => (e.clientEventId === clientEventId ? { ...e, undoneAt } : e)));
          await refreshProgress();
          return "deleted" as const;
        });
        await refreshBadge();
        return { outcome, state: await state() };
      },

      insights: async ({ refresh }) => {
        const user = pairedUser(await settingsItem.getValue());
        if (!user) return null;
        if (refresh) await refreshInsights();
        const cached = await insightsItem.getValue();
        return cached?.userId === user.id ? cached : null;
      },

      sentLog: async () => {
        const user = pairedUser(await settingsItem.getValue());
        if (!user) return [];
        const [{ pending, dead }, sent] = await Promise.all([outbox.contents(), sentLogItem.getValue()]);
        return sentLogEntries(pending, sent, dead, user.id);
      },

      getMessages: ({ language }) => loadMessages(language),

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
      const handler = handlers[request.type] as (request: BackgroundRequest, sender: Browser.runtime.MessageSender) => Promise<unknown>;
      return { ok: true, data: await handler(request, sender) };
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
    const commands = deps.commands === undefined ? browser.commands : deps.commands;
    registerCommands(commands ?? undefined, (kind) => logWithoutUi(kind, "shortcut"));
    const menus =
      deps.menus === undefined
        ? ((browser.contextMenus ?? (browser as unknown as { menus?: MenusApi }).menus) as MenusApi | undefined)
        : (deps.menus ?? undefined);
    registerMenuClicks(menus, (kind) => logWithoutUi(kind, "context_menu"));
    // The browser keeps context menus across service-worker restarts, so they are (re)built only when the extension
    // is installed or updated and when the language changes — not on every wake-up of the 30 s alarm.
    const buildMenus = async () => {
      if (!menus) return;
      const items = menuItems({ parent: translateUi("menu.logAs"), kind: (kind) => translateUi(`menuKind.${kind}`) });
      await installMenus(menus, items, () => browser.runtime.lastError);
    };
    const logFailure = (error: unknown) => console.error("[target-hud] language", error);
    const languageReady = initI18n(loadMessages).catch(logFailure);
    void languageReady.then(() => refreshBadge()).catch(logFailure);
    browser.runtime.onInstalled.addListener(() => void languageReady.then(buildMenus).catch(logFailure));
    watchLanguage(() => void Promise.all([buildMenus(), refreshBadge()]).catch(logFailure), loadMessages);
    void ensureAlarm().catch((error) => console.error("[target-hud] alarm", error));
    sites.start();
    void sync("startup");
  }

  return { start, handleMessage, sync, refreshBadge, refreshProgress, state, ensureAlarm, outbox, sites };
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
  if (error instanceof SiteAccessError) return { kind: "invalid_input", code: error.code, message: error.message };
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

/** extension/i18n.ts's `t` is typed per key; the badge passes keys it declares in BadgeMessageKey. */
function translate(key: string, substitutions?: string[], count?: number): string {
  const t = translateUi as (key: string, ...args: unknown[]) => string;
  if (count !== undefined) return t(key, count, substitutions);
  return substitutions?.length ? t(key, substitutions) : t(key);
}
