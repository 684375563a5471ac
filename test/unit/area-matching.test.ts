import { describe, expect, it } from "vitest";
import { matchArea, researchAreaNamed } from "~/domain/area-matching";

const area = (heading: string) => matchArea(heading)?.area ?? null;

describe("matching a trust's section heading to a research area", () => {
  it("knows each research area by its own name, whatever the case and numbering", () => {
    expect(matchArea("Governance")).toEqual({ area: 9, how: "exact" });
    expect(matchArea("12. Shared services and back office functions")).toEqual({ area: 12, how: "exact" });
    expect(matchArea("c) CURRICULUM AND PEDAGOGY")).toEqual({ area: 3, how: "exact" });
    expect(matchArea("Part B: Parent & community engagement")).toEqual({ area: 6, how: "exact" });
  });

  it("reads past letters, numbers and punctuation in front of the heading", () => {
    expect(area("A. Vision & ethos")).toBe(1);
    expect(area("A Vision & ethos")).toBe(1);
    expect(area("3 Curriculum")).toBe(3);
    expect(area("1.2) Finance")).toBe(12);
    expect(area("(iv) Staffing")).toBe(7);
    expect(area("Section 4 – Safeguarding")).toBe(4);
  });

  it("matches the sections of real schemes by their words", () => {
    expect(area("Members oversight")).toBe(9);
    expect(area("G governance")).toBe(9);
    expect(area("I Governance appointments")).toBe(9);
    expect(area("K HR")).toBe(7);
    expect(area("L Staff appointments")).toBe(7);
    expect(area("M Finance")).toBe(12);
    expect(area("N Estates")).toBe(12);
    expect(area("O IT")).toBe(12);
    expect(area("Premises, ICT and H&S")).toBe(12);
    expect(area("Student Voice & Family Engagement")).toBe(6);
    expect(area("Trust Board, Governance & Strategy")).toBe(9);
    expect(area("C Education standards & curriculum")).toBe(3);
    expect(area("Achieving Educational Excellence")).toBe(3);
    expect(area("Behaviour & exclusions")).toBe(4);
    expect(area("Communications and marketing")).toBe(11);
  });

  it("gives no area when the words give no clue, rather than guessing", () => {
    expect(matchArea("Miscellaneous")).toBeNull();
    expect(matchArea("Make it happen")).toBeNull();
    expect(matchArea("")).toBeNull();
    expect(matchArea("  2.  ")).toBeNull();
  });

  it("tells a research area's exact name from a trust's own heading", () => {
    expect(researchAreaNamed("governance")).toBe(9);
    expect(researchAreaNamed(" Vision and values ")).toBe(1);
    expect(researchAreaNamed("Unclassified")).toBe(0);
    expect(researchAreaNamed("9. Governance")).toBeNull();
    expect(researchAreaNamed("A. Vision & ethos")).toBeNull();
    expect(researchAreaNamed("")).toBeNull();
  });
});
