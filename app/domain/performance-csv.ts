/**
 * Schools' performance records in a CSV file (docs/import-formats.md, "Schools' performance
 * records"): one row per record, its school named by URN, and the record's fields as the school
 * page's form has them, read by the same schema (performanceRecordSchema). Every problem is found
 * and reported with its line and column, so that the clerk can put the whole file right at once;
 * the import takes the file whole or not at all.
 */
import { CsvSyntaxError, formatCsv, parseCsv, type CsvRecord } from "./csv";
import { columnLetter, registerDate } from "./gias";
import {
  inspectionName,
  LEADERSHIP_STABILITY_LABELS,
  PERFORMANCE_RECORD_FIELDS,
  performanceRecordSchema,
  REPORT_CARD_AREA_LABELS,
  REPORT_CARD_GRADE_LABELS,
  type PerformanceEntry,
  type PerformanceRecordField,
  type PerformanceRecordFields,
  type ReportCardArea,
} from "./performance";
import { UnreadableTextError, Utf8OrWindows1252Decoder, type TextEncodingName } from "./text-decoding";

/**
 * The file's columns, in the template's order. `school` is there for the reader of the file; when it
 * is filled in it must be the name of the school with that URN, which catches a URN typed against
 * the wrong school.
 */
export const PERFORMANCE_CSV_COLUMNS = ["urn", "school", ...PERFORMANCE_RECORD_FIELDS] as const;
export type PerformanceCsvColumn = (typeof PERFORMANCE_CSV_COLUMNS)[number];

/** The columns a file cannot do without. */
const REQUIRED_COLUMNS: readonly PerformanceCsvColumn[] = ["urn", "asOf"];

export interface PerformanceCsvProblem {
  /** The line of the file where the row begins (the heading row is line 1); null for the file as a whole. */
  line: number | null;
  /**
   * The column: its heading as the file writes it (null when it has none) and its spreadsheet letter
   * (null when the file has no such column).
   */
  column: PerformanceCsvColumnRef | null;
  message: string;
}

export interface PerformanceCsvColumnRef {
  name: string | null;
  letter: string | null;
}

/** "legacyGrade (D)", "legacyGrade (not in the file)", "D". */
export function describeColumn(column: PerformanceCsvColumnRef): string {
  if (column.name === null) return column.letter ?? "";
  return `${column.name} (${column.letter ?? "not in the file"})`;
}

/** A school of the trust, as the file may name it. */
export interface PerformanceCsvSchool {
  urn: number;
  name: string;
}

export interface PerformanceCsvRow<S extends PerformanceCsvSchool> {
  line: number;
  school: S;
  entry: PerformanceEntry;
}

export interface PerformanceCsvReading<S extends PerformanceCsvSchool> {
  /** Every record of the file; read only when there is no problem at all. */
  rows: PerformanceCsvRow<S>[];
  problems: PerformanceCsvProblem[];
  /** Lines that name a school and record nothing (the template's rows left blank): passed over. */
  blankLines: number[];
  encoding: TextEncodingName;
}

export interface PerformanceCsvContext<S extends PerformanceCsvSchool> {
  /** YYYY-MM-DD in England: no record may describe a later day. */
  today: string;
  /** The trust's outcomes bands. */
  bands: readonly string[];
  /** The trust's schools: a row's URN must be one of theirs. */
  schools: readonly S[];
}

/** "Line 4, column legacyGrade (D): The legacy grade must be …". */
export function describePerformanceProblem(problem: PerformanceCsvProblem): string {
  const where = problem.line === null ? "" : `Line ${problem.line}`;
  const column = problem.column ? `column ${describeColumn(problem.column)}` : "";
  const place = [where, column].filter(Boolean).join(", ");
  return place ? `${place}: ${problem.message}` : problem.message;
}

const columnKey = (heading: string) => heading.trim().toLowerCase();
/** For suggesting a column: "As of", "as_of" and "AS-OF" all mean asOf. */
const looseKey = (heading: string) => heading.trim().toLowerCase().replace(/[\s_-]+/g, "");

const KNOWN = new Map<string, PerformanceCsvColumn>(PERFORMANCE_CSV_COLUMNS.map((c) => [columnKey(c), c]));
const KNOWN_LOOSELY = new Map<string, PerformanceCsvColumn>(PERFORMANCE_CSV_COLUMNS.map((c) => [looseKey(c), c]));

const sameName = (a: string, b: string) => a.trim().replace(/\s+/g, " ").toLowerCase() === b.trim().replace(/\s+/g, " ").toLowerCase();

/** The file as text: UTF-8 or Windows-1252, as spreadsheets save CSV. */
function decode(content: Uint8Array | string): { text: string; encoding: TextEncodingName } {
  if (typeof content === "string") return { text: content, encoding: "utf-8" };
  const decoder = new Utf8OrWindows1252Decoder();
  const text = decoder.decode(content) + decoder.end();
  return { text, encoding: decoder.encoding };
}

interface Heading {
  /** Field position of each known column. */
  index: Map<PerformanceCsvColumn, number>;
  /** Positions of headings left empty (a spreadsheet's blank columns at the right). */
  unnamed: number[];
  width: number;
  names: string[];
}

