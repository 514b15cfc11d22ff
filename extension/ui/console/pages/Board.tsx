import { useState } from "preact/hooks";
import { localDay } from "../../../../shared/domain/calendar";
import type { RouteResponse } from "../../../../shared/api";
import { formatAgo, formatAmount, formatPercent } from "../../../features/format";
import { useApi, type ConsoleApi } from "../api";
import { Card, Chip, ErrorNote, Loading, PageTitle, SelectField } from "../components";
import { FunnelChart, ProgressChart, progressSeries } from "../charts";
import { useLoad } from "../hooks";
import { calendarOf, useSession } from "../session";
import { locale, t } from "../t";

/**
 * Team board: the popup's team summary, wide — each rep's progress, pace, alert level, streaks, today's KPIs and funnel —
 * with the period's progress against the pace line and the team's funnel conversion.
 */

type Summary = RouteResponse<"teamSummary">;
type Row = Summary["reps"][number];

/** Won amounts per local day in a range, for everyone in scope or one rep (all pages). */
export async function wonByDay(api: ConsoleApi, from: string, to: string, userId?: string): Promise<Map<string, number>> {
  const byDay = new Map<string, number>();
  let cursor: string | undefined;
  for (let page = 0; page < 40; page++) {
    const res = await api.call("listActivities", { query: { kind: "won", from, to, limit: 500, ...(userId ? { userId } : {}), ...(cursor ? { cursor } : {}) } });
    for (const a of res.activities) if (!a.deleted) byDay.set(a.day, (byDay.get(a.day) ?? 0) + (a.amount ?? 0));
    if (!res.nextCursor) break;
    cursor = res.nextCursor;
  }
  return byDay;
}

const BAND_TONE = { red: "red", yellow: "yellow", green: "green" } as const;
const ALERT_TONE = { yellow: "yellow", orange: "orange", red: "red" } as const;

export function BoardPage() {
  const api = useApi();
  const summary = useLoad(() => api.call("teamSummary"), []);
  if (summary.error) return <ErrorNote error={summary.error} />;
  if (!summary.data) return <Loading />;
  return <Board summary={summary.data} />;
}

function Board({ summary }: { summary: Summary }) {
  const { org } = useSession();
  const api = useApi();
  const cal = calendarOf(org);
  const reps = summary.reps;
  const [who, setWho] = useState<string>("");
  const period = reps[0]?.period ?? null;
  const today = summary.day;
  const funnel = useLoad(() => (period ? api.call("funnel", { query: { from: period.start, to: today } }) : Promise.resolve(null)), [period?.key]);
  const repFunnels = useLoad(
    () => Promise.all(reps.map((r) => api.call("funnel", { query: { userId: r.userId, from: r.period.start, to: today } }).then((f) => [r.userId, f] as const))).then((pairs) => new Map(pairs)),
    [period?.key, reps.length],
  );
  const won = useLoad(() => (period ? wonByDay(api, period.start, today < period.end ? today : period.end, who || undefined) : Promise.resolve(new Map<string, number>())), [period?.key, who]);

  if (!period) {
    return (
      <div class="page">
        <PageTitle>{t("console.nav.board")}</PageTitle>
        <p class="muted" data-testid="board-empty">
          {t("console.board.noReps")}
        </p>
      </div>
    );
  }

  const loc = locale();
  const metric = period.metric;
  const money = (v: number) => formatAmount(v, metric, loc, 0);
  const compact = new Intl.NumberFormat(loc, { notation: "compact", maximumFractionDigits: 1 });
  const axis = (v: number) => compact.format(metric === "revenue" ? v / 100 : v);
  const chosen = who ? reps.filter((r) => r.userId === who) : reps;
  const target = chosen.reduce((n, r) => n + r.period.target, 0);
  const actual = chosen.reduce((n, r) => n + r.period.actual, 0);
  const expected = chosen.reduce((n, r) => n + r.period.expectedToDate, 0);
  const alerts = reps.filter((r) => r.alertLevel).length;
  const series = won.data ? progressSeries(period, won.data, target, today, cal) : null;
  const pct = (ratio: number) => formatPercent(ratio, loc);

  return (
    <div class="page">
      <PageTitle>{t("console.nav.board")}</PageTitle>
      <p class="muted small">
        {t(`period.${period.kind}`)} · {period.start} – {period.end} · {t("console.board.workingDays", [String(period.elapsedWorkingDays), String(period.workingDays)])}
      </p>
      <div class="stats" data-testid="board-stats">
        <Stat label={t("console.board.completion")} value={target > 0 ? pct(actual / target) : "–"} sub={`${money(actual)} / ${money(target)}`} />
        <Stat label={t("console.board.pace")} value={expected > 0 ? pct(actual / expected) : "–"} sub={t("console.board.expected", [money(expected)])} />
        <Stat label={t("console.board.reps")} value={String(reps.length)} sub={t("console.board.alerts", [String(alerts)])} />
      </div>

      <div class="grid-2">
        <Card
          title={t("console.board.progressChart")}
          actions={
            <SelectField
              label={t("console.board.who")}
              name="board-who"
              class="inline"
              value={who}
              onChange={setWho}
              options={[{ value: "", label: t("console.board.wholeTeam") }, ...reps.map((r) => ({ value: r.userId, label: r.name }))]}
            />
          }
        >
          <ErrorNote error={won.error} />
          {series ? (
            <ProgressChart
              series={series}
              format={money}
              formatAxis={axis}
              title={t("console.board.progressChart")}
              labels={{ actual: t("console.board.actual"), pace: t("console.board.paceLine"), target: t("console.board.target") }}
            />
          ) : (
            <Loading />
          )}
        </Card>
        <Card title={t("console.board.funnel")}>
          <ErrorNote error={funnel.error} />
          {funnel.data ? (
            <FunnelChart
              title={t("console.board.funnel")}
              stages={funnel.data.stages.map((s) => ({ label: t(`kind.${s.kind as "lead"}`), count: s.count, conversion: s.conversion }))}
              formatPercent={pct}
            />
          ) : (
            <Loading />
          )}
        </Card>
      </div>

      <Card title={t("console.board.reps")} testId="board-reps">
        <div class="table-wrap">
          <table class="table board">
            <thead>
              <tr>
                <th scope="col">{t("console.people.name")}</th>
                <th scope="col">{t("console.board.completion")}</th>
                <th scope="col" class="num">{t("console.board.pace")}</th>
                <th scope="col" class="num">{t("console.board.runRate")}</th>
                <th scope="col">{t("console.board.alert")}</th>
                <th scope="col">{t("console.board.streak")}</th>
                <th scope="col">{t("console.board.today")}</th>
                <th scope="col">{t("console.board.funnelRow")}</th>
                <th scope="col">{t("console.board.lastActivity")}</th>
              </tr>
            </thead>
            <tbody>
              {reps.map((r) => (
                <RepRow key={r.userId} row={r} money={money} pct={pct} funnel={repFunnels.data?.get(r.userId) ?? null} serverTime={Date.parse(summary.serverTime)} />
              ))}
            </tbody>
          </table>
        </div>
      </Card>
      <p class="muted small">{t("console.board.asOf", [localDay(Date.parse(summary.serverTime), cal)])}</p>
    </div>
  );
}

