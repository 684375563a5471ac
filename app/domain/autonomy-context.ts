/**
 * What the earned-autonomy checks and the recommended tier read about each school, besides the
 * scheme: the trust's tier policy, and per school its recorded tier decisions, performance records
 * and reviews. The models fill it from tier_decisions, performance_records and school_reviews.
 */
import type { Tier } from "./autonomy";
import type { PerformanceRecord } from "./performance";
import type { ReviewTravel } from "./school-review";
import type { BodyKind } from "./structure";
import type { TierPolicy } from "./tier-policy";

/** One row of tier_decisions, with the body it names. */
export interface TierDecision {
  id: string;
  schoolId: string;
  tier: Tier;
  /** Null when the decision names no body the trust's structure knows. */
  decidedBy: { id: string; name: string; kind: BodyKind } | null;
  decidedOn: string;
  effectiveFrom: string;
  evidence: string;
  nextReviewOn: string | null;
}

/** One row of school_reviews. */
export interface SchoolReview {
  id: string;
  schoolId: string;
  reviewedOn: string;
  travel: ReviewTravel;
  summary: string | null;
}

export interface SchoolAutonomy {
  /** Every decision recorded for the school, in any order: the one in effect is its decided tier. */
  decisions: TierDecision[];
  /** In any order. */
  records: PerformanceRecord[];
  /** In any order. */
  reviews: SchoolReview[];
}

export interface AutonomyContext {
  policy: TierPolicy;
  /** By school id. A school not listed has no decision, record or review yet. */
  schools: Record<string, SchoolAutonomy>;
}

export const NO_AUTONOMY_DATA: SchoolAutonomy = { decisions: [], records: [], reviews: [] };