function readHeading(record: CsvRecord, problem: (p: PerformanceCsvProblem) => void): Heading | null {
  const index = new Map<PerformanceCsvColumn, number>();
  const unnamed: number[] = [];
  const names = record.fields.map((f) => f.trim());
  let usable = true;
  names.forEach((name, i) => {
    if (name === "") {
      unnamed.push(i);
      return;
    }
    const at = { name, letter: columnLetter(i) };
    const known = KNOWN.get(columnKey(name));
    if (!known) {
      usable = false;
      const near = KNOWN_LOOSELY.get(looseKey(name));
      problem({
        line: record.line,
        column: at,
        message: near
          ? `The import has no column "${name}": did you mean ${near}? Headings are the names in the template, e.g. asOf, legacyGrade, rc_achievement (capitals do not matter).`
          : `The import has no column "${name}". The columns are ${PERFORMANCE_CSV_COLUMNS.join(", ")} (capitals do not matter); remove this one, or rename it.`,
      });
      return;
    }
    const earlier = index.get(known);
    if (earlier !== undefined) {
      usable = false;
      problem({ line: record.line, column: at, message: `The column ${known} appears twice (also column ${columnLetter(earlier)}): keep one.` });
      return;
    }
    index.set(known, i);
  });
  for (const required of REQUIRED_COLUMNS) {
    if (index.has(required)) continue;
    usable = false;
    problem({
      line: record.line,
      column: null,
      message:
        required === "urn"
          ? 'The heading row has no "urn" column: each row names its school by its URN.'
          : 'The heading row has no "asOf" column: each row needs the date the record describes, e.g. 2025-03-14.',
    });
  }
  return usable ? { index, unnamed, width: record.fields.length, names } : null;
}

/**
 * Reads the file and checks every row against the trust's schools, its outcomes bands and today's
 * date. The rows are returned only when the whole file is good.
 */
export function readPerformanceCsv<S extends PerformanceCsvSchool>(content: Uint8Array | string, context: PerformanceCsvContext<S>): PerformanceCsvReading<S> {
  const reading: PerformanceCsvReading<S> = { rows: [], problems: [], blankLines: [], encoding: "utf-8" };
  const problem = (p: PerformanceCsvProblem) => reading.problems.push(p);

  let records: CsvRecord[];
  try {
    const decoded = decode(content);
    reading.encoding = decoded.encoding;
    records = parseCsv(decoded.text);
  } catch (error) {
    if (error instanceof CsvSyntaxError) problem({ line: error.line, column: null, message: error.message.replace(/^Line \d+: /, "") });
    else if (error instanceof UnreadableTextError) problem({ line: null, column: null, message: error.message });
    else throw error;
    return reading;
  }
  const [headingRecord, ...data] = records;
  if (!headingRecord) {
    problem({ line: null, column: null, message: "The file is empty. Its first row names the columns, e.g. urn,school,asOf,legacyGrade; download the template to start from." });
    return reading;
  }
  const heading = readHeading(headingRecord, problem);
  // The rows are read against the headings: with a heading wrong, what they say is unknown.
  if (!heading) return reading;
  if (data.length === 0) {
    problem({ line: null, column: null, message: "The file has a heading row but no records below it." });
    return reading;
  }

  const schema = performanceRecordSchema(context.today, context.bands);
  const byUrn = new Map(context.schools.map((s) => [s.urn, s]));
  const seen = new Map<string, number>();
  const rows: PerformanceCsvRow<S>[] = [];
  const at = (column: PerformanceCsvColumn): PerformanceCsvColumnRef => {
    const i = heading.index.get(column);
    return i === undefined ? { name: column, letter: null } : { name: heading.names[i]!, letter: columnLetter(i) };
  };

  for (const record of data) {
    const line = record.line;
    const value = (column: PerformanceCsvColumn) => {
      const i = heading.index.get(column);
      return i === undefined ? "" : (record.fields[i] ?? "").trim();
    };
    if (record.fields.length !== heading.width) {
      problem({
        line,
        column: null,
        message: `This row has ${record.fields.length} values but the heading row has ${heading.width} columns. Perhaps a value with a comma lost its quotation marks.`,
      });
      continue;
    }
    const stray = heading.unnamed.find((i) => (record.fields[i] ?? "").trim() !== "");
    if (stray !== undefined) {
      problem({ line, column: { name: null, letter: columnLetter(stray) }, message: "This value is in a column with no heading: give the column its name, or clear the value." });
    }
    if (PERFORMANCE_RECORD_FIELDS.every((field) => value(field) === "")) {
      reading.blankLines.push(line);
      continue;
    }

    const school = readSchool(value("urn"), value("school"), byUrn, (column, message) => problem({ line, column: at(column), message }));

    const fields: PerformanceRecordFields = {};
    for (const field of PERFORMANCE_RECORD_FIELDS) if (heading.index.has(field)) fields[field] = value(field);
    // Spreadsheets set to UK dates save 2025-03-14 as 14/03/2025.
    if (fields.asOf) fields.asOf = registerDate(fields.asOf) ?? fields.asOf;
    const parsed = schema.safeParse(fields);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const field = issue.path[0] as PerformanceRecordField | undefined;
        problem({ line, column: field ? at(field) : null, message: issue.message });
      }
      continue;
    }
    if (!school) continue;
    const key = `${school.urn} ${parsed.data.asOf}`;
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      problem({
        line,
        column: at("asOf"),
        message: `Line ${earlier} is also a record of URN ${school.urn} as of ${parsed.data.asOf}: put what the school's record says on that day in one row.`,
      });
      continue;
    }
    seen.set(key, line);
    rows.push({ line, school, entry: parsed.data });
  }
  if (reading.problems.length === 0 && rows.length === 0) {
    problem({ line: null, column: null, message: "The file records nothing: every row names a school and leaves the rest blank. Fill in at least one record." });
  }
  if (reading.problems.length === 0) reading.rows = rows;
  return reading;
}

