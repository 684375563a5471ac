/**
 * The trust's autonomy tiers as a policy: for each tier its name, what it means, how often its
 * schools are reviewed, what changes in the scheme, and the thresholds to enter or leave it. Every
 * threshold is domain.md §5(d)'s proposed default until the trust sets its own.
 *
 * A tier is one row of autonomy_tiers (name, description, reviews_per_year, criteria); the tier's
 * criteria object, with its schemeChanges text, is that row's criteria column. The outcomes bands
 * are the trust's, not a tier's: the thresholds name them and the records are entered in them.
 */
import { z } from "zod";
import { DEFAULT_REVIEWS_PER_YEAR, DEFAULT_TIER_NAMES, LEGACY_GRADE_LABELS, LEGACY_GRADES, REPORT_CARD_GRADES, TIERS, type Tier } from "./autonomy";
import { bandRank, DEFAULT_OUTCOMES_BANDS, REPORT_CARD_GRADE_LABELS, type LegacyGrade, type ReportCardGrade } from "./performance";

/** T0: a school that has just joined. */
export interface TransitionCriteria {
  schemeChanges: string;
  /** A joiner stays in transition at most this long (EA-12). */
  months: number;
}

/** T1: what a school must show to earn autonomy and keep it (EA-01). */
export interface EarnedAutonomyCriteria {
  schemeChanges: string;
  /** The weakest legacy grade that qualifies: 2 = Good or better. */
  minLegacyGrade: LegacyGrade | null;
  /**
   * The weakest report-card grade that qualifies, in every graded area. Null: the trust has set none,
   * and a report card is then not judged at all rather than read as a legacy grade (EA-15).
   */
  minReportCardGrade: ReportCardGrade | null;
  /** The weakest internal safeguarding audit that qualifies; null when the audit is not asked for. */
  minSafeguardingAudit: "green" | "amber" | null;
  /** The lowest outcomes band that qualifies, in each of the latest `outcomesRecords` records; null when outcomes are not asked for. */
  minOutcomesBand: string | null;
  outcomesRecords: number;
  /** A school in an unplanned deficit cannot earn autonomy. */
  noUnplannedDeficit: boolean;
  /** The school's last review is at most this old. */
  reviewWithinMonths: number;
  /** EA-13: after this long in earned autonomy with outcomes at this band or above, the board is prompted to extend freedoms. */
  glassCeilingMonths: number;
  glassCeilingBand: string | null;
}

/** T2: the default tier; nothing to meet. */
export interface StandardCriteria {
  schemeChanges: string;
}

/** T3: a school that needs support, and how it leaves (EA-11). */
export interface SupportedCriteria {
  schemeChanges: string;
  /** A legacy grade this weak or weaker calls for support: 3 = Requires improvement. */
  legacyGradeFrom: LegacyGrade | null;
  /** A report-card area graded this or lower calls for support; null when the trust has set none (EA-15). */
  reportCardGradeFrom: ReportCardGrade | null;
  /** Consecutive reviews rated improving before a step up (EA-11). */
  improvingReviewsToLeave: number;
}

/** T4: intervention, and how a school leaves it (EA-11). Entering it is EA-02's triggers, which the trust does not set. */
export interface InterventionCriteria {
  schemeChanges: string;
  improvingReviewsToLeave: number;
}

export interface TierCriteriaByTier {
  T0: TransitionCriteria;
  T1: EarnedAutonomyCriteria;
  T2: StandardCriteria;
  T3: SupportedCriteria;
  T4: InterventionCriteria;
}

export interface TierDefinition<T extends Tier = Tier> {
  tier: T;
  name: string;
  description: string | null;
  reviewsPerYear: number;
  criteria: TierCriteriaByTier[T];
}

export interface TierPolicy {
  tiers: { [T in Tier]: TierDefinition<T> };
  /** The trust's outcomes bands, lowest first. */
  outcomesBands: string[];
}

/** A row of autonomy_tiers as the models read it. */
export interface StoredTier {
  tier: string;
  name: string;
  description: string | null;
  reviewsPerYear: number;
  criteria: unknown;
}

// ---------------------------------------------------------------- the defaults

