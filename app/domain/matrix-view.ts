/**
 * The matrix as the editor shows it: rows grouped by area, columns in tier order, each row with its
 * codes, what its constraints forbid (and why), and its centralisation index.
 */
import { areaName } from "./areas";
import type { DecisionCode } from "./codes";
import { centralisationIndex } from "./centralisation";
import { byArea, byTierOrder, forbiddenReason, mayDecide, splitCellKey, type Cell, type Scheme, type SchemeColumn } from "./scheme";

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
}

export interface MatrixGroup {
  area: number;
  name: string;
  rows: MatrixRowView[];
}

export interface MatrixView {
  columns: SchemeColumn[];
  groups: MatrixGroup[];
  /** Rows in the version, before filtering. */
  totalRows: number;
}

function indexesWhere<T>(list: T[], test: (item: T) => boolean): number[] {
  return list.flatMap((item, i) => (test(item) ? [i] : []));
}

export function matrixView(
  scheme: Pick<Scheme, "columns" | "rows" | "cells" | "rowRevisions">,
  filters: MatrixFilters = { area: null, columnId: null },
  cells: Record<string, Cell> = scheme.cells,
): MatrixView {
  const columns = [...scheme.columns].sort(byTierOrder);
  const columnIndex = new Map(columns.map((c, i) => [c.id, i]));
  // Each row's codes by column, gathered in one pass over the cells.
  const codesByRow = new Map<string, (DecisionCode | null)[]>();
  for (const [key, cell] of Object.entries(cells)) {
    const { rowId, columnId } = splitCellKey(key);
    const col = columnIndex.get(columnId);
    if (col === undefined) continue;
    let codes = codesByRow.get(rowId);
    if (!codes) codesByRow.set(rowId, (codes = columns.map(() => null)));
    codes[col] = cell.code;
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
    });
  }
  return { columns, groups, totalRows: scheme.rows.length };
}
