import { useEffect, useState } from "preact/hooks";
import type { ProgressResponse } from "../../../shared/schemas/progress";
import { defaultDirection, kpisMet, sortReps, teamPk, type SortDirection, type TeamColumn, type TeamRow } from "../../features/team";
import { t } from "../../i18n";
import { BackgroundError, sendToBackground } from "../../messages";
import type { Insights } from "../../storage";
import { errorText } from "../errors";
import { AlertsCard, type AlertAction } from "./AlertsCard";
import { BAND_VAR, type Fmt } from "./format";
import { Icon } from "./Icon";
import { Leaderboard } from "./Leaderboard";
import { PeriodCard } from "./PeriodCard";
import { PromptsCard } from "./PromptsCard";
import { ScoreCard } from "./ScoreCard";
import { TodayCard } from "./TodayCard";

type Team = NonNullable<Insights["team"]>;

/**
 * The manager view (manager, director, admin): every rep in scope in a sortable table, alerts to acknowledge or
 * resolve and tasks to complete, the leaderboard and team PK; a rep's name opens their progress view.
 */
export function TeamView(props: {
  insights: Insights | null;
  refreshing: boolean;
  error: BackgroundError | null;
  fmt: Fmt;
  now: number;
  busy: ReadonlySet<string>;
  onAlert: (alert: { id: string }, action: AlertAction) => void;
  onCompleteTask: (task: { id: string }, note: string) => void;
}) {
  const { insights, fmt } = props;
  const [open, setOpen] = useState<{ userId: string; name: string } | null>(null);
  const team = insights?.team ?? null;

  if (open) return <RepDrill rep={open} fmt={fmt} onBack={() => setOpen(null)} />;
  if (!team) {
    return (
      <section class="card" data-testid="team-loading">
        <p class="muted">{props.error ? errorText(props.error) : insights?.error ? errorText(insights.error) : "…"}</p>
      </section>
    );
  }
  const names = new Map(team.summary.reps.map((r) => [r.userId, r.name]));
  return (
    <>
      <TeamTable rows={team.summary.reps} fmt={fmt} now={props.now} onOpen={(row) => setOpen({ userId: row.userId, name: row.name })} />
      <AlertsCard
        alerts={insights!.alerts}
        tasks={insights!.tasks}
        fmt={fmt}
        now={props.now}
        leader
        names={names}
        busy={props.busy}
        onAlert={props.onAlert}
        onCompleteTask={props.onCompleteTask}
        limit={3}
      />
      <TeamPk team={team} fmt={fmt} />
      {insights!.leaderboard && <Leaderboard board={insights!.leaderboard} fmt={fmt} />}
    </>
  );
}

const COLUMNS: { column: TeamColumn; label: string; numeric?: boolean }[] = [
  { column: "name", label: "team.rep" },
  { column: "completion", label: "team.month", numeric: true },
  { column: "alert", label: "team.alert" },
  { column: "today", label: "team.today", numeric: true },
  { column: "streak", label: "team.streak", numeric: true },
  { column: "lastActivity", label: "team.last" },
];

