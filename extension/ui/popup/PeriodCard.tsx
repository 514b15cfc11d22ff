import type { ProgressResponse } from "../../../shared/schemas/progress";
import { tierText } from "../../features/texts";
import { t } from "../../i18n";
import { ProgressBar } from "../ProgressBar";
import { BAND_VAR, type Fmt } from "./format";
import { Icon } from "./Icon";

/** The period's completion, pace against the expected-to-date, required run-rate, next tier and streak. */
export function PeriodCard({ progress, fmt }: { progress: ProgressResponse; fmt: Fmt }) {
  const { period } = progress;
  const hasTarget = period.target > 0;
  const color = hasTarget ? BAND_VAR[period.band] : "var(--muted)";
  const runRateDigits = period.metric === "revenue" ? 0 : 1;
  return (
    <section class="card" aria-labelledby="period-heading" data-testid="period" data-band={period.band}>
      <div class="row spread">
        <h2 id="period-heading">{t(`period.${period.kind}`)}</h2>
        {hasTarget ? (
          <span class="headline" style={{ color }} data-testid="completion">
            {fmt.percent(period.completion)}
          </span>
        ) : (
          <span class="muted">{t("popup.noTarget")}</span>
        )}
      </div>
      {hasTarget && (
        <>
          <ProgressBar value={period.completion} marker={period.expectedToDate / period.target} color={color} />
          <div class="row spread small wrap">
            <span data-testid="period-amounts">
              {fmt.amount(period.actual, period.metric)} / {fmt.amount(period.target, period.metric)}
            </span>
            <span style={{ color }} class="strong" data-testid="pace">
              {period.pace === null
                ? t("badge.noPace")
                : `${t("popup.pace", [fmt.percent(period.pace)])} · ${t(`band.${period.band}`)}`}
            </span>
          </div>
          <div class="muted small" data-testid="run-rate">
            {period.actual >= period.target
              ? t("popup.targetMet")
              : period.requiredRunRate !== null && period.remainingWorkingDays > 0
                ? t("popup.runRate", [fmt.amount(period.requiredRunRate, period.metric, runRateDigits), String(period.remainingWorkingDays)])
                : null}
          </div>
        </>
      )}
      <div class="row spread small wrap facts-row">
        {progress.tierDistance && (
          <span class="tier" data-testid="tier-distance">
            <Icon name="target" /> {tierText(progress.tierDistance, fmt)}
          </span>
        )}
        <Streak streak={progress.streak} />
      </div>
    </section>
  );
}

export function Streak({ streak }: { streak: ProgressResponse["streak"] }) {
  if (streak.meets > 0)
    return (
      <span class="streak good" data-testid="streak" title={t("popup.streakMeetsHelp")}>
        <Icon name="flame" /> {t("popup.streakMeets", streak.meets, [String(streak.meets)])}
      </span>
    );
  if (streak.below > 0)
    return (
      <span class="streak bad" data-testid="streak" title={t("popup.streakBelowHelp")}>
        {t("popup.streakBelow", streak.below, [String(streak.below)])}
      </span>
    );
  return (
    <span class="streak muted" data-testid="streak">
      {t("popup.streakNone")}
    </span>
  );
}
