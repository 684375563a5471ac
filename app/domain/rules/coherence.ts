/**
 * Checks of the scheme against the trust's own strategy (domain.md §5(c), CO-01 … CO-11, CO-17).
 *
 * Each check reads the base matrix: the strategy describes the trust's default operating model, and
 * the variants for autonomy tiers and single schools are earned autonomy's to judge (domain.md §5(d)).
 * A check whose statements are not all rated yet stays silent, so that a half-filled strategy never
 * produces a finding that a later rating would take back.
 */
import type { DecisionCode } from "../codes";
import { baseCode, forbiddenReason, mayDecide, rowCentralisation, splitCellKey, type Scheme, type SchemeColumn, type SchemeRow } from "../scheme";
import { STRATEGY_STATEMENTS, type ImprovementModel } from "../strategy";
import type { BodyKind } from "../structure";
import type { Finding, FindingCell, FindingFix, Rule, RuleContext, RuleFamily, Severity } from "./types";

// ---------------------------------------------------------------- shared with break-points.ts

/** What a rule says about its finding; the rule's id, family and severity are added by findingOf. */
export interface FindingParts {
  message: string;
  rationale: string;
  source: string;
  cells?: FindingCell[];
  rowIds?: string[];
  schoolIds?: string[];
  fix?: FindingFix | null;
}

export function findingOf(rule: { id: string; family: RuleFamily }, severity: Severity, parts: FindingParts): Finding {
  return {
    ruleId: rule.id,
    family: rule.family,
    severity,
    message: parts.message,
    rationale: parts.rationale,
    source: parts.source,
    cells: parts.cells ?? [],
    rowIds: parts.rowIds ?? [],
    schoolIds: parts.schoolIds ?? [],
    fix: parts.fix ?? null,
  };
}

/**
 * A rule that finds at most one thing (findings stay few: one per rule, naming every row it concerns).
 * `find` returns what the finding says, or null when the scheme is fine.
 */
export function singleFindingRule(
  family: RuleFamily,
  id: string,
  title: string,
  severity: Severity,
  find: (context: RuleContext) => FindingParts | null,
): Rule {
  return {
    id,
    family,
    title,
    check(context) {
      const parts = find(context);
      return parts ? [findingOf({ id, family }, severity, parts)] : [];
    },
  };
}

/** The trust's row made from the default catalogue's entry (SEED-07, STAT-G1…); a trust that dropped it has none. */
export function rowByKey(scheme: Scheme, key: string): SchemeRow | undefined {
  return scheme.rows.find((row) => row.catalogueKey === key);
}

export function columnsOfKind(scheme: Scheme, kind: BodyKind): SchemeColumn[] {
  return scheme.columns.filter((column) => column.kind === kind);
}

export function rowLabel(row: SchemeRow): string {
  return `${row.ref} "${row.title}"`;
}

/** "A", "A and B", "A, B and C". */
export function inWords(parts: string[]): string {
  return parts.length <= 1 ? (parts[0] ?? "") : `${parts.slice(0, -1).join(", ")} and ${parts[parts.length - 1]}`;
}

export function namesOf(columns: SchemeColumn[]): string {
  return inWords(columns.map((column) => column.name));
}

// ---------------------------------------------------------------- the strategy

/** The statements by their number in the research's list (s1 … s10 of domain.md §5(c)). */
const COMMON_VISION = 1;
const SCALING_A_MODEL = 2;
const FREEING_SCHOOLS = 3;
const BOOSTING_LOCAL_GOVERNANCE = 4;
const CONVERGING_THROUGH_COLLABORATION = 5;
const BACK_OFFICE_SAVINGS = 6;
const ENRICHMENT_OWN_CURRICULUM = 7;
const SCHOOL_IDENTITY = 8;
const STRENGTHENING_COMMUNITY = 9;
const CONSISTENT_PEDAGOGY = 10;

interface Rating {
  statement: number;
  rating: number;
}

/** The ratings of these statements, or null while any of them is unrated. */
function ratingsOf(context: RuleContext, ...statements: number[]): Rating[] | null {
  const rated: Rating[] = [];
  for (const statement of statements) {
    const rating = context.strategy.ratings[statement - 1];
    if (rating === null || rating === undefined) return null;
    rated.push({ statement, rating });
  }
  return rated;
}

function isLikeUs(context: RuleContext, { rating }: Rating): boolean {
  return rating >= context.settings.likeUs;
}

