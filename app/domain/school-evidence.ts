/**
 * What a school's records and reviews show against the trust's tier policy (domain.md §5(d)), one
 * reading per rule: the intervention triggers (EA-02), the criteria for earned autonomy (EA-01), the
 * signs that call for support, declining outcomes (EA-03), a finance concern (EA-04), transition
 * (EA-12) and a run of improving reviews (EA-11). Each reading says, in plain English, which record
 * or review it rests on and its date. The recommended tier and the rules both read these.
 *
 * Only records and reviews dated up to today count. The latest inspection is the school's
 * inspection: an older one, of either framework, is history. A report card is judged only against
 * the trust's report-card thresholds and a legacy grade only against its legacy ones (EA-15).
 */
import { LEGACY_GRADE_LABELS, RAG, REPORT_CARD_GRADES, type Tier } from "./autonomy";
import type { SchoolReview } from "./autonomy-context";
import { longDate, monthsAfter } from "./dates";
import {
  bandRank,
  latestInspection,
  newestFirst,
  REPORT_CARD_AREA_LABELS,
  REPORT_CARD_GRADE_LABELS,
  type PerformanceEntry,
  type ReportCard,
  type ReportCardArea,
  type ReportCardGrade,
} from "./performance";
import type { TierPolicy } from "./tier-policy";

/** Records up to today, newest first. */
export function recordsSoFar<T extends PerformanceEntry>(records: readonly T[], today: string): T[] {
  return newestFirst(records.filter((record) => record.asOf <= today));
}

/** Reviews up to today, newest first. */
export function reviewsSoFar<T extends Pick<SchoolReview, "reviewedOn">>(reviews: readonly T[], today: string): T[] {
  return reviews.filter((r) => r.reviewedOn <= today).sort((a, b) => (a.reviewedOn < b.reviewedOn ? 1 : a.reviewedOn > b.reviewedOn ? -1 : 0));
}

const gradeIndex = (grade: ReportCardGrade) => REPORT_CARD_GRADES.indexOf(grade);

/** The graded areas at `grade` or below it, in the report card's order. */
function areasAtOrBelow(grades: ReportCard, grade: ReportCardGrade): ReportCardArea[] {
  return (Object.keys(grades) as ReportCardArea[]).filter((area) => gradeIndex(grades[area]!) >= gradeIndex(grade));
}

/** "Inclusion (Needs attention) and Achievement (Urgent improvement)". */
function areaGrades(grades: ReportCard, areas: ReportCardArea[]): string {
  const parts = areas.map((area) => `${REPORT_CARD_AREA_LABELS[area]} (${REPORT_CARD_GRADE_LABELS[grades[area]!]})`);
  return parts.length <= 1 ? (parts[0] ?? "") : `${parts.slice(0, -1).join(", ")} and ${parts[parts.length - 1]}`;
}

