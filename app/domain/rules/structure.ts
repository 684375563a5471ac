/**
 * Checks of the scheme against itself: one decider per row and school, advisory bodies that decide,
 * rows nobody decides, columns that cover no school, codes the row's constraints forbid, monitoring
 * duplicated across tiers, and schools left outside a cluster tier the scheme relies on.
 *
 * A school's own scheme (effectiveCells) is checked only where it differs from the base, so that a
 * problem of the base matrix is reported once, not once per school. Tier variants join once schools
 * carry their autonomy tier; until then a school's scheme is the base and its own variations.
 */
import { CODE_MEANINGS, NOT_PERMITTED, type DecisionCode } from "../codes";
import {
  cellKey,
  codeLookup,
  effectiveCells,
  forbiddenReason,
  mayDecide,
  splitCellKey,
  type Cell,
  type CodeLookup,
  type Scheme,
  type SchemeBoard,
  type SchemeColumn,
  type SchemeRow,
  type SchemeSchool,
} from "../scheme";
import type { ImprovementModel } from "../strategy";
import { baseCodes, type Finding, type FindingCell, type FindingFix, type Rule } from "./types";

const FAMILY = "structure" as const;

/** How many rows or names a message spells out before "and n more"; the finding's lists carry them all. */
const SHOWN = 4;

/** A code that gives the body a part in the row ("—" only marks a cell closed). */
function takesPart(code: DecisionCode | null): code is DecisionCode {
  return code !== null && code !== NOT_PERMITTED;
}

function holding(scheme: Scheme, code: CodeLookup, rowId: string, wanted: DecisionCode): SchemeColumn[] {
  return scheme.columns.filter((column) => code(rowId, column.id) === wanted);
}

function rowName(row: SchemeRow): string {
  return `${row.ref} ${row.title}`;
}

