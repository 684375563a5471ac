/**
 * A school pack's view: the school's effective scheme (base ← its tier ← its own variations, locked
 * rows never varied, closed columns shown as —), the columns that concern it, the varied cells with
 * where they come from, and file names that are safe and unique.
 */
import { describe, expect, it } from "vitest";
import { fileNamePart, packFileName, schoolPackView } from "~/domain/school-pack";
import { board, column, ownRow, scheme, school, withSchoolCells, withTierCells } from "./rules/scheme-builder";

const columns = [
  column("members", "members"),
  column("board", "board"),
  column("ceo", "executive"),
  column("clusters", "cluster"),
  column("north-lgbs", "local", { name: "Local governing bodies" }),
  column("councils", "local", { name: "Academy councils" }),
  column("head", "school"),
  column("diocese", "external"),
];
const boards = [board("dales", "cluster", "clusters"), board("oak-lgb", "local", "north-lgbs"), board("elm-council", "local", "councils")];

function demoScheme() {
  let built = scheme({
    columns,
    boards,
    rows: [ownRow("r1", { ref: "1.1" }), ownRow("r2", { ref: "1.2", locked: true }), ownRow("r3", { ref: "2.1", area: 2, excludedKinds: ["school"] })],
    schools: [
      school("oak", { name: "Oak Primary", urn: 111111, clusterBodyId: "dales", localBodyId: "oak-lgb" }),
      school("elm", { name: "Elm Academy", urn: 222222, localBodyId: "elm-council" }),
    ],
    codes: {
      r1: { board: "M", ceo: "R", clusters: "C", "north-lgbs": "D", councils: "D", head: "E" },
      r2: { board: "D", head: "I" },
      r3: { board: "D", head: "C", diocese: "C" },
    },
  });
  built = withTierCells(built, "T4", { r1: { ceo: "D", "north-lgbs": "M", councils: "M" }, r2: { head: "D" } });
  return withSchoolCells(built, "oak", { r1: { head: "R" } });
}

describe("a school pack's view", () => {
  it("keeps the trust-level columns, the school's own cluster and local columns and the headteacher's", () => {
    const view = schoolPackView(demoScheme(), "oak", "T4");
    expect(view.columns.map((c) => c.id)).toEqual(["members", "board", "ceo", "clusters", "north-lgbs", "head", "diocese"]);
    expect(view.leftOut).toEqual(["Academy councils"]);
    expect(view.localBoard?.id).toBe("oak-lgb");
    expect(view.cluster?.id).toBe("dales");
    // A school in no cluster has no cluster column; its council's column is the local one it keeps.
    const elm = schoolPackView(demoScheme(), "elm", null);
    expect(elm.columns.map((c) => c.id)).toEqual(["members", "board", "ceo", "councils", "head", "diocese"]);
  });

  it("leaves an outside party out where the school's scheme gives it no part", () => {
    const quiet = { ...demoScheme(), cells: Object.fromEntries(Object.entries(demoScheme().cells).filter(([key]) => !key.endsWith(":diocese"))) };
    expect(schoolPackView(quiet, "oak", null).columns.map((c) => c.id)).not.toContain("diocese");
  });

  it("applies the tier's variants, then the school's own, never on a locked row, and shows closed columns as —", () => {
    const view = schoolPackView(demoScheme(), "oak", "T4");
    const codes = (ref: string) => Object.fromEntries(view.areas.flatMap((a) => a.rows).find((r) => r.ref === ref)!.cells.map((c, i) => [view.columns[i]!.id, c]));
    expect(codes("1.1")).toEqual({
      members: { code: null, source: null },
      board: { code: "M", source: null },
      ceo: { code: "D", source: "tier" },
      clusters: { code: "C", source: null },
      "north-lgbs": { code: "M", source: "tier" },
      head: { code: "R", source: "school" },
      diocese: { code: null, source: null },
    });
    expect(codes("1.2").head).toEqual({ code: "I", source: null });
    expect(codes("2.1").head).toEqual({ code: "—", source: null });
    expect(view.areas.map((a) => [a.number, a.rows.map((r) => r.ref)])).toEqual([
      [1, ["1.1", "1.2"]],
      [2, ["2.1"]],
    ]);
  });

  it("lists every varied cell with the trust's code and, for a school's own over its tier's, the tier's code", () => {
    const view = schoolPackView(demoScheme(), "oak", "T4");
    expect(view.varied.map((v) => ({ ref: v.ref, column: v.column.id, base: v.base, code: v.code, source: v.source, tierCode: v.tierCode }))).toEqual([
      { ref: "1.1", column: "ceo", base: "R", code: "D", source: "tier", tierCode: undefined },
      { ref: "1.1", column: "north-lgbs", base: "D", code: "M", source: "tier", tierCode: undefined },
      { ref: "1.1", column: "head", base: "E", code: "R", source: "school", tierCode: undefined },
    ]);
    // Without a decided tier only the school's own variation differs.
    expect(schoolPackView(demoScheme(), "oak", null).varied.map((v) => v.source)).toEqual(["school"]);
  });
});

describe("a pack's file name", () => {
  it("is the URN and the name in plain lower-case letters, digits and dashes", () => {
    expect(packFileName({ urn: 146318, name: "Devil's Arrows Primary School" })).toBe("146318-devils-arrows-primary-school.docx");
    expect(fileNamePart("Ysgol Gŵyr & Dyffryn (Welsh-medium) 🙂")).toBe("ysgol-gwyr-and-dyffryn-welsh-medium");
    expect(fileNamePart("!!!")).toBe("school");
    expect(fileNamePart("a".repeat(200))).toHaveLength(80);
  });
});