/** The trust's own words: the statement verbatim and its rating. */
function says({ statement, rating }: Rating): string {
  return `"${STRATEGY_STATEMENTS[statement - 1]}" ${rating} out of 10`;
}

const IMPROVEMENT_MODEL_NAMES: Record<ImprovementModel, string> = {
  hub: "hub",
  "centralised-consultants": "centralised consultants",
  "in-house-central-expertise": "in-house central expertise",
  "cluster-based": "cluster-based",
  "self-improving-network": "self-improving network",
};

export function improvementModelName(model: ImprovementModel): string {
  return IMPROVEMENT_MODEL_NAMES[model];
}

// ---------------------------------------------------------------- where a row's D sits

/** A row with the columns holding its D and its centralisation index (null when nobody decides it). */
interface Placement {
  row: SchemeRow;
  deciders: SchemeColumn[];
  index: number | null;
}

function placementOf(scheme: Scheme, row: SchemeRow): Placement {
  return {
    row,
    deciders: scheme.columns.filter((column) => baseCode(scheme, row.id, column.id) === "D"),
    index: rowCentralisation(scheme, row.id),
  };
}

/** The placements of those catalogue rows the trust has, in the order given. */
function placementsOf(scheme: Scheme, keys: string[]): Placement[] {
  return keys.flatMap((key) => {
    const row = rowByKey(scheme, key);
    return row ? [placementOf(scheme, row)] : [];
  });
}

/** Undecided rows are neither devolved nor centralised: the structure checks report a missing D. */
function isDevolved(context: RuleContext, placement: Placement): boolean {
  return placement.index !== null && placement.index < context.settings.devolvedBelow;
}

function isCentralised(context: RuleContext, placement: Placement): boolean {
  return placement.index !== null && placement.index >= context.settings.centralisedFrom;
}

/** "3.3 "Pedagogy…" is decided by Headteacher (centralisation index 0 of 10)". */
function decidedBy(placement: Placement): string {
  return `${rowLabel(placement.row)} is decided by ${namesOf(placement.deciders)} (centralisation index ${placement.index} of 10)`;
}

function listed(parts: string[]): string {
  return parts.length <= 1 ? (parts[0] ?? "") : `${parts.slice(0, -1).join("; ")}; and ${parts[parts.length - 1]}`;
}

function decisionCells(placements: Placement[]): FindingCell[] {
  return placements.flatMap(({ row, deciders }) => deciders.map((column) => ({ rowId: row.id, columnId: column.id, schoolId: null })));
}

function rowIdsOf(placements: Placement[]): string[] {
  return placements.map(({ row }) => row.id);
}

// ---------------------------------------------------------------- fixes

/**
 * Gives the row's D to `decider` and turns the D of each of `giving.deciders` (the holders that give
 * it up, never `decider` itself) into R: the body that decided now recommends to the one that does.
 * Only the cells that change are listed.
 */
function moveDecision(scheme: Scheme, giving: Placement, decider: SchemeColumn, label: string): FindingFix {
  const { row } = giving;
  const toDecider = baseCode(scheme, row.id, decider.id) === "D" ? [] : [{ rowId: row.id, columnId: decider.id, code: "D" as const }];
  return { label, cells: [...toDecider, ...giving.deciders.map((former) => ({ rowId: row.id, columnId: former.id, code: "R" as const }))] };
}

/** The one column of a kind that may decide the row, or null when the trust has none or several (then the choice is the trust's). */
function soleDecider(scheme: Scheme, row: SchemeRow, kind: BodyKind): SchemeColumn | null {
  const candidates = columnsOfKind(scheme, kind).filter((column) => mayDecide(row, column.kind));
  return candidates.length === 1 ? (candidates[0] ?? null) : null;
}

/** Codes a "consulted" (C) may replace without losing anything: nothing, being informed, optional advice. */
const WEAKER_THAN_CONSULTED: (DecisionCode | null)[] = [null, "I", "A"];

/** Sets C on the column for each row, when every one of those cells holds less than C and may hold it. */
function consultFix(scheme: Scheme, rows: SchemeRow[], column: SchemeColumn, label: string): FindingFix | null {
  const changeable = rows.every(
    (row) => WEAKER_THAN_CONSULTED.includes(baseCode(scheme, row.id, column.id)) && forbiddenReason(row, column.kind, "C") === null,
  );
  if (!changeable) return null;
  return { label, cells: rows.map((row) => ({ rowId: row.id, columnId: column.id, code: "C" as const })) };
}