function readSchool<S extends PerformanceCsvSchool>(
  urnText: string,
  name: string,
  byUrn: Map<number, S>,
  refuse: (column: "urn" | "school", message: string) => void,
): S | null {
  if (urnText === "") {
    refuse("urn", "Enter the school's URN, e.g. 137214.");
    return null;
  }
  if (!/^\d{6}$/.test(urnText) || Number(urnText) < 100000) {
    refuse("urn", `"${urnText}" is not a URN: a URN is the school's 6-digit unique reference number, e.g. 137214.`);
    return null;
  }
  const school = byUrn.get(Number(urnText));
  if (!school) {
    refuse(
      "urn",
      `URN ${urnText} is not one of the trust's schools. Check the number, or add the school first (on the Structure page, or by importing it from the DfE register).`,
    );
    return null;
  }
  if (name !== "" && !sameName(name, school.name)) {
    refuse("school", `URN ${school.urn} is ${school.name} in the trust, not "${name}": correct the URN or the name.`);
    return null;
  }
  return school;
}

/** The fields of a record that say what it records (all but where it is kept). */
const ENTRY_FIELDS = [
  "asOf",
  "inspection",
  "safeguardingMet",
  "outcomesBand",
  "trend",
  "inYearBalance",
  "reserves",
  "deficit",
  "safeguardingAudit",
  "leadershipStability",
  "terminationWarning",
  "note",
] as const satisfies readonly (keyof PerformanceEntry)[];

/** Whether one of `records` already says exactly what `entry` says: importing a file again adds nothing twice. */
export function alreadyRecorded(entry: PerformanceEntry, records: readonly PerformanceEntry[]): boolean {
  return records.some((record) => ENTRY_FIELDS.every((field) => JSON.stringify(record[field]) === JSON.stringify(entry[field])));
}

const pounds = (n: number) => n.toLocaleString("en-GB", { style: "currency", currency: "GBP" });

/** What a record holds, in a line: "Good (grade 2), safeguarding met; outcomes Above average, improving; reserves £240,000.00". */
export function describeEntry(entry: PerformanceEntry): string {
  const parts: string[] = [];
  const { inspection } = entry;
  const safeguarding = entry.safeguardingMet === null ? "" : `, safeguarding ${entry.safeguardingMet ? "met" : "not met"}`;
  if (inspection.framework === "legacy") parts.push(`${inspectionName(inspection)}${safeguarding}`);
  if (inspection.framework === "report-card") {
    const grades = Object.entries(inspection.grades).map(([area, grade]) => `${REPORT_CARD_AREA_LABELS[area as ReportCardArea]} ${REPORT_CARD_GRADE_LABELS[grade!]}`);
    parts.push(`Report card: ${grades.join(", ")}${safeguarding}`);
  }
  if (entry.outcomesBand !== null || entry.trend !== null) parts.push(`outcomes ${[entry.outcomesBand, entry.trend].filter(Boolean).join(", ")}`);
  if (entry.inYearBalance !== null) parts.push(`in-year balance ${pounds(entry.inYearBalance)}`);
  if (entry.reserves !== null) parts.push(`reserves ${pounds(entry.reserves)}`);
  if (entry.deficit !== null) parts.push(entry.deficit ? "unplanned deficit" : "no unplanned deficit");
  if (entry.safeguardingAudit !== null) parts.push(`safeguarding audit ${entry.safeguardingAudit}`);
  if (entry.leadershipStability !== null) parts.push(`leadership ${LEADERSHIP_STABILITY_LABELS[entry.leadershipStability].toLowerCase()}`);
  if (entry.terminationWarning) parts.push("termination warning notice");
  if (entry.note !== null) parts.push(`note: ${entry.note}`);
  return parts.join("; ");
}

/** The template: the heading row and a row for each of the trust's schools, with its URN and name, to fill in. */
export function performanceCsvTemplate(schools: readonly PerformanceCsvSchool[]): string {
  const blanks = PERFORMANCE_RECORD_FIELDS.map(() => "");
  return formatCsv([[...PERFORMANCE_CSV_COLUMNS], ...schools.map((s) => [String(s.urn), s.name, ...blanks])]);
}
