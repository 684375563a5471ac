import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { asSpreadsheetText, CsvSyntaxError, formatCsv, parseCsv } from "~/domain/csv";
import { CsvStreamReader } from "~/domain/csv-stream";

describe("reading CSV", () => {
  it("reads quoted values with commas, doubled quotes and line breaks, and keeps each record's first line", () => {
    const text = 'ref,title\r\n1.1,"Approve the budget, annually"\r\n1.2,"The ""reserved"" matters"\n1.3,"Two\nlines"\n1.4,plain\n';
    const records = parseCsv(text);
    expect(records.map((r) => r.fields)).toEqual([
      ["ref", "title"],
      ["1.1", "Approve the budget, annually"],
      ["1.2", 'The "reserved" matters'],
      ["1.3", "Two\nlines"],
      ["1.4", "plain"],
    ]);
    expect(records.map((r) => r.line)).toEqual([1, 2, 3, 4, 6]);
  });

  it("ignores a byte-order mark and blank lines, and keeps empty fields", () => {
    expect(parseCsv("\uFEFFa,b\n\n,x,\n").map((r) => r.fields)).toEqual([["a", "b"], ["", "x", ""]]);
  });

  it("reports an unclosed quotation mark with the line where the value began", () => {
    expect(() => parseCsv('a,b\n1,"never closed\n2,3\n')).toThrow(CsvSyntaxError);
    try {
      parseCsv('a,b\n1,"never closed\n2,3\n');
    } catch (e) {
      expect((e as CsvSyntaxError).line).toBe(2);
    }
  });

  it("reports a stray quotation mark inside an unquoted value", () => {
    expect(() => parseCsv('a,b\n1,ab"c\n')).toThrow(/Line 2/);
  });

  it("reads back exactly what it writes, whatever the text", () => {
    const value = fc.string({ unit: fc.constantFrom("a", "ŵ", ",", '"', "\n", "\r\n", " ", "😀", "<", "&", "x", "=", "+", "-", "@", "'", "\t", "1", ".") });
    fc.assert(
      fc.property(fc.array(fc.array(value, { minLength: 2, maxLength: 5 }), { minLength: 1, maxLength: 8 }), (rows) => {
        // A record made of one empty field is a blank line, which readers skip: give each row a key.
        const keyed = rows.map((r, i) => [`k${i}`, ...r]);
        expect(parseCsv(formatCsv(keyed)).map((r) => r.fields)).toEqual(keyed);
      }),
    );
  });
});

describe("formulas in files opened in spreadsheets", () => {
  const written = (value: string) => formatCsv([[value]]).replace(/\r\n$/, "");

  it("writes a value a spreadsheet would run as text, with an apostrophe first", () => {
    for (const formula of ['=HYPERLINK("http://evil.example","Click")', "+1+1", "-2+3", "@SUM(A1:A9)", "\t=1", "\r=1", "'=already marked"]) {
      expect(written(formula)).toMatch(/^"?'/);
    }
    expect(formatCsv([["=1+1", "@x"]])).toBe("'=1+1,'@x\r\n");
  });

  it("leaves numbers, a lone sign and ordinary text as they are", () => {
    for (const value of ["-0.4", "+12", "-3e5", ".5", "-", "=", "Budget - annual", "a=b", "2024-09-01", ""]) expect(asSpreadsheetText(value)).toBe(value);
  });

  it("reads a marked formula back as it was, whole or piece by piece, and a spreadsheet's own apostrophe before a number stays", () => {
    const text = formatCsv([["=SUM(A1)", "-x", "'+y", "-1"], ["'-5", "'plain", "ok", "@"]]);
    expect(parseCsv(text).map((r) => r.fields)).toEqual([
      ["=SUM(A1)", "-x", "'+y", "-1"],
      ["'-5", "'plain", "ok", "@"],
    ]);
    const records: unknown[] = [];
    const reader = new CsvStreamReader((r) => records.push(r));
    reader.write(text.slice(0, 7));
    reader.write(text.slice(7));
    reader.end();
    expect(records).toEqual(parseCsv(text));
  });
});
