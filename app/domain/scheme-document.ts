/**
 * The Word scheme of delegation as data: everything the document says about one version of a trust's
 * scheme, gathered by the models (loadSchemeDocument) and written out by the export
 * (renderSchemeDocument). Plain values only, so the same shape is a test's input, a cache entry or a
 * job's payload. The functions here shape a Scheme into the document's parts.
 */
import { areaName } from "./areas";
import { TIERS, type Tier } from "./autonomy";
import { CODE_MEANINGS, DECISION_CODES, type DecisionCode } from "./codes";
import type { DecisionKey } from "./decision-keys";
import { REVIEW_STATUS_LABELS, type ReviewStatus } from "./review-calendar";
import { byArea, byTierOrder, cellKey, splitCellKey, type Scheme, type SchemeColumn, type SchemeRow, type Variant } from "./scheme";
import { ALIGNMENT_CULTURE_LABELS, type AlignmentCulture } from "./strategy";
import { BODY_KIND_LABELS, type BodyKind, type BodyPurpose, type DecisionMode } from "./structure";
import { bodyChangeWords, cellChangeWords, rowChangeWords, schoolChangeWords, variantChangeWords, type VersionDiff } from "./version-diff";
import type { VersionStatus } from "./versions";

export interface DocumentVersion {
  number: number;
  status: VersionStatus;
  /** The body that approved it, by name; null for a draft. */
  approvedBy: string | null;
  approvedOn: string | null;
  minuteRef: string | null;
  reviewDueOn: string | null;
  /** Why the draft was started (a break point), when it says. */
  reason: string | null;
}

export interface DocumentStrategy {
  vision: string | null;
  cluster: { number: number; name: string; description: string } | null;
  /** Why the ratings put the trust in its cluster, or between two, or why there is none yet. */
  clusterExplanation: string;
  improvementModel: { name: string; meaning: string } | null;
  /** One entry per area the trust has given an alignment culture, in area order. */
  alignment: { area: number; areaName: string; culture: string; meaning: string }[];
}

/** A body of the structure as the chart draws it (the shape of the governance chart's ChartBody). */
export interface DocumentChartBody {
  id: string;
  kind: BodyKind;
  name: string;
  mode: DecisionMode;
  purpose: BodyPurpose;
  columnId: string | null;
  parentId: string | null;
  chairName: string | null;
}

export interface DocumentChartSchool {
  id: string;
  name: string;
  clusterBodyId: string | null;
  localBodyId: string | null;
}

/** A line of the table of bodies. */
export interface DocumentBody {
  name: string;
  kind: string;
  remit: string | null;
  mode: "Decision-making" | "Advisory";
  chair: string | null;
  /** The schools it covers, in words: "All schools", or the schools' names. */
  covers: string;
  /** An individual board, listed under the matrix column it answers under. */
  board: boolean;
}

export interface DocumentColumn {
  id: string;
  /** What the matrix's header shows: the short name where the trust gave one. */
  heading: string;
  name: string;
  kind: string;
  mode: "Decision-making" | "Advisory";
}

export interface DocumentRow {
  ref: string;
  title: string;
  /** The statutory rule behind the row, e.g. "ATH 2.4", when it has one. */
  statutoryRule: string | null;
  /** The same for every tier and school (EA-14). */
  locked: boolean;
  /** One per column, in the columns' order; null where the cell is empty. */
  codes: (DecisionCode | null)[];
  /** The notes of the row's cells, by column heading. */
  notes: { column: string; note: string }[];
}

export interface DocumentArea {
  area: number;
  name: string;
  /** The trust's alignment culture in the area, by name, when it has set one. */
  culture: string | null;
  rows: DocumentRow[];
}

/** A cell a tier or a school varies: what it shows there (`to`) instead of `from`. A null code is an empty cell. */
export interface DocumentVariant {
  ref: string;
  title: string;
  column: string;
  from: DecisionCode | null;
  to: DecisionCode | null;
  note: string | null;
}

export interface DocumentTierSchool {
  name: string;
  urn: number;
  /** False for a school with no tier decided, which is reviewed at the standard tier's cadence. */
  decided: boolean;
  decidedOn: string | null;
  nextReviewOn: string | null;
  reviewStatus: string;
}

export interface DocumentTier {
  tier: Tier;
  name: string;
  description: string | null;
  reviewsPerYear: number;
  cadence: string;
  enter: string[];
  leave: string[];
  /** The trust's own words for what changes in the scheme for the tier. */
  schemeChanges: string;
  changes: DocumentVariant[];
  schools: DocumentTierSchool[];
}

