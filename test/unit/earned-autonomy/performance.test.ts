/**
 * Entering a performance record, as the school page's form and the CSV import both do: what is
 * accepted, what each refusal says, and the inspection's two frameworks kept apart.
 */
import { describe, expect, it } from "vitest";
import {
  inspectionColumns,
  inspectionOf,
  performanceRecordSchema,
  PERFORMANCE_RECORD_FIELDS,
  type PerformanceEntry,
  type PerformanceRecordFields,
} from "~/domain/performance";

const TODAY = "2026-11-24";

function parse(fields: PerformanceRecordFields, bands?: string[]) {
  return performanceRecordSchema(TODAY, bands).safeParse(fields);
}

function accepted(fields: PerformanceRecordFields): PerformanceEntry {
  const result = parse(fields);
  if (!result.success) throw new Error(result.error.issues.map((i) => i.message).join("; "));
  return result.data;
}

/** Field → message, as the form shows them. */
function refusals(fields: PerformanceRecordFields, bands?: string[]): Record<string, string> {
  const result = parse(fields, bands);
  expect(result.success).toBe(false);
  return Object.fromEntries((result.error?.issues ?? []).map((i) => [i.path.join("."), i.message]));
}

describe("a performance record as entered", () => {
  it("reads a legacy inspection with outcomes and finances, as text from a form or CSV row", () => {
    const entry = accepted({
      asOf: "2025-03-14",
      legacyGrade: "2",
      safeguardingMet: "met",
      outcomesBand: "above average",
      trend: "Improving",
      inYearBalance: "-£12,500.50",
      reserves: "240000",
      deficit: "no",
      safeguardingAudit: "Green",
      leadershipStability: "Some change",
      note: "  Section 8 visit  ",
    });
    expect(entry).toEqual({
      asOf: "2025-03-14",
      inspection: { framework: "legacy", grade: 2 },
      safeguardingMet: true,
      outcomesBand: "Above average",
      trend: "improving",
      inYearBalance: -12500.5,
      reserves: 240000,
      deficit: false,
      safeguardingAudit: "green",
      leadershipStability: "some-change",
      terminationWarning: false,
      note: "Section 8 visit",
    });
  });

  it("reads a legacy grade given by its name, as the DfE register writes it", () => {
    expect(accepted({ asOf: "2025-03-14", legacyGrade: "Requires improvement" }).inspection).toEqual({ framework: "legacy", grade: 3 });
  });

  it("reads a report card area by area, by the grade's id or its words, and leaves ungraded areas out", () => {
    const entry = accepted({
      asOf: "2026-01-20",
      inspectionFramework: "report-card",
      "rc_leadership-and-governance": "Strong standard",
      rc_inclusion: "needs-attention",
      rc_achievement: "expected",
      safeguardingMet: "not met",
    });
    expect(entry.inspection).toEqual({
      framework: "report-card",
      grades: { "leadership-and-governance": "strong", achievement: "expected", inclusion: "needs-attention" },
    });
    expect(entry.safeguardingMet).toBe(false);
  });

  it("takes the framework from the grades when it is left blank, and a ticked checkbox as yes", () => {
    expect(accepted({ asOf: "2026-01-20", rc_achievement: "exceptional" }).inspection.framework).toBe("report-card");
    expect(accepted({ asOf: "2026-01-20", terminationWarning: "on" }).terminationWarning).toBe(true);
  });

  it("refuses an inspection dated in the future, and a record dated in the future, naming today", () => {
    expect(refusals({ asOf: "2026-11-25", legacyGrade: "2" })).toEqual({
      asOf: "The inspection date cannot be in the future: today is 24 November 2026.",
    });
    expect(refusals({ asOf: "2027-01-01", outcomesBand: "Average" })).toEqual({
      asOf: "The record's date cannot be in the future: today is 24 November 2026.",
    });
    expect(accepted({ asOf: TODAY, legacyGrade: "1" }).asOf).toBe(TODAY);
  });

  it("refuses a missing date, and one that is not a real day", () => {
    expect(refusals({ legacyGrade: "2" })).toEqual({ asOf: "Enter the date the record describes, e.g. 2025-03-14." });
    expect(refusals({ asOf: "2025-02-30", legacyGrade: "2" })).toEqual({ asOf: "Enter the date as year-month-day, e.g. 2025-03-14." });
    expect(refusals({ asOf: "14/03/2025", legacyGrade: "2" })).toEqual({ asOf: "Enter the date as year-month-day, e.g. 2025-03-14." });
  });

  it("refuses grades outside the scales", () => {
    expect(refusals({ asOf: "2025-03-14", legacyGrade: "5" })).toEqual({
      legacyGrade: "The legacy grade must be 1 (Outstanding), 2 (Good), 3 (Requires improvement) or 4 (Inadequate).",
    });
    expect(refusals({ asOf: "2025-03-14", legacyGrade: "0" }).legacyGrade).toMatch(/^The legacy grade must be 1/);
    expect(refusals({ asOf: "2026-01-20", rc_inclusion: "Good" })).toEqual({
      rc_inclusion: "Inclusion: the grade must be Exceptional, Strong standard, Expected standard, Needs attention or Urgent improvement.",
    });
  });

  it("refuses a legacy grade together with report-card grades: the two are never compared", () => {
    expect(refusals({ asOf: "2026-01-20", legacyGrade: "2", rc_achievement: "strong" })).toEqual({
      legacyGrade:
        "A record holds a legacy grade or a 2025 report card, not both: Ofsted's report-card grades cannot be compared with the old grades. Enter each inspection as a record of its own.",
    });
  });

  it("refuses a report card with no area graded, and a legacy inspection with no grade", () => {
    expect(refusals({ asOf: "2026-01-20", inspectionFramework: "report-card", safeguardingMet: "met" })).toEqual({
      inspectionFramework: "A report card needs a grade in at least one area.",
    });
    expect(refusals({ asOf: "2025-03-14", inspectionFramework: "legacy" })).toEqual({
      legacyGrade: "Choose the legacy grade: 1 (Outstanding), 2 (Good), 3 (Requires improvement) or 4 (Inadequate).",
    });
  });

  it("refuses a framework that contradicts the grades given", () => {
    expect(refusals({ asOf: "2026-01-20", inspectionFramework: "legacy", rc_achievement: "strong" }).inspectionFramework).toMatch(/legacy grade but gives report-card grades/);
    expect(refusals({ asOf: "2026-01-20", inspectionFramework: "none", legacyGrade: "2" }).inspectionFramework).toMatch(/no inspection but gives inspection grades/);
  });

  it("refuses safeguarding met or not met without an inspection", () => {
    expect(refusals({ asOf: "2025-03-14", safeguardingMet: "met", outcomesBand: "Average" })).toEqual({
      safeguardingMet: "Safeguarding met or not met is an inspection's judgement: enter the inspection's grades with it, or leave it blank.",
    });
  });

  it("refuses money with more than 2 decimal places or that is not a number", () => {
    expect(refusals({ asOf: "2025-03-14", inYearBalance: "12.345" })).toEqual({
      inYearBalance: "The in-year balance must be an amount in pounds with at most 2 decimal places, e.g. -12500.50.",
    });
    expect(refusals({ asOf: "2025-03-14", reserves: "about ten grand" })).toEqual({
      reserves: "The reserves must be an amount in pounds with at most 2 decimal places, e.g. -12500.50.",
    });
    expect(refusals({ asOf: "2025-03-14", reserves: "1000000000000" })).toEqual({ reserves: "The reserves must be less than £1,000,000,000,000." });
  });

  it("refuses an outcomes band that is not one of the trust's", () => {
    expect(refusals({ asOf: "2025-03-14", outcomesBand: "Average" }, ["Below", "In line", "Above"])).toEqual({
      outcomesBand: "The outcomes band must be one of the trust's bands: Below, In line or Above.",
    });
    expect(performanceRecordSchema(TODAY, ["Below", "In line", "Above"]).parse({ asOf: "2025-03-14", outcomesBand: "in line" }).outcomesBand).toBe("In line");
  });

  it("refuses the other choices outside their lists, and yes/no answers that are neither", () => {
    expect(refusals({ asOf: "2025-03-14", trend: "up", safeguardingAudit: "purple", leadershipStability: "wobbly", deficit: "maybe" })).toEqual({
      trend: "The trend must be improving, stable or declining.",
      safeguardingAudit: "The internal safeguarding audit must be green, amber or red.",
      leadershipStability: "Leadership stability must be stable, some change or unstable.",
      deficit: "Unplanned deficit: answer yes or no.",
    });
  });

  it("refuses a record that says nothing but its date", () => {
    expect(refusals({ asOf: "2025-03-14", note: "nothing to add" })).toEqual({
      "": "Record at least one thing as of that date: the inspection, outcomes, finances, the safeguarding audit, leadership or a termination warning.",
    });
  });

  it("lists a CSV column for every field, with one per report-card area", () => {
    expect(PERFORMANCE_RECORD_FIELDS).toContain("rc_personal-development-and-wellbeing");
    expect(PERFORMANCE_RECORD_FIELDS.filter((f) => f.startsWith("rc_"))).toHaveLength(8);
  });
});

describe("an inspection in the database's columns", () => {
  it("round-trips each framework through the columns", () => {
    for (const inspection of [
      { framework: "none" as const },
      { framework: "legacy" as const, grade: 3 as const },
      { framework: "report-card" as const, grades: { inclusion: "expected" as const } },
    ]) {
      const { inspectionFramework, legacyGrade, reportCard } = inspectionColumns(inspection);
      expect(inspectionOf(inspectionFramework, legacyGrade, reportCard)).toEqual(inspection);
    }
  });

  it("reads a stored report card leniently, leaving out unknown areas and grades", () => {
    expect(inspectionOf("report-card", null, { inclusion: "strong", vibes: "expected", achievement: "good" })).toEqual({
      framework: "report-card",
      grades: { inclusion: "strong" },
    });
    expect(inspectionOf("legacy", 7, null)).toEqual({ framework: "none" });
  });
});
