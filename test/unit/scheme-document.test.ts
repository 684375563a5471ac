import { describe, expect, it } from "vitest";
import type { DecisionCode } from "~/domain/codes";
import { findKey } from "~/domain/decision-keys";
import { cellKey, type Scheme, type SchemeRow } from "~/domain/scheme";
import {
  changeSections,
  chartOf,
  codeKey,
  documentColumns,
  documentKey,
  matrixAreas,
  schoolChanges,
  schoolsByTier,
  structureBodies,
  tierChanges,
  type BodyDetails,
} from "~/domain/scheme-document";
import { tierNames } from "~/domain/variants";
import { versionDiff } from "~/domain/version-diff";
import { blocksOf } from "~/export/narrative.server";

function row(id: string, area: number, ref: string, extra: Partial<SchemeRow> = {}): SchemeRow {
  return {
    id,
    catalogueKey: null,
    area,
    section: null,
    ref,
    title: `Row ${id}`,
    guidance: null,
    decisionKinds: null,
    excludedKinds: null,
    statutoryRule: null,
    locked: false,
    externalApproval: false,
    tags: [],
    position: Number(ref.split(".")[1]),
    ...extra,
  };
}

const variant = (code: DecisionCode | null, note: string | null = null) => ({ code, note });

const scheme: Scheme = {
  version: { id: "v", number: 2, status: "approved", basedOnId: null, approvedByBodyId: null, approvedOn: null, minuteRef: null, reviewDueOn: null, breakPointReason: null, version: 1 },
  // Deliberately out of tier order: the document puts them in it.
  columns: [
    { id: "head", kind: "school", name: "Headteacher", shortName: "Head", mode: "decision-making", position: 9 },
    { id: "board", kind: "board", name: "Board of trustees", shortName: null, mode: "decision-making", position: 1 },
    { id: "lgb", kind: "local", name: "Local governing body", shortName: "LGB", mode: "advisory", position: 5 },
  ],
  boards: [
    { id: "lgb-a", kind: "local", name: "Abbey advisory board", mode: "advisory", purpose: "standing", columnId: "lgb", parentId: null, chairName: "Ann Chair" },
    { id: "lgb-b", kind: "local", name: "Beck transition board", mode: "decision-making", purpose: "transition", columnId: "lgb", parentId: null, chairName: null },
  ],
  rows: [
    row("budget", 12, "12.1", { locked: true, statutoryRule: "ATH 2.4" }),
    row("loose", 0, "99.1"),
    row("curriculum", 3, "3.2"),
    row("assessment", 3, "3.10"),
  ],
  schools: [
    { id: "beck", urn: 2, name: "Beck Primary", phase: "primary", clusterBodyId: null, localBodyId: "lgb-b", easting: null, northing: null, joinedOn: null },
    { id: "abbey", urn: 1, name: "Abbey School", phase: "secondary", clusterBodyId: null, localBodyId: "lgb-a", easting: null, northing: null, joinedOn: null },
  ],
  cells: {
    [cellKey("budget", "board")]: { code: "D", note: null },
    [cellKey("curriculum", "head")]: { code: "D", note: "  Within the trust's curriculum.  " },
    [cellKey("curriculum", "lgb")]: { code: "M", note: null },
    [cellKey("assessment", "board")]: { code: "D", note: null },
  },
  tierCells: {
    T1: { [cellKey("assessment", "head")]: variant("D", "Earned"), [cellKey("assessment", "board")]: variant("M"), [cellKey("budget", "head")]: variant("D") },
    T4: { [cellKey("curriculum", "head")]: variant(null) },
  },
  schoolCells: {
    abbey: { [cellKey("assessment", "head")]: variant("R", "Agreed for Abbey") },
    beck: { [cellKey("curriculum", "lgb")]: variant("D") },
  },
  rowRevisions: {},
};

describe("the matrix as the document prints it", () => {
  it("puts the columns in tier order, headed by their short names where they have one", () => {
    expect(documentColumns(scheme.columns).map((c) => c.heading)).toEqual(["Board of trustees", "LGB", "Head"]);
    expect(documentColumns(scheme.columns)[1]).toMatchObject({ name: "Local governing body", kind: "Local governing body", mode: "Advisory" });
  });

  it("groups the rows by area in the research's order, unclassified last, references in number order", () => {
    const areas = matrixAreas(scheme, { 3: "central-definition" });
    expect(areas.map((a) => [a.area, a.name, a.culture])).toEqual([
      [3, "Curriculum and pedagogy", "Central definition"],
      [12, "Shared services and back office functions", null],
      [0, "Unclassified", null],
    ]);
    expect(areas[0]!.rows.map((r) => r.ref)).toEqual(["3.2", "3.10"]);
  });

  it("gives each row's codes in the columns' order, its notes by column heading and its statutory rule", () => {
    const [curriculum, assessment] = matrixAreas(scheme)[0]!.rows;
    expect(curriculum!.codes).toEqual([null, "M", "D"]);
    expect(curriculum!.notes).toEqual([{ column: "Head", note: "Within the trust's curriculum." }]);
    expect(assessment!.codes).toEqual(["D", null, null]);
    expect(matrixAreas(scheme)[1]!.rows[0]).toMatchObject({ statutoryRule: "ATH 2.4", locked: true });
  });
});