export interface DocumentSchoolVariations {
  school: string;
  urn: number;
  /** The school's decided tier, named, or null when none is decided. */
  tier: string | null;
  changes: DocumentVariant[];
}

export interface DocumentFinding {
  ruleId: string;
  severity: string;
  message: string;
  rationale: string;
  source: string;
  reason: string;
}

export interface DocumentChanges {
  /** The version compared with: the newest approved before this one. */
  fromNumber: number;
  fromStatus: VersionStatus;
  sections: { heading: string; lines: string[] }[];
}

export interface DocumentKey {
  label: string;
  description: string;
  marks: { mark: string; code: DecisionCode; name: string }[];
}

export interface SchemeDocumentData {
  trust: { name: string; companyNumber: string | null; websiteUrl: string | null };
  /** The day the document was made (YYYY-MM-DD): the tiers' schools and reviews are as at this day. */
  preparedOn: string;
  version: DocumentVersion;
  /** Error findings nobody has acknowledged: while there is one, the document is marked "DRAFT — not valid". */
  openErrors: string[];
  strategy: DocumentStrategy;
  structure: { bodies: DocumentBody[]; chart: { bodies: DocumentChartBody[]; schools: DocumentChartSchool[] } };
  codes: { code: DecisionCode; name: string; meaning: string }[];
  trustKey: DocumentKey | null;
  columns: DocumentColumn[];
  areas: DocumentArea[];
  tiers: DocumentTier[];
  variations: DocumentSchoolVariations[];
  acknowledged: DocumentFinding[];
  /** Null unless asked for, or when no version was approved before this one. */
  changes: DocumentChanges | null;
}

// ---------------------------------------------------------------- the key

export function codeKey(): SchemeDocumentData["codes"] {
  return DECISION_CODES.map((code) => ({ code, name: CODE_MEANINGS[code].name, meaning: CODE_MEANINGS[code].meaning }));
}

/** The trust's own key as the document lists it: each mark with the code it stands for. */
export function documentKey(key: DecisionKey): DocumentKey {
  return {
    label: key.label,
    description: key.description,
    marks: Object.entries(key.marks).map(([mark, code]) => ({ mark, code, name: CODE_MEANINGS[code].name })),
  };
}

// ---------------------------------------------------------------- the matrix

const modeWords = (mode: DecisionMode) => (mode === "advisory" ? "Advisory" : "Decision-making");

export function documentColumns(columns: readonly SchemeColumn[]): DocumentColumn[] {
  return [...columns].sort(byTierOrder).map((c) => ({
    id: c.id,
    heading: c.shortName?.trim() || c.name,
    name: c.name,
    kind: BODY_KIND_LABELS[c.kind],
    mode: modeWords(c.mode),
  }));
}

/** Area order, as the research numbers them, with rows not yet matched to an area last. */
function byAreaThenRef(a: SchemeRow, b: SchemeRow): number {
  return byArea(a, b) || a.ref.localeCompare(b.ref, "en", { numeric: true });
}

/**
 * The base matrix, one group per area in the research's order (unclassified rows last), rows in the
 * trust's order within it, codes in the columns' tier order.
 */
export function matrixAreas(scheme: Pick<Scheme, "rows" | "columns" | "cells">, alignment: Partial<Record<number, AlignmentCulture>> = {}): DocumentArea[] {
  const columns = [...scheme.columns].sort(byTierOrder);
  const headings = documentColumns(columns).map((c) => c.heading);
  const areas = new Map<number, DocumentArea>();
  for (const row of [...scheme.rows].sort(byAreaThenRef)) {
    let group = areas.get(row.area);
    if (!group) {
      const culture = alignment[row.area];
      group = { area: row.area, name: areaName(row.area), culture: culture ? ALIGNMENT_CULTURE_LABELS[culture].name : null, rows: [] };
      areas.set(row.area, group);
    }
    const cells = columns.map((column) => scheme.cells[cellKey(row.id, column.id)] ?? null);
    group.rows.push({
      ref: row.ref,
      title: row.title,
      statutoryRule: row.statutoryRule,
      locked: row.locked,
      codes: cells.map((cell) => cell?.code ?? null),
      notes: cells.flatMap((cell, i) => (cell?.note?.trim() ? [{ column: headings[i]!, note: cell.note.trim() }] : [])),
    });
  }
  return [...areas.values()];
}

// ---------------------------------------------------------------- tier variants and school variations