const DEFAULT_CRITERIA: TierCriteriaByTier = {
  T0: {
    schemeChanges:
      "A transition board appointed by the executive takes the local governing body's place for up to a year from joining. The school then moves to Standard, or to Earned autonomy if it joined good or better and meets the criteria.",
    months: 12,
  },
  T1: {
    schemeChanges:
      "The fullest scheme: budget responsibility stays with the school, the headteacher's performance management is by the line executive, and the rows the trust marks innovation-eligible may move to the school. The school gives capacity to others through school-to-school support.",
    minLegacyGrade: 2,
    minReportCardGrade: "expected",
    minSafeguardingAudit: "green",
    minOutcomesBand: "Average",
    outcomesRecords: 2,
    noUnplannedDeficit: true,
    reviewWithinMonths: 12,
    glassCeilingMonths: 24,
    glassCeilingBand: "Above average",
  },
  T2: { schemeChanges: "None: the trust's scheme applies as written." },
  T3: {
    schemeChanges:
      "A reduced scheme: the headteacher's performance management moves to the deputy CEO or director of education, and the budget may move to the trust's officers.",
    legacyGradeFrom: 3,
    reportCardGradeFrom: "needs-attention",
    improvingReviewsToLeave: 2,
  },
  T4: {
    schemeChanges:
      "The minimum scheme: the local board's decisions are suspended (its D become M, or move to the trust), an intervention board of three to five members chaired by a trustee or member takes its place, an action plan is due within 15 days, and a new local body is formed within a term.",
    improvingReviewsToLeave: 2,
  },
};

const DEFAULT_DESCRIPTIONS: Record<Tier, string> = {
  T0: "A school that joined the trust less than a year ago.",
  T1: "A school whose inspection, safeguarding, outcomes and finances meet the trust's criteria for earned autonomy.",
  T2: "The trust's default for its schools.",
  T3: "A school that needs the trust's support: a legacy grade of Requires improvement, a report-card area that needs attention, or outcomes in decline.",
  T4: "A school with an intervention trigger: safeguarding not met, an area graded urgent improvement or a legacy Inadequate, or a DfE termination warning notice.",
};

function defaultTier<T extends Tier>(tier: T): TierDefinition<T> {
  return { tier, name: DEFAULT_TIER_NAMES[tier], description: DEFAULT_DESCRIPTIONS[tier], reviewsPerYear: DEFAULT_REVIEWS_PER_YEAR[tier], criteria: { ...DEFAULT_CRITERIA[tier] } };
}

export const DEFAULT_TIER_POLICY: TierPolicy = {
  tiers: { T0: defaultTier("T0"), T1: defaultTier("T1"), T2: defaultTier("T2"), T3: defaultTier("T3"), T4: defaultTier("T4") },
  outcomesBands: [...DEFAULT_OUTCOMES_BANDS],
};

/** "Earned autonomy (T1)". */
export function tierLabel(policy: TierPolicy, tier: Tier): string {
  return `${policy.tiers[tier].name} (${tier})`;
}

// ---------------------------------------------------------------- the schema of a policy

const text = (label: string, max: number) => z.string({ error: `${label}: enter some text.` }).trim().max(max, `${label}: use at most ${max} characters.`);
const whole = (label: string, min: number, max: number) =>
  z.number({ error: `${label} must be a whole number from ${min} to ${max}.` }).int(`${label} must be a whole number from ${min} to ${max}.`).min(min, `${label} must be a whole number from ${min} to ${max}.`).max(max, `${label} must be a whole number from ${min} to ${max}.`);
const legacyGrade = (label: string) =>
  z
    .number({ error: `${label} must be a legacy grade from 1 (Outstanding) to 4 (Inadequate).` })
    .refine((g): g is LegacyGrade => (LEGACY_GRADES as readonly number[]).includes(g), `${label} must be a legacy grade from 1 (Outstanding) to 4 (Inadequate).`)
    .nullable();
const reportCardGrade = (label: string) =>
  z.enum(REPORT_CARD_GRADES, { error: `${label} must be one of the report card's five grades, from Exceptional to Urgent improvement.` }).nullable();
const band = (label: string) => z.string({ error: `${label}: choose one of the trust's outcomes bands.` }).trim().min(1, `${label}: choose one of the trust's outcomes bands.`).nullable();
const schemeChanges = text("What changes in the scheme", 2000);
const improvingReviews = whole("Consecutive improving reviews to leave the tier", 1, 6);

