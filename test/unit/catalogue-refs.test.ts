import { describe, expect, it } from "vitest";
import { catalogueEntry, INNOVATION_ELIGIBLE, STRAND_OF_CONSISTENCY } from "~/domain/catalogue";
import {
  byCatalogueOrder,
  compareRefs,
  constraintLockReason,
  constraintProblem,
  constraintWords,
  isStatutory,
  nextRef,
  normaliseDecisionKinds,
  normaliseExcludedKinds,
  refProblem,
  renumberPlan,
  tagProblem,
} from "~/domain/catalogue-refs";
import { BODY_KINDS } from "~/domain/structure";

const row = (id: string, area: number, position: number, ref: string) => ({ id, area, position, ref });

function fromCatalogue(key: string) {
  const entry = catalogueEntry(key)!;
  return {
    catalogueKey: entry.key,
    title: entry.title,
    statutoryRule: entry.statutoryRule ?? null,
    decisionKinds: entry.decisionKinds ?? null,
    excludedKinds: entry.excludedKinds ?? null,
    locked: entry.locked ?? false,
    externalApproval: entry.externalApproval ?? false,
  };
}

describe("the order of rows and refs", () => {
  it("compares refs as numbers where they are numbers", () => {
    expect(["4.10", "4.2", "4.1", "10.1", "A10", "A2"].sort(compareRefs)).toEqual(["4.1", "4.2", "4.10", "10.1", "A2", "A10"]);
  });

  it("puts areas in order, unclassified rows last, then by position", () => {
    const rows = [row("u", 0, 1, "X1"), row("b", 12, 1, "12.1"), row("a2", 1, 2, "1.2"), row("a1", 1, 1, "1.1")];
    expect(rows.sort(byCatalogueOrder).map((r) => r.id)).toEqual(["a1", "a2", "b", "u"]);
  });
});

describe("the next ref in an area", () => {
  it("follows the highest number of the area", () => {
    expect(nextRef(4, ["4.1", "4.5", "4.3", "5.9"])).toBe("4.6");
  });

  it("starts at 1 in an empty area and ignores refs of the trust's own style", () => {
    expect(nextRef(2, ["1.1", "A.2"])).toBe("2.1");
  });

  it("counts a ref of the area that a row of another area holds, so the new ref is free", () => {
    expect(nextRef(4, ["4.1", "4.2", "4.7"])).toBe("4.8");
  });
});

describe("refs the trust types", () => {
  it("accepts its own styles and refuses empty, long or control characters", () => {
    expect(refProblem("A.12b")).toBeNull();
    expect(refProblem("")).toMatch(/Give the row a ref/);
    expect(refProblem("x".repeat(21))).toMatch(/at most 20/);
    expect(refProblem("4\u001f1")).toMatch(/letters, numbers/);
  });
});

describe("renumbering", () => {
  const rows = [
    row("a", 4, 9, "4.1"),
    row("b", 4, 11, "4.7"),
    row("c", 4, 10, "4.2"),
    row("d", 5, 15, "5.1"),
    row("u", 0, 1, "Z9"),
  ];

  it("numbers an area's rows by their place and sets positions to match", () => {
    const plan = renumberPlan(rows, 4);
    expect(plan.changes).toEqual([
      { id: "a", area: 4, fromRef: "4.1", toRef: "4.1", fromPosition: 9, toPosition: 1 },
      { id: "c", area: 4, fromRef: "4.2", toRef: "4.2", fromPosition: 10, toPosition: 2 },
      { id: "b", area: 4, fromRef: "4.7", toRef: "4.3", fromPosition: 11, toPosition: 3 },
    ]);
    expect(plan.clashes).toEqual([]);
  });

  it("renumbers every area but leaves unclassified rows alone, and rows already in place out", () => {
    const plan = renumberPlan(rows, null);
    expect(plan.changes.map((c) => `${c.id} ${c.toRef}@${c.toPosition}`)).toEqual(["a 4.1@1", "c 4.2@2", "b 4.3@3", "d 5.1@1"]);
    expect(renumberPlan([row("x", 3, 1, "3.1")], null).changes).toEqual([]);
  });

  it("reports a row outside the renumbered area that holds one of the new refs", () => {
    const plan = renumberPlan([...rows, row("e", 6, 1, "4.3")], 4);
    expect(plan.clashes).toEqual([{ id: "e", ref: "4.3", area: 6 }]);
  });
});

describe("constraints in words", () => {
  it("says who alone may decide, with the statutory rule", () => {
    expect(constraintWords(fromCatalogue("STAT-F1"))).toEqual([
      "Only the trust board may decide (ST-12)",
      "The same for every school: it does not vary by autonomy tier",
    ]);
  });

  it("names the levels that may take no part", () => {
    const words = constraintWords(fromCatalogue("STAT-P2"));
    expect(words[0]).toBe("Only the trust board, board committee or local governing body may decide (ST-21)");
    expect(words).toContain("Headteacher and school leadership: not permitted here");
  });

  it("marks statutory duties with no fixed level, outside approval, and open rows", () => {
    expect(constraintWords(fromCatalogue("SEED-10"))).toEqual(["Statutory duty (ST-19); no level is fixed"]);
    expect(constraintWords(fromCatalogue("STAT-G6"))).toContain("Needs approval from outside the trust (the DfE or the diocese)");
    expect(constraintWords(fromCatalogue("SEED-06"))).toEqual(["Any level may decide"]);
  });
});

describe("which constraints the trust may change", () => {
  it("locks rows from the statutory catalogue and rows with a statutory rule, and says why", () => {
    expect(isStatutory(fromCatalogue("STAT-I1"))).toBe(true);
    expect(isStatutory(fromCatalogue("SEED-10"))).toBe(true);
    expect(isStatutory(fromCatalogue("SEED-06"))).toBe(false);
    expect(isStatutory({ catalogueKey: null, statutoryRule: null })).toBe(false);
    expect(constraintLockReason(fromCatalogue("STAT-F1"))).toMatch(/statutory decision \(ST-12\).*cannot be changed here/);
    expect(constraintLockReason(fromCatalogue("SEED-06"))).toBeNull();
  });

  it("refuses a level that would both decide and take no part, or no level at all", () => {
    expect(constraintProblem(["board", "school"], ["school"])?.message).toMatch(/headteacher and school leadership cannot both decide/);
    expect(constraintProblem(null, [...BODY_KINDS])?.message).toMatch(/At least one level/);
    expect(constraintProblem(["board"], ["school"])).toBeNull();
  });

  it("reads nothing ticked or everything ticked as any level, in tier order", () => {
    expect(normaliseDecisionKinds([])).toBeNull();
    expect(normaliseDecisionKinds([...BODY_KINDS])).toBeNull();
    expect(normaliseDecisionKinds(["school", "board"])).toEqual(["board", "school"]);
    expect(normaliseExcludedKinds([])).toBeNull();
    expect(normaliseExcludedKinds(["external", "members"])).toEqual(["members", "external"]);
  });

  it("refuses a row tagged both a strand of consistency and innovation-eligible", () => {
    expect(tagProblem([STRAND_OF_CONSISTENCY, INNOVATION_ELIGIBLE])).toMatch(/Choose one/);
    expect(tagProblem([INNOVATION_ELIGIBLE])).toBeNull();
  });
});
