/**
 * Earned-autonomy checks (domain.md §5(d), EA-01 … EA-15): whether each school's decided tier, its
 * effective scheme (base ← its tier's variants ← its own variations) and its reviews agree with its
 * records and the trust's tier policy. Every finding names its school. Without the autonomy context
 * (RuleContext.autonomy) the checks stay silent.
 *
 * What the data cannot decide, and is left out:
 * - EA-02: the intervention board's size (3–5) and chair (a trustee or member), the action plan due
 *   within 15 days and the new local body within a term: the structure records neither a board's
 *   members nor action plans, and a term's end is not a date the data holds. Only the board's
 *   purpose (intervention) is checked.
 * - EA-04's "amber/red finance flag": records hold no finance rating; an unplanned deficit or
 *   negative reserves stand for it.
 * - EA-06: who re-grades the tier (the CEO with the headteacher); only when, and that a board or
 *   committee confirmed it (EA-10).
 * - EA-10: that the published scheme shows each school's bespoke variants: that is the export's.
 * - EA-12: that the transition board was appointed by the executive: the structure does not record
 *   who appointed a board. Only its purpose (transition) is checked.
 * - Local-tier capacity (vacancies), which domain.md lists among the inputs: nothing records it.
 */
import { TIERS } from "../autonomy";
import { INNOVATION_ELIGIBLE, STRAND_OF_CONSISTENCY } from "../catalogue";
import type { DecisionCode } from "../codes";
import { decisionGaps, previousDecision } from "../decided-tier";
import { longDate, monthsAfter, wholeMonthsBetween } from "../dates";
import { bandRank, latestInspection, newestFirst } from "../performance";
import { MINIMUM_REVIEWS_PER_YEAR, reviewSchedule } from "../review-calendar";
import { baseCode, splitCellKey, type Scheme, type SchemeColumn, type SchemeRow } from "../scheme";
import {
  decliningOutcomes,
  earnedAutonomyReading,
  financeConcerns,
  improvingRun,
  interventionTriggers,
  isJoiner,
  supportLevel,
  transitionEndsOn,
} from "../school-evidence";
import type { BodyKind } from "../structure";
import { tierLabel } from "../tier-policy";
import { findingOf, inWords, rowLabel, type FindingParts } from "./coherence";
import { tieredTrust, type TieredSchool, type TieredTrust } from "./tiered-schools";
import type { Finding, FindingCell, Rule, RuleContext, Severity } from "./types";

const FAMILY = "earned-autonomy" as const;

/** A rule over the tiered trust; silent without autonomy data. */
function rule(id: string, title: string, check: (trust: TieredTrust, context: RuleContext) => Finding[]): Rule {
  return {
    id,
    family: FAMILY,
    title,
    check(context) {
      const trust = tieredTrust(context);
      return trust ? check(trust, context) : [];
    },
  };
}

function finding(id: string, severity: Severity, parts: FindingParts): Finding {
  return findingOf({ id, family: FAMILY }, severity, parts);
}

/** "Abbey Primary (Earned autonomy, T1)". */
function named(trust: TieredTrust, entry: TieredSchool): string {
  return entry.tier ? `${entry.school.name} (${trust.policy.tiers[entry.tier].name}, ${entry.tier})` : entry.school.name;
}

function rowsByKey(scheme: Scheme, keys: readonly string[]): SchemeRow[] {
  return scheme.rows.filter((row) => row.catalogueKey !== null && keys.includes(row.catalogueKey));
}

function columnsOf(scheme: Scheme, kinds: readonly BodyKind[]): SchemeColumn[] {
  return scheme.columns.filter((column) => kinds.includes(column.kind));
}

/** The cells of the school's effective scheme holding `code`, among these rows and columns. */
function holding(entry: TieredSchool, rows: SchemeRow[], columns: SchemeColumn[], code: DecisionCode): { row: SchemeRow; column: SchemeColumn }[] {
  return rows.flatMap((row) => columns.filter((column) => entry.code(row.id, column.id) === code).map((column) => ({ row, column })));
}

function schoolCells(entry: TieredSchool, cells: { row: SchemeRow; column: SchemeColumn }[]): FindingCell[] {
  return cells.map(({ row, column }) => ({ rowId: row.id, columnId: column.id, schoolId: entry.school.id }));
}

function distinctRows(cells: { row: SchemeRow }[]): SchemeRow[] {
  return [...new Set(cells.map((c) => c.row))];
}

function rowList(rows: SchemeRow[]): string {
  return inWords(rows.map(rowLabel));
}

