/**
 * The recommended tier: what a school's records point to, with the reasons, across legacy grades and
 * report cards, the intervention triggers, declining outcomes, finances, joiners and promotions.
 */
import { describe, expect, it } from "vitest";
import type { Tier } from "~/domain/autonomy";
import type { PerformanceRecord } from "~/domain/performance";
import { recommendTier, type TierRecommendationInput } from "~/domain/recommended-tier";
import { DEFAULT_TIER_POLICY, type TierPolicy } from "~/domain/tier-policy";
import { legacy, record, RECENT_REVIEW, reportCard, review, STRONG_RECORDS } from "./records";

const TODAY = "2026-11-24";
const LONG_AGO = "2015-09-01";

function recommend(input: Partial<TierRecommendationInput>) {
  return recommendTier({ school: { joinedOn: LONG_AGO }, records: [], reviews: RECENT_REVIEW, decided: null, policy: DEFAULT_TIER_POLICY, today: TODAY, ...input });
}

function decided(tier: Tier, effectiveFrom = "2025-01-10") {
  return { tier, effectiveFrom };
}

function withoutReportCardThresholds(): TierPolicy {
  const policy = structuredClone(DEFAULT_TIER_POLICY);
  policy.tiers.T1.criteria.minReportCardGrade = null;
  policy.tiers.T3.criteria.reportCardGradeFrom = null;
  return policy;
}

const reasonsOf = (r: { reasons: string[] }) => r.reasons.join(" ");

describe("legacy grades", () => {
  it("recommends earned autonomy when every criterion is met, naming each record", () => {
    const result = recommend({ records: STRONG_RECORDS });
    expect(result).toMatchObject({ tier: "T1", triggers: ["EA-01"], intervention: false });
    expect(result.reasons[0]).toBe("EA-01: the school meets every criterion for Earned autonomy (T1).");
    expect(reasonsOf(result)).toContain("The inspection of 10 May 2024 graded the school Good (grade 2), the Good earned autonomy needs.");
    expect(reasonsOf(result)).toContain("Average or above in each of the latest 2 records (Above average on 1 September 2025, Average on 10 May 2024)");
    expect(reasonsOf(result)).toContain("The school was last reviewed on 1 October 2026, within 12 months.");
  });

  it("reads records in any order", () => {
    expect(recommend({ records: [...STRONG_RECORDS].reverse() }).tier).toBe("T1");
  });

  it("recommends standard for a Good school whose outcomes fall below Average, saying which record", () => {
    const records = [...STRONG_RECORDS, record("2026-09-01", { outcomesBand: "Below average" })];
    const result = recommend({ records });
    expect(result.tier).toBe("T2");
    expect(result.triggers).toEqual([]);
    expect(reasonsOf(result)).toContain("Outcomes were Below average in the record of 1 September 2026, below the Average earned autonomy needs");
  });

  it("keeps a school with no review in the last 12 months out of earned autonomy", () => {
    const result = recommend({ records: STRONG_RECORDS, reviews: [review("2025-06-01", "improving")] });
    expect(result.tier).toBe("T2");
    expect(reasonsOf(result)).toContain("last reviewed on 1 June 2025, more than 12 months ago");
  });

  it("keeps a school with an amber safeguarding audit or an unplanned deficit out of earned autonomy", () => {
    const amber = recommend({ records: [...STRONG_RECORDS, record("2026-06-01", { safeguardingAudit: "amber" })] });
    expect(amber.tier).toBe("T2");
    expect(reasonsOf(amber)).toContain("the internal safeguarding audit of 1 June 2026 is amber; earned autonomy needs green");
    const deficit = recommend({ records: [...STRONG_RECORDS, record("2026-06-01", { deficit: true })] });
    expect(deficit.tier).toBe("T2");
    expect(deficit.reasons.filter((r) => r === "The record of 1 June 2026 shows an unplanned deficit.")).toHaveLength(1);
  });

  it("recommends support for Requires improvement", () => {
    const result = recommend({ records: [legacy("2025-02-01", 3)] });
    expect(result.tier).toBe("T3");
    expect(result.reasons).toContain("The inspection of 1 February 2025 graded the school Requires improvement (grade 3).");
  });

  it("recommends standard for a school with no record, saying so", () => {
    const result = recommend({ records: [] });
    expect(result.tier).toBe("T2");
    expect(result.reasons[0]).toContain("No performance record is held for the school");
  });

  it("does not count a record dated after today", () => {
    expect(recommend({ records: [...STRONG_RECORDS, legacy("2026-12-01", 4)] }).tier).toBe("T1");
  });
});

