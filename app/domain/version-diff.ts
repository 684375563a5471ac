/**
 * What changed between two versions of a trust's scheme: responsibilities added, retired and renamed;
 * cells changed (from → to), grouped by area; tier variants and school variations changed; the
 * structure (matrix columns, individual boards, schools) added, removed, renamed or made advisory or
 * decision-making; and the findings of the checks that appeared or disappeared.
 *
 * The difference is complete: `applyDiff(older, versionDiff(older, newer))` gives back the newer
 * version's rows, columns, boards, schools, cells, tier variants and school variations. Cells of a
 * retired row, of a removed column or variations of a removed school go with it and are not listed
 * one by one; cells of an added row or column are listed as set, so the reader sees who holds them.
 */
import { areaName } from "./areas";
import { TIERS, type Tier } from "./autonomy";
import { CODE_MEANINGS, type DecisionCode } from "./codes";
import {
  byArea,
  byTierOrder,
  cellKey,
  splitCellKey,
  type Cell,
  type Scheme,
  type SchemeBoard,
  type SchemeColumn,
  type SchemeRow,
  type SchemeSchool,
  type SchemeVersionInfo,
  type Variant,
} from "./scheme";

/** A finding as the difference compares them: by its stable key. */
export interface DiffFinding {
  key: string;
  ruleId: string;
  severity: string;
  message: string;
}

export interface DiffFindingsInput {
  older: DiffFinding[];
  newer: DiffFinding[];
}

/** A record present in both versions whose fields differ; `fields` names them. */
export interface Changed<T> {
  before: T;
  after: T;
  fields: (keyof T & string)[];
}

export type CellChangeKind = "set" | "cleared" | "changed" | "note";

/** One base cell: `from` in the older version, `to` in the newer (null: empty). */
export interface CellChange {
  rowId: string;
  columnId: string;
  ref: string;
  title: string;
  column: string;
  kind: CellChangeKind;
  from: Cell | null;
  to: Cell | null;
}

/** One cell of a tier's or a school's layer: null is "as the base"; a variant with a null code clears the cell there. */
export interface VariantChange {
  rowId: string;
  columnId: string;
  ref: string;
  title: string;
  column: string;
  from: Variant | null;
  to: Variant | null;
}

export interface AreaCellChanges {
  area: number;
  areaName: string;
  changes: CellChange[];
}

export interface TierVariantChanges {
  tier: Tier;
  changes: VariantChange[];
}

export interface SchoolVariationChanges {
  schoolId: string;
  schoolName: string;
  changes: VariantChange[];
}

export interface VersionDiff {
  from: SchemeVersionInfo;
  to: SchemeVersionInfo;
  rows: {
    added: SchemeRow[];
    retired: SchemeRow[];
    /** Same responsibility, another reference or title (other fields may have changed with it). */
    renamed: Changed<SchemeRow>[];
    /** Same reference and title, but another area, guidance, constraint, tag or position. */
    amended: Changed<SchemeRow>[];
  };
  cells: AreaCellChanges[];
  tiers: TierVariantChanges[];
  schools: SchoolVariationChanges[];
  structure: {
    columns: { added: SchemeColumn[]; removed: SchemeColumn[]; changed: Changed<SchemeColumn>[] };
    boards: { added: SchemeBoard[]; removed: SchemeBoard[]; changed: Changed<SchemeBoard>[] };
    schools: { added: SchemeSchool[]; removed: SchemeSchool[]; changed: Changed<SchemeSchool>[] };
  };
  /** Null when the findings were not compared. */
  findings: { appeared: DiffFinding[]; disappeared: DiffFinding[] } | null;
}

export interface DiffCounts {
  rowsAdded: number;
  rowsRetired: number;
  rowsRenamed: number;
  rowsAmended: number;
  cellsChanged: number;
  tierVariantsChanged: number;
  schoolVariationsChanged: number;
  structureChanges: number;
  findingsAppeared: number;
  findingsDisappeared: number;
}

