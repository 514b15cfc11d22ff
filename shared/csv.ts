/**
 * CSV as RFC 4180 describes it, small and strict (pure; used by the export/import routes).
 *
 * Reading: fields separated by commas, records by CRLF, LF or CR; a field that starts with a quote is quoted and may hold
 * commas, quotes (doubled) and line breaks; a leading UTF-8 BOM is dropped; a line break at the very end does not start
 * another record; an empty line is a record with one empty field. Spaces are data, never trimmed. A quote inside an
 * unquoted field, or anything but a separator after a closing quote, is a syntax error naming the record — we would rather
 * refuse a file than guess what it meant.
 *
 * Writing: records end with CRLF (also the last one); a field is quoted only when it holds a quote, comma, CR or LF, so
 * `parseCsv(formatCsv(records))` gives `records` back for any records with at least one field each.
 */

export class CsvSyntaxError extends Error {
  constructor(
    message: string,
    /** 1-based record number (the header is record 1). */
    readonly record: number,
  ) {
    super(message);
    this.name = "CsvSyntaxError";
  }
}

const COMMA = 44;
const QUOTE = 34;
const CR = 13;
const LF = 10;

export function parseCsv(text: string): string[][] {
  const n = text.length;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const records: string[][] = [];
  if (i >= n) return records;
  let record: string[] = [];
  for (;;) {
    let field: string;
    if (text.charCodeAt(i) === QUOTE) {
      field = "";
      i += 1;
      for (;;) {
        const close = text.indexOf('"', i);
        if (close === -1) throw new CsvSyntaxError("unterminated quoted field", records.length + 1);
        field += text.slice(i, close);
        i = close + 1;
        if (text.charCodeAt(i) !== QUOTE) break;
        field += '"';
        i += 1;
      }
      const next = text.charCodeAt(i);
      if (i < n && next !== COMMA && next !== CR && next !== LF) {
        throw new CsvSyntaxError("unexpected text after a closing quote", records.length + 1);
      }
    } else {
      let end = i;
      for (; end < n; end++) {
        const c = text.charCodeAt(end);
        if (c === COMMA || c === CR || c === LF) break;
        if (c === QUOTE) throw new CsvSyntaxError("a quote inside an unquoted field (quote the whole field)", records.length + 1);
      }
      field = text.slice(i, end);
      i = end;
    }
    record.push(field);
    if (i >= n) {
      records.push(record);
      return records;
    }
    if (text.charCodeAt(i) === COMMA) {
      i += 1;
      continue;
    }
    i += text.charCodeAt(i) === CR && text.charCodeAt(i + 1) === LF ? 2 : 1;
    records.push(record);
    record = [];
    if (i >= n) return records;
  }
}

const NEEDS_QUOTES = /[",\r\n]/;

export function csvField(value: string): string {
  return NEEDS_QUOTES.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** Records → CSV text, CRLF after every record; `bom` prefixes U+FEFF so spreadsheet apps read UTF-8 (e.g. Chinese names). */
export function formatCsv(records: readonly (readonly string[])[], options: { bom?: boolean } = {}): string {
  let out = options.bom ? "\uFEFF" : "";
  for (const record of records) out += record.map(csvField).join(",") + "\r\n";
  return out;
}

/** One problem with an imported file: `row` is the 1-based data row (0 = the header or the file as a whole). */
export interface CsvProblem {
  row: number;
  column: string;
  message: string;
}

export interface CsvTableRow {
  /** 1-based data row number (the record after the header is row 1). */
  row: number;
  /** Cell by column name; optional columns missing from the header are absent. */
  values: Record<string, string>;
}

/**
 * Reads a CSV file with a header row into rows keyed by column name. Columns may come in any order; every `required`
 * column must be present, and any column that is neither required nor `optional` is a problem. Rows whose cells are
 * all empty are skipped (spreadsheets leave them), but still counted, so row numbers match the file.
 */
export function readCsvTable(
  text: string,
  columns: { required: readonly string[]; optional?: readonly string[] },
): { header: string[]; rows: CsvTableRow[]; problems: CsvProblem[] } {
  let records: string[][];
  try {
    records = parseCsv(text);
  } catch (error) {
    if (!(error instanceof CsvSyntaxError)) throw error;
    return { header: [], rows: [], problems: [{ row: Math.max(0, error.record - 1), column: "", message: error.message }] };
  }
  const [header, ...data] = records;
  if (!header || (header.length === 1 && header[0] === "")) {
    return { header: [], rows: [], problems: [{ row: 0, column: "", message: "the file is empty: expected a header row" }] };
  }
  const problems: CsvProblem[] = [];
  const known = new Set([...columns.required, ...(columns.optional ?? [])]);
  const seen = new Set<string>();
  for (const name of header) {
    if (seen.has(name)) problems.push({ row: 0, column: name, message: "duplicate column" });
    else if (!known.has(name)) problems.push({ row: 0, column: name, message: `unknown column (expected ${[...known].join(", ")})` });
    seen.add(name);
  }
  for (const name of columns.required) {
    if (!seen.has(name)) problems.push({ row: 0, column: name, message: "missing column" });
  }
  if (problems.length > 0) return { header, rows: [], problems };

  const rows: CsvTableRow[] = [];
  data.forEach((cells, index) => {
    const row = index + 1;
    if (cells.every((cell) => cell === "")) return;
    if (cells.length !== header.length) {
      problems.push({ row, column: "", message: `expected ${header.length} fields, got ${cells.length}` });
      return;
    }
    rows.push({ row, values: Object.fromEntries(header.map((name, i) => [name, cells[i]!])) });
  });
  return { header, rows, problems };
}
