import { useEffect, useState } from "preact/hooks";
import { browser } from "#imports";
import { BEHAVIOUR_KINDS, isBehaviourKind } from "../../shared/domain/kinds";
import { t } from "../i18n";
import { BackgroundError, sendToBackground, type ExtensionState, type RecentEvent } from "../messages";
import { popupIntentItem, type Insights } from "../storage";
import { errorText } from "./errors";
import { AlertsCard, type AlertAction } from "./popup/AlertsCard";
import { makeFmt, type Fmt } from "./popup/format";
import { Leaderboard } from "./popup/Leaderboard";
import { PeriodCard } from "./popup/PeriodCard";
import { PromptsCard } from "./popup/PromptsCard";
import { RecentCard } from "./popup/RecentCard";
import { ScoreCard } from "./popup/ScoreCard";
import { TeamView } from "./popup/TeamView";
import { TodayCard, type LogRequest, type ShownKpi } from "./popup/TodayCard";
import { useInsights } from "./popup/useInsights";
import { useExtensionState, useTicker } from "./useExtensionState";
import { OpenConsoleButton } from "./console/OpenConsoleButton";
import { EnableOnThisSite } from "./EnableOnThisSite";
import "./popup/popup.css";

interface Click {
  id: string;
  kind: LogRequest["kind"];
}

type Tab = "me" | "team";

/** A popup intent (e.g. the context menu's "Won") older than this is ignored. */
const INTENT_MAX_AGE_MS = 60_000;

/**
 * The popup. Renders from the background's cached state and insights at once, then refreshes both.
 * - Rep view: period progress, today's KPI rings with one-click logging (optimistic: a click shows at once and stays
 *   counted exactly once, see features/today.ts `eventIds`), undo, next actions, alerts/tasks, score, leaderboard.
 * - Manager view (manager, director, admin): the team (ui/popup/TeamView.tsx); their own rep view is a second tab
 *   when they carry a target.
 */
