/**
 * Reading the DfE register of schools (Get Information About Schools, the "establishment fields"
 * CSV, e.g. edubasealldata20261101.csv): tens of thousands of rows and about 130 columns, of which
 * a trust needs a handful of its own schools. The file is read piece by piece and only the rows
 * that pass the filter (the trust's name, or a list of URNs) are kept; every other column is ignored.
 */
import { CsvSyntaxError, formatCsv, type CsvRecord } from "./csv";
import { CsvStreamReader } from "./csv-stream";
import { RuleError } from "./errors";
import { SCHOOL_PHASE_LABELS, type SchoolPhase } from "./structure";
import { UnreadableTextError, Utf8OrWindows1252Decoder, type TextEncodingName } from "./text-decoding";

/** The register's columns the import reads, by the register's own header names. */
export const REQUIRED_COLUMNS = {
  urn: "URN",
  name: "EstablishmentName",
  phase: "PhaseOfEducation (name)",
  postcode: "Postcode",
  easting: "Easting",
  northing: "Northing",
  trust: "Trusts (name)",
  rating: "OfstedRating (name)",
  inspected: "OfstedLastInsp",
} as const;

/** Read when present; a file without them is still imported. */
export const OPTIONAL_COLUMNS = {
  localAuthority: "LA (name)",
  type: "TypeOfEstablishment (name)",
  status: "EstablishmentStatus (name)",
  headFirstName: "HeadFirstName",
  headLastName: "HeadLastName",
} as const;

type ColumnKey = keyof typeof REQUIRED_COLUMNS | keyof typeof OPTIONAL_COLUMNS;
const COLUMNS: Record<ColumnKey, string> = { ...REQUIRED_COLUMNS, ...OPTIONAL_COLUMNS };
const COLUMN_KEYS = Object.keys(COLUMNS) as ColumnKey[];

/** The legacy Ofsted grades; any other rating (or none) records no inspection. */
export const LEGACY_GRADES = { Outstanding: 1, Good: 2, "Requires improvement": 3, Inadequate: 4 } as const;
export type LegacyGrade = (typeof LEGACY_GRADES)[keyof typeof LEGACY_GRADES];

export function gradeName(grade: LegacyGrade): string {
  return ["Outstanding", "Good", "Requires improvement", "Inadequate"][grade - 1]!;
}

/** The school details the register keeps up to date, as the trust's records name them. */
export const REGISTER_FIELDS = ["name", "phase", "postcode", "easting", "northing", "localAuthority"] as const;
export type RegisterField = (typeof REGISTER_FIELDS)[number];

export const REGISTER_FIELD_LABELS: Record<RegisterField, string> = {
  name: "Name",
  phase: "Phase",
  postcode: "Postcode",
  easting: "Easting",
  northing: "Northing",
  localAuthority: "Local authority",
};

/** Great Britain's national grid, in metres, as the register gives eastings and northings. */
const NATIONAL_GRID = { easting: 700_000, northing: 1_300_000 } as const;

export type RegisterFilter = { by: "trust"; trustName: string } | { by: "urns"; urns: number[] };

export interface RegisterInspection {
  grade: LegacyGrade;
  /** ISO date of the inspection. */
  asOf: string;
}

export interface RegisterSchool {
  line: number;
  urn: number;
  name: string;
  phase: SchoolPhase;
  postcode: string | null;
  easting: number | null;
  northing: number | null;
  localAuthority: string | null;
  headteacherName: string | null;
  inspection: RegisterInspection | null;
  /** Why the row records no inspection grade, when it records none. */
  inspectionNote: string | null;
  /** The register's own values of the columns read, in EXTRACT_COLUMNS order. */
  source: string[];
}

export interface RegisterProblem {
  /** Line of the file (the header is line 1); null for the file as a whole. */
  line: number | null;
  /** The column's header name and spreadsheet letter, e.g. "Easting (DR)". */
  column: string | null;
  message: string;
}

export interface SkippedRow {
  line: number;
  urn: string;
  name: string;
  reason: string;
}

export interface RegisterReading {
  schools: RegisterSchool[];
  problems: RegisterProblem[];
  skipped: SkippedRow[];
  /** URNs asked for that no row of the file holds. */
  missingUrns: number[];
  /** When filtering by a trust's name matched nothing: trust names in the file that look like it. */
  similarTrustNames: string[];
  rowsRead: number;
  encoding: TextEncodingName;
}

export function describeProblem(problem: RegisterProblem): string {
  if (problem.line === null) return problem.message;
  return problem.column ? `Line ${problem.line}, column ${problem.column}: ${problem.message}` : `Line ${problem.line}: ${problem.message}`;
}

