/**
 * The tier policy in the trust's words: what each threshold is called, what each tier asks of a
 * school to enter it and to leave it, and what a change to the policy changed. The tiers page reads
 * the first two; the audit trail records the last.
 */
import { LEGACY_GRADE_LABELS, TIERS, type Tier } from "./autonomy";
import { REPORT_CARD_GRADE_LABELS, type ReportCardGrade } from "./performance";
import type { TierCriteriaByTier, TierPolicy } from "./tier-policy";

type Threshold<T extends Tier> = Exclude<keyof TierCriteriaByTier[T], "schemeChanges">;

const improvingReviews = "Reviews in a row rated improving before a step up";

/** Each threshold's name, as the form labels it and the audit trail names it. */
export const THRESHOLD_LABELS: { [T in Tier]: Record<Threshold<T>, string> } = {
  T0: { months: "Longest time in transition (months)" },
  T1: {
    minLegacyGrade: "Weakest legacy grade that earns autonomy",
    minReportCardGrade: "Weakest report-card grade that earns autonomy, in every area inspected",
    minSafeguardingAudit: "Weakest internal safeguarding audit that earns autonomy",
    minOutcomesBand: "Lowest outcomes band that earns autonomy",
    outcomesRecords: "Latest records in which outcomes must reach that band",
    noUnplannedDeficit: "An unplanned deficit rules out earned autonomy",
    reviewWithinMonths: "Longest time since the school's last review (months)",
    glassCeilingMonths: "Months in earned autonomy before the board considers more freedom",
    glassCeilingBand: "Outcomes band at which the board considers more freedom",
  },
  T2: {},
  T3: {
    legacyGradeFrom: "Legacy grade that calls for support (this or weaker)",
    reportCardGradeFrom: "Report-card grade that calls for support (any area graded this or lower)",
    improvingReviewsToLeave: improvingReviews,
  },
  T4: { improvingReviewsToLeave: improvingReviews },
};

const LEGACY_KEYS = new Set(["minLegacyGrade", "legacyGradeFrom"]);
const REPORT_CARD_KEYS = new Set(["minReportCardGrade", "reportCardGradeFrom"]);

