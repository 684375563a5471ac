/**
 * CSV read piece by piece, for files too large to hold whole (the DfE register is about 60 MB).
 * It reads exactly as parseCsv in csv.ts does (same quoting, line numbers, byte-order mark, blank
 * lines, formulas written as text, and refusals), but hands each record on as soon as it is complete,
 * so the caller keeps only the records it wants.
 */
import { CsvSyntaxError, fromSpreadsheetText, type CsvRecord } from "./csv";

const SPECIAL = /[",\r\n]/g;

export class CsvStreamReader {
  private fields: string[] = [];
  private field = "";
  private line = 1;
  private recordLine = 1;
  private quoted = false;
  /** A quotation mark closed or escaped in the next piece: decided when that piece arrives. */
  private quoteAtEnd = false;
  private fieldStarted = false;
  /** A line ended with CR: a LF right after it (perhaps in the next piece) belongs to the same line end. */
  private afterCr = false;
  private started = false;

  constructor(private readonly onRecord: (record: CsvRecord) => void) {}

  write(text: string): void {
    let i = 0;
    if (!this.started && text.length > 0) {
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) i = 1;
    }
    if (this.quoteAtEnd && i < text.length) {
      this.quoteAtEnd = false;
      if (text[i] === '"') {
        this.field += '"';
        i++;
      } else {
        this.quoted = false;
      }
    }
    while (i < text.length) {
      if (this.afterCr) {
        this.afterCr = false;
        if (text[i] === "\n") {
          i++;
          continue;
        }
      }
      if (this.quoted) {
        i = this.readQuoted(text, i);
        continue;
      }
      // Whole runs of ordinary characters at once: the register is tens of megabytes.
      SPECIAL.lastIndex = i;
      const found = SPECIAL.exec(text);
      const stop = found ? found.index : text.length;
      if (stop > i) {
        this.field += text.slice(i, stop);
        this.fieldStarted = true;
      }
      if (!found) break;
      i = stop + 1;
      const ch = found[0];
      if (ch === '"') {
        if (this.fieldStarted && this.field.trim() !== "") {
          throw new CsvSyntaxError(
            "a quotation mark appears in the middle of an unquoted value; put the whole value in quotes and double the quotation mark",
            this.line,
          );
        }
        this.field = "";
        this.quoted = true;
        this.fieldStarted = true;
      } else if (ch === ",") {
        this.fields.push(fromSpreadsheetText(this.field));
        this.field = "";
        this.fieldStarted = false;
      } else {
        this.afterCr = ch === "\r";
        this.endRecord();
        this.line++;
        this.recordLine = this.line;
      }
    }
  }

  /** Reads inside quotation marks from `i`; returns where to go on. */
  private readQuoted(text: string, i: number): number {
    const quote = text.indexOf('"', i);
    const stop = quote === -1 ? text.length : quote;
    const piece = text.slice(i, stop);
    for (let n = piece.indexOf("\n"); n !== -1; n = piece.indexOf("\n", n + 1)) this.line++;
    this.field += piece;
    if (quote === -1) return text.length;
    if (quote + 1 === text.length) {
      this.quoteAtEnd = true;
      return text.length;
    }
    if (text[quote + 1] === '"') {
      this.field += '"';
      return quote + 2;
    }
    this.quoted = false;
    return quote + 1;
  }

  end(): void {
    if (this.quoteAtEnd) {
      this.quoteAtEnd = false;
      this.quoted = false;
    }
    if (this.quoted) throw new CsvSyntaxError("a quoted value is never closed (a quotation mark is missing)", this.recordLine);
    if (this.field !== "" || this.fields.length > 0) this.endRecord();
  }

  private endRecord(): void {
    this.fields.push(fromSpreadsheetText(this.field));
    const fields = this.fields;
    this.fields = [];
    this.field = "";
    this.fieldStarted = false;
    // A blank line between records is not a record.
    if (!(fields.length === 1 && fields[0] === "")) this.onRecord({ line: this.recordLine, fields });
  }
}