/** "Riverside  learning TRUST " and "RIVERSIDE LEARNING TRUST" are the same trust name. */
export function normaliseTrustName(name: string): string {
  return name.trim().replace(/\s+/g, " ").toLowerCase();
}

/** "137542, 144321 146000" → the URNs; anything that is not a URN is refused, naming it. */
export function parseUrnList(text: string): number[] {
  const words = text.split(/[\s,;]+/).filter((w) => w !== "");
  if (words.length === 0) throw new RuleError("Enter at least one URN, e.g. 137542.", "urns");
  const bad = words.filter((w) => !isUrn(w));
  if (bad.length > 0) {
    const shown = bad.slice(0, 5).map((w) => `"${w}"`).join(", ");
    throw new RuleError(`${shown} ${bad.length === 1 ? "is not a URN" : "are not URNs"}: a URN is the register's 6-digit unique reference number, e.g. 137542.`, "urns");
  }
  return [...new Set(words.map(Number))];
}

function isUrn(text: string): boolean {
  return /^\d{6}$/.test(text) && Number(text) >= 100000;
}

/** The spreadsheet letter of a column: 0 → A, 26 → AA. */
export function columnLetter(index: number): string {
  let letters = "";
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  return letters;
}

const REGISTER_PHASES = new Map<string, SchoolPhase>(
  (["nursery", "primary", "middle-primary", "middle-secondary", "secondary", "all-through", "16-plus", "not-applicable"] as const).map((p) => [
    SCHOOL_PHASE_LABELS[p].toLowerCase(),
    p,
  ]),
);

/**
 * The register records special schools and alternative provision as types of establishment (their
 * phase is mostly "Not applicable"); for a trust's governance that is what sets them apart, so the
 * type wins over the phase.
 */
export function phaseOf(phaseName: string, typeName: string): SchoolPhase | null {
  const type = typeName.toLowerCase();
  if (type.includes("alternative provision") || type.includes("pupil referral unit")) return "alternative-provision";
  if (type.includes("special")) return "special";
  return REGISTER_PHASES.get(phaseName.trim().replace(/\s+/g, " ").toLowerCase()) ?? null;
}

const GRADES = new Map<string, LegacyGrade>(Object.entries(LEGACY_GRADES).map(([name, grade]) => [name.toLowerCase(), grade]));

/** The register writes dates as 14-03-2019; a spreadsheet that saved it again may write 14/03/2019. */
export function registerDate(text: string): string | null {
  const match = /^(\d{1,2})[-/](\d{1,2})[-/](\d{4})$/.exec(text);
  if (!match) return null;
  const iso = `${match[3]}-${match[2]!.padStart(2, "0")}-${match[1]!.padStart(2, "0")}`;
  const date = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === iso ? iso : null;
}

const POSTCODE = /^([A-Z]{1,2}[0-9][A-Z0-9]?) ?([0-9][A-Z]{2})$/;

/** Words too common in trust names to suggest one trust for another. */
const COMMON_WORDS = new Set(["the", "and", "of", "trust", "academy", "academies", "learning", "multi", "schools", "education", "educational", "limited", "ltd", "mat"]);

/** The columns the confirmation carries back, in this order (the register's names, so it reads like the register). */
export const EXTRACT_COLUMNS = COLUMN_KEYS.map((k) => COLUMNS[k]);

/**
 * Reads the register as it arrives: `write` each piece of the file, then `end`. Keeps only the rows
 * that pass the filter, checks them, and reports problems with their line and column.
 */
export class RegisterReader {
  private readonly decoder = new Utf8OrWindows1252Decoder();
  private readonly csv = new CsvStreamReader((record) => this.onRecord(record));
  private readonly target: string | null;
  private readonly wanted: Set<number> | null;
  private readonly found = new Set<number>();
  private readonly trustNames = new Map<string, string>();
  private readonly urnLines = new Map<number, number>();
  private index: Record<ColumnKey, number> | null = null;
  private width = 0;
  private stopped = false;
  private sawHeader = false;
  private readonly reading: RegisterReading = {
    schools: [],
    problems: [],
    skipped: [],
    missingUrns: [],
    similarTrustNames: [],
    rowsRead: 0,
    encoding: "utf-8",
  };

  constructor(filter: RegisterFilter) {
    this.target = filter.by === "trust" ? normaliseTrustName(filter.trustName) : null;
    this.wanted = filter.by === "urns" ? new Set(filter.urns) : null;
    if (this.target === "") throw new RuleError("Enter the trust's name as the register gives it.", "trustName");
  }

  write(bytes: Uint8Array): void {
    if (this.stopped) return;
    this.guard(() => this.csv.write(this.decoder.decode(bytes)));
  }

