/**
 * Earned-autonomy tiers (design.md; domain.md §5(d)). Names are the defaults; trusts may rename them.
 */
export const TIERS = ["T0", "T1", "T2", "T3", "T4"] as const;
export type Tier = (typeof TIERS)[number];

export const DEFAULT_TIER_NAMES: Record<Tier, string> = {
  T0: "Transition",
  T1: "Earned autonomy",
  T2: "Standard",
  T3: "Supported",
  T4: "Intervention",
};

/** Reviews a year by tier: DCAT's Academy Improvement Review cadence (EA-06). */
export const DEFAULT_REVIEWS_PER_YEAR: Record<Tier, number> = { T0: 3, T1: 2, T2: 2, T3: 3, T4: 4 };

export function isTier(value: unknown): value is Tier {
  return typeof value === "string" && (TIERS as readonly string[]).includes(value);
}

export const LEGACY_GRADES = [1, 2, 3, 4] as const;
export const LEGACY_GRADE_LABELS = { 1: "Outstanding", 2: "Good", 3: "Requires improvement", 4: "Inadequate" } as const;

/** Ofsted report cards from November 2025: five-point scale per area. Never compared with legacy grades (EA-15). */
export const REPORT_CARD_GRADES = [
  "exceptional",
  "strong",
  "expected",
  "needs-attention",
  "urgent-improvement",
] as const;
export const REPORT_CARD_AREAS = [
  "leadership-and-governance",
  "curriculum-and-teaching",
  "attendance-and-behaviour",
  "achievement",
  "personal-development-and-wellbeing",
  "inclusion",
  "early-years",
  "post-16",
] as const;

export const RAG = ["green", "amber", "red"] as const;
export type Rag = (typeof RAG)[number];
