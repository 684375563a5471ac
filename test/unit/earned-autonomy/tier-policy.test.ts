/** The trust's tier policy: its defaults, the nonsense it refuses, and reading what is stored leniently. */
import { describe, expect, it } from "vitest";
import { DEFAULT_REVIEWS_PER_YEAR, DEFAULT_TIER_NAMES, TIERS } from "~/domain/autonomy";
import { DEFAULT_TIER_POLICY, outcomesBandsOf, tierCriteriaOf, tierLabel, tierPolicyOf, TierPolicySchema, type TierPolicy } from "~/domain/tier-policy";

function copy(policy: TierPolicy = DEFAULT_TIER_POLICY): TierPolicy {
  return structuredClone(policy);
}

function refusals(policy: unknown): Record<string, string> {
  const result = TierPolicySchema.safeParse(policy);
  expect(result.success).toBe(false);
  return Object.fromEntries((result.error?.issues ?? []).map((i) => [i.path.join("."), i.message]));
}

describe("the default tier policy", () => {
  it("names the five tiers and reviews them at DCAT's cadence", () => {
    for (const tier of TIERS) {
      expect(DEFAULT_TIER_POLICY.tiers[tier].name).toBe(DEFAULT_TIER_NAMES[tier]);
      expect(DEFAULT_TIER_POLICY.tiers[tier].reviewsPerYear).toBe(DEFAULT_REVIEWS_PER_YEAR[tier]);
      expect(DEFAULT_TIER_POLICY.tiers[tier].criteria.schemeChanges.length).toBeGreaterThan(10);
    }
    expect(tierLabel(DEFAULT_TIER_POLICY, "T4")).toBe("Intervention (T4)");
  });

  it("takes domain.md §5(d)'s thresholds", () => {
    expect(DEFAULT_TIER_POLICY.tiers.T1.criteria).toMatchObject({
      minLegacyGrade: 2,
      minReportCardGrade: "expected",
      minSafeguardingAudit: "green",
      minOutcomesBand: "Average",
      outcomesRecords: 2,
      noUnplannedDeficit: true,
      reviewWithinMonths: 12,
      glassCeilingMonths: 24,
    });
    expect(DEFAULT_TIER_POLICY.tiers.T0.criteria.months).toBe(12);
    expect(DEFAULT_TIER_POLICY.tiers.T3.criteria.improvingReviewsToLeave).toBe(2);
    expect(DEFAULT_TIER_POLICY.tiers.T4.criteria.improvingReviewsToLeave).toBe(2);
    expect(DEFAULT_TIER_POLICY.outcomesBands).toEqual(["Well below average", "Below average", "Average", "Above average", "Well above average"]);
  });

  it("is itself a policy the schema accepts", () => {
    expect(TierPolicySchema.safeParse(DEFAULT_TIER_POLICY).success).toBe(true);
  });
});

describe("setting a policy", () => {
  it("refuses reviews a year outside 1 to 12, and months in transition that are not whole", () => {
    const policy = copy();
    policy.tiers.T4.reviewsPerYear = 13;
    policy.tiers.T1.reviewsPerYear = 0;
    policy.tiers.T0.criteria.months = 6.5;
    expect(refusals(policy)).toEqual({
      "tiers.T4.reviewsPerYear": "Reviews a year must be a whole number from 1 to 12.",
      "tiers.T1.reviewsPerYear": "Reviews a year must be a whole number from 1 to 12.",
      "tiers.T0.criteria.months": "Longest time in transition, in months must be a whole number from 1 to 24.",
    });
  });

  it("refuses a blank name, and two tiers of the same name", () => {
    const policy = copy();
    policy.tiers.T2.name = " ";
    expect(refusals(policy)).toEqual({ "tiers.T2.name": "Give tier T2 a name." });
    policy.tiers.T2.name = "earned autonomy";
    expect(refusals(policy)).toEqual({ "tiers.T2.name": 'Tiers T1 and T2 are both called "earned autonomy": give each its own name.' });
  });

  it("refuses grades off the scales", () => {
    const policy = copy() as unknown as { tiers: { T1: { criteria: Record<string, unknown> } } };
    policy.tiers.T1.criteria.minLegacyGrade = 5;
    policy.tiers.T1.criteria.minReportCardGrade = "good";
    expect(refusals(policy)).toEqual({
      "tiers.T1.criteria.minLegacyGrade": "The weakest legacy grade for earned autonomy must be a legacy grade from 1 (Outstanding) to 4 (Inadequate).",
      "tiers.T1.criteria.minReportCardGrade": "The weakest report-card grade for earned autonomy must be one of the report card's five grades, from Exceptional to Urgent improvement.",
    });
  });

  it("refuses a band threshold the trust's bands do not have", () => {
    const policy = copy();
    policy.outcomesBands = ["Below", "In line", "Above"];
    policy.tiers.T1.criteria.glassCeilingBand = "Above";
    expect(refusals(policy)).toEqual({
      "tiers.T1.criteria.minOutcomesBand": '"Average" is not one of the trust\'s outcomes bands (Below, In line, Above).',
    });
  });

  it("refuses a grade that would both earn autonomy and call for support", () => {
    const policy = copy();
    policy.tiers.T3.criteria.legacyGradeFrom = 2;
    policy.tiers.T3.criteria.reportCardGradeFrom = "expected";
    expect(refusals(policy)).toEqual({
      "tiers.T3.criteria.legacyGradeFrom": "A legacy grade of Good would both earn autonomy and call for support: the grade that earns autonomy (Good or better) must be better than the one from which support starts (Good or worse).",
      "tiers.T3.criteria.reportCardGradeFrom":
        "A report-card grade of Expected standard would both earn autonomy and call for support: the grade that earns autonomy (Expected standard or better) must be better than the one from which support starts (Expected standard or worse).",
    });
  });

  it("refuses fewer than two outcomes bands, and two of the same name", () => {
    expect(refusals({ ...copy(), outcomesBands: ["Only"] })).toEqual({ outcomesBands: "List at least two outcomes bands, lowest first." });
    expect(refusals({ ...copy(), outcomesBands: ["Low", "low", "High"] })).toEqual({ outcomesBands: "Each outcomes band needs a name of its own." });
  });

  it("accepts a trust that sets no report-card thresholds yet", () => {
    const policy = copy();
    policy.tiers.T1.criteria.minReportCardGrade = null;
    policy.tiers.T3.criteria.reportCardGradeFrom = null;
    expect(TierPolicySchema.safeParse(policy).success).toBe(true);
  });
});

