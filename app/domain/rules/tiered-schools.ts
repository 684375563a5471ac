/**
 * Each school of the scheme as the earned-autonomy checks see it: its decision in effect and so its
 * decided tier, its records and reviews, its effective scheme (base ← tier ← school) and its
 * recommended tier. Worked out once per check run and shared by the rules; the recommendation only
 * for the schools a rule asks about.
 *
 * A school's effective scheme is read cell by cell, exactly as effectiveCells builds it (a test holds
 * the two to the same answers): building the whole matrix for each of a hundred schools costs more
 * than every other check together, and a rule reads a few rows of it.
 */
import type { Tier } from "../autonomy";
import { NO_AUTONOMY_DATA, type SchoolAutonomy, type TierDecision } from "../autonomy-context";
import type { DecisionCode } from "../codes";
import { currentDecision } from "../decided-tier";
import { recommendTier, type TierRecommendation } from "../recommended-tier";
import { cellKey, type SchemeSchool } from "../scheme";
import type { TierPolicy } from "../tier-policy";
import type { RuleContext } from "./types";

export interface TieredSchool {
  school: SchemeSchool;
  data: SchoolAutonomy;
  decision: TierDecision | null;
  /** The decided tier; null when no decision is recorded. */
  tier: Tier | null;
  /** The code of a cell in the school's effective scheme. */
  code(rowId: string, columnId: string): DecisionCode | null;
  recommendation(): TierRecommendation;
}

export interface TieredTrust {
  policy: TierPolicy;
  schools: TieredSchool[];
}

const seen = new WeakMap<RuleContext, TieredTrust | null>();

function tieredSchool(context: RuleContext, locked: Set<string>, policy: TierPolicy, school: SchemeSchool, data: SchoolAutonomy): TieredSchool {
  const { scheme } = context;
  const decision = currentDecision(data.decisions, context.today);
  const tier = decision?.tier ?? null;
  const tierVariants = tier ? scheme.tierCells[tier] : undefined;
  const ownVariants = scheme.schoolCells[school.id];
  let recommendation: TierRecommendation | null = null;
  return {
    school,
    data,
    decision,
    tier,
    code(rowId, columnId) {
      const key = cellKey(rowId, columnId);
      // Statutory-locked rows never vary (EA-14); otherwise the school's own variation, then its tier's, then the base.
      const variant = locked.has(rowId) ? undefined : (ownVariants?.[key] ?? tierVariants?.[key]);
      return variant ? variant.code : (scheme.cells[key]?.code ?? null);
    },
    recommendation() {
      recommendation ??= recommendTier({ school, records: data.records, reviews: data.reviews, decided: decision, policy, today: context.today });
      return recommendation;
    },
  };
}

/** The trust's schools with their tiers, or null when the checks have no autonomy data (they then stay silent). */
export function tieredTrust(context: RuleContext): TieredTrust | null {
  if (seen.has(context)) return seen.get(context)!;
  const autonomy = context.autonomy;
  const locked = new Set(context.scheme.rows.filter((row) => row.locked).map((row) => row.id));
  const trust = autonomy
    ? {
        policy: autonomy.policy,
        schools: context.scheme.schools.map((school) => tieredSchool(context, locked, autonomy.policy, school, autonomy.schools[school.id] ?? NO_AUTONOMY_DATA)),
      }
    : null;
  seen.set(context, trust);
  return trust;
}
