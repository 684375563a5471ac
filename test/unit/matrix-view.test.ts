import { describe, expect, it } from "vitest";
import { matrixView } from "~/domain/matrix-view";
import { cellKey, effectiveCells, forbiddenReason, type Scheme } from "~/domain/scheme";
import { row } from "../fixtures/scheme-rows";


const scheme: Scheme = {
  version: { id: "v", number: 1, status: "draft", basedOnId: null, approvedByBodyId: null, approvedOn: null, minuteRef: null, reviewDueOn: null, breakPointReason: null, version: 1 },
  columns: [
    { id: "head", kind: "school", name: "Headteacher", shortName: null, mode: "decision-making", position: 9 },
    { id: "board", kind: "board", name: "Board", shortName: null, mode: "decision-making", position: 1 },
    { id: "lgb", kind: "local", name: "LGB", shortName: null, mode: "advisory", position: 5 },
  ],
  boards: [],
  rows: [
    row("budget", 12, 1, { decisionKinds: ["board"], statutoryRule: "ST-12", locked: true }),
    row("vision", 1, 1),
    row("exclusions", 4, 2, { excludedKinds: ["school"], decisionKinds: ["board", "committee", "local"] }),
    row("curriculum", 3, 1),
  ],
  schools: [],
  cells: {
    [cellKey("budget", "board")]: { code: "D", note: null },
    [cellKey("vision", "board")]: { code: "D", note: null },
    [cellKey("curriculum", "head")]: { code: "D", note: null },
    [cellKey("curriculum", "board")]: { code: "M", note: null },
  },
  tierCells: {
    T4: { [cellKey("curriculum", "head")]: { code: "E", note: null }, [cellKey("budget", "board")]: { code: null, note: null } },
  },
  schoolCells: { s1: { [cellKey("curriculum", "lgb")]: { code: "C", note: null } } },
  rowRevisions: { budget: 3 },
};

describe("the matrix as the editor shows it", () => {
  it("orders columns by tier and rows by area, with each row's index and revision", () => {
    const view = matrixView(scheme);
    expect(view.columns.map((c) => c.id)).toEqual(["board", "lgb", "head"]);
    expect(view.groups.map((g) => g.area)).toEqual([1, 3, 4, 12]);
    const curriculum = view.groups[1]!.rows[0]!;
    expect(curriculum.codes).toEqual(["M", null, "D"]);
    expect(curriculum.centralisation).toBe(0);
    expect(view.groups[3]!.rows[0]!.revision).toBe(3);
    expect(view.groups[0]!.rows[0]!.revision).toBe(0);
  });

  it("marks where the row's constraints forbid D or any code, with the reason", () => {
    const view = matrixView(scheme);
    const budget = view.groups[3]!.rows[0]!;
    expect(budget.noDecision).toEqual([1, 2]);
    expect(budget.decisionRule).toMatch(/Only the trust board may decide .* \(ST-12\)/);
    const exclusions = view.groups[2]!.rows[0]!;
    expect(exclusions.excluded).toEqual([2]);
    expect(exclusions.exclusionRule).toMatch(/Headteacher and school leadership cannot take part/);
    expect(forbiddenReason(scheme.rows[2]!, "school", "—")).toBeNull();
  });

  it("filters by area and by the rows where a body has a role", () => {
    expect(matrixView(scheme, { area: 3, columnId: null }).groups.map((g) => g.area)).toEqual([3]);
    const board = matrixView(scheme, { area: null, columnId: "board" });
    expect(board.groups.flatMap((g) => g.rows.map((r) => r.id))).toEqual(["vision", "curriculum", "budget"]);
    expect(board.totalRows).toBe(4);
  });
});

describe("the effective scheme of a school", () => {
  it("applies its tier's variants and then its own, but never varies a statutory-locked row", () => {
    const cells = effectiveCells(scheme, "s1", "T4");
    expect(cells[cellKey("curriculum", "head")]?.code).toBe("E");
    expect(cells[cellKey("curriculum", "lgb")]?.code).toBe("C");
    expect(cells[cellKey("budget", "board")]?.code).toBe("D");
    expect(effectiveCells(scheme, null, null)).toEqual(scheme.cells);
  });
});
