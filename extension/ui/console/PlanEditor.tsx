import { Fragment } from "preact";
import { useMemo, useState } from "preact/hooks";
import { workingDaysIn, type OrgCalendar } from "../../../shared/domain/calendar";
import { allocateToReps, decomposeYear, targetLevels, type RepShareInput, type RepSplit } from "../../../shared/domain/decomposition";
import type { RouteResponse } from "../../../shared/api";
import { formatAmount } from "../../features/format";
import { amountInput, parseAmount } from "./forms";
import { editCell, planProblems, repTotals, type Cell, type Plan, type RepSplitter } from "./plan";
import { locale, t } from "./t";

/**
 * The decomposition preview as an editable table: year → quarters → months, and each month's split among the reps.
 * Editing a cell re-spreads the difference over its siblings (plan.ts), so every total stays exact; weeks follow from
 * the months and the working days, computed with the same rules as the API (shared/domain/decomposition.ts).
 */

export type Preview = RouteResponse<"decomposeTargets">;
export type LevelName = Preview["levels"][number]["level"];

export function planFromPreview(preview: Preview, level: LevelName = "base"): Plan {
  const found = preview.levels.find((l) => l.level === level) ?? preview.levels[0]!;
  const months = found.quarters.flatMap((q) => q.months);
  const repIds = preview.reps.map((r) => r.id);
  return {
    year: found.annual,
    quarters: found.quarters.map((q) => q.amount),
    months: months.map((m) => m.amount),
    reps: months.map((m) => repIds.map((id) => m.reps.find((r) => r.repId === id)?.amount ?? 0)),
    repEdited: months.map(() => false),
  };
}

/** The API's rule for a month's rep split (the plan's weights × ramp × share of the month worked), for months not set by hand. */
export function serverSplitter(preview: Preview, cal: OrgCalendar): RepSplitter {
  const split = preview.repSplit;
  const inputs: RepShareInput[] = preview.reps.map((r) => ({
    repId: r.id,
    seniority: r.seniority,
    ramp: r.rampPercent / 100,
    ...(r.hireDate ? { hiredOn: r.hireDate } : {}),
    ...(split.mode === "explicit" ? { weight: split.weights[r.id] ?? 0 } : {}),
  }));
  const rule: RepSplit = split.mode === "seniority" ? { mode: "seniority", weights: split.weights } : { mode: split.mode };
  const months = preview.levels[0]!.quarters.flatMap((q) => q.months);
  return (month, amount) => {
    const period = { start: months[month]!.start, end: months[month]!.end };
    return allocateToReps(amount, inputs, rule, { period, cal }).map((share) => share.amount);
  };
}

/** Weeks of a plan (full weeks are stored by apply; partial ones reach into another year). */
export function weeksOf(plan: Plan, year: number, cal: OrgCalendar) {
  return decomposeYear({ year, annual: plan.year, cal, monthWeights: plan.months }).weeks;
}

/** A read-only plan for stretch or challenge: the level's annual split by the base plan's months and the split rule. */
export function levelPlan(base: Plan, amount: number, year: number, cal: OrgCalendar, splitter: RepSplitter): Plan {
  const plan = decomposeYear({ year, annual: amount, cal, monthWeights: base.months });
  const months = plan.quarters.flatMap((q) => q.months.map((m) => m.amount));
  return {
    year: amount,
    quarters: plan.quarters.map((q) => q.amount),
    months,
    reps: months.map((m, i) => (base.reps[i]!.length === 0 ? [] : splitter(i, m))),
    repEdited: months.map(() => false),
  };
}

export interface PlanEditorProps {
  preview: Preview;
  plan: Plan;
  onChange: (plan: Plan) => void;
  splitter?: RepSplitter;
  cal: OrgCalendar;
}

