import { useMemo, useState } from "preact/hooks";
import { respreadRemaining } from "../../../../shared/domain/adjustment";
import { localDay } from "../../../../shared/domain/calendar";
import { annualTarget } from "../../../../shared/domain/decomposition";
import { ACTIVITY_KINDS } from "../../../../shared/domain/kinds";
import { ApplyDecomposeRequest, DecomposeRequest, UpdateTargetRequest, type Target } from "../../../../shared/schemas/targets";
import type { DecomposeRequest as DecomposeInput } from "../../../../shared/schemas/targets";
import type { RouteResponse } from "../../../../shared/api";
import { formatAmount } from "../../../features/format";
import { useApi, type ConsoleApi } from "../api";
import { Button, Card, Checkbox, Chip, ErrorNote, Group, Loading, PageTitle, SelectField, TextField } from "../components";
import { ErrorsScope } from "../components";
import { amountInput, check, parseAmount, serverFieldErrors, type FieldErrors } from "../forms";
import { asBackgroundError, useLoad } from "../hooks";
import { exactMonthWeights, type Plan } from "../plan";
import { PlanEditor, planFromPreview, serverSplitter, type Preview } from "../PlanEditor";
import { calendarOf, useSession } from "../session";
import { locale, t } from "../t";
import type { BackgroundError } from "../../../messages";

/**
 * Targets: plan a year from last year's actual × growth (or an amount), preview the decomposition as an editable
 * table, apply it (one atomic request; rep cells set by hand then become versions of their own), and see or adjust
 * any target in scope with its version history and the re-spread of what remains.
 */

const METRICS = ["revenue", ...ACTIVITY_KINDS] as const;
type Metric = (typeof METRICS)[number];

interface PlanDraft {
  year: string;
  scope: "org" | "team";
  teamId: string;
  metric: Metric;
  source: "growth" | "annual";
  lastYear: string;
  growth: string;
  annual: string;
  stretch: boolean;
  challenge: boolean;
  stretchPercent: string;
  challengePercent: string;
  split: "equal" | "seniority";
  reason: string;
}

export function metricLabel(metric: string): string {
  return metric === "revenue" ? t("console.targets.revenue") : t(`kind.${metric as "touch"}`);
}

/** The decompose request of a draft (the schema then says what is missing, field by field). */
export function planRequest(d: PlanDraft) {
  const money = (text: string) => (text.trim() === "" ? undefined : (parseAmount(text, d.metric) ?? Number.NaN));
  const percent = (text: string) => (text.trim() === "" ? undefined : Number(text.replace(",", ".")));
  const basis = (text: string) => {
    const p = percent(text);
    return p === undefined ? undefined : Math.round(p * 100);
  };
  return {
    year: Number(d.year),
    scope: d.scope,
    ...(d.scope === "team" ? { teamId: d.teamId || undefined } : {}),
    metric: d.metric,
    ...(d.source === "annual"
      ? { annual: money(d.annual) }
      : { lastYearActual: money(d.lastYear), growth: { percent: percent(d.growth) } }),
    repSplit: { mode: d.split },
    levels: ["base", ...(d.stretch ? ["stretch" as const] : []), ...(d.challenge ? ["challenge" as const] : [])] as ("base" | "stretch" | "challenge")[],
    ...(d.stretch || d.challenge ? { levelBasisPoints: { stretch: basis(d.stretchPercent), challenge: basis(d.challengePercent) } } : {}),
  };
}

export function TargetsPage() {
  const { user } = useSession();
  const api = useApi();
  const teams = useLoad(() => api.call("listTeams"), []);
  const users = useLoad(() => api.call("listUsers"), []);
  const [listTick, setListTick] = useState(0);

  if (teams.error || users.error) return <ErrorNote error={teams.error ?? users.error} />;
  if (!teams.data || !users.data) return <Loading />;
  return (
    <div class="page">
      <PageTitle>{t("console.nav.targets")}</PageTitle>
      <Planner teams={teams.data.teams} users={users.data.users} isAdmin={user.role === "admin"} onApplied={() => setListTick((n) => n + 1)} />
      <TargetList key={listTick} teams={teams.data.teams} users={users.data.users} />
    </div>
  );
}

type Teams = RouteResponse<"listTeams">["teams"];
type Users = RouteResponse<"listUsers">["users"];