describe("what changes for a tier and for a school", () => {
  it("lists a tier's variants from the base code to the tier's, in the matrix's order, leaving out statutory-locked rows", () => {
    expect(tierChanges(scheme, "T1")).toEqual([
      { ref: "3.10", title: "Row assessment", column: "Board of trustees", from: "D", to: "M", note: null },
      { ref: "3.10", title: "Row assessment", column: "Headteacher", from: null, to: "D", note: "Earned" },
    ]);
    expect(tierChanges(scheme, "T4")).toEqual([{ ref: "3.2", title: "Row curriculum", column: "Headteacher", from: "D", to: null, note: null }]);
    expect(tierChanges(scheme, "T2")).toEqual([]);
  });

  it("lists a school's variations from what its tier would give it", () => {
    expect(schoolChanges(scheme, "abbey", "T1")).toEqual([{ ref: "3.10", title: "Row assessment", column: "Headteacher", from: "D", to: "R", note: "Agreed for Abbey" }]);
    expect(schoolChanges(scheme, "abbey", null)[0]).toMatchObject({ from: null, to: "R" });
    expect(schoolChanges(scheme, "beck", null)).toEqual([{ ref: "3.2", title: "Row curriculum", column: "Local governing body", from: "M", to: "D", note: null }]);
  });
});

describe("the structure", () => {
  const details = new Map<string, BodyDetails>([
    ["board", { remit: "Everything it does not delegate.", chairName: "Bea Board" }],
    ["lgb-a", { remit: "Abbey's own matters.", chairName: "Somebody else today" }],
  ]);

  it("lists each column in tier order with the boards under it and the schools each covers", () => {
    expect(structureBodies(scheme, details)).toEqual([
      { name: "Board of trustees", kind: "Trust board", remit: "Everything it does not delegate.", mode: "Decision-making", chair: "Bea Board", covers: "All schools", board: false },
      { name: "Local governing body", kind: "Local governing body", remit: null, mode: "Advisory", chair: null, covers: "Through the 2 boards below", board: false },
      // The board's chair as the version froze it, not as it is today.
      { name: "Abbey advisory board", kind: "Local governing body", remit: "Abbey's own matters.", mode: "Advisory", chair: "Ann Chair", covers: "Abbey School", board: true },
      { name: "Beck transition board", kind: "Local governing body (transition board)", remit: null, mode: "Decision-making", chair: null, covers: "Beck Primary", board: true },
      { name: "Headteacher", kind: "Headteacher and school leadership", remit: null, mode: "Decision-making", chair: null, covers: "Each school, for itself", board: false },
    ]);
  });

  it("draws the chart from the version's columns, boards and schools, with the columns' chairs", () => {
    const chart = chartOf(scheme, details);
    expect(chart.bodies.map((b) => b.id)).toEqual(["board", "lgb", "head", "lgb-a", "lgb-b"]);
    expect(chart.bodies[0]).toMatchObject({ columnId: null, chairName: "Bea Board" });
    expect(chart.schools).toContainEqual({ id: "abbey", name: "Abbey School", clusterBodyId: null, localBodyId: "lgb-a" });
  });
});

describe("schools in their tiers", () => {
  it("lists each school in its decided tier, and a school with none under the standard tier, marked undecided", () => {
    const byTier = schoolsByTier([
      { name: "Zeal Academy", urn: 3, tier: "T1", decidedOn: "2025-09-01", nextReviewOn: "2026-03-01", reviewStatus: "scheduled" },
      { name: "Abbey School", urn: 1, tier: "T1", decidedOn: "2025-09-01", nextReviewOn: "2025-12-01", reviewStatus: "overdue" },
      { name: "Beck Primary", urn: 2, tier: null, decidedOn: null, nextReviewOn: null, reviewStatus: "unscheduled" },
    ]);
    expect(byTier.T1.map((s) => [s.name, s.reviewStatus])).toEqual([
      ["Abbey School", "Overdue"],
      ["Zeal Academy", "Scheduled"],
    ]);
    expect(byTier.T2).toEqual([{ name: "Beck Primary", urn: 2, decided: false, decidedOn: null, nextReviewOn: null, reviewStatus: "No date: never reviewed" }]);
    expect(byTier.T0).toEqual([]);
  });
});

describe("the keys", () => {
  it("lists every decision code with its meaning, and the trust's own marks with the codes they stand for", () => {
    expect(codeKey().map((c) => c.code)).toEqual(["D", "R", "C", "A", "E", "M", "I", "—"]);
    const key = documentKey(findKey("x")!);
    expect(key.marks).toContainEqual({ mark: "X", code: "D", name: "Decides" });
    expect(key.marks).toContainEqual({ mark: "*", code: "C", name: "Consulted" });
  });
});

describe("the changes since the version before", () => {
  it("says what changed under headings, and leaves out those with nothing to say", () => {
    const newer: Scheme = structuredClone(scheme);
    newer.cells[cellKey("curriculum", "lgb")] = { code: "C", note: null };
    newer.rows.push(row("added", 3, "3.11", { title: "Approve the reading scheme" }));
    const sections = changeSections(versionDiff(scheme, newer), tierNames(null));
    expect(sections).toEqual([
      { heading: "Responsibilities", lines: ["Added: 3.11 Approve the reading scheme."] },
      { heading: "Decisions: Curriculum and pedagogy", lines: ["3.2 Row curriculum, Local governing body: Monitors (M) → Consulted (C)."] },
    ]);
  });
});

describe("narrative text as paragraphs", () => {
  it("makes a paragraph of each line, a list item of a line starting with a dash, a heading of one starting with ##", () => {
    expect(blocksOf("First line.\n\n  ## How we work  \n- one\n-not a list\n")).toEqual([
      { kind: "paragraph", text: "First line." },
      { kind: "subheading", text: "How we work" },
      { kind: "bullet", text: "one" },
      { kind: "paragraph", text: "-not a list" },
    ]);
  });
});
