/**
 * Reading schools' performance records from CSV: a good file gives its records, and every problem
 * is reported with its line and column in the clerk's words, the whole file then giving none.
 */
import { describe, expect, it } from "vitest";
import {
  alreadyRecorded,
  describeEntry,
  describePerformanceProblem,
  performanceCsvTemplate,
  readPerformanceCsv,
  type PerformanceCsvSchool,
} from "~/domain/performance-csv";
import { DEFAULT_OUTCOMES_BANDS, type PerformanceEntry } from "~/domain/performance";

const TODAY = "2026-11-24";
const SCHOOLS: PerformanceCsvSchool[] = [
  { urn: 137214, name: "Wensleydale Bridge School" },
  { urn: 139452, name: "Middleham Moor Church of England Primary School" },
  { urn: 143561, name: "Aysgarth Falls Primary School" },
];

function read(text: string | Uint8Array, bands: readonly string[] = DEFAULT_OUTCOMES_BANDS) {
  return readPerformanceCsv(text, { today: TODAY, bands, schools: SCHOOLS });
}

/** The problems as the page and the command line word them. */
function problems(text: string, bands?: readonly string[]): string[] {
  const reading = read(text, bands);
  expect(reading.rows).toEqual([]);
  return reading.problems.map(describePerformanceProblem);
}

const csv = (...lines: string[]) => lines.join("\r\n") + "\r\n";

describe("a good file", () => {
  it("reads a legacy grade and a report card, each as a record of its school, with headings in any capitals", () => {
    const reading = read(
      csv(
        "URN,School,AsOf,legacyGrade,RC_Achievement,rc_inclusion,safeguardingMet,outcomesBand,trend,reserves,deficit,note",
        "137214,Wensleydale Bridge School,2024-11-20,Good,,,met,above average,improving,\"£240,000\",no,",
        '139452,middleham moor church of england primary school,2026-01-15,,Expected standard,needs attention,not met,,,,,"Monitoring visit, spring"',
        "143561,,2025-07-31,,,,,Average,stable,-1250.50,yes,",
      ),
    );
    expect(reading.problems).toEqual([]);
    expect(reading.rows.map((r) => [r.line, r.school.urn, r.entry.asOf])).toEqual([
      [2, 137214, "2024-11-20"],
      [3, 139452, "2026-01-15"],
      [4, 143561, "2025-07-31"],
    ]);
    expect(reading.rows[0]!.entry).toMatchObject({
      inspection: { framework: "legacy", grade: 2 },
      safeguardingMet: true,
      outcomesBand: "Above average",
      trend: "improving",
      reserves: 240000,
      deficit: false,
    });
    expect(reading.rows[1]!.entry).toMatchObject({
      inspection: { framework: "report-card", grades: { achievement: "expected", inclusion: "needs-attention" } },
      safeguardingMet: false,
      note: "Monitoring visit, spring",
    });
    expect(reading.rows[2]!.entry).toMatchObject({ inspection: { framework: "none" }, reserves: -1250.5, deficit: true });
  });

  it("reads day/month/year dates as a spreadsheet set to UK dates saves them", () => {
    const reading = read(csv("urn,asOf,legacyGrade", "137214,14/03/2025,2", "139452,1-9-2024,3"));
    expect(reading.rows.map((r) => r.entry.asOf)).toEqual(["2025-03-14", "2024-09-01"]);
  });

  it("reads Windows-1252 text with a byte-order mark-free accented note, and UTF-8 with one", () => {
    const windows = new Uint8Array([...Buffer.from("urn,asOf,trend,note\r\n137214,2025-03-14,stable,Caf"), 0xe9, ...Buffer.from("\r\n")]);
    const fromWindows = read(windows);
    expect(fromWindows.encoding).toBe("windows-1252");
    expect(fromWindows.rows[0]!.entry.note).toBe("Café");
    const fromUtf8 = read(new Uint8Array(Buffer.from("\uFEFFurn,asOf,trend,note\r\n137214,2025-03-14,stable,Café\r\n")));
    expect(fromUtf8.encoding).toBe("utf-8");
    expect(fromUtf8.rows[0]!.entry.note).toBe("Café");
  });

  it("passes over the template's rows left blank, and ignores an empty column at the right", () => {
    const reading = read(csv("urn,school,asOf,trend,", "137214,Wensleydale Bridge School,,,", "139452,,2025-03-14,declining,"));
    expect(reading.problems).toEqual([]);
    expect(reading.blankLines).toEqual([2]);
    expect(reading.rows.map((r) => r.school.urn)).toEqual([139452]);
  });

  it("uses the trust's own outcomes bands", () => {
    const bands = ["Below expected", "Expected", "Above expected"];
    expect(read(csv("urn,asOf,outcomesBand", "137214,2025-07-31,expected"), bands).rows[0]!.entry.outcomesBand).toBe("Expected");
    expect(problems(csv("urn,asOf,outcomesBand", "137214,2025-07-31,Average"), bands)).toEqual([
      "Line 2, column outcomesBand (C): The outcomes band must be one of the trust's bands: Below expected, Expected or Above expected.",
    ]);
  });
});

