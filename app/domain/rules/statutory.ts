/**
 * Checks against the regulations (domain.md §4), with its ST- ids: the statutory rows are there,
 * their D sits with the body the law names, nobody the law keeps out decides or recommends, the
 * bodies the law requires exist, and the scheme is reviewed in time. Severity follows §4's Type:
 * a "must" is an error, a "should" a warning; a missing row is a warning, because the trust may
 * record that decision in a row of its own without naming the rule.
 *
 * What §4 asks that the scheme's data cannot show is left out: the trust's income (a dedicated
 * audit committee above £50m), meetings and who sits on committees (ST-11); a balanced, minuted
 * budget and the 14-day deficit notice (ST-12); the financial delegation document itself (ST-13);
 * the web page and the chairs of the board and its committees (ST-14: only the individual boards'
 * chairs are known); each transaction's declaration and approval (ST-15); whether consent was
 * obtained (ST-17: only the row's mark); the pay process (ST-18); admissions dates and appeals
 * (ST-20); the 15-day limit and review panels (ST-21); the panel's make-up (ST-22); the named lead
 * and each school's trained DSL (ST-23).
 */
import { TIERS } from "../autonomy";
import { catalogueEntry, statutoryRuleIds } from "../catalogue";
import { longDate, monthsAfter } from "../dates";
import type { DecisionCode } from "../codes";
import { baseCode, byArea, byTierOrder, cellKey, forbiddenReason, mayDecide, type Scheme, type SchemeColumn, type SchemeRow, type Variant } from "../scheme";
import type { BodyKind } from "../structure";
import type { Finding, FindingCell, FindingFix, Rule, RuleContext, Severity } from "./types";

/** What every finding of one rule shares: domain.md's id, why it matters and where that comes from. */
interface Law {
  id: string;
  title: string;
  /** The regulation, in a sentence. */
  rationale: string;
  source: string;
}

function finding(
  law: Law,
  severity: Severity,
  message: string,
  about: { cells?: FindingCell[]; rowIds?: string[]; schoolIds?: string[]; fix?: FindingFix | null } = {},
): Finding {
  return {
    ruleId: law.id,
    family: "statutory",
    severity,
    message,
    rationale: law.rationale,
    source: law.source,
    cells: about.cells ?? [],
    rowIds: about.rowIds ?? [],
    schoolIds: about.schoolIds ?? [],
    fix: about.fix ?? null,
  };
}

// ---------------------------------------------------------------- words

function quoted(row: SchemeRow): string {
  return `${row.ref} "${row.title}"`;
}

function listed(names: string[], last: "and" | "or"): string {
  if (names.length <= 1) return names[0] ?? "";
  return `${names.slice(0, -1).join(", ")} ${last} ${names[names.length - 1]}`;
}

function bodies(columns: SchemeColumn[], last: "and" | "or" = "and"): string {
  return listed(columns.map((c) => c.name), last);
}

// ---------------------------------------------------------------- finding the rows and bodies

/** The rows a rule governs: the default catalogue's rows by key, and any row carrying the rule's id. */
function rowsUnder(scheme: Scheme, ruleId: string, keys: readonly string[]): SchemeRow[] {
  return scheme.rows
    .filter((row) => (row.catalogueKey !== null && keys.includes(row.catalogueKey)) || statutoryRuleIds(row.statutoryRule).includes(ruleId))
    .sort(byArea);
}

/** The columns of these kinds, the first kind's first, each kind in tier order. */
function columnsOf(scheme: Scheme, kinds: readonly BodyKind[]): SchemeColumn[] {
  return kinds.flatMap((kind) => scheme.columns.filter((c) => c.kind === kind).sort(byTierOrder));
}

/** Committees are columns whose names say what they are: "Audit & Risk Committee", "Finance, Audit and Risk". */
function auditCommittees(scheme: Scheme): SchemeColumn[] {
  return columnsOf(scheme, ["committee"]).filter((c) => /audit/i.test(c.name) || /audit|^arc$/i.test(c.shortName ?? ""));
}

/** The warning for a rule whose rows the trust's catalogue lacks (or has retired). */
function noRows(law: Law, keys: readonly string[], what: string): Finding {
  const titles = keys.map((key) => catalogueEntry(key)?.title).filter((t): t is string => Boolean(t));
  const add = titles.length > 0 ? ` Add ${listed(titles.map((t) => `"${t}"`), "or")} from the default catalogue, or mark the trust's own row with ${law.id}.` : "";
  return finding(law, "warning", `The scheme has no row for ${what} (${law.id}), so nothing shows who decides it.${add}`);
}

