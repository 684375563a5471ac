import { describe, expect, it } from "vitest";
import { findingCounts, findingView } from "~/domain/rules/finding-view";
import type { Finding } from "~/domain/rules/types";
import { catalogueRow, ownRow } from "./scheme-builder";

const rows = [catalogueRow("SEED-06", { id: "curriculum", area: 3 }), ownRow("branding", { area: 11 }), ownRow("budget", { area: 12 })];

function finding(overrides: Partial<Finding> = {}): Finding & { key: string; acknowledged: { reason: string } | null } {
  return {
    ruleId: "CO-05",
    family: "structure",
    severity: "error",
    message: "m",
    rationale: "r",
    source: "s",
    cells: [],
    rowIds: [],
    schoolIds: [],
    fix: null,
    key: "CO-05:0123456789abcdef01234567",
    acknowledged: null,
    ...overrides,
  };
}

describe("a finding as the screens show it", () => {
  it("gives the areas of every row it concerns, through its cells or by name, once each and in order", () => {
    const view = findingView(
      finding({ cells: [{ rowId: "budget", columnId: "board", schoolId: null }], rowIds: ["branding", "curriculum", "budget"] }),
      { rows },
    );
    expect(view.areas).toEqual([3, 11, 12]);
    expect(view.rowIds.sort()).toEqual(["branding", "budget", "curriculum"]);
  });

  it("marks only base cells: a school's own cells belong to that school's scheme", () => {
    const view = findingView(
      finding({
        cells: [
          { rowId: "budget", columnId: "board", schoolId: null },
          { rowId: "budget", columnId: "local", schoolId: "school-1" },
        ],
      }),
      { rows },
    );
    expect(view.cells).toEqual([{ rowId: "budget", columnId: "board" }]);
  });

  it("sends the fix's label only: the fix itself is applied by the server from the finding's key", () => {
    const view = findingView(finding({ fix: { label: "Give the D to the board", cells: [{ rowId: "budget", columnId: "board", code: "D" }] } }), { rows });
    expect(view.fix).toEqual({ label: "Give the D to the board" });
  });
});

describe("counting findings", () => {
  it("counts by severity and family, and the acknowledged apart", () => {
    const counts = findingCounts([
      { severity: "error", family: "statutory", acknowledged: null },
      { severity: "error", family: "statutory", acknowledged: { reason: "r" } },
      { severity: "warning", family: "coherence", acknowledged: null },
    ]);
    expect(counts.error.statutory).toBe(2);
    expect(counts.error.structure).toBe(0);
    expect(counts.warning.coherence).toBe(1);
    expect(counts.info).toEqual({ structure: 0, statutory: 0, coherence: 0, "break-point": 0, "earned-autonomy": 0 });
    expect(counts.acknowledged).toBe(1);
  });
});