export const TIER_CRITERIA_SCHEMAS = {
  T0: z.object({ schemeChanges, months: whole("Longest time in transition, in months", 1, 24) }),
  T1: z.object({
    schemeChanges,
    minLegacyGrade: legacyGrade("The weakest legacy grade for earned autonomy"),
    minReportCardGrade: reportCardGrade("The weakest report-card grade for earned autonomy"),
    minSafeguardingAudit: z.enum(["green", "amber"], { error: "The weakest internal safeguarding audit for earned autonomy must be green or amber." }).nullable(),
    minOutcomesBand: band("The lowest outcomes band for earned autonomy"),
    outcomesRecords: whole("Records in which outcomes must reach that band", 1, 5),
    noUnplannedDeficit: z.boolean({ error: "Say whether an unplanned deficit rules out earned autonomy." }),
    reviewWithinMonths: whole("Longest time since the last review, in months", 1, 36),
    glassCeilingMonths: whole("Months in earned autonomy before the board considers more freedom", 1, 120),
    glassCeilingBand: band("The outcomes band at which the board considers more freedom"),
  }),
  T2: z.object({ schemeChanges }),
  T3: z.object({
    schemeChanges,
    legacyGradeFrom: legacyGrade("The legacy grade that calls for support"),
    reportCardGradeFrom: reportCardGrade("The report-card grade that calls for support"),
    improvingReviewsToLeave: improvingReviews,
  }),
  T4: z.object({ schemeChanges, improvingReviewsToLeave: improvingReviews }),
} satisfies { [T in Tier]: z.ZodType<TierCriteriaByTier[T]> };

function tierSchema<T extends Tier>(tier: T) {
  return z.object({
    tier: z.literal(tier),
    name: text("The tier's name", 60).min(1, `Give tier ${tier} a name.`),
    description: text("The tier's description", 2000).nullable(),
    reviewsPerYear: whole("Reviews a year", 1, 12),
    criteria: TIER_CRITERIA_SCHEMAS[tier],
  });
}

const OutcomesBandsSchema = z
  .array(z.string().trim().min(1, "An outcomes band needs a name.").max(60, "An outcomes band's name: use at most 60 characters."), {
    error: "List the trust's outcomes bands, lowest first.",
  })
  .min(2, "List at least two outcomes bands, lowest first.")
  .max(10, "List at most ten outcomes bands.")
  .refine((bands) => new Set(bands.map((b) => b.toLowerCase())).size === bands.length, "Each outcomes band needs a name of its own.");

const earnedGrade = (grade: ReportCardGrade) => REPORT_CARD_GRADES.indexOf(grade);

/**
 * A whole policy as the trust sets it. Besides each field's range, it refuses what cannot work
 * together: tiers sharing a name, a band the trust does not have, and a grade that would both earn
 * autonomy and call for support.
 */
export const TierPolicySchema = z
  .object({
    tiers: z.object({ T0: tierSchema("T0"), T1: tierSchema("T1"), T2: tierSchema("T2"), T3: tierSchema("T3"), T4: tierSchema("T4") }),
    outcomesBands: OutcomesBandsSchema,
  })
  .superRefine((policy, ctx) => {
    const names = new Map<string, Tier>();
    for (const tier of TIERS) {
      const name = policy.tiers[tier].name.toLowerCase();
      const first = names.get(name);
      if (first) ctx.addIssue({ code: "custom", path: ["tiers", tier, "name"], message: `Tiers ${first} and ${tier} are both called "${policy.tiers[tier].name}": give each its own name.` });
      else names.set(name, tier);
    }
    const earned = policy.tiers.T1.criteria;
    // Zod still runs this when the bands themselves are refused; their own message is enough then.
    const bandsUsable = OutcomesBandsSchema.safeParse(policy.outcomesBands).success;
    for (const key of ["minOutcomesBand", "glassCeilingBand"] as const) {
      const value = earned[key];
      if (bandsUsable && value !== null && bandRank(policy.outcomesBands, value) === null) {
        ctx.addIssue({ code: "custom", path: ["tiers", "T1", "criteria", key], message: `"${value}" is not one of the trust's outcomes bands (${policy.outcomesBands.join(", ")}).` });
      }
    }
    const supported = policy.tiers.T3.criteria;
    if (earned.minLegacyGrade !== null && supported.legacyGradeFrom !== null && supported.legacyGradeFrom <= earned.minLegacyGrade) {
      ctx.addIssue({
        code: "custom",
        path: ["tiers", "T3", "criteria", "legacyGradeFrom"],
        message: `A legacy grade of ${LEGACY_GRADE_LABELS[supported.legacyGradeFrom]} would both earn autonomy and call for support: the grade that earns autonomy (${LEGACY_GRADE_LABELS[earned.minLegacyGrade]} or better) must be better than the one from which support starts (${LEGACY_GRADE_LABELS[supported.legacyGradeFrom]} or worse).`,
      });
    }
    if (earned.minReportCardGrade !== null && supported.reportCardGradeFrom !== null && earnedGrade(supported.reportCardGradeFrom) <= earnedGrade(earned.minReportCardGrade)) {
      ctx.addIssue({
        code: "custom",
        path: ["tiers", "T3", "criteria", "reportCardGradeFrom"],
        message: `A report-card grade of ${REPORT_CARD_GRADE_LABELS[supported.reportCardGradeFrom]} would both earn autonomy and call for support: the grade that earns autonomy (${REPORT_CARD_GRADE_LABELS[earned.minReportCardGrade]} or better) must be better than the one from which support starts (${REPORT_CARD_GRADE_LABELS[supported.reportCardGradeFrom]} or worse).`,
      });
    }
  });

