import { useMemo, useState } from "preact/hooks";
import { BEHAVIOUR_KINDS, SENIORITIES, type BehaviourKind, type Seniority } from "../../../../shared/domain/kinds";
import { DEFAULT_KPI_BY_SENIORITY } from "../../../../shared/domain/kpi";
import { LANGUAGES, UpdateOrgRequest, type Org } from "../../../../shared/schemas/org";
import { useApi } from "../api";
import { Button, Card, Checkbox, ErrorNote, Group, PageTitle, SelectField, TextField } from "../components";
import { ErrorsScope } from "../components";
import { check, serverFieldErrors, unplaced, type FieldErrors } from "../forms";
import { asBackgroundError } from "../hooks";
import { MonthCalendar, toggleDay } from "../MonthCalendar";
import { useSession } from "../session";
import { locale, t } from "../t";
import type { BackgroundError } from "../../../messages";

/** Org settings (admin): calendar, language, KPI minimums, tiers, score weights, colour bands, privacy, silence. */

type KpiDraft = Record<Seniority, Record<BehaviourKind, string>>;

interface Draft {
  name: string;
  timeZone: string;
  weekStartsOn: number;
  workingWeekdays: number[];
  holidays: string[];
  makeupWorkdays: string[];
  language: Org["language"];
  kpis: KpiDraft;
  tiers: { id: string; percent: string }[];
  resultWeight: string;
  processWeight: string;
  red: string;
  yellow: string;
  privacy: Org["settings"]["leaderboardPrivacy"];
  silenceDays: string;
  undoMinutes: string;
  stretch: string;
  challenge: string;
  weights: Record<Seniority, string>;
}

export const LANGUAGE_NAMES: Record<Org["language"], string> = { en: "English", "zh-CN": "简体中文", "zh-TW": "繁體中文" };

function draftOf(org: Org): Draft {
  const kpis = {} as KpiDraft;
  for (const s of SENIORITIES) {
    kpis[s] = {} as Record<BehaviourKind, string>;
    for (const k of BEHAVIOUR_KINDS) kpis[s][k] = String(org.settings.kpiOverrides[s]?.[k] ?? DEFAULT_KPI_BY_SENIORITY[s][k]);
  }
  return {
    name: org.name,
    timeZone: org.timeZone,
    weekStartsOn: org.weekStartsOn,
    workingWeekdays: [...org.workingWeekdays],
    holidays: [...org.holidays],
    makeupWorkdays: [...org.makeupWorkdays],
    language: org.language,
    kpis,
    tiers: org.settings.tiers.map((tier) => ({ id: tier.id, percent: String(tier.percent) })),
    resultWeight: String(org.settings.scoreWeights.result),
    processWeight: String(org.settings.scoreWeights.process),
    red: String(Math.round(org.settings.colourBands.red * 100)),
    yellow: String(Math.round(org.settings.colourBands.yellow * 100)),
    privacy: org.settings.leaderboardPrivacy,
    silenceDays: String(org.settings.keyCustomerSilenceDays),
    undoMinutes: String(org.settings.undoWindowMinutes),
    stretch: String(org.settings.levelBasisPoints.stretch / 100),
    challenge: String(org.settings.levelBasisPoints.challenge / 100),
    weights: {
      junior: String(org.settings.seniorityWeights.junior),
      mid: String(org.settings.seniorityWeights.mid),
      senior: String(org.settings.seniorityWeights.senior),
    },
  };
}

/** "" → undefined (so the schema says "required"), otherwise the number as typed (the schema checks it). */
const num = (text: string): number | undefined => (text.trim() === "" ? undefined : Number(text.trim()));

/** The PATCH body: KPI overrides only where they differ from the seed table, so later default changes still apply. */
export function requestOf(d: Draft) {
  const kpiOverrides: Record<string, Record<string, number | undefined>> = {};
  for (const s of SENIORITIES) {
    for (const k of BEHAVIOUR_KINDS) {
      const value = num(d.kpis[s][k]);
      if (value !== DEFAULT_KPI_BY_SENIORITY[s][k]) (kpiOverrides[s] ??= {})[k] = value;
    }
  }
  const red = num(d.red);
  const basis = (text: string) => {
    const percent = num(text);
    return percent === undefined ? undefined : Math.round(percent * 100);
  };
  const yellow = num(d.yellow);
  return {
    name: d.name,
    timeZone: d.timeZone.trim(),
    weekStartsOn: d.weekStartsOn,
    workingWeekdays: [...d.workingWeekdays].sort(),
    holidays: d.holidays,
    makeupWorkdays: d.makeupWorkdays,
    language: d.language,
    settings: {
      kpiOverrides,
      tiers: d.tiers.map((tier) => ({ id: tier.id.trim(), percent: num(tier.percent) })),
      scoreWeights: { result: num(d.resultWeight), process: num(d.processWeight) },
      colourBands: { red: red === undefined ? undefined : red / 100, yellow: yellow === undefined ? undefined : yellow / 100 },
      leaderboardPrivacy: d.privacy,
      keyCustomerSilenceDays: num(d.silenceDays),
      undoWindowMinutes: num(d.undoMinutes),
      levelBasisPoints: { stretch: basis(d.stretch), challenge: basis(d.challenge) },
      seniorityWeights: { junior: num(d.weights.junior), mid: num(d.weights.mid), senior: num(d.weights.senior) },
    },
  };
}

