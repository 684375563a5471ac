/**
 * The demo trust's earned autonomy: performance records, reviews and tier decisions that put its
 * schools in every tier, with one school in intervention and one recent joiner. Dates are counted
 * back from the day the demo is made, so the reviews and decisions are as current on any day.
 */
import { and, eq, inArray } from "drizzle-orm";
import type { Tier } from "../app/domain/autonomy";
import type { DecisionCode } from "../app/domain/codes";
import { monthsAfter } from "../app/domain/dates";
import { performanceRecordSchema, type PerformanceRecordFields } from "../app/domain/performance";
import { recordAudit, type Actor } from "../app/models/audit.server";
import { performanceValues } from "../app/models/performance.server";
import type { Body, School } from "../app/models/structure.server";
import type { Database } from "./client";
import { performanceRecords, responsibilities, schoolReviews, tierCells, tierDecisions } from "./schema";

type Travel = "improving" | "steady" | "declining";

interface SchoolStory {
  /** Records, each dated this many months ago. */
  records: (PerformanceRecordFields & { monthsAgo: number })[];
  /** Reviews: months ago and travel. */
  reviews: [number, Travel][];
  decision: { tier: Tier; by: string; monthsAgo: number; evidence: string };
}

const BOARD = "Board of trustees";
const STANDARDS = "Education Standards Committee";

const good = (monthsAgo: number, grade = "2"): SchoolStory["records"][number] => ({
  monthsAgo,
  inspectionFramework: "legacy",
  legacyGrade: grade,
  safeguardingMet: "met",
});
const outcomes = (monthsAgo: number, band: string, extra: PerformanceRecordFields = {}): SchoolStory["records"][number] => ({
  monthsAgo,
  outcomesBand: band,
  safeguardingAudit: "green",
  deficit: "no",
  leadershipStability: "stable",
  ...extra,
});

