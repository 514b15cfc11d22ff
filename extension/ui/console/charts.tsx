import { eachDay } from "../../../shared/domain/day";
import { workingDaysIn, type OrgCalendar } from "../../../shared/domain/calendar";

/**
 * Hand-written SVG charts (no chart library): progress over a period against the pace line, and funnel conversion.
 * Both scale to their container (viewBox + width 100 %) and carry a text alternative.
 */

export interface ProgressSeries {
  /** Every day of the period, in order. */
  days: string[];
  /** Cumulative actual at the end of each day up to `today` (null after it). */
  actual: (number | null)[];
  /** Expected-to-date at the end of each day: target × working days elapsed / working days in the period. */
  pace: number[];
  target: number;
}

/** Cumulative actual and the pace line for a period; `amounts` are the day totals (e.g. won amounts by local day). */
export function progressSeries(period: { start: string; end: string }, amounts: ReadonlyMap<string, number>, target: number, today: string, cal: OrgCalendar): ProgressSeries {
  const days = eachDay(period.start, period.end);
  const working = new Set(workingDaysIn(period, cal));
  const total = working.size;
  let elapsed = 0;
  let running = 0;
  const actual: (number | null)[] = [];
  const pace: number[] = [];
  for (const day of days) {
    if (working.has(day)) elapsed++;
    pace.push(total === 0 ? target : (target * elapsed) / total);
    running += amounts.get(day) ?? 0;
    actual.push(day <= today ? running : null);
  }
  return { days, actual, pace, target };
}

const W = 640;
const H = 240;
const PAD = { left: 64, right: 16, top: 16, bottom: 28 };

export function ProgressChart(props: {
  series: ProgressSeries;
  format: (value: number) => string;
  /** Short axis labels (e.g. compact notation); `format` when absent. */
  formatAxis?: (value: number) => string;
  title: string;
  labels: { actual: string; pace: string; target: string };
}) {
  const { series, format } = props;
  const axis = props.formatAxis ?? format;
  const n = series.days.length;
  const top = Math.max(series.target, ...series.actual.map((v) => v ?? 0), 1);
  const x = (i: number) => PAD.left + (n <= 1 ? 0 : (i / (n - 1)) * (W - PAD.left - PAD.right));
  const y = (v: number) => PAD.top + (1 - v / top) * (H - PAD.top - PAD.bottom);
  const line = (values: (number | null)[]) =>
    values
      .map((v, i) => (v === null ? null : `${x(i).toFixed(1)},${y(v).toFixed(1)}`))
      .filter(Boolean)
      .join(" ");
  const lastIndex = series.actual.reduce<number>((last, v, i) => (v === null ? last : i), -1);
  const last = lastIndex >= 0 ? series.actual[lastIndex]! : 0;
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => f * top);
  const summary = `${props.title}: ${props.labels.actual} ${format(last)}, ${props.labels.pace} ${format(lastIndex >= 0 ? series.pace[lastIndex]! : 0)}, ${props.labels.target} ${format(series.target)}`;
  return (
    <figure class="chart" data-testid="progress-chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={summary} preserveAspectRatio="xMidYMid meet">
        {ticks.map((v) => (
          <g key={v}>
            <line x1={PAD.left} x2={W - PAD.right} y1={y(v)} y2={y(v)} class="grid" />
            <text x={PAD.left - 6} y={y(v) + 4} class="axis" text-anchor="end">
              {axis(v)}
            </text>
          </g>
        ))}
        {series.target > 0 ? <line x1={PAD.left} x2={W - PAD.right} y1={y(series.target)} y2={y(series.target)} class="target" /> : null}
        <polyline points={line(series.pace)} class="pace" fill="none" data-testid="pace-line" />
        <polyline points={line(series.actual)} class="actual" fill="none" data-testid="actual-line" />
        {lastIndex >= 0 ? <circle cx={x(lastIndex)} cy={y(last)} r={4} class="actual-dot" /> : null}
        {n > 0 ? (
          <>
            <text x={x(0)} y={H - 8} class="axis">
              {series.days[0]!.slice(5)}
            </text>
            <text x={x(n - 1)} y={H - 8} class="axis" text-anchor="end">
              {series.days[n - 1]!.slice(5)}
            </text>
          </>
        ) : null}
      </svg>
      <figcaption class="legend">
        <span>
          <i class="key actual" /> {props.labels.actual}
        </span>
        <span>
          <i class="key pace" /> {props.labels.pace}
        </span>
        <span>
          <i class="key target" /> {props.labels.target}
        </span>
      </figcaption>
    </figure>
  );
}

export interface FunnelStage {
  label: string;
  count: number;
  conversion: number | null;
}

export function FunnelChart({ stages, title, formatPercent }: { stages: FunnelStage[]; title: string; formatPercent: (ratio: number) => string }) {
  const top = Math.max(1, ...stages.map((s) => s.count));
  const rowH = 34;
  const labelW = 170;
  const width = 640;
  const barMax = width - labelW - 120;
  const summary = `${title}: ${stages.map((s) => `${s.label} ${s.count}${s.conversion === null ? "" : ` (${formatPercent(s.conversion)})`}`).join(", ")}`;
  return (
    <figure class="chart" data-testid="funnel-chart">
      <svg viewBox={`0 0 ${width} ${stages.length * rowH + 8}`} role="img" aria-label={summary}>
        {stages.map((s, i) => {
          const w = (s.count / top) * barMax;
          return (
            <g key={s.label} transform={`translate(0 ${i * rowH + 4})`}>
              <text x={labelW - 8} y={20} class="funnel-label" text-anchor="end">
                {s.label}
              </text>
              <rect x={labelW + (barMax - w) / 2} y={4} width={Math.max(w, 1)} height={22} rx={3} class={`funnel-bar stage-${i}`} />
              <text x={labelW + barMax + 8} y={20} class="funnel-value">
                {s.count}
                {s.conversion === null ? "" : ` → ${formatPercent(s.conversion)}`}
              </text>
            </g>
          );
        })}
      </svg>
    </figure>
  );
}