describe("report cards", () => {
  const strongCard = reportCard("2026-03-02", { "leadership-and-governance": "strong", achievement: "expected", inclusion: "exceptional" }, { safeguardingAudit: "green", outcomesBand: "Above average", deficit: false });

  it("recommends earned autonomy when every area is Expected standard or better", () => {
    const result = recommend({ records: [STRONG_RECORDS[0]!, strongCard] });
    expect(result.tier).toBe("T1");
    expect(reasonsOf(result)).toContain("The report card of 2 March 2026 grades every area it inspected Expected standard or better.");
  });

  it("recommends standard when one area falls short of Expected standard, naming the area", () => {
    const card = reportCard("2026-03-02", { achievement: "expected", "attendance-and-behaviour": "needs-attention" }, { safeguardingAudit: "green", outcomesBand: "Average" });
    const policy = structuredClone(DEFAULT_TIER_POLICY);
    policy.tiers.T3.criteria.reportCardGradeFrom = "urgent-improvement";
    const result = recommend({ records: [STRONG_RECORDS[0]!, card], policy });
    expect(result.tier).toBe("T2");
    expect(reasonsOf(result)).toContain("grades Attendance and behaviour (Needs attention), below the Expected standard earned autonomy needs in every area");
  });

  it("recommends support when an area needs attention", () => {
    const card = reportCard("2026-03-02", { achievement: "strong", inclusion: "needs-attention" });
    const result = recommend({ records: [card] });
    expect(result.tier).toBe("T3");
    expect(result.reasons).toContain("The report card of 2 March 2026 grades Inclusion (Needs attention).");
  });

  it("judges a report card, never an older legacy grade: an Outstanding before a weak report card counts for nothing", () => {
    const records = [legacy("2019-06-01", 1, { safeguardingMet: true, outcomesBand: "Well above average", safeguardingAudit: "green" }), reportCard("2026-03-02", { inclusion: "needs-attention" }, { outcomesBand: "Above average" })];
    const result = recommend({ records });
    expect(result.tier).toBe("T3");
    expect(reasonsOf(result)).not.toContain("Outstanding");
  });

  it("says so rather than guess when the trust has no report-card thresholds, and never falls back on a legacy grade", () => {
    const records = [legacy("2019-06-01", 1, { safeguardingMet: true, outcomesBand: "Above average" }), { ...strongCard, inspection: { framework: "report-card" as const, grades: { achievement: "exceptional" as const } } }];
    const result = recommend({ records, policy: withoutReportCardThresholds() });
    expect(result.tier).toBe("T2");
    expect(result.triggers).toEqual(["EA-15"]);
    expect(reasonsOf(result)).toContain("the trust has not set the report-card grade that earns autonomy");
    expect(reasonsOf(result)).toContain("Report-card grades are not compared with legacy grades");
    expect(reasonsOf(result)).toContain("the trust has not set the report-card grade that calls for support");
  });

  it("still judges a legacy grade by the legacy thresholds when report-card thresholds are absent", () => {
    const result = recommend({ records: STRONG_RECORDS, policy: withoutReportCardThresholds() });
    expect(result).toMatchObject({ tier: "T1", triggers: ["EA-01"] });
  });
});