/** By school name; the recent joiner's story is told with its joining date. */
const STORIES: Record<string, SchoolStory> = {
  "Wensleydale Bridge School": {
    records: [good(40), outcomes(14, "Above average"), outcomes(2, "Above average", { inYearBalance: "18400", reserves: "412000" })],
    reviews: [[8, "steady"], [2, "improving"]],
    decision: { tier: "T1", by: STANDARDS, monthsAgo: 9, evidence: "Good inspection, outcomes above average two years running, green safeguarding audit (committee minute ESC/26/04)." },
  },
  "Mowbray Vale Academy": {
    records: [
      {
        monthsAgo: 9,
        inspectionFramework: "report-card",
        "rc_leadership-and-governance": "strong",
        "rc_curriculum-and-teaching": "strong",
        "rc_attendance-and-behaviour": "expected",
        rc_achievement: "strong",
        "rc_personal-development-and-wellbeing": "expected",
        rc_inclusion: "expected",
        "rc_post-16": "expected",
        safeguardingMet: "met",
      },
      outcomes(14, "Well above average"),
      outcomes(2, "Well above average"),
    ],
    reviews: [[7, "steady"], [1, "improving"]],
    decision: { tier: "T1", by: STANDARDS, monthsAgo: 8, evidence: "Report card at expected standard or better in every area, safeguarding met; outcomes well above average." },
  },
  "Ure Valley Academy": {
    records: [good(50, "1"), outcomes(13, "Above average"), outcomes(1, "Above average")],
    reviews: [[7, "steady"], [1, "steady"]],
    decision: { tier: "T1", by: STANDARDS, monthsAgo: 10, evidence: "Outstanding inspection; outcomes above average; green audit." },
  },
  "Middleham Moor Church of England Primary School": {
    records: [good(30), outcomes(13, "Average"), outcomes(1, "Average", { safeguardingAudit: "amber" })],
    reviews: [[7, "steady"], [1, "steady"]],
    decision: { tier: "T2", by: STANDARDS, monthsAgo: 10, evidence: "Annual grading: good school, amber audit actions in hand." },
  },
  "Aysgarth Falls Primary School": {
    records: [good(28), outcomes(13, "Below average"), outcomes(1, "Average")],
    reviews: [[6, "steady"], [1, "improving"]],
    decision: { tier: "T2", by: STANDARDS, monthsAgo: 10, evidence: "Annual grading: good school, outcomes recovering." },
  },
  "Swaledale Beck Primary School": {
    records: [good(26), outcomes(13, "Average"), outcomes(1, "Average", { safeguardingAudit: "amber" })],
    reviews: [[6, "steady"], [1, "steady"]],
    decision: { tier: "T2", by: STANDARDS, monthsAgo: 10, evidence: "Annual grading: good school." },
  },
  "Brompton Ings Primary School": {
    records: [good(36), outcomes(13, "Average"), outcomes(1, "Below average")],
    reviews: [[6, "steady"], [1, "steady"]],
    decision: { tier: "T2", by: STANDARDS, monthsAgo: 10, evidence: "Annual grading: good school." },
  },
  "Stray Edge Primary School": {
    records: [good(32), outcomes(13, "Average"), outcomes(2, "Average", { leadershipStability: "some-change" })],
    // Its autumn review has slipped: the calendar shows it overdue.
    reviews: [[14, "steady"], [8, "steady"]],
    decision: { tier: "T2", by: STANDARDS, monthsAgo: 11, evidence: "Annual grading: good school; new headteacher from September." },
  },
  "Oakbeck School": {
    records: [good(20), { monthsAgo: 2, safeguardingAudit: "green", deficit: "no", leadershipStability: "stable" }],
    reviews: [[6, "steady"], [1, "steady"]],
    decision: { tier: "T2", by: STANDARDS, monthsAgo: 10, evidence: "Annual grading: good special school; outcomes judged on pupils' own plans, not bands." },
  },
  "Sun Beck Primary School": {
    records: [good(20, "3"), outcomes(13, "Below average", { trend: "declining" }), outcomes(1, "Below average", { trend: "stable", inYearBalance: "-9200", reserves: "36000" })],
    reviews: [[7, "declining"], [3, "steady"], [1, "improving"]],
    decision: { tier: "T3", by: STANDARDS, monthsAgo: 9, evidence: "Requires improvement at inspection; outcomes below average; support plan agreed with the headteacher." },
  },
  "Nidd Gorge Primary School": {
    records: [
      {
        monthsAgo: 6,
        inspectionFramework: "report-card",
        "rc_leadership-and-governance": "expected",
        "rc_curriculum-and-teaching": "expected",
        "rc_attendance-and-behaviour": "expected",
        rc_achievement: "needs-attention",
        "rc_personal-development-and-wellbeing": "expected",
        rc_inclusion: "expected",
        "rc_early-years": "expected",
        safeguardingMet: "met",
      },
      outcomes(1, "Below average"),
    ],
    reviews: [[4, "steady"], [1, "improving"]],
    decision: { tier: "T3", by: STANDARDS, monthsAgo: 5, evidence: "Report card: achievement needs attention; support from the cluster's lead school." },
  },
  "Devil's Arrows Primary School": {
    records: [
      good(30),
      {
        monthsAgo: 1,
        inspectionFramework: "report-card",
        "rc_leadership-and-governance": "needs-attention",
        "rc_curriculum-and-teaching": "expected",
        "rc_attendance-and-behaviour": "needs-attention",
        rc_achievement: "expected",
        "rc_personal-development-and-wellbeing": "expected",
        rc_inclusion: "needs-attention",
        "rc_early-years": "expected",
        safeguardingMet: "not met",
        leadershipStability: "unstable",
      },
    ],
    // The review that found the safeguarding failures, the day the board put the school in intervention.
    reviews: [[6, "steady"], [0, "declining"]],
    decision: { tier: "T4", by: BOARD, monthsAgo: 0, evidence: "Report card with safeguarding not met: intervention board appointed, action plan due in 15 days (board minute TB/26/17)." },
  },
};

/** Recent joiner: in transition from joining, with its last inspection under its old trust. */
const JOINER = "Cod Beck Primary School";