describe("reading a stored policy", () => {
  it("gives the defaults for an empty criteria object, as new trusts store", () => {
    expect(tierCriteriaOf("T1", {})).toEqual(DEFAULT_TIER_POLICY.tiers.T1.criteria);
    expect(tierCriteriaOf("T3", null)).toEqual(DEFAULT_TIER_POLICY.tiers.T3.criteria);
  });

  it("keeps what is valid, takes the default for what is not, and keeps an explicit null", () => {
    const criteria = tierCriteriaOf("T1", { minLegacyGrade: 1, outcomesRecords: 99, minReportCardGrade: null, minOutcomesBand: 7, unknown: true });
    expect(criteria.minLegacyGrade).toBe(1);
    expect(criteria.outcomesRecords).toBe(2);
    expect(criteria.minReportCardGrade).toBeNull();
    expect(criteria.minOutcomesBand).toBe("Average");
    expect(criteria).not.toHaveProperty("unknown");
  });

  it("builds the policy from the trust's rows, with defaults for a missing tier or a nonsense cadence", () => {
    const policy = tierPolicyOf([
      { tier: "T1", name: "Sustain", description: "Capacity givers", reviewsPerYear: 1, criteria: { minLegacyGrade: 1 } },
      { tier: "T4", name: "Stabilise", description: null, reviewsPerYear: 40, criteria: {} },
    ]);
    expect(policy.tiers.T1).toMatchObject({ name: "Sustain", description: "Capacity givers", reviewsPerYear: 1 });
    expect(policy.tiers.T1.criteria.minLegacyGrade).toBe(1);
    expect(policy.tiers.T4).toMatchObject({ name: "Stabilise", reviewsPerYear: 4 });
    expect(policy.tiers.T2).toEqual(DEFAULT_TIER_POLICY.tiers.T2);
    // Reading never changes the defaults themselves.
    expect(DEFAULT_TIER_POLICY.tiers.T1.criteria.minLegacyGrade).toBe(2);
  });

  it("resets thresholds that contradict each other to their defaults", () => {
    const policy = tierPolicyOf([
      { tier: "T1", name: "Earned autonomy", description: null, reviewsPerYear: 2, criteria: { minLegacyGrade: 3 } },
      { tier: "T3", name: "Supported", description: null, reviewsPerYear: 3, criteria: { legacyGradeFrom: 2 } },
    ]);
    expect(policy.tiers.T1.criteria.minLegacyGrade).toBe(2);
    expect(policy.tiers.T3.criteria.legacyGradeFrom).toBe(3);
  });

  it("reads the trust's own bands, and drops a band threshold they do not have", () => {
    expect(outcomesBandsOf(["Below", "In line", "Above"])).toEqual(["Below", "In line", "Above"]);
    expect(outcomesBandsOf("Average")).toEqual(DEFAULT_TIER_POLICY.outcomesBands);
    const policy = tierPolicyOf([{ tier: "T1", name: "Earned autonomy", description: null, reviewsPerYear: 2, criteria: { minOutcomesBand: "Nope" } }], ["Below", "In line", "Above"]);
    expect(policy.tiers.T1.criteria.minOutcomesBand).toBeNull();
  });

  it("tells tiers of the same stored name apart", () => {
    const policy = tierPolicyOf([
      { tier: "T1", name: "Green", description: null, reviewsPerYear: 2, criteria: {} },
      { tier: "T2", name: "green", description: null, reviewsPerYear: 2, criteria: {} },
    ]);
    expect(policy.tiers.T2.name).toBe("green (T2)");
  });
});