// ---------------------------------------------------------------- the rules

/** The one rating a single-statement rule reads, when it is rated and "like us"; null otherwise. */
function claimed(context: RuleContext, statement: number): Rating | null {
  const rating = ratingsOf(context, statement)?.[0];
  return rating && isLikeUs(context, rating) ? rating : null;
}

function holds(scheme: Scheme, row: SchemeRow, column: SchemeColumn, codes: DecisionCode[]): boolean {
  const code = baseCode(scheme, row.id, column.id);
  return code !== null && codes.includes(code);
}

const consistentPedagogyDecidedLocally = singleFindingRule(
  "coherence",
  "CO-01",
  "Consistent pedagogy sought, but core curriculum or pedagogy decided in schools",
  "warning",
  (context) => {
    const pedagogy = claimed(context, CONSISTENT_PEDAGOGY);
    if (!pedagogy) return null;
    const devolved = placementsOf(context.scheme, ["SEED-07", "DER-02"]).filter((p) => isDevolved(context, p));
    if (devolved.length === 0) return null;
    return {
      message: `The trust rates ${says(pedagogy)}, yet ${listed(devolved.map(decidedBy))}: each school can go its own way.`,
      rationale:
        "Trusts that sought consistent pedagogy (the research's Cluster 2) paired it with centralised functions, as in MAT 30's curriculum mapping; a core curriculum or teaching model that each school decides cannot be consistent.",
      source: "Building Trusts [SEED-F] Appendix, §1.2",
      cells: decisionCells(devolved),
      rowIds: rowIdsOf(devolved),
    };
  },
);

const pedagogyAgainstOwnCurriculum = singleFindingRule(
  "coherence",
  "CO-02",
  "Consistent pedagogy and schools' own core curriculum both claimed",
  "warning",
  (context) => {
    const rated = ratingsOf(context, CONSISTENT_PEDAGOGY, ENRICHMENT_OWN_CURRICULUM);
    if (!rated || !rated.every((r) => isLikeUs(context, r))) return null;
    const [pedagogy, ownCurriculum] = rated as [Rating, Rating];
    return {
      message: `The trust rates both ${says(pedagogy)} and ${says(ownCurriculum)}: one pedagogy for all schools and each school's own approach to the core curriculum pull opposite ways.`,
      rationale:
        "The research's strategy clusters show these as a trade-off (Cluster 2 rates consistent pedagogy high and schools' own core curriculum low, Cluster 1 the reverse), and pedagogy is where trusts differ most (median 3 against 9).",
      source: "Building Trusts [SEED-F] Appendix, §1.2",
    };
  },
);

const identityCentralised = singleFindingRule(
  "coherence",
  "CO-03",
  "Schools' identity protected, but their vision or branding decided centrally",
  "warning",
  (context) => {
    const identity = claimed(context, SCHOOL_IDENTITY);
    if (!identity) return null;
    const centralised = placementsOf(context.scheme, ["SEED-12", "SEED-13"]).filter((p) => isCentralised(context, p));
    if (centralised.length === 0) return null;
    return {
      message: `The trust rates ${says(identity)}, yet ${listed(centralised.map(decidedBy))}: the trust, not the school, shapes it.`,
      rationale:
        "A school's identity lives in its own vision, values, name and branding; trusts that protect it leave those with the school (MAT 10: \"we completely let them keep their own identity\").",
      source: "Building Trusts [SEED-F]",
      cells: decisionCells(centralised),
      rowIds: rowIdsOf(centralised),
    };
  },
);

/** Whether a local column holds D anywhere: in the base matrix, a tier's variants or a school's own. */
function localDecidesAnything(scheme: Scheme): boolean {
  const local = new Set(columnsOfKind(scheme, "local").map((column) => column.id));
  const decidesLocally = (cells: Record<string, { code: DecisionCode | null }>) =>
    Object.entries(cells).some(([key, cell]) => cell.code === "D" && local.has(splitCellKey(key).columnId));
  return (
    decidesLocally(scheme.cells) ||
    Object.values(scheme.tierCells).some((cells) => cells !== undefined && decidesLocally(cells)) ||
    Object.values(scheme.schoolCells).some(decidesLocally)
  );
}

/**
 * Why the local tier cannot decide anything, or null when it can: there is no local column, every
 * local column is advisory, or none holds D anywhere.
 */