const SHOWN_FIELDS = ["name", "timeZone", "weekStartsOn", "workingWeekdays", "holidays", "makeupWorkdays", "language", "settings"];

export function SettingsPage() {
  const { org, setOrg } = useSession();
  const api = useApi();
  const [draft, setDraft] = useState<Draft>(() => draftOf(org));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [failure, setFailure] = useState<BackgroundError | null>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  const [month, setMonth] = useState(() => new Date().toISOString().slice(0, 7));
  const timeZones = useMemo(() => (typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : []), []);

  const update = (patch: Partial<Draft>) => {
    setDraft((d) => ({ ...d, ...patch }));
    setSaved(false);
  };
  const err = (path: string) => errors[path];
  const weekdayName = (w: number) => new Intl.DateTimeFormat(locale(), { weekday: "long", timeZone: "UTC" }).format(new Date(Date.UTC(2023, 0, 1 + w)));

  function save(event: Event) {
    event.preventDefault();
    const body = requestOf(draft);
    const checked = check(UpdateOrgRequest, body);
    const colourOrder: FieldErrors =
      checked.ok && body.settings.colourBands.red! > body.settings.colourBands.yellow! ? { "settings.colourBands.red": t("console.settings.bandOrder") } : {};
    if (!checked.ok || Object.keys(colourOrder).length) {
      setErrors({ ...(checked.ok ? {} : checked.errors), ...colourOrder });
      return;
    }
    setBusy(true);
    setErrors({});
    setFailure(null);
    api
      .call("updateOrg", { body: checked.data })
      .then((next) => {
        setOrg(next);
        setDraft(draftOf(next));
        setSaved(true);
      })
      .catch((e: unknown) => {
        setFailure(asBackgroundError(e));
        setErrors(serverFieldErrors(e));
      })
      .finally(() => setBusy(false));
  }

  const weekdays = Array.from({ length: 7 }, (_, i) => (draft.weekStartsOn + i) % 7);
  const yearOf = month.slice(0, 4);
  const holidaysThisYear = draft.holidays.filter((d) => d.startsWith(yearOf)).length;
  const makeupThisYear = draft.makeupWorkdays.filter((d) => d.startsWith(yearOf)).length;
  const leftover = unplaced(errors, SHOWN_FIELDS);

  return (
    <ErrorsScope.Provider value={errors}>
    <form class="page" onSubmit={save} noValidate data-testid="settings-form">
      <PageTitle
        actions={
          <button type="submit" class="btn btn-primary" disabled={busy}>
            {busy ? t("console.saving") : t("console.save")}
          </button>
        }
      >
        {t("console.nav.settings")}
      </PageTitle>
      <div class="grid-2">
        <Card title={t("console.settings.general")}>
          <TextField label={t("console.settings.name")} name="name" value={draft.name} onInput={(name) => update({ name })} error={err("name")} required />
          <SelectField
            label={t("console.settings.language")}
            name="language"
            value={draft.language}
            onChange={(language) => update({ language })}
            options={LANGUAGES.map((value) => ({ value, label: LANGUAGE_NAMES[value] }))}
            help={t("console.settings.languageHelp")}
            error={err("language")}
          />
          <TextField
            label={t("console.settings.timeZone")}
            name="timeZone"
            value={draft.timeZone}
            onInput={(timeZone) => update({ timeZone })}
            list="time-zones"
            help={t("console.settings.timeZoneHelp")}
            error={err("timeZone")}
            required
          />
          <datalist id="time-zones">
            {timeZones.map((zone) => (
              <option key={zone} value={zone} />
            ))}
          </datalist>
          <SelectField
            label={t("console.settings.weekStart")}
            name="weekStartsOn"
            value={String(draft.weekStartsOn)}
            onChange={(v) => update({ weekStartsOn: Number(v) })}
            options={[1, 0, 6].map((w) => ({ value: String(w), label: weekdayName(w) }))}
            error={err("weekStartsOn")}
          />
          <Group legend={t("console.settings.workingDays")} error={err("workingWeekdays")} name="workingWeekdays">
            <div class="row wrap">
              {weekdays.map((w) => (
                <Checkbox
                  key={w}
                  name={`weekday-${w}`}
                  label={weekdayName(w)}
                  checked={draft.workingWeekdays.includes(w)}
                  onChange={(on) => update({ workingWeekdays: on ? [...draft.workingWeekdays, w] : draft.workingWeekdays.filter((d) => d !== w) })}
                />
              ))}
            </div>
          </Group>
        </Card>

        <Card title={t("console.settings.calendar")}>
          <MonthCalendar
            month={month}
            onMonth={setMonth}
            weekStartsOn={draft.weekStartsOn}
            workingWeekdays={draft.workingWeekdays}
            holidays={draft.holidays}
            makeupWorkdays={draft.makeupWorkdays}
            onToggle={(day) => update(toggleDay(day, draft))}
          />
          <p class="small" data-testid="calendar-summary">
            {t("console.settings.exceptions", [yearOf, String(holidaysThisYear), String(makeupThisYear)])}
          </p>
          {err("holidays") || err("makeupWorkdays") ? (
            <small class="error" data-testid="error-makeupWorkdays">
              {err("holidays") ?? err("makeupWorkdays")}
            </small>
          ) : null}
        </Card>
      </div>

      <Card title={t("console.settings.kpis")}>
        <p class="muted small">{t("console.settings.kpisHelp")}</p>
        <div class="table-wrap">
          <table class="table">
            <caption class="sr-only">{t("console.settings.kpis")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("console.people.seniority")}</th>
                {BEHAVIOUR_KINDS.map((k) => (
                  <th scope="col" key={k}>
                    {t(`kind.${k}`)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {SENIORITIES.map((s) => (
                <tr key={s}>
                  <th scope="row">{t(`console.seniority.${s}`)}</th>
                  {BEHAVIOUR_KINDS.map((k) => {
                    const path = `settings.kpiOverrides.${s}.${k}`;
                    const changed = num(draft.kpis[s][k]) !== DEFAULT_KPI_BY_SENIORITY[s][k];
                    return (
                      <td key={k}>
                        <input
                          class={`num ${changed ? "changed" : ""}`}
                          type="number"
                          min={0}
                          max={1000}
                          inputMode="numeric"
                          value={draft.kpis[s][k]}
                          aria-label={`${t(`console.seniority.${s}`)} · ${t(`kind.${k}`)}`}
                          aria-invalid={err(path) ? true : undefined}
                          title={t("console.settings.kpiDefault", [String(DEFAULT_KPI_BY_SENIORITY[s][k])])}
                          data-testid={`field-${path}`}
                          onInput={(e) => update({ kpis: { ...draft.kpis, [s]: { ...draft.kpis[s], [k]: e.currentTarget.value } } })}
                        />
                        {err(path) ? <small class="error block">{err(path)}</small> : null}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <Button onClick={() => update({ kpis: draftOf({ ...org, settings: { ...org.settings, kpiOverrides: {} } }).kpis })}>{t("console.settings.kpiReset")}</Button>
      </Card>

      <div class="grid-2">
        <Card title={t("console.settings.tiers")}>
          <p class="muted small">{t("console.settings.tiersHelp")}</p>
          <div class="tiers">
            {draft.tiers.map((tier, i) => (
              <div class="row wrap tier align-bottom" key={i}>
                <TextField
                  label={t("console.settings.tierId")}
                  name={`settings.tiers.${i}.id`}
                  value={tier.id}
                  onInput={(id) => update({ tiers: draft.tiers.map((x, j) => (j === i ? { ...x, id } : x)) })}
                  error={err(`settings.tiers.${i}.id`)}
                />
                <TextField
                  label={t("console.settings.tierPercent")}
                  name={`settings.tiers.${i}.percent`}
                  type="number"
                  min={1}
                  max={1000}
                  value={tier.percent}
                  onInput={(percent) => update({ tiers: draft.tiers.map((x, j) => (j === i ? { ...x, percent } : x)) })}
                  error={err(`settings.tiers.${i}.percent`)}
                />
                <Button
                  class="align-end"
                  aria-label={t("console.settings.tierRemove", [tier.id || String(i + 1)])}
                  disabled={draft.tiers.length <= 1}
                  onClick={() => update({ tiers: draft.tiers.filter((_, j) => j !== i) })}
                >
                  ✕
                </Button>
              </div>
            ))}
          </div>
          {err("settings.tiers") ? <small class="error">{err("settings.tiers")}</small> : null}
          <Button
            disabled={draft.tiers.length >= 10}
            onClick={() => update({ tiers: [...draft.tiers, { id: `tier${draft.tiers.length + 1}`, percent: "120" }] })}
          >
            {t("console.settings.tierAdd")}
          </Button>
        </Card>

        <Card title={t("console.settings.scoring")}>
          <div class="row wrap">
            <TextField
              label={t("console.settings.resultWeight")}
              name="settings.scoreWeights.result"
              type="number"
              min={0}
              max={100}
              value={draft.resultWeight}
              onInput={(resultWeight) => update({ resultWeight, processWeight: resultWeight.trim() === "" ? draft.processWeight : String(100 - Number(resultWeight)) })}
              error={err("settings.scoreWeights.result") ?? err("settings.scoreWeights")}
            />
            <TextField
              label={t("console.settings.processWeight")}
              name="settings.scoreWeights.process"
              type="number"
              min={0}
              max={100}
              value={draft.processWeight}
              onInput={(processWeight) => update({ processWeight })}
              error={err("settings.scoreWeights.process")}
            />
          </div>
          <div class="row wrap">
            <TextField
              label={t("console.settings.red")}
              name="settings.colourBands.red"
              type="number"
              min={0}
              max={1000}
              value={draft.red}
              onInput={(red) => update({ red })}
              help={t("console.settings.redHelp")}
              error={err("settings.colourBands.red") ?? err("settings.colourBands")}
            />
            <TextField
              label={t("console.settings.yellow")}
              name="settings.colourBands.yellow"
              type="number"
              min={0}
              max={1000}
              value={draft.yellow}
              onInput={(yellow) => update({ yellow })}
              help={t("console.settings.yellowHelp")}
              error={err("settings.colourBands.yellow")}
            />
          </div>
          <Group legend={t("console.settings.privacy")} name="settings.leaderboardPrivacy" error={err("settings.leaderboardPrivacy")}>
            {(["full", "neighbours", "self"] as const).map((mode) => (
              <label class="check" key={mode}>
                <input type="radio" name="privacy" value={mode} checked={draft.privacy === mode} data-testid={`privacy-${mode}`} onChange={() => update({ privacy: mode })} />
                <span>{t(`console.settings.privacy_${mode}`)}</span>
              </label>
            ))}
          </Group>
          <div class="row wrap">
            <TextField
              label={t("console.settings.silence")}
              name="settings.keyCustomerSilenceDays"
              type="number"
              min={1}
              max={365}
              value={draft.silenceDays}
              onInput={(silenceDays) => update({ silenceDays })}
              help={t("console.settings.silenceHelp")}
              error={err("settings.keyCustomerSilenceDays")}
            />
            <TextField
              label={t("console.settings.undo")}
              name="settings.undoWindowMinutes"
              type="number"
              min={0}
              max={1440}
              value={draft.undoMinutes}
              onInput={(undoMinutes) => update({ undoMinutes })}
              error={err("settings.undoWindowMinutes")}
            />
          </div>
        </Card>
      </div>

      <Card title={t("console.settings.targetDefaults")}>
        <p class="muted small">{t("console.settings.targetDefaultsHelp")}</p>
        <div class="form-grid">
          <TextField
            label={t("console.settings.stretchDefault")}
            name="settings.levelBasisPoints.stretch"
            type="number"
            min={100}
            max={1000}
            value={draft.stretch}
            onInput={(stretch) => update({ stretch })}
            error={err("settings.levelBasisPoints.stretch") ?? err("settings.levelBasisPoints")}
          />
          <TextField
            label={t("console.settings.challengeDefault")}
            name="settings.levelBasisPoints.challenge"
            type="number"
            min={100}
            max={1000}
            value={draft.challenge}
            onInput={(challenge) => update({ challenge })}
            error={err("settings.levelBasisPoints.challenge")}
          />
          {SENIORITIES.map((s) => (
            <TextField
              key={s}
              label={t(`console.settings.weight_${s}`)}
              name={`settings.seniorityWeights.${s}`}
              type="number"
              min={0}
              value={draft.weights[s]}
              onInput={(value) => update({ weights: { ...draft.weights, [s]: value } })}
              error={err(`settings.seniorityWeights.${s}`) ?? (s === "junior" ? err("settings.seniorityWeights") : undefined)}
            />
          ))}
        </div>
      </Card>

      <div class="savebar">
        {leftover.map((message) => (
          <p class="alert" role="alert" key={message}>
            {message}
          </p>
        ))}
        <ErrorNote error={failure} />
        {saved ? (
          <p class="ok" role="status" data-testid="settings-saved">
            {t("console.saved")}
          </p>
        ) : null}
        <button type="submit" class="btn btn-primary" disabled={busy} data-testid="settings-save">
          {busy ? t("console.saving") : t("console.save")}
        </button>
      </div>
    </form>
    </ErrorsScope.Provider>
  );
}