/** The clauses of a sentence, joined: "a; b; and c". */
function clauses(parts: string[]): string {
  return parts.length <= 1 ? (parts[0] ?? "") : `${parts.slice(0, -1).join("; ")}; and ${parts[parts.length - 1]}`;
}

const LOCAL_DECIDERS: readonly BodyKind[] = ["local", "school"];

// ---------------------------------------------------------------- EA-01

const earnedAutonomyLapsed = rule("EA-01", "A school with earned autonomy no longer meets its criteria", (trust, { today }) =>
  trust.schools.flatMap((entry) => {
    if (entry.tier !== "T1") return [];
    const reading = earnedAutonomyReading(entry.data.records, entry.data.reviews, trust.policy, today);
    const unmet = reading.criteria.filter((c) => c.met === false);
    if (unmet.length === 0) return [];
    return [
      finding("EA-01", "warning", {
        message: `${named(trust, entry)} no longer meets the criteria for earned autonomy: ${unmet.map((c) => c.reason).join(" ")} The board should review its tier.`,
        rationale:
          "Earned autonomy lasts as long as its conditions: a good inspection, safeguarding met, outcomes at the national average, sound finances and a recent review. The research asks for clear conditions under which the trust removes it.",
        source: "DCAT [DCAT-MIN]; Aspire [ASPIRE]; Midland Academies Trust [MIDLAND]; Lighthouse Schools Partnership [LSP]; Building Trusts [SEED-S]; domain.md §5(d) EA-01",
        schoolIds: [entry.school.id],
      }),
    ];
  }),
);

// ---------------------------------------------------------------- EA-02

const INTERVENTION_SOURCE = "Interim executive board [STUDYLIB-IEB]; Consortium Trust [CONSORTIUM]; DCAT [DCAT-MIN]; HCR Law [HCR-SCC]; domain.md §5(d) EA-02";

/** The local columns whose D reach this school: its own local board's column, or every local column when it has none. */
function localColumnsOf(scheme: Scheme, entry: TieredSchool): SchemeColumn[] {
  const board = scheme.boards.find((b) => b.id === entry.school.localBodyId);
  const local = columnsOf(scheme, ["local"]);
  return board?.columnId ? local.filter((column) => column.id === board.columnId) : local;
}

const intervention = rule("EA-02", "An intervention trigger, or a school in intervention whose local board still decides", (trust, { scheme, today }) =>
  trust.schools.flatMap((entry) => {
    const findings: Finding[] = [];
    const alarms = interventionTriggers(entry.data.records, today);
    if (alarms.length > 0 && entry.tier !== "T4") {
      findings.push(
        finding("EA-02", "error", {
          message: `${named(trust, entry)}: ${alarms.join(" ")} This proposes ${tierLabel(trust.policy, "T4")} at once: record the board's decision, suspend the local board's decisions and form an intervention board.`,
          rationale:
            "Safeguarding not met, an inadequate or urgent-improvement judgement, or a termination warning notice means pupils' education or welfare is at risk: trusts then suspend local decision-making and put an intervention board in its place.",
          source: INTERVENTION_SOURCE,
          schoolIds: [entry.school.id],
        }),
      );
    }
    if (entry.tier !== "T4") return findings;
    const decides = holding(entry, scheme.rows, localColumnsOf(scheme, entry), "D");
    if (decides.length > 0) {
      const rows = distinctRows(decides);
      findings.push(
        finding("EA-02", "error", {
          message: `${named(trust, entry)} is in intervention, yet in its scheme the local board still decides (D) ${rowList(rows)}. Give these decisions to the trust, or make the local board monitor (M), in the ${trust.policy.tiers.T4.name} tier's variants.`,
          rationale: "In intervention the local board's decision powers are suspended: each of its decisions passes to the trust or an intervention board, and it monitors at most.",
          source: INTERVENTION_SOURCE,
          cells: schoolCells(entry, decides),
          rowIds: rows.map((r) => r.id),
          schoolIds: [entry.school.id],
        }),
      );
    }
    const board = scheme.boards.find((b) => b.id === entry.school.localBodyId);
    if (board && board.purpose !== "intervention") {
      findings.push(
        finding("EA-02", "warning", {
          message: `${named(trust, entry)} is in intervention, but its local board, ${board.name}, is a ${board.purpose} board. Replace it with an intervention board of three to five members, chaired by a trustee or member, and mark its purpose as intervention on the structure page.`,
          rationale: "Trusts replace the local board of a school in intervention with an intervention board drawn from the trust, which answers to the board for an action plan until a new local body is formed.",
          source: INTERVENTION_SOURCE,
          schoolIds: [entry.school.id],
        }),
      );
    }
    return findings;
  }),
);