function whyLocalTierCannotDecide(scheme: Scheme): string | null {
  const local = columnsOfKind(scheme, "local");
  if (local.length === 0) return "the scheme has no local governing body column at all";
  if (local.every((column) => column.mode === "advisory")) return `its local tier (${namesOf(local)}) is advisory only`;
  if (!localDecidesAnything(scheme)) return `its local tier (${namesOf(local)}) decides nothing anywhere in the scheme`;
  return null;
}

const localGovernanceAdvisoryOnly = singleFindingRule(
  "coherence",
  "CO-04",
  "Local governance boosted, but the local tier only advises",
  "error",
  (context) => {
    const localGovernance = claimed(context, BOOSTING_LOCAL_GOVERNANCE);
    if (!localGovernance) return null;
    const why = whyLocalTierCannotDecide(context.scheme);
    if (why === null) return null;
    return {
      message: `The trust rates ${says(localGovernance)}, yet ${why}.`,
      rationale:
        "Local autonomy and accountability need local boards that decide something; an advisory tier (NGA's model 2) cannot, and in MAT 34 governors of boards rebranded as advisory kept making decisions they no longer had the power to make.",
      source: "Schemes of delegation for a MAT [ANAPOLY]; Building Trusts [SEED-F] §2.1.3",
    };
  },
);

const backOfficeNotCentralised = singleFindingRule(
  "coherence",
  "CO-06",
  "Schools freed from administration or back-office savings sought, but back office not run centrally",
  "warning",
  (context) => {
    const claims = ratingsOf(context, FREEING_SCHOOLS, BACK_OFFICE_SAVINGS)?.filter((r) => isLikeUs(context, r)) ?? [];
    if (claims.length === 0) return null;
    const backOffice = placementsOf(context.scheme, ["SEED-14"]).filter((p) => p.index !== null && !isCentralised(context, p));
    if (backOffice.length === 0) return null;
    return {
      message: `The trust rates ${claims.map(says).join(" and ")}, yet ${listed(backOffice.map(decidedBy))}.`,
      rationale:
        "These were the research's most popular strategies, and both come from running finance, IT, HR, estates and procurement centrally, which the research found the most centralised functions after the recruitment of principals.",
      source: "Building Trusts [SEED-F] §1.2.1",
      cells: decisionCells(backOffice),
      rowIds: rowIdsOf(backOffice),
    };
  },
);

const modelNotScaled = singleFindingRule(
  "coherence",
  "CO-07",
  "A tried and tested improvement model scaled, but improvement designed in schools or left to a network",
  "warning",
  (context) => {
    const scaling = claimed(context, SCALING_A_MODEL);
    if (!scaling) return null;
    const notCentral = placementsOf(context.scheme, ["SEED-09"]).filter((p) => p.index !== null && !isCentralised(context, p));
    const networkOnly = context.strategy.improvementModel === "self-improving-network";
    if (notCentral.length === 0 && !networkOnly) return null;
    const what = [
      ...notCentral.map(decidedBy),
      ...(networkOnly ? [`its school-improvement operating model is a ${improvementModelName("self-improving-network")} only`] : []),
    ];
    return {
      message: `The trust rates ${says(scaling)}, yet ${listed(what)}.`,
      rationale:
        "Scaling a tried and tested model goes with consistent pedagogy and with improvement led from the centre's expertise, which neither a school-led design nor a network of schools alone provides.",
      source: "Building Trusts [SEED-F] Fig 5, §2.3.4",
      cells: decisionCells(notCentral),
      rowIds: rowIdsOf(notCentral),
    };
  },
);

/**
 * Codes by which headteachers have a say before a decision: consulted, or more than that (they
 * recommend it, or decide it themselves). domain.md names C; a head who recommends or decides has
 * not been left out.
 */
const HEADTEACHERS_HAVE_A_SAY: DecisionCode[] = ["C", "R", "D"];

