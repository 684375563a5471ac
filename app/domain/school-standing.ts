/**
 * Where a school stands in earned autonomy today: its decided tier (a recorded decision), the tier
 * its records recommend and why, and when it is next reviewed. The school's page and the trust's
 * list of schools both show it.
 */
import type { SchoolAutonomy, TierDecision } from "./autonomy-context";
import { currentDecision } from "./decided-tier";
import { recommendTier, type TierRecommendation } from "./recommended-tier";
import { reviewSchedule, type ReviewSchedule } from "./review-calendar";
import type { TierPolicy } from "./tier-policy";

export interface SchoolStanding {
  decided: TierDecision | null;
  recommendation: TierRecommendation;
  schedule: ReviewSchedule;
  /** The recommendation differs from the decided tier (or there is none): the board has a decision to consider. */
  needsDecision: boolean;
}

export function schoolStanding(school: { joinedOn: string | null }, autonomy: SchoolAutonomy, policy: TierPolicy, today: string): SchoolStanding {
  const decided = currentDecision(autonomy.decisions, today);
  const recommendation = recommendTier({ school, records: autonomy.records, reviews: autonomy.reviews, decided, policy, today });
  const schedule = reviewSchedule({ school, decided, reviews: autonomy.reviews, policy, today });
  return { decided, recommendation, schedule, needsDecision: decided?.tier !== recommendation.tier };
}
