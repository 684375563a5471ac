/** The tier policy in words: what each tier asks to enter and leave it, its cadence, and what a save changed. */
import { describe, expect, it } from "vitest";
import { TIERS } from "~/domain/autonomy";
import { DEFAULT_TIER_POLICY, type TierPolicy } from "~/domain/tier-policy";
import { cadenceInWords, policyChangesInWords, THRESHOLD_LABELS, thresholdInWords, tierRulesInWords } from "~/domain/tier-policy-words";

function changed(change: (policy: TierPolicy) => void): TierPolicy {
  const policy = structuredClone(DEFAULT_TIER_POLICY);
  change(policy);
  return policy;
}

describe("the tiers' rules in words", () => {
  it("says what every tier asks to enter and to leave it", () => {
    for (const tier of TIERS) {
      const rules = tierRulesInWords(DEFAULT_TIER_POLICY, tier);
      expect(rules.enter.length, tier).toBeGreaterThan(0);
      expect(rules.leave.length, tier).toBeGreaterThan(0);
    }
  });

  it("gives the default thresholds of earned autonomy", () => {
    const { enter, leave } = tierRulesInWords(DEFAULT_TIER_POLICY, "T1");
    expect(enter).toEqual([
      "A latest legacy inspection graded Good or better.",
      "A latest report card grading every area it inspected Expected standard or better.",
      "Safeguarding not found unmet at the latest inspection, and the latest internal safeguarding audit green.",
      "Outcomes Average or above in each of the latest 2 records.",
      "No unplanned deficit.",
      "A review within the last 12 months.",
    ]);
    expect(leave[1]).toMatch(/^After 24 months in the tier with outcomes Above average or above/);
  });

  it("says what none means, and leaves out what the trust does not ask for", () => {
    const policy = changed((p) => {
      Object.assign(p.tiers.T1.criteria, { minReportCardGrade: null, minSafeguardingAudit: null, minOutcomesBand: null, noUnplannedDeficit: false, glassCeilingBand: null, outcomesRecords: 1, reviewWithinMonths: 1 });
      Object.assign(p.tiers.T3.criteria, { legacyGradeFrom: null, reportCardGradeFrom: "urgent-improvement", improvingReviewsToLeave: 1 });
    });
    const earned = tierRulesInWords(policy, "T1");
    expect(earned.enter).toEqual([
      "A latest legacy inspection graded Good or better.",
      "A school whose latest inspection is a report card cannot earn autonomy until the trust sets the grade it needs (EA-15).",
      "Safeguarding not found unmet at the latest inspection.",
      "A review within the last 1 month.",
    ]);
    expect(earned.leave).toHaveLength(1);
    const supported = tierRulesInWords(policy, "T3");
    expect(supported.enter.slice(0, 2)).toEqual([
      "A legacy inspection grade never calls for support: the trust has set none.",
      "A latest report card grading any area Urgent improvement.",
    ]);
    expect(supported.leave).toEqual(["1 review in a row rated improving since the school entered the tier, then one step up, to Standard (T2) (EA-11)."]);
  });

  it("names the tiers a school moves to as the trust names them", () => {
    const policy = changed((p) => {
      p.tiers.T2.name = "Core";
      p.tiers.T0.criteria.months = 18;
    });
    expect(tierRulesInWords(policy, "T0")).toEqual({
      enter: ["A school that joined the trust less than 18 months ago."],
      leave: ["18 months after joining, to Core (T2), or to Earned autonomy (T1) if it meets that tier's criteria (EA-12)."],
    });
    expect(tierRulesInWords(policy, "T4").leave[0]).toMatch(/to Supported \(T3\) \(EA-11\)\.$/);
  });
});

describe("a cadence in words", () => {
  it.each([
    [1, "once a year"],
    [2, "every 6 months"],
    [3, "every 4 months"],
    [12, "every 1 month"],
    [5, "about every 10 weeks"],
  ])("%i reviews a year: %s", (reviews, words) => {
    expect(cadenceInWords(reviews)).toBe(words);
  });
});

describe("what a save changed", () => {
  it("says nothing when nothing changed", () => {
    expect(policyChangesInWords(DEFAULT_TIER_POLICY, structuredClone(DEFAULT_TIER_POLICY))).toEqual([]);
  });

  it("names each change by tier, with thresholds before and after", () => {
    const after = changed((p) => {
      p.tiers.T2.reviewsPerYear = 4;
      p.tiers.T2.name = "Core";
      p.tiers.T1.criteria.minLegacyGrade = 1;
      p.tiers.T1.criteria.minSafeguardingAudit = null;
      p.tiers.T4.criteria.schemeChanges = "Everything moves to the trust.";
      p.outcomesBands = ["Low", "Average", "High"];
    });
    expect(policyChangesInWords(DEFAULT_TIER_POLICY, after)).toEqual([
      "Earned autonomy (T1): weakest legacy grade that earns autonomy Good (2) → Outstanding (1), weakest internal safeguarding audit that earns autonomy green → none",
      'Standard (T2): renamed "Core", reviews a year 2 → 4',
      "Intervention (T4): what changes in the scheme rewritten",
      "outcomes bands Well below average, Below average, Average, Above average, Well above average → Low, Average, High",
    ]);
  });

  it("labels every threshold the policy has", () => {
    for (const tier of TIERS) {
      const keys = Object.keys(DEFAULT_TIER_POLICY.tiers[tier].criteria).filter((key) => key !== "schemeChanges");
      expect(Object.keys(THRESHOLD_LABELS[tier]).sort(), tier).toEqual(keys.sort());
    }
    expect(thresholdInWords("reportCardGradeFrom", "needs-attention")).toBe("Needs attention");
    expect(thresholdInWords("noUnplannedDeficit", false)).toBe("no");
  });
});