// ---------------------------------------------------------------- EA-03

const outcomesDeclining = rule("EA-03", "Declining outcomes with no inspection since", (trust, { today }) =>
  trust.schools.flatMap((entry) => {
    const decline = decliningOutcomes(entry.data.records, trust.policy.outcomesBands, today);
    if (!decline) return [];
    const proposed = entry.recommendation();
    if (!proposed.triggers.includes("EA-03") || supportLevel(proposed.tier) <= supportLevel(entry.tier ?? "T2")) return [];
    return [
      finding("EA-03", "warning", {
        message: `${named(trust, entry)}: ${decline} This proposes one tier down, to ${tierLabel(trust.policy, proposed.tier)}: the board decides, it is not automatic.`,
        rationale:
          "A school can be placed in a tier with less autonomy when its outcomes decline but no recent inspection has judged it; autonomy granted \"as long as the outcomes are okay\" needs the outcomes watched.",
        source: "Aspire [ASPIRE]; Building Trusts [SEED-F] (MAT 38); domain.md §5(d) EA-03",
        schoolIds: [entry.school.id],
      }),
    ];
  }),
);

// ---------------------------------------------------------------- EA-04

/** The rows where a school's budget is decided: back office as a whole, and budget setting. */
const BUDGET_ROWS = ["SEED-14", "SEED-14-a"];

const budgetInDeficit = rule("EA-04", "A school in deficit still sets its own budget", (trust, { scheme, today }) => {
  const rows = rowsByKey(scheme, BUDGET_ROWS);
  const columns = columnsOf(scheme, LOCAL_DECIDERS);
  if (rows.length === 0 || columns.length === 0) return [];
  return trust.schools.flatMap((entry) => {
    const concerns = financeConcerns(entry.data.records, today);
    if (concerns.length === 0) return [];
    const decides = holding(entry, rows, columns, "D");
    if (decides.length === 0) return [];
    const who = [...new Set(decides.map((d) => `the ${d.column.name}`))];
    return [
      finding("EA-04", "warning", {
        message: `${named(trust, entry)}: ${concerns.join(" ")} Yet in its scheme ${inWords(who)} still decide${who.length === 1 ? "s" : ""} ${rowList(distinctRows(decides))}. Move the decision to the trust's finance officers (the CFO) while the deficit lasts.`,
        rationale: "A school whose budget is in deficit loses its budget authority to the trust's officers until the deficit is addressed; a deficit the trust cannot address must be reported to the ESFA within 14 days.",
        source: "DCAT [DCAT-MIN]; The Key [KEY-COMP]; domain.md §5(d) EA-04",
        cells: schoolCells(entry, decides),
        rowIds: distinctRows(decides).map((r) => r.id),
        schoolIds: [entry.school.id],
      }),
    ];
  });
});

// ---------------------------------------------------------------- EA-05

const headteacherAppraisal = rule("EA-05", "Headteacher performance management not with the executive in support or intervention", (trust, { scheme }) => {
  const [row] = rowsByKey(scheme, ["STAT-L2"]);
  if (!row) return [];
  return trust.schools.flatMap((entry) => {
    if (entry.tier !== "T3" && entry.tier !== "T4") return [];
    const deciders = scheme.columns.filter((column) => entry.code(row.id, column.id) === "D");
    if (deciders.some((column) => column.kind === "executive")) return [];
    const now = deciders.length > 0 ? `is decided by ${inWords(deciders.map((c) => `the ${c.name}`))}` : "has no decider";
    return [
      finding("EA-05", "warning", {
        message: `${named(trust, entry)}: in its scheme ${rowLabel(row)} ${now}. For a school in support or intervention it moves to the deputy CEO or director of education.`,
        rationale: "Where a school needs support, the trust's senior executive takes over the headteacher's performance management, so that the head is held to account by those leading the improvement.",
        source: "DCAT [DCAT-MIN]; domain.md §5(d) EA-05",
        cells: deciders.map((column) => ({ rowId: row.id, columnId: column.id, schoolId: entry.school.id })),
        rowIds: [row.id],
        schoolIds: [entry.school.id],
      }),
    ];
  });
});

// ---------------------------------------------------------------- EA-06

const REVIEW_SOURCE = "DCAT Academy Improvement Reviews [DCAT-MIN]; Aspire [ASPIRE-SI]; Building Trusts [SEED-S]; domain.md §5(d) EA-06";
const REVIEW_RATIONALE =
  "Earned autonomy needs regular performance reviews, more often where a school needs support, and a tier re-graded at least once a year, so that the trust sees a change in time to act.";

