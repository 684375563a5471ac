/**
 * A scheme version as the rest of the product sees it: its columns (in tier order), its rows (by
 * area), its schools and the cells between them, plus the variants for autonomy tiers and single
 * schools. Plain objects, so the same shape is a loader's data, a frozen snapshot and a test's input.
 */
import type { Tier } from "./autonomy";
import { centralisationIndex } from "./centralisation";
import { CODE_MEANINGS, DECISION_CODES, type DecisionCode } from "./codes";
import { BODY_KIND_LABELS, tierRank, type BodyKind, type BodyPurpose, type DecisionMode, type SchoolPhase } from "./structure";
import type { VersionStatus } from "./versions";

export interface SchemeColumn {
  id: string;
  kind: BodyKind;
  name: string;
  shortName: string | null;
  mode: DecisionMode;
  position: number;
}

/** An individual board answering under a column (a cluster board, a school's local board). */
export interface SchemeBoard {
  id: string;
  kind: BodyKind;
  name: string;
  mode: DecisionMode;
  purpose: BodyPurpose;
  columnId: string | null;
  parentId: string | null;
  chairName: string | null;
}

export interface SchemeRow {
  id: string;
  catalogueKey: string | null;
  area: number;
  section: string | null;
  ref: string;
  title: string;
  guidance: string | null;
  decisionKinds: BodyKind[] | null;
  excludedKinds: BodyKind[] | null;
  statutoryRule: string | null;
  locked: boolean;
  externalApproval: boolean;
  tags: string[];
  position: number;
}

export interface SchemeSchool {
  id: string;
  urn: number;
  name: string;
  phase: SchoolPhase;
  clusterBodyId: string | null;
  localBodyId: string | null;
  easting: number | null;
  northing: number | null;
  joinedOn: string | null;
}

export interface Cell {
  code: DecisionCode;
  note: string | null;
}

/** A cell as a tier or a school changes it; a null code clears the base cell there. */
export interface Variant {
  code: DecisionCode | null;
  note: string | null;
}

export interface SchemeVersionInfo {
  id: string;
  number: number;
  status: VersionStatus;
  basedOnId: string | null;
  approvedByBodyId: string | null;
  approvedOn: string | null;
  minuteRef: string | null;
  reviewDueOn: string | null;
  breakPointReason: string | null;
  /** Optimistic-concurrency counter of the version record itself. */
  version: number;
}

export interface Scheme {
  version: SchemeVersionInfo;
  columns: SchemeColumn[];
  boards: SchemeBoard[];
  rows: SchemeRow[];
  schools: SchemeSchool[];
  /** Keyed by cellKey(rowId, columnId). */
  cells: Record<string, Cell>;
  tierCells: Partial<Record<Tier, Record<string, Variant>>>;
  /** School id → its bespoke variations, keyed by cellKey. */
  schoolCells: Record<string, Record<string, Variant>>;
  /** Row id → revision, for refusing a stale save of a row. */
  rowRevisions: Record<string, number>;
}

/** The structure and catalogue frozen into an approved version. */
export interface SchemeSnapshot {
  columns: SchemeColumn[];
  boards: SchemeBoard[];
  rows: SchemeRow[];
  schools: SchemeSchool[];
}

export function cellKey(rowId: string, columnId: string): string {
  return `${rowId}:${columnId}`;
}

export function splitCellKey(key: string): { rowId: string; columnId: string } {
  const at = key.indexOf(":");
  return { rowId: key.slice(0, at), columnId: key.slice(at + 1) };
}

/** The base matrix's code of one cell, or null where it is empty: for a few readings; codeLookup for many. */
export function baseCode(scheme: Pick<Scheme, "cells">, rowId: string, columnId: string): DecisionCode | null {
  return scheme.cells[cellKey(rowId, columnId)]?.code ?? null;
}

/** A cell's code by its row and column, or null where the cell is empty. */
export type CodeLookup = (rowId: string, columnId: string) => DecisionCode | null;

/**
 * The codes of some cells by row, then column. The checks read every cell many times over, and a
 * key built per reading (cellKey) took most of their time. It reads the cells as they were when it
 * was made.
 */
export function codeLookup(cells: Record<string, Cell>): CodeLookup {
  const byRow = new Map<string, Map<string, DecisionCode>>();
  for (const key in cells) {
    const { rowId, columnId } = splitCellKey(key);
    let row = byRow.get(rowId);
    if (!row) byRow.set(rowId, (row = new Map()));
    row.set(columnId, cells[key]!.code);
  }
  return (rowId, columnId) => byRow.get(rowId)?.get(columnId) ?? null;
}