function Stat({ label, value, sub }: { label: string; value: string; sub: string }) {
  return (
    <div class="stat">
      <div class="muted small">{label}</div>
      <div class="stat-value">{value}</div>
      <div class="muted small">{sub}</div>
    </div>
  );
}

function RepRow({ row, money, pct, funnel, serverTime }: { row: Row; money: (v: number) => string; pct: (v: number) => string; funnel: RouteResponse<"funnel"> | null; serverTime: number }) {
  const p = row.period;
  const width = Math.max(0, Math.min(100, p.completion * 100));
  const met = row.today.kpis.filter((k) => k.count >= k.minimum).length;
  return (
    <tr data-testid={`board-rep-${row.name}`}>
      <th scope="row">
        {row.name}
        <div class="muted small">{t(`console.seniority.${row.seniority as "mid"}`)}</div>
      </th>
      <td class="progress-cell">
        <div class="bar" role="img" aria-label={`${pct(p.completion)} · ${money(p.actual)} / ${money(p.target)}`}>
          <div class="bar-fill" style={{ width: `${width}%`, background: `var(--${p.band})` }} />
        </div>
        <span class="small">
          {p.target > 0 ? pct(p.completion) : "–"} · {money(p.actual)} / {money(p.target)}
        </span>
      </td>
      <td class="num">{p.pace === null ? "–" : <Chip tone={BAND_TONE[p.band]}>{pct(p.pace)}</Chip>}</td>
      <td class="num">{p.requiredRunRate === null ? "–" : money(p.requiredRunRate)}</td>
      <td>{row.alertLevel ? <Chip tone={ALERT_TONE[row.alertLevel]}>{t(`console.alerts.level_${row.alertLevel}`)}</Chip> : <span class="muted">—</span>}</td>
      <td class="small">
        {row.streak.meets > 0 ? t("console.board.streakMeets", [String(row.streak.meets)]) : row.streak.below > 0 ? t("console.board.streakBelow", [String(row.streak.below)]) : "—"}
      </td>
      <td class="small">
        {row.isWorkingDay ? (
          <span title={row.today.kpis.map((k) => `${t(`kind.${k.kind}`)} ${k.count}/${k.minimum}`).join(", ")}>
            {t("console.board.kpisMet", [String(met), String(row.today.kpis.length)])}
          </span>
        ) : (
          <span class="muted">{t("console.board.notWorkingDay")}</span>
        )}
      </td>
      <td class="small funnel-mini">{funnel ? funnel.stages.map((s) => s.count).join(" → ") : "…"}</td>
      <td class="small">{row.lastActivityAt ? formatAgo(serverTime - Date.parse(row.lastActivityAt), locale()) : "—"}</td>
    </tr>
  );
}
