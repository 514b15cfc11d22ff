import { useState } from "preact/hooks";
import { browser } from "#imports";
import { i18n } from "#i18n";
import { BEHAVIOUR_KINDS, type BehaviourKind } from "../../shared/domain/kinds";
import { BackgroundError, sendToBackground, type ExtensionState } from "../messages";
import { BADGE_COLORS } from "../features/badge";
import { formatAgo, formatAmount, formatPercent } from "../features/format";
import type { TodayKpi } from "../features/today";
import { errorText } from "./errors";
import { ProgressBar } from "./ProgressBar";
import { uiLocale, useExtensionState, useTicker } from "./useExtensionState";
import { OpenConsoleButton } from "./console/OpenConsoleButton";

interface Click {
  id: string;
  kind: BehaviourKind;
}

/**
 * Rep popup: the period's progress and today's four behaviour KPIs with one-click logging.
 * A click shows at once (optimistic) and stays counted exactly once: it is added locally until the
 * background's state lists its id (features/today.ts `eventIds`), then the background's numbers take over.
 */
export function Popup() {
  const { state, accept, loadError } = useExtensionState({ syncOnOpen: true });
  const [clicks, setClicks] = useState<Click[]>([]);
  const [actionError, setActionError] = useState<BackgroundError | null>(null);
  const [syncing, setSyncing] = useState(false);
  const now = useTicker(5_000);
  const locale = uiLocale();

  if (!state) {
    return <main class="popup">{loadError ? <p class="alert">{errorText(loadError)}</p> : <p class="muted">…</p>}</main>;
  }
  if (!state.paired) return <NotPaired />;

  const known = new Set(state.today?.eventIds ?? []);
  const unconfirmed = clicks.filter((click) => !known.has(click.id));
  const extra = (kind: BehaviourKind) => unconfirmed.filter((click) => click.kind === kind).length;
  const pendingCount = state.pendingCount + unconfirmed.length;

  function log(kind: BehaviourKind) {
    const id = crypto.randomUUID();
    setClicks((list) => [...list, { id, kind }]);
    setActionError(null);
    sendToBackground({ type: "logActivity", clientEventId: id, kind, source: "popup" })
      .then((reply) => accept(reply.state))
      .catch((error: BackgroundError) => setActionError(error))
      .finally(() => setClicks((list) => list.filter((click) => click.id !== id)));
  }

  function syncNow() {
    setSyncing(true);
    sendToBackground({ type: "sync" })
      .then(accept, (error: BackgroundError) => setActionError(error))
      .finally(() => setSyncing(false));
  }

  const kpis = (state.today?.kpis ?? []).filter((kpi) => (BEHAVIOUR_KINDS as readonly string[]).includes(kpi.kind));
  const shown = kpis.map((kpi) => ({ ...kpi, count: kpi.count + extra(kpi.kind), pending: kpi.pending + extra(kpi.kind) }));
  const met = shown.filter((kpi) => kpi.minimum !== null && kpi.count >= kpi.minimum).length;
  const syncError = actionError ?? state.sync.error;

  return (
    <main class="popup">
      <header class="popup-header">
        <div>
          <div class="title">{i18n.t("extName")}</div>
          <div class="muted small" data-testid="popup-user">
            {state.user?.name} · {state.org?.name}
          </div>
        </div>
        <button
          type="button"
          class="icon-button"
          title={i18n.t("popup.settings")}
          aria-label={i18n.t("popup.settings")}
          data-testid="open-settings"
          onClick={() => void browser.runtime.openOptionsPage()}
        >
          ⚙
        </button>
        <OpenConsoleButton state={state} />
      </header>

      <PeriodCard state={state} locale={locale} />

      <section class="card" aria-labelledby="today-heading">
        <div class="row spread">
          <h2 id="today-heading">{i18n.t("popup.today")}</h2>
          <span class="muted small" data-testid="kpis-met">
            {state.progress && !state.progress.data.isWorkingDay
              ? i18n.t("popup.notWorkingDay")
              : met === shown.length && shown.length > 0
                ? i18n.t("popup.allKpisMet")
                : i18n.t("popup.kpisMet", met, [String(met)])}
          </span>
        </div>
        <ul class="kpis">
          {shown.map((kpi) => (
            <KpiRow key={kpi.kind} kpi={kpi} onLog={() => log(kpi.kind)} />
          ))}
        </ul>
      </section>

      <footer class="popup-footer">
        {syncError && (
          <p class="alert" role="status" data-testid="sync-error">
            {errorText(syncError)}
          </p>
        )}
        {state.deadLetterCount > 0 && (
          <p class="alert" data-testid="dead-letters">
            {i18n.t("popup.refused", state.deadLetterCount, [String(state.deadLetterCount)])}
          </p>
        )}
        <div class="row spread">
          <span class={pendingCount > 0 ? "pending" : "muted"} data-testid="pending-sync">
            {pendingCount > 0 ? i18n.t("popup.waiting", pendingCount, [String(pendingCount)]) : i18n.t("popup.allSynced")}
          </span>
          <span class="muted small" data-testid="freshness">
            {state.progress
              ? i18n.t("popup.updated", [formatAgo(now - state.progress.fetchedAt, locale)])
              : i18n.t("popup.neverUpdated")}
          </span>
          <button
            type="button"
            class={`icon-button${syncing ? " spinning" : ""}`}
            title={i18n.t("popup.syncNow")}
            aria-label={i18n.t("popup.syncNow")}
            data-testid="sync-now"
            disabled={syncing}
            onClick={syncNow}
          >
            ↻
          </button>
        </div>
        <span hidden data-testid="pending-count">
          {pendingCount}
        </span>
      </footer>
    </main>
  );
}

