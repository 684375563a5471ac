/**
 * A school pack: the scheme of delegation as it applies to one school (base ← its decided tier's
 * variants ← its own variations, as `effectiveCells`), cut down to the columns that concern the
 * school, for its local board to work from. Pure: the Word renderer (app/export/school-pack.server.ts)
 * writes it, the tests read it back.
 */
import { areaName } from "./areas";
import type { Tier } from "./autonomy";
import type { DecisionCode } from "./codes";
import { byArea, byTierOrder, cellKey, type Scheme, type SchemeBoard, type SchemeColumn, type SchemeSchool } from "./scheme";
import { layeredCell, type CellSource } from "./variants";

/** One cell of the pack: what applies to the school, and where it comes from when not the base scheme. */
export interface PackCell {
  code: DecisionCode | null;
  source: CellSource | null;
}

export interface PackRow {
  id: string;
  ref: string;
  title: string;
  statutoryRule: string | null;
  /** Column by column, as `SchoolPackView.columns`. */
  cells: PackCell[];
}

export interface PackArea {
  number: number;
  name: string;
  rows: PackRow[];
}

/** A cell the school's tier or its own variations change, and what the base scheme has there. */
export interface PackVariedCell {
  ref: string;
  title: string;
  column: SchemeColumn;
  base: DecisionCode | null;
  code: DecisionCode | null;
  source: CellSource;
  /** Where the school's own variation replaces its tier's variant: the tier's code. */
  tierCode?: DecisionCode | null;
}

export interface SchoolPackView {
  school: SchemeSchool;
  localBoard: SchemeBoard | null;
  cluster: SchemeBoard | null;
  /** In tier order: the trust-level columns, the school's own cluster and local columns, its headteacher. */
  columns: SchemeColumn[];
  areas: PackArea[];
  varied: PackVariedCell[];
  /** Columns of the trust's matrix left out, by name: other schools' boards, or an outside party with no part for this school. */
  leftOut: string[];
}

/** The board a school names (its cluster or local body), or null when it names none the version knows. */
function boardOf(scheme: Pick<Scheme, "boards">, id: string | null): SchemeBoard | null {
  return id === null ? null : (scheme.boards.find((b) => b.id === id) ?? null);
}

/**
 * The matrix column a school's body answers under. A trust with one cluster or local board may have
 * the school name the column itself rather than a board beneath it.
 */
function columnOf(scheme: Pick<Scheme, "columns">, board: SchemeBoard | null, id: string | null): string | null {
  if (board) return board.columnId;
  return id !== null && scheme.columns.some((c) => c.id === id) ? id : null;
}

/**
 * The columns that concern a school: every trust-level column (members, board, committees,
 * executive), the cluster and local columns its own bodies answer under (another cluster's or a
 * local board's column says nothing to this school), every headteacher column, and an outside
 * party's column only where the school's scheme gives it a part (a diocese has none in a school
 * that is not a church school).
 */
function concernedColumns(scheme: Pick<Scheme, "columns">, own: Set<string>, holdsCode: (column: SchemeColumn) => boolean): SchemeColumn[] {
  return [...scheme.columns].sort(byTierOrder).filter((column) => {
    switch (column.kind) {
      case "cluster":
      case "local":
        return own.has(column.id);
      case "external":
        return holdsCode(column);
      default:
        return true;
    }
  });
}

export function schoolPackView(scheme: Scheme, schoolId: string, tier: Tier | null): SchoolPackView {
  const school = scheme.schools.find((s) => s.id === schoolId);
  if (!school) throw new Error(`The school ${schoolId} is not in version ${scheme.version.number}.`);
  const localBoard = boardOf(scheme, school.localBodyId);
  const cluster = boardOf(scheme, school.clusterBodyId);
  const own = new Set([columnOf(scheme, localBoard, school.localBodyId), columnOf(scheme, cluster, school.clusterBodyId)].filter((id): id is string => id !== null));

  const tierCells = tier ? (scheme.tierCells[tier] ?? {}) : {};
  const schoolCells = scheme.schoolCells[school.id] ?? {};
  const rows = [...scheme.rows].sort(byArea);
  // Statutory-locked rows never vary (EA-14), and a column a row closes shows "—" whatever is stored.
  const cellOf = (row: Scheme["rows"][number], column: SchemeColumn): PackCell & { base: DecisionCode | null; tierCode?: DecisionCode | null } => {
    if (row.excludedKinds?.includes(column.kind)) return { code: "—", source: null, base: "—" };
    const key = cellKey(row.id, column.id);
    const base = scheme.cells[key]?.code ?? null;
    if (row.locked) return { code: base, source: null, base };
    const tierVariant = tierCells[key];
    const schoolVariant = schoolCells[key];
    const layered = layeredCell({
      base,
      ...(tierVariant ? { tier: tierVariant.code } : {}),
      ...(schoolVariant ? { school: schoolVariant.code } : {}),
    });
    return { ...layered, base, ...(layered.source === "school" && tierVariant ? { tierCode: tierVariant.code } : {}) };
  };

  const columns = concernedColumns(scheme, own, (column) => rows.some((row) => {
    const { code } = cellOf(row, column);
    return code !== null && code !== "—";
  }));
  const shown = new Set(columns.map((c) => c.id));
  const areas: PackArea[] = [];
  const varied: PackVariedCell[] = [];
  for (const row of rows) {
    let area = areas[areas.length - 1];
    if (!area || area.number !== row.area) areas.push((area = { number: row.area, name: areaName(row.area), rows: [] }));
    const cells = columns.map((column) => {
      const { code, source, base, tierCode } = cellOf(row, column);
      if (source) varied.push({ ref: row.ref, title: row.title, column, base, code, source, ...(tierCode !== undefined ? { tierCode } : {}) });
      return { code, source };
    });
    area.rows.push({ id: row.id, ref: row.ref, title: row.title, statutoryRule: row.statutoryRule, cells });
  }
  const leftOut = [...scheme.columns].sort(byTierOrder).filter((c) => !shown.has(c.id)).map((c) => c.name);
  return { school, localBoard, cluster, columns, areas, varied, leftOut };
}

/** "Aysgarth Falls Primary School" → "aysgarth-falls-primary-school": a pack's file name, safe on every system. */
export function fileNamePart(text: string): string {
  const plain = text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/['’]/g, "")
    .replace(/&/g, " and ")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return plain.slice(0, 80).replace(/-+$/, "") || "school";
}

/** The pack's file name: its URN first, so that names are unique and sort the same way everywhere. */
export function packFileName(school: Pick<SchemeSchool, "urn" | "name">): string {
  return `${school.urn}-${fileNamePart(school.name)}.docx`;
}