function Planner({ teams, isAdmin, onApplied }: { teams: Teams; users: Users; isAdmin: boolean; onApplied: () => void }) {
  const { org, user } = useSession();
  const api = useApi();
  const cal = calendarOf(org);
  const thisYear = Number(localDay(Date.now(), cal).slice(0, 4));
  const [draft, setDraft] = useState<PlanDraft>({
    year: String(thisYear),
    scope: isAdmin ? "org" : "team",
    teamId: isAdmin ? "" : (user.teamId ?? teams[0]?.id ?? ""),
    metric: "revenue",
    source: "growth",
    lastYear: "",
    growth: "10",
    annual: "",
    stretch: false,
    challenge: false,
    stretchPercent: String(org.settings.levelBasisPoints.stretch / 100),
    challengePercent: String(org.settings.levelBasisPoints.challenge / 100),
    split: "equal",
    reason: "",
  });
  const weights = org.settings.seniorityWeights;
  const [errors, setErrors] = useState<FieldErrors>({});
  const [failure, setFailure] = useState<BackgroundError | null>(null);
  const [preview, setPreview] = useState<{ request: DecomposeInput; response: Preview } | null>(null);
  const [plan, setPlan] = useState<Plan | null>(null);
  const [busy, setBusy] = useState(false);
  const [applied, setApplied] = useState<{ created: number; updated: number; unchanged: number; overrides: number } | null>(null);
  const set = (patch: Partial<PlanDraft>) => setDraft((d) => ({ ...d, ...patch }));
  const splitter = useMemo(() => (preview ? serverSplitter(preview.response, cal) : undefined), [preview]);

  const computedAnnual = (() => {
    if (draft.source !== "growth") return null;
    const last = parseAmount(draft.lastYear, draft.metric);
    const growth = Number(draft.growth.replace(",", "."));
    if (last === null || draft.growth.trim() === "" || !Number.isFinite(growth)) return null;
    try {
      return annualTarget(last, { percent: growth });
    } catch {
      return null;
    }
  })();

  function runPreview(event: Event) {
    event.preventDefault();
    const body = planRequest(draft);
    const checked = check(DecomposeRequest, body);
    if (!checked.ok) return setErrors(checked.errors);
    setBusy(true);
    setErrors({});
    setFailure(null);
    setApplied(null);
    api
      .call("decomposeTargets", { body: checked.data })
      .then((response) => {
        setPreview({ request: checked.data, response });
        setPlan(planFromPreview(response));
        if (!draft.reason) {
          const why =
            draft.source === "growth" && computedAnnual !== null
              ? t("console.targets.reasonGrowth", [formatAmount(parseAmount(draft.lastYear, draft.metric)!, draft.metric, locale(), 2), draft.growth])
              : t("console.targets.reasonPlan", [draft.year]);
          set({ reason: why });
        }
      })
      .catch((e: unknown) => {
        setFailure(asBackgroundError(e));
        setErrors(serverFieldErrors(e));
      })
      .finally(() => setBusy(false));
  }

  async function apply() {
    if (!preview || !plan) return;
    const base = planFromPreview(preview.response);
    const monthsChanged = plan.months.some((m, i) => m !== base.months[i]);
    const { lastYearActual: _l, growth: _g, annual: _a, ...rest } = preview.request as Record<string, unknown>;
    const body = {
      ...rest,
      annual: plan.year,
      ...(monthsChanged ? { seasonality: { monthWeights: exactMonthWeights(plan.months) } } : {}),
      reps: preview.response.reps.map((r) => r.id),
      reason: draft.reason,
    };
    if (preview.response.reps.length === 0) delete (body as { reps?: unknown }).reps;
    const checked = check(ApplyDecomposeRequest, body);
    if (!checked.ok) return setErrors(checked.errors);
    setBusy(true);
    setErrors({});
    setFailure(null);
    try {
      const stored = await api.call("applyDecomposition", { body: checked.data });
      const overrides = await applyRepOverrides(api, stored, plan, draft.reason);
      setApplied({ created: stored.created, updated: stored.updated, unchanged: stored.unchanged, overrides });
      onApplied();
    } catch (e) {
      setFailure(asBackgroundError(e));
      setErrors(serverFieldErrors(e));
    } finally {
      setBusy(false);
    }
  }

  const teamOptions = teams.map((team) => ({ value: team.id, label: team.name }));
  return (
    <Card title={t("console.targets.plan")} testId="planner">
      <ErrorsScope.Provider value={errors}>
<form onSubmit={runPreview} noValidate class="form-grid">
        <TextField label={t("console.targets.year")} name="year" type="number" min={2000} max={2100} value={draft.year} onInput={(year) => set({ year })} error={errors.year} required />
        <SelectField
          label={t("console.targets.scope")}
          name="scope"
          value={draft.scope}
          onChange={(scope) => set({ scope })}
          options={[...(isAdmin ? [{ value: "org" as const, label: t("console.targets.scope_org") }] : []), { value: "team" as const, label: t("console.targets.scope_team") }]}
          error={errors.scope}
        />
        {draft.scope === "team" ? (
          <SelectField label={t("console.people.team")} name="teamId" value={draft.teamId} onChange={(teamId) => set({ teamId })} options={[{ value: "", label: "—" }, ...teamOptions]} error={errors.teamId} />
        ) : null}
        <SelectField
          label={t("console.targets.metric")}
          name="metric"
          value={draft.metric}
          onChange={(metric) => set({ metric })}
          options={METRICS.map((value) => ({ value, label: metricLabel(value) }))}
          error={errors.metric}
        />
        <Group legend={t("console.targets.source")}>
          <label class="check">
            <input type="radio" name="source" checked={draft.source === "growth"} onChange={() => set({ source: "growth" })} data-testid="source-growth" />
            <span>{t("console.targets.fromLastYear")}</span>
          </label>
          <label class="check">
            <input type="radio" name="source" checked={draft.source === "annual"} onChange={() => set({ source: "annual" })} data-testid="source-annual" />
            <span>{t("console.targets.givenAmount")}</span>
          </label>
        </Group>
        {draft.source === "growth" ? (
          <>
            <TextField
              label={t("console.targets.lastYear")}
              name="lastYearActual"
              inputMode="decimal"
              value={draft.lastYear}
              onInput={(lastYear) => set({ lastYear })}
              error={errors.lastYearActual}
              help={draft.metric === "revenue" ? t("console.targets.moneyHelp") : undefined}
              required
            />
            <TextField label={t("console.targets.growth")} name="growth" inputMode="decimal" value={draft.growth} onInput={(growth) => set({ growth })} error={errors.growth ?? errors["growth.percent"]} required />
            <p class="computed" data-testid="computed-annual" aria-live="polite">
              {computedAnnual !== null ? t("console.targets.annualIs", [formatAmount(computedAnnual, draft.metric, locale(), 2)]) : ""}
            </p>
          </>
        ) : (
          <TextField label={t("console.targets.annual")} name="annual" inputMode="decimal" value={draft.annual} onInput={(annual) => set({ annual })} error={errors.annual} required />
        )}
        <Group legend={t("console.targets.levels")} name="levels" error={errors.levels}>
          <Checkbox name="level-base" label={t("console.level.base")} checked disabled onChange={() => undefined} />
          <div class="row wrap">
            <Checkbox name="level-stretch" label={t("console.level.stretch")} checked={draft.stretch} onChange={(stretch) => set({ stretch })} />
            {draft.stretch ? (
              <TextField class="inline" label={t("console.targets.ofBase")} name="levelBasisPoints.stretch" type="number" value={draft.stretchPercent} onInput={(stretchPercent) => set({ stretchPercent })} error={errors["levelBasisPoints.stretch"]} />
            ) : null}
          </div>
          <div class="row wrap">
            <Checkbox name="level-challenge" label={t("console.level.challenge")} checked={draft.challenge} onChange={(challenge) => set({ challenge })} />
            {draft.challenge ? (
              <TextField class="inline" label={t("console.targets.ofBase")} name="levelBasisPoints.challenge" type="number" value={draft.challengePercent} onInput={(challengePercent) => set({ challengePercent })} error={errors["levelBasisPoints.challenge"]} />
            ) : null}
          </div>
        </Group>
        <SelectField
          label={t("console.targets.split")}
          name="repSplit"
          value={draft.split}
          onChange={(split) => set({ split })}
          options={(["equal", "seniority"] as const).map((value) => ({
            value,
            label: value === "seniority" ? t("console.targets.split_seniority", [String(weights.junior), String(weights.mid), String(weights.senior)]) : t("console.targets.split_equal"),
          }))}
          help={t("console.targets.splitHelp")}
          error={errors.repSplit ?? errors.reps}
        />
        <div class="form-actions">
          <button type="submit" class="btn btn-primary" disabled={busy} data-testid="plan-preview">
            {t("console.targets.preview")}
          </button>
        </div>
      </form>
      </ErrorsScope.Provider>
      <ErrorNote error={failure} />
      {preview && plan ? (
        <div class="plan-result">
          <p class="small muted" data-testid="plan-summary">
            {t("console.targets.planSummary", [String(preview.response.targetCount), String(preview.response.reps.length)])}
          </p>
          <PlanEditor preview={preview.response} plan={plan} onChange={setPlan} splitter={splitter} cal={cal} />
          <div class="row wrap apply-row">
            <TextField label={t("console.targets.reason")} name="reason" value={draft.reason} onInput={(reason) => set({ reason })} error={errors.reason} required class="grow" />
            <Button variant="primary" disabled={busy} testId="plan-apply" onClick={() => void apply()} class="align-end">
              {busy ? t("console.saving") : t("console.targets.apply")}
            </Button>
            <Button class="align-end" disabled={busy} onClick={() => setPlan(planFromPreview(preview.response))}>
              {t("console.targets.resetEdits")}
            </Button>
          </div>
          {applied ? (
            <p class="ok" role="status" data-testid="plan-applied">
              {t("console.targets.applied", [String(applied.created), String(applied.updated), String(applied.unchanged), String(applied.overrides)])}
            </p>
          ) : null}
        </div>
      ) : null}
    </Card>
  );
}