const reviewsOverdue = rule("EA-06", "Reviews overdue for the tier's cadence, or a tier not re-graded within a year", (trust, { today }) => {
  const findings: Finding[] = [];
  for (const entry of trust.schools) {
    const schedule = reviewSchedule({ school: entry.school, decided: entry.decision, reviews: entry.data.reviews, policy: trust.policy, today });
    const cadence = `${tierLabel(trust.policy, schedule.tier)} schools are reviewed ${schedule.reviewsPerYear} time${schedule.reviewsPerYear === 1 ? "" : "s"} a year`;
    if (schedule.status === "overdue") {
      const last = schedule.lastReviewedOn ? `last reviewed on ${longDate(schedule.lastReviewedOn)}` : "never reviewed";
      findings.push(
        finding("EA-06", "warning", {
          message: `${entry.school.name}'s review was due on ${longDate(schedule.nextReviewOn!)} and is overdue (${last}; ${cadence}).`,
          rationale: REVIEW_RATIONALE,
          source: REVIEW_SOURCE,
          schoolIds: [entry.school.id],
        }),
      );
    } else if (schedule.status === "unscheduled") {
      findings.push(
        finding("EA-06", "warning", {
          message: `${entry.school.name} has no review recorded and nothing sets its first (no tier decision, no joining date): review it and record the review (${cadence}).`,
          rationale: REVIEW_RATIONALE,
          source: REVIEW_SOURCE,
          schoolIds: [entry.school.id],
        }),
      );
    }
    if (entry.decision && monthsAfter(entry.decision.decidedOn, 12) < today) {
      findings.push(
        finding("EA-06", "warning", {
          message: `${named(trust, entry)}: its tier was last decided on ${longDate(entry.decision.decidedOn)}, more than a year ago. Re-grade it (the CEO with the headteacher) and have the board or its committee confirm it.`,
          rationale: REVIEW_RATIONALE,
          source: REVIEW_SOURCE,
          schoolIds: [entry.school.id],
        }),
      );
    }
  }
  const light = TIERS.filter((tier) => trust.policy.tiers[tier].reviewsPerYear < (MINIMUM_REVIEWS_PER_YEAR[tier] ?? 0));
  if (light.length > 0) {
    const described = light.map((tier) => `${tierLabel(trust.policy, tier)} ${trust.policy.tiers[tier].reviewsPerYear} a year, where DCAT holds ${MINIMUM_REVIEWS_PER_YEAR[tier]}`);
    findings.push(
      finding("EA-06", "info", {
        message: `The trust's tier policy reviews ${inWords(described)}.`,
        rationale: REVIEW_RATIONALE,
        source: REVIEW_SOURCE,
        schoolIds: trust.schools.filter((entry) => entry.tier !== null && light.includes(entry.tier)).map((entry) => entry.school.id),
      }),
    );
  }
  return findings;
});

// ---------------------------------------------------------------- EA-07

/** The rows where the school's scheme can differ from the base: those its tier's variants and its own variations touch. */
function variedRows(scheme: Scheme, entry: TieredSchool): SchemeRow[] {
  const keys = [...Object.keys((entry.tier && scheme.tierCells[entry.tier]) || {}), ...Object.keys(scheme.schoolCells[entry.school.id] ?? {})];
  const ids = new Set(keys.map((key) => splitCellKey(key).rowId));
  return scheme.rows.filter((row) => ids.has(row.id) && !row.locked);
}