/** A threshold's value as a person reads it: "Good (2)", "Expected standard", "none". */
export function thresholdInWords(key: string, value: unknown): string {
  if (value === null || value === undefined) return "none";
  if (typeof value === "boolean") return value ? "yes" : "no";
  if (LEGACY_KEYS.has(key)) return `${LEGACY_GRADE_LABELS[value as 1 | 2 | 3 | 4]} (${value})`;
  if (REPORT_CARD_KEYS.has(key)) return REPORT_CARD_GRADE_LABELS[value as ReportCardGrade];
  return String(value);
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** "Earned autonomy (T1)", as the trust names it. */
const named = (policy: TierPolicy, tier: Tier) => `${policy.tiers[tier].name} (${tier})`;

function earnedAutonomyRules(policy: TierPolicy): { enter: string[]; leave: string[] } {
  const c = policy.tiers.T1.criteria;
  const enter: string[] = [];
  enter.push(
    c.minLegacyGrade === null
      ? "A legacy inspection grade never earns autonomy: the trust has set none."
      : `A latest legacy inspection graded ${LEGACY_GRADE_LABELS[c.minLegacyGrade]}${c.minLegacyGrade > 1 ? " or better" : ""}.`,
  );
  enter.push(
    c.minReportCardGrade === null
      ? "A school whose latest inspection is a report card cannot earn autonomy until the trust sets the grade it needs (EA-15)."
      : `A latest report card grading every area it inspected ${REPORT_CARD_GRADE_LABELS[c.minReportCardGrade]}${c.minReportCardGrade !== "exceptional" ? " or better" : ""}.`,
  );
  const audit = c.minSafeguardingAudit === null ? "" : `, and the latest internal safeguarding audit ${c.minSafeguardingAudit === "amber" ? "amber or green" : "green"}`;
  enter.push(`Safeguarding not found unmet at the latest inspection${audit}.`);
  if (c.minOutcomesBand !== null) {
    enter.push(`Outcomes ${c.minOutcomesBand} or above in ${c.outcomesRecords === 1 ? "the latest record" : `each of the latest ${c.outcomesRecords} records`}.`);
  }
  if (c.noUnplannedDeficit) enter.push("No unplanned deficit.");
  enter.push(`A review within the last ${plural(c.reviewWithinMonths, "month")}.`);
  const leave = ["When any of these is no longer met, the checks say so (EA-01) and the board decides whether the school keeps its autonomy."];
  if (c.glassCeilingBand !== null) {
    leave.push(
      `After ${plural(c.glassCeilingMonths, "month")} in the tier with outcomes ${c.glassCeilingBand} or above, a trust whose strategy favours consistency is prompted to consider more freedom (EA-13).`,
    );
  }
  return { enter, leave };
}

function supportedRules(policy: TierPolicy): { enter: string[]; leave: string[] } {
  const c = policy.tiers.T3.criteria;
  return {
    enter: [
      c.legacyGradeFrom === null
        ? "A legacy inspection grade never calls for support: the trust has set none."
        : `A latest legacy inspection graded ${LEGACY_GRADE_LABELS[c.legacyGradeFrom]}${c.legacyGradeFrom < 4 ? " or weaker" : ""}.`,
      c.reportCardGradeFrom === null
        ? "A latest report card is not judged for support until the trust sets the grade that calls for it (EA-15)."
        : `A latest report card grading any area ${REPORT_CARD_GRADE_LABELS[c.reportCardGradeFrom]}${c.reportCardGradeFrom !== "urgent-improvement" ? " or lower" : ""}.`,
      "Outcomes falling at the latest two data points with no inspection since: one tier below the decided tier is proposed (EA-03).",
    ],
    leave: [`${plural(c.improvingReviewsToLeave, "review")} in a row rated improving since the school entered the tier, then one step up, to ${named(policy, "T2")} (EA-11).`],
  };
}

/**
 * What a tier asks of a school to enter it and to leave it, in words, as the recommended tier
 * (app/domain/recommended-tier.ts) and the checks apply the policy.
 */
export function tierRulesInWords(policy: TierPolicy, tier: Tier): { enter: string[]; leave: string[] } {
  switch (tier) {
    case "T0": {
      const months = plural(policy.tiers.T0.criteria.months, "month");
      return {
        enter: [`A school that joined the trust less than ${months} ago.`],
        leave: [`${months} after joining, to ${named(policy, "T2")}, or to ${named(policy, "T1")} if it meets that tier's criteria (EA-12).`],
      };
    }
    case "T1":
      return earnedAutonomyRules(policy);
    case "T2":
      return {
        enter: ["Every school in no other tier. A school with no tier decided is reviewed at this tier's cadence."],
        leave: [`To ${named(policy, "T1")} when the school meets its criteria; to ${named(policy, "T3")} when its latest inspection calls for support or its outcomes decline.`],
      };
    case "T3":
      return supportedRules(policy);
    case "T4":
      return {
        enter: [
          "Safeguarding not met, a report-card area graded Urgent improvement, a legacy Inadequate, or a DfE termination warning notice in force: intervention is proposed at once, whatever else holds (EA-02). These triggers are the law's and Ofsted's, not the trust's to set.",
        ],
        leave: [
          `${plural(policy.tiers.T4.criteria.improvingReviewsToLeave, "review")} in a row rated improving since the school entered the tier, then one step up, to ${named(policy, "T3")} (EA-11).`,
        ],
      };
  }
}

/** "every 4 months", "every 26 weeks": the interval between reviews at a tier's cadence. */
export function cadenceInWords(reviewsPerYear: number): string {
  if (reviewsPerYear === 1) return "once a year";
  return 12 % reviewsPerYear === 0 ? `every ${plural(12 / reviewsPerYear, "month")}` : `about every ${Math.round(52 / reviewsPerYear)} weeks`;
}

/**
 * What a save changed, one entry per change: "Standard (T2): reviews a year 2 → 4". Long texts are
 * named, not quoted; the audit entry keeps both policies in full.
 */
export function policyChangesInWords(before: TierPolicy, after: TierPolicy): string[] {
  const changes: string[] = [];
  for (const tier of TIERS) {
    const was = before.tiers[tier];
    const now = after.tiers[tier];
    const said: string[] = [];
    if (was.name !== now.name) said.push(`renamed "${now.name}"`);
    if ((was.description ?? "") !== (now.description ?? "")) said.push("description rewritten");
    if (was.reviewsPerYear !== now.reviewsPerYear) said.push(`reviews a year ${was.reviewsPerYear} → ${now.reviewsPerYear}`);
    if (was.criteria.schemeChanges !== now.criteria.schemeChanges) said.push("what changes in the scheme rewritten");
    const labels = THRESHOLD_LABELS[tier] as Record<string, string>;
    const wasCriteria = was.criteria as unknown as Record<string, unknown>;
    const nowCriteria = now.criteria as unknown as Record<string, unknown>;
    for (const [key, label] of Object.entries(labels)) {
      if (wasCriteria[key] !== nowCriteria[key]) said.push(`${label.charAt(0).toLowerCase()}${label.slice(1)} ${thresholdInWords(key, wasCriteria[key])} → ${thresholdInWords(key, nowCriteria[key])}`);
    }
    if (said.length > 0) changes.push(`${was.name} (${tier}): ${said.join(", ")}`);
  }
  if (before.outcomesBands.join("\n") !== after.outcomesBands.join("\n")) {
    changes.push(`outcomes bands ${before.outcomesBands.join(", ")} → ${after.outcomesBands.join(", ")}`);
  }
  return changes;
}
