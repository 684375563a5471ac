/**
 * The tier a school's records point to, with the reasons, beside its decided tier (which only a
 * recorded decision changes). The reasoning, in order (docs/earned-autonomy.md):
 *
 * 1. An intervention trigger (EA-02) proposes intervention (T4) at once, whatever else holds.
 * 2. A school that joined within the transition period is in transition (T0) (EA-12).
 * 3. Otherwise the records decide: earned autonomy (T1) when every criterion is met (EA-01),
 *    supported (T3) when the latest inspection calls for support, standard (T2) otherwise. A report
 *    card is judged only against report-card thresholds; without them the trust is told so (EA-15).
 * 4. Declining outcomes with no inspection since (EA-03) propose one tier below the decided tier,
 *    never intervention (only EA-02 proposes that).
 * 5. A step up out of support or intervention (T4 → T3, T3 → T2) needs the policy's run of reviews
 *    rated improving since the school entered its tier, one step at a time (EA-11).
 *
 * A finance concern (EA-04) is reported but does not move the tier: domain.md's effect is moving the
 * budget decision to the trust, a change to the school's scheme, and a deficit already keeps a
 * school out of earned autonomy (EA-01).
 */
import type { Tier } from "./autonomy";
import type { SchoolReview, TierDecision } from "./autonomy-context";
import { longDate } from "./dates";
import type { PerformanceEntry } from "./performance";
import {
  decliningOutcomes,
  earnedAutonomyReading,
  financeConcerns,
  improvingRun,
  interventionTriggers,
  isJoiner,
  recordsSoFar,
  reviewsSoFar,
  stepUpFrom,
  supportLevel,
  supportReading,
  transitionEndsOn,
} from "./school-evidence";
import { tierLabel, type TierPolicy } from "./tier-policy";

export interface TierRecommendationInput {
  school: { joinedOn: string | null };
  /** In any order; those dated after today are not yet evidence. */
  records: readonly PerformanceEntry[];
  reviews: readonly Pick<SchoolReview, "reviewedOn" | "travel">[];
  /** The decision in effect: its tier is the school's decided tier. Null when none is recorded. */
  decided: Pick<TierDecision, "tier" | "effectiveFrom"> | null;
  policy: TierPolicy;
  today: string;
}

export interface TierRecommendation {
  tier: Tier;
  /** Plain English, each naming the record, review or date it rests on. */
  reasons: string[];
  /** The earned-autonomy rules that shaped it (EA-01, EA-02, …), in the order they were applied. */
  triggers: string[];
  /** An intervention trigger fired (EA-02): intervention is proposed at once. */
  intervention: boolean;
}

/** EA-03's one tier down; support is as far as declining outcomes go. */
function oneTierDown(tier: Tier): Tier {
  if (tier === "T1") return "T2";
  if (tier === "T4") return "T4";
  return "T3";
}

