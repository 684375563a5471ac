/**
 * codeLookup reads cells by row and column, as the checks do many times over: the code of each cell,
 * null where there is none, and the cells as they were when it was made.
 */
import { describe, expect, it } from "vitest";
import { cellKey, codeLookup, type Cell } from "~/domain/scheme";

describe("codeLookup", () => {
  const cells: Record<string, Cell> = {
    [cellKey("r1", "board")]: { code: "D", note: null },
    [cellKey("r1", "head")]: { code: "E", note: "Within budget" },
    [cellKey("r2", "board")]: { code: "—", note: null },
  };

  it("gives each cell's code by its row and column, and null where a row or column has no cell", () => {
    const code = codeLookup(cells);
    expect(code("r1", "board")).toBe("D");
    expect(code("r1", "head")).toBe("E");
    expect(code("r2", "board")).toBe("—");
    expect(code("r2", "head")).toBeNull();
    expect(code("r3", "board")).toBeNull();
    // Neither half of a key stands for the whole: "r1:board" is a row and a column, not a row.
    expect(code("r1:board", "")).toBeNull();
  });

  it("reads the cells as they were when it was made", () => {
    const own = { ...cells };
    const code = codeLookup(own);
    own[cellKey("r2", "head")] = { code: "D", note: null };
    expect(code("r2", "head")).toBeNull();
    expect(codeLookup(own)("r2", "head")).toBe("D");
  });
});