function pounds(amount: number): string {
  const figures = Math.abs(amount).toLocaleString("en-GB", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  return `${amount < 0 ? "−" : ""}£${figures}`;
}

// ---------------------------------------------------------------- EA-02

/**
 * The intervention triggers the school's latest inspection and latest record show: safeguarding
 * not met, a report-card area graded urgent improvement, a legacy Inadequate, or a DfE termination
 * warning notice in force on the latest record's date. Each proposes intervention at once.
 */
export function interventionTriggers(records: readonly PerformanceEntry[], today: string): string[] {
  const newest = recordsSoFar(records, today);
  const reasons: string[] = [];
  const inspected = latestInspection(newest);
  if (inspected) {
    const on = longDate(inspected.asOf);
    if (inspected.safeguardingMet === false) reasons.push(`The inspection of ${on} found safeguarding not met.`);
    const { inspection } = inspected;
    if (inspection.framework === "legacy" && inspection.grade === 4) reasons.push(`The inspection of ${on} graded the school Inadequate (grade 4).`);
    if (inspection.framework === "report-card") {
      const urgent = areasAtOrBelow(inspection.grades, "urgent-improvement");
      if (urgent.length > 0) reasons.push(`The report card of ${on} grades ${areaGrades(inspection.grades, urgent)}.`);
    }
  }
  const latest = newest[0];
  if (latest?.terminationWarning) reasons.push(`The record of ${longDate(latest.asOf)} notes a DfE termination warning notice in force.`);
  return reasons;
}

// ---------------------------------------------------------------- EA-01

export const EARNED_AUTONOMY_CRITERIA = ["inspection", "safeguarding", "outcomes", "finance", "review"] as const;
export type EarnedAutonomyCriterion = (typeof EARNED_AUTONOMY_CRITERIA)[number];

export interface CriterionReading {
  criterion: EarnedAutonomyCriterion;
  /** Null when it cannot be judged: the trust has set no threshold for the school's kind of inspection (EA-15). */
  met: boolean | null;
  reason: string;
}

export interface EarnedAutonomyReading {
  /** Every criterion the trust asks for is met. */
  qualifies: boolean;
  criteria: CriterionReading[];
  /** Set when the latest inspection is a report card and the trust has no report-card threshold (EA-15). */
  unjudged: string | null;
}

function inspectionReading(newest: readonly PerformanceEntry[], policy: TierPolicy): CriterionReading {
  const { minLegacyGrade, minReportCardGrade } = policy.tiers.T1.criteria;
  const inspected = latestInspection(newest);
  if (!inspected) return { criterion: "inspection", met: false, reason: "No inspection is recorded." };
  const on = longDate(inspected.asOf);
  const { inspection } = inspected;
  if (inspection.framework === "legacy") {
    const graded = `${LEGACY_GRADE_LABELS[inspection.grade]} (grade ${inspection.grade})`;
    if (minLegacyGrade === null) {
      return { criterion: "inspection", met: null, reason: `The inspection of ${on} has a legacy grade, and the trust has set no legacy grade that earns autonomy.` };
    }
    const wanted = LEGACY_GRADE_LABELS[minLegacyGrade];
    return inspection.grade <= minLegacyGrade
      ? { criterion: "inspection", met: true, reason: `The inspection of ${on} graded the school ${graded}, ${inspection.grade === minLegacyGrade ? "the" : "above the"} ${wanted} earned autonomy needs.` }
      : { criterion: "inspection", met: false, reason: `The inspection of ${on} graded the school ${graded}, below the ${wanted} earned autonomy needs.` };
  }
  if (minReportCardGrade === null) {
    return {
      criterion: "inspection",
      met: null,
      reason: `The latest inspection is the report card of ${on}, and the trust has not set the report-card grade that earns autonomy. Report-card grades are not compared with legacy grades, so earned autonomy cannot be judged until the trust sets one in its tier policy.`,
    };
  }
  const wanted = REPORT_CARD_GRADE_LABELS[minReportCardGrade];
  const below = (Object.keys(inspection.grades) as ReportCardArea[]).filter((area) => gradeIndex(inspection.grades[area]!) > gradeIndex(minReportCardGrade));
  return below.length === 0
    ? { criterion: "inspection", met: true, reason: `The report card of ${on} grades every area it inspected ${wanted} or better.` }
    : { criterion: "inspection", met: false, reason: `The report card of ${on} grades ${areaGrades(inspection.grades, below)}, below the ${wanted} earned autonomy needs in every area.` };
}

function safeguardingReading(newest: readonly PerformanceEntry[], policy: TierPolicy): CriterionReading {
  const { minSafeguardingAudit } = policy.tiers.T1.criteria;
  const inspected = latestInspection(newest);
  if (inspected?.safeguardingMet === false) {
    return { criterion: "safeguarding", met: false, reason: `The inspection of ${longDate(inspected.asOf)} found safeguarding not met.` };
  }
  const judged = inspected?.safeguardingMet ? `The inspection of ${longDate(inspected.asOf)} found safeguarding met` : null;
  if (minSafeguardingAudit === null) {
    return { criterion: "safeguarding", met: true, reason: judged ? `${judged}.` : "No inspection found safeguarding not met." };
  }
  const audited = newest.find((record) => record.safeguardingAudit !== null);
  if (!audited?.safeguardingAudit) {
    return { criterion: "safeguarding", met: false, reason: `No internal safeguarding audit is recorded; earned autonomy needs one rated ${minSafeguardingAudit}${minSafeguardingAudit === "amber" ? " or green" : ""}.` };
  }
  const audit = `the internal safeguarding audit of ${longDate(audited.asOf)} is ${audited.safeguardingAudit}`;
  // RAG runs green, amber, red: best first.
  const met = RAG.indexOf(audited.safeguardingAudit) <= RAG.indexOf(minSafeguardingAudit);
  const sentence = judged ? `${judged}, and ${audit}` : audit.charAt(0).toUpperCase() + audit.slice(1);
  return met
    ? { criterion: "safeguarding", met: true, reason: `${sentence}.` }
    : { criterion: "safeguarding", met: false, reason: `${sentence}; earned autonomy needs ${minSafeguardingAudit}${minSafeguardingAudit === "amber" ? " or green" : ""}.` };
}

function outcomesReading(newest: readonly PerformanceEntry[], policy: TierPolicy): CriterionReading | null {
  const { minOutcomesBand, outcomesRecords } = policy.tiers.T1.criteria;
  if (minOutcomesBand === null) return null;
  const bands = policy.outcomesBands;
  const wanted = bandRank(bands, minOutcomesBand) ?? 0;
  const banded = newest.filter((record) => record.outcomesBand !== null).slice(0, outcomesRecords);
  const each = outcomesRecords === 1 ? "the latest record" : `each of the latest ${outcomesRecords} records`;
  if (banded.length < outcomesRecords) {
    const found = banded.length === 0 ? "No outcomes band is recorded" : `Only ${banded.length} record${banded.length === 1 ? " gives" : "s give"} an outcomes band`;
    return { criterion: "outcomes", met: false, reason: `${found}; earned autonomy needs ${minOutcomesBand} or above in ${each}.` };
  }
  for (const record of banded) {
    const rank = bandRank(bands, record.outcomesBand);
    if (rank === null) {
      return { criterion: "outcomes", met: false, reason: `The record of ${longDate(record.asOf)} gives the outcomes band "${record.outcomesBand}", which is not one of the trust's bands.` };
    }
    if (rank < wanted) {
      return { criterion: "outcomes", met: false, reason: `Outcomes were ${record.outcomesBand} in the record of ${longDate(record.asOf)}, below the ${minOutcomesBand} earned autonomy needs in ${each}.` };
    }
  }
  const list = banded.map((record) => `${record.outcomesBand} on ${longDate(record.asOf)}`).join(", ");
  return { criterion: "outcomes", met: true, reason: `Outcomes were ${minOutcomesBand} or above in ${each} (${list}).` };
}

function financeReading(newest: readonly PerformanceEntry[], policy: TierPolicy): CriterionReading | null {
  if (!policy.tiers.T1.criteria.noUnplannedDeficit) return null;
  const flagged = newest.find((record) => record.deficit !== null);
  if (flagged?.deficit) return { criterion: "finance", met: false, reason: `The record of ${longDate(flagged.asOf)} shows an unplanned deficit.` };
  return { criterion: "finance", met: true, reason: flagged ? `The record of ${longDate(flagged.asOf)} shows no unplanned deficit.` : "No unplanned deficit is recorded." };
}

function reviewReading(reviews: readonly Pick<SchoolReview, "reviewedOn">[], policy: TierPolicy, today: string): CriterionReading {
  const { reviewWithinMonths } = policy.tiers.T1.criteria;
  const [last] = reviewsSoFar(reviews, today);
  if (!last) return { criterion: "review", met: false, reason: `No review of the school is recorded; earned autonomy needs one within ${reviewWithinMonths} months.` };
  return monthsAfter(last.reviewedOn, reviewWithinMonths) >= today
    ? { criterion: "review", met: true, reason: `The school was last reviewed on ${longDate(last.reviewedOn)}, within ${reviewWithinMonths} months.` }
    : { criterion: "review", met: false, reason: `The school was last reviewed on ${longDate(last.reviewedOn)}, more than ${reviewWithinMonths} months ago.` };
}

/** EA-01: whether the school meets every criterion the trust sets for earned autonomy, criterion by criterion. */
export function earnedAutonomyReading(records: readonly PerformanceEntry[], reviews: readonly Pick<SchoolReview, "reviewedOn">[], policy: TierPolicy, today: string): EarnedAutonomyReading {
  const newest = recordsSoFar(records, today);
  const criteria = [inspectionReading(newest, policy), safeguardingReading(newest, policy), outcomesReading(newest, policy), financeReading(newest, policy), reviewReading(reviews, policy, today)].filter(
    (reading): reading is CriterionReading => reading !== null,
  );
  const unjudged = criteria.find((c) => c.criterion === "inspection" && c.met === null && latestInspection(newest)?.inspection.framework === "report-card");
  return { qualifies: criteria.every((c) => c.met === true), criteria, unjudged: unjudged?.reason ?? null };
}

// ---------------------------------------------------------------- support (T3)

export interface SupportReading {
  /** What in the latest inspection calls for support; empty when nothing does. */
  reasons: string[];
  /** Set when the latest inspection is a report card and the trust has no report-card threshold for support (EA-15). */
  unjudged: string | null;
}

/** Whether the latest inspection calls for support (T3): a legacy grade or report-card area at the trust's threshold or below. */
export function supportReading(records: readonly PerformanceEntry[], policy: TierPolicy, today: string): SupportReading {
  const { legacyGradeFrom, reportCardGradeFrom } = policy.tiers.T3.criteria;
  const inspected = latestInspection(recordsSoFar(records, today));
  if (!inspected) return { reasons: [], unjudged: null };
  const on = longDate(inspected.asOf);
  const { inspection } = inspected;
  if (inspection.framework === "legacy") {
    if (legacyGradeFrom === null || inspection.grade < legacyGradeFrom) return { reasons: [], unjudged: null };
    return { reasons: [`The inspection of ${on} graded the school ${LEGACY_GRADE_LABELS[inspection.grade]} (grade ${inspection.grade}).`], unjudged: null };
  }
  if (reportCardGradeFrom === null) {
    return {
      reasons: [],
      unjudged: `The latest inspection is the report card of ${on}, and the trust has not set the report-card grade that calls for support; it is not compared with legacy grades.`,
    };
  }
  const weak = areasAtOrBelow(inspection.grades, reportCardGradeFrom);
  return { reasons: weak.length > 0 ? [`The report card of ${on} grades ${areaGrades(inspection.grades, weak)}.`] : [], unjudged: null };
}

// ---------------------------------------------------------------- EA-03

/**
 * EA-03: outcomes have fallen at the latest two data points in a row, and no inspection has judged
 * the school since. A data point is a record with an outcomes band or a trend; it shows a fall when
 * its band is below the band recorded before it, or its trend is "declining". Returns the reason,
 * or null. An inspection dated on or after the latest fall judges the school itself: EA-03 steps aside.
 */
export function decliningOutcomes(records: readonly PerformanceEntry[], bands: readonly string[], today: string): string | null {
  const oldestFirst = recordsSoFar(records, today).reverse();
  const points: { record: PerformanceEntry; fell: boolean; from: string | null }[] = [];
  let lastBand: { band: string; rank: number } | null = null;
  for (const record of oldestFirst) {
    if (record.outcomesBand === null && record.trend === null) continue;
    const rank = bandRank(bands, record.outcomesBand);
    const bandFell = rank !== null && lastBand !== null && rank < lastBand.rank;
    points.push({ record, fell: bandFell || record.trend === "declining", from: bandFell ? lastBand!.band : null });
    if (rank !== null) lastBand = { band: record.outcomesBand!, rank };
  }
  const [earlier, latest] = points.slice(-2);
  if (!earlier || !latest || !earlier.fell || !latest.fell) return null;
  const inspected = latestInspection(oldestFirst);
  if (inspected && inspected.asOf >= latest.record.asOf) return null;
  const describe = ({ record, from }: (typeof points)[number]) =>
    from !== null ? `from ${from} to ${record.outcomesBand} in the record of ${longDate(record.asOf)}` : `declining in the record of ${longDate(record.asOf)}`;
  const since = inspected ? `no inspection since ${longDate(inspected.asOf)}` : "no inspection recorded";
  return `Outcomes fell at two data points in a row (${describe(earlier)}; ${describe(latest)}), with ${since}.`;
}

// ---------------------------------------------------------------- EA-04

/** EA-04: the latest finances show an unplanned deficit or negative reserves (a cumulative deficit). */
export function financeConcerns(records: readonly PerformanceEntry[], today: string): string[] {
  const newest = recordsSoFar(records, today);
  const concerns: string[] = [];
  const flagged = newest.find((record) => record.deficit !== null);
  if (flagged?.deficit) concerns.push(`The record of ${longDate(flagged.asOf)} shows an unplanned deficit.`);
  const reserved = newest.find((record) => record.reserves !== null);
  if (reserved && reserved.reserves! < 0) concerns.push(`The record of ${longDate(reserved.asOf)} shows reserves of ${pounds(reserved.reserves!)}, a cumulative deficit.`);
  return concerns;
}

// ---------------------------------------------------------------- EA-12

/** When a school's transition ends: `months` after it joined (EA-12); null when its joining date is not recorded. */
export function transitionEndsOn(joinedOn: string | null, policy: TierPolicy): string | null {
  return joinedOn === null ? null : monthsAfter(joinedOn, policy.tiers.T0.criteria.months);
}

/**
 * Whether the school is a joiner (EA-12): it joined so recently that it is still in transition, or
 * its joining date is still ahead, when it comes in through transition like any other joiner.
 */
export function isJoiner(joinedOn: string | null, policy: TierPolicy, today: string): boolean {
  const ends = transitionEndsOn(joinedOn, policy);
  return ends !== null && today < ends;
}

// ---------------------------------------------------------------- EA-11

/**
 * The unbroken run of reviews rated improving, newest first, among those held from `since` up to
 * `until`: a steady or declining review ends it.
 */
export function improvingRun<T extends Pick<SchoolReview, "reviewedOn" | "travel">>(reviews: readonly T[], since: string | null, until: string): T[] {
  const run: T[] = [];
  for (const review of reviewsSoFar(reviews, until)) {
    if (since !== null && review.reviewedOn < since) break;
    if (review.travel !== "improving") break;
    run.push(review);
  }
  return run;
}

/** How much support a tier means, 1 (earned autonomy) to 4 (intervention): transition sits with standard, as a school's scheme before it is judged. */
export function supportLevel(tier: Tier): number {
  return { T1: 1, T0: 2, T2: 2, T3: 3, T4: 4 }[tier];
}

/** The tier one step out of support or intervention (EA-11); null for a tier that is not one of them. */
export function stepUpFrom(tier: Tier): Tier | null {
  return tier === "T4" ? "T3" : tier === "T3" ? "T2" : null;
}
