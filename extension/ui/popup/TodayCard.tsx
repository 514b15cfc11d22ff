import { useState } from "preact/hooks";
import { BEHAVIOUR_KINDS, type ActivityKind, type BehaviourKind } from "../../../shared/domain/kinds";
import { parseMoney } from "../../features/money";
import { t } from "../../i18n";
import type { CustomerLabelMode } from "../../storage";
import type { Fmt } from "./format";
import { KpiRing } from "./KpiRing";

export interface ShownKpi {
  kind: BehaviourKind;
  count: number;
  minimum: number | null;
  pending: number;
}

export const FUNNEL_BUTTONS = ["lead", "first_contact", "quote", "won"] as const satisfies readonly ActivityKind[];

export interface LogRequest {
  kind: ActivityKind;
  customer?: string;
  amount?: number;
}

/**
 * Today's KPI rings with a one-click button each, the funnel stages, and the optional customer label
 * (privacy mode on the options page). `won` opens a small form for the amount (typed in major units, sent in minor units).
 */
export function TodayCard(props: {
  kpis: ShownKpi[];
  isWorkingDay: boolean | null;
  fmt: Fmt;
  /** Absent: read-only (a manager looking at a rep). */
  onLog?: (request: LogRequest) => void;
  labelMode?: CustomerLabelMode;
  labels?: string[];
  currencySymbol?: string;
  wonOpen?: boolean;
  onWonOpen?: (open: boolean) => void;
}) {
  const { kpis, onLog, fmt } = props;
  const [label, setLabel] = useState("");
  const met = kpis.filter((k) => k.minimum !== null && k.count >= k.minimum).length;
  const withLabel = props.labelMode !== undefined && props.labelMode !== "never";

  function log(kind: ActivityKind, amount?: number) {
    if (!onLog) return;
    const customer = withLabel && label.trim() ? label.trim().slice(0, 80) : undefined;
    onLog({ kind, ...(customer ? { customer } : {}), ...(amount !== undefined ? { amount } : {}) });
    if (props.labelMode === "ask") setLabel("");
  }

  return (
    <section class="card" aria-labelledby="today-heading">
      <div class="row spread">
        <h2 id="today-heading">{t("popup.today")}</h2>
        <span class="muted small" data-testid="kpis-met">
          {props.isWorkingDay === false
            ? t("popup.notWorkingDay")
            : met === kpis.length && kpis.length > 0
              ? t("popup.allKpisMet")
              : t("popup.kpisMet", met, [String(met)])}
        </span>
      </div>
      <ul class="rings">
        {BEHAVIOUR_KINDS.map((kind) => {
          const kpi = kpis.find((k) => k.kind === kind) ?? { kind, count: 0, minimum: null, pending: 0 };
          return (
            <li key={kind}>
              <KpiRing kind={kind} count={kpi.count} minimum={kpi.minimum} pending={kpi.pending} />
              {onLog && (
                <button
                  type="button"
                  class="log"
                  data-testid={`log-${kind}`}
                  title={t(`logKind.${kind}`)}
                  aria-label={t(`logKind.${kind}`)}
                  onClick={() => log(kind)}
                >
                  +1
                </button>
              )}
            </li>
          );
        })}
      </ul>
      {onLog && (
        <>
          <div class="funnel-label muted small" id="funnel-label">
            {t("popup.funnel")}
          </div>
          <div class="funnel" role="group" aria-labelledby="funnel-label">
            {FUNNEL_BUTTONS.map((kind) => (
              <button
                type="button"
                key={kind}
                class={`chip-button${kind === "won" && props.wonOpen ? " active" : ""}`}
                data-testid={`log-${kind}`}
                title={t(`logKind.${kind}`)}
                aria-expanded={kind === "won" ? Boolean(props.wonOpen) : undefined}
                onClick={() => (kind === "won" ? props.onWonOpen?.(!props.wonOpen) : log(kind))}
              >
                + {t(`kindShort.${kind}`)}
              </button>
            ))}
          </div>
          {props.wonOpen && (
            <WonForm
              fmt={fmt}
              symbol={props.currencySymbol ?? ""}
              onCancel={() => props.onWonOpen?.(false)}
              onSubmit={(minor) => {
                log("won", minor);
                props.onWonOpen?.(false);
              }}
            />
          )}
          {withLabel && (
            <label class="customer">
              <span class="muted small">{t("popup.customerLabel")}</span>
              <input
                value={label}
                maxLength={80}
                list="customer-labels"
                placeholder={t("popup.customerPlaceholder")}
                data-testid="customer-label"
                onInput={(e) => setLabel(e.currentTarget.value)}
              />
              <datalist id="customer-labels">
                {(props.labels ?? []).map((l) => (
                  <option key={l} value={l} />
                ))}
              </datalist>
              {label && (
                <button type="button" class="icon-button small" aria-label={t("popup.clearLabel")} title={t("popup.clearLabel")} onClick={() => setLabel("")}>
                  ×
                </button>
              )}
            </label>
          )}
        </>
      )}
    </section>
  );
}

function WonForm(props: { fmt: Fmt; symbol: string; onSubmit: (minor: number) => void; onCancel: () => void }) {
  const [text, setText] = useState("");
  const [touched, setTouched] = useState(false);
  const parsed = parseMoney(text);
  const error = touched && !parsed.ok ? t(`popup.amountError.${parsed.reason}`) : null;
  return (
    <form
      class="won-form"
      data-testid="won-form"
      onSubmit={(e) => {
        e.preventDefault();
        setTouched(true);
        if (parsed.ok) props.onSubmit(parsed.minor);
      }}
    >
      <label class="field">
        <span>{t("popup.wonAmount")}</span>
        <div class="money-input">
          {props.symbol && <span class="muted">{props.symbol}</span>}
          <input
            inputMode="decimal"
            autoFocus
            value={text}
            placeholder="12,500.00"
            aria-invalid={error ? true : undefined}
            data-testid="won-amount"
            onInput={(e) => setText(e.currentTarget.value)}
            onBlur={() => setTouched(text !== "")}
          />
        </div>
        {error ? (
          <small class="error" data-testid="won-error">
            {error}
          </small>
        ) : (
          <small class="muted" data-testid="won-preview">
            {parsed.ok ? props.fmt.amount(parsed.minor, "revenue", 2) : t("popup.wonAmountHelp")}
          </small>
        )}
      </label>
      <div class="row">
        <button type="submit" class="primary" data-testid="won-submit">
          {t("popup.wonLog")}
        </button>
        <button type="button" class="link" onClick={props.onCancel}>
          {t("popup.cancel")}
        </button>
      </div>
    </form>
  );
}
