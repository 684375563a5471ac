/**
 * A school's performance as the trust records it, dated (domain.md §5(d), "School inputs"): the
 * inspection, outcomes, finances, the internal safeguarding audit and leadership. One record is one
 * row of performance_records; the models convert between the two.
 *
 * An inspection is either a legacy grade (1–4) or a 2025 report card (a grade per area), never both
 * and never translated into the other: Ofsted says the new grades "cannot be compared to previous
 * judgements" (EA-15, [OFSTED-RC1]).
 *
 * performanceRecordSchema is the one way a record is entered, by the school page's form and by the
 * CSV import alike: flat text fields as either sends them, with messages in the clerk's words.
 */
import { z } from "zod";
import { LEGACY_GRADE_LABELS, LEGACY_GRADES, RAG, REPORT_CARD_AREAS, REPORT_CARD_GRADES, type Rag } from "./autonomy";
import { isIsoDate, longDate } from "./dates";

export type LegacyGrade = (typeof LEGACY_GRADES)[number];
export type ReportCardGrade = (typeof REPORT_CARD_GRADES)[number];
export type ReportCardArea = (typeof REPORT_CARD_AREAS)[number];

/** The areas one report card grades; an area not inspected (early years, post-16) is absent. */
export type ReportCard = Partial<Record<ReportCardArea, ReportCardGrade>>;

export const REPORT_CARD_GRADE_LABELS: Record<ReportCardGrade, string> = {
  exceptional: "Exceptional",
  strong: "Strong standard",
  expected: "Expected standard",
  "needs-attention": "Needs attention",
  "urgent-improvement": "Urgent improvement",
};

export const REPORT_CARD_AREA_LABELS: Record<ReportCardArea, string> = {
  "leadership-and-governance": "Leadership and governance",
  "curriculum-and-teaching": "Curriculum and teaching",
  "attendance-and-behaviour": "Attendance and behaviour",
  achievement: "Achievement",
  "personal-development-and-wellbeing": "Personal development and well-being",
  inclusion: "Inclusion",
  "early-years": "Early years",
  "post-16": "Post-16",
};

/** The inspection a record holds. The union keeps the two frameworks apart: nothing converts one to the other. */
export type Inspection =
  | { framework: "none" }
  | { framework: "legacy"; grade: LegacyGrade }
  | { framework: "report-card"; grades: ReportCard };

export const INSPECTION_FRAMEWORKS = ["none", "legacy", "report-card"] as const;
export type InspectionFramework = (typeof INSPECTION_FRAMEWORKS)[number];

/** The trust's reading of the direction of its outcomes over the last two data points. */
export const TRENDS = ["improving", "stable", "declining"] as const;
export type Trend = (typeof TRENDS)[number];

export const LEADERSHIP_STABILITIES = ["stable", "some-change", "unstable"] as const;
export type LeadershipStability = (typeof LEADERSHIP_STABILITIES)[number];
export const LEADERSHIP_STABILITY_LABELS: Record<LeadershipStability, string> = { stable: "Stable", "some-change": "Some change", unstable: "Unstable" };

export const RECORD_SOURCES = ["manual", "csv", "gias", "seed"] as const;
export type RecordSource = (typeof RECORD_SOURCES)[number];

/**
 * The outcomes bands a trust starts with, lowest first: the DfE's Progress 8 categories. A trust
 * may use its own (a primary trust's bands, say); the order is what the rules compare.
 */
export const DEFAULT_OUTCOMES_BANDS = ["Well below average", "Below average", "Average", "Above average", "Well above average"] as const;

/** What one record says, as entered. */
export interface PerformanceEntry {
  /** The day the record describes: the inspection's date when it holds one. */
  asOf: string;
  inspection: Inspection;
  /** The inspection's safeguarding judgement (met or not met; "effective" in a legacy report); null when not recorded. */
  safeguardingMet: boolean | null;
  /** One of the trust's outcomes bands, as the trust names it. */
  outcomesBand: string | null;
  trend: Trend | null;
  /** Pounds, to the penny: the year's income less its spending (negative for an in-year deficit). */
  inYearBalance: number | null;
  /** Pounds, to the penny: the school's cumulative reserves (negative for a cumulative deficit). */
  reserves: number | null;
  /** The school is in a deficit its budget did not plan for (the ESFA's notification trigger). */
  deficit: boolean | null;
  /** The trust's own internal safeguarding audit. */
  safeguardingAudit: Rag | null;
  leadershipStability: LeadershipStability | null;
  /** The DfE has issued a termination warning notice. */
  terminationWarning: boolean;
  note: string | null;
}

