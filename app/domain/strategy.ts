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

/** How a trust brings its schools into line in an area (Building Trusts, survey report); it may differ by area. */
export const ALIGNMENT_CULTURE_LABELS: Record<AlignmentCulture, { name: string; meaning: string }> = {
  "central-definition": { name: "Central definition", meaning: "The trust defines the way; schools adopt it." },
  "collaborative-convergence": {
    name: "Collaborative convergence",
    meaning: "Schools converge over time by working together, supported by the centre.",
  },
  "school-autonomy": { name: "School autonomy", meaning: "Each school decides its own way." },
};

export const IMPROVEMENT_MODELS = [
  "hub",
  "centralised-consultants",
  "in-house-central-expertise",
  "cluster-based",
  "self-improving-network",
] as const;
export type ImprovementModel = (typeof IMPROVEMENT_MODELS)[number];

/** The research's school-improvement operating models (Building Trusts §2.3.4, survey Fig 4). */
export const IMPROVEMENT_MODEL_LABELS: Record<ImprovementModel, { name: string; meaning: string }> = {
  hub: { name: "Hub", meaning: "A strong school or teaching hub supports the others." },
  "centralised-consultants": { name: "Centralised consultants", meaning: "The trust buys in or employs consultants who work across schools." },
  "in-house-central-expertise": { name: "In-house central expertise", meaning: "A central team of the trust's own leads school improvement." },
  "cluster-based": { name: "Cluster-based", meaning: "Schools are grouped in clusters that improve together, each with its own lead." },
  "self-improving-network": { name: "Self-improving network", meaning: "Schools support each other as peers, with little central direction." },
};

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