export function Popup() {
  const { state, accept, loadError } = useExtensionState({ syncOnOpen: true });
  const userId = state?.paired ? (state.user?.id ?? null) : null;
  const delivered = state ? state.recent.filter((e) => e.status === "sent").map((e) => e.clientEventId).join() : null;
  const { insights, error: insightsError, refreshing, refresh } = useInsights(userId, delivered);
  const [tab, setTab] = useState<Tab | null>(null);
  const [clicks, setClicks] = useState<Click[]>([]);
  const [busy, setBusy] = useState<ReadonlySet<string>>(new Set());
  const [actionError, setActionError] = useState<BackgroundError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [syncing, setSyncing] = useState(false);
  const [wonOpen, setWonOpen] = useState(false);
  /** A won deal asked for from the context menu is logged as such (the popup only collects its amount). */
  const [wonSource, setWonSource] = useState<"popup" | "shortcut" | "context_menu">("popup");
  const now = useTicker(5_000);

  useEffect(() => {
    void popupIntentItem.getValue().then(async (intent) => {
      if (!intent) return;
      await popupIntentItem.setValue(null);
      if (intent.kind === "won" && Date.now() - intent.at < INTENT_MAX_AGE_MS) {
        setTab("me");
        setWonSource(intent.source ?? "popup");
        setWonOpen(true);
      }
    });
  }, []);

  if (!state) {
    return <main class="popup">{loadError ? <p class="alert">{errorText(loadError)}</p> : <p class="muted">…</p>}</main>;
  }
  if (!state.paired || !state.user) return <NotPaired />;

  const fmt = makeFmt(state.org);
  const leader = state.user.role !== "rep";
  const ownTarget = (state.progress?.data.period.target ?? 0) > 0;
  const tabs: Tab[] = leader ? (ownTarget ? ["team", "me"] : ["team"]) : ["me"];
  const active: Tab = tab && tabs.includes(tab) ? tab : tabs[0]!;

  const known = new Set(state.today?.eventIds ?? []);
  const unconfirmed = clicks.filter((click) => !known.has(click.id));
  const pendingCount = state.pendingCount + unconfirmed.length;

  function withBusy(id: string, work: Promise<unknown>) {
    setBusy((set) => new Set([...set, id]));
    setActionError(null);
    setNotice(null);
    void work
      .catch((error: BackgroundError) => setActionError(error))
      .finally(() =>
        setBusy((set) => {
          const next = new Set(set);
          next.delete(id);
          return next;
        }),
      );
  }

  function log(request: LogRequest) {
    const id = crypto.randomUUID();
    setClicks((list) => [...list, { id, kind: request.kind }]);
    setActionError(null);
    setNotice(null);
    const source = request.kind === "won" ? wonSource : "popup";
    sendToBackground({ type: "logActivity", clientEventId: id, source, ...request })
      .then((reply) => accept(reply.state))
      .catch((error: BackgroundError) => setActionError(error))
      .finally(() => setClicks((list) => list.filter((click) => click.id !== id)));
  }

  function undo(event: RecentEvent) {
    withBusy(
      event.clientEventId,
      sendToBackground({ type: "undoActivity", clientEventId: event.clientEventId }).then((reply) => {
        accept(reply.state);
        setNotice(t("popup.undone", [t(`kindShort.${event.kind}`)]));
      }),
    );
  }

  function alertAction(alert: { id: string }, action: AlertAction) {
    const route = action === "acknowledge" ? "acknowledgeAlert" : "resolveAlert";
    withBusy(alert.id, sendToBackground({ type: "api", route, params: { id: alert.id } }).then(refresh));
  }

  function completeTask(task: { id: string }, note: string) {
    withBusy(task.id, sendToBackground({ type: "api", route: "completeTask", params: { id: task.id }, body: { note } }).then(refresh));
  }

  function syncNow() {
    setSyncing(true);
    Promise.all([sendToBackground({ type: "sync" }).then(accept), refresh()])
      .catch((error: BackgroundError) => setActionError(error))
      .finally(() => setSyncing(false));
  }

  const syncError = actionError ?? state.sync.error;
  return (
    <main class="popup">
      <header class="popup-header">
        <div class="grow">
          <div class="title">{t("extName")}</div>
          <div class="muted small ellipsis" data-testid="popup-user">
            {state.user.name} · {state.org?.name}
          </div>
        </div>
        <button
          type="button"
          class="icon-button"
          title={t("popup.settings")}
          aria-label={t("popup.settings")}
          data-testid="open-settings"
          onClick={() => void browser.runtime.openOptionsPage()}
        >
          ⚙
        </button>
        <OpenConsoleButton state={state} />
      </header>

      {tabs.length > 1 && (
        <div class="tabs" role="tablist" aria-label={t("popup.views")}>
          {tabs.map((name) => (
            <button
              key={name}
              type="button"
              role="tab"
              aria-selected={active === name}
              data-testid={`tab-${name}`}
              class={active === name ? "tab active" : "tab"}
              onClick={() => setTab(name)}
            >
              {t(name === "team" ? "popup.tabTeam" : "popup.tabMe")}
            </button>
          ))}
        </div>
      )}

      {active === "team" ? (
        <TeamView
          insights={insights}
          refreshing={refreshing}
          error={insightsError}
          fmt={fmt}
          now={now}
          busy={busy}
          onAlert={alertAction}
          onCompleteTask={completeTask}
        />
      ) : (
        <RepPanel
          state={state}
          insights={insights}
          unconfirmed={unconfirmed}
          fmt={fmt}
          now={now}
          busy={busy}
          wonOpen={wonOpen}
          onWonOpen={(open) => {
            // Opened or closed in the popup itself: whatever comes next is the popup's.
            setWonOpen(open);
            setWonSource("popup");
          }}
          onLog={log}
          onUndo={undo}
          onAlert={alertAction}
        />
      )}

      <footer class="popup-footer">
        {notice && (
          <p class="notice" role="status" data-testid="notice">
            {notice}
          </p>
        )}
        {syncError && (
          <p class="alert" role="status" data-testid="sync-error" data-code={syncError.code ?? syncError.kind}>
            {actionError?.code === "conflict" ? t("popup.undoTooLate") : errorText(syncError)}
          </p>
        )}
        {state.deadLetterCount > 0 && (
          <p class="alert" data-testid="dead-letters">
            {t("popup.refused", state.deadLetterCount, [String(state.deadLetterCount)])}
          </p>
        )}
        <div class="row spread">
          <span class={pendingCount > 0 ? "pending" : "muted"} data-testid="pending-sync">
            {pendingCount > 0 ? t("popup.waiting", pendingCount, [String(pendingCount)]) : t("popup.allSynced")}
          </span>
          <span class="muted small" data-testid="freshness">
            {state.progress ? t("popup.updated", [fmt.ago(now - state.progress.fetchedAt)]) : t("popup.neverUpdated")}
          </span>
          <button
            type="button"
            class={`icon-button${syncing || refreshing ? " spinning" : ""}`}
            title={t("popup.syncNow")}
            aria-label={t("popup.syncNow")}
            data-testid="sync-now"
            disabled={syncing}
            onClick={syncNow}
          >
            ↻
          </button>
        </div>
        <EnableOnThisSite />
        <span hidden data-testid="pending-count">
          {pendingCount}
        </span>
      </footer>
    </main>
  );
}