const convergenceWithoutHeads = singleFindingRule(
  "coherence",
  "CO-08",
  "Convergence through collaboration sought, but headteachers not consulted on curriculum or pedagogy",
  "warning",
  (context) => {
    const converging = claimed(context, CONVERGING_THROUGH_COLLABORATION);
    if (!converging) return null;
    const { scheme } = context;
    const heads = columnsOfKind(scheme, "school");
    const unheard = ["SEED-06", "SEED-07", "DER-02"]
      .map((key) => rowByKey(scheme, key))
      .filter((row): row is SchemeRow => row !== undefined)
      .filter((row) => !heads.some((column) => holds(scheme, row, column, HEADTEACHERS_HAVE_A_SAY)));
    if (unheard.length === 0) return null;
    const who = heads.length === 0 ? "the scheme has no headteacher column, so headteachers are" : `${namesOf(heads)} ${heads.length === 1 ? "is" : "are"}`;
    const head = heads.length === 1 ? heads[0]! : null;
    return {
      message: `The trust rates ${says(converging)}, yet ${who} not consulted on ${inWords(unheard.map(rowLabel))}.`,
      rationale:
        "Converging through collaboration means the schools shape the common approach, so their headteachers are consulted before it is decided (MAT 9).",
      source: "Building Trusts [SEED-F]",
      cells: unheard.flatMap((row) => heads.map((column) => ({ rowId: row.id, columnId: column.id, schoolId: null }))),
      rowIds: unheard.map((row) => row.id),
      fix: head ? consultFix(scheme, unheard, head, `Consult ${head.name} (C)`) : null,
    };
  },
);

const DELIVERY_ROWS = ["SEED-06", "SEED-10", "SEED-11"];

/** The trust vision's D-holders other than the board, or null when only the board decides it (or nobody does: the structure checks' missing D). */
function visionOffBoard(scheme: Scheme): { vision: Placement; offBoard: Placement } | null {
  const row = rowByKey(scheme, "STAT-G1");
  if (!row) return null;
  const vision = placementOf(scheme, row);
  const others = vision.deciders.filter((column) => column.kind !== "board");
  return others.length > 0 ? { vision, offBoard: { ...vision, deciders: others } } : null;
}

function visionDecidedBy({ vision, offBoard }: { vision: Placement; offBoard: Placement }): string {
  return vision.deciders.length > offBoard.deciders.length
    ? `${rowLabel(vision.row)} is shared between ${namesOf(vision.deciders)} rather than decided by the trust board alone`
    : `${rowLabel(vision.row)} is decided by ${namesOf(vision.deciders)}, not the trust board`;
}

const visionNotCentralOrDeliveryNotLocal = singleFindingRule(
  "coherence",
  "CO-09",
  "Common vision with local delivery sought, but the board does not set the vision or delivery is all central",
  "warning",
  (context) => {
    const commonVision = claimed(context, COMMON_VISION);
    if (!commonVision) return null;
    const { scheme } = context;
    const vision = visionOffBoard(scheme);
    const delivery = placementsOf(scheme, DELIVERY_ROWS);
    const deliveryAllCentral = delivery.length > 0 && delivery.every((p) => isCentralised(context, p));
    if (!vision && !deliveryAllCentral) return null;

    const what = [
      ...(vision ? [visionDecidedBy(vision)] : []),
      ...(deliveryAllCentral ? [`delivery is decided centrally on every row: ${listed(delivery.map(decidedBy))}`] : []),
    ];
    // The board taking the vision back is one edit; making delivery local is a choice of rows and bodies the trust must make.
    const board = vision && !deliveryAllCentral ? (vision.vision.deciders.find((c) => c.kind === "board") ?? soleDecider(scheme, vision.vision.row, "board")) : null;
    const concerned = [...(vision ? [vision.offBoard] : []), ...(deliveryAllCentral ? delivery : [])];
    return {
      message: `The trust rates ${says(commonVision)}, yet ${listed(what)}.`,
      rationale:
        "A common vision with local delivery means the board sets the vision and values for every school while schools and their local boards decide how they deliver the curriculum, pupil policies and community engagement.",
      source: "Building Trusts [SEED-F]",
      cells: decisionCells(concerned),
      rowIds: rowIdsOf(concerned),
      fix: vision && board ? moveDecision(scheme, vision.offBoard, board, `Give D to ${board.name}; ${namesOf(vision.offBoard.deciders)} recommends (R)`) : null,
    };
  },
);

/** Codes that give the local tier a role in a row: it decides, recommends, is consulted or monitors. */
const LOCAL_ROLE: DecisionCode[] = ["D", "R", "C", "M"];

