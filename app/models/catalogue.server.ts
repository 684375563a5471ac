/**
 * The trust's responsibility catalogue: adding, editing, reordering, renumbering, retiring and
 * restoring rows. The catalogue is live (ADR 004): the draft shows it as it stands and approved
 * versions read their frozen snapshot, so a retired row stays in every version that named it.
 */
import { createHash } from "node:crypto";
import { and, eq, inArray, isNotNull, isNull, ne, sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { cells, governanceBodies, responsibilities, schemeRows, schoolCells, schools, tierCells } from "../../db/schema";
import { AREA_NUMBERS, UNCLASSIFIED_AREA, areaName } from "../domain/areas";
import {
  CATALOGUE_TAGS,
  GUIDANCE_MAX,
  SECTION_MAX,
  TITLE_MAX,
  byCatalogueOrder,
  constraintLockReason,
  constraintProblem,
  isStatutory,
  nextRef,
  normaliseDecisionKinds,
  normaliseExcludedKinds,
  refProblem,
  renumberPlan,
  tagProblem,
  type RenumberChange,
} from "../domain/catalogue-refs";
import type { DecisionCode } from "../domain/codes";
import { NotFoundError, RuleError, StaleWriteError } from "../domain/errors";
import { forbiddenReason, type SchemeRow } from "../domain/scheme";
import { isBodyKind, type BodyKind } from "../domain/structure";
import { recordAudit, type Actor, type AuditEntry } from "./audit.server";
import { updateIfUnchanged } from "./concurrency.server";
import { findDraft, toSchemeRow } from "./scheme.server";

export type Responsibility = typeof responsibilities.$inferSelect;

const WHAT = "this responsibility";
const RETIRE_REASON_MAX = 500;

export interface Constraint {
  /** Kinds allowed to hold D; null for any. */
  decisionKinds: BodyKind[] | null;
  /** Kinds that take no part at all (—); null for none. */
  excludedKinds: BodyKind[] | null;
}

export interface RowFields {
  area: number;
  title: string;
  guidance?: string | null;
  /** The trust's own section heading, for the document. */
  section?: string | null;
  /** Empty when adding: the next number in its area. */
  ref?: string | null;
  /** The editor's tags (CATALOGUE_TAGS) the row carries; any other tags it has are kept. */
  tags?: string[];
  /** Only the trust's own rows may change it; undefined leaves it as it is. */
  constraint?: Constraint;
}

// ---------------------------------------------------------------- reading

export async function listCatalogue(db: Database, trustId: string): Promise<{ live: Responsibility[]; retired: Responsibility[] }> {
  const rows = await db.select().from(responsibilities).where(eq(responsibilities.trustId, trustId));
  return {
    live: rows.filter((r) => r.retiredAt === null).sort(byCatalogueOrder),
    retired: rows.filter((r) => r.retiredAt !== null).sort((a, b) => b.retiredAt!.getTime() - a.retiredAt!.getTime()),
  };
}

/** One row of the trust's catalogue, live or retired; null if it is not the trust's. */
export async function findResponsibility(db: Database, trustId: string, id: string): Promise<Responsibility | null> {
  if (!UUID.test(id)) return null;
  const [row] = await db
    .select()
    .from(responsibilities)
    .where(and(eq(responsibilities.trustId, trustId), eq(responsibilities.id, id)));
  return row ?? null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

async function liveRow(tx: Database, trustId: string, id: string, expectedVersion: number): Promise<Responsibility> {
  const row = await findResponsibility(tx, trustId, id);
  if (!row) throw new NotFoundError("That responsibility");
  if (row.retiredAt) throw new RuleError(`${row.ref} "${row.title}" is retired. Restore it before changing it.`);
  if (row.version !== expectedVersion) throw new StaleWriteError(WHAT);
  return row;
}

async function liveRows(tx: Database, trustId: string) {
  return tx
    .select({ id: responsibilities.id, ref: responsibilities.ref, title: responsibilities.title, area: responsibilities.area, position: responsibilities.position, version: responsibilities.version })
    .from(responsibilities)
    .where(and(eq(responsibilities.trustId, trustId), isNull(responsibilities.retiredAt)));
}

function endOfArea(rows: { area: number; position: number }[], area: number): number {
  return Math.max(0, ...rows.filter((r) => r.area === area).map((r) => r.position)) + 1;
}

// ---------------------------------------------------------------- checking what the trust typed

interface CheckedFields {
  area: number;
  title: string;
  guidance: string | null;
  section: string | null;
  ref: string | null;
  tags: string[];
  constraint: Constraint | undefined;
}

function optionalText(value: string | null | undefined, max: number, field: string, what: string): string | null {
  const text = (value ?? "").trim();
  if (text.length > max) throw new RuleError(`Use at most ${max.toLocaleString("en-GB")} characters for ${what} (this has ${text.length.toLocaleString("en-GB")}).`, field);
  return text.length > 0 ? text : null;
}

function checkFields(input: RowFields): CheckedFields {
  if (!AREA_NUMBERS.includes(input.area)) throw new RuleError("Choose one of the 12 areas, or Unclassified.", "area");
  const title = (input.title ?? "").trim();
  if (title.length === 0) throw new RuleError("Give the responsibility a title.", "title");
  if (title.length > TITLE_MAX) throw new RuleError(`Use at most ${TITLE_MAX} characters for the title (this has ${title.length}).`, "title");
  const ref = (input.ref ?? "").trim();
  const problem = ref.length > 0 ? refProblem(ref) : null;
  if (problem) throw new RuleError(problem, "ref");
  const known = CATALOGUE_TAGS.map((t) => t.tag as string);
  const tags = known.filter((t) => input.tags?.includes(t));
  if (input.tags?.some((t) => !known.includes(t))) throw new RuleError("Choose tags from the list.", "tags");
  const tagIssue = tagProblem(tags);
  if (tagIssue) throw new RuleError(tagIssue, "tags");
  let constraint: Constraint | undefined;
  if (input.constraint) {
    const given = [...(input.constraint.decisionKinds ?? []), ...(input.constraint.excludedKinds ?? [])];
    if (!given.every(isBodyKind)) throw new RuleError("Choose levels from the list.", "decisionKinds");
    constraint = {
      decisionKinds: normaliseDecisionKinds(input.constraint.decisionKinds),
      excludedKinds: normaliseExcludedKinds(input.constraint.excludedKinds),
    };
    const issue = constraintProblem(constraint.decisionKinds, constraint.excludedKinds);
    if (issue) throw new RuleError(issue.message, issue.field);
  }
  return {
    area: input.area,
    title,
    guidance: optionalText(input.guidance, GUIDANCE_MAX, "guidance", "the guidance"),
    section: optionalText(input.section, SECTION_MAX, "section", "the section heading"),
    ref: ref.length > 0 ? ref : null,
    tags,
    constraint,
  };
}

async function refuseRefClash(tx: Database, trustId: string, ref: string, exceptId?: string): Promise<void> {
  const [other] = await tx
    .select({ title: responsibilities.title, area: responsibilities.area })
    .from(responsibilities)
    .where(
      and(
        eq(responsibilities.trustId, trustId),
        isNull(responsibilities.retiredAt),
        eq(responsibilities.ref, ref),
        exceptId ? ne(responsibilities.id, exceptId) : undefined,
      ),
    );
  if (other) {
    throw new RuleError(`The ref ${ref} is already used by "${other.title}" (${areaName(other.area)}). Choose another ref, or change that row's first.`, "ref");
  }
}

function isRefClash(error: unknown): boolean {
  const cause = (error as { cause?: { code?: string; constraint_name?: string; constraint?: string } }).cause;
  return cause?.code === "23505" && (cause.constraint_name ?? cause.constraint) === "responsibilities_ref_key";
}

/** Two people giving rows the same ref at the same moment: the database refuses the second; say so in words. */
async function explainingRefClash<T>(db: Database, trustId: string, attempted: () => string | null, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (!isRefClash(error)) throw error;
    const ref = attempted();
    if (ref) await refuseRefClash(db, trustId, ref);
    throw new RuleError("Another row was given the same ref at the same moment. Choose another ref.", "ref");
  }
}

/** The audit's picture of a row: what the trust sees and edits. */
function described(r: Pick<Responsibility, "ref" | "area" | "section" | "title" | "guidance" | "tags" | "decisionKinds" | "excludedKinds" | "position">) {
  return {
    ref: r.ref,
    area: r.area,
    section: r.section,
    title: r.title,
    guidance: r.guidance,
    tags: r.tags,
    decisionKinds: r.decisionKinds,
    excludedKinds: r.excludedKinds,
    position: r.position,
  };
}

// ---------------------------------------------------------------- adding

/** Adds one of the trust's own rows at the end of its area; a draft gets it at once, with no cells. */
export async function addResponsibility(db: Database, actor: Actor, input: RowFields & { trustId: string }): Promise<Responsibility> {
  const fields = checkFields(input);
  let ref: string | null = fields.ref;
  return explainingRefClash(db, input.trustId, () => ref, () =>
    db.transaction(async (tx) => {
      const live = await liveRows(tx, input.trustId);
      ref = fields.ref ?? nextRef(fields.area, live.map((r) => r.ref));
      await refuseRefClash(tx, input.trustId, ref);
      const [row] = await tx
        .insert(responsibilities)
        .values({
          trustId: input.trustId,
          area: fields.area,
          section: fields.section,
          ref,
          title: fields.title,
          guidance: fields.guidance,
          decisionKinds: fields.constraint?.decisionKinds ?? null,
          excludedKinds: fields.constraint?.excludedKinds ?? null,
          tags: fields.tags,
          position: endOfArea(live, fields.area),
        })
        .returning();
      // Held as a draft until this commits: a draft being approved meanwhile is waited for, and then
      // takes no new row (the row waits for the next draft), instead of the approval being refused.
      const draft = await findDraft(tx, input.trustId, { lock: "share" });
      if (draft) {
        await tx.insert(schemeRows).values({ trustId: input.trustId, versionId: draft.id, responsibilityId: row!.id, revision: 1 });
      }
      await recordAudit(tx, actor, {
        trustId: input.trustId,
        action: "create",
        entity: "responsibility",
        entityId: row!.id,
        responsibilityId: row!.id,
        versionId: draft?.id ?? null,
        summary: `Added ${ref} "${fields.title}" to ${areaName(fields.area)}${draft ? ` (and to draft version ${draft.number})` : ""}`,
        after: described(row!),
      });
      return row!;
    }),
  );
}

// ---------------------------------------------------------------- editing

export interface RowEdit extends RowFields {
  trustId: string;
  id: string;
  expectedVersion: number;
}

const FIELD_NAMES: Record<string, string> = {
  ref: "ref",
  area: "area",
  section: "section heading",
  title: "title",
  guidance: "guidance",
  tags: "tags",
  decisionKinds: "who may decide",
  excludedKinds: "who takes no part",
};

/**
 * Changes a row if nobody has saved it since the editor read it. The constraint of a statutory row
 * is fixed; a new constraint on the trust's own row must not forbid a code the draft already holds.
 */
export async function editResponsibility(db: Database, actor: Actor, edit: RowEdit): Promise<Responsibility> {
  const fields = checkFields(edit);
  if (!fields.ref) throw new RuleError(refProblem("")!, "ref");
  const ref = fields.ref;
  return explainingRefClash(db, edit.trustId, () => ref, () =>
    db.transaction(async (tx) => {
      const current = await liveRow(tx, edit.trustId, edit.id, edit.expectedVersion);
      let constraint: Constraint = {
        decisionKinds: (current.decisionKinds as BodyKind[] | null) ?? null,
        excludedKinds: (current.excludedKinds as BodyKind[] | null) ?? null,
      };
      if (fields.constraint && JSON.stringify(fields.constraint) !== JSON.stringify(constraint)) {
        const locked = constraintLockReason(current);
        if (locked) throw new RuleError(locked, "decisionKinds");
        constraint = fields.constraint;
        await refuseForbiddenDraftCells(tx, edit.trustId, { ...toSchemeRow(current), ...constraint });
      }
      const others = current.tags.filter((t) => !CATALOGUE_TAGS.some((known) => known.tag === t));
      const next = {
        ref,
        area: fields.area,
        section: fields.section,
        title: fields.title,
        guidance: fields.guidance,
        tags: [...fields.tags, ...others],
        ...constraint,
      };
      const changed = (Object.keys(next) as (keyof typeof next)[]).filter((k) => JSON.stringify(next[k]) !== JSON.stringify(current[k]));
      if (changed.length === 0) return current;
      if (changed.includes("ref")) await refuseRefClash(tx, edit.trustId, ref, current.id);
      const position = changed.includes("area") ? endOfArea(await liveRows(tx, edit.trustId), fields.area) : current.position;
      await updateIfUnchanged(
        tx,
        responsibilities,
        { id: current.id, version: edit.expectedVersion, scope: eq(responsibilities.trustId, edit.trustId) },
        { ...next, position },
        WHAT,
      );
      const [updated] = await tx.select().from(responsibilities).where(eq(responsibilities.id, current.id));
      await recordAudit(tx, actor, {
        trustId: edit.trustId,
        action: "update",
        entity: "responsibility",
        entityId: current.id,
        responsibilityId: current.id,
        summary: `Changed the ${changed.map((k) => FIELD_NAMES[k]).join(", ")} of ${current.ref} "${current.title}"${changed.includes("ref") ? ` (now ${ref})` : ""}`,
        before: Object.fromEntries(changed.map((k) => [k, current[k]])),
        after: Object.fromEntries(changed.map((k) => [k, next[k]])),
      });
      return updated!;
    }),
  );
}

/** A constraint that would forbid a code the draft already holds on this row is refused, naming the cell. */
async function refuseForbiddenDraftCells(tx: Database, trustId: string, row: SchemeRow): Promise<void> {
  const draft = await findDraft(tx, trustId);
  if (!draft) return;
  const onRow = (table: typeof cells | typeof tierCells | typeof schoolCells) =>
    and(eq(table.versionId, draft.id), eq(table.responsibilityId, row.id), isNotNull(table.code));
  const base = await tx
    .select({ code: cells.code, kind: governanceBodies.kind, body: governanceBodies.name })
    .from(cells)
    .innerJoin(governanceBodies, eq(governanceBodies.id, cells.bodyId))
    .where(onRow(cells));
  const tiers = await tx
    .select({ code: tierCells.code, kind: governanceBodies.kind, body: governanceBodies.name, tier: tierCells.tier })
    .from(tierCells)
    .innerJoin(governanceBodies, eq(governanceBodies.id, tierCells.bodyId))
    .where(onRow(tierCells));
  const bespoke = await tx
    .select({ code: schoolCells.code, kind: governanceBodies.kind, body: governanceBodies.name, school: schools.name })
    .from(schoolCells)
    .innerJoin(governanceBodies, eq(governanceBodies.id, schoolCells.bodyId))
    .innerJoin(schools, eq(schools.id, schoolCells.schoolId))
    .where(onRow(schoolCells));
  const found = [
    ...base.map((c) => ({ ...c, where: "" })),
    ...tiers.map((c) => ({ ...c, where: ` in the ${c.tier} variant` })),
    ...bespoke.map((c) => ({ ...c, where: ` in ${c.school}'s variation` })),
  ];
  for (const cell of found) {
    const reason = forbiddenReason(row, cell.kind as BodyKind, cell.code as DecisionCode);
    if (reason) {
      throw new RuleError(
        `Draft version ${draft.number} has ${cell.code} for ${cell.body}${cell.where} on this row, which this constraint would forbid: ${reason} Change that cell in the matrix first, or keep the constraint as it was.`,
        "decisionKinds",
      );
    }
  }
}

// ---------------------------------------------------------------- order and numbering

/** Moves a row one place up or down within its area; refs stay as they are until the area is renumbered. */
export async function moveResponsibility(
  db: Database,
  actor: Actor,
  input: { trustId: string; id: string; expectedVersion: number; direction: "up" | "down" },
): Promise<void> {
  await db.transaction(async (tx) => {
    const current = await liveRow(tx, input.trustId, input.id, input.expectedVersion);
    const area = (await liveRows(tx, input.trustId)).filter((r) => r.area === current.area).sort(byCatalogueOrder);
    const at = area.findIndex((r) => r.id === current.id);
    const other = area[input.direction === "up" ? at - 1 : at + 1];
    if (!other) {
      throw new RuleError(`${current.ref} is already the ${input.direction === "up" ? "first" : "last"} row of ${areaName(current.area)}.`);
    }
    const order = [...area];
    order[at] = other;
    order[input.direction === "up" ? at - 1 : at + 1] = area[at]!;
    // Swapping two distinct positions moves only the two rows; rows sharing a position are numbered afresh.
    const positions = new Map<string, number>(
      other.position !== current.position
        ? [
            [current.id, other.position],
            [other.id, current.position],
          ]
        : order.map((r, i) => [r.id, i + 1]),
    );
    const entries: AuditEntry[] = [];
    for (const row of area) {
      const position = positions.get(row.id);
      if (position === undefined || position === row.position) continue;
      await updateIfUnchanged(tx, responsibilities, { id: row.id, version: row.version, scope: eq(responsibilities.trustId, input.trustId) }, { position }, WHAT);
      entries.push({
        trustId: input.trustId,
        action: "move",
        entity: "responsibility",
        entityId: row.id,
        responsibilityId: row.id,
        summary:
          row.id === current.id
            ? `Moved ${current.ref} "${current.title}" ${input.direction} in ${areaName(current.area)}`
            : `${row.ref} "${row.title}" moved ${input.direction === "up" ? "down" : "up"} as ${current.ref} moved ${input.direction}`,
        before: { position: row.position },
        after: { position },
      });
    }
    await recordAudit(tx, actor, entries);
  });
}

export interface RenumberPreview {
  /** The area renumbered, or null for areas 1–12. */
  area: number | null;
  changes: (RenumberChange & { title: string })[];
  /** Rows outside the renumbered areas that already hold one of the new refs: renumbering waits until they move. */
  clashes: { id: string; ref: string; area: number; title: string }[];
  /** Unclassified rows, which keep their refs. */
  unclassified: number;
  /** What the preview was computed from; confirming refuses if the catalogue changed since. */
  fingerprint: string;
}

async function planRenumber(tx: Database, trustId: string, area: number | null): Promise<RenumberPreview> {
  if (area !== null && !AREA_NUMBERS.includes(area)) throw new RuleError("Choose one of the 12 areas to renumber.", "area");
  if (area === UNCLASSIFIED_AREA) {
    throw new RuleError("Unclassified rows are not numbered by area. Give each one of the 12 areas first, then renumber that area.", "area");
  }
  const rows = await liveRows(tx, trustId);
  const plan = renumberPlan(rows, area);
  const titles = new Map(rows.map((r) => [r.id, r.title]));
  const fingerprint = createHash("sha256")
    .update(JSON.stringify([area, rows.map((r) => `${r.id}@${r.version}`).sort()]))
    .digest("hex");
  return {
    area,
    changes: plan.changes.map((c) => ({ ...c, title: titles.get(c.id)! })),
    clashes: plan.clashes.map((c) => ({ ...c, title: titles.get(c.id)! })),
    unclassified: rows.filter((r) => r.area === UNCLASSIFIED_AREA).length,
    fingerprint,
  };
}

/** What renumbering an area (or areas 1–12, with null) would change, to show before confirming. */
export async function previewRenumber(db: Database, trustId: string, area: number | null): Promise<RenumberPreview> {
  return planRenumber(db, trustId, area);
}

/**
 * Renumbers as previewed: refs become area.position (1.1, 1.2…) and positions follow. Refused if
 * the catalogue changed since the preview, or if a row elsewhere holds one of the new refs.
 */
export async function renumberCatalogue(
  db: Database,
  actor: Actor,
  input: { trustId: string; area: number | null; fingerprint: string },
): Promise<{ changed: number }> {
  try {
    return await db.transaction(async (tx) => {
      const plan = await planRenumber(tx, input.trustId, input.area);
      if (plan.fingerprint !== input.fingerprint) throw new StaleWriteError("the responsibilities");
      const clash = plan.clashes[0];
      if (clash) {
        throw new RuleError(
          `The ref ${clash.ref} is already used by "${clash.title}" in ${areaName(clash.area)}. Change that row's ref first, then renumber.`,
        );
      }
      const renamed = plan.changes.filter((c) => c.fromRef !== c.toRef);
      // The new refs are set in two steps, through placeholders no ref may hold, so that two rows can swap refs.
      await setInChunks(tx, input.trustId, renamed.map((c, i) => ({ id: c.id, ref: `\u001f${i}`, position: c.fromPosition })), false);
      await setInChunks(tx, input.trustId, plan.changes.map((c) => ({ id: c.id, ref: c.toRef, position: c.toPosition })), true);
      const entries: AuditEntry[] = plan.changes.map((c) => ({
        trustId: input.trustId,
        action: "renumber",
        entity: "responsibility",
        entityId: c.id,
        responsibilityId: c.id,
        summary:
          c.fromRef === c.toRef
            ? `Kept ${c.toRef} "${c.title}" as it was when renumbering; its place is now ${c.toPosition}`
            : `Renumbered ${c.fromRef} "${c.title}" as ${c.toRef}`,
        before: { ref: c.fromRef, position: c.fromPosition },
        after: { ref: c.toRef, position: c.toPosition },
      }));
      for (let i = 0; i < entries.length; i += 1000) await recordAudit(tx, actor, entries.slice(i, i + 1000));
      return { changed: renamed.length };
    });
  } catch (error) {
    if (isRefClash(error)) throw new StaleWriteError("the responsibilities");
    throw error;
  }
}

async function setInChunks(tx: Database, trustId: string, rows: { id: string; ref: string; position: number }[], bump: boolean): Promise<void> {
  for (let i = 0; i < rows.length; i += 1000) {
    const values = sql.join(
      rows.slice(i, i + 1000).map((r) => sql`(${r.id}::uuid, ${r.ref}::text, ${r.position}::integer)`),
      sql`, `,
    );
    await tx.execute(sql`
      update ${responsibilities}
      set ref = v.ref, position = v.position
        ${bump ? sql`, version = ${responsibilities.version} + 1, updated_at = now()` : sql``}
      from (values ${values}) as v(id, ref, position)
      where ${responsibilities.id} = v.id and ${responsibilities.trustId} = ${trustId}`);
  }
}

// ---------------------------------------------------------------- retiring and restoring

export interface RetireImpact {
  row: Responsibility;
  statutory: boolean;
  draft: { id: string; number: number } | null;
  cells: number;
  tierCells: number;
  schoolCells: number;
}

/** A draft's cells, tier variants and school variations on one row: what retiring the row deletes. */
export interface DraftCells {
  cells: { bodyId: string; code: string; note: string | null }[];
  tierCells: { tier: string; bodyId: string; code: string | null; note: string | null }[];
  schoolCells: { schoolId: string; bodyId: string; code: string | null; note: string | null }[];
}

const NO_CELLS: DraftCells = { cells: [], tierCells: [], schoolCells: [] };

/** The draft's cells on each of the rows, by row id (rows without any are left out). */
export async function draftCellsOf(tx: Database, versionId: string, rowIds: string[]): Promise<Map<string, DraftCells>> {
  const found = new Map<string, DraftCells>();
  const of = (rowId: string) => {
    let entry = found.get(rowId);
    if (!entry) found.set(rowId, (entry = { cells: [], tierCells: [], schoolCells: [] }));
    return entry;
  };
  for (let i = 0; i < rowIds.length; i += 1000) {
    const chunk = rowIds.slice(i, i + 1000);
    const onRows = (table: typeof cells | typeof tierCells | typeof schoolCells) =>
      and(eq(table.versionId, versionId), inArray(table.responsibilityId, chunk));
    const base = await tx.select({ rowId: cells.responsibilityId, bodyId: cells.bodyId, code: cells.code, note: cells.note }).from(cells).where(onRows(cells));
    const tiers = await tx
      .select({ rowId: tierCells.responsibilityId, tier: tierCells.tier, bodyId: tierCells.bodyId, code: tierCells.code, note: tierCells.note })
      .from(tierCells)
      .where(onRows(tierCells));
    const bespoke = await tx
      .select({ rowId: schoolCells.responsibilityId, schoolId: schoolCells.schoolId, bodyId: schoolCells.bodyId, code: schoolCells.code, note: schoolCells.note })
      .from(schoolCells)
      .where(onRows(schoolCells));
    for (const { rowId, ...c } of base) of(rowId).cells.push(c);
    for (const { rowId, ...c } of tiers) of(rowId).tierCells.push(c);
    for (const { rowId, ...c } of bespoke) of(rowId).schoolCells.push(c);
  }
  return found;
}

/** What retiring a row would delete from the draft, to ask about first. */
export async function retireImpact(db: Database, trustId: string, id: string): Promise<RetireImpact> {
  const row = await findResponsibility(db, trustId, id);
  if (!row || row.retiredAt) throw new NotFoundError("That responsibility");
  const draft = await findDraft(db, trustId);
  const found = (draft && (await draftCellsOf(db, draft.id, [row.id])).get(row.id)) || NO_CELLS;
  return {
    row,
    statutory: isStatutory(row),
    draft: draft ? { id: draft.id, number: draft.number } : null,
    cells: found.cells.length,
    tierCells: found.tierCells.length,
    schoolCells: found.schoolCells.length,
  };
}

export function clearedCount(impact: Pick<RetireImpact, "cells" | "tierCells" | "schoolCells">): number {
  return impact.cells + impact.tierCells + impact.schoolCells;
}

/**
 * Takes a row out of the live catalogue: the draft loses its cells, tier variants and school
 * variations on it (as many as the person was told, or nothing happens), while approved versions
 * keep it in their snapshot. A statutory row needs a reason, kept in its history.
 */
export async function retireResponsibility(
  db: Database,
  actor: Actor,
  input: { trustId: string; id: string; expectedVersion: number; expectedCleared: number; reason?: string | null },
): Promise<RetireImpact> {
  return db.transaction(async (tx) => {
    const row = await liveRow(tx, input.trustId, input.id, input.expectedVersion);
    const reason = (input.reason ?? "").trim() || null;
    const statutory = isStatutory(row);
    if (statutory && !reason) {
      throw new RuleError("Say why this statutory decision is being retired; the reason is kept in the row's history.", "reason");
    }
    if (reason && reason.length > RETIRE_REASON_MAX) {
      throw new RuleError(`Use at most ${RETIRE_REASON_MAX} characters for the reason (this has ${reason.length}).`, "reason");
    }
    let draft = await findDraft(tx, input.trustId);
    if (draft) {
      // The draft's row, then the draft held as one: the order a save or an approval takes them in
      // (migration 0006). A draft approved meanwhile is waited for, then left alone as approved versions are.
      await tx
        .select({ revision: schemeRows.revision })
        .from(schemeRows)
        .where(and(eq(schemeRows.versionId, draft.id), eq(schemeRows.responsibilityId, row.id)))
        .for("update");
      draft = await findDraft(tx, input.trustId, { lock: "share" });
    }
    const found = draft ? await draftCellsOf(tx, draft.id, [row.id]) : new Map<string, DraftCells>();
    const onRow = found.get(row.id) ?? NO_CELLS;
    const impact: RetireImpact = {
      row,
      statutory,
      draft: draft ? { id: draft.id, number: draft.number } : null,
      cells: onRow.cells.length,
      tierCells: onRow.tierCells.length,
      schoolCells: onRow.schoolCells.length,
    };
    if (clearedCount(impact) !== input.expectedCleared) throw new StaleWriteError("the draft's cells on this row");
    await retireRows(tx, actor, { trustId: input.trustId, draft: impact.draft, rows: [row], reason, draftCells: found });
    return impact;
  });
}

/**
 * Retires live rows, as read in this transaction: the draft loses their cells, tier variants, school
 * variations and its rows for them, and each row's history records what the draft lost and why.
 * Refused as stale if anyone has changed one of the rows since it was read. Shared by retiring a row
 * in the catalogue and by importing a file as the trust's whole scheme.
 */
export async function retireRows(
  tx: Database,
  actor: Actor,
  input: {
    trustId: string;
    draft: { id: string; number: number } | null;
    rows: Responsibility[];
    reason: string | null;
    /** The draft's cells on the rows, from draftCellsOf. */
    draftCells: Map<string, DraftCells>;
  },
): Promise<void> {
  const { trustId, draft, rows, reason } = input;
  for (let i = 0; i < rows.length; i += 1000) {
    const chunk = rows.slice(i, i + 1000);
    const ids = chunk.map((r) => r.id);
    if (draft) {
      const onRows = (table: typeof cells | typeof tierCells | typeof schoolCells | typeof schemeRows) =>
        and(eq(table.versionId, draft.id), inArray(table.responsibilityId, ids));
      // The rows first, then their cells: the order a save or an approval takes them in (migration 0006).
      await tx.delete(schemeRows).where(onRows(schemeRows));
      await tx.delete(cells).where(onRows(cells));
      await tx.delete(tierCells).where(onRows(tierCells));
      await tx.delete(schoolCells).where(onRows(schoolCells));
    }
    const values = sql.join(
      chunk.map((r) => sql`(${r.id}::uuid, ${r.version}::integer)`),
      sql`, `,
    );
    const retired = await tx
      .update(responsibilities)
      .set({ retiredAt: sql`now()`, version: sql`${responsibilities.version} + 1`, updatedAt: sql`now()` })
      .where(
        and(
          eq(responsibilities.trustId, trustId),
          isNull(responsibilities.retiredAt),
          sql`(${responsibilities.id}, ${responsibilities.version}) in (${values})`,
        ),
      )
      .returning({ id: responsibilities.id });
    if (retired.length !== chunk.length) throw new StaleWriteError(rows.length === 1 ? WHAT : "the responsibilities");
  }
  const entries: AuditEntry[] = rows.map((row) => {
    const found = input.draftCells.get(row.id) ?? NO_CELLS;
    const cleared = found.cells.length + found.tierCells.length + found.schoolCells.length;
    return {
      trustId,
      action: "retire",
      entity: "responsibility",
      entityId: row.id,
      responsibilityId: row.id,
      versionId: draft?.id ?? null,
      summary: `Retired ${row.ref} "${row.title}"${draft ? `; removed it from draft version ${draft.number} with ${cleared} ${cleared === 1 ? "cell" : "cells"}` : ""}${reason ? `. Reason: ${reason}` : ""}`,
      before: { ...described(row), draft: draft ? { number: draft.number, ...found } : null },
      after: { retired: true, reason },
    };
  });
  for (let i = 0; i < entries.length; i += 1000) await recordAudit(tx, actor, entries.slice(i, i + 1000));
}

/**
 * Brings a retired row back into the catalogue, at the end of its area and into the draft with no
 * cells. If another row has taken its ref meanwhile, it gets the next number in its area.
 */
export async function restoreResponsibility(
  db: Database,
  actor: Actor,
  input: { trustId: string; id: string; expectedVersion: number },
): Promise<{ row: Responsibility; previousRef: string | null }> {
  let ref: string | null = null;
  return explainingRefClash(db, input.trustId, () => ref, () =>
    db.transaction(async (tx) => {
      const row = await findResponsibility(tx, input.trustId, input.id);
      if (!row) throw new NotFoundError("That responsibility");
      if (!row.retiredAt) throw new RuleError(`${row.ref} "${row.title}" is already in the catalogue.`);
      if (row.version !== input.expectedVersion) throw new StaleWriteError(WHAT);
      const live = await liveRows(tx, input.trustId);
      const taken = live.some((r) => r.ref === row.ref);
      ref = taken ? nextRef(row.area, live.map((r) => r.ref)) : row.ref;
      const position = endOfArea(live, row.area);
      await updateIfUnchanged(
        tx,
        responsibilities,
        { id: row.id, version: input.expectedVersion, scope: eq(responsibilities.trustId, input.trustId) },
        { retiredAt: null, ref, position },
        WHAT,
      );
      // Held as a draft until this commits, as when a row is added.
      const draft = await findDraft(tx, input.trustId, { lock: "share" });
      if (draft) {
        await tx
          .insert(schemeRows)
          .values({ trustId: input.trustId, versionId: draft.id, responsibilityId: row.id, revision: 1 })
          .onConflictDoNothing();
      }
      const [restored] = await tx.select().from(responsibilities).where(eq(responsibilities.id, row.id));
      await recordAudit(tx, actor, {
        trustId: input.trustId,
        action: "restore",
        entity: "responsibility",
        entityId: row.id,
        responsibilityId: row.id,
        versionId: draft?.id ?? null,
        summary: `Restored ${ref} "${row.title}" to ${areaName(row.area)}${taken ? ` (its old ref ${row.ref} is now used by another row)` : ""}${draft ? ` and to draft version ${draft.number}, with no cells` : ""}`,
        before: { retired: true, ref: row.ref, position: row.position },
        after: { retired: false, ref, position },
      });
      return { row: restored!, previousRef: taken ? row.ref : null };
    }),
  );
}
