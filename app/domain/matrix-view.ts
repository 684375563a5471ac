/**
 * The matrix as the editor shows it: rows grouped by area, columns in tier order, each row with its
 * codes, what its constraints forbid (and why), and its centralisation index. With a tier or a school
 * chosen, each row shows that tier's or school's scheme, and the rows it varies carry their layers.
 */
import { areaName } from "./areas";
import type { DecisionCode } from "./codes";
import { centralisationIndex } from "./centralisation";
import { byArea, byTierOrder, forbiddenReason, mayDecide, splitCellKey, type Scheme, type SchemeColumn, type Variant } from "./scheme";
import { layeredCell, type VariantLayer } from "./variants";

export interface MatrixFilters {
  area: number | null;
  /** Show only the rows where this column has a role. */
  columnId: string | null;
}

/** Kept small: the national trust's matrix is 150 rows by 15 columns, sent with every page. */
export interface MatrixRowView {
  id: string;
  ref: string;
  title: string;
  statutoryRule: string | null;
  revision: number;
  codes: (DecisionCode | null)[];
  /** Indexes of the columns where nothing may be set (shown as —). */
  excluded: number[];
  /** Indexes of the columns where D is not allowed. */
  noDecision: number[];
  /** Why D is not allowed where it is not, and why excluded columns are closed. */
  decisionRule: string | null;
  exclusionRule: string | null;
  centralisation: number | null;
  /** With a tier or school chosen: the row is statutory-locked, the same for every tier and school (EA-14). */
  locked?: true;
  /** With a tier or school chosen, on a row it varies: the base codes (`codes` are the tier's or school's)… */
  base?: (DecisionCode | null)[];
  /** …and the variants, by column index (null: the variant clears the cell). */
  tierVariants?: Record<number, DecisionCode | null>;
  schoolVariants?: Record<number, DecisionCode | null>;
}

export interface MatrixGroup {
  area: number;
  name: string;
  rows: MatrixRowView[];
}

/** The tier's or school's scheme the view shows, named for the words on its varied cells. */
export interface MatrixScopeView {
  /** The layer edits are stored in. */
  layer: VariantLayer;
  /** "Intervention (T4)": the tier chosen, or the school's decided tier (null when none is decided). */
  tierLabel: string | null;
  /** The school chosen, if any. */
  schoolName: string | null;
}

/** A tier's variants and a school's own variations (either may be empty), keyed by cellKey. */
export interface ScopeVariants {
  scope: MatrixScopeView;
  tier: Record<string, Variant>;
  school: Record<string, Variant>;
}

export interface MatrixView {
  columns: SchemeColumn[];
  groups: MatrixGroup[];
  /** Rows in the version, before filtering. */
  totalRows: number;
  /** Present when a tier or school is chosen. */
  scope?: MatrixScopeView;
}

function indexesWhere<T>(list: T[], test: (item: T) => boolean): number[] {
  return list.flatMap((item, i) => (test(item) ? [i] : []));
}

type LayerByRow = Map<string, Record<number, DecisionCode | null>>;

/** A layer's variants by row and column index, leaving out statutory-locked rows, which never vary (EA-14). */
function layerByRow(variants: Record<string, Variant>, columnIndex: Map<string, number>, locked: Set<string>): LayerByRow {
  const byRow: LayerByRow = new Map();
  for (const [key, variant] of Object.entries(variants)) {
    const { rowId, columnId } = splitCellKey(key);
    const col = columnIndex.get(columnId);
    if (col === undefined || locked.has(rowId)) continue;
    let row = byRow.get(rowId);
    if (!row) byRow.set(rowId, (row = {}));
    row[col] = variant.code;
  }
  return byRow;
}

export function matrixView(
  scheme: Pick<Scheme, "columns" | "rows" | "cells" | "rowRevisions">,
  filters: MatrixFilters = { area: null, columnId: null },
  variants?: ScopeVariants,
): MatrixView {
  const columns = [...scheme.columns].sort(byTierOrder);
  const columnIndex = new Map(columns.map((c, i) => [c.id, i]));
  // Each row's codes by column, gathered in one pass over the cells.
  const codesByRow = new Map<string, (DecisionCode | null)[]>();
  for (const [key, cell] of Object.entries(scheme.cells)) {
    const { rowId, columnId } = splitCellKey(key);
    const col = columnIndex.get(columnId);
    if (col === undefined) continue;
    let codes = codesByRow.get(rowId);
    if (!codes) codesByRow.set(rowId, (codes = columns.map(() => null)));
    codes[col] = cell.code;
  }
  const locked = new Set(scheme.rows.filter((r) => r.locked).map((r) => r.id));
  const tierByRow: LayerByRow = variants ? layerByRow(variants.tier, columnIndex, locked) : new Map();
  const schoolByRow: LayerByRow = variants ? layerByRow(variants.school, columnIndex, locked) : new Map();
  const layered = new Map<string, Pick<MatrixRowView, "base" | "tierVariants" | "schoolVariants">>();
  for (const rowId of new Set([...tierByRow.keys(), ...schoolByRow.keys()])) {
    const base = codesByRow.get(rowId) ?? columns.map(() => null);
    const tier = tierByRow.get(rowId);
    const school = schoolByRow.get(rowId);
    codesByRow.set(
      rowId,
      base.map((code, col) => layeredCell({ base: code, tier: tier?.[col], school: school?.[col] }).code),
    );
    layered.set(rowId, { base, ...(tier ? { tierVariants: tier } : {}), ...(school ? { schoolVariants: school } : {}) });
  }
  const filterCol = filters.columnId === null ? undefined : columnIndex.get(filters.columnId);
  const rows = [...scheme.rows].sort(byArea).filter((row) => {
    if (filters.area !== null && row.area !== filters.area) return false;
    if (filters.columnId !== null && (filterCol === undefined || !codesByRow.get(row.id)?.[filterCol])) return false;
    return true;
  });
  const groups: MatrixGroup[] = [];
  for (const row of rows) {
    let group = groups[groups.length - 1];
    if (!group || group.area !== row.area) {
      group = { area: row.area, name: areaName(row.area), rows: [] };
      groups.push(group);
    }
    const excluded = row.excludedKinds ? indexesWhere(columns, (c) => row.excludedKinds!.includes(c.kind)) : [];
    const noDecision = indexesWhere(columns, (c) => !mayDecide(row, c.kind));
    const firstNoD = noDecision.find((i) => !excluded.includes(i));
    const codes = codesByRow.get(row.id) ?? columns.map(() => null);
    group.rows.push({
      id: row.id,
      ref: row.ref,
      title: row.title,
      statutoryRule: row.statutoryRule,
      revision: scheme.rowRevisions[row.id] ?? 0,
      codes,
      excluded,
      noDecision,
      decisionRule: firstNoD !== undefined ? forbiddenReason(row, columns[firstNoD]!.kind, "D") : null,
      exclusionRule: excluded.length > 0 ? forbiddenReason(row, columns[excluded[0]!]!.kind, "D") : null,
      centralisation: centralisationIndex(columns.map((c, i) => ({ kind: c.kind, code: codes[i] ?? null }))),
      ...(variants && row.locked ? { locked: true as const } : {}),
      ...layered.get(row.id),
    });
  }
  return { columns, groups, totalRows: scheme.rows.length, ...(variants ? { scope: variants.scope } : {}) };
}