function NotPaired() {
  return (
    <main class="popup">
      <header class="popup-header">
        <div class="title">{i18n.t("extName")}</div>
      </header>
      <section class="card empty" data-testid="not-paired">
        <p>{i18n.t("popup.notPaired")}</p>
        <button type="button" class="primary" data-testid="open-options" onClick={() => void browser.runtime.openOptionsPage()}>
          {i18n.t("popup.pairNow")}
        </button>
      </section>
    </main>
  );
}

function PeriodCard({ state, locale }: { state: ExtensionState; locale: string }) {
  const period = state.progress?.data.period;
  if (!period) return null;
  const color = period.target > 0 ? BADGE_COLORS[period.band] : BADGE_COLORS.none;
  const amount = (value: number, digits = 0) => formatAmount(value, period.metric, locale, digits);
  return (
    <section class="card" aria-labelledby="period-heading" data-testid="period" data-band={period.band}>
      <div class="row spread">
        <h2 id="period-heading">{i18n.t(`period.${period.kind}`)}</h2>
        {period.target > 0 ? (
          <span class="headline" style={{ color }} data-testid="completion">
            {formatPercent(period.completion, locale)}
          </span>
        ) : (
          <span class="muted">{i18n.t("popup.noTarget")}</span>
        )}
      </div>
      {period.target > 0 && (
        <>
          <ProgressBar value={period.completion} marker={period.expectedToDate / period.target} color={color} />
          <div class="row spread small">
            <span>
              {amount(period.actual)} / {amount(period.target)}
            </span>
            <span style={{ color }} data-testid="pace">
              {period.pace === null
                ? i18n.t("badge.noPace")
                : `${i18n.t("popup.pace", [formatPercent(period.pace, locale)])} · ${i18n.t(`band.${period.band}`)}`}
            </span>
          </div>
          <div class="muted small" data-testid="run-rate">
            {period.actual >= period.target
              ? i18n.t("popup.targetMet")
              : period.requiredRunRate !== null
                ? i18n.t("popup.runRate", [
                    amount(period.requiredRunRate, period.metric === "revenue" ? 0 : 1),
                    String(period.remainingWorkingDays),
                  ])
                : null}
          </div>
        </>
      )}
    </section>
  );
}

function KpiRow({ kpi, onLog }: { kpi: TodayKpi; onLog: () => void }) {
  const done = kpi.minimum !== null && kpi.count >= kpi.minimum;
  return (
    <li class={`kpi${done ? " done" : ""}`} data-testid={`kpi-${kpi.kind}`}>
      <div class="kpi-text">
        <div class="row spread">
          <span class="kpi-label">{i18n.t(`kind.${kpi.kind}`)}</span>
          <span class="kpi-count">
            <strong data-testid={`count-${kpi.kind}`}>{kpi.count}</strong>
            {kpi.minimum !== null && <span class="muted"> {i18n.t("popup.ofMinimum", [String(kpi.minimum)])}</span>}
            {kpi.pending > 0 && (
              <span class="chip" data-testid={`pending-${kpi.kind}`} title={i18n.t("popup.waiting", kpi.pending, [String(kpi.pending)])}>
                +{kpi.pending}
              </span>
            )}
          </span>
        </div>
        <ProgressBar value={kpi.minimum ? kpi.count / kpi.minimum : 0} color={done ? BADGE_COLORS.green : "#1a73e8"} thin />
      </div>
      <button
        type="button"
        class="log"
        data-testid={`log-${kpi.kind}`}
        title={i18n.t(`logKind.${kpi.kind}`)}
        aria-label={i18n.t(`logKind.${kpi.kind}`)}
        onClick={onLog}
      >
        +1
      </button>
    </li>
  );
}