/**
 * Rep cells set by hand: the API stores the plan's split rule, so each rep month that differs from the table gets a
 * new version with the same reason (optimistic concurrency on the version just stored). Returns how many changed.
 */
async function applyRepOverrides(api: ConsoleApi, stored: RouteResponse<"applyDecomposition">, plan: Plan, reason: string): Promise<number> {
  const base = stored.levels.find((l) => l.level === "base");
  if (!base || stored.reps.length === 0) return 0;
  const months = base.quarters.flatMap((q) => q.months);
  const wanted: { repId: string; key: string; amount: number }[] = [];
  months.forEach((month, m) => {
    stored.reps.forEach((rep, r) => {
      const amount = plan.reps[m]?.[r];
      const current = month.reps.find((x) => x.repId === rep.id)?.amount;
      if (amount !== undefined && amount !== current) wanted.push({ repId: rep.id, key: month.key, amount });
    });
  });
  if (wanted.length === 0) return 0;
  const { targets } = await api.call("listTargets", { query: { scope: "rep", metric: stored.metric, periodKind: "month", level: "base", limit: 5000 } });
  for (const w of wanted) {
    const target = targets.find((x) => x.subjectId === w.repId && x.periodKey === w.key);
    if (!target) continue;
    await api.call("updateTarget", { params: { id: target.id }, body: { amount: w.amount, reason, expectedVersion: target.version } });
  }
  return wanted.length;
}

