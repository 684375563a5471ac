/**
 * The matrix as the editor shows it: rows grouped by area, columns in tier order, each row with its
 * codes, what its constraints forbid (and why), and its centralisation index.
 */
import { areaName } from "./areas";
import type { DecisionCode } from "./codes";
import { byArea, byTierOrder, cellKey, forbiddenReason, rowCentralisation, type Cell, type Scheme, type SchemeColumn } from "./scheme";

export interface MatrixFilters {
  area: number | null;
  /** Show only the rows where this column has a role. */
  columnId: string | null;
}

export interface MatrixRowView {
  id: string;
  ref: string;
  title: string;
  section: string | null;
  guidance: string | null;
  statutoryRule: string | null;
  locked: boolean;
  tags: string[];
  revision: number;
  codes: (DecisionCode | null)[];
  /** Per column: nothing may be set here (shown as —). */
  excluded: boolean[];
  /** Per column: D is not allowed here. */
  noDecision: boolean[];
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

export function matrixView(scheme: Scheme, filters: MatrixFilters = { area: null, columnId: null }, cells: Record<string, Cell> = scheme.cells): MatrixView {
  const columns = [...scheme.columns].sort(byTierOrder);
  const rows = [...scheme.rows].sort(byArea).filter((row) => {
    if (filters.area !== null && row.area !== filters.area) return false;
    if (filters.columnId !== null && !cells[cellKey(row.id, filters.columnId)]) return false;
    return true;
  });
  const groups: MatrixGroup[] = [];
  for (const row of rows) {
    let group = groups[groups.length - 1];
    if (!group || group.area !== row.area) {
      group = { area: row.area, name: areaName(row.area), rows: [] };
      groups.push(group);
    }
    const noDecision = columns.map((c) => forbiddenReason(row, c.kind, "D") !== null);
    const excluded = columns.map((c) => row.excludedKinds?.includes(c.kind) ?? false);
    const firstNoD = columns.findIndex((_, i) => noDecision[i] && !excluded[i]);
    const firstExcluded = excluded.indexOf(true);
    group.rows.push({
      id: row.id,
      ref: row.ref,
      title: row.title,
      section: row.section,
      guidance: row.guidance,
      statutoryRule: row.statutoryRule,
      locked: row.locked,
      tags: row.tags,
      revision: scheme.rowRevisions[row.id] ?? 0,
      codes: columns.map((c) => cells[cellKey(row.id, c.id)]?.code ?? null),
      excluded,
      noDecision,
      decisionRule: firstNoD >= 0 ? forbiddenReason(row, columns[firstNoD]!.kind, "D") : null,
      exclusionRule: firstExcluded >= 0 ? forbiddenReason(row, columns[firstExcluded]!.kind, "D") : null,
      centralisation: rowCentralisation({ columns, cells }, row.id),
    });
  }
  return { columns, groups, totalRows: scheme.rows.length };
}