// ---------------------------------------------------------------- where a row's D sits

/** Who may hold a row's D, and who may take no part in it at all. */
interface Placement {
  /** The columns that may hold the D, the one a fix gives it to first. Empty: another finding says the body is missing. */
  deciders: SchemeColumn[];
  /** Kinds that may neither decide nor recommend, and why, in a sentence. */
  noPart?: { kinds: BodyKind[]; why: string };
}

interface Misplacement {
  /** Columns holding D that may not. */
  misplaced: SchemeColumn[];
  /** Columns holding D that may. */
  rightly: SchemeColumn[];
  /** Columns recommending that may take no part. */
  recommending: SchemeColumn[];
}

type CodeOf = (column: SchemeColumn) => DecisionCode | null;

function misplacement(scheme: Scheme, placement: Placement, codeOf: CodeOf): Misplacement | null {
  const deciding = scheme.columns.filter((c) => codeOf(c) === "D").sort(byTierOrder);
  const allowed = new Set(placement.deciders.map((c) => c.id));
  const shut = placement.noPart?.kinds ?? [];
  const found: Misplacement = {
    misplaced: deciding.filter((c) => !allowed.has(c.id)),
    rightly: deciding.filter((c) => allowed.has(c.id)),
    recommending: scheme.columns.filter((c) => shut.includes(c.kind) && codeOf(c) === "R").sort(byTierOrder),
  };
  const fine = found.misplaced.length === 0 && found.rightly.length > 0 && found.recommending.length === 0;
  return fine ? null : found;
}

function placementMessage(row: SchemeRow, placement: Placement, found: Misplacement): string {
  const who = bodies(placement.deciders, "or");
  const parts: string[] = [];
  if (found.misplaced.length > 0) {
    parts.push(`${quoted(row)} is decided by ${bodies(found.misplaced)}, but only ${who} may decide it.`);
  } else if (found.rightly.length === 0) {
    parts.push(`Nobody decides ${quoted(row)}: ${who} must hold its D.`);
  }
  if (found.recommending.length > 0) {
    const holds = found.recommending.length === 1 ? "holds" : "hold";
    const subject = parts.length > 0 ? "it" : quoted(row);
    parts.push(`${bodies(found.recommending)} ${holds} R on ${subject}, but may take no part in it.`);
  }
  const shut = placement.noPart?.kinds ?? [];
  const shutOut = [...found.misplaced, ...found.recommending].some((c) => shut.includes(c.kind));
  if (shutOut && placement.noPart) parts.push(placement.noPart.why);
  return parts.join(" ");
}

/**
 * One edit of the base matrix that clears the misplacement: D to the body that may hold it, a
 * misplaced D turned into a recommendation where that body may recommend (a committee may
 * recommend the budget), and recommendations from bodies that may take no part cleared.
 */
function placementFix(row: SchemeRow, placement: Placement, found: Misplacement): FindingFix | null {
  const target = found.rightly[0] ?? placement.deciders[0];
  if (!target || !mayDecide(row, target.kind)) return null;
  const shut = placement.noPart?.kinds ?? [];
  const mayRecommend = (c: SchemeColumn) => !shut.includes(c.kind) && forbiddenReason(row, c.kind, "R") === null;
  const cells: FindingFix["cells"] = [];
  if (found.rightly.length === 0) cells.push({ rowId: row.id, columnId: target.id, code: "D" });
  for (const c of found.misplaced) cells.push({ rowId: row.id, columnId: c.id, code: mayRecommend(c) ? "R" : null });
  for (const c of found.recommending) cells.push({ rowId: row.id, columnId: c.id, code: null });
  const label =
    found.rightly.length === 0
      ? `Give D to ${target.name}`
      : found.misplaced.length > 0
        ? `Keep D with ${target.name} only`
        : `Take ${bodies(found.recommending)} off ${row.ref}`;
  return { label, cells };
}

function placementCells(row: SchemeRow, placement: Placement, found: Misplacement, schoolId: string | null): FindingCell[] {
  const columns = [...found.misplaced, ...found.recommending];
  // Nobody decides: point at where the D belongs.
  if (found.misplaced.length === 0 && found.rightly.length === 0) columns.unshift(...placement.deciders);
  return columns.map((c) => ({ rowId: row.id, columnId: c.id, schoolId }));
}

