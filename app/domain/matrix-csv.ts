/**
 * A trust's matrix as a CSV file (docs/import-formats.md): a heading row
 * `ref,area,responsibility,<body 1>,<body 2>,…` and one row per responsibility, each cell holding the
 * trust's own mark. Reading gives an import plan that lists every problem by row and column and what
 * the import would create and change; writing gives the same format for any version.
 */
import { areaName, AREA_NUMBERS, UNCLASSIFIED_AREA } from "./areas";
import { TIERS } from "./autonomy";
import { matchArea, researchAreaNamed } from "./area-matching";
import { CODE_MEANINGS, type DecisionCode } from "./codes";
import { CsvSyntaxError, formatCsv, parseCsv, type CsvRecord } from "./csv";
import { markFor, readMark, type DecisionKey } from "./decision-keys";
import { RuleError } from "./errors";
import { UnreadableTextError, Utf8OrWindows1252Decoder } from "./text-decoding";
import { byArea, cellKey, forbiddenReason, type Scheme, type SchemeRow } from "./scheme";
import { BODY_KIND_LABELS, BODY_KINDS, isBodyKind, type BodyKind } from "./structure";

export const FIXED_HEADERS = ["ref", "area", "responsibility"] as const;
/** The heading row of a file of tier and school variations (written by the export; not read yet). */
export const VARIATIONS_HEADERS = ["ref", "column", "applies to", "mark"] as const;
export const REF_MAX_LENGTH = 20;
export const TITLE_MAX_LENGTH = 500;
export const BODY_NAME_MAX_LENGTH = 200;

// ---------------------------------------------------------------- what the reader is given

export interface ExistingColumn {
  id: string;
  name: string;
  shortName: string | null;
  kind: BodyKind;
}

/** An individual board (a cluster board, a school's local board): its name cannot become a column. */
export interface ExistingBoard {
  name: string;
  kind: BodyKind;
  columnName: string | null;
}

export interface ImportContext {
  columns: ExistingColumn[];
  boards: ExistingBoard[];
  /** The trust's live responsibilities. */
  rows: SchemeRow[];
  /** The draft's codes as they stand (or as a new draft would start), keyed by cellKey(rowId, columnId). */
  cells: Record<string, DecisionCode>;
}

export interface ImportOptions {
  key: DecisionKey;
  /** Research area chosen by the user for a section heading (the heading as written in the file). */
  areaChoices?: Record<string, number>;
  /** Whether the person importing may add governance bodies (the clerk). */
  mayCreateBodies?: boolean;
}

// ---------------------------------------------------------------- what the reader gives back

export interface ColumnRef {
  letter: string;
  name: string;
}

export interface ImportProblem {
  /** The row as a spreadsheet numbers it (the heading row is 1); null when only the line is known. */
  row: number | null;
  /** The line of the file where the record begins. */
  line: number;
  column: ColumnRef | null;
  message: string;
  /** A code the trust's row with the same ref forbids, on a row with another title: importing the file as the trust's whole scheme answers it. */
  refClash?: true;
}

export interface PlannedColumn {
  /** Position of the field in each record. */
  index: number;
  letter: string;
  name: string;
  kind: BodyKind;
  /** The trust's column it is; null for a body the import adds. */
  existingId: string | null;
}

export type AreaSource = "research-area" | "name" | "chosen" | "none";

export interface PlannedSection {
  /** The heading as written in the file ("" for rows with none). */
  heading: string;
  area: number;
  /** "research-area": the heading is an area's own name; "name": matched by its words; "chosen" by the user; "none": unclassified. */
  source: AreaSource;
  /** The area the heading's words suggest, if any. */
  suggested: number | null;
  rows: number;
  /** Rows that take the section's area: new rows, and rows moving into this section. */
  classifies: number;
}

export interface CellChange {
  columnIndex: number;
  before: DecisionCode | null;
  after: DecisionCode | null;
}