/** "A", "A and B", "A, B and C", "A, B, C, D and 3 more". */
function names(items: string[]): string {
  if (items.length > SHOWN) return `${items.slice(0, SHOWN).join(", ")} and ${items.length - SHOWN} more`;
  if (items.length <= 1) return items[0] ?? "";
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

/** Rows are listed with semicolons, since their titles carry commas. */
function rowList(rows: SchemeRow[]): string {
  const shown = rows.slice(0, SHOWN).map(rowName).join("; ");
  return rows.length > SHOWN ? `${shown} and ${rows.length - SHOWN} more` : shown;
}

function count(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function the(column: SchemeColumn): string {
  return `the ${column.name}`;
}

/** "the A and the B both decide", "the A, the B and the C all decide". */
function together(columns: SchemeColumn[], verb: string): string {
  return `${names(columns.map(the))} ${columns.length === 2 ? "both" : "all"} ${verb}`;
}

function finding(
  rule: Pick<Rule, "id">,
  severity: Finding["severity"],
  fields: Pick<Finding, "message" | "rationale" | "source" | "cells" | "rowIds" | "schoolIds" | "fix">,
): Finding {
  return { ruleId: rule.id, family: FAMILY, severity, ...fields };
}

/** The individual board a school has under a column (its cluster or its local board), if any. */
function boardOf(school: SchemeSchool, column: SchemeColumn, boards: Map<string, SchemeBoard>): SchemeBoard | null {
  for (const id of [school.clusterBodyId, school.localBodyId]) {
    const board = id ? boards.get(id) : undefined;
    if (board && board.columnId === column.id) return board;
  }
  return null;
}

/** The columns some school's cluster or local board answers under. */
function coveredColumns(scheme: Scheme): Set<string> {
  const boards = new Map(scheme.boards.map((b) => [b.id, b]));
  const covered = new Set<string>();
  for (const school of scheme.schools) {
    for (const id of [school.clusterBodyId, school.localBodyId]) {
      const columnId = id ? boards.get(id)?.columnId : null;
      if (columnId) covered.add(columnId);
    }
  }
  return covered;
}

interface SchoolScheme {
  school: SchemeSchool;
  code: CodeLookup;
  /** The only rows where this school's scheme can differ from the base. */
  rowIds: string[];
}

/**
 * Each validation's schools' schemes, by its base lookup: validateScheme makes that lookup once for
 * all the rules, so the five rules that read the schools' schemes share one working out of them.
 */
const schoolSchemes = new WeakMap<CodeLookup, SchoolScheme[]>();

/**
 * The schools with variations of their own, each with its effective scheme. effectiveCells runs on
 * the rows the variations touch only (the rest are the base's), so a hundred schools do not copy
 * the whole matrix a hundred times.
 */
function varyingSchools(scheme: Scheme, base: CodeLookup): SchoolScheme[] {
  let found = schoolSchemes.get(base);
  if (!found) schoolSchemes.set(base, (found = schoolSchemesOf(scheme, base)));
  return found;
}

function schoolSchemesOf(scheme: Scheme, base: CodeLookup): SchoolScheme[] {
  return scheme.schools.flatMap((school) => {
    const variations = scheme.schoolCells[school.id];
    const keys = variations ? Object.keys(variations) : [];
    if (keys.length === 0) return [];
    const touched = new Set(keys.map((key) => splitCellKey(key).rowId));
    const baseOfTouched: Record<string, Cell> = {};
    for (const rowId of touched) {
      for (const column of scheme.columns) {
        const cell = scheme.cells[cellKey(rowId, column.id)];
        if (cell) baseOfTouched[cellKey(rowId, column.id)] = cell;
      }
    }
    const own = codeLookup(effectiveCells({ ...scheme, cells: baseOfTouched }, school.id, null));
    const code: CodeLookup = (rowId, columnId) => (touched.has(rowId) ? own(rowId, columnId) : base(rowId, columnId));
    return [{ school, code, rowIds: [...touched] }];
  });
}

interface SchoolGroup<T> {
  row: SchemeRow;
  found: T;
  schools: SchemeSchool[];
}

/**
 * Where schools' own schemes show a problem the base does not (or a different one), grouped by row
 * and by what they show, so that ten schools with the same variation make one finding. `probe`
 * returns the problem on a row in some cells, or null; `key` tells two problems apart.
 */
function schoolGroups<T>(scheme: Scheme, base: CodeLookup, probe: (row: SchemeRow, code: CodeLookup) => T | null, key: (found: T) => string): SchoolGroup<T>[] {
  const rows = new Map(scheme.rows.map((row, index) => [row.id, { row, index }]));
  const groups = new Map<string, SchoolGroup<T> & { index: number }>();
  for (const { school, code, rowIds } of varyingSchools(scheme, base)) {
    for (const rowId of rowIds) {
      const entry = rows.get(rowId);
      if (!entry) continue;
      const found = probe(entry.row, code);
      if (found === null) continue;
      const inBase = probe(entry.row, base);
      if (inBase !== null && key(inBase) === key(found)) continue;
      const groupKey = `${rowId}\u0000${key(found)}`;
      const group = groups.get(groupKey);
      if (group) group.schools.push(school);
      else groups.set(groupKey, { row: entry.row, found, schools: [school], index: entry.index });
    }
  }
  return [...groups.values()].sort((a, b) => a.index - b.index).map(({ row, found, schools }) => ({ row, found, schools }));
}

function schoolCells(rowId: string, columns: SchemeColumn[], schools: SchemeSchool[]): FindingCell[] {
  return schools.flatMap((school) => columns.map((column) => ({ rowId, columnId: column.id, schoolId: school.id })));
}

/** A finding about some schools' own variations of one row. It has no fix: a fix edits base cells only. */
function schoolFinding(
  rule: Pick<Rule, "id">,
  severity: Finding["severity"],
  row: SchemeRow,
  columns: SchemeColumn[],
  schools: SchemeSchool[],
  text: Pick<Finding, "message" | "rationale" | "source">,
): Finding {
  return finding(rule, severity, { ...text, cells: schoolCells(row.id, columns, schools), rowIds: [row.id], schoolIds: schools.map((s) => s.id), fix: null });
}

const schoolNames = (schools: SchemeSchool[]) => names(schools.map((s) => s.name));
const variationsOf = (schools: SchemeSchool[]) => (schools.length === 1 ? "the school's" : "the schools'");

function baseCells(rowId: string, columns: SchemeColumn[]): FindingCell[] {
  return columns.map((column) => ({ rowId, columnId: column.id, schoolId: null }));
}

const columnKey = (columns: SchemeColumn[]) => columns.map((c) => c.id).join(",");

// ---------------------------------------------------------------------------------------------
// CO-12: exactly one D per row, for each school.

const twoDeciders: Rule = {
  id: "CO-12",
  family: FAMILY,
  title: "A row decided by two or more bodies",
  check(context) {
    const { scheme } = context;
    const base = baseCodes(context);
    const rationale =
      "Each decision needs exactly one body accountable for it: with two, nobody can tell whose decision stands, and the board's, committees' and local bodies' powers overlap, which the DfE's guide to trust governance asks trusts to avoid.";
    const source = "Governance in academy trusts [GIAT4]; REAch2 governance [REACH2]; domain.md §5(b) and §5(c) CO-12";
    const deciders = (row: SchemeRow, code: CodeLookup) => {
      const found = holding(scheme, code, row.id, "D");
      return found.length >= 2 ? found : null;
    };
    const both = (columns: SchemeColumn[]) => together(columns, "decide (D)");
    // No fix: which body keeps the decision is the trust's own choice of how central the row is.
    // Keeping the most central D would quietly centralise every doubled row.
    const findings = scheme.rows.flatMap((row) => {
      const found = deciders(row, base);
      if (!found) return [];
      return [
        finding(twoDeciders, "error", {
          message: `${rowName(row)}: ${both(found)}. Only one body can decide a row; keep the D where the trust wants the decision taken and give the others R, C or M.`,
          rationale,
          source,
          cells: baseCells(row.id, found),
          rowIds: [row.id],
          schoolIds: [],
          fix: null,
        }),
      ];
    });
    for (const { row, found, schools } of schoolGroups(scheme, base, deciders, columnKey)) {
      findings.push(
        schoolFinding(twoDeciders, "error", row, found, schools, {
          message: `${rowName(row)}: for ${schoolNames(schools)}, ${both(found)}, through ${variationsOf(schools)} own variations of the scheme. Only one body can decide a row for each school.`,
          rationale,
          source,
        }),
      );
    }
    return findings;
  },
};

// ---------------------------------------------------------------------------------------------
// CO-05: an advisory body cannot decide.

const advisoryDecides: Rule = {
  id: "CO-05",
  family: FAMILY,
  title: "An advisory body holds a D",
  check(context) {
    const { scheme } = context;
    const base = baseCodes(context);
    const boards = new Map(scheme.boards.map((b) => [b.id, b]));
    const varying = new Map(varyingSchools(scheme, base).map((v) => [v.school.id, v.code]));
    const findings: Finding[] = [];
    for (const column of scheme.columns) {
      const decidesInBase = (row: SchemeRow) => base(row.id, column.id) === "D";
      // The column itself is advisory: every D in it is wrong, whichever school it reaches.
      const baseRows = column.mode === "advisory" ? scheme.rows.filter(decidesInBase) : [];
      const reported = new Set(baseRows.map((r) => r.id));

      // A school's own board under this column may advise only, even where the column decides
      // (docs/decisions/003): then a D there, from the base or its variations, has it decide.
      let someBoardDecides = false;
      let allFromBase = true;
      const byBoard = new Map<string, { board: SchemeBoard; schools: SchemeSchool[]; rows: Set<string> }>();
      const cells: FindingCell[] = baseRows.map((row) => ({ rowId: row.id, columnId: column.id, schoolId: null }));
      // Most schools have no variations: the base's D rows are read once for them all.
      const decidedForMost = scheme.rows.filter((row) => decidesInBase(row) && !reported.has(row.id));
      for (const school of scheme.schools) {
        const board = boardOf(school, column, boards);
        if (!board) continue;
        if (board.mode !== "advisory") {
          someBoardDecides = true;
          continue;
        }
        const own = varying.get(school.id);
        const rows = own ? scheme.rows.filter((row) => own(row.id, column.id) === "D" && !reported.has(row.id)) : decidedForMost;
        if (rows.length === 0) continue;
        const entry = byBoard.get(board.id) ?? { board, schools: [], rows: new Set<string>() };
        byBoard.set(board.id, entry);
        entry.schools.push(school);
        for (const row of rows) {
          entry.rows.add(row.id);
          cells.push({ rowId: row.id, columnId: column.id, schoolId: school.id });
          if (!decidesInBase(row)) allFromBase = false;
        }
      }
      if (baseRows.length === 0 && byBoard.size === 0) continue;

      // Boards showing the same rows share a sentence, so a column of a hundred advisory boards reads as one.
      const sentences = new Map<string, { boards: SchemeBoard[]; schools: SchemeSchool[]; rows: SchemeRow[] }>();
      for (const { board, schools, rows } of byBoard.values()) {
        const ordered = scheme.rows.filter((r) => rows.has(r.id));
        const key = ordered.map((r) => r.id).join(",");
        const sentence = sentences.get(key) ?? { boards: [], schools: [], rows: ordered };
        sentences.set(key, sentence);
        sentence.boards.push(board);
        sentence.schools.push(...schools);
      }
      const parts: string[] = [];
      if (baseRows.length > 0) parts.push(`The ${column.name} is advisory, yet decides (D) ${rowList(baseRows)}.`);
      for (const { boards: advising, schools, rows } of sentences.values()) {
        const one = advising.length === 1;
        parts.push(
          `${names(advising.map((b) => b.name))} ${one ? "is" : "are"} advisory, yet ${one ? "holds" : "hold"} the ${column.name}'s D on ${rowList(rows)} for ${names(schools.map((s) => s.name))}.`,
        );
      }

      const atBoards = new Set([...byBoard.values()].flatMap((e) => [...e.rows]));
      const rows = scheme.rows.filter((r) => reported.has(r.id) || atBoards.has(r.id));
      const schoolIds = [...new Set([...byBoard.values()].flatMap((e) => e.schools.map((s) => s.id)))];
      // An advisory body recommends to the body that decides, so R is the natural code. The base can
      // only be changed when no board under the column decides (it would lose its D) and every D
      // comes from the base (a school's own variation is not a base cell).
      const fix: FindingFix | null =
        someBoardDecides || !allFromBase
          ? null
          : {
              label: `Make ${the(column)} recommend (R) instead of deciding, on ${count(rows.length, "row")}`,
              cells: rows.map((row) => ({ rowId: row.id, columnId: column.id, code: forbiddenReason(row, column.kind, "R") ? null : ("R" as const) })),
            };
      findings.push(
        finding(advisoryDecides, "error", {
          message: parts.join(" "),
          rationale:
            "An advisory body has no delegated powers: it advises and recommends to the body that decides. A D there hands a decision to a body that cannot take it, so in practice nobody does.",
          source: "Academies Enterprise Trust governance [AET]; NCTL, Governance in multi-academy trusts [NCTL2014]; domain.md §5(c) CO-05",
          cells,
          rowIds: rows.map((r) => r.id),
          schoolIds,
          fix,
        }),
      );
    }
    return findings;
  },
};

// ---------------------------------------------------------------------------------------------
// SOD-01 and SOD-02: rows nobody decides, and rows not yet worked through.

const NO_D_RATIONALE =
  "Every decision in the scheme needs a body that takes it. Where a power is not expressly delegated it stays with the board, so a row with parts but no D leaves readers guessing who decides.";
const NO_D_SOURCE = "The Golden Thread scheme of delegation [GOLDEN]; South East Cornwall MAT [SECORN]; domain.md §5(b) (D: exactly one per row)";

/** The one column that may decide this row, where its constraints leave exactly one (an advisory body never may). */
function onlyDecider(scheme: Scheme, row: SchemeRow): SchemeColumn | null {
  const candidates = scheme.columns.filter((c) => c.mode !== "advisory" && mayDecide(row, c.kind));
  return candidates.length === 1 ? candidates[0]! : null;
}

const isEmpty = (scheme: Scheme, code: CodeLookup, row: SchemeRow) => !scheme.columns.some((c) => takesPart(code(row.id, c.id)));

const noDecider: Rule = {
  id: "SOD-01",
  family: FAMILY,
  title: "A row that nobody decides",
  check(context) {
    const { scheme } = context;
    const base = baseCodes(context);
    const findings = scheme.rows.flatMap((row) => {
      if (isEmpty(scheme, base, row) || holding(scheme, base, row.id, "D").length > 0) return [];
      const parts = scheme.columns.filter((c) => takesPart(base(row.id, c.id)));
      const decider = onlyDecider(scheme, row);
      return [
        finding(noDecider, "warning", {
          message: `${rowName(row)}: nobody decides it. ${capitalised(names(parts.map(the)))} ${parts.length === 1 ? "has a part" : "have parts"}, but no body holds the D.`,
          rationale: NO_D_RATIONALE,
          source: NO_D_SOURCE,
          cells: parts.map((c) => ({ rowId: row.id, columnId: c.id, schoolId: null })),
          rowIds: [row.id],
          schoolIds: [],
          // Only offered where the row's constraints leave a single body that may decide it.
          fix: decider ? { label: `Give the D to ${the(decider)}`, cells: [{ rowId: row.id, columnId: decider.id, code: "D" }] } : null,
        }),
      ];
    });
    // A school's own variations can take the base's D away from it.
    const noneDecides = (row: SchemeRow, code: CodeLookup) => (holding(scheme, code, row.id, "D").length === 0 ? "none" : null);
    for (const { row, schools } of schoolGroups(scheme, base, noneDecides, (found) => found)) {
      const decided = holding(scheme, base, row.id, "D");
      findings.push(
        schoolFinding(noDecider, "warning", row, decided, schools, {
          message: `${rowName(row)}: nobody decides it for ${schoolNames(schools)}: ${variationsOf(schools)} own variations take the D from ${names(decided.map(the))}.`,
          rationale: NO_D_RATIONALE,
          source: NO_D_SOURCE,
        }),
      );
    }
    return findings;
  },
};

const notYetAssigned: Rule = {
  id: "SOD-02",
  family: FAMILY,
  title: "Rows not yet assigned",
  check(context) {
    const { scheme } = context;
    const base = baseCodes(context);
    // One finding for them all: a new draft starts with most rows empty, and that is work to do, not a fault per row.
    const empty = scheme.rows.filter((row) => isEmpty(scheme, base, row));
    if (empty.length === 0) return [];
    return [
      finding(notYetAssigned, "info", {
        message: `${count(empty.length, "row is", "rows are")} not yet assigned: ${rowList(empty)}. Until a row has its codes, the scheme says nothing about who decides it.`,
        rationale: "A row with no codes has not been worked through yet; where a power is not delegated it stays with the board, which is rarely what a trust means by an empty row.",
        source: "The Golden Thread scheme of delegation [GOLDEN]; domain.md §5(b)",
        cells: [],
        rowIds: empty.map((r) => r.id),
        schoolIds: [],
        fix: null,
      }),
    ];
  },
};

// ---------------------------------------------------------------------------------------------
// SOD-03: a cluster or local column that covers no school.

const uncoveredColumn: Rule = {
  id: "SOD-03",
  family: FAMILY,
  title: "A cluster or local column with codes but no school under it",
  check(context) {
    const { scheme } = context;
    const base = baseCodes(context);
    const covered = coveredColumns(scheme);
    return scheme.columns.flatMap((column) => {
      if ((column.kind !== "cluster" && column.kind !== "local") || covered.has(column.id)) return [];
      const rows = scheme.rows.filter((row) => takesPart(base(row.id, column.id)));
      if (rows.length === 0) return [];
      return [
        finding(uncoveredColumn, "warning", {
          message: `No school has a board under ${the(column)}, yet it has a part in ${count(rows.length, "row")}: ${rowList(rows)}. Give the schools their boards under it on the structure page, or clear its cells.`,
          rationale:
            "A column covering no school gives decisions and work to a body that no school has, so they fall to nobody. The scheme should describe the trust's structure as it is, and be reviewed when that structure changes.",
          source: "How to write your scheme of delegation [KEY-WRITE]; domain.md §1.2 (cluster and local tiers)",
          cells: rows.map((row) => ({ rowId: row.id, columnId: column.id, schoolId: null })),
          rowIds: rows.map((r) => r.id),
          schoolIds: [],
          fix: {
            label: `Clear ${the(column)}'s ${count(rows.length, "cell")}`,
            cells: rows.map((row) => ({ rowId: row.id, columnId: column.id, code: null })),
          },
        }),
      ];
    });
  },
};

// ---------------------------------------------------------------------------------------------
// SOD-04: codes the row's constraints forbid (from an import, or constraints changed after the cells).

const FORBIDDEN_RATIONALE =
  "The row's constraints record which bodies may decide it or take part in it, often because the law or the Academy Trust Handbook says so. A code outside them usually comes from an import or from constraints changed after the cells were filled.";

function forbiddenSource(row: SchemeRow): string {
  return row.statutoryRule ? `domain.md §4 ${row.statutoryRule}` : "The row's constraints (domain.md §4 and §5(a))";
}

const forbiddenCode: Rule = {
  id: "SOD-04",
  family: FAMILY,
  title: "A code the row's constraints forbid",
  check(context) {
    const { scheme } = context;
    const base = baseCodes(context);
    const forbidden = (row: SchemeRow, lookup: CodeLookup) => {
      const found = scheme.columns.flatMap((column) => {
        const code = lookup(row.id, column.id);
        const reason = code ? forbiddenReason(row, column.kind, code) : null;
        return code && reason ? [{ column, code, reason }] : [];
      });
      return found.length > 0 ? found : null;
    };
    const describe = (found: NonNullable<ReturnType<typeof forbidden>>) =>
      `${names(found.map(({ column, code }) => `${the(column)} holds ${code} (${CODE_MEANINGS[code].name.toLowerCase()})`))}. ${[...new Set(found.map((f) => f.reason))].join(" ")}`;
    const findings = scheme.rows.flatMap((row) => {
      const found = forbidden(row, base);
      if (!found) return [];
      return [
        finding(forbiddenCode, "error", {
          message: `${rowName(row)}: ${describe(found)}`,
          rationale: FORBIDDEN_RATIONALE,
          source: forbiddenSource(row),
          cells: baseCells(row.id, found.map((f) => f.column)),
          rowIds: [row.id],
          schoolIds: [],
          fix: {
            label: found.length === 1 ? `Clear ${the(found[0]!.column)}'s ${found[0]!.code}` : `Clear the ${found.length} cells the row does not allow`,
            cells: found.map(({ column }) => ({ rowId: row.id, columnId: column.id, code: null })),
          },
        }),
      ];
    });
    const key = (found: NonNullable<ReturnType<typeof forbidden>>) => found.map((f) => `${f.column.id}=${f.code}`).join(",");
    for (const { row, found, schools } of schoolGroups(scheme, base, forbidden, key)) {
      findings.push(
        schoolFinding(forbiddenCode, "error", row, found.map((f) => f.column), schools, {
          message: `${rowName(row)}: in the scheme of ${schoolNames(schools)}, ${describe(found)} It comes from ${variationsOf(schools)} own variations.`,
          rationale: FORBIDDEN_RATIONALE,
          source: forbiddenSource(row),
        }),
      );
    }
    return findings;
  },
};

// ---------------------------------------------------------------------------------------------
// CO-13: the same row monitored by a board committee and again by a cluster or local body.

/**
 * Which tier's monitoring the trust's school-improvement model keeps: a cluster-based model improves
 * schools through their clusters, so scrutiny sits there; a model run from the centre (a hub, central
 * consultants or the trust's own experts) reports to the board's committee. A self-improving network,
 * or no model chosen, leaves the choice to the trust: no fix is offered.
 */
function monitoringTierOf(model: ImprovementModel | null): "committee" | "below" | null {
  if (model === "cluster-based") return "below";
  if (model === "hub" || model === "centralised-consultants" || model === "in-house-central-expertise") return "committee";
  return null;
}

/** Keeps the chosen tier monitoring and informs the others (I), where the row allows I there. */
function monitoringFix(row: SchemeRow, found: SchemeColumn[], keeps: "committee" | "below"): FindingFix | null {
  const kept = found.filter((c) => (c.kind === "committee") === (keeps === "committee"));
  const informed = found.filter((c) => !kept.includes(c));
  if (informed.some((c) => forbiddenReason(row, c.kind, "I") !== null)) return null;
  return {
    label: `Keep ${names(kept.map(the))} monitoring; inform ${names(informed.map(the))} (I)`,
    cells: informed.map((c) => ({ rowId: row.id, columnId: c.id, code: "I" as const })),
  };
}

const duplicatedMonitoring: Rule = {
  id: "CO-13",
  family: FAMILY,
  title: "Monitoring duplicated across tiers",
  check(context) {
    const { scheme, strategy } = context;
    const base = baseCodes(context);
    const rationale =
      "Scrutinising the same thing at two tiers doubles the work of volunteer governors and blurs who holds leaders to account; the DfE asks trusts to avoid duplication between the board, its committees and local committees.";
    const source = "Governance in academy trusts [GIAT4]; South East Cornwall MAT [SECORN]; domain.md §5(c) CO-13";
    const monitors = (row: SchemeRow, code: CodeLookup) => {
      const found = holding(scheme, code, row.id, "M");
      const committee = found.filter((c) => c.kind === "committee");
      const below = found.filter((c) => c.kind === "cluster" || c.kind === "local");
      return committee.length > 0 && below.length > 0 ? [...committee, ...below] : null;
    };
    const twice = (columns: SchemeColumn[]) => together(columns, "monitor it (M)");
    const keepsMonitoring = monitoringTierOf(strategy.improvementModel);
    const findings = scheme.rows.flatMap((row) => {
      const found = monitors(row, base);
      if (!found) return [];
      return [
        finding(duplicatedMonitoring, "warning", {
          message: `${rowName(row)}: ${twice(found)}. Choose the tier that monitors it and keep the others informed (I).`,
          rationale,
          source,
          cells: baseCells(row.id, found),
          rowIds: [row.id],
          schoolIds: [],
          fix: keepsMonitoring ? monitoringFix(row, found, keepsMonitoring) : null,
        }),
      ];
    });
    for (const { row, found, schools } of schoolGroups(scheme, base, monitors, columnKey)) {
      findings.push(
        schoolFinding(duplicatedMonitoring, "warning", row, found, schools, {
          message: `${rowName(row)}: for ${schoolNames(schools)}, ${twice(found)}, through ${variationsOf(schools)} own variations of the scheme.`,
          rationale,
          source,
        }),
      );
    }
    return findings;
  },
};

// ---------------------------------------------------------------------------------------------
// SOD-05: a cluster tier the scheme uses, and schools outside every cluster.

const schoolsWithoutCluster: Rule = {
  id: "SOD-05",
  family: FAMILY,
  title: "A cluster tier in use, but schools without a cluster",
  check(context) {
    const { scheme } = context;
    const base = baseCodes(context);
    const boards = new Map(scheme.boards.map((b) => [b.id, b]));
    // A cluster column with codes that covers no school at all is SOD-03's finding, not this one.
    const covered = coveredColumns(scheme);
    const inUse = scheme.columns.filter(
      (c) => c.kind === "cluster" && covered.has(c.id) && scheme.rows.some((row) => takesPart(base(row.id, c.id))),
    );
    if (inUse.length === 0) return [];
    const outside = scheme.schools.filter((s) => !(s.clusterBodyId && boards.has(s.clusterBodyId)));
    if (outside.length === 0) return [];
    const decided = scheme.rows.flatMap((row) => inUse.filter((c) => base(row.id, c.id) === "D").map((column) => ({ row, column })));
    const decidedRows = [...new Set(decided.map((d) => d.row))];
    const consequence =
      decidedRows.length > 0
        ? `For ${outside.length === 1 ? "it" : "them"}, nobody decides ${rowList(decidedRows)}.`
        : `The cluster's part in the scheme does not reach ${outside.length === 1 ? "it" : "them"}.`;
    return [
      finding(schoolsWithoutCluster, "warning", {
        message: `The scheme gives ${names(inUse.map(the))} a part, but ${names(outside.map((s) => s.name))} ${outside.length === 1 ? "belongs" : "belong"} to no cluster. ${consequence} Put ${outside.length === 1 ? "the school" : "each school"} in a cluster on the structure page.`,
        rationale:
          "Where the scheme delegates to a cluster tier, a school outside every cluster has nobody in that tier: the decisions given to clusters have no decider for it, and their monitoring passes it by.",
        source: "REAch2 governance [REACH2]; The Harris Federation [HARRIS]; NGA Model 3 cluster governing committees [ANAPOLY]; domain.md §1.2",
        cells: decided.map(({ row, column }) => ({ rowId: row.id, columnId: column.id, schoolId: null })),
        rowIds: decidedRows.map((r) => r.id),
        schoolIds: outside.map((s) => s.id),
        fix: null,
      }),
    ];
  },
};

export const structureRules: Rule[] = [
  twoDeciders,
  advisoryDecides,
  noDecider,
  notYetAssigned,
  uncoveredColumn,
  forbiddenCode,
  duplicatedMonitoring,
  schoolsWithoutCluster,
];

/** A sentence's first letter in capitals ("the Board of trustees" → "The Board of trustees"). */
function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