/** A tier's variants or a school's variations that change this row, as the row's codes there. */
interface Layer {
  /** "In tier T4", "For Abbey Primary". */
  where: string;
  schoolId: string | null;
  codeOf: CodeOf;
}

function layersOf(scheme: Scheme, row: SchemeRow, base: CodeOf): Layer[] {
  // Locked rows never vary with a tier or a school (effectiveCells): only the base counts.
  if (row.locked) return [];
  const over = (variants: Record<string, Variant> | undefined): CodeOf | null => {
    if (!variants || !scheme.columns.some((c) => cellKey(row.id, c.id) in variants)) return null;
    return (c) => {
      const variant = variants[cellKey(row.id, c.id)];
      return variant ? variant.code : base(c);
    };
  };
  const layers: Layer[] = [];
  for (const tier of TIERS) {
    const codeOf = over(scheme.tierCells[tier]);
    if (codeOf) layers.push({ where: `In tier ${tier}`, schoolId: null, codeOf });
  }
  for (const school of scheme.schools) {
    const codeOf = over(scheme.schoolCells[school.id]);
    if (codeOf) layers.push({ where: `For ${school.name}`, schoolId: school.id, codeOf });
  }
  return layers;
}

function sameProblem(a: Misplacement | null, b: Misplacement | null): boolean {
  const ids = (m: Misplacement | null) => (m ? [m.misplaced, m.rightly, m.recommending].map((cs) => cs.map((c) => c.id).join(",")).join("|") : "");
  return ids(a) === ids(b);
}

/**
 * The row's D sits with the body the law names, and nobody it keeps out decides or recommends:
 * in the base matrix (with its fix) and in any tier's or school's variation of an unlocked row.
 */
function checkPlacement(law: Law, severity: Severity, scheme: Scheme, row: SchemeRow, placement: Placement): Finding[] {
  if (placement.deciders.length === 0) return [];
  const base: CodeOf = (c) => baseCode(scheme, row.id, c.id);
  const findings: Finding[] = [];
  const inBase = misplacement(scheme, placement, base);
  if (inBase) {
    findings.push(
      finding(law, severity, placementMessage(row, placement, inBase), {
        cells: placementCells(row, placement, inBase, null),
        rowIds: [row.id],
        fix: placementFix(row, placement, inBase),
      }),
    );
  }
  for (const layer of layersOf(scheme, row, base)) {
    const found = misplacement(scheme, placement, layer.codeOf);
    if (!found || sameProblem(found, inBase)) continue;
    // A variation is changed where it is set, not by an edit of the base matrix: no fix here.
    findings.push(
      finding(law, severity, `${layer.where}: ${placementMessage(row, placement, found)}`, {
        cells: placementCells(row, placement, found, layer.schoolId),
        rowIds: [row.id],
        schoolIds: layer.schoolId ? [layer.schoolId] : [],
      }),
    );
  }
  return findings;
}

// ---------------------------------------------------------------- the rules that place a D

interface PlacementLaw extends Law {
  /** Error for a "must", warning for a "should" (domain.md §4's Type). */
  severity: Severity;
  /** The default catalogue's rows that carry the rule. */
  keys: string[];
  /** What the rows decide, for the warning when the scheme has none: "approving the trust budget". */
  what: string;
  placement(scheme: Scheme, row: SchemeRow): Placement;
  /** The rule's other checks, run before the rows'. */
  also?(context: RuleContext, rows: SchemeRow[]): Finding[];
}

function placementRule(law: PlacementLaw): Rule {
  return {
    id: law.id,
    family: "statutory",
    title: law.title,
    check(context) {
      const rows = rowsUnder(context.scheme, law.id, law.keys);
      const others = law.also?.(context, rows) ?? [];
      if (rows.length === 0) return [...others, noRows(law, law.keys, law.what)];
      return [...others, ...rows.flatMap((row) => checkPlacement(law, law.severity, context.scheme, row, law.placement(context.scheme, row)))];
    },
  };
}

const atBoard = (scheme: Scheme): Placement => ({ deciders: columnsOf(scheme, ["board"]) });