export function TeamTable(props: { rows: TeamRow[]; fmt: Fmt; now: number; onOpen: (row: TeamRow) => void }) {
  const { fmt } = props;
  const [sort, setSort] = useState<{ column: TeamColumn; direction: SortDirection }>({ column: "completion", direction: "ascending" });
  const rows = sortReps(props.rows, sort.column, sort.direction, fmt.locale);
  const toggle = (column: TeamColumn) =>
    setSort((current) =>
      current.column === column
        ? { column, direction: current.direction === "ascending" ? "descending" : "ascending" }
        : { column, direction: defaultDirection(column) },
    );
  return (
    <section class="card team" aria-labelledby="team-heading" data-testid="team">
      <div class="row spread">
        <h2 id="team-heading">{t("team.heading", [String(props.rows.length)])}</h2>
      </div>
      {props.rows.length === 0 ? (
        <p class="muted small">{t("team.empty")}</p>
      ) : (
        <table class="team-table" data-testid="team-table">
          <thead>
            <tr>
              {COLUMNS.map(({ column, label, numeric }) => (
                <th key={column} scope="col" aria-sort={sort.column === column ? sort.direction : "none"} class={numeric ? "num" : ""}>
                  <button type="button" class="sort" data-testid={`sort-${column}`} onClick={() => toggle(column)}>
                    {t(label as "team.rep")}
                    <span class="sort-mark" aria-hidden="true">
                      {sort.column === column ? (sort.direction === "ascending" ? "▲" : "▼") : ""}
                    </span>
                  </button>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => {
              const met = kpisMet(row);
              const kpiTitle = row.today.kpis.map((k) => `${t(`kind.${k.kind}`)} ${k.count}/${k.minimum}`).join(" · ");
              return (
                <tr key={row.userId} data-testid="team-row" data-user={row.userId}>
                  <th scope="row">
                    <button type="button" class="link rep-link ellipsis" data-testid="open-rep" title={t("team.open", [row.name])} onClick={() => props.onOpen(row)}>
                      {row.name}
                    </button>
                  </th>
                  <td class="num" data-testid="team-completion">
                    {row.period.target > 0 ? (
                      <>
                        <i class="pace-dot" style={{ background: BAND_VAR[row.period.band] }} title={t(`band.${row.period.band}`)} />
                        {fmt.percent(row.period.completion)}
                      </>
                    ) : (
                      <span class="muted">–</span>
                    )}
                  </td>
                  <td>{row.alertLevel ? <i class={`level-dot ${row.alertLevel}`} title={t(`level.${row.alertLevel}`)} /> : <span class="muted">–</span>}</td>
                  <td class="num" title={kpiTitle} data-testid="team-today">
                    <span class="kpi-bars" aria-hidden="true">
                      {row.today.kpis.map((k) => (
                        <i key={k.kind} class={k.count >= k.minimum ? "on" : ""} />
                      ))}
                    </span>
                    <span data-testid="team-touch" hidden>
                      {row.today.kpis.find((k) => k.kind === "touch")?.count ?? 0}
                    </span>
                    {met}/4
                  </td>
                  <td class="num">
                    {row.streak.meets > 0 ? (
                      <span class="good nowrap">
                        <Icon name="flame" />
                        {row.streak.meets}
                      </span>
                    ) : row.streak.below > 0 ? (
                      <span class="bad">−{row.streak.below}</span>
                    ) : (
                      <span class="muted">0</span>
                    )}
                  </td>
                  <td class="muted small nowrap">{row.lastActivityAt ? fmt.agoShort(props.now - Date.parse(row.lastActivityAt)) : "–"}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}

function TeamPk({ team, fmt }: { team: Team; fmt: Fmt }) {
  const standings = teamPk(team.summary.reps, team.teams);
  if (standings.length === 0) return null;
  const best = Math.max(...standings.map((s) => s.completion), 0.0001);
  return (
    <section class="card" aria-labelledby="pk-heading" data-testid="team-pk">
      <h2 id="pk-heading">{t("team.pk")}</h2>
      <ol class="board">
        {standings.map((s, i) => (
          <li key={s.teamId}>
            <span class="rank">{i + 1}</span>
            <span class="grow ellipsis">
              {s.name} <span class="muted small">({t("team.reps", s.reps, [String(s.reps)])})</span>
            </span>
            <span class="pk-bar" aria-hidden="true">
              <i style={{ width: `${Math.round((s.completion / best) * 100)}%` }} />
            </span>
            <span class="num">{fmt.percent(s.completion)}</span>
          </li>
        ))}
      </ol>
    </section>
  );
}

/** One rep's progress view, as the rep sees it (read-only), from GET /v1/progress?userId=. */
function RepDrill(props: { rep: { userId: string; name: string }; fmt: Fmt; onBack: () => void }) {
  const [progress, setProgress] = useState<ProgressResponse | null>(null);
  const [error, setError] = useState<BackgroundError | null>(null);
  useEffect(() => {
    sendToBackground({ type: "api", route: "progress", query: { userId: props.rep.userId } })
      // The background checked the answer against the route's schema (api/client.ts).
      .then((data) => setProgress(data as ProgressResponse))
      .catch((failure: BackgroundError) => setError(failure));
  }, [props.rep.userId]);
  const { fmt } = props;
  return (
    <>
      <div class="row drill-head">
        <button type="button" class="link" data-testid="drill-back" onClick={props.onBack}>
          ← {t("team.back")}
        </button>
        <h2 class="grow ellipsis" data-testid="drill-name">
          {props.rep.name}
        </h2>
      </div>
      {error && <p class="alert">{errorText(error)}</p>}
      {!progress && !error && <p class="muted">…</p>}
      {progress && (
        <div class="stack" data-testid="drill">
          <PeriodCard progress={progress} fmt={fmt} />
          <TodayCard kpis={progress.today.kpis.map((k) => ({ ...k, pending: 0 }))} isWorkingDay={progress.isWorkingDay} fmt={fmt} />
          <PromptsCard prompts={progress.prompts} fmt={fmt} />
          <ScoreCard score={progress.score} fmt={fmt} />
        </div>
      )}
    </>
  );
}