export interface PlannedRow {
  row: number;
  line: number;
  ref: string;
  title: string;
  /** The section heading kept for the document (null when the row has none, or the heading is a research area's name). */
  section: string | null;
  heading: string;
  area: number;
  existing: { id: string; title: string; section: string | null; area: number } | null;
  /** The file's codes, one per planned column (null for an empty cell). */
  codes: (DecisionCode | null)[];
  /** Cells whose code the import changes. */
  changes: CellChange[];
}

export interface ImportSummary {
  newBodies: number;
  newRows: number;
  updatedRows: number;
  unchangedRows: number;
  cellsSet: number;
  cellsCleared: number;
  untouchedRows: number;
}

export interface ImportPlan {
  key: DecisionKey;
  errors: ImportProblem[];
  warnings: ImportProblem[];
  columns: PlannedColumn[];
  sections: PlannedSection[];
  rows: PlannedRow[];
  /** The trust's rows the file does not mention: the import leaves them as they are. */
  untouched: { ref: string; title: string }[];
  summary: ImportSummary;
}

export function rowChanged(row: PlannedRow): boolean {
  if (!row.existing) return true;
  return (
    row.changes.length > 0 ||
    row.existing.title !== row.title ||
    row.existing.section !== row.section ||
    row.existing.area !== row.area
  );
}

/** "A", "B", … "Z", "AA", "AB"…: the column letters a spreadsheet shows. */
export function columnLetter(index: number): string {
  let n = index + 1;
  let letters = "";
  while (n > 0) {
    const rem = (n - 1) % 26;
    letters = String.fromCharCode(65 + rem) + letters;
    n = Math.floor((n - 1) / 26);
  }
  return letters;
}

/** "Row 7, column F, Audit committee: …", the way a problem is shown to the user. */
export function describeProblem(problem: ImportProblem): string {
  const where =
    problem.row === null
      ? `Line ${problem.line}`
      : problem.row === problem.line
        ? `Row ${problem.row}`
        : `Row ${problem.row} (line ${problem.line} of the file)`;
  const column = problem.column ? `, column ${problem.column.letter}${problem.column.name ? `, ${problem.column.name}` : ""}` : "";
  return `${where}${column}: ${problem.message}`;
}

// ---------------------------------------------------------------- reading

/** A file's text: UTF-8, or Windows-1252 as Excel's plain "CSV" saves it on Windows. */
export function decodeCsvFile(bytes: Uint8Array): string {
  const decoder = new Utf8OrWindows1252Decoder();
  try {
    return decoder.decode(bytes) + decoder.end();
  } catch (error) {
    if (error instanceof UnreadableTextError) throw new RuleError(error.message, "file");
    throw error;
  }
}

/** Spreadsheets put line breaks in cells as CR LF or LF: keep one form so that text compares equal. */
function text(value: string): string {
  return value.replace(/\r\n?/g, "\n").trim();
}

function lower(value: string): string {
  return text(value).toLowerCase();
}

/** The key's marks as a trust writes them: "X, *, —" or "Responsible, Recommends, —". */
function keyMarks(key: DecisionKey): string {
  return Object.keys(key.marks)
    .map((m) => (m.length > 1 && m !== "—" ? m.charAt(0) + m.slice(1).toLowerCase() : m))
    .join(", ");
}

interface Located {
  record: CsvRecord;
  row: number;
}

/** Each record with the row a spreadsheet shows it on: line breaks inside cells do not start a row. */
function locate(records: CsvRecord[]): Located[] {
  let extraLines = 0;
  return records.map((record) => {
    const located = { record, row: record.line - extraLines };
    extraLines += record.fields.reduce((n, f) => n + (f.match(/\n/g)?.length ?? 0), 0);
    return located;
  });
}

function isBlank(record: CsvRecord): boolean {
  return record.fields.every((f) => f.trim() === "");
}

const KIND_LIST = BODY_KINDS.join(", ");

