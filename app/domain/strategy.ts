/**
 * The research's ten strategy statements, rated 1 ("not at all like us") to 10 ("exactly like us"),
 * verbatim from Building Trusts (2018), Methodology.
 */
export const STRATEGY_STATEMENTS = [
  "Setting a common vision and culture while maintaining local autonomy in delivery",
  "Scaling a tried and tested model of school improvement",
  "Freeing schools up from administration and operations to focus on teaching and learning",
  "Boosting school leadership and local governance to increase local autonomy and accountability",
  "Helping schools to converge over time in their ways of doing things and their performance through collaboration",
  "Securing back office efficiency savings so that more money can be spent on teaching and learning",
  "Focusing on enrichment while schools pursue their own approach to the core curriculum",
  "Protecting each school's individual identity",
  "Ensuring each school works to strengthen its community",
  "Creating consistent pedagogy across all schools",
] as const;

export const RATING_MIN = 1;
export const RATING_MAX = 10;

export const ALIGNMENT_CULTURES = ["central-definition", "collaborative-convergence", "school-autonomy"] as const;
export type AlignmentCulture = (typeof ALIGNMENT_CULTURES)[number];

export const IMPROVEMENT_MODELS = [
  "hub",
  "centralised-consultants",
  "in-house-central-expertise",
  "cluster-based",
  "self-improving-network",
] as const;
export type ImprovementModel = (typeof IMPROVEMENT_MODELS)[number];

/** The trust's strategy as the checks read it. */
export interface StrategyProfile {
  /** Ratings of STRATEGY_STATEMENTS, in order, 1–10; null where the statement is not rated yet. */
  ratings: (number | null)[];
  /** Research area number (1–12) → how the trust aligns its schools in that area. */
  alignment: Partial<Record<number, AlignmentCulture>>;
  improvementModel: ImprovementModel | null;
}

/** A profile with nothing rated: the checks that need ratings stay silent. */
export const UNRATED_STRATEGY: StrategyProfile = { ratings: STRATEGY_STATEMENTS.map(() => null), alignment: {}, improvementModel: null };