/** A layer's variants as lines, in the matrix's order; variants on statutory-locked rows never apply (EA-14) and are left out. */
function variantLines(
  scheme: Pick<Scheme, "rows" | "columns">,
  variants: Record<string, Variant> | undefined,
  beneath: (key: string) => DecisionCode | null,
): DocumentVariant[] {
  if (!variants) return [];
  const rows = new Map(scheme.rows.map((r) => [r.id, r]));
  const columns = documentColumns(scheme.columns);
  const columnAt = new Map(columns.map((c, i) => [c.id, i]));
  const lines: { row: SchemeRow; at: number; line: DocumentVariant }[] = [];
  for (const [key, variant] of Object.entries(variants)) {
    const { rowId, columnId } = splitCellKey(key);
    const row = rows.get(rowId);
    const at = columnAt.get(columnId);
    if (!row || at === undefined || row.locked) continue;
    const from = beneath(key);
    if (from === variant.code) continue;
    lines.push({ row, at, line: { ref: row.ref, title: row.title, column: columns[at]!.name, from, to: variant.code, note: variant.note } });
  }
  return lines.sort((a, b) => byAreaThenRef(a.row, b.row) || a.at - b.at).map((l) => l.line);
}

/** What a tier changes: each cell of its variants, from the base scheme's code to the tier's. */
export function tierChanges(scheme: Pick<Scheme, "rows" | "columns" | "cells" | "tierCells">, tier: Tier): DocumentVariant[] {
  return variantLines(scheme, scheme.tierCells[tier], (key) => scheme.cells[key]?.code ?? null);
}

/** A school's own variations: each from what it would otherwise have (the base, with its tier's variant) to its own. */
export function schoolChanges(scheme: Pick<Scheme, "rows" | "columns" | "cells" | "tierCells" | "schoolCells">, schoolId: string, tier: Tier | null): DocumentVariant[] {
  const tierVariants = tier ? scheme.tierCells[tier] : undefined;
  return variantLines(scheme, scheme.schoolCells[schoolId], (key) => {
    const varied = tierVariants?.[key];
    return varied ? varied.code : (scheme.cells[key]?.code ?? null);
  });
}

// ---------------------------------------------------------------- the structure

/** What the document says of a body besides what the version froze: its remit, and a column's chair. */
export interface BodyDetails {
  remit: string | null;
  chairName: string | null;
}

const TRUST_WIDE: readonly BodyKind[] = ["members", "board", "committee", "executive"];
const PURPOSE_WORDS: Record<BodyPurpose, string> = { standing: "", transition: " (transition board)", intervention: " (intervention board)" };

function namesOf(schools: readonly { name: string }[]): string {
  return schools.length === 0 ? "None" : schools.map((s) => s.name).join(", ");
}

/**
 * The table of bodies: each matrix column in tier order, each followed by the individual boards that
 * answer under it, with the schools each covers. A trust-wide body covers all schools; a column with
 * boards of its own covers its schools through them.
 */
export function structureBodies(scheme: Pick<Scheme, "columns" | "boards" | "schools">, details: ReadonlyMap<string, BodyDetails>): DocumentBody[] {
  const lines: DocumentBody[] = [];
  for (const column of [...scheme.columns].sort(byTierOrder)) {
    const boards = scheme.boards.filter((b) => b.columnId === column.id).sort((a, b) => a.name.localeCompare(b.name));
    const detail = details.get(column.id);
    let covers: string;
    if (TRUST_WIDE.includes(column.kind)) covers = "All schools";
    else if (boards.length > 0) covers = `Through the ${boards.length} ${boards.length === 1 ? "board" : "boards"} below`;
    else if (column.kind === "school") covers = "Each school, for itself";
    else if (column.kind === "external") covers = "As its remit says";
    else covers = "All schools";
    lines.push({
      name: column.name,
      kind: BODY_KIND_LABELS[column.kind],
      remit: detail?.remit ?? null,
      mode: modeWords(column.mode),
      chair: detail?.chairName ?? null,
      covers,
      board: false,
    });
    for (const board of boards) {
      const schools = scheme.schools.filter((s) => (board.kind === "cluster" ? s.clusterBodyId : s.localBodyId) === board.id);
      lines.push({
        name: board.name,
        kind: BODY_KIND_LABELS[board.kind] + PURPOSE_WORDS[board.purpose],
        remit: details.get(board.id)?.remit ?? null,
        mode: modeWords(board.mode),
        chair: board.chairName,
        covers: namesOf([...schools].sort((a, b) => a.name.localeCompare(b.name))),
        board: true,
      });
    }
  }
  return lines;
}

