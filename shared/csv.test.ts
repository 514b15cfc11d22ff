import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { CsvSyntaxError, csvField, formatCsv, parseCsv, readCsvTable } from "./csv";

describe("parseCsv", () => {
  test.each<[string, string, string[][]]>([
    ["empty input", "", []],
    ["only a BOM", "\uFEFF", []],
    ["one field", "a", [["a"]]],
    ["simple records, CRLF", "a,b\r\nc,d\r\n", [["a", "b"], ["c", "d"]]],
    ["LF line breaks", "a,b\nc,d\n", [["a", "b"], ["c", "d"]]],
    ["CR line breaks", "a,b\rc,d", [["a", "b"], ["c", "d"]]],
    ["no final line break", "a,b\r\nc,d", [["a", "b"], ["c", "d"]]],
    ["leading BOM is dropped", "\uFEFFname,amount\r\n", [["name", "amount"]]],
    ["empty fields", ",a,,\r\n", [["", "a", "", ""]]],
    ["trailing comma at end of input", "a,", [["a", ""]]],
    ["empty line in the middle is one empty field", "a\r\n\r\nb\r\n", [["a"], [""], ["b"]]],
    ["spaces are data", " a , b ", [[" a ", " b "]]],
    ["quoted comma", '"a,b",c', [["a,b", "c"]]],
    ["doubled quotes", '"say ""hi""",x', [['say "hi"', "x"]]],
    ["quoted empty field", '"",x', [["", "x"]]],
    ["CRLF inside quotes is kept", '"line1\r\nline2",x\r\n', [["line1\r\nline2", "x"]]],
    ["LF inside quotes is kept", '"a\nb"\n', [["a\nb"]]],
    ["quoted field at end of input", 'x,"y"', [["x", "y"]]],
    ["only a quote pair", '""""', [['"']]],
    ["Chinese text", "姓名,客户\r\n罗伯,\"华为, 深圳\"\r\n", [["姓名", "客户"], ["罗伯", "华为, 深圳"]]],
    ["emoji (surrogate pairs)", "👍,ok", [["👍", "ok"]]],
  ])("%s", (_name, text, records) => {
    expect(parseCsv(text)).toEqual(records);
  });

  test.each<[string, string, number]>([
    ["unterminated quote", 'a,b\r\n"open,c\r\n', 2],
    ["text after a closing quote", '"a"b,c', 1],
    ["quote inside an unquoted field", "a,b\r\nc,d\"e\r\n", 2],
    ["unterminated quote on the first record", '"', 1],
  ])("rejects %s, naming the record", (_name, text, record) => {
    let error: unknown;
    try {
      parseCsv(text);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CsvSyntaxError);
    expect((error as CsvSyntaxError).record).toBe(record);
  });
});

describe("formatCsv", () => {
  test.each<[string, string, string]>([
    ["plain", "abc", "abc"],
    ["empty", "", ""],
    ["comma", "a,b", '"a,b"'],
    ["quote", 'say "hi"', '"say ""hi"""'],
    ["line feed", "a\nb", '"a\nb"'],
    ["carriage return", "a\rb", '"a\rb"'],
    ["leading space is not quoted", " a", " a"],
    ["Chinese", "罗伯", "罗伯"],
  ])("quotes only when needed: %s", (_name, value, field) => {
    expect(csvField(value)).toBe(field);
  });

  test("ends every record with CRLF and can prefix a BOM", () => {
    expect(formatCsv([["a", "b"], ["c", "d,e"]])).toBe('a,b\r\nc,"d,e"\r\n');
    expect(formatCsv([["a"]], { bom: true })).toBe("\uFEFFa\r\n");
    expect(formatCsv([])).toBe("");
  });

  test("round-trips any records with at least one field", () => {
    const field = fc.string({ unit: fc.constantFrom("a", "b", " ", ",", '"', "\r", "\n", "罗", "😀") });
    fc.assert(
      fc.property(fc.array(fc.array(field, { minLength: 1, maxLength: 5 }), { maxLength: 8 }), fc.boolean(), (records, bom) => {
        expect(parseCsv(formatCsv(records, { bom }))).toEqual(records);
      }),
      { numRuns: 500 },
    );
  });
});

describe("readCsvTable", () => {
  const columns = { required: ["id", "amount"], optional: ["note"] };

  test("maps cells to columns in any order and numbers data rows from 1", () => {
    const { rows, problems } = readCsvTable("amount,id\r\n5,a\r\n7,b\r\n", columns);
    expect(problems).toEqual([]);
    expect(rows).toEqual([
      { row: 1, values: { amount: "5", id: "a" } },
      { row: 2, values: { amount: "7", id: "b" } },
    ]);
  });

  test("skips blank rows but keeps counting them", () => {
    const { rows } = readCsvTable("id,amount\r\n,\r\n\r\nx,1\r\n", columns);
    expect(rows).toEqual([{ row: 3, values: { id: "x", amount: "1" } }]);
  });

  test.each<[string, string, { row: number; column: string; message: string }[]]>([
    ["an empty file", "", [{ row: 0, column: "", message: "the file is empty: expected a header row" }]],
    ["a missing column", "id\r\n", [{ row: 0, column: "amount", message: "missing column" }]],
    ["a duplicate column", "id,amount,id\r\n", [{ row: 0, column: "id", message: "duplicate column" }]],
    ["an unknown column", "id,amount,org_id\r\n", [{ row: 0, column: "org_id", message: "unknown column (expected id, amount, note)" }]],
    ["a short row", "id,amount\r\na,1\r\nb\r\n", [{ row: 2, column: "", message: "expected 2 fields, got 1" }]],
    ["a syntax error", 'id,amount\r\na,1\r\n"b,2\r\n', [{ row: 2, column: "", message: "unterminated quoted field" }]],
  ])("reports %s", (_name, text, problems) => {
    expect(readCsvTable(text, columns).problems).toEqual(problems);
  });
});
