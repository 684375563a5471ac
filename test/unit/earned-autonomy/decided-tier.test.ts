/** A school's decided tier: the decision in effect, the one before it, and what a decision lacks (EA-10). */
import { describe, expect, it } from "vitest";
import { currentDecision, decisionGaps, previousDecision } from "~/domain/decided-tier";
import { decision } from "./records";

const TODAY = "2026-11-24";

describe("the decision in effect", () => {
  const first = decision("T3", "2024-09-01");
  const second = decision("T2", "2025-09-01");
  const later = decision("T1", "2027-01-01", { decidedOn: "2026-11-20" });

  it("is the latest to have taken effect; one taking effect later is not yet the school's tier", () => {
    expect(currentDecision([later, first, second], TODAY)).toBe(second);
    expect(currentDecision([later], TODAY)).toBeNull();
  });

  it("on the same day, is the one decided later", () => {
    const corrected = decision("T4", "2025-09-01", { decidedOn: "2025-09-02" });
    expect(currentDecision([corrected, second], TODAY)).toBe(corrected);
  });

  it("knows the decision it took over from", () => {
    expect(previousDecision([first, second, later], second)).toBe(first);
    expect(previousDecision([first, second], first)).toBeNull();
  });
});

describe("what a recorded decision lacks", () => {
  it("is nothing for a complete decision by the board", () => {
    expect(decisionGaps(decision("T4", "2026-11-01", { nextReviewOn: "2027-02-01" }), TODAY)).toEqual([]);
  });

  it("names each gap: evidence, a body that may decide, dates in order", () => {
    const gaps = decisionGaps(
      decision("T1", "2026-11-01", {
        evidence: "  ",
        decidedBy: { id: "ceo", name: "Chief executive officer", kind: "executive" },
        decidedOn: "2026-11-30",
        nextReviewOn: "2026-10-01",
      }),
      TODAY,
    );
    expect(gaps).toEqual([
      "it records no evidence",
      "it was decided by Chief executive officer (executive and central team), not the board or one of its committees",
      "its decision date, 30 November 2026, is in the future",
      "it applies from 1 November 2026, before it was decided",
      "its next review date, 1 October 2026, is before the decision",
    ]);
    expect(decisionGaps(decision("T2", "2026-11-01", { decidedBy: null }), TODAY)).toEqual(["it names no body that decided", "it sets no next review date"]);
  });
});
