/** Performance records, reviews and decisions for the earned-autonomy tests, with only what each test says. */
import type { Tier } from "~/domain/autonomy";
import type { SchoolReview, TierDecision } from "~/domain/autonomy-context";
import type { PerformanceRecord, ReportCard } from "~/domain/performance";
import type { ReviewTravel } from "~/domain/school-review";

let next = 0;

export function record(asOf: string, overrides: Partial<PerformanceRecord> = {}): PerformanceRecord {
  return {
    id: `record-${++next}`,
    schoolId: "school",
    source: "manual",
    asOf,
    inspection: { framework: "none" },
    safeguardingMet: null,
    outcomesBand: null,
    trend: null,
    inYearBalance: null,
    reserves: null,
    deficit: null,
    safeguardingAudit: null,
    leadershipStability: null,
    terminationWarning: false,
    note: null,
    ...overrides,
  };
}

export function legacy(asOf: string, grade: 1 | 2 | 3 | 4, overrides: Partial<PerformanceRecord> = {}): PerformanceRecord {
  return record(asOf, { inspection: { framework: "legacy", grade }, ...overrides });
}

export function reportCard(asOf: string, grades: ReportCard, overrides: Partial<PerformanceRecord> = {}): PerformanceRecord {
  return record(asOf, { inspection: { framework: "report-card", grades }, safeguardingMet: true, ...overrides });
}

export function review(reviewedOn: string, travel: ReviewTravel, schoolId = "school"): SchoolReview {
  return { id: `review-${++next}`, schoolId, reviewedOn, travel, summary: null };
}

export function decision(tier: Tier, effectiveFrom: string, overrides: Partial<TierDecision> = {}): TierDecision {
  return {
    id: `decision-${++next}`,
    schoolId: "school",
    tier,
    decidedBy: { id: "board", name: "Board of trustees", kind: "board" },
    decidedOn: effectiveFrom,
    effectiveFrom,
    evidence: "Academy improvement review and the latest inspection.",
    nextReviewOn: null,
    ...overrides,
  };
}

/**
 * A school that meets every default criterion for earned autonomy on 2026-11-24: Good, safeguarding
 * met and audited green, outcomes Average then Above average, no deficit, reviewed in October.
 */
export const STRONG_RECORDS: PerformanceRecord[] = [
  legacy("2024-05-10", 2, { safeguardingMet: true, outcomesBand: "Average", safeguardingAudit: "green", deficit: false }),
  record("2025-09-01", { outcomesBand: "Above average", safeguardingAudit: "green", deficit: false }),
];
export const RECENT_REVIEW = [review("2026-10-01", "steady")];
