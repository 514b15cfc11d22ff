import { useState } from "preact/hooks";
import { localDay, periodContaining, periodFromKey, workingDaysIn, type OrgCalendar, type Period } from "../../../../shared/domain/calendar";
import { shiftDay } from "../../../../shared/domain/day";
import { BEHAVIOUR_KINDS } from "../../../../shared/domain/kinds";
import { kpiMinimums } from "../../../../shared/domain/kpi";
import { CompleteTaskRequest } from "../../../../shared/schemas/insights";
import type { RouteResponse } from "../../../../shared/api";
import { formatAmount, formatPercent } from "../../../features/format";
import { useApi } from "../api";
import { Button, Card, Chip, ErrorNote, Loading, PageTitle, SelectField, TextArea } from "../components";
import { ErrorsScope } from "../components";
import { check, serverFieldErrors, type FieldErrors } from "../forms";
import { asBackgroundError, useLoad } from "../hooks";
import { calendarOf, useSession } from "../session";
import { locale, t } from "../t";
import type { BackgroundError } from "../../../messages";

/** Alerts, coaching tasks and review items (复盘): filter, acknowledge, resolve, complete with a note; a review shows its week's numbers. */

type Alert = RouteResponse<"listAlerts">["alerts"][number];
type Task = RouteResponse<"listTasks">["tasks"][number];
type Users = RouteResponse<"listUsers">["users"];

const TONE = { yellow: "yellow", orange: "orange", red: "red" } as const;

