import { t } from "../../i18n";
import type { BehaviourKind } from "../../../shared/domain/kinds";

const RADIUS = 19;
const CIRCUMFERENCE = 2 * Math.PI * RADIUS;

/** Today's count of one behaviour KPI against the rep's minimum, as a ring (full = minimum reached). */
export function KpiRing(props: { kind: BehaviourKind; count: number; minimum: number | null; pending?: number }) {
  const { kind, count, minimum } = props;
  const done = minimum !== null && count >= minimum;
  const fraction = minimum ? Math.min(1, count / minimum) : 0;
  const label = t(`kind.${kind}`);
  const short = t(`kindShort.${kind}`);
  return (
    <div class={`ring${done ? " done" : ""}`} data-testid={`kpi-${kind}`}>
      <svg viewBox="0 0 48 48" width="48" height="48" role="img" aria-label={`${label}: ${count}${minimum !== null ? ` / ${minimum}` : ""}`}>
        <circle class="ring-track" cx="24" cy="24" r={RADIUS} />
        <circle
          class="ring-fill"
          cx="24"
          cy="24"
          r={RADIUS}
          stroke-dasharray={CIRCUMFERENCE.toFixed(2)}
          stroke-dashoffset={(CIRCUMFERENCE * (1 - fraction)).toFixed(2)}
          transform="rotate(-90 24 24)"
        />
        <text x="24" y="28" text-anchor="middle" class="ring-count" data-testid={`count-${kind}`}>
          {count}
        </text>
      </svg>
      <div class="ring-label" title={label}>
        {short}
      </div>
      <div class="ring-min muted">
        {minimum !== null ? t("popup.ofMinimum", [String(minimum)]) : "\u00a0"}
        {props.pending ? (
          <span class="chip" data-testid={`pending-${kind}`} title={t("popup.waiting", props.pending, [String(props.pending)])}>
            +{props.pending}
          </span>
        ) : null}
      </div>
    </div>
  );
}