const membersPowers: PlacementLaw = {
  id: "ST-04",
  title: "The members' reserved powers sit with the members",
  severity: "error",
  keys: ["STAT-G3", "STAT-F3"],
  what: "the members' reserved powers",
  rationale:
    "The articles and company law reserve some powers to the members: appointing and removing trustees, amending the articles, appointing the auditors and receiving the accounts; nobody else may exercise them.",
  source: "Academy Trust Handbook part 1 [ATH1]; trusts' articles [FET] [ASKACLERK] [MANOR]",
  // The accounts row is shared: the board approves the accounts, the members appoint the auditor.
  placement: (scheme, row) => ({ deciders: columnsOf(scheme, row.catalogueKey === "STAT-F3" ? ["members", "board"] : ["members"]) }),
  also(context, rows) {
    if (columnsOf(context.scheme, ["members"]).length > 0) return [];
    return [
      finding(
        membersPowers,
        "error",
        "The scheme has no Members column, so the powers reserved to the members (appointing trustees, amending the articles, appointing the auditors, receiving the accounts) sit with nobody. Add a Members column to the structure.",
        { rowIds: rows.map((r) => r.id) },
      ),
    ];
  },
};

const auditAndRisk: PlacementLaw = {
  id: "ST-11",
  title: "An audit and risk committee exists and holds the audit rows",
  severity: "error",
  keys: ["STAT-F6"],
  what: "the internal scrutiny programme and risk register",
  rationale:
    "Every trust must have an audit and risk committee appointed by the board; it agrees the internal scrutiny programme, oversees the risk register and reports to the board.",
  source: "Academy Trust Handbook 3.6–3.7 [KEY-ARC] [PB-ARC] [KEY-IS]",
  placement(scheme) {
    const audit = auditCommittees(scheme);
    // Without one, the missing committee is the finding; any committee may hold the row till then.
    return { deciders: audit.length > 0 ? [...audit, ...columnsOf(scheme, ["board"])] : columnsOf(scheme, ["board", "committee"]) };
  },
  also(context, rows) {
    if (auditCommittees(context.scheme).length > 0) return [];
    const committees = columnsOf(context.scheme, ["committee"]);
    const has = committees.length > 0 ? ` Its committees are ${bodies(committees)}.` : " It has no committees.";
    return [
      finding(
        auditAndRisk,
        "error",
        `The scheme has no audit and risk committee: no committee's name mentions audit.${has} Add one (e.g. "Audit & Risk Committee"), or rename a combined committee to say it covers audit.`,
        { rowIds: rows.map((r) => r.id) },
      ),
    ];
  },
};

const budget: PlacementLaw = {
  id: "ST-12",
  title: "The full board approves the trust budget",
  severity: "error",
  keys: ["STAT-F1"],
  what: "approving the trust budget",
  rationale:
    "The full board must approve a balanced budget each year and minute it; a committee may recommend the budget but cannot approve it.",
  source: "Academy Trust Handbook 2.9–2.11 [KEY-BUDGET] [KEY-COMP]; funding agreement [DCAT-FA]",
  placement: atBoard,
};

const financialDelegation: PlacementLaw = {
  id: "ST-13",
  title: "The board approves the scheme of financial delegation",
  severity: "error",
  keys: ["STAT-F2"],
  what: "approving the scheme of financial delegation",
  rationale:
    "A written scheme of financial delegation must be approved by the board and reviewed every year; the board cannot delegate overall responsibility for the trust's finances.",
  source: "Academy Trust Handbook 2.4 [KEY-SOFD]",
  placement: atBoard,
};

const PUBLICATION_RATIONALE =
  "The scheme of delegation and a governance summary with the full names of the chairs must be published on the trust's website, and the scheme should be reviewed every year and after any change of structure.";

const reviewAndPublication: PlacementLaw = {
  id: "ST-14",
  title: "The scheme is approved by the board, reviewed in time and published with its chairs",
  severity: "error",
  keys: ["STAT-G4", "STAT-C1"],
  what: "approving, reviewing and publishing the scheme of delegation",
  rationale: PUBLICATION_RATIONALE,
  source: "Academy Trust Handbook 1.44 and 2.4 [KEY-WRITE] [SWA]",
  // Approving the scheme is the board's; publishing it may be done by a committee or the executive.
  placement: (scheme, row) => ({ deciders: columnsOf(scheme, row.catalogueKey === "STAT-G4" ? ["board"] : ["board", "committee", "executive"]) }),
  also: (context) => [...reviewDate(context), ...unnamedChairs(context)],
};

