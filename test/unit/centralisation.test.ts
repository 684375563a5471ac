import { describe, expect, it } from "vitest";
import { centralisationIndex } from "~/domain/centralisation";

describe("centralisation index", () => {
  it("places a row where its D sits on the research's 0–10 scale", () => {
    expect(centralisationIndex([{ kind: "school", code: "D" }, { kind: "board", code: "M" }])).toBe(0);
    expect(centralisationIndex([{ kind: "local", code: "D" }])).toBe(2);
    expect(centralisationIndex([{ kind: "cluster", code: "D" }])).toBe(5);
    expect(centralisationIndex([{ kind: "executive", code: "D" }, { kind: "school", code: "E" }])).toBe(8);
    expect(centralisationIndex([{ kind: "committee", code: "D" }])).toBe(10);
    expect(centralisationIndex([{ kind: "board", code: "D" }])).toBe(10);
  });

  it("has no index when nobody decides or only an outside party does", () => {
    expect(centralisationIndex([{ kind: "board", code: "R" }])).toBeNull();
    expect(centralisationIndex([{ kind: "external", code: "D" }])).toBeNull();
    expect(centralisationIndex([])).toBeNull();
  });

  it("puts a row with two D-holders between them until the conflict is resolved", () => {
    expect(centralisationIndex([{ kind: "school", code: "D" }, { kind: "executive", code: "D" }])).toBe(4);
  });
});