const consistencyStrands = rule("EA-07", "Earned autonomy touching a strand of consistency in a consistent-pedagogy trust", (trust, { scheme, cluster }) => {
  if (cluster !== 2) return [];
  const local = columnsOf(scheme, LOCAL_DECIDERS);
  return trust.schools.flatMap((entry) => {
    if (entry.tier !== "T1") return [];
    const strands: { row: SchemeRow; column: SchemeColumn }[] = [];
    const uneligible: { row: SchemeRow; column: SchemeColumn }[] = [];
    for (const row of variedRows(scheme, entry)) {
      if (row.tags.includes(STRAND_OF_CONSISTENCY)) {
        for (const column of scheme.columns) if (entry.code(row.id, column.id) !== baseCode(scheme, row.id, column.id)) strands.push({ row, column });
      } else if (!row.tags.includes(INNOVATION_ELIGIBLE)) {
        for (const column of local) if (entry.code(row.id, column.id) === "D" && baseCode(scheme, row.id, column.id) !== "D") uneligible.push({ row, column });
      }
    }
    if (strands.length === 0 && uneligible.length === 0) return [];
    const parts: string[] = [];
    if (strands.length > 0) parts.push(`its scheme changes ${rowList(distinctRows(strands))}, which the trust marks as strands of consistency: they stay with the trust for every school`);
    if (uneligible.length > 0) parts.push(`it gives the school the decision (D) on ${rowList(distinctRows(uneligible))}, which the trust does not mark innovation-eligible`);
    const all = [...strands, ...uneligible];
    return [
      finding("EA-07", "warning", {
        message: `${named(trust, entry)}, in a trust whose strategy seeks consistent pedagogy: ${clauses(parts)}.`,
        rationale:
          "Trusts that scale one model of teaching let their strongest schools step away from it only where the trust allows innovation; assessment, behaviour, safeguarding, the back office and leaders' development stay common to all (MAT 30's strands of consistency, MAT 11's 70% in common).",
        source: "Building Trusts [SEED-F] (MAT 30, MAT 10, MAT 11); domain.md §5(d) EA-07",
        cells: schoolCells(entry, all),
        rowIds: distinctRows(all).map((r) => r.id),
        schoolIds: [entry.school.id],
      }),
    ];
  });
});

// ---------------------------------------------------------------- EA-08

/** The rows a school below the threshold loses to the trust in a trust of autonomy and identity (the "glass floor"). */
const GLASS_FLOOR_ROWS = ["SEED-06", "SEED-07", "SEED-09"];

const autonomyByDefault = rule("EA-08", "A trust of autonomy and identity: earned autonomy by default, and a glass floor", (trust, { scheme, cluster, today }) => {
  if (cluster !== 1) return [];
  const rows = rowsByKey(scheme, GLASS_FLOOR_ROWS);
  const local = columnsOf(scheme, LOCAL_DECIDERS);
  const source = "Building Trusts [SEED-S] (break points from performance); domain.md §5(d) EA-08";
  return trust.schools.flatMap((entry) => {
    const reading = earnedAutonomyReading(entry.data.records, entry.data.reviews, trust.policy, today);
    if (reading.qualifies && (entry.tier === null || entry.tier === "T2")) {
      return [
        finding("EA-08", "info", {
          message: `${named(trust, entry)} meets every criterion for earned autonomy, and the trust's strategy makes ${tierLabel(trust.policy, "T1")} the default for such schools: the board may place it there.`,
          rationale: "A trust built on schools' autonomy and identity gives good or better schools their freedom by default, and uses earned autonomy to explain why weaker ones do not have it.",
          source,
          schoolIds: [entry.school.id],
        }),
      ];
    }
    // Below the threshold means an inspection that falls short; a joiner's is for transition to settle (EA-12).
    const inspection = reading.criteria.find((c) => c.criterion === "inspection");
    if (inspection?.met !== false || !latestInspection(entry.data.records.filter((r) => r.asOf <= today))) return [];
    if (isJoiner(entry.school.joinedOn, trust.policy, today)) return [];
    const decides = holding(entry, rows, local, "D");
    if (decides.length === 0) return [];
    return [
      finding("EA-08", "warning", {
        message: `${named(trust, entry)}: ${inspection.reason} Yet in its scheme the school or its local board still decides ${rowList(distinctRows(decides))}. Below the threshold these move to the trust.`,
        rationale: "A trust built on schools' autonomy justifies withholding freedom from schools below its threshold: curriculum and school improvement are decided for them by the trust until they meet it (the \"glass floor\").",
        source,
        cells: schoolCells(entry, decides),
        rowIds: distinctRows(decides).map((r) => r.id),
        schoolIds: [entry.school.id],
      }),
    ];
  });
});

// ---------------------------------------------------------------- EA-09

/** School-to-school support: the rows of the research's area 10, "School improvement support", other than deciding tiers. */
const SCHOOL_IMPROVEMENT_AREA = 10;
const TIER_DECISION_ROW = "STAT-S1";
const CONTRIBUTES: DecisionCode[] = ["E", "A"];

