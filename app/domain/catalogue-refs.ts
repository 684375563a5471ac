/**
 * The trust's responsibility catalogue as its editor sees it: the order of rows, their refs
 * ("4.3": area 4, third row), renumbering, and each row's constraint in plain words.
 */
import { AREAS, UNCLASSIFIED_AREA } from "./areas";
import { INNOVATION_ELIGIBLE, STRAND_OF_CONSISTENCY } from "./catalogue";
import { permittedCodes, type SchemeRow } from "./scheme";
import { BODY_KINDS, BODY_KIND_LABELS, type BodyKind } from "./structure";

export const TITLE_MAX = 500;
export const GUIDANCE_MAX = 2000;
export const SECTION_MAX = 200;
export const REF_MAX = 20;

/** The tags the editor offers, in the words trustees use. */
export const CATALOGUE_TAGS = [
  {
    tag: STRAND_OF_CONSISTENCY,
    label: "Strand of consistency",
    hint: "Stays with the trust even for schools with earned autonomy.",
  },
  {
    tag: INNOVATION_ELIGIBLE,
    label: "Innovation-eligible",
    hint: "A school with earned autonomy may take this decision over.",
  },
] as const;

export function tagLabel(tag: string): string {
  return CATALOGUE_TAGS.find((t) => t.tag === tag)?.label ?? tag;
}

type Placed = Pick<SchemeRow, "area" | "position" | "ref">;
type Constrained = Pick<SchemeRow, "catalogueKey" | "statutoryRule" | "decisionKinds" | "excludedKinds" | "locked" | "externalApproval" | "title">;

const collator = new Intl.Collator("en-GB", { numeric: true, sensitivity: "base" });

/** "4.2" before "4.10", "A2" before "A10". */
export function compareRefs(a: string, b: string): number {
  return collator.compare(a, b);
}

/** Areas 1–12 in order, unclassified rows last; within an area by position, then ref. */
export function byCatalogueOrder(a: Placed, b: Placed): number {
  const rank = (area: number) => (area === UNCLASSIFIED_AREA ? AREAS.length + 1 : area);
  return rank(a.area) - rank(b.area) || a.position - b.position || compareRefs(a.ref, b.ref);
}

/** Why a ref cannot be used, or null when it can. */
export function refProblem(ref: string): string | null {
  if (ref.length === 0) return "Give the row a ref, such as 4.6.";
  if (ref.length > REF_MAX) return `Use at most ${REF_MAX} characters for the ref.`;
  if (/[\u0000-\u001f\u007f]/.test(ref)) return "Use letters, numbers and punctuation only in the ref.";
  return null;
}

/** The next "area.n" ref after the highest one the trust uses, whichever row holds it: 4.6 after 4.5. */
export function nextRef(area: number, liveRefs: readonly string[]): string {
  const pattern = new RegExp(`^${area}\\.(\\d+)$`);
  return `${area}.${Math.max(0, ...liveRefs.map((r) => Number(pattern.exec(r)?.[1] ?? 0))) + 1}`;
}

export interface RenumberChange {
  id: string;
  area: number;
  fromRef: string;
  toRef: string;
  fromPosition: number;
  toPosition: number;
}

export interface RenumberPlan {
  /** Rows whose ref or position changes (refs become area.position: 1.1, 1.2…). */
  changes: RenumberChange[];
  /** Rows outside the renumbered areas that already hold one of the new refs. */
  clashes: { id: string; ref: string; area: number }[];
}

/**
 * Numbers each row of the chosen area (or of areas 1–12) by its place: the third row of area 4
 * becomes 4.3 at position 3. Unclassified rows keep their refs until they are given an area.
 */
export function renumberPlan<R extends Placed & { id: string }>(rows: readonly R[], area: number | null): RenumberPlan {
  const inScope = (r: R) => (area === null ? r.area !== UNCLASSIFIED_AREA : r.area === area);
  const ordered = rows.filter(inScope).sort(byCatalogueOrder);
  const counters = new Map<number, number>();
  const changes: RenumberChange[] = [];
  for (const row of ordered) {
    const position = (counters.get(row.area) ?? 0) + 1;
    counters.set(row.area, position);
    const toRef = `${row.area}.${position}`;
    if (toRef !== row.ref || position !== row.position) {
      changes.push({ id: row.id, area: row.area, fromRef: row.ref, toRef, fromPosition: row.position, toPosition: position });
    }
  }
  const assigned = new Set<string>();
  for (const [a, count] of counters) for (let n = 1; n <= count; n += 1) assigned.add(`${a}.${n}`.toLowerCase());
  const clashes = rows
    .filter((r) => !inScope(r) && assigned.has(r.ref.toLowerCase()))
    .map((r) => ({ id: r.id, ref: r.ref, area: r.area }));
  return { changes, clashes };
}

