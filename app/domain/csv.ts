/**
 * CSV as spreadsheets write it (RFC 4180): quoted fields may hold commas, quotes ("") and line
 * breaks; lines end in CRLF or LF; Excel may put a byte-order mark first. Each record keeps the
 * line it starts on, so that problems can be reported where the user will look for them.
 *
 * Files written here are opened in spreadsheets, and a value a spreadsheet would run as a formula
 * (one starting with =, +, -, @, a tab or a carriage return: "CSV injection") is written as text,
 * with an apostrophe first, as spreadsheets mark text themselves. Numbers such as -0.4 stay numbers.
 * Reading takes that apostrophe off again, so a file exported here is imported unchanged.
 */
export interface CsvRecord {
  line: number;
  fields: string[];
}

export class CsvSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(`Line ${line}: ${message}`);
    this.name = "CsvSyntaxError";
  }
}

/** A formula's first character after any apostrophes, and one character more: a lone "-" is no formula. */
const FORMULA_START = /^'*[=+\-@\t\r]./s;
const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** The value as a spreadsheet will show it as text, never run it. */
export function asSpreadsheetText(value: string): string {
  return FORMULA_START.test(value) && !NUMBER.test(value) ? `'${value}` : value;
}

/** The value asSpreadsheetText was given: one apostrophe it put first is taken off. */
export function fromSpreadsheetText(field: string): string {
  return field.charCodeAt(0) === 39 && FORMULA_START.test(field) ? field.slice(1) : field;
}

export function parseCsv(text: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = "";
  let line = 1;
  let recordLine = 1;
  let quoted = false;
  let fieldStarted = false;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const endRecord = () => {
    fields.push(fromSpreadsheetText(field));
    // A blank line between records is not a record.
    if (!(fields.length === 1 && fields[0] === "")) records.push({ line: recordLine, fields });
    fields = [];
    field = "";
    fieldStarted = false;
  };
  for (; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else {
          quoted = false;
        }
      } else {
        if (ch === "\n") line++;
        field += ch;
      }
      continue;
    }
    if (ch === '"') {
      if (fieldStarted && field.trim() !== "") {
        throw new CsvSyntaxError("a quotation mark appears in the middle of an unquoted value; put the whole value in quotes and double the quotation mark", line);
      }
      field = "";
      quoted = true;
      fieldStarted = true;
    } else if (ch === ",") {
      fields.push(fromSpreadsheetText(field));
      field = "";
      fieldStarted = false;
    } else if (ch === "\r" || ch === "\n") {
      if (ch === "\r" && text[i + 1] === "\n") i++;
      endRecord();
      line++;
      recordLine = line;
    } else {
      field += ch;
      fieldStarted = true;
    }
  }
  if (quoted) throw new CsvSyntaxError("a quoted value is never closed (a quotation mark is missing)", recordLine);
  if (field !== "" || fields.length > 0) endRecord();
  return records;
}

function quote(raw: string): string {
  const value = asSpreadsheetText(raw);
  return /[",\r\n]/.test(value) || /^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Writes CSV with CRLF line ends, quoting only what needs it and formulas as text. */
export function formatCsv(rows: string[][]): string {
  return rows.map((r) => r.map(quote).join(",")).join("\r\n") + "\r\n";
}