function TargetList({ teams, users }: { teams: Teams; users: Users }) {
  const { org } = useSession();
  const api = useApi();
  const [periodKind, setPeriodKind] = useState<"year" | "quarter" | "month" | "week">("year");
  const [scope, setScope] = useState<"" | "org" | "team" | "rep">("");
  const list = useLoad(() => api.call("listTargets", { query: { periodKind, ...(scope ? { scope } : {}), limit: 1000 } }), [periodKind, scope]);
  const [selected, setSelected] = useState<Target | null>(null);
  const subject = (target: Target) =>
    target.scope === "org" ? org.name : target.scope === "team" ? (teams.find((x) => x.id === target.subjectId)?.name ?? target.subjectId) : (users.find((u) => u.id === target.subjectId)?.name ?? target.subjectId);

  return (
    <Card title={t("console.targets.list")} testId="target-list">
      <div class="row wrap">
        <SelectField
          label={t("console.targets.periodKind")}
          name="list-periodKind"
          value={periodKind}
          onChange={setPeriodKind}
          options={(["year", "quarter", "month", "week"] as const).map((value) => ({ value, label: t(`console.periodKind.${value}`) }))}
        />
        <SelectField
          label={t("console.targets.scope")}
          name="list-scope"
          value={scope}
          onChange={setScope}
          options={[{ value: "" as const, label: t("console.all") }, ...(["org", "team", "rep"] as const).map((value) => ({ value, label: t(`console.targets.scope_${value}`) }))]}
        />
      </div>
      <ErrorNote error={list.error} />
      {!list.data ? (
        <Loading />
      ) : list.data.targets.length === 0 ? (
        <p class="muted">{t("console.targets.none")}</p>
      ) : (
        <div class="table-wrap">
          <table class="table">
            <thead>
              <tr>
                <th scope="col">{t("console.targets.period")}</th>
                <th scope="col">{t("console.targets.subject")}</th>
                <th scope="col">{t("console.targets.metric")}</th>
                <th scope="col">{t("console.targets.level")}</th>
                <th scope="col" class="num">{t("console.targets.amount")}</th>
                <th scope="col" class="num">{t("console.targets.version")}</th>
                <th scope="col">{t("console.actions")}</th>
              </tr>
            </thead>
            <tbody>
              {list.data.targets.map((target) => (
                <tr key={target.id} data-testid={`target-${target.scope}-${target.periodKey}-${target.level}`} data-subject={subject(target)}>
                  <th scope="row">{target.periodKey}</th>
                  <td>
                    {subject(target)} <span class="muted small">({t(`console.targets.scope_${target.scope}`)})</span>
                  </td>
                  <td>{metricLabel(target.metric)}</td>
                  <td>{t(`console.level.${target.level}`)}</td>
                  <td class="num">{formatAmount(target.amount, target.metric, locale(), 2)}</td>
                  <td class="num">v{target.version}</td>
                  <td>
                    <Button class="small" aria-label={t("console.targets.openNamed", [target.periodKey, subject(target)])} onClick={() => setSelected(target)}>
                      {t("console.targets.history")}
                    </Button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {selected ? (
        <TargetDetail
          key={selected.id}
          target={selected}
          subject={subject(selected)}
          users={users}
          onChanged={(next) => {
            setSelected(next);
            list.reload();
          }}
          onClose={() => setSelected(null)}
        />
      ) : null}
    </Card>
  );
}

/** What a rep already achieved in a period: won amounts (revenue) or the count of the metric's events. */
async function achievedSoFar(api: ConsoleApi, target: Target, today: string): Promise<number> {
  const to = today < target.periodEnd ? today : target.periodEnd;
  const kind = target.metric === "revenue" ? "won" : target.metric;
  let total = 0;
  let cursor: string | undefined;
  for (let page = 0; page < 40; page++) {
    const res = await api.call("listActivities", { query: { userId: target.subjectId, from: target.periodStart, to, kind, limit: 500, ...(cursor ? { cursor } : {}) } });
    for (const a of res.activities) if (!a.deleted) total += target.metric === "revenue" ? (a.amount ?? 0) : 1;
    if (!res.nextCursor) break;
    cursor = res.nextCursor;
  }
  return total;
}

function TargetDetail(props: { target: Target; subject: string; users: Users; onChanged: (target: Target) => void; onClose: () => void }) {
  const { org } = useSession();
  const api = useApi();
  const cal = calendarOf(org);
  const target = props.target;
  const versions = useLoad(() => api.call("targetVersions", { params: { id: target.id } }), [target.id, target.version]);
  const today = localDay(Date.now(), cal);
  const achieved = useLoad(() => (target.scope === "rep" ? achievedSoFar(api, target, today) : Promise.resolve(null)), [target.id]);
  const [amount, setAmount] = useState(amountInput(target.amount, target.metric));
  const [reason, setReason] = useState("");
  const [errors, setErrors] = useState<FieldErrors>({});
  const [failure, setFailure] = useState<BackgroundError | null>(null);
  const [result, setResult] = useState<RouteResponse<"updateTarget"> | null>(null);
  const [busy, setBusy] = useState(false);
  const fmt = (value: number) => formatAmount(value, target.metric, locale(), 2);
  const author = (id: string | null) => (id ? (props.users.find((u) => u.id === id)?.name ?? id) : "—");
  const newAmount = parseAmount(amount, target.metric);
  const midPeriod = today >= target.periodStart && today <= target.periodEnd;

  const preview =
    target.scope === "rep" && newAmount !== null && achieved.data !== null && achieved.data !== undefined
      ? respreadRemaining({ target: newAmount, achieved: achieved.data, period: { start: target.periodStart, end: target.periodEnd }, now: Date.now(), cal })
      : null;

  function submit(event: Event) {
    event.preventDefault();
    const body = { amount: newAmount ?? Number.NaN, reason, expectedVersion: target.version };
    const checked = check(UpdateTargetRequest, body);
    if (!checked.ok) return setErrors(checked.errors);
    setBusy(true);
    setErrors({});
    setFailure(null);
    api
      .call("updateTarget", { params: { id: target.id }, body })
      .then((res) => {
        setResult(res);
        setReason("");
        props.onChanged(res.target);
      })
      .catch((e: unknown) => {
        setFailure(asBackgroundError(e));
        setErrors(serverFieldErrors(e));
      })
      .finally(() => setBusy(false));
  }

  const spread = result?.adjustment ?? (preview ? { achieved: achieved.data!, ...preview } : null);
  return (
    <div class="detail" data-testid="target-detail">
      <div class="row spread">
        <h3>
          {target.periodKey} · {props.subject} · {t(`console.level.${target.level}`)}
        </h3>
        <Button onClick={props.onClose}>{t("console.close")}</Button>
      </div>
      <div class="grid-2">
        <div>
          <h4>{t("console.targets.versions")}</h4>
          <ErrorNote error={versions.error} />
          {versions.data ? (
            <div class="table-wrap">
              <table class="table compact" data-testid="version-history">
                <thead>
                  <tr>
                    <th scope="col">{t("console.targets.version")}</th>
                    <th scope="col" class="num">{t("console.targets.amount")}</th>
                    <th scope="col">{t("console.targets.reason")}</th>
                    <th scope="col">{t("console.targets.author")}</th>
                    <th scope="col">{t("console.targets.effective")}</th>
                  </tr>
                </thead>
                <tbody>
                  {[...versions.data.versions].reverse().map((v) => (
                    <tr key={v.version}>
                      <th scope="row">
                        v{v.version} {versions.data!.inEffect === v.version ? <Chip tone="green">{t("console.targets.inEffect")}</Chip> : null}
                      </th>
                      <td class="num">{fmt(v.amount)}</td>
                      <td>{v.reason}</td>
                      <td>{author(v.authorId)}</td>
                      <td>{v.effectiveFrom}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : (
            <Loading />
          )}
        </div>
        <ErrorsScope.Provider value={errors}>
<form onSubmit={submit} noValidate>
          <h4>{t("console.targets.adjust")}</h4>
          <TextField label={t("console.targets.newAmount")} name="amount" inputMode="decimal" value={amount} onInput={setAmount} error={errors.amount} required />
          <TextField label={t("console.targets.reason")} name="reason" value={reason} onInput={setReason} error={errors.reason} required />
          <ErrorNote error={failure} />
          <button type="submit" class="btn btn-primary" disabled={busy} data-testid="adjust-save">
            {t("console.targets.saveVersion")}
          </button>
          {target.scope === "rep" && spread ? (
            <div class="respread" data-testid="respread">
              <p class="small">
                {result ? t("console.targets.respreadDone") : t("console.targets.respreadPreview")}{" "}
                {t("console.targets.respreadFacts", [fmt(spread.achieved), fmt(spread.remaining), String(spread.perDay.length)])}
                {spread.unallocated > 0 ? ` ${t("console.targets.unallocated", [fmt(spread.unallocated)])}` : ""}
              </p>
              {!midPeriod && !result ? <p class="muted small">{t("console.targets.notCurrent")}</p> : null}
              {spread.perDay.length > 0 ? (
                <div class="table-wrap">
                  <table class="table compact">
                    <thead>
                      <tr>
                        <th scope="col">{t("console.targets.day")}</th>
                        <th scope="col" class="num">{t("console.targets.perDay")}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {spread.perDay.map((d) => (
                        <tr key={d.day}>
                          <th scope="row">{d.day}</th>
                          <td class="num">{fmt(d.amount)}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              ) : null}
            </div>
          ) : target.scope !== "rep" ? (
            <p class="muted small">{t("console.targets.respreadReps")}</p>
          ) : null}
        </form>
        </ErrorsScope.Provider>
      </div>
    </div>
  );
}
