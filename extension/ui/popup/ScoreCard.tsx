import type { ProgressResponse } from "../../../shared/schemas/progress";
import { t } from "../../i18n";
import type { Fmt } from "./format";

/** Weighted score = result × weight + process × weight (70 / 30 by default), always with both parts shown. */
export function ScoreCard({ score, fmt }: { score: ProgressResponse["score"]; fmt: Fmt }) {
  const points = (value: number) => Math.round(value * 100);
  const resultWidth = `${Math.min(100, points(score.result.contribution))}%`;
  const processWidth = `${Math.min(100 - Math.min(100, points(score.result.contribution)), points(score.process.contribution))}%`;
  return (
    <section class="card" aria-labelledby="score-heading" data-testid="score">
      <div class="row spread">
        <h2 id="score-heading">{t("popup.score")}</h2>
        <span class="score-total" data-testid="score-total">
          {points(score.score)}
        </span>
      </div>
      <div class="stack-bar" role="presentation">
        <div class="stack-result" style={{ width: resultWidth }} />
        <div class="stack-process" style={{ width: processWidth }} />
      </div>
      <div class="score-parts small">
        <span data-testid="score-result">
          <i class="dot result" />
          {t("popup.scoreResult", [fmt.percent(score.result.completion), fmt.percent(score.result.weight), String(points(score.result.contribution))])}
        </span>
        <span data-testid="score-process">
          <i class="dot process" />
          {t("popup.scoreProcess", [fmt.percent(score.process.mean), fmt.percent(score.process.weight), String(points(score.process.contribution))])}
        </span>
      </div>
    </section>
  );
}