const capacityGiver = rule("EA-09", "A school with earned autonomy gives nothing to school-to-school support", (trust, { scheme }) => {
  const rows = scheme.rows.filter((row) => row.area === SCHOOL_IMPROVEMENT_AREA && row.catalogueKey !== TIER_DECISION_ROW);
  const heads = columnsOf(scheme, ["school"]);
  if (rows.length === 0 || heads.length === 0) return [];
  return trust.schools.flatMap((entry) => {
    if (entry.tier !== "T1") return [];
    const contributes = rows.some((row) => heads.some((column) => CONTRIBUTES.includes(entry.code(row.id, column.id) as DecisionCode)));
    if (contributes) return [];
    return [
      finding("EA-09", "warning", {
        message: `${named(trust, entry)} has no part in trust-wide school-to-school support: in its scheme ${inWords(heads.map((c) => `the ${c.name}`))} neither deliver${heads.length === 1 ? "s" : ""} (E) nor advise${heads.length === 1 ? "s" : ""} (A) on ${rowList(rows)}. Give the school an E or A there.`,
        rationale: "A school given autonomy is a \"capacity giver\": it must still contribute to the trust's collaboration and support other schools, or the rest of the trust hears that autonomy means leaving.",
        source: "Midland Academies Trust [MIDLAND]; Building Trusts [SEED-S] (caution 2); domain.md §5(d) EA-09",
        cells: rows.flatMap((row) => heads.map((column) => ({ rowId: row.id, columnId: column.id, schoolId: entry.school.id }))),
        rowIds: rows.map((r) => r.id),
        schoolIds: [entry.school.id],
      }),
    ];
  });
});

// ---------------------------------------------------------------- EA-10

const decisionIncomplete = rule("EA-10", "A tier decision without its evidence, deciding body or dates", (trust, { today }) =>
  trust.schools.flatMap((entry) =>
    entry.data.decisions
      .filter((decision) => decision === entry.decision || decision.effectiveFrom > today)
      .flatMap((decision) => {
        const gaps = decisionGaps(decision, today);
        if (gaps.length === 0) return [];
        return [
          finding("EA-10", "warning", {
            message: `The decision placing ${entry.school.name} in ${tierLabel(trust.policy, decision.tier)} from ${longDate(decision.effectiveFrom)} is incomplete: ${clauses(gaps)}.`,
            rationale: "A school's tier changes what it may decide, so each change must be a recorded decision of the board or its committee, with its evidence, the date it applies from and when it is next reviewed.",
            source: "NEAT [NEAT]; Forward As One [FAO]; domain.md §4 ST-14; Building Trusts [SEED-S] (caution 3); domain.md §5(d) EA-10",
            schoolIds: [entry.school.id],
          }),
        ];
      }),
  ),
);

// ---------------------------------------------------------------- EA-11

const promotionUnearned = rule("EA-11", "A step out of support or intervention without sustained improvement", (trust) =>
  trust.schools.flatMap((entry) => {
    const current = entry.decision;
    const previous = current ? previousDecision(entry.data.decisions, current) : null;
    if (!current || !previous || (previous.tier !== "T3" && previous.tier !== "T4")) return [];
    if (supportLevel(current.tier) >= supportLevel(previous.tier)) return [];
    const problems: string[] = [];
    if (supportLevel(previous.tier) - supportLevel(current.tier) > 1) problems.push("it skips a tier: schools step up one tier at a time");
    const needed = trust.policy.tiers[previous.tier].criteria.improvingReviewsToLeave;
    const run = improvingRun(entry.data.reviews, previous.effectiveFrom, current.decidedOn);
    if (run.length < needed) {
      problems.push(`${run.length === 0 ? "no review" : `only ${run.length} review${run.length === 1 ? "" : "s"}`} in a row rated improving came before it, where ${needed} are needed`);
    }
    const alarms = interventionTriggers(entry.data.records, current.decidedOn);
    if (alarms.length > 0) problems.push(`an intervention trigger held when it was decided (${alarms.join(" ")})`);
    if (problems.length === 0) return [];
    return [
      finding("EA-11", "warning", {
        message: `${entry.school.name} was moved from ${tierLabel(trust.policy, previous.tier)} to ${tierLabel(trust.policy, current.tier)} on ${longDate(current.decidedOn)}, but ${clauses(problems)}.`,
        rationale: "A school leaves support or intervention on sustained improvement: reviews in a row rated improving, and no intervention trigger outstanding, so that a single good term does not undo the support it needs.",
        source: "DCAT travel ratings [DCAT-MIN]; domain.md §5(d) EA-11",
        schoolIds: [entry.school.id],
      }),
    ];
  }),
);

// ---------------------------------------------------------------- EA-12

const TRANSITION_SOURCE = "REAch2 transition boards [R2-TB]; ACT joiners [ACT]; domain.md §5(d) EA-12";