describe("intervention triggers (EA-02) propose intervention at once", () => {
  const cases: [string, PerformanceRecord[], string][] = [
    ["safeguarding not met in a report card", [reportCard("2026-10-05", { achievement: "strong" }, { safeguardingMet: false })], "The inspection of 5 October 2026 found safeguarding not met."],
    ["an area graded urgent improvement", [reportCard("2026-10-05", { "attendance-and-behaviour": "urgent-improvement", achievement: "strong" })], "The report card of 5 October 2026 grades Attendance and behaviour (Urgent improvement)."],
    ["a legacy Inadequate", [legacy("2026-10-05", 4)], "The inspection of 5 October 2026 graded the school Inadequate (grade 4)."],
    ["a termination warning notice", [...STRONG_RECORDS, record("2026-10-05", { terminationWarning: true })], "The record of 5 October 2026 notes a DfE termination warning notice in force."],
  ];
  for (const [what, records, reason] of cases) {
    it(`on ${what}, even for a school decided T1`, () => {
      const result = recommend({ records, decided: decided("T1") });
      expect(result).toMatchObject({ tier: "T4", triggers: ["EA-02"], intervention: true });
      expect(result.reasons[0]).toBe(reason);
      expect(result.reasons[1]).toBe("This proposes Intervention (T4) at once (EA-02); the board decides.");
    });
  }

  it("even for a school that joined last month", () => {
    expect(recommend({ school: { joinedOn: "2026-10-20" }, records: [legacy("2026-11-01", 4)] }).tier).toBe("T4");
  });

  it("lists every trigger found", () => {
    const result = recommend({ records: [legacy("2026-10-05", 4, { safeguardingMet: false, terminationWarning: true })] });
    expect(result.reasons).toHaveLength(4);
    expect(result.reasons[3]).toBe("Each of these proposes Intervention (T4) at once (EA-02); the board decides.");
  });

  it("reads only the latest inspection: an Inadequate since followed by Good is history", () => {
    const result = recommend({ records: [legacy("2022-01-01", 4), ...STRONG_RECORDS] });
    expect(result.intervention).toBe(false);
  });
});

describe("joiners (EA-12)", () => {
  it("recommends transition for a school that joined less than 12 months ago, saying until when", () => {
    const result = recommend({ school: { joinedOn: "2026-04-01" }, records: STRONG_RECORDS });
    expect(result).toMatchObject({ tier: "T0", triggers: ["EA-12"] });
    expect(result.reasons[0]).toContain("joined the trust on 1 April 2026, so it is in Transition (T0) until 1 April 2027 (EA-12)");
  });

  it("recommends transition for a school whose joining date is still ahead, from that date, whatever its records", () => {
    const result = recommend({ school: { joinedOn: "2027-01-01" }, records: STRONG_RECORDS });
    expect(result).toMatchObject({ tier: "T0", triggers: ["EA-12"] });
    expect(result.reasons[0]).toContain("joins the trust on 1 January 2027, so it will be in Transition (T0) from then until 1 January 2028 (EA-12)");
    expect(recommend({ school: { joinedOn: "2027-01-01" }, records: [] }).tier).toBe("T0");
  });

  it("judges a school on its records once 12 months have passed", () => {
    expect(recommend({ school: { joinedOn: "2025-11-24" }, records: STRONG_RECORDS }).tier).toBe("T1");
    expect(recommend({ school: { joinedOn: "2025-11-25" }, records: STRONG_RECORDS }).tier).toBe("T0");
  });

  it("follows the trust's own transition period", () => {
    const policy = structuredClone(DEFAULT_TIER_POLICY);
    policy.tiers.T0.criteria.months = 6;
    expect(recommend({ school: { joinedOn: "2026-04-01" }, records: STRONG_RECORDS, policy }).tier).toBe("T1");
  });
});

describe("declining outcomes (EA-03)", () => {
  const falling = [
    legacy("2023-06-01", 2, { safeguardingMet: true, outcomesBand: "Above average", safeguardingAudit: "green" }),
    record("2024-09-01", { outcomesBand: "Average" }),
    record("2025-09-01", { outcomesBand: "Below average" }),
  ];

  it("proposes one tier below the decided tier, for the board to decide", () => {
    const result = recommend({ records: falling, decided: decided("T2") });
    expect(result.tier).toBe("T3");
    expect(result.triggers).toContain("EA-03");
    expect(reasonsOf(result)).toContain("Outcomes fell at two data points in a row (from Above average to Average in the record of 1 September 2024; from Average to Below average in the record of 1 September 2025), with no inspection since 1 June 2023.");
    expect(reasonsOf(result)).toContain("from Standard (T2) to Supported (T3); the board decides, it is not automatic");
  });

  it("takes a T1 school to standard, not further", () => {
    expect(recommend({ records: falling, decided: decided("T1") }).tier).toBe("T2");
  });

  it("never proposes intervention: a supported school stays supported", () => {
    const result = recommend({ records: falling, decided: decided("T3") });
    expect(result.tier).toBe("T3");
    expect(reasonsOf(result)).toContain("already in Supported (T3): only an intervention trigger (EA-02) proposes more");
  });

  it("counts a trend reported as declining as a fall", () => {
    const records = [...STRONG_RECORDS, record("2026-02-01", { trend: "declining" }), record("2026-07-01", { trend: "declining" })];
    expect(recommend({ records, decided: decided("T1") }).triggers).toContain("EA-03");
  });

  it("does not fire on a single fall, or when an inspection since has judged the school", () => {
    expect(recommend({ records: falling.slice(0, 2), decided: decided("T2") }).triggers).not.toContain("EA-03");
    const inspectedSince = [...falling, legacy("2025-11-01", 2, { safeguardingMet: true })];
    expect(recommend({ records: inspectedSince, decided: decided("T2") }).triggers).not.toContain("EA-03");
  });
});