/** A stored record: one row of performance_records. */
export interface PerformanceRecord extends PerformanceEntry {
  id: string;
  schoolId: string;
  source: RecordSource;
}

// ---------------------------------------------------------------- reading records

/** Newest first; records of the same day keep their given order. */
export function newestFirst<T extends { asOf: string }>(records: readonly T[]): T[] {
  return [...records].sort((a, b) => (a.asOf < b.asOf ? 1 : a.asOf > b.asOf ? -1 : 0));
}

/** The newest record that holds an inspection, of either framework. */
export function latestInspection<T extends PerformanceEntry>(records: readonly T[]): (T & { inspection: Exclude<Inspection, { framework: "none" }> }) | null {
  const found = newestFirst(records).find((record) => record.inspection.framework !== "none");
  return (found as (T & { inspection: Exclude<Inspection, { framework: "none" }> }) | undefined) ?? null;
}

/** "Good (grade 2)", "report card", in a sentence about the record. */
export function inspectionName(inspection: Inspection): string {
  if (inspection.framework === "legacy") return `${LEGACY_GRADE_LABELS[inspection.grade]} (grade ${inspection.grade})`;
  if (inspection.framework === "report-card") return "report card";
  return "no inspection";
}

/** A band's place in the trust's list (0 lowest), or null when the trust has no such band. */
export function bandRank(bands: readonly string[], band: string | null): number | null {
  if (band === null) return null;
  const wanted = band.trim().toLowerCase();
  const index = bands.findIndex((b) => b.toLowerCase() === wanted);
  return index === -1 ? null : index;
}

/**
 * The inspection stored in a row's columns, read leniently: a report card's unknown areas or grades
 * are left out, and columns that contradict each other (the database refuses them) read as no inspection.
 */
export function inspectionOf(framework: string | null, legacyGrade: number | null, reportCard: unknown): Inspection {
  if (framework === "legacy" && (LEGACY_GRADES as readonly number[]).includes(legacyGrade ?? 0)) {
    return { framework: "legacy", grade: legacyGrade as LegacyGrade };
  }
  if (framework === "report-card" && reportCard && typeof reportCard === "object" && !Array.isArray(reportCard)) {
    const grades: ReportCard = {};
    for (const area of REPORT_CARD_AREAS) {
      const grade = (reportCard as Record<string, unknown>)[area];
      if ((REPORT_CARD_GRADES as readonly unknown[]).includes(grade)) grades[area] = grade as ReportCardGrade;
    }
    return { framework: "report-card", grades };
  }
  return { framework: "none" };
}

/** The columns of performance_records that hold an inspection. */
export function inspectionColumns(inspection: Inspection): { inspectionFramework: "legacy" | "report-card" | null; legacyGrade: LegacyGrade | null; reportCard: ReportCard | null } {
  if (inspection.framework === "legacy") return { inspectionFramework: "legacy", legacyGrade: inspection.grade, reportCard: null };
  if (inspection.framework === "report-card") return { inspectionFramework: "report-card", legacyGrade: null, reportCard: inspection.grades };
  return { inspectionFramework: null, legacyGrade: null, reportCard: null };
}

// ---------------------------------------------------------------- entering a record

/** The form field (and CSV column) of a report-card area: rc_achievement, rc_leadership-and-governance, … */
export function reportCardField(area: ReportCardArea): `rc_${ReportCardArea}` {
  return `rc_${area}`;
}

/** Every field of the form and column of the CSV file, in the order the CSV documentation lists them. */
export const PERFORMANCE_RECORD_FIELDS = [
  "asOf",
  "inspectionFramework",
  "legacyGrade",
  ...REPORT_CARD_AREAS.map(reportCardField),
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
] as const;
export type PerformanceRecordField = (typeof PERFORMANCE_RECORD_FIELDS)[number];

/** The record as a form or a CSV row sends it: text, blank or absent where not given. */
export type PerformanceRecordFields = Partial<Record<PerformanceRecordField, string>>;

const NOTE_LIMIT = 2000;
/** performance_records keeps money as numeric(14, 2): up to 12 figures of pounds. */
const POUND_FIGURES = 12;

/** "Needs attention", "needs_attention" and "needs-attention" are the same choice. */
function normalised(text: string): string {
  return text.trim().toLowerCase().replace(/[\s_]+/g, "-");
}