describe("refusals, each with its line and column", () => {
  it("refuses a date in the future, naming the inspection", () => {
    expect(problems(csv("urn,asOf,legacyGrade", "137214,2026-11-25,2"))).toEqual([
      "Line 2, column asOf (B): The inspection date cannot be in the future: today is 24 November 2026.",
    ]);
    expect(problems(csv("urn,asOf,reserves", "137214,2027-03-31,1000"))).toEqual([
      "Line 2, column asOf (B): The record's date cannot be in the future: today is 24 November 2026.",
    ]);
  });

  it("refuses a legacy grade and report-card grades in one record", () => {
    expect(problems(csv("urn,asOf,legacyGrade,rc_achievement", "137214,2025-03-14,2,strong"))).toEqual([
      "Line 2, column legacyGrade (C): A record holds a legacy grade or a 2025 report card, not both: Ofsted's report-card grades cannot be compared with the old grades. Enter each inspection as a record of its own.",
    ]);
  });

  it("refuses grades off their scales and a date that is not a day", () => {
    expect(problems(csv("urn,asOf,legacyGrade", "137214,2025-02-30,5", "139452,2025-03-14,Excellent"))).toEqual([
      "Line 2, column asOf (B): Enter the date as year-month-day, e.g. 2025-03-14.",
      "Line 2, column legacyGrade (C): The legacy grade must be 1 (Outstanding), 2 (Good), 3 (Requires improvement) or 4 (Inadequate).",
      "Line 3, column legacyGrade (C): The legacy grade must be 1 (Outstanding), 2 (Good), 3 (Requires improvement) or 4 (Inadequate).",
    ]);
    expect(problems(csv("urn,asOf,rc_inclusion", "137214,2025-03-14,Good"))).toEqual([
      "Line 2, column rc_inclusion (C): Inclusion: the grade must be Exceptional, Strong standard, Expected standard, Needs attention or Urgent improvement.",
    ]);
  });

  it("refuses a URN that is not a URN, not the trust's, or missing, and a name that is not the URN's school", () => {
    expect(
      problems(
        csv(
          "urn,school,asOf,trend",
          "13721,,2025-03-14,stable",
          "999999,,2025-03-14,stable",
          ",,2025-03-14,stable",
          "137214,Aysgarth Falls Primary School,2025-03-14,stable",
        ),
      ),
    ).toEqual([
      'Line 2, column urn (A): "13721" is not a URN: a URN is the school\'s 6-digit unique reference number, e.g. 137214.',
      "Line 3, column urn (A): URN 999999 is not one of the trust's schools. Check the number, or add the school first (on the Structure page, or by importing it from the DfE register).",
      "Line 4, column urn (A): Enter the school's URN, e.g. 137214.",
      'Line 5, column school (B): URN 137214 is Wensleydale Bridge School in the trust, not "Aysgarth Falls Primary School": correct the URN or the name.',
    ]);
  });

  it("refuses unknown columns by name, suggesting the one meant, a column twice, and a missing urn or asOf", () => {
    expect(problems(csv("urn,As Of,Grade,trend,TREND", "137214,2025-03-14,2,stable,stable"))).toEqual([
      'Line 1, column As Of (B): The import has no column "As Of": did you mean asOf? Headings are the names in the template, e.g. asOf, legacyGrade, rc_achievement (capitals do not matter).',
      `Line 1, column Grade (C): The import has no column "Grade". The columns are urn, school, asOf, inspectionFramework, legacyGrade, rc_leadership-and-governance, rc_curriculum-and-teaching, rc_attendance-and-behaviour, rc_achievement, rc_personal-development-and-wellbeing, rc_inclusion, rc_early-years, rc_post-16, safeguardingMet, outcomesBand, trend, inYearBalance, reserves, deficit, safeguardingAudit, leadershipStability, terminationWarning, note (capitals do not matter); remove this one, or rename it.`,
      "Line 1, column TREND (E): The column trend appears twice (also column D): keep one.",
      'Line 1: The heading row has no "asOf" column: each row needs the date the record describes, e.g. 2025-03-14.',
    ]);
    expect(problems(csv("school,asOf,trend", "Wensleydale Bridge School,2025-03-14,stable"))).toEqual([
      'Line 1: The heading row has no "urn" column: each row names its school by its URN.',
    ]);
  });

  it("refuses a row with more or fewer values than the heading row, and a value under no heading", () => {
    expect(problems(csv("urn,asOf,note,", "137214,2025-03-14,Visit, spring,", "139452,2025-03-14", "143561,2025-03-14,Visit,stray"))).toEqual([
      "Line 2: This row has 5 values but the heading row has 4 columns. Perhaps a value with a comma lost its quotation marks.",
      "Line 3: This row has 2 values but the heading row has 4 columns. Perhaps a value with a comma lost its quotation marks.",
      "Line 4, column D: This value is in a column with no heading: give the column its name, or clear the value.",
      "Line 4: Record at least one thing as of that date: the inspection, outcomes, finances, the safeguarding audit, leadership or a termination warning.",
    ]);
  });

  it("names a field the row needs that the file has no column for", () => {
    expect(problems(csv("urn,asOf,inspectionFramework", "137214,2025-03-14,legacy"))).toEqual([
      "Line 2, column legacyGrade (not in the file): Choose the legacy grade: 1 (Outstanding), 2 (Good), 3 (Requires improvement) or 4 (Inadequate).",
    ]);
  });

  it("refuses two records of one school on one day, and a record that says nothing but its date", () => {
    expect(problems(csv("urn,asOf,trend,note", "137214,2025-03-14,stable,", "137214,14/03/2025,improving,", "139452,2025-03-14,,Just a note"))).toEqual([
      "Line 3, column asOf (B): Line 2 is also a record of URN 137214 as of 2025-03-14: put what the school's record says on that day in one row.",
      "Line 4: Record at least one thing as of that date: the inspection, outcomes, finances, the safeguarding audit, leadership or a termination warning.",
    ]);
  });

  it("reports every problem of the file, on every line, and gives no record at all", () => {
    const reading = read(csv("urn,asOf,legacyGrade,trend", "137214,2025-03-14,2,stable", "139452,2030-01-01,2,", "143561,2025-03-14,,sideways"));
    expect(reading.rows).toEqual([]);
    expect(reading.problems.map((p) => [p.line, p.column?.name])).toEqual([
      [3, "asOf"],
      [4, "trend"],
    ]);
  });

  it("refuses a file that is empty, has no records, records nothing, is not valid CSV or mixes encodings", () => {
    expect(problems("")).toEqual(["The file is empty. Its first row names the columns, e.g. urn,school,asOf,legacyGrade; download the template to start from."]);
    expect(problems(csv("urn,asOf,trend"))).toEqual(["The file has a heading row but no records below it."]);
    expect(problems(csv("urn,school,asOf,trend", "137214,Wensleydale Bridge School,,"))).toEqual([
      "The file records nothing: every row names a school and leaves the rest blank. Fill in at least one record.",
    ]);
    expect(problems(csv("urn,asOf,note", '137214,2025-03-14,"Visit'))).toEqual(["Line 2: a quoted value is never closed (a quotation mark is missing)"]);
    const mixed = new Uint8Array([...Buffer.from("urn,asOf,note\r\n137214,2025-03-14,Café "), 0xe9, ...Buffer.from("\r\n")]);
    expect(read(mixed).problems.map(describePerformanceProblem)).toEqual([
      "The file mixes two text encodings (UTF-8 and Windows-1252), so its accented letters cannot be read reliably. Save it again as CSV (UTF-8) and upload that.",
    ]);
  });
});

