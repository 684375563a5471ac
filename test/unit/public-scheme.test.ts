import { describe, expect, it } from "vitest";
import { publicSchemeView, type BodyDetails } from "~/domain/public-scheme";
import { cellKey, type Scheme } from "~/domain/scheme";
import { row } from "../fixtures/scheme-rows";


const school = (id: string, name: string, clusterBodyId: string | null, localBodyId: string | null) => ({
  id,
  urn: 100000 + id.length,
  name,
  phase: "primary" as const,
  clusterBodyId,
  localBodyId,
  easting: null,
  northing: null,
  joinedOn: null,
});

const scheme: Scheme = {
  version: {
    id: "v",
    number: 4,
    status: "approved",
    basedOnId: null,
    approvedByBodyId: "board",
    approvedOn: "2026-03-01",
    minuteRef: "TB/26/3",
    reviewDueOn: "2027-03-01",
    breakPointReason: null,
    version: 2,
  },
  columns: [
    { id: "head", kind: "school", name: "Headteacher", shortName: "Head", mode: "decision-making", position: 9 },
    { id: "lgbs", kind: "local", name: "Local governing body", shortName: "LGB", mode: "advisory", position: 5 },
    { id: "board", kind: "board", name: "Board of trustees", shortName: "Board", mode: "decision-making", position: 1 },
    { id: "diocese", kind: "external", name: "Diocese", shortName: null, mode: "decision-making", position: 10 },
  ],
  boards: [
    { id: "north", kind: "local", name: "North LGB", mode: "advisory", purpose: "standing", columnId: "lgbs", parentId: null, chairName: "Frozen Chair" },
    { id: "east", kind: "local", name: "East LGB", mode: "decision-making", purpose: "standing", columnId: "lgbs", parentId: null, chairName: null },
  ],
  rows: [row("exclusions", 4, 1, { excludedKinds: ["school"] }), row("vision", 1, 1, { statutoryRule: "ST-26" })],
  schools: [school("a", "Alder Primary", null, "north"), school("b", "Birch Primary", null, "north"), school("c", "Cedar Primary", null, "east")],
  cells: {
    [cellKey("vision", "board")]: { code: "D", note: null },
    [cellKey("vision", "lgbs")]: { code: "C", note: null },
    [cellKey("exclusions", "lgbs")]: { code: "D", note: null },
  },
  tierCells: { T4: { [cellKey("vision", "lgbs")]: { code: null, note: null } }, T1: { [cellKey("exclusions", "head")]: { code: "A", note: null } } },
  schoolCells: { a: { [cellKey("vision", "head")]: { code: "I", note: null } } },
  rowRevisions: {},
};

const details = new Map<string, BodyDetails>([
  ["board", { chairName: "Ruth Chair", remit: "Sets the trust's direction." }],
  ["north", { chairName: "New North Chair", remit: null }],
]);

describe("the scheme as the public reads it", () => {
  const view = publicSchemeView(scheme, "Oakwood Trust", details);

  it("names the version and its approval by the body that gave it", () => {
    expect(view.trustName).toBe("Oakwood Trust");
    expect(view.version).toEqual({
      number: 4,
      status: "approved",
      approvedBy: "Board of trustees",
      approvedOn: "2026-03-01",
      minuteRef: "TB/26/3",
      reviewDueOn: "2027-03-01",
    });
  });

  it("lays the matrix out in tier order, one table per area, a closed cell as — and an empty one as nothing", () => {
    expect(view.columns.map((c) => c.name)).toEqual(["Board of trustees", "Local governing body", "Headteacher", "Diocese"]);
    expect(view.columns[1]).toEqual({ name: "Local governing body", shortName: "LGB", kind: "local", advisory: true });
    expect(view.areas.map((a) => [a.number, a.name])).toEqual([
      [1, "Vision and values"],
      [4, "Pupil policies and pastoral system"],
    ]);
    expect(view.areas[0]!.rows).toEqual([{ ref: "1.1", title: "Row vision", statutoryRule: "ST-26", codes: ["D", "C", null, null] }]);
    expect(view.areas[1]!.rows[0]!.codes).toEqual([null, "D", "—", null]);
  });

  it("lists the bodies in tier order, each column's boards in its place, with today's chairs and the schools they cover", () => {
    expect(view.bodies.map((b) => [b.name, b.mode, b.chairName, b.coverage])).toEqual([
      ["Board of trustees", "decision-making", "Ruth Chair", { kind: "trust" }],
      ["East LGB", "decision-making", null, { kind: "schools", names: ["Cedar Primary"] }],
      ["North LGB", "advisory", "New North Chair", { kind: "schools", names: ["Alder Primary", "Birch Primary"] }],
      ["Diocese", "decision-making", null, { kind: "not-recorded" }],
    ]);
    expect(view.bodies[0]!.remit).toBe("Sets the trust's direction.");
    // School leadership is in the matrix, not in the governance summary.
    expect(view.bodies.some((b) => b.kind === "school")).toBe(false);
  });

  it("keeps a board's chair frozen at approval when the trust no longer records the board", () => {
    const withoutNorth = publicSchemeView(scheme, "Oakwood Trust", new Map([["board", details.get("board")!]]));
    expect(withoutNorth.bodies.find((b) => b.name === "North LGB")!.chairName).toBe("Frozen Chair");
    expect(withoutNorth.chart.bodies.find((b) => b.id === "north")!.chairName).toBe("Frozen Chair");
  });

  it("gives the chart every column and board, and the schools", () => {
    expect(view.chart.bodies.map((b) => b.id).sort()).toEqual(["board", "diocese", "east", "head", "lgbs", "north"]);
    expect(view.chart.bodies.find((b) => b.id === "board")).toMatchObject({ columnId: null, chairName: "Ruth Chair" });
    expect(view.chart.schools).toEqual([
      { id: "a", name: "Alder Primary", clusterBodyId: null, localBodyId: "north" },
      { id: "b", name: "Birch Primary", clusterBodyId: null, localBodyId: "north" },
      { id: "c", name: "Cedar Primary", clusterBodyId: null, localBodyId: "east" },
    ]);
    expect(view.schoolCount).toBe(3);
  });

  it("counts the cells that vary for tiers and for single schools, and gives the whole key", () => {
    expect(view.variations).toEqual({ tierCells: 2, schoolCells: 1 });
    expect(view.codes.map((c) => c.code)).toEqual(["D", "R", "C", "A", "E", "M", "I", "—"]);
    expect(view.codes[0]).toEqual({ code: "D", name: "Decides", meaning: expect.stringContaining("accountable decision") });
  });
});
