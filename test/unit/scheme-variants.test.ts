import { describe, expect, it } from "vitest";
import { cellLayers, layersOf, sameLayers, shownCodes, variedCells, withCode } from "~/components/matrix-layers";
import { matrixTableHtml } from "~/components/matrix-html";
import type { DecisionCode } from "~/domain/codes";
import { findKey, parseCustomKey } from "~/domain/decision-keys";
import { writeVariationsCsv } from "~/domain/matrix-csv";
import { matrixView, type ScopeVariants } from "~/domain/matrix-view";
import { cellKey, effectiveCells, type Scheme } from "~/domain/scheme";
import { row } from "../fixtures/scheme-rows";
import { beneath, layeredCell, namedTier, tierNames, variantFor } from "~/domain/variants";


const variant = (code: DecisionCode | null) => ({ code, note: null });

const scheme: Scheme = {
  version: { id: "v", number: 2, status: "draft", basedOnId: null, approvedByBodyId: null, approvedOn: null, minuteRef: null, reviewDueOn: null, breakPointReason: null, version: 1 },
  columns: [
    { id: "board", kind: "board", name: "Board", shortName: null, mode: "decision-making", position: 1 },
    { id: "lgb", kind: "local", name: "Local board", shortName: "LGB", mode: "decision-making", position: 5 },
    { id: "head", kind: "school", name: "Headteacher", shortName: null, mode: "decision-making", position: 9 },
  ],
  boards: [],
  rows: [
    row("budget", 12, 1, { decisionKinds: ["board"], statutoryRule: "ST-12", locked: true }),
    row("curriculum", 3, 1),
    row("staffing", 8, 1),
  ],
  schools: [
    { id: "s1", urn: 142870, name: "Oakbeck School", phase: "special", clusterBodyId: null, localBodyId: null, easting: null, northing: null, joinedOn: null },
    { id: "s2", urn: 137214, name: "Aysgarth Falls", phase: "primary", clusterBodyId: null, localBodyId: null, easting: null, northing: null, joinedOn: null },
  ],
  cells: {
    [cellKey("budget", "board")]: { code: "D", note: null },
    [cellKey("curriculum", "head")]: { code: "D", note: null },
    [cellKey("curriculum", "lgb")]: { code: "M", note: null },
    [cellKey("staffing", "head")]: { code: "D", note: null },
  },
  tierCells: {
    T4: { [cellKey("curriculum", "head")]: variant("E"), [cellKey("curriculum", "lgb")]: variant(null), [cellKey("budget", "board")]: variant("R") },
    T1: { [cellKey("staffing", "lgb")]: variant("C") },
  },
  schoolCells: { s1: { [cellKey("curriculum", "head")]: variant("C"), [cellKey("staffing", "board")]: variant("D") }, s2: { [cellKey("staffing", "head")]: variant(null) } },
  rowRevisions: {},
};

describe("a cell's layers", () => {
  it("show the school's variation over the tier's over the base, and say which", () => {
    expect(layeredCell({ base: "D" })).toEqual({ code: "D", source: null });
    expect(layeredCell({ base: "D", tier: "E" })).toEqual({ code: "E", source: "tier" });
    expect(layeredCell({ base: "D", tier: null })).toEqual({ code: null, source: "tier" });
    expect(layeredCell({ base: "D", tier: "E", school: "C" })).toEqual({ code: "C", source: "school" });
    expect(beneath({ base: "D", tier: "E", school: "C" }, "school")).toBe("E");
    expect(beneath({ base: "D", tier: "E" }, "tier")).toBe("D");
  });

  it("store a variant only where the code differs from the layers beneath", () => {
    expect(variantFor("D", "D")).toBeNull();
    expect(variantFor(null, null)).toBeNull();
    expect(variantFor(null, "D")).toEqual({ code: null });
    expect(variantFor("M", "D")).toEqual({ code: "M" });
  });

  it("name tiers as the trust does, with the defaults for the rest", () => {
    const names = tierNames({ T4: "Intensive support", T1: "  " });
    expect(namedTier("T4", names)).toBe("Intensive support (T4)");
    expect(namedTier("T1", names)).toBe("Earned autonomy (T1)");
  });
});

