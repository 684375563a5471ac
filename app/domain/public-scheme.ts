/**
 * A version of the scheme as the public reads it (domain.md §1.6): the trust's published web page
 * and the standalone page the command line writes. The Academy Trust Handbook asks for the scheme
 * and a governance summary (each body, its remit and the full name of its chair) on a web page,
 * readable without a download. Plain data, so a loader can send it and a test can read it.
 */
import { CODE_MEANINGS, DECISION_CODES, NOT_PERMITTED, type DecisionCode } from "./codes";
import { matrixView } from "./matrix-view";
import { byTierOrder, type Scheme, type SchemeBoard } from "./scheme";
import type { BodyKind, DecisionMode } from "./structure";
import type { VersionStatus } from "./versions";

/** The public address of a trust's published scheme, from the site's root: it stays the same whichever version is published. */
export function publicPath(slug: string): string {
  return `/p/${slug}`;
}

/** Which schools a body's decisions reach. */
export type Coverage = { kind: "trust" } | { kind: "schools"; names: string[] } | { kind: "not-recorded" };

/** One line of the governance summary. */
export interface PublicBody {
  id: string;
  name: string;
  shortName: string | null;
  kind: BodyKind;
  mode: DecisionMode;
  chairName: string | null;
  remit: string | null;
  coverage: Coverage;
}

export interface PublicColumn {
  name: string;
  shortName: string | null;
  kind: BodyKind;
  advisory: boolean;
}

export interface PublicRow {
  ref: string;
  title: string;
  statutoryRule: string | null;
  /** One per column, in column order; null where the body has no part, — where it may have none. */
  codes: (DecisionCode | null)[];
}

export interface PublicArea {
  /** 0 for rows not yet sorted into one of the research's areas. */
  number: number;
  name: string;
  rows: PublicRow[];
}

export interface PublicSchool {
  id: string;
  name: string;
  clusterBodyId: string | null;
  localBodyId: string | null;
}

export interface PublicSchemeView {
  trustName: string;
  version: {
    number: number;
    status: VersionStatus;
    approvedBy: string | null;
    approvedOn: string | null;
    minuteRef: string | null;
    reviewDueOn: string | null;
  };
  schoolCount: number;
  /** The governance summary: the bodies in tier order, each column's individual boards in its place. */
  bodies: PublicBody[];
  /** What the structure chart draws: the columns and individual boards, and the schools. */
  chart: { bodies: SchemeBoard[]; schools: PublicSchool[] };
  /** The matrix: columns in tier order, one table per area. */
  columns: PublicColumn[];
  areas: PublicArea[];
  codes: { code: DecisionCode; name: string; meaning: string }[];
  /** Cells that differ from the matrix for an autonomy tier or a single school: the Word document sets them out. */
  variations: { tierCells: number; schoolCells: number };
}

/** A body's chair and remit as the trust records them today. */
export interface BodyDetails {
  chairName: string | null;
  remit: string | null;
}

/** Kinds whose decisions reach every school of the trust. */
const TRUST_WIDE: ReadonlySet<BodyKind> = new Set(["members", "board", "committee", "executive"]);

/**
 * The public view of one version. The structure (which bodies, which schools each covers) is the
 * version's own, frozen at approval; chairs and remits are `details`, the trust's record of today:
 * a chair elected after the approval is the chair the Handbook asks the trust to name.
 */
export function publicSchemeView(
  scheme: Pick<Scheme, "version" | "columns" | "boards" | "rows" | "schools" | "cells" | "rowRevisions" | "tierCells" | "schoolCells">,
  trustName: string,
  details: ReadonlyMap<string, BodyDetails>,
): PublicSchemeView {
  const view = matrixView(scheme);
  const columns = [...scheme.columns].sort(byTierOrder);
  const chairOf = (id: string, frozen: string | null) => (details.has(id) ? details.get(id)!.chairName : frozen);
  const remitOf = (id: string) => details.get(id)?.remit ?? null;

  const schoolNames = (test: (s: (typeof scheme.schools)[number]) => boolean): Coverage => {
    const names = scheme.schools.filter(test).map((s) => s.name);
    return names.length > 0 ? { kind: "schools", names } : { kind: "not-recorded" };
  };
  const bodies: PublicBody[] = [];
  for (const column of columns) {
    // School leadership is not a governance body: it appears in the matrix, not in the summary.
    if (column.kind === "school") continue;
    const boards = scheme.boards.filter((b) => b.columnId === column.id).sort((a, b) => a.name.localeCompare(b.name, "en-GB"));
    if (boards.length === 0) {
      bodies.push({
        id: column.id,
        name: column.name,
        shortName: column.shortName,
        kind: column.kind,
        mode: column.mode,
        chairName: chairOf(column.id, null),
        remit: remitOf(column.id),
        coverage: TRUST_WIDE.has(column.kind)
          ? { kind: "trust" }
          : schoolNames((s) => s.clusterBodyId === column.id || s.localBodyId === column.id),
      });
      continue;
    }
    for (const board of boards) {
      bodies.push({
        id: board.id,
        name: board.name,
        shortName: null,
        kind: board.kind,
        mode: board.mode,
        chairName: chairOf(board.id, board.chairName),
        remit: remitOf(board.id),
        coverage: schoolNames((s) => s.clusterBodyId === board.id || s.localBodyId === board.id),
      });
    }
  }

  const chartBodies: SchemeBoard[] = [
    ...columns.map((c) => ({
      id: c.id,
      kind: c.kind,
      name: c.name,
      mode: c.mode,
      purpose: "standing" as const,
      columnId: null,
      parentId: null,
      chairName: chairOf(c.id, null),
    })),
    ...scheme.boards.map((b) => ({ ...b, chairName: chairOf(b.id, b.chairName) })),
  ];

  const areas: PublicArea[] = view.groups.map((group) => ({
    number: group.area,
    name: group.name,
    rows: group.rows.map((row) => ({
      ref: row.ref,
      title: row.title,
      statutoryRule: row.statutoryRule,
      codes: row.codes.map((code, i) => (row.excluded.includes(i) ? NOT_PERMITTED : code)),
    })),
  }));

  const count = (variants: Record<string, unknown>[]) => variants.reduce((n, v) => n + Object.keys(v).length, 0);
  const approvedBy = scheme.version.approvedByBodyId ? (columns.find((c) => c.id === scheme.version.approvedByBodyId)?.name ?? null) : null;
  return {
    trustName,
    version: {
      number: scheme.version.number,
      status: scheme.version.status,
      approvedBy,
      approvedOn: scheme.version.approvedOn,
      minuteRef: scheme.version.minuteRef,
      reviewDueOn: scheme.version.reviewDueOn,
    },
    schoolCount: scheme.schools.length,
    bodies,
    chart: {
      bodies: chartBodies,
      schools: scheme.schools.map((s) => ({ id: s.id, name: s.name, clusterBodyId: s.clusterBodyId, localBodyId: s.localBodyId })),
    },
    columns: view.columns.map((c) => ({ name: c.name, shortName: c.shortName, kind: c.kind, advisory: c.mode === "advisory" })),
    areas,
    codes: DECISION_CODES.map((code) => ({ code, ...CODE_MEANINGS[code] })),
    variations: {
      tierCells: count(Object.values(scheme.tierCells)),
      schoolCells: count(Object.values(scheme.schoolCells)),
    },
  };
}

