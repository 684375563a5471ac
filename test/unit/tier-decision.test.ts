import { describe, expect, it } from "vitest";
import { schoolReviewSchema } from "~/domain/school-review";
import { tierDecisionSchema } from "~/domain/tier-decision";

const TODAY = "2026-11-24";
const valid = {
  tier: "T4",
  decidedByBodyId: "7f0c2a4e-1b0e-4c1a-9a43-0d6a4f4d2b11",
  decidedOn: "2026-11-20",
  effectiveFrom: "2026-11-20",
  nextReviewOn: "2027-02-20",
  evidence: "Inspection report card, safeguarding not met",
};

function messages(result: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) {
  return Object.fromEntries((result.error?.issues ?? []).map((i) => [i.path.join("."), i.message]));
}

describe("a tier decision as entered", () => {
  it("accepts a complete decision", () => {
    expect(tierDecisionSchema(TODAY).safeParse(valid).success).toBe(true);
  });

  it("refuses a decision without a deciding body", () => {
    const { decidedByBodyId: _, ...rest } = valid;
    expect(messages(tierDecisionSchema(TODAY).safeParse(rest))).toEqual({
      decidedByBodyId: "Choose the body that decided: the board or one of its committees",
    });
  });

  it("refuses a decision dated in the future, a review before it, a start before it, and no evidence", () => {
    const result = tierDecisionSchema(TODAY).safeParse({ ...valid, decidedOn: "2026-12-01", nextReviewOn: "2026-11-30", effectiveFrom: "2026-11-01", evidence: "  " });
    expect(messages(result)).toEqual({
      decidedOn: "The decision cannot be dated in the future",
      evidence: "Say what the decision rests on (e.g. the review, inspection or minutes)",
      nextReviewOn: "The next review cannot come before the decision",
      effectiveFrom: "A tier cannot apply from before it was decided",
    });
    const order = tierDecisionSchema(TODAY).safeParse({ ...valid, nextReviewOn: "2026-11-19", effectiveFrom: "2026-11-01" });
    expect(messages(order)).toEqual({
      nextReviewOn: "The next review cannot come before the decision",
      effectiveFrom: "A tier cannot apply from before it was decided",
    });
  });

  it("refuses days the calendar does not have, which the database would not take", () => {
    expect(messages(tierDecisionSchema(TODAY).safeParse({ ...valid, decidedOn: "0000-01-01", effectiveFrom: "2026-02-30" }))).toEqual({
      decidedOn: "Give the date of the decision as a real date",
      effectiveFrom: "Give the date the tier applies from as a real date",
    });
  });

  it("refuses a tier that is not one of the five", () => {
    expect(messages(tierDecisionSchema(TODAY).safeParse({ ...valid, tier: "T9" })).tier).toMatch(/^Choose a tier: Transition \(T0\), Earned autonomy \(T1\)/);
  });
});

describe("a school review as entered", () => {
  it("refuses a review dated in the future, or with no travel", () => {
    expect(messages(schoolReviewSchema(TODAY).safeParse({ reviewedOn: "2026-11-25", travel: "sideways" }))).toEqual({
      reviewedOn: "A review that has happened cannot be dated in the future",
      travel: "Say whether the school is improving, steady or declining",
    });
    expect(schoolReviewSchema(TODAY).safeParse({ reviewedOn: TODAY, travel: "improving" }).success).toBe(true);
  });

  it("refuses a day the calendar does not have", () => {
    expect(messages(schoolReviewSchema(TODAY).safeParse({ reviewedOn: "2025-02-30", travel: "improving" }))).toEqual({
      reviewedOn: "Give the date of the review as a real date",
    });
  });
});