const transition = rule("EA-12", "Joiners and transition", (trust, { scheme, today }) =>
  trust.schools.flatMap((entry) => {
    const { school } = entry;
    const ends = transitionEndsOn(school.joinedOn, trust.policy) ?? (entry.tier === "T0" && entry.decision ? monthsAfter(entry.decision.effectiveFrom, trust.policy.tiers.T0.criteria.months) : null);
    const months = trust.policy.tiers.T0.criteria.months;
    if (entry.tier === "T0" && ends !== null && ends <= today) {
      const since = school.joinedOn ? `joined on ${longDate(school.joinedOn)}, ${wholeMonthsBetween(school.joinedOn, today)} months ago` : `entered transition on ${longDate(entry.decision!.effectiveFrom)}`;
      return [
        finding("EA-12", "warning", {
          message: `${named(trust, entry)} ${since}, and is still in transition, which lasts at most ${months} months. Decide its tier: ${tierLabel(trust.policy, "T2")}, or ${tierLabel(trust.policy, "T1")} if it meets the criteria for earned autonomy.`,
          rationale: "A transition board is interim, for up to a year from joining; after it the school needs its own standing local governance and a tier of its own.",
          source: TRANSITION_SOURCE,
          schoolIds: [school.id],
        }),
      ];
    }
    if (isJoiner(school.joinedOn, trust.policy, today) && entry.tier !== "T0") {
      return [
        finding("EA-12", "info", {
          message: `${named(trust, entry)} ${school.joinedOn! > today ? "joins" : "joined"} on ${longDate(school.joinedOn!)}: for its first ${months} months (until ${longDate(ends!)}) ${tierLabel(trust.policy, "T0")} applies, with a transition board appointed by the executive in place of the local board.`,
          rationale: "Trusts bring a joining school in through an interim transition board, up to a year from joining, while its due diligence and support are agreed.",
          source: TRANSITION_SOURCE,
          schoolIds: [school.id],
        }),
      ];
    }
    const board = scheme.boards.find((b) => b.id === school.localBodyId);
    if (entry.tier === "T0" && board && board.purpose === "standing") {
      return [
        finding("EA-12", "info", {
          message: `${named(trust, entry)} is in transition, but its local board, ${board.name}, is a standing board. A transition board appointed by the executive takes its place: mark its purpose as transition on the structure page.`,
          rationale: "In transition, an interim board appointed by the trust's executive governs the school until it has its own standing local governance.",
          source: TRANSITION_SOURCE,
          schoolIds: [school.id],
        }),
      ];
    }
    return [];
  }),
);

// ---------------------------------------------------------------- EA-13

/** When the school's unbroken run of earned-autonomy decisions began. */
function inEarnedAutonomySince(entry: TieredSchool): string | null {
  if (entry.tier !== "T1" || !entry.decision) return null;
  let since = entry.decision;
  for (let previous = previousDecision(entry.data.decisions, since); previous?.tier === "T1"; previous = previousDecision(entry.data.decisions, previous)) since = previous;
  return since.effectiveFrom;
}

const glassCeiling = rule("EA-13", "A long-autonomous school with high outcomes in a consistent-pedagogy trust", (trust, { cluster, today }) => {
  if (cluster !== 2) return [];
  const { glassCeilingMonths, glassCeilingBand } = trust.policy.tiers.T1.criteria;
  const wanted = bandRank(trust.policy.outcomesBands, glassCeilingBand);
  if (wanted === null) return [];
  return trust.schools.flatMap((entry) => {
    const since = inEarnedAutonomySince(entry);
    if (since === null || monthsAfter(since, glassCeilingMonths) > today) return [];
    const banded = newestFirst(entry.data.records.filter((r) => r.asOf <= today && r.outcomesBand !== null))[0];
    const rank = banded ? bandRank(trust.policy.outcomesBands, banded.outcomesBand) : null;
    if (!banded || rank === null || rank < wanted) return [];
    return [
      finding("EA-13", "info", {
        message: `${named(trust, entry)} has had earned autonomy since ${longDate(since)}, and its outcomes were ${banded.outcomesBand} on ${longDate(banded.asOf)}: the board may consider extending its freedoms.`,
        rationale: "A trust that holds its strongest schools to one model can cap them (a \"glass ceiling\"): the research's MAT 26 handed autonomy back once a school had proved itself.",
        source: "Building Trusts [SEED-F] (MAT 26); domain.md §5(d) EA-13",
        schoolIds: [entry.school.id],
      }),
    ];
  });
});

// ---------------------------------------------------------------- EA-14