export async function seedEarnedAutonomy(
  tx: Database,
  actor: Actor,
  trustId: string,
  schools: Record<string, School>,
  bodies: Record<string, Body>,
  today: string,
): Promise<void> {
  const ago = (months: number) => monthsAfter(today, -months);
  const schema = performanceRecordSchema(today);
  const records = [];
  const reviews = [];
  const decisions = [];
  const stories: [School, SchoolStory][] = Object.entries(STORIES).map(([name, story]) => [schools[name]!, story]);
  const joiner = schools[JOINER]!;
  stories.push([
    joiner,
    {
      records: [good(30)],
      reviews: [],
      decision: { tier: "T0", by: BOARD, monthsAgo: 4, evidence: "Joined the trust: transition board appointed by the CEO until it moves to the standard scheme." },
    },
  ]);
  for (const [school, story] of stories) {
    for (const { monthsAgo, ...fields } of story.records) {
      const entry = schema.parse({ ...fields, asOf: ago(monthsAgo) });
      records.push(performanceValues(trustId, school.id, entry, "seed"));
    }
    for (const [monthsAgo, travel] of story.reviews) {
      reviews.push({ trustId, schoolId: school.id, reviewedOn: ago(monthsAgo), travel });
    }
    const { tier, by, monthsAgo, evidence } = story.decision;
    const decidedOn = ago(monthsAgo);
    decisions.push({
      trustId,
      schoolId: school.id,
      tier,
      decidedByBodyId: bodies[by]!.id,
      decidedOn,
      effectiveFrom: decidedOn,
      evidence,
      nextReviewOn: monthsAfter(decidedOn, tier === "T4" ? 3 : tier === "T0" || tier === "T3" ? 4 : 6),
    });
  }
  await tx.insert(performanceRecords).values(records);
  await tx.insert(schoolReviews).values(reviews);
  await tx.insert(tierDecisions).values(decisions);
  await recordAudit(tx, actor, {
    trustId,
    action: "create",
    entity: "earned-autonomy",
    summary: `Recorded ${records.length} performance records, ${reviews.length} reviews and ${decisions.length} tier decisions for the demo schools`,
  });
}

/** The recent joiner's joining date: four months before the demo is made. */
export function joinerJoinedOn(schoolName: string, today: string): string | null {
  return schoolName === JOINER ? monthsAfter(today, -4) : null;
}

/**
 * The draft's reduced schemes (the CEO's revision of 2026): in support (T3) the curriculum choices a
 * headteacher decides move to the CEO on the headteacher's recommendation; in intervention (T4)
 * every decision of the cluster and the school is suspended, the CEO deciding and the body that
 * decided monitoring or recommending.
 */
const TIER_VARIANTS: { tier: Tier; key: string; codes: Record<string, DecisionCode> }[] = [
  { tier: "T3", key: "DER-01", codes: { "Chief executive officer": "D", Headteacher: "R" } },
  { tier: "T4", key: "DER-01", codes: { "Chief executive officer": "D", Headteacher: "R" } },
  { tier: "T4", key: "SEED-12", codes: { "Chief executive officer": "D", "Cluster governing body": "M" } },
  { tier: "T4", key: "SEED-08", codes: { "Chief executive officer": "D", "Cluster governing body": "M" } },
  { tier: "T4", key: "SEED-10", codes: { "Chief executive officer": "D", Headteacher: "R" } },
  { tier: "T4", key: "SEED-03", codes: { "Chief executive officer": "D", Headteacher: "R" } },
  { tier: "T4", key: "SEED-02", codes: { "Chief executive officer": "D", Headteacher: "R" } },
];

export async function seedTierVariants(tx: Database, actor: Actor, trustId: string, versionId: string, bodies: Record<string, Body>): Promise<void> {
  const keys = [...new Set(TIER_VARIANTS.map((v) => v.key))];
  const rows = await tx
    .select({ id: responsibilities.id, key: responsibilities.catalogueKey })
    .from(responsibilities)
    .where(and(eq(responsibilities.trustId, trustId), inArray(responsibilities.catalogueKey, keys)));
  const rowId = new Map(rows.map((r) => [r.key, r.id]));
  const values = TIER_VARIANTS.flatMap(({ tier, key, codes }) =>
    Object.entries(codes).map(([column, code]) => ({ trustId, versionId, tier, responsibilityId: rowId.get(key)!, bodyId: bodies[column]!.id, code, note: null })),
  );
  await tx.insert(tierCells).values(values);
  await recordAudit(tx, actor, {
    trustId,
    action: "create",
    entity: "tier-variant",
    versionId,
    summary: `Set ${values.length} cells of the Supported (T3) and Intervention (T4) schemes in the draft`,
  });
}