describe("a tier's or school's matrix", () => {
  const scope = (tier: "T1" | "T4" | null, schoolId: string | null): ScopeVariants => ({
    scope: { layer: schoolId ? "school" : "tier", tierLabel: tier ? namedTier(tier, tierNames(null)) : null, schoolName: schoolId ? "Oakbeck School" : null },
    tier: tier ? scheme.tierCells[tier]! : {},
    school: schoolId ? scheme.schoolCells[schoolId]! : {},
  });

  it("shows exactly the effective scheme of the tier or school, never varying a statutory-locked row (EA-14)", () => {
    for (const [tier, schoolId] of [["T4", null], ["T1", null], ["T4", "s1"], [null, "s1"], [null, "s2"]] as const) {
      const view = matrixView(scheme, undefined, scope(tier, schoolId));
      const effective = effectiveCells(scheme, schoolId, tier);
      for (const shown of view.groups.flatMap((g) => g.rows)) {
        view.columns.forEach((column, col) => {
          expect(shown.codes[col], `${tier} ${schoolId} ${shown.id} ${column.id}`).toBe(effective[cellKey(shown.id, column.id)]?.code ?? null);
        });
      }
    }
  });

  it("carries the base and the variants of the rows it varies, and marks locked rows", () => {
    const view = matrixView(scheme, undefined, scope("T4", "s1"));
    const [curriculum, staffing, budget] = view.groups.flatMap((g) => g.rows);
    expect(view.columns.map((c) => c.id)).toEqual(["board", "lgb", "head"]);
    expect(curriculum).toMatchObject({ codes: [null, null, "C"], base: [null, "M", "D"], tierVariants: { 1: null, 2: "E" }, schoolVariants: { 2: "C" } });
    expect(staffing).toMatchObject({ codes: ["D", null, "D"], schoolVariants: { 0: "D" } });
    expect(staffing!.tierVariants).toBeUndefined();
    expect(budget).toMatchObject({ locked: true, codes: ["D", null, null] });
    expect(budget!.base).toBeUndefined();
    expect(view.scope?.layer).toBe("school");
    // The base matrix is as it always was.
    const plain = matrixView(scheme);
    expect(plain.scope).toBeUndefined();
    expect(plain.groups.flatMap((g) => g.rows).some((r) => "locked" in r || "base" in r)).toBe(false);
  });

  it("changes in the editor as the server stores them, and lists each varied cell with its source", () => {
    const view = matrixView(scheme, undefined, scope("T4", "s1"));
    const curriculum = view.groups[0]!.rows[0]!;
    let layers = layersOf(curriculum);
    layers = withCode(layers, 2, "E", "school");
    expect(cellLayers(layers, 2)).toEqual({ base: "D", tier: "E" });
    layers = withCode(layers, 1, "A", "tier");
    expect(shownCodes(layers)).toEqual([null, "A", "E"]);
    expect(withCode(layers, 0, "I", "base").base).toEqual(["I", "M", "D"]);
    // A variant the base has since caught up with is removed by choosing the base's code, though the cell shows it already.
    const caughtUp = withCode({ base: ["E"], tier: { 0: "E" }, school: {} }, 0, "E", "tier");
    expect(cellLayers(caughtUp, 0)).toEqual({ base: "E" });
    expect(sameLayers(cellLayers(caughtUp, 0), { base: "E", tier: "E" })).toBe(false);
    expect(variedCells(view).map((c) => [c.ref, c.column, c.base, c.code, c.source, c.tierCode])).toEqual([
      ["3.1", "Local board", "M", null, "tier", undefined],
      ["3.1", "Headteacher", "D", "C", "school", "E"],
      ["8.1", "Board", null, "D", "school", undefined],
    ]);
  });

  it("is written with a marker and words on each varied cell, and locked rows read-only with no form to edit them", () => {
    const html = matrixTableHtml(matrixView(scheme, undefined, scope("T4", "s1")), "/rows", "?school=s1");
    expect(html).toContain('<td class="c cC vs">C<span class="visually-hidden">, this school&#39;s own variation; the base scheme has D here</span></td>');
    expect(html).toContain('<td class="c vt"><span class="visually-hidden">, from the Intervention (T4) variant; the base scheme has M here</span></td>');
    expect(html).toContain('<td class="c cD l" aria-readonly="true">D</td>');
    expect(html).toContain('href="/rows/curriculum?school=s1"');
    expect(html).not.toContain('href="/rows/budget');
    expect(html).toContain("Locked: the same for every tier and school (EA-14)");
  });
});

describe("the variations file", () => {
  it("lists each varied cell by ref, column and tier or URN, the tiers in order and then the schools by name, leaving out locked rows", () => {
    expect(writeVariationsCsv(scheme).split("\r\n")).toEqual([
      "ref,column,applies to,mark",
      "8.1,Local board,T1,C",
      "3.1,Local board,T4,",
      "3.1,Headteacher,T4,E",
      "8.1,Headteacher,URN 137214,",
      "3.1,Headteacher,URN 142870,C",
      "8.1,Board,URN 142870,D",
      "",
    ]);
  });

  it("writes a key's marks, and refuses a key with no mark for a code in use", () => {
    const lines = writeVariationsCsv(scheme, parseCustomKey("X=D, C=C, E=E")).split("\r\n");
    expect(lines).toContain("8.1,Board,URN 142870,X");
    expect(() => writeVariationsCsv(scheme, findKey("x")!)).toThrow(/has no mark for E \(executes, 1 cell\)/);
  });
});