/** Reads a matrix file against the trust's matrix: what an import would do, and every problem that stops it. */
export function readMatrixCsv(csv: string, context: ImportContext, options: ImportOptions): ImportPlan {
  const plan: ImportPlan = {
    key: options.key,
    errors: [],
    warnings: [],
    columns: [],
    sections: [],
    rows: [],
    untouched: [],
    summary: { newBodies: 0, newRows: 0, updatedRows: 0, unchangedRows: 0, cellsSet: 0, cellsCleared: 0, untouchedRows: 0 },
  };
  let records: CsvRecord[];
  try {
    records = parseCsv(csv);
  } catch (error) {
    if (!(error instanceof CsvSyntaxError)) throw error;
    plan.errors.push({ row: null, line: error.line, column: null, message: `${error.message.replace(/^Line \d+: /, "")}. Nothing can be read after it.` });
    return plan;
  }
  const located = locate(records);
  const heading = located[0];
  if (!heading) {
    plan.errors.push({ row: 1, line: 1, column: null, message: "The file is empty: it needs a heading row (ref,area,responsibility, then one column per body) and a row per responsibility." });
    return plan;
  }
  const data = located.slice(1).filter((l) => !isBlank(l.record));
  const problem = (at: Located, column: ColumnRef | null, message: string): ImportProblem => ({ row: at.row, line: at.record.line, column, message });
  const error = (at: Located, column: ColumnRef | null, message: string) => plan.errors.push(problem(at, column, message));

  if (!readFixedHeaders(heading, plan, error)) return plan;
  const headingProblems = plan.errors.length;
  readBodyHeaders(heading, data, context, options, plan, error);
  if (plan.columns.length === 0 && plan.errors.length === headingProblems) {
    error(heading, null, "the heading row names no bodies: after ref,area,responsibility put one column per body, e.g. Trust board [board].");
  }
  if (data.length === 0) error(heading, null, "The file has a heading row but no responsibilities under it.");

  const headerCount = heading.record.fields.length;
  const byRef = new Map(context.rows.map((r) => [text(r.ref), r]));
  const seenRefs = new Map<string, number>();
  const valid: { at: Located; ref: string; heading: string; title: string; codes: (DecisionCode | null)[] }[] = [];
  for (const at of data) {
    const fields = at.record.fields;
    if (fields.length !== headerCount) {
      error(
        at,
        null,
        `this row has ${fields.length} values but the heading row has ${headerCount}. Check for a missing or extra comma, or a value with a comma that is not in quotation marks.`,
      );
      continue;
    }
    let ok = true;
    const ref = text(fields[0]!);
    const refColumn = { letter: "A", name: "ref" };
    if (ref === "") {
      error(at, refColumn, "the ref is missing: every responsibility needs a reference, e.g. 4.2.");
      ok = false;
    } else if (ref.length > REF_MAX_LENGTH) {
      error(at, refColumn, `the ref "${ref}" is longer than ${REF_MAX_LENGTH} characters.`);
      ok = false;
    } else if (seenRefs.has(ref)) {
      error(at, refColumn, `the ref ${ref} is also used on row ${seenRefs.get(ref)}: each responsibility needs its own ref.`);
      ok = false;
    } else {
      seenRefs.set(ref, at.row);
    }
    const title = text(fields[2]!);
    const titleColumn = { letter: "C", name: "responsibility" };
    if (title === "") {
      error(at, titleColumn, "the responsibility is missing: say what is decided or done.");
      ok = false;
    } else if (title.length > TITLE_MAX_LENGTH) {
      error(at, titleColumn, `the responsibility is ${title.length} characters long; the most is ${TITLE_MAX_LENGTH}.`);
      ok = false;
    }
    const existing = byRef.get(ref) ?? null;
    const codes: (DecisionCode | null)[] = [];
    const deciders: string[] = [];
    for (const column of plan.columns) {
      const mark = fields[column.index]!;
      const code = readMark(options.key, mark);
      const where = { letter: column.letter, name: column.name };
      if (code === null) {
        error(at, where, `"${mark.trim()}" is not a mark of the key "${options.key.label}": its marks are ${keyMarks(options.key)}.`);
        ok = false;
        codes.push(null);
        continue;
      }
      const reason = code && existing ? forbiddenReason(existing, column.kind, code) : null;
      if (code && reason) {
        const clash =
          existing && title !== "" && existing.title !== title
            ? ` Ref ${ref} is that responsibility in this trust, and this row would replace it: if "${title}" is a different decision, give the row a ref the trust does not use yet, or import the file as the trust's whole scheme (its rows then replace the current catalogue).`
            : "";
        const found = problem(at, where, `${CODE_MEANINGS[code].name} (${code}) is not permitted here. ${reason}${clash}`);
        plan.errors.push(clash ? { ...found, refClash: true } : found);
        ok = false;
      }
      if (code === "D") deciders.push(column.name);
      codes.push(code ?? null);
    }
    if (deciders.length > 1) {
      plan.warnings.push(
        problem(
          at,
          null,
          `${deciders.join(" and ")} all decide ${ref} "${title}". A decision usually sits with one body; the checks will ask which.`,
        ),
      );
    }
    if (ok) valid.push({ at, ref, heading: text(fields[1]!), title, codes });
  }

  plan.sections = planSections(valid.map((v) => v.heading), options.areaChoices ?? {});
  const sectionOf = new Map(plan.sections.map((s) => [s.heading, s]));
  for (const v of valid) {
    const existing = byRef.get(v.ref) ?? null;
    const section = sectionOf.get(v.heading)!;
    const placed = placeRow(v.heading, section, existing);
    if (!existing || placed.moves) section.classifies++;
    const changes: CellChange[] = [];
    plan.columns.forEach((column, i) => {
      const before = existing && column.existingId ? (context.cells[cellKey(existing.id, column.existingId)] ?? null) : null;
      const after = v.codes[i] ?? null;
      if (before !== after) changes.push({ columnIndex: i, before, after });
    });
    const planned: PlannedRow = {
      row: v.at.row,
      line: v.at.record.line,
      ref: v.ref,
      title: v.title,
      section: placed.section,
      heading: v.heading,
      area: placed.area,
      existing: existing ? { id: existing.id, title: existing.title, section: existing.section, area: existing.area } : null,
      codes: v.codes,
      changes,
    };
    plan.rows.push(planned);
    if (existing && existing.title !== v.title && hasConstraint(existing)) {
      plan.warnings.push(
        problem(
          v.at,
          { letter: "C", name: "responsibility" },
          `ref ${v.ref} is the trust's responsibility "${existing.title}", which carries a constraint (${constraintWords(existing)}). Its title becomes "${v.title}" and the constraint stays: if this is a different decision, give the row a new ref.`,
        ),
      );
    }
  }
  const inFile = new Set(valid.map((v) => v.ref));
  plan.untouched = [...context.rows].sort(byArea).filter((r) => !inFile.has(text(r.ref))).map((r) => ({ ref: r.ref, title: r.title }));
  plan.summary = summarise(plan);
  return plan;
}

