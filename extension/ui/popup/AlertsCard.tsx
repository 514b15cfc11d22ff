import { useState } from "preact/hooks";
import { alertText } from "../../features/texts";
import { t } from "../../i18n";
import type { Insights } from "../../storage";
import type { Fmt } from "./format";
import { Icon } from "./Icon";

type Alert = Pick<Insights["alerts"][number], "id" | "userId" | "level" | "rule" | "status" | "openedAt">;
type Task = Insights["tasks"][number];

export type AlertAction = "acknowledge" | "resolve";

/**
 * Open alerts and coaching tasks. Reps acknowledge their own alerts and see the tasks about them; managers,
 * directors and admins also resolve alerts and complete tasks with a note (`names` shows whose they are).
 */
export function AlertsCard(props: {
  alerts: Alert[];
  tasks: Task[];
  fmt: Fmt;
  now: number;
  leader: boolean;
  names?: ReadonlyMap<string, string>;
  busy: ReadonlySet<string>;
  onAlert: (alert: Alert, action: AlertAction) => void;
  onCompleteTask?: (task: Task, note: string) => void;
  /** At most this many alerts and this many tasks; the rest is counted ("3 more"). */
  limit?: number;
}) {
  const limit = props.limit ?? 5;
  const { fmt } = props;
  const alerts = props.alerts.slice(0, limit);
  const tasks = props.tasks.slice(0, limit);
  const hidden = props.alerts.length - alerts.length + (props.tasks.length - tasks.length);
  if (props.alerts.length === 0 && props.tasks.length === 0) {
    return props.leader ? (
      <section class="card" data-testid="alerts">
        <h2>{t("popup.alertsAndTasks")}</h2>
        <p class="muted small">{t("popup.noAlerts")}</p>
      </section>
    ) : null;
  }
  const who = (userId: string) => (props.names ? `${props.names.get(userId) ?? "?"} · ` : "");
  return (
    <section class="card" aria-labelledby="alerts-heading" data-testid="alerts">
      <h2 id="alerts-heading">{t("popup.alertsAndTasks")}</h2>
      <ul class="alert-list">
        {alerts.map((alert) => (
          <li key={alert.id} data-testid="alert" data-level={alert.level} data-status={alert.status}>
            <div class="row">
              <i class={`level-dot ${alert.level}`} title={t(`level.${alert.level}`)} />
              <span class="grow">
                <span class="strong">{who(alert.userId)}</span>
                {alertText(alert, fmt.t)}
              </span>
            </div>
            <div class="row meta">
              <span class="muted small">
                {fmt.agoShort(props.now - Date.parse(alert.openedAt))}
                {alert.status === "acknowledged" ? ` · ${t("popup.acknowledged")}` : ""}
              </span>
              <span class="actions">
              {alert.status === "open" && (
                <button type="button" class="link" data-testid="alert-acknowledge" disabled={props.busy.has(alert.id)} onClick={() => props.onAlert(alert, "acknowledge")}>
                  {t("popup.acknowledge")}
                </button>
              )}
              {props.leader && (
                <button type="button" class="link" data-testid="alert-resolve" disabled={props.busy.has(alert.id)} onClick={() => props.onAlert(alert, "resolve")}>
                  {t("popup.resolve")}
                </button>
              )}
              </span>
            </div>
          </li>
        ))}
        {tasks.map((task) => (
          <TaskItem key={task.id} task={task} who={who(task.userId)} fmt={fmt} busy={props.busy.has(task.id)} onComplete={props.onCompleteTask} />
        ))}
      </ul>
      {hidden > 0 && (
        <p class="muted small" data-testid="alerts-more">
          {t("popup.more", hidden, [String(hidden)])}
        </p>
      )}
    </section>
  );
}

function TaskItem(props: { task: Task; who: string; fmt: Fmt; busy: boolean; onComplete: ((task: Task, note: string) => void) | undefined }) {
  const { task } = props;
  const [note, setNote] = useState("");
  const [open, setOpen] = useState(false);
  return (
    <li data-testid="task" data-kind={task.kind}>
      <div class="row">
        <Icon name={task.kind === "review" ? "review" : "coach"} class="task-icon" />
        <span class="grow">
          <span class="strong">{props.who}</span>
          {t(`task.${task.kind}`)}
          {task.dueDay && <span class="muted small"> · {t("popup.due", [props.fmt.day(task.dueDay)])}</span>}
        </span>
        {props.onComplete && !open && (
          <button type="button" class="link" data-testid="task-open" onClick={() => setOpen(true)}>
            {t("popup.complete")}
          </button>
        )}
      </div>
      {props.onComplete && open && (
        <form
          class="task-form"
          onSubmit={(e) => {
            e.preventDefault();
            if (note.trim()) props.onComplete?.(task, note.trim());
          }}
        >
          <textarea
            rows={2}
            maxLength={2000}
            value={note}
            placeholder={t("popup.taskNote")}
            aria-label={t("popup.taskNote")}
            data-testid="task-note"
            onInput={(e) => setNote(e.currentTarget.value)}
          />
          <div class="row">
            <button type="submit" class="primary small-button" data-testid="task-complete" disabled={props.busy || note.trim() === ""}>
              {t("popup.completeTask")}
            </button>
            <button type="button" class="link" onClick={() => setOpen(false)}>
              {t("popup.cancel")}
            </button>
          </div>
        </form>
      )}
    </li>
  );
}