// ---------------------------------------------------------------- comparing

function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => same(x, b[i]));
  return false;
}

function changedFields<T extends object>(before: T, after: T): (keyof T & string)[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)] as (keyof T & string)[]);
  return [...keys].filter((k) => !same(before[k], after[k]));
}

function compareById<T extends { id: string }>(older: T[], newer: T[]) {
  const before = new Map(older.map((x) => [x.id, x]));
  const after = new Map(newer.map((x) => [x.id, x]));
  const added = newer.filter((x) => !before.has(x.id));
  const removed = older.filter((x) => !after.has(x.id));
  const changed: Changed<T>[] = [];
  for (const x of newer) {
    const was = before.get(x.id);
    if (!was) continue;
    const fields = changedFields(was, x);
    if (fields.length > 0) changed.push({ before: was, after: x, fields });
  }
  return { added, removed, changed };
}

const sameCell = (a: Cell | Variant | null, b: Cell | Variant | null) =>
  a === b || (a !== null && b !== null && a.code === b.code && (a.note ?? null) === (b.note ?? null));

function cellKind(from: Cell | null, to: Cell | null): CellChangeKind {
  if (from === null) return "set";
  if (to === null) return "cleared";
  return from.code === to.code ? "note" : "changed";
}

/**
 * The keys of a layer that differ between two versions, ignoring the older version's cells that go
 * with a retired row or a removed column (applyDiff drops those).
 */
function changedKeys<C extends Cell | Variant>(
  older: Record<string, C> | undefined,
  newer: Record<string, C> | undefined,
  dropped: (key: string) => boolean,
): { key: string; from: C | null; to: C | null }[] {
  const out: { key: string; from: C | null; to: C | null }[] = [];
  const a = older ?? {};
  const b = newer ?? {};
  for (const key of Object.keys(b)) {
    const from = dropped(key) ? null : (a[key] ?? null);
    if (!sameCell(from, b[key]!)) out.push({ key, from, to: b[key]! });
  }
  for (const key of Object.keys(a)) {
    if (key in b || dropped(key)) continue;
    out.push({ key, from: a[key]!, to: null });
  }
  return out;
}

/**
 * The difference between two versions of one trust's scheme. `findings` (each version's, with their
 * stable keys) are compared by key when given.
 */