export function AlertsPage() {
  const api = useApi();
  const [status, setStatus] = useState<"active" | "open" | "acknowledged" | "resolved">("active");
  const [level, setLevel] = useState<"" | Alert["level"]>("");
  const [rep, setRep] = useState("");
  const [taskStatus, setTaskStatus] = useState<"open" | "done" | "all">("open");
  const users = useLoad(() => api.call("listUsers"), []);
  const alerts = useLoad(() => api.call("listAlerts", { query: { status, ...(rep ? { userId: rep } : {}) } }), [status, rep]);
  const tasks = useLoad(() => api.call("listTasks", { query: { status: taskStatus } }), [taskStatus]);
  const [failure, setFailure] = useState<BackgroundError | null>(null);
  const [completing, setCompleting] = useState<Task | null>(null);
  const { user: me } = useSession();

  const name = (id: string | null) => (id ? (users.data?.users.find((u) => u.id === id)?.name ?? id) : "—");
  const when = (iso: string) => new Intl.DateTimeFormat(locale(), { dateStyle: "medium", timeStyle: "short" }).format(new Date(iso));
  const act = (route: "acknowledgeAlert" | "resolveAlert", id: string) => {
    setFailure(null);
    api.call(route, { params: { id } }).then(alerts.reload, (e: unknown) => setFailure(asBackgroundError(e)));
  };
  const shownAlerts = (alerts.data?.alerts ?? []).filter((a) => !level || a.level === level);
  const reps = (users.data?.users ?? []).filter((u) => u.role === "rep");

  return (
    <div class="page">
      <PageTitle>{t("console.nav.alerts")}</PageTitle>
      <Card title={t("console.alerts.alerts")} testId="alerts">
        <div class="row wrap filters">
          <SelectField
            label={t("console.alerts.status")}
            name="alert-status"
            value={status}
            onChange={setStatus}
            options={(["active", "open", "acknowledged", "resolved"] as const).map((value) => ({ value, label: t(`console.alerts.status_${value}`) }))}
          />
          <SelectField
            label={t("console.alerts.level")}
            name="alert-level"
            value={level}
            onChange={setLevel}
            options={[{ value: "" as const, label: t("console.all") }, ...(["yellow", "orange", "red"] as const).map((value) => ({ value, label: t(`console.alerts.level_${value}`) }))]}
          />
          <SelectField label={t("console.alerts.rep")} name="alert-rep" value={rep} onChange={setRep} options={[{ value: "", label: t("console.all") }, ...reps.map((u) => ({ value: u.id, label: u.name }))]} />
        </div>
        <ErrorNote error={alerts.error ?? failure} />
        {!alerts.data ? (
          <Loading />
        ) : shownAlerts.length === 0 ? (
          <p class="muted" data-testid="no-alerts">
            {t("console.alerts.none")}
          </p>
        ) : (
          <div class="table-wrap">
            <table class="table">
              <thead>
                <tr>
                  <th scope="col">{t("console.alerts.rep")}</th>
                  <th scope="col">{t("console.alerts.level")}</th>
                  <th scope="col">{t("console.alerts.rule")}</th>
                  <th scope="col">{t("console.alerts.opened")}</th>
                  <th scope="col">{t("console.alerts.status")}</th>
                  <th scope="col">{t("console.actions")}</th>
                </tr>
              </thead>
              <tbody>
                {shownAlerts.map((a) => (
                  <tr key={a.id} data-testid="alert-row">
                    <th scope="row">{name(a.userId)}</th>
                    <td>
                      <Chip tone={TONE[a.level]}>{t(`console.alerts.level_${a.level}`)}</Chip>
                    </td>
                    <td>
                      {ruleLabel(a.rule)}
                      <AlertFacts details={a.details} />
                    </td>
                    <td>{when(a.openedAt)}</td>
                    <td>{t(`console.alerts.status_${a.status}`)}</td>
                    <td>
                      <div class="row wrap actions">
                        {a.status === "open" ? (
                          <Button class="small" onClick={() => act("acknowledgeAlert", a.id)} aria-label={t("console.alerts.acknowledgeNamed", [name(a.userId)])}>
                            {t("console.alerts.acknowledge")}
                          </Button>
                        ) : null}
                        {a.status !== "resolved" ? (
                          <Button class="small" onClick={() => act("resolveAlert", a.id)} aria-label={t("console.alerts.resolveNamed", [name(a.userId)])}>
                            {t("console.alerts.resolve")}
                          </Button>
                        ) : null}
                      </div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>

      <Card
        title={t("console.alerts.tasks")}
        testId="tasks"
        actions={
          <SelectField
            label={t("console.alerts.status")}
            name="task-status"
            class="inline"
            value={taskStatus}
            onChange={setTaskStatus}
            options={(["open", "done", "all"] as const).map((value) => ({ value, label: t(`console.alerts.task_${value}`) }))}
          />
        }
      >
        <ErrorNote error={tasks.error} />
        {!tasks.data ? (
          <Loading />
        ) : tasks.data.tasks.length === 0 ? (
          <p class="muted" data-testid="no-tasks">
            {t("console.alerts.noTasks")}
          </p>
        ) : (
          <div class="table-wrap">
            <table class="table">
              <thead>
                <tr>
                  <th scope="col">{t("console.alerts.kind")}</th>
                  <th scope="col">{t("console.alerts.rep")}</th>
                  <th scope="col">{t("console.alerts.assignee")}</th>
                  <th scope="col">{t("console.alerts.due")}</th>
                  <th scope="col">{t("console.alerts.status")}</th>
                  <th scope="col">{t("console.alerts.note")}</th>
                  <th scope="col">{t("console.actions")}</th>
                </tr>
              </thead>
              <tbody>
                {tasks.data.tasks.map((task) => (
                  <tr key={task.id} data-testid="task-row">
                    <th scope="row">{t(`console.alerts.taskKind_${task.kind}`)}</th>
                    <td>{name(task.userId)}</td>
                    <td>{task.assigneeId === me.id ? t("console.alerts.you") : name(task.assigneeId)}</td>
                    <td>{task.dueDay ?? "—"}</td>
                    <td>{task.status === "done" ? <Chip tone="green">{t("console.alerts.task_done")}</Chip> : <Chip tone="blue">{t("console.alerts.task_open")}</Chip>}</td>
                    <td class="note">{task.note ?? ""}</td>
                    <td>
                      <Button class="small" onClick={() => setCompleting(task)} aria-label={t("console.alerts.openTaskNamed", [name(task.userId)])}>
                        {task.status === "open" ? (task.kind === "review" ? t("console.alerts.review") : t("console.alerts.complete")) : t("console.alerts.view")}
                      </Button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {completing ? (
          <TaskPanel
            key={completing.id}
            task={completing}
            repName={name(completing.userId)}
            users={users.data?.users ?? []}
            alert={alerts.data?.alerts.find((a) => a.id === completing.alertId) ?? null}
            onDone={(changed) => {
              setCompleting(null);
              if (changed) tasks.reload();
            }}
          />
        ) : null}
      </Card>
    </div>
  );
}

function ruleLabel(rule: string): string {
  const known = ["kpi_streak", "weekly_completion", "stale_customer"];
  return known.includes(rule) ? t(`console.alerts.rule_${rule as "kpi_streak"}`) : rule;
}

/** The alert's facts that help a manager act: customer, next action, senior help. */
function AlertFacts({ details }: { details: Record<string, unknown> }) {
  const facts: string[] = [];
  if (typeof details.customer === "string" && details.customer) facts.push(details.customer);
  if (typeof details.anchor === "string") facts.push(details.anchor);
  if (details.seniorHelp === true) facts.push(t("console.alerts.seniorHelp"));
  return facts.length ? <div class="muted small">{facts.join(" · ")}</div> : null;
}

/** The week a review item is about: its alert's anchor (a day or week key), else the week before the task was made. */
export function reviewWeek(task: Task, alert: Alert | null, cal: OrgCalendar): Period {
  const anchor = typeof alert?.details.anchor === "string" ? alert.details.anchor : null;
  if (anchor && /^\d{4}-\d{2}-\d{2}$/.test(anchor)) return periodContaining("week", anchor, cal);
  if (anchor && /^\d{4}-W\d{2}$/.test(anchor)) {
    try {
      return periodFromKey(anchor, cal);
    } catch {
      // fall through
    }
  }
  const made = localDay(Date.parse(task.createdAt), cal);
  return periodContaining("week", shiftDay(periodContaining("week", made, cal).start, -1), cal);
}

/** A rep's week target when only month targets are stored: each month's amount × the week's share of its working days. */
export function weekShareOfMonths(months: readonly { periodStart: string; periodEnd: string; amount: number }[], week: Period, cal: OrgCalendar): number {
  let total = 0;
  for (const month of months) {
    if (month.periodEnd < week.start || month.periodStart > week.end) continue;
    const days = workingDaysIn({ start: month.periodStart, end: month.periodEnd }, cal);
    const inWeek = days.filter((d) => d >= week.start && d <= week.end).length;
    if (days.length > 0) total += Math.round((month.amount * inWeek) / days.length);
  }
  return total;
}

function TaskPanel(props: { task: Task; repName: string; users: Users; alert: Alert | null; onDone: (changed: boolean) => void }) {
  const api = useApi();
  const task = props.task;
  const [note, setNote] = useState(task.note ?? "");
  const [errors, setErrors] = useState<FieldErrors>({});
  const [failure, setFailure] = useState<BackgroundError | null>(null);
  const [busy, setBusy] = useState(false);

  function submit(event: Event) {
    event.preventDefault();
    const checked = check(CompleteTaskRequest, { note });
    if (!checked.ok) return setErrors(checked.errors);
    setBusy(true);
    setErrors({});
    api
      .call("completeTask", { params: { id: task.id }, body: { note } })
      .then(() => props.onDone(true))
      .catch((e: unknown) => {
        setFailure(asBackgroundError(e));
        setErrors(serverFieldErrors(e));
      })
      .finally(() => setBusy(false));
  }

  return (
    <div class="detail" data-testid="task-panel">
      <h3>
        {t(`console.alerts.taskKind_${task.kind}`)} · {props.repName}
      </h3>
      {task.kind === "review" ? <WeekNumbers task={task} alert={props.alert} users={props.users} /> : <p class="muted small">{t("console.alerts.coachingHelp")}</p>}
      {task.status === "open" ? (
        <ErrorsScope.Provider value={errors}>
<form onSubmit={submit} noValidate>
          <TextArea label={t("console.alerts.note")} name="note" value={note} onInput={setNote} error={errors.note} rows={4} placeholder={t("console.alerts.notePlaceholder")} />
          <ErrorNote error={failure} />
          <div class="row wrap">
            <button type="submit" class="btn btn-primary" disabled={busy} data-testid="task-complete">
              {t("console.alerts.complete")}
            </button>
            <Button onClick={() => props.onDone(false)}>{t("console.cancel")}</Button>
          </div>
        </form>
        </ErrorsScope.Provider>
      ) : (
        <div>
          <p>{task.note}</p>
          <Button onClick={() => props.onDone(false)}>{t("console.close")}</Button>
        </div>
      )}
    </div>
  );
}

/** The week's numbers of a review (复盘): KPI counts vs minimums, won vs the week's target, the funnel. */
function WeekNumbers({ task, alert, users }: { task: Task; alert: Alert | null; users: Users }) {
  const { org } = useSession();
  const api = useApi();
  const cal = calendarOf(org);
  const week = reviewWeek(task, alert, cal);
  const rep = users.find((u) => u.id === task.userId);
  const data = useLoad(async () => {
    const [activities, weekTargets, monthTargets, funnel] = await Promise.all([
      api.call("listActivities", { query: { userId: task.userId, from: week.start, to: week.end, limit: 500 } }),
      api.call("listTargets", { query: { scope: "rep", subjectId: task.userId, periodKind: "week", periodKey: week.key, metric: "revenue", level: "base" } }),
      api.call("listTargets", { query: { scope: "rep", subjectId: task.userId, periodKind: "month", metric: "revenue", level: "base" } }),
      api.call("funnel", { query: { userId: task.userId, from: week.start, to: week.end } }),
    ]);
    const stored = weekTargets.targets[0];
    return {
      activities: activities.activities.filter((a) => !a.deleted),
      target: stored ? stored.amount : weekShareOfMonths(monthTargets.targets, week, cal),
      derived: !stored,
      funnel,
    };
  }, [task.id]);

  if (data.error) return <ErrorNote error={data.error} />;
  if (!data.data) return <Loading />;
  const days = workingDaysIn(week, cal).length;
  const minimums = rep ? kpiMinimums(rep.seniority, org.settings.kpiOverrides, rep.rampPercent / 100) : null;
  const count = (kind: string) => data.data!.activities.filter((a) => a.kind === kind).length;
  const won = data.data.activities.filter((a) => a.kind === "won").reduce((n, a) => n + (a.amount ?? 0), 0);
  const target = data.data.target;
  return (
    <div class="week-numbers" data-testid="week-numbers">
      <p class="small">
        {t("console.alerts.week", [week.key, week.start, week.end, String(days)])}
      </p>
      <div class="table-wrap">
        <table class="table compact">
          <thead>
            <tr>
              <th scope="col">{t("console.alerts.kpi")}</th>
              <th scope="col" class="num">{t("console.alerts.done")}</th>
              <th scope="col" class="num">{t("console.alerts.required")}</th>
            </tr>
          </thead>
          <tbody>
            {BEHAVIOUR_KINDS.map((kind) => (
              <tr key={kind}>
                <th scope="row">{t(`kind.${kind}`)}</th>
                <td class="num">{count(kind)}</td>
                <td class="num">{minimums ? minimums[kind] * days : "–"}</td>
              </tr>
            ))}
            <tr>
              <th scope="row">{t("console.targets.revenue")}</th>
              <td class="num">{formatAmount(won, "revenue", locale(), 2)}</td>
              <td class="num">
                {data.data.derived && target > 0 ? "≈ " : ""}
                {formatAmount(target, "revenue", locale(), 2)}
                {target > 0 ? ` (${formatPercent(won / target, locale())})` : ""}
              </td>
            </tr>
          </tbody>
        </table>
      </div>
      <p class="small">
        {t("console.board.funnel")}: {data.data.funnel.stages.map((s) => `${t(`kind.${s.kind as "lead"}`)} ${s.count}`).join(" → ")}
      </p>
    </div>
  );
}
