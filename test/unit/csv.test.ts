import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CsvSyntaxError, formatCsv, parseCsv } from "~/domain/csv";

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
    const value = fc.string({ unit: fc.constantFrom("a", "ŵ", ",", '"', "\n", "\r\n", " ", "😀", "<", "&", "x") });
    fc.assert(
      fc.property(fc.array(fc.array(value, { minLength: 2, maxLength: 5 }), { minLength: 1, maxLength: 8 }), (rows) => {
        // A record made of one empty field is a blank line, which readers skip: give each row a key.
        const keyed = rows.map((r, i) => [`k${i}`, ...r]);
        expect(parseCsv(formatCsv(keyed)).map((r) => r.fields)).toEqual(keyed);
      }),
    );
  });
});