function readFixedHeaders(
  heading: Located,
  plan: ImportPlan,
  error: (at: Located, column: ColumnRef | null, message: string) => void,
): boolean {
  const fields = heading.record.fields.map(lower);
  if (VARIATIONS_HEADERS.every((h, i) => fields[i] === h)) {
    error(
      heading,
      null,
      "this is a file of variations for autonomy tiers and single schools (ref,column,applies to,mark). Importing variations is not available yet: import the matrix file, and add the variations in the matrix editor.",
    );
    return false;
  }
  let ok = true;
  FIXED_HEADERS.forEach((expected, i) => {
    const found = heading.record.fields[i];
    if (fields[i] === expected) return;
    ok = false;
    error(
      heading,
      { letter: columnLetter(i), name: found?.trim() ?? "" },
      found === undefined || found.trim() === ""
        ? `column ${columnLetter(i)} must be headed "${expected}". The heading row starts ref,area,responsibility, then one column per body.`
        : `column ${columnLetter(i)} must be headed "${expected}", not "${found.trim()}". The heading row starts ref,area,responsibility, then one column per body.`,
    );
  });
  return ok;
}

/** "Audit committee [committee]" → name and kind; a trailing {…} marks a variant column (not read yet). */
function splitBodyHeader(header: string): { name: string; kindText: string | null; variant: boolean } {
  const value = text(header);
  if (/\{[^{}]*\}$/.test(value)) return { name: value, kindText: null, variant: true };
  const match = /^(.*?)\s*\[([^\]]*)\]$/s.exec(value);
  return match ? { name: match[1]!.trim(), kindText: match[2]!.trim(), variant: false } : { name: value, kindText: null, variant: false };
}