function RepPanel(props: {
  state: ExtensionState;
  insights: Insights | null;
  unconfirmed: Click[];
  fmt: Fmt;
  now: number;
  busy: ReadonlySet<string>;
  wonOpen: boolean;
  onWonOpen: (open: boolean) => void;
  onLog: (request: LogRequest) => void;
  onUndo: (event: RecentEvent) => void;
  onAlert: (alert: { id: string }, action: AlertAction) => void;
}) {
  const { state, insights, fmt } = props;
  const me = state.user!.id;
  const progress = state.progress?.data ?? null;
  const extra = (kind: string) => props.unconfirmed.filter((click) => click.kind === kind).length;
  const kpis: ShownKpi[] = (state.today?.kpis ?? [])
    .filter((kpi) => isBehaviourKind(kpi.kind))
    .map((kpi) => ({ ...kpi, count: kpi.count + extra(kpi.kind), pending: kpi.pending + extra(kpi.kind) }));
  if (kpis.length === 0) BEHAVIOUR_KINDS.forEach((kind) => kpis.push({ kind, count: extra(kind), minimum: null, pending: extra(kind) }));
  const alerts = insights
    ? insights.alerts.filter((a) => a.userId === me)
    : (progress?.alerts ?? []).map((a) => ({ ...a, userId: me }));
  const tasks = insights ? insights.tasks.filter((task) => task.userId === me) : [];

  return (
    <>
      {progress && <PeriodCard progress={progress} fmt={fmt} />}
      <TodayCard
        kpis={kpis}
        isWorkingDay={progress?.isWorkingDay ?? null}
        fmt={fmt}
        onLog={props.onLog}
        labelMode={state.preferences.customerLabels}
        labels={mergeLabels(state.labels, insights?.keyCustomers ?? [])}
        currencySymbol={fmt.currencySymbol}
        wonOpen={props.wonOpen}
        onWonOpen={props.onWonOpen}
      />
      <RecentCard
        recent={state.recent}
        now={Math.max(props.now, state.now)}
        undoWindowMinutes={insights?.undoWindowMinutes ?? null}
        busy={props.busy}
        fmt={fmt}
        onUndo={props.onUndo}
      />
      {progress && <PromptsCard prompts={progress.prompts} fmt={fmt} />}
      <AlertsCard alerts={alerts} tasks={tasks} fmt={fmt} now={props.now} leader={false} busy={props.busy} onAlert={props.onAlert} />
      {progress && <ScoreCard score={progress.score} fmt={fmt} />}
      {insights?.leaderboard && <Leaderboard board={insights.leaderboard} fmt={fmt} />}
    </>
  );
}

/** Recent labels first, then key customers; no repeats (case-insensitive). */
function mergeLabels(recent: string[], keyCustomers: string[]): string[] {
  const seen = new Set<string>();
  return [...recent, ...keyCustomers].filter((label) => {
    const key = label.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function NotPaired() {
  return (
    <main class="popup">
      <header class="popup-header">
        <div class="title">{t("extName")}</div>
      </header>
      <section class="card empty" data-testid="not-paired">
        <p>{t("popup.notPaired")}</p>
        <button type="button" class="primary" data-testid="open-options" onClick={() => void browser.runtime.openOptionsPage()}>
          {t("popup.pairNow")}
        </button>
      </section>
    </main>
  );
}