// ---------------------------------------------------------------- reading what is stored

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/**
 * A tier's stored criteria, read leniently: each threshold the stored object gives and its range
 * allows is kept, anything absent or out of range takes the default. An explicit null is kept where
 * null has a meaning ("not asked for", or no report-card threshold set: EA-15).
 */
export function tierCriteriaOf<T extends Tier>(tier: T, stored: unknown): TierCriteriaByTier[T] {
  const defaults = DEFAULT_CRITERIA[tier];
  const given = isRecord(stored) ? stored : {};
  const shape = TIER_CRITERIA_SCHEMAS[tier].shape as Record<string, z.ZodType>;
  const result: Record<string, unknown> = { ...defaults };
  for (const [key, field] of Object.entries(shape)) {
    if (!(key in given)) continue;
    const parsed = field.safeParse(given[key]);
    if (parsed.success) result[key] = parsed.data;
  }
  return result as unknown as TierCriteriaByTier[T];
}

/** The trust's outcomes bands as stored; the defaults when absent or unusable. */
export function outcomesBandsOf(stored: unknown): string[] {
  const parsed = OutcomesBandsSchema.safeParse(stored);
  return parsed.success ? parsed.data : [...DEFAULT_OUTCOMES_BANDS];
}

/**
 * The policy from the trust's autonomy_tiers rows and its stored outcomes bands, read leniently: a
 * tier without a row, or a field that is unusable, takes the default. Where stored thresholds
 * contradict each other, the ones involved take their defaults; a band threshold the trust's bands
 * do not include takes the default band if the trust has it, or none.
 */
export function tierPolicyOf(rows: readonly StoredTier[], storedBands?: unknown): TierPolicy {
  const outcomesBands = outcomesBandsOf(storedBands);
  const byTier = new Map(rows.map((row) => [row.tier, row]));
  const read = <T extends Tier>(tier: T): TierDefinition<T> => {
    const row = byTier.get(tier);
    const fallback = defaultTier(tier);
    if (!row) return fallback;
    const name = row.name.trim();
    const reviews = row.reviewsPerYear;
    return {
      tier,
      name: name.length > 0 && name.length <= 60 ? name : fallback.name,
      description: row.description?.trim() || null,
      reviewsPerYear: Number.isInteger(reviews) && reviews >= 1 && reviews <= 12 ? reviews : fallback.reviewsPerYear,
      criteria: tierCriteriaOf(tier, row.criteria),
    };
  };
  const policy: TierPolicy = { tiers: { T0: read("T0"), T1: read("T1"), T2: read("T2"), T3: read("T3"), T4: read("T4") }, outcomesBands };

  const earned = policy.tiers.T1.criteria;
  const knownBand = (value: string | null, fallback: string | null) =>
    value === null || bandRank(outcomesBands, value) !== null ? value : fallback !== null && bandRank(outcomesBands, fallback) !== null ? fallback : null;
  earned.minOutcomesBand = knownBand(earned.minOutcomesBand, DEFAULT_CRITERIA.T1.minOutcomesBand);
  earned.glassCeilingBand = knownBand(earned.glassCeilingBand, DEFAULT_CRITERIA.T1.glassCeilingBand);

  const supported = policy.tiers.T3.criteria;
  if (earned.minLegacyGrade !== null && supported.legacyGradeFrom !== null && supported.legacyGradeFrom <= earned.minLegacyGrade) {
    earned.minLegacyGrade = DEFAULT_CRITERIA.T1.minLegacyGrade;
    supported.legacyGradeFrom = DEFAULT_CRITERIA.T3.legacyGradeFrom;
  }
  if (earned.minReportCardGrade !== null && supported.reportCardGradeFrom !== null && earnedGrade(supported.reportCardGradeFrom) <= earnedGrade(earned.minReportCardGrade)) {
    earned.minReportCardGrade = DEFAULT_CRITERIA.T1.minReportCardGrade;
    supported.reportCardGradeFrom = DEFAULT_CRITERIA.T3.reportCardGradeFrom;
  }
  // Names must tell the tiers apart; a clash adds the tier's id to the later one.
  const seen = new Set<string>();
  for (const tier of TIERS) {
    const definition = policy.tiers[tier];
    if (seen.has(definition.name.toLowerCase())) definition.name = `${definition.name} (${tier})`;
    seen.add(definition.name.toLowerCase());
  }
  return policy;
}