function choice<T extends string>(text: string, values: readonly T[], labels: Partial<Record<T, string>> = {}): T | null {
  const wanted = normalised(text);
  return values.find((value) => normalised(value) === wanted || (labels[value] !== undefined && normalised(labels[value]) === wanted)) ?? null;
}

/** "a, b, c or d". */
function either(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} or ${items[items.length - 1]}`;
}

const YES = ["yes", "y", "true", "on", "1"];
const NO = ["no", "n", "false", "off", "0"];

const LEGACY_CHOICES = either(LEGACY_GRADES.map((g) => `${g} (${LEGACY_GRADE_LABELS[g]})`));
const REPORT_CARD_CHOICES = either(REPORT_CARD_GRADES.map((g) => REPORT_CARD_GRADE_LABELS[g]));

const fieldShape = Object.fromEntries(PERFORMANCE_RECORD_FIELDS.map((field) => [field, z.string().optional()])) as Record<
  PerformanceRecordField,
  z.ZodOptional<z.ZodString>
>;

/**
 * The schema of one record as entered. `today` (YYYY-MM-DD) is passed in so that the schema stays
 * pure; `bands` are the trust's outcomes bands. Every refusal names the field it concerns.
 */
export function performanceRecordSchema(today: string, bands: readonly string[] = DEFAULT_OUTCOMES_BANDS) {
  return z.object(fieldShape).transform((fields, ctx): PerformanceEntry => {
    let refused = false;
    const refuse = (field: PerformanceRecordField | null, message: string) => {
      refused = true;
      ctx.issues.push({ code: "custom", message, input: field ? fields[field] : fields, path: field ? [field] : [] });
    };
    const given = (field: PerformanceRecordField): string | null => {
      const text = fields[field]?.trim();
      return text ? text : null;
    };

    function yesNo(field: PerformanceRecordField, label: string): boolean | null {
      const text = given(field);
      if (text === null) return null;
      if (YES.includes(text.toLowerCase())) return true;
      if (NO.includes(text.toLowerCase())) return false;
      refuse(field, `${label}: answer yes or no.`);
      return null;
    }

    function oneOf<T extends string>(field: PerformanceRecordField, values: readonly T[], message: string, labels?: Partial<Record<T, string>>): T | null {
      const text = given(field);
      if (text === null) return null;
      const found = choice(text, values, labels);
      if (found === null) refuse(field, message);
      return found;
    }

    function pounds(field: PerformanceRecordField, label: string): number | null {
      const text = given(field);
      if (text === null) return null;
      const figures = text.replace(/^(-?)£/, "$1").replace(/,/g, "");
      const match = /^-?(\d+)(\.\d{1,2})?$/.exec(figures);
      if (!match) {
        refuse(field, `${label} must be an amount in pounds with at most 2 decimal places, e.g. -12500.50.`);
        return null;
      }
      if (match[1]!.replace(/^0+/, "").length > POUND_FIGURES) {
        refuse(field, `${label} must be less than £1,000,000,000,000.`);
        return null;
      }
      return Number(figures);
    }

    // The date.
    const asOfText = given("asOf");
    let asOf = "";
    if (asOfText === null) refuse("asOf", "Enter the date the record describes, e.g. 2025-03-14.");
    else if (!isIsoDate(asOfText)) refuse("asOf", "Enter the date as year-month-day, e.g. 2025-03-14.");
    else asOf = asOfText;

    // The inspection: a legacy grade or report-card grades, never both.
    const framework = oneOf("inspectionFramework", INSPECTION_FRAMEWORKS, "Choose the inspection: none, a legacy grade or a 2025 report card.", {
      none: "No inspection",
      legacy: "Legacy grade",
      "report-card": "Report card",
    });
    const legacyText = given("legacyGrade");
    let legacy: LegacyGrade | null = null;
    if (legacyText !== null) {
      const byNumber = (LEGACY_GRADES as readonly number[]).includes(Number(legacyText)) ? (Number(legacyText) as LegacyGrade) : null;
      const byName = LEGACY_GRADES.find((g) => normalised(LEGACY_GRADE_LABELS[g]) === normalised(legacyText)) ?? null;
      legacy = byNumber ?? byName;
      if (legacy === null) refuse("legacyGrade", `The legacy grade must be ${LEGACY_CHOICES}.`);
    }
    const grades: ReportCard = {};
    let gradedAreas = 0;
    for (const area of REPORT_CARD_AREAS) {
      const grade = oneOf(reportCardField(area), REPORT_CARD_GRADES, `${REPORT_CARD_AREA_LABELS[area]}: the grade must be ${REPORT_CARD_CHOICES}.`, REPORT_CARD_GRADE_LABELS);
      if (grade) grades[area] = grade;
      if (given(reportCardField(area)) !== null) gradedAreas++;
    }
    let inspection: Inspection = { framework: "none" };
    if (legacyText !== null && gradedAreas > 0) {
      refuse(
        "legacyGrade",
        "A record holds a legacy grade or a 2025 report card, not both: Ofsted's report-card grades cannot be compared with the old grades. Enter each inspection as a record of its own.",
      );
    } else if (framework === "none" && (legacyText !== null || gradedAreas > 0)) {
      refuse("inspectionFramework", "The record says there was no inspection but gives inspection grades: choose the inspection, or clear the grades.");
    } else if (framework === "legacy" && gradedAreas > 0) {
      refuse("inspectionFramework", "The record says the inspection has a legacy grade but gives report-card grades: choose a 2025 report card, or clear them.");
    } else if (framework === "report-card" && legacyText !== null) {
      refuse("inspectionFramework", "The record says the inspection is a 2025 report card but gives a legacy grade: choose the legacy grade, or clear it.");
    } else if (framework === "legacy" && legacyText === null) {
      refuse("legacyGrade", `Choose the legacy grade: ${LEGACY_CHOICES}.`);
    } else if (framework === "report-card" && gradedAreas === 0) {
      refuse("inspectionFramework", "A report card needs a grade in at least one area.");
    } else if (legacy !== null) {
      inspection = { framework: "legacy", grade: legacy };
    } else if (gradedAreas > 0) {
      inspection = { framework: "report-card", grades };
    }
    const inspected = legacyText !== null || gradedAreas > 0 || framework === "legacy" || framework === "report-card";

    if (asOf && asOf > today) {
      refuse("asOf", `${inspected ? "The inspection date" : "The record's date"} cannot be in the future: today is ${longDate(today)}.`);
    }

    const safeguardingText = given("safeguardingMet");
    let safeguardingMet: boolean | null = null;
    if (safeguardingText !== null) {
      const said = normalised(safeguardingText);
      if (["met", "effective", ...YES].includes(said)) safeguardingMet = true;
      else if (["not-met", "not-effective", "ineffective", ...NO].includes(said)) safeguardingMet = false;
      else refuse("safeguardingMet", "Safeguarding: choose met or not met.");
      if (safeguardingMet !== null && !inspected) {
        refuse("safeguardingMet", "Safeguarding met or not met is an inspection's judgement: enter the inspection's grades with it, or leave it blank.");
      }
    }

    const band = oneOf("outcomesBand", bands, `The outcomes band must be one of the trust's bands: ${either(bands)}.`);
    const entry: PerformanceEntry = {
      asOf,
      inspection,
      safeguardingMet,
      outcomesBand: band,
      trend: oneOf("trend", TRENDS, "The trend must be improving, stable or declining."),
      inYearBalance: pounds("inYearBalance", "The in-year balance"),
      reserves: pounds("reserves", "The reserves"),
      deficit: yesNo("deficit", "Unplanned deficit"),
      safeguardingAudit: oneOf("safeguardingAudit", RAG, "The internal safeguarding audit must be green, amber or red."),
      leadershipStability: oneOf("leadershipStability", LEADERSHIP_STABILITIES, "Leadership stability must be stable, some change or unstable.", LEADERSHIP_STABILITY_LABELS),
      terminationWarning: yesNo("terminationWarning", "Termination warning notice") ?? false,
      note: given("note"),
    };
    if (entry.note !== null && entry.note.length > NOTE_LIMIT) refuse("note", `Keep the note to ${NOTE_LIMIT.toLocaleString("en-GB")} characters.`);

    const saysSomething = PERFORMANCE_RECORD_FIELDS.some((field) => field !== "asOf" && field !== "inspectionFramework" && field !== "note" && given(field) !== null);
    // Said only after the other refusals, which already tell the clerk what to enter.
    if (!refused && !saysSomething) {
      refuse(null, "Record at least one thing as of that date: the inspection, outcomes, finances, the safeguarding audit, leadership or a termination warning.");
    }
    return refused ? z.NEVER : entry;
  });
}