export function recommendTier(input: TierRecommendationInput): TierRecommendation {
  const { school, records, reviews, decided, policy, today } = input;
  const label = (tier: Tier) => tierLabel(policy, tier);

  const alarms = interventionTriggers(records, today);
  if (alarms.length > 0) {
    return {
      tier: "T4",
      reasons: [...alarms, `${alarms.length === 1 ? "This proposes" : "Each of these proposes"} ${label("T4")} at once (EA-02); the board decides.`],
      triggers: ["EA-02"],
      intervention: true,
    };
  }

  if (isJoiner(school.joinedOn, policy, today)) {
    const joined = longDate(school.joinedOn!);
    const ends = longDate(transitionEndsOn(school.joinedOn, policy)!);
    return {
      tier: "T0",
      reasons: [
        `${school.joinedOn! > today ? `The school joins the trust on ${joined}, so it will be in ${label("T0")} from then until ${ends}` : `The school joined the trust on ${joined}, so it is in ${label("T0")} until ${ends}`} (EA-12). It then moves to ${label("T2")}, or to ${label("T1")} if it meets the criteria for earned autonomy.`,
      ],
      triggers: ["EA-12"],
      intervention: false,
    };
  }

  const triggers: string[] = [];
  const reasons: string[] = [];
  const earned = earnedAutonomyReading(records, reviews, policy, today);
  const support = supportReading(records, policy, today);
  let tier: Tier;
  if (recordsSoFar(records, today).length === 0) {
    tier = "T2";
    reasons.push(`No performance record is held for the school: ${label("T2")} applies until the trust records one.`);
  } else if (earned.qualifies) {
    tier = "T1";
    triggers.push("EA-01");
    reasons.push(`EA-01: the school meets every criterion for ${label("T1")}.`, ...earned.criteria.map((c) => c.reason));
  } else if (support.reasons.length > 0) {
    tier = "T3";
    reasons.push(...support.reasons, `This calls for ${label("T3")}.`);
  } else {
    tier = "T2";
    reasons.push(`Not every criterion for ${label("T1")} is met (EA-01):`, ...earned.criteria.filter((c) => c.met === false).map((c) => c.reason));
  }
  const unjudged = [earned.unjudged, support.unjudged].filter((text): text is string => text !== null);
  if (unjudged.length > 0) {
    triggers.push("EA-15");
    reasons.push(...unjudged, "Set the report-card thresholds in the tier policy to have report cards judged.");
  }

  const decline = decliningOutcomes(records, policy.outcomesBands, today);
  if (decline) {
    triggers.push("EA-03");
    const from = decided?.tier ?? tier;
    const down = oneTierDown(from);
    if (supportLevel(down) > supportLevel(tier)) tier = down;
    reasons.push(
      decline,
      down === from
        ? `Declining outcomes propose one tier down (EA-03), but the school is already in ${label(from)}: only an intervention trigger (EA-02) proposes more.`
        : `Declining outcomes propose one tier down (EA-03), from ${label(from)} to ${label(down)}; the board decides, it is not automatic.`,
    );
  }

  const finance = financeConcerns(records, today);
  if (finance.length > 0) {
    triggers.push("EA-04");
    reasons.push(...finance, "Budget setting should move from the school and its local board to the trust's officers (EA-04): a change to the school's scheme, not its tier.");
  }

  const step = decided ? stepUpFrom(decided.tier) : null;
  if (decided && step && supportLevel(tier) < supportLevel(decided.tier)) {
    triggers.push("EA-11");
    const needed = policy.tiers[decided.tier as "T3" | "T4"].criteria.improvingReviewsToLeave;
    const run = improvingRun(reviews, decided.effectiveFrom, today);
    const since = `since it entered ${label(decided.tier)} on ${longDate(decided.effectiveFrom)}`;
    if (run.length >= needed) {
      tier = supportLevel(tier) < supportLevel(step) ? step : tier;
      reasons.push(
        `The last ${run.length} reviews ${since} were rated improving (the latest on ${longDate(run[0]!.reviewedOn)}): a step up to ${label(step)} may be made (EA-11), one tier at a time.`,
      );
    } else {
      tier = decided.tier;
      const [latest] = reviewsSoFar(reviews, today).filter((r) => r.reviewedOn >= decided.effectiveFrom);
      const sofar =
        run.length > 0
          ? `only ${run.length} ${run.length === 1 ? "review has" : "reviews have"} been rated improving in a row so far (the latest on ${longDate(run[0]!.reviewedOn)})`
          : latest
            ? `the latest review, on ${longDate(latest.reviewedOn)}, was rated ${latest.travel}`
            : "no review has been held since";
      reasons.push(`The school stays in ${label(decided.tier)}: a step up needs ${needed} reviews in a row rated improving ${since} (EA-11), and ${sofar}.`);
    }
  }

  // A deficit is both an unmet criterion and a finance concern: it is said once.
  return { tier, reasons: [...new Set(reasons)], triggers, intervention: false };
}
