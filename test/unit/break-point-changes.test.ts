/**
 * A break-point proposal's changes as data: said in words, combined across the proposals chosen
 * together (each once, conflicts refused by name, bodies before what points at them), fingerprinted
 * so a proposal changed since the page was read is noticed, and summed up.
 */
import { describe, expect, it } from "vitest";
import { changesDigest, changesSummary, changeWords, combineChanges, isNewBody, NEW_BODY, type ProposedChange } from "~/domain/break-point-changes";
import { DEFAULT_TIER_NAMES, type Tier } from "~/domain/autonomy";
import type { DecisionCode } from "~/domain/codes";

const addColumn: ProposedChange = { op: "add-column", ref: `${NEW_BODY}cluster-column`, kind: "cluster", name: "Cluster governing body", shortName: "Cluster", parent: null };
const addBoard: ProposedChange = {
  op: "add-board",
  ref: `${NEW_BODY}cluster-1`,
  kind: "cluster",
  name: "Whitby cluster",
  column: `${NEW_BODY}cluster-column`,
  columnName: "Cluster governing body",
  parent: "board",
  mode: "decision-making",
  purpose: "standing",
};
const assign: ProposedChange = {
  op: "assign-school",
  schoolId: "s1",
  schoolName: "Whitby Primary School",
  role: "cluster",
  board: `${NEW_BODY}cluster-1`,
  boardName: "Whitby cluster",
};
const advisory: ProposedChange = { op: "make-advisory", bodyId: "lgb", name: "Local governing body" };
const model: ProposedChange = { op: "set-improvement-model", from: "hub", to: "cluster-based" };

function cell(rowId: string, column: string, from: DecisionCode | null, to: DecisionCode | null, tier: Tier | null = null): ProposedChange {
  return {
    op: "set-cell",
    tier,
    rowId,
    rowRef: rowId.toUpperCase(),
    column,
    columnName: column,
    from,
    to,
  };
}

describe("combineChanges", () => {
  it("keeps a change two proposals both make once", () => {
    const ceoToM = cell("si-1", "ceo", "E", "M");
    const result = combineChanges([
      { title: "Add a director of education", changes: [ceoToM, cell("si-1", "doe", null, "E")] },
      { title: "Deliver school improvement through the clusters", changes: [cell("si-1", "ceo", "E", "M"), cell("si-1", "cluster", null, "E")] },
    ]);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.changes).toHaveLength(3);
    expect(result.changes.filter((c) => c.op === "set-cell" && c.column === "ceo")).toEqual([ceoToM]);
  });

  it("refuses two proposals giving the same cell different codes, naming both", () => {
    const result = combineChanges([
      { title: "Keep back-office decisions centrally", changes: [cell("bo-1", "lgb", "D", "C")] },
      { title: "Make the local boards advisory", changes: [cell("bo-1", "lgb", "D", "R")] },
    ]);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.message).toContain("“Keep back-office decisions centrally”");
    expect(result.message).toContain("“Make the local boards advisory”");
    expect(result.message).toContain("choose one of them");
  });

  it("refuses a school placed under two different clusters", () => {
    const elsewhere: ProposedChange = {
      ...assign,
      board: "north",
      boardName: "North cluster",
    };
    const result = combineChanges([
      { title: "Clusters by distance", changes: [assign] },
      { title: "Another plan", changes: [elsewhere] },
    ]);
    expect(result.ok).toBe(false);
  });

  it("lets the same cell change in the base scheme and in a tier's variant", () => {
    const result = combineChanges([
      { title: "Make the local boards advisory", changes: [cell("r1", "lgb", "D", "R")] },
      { title: "Add the Intervention variant", changes: [cell("r1", "lgb", "D", "M", "T4")] },
    ]);
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.changes).toHaveLength(2);
  });

  it("orders bodies first, then what points at them, and cells last", () => {
    const setCode = cell("si-1", `${NEW_BODY}cluster-column`, null, "E");
    const result = combineChanges([
      { title: "Cells", changes: [setCode, model] },
      { title: "Bodies", changes: [assign, advisory, addBoard, addColumn] },
    ]);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.changes.map((c) => c.op)).toEqual(["add-column", "add-board", "make-advisory", "assign-school", "set-improvement-model", "set-cell"]);
  });

  it("keeps the proposals' own order among changes of one kind", () => {
    const first = cell("a", "ceo", "E", "M");
    const second = cell("b", "ceo", "E", "M");
    const result = combineChanges([{ title: "One", changes: [first, addColumn, second] }]);
    expect(result.ok && result.changes).toEqual([addColumn, first, second]);
  });

  it("combines nothing into nothing", () => {
    expect(combineChanges([{ title: "Keep the scheme", changes: [] }])).toEqual({ ok: true, changes: [] });
  });
});

