import { useState } from "preact/hooks";
import { ACTIVITY_CSV_COLUMNS, CsvExportQuery, MAX_IMPORT_ROWS, TARGET_CSV_COLUMNS } from "../../../../shared/schemas/csv";
import { BackgroundError } from "../../../messages";
import { useApi } from "../api";
import { Button, Card, ErrorNote, PageTitle, SelectField, TextArea, TextField } from "../components";
import { ErrorsScope } from "../components";
import { check, serverFieldErrors, type FieldErrors } from "../forms";
import { asBackgroundError, useLoad } from "../hooks";
import { t } from "../t";

/**
 * CSV import with a row-by-row validation report before anything is written (the API's dry run: `?dryRun=1` checks
 * every row and writes nothing), then the import itself (all rows or none); and CSV exports to download.
 */

type Kind = "targets" | "activities";

export interface ImportProblem {
  row: number;
  column: string;
  message: string;
}

/** The problems of a refused import (400 validation_failed, details = [{ row, column, message }]). */
export function importProblems(error: unknown): ImportProblem[] | null {
  if (!(error instanceof BackgroundError) || error.code !== "validation_failed" || !Array.isArray(error.details)) return null;
  const rows = (error.details as Partial<ImportProblem>[]).filter((d) => typeof d?.row === "number" && typeof d.message === "string");
  return rows.length ? rows.map((d) => ({ row: d.row!, column: d.column ?? "", message: d.message! })) : null;
}