export function versionDiff(older: Scheme, newer: Scheme, findings?: DiffFindingsInput): VersionDiff {
  const rows = compareById(older.rows, newer.rows);
  const columns = compareById(older.columns, newer.columns);
  const boards = compareById(older.boards, newer.boards);
  const schools = compareById(older.schools, newer.schools);

  const retiredRows = new Set(rows.removed.map((r) => r.id));
  const removedColumns = new Set(columns.removed.map((c) => c.id));
  const dropped = (key: string) => {
    const { rowId, columnId } = splitCellKey(key);
    return retiredRows.has(rowId) || removedColumns.has(columnId);
  };

  const rowOf = new Map<string, SchemeRow>([...older.rows.map((r) => [r.id, r] as const), ...newer.rows.map((r) => [r.id, r] as const)]);
  const columnOf = new Map<string, SchemeColumn>([
    ...older.columns.map((c) => [c.id, c] as const),
    ...newer.columns.map((c) => [c.id, c] as const),
  ]);
  const rowRank = new Map([...rowOf.values()].sort((a, b) => byArea(a, b) || a.id.localeCompare(b.id)).map((r, i) => [r.id, i]));
  const columnRank = new Map([...columnOf.values()].sort((a, b) => byTierOrder(a, b) || a.id.localeCompare(b.id)).map((c, i) => [c.id, i]));
  const label = (key: string) => {
    const { rowId, columnId } = splitCellKey(key);
    const row = rowOf.get(rowId);
    return { rowId, columnId, ref: row?.ref ?? "", title: row?.title ?? "", column: columnOf.get(columnId)?.name ?? "" };
  };
  const inMatrixOrder = <T extends { rowId: string; columnId: string }>(list: T[]) =>
    list.sort(
      (a, b) =>
        (rowRank.get(a.rowId) ?? Infinity) - (rowRank.get(b.rowId) ?? Infinity) ||
        (columnRank.get(a.columnId) ?? Infinity) - (columnRank.get(b.columnId) ?? Infinity) ||
        a.rowId.localeCompare(b.rowId) ||
        a.columnId.localeCompare(b.columnId),
    );

  const cellChanges = inMatrixOrder(
    changedKeys(older.cells, newer.cells, dropped).map(({ key, from, to }) => ({ ...label(key), kind: cellKind(from, to), from, to })),
  );
  const areas = new Map<number, CellChange[]>();
  for (const change of cellChanges) {
    const area = rowOf.get(change.rowId)?.area ?? 0;
    (areas.get(area) ?? areas.set(area, []).get(area)!).push(change);
  }
  const cells: AreaCellChanges[] = [...areas]
    .sort(([a], [b]) => (a === 0 ? 99 : a) - (b === 0 ? 99 : b))
    .map(([area, changes]) => ({ area, areaName: areaName(area), changes }));

  const variantChanges = (a: Record<string, Variant> | undefined, b: Record<string, Variant> | undefined) =>
    inMatrixOrder(changedKeys(a, b, dropped).map(({ key, from, to }) => ({ ...label(key), from, to })));

  const tiers: TierVariantChanges[] = [];
  for (const tier of TIERS) {
    const changes = variantChanges(older.tierCells[tier], newer.tierCells[tier]);
    if (changes.length > 0) tiers.push({ tier, changes });
  }

  const removedSchools = new Set(schools.removed.map((s) => s.id));
  const schoolName = new Map([...older.schools, ...newer.schools].map((s) => [s.id, s.name]));
  const schoolIds = new Set([...Object.keys(older.schoolCells), ...Object.keys(newer.schoolCells)]);
  const schoolChanges: SchoolVariationChanges[] = [];
  for (const schoolId of schoolIds) {
    const changes = variantChanges(removedSchools.has(schoolId) ? undefined : older.schoolCells[schoolId], newer.schoolCells[schoolId]);
    if (changes.length > 0) schoolChanges.push({ schoolId, schoolName: schoolName.get(schoolId) ?? "", changes });
  }
  schoolChanges.sort((a, b) => a.schoolName.localeCompare(b.schoolName) || a.schoolId.localeCompare(b.schoolId));

  let findingChanges: VersionDiff["findings"] = null;
  if (findings) {
    const olderKeys = new Set(findings.older.map((f) => f.key));
    const newerKeys = new Set(findings.newer.map((f) => f.key));
    findingChanges = {
      appeared: findings.newer.filter((f) => !olderKeys.has(f.key)),
      disappeared: findings.older.filter((f) => !newerKeys.has(f.key)),
    };
  }

  const renamed = rows.changed.filter((c) => c.fields.includes("ref") || c.fields.includes("title"));
  const amended = rows.changed.filter((c) => !c.fields.includes("ref") && !c.fields.includes("title"));
  return {
    from: older.version,
    to: newer.version,
    rows: { added: rows.added, retired: rows.removed, renamed, amended },
    cells,
    tiers,
    schools: schoolChanges,
    structure: { columns, boards, schools },
    findings: findingChanges,
  };
}

export function diffCounts(diff: VersionDiff): DiffCounts {
  const s = diff.structure;
  return {
    rowsAdded: diff.rows.added.length,
    rowsRetired: diff.rows.retired.length,
    rowsRenamed: diff.rows.renamed.length,
    rowsAmended: diff.rows.amended.length,
    cellsChanged: diff.cells.reduce((n, a) => n + a.changes.length, 0),
    tierVariantsChanged: diff.tiers.reduce((n, t) => n + t.changes.length, 0),
    schoolVariationsChanged: diff.schools.reduce((n, t) => n + t.changes.length, 0),
    structureChanges: [s.columns, s.boards, s.schools].reduce((n, x) => n + x.added.length + x.removed.length + x.changed.length, 0),
    findingsAppeared: diff.findings?.appeared.length ?? 0,
    findingsDisappeared: diff.findings?.disappeared.length ?? 0,
  };
}