/** The version's review date: set, not past, and no further off than the trust's review cycle. */
function reviewDate({ scheme, settings, today }: RuleContext): Finding[] {
  const { status, reviewDueOn, approvedOn } = scheme.version;
  // A superseded version is no longer the scheme anyone follows.
  if (status === "superseded") return [];
  const months = settings.reviewMonths;
  // A draft is given its review date when it is approved (the approval asks for it).
  if (!reviewDueOn && status === "draft") return [];
  if (!reviewDueOn) {
    return [finding(reviewAndPublication, "warning", `This version of the scheme has no review date: set one no more than ${months} months ahead.`)];
  }
  if (reviewDueOn < today) {
    return [finding(reviewAndPublication, "warning", `The scheme's review was due on ${longDate(reviewDueOn)} and is overdue: review it and set the next date.`)];
  }
  const from = approvedOn ?? today;
  const latest = monthsAfter(from, months);
  if (reviewDueOn > latest) {
    const since = approvedOn ? `its approval on ${longDate(approvedOn)}` : "today";
    return [
      finding(
        reviewAndPublication,
        "warning",
        `The scheme's review date, ${longDate(reviewDueOn)}, is more than ${months} months after ${since}: review it by ${longDate(latest)}.`,
      ),
    ];
  }
  return [];
}

/** The published governance summary names every chair; the scheme knows the chairs of the individual boards. */
function unnamedChairs({ scheme }: RuleContext): Finding[] {
  const unnamed = scheme.boards.filter((b) => !b.chairName?.trim()).map((b) => b.name).sort((a, b) => a.localeCompare(b, "en-GB"));
  if (unnamed.length === 0) return [];
  const shown = unnamed.length > 5 ? `${unnamed.slice(0, 5).join(", ")} and ${unnamed.length - 5} more` : listed(unnamed, "and");
  const count = unnamed.length === 1 ? "1 board has" : `${unnamed.length} boards have`;
  return [
    finding(
      reviewAndPublication,
      "warning",
      `${count} no chair's name (${shown}): the published governance summary must give the full name of each chair.`,
    ),
  ];
}

const relatedParties: PlacementLaw = {
  id: "ST-15",
  title: "Related party transactions are decided by the board or its committee",
  severity: "error",
  keys: ["STAT-F4"],
  what: "related party transactions",
  rationale:
    "Every related party transaction must be declared before it is agreed, one over £40,000 needs the DfE's prior approval, and all are disclosed in the accounts: a decision for the board or its committee, not a local board or headteacher.",
  source: "Related party transactions guidance [RPT]; Academy Trust Handbook",
  placement: (scheme) => ({
    deciders: columnsOf(scheme, ["board", "committee"]),
    noPart: { kinds: ["local", "school"], why: "Local boards and headteachers take no part in approving related party transactions." },
  }),
};

const land: PlacementLaw = {
  id: "ST-17",
  title: "Land transactions are decided by the board with the Secretary of State's consent",
  severity: "error",
  keys: ["STAT-F5"],
  what: "land and lease transactions",
  rationale:
    "Disposing of or acquiring land, including leases and tenancies, needs the Secretary of State's consent, so the board decides and the scheme shows that consent is needed.",
  source: "Academy Trust Handbook part 5 [ATH5]; [STONEKING] [LGL-LAND]",
  placement: atBoard,
  also: (_context, rows) =>
    rows
      .filter((row) => !row.externalApproval)
      .map((row) =>
        finding(land, "error", `${quoted(row)} does not say that it needs outside approval: land and lease transactions need the Secretary of State's consent. Mark the row "needs external approval".`, {
          rowIds: [row.id],
        }),
      ),
};

const executivePay: PlacementLaw = {
  id: "ST-18",
  title: "The full board decides executive pay; the executive takes no part in its own",
  severity: "error",
  keys: ["STAT-L1"],
  what: "the CEO's appointment, appraisal and pay",
  rationale:
    "Executive pay needs a robust, evidence-based process in which nobody decides their own pay; the full board approves the final decision even when a remuneration committee recommends it.",
  source: "Setting executive salaries [EXECPAY] [CST-PAY] [KEY-PAY]",
  placement: (scheme) => ({
    deciders: columnsOf(scheme, ["board"]),
    noPart: { kinds: ["executive"], why: "Nobody decides or recommends their own pay: the CEO and the executive take no part." },
  }),
};

