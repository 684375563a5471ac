/**
 * effectiveCells copies the base matrix once per school through an object without a prototype, for
 * speed; what it hands back must still be an ordinary object, in the base's key order, and must
 * leave the base matrix untouched.
 */
import { describe, expect, it } from "vitest";
import { cellKey, effectiveCells } from "~/domain/scheme";
import { column, ownRow, scheme, school } from "./rules/scheme-builder";

describe("effectiveCells' result", () => {
  const base = scheme({ columns: [column("lgb", "local"), column("head", "school")], rows: [ownRow("r1"), ownRow("r2", { locked: true })], schools: [school("s")] });
  base.cells = {
    [cellKey("r1", "lgb")]: { code: "M", note: null },
    [cellKey("r1", "head")]: { code: "D", note: null },
    [cellKey("r2", "head")]: { code: "D", note: null },
  };
  base.tierCells = { T4: { [cellKey("r1", "lgb")]: { code: null, note: null }, [cellKey("r2", "head")]: { code: "E", note: null } } };
  base.schoolCells = { s: { [cellKey("r1", "head")]: { code: "E", note: "Agreed" } } };
  const before = structuredClone(base.cells);

  it("is a plain object with the base's keys in order, its layers applied and locked rows left alone", () => {
    const cells = effectiveCells(base, "s", "T4");
    expect(Object.getPrototypeOf(cells)).toBe(Object.prototype);
    expect(Object.prototype.hasOwnProperty.call(cells, cellKey("r1", "head"))).toBe(true);
    expect(Object.keys(cells)).toEqual([cellKey("r1", "head"), cellKey("r2", "head")]);
    expect(cells).toEqual({ [cellKey("r1", "head")]: { code: "E", note: "Agreed" }, [cellKey("r2", "head")]: { code: "D", note: null } });
    expect(JSON.parse(JSON.stringify(cells))).toEqual(cells);
  });

  it("is a new object each time and leaves the base matrix as it was", () => {
    const first = effectiveCells(base, null, null);
    expect(first).not.toBe(base.cells);
    expect(first).toEqual(base.cells);
    first[cellKey("r1", "lgb")] = { code: "D", note: null };
    effectiveCells(base, "s", "T4");
    expect(base.cells).toEqual(before);
  });
});