function readBodyHeaders(
  heading: Located,
  data: Located[],
  context: ImportContext,
  options: ImportOptions,
  plan: ImportPlan,
  error: (at: Located, column: ColumnRef | null, message: string) => void,
): void {
  const byName = new Map(context.columns.map((c) => [lower(c.name), c]));
  const byShortName = new Map<string, ExistingColumn | null>();
  for (const c of context.columns) {
    if (!c.shortName) continue;
    const short = lower(c.shortName);
    byShortName.set(short, byShortName.has(short) ? null : c);
  }
  const boards = new Map(context.boards.map((b) => [lower(b.name), b]));
  const seen = new Map<string, string>();
  heading.record.fields.forEach((header, index) => {
    if (index < FIXED_HEADERS.length) return;
    const letter = columnLetter(index);
    const raw = text(header);
    if (raw === "") {
      // Spreadsheets often save empty columns at the right: ignore them unless they hold marks.
      if (data.some((d) => (d.record.fields[index] ?? "").trim() !== "")) {
        error(heading, { letter, name: "" }, `column ${letter} has marks but no heading: put the body's name at the top, e.g. Trust board [board].`);
      }
      return;
    }
    const where = { letter, name: raw };
    const whole = byName.get(raw.toLowerCase());
    const parsed = whole ? { name: whole.name, kindText: null, variant: false } : splitBodyHeader(raw);
    if (parsed.variant) {
      error(
        heading,
        where,
        "columns for autonomy tiers or single schools ({…} after the body's name) cannot be imported yet. This file holds the matrix every school starts from; add tier and school variations in the matrix editor.",
      );
      return;
    }
    let kind: BodyKind | null = null;
    if (parsed.kindText !== null) {
      const kindText = parsed.kindText.toLowerCase();
      if (!isBodyKind(kindText)) {
        error(heading, where, `"${parsed.kindText}" is not a kind of body. Use one of: ${KIND_LIST}.`);
        return;
      }
      kind = kindText;
    }
    const name = parsed.name;
    if (name === "") {
      error(heading, where, "the heading gives a kind but no name: write the body's name before the brackets.");
      return;
    }
    if (name.length > BODY_NAME_MAX_LENGTH) {
      error(heading, where, `the body's name is longer than ${BODY_NAME_MAX_LENGTH} characters.`);
      return;
    }
    const existing = whole ?? byName.get(name.toLowerCase()) ?? byShortName.get(name.toLowerCase()) ?? null;
    const sameAs = seen.get((existing?.name ?? name).toLowerCase());
    if (sameAs) {
      error(heading, where, `this is the same body as column ${sameAs}: each body has one column.`);
      return;
    }
    seen.set((existing?.name ?? name).toLowerCase(), letter);
    if (existing) {
      if (kind && kind !== existing.kind) {
        error(
          heading,
          where,
          `the trust's column "${existing.name}" is a ${existing.kind} column, not ${kind}. Correct the kind in brackets, or leave it out.`,
        );
        return;
      }
      plan.columns.push({ index, letter, name: existing.name, kind: existing.kind, existingId: existing.id });
      return;
    }
    const board = boards.get(name.toLowerCase());
    if (board) {
      error(
        heading,
        where,
        `"${board.name}" is one of the trust's individual boards${board.columnName ? `, which answer in the matrix under the column "${board.columnName}"` : ""}. Use the column's name as the heading.`,
      );
      return;
    }
    if (!kind) {
      const known = context.columns.map((c) => c.name).join(", ");
      error(
        heading,
        where,
        `"${name}" is not one of the trust's columns${known ? ` (${known})` : ""}. To add it, give its kind in square brackets, e.g. "${name} [committee]"; the kinds are ${KIND_LIST}.`,
      );
      return;
    }
    if (options.mayCreateBodies === false) {
      error(heading, where, `"${name}" is not one of the trust's columns, and only the trust's clerk can add governance bodies. Ask the clerk to add it, or to import this file.`);
      return;
    }
    plan.columns.push({ index, letter, name, kind, existingId: null });
  });
}