/** Whether the two versions are the same in everything the difference compares. */
export function isEmptyDiff(diff: VersionDiff): boolean {
  return Object.values(diffCounts(diff)).every((n) => n === 0);
}

// ---------------------------------------------------------------- applying

function applyById<T extends { id: string }>(list: T[], change: { added: T[]; removed: T[]; changed: Changed<T>[] }): T[] {
  const removed = new Set(change.removed.map((x) => x.id));
  const after = new Map(change.changed.map((c) => [c.after.id, c.after]));
  return [...list.filter((x) => !removed.has(x.id)).map((x) => after.get(x.id) ?? x), ...change.added];
}

function applyLayer<C extends Cell | Variant>(
  layer: Record<string, C> | undefined,
  changes: { rowId: string; columnId: string; to: C | null }[],
  dropped: (key: string) => boolean,
): Record<string, C> {
  const out: Record<string, C> = {};
  for (const [key, value] of Object.entries(layer ?? {})) if (!dropped(key)) out[key] = value;
  for (const c of changes) {
    const key = cellKey(c.rowId, c.columnId);
    if (c.to === null) delete out[key];
    else out[key] = c.to;
  }
  return out;
}

/**
 * The older version with a difference applied: the newer version's rows, columns, boards, schools,
 * cells, tier variants and school variations (rows in area order, columns in tier order).
 */
export function applyDiff(older: Scheme, diff: VersionDiff): Scheme {
  const s = diff.structure;
  const rows = applyById(older.rows, { added: diff.rows.added, removed: diff.rows.retired, changed: [...diff.rows.renamed, ...diff.rows.amended] });
  const columns = applyById(older.columns, s.columns);
  const retiredRows = new Set(diff.rows.retired.map((r) => r.id));
  const removedColumns = new Set(s.columns.removed.map((c) => c.id));
  const removedSchools = new Set(s.schools.removed.map((x) => x.id));
  const dropped = (key: string) => {
    const { rowId, columnId } = splitCellKey(key);
    return retiredRows.has(rowId) || removedColumns.has(columnId);
  };

  const tierCells: Scheme["tierCells"] = {};
  for (const tier of TIERS) {
    const changes = diff.tiers.find((t) => t.tier === tier)?.changes ?? [];
    const layer = applyLayer(older.tierCells[tier], changes, dropped);
    if (Object.keys(layer).length > 0) tierCells[tier] = layer;
  }
  const schoolCells: Scheme["schoolCells"] = {};
  const changesFor = new Map(diff.schools.map((x) => [x.schoolId, x.changes]));
  for (const schoolId of new Set([...Object.keys(older.schoolCells), ...changesFor.keys()])) {
    const start = removedSchools.has(schoolId) ? undefined : older.schoolCells[schoolId];
    const layer = applyLayer(start, changesFor.get(schoolId) ?? [], dropped);
    if (Object.keys(layer).length > 0) schoolCells[schoolId] = layer;
  }

  const rowIds = new Set(rows.map((r) => r.id));
  return {
    version: diff.to,
    columns: columns.sort((a, b) => byTierOrder(a, b) || a.id.localeCompare(b.id)),
    boards: applyById(older.boards, s.boards),
    rows: rows.sort((a, b) => byArea(a, b) || a.id.localeCompare(b.id)),
    schools: applyById(older.schools, s.schools),
    cells: applyLayer(older.cells, diff.cells.flatMap((a) => a.changes), dropped),
    tierCells,
    schoolCells,
    rowRevisions: Object.fromEntries(Object.entries(older.rowRevisions).filter(([id]) => rowIds.has(id))),
  };
}

// ---------------------------------------------------------------- in words

const codeWords = (code: DecisionCode) => `${CODE_MEANINGS[code].name} (${code})`;