/** Saves text as a file through a temporary link (no download permission needed for a blob URL of our own page). */
export function download(filename: string, text: string, type = "text/csv;charset=utf-8"): void {
  // The BOM lets spreadsheet apps read UTF-8 (Chinese names) correctly.
  const url = URL.createObjectURL(new Blob([`\uFEFF${text.replace(/^\uFEFF/, "")}`], { type }));
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function ImportExportPage() {
  return (
    <div class="page">
      <PageTitle>{t("console.nav.import")}</PageTitle>
      <Importer />
      <Exporter />
    </div>
  );
}

type Report = { dryRun: boolean; rows: number; created: number; updated?: number; unchanged?: number; duplicates?: number };

function Importer() {
  const api = useApi();
  const [kind, setKind] = useState<Kind>("targets");
  const [text, setText] = useState("");
  const [fileName, setFileName] = useState<string | null>(null);
  const [checked, setChecked] = useState<{ text: string; kind: Kind; report: Report } | null>(null);
  const [problems, setProblems] = useState<ImportProblem[] | null>(null);
  const [done, setDone] = useState<Report | null>(null);
  const [failure, setFailure] = useState<BackgroundError | null>(null);
  const [busy, setBusy] = useState(false);

  const reset = () => {
    setChecked(null);
    setProblems(null);
    setDone(null);
    setFailure(null);
  };

  async function run(dryRun: boolean) {
    setBusy(true);
    setFailure(null);
    setProblems(null);
    if (dryRun) setDone(null);
    try {
      const options = { body: text, query: { dryRun: dryRun ? "1" : "0" } as const };
      const report: Report = kind === "targets" ? await api.call("importTargetsCsv", options) : await api.call("importActivitiesCsv", options);
      if (dryRun) setChecked({ text, kind, report });
      else {
        setDone(report);
        setChecked(null);
      }
    } catch (e) {
      const rows = importProblems(e);
      if (rows) setProblems(rows);
      else setFailure(asBackgroundError(e));
      setChecked(null);
    } finally {
      setBusy(false);
    }
  }

  const ready = checked !== null && checked.text === text && checked.kind === kind;
  const summary = (r: Report) =>
    kind === "targets"
      ? t("console.import.targetsReport", [String(r.rows), String(r.created), String(r.updated ?? 0), String(r.unchanged ?? 0)])
      : t("console.import.activitiesReport", [String(r.rows), String(r.created), String(r.duplicates ?? 0)]);
  const columns = kind === "targets" ? TARGET_CSV_COLUMNS : ACTIVITY_CSV_COLUMNS;

  return (
    <Card
      title={t("console.import.title")}
      testId="importer"
      actions={<Button onClick={() => download(`${kind}-template.csv`, `${columns.join(",")}\r\n`)}>{t("console.import.template")}</Button>}
    >
      <p class="muted small">{t("console.import.help", [String(MAX_IMPORT_ROWS)])}</p>
      <div class="form-grid">
        <SelectField
          label={t("console.import.kind")}
          name="import-kind"
          value={kind}
          onChange={(k) => {
            setKind(k);
            reset();
          }}
          options={(["targets", "activities"] as const).map((value) => ({ value, label: t(`console.import.kind_${value}`) }))}
        />
        <label class="field">
          <span>{t("console.import.file")}</span>
          <input
            type="file"
            accept=".csv,text/csv"
            data-testid="import-file"
            onChange={async (e) => {
              const file = e.currentTarget.files?.[0];
              if (!file) return;
              setFileName(file.name);
              setText(await file.text());
              reset();
            }}
          />
          {fileName ? <small class="muted">{fileName}</small> : null}
        </label>
      </div>
      <TextArea
        label={t("console.import.paste")}
        name="import-text"
        rows={6}
        value={text}
        onInput={(value) => {
          setText(value);
          reset();
        }}
        placeholder={columns.join(",")}
      />
      <div class="row wrap">
        <Button variant="primary" disabled={busy || text.trim() === ""} testId="import-check" onClick={() => void run(true)}>
          {t("console.import.check")}
        </Button>
        <Button disabled={busy || !ready} testId="import-run" onClick={() => void run(false)}>
          {ready ? t("console.import.runRows", [String(checked!.report.rows)]) : t("console.import.run")}
        </Button>
      </div>
      <ErrorNote error={failure} />
      {ready ? (
        <p class="ok" role="status" data-testid="import-checked">
          {t("console.import.checkedOk")} {summary(checked!.report)}
        </p>
      ) : null}
      {done ? (
        <p class="ok" role="status" data-testid="import-done">
          {t("console.import.imported")} {summary(done)}
        </p>
      ) : null}
      {problems ? (
        <div data-testid="import-problems">
          <p class="alert" role="alert">
            {t("console.import.problems", [String(problems.length)])}
          </p>
          <div class="table-wrap">
            <table class="table compact">
              <thead>
                <tr>
                  <th scope="col" class="num">{t("console.import.row")}</th>
                  <th scope="col">{t("console.import.column")}</th>
                  <th scope="col">{t("console.import.problem")}</th>
                </tr>
              </thead>
              <tbody>
                {problems.map((p, i) => (
                  <tr key={i} data-testid="import-problem">
                    <th scope="row" class="num">{p.row === 0 ? t("console.import.header") : p.row}</th>
                    <td>{p.column || "—"}</td>
                    <td>{p.message}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      ) : null}
    </Card>
  );
}

function Exporter() {
  const api = useApi();
  const users = useLoad(() => api.call("listUsers"), []);
  const [kind, setKind] = useState<Kind>("targets");
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const [userId, setUserId] = useState("");
  const [errors, setErrors] = useState<FieldErrors>({});
  const [failure, setFailure] = useState<BackgroundError | null>(null);
  const [busy, setBusy] = useState(false);
  const [last, setLast] = useState<{ name: string; rows: number } | null>(null);

  function run(event: Event) {
    event.preventDefault();
    const query = { ...(from ? { from } : {}), ...(to ? { to } : {}), ...(userId ? { userId } : {}) };
    const ok = check(CsvExportQuery, query);
    if (!ok.ok) return setErrors(ok.errors);
    setBusy(true);
    setErrors({});
    setFailure(null);
    const request = kind === "targets" ? api.call("exportTargetsCsv", { query }) : api.call("exportActivitiesCsv", { query });
    request
      .then((csv) => {
        const name = `${kind}${from ? `-${from}` : ""}${to ? `-${to}` : ""}.csv`;
        download(name, csv);
        setLast({ name, rows: Math.max(0, csv.trim().split(/\r?\n/).length - 1) });
      })
      .catch((e: unknown) => {
        setFailure(asBackgroundError(e));
        setErrors(serverFieldErrors(e));
      })
      .finally(() => setBusy(false));
  }

  return (
    <Card title={t("console.export.title")} testId="exporter">
      <ErrorsScope.Provider value={errors}>
<form onSubmit={run} noValidate class="form-grid">
        <SelectField
          label={t("console.import.kind")}
          name="export-kind"
          value={kind}
          onChange={setKind}
          options={(["targets", "activities"] as const).map((value) => ({ value, label: t(`console.import.kind_${value}`) }))}
        />
        <TextField label={t("console.export.from")} name="from" type="date" value={from} onInput={setFrom} error={errors.from} />
        <TextField label={t("console.export.to")} name="to" type="date" value={to} onInput={setTo} error={errors.to} />
        <SelectField
          label={t("console.export.user")}
          name="userId"
          value={userId}
          onChange={setUserId}
          options={[{ value: "", label: t("console.export.everyone") }, ...(users.data?.users ?? []).map((u) => ({ value: u.id, label: u.name }))]}
          error={errors.userId}
        />
        <div class="form-actions">
          <button type="submit" class="btn btn-primary" disabled={busy} data-testid="export-run">
            {t("console.export.download")}
          </button>
        </div>
      </form>
      </ErrorsScope.Provider>
      <ErrorNote error={failure} />
      {last ? (
        <p class="ok" role="status" data-testid="export-done">
          {t("console.export.done", [last.name, String(last.rows)])}
        </p>
      ) : null}
    </Card>
  );
}