describe("finances (EA-04)", () => {
  it("reports a deficit or negative reserves without moving the tier", () => {
    const records = [legacy("2025-02-01", 2), record("2026-03-31", { reserves: -12500.5 })];
    const result = recommend({ records });
    expect(result.tier).toBe("T2");
    expect(result.triggers).toEqual(["EA-04"]);
    expect(reasonsOf(result)).toContain("The record of 31 March 2026 shows reserves of −£12,500.50, a cumulative deficit.");
    expect(reasonsOf(result)).toContain("a change to the school's scheme, not its tier");
  });
});

describe("leaving support or intervention (EA-11)", () => {
  const recovered = STRONG_RECORDS;

  it("keeps a school in intervention until two reviews in a row are rated improving, saying why", () => {
    const result = recommend({ records: recovered, decided: decided("T4"), reviews: [review("2025-06-01", "improving"), review("2026-10-01", "steady")] });
    expect(result.tier).toBe("T4");
    expect(result.triggers).toContain("EA-11");
    expect(reasonsOf(result)).toContain(
      "The school stays in Intervention (T4): a step up needs 2 reviews in a row rated improving since it entered Intervention (T4) on 10 January 2025 (EA-11), and the latest review, on 1 October 2026, was rated steady.",
    );
  });

  it("counts one improving review as not enough", () => {
    const result = recommend({ records: recovered, decided: decided("T3"), reviews: [review("2026-10-01", "improving")] });
    expect(result.tier).toBe("T3");
    expect(reasonsOf(result)).toContain("only 1 review has been rated improving in a row so far (the latest on 1 October 2026)");
  });

  it("steps up one tier at a time after two improving reviews: intervention to support, support to standard", () => {
    const reviews = [review("2026-04-01", "improving"), review("2026-10-01", "improving")];
    const fromIntervention = recommend({ records: recovered, decided: decided("T4"), reviews });
    expect(fromIntervention.tier).toBe("T3");
    expect(reasonsOf(fromIntervention)).toContain("The last 2 reviews since it entered Intervention (T4) on 10 January 2025 were rated improving (the latest on 1 October 2026)");
    expect(recommend({ records: recovered, decided: decided("T3"), reviews }).tier).toBe("T2");
  });

  it("does not count reviews held before the school entered its tier", () => {
    const reviews = [review("2024-04-01", "improving"), review("2024-10-01", "improving")];
    expect(recommend({ records: recovered, decided: decided("T3", "2025-01-10"), reviews }).tier).toBe("T3");
  });

  it("never steps up while an intervention trigger holds", () => {
    const reviews = [review("2026-04-01", "improving"), review("2026-10-01", "improving")];
    expect(recommend({ records: [legacy("2026-09-01", 4)], decided: decided("T4"), reviews }).tier).toBe("T4");
  });

  it("follows the trust's own number of improving reviews", () => {
    const policy = structuredClone(DEFAULT_TIER_POLICY);
    policy.tiers.T3.criteria.improvingReviewsToLeave = 1;
    expect(recommend({ records: recovered, decided: decided("T3"), reviews: [review("2026-10-01", "improving")], policy }).tier).toBe("T2");
  });

  it("leaves a promotion from standard to earned autonomy to EA-01 alone", () => {
    const result = recommend({ records: recovered, decided: decided("T2") });
    expect(result.tier).toBe("T1");
    expect(result.triggers).not.toContain("EA-11");
  });
});