/** A base cell's change in words, e.g. "Recommends (R) → Decides (D)", "not set → Decides (D)". */
export function cellChangeWords(from: Cell | null, to: Cell | null): string {
  const side = (c: Cell | null) => (c === null ? "not set" : codeWords(c.code));
  if (from !== null && to !== null && from.code === to.code) return `${codeWords(to.code)}: note changed`;
  return `${side(from)} → ${side(to)}`;
}

/** A tier's or school's cell in words: "as the base scheme", "cleared here", or the code. */
function variantWords(v: Variant | null): string {
  if (v === null) return "as the base scheme";
  return v.code === null ? "cleared here" : codeWords(v.code);
}

export function variantChangeWords(from: Variant | null, to: Variant | null): string {
  if (from !== null && to !== null && from.code === to.code) return `${variantWords(to)}: note changed`;
  return `${variantWords(from)} → ${variantWords(to)}`;
}

const MODE_WORDS = { advisory: "made advisory", "decision-making": "made decision-making" } as const;

/** What happened to a matrix column or a board, in words: renamed, made advisory, moved. */
export function bodyChangeWords(change: Changed<SchemeColumn> | Changed<SchemeBoard>): string[] {
  const words: string[] = [];
  const { before, after } = change;
  for (const field of change.fields as string[]) {
    if (field === "name") words.push(`renamed from “${before.name}” to “${after.name}”`);
    else if (field === "mode") words.push(MODE_WORDS[after.mode]);
    else if (field === "shortName") words.push(`short name ${"shortName" in after && after.shortName ? `now “${after.shortName}”` : "removed"}`);
    else if (field === "kind") words.push(`now a ${after.kind} body`);
    else if (field === "position") words.push("moved");
    else if (field === "purpose") words.push(`now a ${"purpose" in after ? after.purpose : ""} board`);
    else if (field === "columnId" || field === "parentId") words.push("placed elsewhere in the structure");
    else if (field === "chairName") words.push("chair changed");
  }
  return [...new Set(words)];
}

const SCHOOL_FIELD_WORDS: Partial<Record<keyof SchemeSchool, string>> = {
  name: "renamed",
  urn: "URN changed",
  phase: "phase changed",
  clusterBodyId: "moved to another cluster",
  localBodyId: "moved to another local board",
  easting: "location changed",
  northing: "location changed",
  joinedOn: "date joined changed",
};

export function schoolChangeWords(change: Changed<SchemeSchool>): string[] {
  return [
    ...new Set(
      change.fields.map((f) => (f === "name" ? `renamed from “${change.before.name}” to “${change.after.name}”` : (SCHOOL_FIELD_WORDS[f] ?? `${f} changed`))),
    ),
  ];
}

const ROW_FIELD_WORDS: Partial<Record<keyof SchemeRow, string>> = {
  area: "moved to another area",
  section: "section changed",
  guidance: "guidance changed",
  decisionKinds: "who may decide changed",
  excludedKinds: "who may take part changed",
  statutoryRule: "statutory rule changed",
  locked: "statutory lock changed",
  externalApproval: "outside approval changed",
  tags: "tags changed",
  position: "moved within its area",
  catalogueKey: "catalogue entry changed",
};

/** A responsibility's change in words: "renamed from 1.2 “…” to 1.3 “…”", "guidance changed". */
export function rowChangeWords(change: Changed<SchemeRow>): string[] {
  const { before, after } = change;
  const words: string[] = [];
  if (change.fields.includes("ref") || change.fields.includes("title")) {
    words.push(`renamed from ${before.ref} “${before.title}” to ${after.ref} “${after.title}”`);
  }
  for (const f of change.fields) {
    if (f === "area") words.push(`moved from area ${before.area} (${areaName(before.area)}) to area ${after.area} (${areaName(after.area)})`);
    else if (f !== "ref" && f !== "title" && f !== "id") words.push(ROW_FIELD_WORDS[f] ?? `${f} changed`);
  }
  return words;
}