function planSections(headings: string[], choices: Record<string, number>): PlannedSection[] {
  const sections = new Map<string, PlannedSection>();
  for (const heading of headings) {
    const known = sections.get(heading);
    if (known) {
      known.rows++;
      continue;
    }
    const named = researchAreaNamed(heading);
    const suggested = heading === "" ? null : (matchArea(heading)?.area ?? null);
    const chosen = choices[heading];
    const section: PlannedSection =
      named !== null
        ? { heading, area: named, source: "research-area", suggested: named, rows: 1, classifies: 0 }
        : chosen !== undefined && AREA_NUMBERS.includes(chosen)
          ? { heading, area: chosen, source: "chosen", suggested, rows: 1, classifies: 0 }
          : suggested !== null
            ? { heading, area: suggested, source: "name", suggested, rows: 1, classifies: 0 }
            : { heading, area: UNCLASSIFIED_AREA, source: "none", suggested, rows: 1, classifies: 0 };
    sections.set(heading, section);
  }
  return [...sections.values()];
}

/**
 * Where a row goes. A heading that is a research area's own name puts the row in that area with no
 * heading of its own. New rows, and rows moving to another heading, take the heading's area; a row
 * that keeps its heading keeps its area (it may have been classified by hand).
 */
function placeRow(heading: string, section: PlannedSection, existing: SchemeRow | null): { section: string | null; area: number; moves: boolean } {
  if (section.source === "research-area") return { section: null, area: section.area, moves: false };
  const stored = heading === "" ? null : heading;
  if (!existing) return { section: stored, area: section.area, moves: false };
  if (stored === null || existing.section === stored) return { section: stored, area: existing.area, moves: false };
  return { section: stored, area: section.source === "none" ? existing.area : section.area, moves: true };
}

function hasConstraint(row: SchemeRow): boolean {
  return row.decisionKinds !== null || row.excludedKinds !== null || row.statutoryRule !== null;
}

function constraintWords(row: SchemeRow): string {
  const parts: string[] = [];
  if (row.decisionKinds) parts.push(`only the ${row.decisionKinds.map((k) => BODY_KIND_LABELS[k].toLowerCase()).join(" or ")} may decide`);
  if (row.excludedKinds) parts.push(`no part for the ${row.excludedKinds.map((k) => BODY_KIND_LABELS[k].toLowerCase()).join(" or ")}`);
  if (row.statutoryRule) parts.push(row.statutoryRule);
  return parts.join("; ");
}

function summarise(plan: ImportPlan): ImportSummary {
  const summary: ImportSummary = {
    newBodies: plan.columns.filter((c) => c.existingId === null).length,
    newRows: 0,
    updatedRows: 0,
    unchangedRows: 0,
    cellsSet: 0,
    cellsCleared: 0,
    untouchedRows: plan.untouched.length,
  };
  for (const row of plan.rows) {
    if (!row.existing) summary.newRows++;
    else if (rowChanged(row)) summary.updatedRows++;
    else summary.unchangedRows++;
    for (const change of row.changes) {
      if (change.after === null) summary.cellsCleared++;
      else summary.cellsSet++;
    }
  }
  return summary;
}