describe("the template, and records already kept", () => {
  it("offers a row per school to fill in, which reads back as nothing to import", () => {
    const template = performanceCsvTemplate(SCHOOLS.slice(0, 2));
    const lines = template.split("\r\n");
    expect(lines[0]).toMatch(/^urn,school,asOf,inspectionFramework,legacyGrade,rc_leadership-and-governance,/);
    expect(lines[1]).toBe(`137214,Wensleydale Bridge School${",".repeat(21)}`);
    expect(read(template).blankLines).toEqual([2, 3]);
  });

  it("knows a record kept word for word, and only then", () => {
    const [entry] = read(csv("urn,asOf,rc_achievement,rc_inclusion,reserves", "137214,2026-01-15,strong,expected,-12500.5")).rows.map((r) => r.entry) as [PerformanceEntry];
    const kept: PerformanceEntry = { ...entry, inspection: { framework: "report-card", grades: { achievement: "strong", inclusion: "expected" } }, reserves: -12500.5 };
    expect(alreadyRecorded(entry, [kept])).toBe(true);
    expect(alreadyRecorded(entry, [{ ...kept, reserves: -12500 }])).toBe(false);
    expect(alreadyRecorded(entry, [])).toBe(false);
  });

  it("describes a record in a line", () => {
    const [legacy, card] = read(
      csv("urn,asOf,legacyGrade,rc_achievement,safeguardingMet,outcomesBand,trend,reserves,deficit,terminationWarning", "137214,2024-11-20,2,,met,Average,declining,240000,no,", "139452,2026-01-15,,strong,not met,,,,,yes"),
    ).rows.map((r) => describeEntry(r.entry));
    expect(legacy).toBe("Good (grade 2), safeguarding met; outcomes Average, declining; reserves £240,000.00; no unplanned deficit");
    expect(card).toBe("Report card: Achievement Strong standard, safeguarding not met; termination warning notice");
  });
});