const admissions: PlacementLaw = {
  id: "ST-20",
  title: "The board determines admission arrangements",
  severity: "error",
  keys: ["STAT-P1"],
  what: "determining admission arrangements",
  rationale:
    "The academy trust is the admission authority: its board determines the admission arrangements by 28 February, after consultation where they change; local boards may recommend or be consulted.",
  source: "School Admissions Code [KEY-ADM] [RKLT-ADM] [PRIORY]",
  placement: atBoard,
};

const exclusions: PlacementLaw = {
  id: "ST-21",
  title: "Exclusions are reviewed by a governing body, not the headteacher",
  severity: "error",
  keys: ["STAT-P2"],
  what: "reviewing suspensions and permanent exclusions",
  rationale:
    "The board, or a committee or local board panel it delegates to, must consider reinstatement within 15 school days; the headteacher who excluded the pupil cannot review the decision.",
  source: "Suspension and permanent exclusion guidance [RBKC] [EXCLHUB] [KEY-EXCL]",
  placement: (scheme) => ({
    deciders: columnsOf(scheme, ["board", "committee", "local"]),
    noPart: { kinds: ["school"], why: "The headteacher who excluded the pupil cannot review the exclusion." },
  }),
};

const complaints: PlacementLaw = {
  id: "ST-22",
  title: "The final stage of complaints is heard by a panel of a body, not the headteacher",
  severity: "error",
  keys: ["STAT-P3"],
  what: "hearing complaints at the final stage",
  rationale:
    "A complaint's final stage is heard by a panel of at least three people not directly involved, one of them independent of the management and running of the school, so it cannot rest with the headteacher or the executive alone.",
  source: "Independent School Standards, Part 7 [TAMARIND]",
  placement: (scheme) => ({
    deciders: columnsOf(scheme, ["board", "committee", "local"]),
    noPart: { kinds: ["school"], why: "School leaders are directly involved, so they cannot sit on the panel." },
  }),
};

const safeguarding: PlacementLaw = {
  id: "ST-23",
  title: "Safeguarding has a lead at board level",
  severity: "warning",
  keys: ["STAT-P4"],
  what: "safeguarding policy and the board safeguarding lead",
  rationale:
    "The trust, as proprietor, should have a senior board-level lead for safeguarding and approves the safeguarding policy; every school needs a trained designated safeguarding lead.",
  source: "Keeping children safe in education [KCSIE-SOLGRID] [COOP-SG]",
  placement: (scheme) => ({ deciders: columnsOf(scheme, ["board", "committee"]) }),
};

// ---------------------------------------------------------------- the members receive the accounts

const accountsToMembers: Law = {
  id: "ST-24",
  title: "The members receive the annual report and accounts",
  rationale: "The members must receive the trust's audited annual report and accounts.",
  source: "Academy Trust Handbook 1.7 [ATH1]",
};

/**
 * Every accounts row gives the members a part (I at least). The members' reserved-powers row also
 * carries ST-24; ST-04 already holds it to the members' D, so it counts only for the row being there.
 */
function checkAccountsToMembers({ scheme }: RuleContext): Finding[] {
  const rows = rowsUnder(scheme, accountsToMembers.id, ["STAT-F3"]);
  if (rows.length === 0) return [noRows(accountsToMembers, ["STAT-F3"], "the annual report and accounts")];
  const members = columnsOf(scheme, ["members"])[0];
  // No Members column is ST-04's finding.
  if (!members) return [];
  return rows
    .filter((row) => row.catalogueKey !== "STAT-G3")
    .filter((row) => {
      const code = baseCode(scheme, row.id, members.id);
      return !code || code === "—";
    })
    .map((row) =>
      finding(accountsToMembers, "error", `${members.name} have no part in ${quoted(row)}: the members must receive the annual report and accounts.`, {
        cells: [{ rowId: row.id, columnId: members.id, schoolId: null }],
        rowIds: [row.id],
        fix: { label: `Give I to ${members.name}`, cells: [{ rowId: row.id, columnId: members.id, code: "I" }] },
      }),
    );
}

export const statutoryRules: Rule[] = [
  placementRule(membersPowers),
  placementRule(auditAndRisk),
  placementRule(budget),
  placementRule(financialDelegation),
  placementRule(reviewAndPublication),
  placementRule(relatedParties),
  placementRule(land),
  placementRule(executivePay),
  placementRule(admissions),
  placementRule(exclusions),
  placementRule(complaints),
  placementRule(safeguarding),
  { id: accountsToMembers.id, family: "statutory", title: accountsToMembers.title, check: checkAccountsToMembers },
];
