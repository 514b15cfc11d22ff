import type { RecentEvent } from "../../messages";
import { t } from "../../i18n";
import type { Fmt } from "./format";

/** How many recent events the popup lists with an undo button. */
export const RECENT_SHOWN = 3;

/**
 * The latest own events with undo. A queued event can always be undone (it simply leaves the outbox); a sent one
 * while the org's undo window lasts (counted from delivery, which is when the server stored it). The server has the
 * last word: a late undo answers 409 and the popup says so.
 */
export function RecentCard(props: {
  recent: RecentEvent[];
  now: number;
  undoWindowMinutes: number | null;
  busy: ReadonlySet<string>;
  fmt: Fmt;
  onUndo: (event: RecentEvent) => void;
}) {
  const windowMs = (props.undoWindowMinutes ?? 10) * 60_000;
  const undoable = (e: RecentEvent) => e.status === "queued" || (e.deliveredAt !== null && props.now - e.deliveredAt < windowMs);
  const shown = props.recent.filter(undoable).slice(0, RECENT_SHOWN);
  if (shown.length === 0) return null;
  return (
    <section class="card recent" aria-labelledby="recent-heading" data-testid="recent">
      <h2 id="recent-heading" class="visually-hidden">
        {t("popup.recent")}
      </h2>
      <ul>
        {shown.map((event) => (
          <li key={event.clientEventId} class="row spread" data-testid="recent-event" data-kind={event.kind} data-status={event.status}>
            <span class="recent-text">
              <strong>{t(`kindShort.${event.kind}`)}</strong>
              {event.amount !== undefined && <span> · {props.fmt.amount(event.amount, "revenue", 2)}</span>}
              {event.customer && <span class="muted"> · {event.customer}</span>}
              <span class="muted small"> · {props.fmt.time(event.occurredAt)}</span>
              {event.status === "queued" && <span class="chip">{t("popup.queued")}</span>}
            </span>
            <button
              type="button"
              class="link"
              data-testid="undo"
              disabled={props.busy.has(event.clientEventId)}
              aria-label={t("popup.undoLabel", [t(`kindShort.${event.kind}`), props.fmt.time(event.occurredAt)])}
              onClick={() => props.onUndo(event)}
            >
              {t("popup.undo")}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