  /** For text already decoded (the confirmation's extract, tests). */
  writeText(text: string): void {
    if (this.stopped) return;
    this.guard(() => this.csv.write(text));
  }

  end(): RegisterReading {
    if (!this.stopped) {
      this.guard(() => {
        const rest = this.decoder.end();
        if (rest) this.csv.write(rest);
        this.csv.end();
      });
    }
    const reading = this.reading;
    reading.encoding = this.decoder.encoding;
    if (!this.sawHeader && !this.stopped) {
      reading.problems.push({ line: null, column: null, message: "The file is empty. Choose the register's establishment fields CSV." });
    }
    if (this.wanted && this.index) reading.missingUrns = [...this.wanted].filter((u) => !this.found.has(u)).sort((a, b) => a - b);
    if (this.target && this.index && reading.schools.length === 0 && reading.skipped.length === 0) reading.similarTrustNames = this.similarNames();
    return reading;
  }

  private guard(step: () => void): void {
    try {
      step();
    } catch (error) {
      if (error instanceof CsvSyntaxError) this.stop({ line: error.line, column: null, message: error.message.replace(/^Line \d+: /, "") });
      else if (error instanceof UnreadableTextError) this.stop({ line: null, column: null, message: error.message });
      else throw error;
    }
  }

  private stop(problem: RegisterProblem): void {
    this.reading.problems.push(problem);
    this.stopped = true;
  }

  private onRecord(record: CsvRecord): void {
    if (this.stopped) return;
    if (!this.index) return this.readHeader(record);
    this.readRow(record);
  }

  private readHeader(record: CsvRecord): void {
    this.sawHeader = true;
    const positions = new Map<string, number>();
    record.fields.forEach((name, i) => {
      const key = name.trim().toLowerCase();
      if (!positions.has(key)) positions.set(key, i);
    });
    const missing = Object.values(REQUIRED_COLUMNS).filter((name) => !positions.has(name.toLowerCase()));
    if (missing.length > 0) {
      return this.stop({
        line: record.line,
        column: null,
        message: `The file has no ${missing.length === 1 ? "column" : "columns"} ${missing.map((m) => `"${m}"`).join(", ")}. Use the register's "establishment fields" CSV from Get Information About Schools, with its header row unchanged.`,
      });
    }
    this.width = record.fields.length;
    this.index = Object.fromEntries(COLUMN_KEYS.map((k) => [k, positions.get(COLUMNS[k].toLowerCase()) ?? -1])) as Record<ColumnKey, number>;
  }

  private readRow(record: CsvRecord): void {
    const index = this.index!;
    const get = (key: ColumnKey) => (index[key] < 0 ? "" : (record.fields[index[key]] ?? "").trim());
    this.reading.rowsRead++;
    if (this.target !== null) {
      const trust = get("trust");
      const normalised = normaliseTrustName(trust);
      if (trust !== "" && this.trustNames.size < 20_000 && !this.trustNames.has(normalised)) this.trustNames.set(normalised, trust);
      if (normalised !== this.target) return;
    } else {
      const urn = get("urn");
      if (!isUrn(urn) || !this.wanted!.has(Number(urn))) return;
      this.found.add(Number(urn));
    }
    if (record.fields.length !== this.width) {
      this.reading.problems.push({
        line: record.line,
        column: null,
        message: `This row has ${record.fields.length} values but the header has ${this.width} columns. Perhaps a value with a comma lost its quotation marks.`,
      });
      return;
    }
    if (get("status").toLowerCase() === "closed") {
      this.reading.skipped.push({ line: record.line, urn: get("urn"), name: get("name"), reason: "The register lists this school as closed." });
      return;
    }
    const school = this.checkRow(record.line, get);
    if (school) this.reading.schools.push({ ...school, source: COLUMN_KEYS.map(get) });
  }