/** The structure as the governance chart draws it: the version's columns and boards, and its schools. */
export function chartOf(scheme: Pick<Scheme, "columns" | "boards" | "schools">, details: ReadonlyMap<string, BodyDetails>): SchemeDocumentData["structure"]["chart"] {
  return {
    bodies: [
      ...[...scheme.columns].sort(byTierOrder).map((c) => ({
        id: c.id,
        kind: c.kind,
        name: c.name,
        mode: c.mode,
        purpose: "standing" as const,
        columnId: null,
        parentId: null,
        chairName: details.get(c.id)?.chairName ?? null,
      })),
      ...scheme.boards.map((b) => ({ id: b.id, kind: b.kind, name: b.name, mode: b.mode, purpose: b.purpose, columnId: b.columnId, parentId: b.parentId, chairName: b.chairName })),
    ],
    schools: scheme.schools.map((s) => ({ id: s.id, name: s.name, clusterBodyId: s.clusterBodyId, localBodyId: s.localBodyId })),
  };
}

// ---------------------------------------------------------------- schools in tiers

export interface SchoolPlacement {
  name: string;
  urn: number;
  tier: Tier | null;
  decidedOn: string | null;
  nextReviewOn: string | null;
  reviewStatus: ReviewStatus;
}

/**
 * The schools of each tier, by name. A school with no tier decided is listed with the standard tier
 * (T2), whose cadence its reviews follow, marked as not decided.
 */
export function schoolsByTier(placements: readonly SchoolPlacement[]): Record<Tier, DocumentTierSchool[]> {
  const byTier = Object.fromEntries(TIERS.map((t) => [t, [] as DocumentTierSchool[]])) as Record<Tier, DocumentTierSchool[]>;
  for (const p of [...placements].sort((a, b) => a.name.localeCompare(b.name))) {
    byTier[p.tier ?? "T2"].push({
      name: p.name,
      urn: p.urn,
      decided: p.tier !== null,
      decidedOn: p.decidedOn,
      nextReviewOn: p.nextReviewOn,
      reviewStatus: REVIEW_STATUS_LABELS[p.reviewStatus],
    });
  }
  return byTier;
}

// ---------------------------------------------------------------- changes since the version before

/** The difference from the version before, in sentences under headings; sections with nothing to say are left out. */
export function changeSections(diff: VersionDiff, tierNames: Record<Tier, string>): DocumentChanges["sections"] {
  const named = (r: { ref: string; title: string }) => `${r.ref} ${r.title}`;
  const sections: DocumentChanges["sections"] = [
    {
      heading: "Responsibilities",
      lines: [
        ...diff.rows.added.map((r) => `Added: ${named(r)}.`),
        ...diff.rows.retired.map((r) => `Retired: ${named(r)}.`),
        ...[...diff.rows.renamed, ...diff.rows.amended].map((c) => `${named(c.after)}: ${rowChangeWords(c).join("; ")}.`),
      ],
    },
    ...diff.cells.map((area) => ({
      heading: `Decisions: ${area.areaName}`,
      lines: area.changes.map((c) => `${named(c)}, ${c.column}: ${cellChangeWords(c.from, c.to)}.`),
    })),
    ...diff.tiers.map((t) => ({
      heading: `Variants for ${tierNames[t.tier]} (${t.tier})`,
      lines: t.changes.map((c) => `${named(c)}, ${c.column}: ${variantChangeWords(c.from, c.to)}.`),
    })),
    ...diff.schools.map((s) => ({
      heading: `Variations for ${s.schoolName}`,
      lines: s.changes.map((c) => `${named(c)}, ${c.column}: ${variantChangeWords(c.from, c.to)}.`),
    })),
    {
      heading: "Structure",
      lines: [
        ...[...diff.structure.columns.added, ...diff.structure.boards.added].map((b) => `Added: ${b.name}.`),
        ...[...diff.structure.columns.removed, ...diff.structure.boards.removed].map((b) => `Removed: ${b.name}.`),
        ...[...diff.structure.columns.changed, ...diff.structure.boards.changed].flatMap((c) => {
          const words = bodyChangeWords(c);
          return words.length > 0 ? [`${c.after.name}: ${words.join("; ")}.`] : [];
        }),
        ...diff.structure.schools.added.map((s) => `School joined: ${s.name}.`),
        ...diff.structure.schools.removed.map((s) => `School left: ${s.name}.`),
        ...diff.structure.schools.changed.map((c) => `${c.after.name}: ${schoolChangeWords(c).join("; ")}.`),
      ],
    },
  ];
  return sections.filter((s) => s.lines.length > 0);
}