export function PlanEditor({ preview, plan, onChange, splitter, cal }: PlanEditorProps) {
  const [level, setLevel] = useState<LevelName>("base");
  const [open, setOpen] = useState<boolean[]>([true, false, false, false]);
  const [cellErrors, setCellErrors] = useState<Record<string, string>>({});
  const metric = preview.metric;
  const months = preview.levels[0]!.quarters.flatMap((q) => q.months);
  const levels = preview.levels.map((l) => l.level);
  const shown = useMemo(() => {
    if (level === "base") return plan;
    const amounts = targetLevels(plan.year, preview.levelBasisPoints);
    return levelPlan(plan, amounts[level], preview.year, cal, splitter ?? ((_m, amount) => [amount]));
  }, [plan, level]);
  const weeks = useMemo(() => weeksOf(shown, preview.year, cal), [shown]);
  const problems = planProblems(shown);
  const totals = repTotals(shown);
  const editable = level === "base";
  const fmt = (value: number) => formatAmount(value, metric, locale(), 2);
  const monthName = (index: number) =>
    new Intl.DateTimeFormat(locale(), { month: "long", timeZone: "UTC" }).format(new Date(Date.UTC(preview.year, index, 1)));

  function commit(cell: Cell, key: string, text: string) {
    const value = parseAmount(text, metric);
    if (value === null) return setCellErrors((e) => ({ ...e, [key]: t("console.targets.notAmount") }));
    const result = editCell(plan, cell, value, splitter);
    if (!result.ok) {
      const message =
        result.reason === "above_parent"
          ? t("console.targets.aboveParent", [fmt(result.max!)])
          : result.reason === "only_child"
            ? t("console.targets.onlyRep")
            : t("console.targets.notAmount");
      return setCellErrors((e) => ({ ...e, [key]: message }));
    }
    setCellErrors((e) => {
      const { [key]: _dropped, ...rest } = e;
      return rest;
    });
    onChange(result.plan);
  }

  const amountCell = (cell: Cell, key: string, value: number, label: string) => {
    if (!editable) return <span class="num">{fmt(value)}</span>;
    const error = cellErrors[key];
    return (
      <>
        <AmountInput raw={amountInput(value, metric)} display={fmt(value)} label={label} testId={`cell-${key}`} invalid={!!error} describedBy={error ? `err-${key}` : undefined} onCommit={(text) => commit(cell, key, text)} />
        {error ? (
          <small class="error block" id={`err-${key}`} role="alert" data-testid={`cell-error-${key}`}>
            {error}
          </small>
        ) : null}
      </>
    );
  };

  return (
    <div class="plan-editor" data-testid="plan-editor">
      {levels.length > 1 ? (
        <div class="tabs" role="group" aria-label={t("console.targets.level")}>
          {levels.map((l) => (
            <button key={l} type="button" aria-pressed={level === l} class="tab" data-testid={`level-${l}`} onClick={() => setLevel(l)}>
              {t(`console.level.${l}`)}
            </button>
          ))}
        </div>
      ) : null}
      {!editable ? <p class="muted small">{t("console.targets.levelFollows")}</p> : null}
      <p class={problems.length ? "alert" : "ok small"} data-testid="plan-status" role="status">
        {problems.length ? problems.join("; ") : t("console.targets.totalsExact")}
      </p>
      <div class="table-wrap">
        <table class="table plan-table">
          <caption class="sr-only">{t("console.targets.planCaption", [String(preview.year)])}</caption>
          <thead>
            <tr>
              <th scope="col">{t("console.targets.period")}</th>
              <th scope="col" class="num">{t("console.targets.workingDays")}</th>
              <th scope="col" class="num">{t("console.targets.amount")}</th>
              {preview.reps.map((r) => (
                <th scope="col" class="num" key={r.id}>
                  {r.name}
                  {r.rampPercent < 100 ? <span class="muted small"> · {r.rampPercent} %</span> : null}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            <tr class="row-year">
              <th scope="row">{preview.year}</th>
              <td class="num">{months.reduce((n, m) => n + m.workingDays, 0)}</td>
              <td>{amountCell({ kind: "year" }, "year", shown.year, t("console.targets.yearAmount", [String(preview.year)]))}</td>
              {totals.map((total, r) => (
                <td class="num" key={r} data-testid={`rep-total-${preview.reps[r]!.id}`}>
                  {fmt(total)}
                </td>
              ))}
            </tr>
            {shown.quarters.map((amount, q) => (
              <Fragment key={`q${q}`}>
                <tr class="row-quarter">
                  <th scope="row">
                    <button
                      type="button"
                      class="disclosure"
                      aria-expanded={open[q]}
                      aria-label={t("console.targets.toggleQuarter", [`Q${q + 1}`])}
                      onClick={() => setOpen(open.map((o, i) => (i === q ? !o : o)))}
                    >
                      {open[q] ? "▾" : "▸"}
                    </button>{" "}
                    Q{q + 1}
                  </th>
                  <td class="num">{months.slice(q * 3, q * 3 + 3).reduce((n, m) => n + m.workingDays, 0)}</td>
                  <td>{amountCell({ kind: "quarter", quarter: q }, `${preview.year}-Q${q + 1}`, amount, `${preview.year} Q${q + 1}`)}</td>
                  {preview.reps.map((r, ri) => (
                    <td class="num" key={r.id}>
                      {fmt([0, 1, 2].reduce((n, i) => n + (shown.reps[q * 3 + i]![ri] ?? 0), 0))}
                    </td>
                  ))}
                </tr>
                {open[q]
                  ? [0, 1, 2].map((i) => {
                      const m = q * 3 + i;
                      const key = months[m]!.key;
                      return (
                        <tr class={`row-month ${shown.repEdited[m] ? "edited" : ""}`} key={key}>
                          <th scope="row" class="indent">
                            {monthName(m)}
                          </th>
                          <td class="num">{months[m]!.workingDays}</td>
                          <td>{amountCell({ kind: "month", month: m }, key, shown.months[m]!, `${monthName(m)} ${preview.year}`)}</td>
                          {preview.reps.map((r, ri) => (
                            <td key={r.id}>
                              {amountCell({ kind: "rep", month: m, rep: ri }, `${key}-${r.id}`, shown.reps[m]![ri]!, `${monthName(m)} ${preview.year} · ${r.name}`)}
                            </td>
                          ))}
                        </tr>
                      );
                    })
                  : null}
              </Fragment>
            ))}
          </tbody>
        </table>
      </div>

      <details class="weeks">
        <summary>{t("console.targets.weeks", [String(weeks.filter((w) => !w.partial).length)])}</summary>
        <div class="table-wrap">
          <table class="table compact">
            <thead>
              <tr>
                <th scope="col">{t("console.targets.week")}</th>
                <th scope="col">{t("console.targets.from")}</th>
                <th scope="col">{t("console.targets.to")}</th>
                <th scope="col" class="num">{t("console.targets.workingDays")}</th>
                <th scope="col" class="num">{t("console.targets.amount")}</th>
              </tr>
            </thead>
            <tbody>
              {weeks.map((w) => (
                <tr key={w.period.key} class={w.partial ? "muted" : ""}>
                  <th scope="row">
                    {w.period.key}
                    {w.partial ? <span class="small"> · {t("console.targets.partialWeek")}</span> : null}
                  </th>
                  <td>{w.period.start}</td>
                  <td>{w.period.end}</td>
                  <td class="num">{workingDaysIn(w.period, cal).length}</td>
                  <td class="num">{fmt(w.amount)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </div>
  );
}

/** An amount cell: shown formatted (grouping is accepted when typed); commits on blur or Enter, Escape restores. */
function AmountInput(props: { raw: string; display: string; label: string; testId: string; invalid: boolean; describedBy: string | undefined; onCommit: (text: string) => void }) {
  const [text, setText] = useState<string | null>(null);
  const shown = text ?? props.display;
  const commit = () => {
    if (text !== null && text !== props.display && text !== props.raw) props.onCommit(text);
    setText(null);
  };
  return (
    <input
      class="num cell"
      inputMode="decimal"
      value={shown}
      aria-label={props.label}
      aria-invalid={props.invalid ? true : undefined}
      aria-describedby={props.describedBy}
      data-testid={props.testId}
      onInput={(e) => setText(e.currentTarget.value)}
      onBlur={commit}
      onKeyDown={(e) => {
        if (e.key === "Enter") {
          e.preventDefault();
          commit();
        } else if (e.key === "Escape") {
          setText(null);
        }
      }}
    />
  );
}