const communityWithoutLocalTier = singleFindingRule(
  "coherence",
  "CO-10",
  "Schools strengthen their communities, but local boards have no role in parent and community engagement",
  "warning",
  (context) => {
    const community = claimed(context, STRENGTHENING_COMMUNITY);
    if (!community) return null;
    const { scheme } = context;
    const engagement = rowByKey(scheme, "SEED-10");
    if (!engagement) return null;
    const local = columnsOfKind(scheme, "local");
    if (local.some((column) => holds(scheme, engagement, column, LOCAL_ROLE))) return null;
    const who =
      local.length === 0
        ? "the scheme has no local governing body column to take part in"
        : `${namesOf(local)} ${local.length === 1 ? "has" : "have"} no role (D, R, C or M) in`;
    const only = local.length === 1 ? local[0]! : null;
    return {
      message: `The trust rates ${says(community)}, yet ${who} ${rowLabel(engagement)}.`,
      rationale:
        "Trusts in the research rated their own effectiveness lowest on parent and community engagement; a school strengthens its community through the local board that knows it, so that board needs a say.",
      source: "Building Trusts [SEED-F] §3.1",
      cells: local.map((column) => ({ rowId: engagement.id, columnId: column.id, schoolId: null })),
      rowIds: [engagement.id],
      fix: only ? consultFix(scheme, [engagement], only, `Consult ${only.name} (C)`) : null,
    };
  },
);

const SCHOOL_LEVEL: BodyKind[] = ["local", "school"];
const CENTRAL: BodyKind[] = ["board", "committee", "executive"];

/**
 * Where the D on headteachers' recruitment goes: the central body that already shares it, else the
 * trust board (the employer; the research's most centralised responsibility), else the one executive
 * column. Null when the trust has several of either and must choose.
 */
function centralDeciderOf(scheme: Scheme, placement: Placement): SchemeColumn | null {
  const alreadyCentral = placement.deciders.find((column) => CENTRAL.includes(column.kind));
  return alreadyCentral ?? soleDecider(scheme, placement.row, "board") ?? soleDecider(scheme, placement.row, "executive");
}

const principalsRecruitedLocally = singleFindingRule(
  "coherence",
  "CO-11",
  "Headteachers recruited by a local board or the school",
  "warning",
  (context) => {
    const { scheme } = context;
    const row = rowByKey(scheme, "SEED-01");
    if (!row) return null;
    const placement = placementOf(scheme, row);
    const local = placement.deciders.filter((column) => SCHOOL_LEVEL.includes(column.kind));
    if (local.length === 0) return null;
    const localDecision = { ...placement, deciders: local };
    const decider = centralDeciderOf(scheme, placement);
    return {
      message: `${decidedBy(placement)}: headteachers are appointed at school level, not by the trust that employs them.`,
      rationale:
        "The trust employs every headteacher, and the research found the recruitment of principals the most centralised responsibility of all; local boards take part in the process as the trust asks.",
      source: "Building Trusts [SEED-F] §1.2.1; DCAT scheme of delegation [DCAT-MIN]",
      cells: decisionCells([localDecision]),
      rowIds: [row.id],
      fix: decider ? moveDecision(scheme, localDecision, decider, `Give D to ${decider.name}; ${namesOf(local)} recommends (R)`) : null,
    };
  },
);

const STANDARDISATION_WANTED = ["SEED-15", "SEED-14", "SEED-04"];

const standardisationWantedButDevolved = singleFindingRule(
  "coherence",
  "CO-17",
  "A Cluster 2 trust leaves to schools what staff want standardised",
  "info",
  (context) => {
    if (context.cluster !== 2) return null;
    const devolved = placementsOf(context.scheme, STANDARDISATION_WANTED).filter((p) => isDevolved(context, p));
    if (devolved.length === 0) return null;
    return {
      message: `The trust's ratings put it closest to the research's Cluster 2, "pedagogy and school improvement", yet ${listed(devolved.map(decidedBy))}.`,
      rationale:
        "Staff in the research wanted more standardisation of information management, back-office services and the development of senior school staff, and less standardisation nowhere.",
      source: "Building Trusts Report Summary [SEED-S]; Building Trusts [SEED-F] §3.2",
      cells: decisionCells(devolved),
      rowIds: rowIdsOf(devolved),
    };
  },
);

export const coherenceRules: Rule[] = [
  consistentPedagogyDecidedLocally,
  pedagogyAgainstOwnCurriculum,
  identityCentralised,
  localGovernanceAdvisoryOnly,
  backOfficeNotCentralised,
  modelNotScaled,
  convergenceWithoutHeads,
  visionNotCentralOrDeliveryNotLocal,
  communityWithoutLocalTier,
  principalsRecruitedLocally,
  standardisationWantedButDevolved,
];