  private checkRow(line: number, get: (key: ColumnKey) => string): Omit<RegisterSchool, "source"> | null {
    const problems: RegisterProblem[] = [];
    const problem = (key: ColumnKey, message: string) => {
      problems.push({ line, column: `${COLUMNS[key]} (${columnLetter(this.index![key])})`, message });
    };

    const urnText = get("urn");
    const urn = isUrn(urnText) ? Number(urnText) : null;
    if (urn === null) problem("urn", `"${urnText}" is not a URN: the register's unique reference numbers have 6 digits, e.g. 137542.`);
    else if (this.urnLines.has(urn)) problem("urn", `URN ${urn} appears twice: also on line ${this.urnLines.get(urn)}.`);
    else this.urnLines.set(urn, line);

    const name = get("name");
    if (name === "") problem("name", "The school's name is empty.");
    else if (name.length > 200) problem("name", "The school's name is longer than 200 characters.");

    const phaseName = get("phase");
    const phase = phaseOf(phaseName, get("type"));
    if (phase === null) {
      problem(
        "phase",
        phaseName === ""
          ? "The phase of education is empty."
          : `"${phaseName}" is not one of the register's phases (Nursery, Primary, Middle deemed primary, Secondary, Middle deemed secondary, All-through, 16 plus, Not applicable).`,
      );
    }

    const postcodeText = get("postcode").toUpperCase().replace(/\s+/g, " ");
    const postcodeMatch = POSTCODE.exec(postcodeText);
    if (postcodeText !== "" && !postcodeMatch) problem("postcode", `"${get("postcode")}" does not look like a UK postcode, e.g. HG4 1AB.`);

    const easting = this.gridReference(get("easting"), "easting", problem);
    const northing = this.gridReference(get("northing"), "northing", problem);
    if (easting !== undefined && northing !== undefined && (easting === null) !== (northing === null)) {
      problem(easting === null ? "easting" : "northing", `The row gives ${easting === null ? "a northing but no easting" : "an easting but no northing"}; the register gives both or neither.`);
    }

    const { inspection, inspectionNote } = this.inspection(get, problem);

    if (problems.length > 0) {
      this.reading.problems.push(...problems);
      return null;
    }
    const head = `${get("headFirstName")} ${get("headLastName")}`.trim();
    return {
      line,
      urn: urn!,
      name,
      phase: phase!,
      postcode: postcodeMatch ? `${postcodeMatch[1]} ${postcodeMatch[2]}` : null,
      easting: easting ?? null,
      northing: northing ?? null,
      localAuthority: get("localAuthority") || null,
      headteacherName: head !== "" && head.length <= 200 ? head : null,
      inspection,
      inspectionNote,
    };
  }

  /** A whole number of metres on the national grid; null when empty; undefined when wrong (reported). */
  private gridReference(text: string, key: "easting" | "northing", problem: (key: ColumnKey, message: string) => void): number | null | undefined {
    if (text === "") return null;
    const value = Number(text);
    if (/^\d+$/.test(text) && value <= NATIONAL_GRID[key]) return value;
    problem(key, `"${text}" is not a grid reference: the ${key} must be a whole number of metres between 0 and ${NATIONAL_GRID[key].toLocaleString("en-GB")}.`);
    return undefined;
  }

  private inspection(
    get: (key: ColumnKey) => string,
    problem: (key: ColumnKey, message: string) => void,
  ): { inspection: RegisterInspection | null; inspectionNote: string | null } {
    const rating = get("rating");
    const dateText = get("inspected");
    const asOf = dateText === "" ? null : registerDate(dateText);
    if (dateText !== "" && asOf === null) {
      problem("inspected", `"${dateText}" is not a date: the register writes dates as day-month-year, e.g. 14-03-2019.`);
      return { inspection: null, inspectionNote: null };
    }
    if (rating === "") return { inspection: null, inspectionNote: "The register gives no Ofsted grade, so no inspection grade is recorded." };
    const grade = GRADES.get(rating.toLowerCase());
    if (grade === undefined) {
      return {
        inspection: null,
        inspectionNote: `The register's Ofsted rating "${rating}" is not one of the four grades (Outstanding, Good, Requires improvement, Inadequate), so no inspection grade is recorded.`,
      };
    }
    if (asOf === null) return { inspection: null, inspectionNote: "The register gives an Ofsted grade but no inspection date, so no inspection grade is recorded." };
    return { inspection: { grade, asOf }, inspectionNote: null };
  }

  private similarNames(): string[] {
    const target = this.target!;
    const words = target.split(" ").filter((w) => w.length > 2 && !COMMON_WORDS.has(w));
    return [...this.trustNames.entries()]
      .filter(([name]) => name.includes(target) || target.includes(name) || (words.length > 0 && words.every((w) => name.includes(w))))
      .map(([, original]) => original)
      .sort()
      .slice(0, 5);
  }
}

/** Reads a whole file at once (the command line's small files, tests). */
export function readRegister(content: Uint8Array | string, filter: RegisterFilter): RegisterReading {
  const reader = new RegisterReader(filter);
  if (typeof content === "string") reader.writeText(content);
  else reader.write(content);
  return reader.end();
}

/**
 * The kept rows as a small CSV in the register's own column names: what the preview's confirmation
 * carries back, so the server checks the same rows again instead of trusting the preview.
 */
export function registerExtract(reading: RegisterReading): string {
  return formatCsv([EXTRACT_COLUMNS, ...reading.schools.map((s) => s.source)]);
}