describe("changeWords", () => {
  it("says a code change, with the tier's own name for a variant", () => {
    expect(changeWords(cell("si-1", "CEO", "E", "M"))).toBe("SI-1: CEO E → M.");
    expect(changeWords(cell("r1", "LGB", "D", "M", "T4"), (t) => DEFAULT_TIER_NAMES[t])).toBe("R1: LGB D → M in the Intervention variant.");
    expect(changeWords(cell("r1", "DoE", null, "E"))).toBe("R1: DoE (empty) → E.");
  });

  it("names the bodies, the school placed and the operating model", () => {
    expect(changeWords(addColumn)).toBe("Add the column “Cluster governing body” (cluster governing body).");
    expect(changeWords(addBoard)).toBe("Add the board “Whitby cluster”, answering under “Cluster governing body”.");
    expect(changeWords({ ...addBoard, kind: "local", name: "Oak transition board", purpose: "transition", mode: "advisory" })).toContain(
      "Add the transition advisory board “Oak transition board”",
    );
    expect(changeWords(assign)).toBe("Place Whitby Primary School under “Whitby cluster” as its cluster.");
    expect(changeWords({ ...assign, role: "local" })).toContain("as its local board");
    expect(changeWords(advisory)).toContain("Make “Local governing body” advisory");
    expect(changeWords(model)).toBe("Change the school-improvement operating model from “Hub” to “Cluster-based”.");
    expect(changeWords({ ...model, from: null })).toBe("Change the school-improvement operating model to “Cluster-based”.");
  });
});

describe("changesDigest", () => {
  it("is the same for the same changes and differs when any of them differs", () => {
    const changes = [addColumn, cell("si-1", "ceo", "E", "M")];
    const digest = changesDigest(changes);
    expect(digest).toMatch(/^[0-9a-f]{8}$/);
    expect(changesDigest([{ ...addColumn }, cell("si-1", "ceo", "E", "M")])).toBe(digest);
    expect(changesDigest([addColumn, cell("si-1", "ceo", "E", "R")])).not.toBe(digest);
    expect(changesDigest([cell("si-1", "ceo", "E", "M"), addColumn])).not.toBe(digest);
    expect(changesDigest([])).not.toBe(digest);
  });
});

describe("changesSummary", () => {
  it("counts bodies added, codes changed and the rest", () => {
    expect(changesSummary([])).toBe("No change to the scheme");
    expect(changesSummary([addColumn, addBoard, assign, cell("a", "ceo", "E", "M")])).toBe("4 changes: 2 bodies added, 1 code changed, 1 other change");
    expect(changesSummary([cell("a", "ceo", "E", "M"), cell("b", "ceo", "E", "M")])).toBe("2 changes: 2 codes changed");
  });
});

describe("new bodies", () => {
  it("are told apart from existing ones by their reference", () => {
    expect(isNewBody(`${NEW_BODY}director-of-education`)).toBe(true);
    expect(isNewBody("ceo")).toBe(false);
  });
});
