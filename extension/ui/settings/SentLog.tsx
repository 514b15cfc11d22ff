import { useEffect, useState } from "preact/hooks";
import { browser } from "#imports";
import { makeFmt } from "../popup/format";
import { t } from "../../i18n";
import { sendToBackground, type ExtensionState, type SentLogEntry } from "../../messages";

/**
 * "What was sent": the latest events this device holds for the paired user — exactly the fields that go to the
 * server (kind, time, optional customer label, source) and what became of each (waiting, stored, refused, undone).
 */
export function SentLog({ state }: { state: ExtensionState }) {
  const [entries, setEntries] = useState<SentLogEntry[] | null>(null);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = () => void sendToBackground({ type: "sentLog" }).then(setEntries, () => setEntries([]));
    const onChanged = (_changes: unknown, area: string) => {
      if (area !== "local") return;
      clearTimeout(timer);
      timer = setTimeout(load, 150);
    };
    load();
    browser.storage.onChanged.addListener(onChanged);
    return () => {
      clearTimeout(timer);
      browser.storage.onChanged.removeListener(onChanged);
    };
  }, [state.user?.id]);
  const fmt = makeFmt(state.org);
  const when = new Intl.DateTimeFormat(fmt.locale, {
    month: "numeric",
    day: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    ...(state.org ? { timeZone: state.org.timeZone } : {}),
  });
  return (
    <section class="card" data-testid="sent-log">
      <h2>{t("options.sentHeading")}</h2>
      <p class="muted small">{t("options.sentHelp")}</p>
      {entries === null ? null : entries.length === 0 ? (
        <p class="muted" data-testid="sent-empty">
          {t("options.sentEmpty")}
        </p>
      ) : (
        <div class="table-scroll">
          <table class="sent-table">
            <thead>
              <tr>
                <th scope="col">{t("options.sentTime")}</th>
                <th scope="col">{t("options.sentKind")}</th>
                <th scope="col">{t("options.sentLabel")}</th>
                <th scope="col">{t("options.sentSource")}</th>
                <th scope="col">{t("options.sentStatus")}</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((entry) => (
                <tr key={entry.clientEventId} data-testid="sent-row" data-status={entry.status} data-source={entry.source}>
                  <td class="nowrap">{when.format(Date.parse(entry.occurredAt))}</td>
                  <td>
                    {t(`kindShort.${entry.kind as "touch"}`)}
                    {entry.amount !== undefined && <span class="muted"> · {fmt.amount(entry.amount, "revenue", 2)}</span>}
                  </td>
                  <td>{entry.customer ?? <span class="muted">–</span>}</td>
                  <td>{t(`source.${entry.source as "popup"}`)}</td>
                  <td class={`status ${entry.status}`}>{t(`sentStatus.${entry.status}`)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
