import { t } from "../../i18n";
import type { Insights } from "../../storage";
import type { Fmt } from "./format";

/** The month's ranking by % of own target, as the server filtered it for the org's privacy mode. */
export function Leaderboard({ board, fmt, limit = 10 }: { board: NonNullable<Insights["leaderboard"]>; fmt: Fmt; limit?: number }) {
  const viewer = board.rows.find((r) => r.isViewer);
  const top = board.rows.slice(0, limit);
  const rows = viewer && !top.includes(viewer) ? [...top, viewer] : top;
  return (
    <section class="card" aria-labelledby="board-heading" data-testid="leaderboard" data-privacy={board.privacy}>
      <div class="row spread">
        <h2 id="board-heading">{t("popup.leaderboard")}</h2>
        <span class="muted small">{t(`privacy.${board.privacy}`)}</span>
      </div>
      {rows.length === 0 ? (
        <p class="muted small">{t("popup.noRanking")}</p>
      ) : (
        <ol class="board">
          {rows.map((row) => (
            <li key={row.userId} class={row.isViewer ? "me" : ""} data-testid="board-row">
              <span class="rank">{row.rank}</span>
              <span class="grow ellipsis">{row.isViewer ? t("popup.you", [row.name]) : row.name}</span>
              <span class="num">{fmt.percent(row.completion)}</span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