export function byTierOrder(a: SchemeColumn, b: SchemeColumn): number {
  return tierRank(a.kind) - tierRank(b.kind) || a.position - b.position || a.name.localeCompare(b.name);
}

export function byArea(a: SchemeRow, b: SchemeRow): number {
  return (a.area === 0 ? 99 : a.area) - (b.area === 0 ? 99 : b.area) || a.position - b.position;
}

/**
 * Why a code may not sit in a column on this row, or null when it may. The row's constraints say
 * which kinds may hold D and which may hold nothing at all (the "—" cells).
 */
export function forbiddenReason(row: SchemeRow, kind: BodyKind, code: DecisionCode): string | null {
  const rule = row.statutoryRule ? ` (${row.statutoryRule})` : "";
  if (row.excludedKinds?.includes(kind) && code !== "—") {
    return `${BODY_KIND_LABELS[kind]} cannot take part in "${row.title}"${rule}.`;
  }
  if (code === "D" && row.decisionKinds && !row.decisionKinds.includes(kind)) {
    const who = row.decisionKinds.map((k) => BODY_KIND_LABELS[k].toLowerCase()).join(" or ");
    return `Only the ${who} may decide "${row.title}"${rule}.`;
  }
  return null;
}

/** Whether a body of this kind may hold the row's D. */
export function mayDecide(row: SchemeRow, kind: BodyKind): boolean {
  return !row.excludedKinds?.includes(kind) && (!row.decisionKinds || row.decisionKinds.includes(kind));
}

/** Whether the whole column is closed on this row (shown as — and never editable). */
export function isExcluded(row: SchemeRow, kind: BodyKind): boolean {
  return row.excludedKinds?.includes(kind) ?? false;
}

export function permittedCodes(row: SchemeRow, kind: BodyKind): DecisionCode[] {
  return DECISION_CODES.filter((code) => forbiddenReason(row, kind, code) === null);
}

export function codeLabel(code: DecisionCode): string {
  return CODE_MEANINGS[code].name;
}

/** The base cells of one row, column by column (null where empty). */
export function rowCodes(scheme: Pick<Scheme, "columns" | "cells">, rowId: string, cells = scheme.cells) {
  return scheme.columns.map((column) => ({ column, code: cells[cellKey(rowId, column.id)]?.code ?? null }));
}

export function rowCentralisation(scheme: Pick<Scheme, "columns" | "cells">, rowId: string, cells = scheme.cells): number | null {
  return centralisationIndex(rowCodes(scheme, rowId, cells).map(({ column, code }) => ({ kind: column.kind, code })));
}

/**
 * The scheme that applies to one school: the base matrix, then its tier's variants, then its own
 * variations. Statutory-locked rows never vary (EA-14).
 */
export function effectiveCells(scheme: Pick<Scheme, "rows" | "cells" | "tierCells" | "schoolCells">, schoolId: string | null, tier: Tier | null): Record<string, Cell> {
  const locked = new Set(scheme.rows.filter((r) => r.locked).map((r) => r.id));
  // The copy of the base is most of the cost, and this runs once per school. V8 fills an object made
  // with Object.create(null), which it keeps as a hash table from the start, far faster than it
  // builds `{ ...scheme.cells }` (or fills a `{}` key by key): copying the national trust's ~800
  // cells takes about 0.11 ms a school instead of 0.45 (test/bench/effective-schemes.ts). The copy
  // gets the usual prototype back at the end, so callers see the same plain object, with the same
  // own keys in the same order, as before.
  const result: Record<string, Cell> = Object.create(null);
  for (const key of Object.keys(scheme.cells)) result[key] = scheme.cells[key]!;
  const apply = (variants: Record<string, Variant> | undefined) => {
    if (!variants) return;
    for (const [key, variant] of Object.entries(variants)) {
      if (locked.has(splitCellKey(key).rowId)) continue;
      if (variant.code === null) delete result[key];
      else result[key] = { code: variant.code, note: variant.note };
    }
  };
  if (tier) apply(scheme.tierCells[tier]);
  if (schoolId) apply(scheme.schoolCells[schoolId]);
  return Object.setPrototypeOf(result, Object.prototype) as Record<string, Cell>;
}