/** Rows that come from the statutory catalogue or carry a statutory constraint keep it: the law sets it, not the trust. */
export function isStatutory(row: Pick<SchemeRow, "catalogueKey" | "statutoryRule">): boolean {
  return (row.catalogueKey?.startsWith("STAT-") ?? false) || Boolean(row.statutoryRule);
}

/** Why the row's constraint cannot be changed here, or null when the trust may set it. */
export function constraintLockReason(row: Pick<SchemeRow, "catalogueKey" | "statutoryRule">): string | null {
  if (!isStatutory(row)) return null;
  const rule = row.statutoryRule ? ` (${row.statutoryRule})` : "";
  return `This is a statutory decision${rule}: who may hold it is set by law, the trust's articles or the Academy Trust Handbook, so its constraint cannot be changed here.`;
}

function kindList(kinds: readonly BodyKind[]): string {
  const names = kinds.map((k) => BODY_KIND_LABELS[k].toLowerCase());
  return names.length <= 1 ? (names[0] ?? "") : `${names.slice(0, -1).join(", ")} or ${names[names.length - 1]}`;
}

/** The row's constraint in words: "Only the trust board may decide (ST-12)", "Headteacher and school leadership: not permitted here". */
export function constraintWords(row: Constrained): string[] {
  const words: string[] = [];
  const rule = row.statutoryRule ? ` (${row.statutoryRule})` : "";
  const asRow = { ...row, id: "", area: 0, section: null, ref: "", guidance: null, tags: [], position: 0 } satisfies SchemeRow;
  const closed = BODY_KINDS.filter((kind) => permittedCodes(asRow, kind).every((code) => code === "—"));
  if (row.decisionKinds && row.decisionKinds.length > 0) {
    words.push(`Only the ${kindList(row.decisionKinds)} may decide${rule}`);
  } else if (row.statutoryRule) {
    words.push(`Statutory duty${rule}; no level is fixed`);
  }
  for (const kind of closed) words.push(`${BODY_KIND_LABELS[kind]}: not permitted here`);
  if (row.locked) words.push("The same for every school: it does not vary by autonomy tier");
  if (row.externalApproval) words.push("Needs approval from outside the trust (the DfE or the diocese)");
  if (words.length === 0) words.push("Any level may decide");
  return words;
}

/** Why a constraint the trust sets for its own row cannot stand, or null when it can. */
export function constraintProblem(decisionKinds: readonly BodyKind[] | null, excludedKinds: readonly BodyKind[] | null): { field: string; message: string } | null {
  const both = (decisionKinds ?? []).filter((k) => excludedKinds?.includes(k));
  if (both.length > 0) {
    return {
      field: "excludedKinds",
      message: `The ${kindList(both)} cannot both decide and take no part. Untick one of the two.`,
    };
  }
  if (excludedKinds && excludedKinds.length === BODY_KINDS.length) {
    return { field: "excludedKinds", message: "At least one level must be able to take part in this decision." };
  }
  return null;
}

/** Who may decide: nothing ticked, or every kind ticked, both mean "any level". Kept in tier order. */
export function normaliseDecisionKinds(kinds: readonly BodyKind[] | null | undefined): BodyKind[] | null {
  if (!kinds || kinds.length === 0 || BODY_KINDS.every((k) => kinds.includes(k))) return null;
  return BODY_KINDS.filter((k) => kinds.includes(k));
}

/** Who takes no part: nothing ticked means none. Kept in tier order. */
export function normaliseExcludedKinds(kinds: readonly BodyKind[] | null | undefined): BodyKind[] | null {
  if (!kinds || kinds.length === 0) return null;
  return BODY_KINDS.filter((k) => kinds.includes(k));
}

export function tagProblem(tags: readonly string[]): string | null {
  if (tags.includes(STRAND_OF_CONSISTENCY) && tags.includes(INNOVATION_ELIGIBLE)) {
    return "A row cannot be both a strand of consistency (kept by the trust for every school) and innovation-eligible (a school with earned autonomy may take it over). Choose one.";
  }
  return null;
}