// ---------------------------------------------------------------- writing

/**
 * Writes a version's matrix: columns in tier order with their kinds in brackets, rows in area order,
 * each row's section heading (or its research area's name when it has none), and each cell's code,
 * or the trust's own mark when a key is given. Refuses a key that has no mark for a code in use.
 */
export function writeMatrixCsv(scheme: Pick<Scheme, "columns" | "rows" | "cells">, key?: DecisionKey): string {
  const rows = [...scheme.rows].sort(byArea);
  const { mark, refuseMissing } = marker(key);
  const lines = [
    [...FIXED_HEADERS, ...scheme.columns.map((c) => `${c.name} [${c.kind}]`)],
    ...rows.map((r) => [
      r.ref,
      r.section ?? areaName(r.area),
      r.title,
      ...scheme.columns.map((c) => mark(scheme.cells[cellKey(r.id, c.id)]?.code)),
    ]),
  ];
  refuseMissing();
  return formatCsv(lines);
}

/**
 * Each cell's mark under the key (the code itself without one), and a refusal naming the codes the key
 * has no mark for, rather than writing something the import could not read back.
 */
function marker(key: DecisionKey | undefined) {
  const missing = new Map<DecisionCode, number>();
  const mark = (code: DecisionCode | null | undefined): string => {
    if (!code) return "";
    if (!key) return code;
    const found = markFor(key, code);
    if (found === undefined) missing.set(code, (missing.get(code) ?? 0) + 1);
    return found ?? "";
  };
  const refuseMissing = () => {
    if (!key || missing.size === 0) return;
    const list = [...missing].map(([code, n]) => `${code} (${CODE_MEANINGS[code].name.toLowerCase()}, ${n} ${n === 1 ? "cell" : "cells"})`).join(", ");
    throw new RuleError(
      `The key "${key.label}" has no mark for ${list}. Download with the decision codes instead, or use a key with a mark for every code the scheme uses.`,
      "key",
    );
  };
  return { mark, refuseMissing };
}

/** How a variations file names a school: "URN 137214". */
export function schoolScopeText(urn: number): string {
  return `URN ${urn}`;
}

/**
 * Writes a version's tier variants and schools' own variations (docs/import-formats.md): a heading row
 * `ref,column,applies to,mark` and one line per varied cell, the tiers T0…T4 first, then the schools
 * by name; within each, rows in area order and columns in tier order. `applies to` is the tier (T3)
 * or the school (URN 137214); an empty mark is a variant that clears the base cell. Variants of
 * statutory-locked rows never apply (EA-14) and are left out.
 */
export function writeVariationsCsv(scheme: Pick<Scheme, "columns" | "rows" | "schools" | "tierCells" | "schoolCells">, key?: DecisionKey): string {
  const rows = [...scheme.rows].filter((r) => !r.locked).sort(byArea);
  const { mark, refuseMissing } = marker(key);
  const lines: string[][] = [[...VARIATIONS_HEADERS]];
  const write = (appliesTo: string, variants: Record<string, { code: DecisionCode | null }> | undefined) => {
    if (!variants) return;
    for (const row of rows) {
      for (const column of scheme.columns) {
        const variant = variants[cellKey(row.id, column.id)];
        if (variant) lines.push([row.ref, column.name, appliesTo, mark(variant.code)]);
      }
    }
  };
  for (const tier of TIERS) write(tier, scheme.tierCells[tier]);
  const schools = [...scheme.schools].sort((a, b) => a.name.localeCompare(b.name) || a.urn - b.urn);
  for (const school of schools) write(schoolScopeText(school.urn), scheme.schoolCells[school.id]);
  refuseMissing();
  return formatCsv(lines);
}
