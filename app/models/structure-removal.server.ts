/**
 * Removing a governance body or a school. The page first shows what a removal would clear (the
 * plan); confirming carries the plan's key, and the removal does exactly that, in one transaction
 * with its audit entries, or nothing if the plan has changed since. A body that an approved or
 * superseded version still names is retired (kept in the records) instead of deleted (ADR 004).
 */
import { createHash } from "node:crypto";
import { and, asc, count, desc, eq, inArray, isNotNull, ne, or, sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import {
  auditLog,
  cells,
  governanceBodies,
  performanceRecords,
  responsibilities,
  schemeRows,
  schemeVersions,
  schoolCells,
  schoolReviews,
  schools,
  tierCells,
  tierDecisions,
} from "../../db/schema";
import { NotFoundError, RuleError, StaleWriteError } from "../domain/errors";
import type { BodyKind } from "../domain/structure";
import { recordAudit, type Actor, type AuditEntry } from "./audit.server";

interface Named {
  id: string;
  name: string;
}

/** A cell of the draft that the removal clears. */
export interface ClearedCell {
  rowId: string;
  ref: string;
  title: string;
  /** The column (body) the cell is in. */
  column: string;
  code: string | null;
  /** The autonomy tier of a tier variant, or the school of a school variation. */
  tier?: string;
  school?: string;
}

export interface BodyRemovalPlan {
  body: Named & { kind: BodyKind; isColumn: boolean; version: number };
  /** The individual boards under a column, removed with it. */
  boards: Named[];
  /** The trust's draft, whose cells in the removed columns are cleared. */
  draft: { id: string; number: number } | null;
  cells: ClearedCell[];
  tierVariants: ClearedCell[];
  schoolVariations: ClearedCell[];
  /** Schools whose cluster or local board is emptied. */
  schools: (Named & { field: "cluster" | "local"; board: string })[];
  /** Bodies that sat under a removed body in the chart, and where they will sit instead (null: at the top). */
  children: (Named & { from: string; to: Named | null })[];
  /** Removed bodies kept in the records, retired, because something settled still names them. */
  retired: (Named & { reasons: string[] })[];
  /** Names this plan, so that a confirmation is applied only to what it was given for. */
  key: string;
}

export interface SchoolRemovalPlan {
  school: Named & { urn: number; version: number };
  draft: { id: string; number: number } | null;
  /** The school's own variations in the draft, removed with it. */
  variations: ClearedCell[];
  performanceRecords: number;
  tierDecisions: number;
  reviews: number;
  /** Approved or superseded versions holding variations for the school: while they stand, it cannot be removed. */
  settledVersions: number[];
  key: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function keyOf(value: unknown): string {
  return createHash("sha256").update(JSON.stringify(value)).digest("hex").slice(0, 20);
}

async function findDraft(db: Database, trustId: string) {
  const [draft] = await db
    .select({ id: schemeVersions.id, number: schemeVersions.number })
    .from(schemeVersions)
    .where(and(eq(schemeVersions.trustId, trustId), eq(schemeVersions.status, "draft")));
  return draft ?? null;
}

/** Numbers of versions, "version 2" or "versions 1 and 2". */
function versionList(numbers: number[]): string {
  const sorted = [...new Set(numbers)].sort((a, b) => a - b);
  if (sorted.length === 1) return `version ${sorted[0]}`;
  return `versions ${sorted.slice(0, -1).join(", ")} and ${sorted.at(-1)}`;
}

// ---------------------------------------------------------------- bodies

/** What removing the body would clear, or null when the trust has no such active body. */
export async function planBodyRemoval(db: Database, trustId: string, id: string): Promise<BodyRemovalPlan | null> {
  if (!UUID.test(id)) return null;
  const all = await db.select().from(governanceBodies).where(eq(governanceBodies.trustId, trustId));
  const body = all.find((b) => b.id === id && b.retiredAt === null);
  if (!body) return null;
  const active = all.filter((b) => b.retiredAt === null);
  const byId = new Map(all.map((b) => [b.id, b]));
  const boards = body.columnId === null ? active.filter((b) => b.columnId === body.id).sort((a, b) => a.position - b.position || a.name.localeCompare(b.name)) : [];
  const removed = [body, ...boards];
  const ids = removed.map((b) => b.id);
  const removing = new Set(ids);
  const draft = await findDraft(db, trustId);

  const cleared = draft ? await draftCells(db, draft.id, ids) : { cells: [], tierVariants: [], schoolVariations: [] };

  const covered = await db
    .select()
    .from(schools)
    .where(and(eq(schools.trustId, trustId), or(inArray(schools.clusterBodyId, ids), inArray(schools.localBodyId, ids))))
    .orderBy(asc(schools.name));
  const schoolList = covered.flatMap((s) => [
    ...(s.clusterBodyId && removing.has(s.clusterBodyId) ? [{ id: s.id, name: s.name, field: "cluster" as const, board: byId.get(s.clusterBodyId)!.name }] : []),
    ...(s.localBodyId && removing.has(s.localBodyId) ? [{ id: s.id, name: s.name, field: "local" as const, board: byId.get(s.localBodyId)!.name }] : []),
  ]);

  // A child moves up to the nearest body above it that stays.
  const newParent = (parentId: string | null): string | null => {
    let at = parentId;
    const seen = new Set<string>();
    while (at && removing.has(at) && !seen.has(at)) {
      seen.add(at);
      at = byId.get(at)!.parentId;
    }
    return at && !removing.has(at) ? at : null;
  };
  const children = active
    .filter((b) => !removing.has(b.id) && b.parentId && removing.has(b.parentId))
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((b) => {
      const to = newParent(b.parentId);
      return { id: b.id, name: b.name, from: byId.get(b.parentId!)!.name, to: to ? { id: to, name: byId.get(to)!.name } : null };
    });

  const reasons = await retirementReasons(db, trustId, ids);
  const retired = removed.filter((b) => reasons.has(b.id)).map((b) => ({ id: b.id, name: b.name, reasons: reasons.get(b.id)! }));

  const plan: Omit<BodyRemovalPlan, "key"> = {
    body: { id: body.id, name: body.name, kind: body.kind as BodyKind, isColumn: body.columnId === null, version: body.version },
    boards: boards.map((b) => ({ id: b.id, name: b.name })),
    draft,
    ...cleared,
    schools: schoolList,
    children,
    retired,
  };
  return { ...plan, key: keyOf(plan) };
}

async function draftCells(db: Database, draftId: string, bodyIds: string[]) {
  const rowOrder = [asc(responsibilities.area), asc(responsibilities.position), asc(responsibilities.ref)];
  const base = await db
    .select({ rowId: cells.responsibilityId, ref: responsibilities.ref, title: responsibilities.title, column: governanceBodies.name, code: cells.code })
    .from(cells)
    .innerJoin(responsibilities, eq(responsibilities.id, cells.responsibilityId))
    .innerJoin(governanceBodies, eq(governanceBodies.id, cells.bodyId))
    .where(and(eq(cells.versionId, draftId), inArray(cells.bodyId, bodyIds)))
    .orderBy(...rowOrder, asc(governanceBodies.name));
  const tiers = await db
    .select({
      rowId: tierCells.responsibilityId,
      ref: responsibilities.ref,
      title: responsibilities.title,
      column: governanceBodies.name,
      code: tierCells.code,
      tier: tierCells.tier,
    })
    .from(tierCells)
    .innerJoin(responsibilities, eq(responsibilities.id, tierCells.responsibilityId))
    .innerJoin(governanceBodies, eq(governanceBodies.id, tierCells.bodyId))
    .where(and(eq(tierCells.versionId, draftId), inArray(tierCells.bodyId, bodyIds)))
    .orderBy(...rowOrder, asc(tierCells.tier));
  const own = await db
    .select({
      rowId: schoolCells.responsibilityId,
      ref: responsibilities.ref,
      title: responsibilities.title,
      column: governanceBodies.name,
      code: schoolCells.code,
      school: schools.name,
    })
    .from(schoolCells)
    .innerJoin(responsibilities, eq(responsibilities.id, schoolCells.responsibilityId))
    .innerJoin(governanceBodies, eq(governanceBodies.id, schoolCells.bodyId))
    .innerJoin(schools, eq(schools.id, schoolCells.schoolId))
    .where(and(eq(schoolCells.versionId, draftId), inArray(schoolCells.bodyId, bodyIds)))
    .orderBy(...rowOrder, asc(schools.name));
  return { cells: base, tierVariants: tiers, schoolVariations: own };
}

/** Why each of these bodies must be kept in the records: settled versions or decisions that name it. */
async function retirementReasons(db: Database, trustId: string, ids: string[]): Promise<Map<string, string[]>> {
  const reasons = new Map<string, string[]>();
  const add = (id: string, reason: string) => reasons.set(id, [...(reasons.get(id) ?? []), reason]);

  const settled = new Map<string, number[]>();
  for (const table of [cells, tierCells, schoolCells]) {
    const rows = await db
      .selectDistinct({ bodyId: table.bodyId, number: schemeVersions.number })
      .from(table)
      .innerJoin(schemeVersions, eq(schemeVersions.id, table.versionId))
      .where(and(eq(table.trustId, trustId), inArray(table.bodyId, ids), ne(schemeVersions.status, "draft")));
    for (const r of rows) settled.set(r.bodyId, [...(settled.get(r.bodyId) ?? []), r.number]);
  }
  for (const [id, numbers] of settled) add(id, `the matrix of approved ${versionList(numbers)} names it`);

  const approvals = await db
    .select({ bodyId: schemeVersions.approvedByBodyId, number: schemeVersions.number })
    .from(schemeVersions)
    .where(and(eq(schemeVersions.trustId, trustId), inArray(schemeVersions.approvedByBodyId, ids)));
  const approvedBy = new Map<string, number[]>();
  for (const a of approvals) approvedBy.set(a.bodyId!, [...(approvedBy.get(a.bodyId!) ?? []), a.number]);
  for (const [id, numbers] of approvedBy) add(id, `it approved ${versionList(numbers)}`);

  const decisions = await db
    .select({ bodyId: tierDecisions.decidedByBodyId, n: count() })
    .from(tierDecisions)
    .where(and(eq(tierDecisions.trustId, trustId), inArray(tierDecisions.decidedByBodyId, ids)))
    .groupBy(tierDecisions.decidedByBodyId);
  for (const d of decisions) add(d.bodyId, `it made ${d.n} recorded autonomy-tier decision${d.n === 1 ? "" : "s"}`);
  return reasons;
}

/**
 * Removes a body as its plan said: clears the draft's cells, tier variants and school variations
 * in its column(s), empties the schools it covered, moves the bodies under it up to its parent,
 * removes the individual boards under a column, and deletes each removed body or, where something
 * settled names it, retires it. Refused, changing nothing, when the body has been edited or the
 * plan has changed since the confirmation was shown.
 */
export async function removeBody(
  db: Database,
  actor: Actor,
  input: { trustId: string; id: string; expectedVersion: number; planKey: string },
): Promise<BodyRemovalPlan> {
  return db.transaction(async (tx) => {
    // Lock the trust's bodies first, so two removals (or a removal and an edit) cannot interleave.
    await tx.select({ id: governanceBodies.id }).from(governanceBodies).where(eq(governanceBodies.trustId, input.trustId)).for("update");
    const plan = await planBodyRemoval(tx, input.trustId, input.id);
    if (!plan) throw new NotFoundError("That governance body");
    if (plan.body.version !== input.expectedVersion) throw new StaleWriteError(plan.body.name);
    if (plan.key !== input.planKey) {
      throw new RuleError(
        `What removing ${plan.body.name} would clear has changed since you were asked (someone has edited the draft or the structure). Nothing was removed: read the list again and confirm.`,
      );
    }
    const ids = [plan.body.id, ...plan.boards.map((b) => b.id)];
    const names = new Map([[plan.body.id, plan.body.name], ...plan.boards.map((b) => [b.id, b.name] as const)]);
    const retiring = new Set(plan.retired.map((r) => r.id));
    const deleting = ids.filter((id) => !retiring.has(id));
    const audit: AuditEntry[] = [];

    if (plan.draft) {
      const draft = plan.draft;
      // Rows that lose cells have changed: an editor holding their old revision must reload them. The
      // rows are claimed before their cells go, in the order a save or an approval takes them (the rows,
      // then the version, which writing a cell holds; migration 0006).
      const touched = [...new Set([...plan.cells, ...plan.tierVariants, ...plan.schoolVariations].map((c) => c.rowId))];
      if (touched.length > 0) {
        await tx
          .update(schemeRows)
          .set({ revision: sql`${schemeRows.revision} + 1`, updatedAt: sql`now()` })
          .where(and(eq(schemeRows.versionId, draft.id), inArray(schemeRows.responsibilityId, touched)));
      }
      await tx.delete(cells).where(and(eq(cells.versionId, draft.id), inArray(cells.bodyId, ids)));
      await tx.delete(tierCells).where(and(eq(tierCells.versionId, draft.id), inArray(tierCells.bodyId, ids)));
      await tx.delete(schoolCells).where(and(eq(schoolCells.versionId, draft.id), inArray(schoolCells.bodyId, ids)));
      const why = `${plan.body.name} was removed`;
      for (const c of plan.cells) {
        audit.push(cellEntry(input.trustId, draft, c, "cell", `${c.ref} ${c.title}: ${c.column} ${c.code} → (empty) in version ${draft.number}, because ${why}`));
      }
      for (const c of plan.tierVariants) {
        audit.push(cellEntry(input.trustId, draft, c, "tier-cell", `${c.ref} ${c.title}: the ${c.tier} variant in ${c.column} is cleared in version ${draft.number}, because ${why}`));
      }
      for (const c of plan.schoolVariations) {
        audit.push(cellEntry(input.trustId, draft, c, "school-cell", `${c.ref} ${c.title}: ${c.school}'s variation in ${c.column} is cleared in version ${draft.number}, because ${why}`));
      }
    }

    const bump = { version: sql`${schools.version} + 1`, updatedAt: sql`now()` };
    await tx.update(schools).set({ clusterBodyId: null, ...bump }).where(and(eq(schools.trustId, input.trustId), inArray(schools.clusterBodyId, ids)));
    await tx.update(schools).set({ localBodyId: null, ...bump }).where(and(eq(schools.trustId, input.trustId), inArray(schools.localBodyId, ids)));
    for (const s of plan.schools) {
      const what = s.field === "cluster" ? "cluster" : "local board";
      audit.push({
        trustId: input.trustId,
        action: "update",
        entity: "school",
        entityId: s.id,
        summary: `${s.name} has no ${what} now: ${s.board} was removed`,
        before: { [what]: s.board },
        after: { [what]: null },
      });
    }

    for (const child of plan.children) {
      await tx
        .update(governanceBodies)
        .set({ parentId: child.to?.id ?? null, version: sql`${governanceBodies.version} + 1`, updatedAt: sql`now()` })
        .where(eq(governanceBodies.id, child.id));
      audit.push({
        trustId: input.trustId,
        action: "update",
        entity: "body",
        entityId: child.id,
        summary: child.to
          ? `${child.name} now sits under ${child.to.name} in the chart, because ${child.from} was removed`
          : `${child.name} now sits at the top of the chart, because ${child.from} was removed`,
        before: { parent: child.from },
        after: { parent: child.to?.name ?? null },
      });
    }

    if (retiring.size > 0) {
      await tx
        .update(governanceBodies)
        .set({ retiredAt: sql`now()`, version: sql`${governanceBodies.version} + 1`, updatedAt: sql`now()` })
        .where(inArray(governanceBodies.id, [...retiring]));
    }
    if (deleting.length > 0) {
      // Retired bodies keep their place in the settled versions' snapshots; their live links to a deleted body go.
      await tx
        .update(governanceBodies)
        .set({ parentId: null })
        .where(and(eq(governanceBodies.trustId, input.trustId), isNotNull(governanceBodies.retiredAt), inArray(governanceBodies.parentId, deleting)));
      await tx
        .update(governanceBodies)
        .set({ columnId: null })
        .where(and(eq(governanceBodies.trustId, input.trustId), isNotNull(governanceBodies.retiredAt), inArray(governanceBodies.columnId, deleting)));
      await tx.delete(governanceBodies).where(and(eq(governanceBodies.trustId, input.trustId), inArray(governanceBodies.id, deleting)));
    }
    for (const id of ids) {
      const retired = plan.retired.find((r) => r.id === id);
      const name = names.get(id)!;
      const under = id === plan.body.id ? "" : `, which answered under ${plan.body.name}`;
      audit.push({
        trustId: input.trustId,
        action: retired ? "retire" : "remove",
        entity: "body",
        entityId: id,
        summary: retired
          ? `Removed ${name}${under}; it is kept in the records, retired, because ${retired.reasons.join(" and ")}`
          : `Removed ${name}${under}`,
        before: id === plan.body.id ? { name, kind: plan.body.kind, column: plan.body.isColumn ? null : "individual board" } : { name, column: plan.body.name },
        after: retired ? { retired: true } : null,
      });
    }
    for (let i = 0; i < audit.length; i += 1000) await recordAudit(tx, actor, audit.slice(i, i + 1000));
    return plan;
  });
}

/**
 * What was removed, in the words of the audit log, for the page shown after a removal: the
 * address names the removed body or school, never the words shown, so a link cannot put words
 * on the page.
 */
export async function removalNotice(db: Database, trustId: string, entityId: string): Promise<string | null> {
  if (!UUID.test(entityId)) return null;
  const [entry] = await db
    .select({ summary: auditLog.summary })
    .from(auditLog)
    .where(
      and(
        eq(auditLog.trustId, trustId),
        eq(auditLog.entityId, entityId),
        inArray(auditLog.entity, ["body", "school"]),
        inArray(auditLog.action, ["remove", "retire"]),
      ),
    )
    .orderBy(desc(auditLog.at), desc(auditLog.id))
    .limit(1);
  return entry?.summary ?? null;
}

function cellEntry(trustId: string, draft: { id: string }, c: ClearedCell, entity: string, summary: string): AuditEntry {
  return {
    trustId,
    action: "update",
    entity,
    entityId: c.rowId,
    versionId: draft.id,
    responsibilityId: c.rowId,
    summary,
    before: { column: c.column, code: c.code, ...(c.tier ? { tier: c.tier } : {}), ...(c.school ? { school: c.school } : {}) },
    after: { code: null },
  };
}

// ---------------------------------------------------------------- schools

/** What removing the school would take with it, or null when the trust has no such school. */
export async function planSchoolRemoval(db: Database, trustId: string, id: string): Promise<SchoolRemovalPlan | null> {
  if (!UUID.test(id)) return null;
  const [school] = await db.select().from(schools).where(and(eq(schools.trustId, trustId), eq(schools.id, id)));
  if (!school) return null;
  const draft = await findDraft(db, trustId);
  const variations = draft
    ? await db
        .select({
          rowId: schoolCells.responsibilityId,
          ref: responsibilities.ref,
          title: responsibilities.title,
          column: governanceBodies.name,
          code: schoolCells.code,
        })
        .from(schoolCells)
        .innerJoin(responsibilities, eq(responsibilities.id, schoolCells.responsibilityId))
        .innerJoin(governanceBodies, eq(governanceBodies.id, schoolCells.bodyId))
        .where(and(eq(schoolCells.versionId, draft.id), eq(schoolCells.schoolId, id)))
        .orderBy(asc(responsibilities.area), asc(responsibilities.position), asc(responsibilities.ref), asc(governanceBodies.name))
    : [];
  const tally = async (table: typeof performanceRecords | typeof tierDecisions | typeof schoolReviews) => {
    const [row] = await db.select({ n: count() }).from(table).where(and(eq(table.trustId, trustId), eq(table.schoolId, id)));
    return row!.n;
  };
  const settled = await db
    .selectDistinct({ number: schemeVersions.number })
    .from(schoolCells)
    .innerJoin(schemeVersions, eq(schemeVersions.id, schoolCells.versionId))
    .where(and(eq(schoolCells.trustId, trustId), eq(schoolCells.schoolId, id), ne(schemeVersions.status, "draft")))
    .orderBy(asc(schemeVersions.number));
  const plan: Omit<SchoolRemovalPlan, "key"> = {
    school: { id: school.id, name: school.name, urn: school.urn, version: school.version },
    draft,
    variations,
    performanceRecords: await tally(performanceRecords),
    tierDecisions: await tally(tierDecisions),
    reviews: await tally(schoolReviews),
    settledVersions: settled.map((s) => s.number),
  };
  return { ...plan, key: keyOf(plan) };
}

/** Why a school cannot be removed, or null when it can. */
export function schoolRemovalBlocked(plan: SchoolRemovalPlan): string | null {
  if (plan.settledVersions.length === 0) return null;
  return `${plan.school.name} cannot be removed: approved ${versionList(plan.settledVersions)} of the scheme hold${plan.settledVersions.length === 1 ? "s" : ""} variations for it, and an approved version is a record that never changes. Its cluster and local board can still be changed.`;
}

/** Removes a school with its draft variations, performance records, tier decisions and reviews, as its plan said. */
export async function removeSchool(
  db: Database,
  actor: Actor,
  input: { trustId: string; id: string; expectedVersion: number; planKey: string },
): Promise<SchoolRemovalPlan> {
  return db.transaction(async (tx) => {
    await tx.select({ id: schools.id }).from(schools).where(and(eq(schools.trustId, input.trustId), eq(schools.id, input.id))).for("update");
    const plan = await planSchoolRemoval(tx, input.trustId, input.id);
    if (!plan) throw new NotFoundError("That school");
    if (plan.school.version !== input.expectedVersion) throw new StaleWriteError(plan.school.name);
    const blocked = schoolRemovalBlocked(plan);
    if (blocked) throw new RuleError(blocked);
    if (plan.key !== input.planKey) {
      throw new RuleError(
        `What removing ${plan.school.name} would take with it has changed since you were asked. Nothing was removed: read the list again and confirm.`,
      );
    }
    const audit: AuditEntry[] = [];
    if (plan.draft) {
      const draft = plan.draft;
      await tx.delete(schoolCells).where(and(eq(schoolCells.versionId, draft.id), eq(schoolCells.schoolId, plan.school.id)));
      for (const c of plan.variations) {
        audit.push(
          cellEntry(input.trustId, draft, { ...c, school: plan.school.name }, "school-cell", `${c.ref} ${c.title}: ${plan.school.name}'s variation in ${c.column} is removed from version ${draft.number} with the school`),
        );
      }
    }
    // Performance records, tier decisions and reviews go with the school (their foreign keys cascade).
    await tx.delete(schools).where(and(eq(schools.trustId, input.trustId), eq(schools.id, plan.school.id)));
    audit.push({
      trustId: input.trustId,
      action: "remove",
      entity: "school",
      entityId: plan.school.id,
      summary: `Removed the school ${plan.school.name} (URN ${plan.school.urn})`,
      before: {
        name: plan.school.name,
        urn: plan.school.urn,
        draftVariations: plan.variations.length,
        performanceRecords: plan.performanceRecords,
        tierDecisions: plan.tierDecisions,
        reviews: plan.reviews,
      },
      after: null,
    });
    for (let i = 0; i < audit.length; i += 1000) await recordAudit(tx, actor, audit.slice(i, i + 1000));
    return plan;
  });
}