const LOCK_RATIONALE = "Statutory decisions sit where the law, the articles or the Academy Trust Handbook put them, whatever a school's tier: a variant there has no effect on any school's scheme and misleads whoever reads it.";
const LOCK_SOURCE = "Academy Trust Handbook; the trust's articles; domain.md §4 and §5(d) EA-14";

const lockedVariants = rule("EA-14", "A tier variant or school variation on a statutory-locked row", (trust, { scheme }) => {
  const locked = new Map(scheme.rows.filter((row) => row.locked).map((row) => [row.id, row]));
  if (locked.size === 0) return [];
  const columns = new Map(scheme.columns.map((column) => [column.id, column]));
  const onLocked = (variants: Record<string, unknown> | undefined) =>
    Object.keys(variants ?? {}).flatMap((key) => {
      const { rowId, columnId } = splitCellKey(key);
      const row = locked.get(rowId);
      return row ? [{ row, columnId, column: columns.get(columnId)?.name ?? "a column no longer in the scheme" }] : [];
    });
  const describe = (found: ReturnType<typeof onLocked>) => inWords(found.map((f) => `${rowLabel(f.row)} (${f.column})`));
  const findings: Finding[] = [];
  for (const tier of TIERS) {
    const found = onLocked(scheme.tierCells[tier]);
    if (found.length === 0) continue;
    findings.push(
      finding("EA-14", "warning", {
        message: `The ${tierLabel(trust.policy, tier)} variants change ${describe(found)}, statutory-locked: locked rows never vary by tier, so no school's scheme follows the change. Remove ${found.length === 1 ? "it" : "them"}.`,
        rationale: LOCK_RATIONALE,
        source: LOCK_SOURCE,
        rowIds: [...new Set(found.map((f) => f.row.id))],
        schoolIds: trust.schools.filter((entry) => entry.tier === tier).map((entry) => entry.school.id),
      }),
    );
  }
  for (const entry of trust.schools) {
    const found = onLocked(scheme.schoolCells[entry.school.id]);
    if (found.length === 0) continue;
    findings.push(
      finding("EA-14", "warning", {
        message: `${entry.school.name}'s own variations change ${describe(found)}, statutory-locked: its scheme keeps the trust's cells there. Remove ${found.length === 1 ? "it" : "them"}.`,
        rationale: LOCK_RATIONALE,
        source: LOCK_SOURCE,
        cells: found.map((f) => ({ rowId: f.row.id, columnId: f.columnId, schoolId: entry.school.id })),
        rowIds: [...new Set(found.map((f) => f.row.id))],
        schoolIds: [entry.school.id],
      }),
    );
  }
  return findings;
});

// ---------------------------------------------------------------- EA-15

const reportCardThresholds = rule("EA-15", "Report cards with no report-card thresholds set", (trust, { today }) => {
  const { minReportCardGrade } = trust.policy.tiers.T1.criteria;
  const { reportCardGradeFrom } = trust.policy.tiers.T3.criteria;
  const missing = [minReportCardGrade === null ? "the grade that earns autonomy" : null, reportCardGradeFrom === null ? "the grade that calls for support" : null].filter((m): m is string => m !== null);
  if (missing.length === 0) return [];
  const carded = trust.schools.filter((entry) => latestInspection(entry.data.records.filter((r) => r.asOf <= today))?.inspection.framework === "report-card");
  if (carded.length === 0) return [];
  return [
    finding("EA-15", "warning", {
      message: `The latest inspection of ${inWords(carded.map((entry) => entry.school.name))} is a 2025 report card, and the trust's tier policy does not set ${inWords(missing)} on the report card's scale, so ${carded.length === 1 ? "it is" : "they are"} not judged against ${missing.length === 1 ? "it" : "them"}. Set the report-card thresholds in the tier policy.`,
      rationale: "Ofsted says report-card grades cannot be compared with the old four grades, so the trust's legacy thresholds do not carry over: it must say which report-card grades earn autonomy and which call for support.",
      source: "Ofsted report cards [OFSTED-RC1]; domain.md §2.3 and §5(d) EA-15",
      schoolIds: carded.map((entry) => entry.school.id),
    }),
  ];
});

export const earnedAutonomyRules: Rule[] = [
  earnedAutonomyLapsed,
  intervention,
  outcomesDeclining,
  budgetInDeficit,
  headteacherAppraisal,
  reviewsOverdue,
  consistencyStrands,
  autonomyByDefault,
  capacityGiver,
  decisionIncomplete,
  promotionUnearned,
  transition,
  glassCeiling,
  lockedVariants,
  reportCardThresholds,
];
