/**
 * Scheme versions and their cells. A draft reads the trust's live structure and catalogue; an
 * approved or superseded version reads the snapshot frozen when it was approved (ADR 004).
 */
import { and, asc, desc, eq, inArray, isNotNull, isNull, lt, sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import {
  cells,
  findingAcknowledgements,
  governanceBodies,
  responsibilities,
  schemeRows,
  schemeVersions,
  schoolCells,
  schools,
  tierCells,
  trusts,
} from "../../db/schema";
import { canApprove } from "../domain/approval";
import type { Tier } from "../domain/autonomy";
import type { DecisionCode } from "../domain/codes";
import { NotFoundError, RuleError, StaleWriteError } from "../domain/errors";
import {
  byArea,
  byTierOrder,
  cellKey,
  forbiddenReason,
  type Scheme,
  type SchemeBoard,
  type SchemeColumn,
  type SchemeRow,
  type SchemeSchool,
  type SchemeSnapshot,
  type SchemeVersionInfo,
} from "../domain/scheme";
import type { BodyKind, BodyPurpose, DecisionMode, SchoolPhase } from "../domain/structure";
import { versionNumberFromParam, type VersionStatus } from "../domain/versions";
import { recordAudit, type Actor } from "./audit.server";
import { loadMatrix } from "./matrix.server";
import { draftRace, notDraft, settledVersion } from "./version-refusals.server";

export type VersionRecord = typeof schemeVersions.$inferSelect;

/** A row was saved by someone else first; carries that row as it now stands, for the page to show. */
export class StaleRowError extends StaleWriteError {
  constructor(
    readonly rowId: string,
    readonly revision: number,
    readonly codes: Record<string, DecisionCode>,
  ) {
    super("this row");
  }
}

export async function listVersions(db: Database, trustId: string): Promise<VersionRecord[]> {
  return db.select().from(schemeVersions).where(eq(schemeVersions.trustId, trustId)).orderBy(desc(schemeVersions.number));
}

export async function findVersionByNumber(db: Database, trustId: string, number: number): Promise<VersionRecord | null> {
  const [row] = await db
    .select()
    .from(schemeVersions)
    .where(and(eq(schemeVersions.trustId, trustId), eq(schemeVersions.number, number)));
  return row ?? null;
}

/** The version named in a URL ("/versions/3"), or null for anything that is not one of the trust's version numbers. */
export async function findVersionByParam(db: Database, trustId: string, param: string | undefined): Promise<VersionRecord | null> {
  const number = versionNumberFromParam(param);
  return number === null ? null : findVersionByNumber(db, trustId, number);
}

/**
 * The trust's draft, if it has one. `lock: "share"` holds it as a draft until the transaction ends: an
 * approval or discard in flight is waited for, and a draft approved meanwhile is not found.
 */
export async function findDraft(db: Database, trustId: string, options: { lock?: "share" } = {}): Promise<VersionRecord | null> {
  const query = db
    .select()
    .from(schemeVersions)
    .where(and(eq(schemeVersions.trustId, trustId), eq(schemeVersions.status, "draft")));
  const [row] = options.lock ? await query.for(options.lock) : await query;
  return row ?? null;
}

async function latestApproved(db: Database, trustId: string): Promise<VersionRecord | null> {
  const [row] = await db
    .select()
    .from(schemeVersions)
    .where(and(eq(schemeVersions.trustId, trustId), eq(schemeVersions.status, "approved")))
    .orderBy(desc(schemeVersions.number))
    .limit(1);
  return row ?? null;
}

// ---------------------------------------------------------------- the live structure and catalogue

function toColumn(b: typeof governanceBodies.$inferSelect): SchemeColumn {
  return { id: b.id, kind: b.kind as BodyKind, name: b.name, shortName: b.shortName, mode: b.mode as DecisionMode, position: b.position };
}

/** The live matrix columns and catalogue rows: what a draft's matrix shows. */
async function liveColumnsAndRows(db: Database, trustId: string): Promise<Pick<SchemeSnapshot, "columns" | "rows">> {
  const columnRows = await db
    .select()
    .from(governanceBodies)
    .where(and(eq(governanceBodies.trustId, trustId), isNull(governanceBodies.retiredAt), isNull(governanceBodies.columnId)));
  const rowRows = await db
    .select()
    .from(responsibilities)
    .where(and(eq(responsibilities.trustId, trustId), isNull(responsibilities.retiredAt)));
  return { columns: columnRows.map(toColumn).sort(byTierOrder), rows: rowRows.map(toSchemeRow).sort(byArea) };
}

/** The live individual boards and schools: what a school's effective scheme and the checks need besides the matrix. */
async function liveBoardsAndSchools(db: Database, trustId: string): Promise<Pick<SchemeSnapshot, "boards" | "schools">> {
  const boardRows = await db
    .select()
    .from(governanceBodies)
    .where(and(eq(governanceBodies.trustId, trustId), isNull(governanceBodies.retiredAt), isNotNull(governanceBodies.columnId)));
  const schoolRows = await db.select().from(schools).where(eq(schools.trustId, trustId)).orderBy(asc(schools.name));
  const boards: SchemeBoard[] = boardRows
    .map((b) => ({
      id: b.id,
      kind: b.kind as BodyKind,
      name: b.name,
      mode: b.mode as DecisionMode,
      purpose: b.purpose as BodyPurpose,
      columnId: b.columnId,
      parentId: b.parentId,
      chairName: b.chairName,
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
  const schoolList: SchemeSchool[] = schoolRows.map((s) => ({
    id: s.id,
    urn: s.urn,
    name: s.name,
    phase: s.phase as SchoolPhase,
    clusterBodyId: s.clusterBodyId,
    localBodyId: s.localBodyId,
    easting: s.easting,
    northing: s.northing,
    joinedOn: s.joinedOn,
  }));
  return { boards, schools: schoolList };
}

export async function liveStructure(db: Database, trustId: string): Promise<SchemeSnapshot> {
  return { ...(await liveColumnsAndRows(db, trustId)), ...(await liveBoardsAndSchools(db, trustId)) };
}

/** The individual boards and schools a version knows: the live ones for a draft, the frozen ones otherwise. */
async function boardsAndSchoolsOf(db: Database, trustId: string, version: SchemeVersionInfo): Promise<Pick<SchemeSnapshot, "boards" | "schools">> {
  if (version.status === "draft") return liveBoardsAndSchools(db, trustId);
  const [frozen] = await db
    .select({ snapshot: schemeVersions.snapshot })
    .from(schemeVersions)
    .where(and(eq(schemeVersions.trustId, trustId), eq(schemeVersions.id, version.id)));
  return frozen!.snapshot as SchemeSnapshot;
}

/** The whole scheme of one version of the trust, as the domain sees it. */
export async function loadScheme(db: Database, trustId: string, versionId: string): Promise<Scheme> {
  const matrix = await loadMatrix(db, trustId, versionId);
  const { boards, schools: schoolList } = await boardsAndSchoolsOf(db, trustId, matrix.version);
  const tierRows = await db
    .select({ tier: tierCells.tier, responsibilityId: tierCells.responsibilityId, bodyId: tierCells.bodyId, code: tierCells.code, note: tierCells.note })
    .from(tierCells)
    .where(eq(tierCells.versionId, versionId));
  const schoolRows = await db
    .select({
      schoolId: schoolCells.schoolId,
      responsibilityId: schoolCells.responsibilityId,
      bodyId: schoolCells.bodyId,
      code: schoolCells.code,
      note: schoolCells.note,
    })
    .from(schoolCells)
    .where(eq(schoolCells.versionId, versionId));
  const scheme: Scheme = { ...matrix, boards, schools: schoolList, tierCells: {}, schoolCells: {} };
  for (const c of tierRows) {
    const tier = c.tier as Tier;
    (scheme.tierCells[tier] ??= {})[cellKey(c.responsibilityId, c.bodyId)] = { code: c.code as DecisionCode | null, note: c.note };
  }
  for (const c of schoolRows) {
    (scheme.schoolCells[c.schoolId] ??= {})[cellKey(c.responsibilityId, c.bodyId)] = { code: c.code as DecisionCode | null, note: c.note };
  }
  return scheme;
}

// ---------------------------------------------------------------- starting a draft

async function insertChunks<T>(rows: T[], insert: (chunk: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += 1000) await insert(rows.slice(i, i + 1000));
}

const ALREADY_A_DRAFT = "This trust already has a draft. Finish or discard it before starting another.";

/**
 * Starts the trust's draft: a copy of the latest approved version (its cells, tier variants and school
 * variations, for the rows and columns still in use), or an empty matrix. A trust has one draft at a time.
 * Its number is one more than the highest the trust has ever given, so the number of a discarded draft
 * is never given again (ADR 011).
 */
export async function startDraft(
  db: Database,
  actor: Actor,
  input: { trustId: string; from: "latest-approved" | "empty"; reason?: string | null },
): Promise<VersionRecord> {
  try {
    return await db.transaction((tx) => startDraftIn(tx, actor, input));
  } catch (error) {
    // Someone else started a draft at the same moment: theirs stands, and this one is refused as if it
    // had been started a moment later. The database's reason stays attached for callers that look.
    if (draftRace(error)) throw Object.assign(new RuleError(ALREADY_A_DRAFT), { cause: (error as { cause?: unknown }).cause });
    throw error;
  }
}

async function startDraftIn(
  tx: Database,
  actor: Actor,
  input: { trustId: string; from: "latest-approved" | "empty"; reason?: string | null },
): Promise<VersionRecord> {
  if (await findDraft(tx, input.trustId)) throw new RuleError(ALREADY_A_DRAFT);
  const base = input.from === "latest-approved" ? await latestApproved(tx, input.trustId) : null;
  const [trust] = await tx.select({ lastVersionNumber: trusts.lastVersionNumber }).from(trusts).where(eq(trusts.id, input.trustId));
  if (!trust) throw new NotFoundError("That trust");
  const number = trust.lastVersionNumber + 1;
  const [draft] = await tx
    .insert(schemeVersions)
    .values({
      trustId: input.trustId,
      number,
      status: "draft",
      basedOnId: base?.id ?? null,
      breakPointReason: input.reason ?? null,
      createdBy: actor.userId,
    })
    .returning();
  const live = await liveStructure(tx, input.trustId);
  const rowIds = new Set(live.rows.map((r) => r.id));
  const columnIds = new Set(live.columns.map((c) => c.id));
  const schoolIds = new Set(live.schools.map((s) => s.id));
  await insertChunks(
    live.rows.map((r) => ({ trustId: input.trustId, versionId: draft!.id, responsibilityId: r.id })),
    (chunk) => tx.insert(schemeRows).values(chunk),
  );
  if (base) {
    const keep = (c: { responsibilityId: string; bodyId: string }) => rowIds.has(c.responsibilityId) && columnIds.has(c.bodyId);
    const baseCells = (await tx.select().from(cells).where(eq(cells.versionId, base.id))).filter(keep);
    await insertChunks(baseCells.map((c) => ({ ...c, versionId: draft!.id })), (chunk) => tx.insert(cells).values(chunk));
    const baseTiers = (await tx.select().from(tierCells).where(eq(tierCells.versionId, base.id))).filter(keep);
    await insertChunks(baseTiers.map((c) => ({ ...c, versionId: draft!.id })), (chunk) => tx.insert(tierCells).values(chunk));
    const baseSchools = (await tx.select().from(schoolCells).where(eq(schoolCells.versionId, base.id))).filter(
      (c) => keep(c) && schoolIds.has(c.schoolId),
    );
    await insertChunks(baseSchools.map((c) => ({ ...c, versionId: draft!.id })), (chunk) => tx.insert(schoolCells).values(chunk));
    // A departure the board accepted knowingly stays accepted in the draft, for as long as the finding is the same.
    const accepted = await tx.select().from(findingAcknowledgements).where(eq(findingAcknowledgements.versionId, base.id));
    await insertChunks(
      accepted.map(({ id: _, createdAt: __, ...a }) => ({ ...a, versionId: draft!.id })),
      (chunk) => tx.insert(findingAcknowledgements).values(chunk),
    );
  }
  await recordAudit(tx, actor, {
    trustId: input.trustId,
    action: "create",
    entity: "version",
    entityId: draft!.id,
    versionId: draft!.id,
    summary: base ? `Started draft version ${draft!.number} from approved version ${base.number}` : `Started draft version ${draft!.number} with an empty matrix`,
    after: { number: draft!.number, basedOn: base?.number ?? null, reason: input.reason ?? null },
  });
  // The trust's count moves on to this number, last of all (the trust's row is the last thing a
  // transaction locks, ADR 006), and only from the count this draft was numbered from: if the count
  // moved meanwhile, someone else gave this number (to a draft since discarded), and nothing is started.
  const counted = await tx
    .update(trusts)
    .set({ lastVersionNumber: number })
    .where(and(eq(trusts.id, input.trustId), lt(trusts.lastVersionNumber, number)))
    .returning({ id: trusts.id });
  if (!counted[0]) throw new RuleError("Someone else started a draft at the same moment, so this one was not started. Try again.");
  return draft!;
}

// ---------------------------------------------------------------- editing cells

interface CellTarget {
  trustId: string;
  versionId: string;
  rowId: string;
}

async function editableRow(tx: Database, target: CellTarget) {
  const [version] = await tx
    .select()
    .from(schemeVersions)
    .where(and(eq(schemeVersions.trustId, target.trustId), eq(schemeVersions.id, target.versionId)));
  if (!version) throw new NotFoundError("That version of the scheme");
  if (version.status !== "draft") {
    throw new RuleError(`Version ${version.number} is ${version.status} and cannot be changed. Start a new draft to make changes.`);
  }
  const [row] = await tx
    .select()
    .from(responsibilities)
    .where(and(eq(responsibilities.trustId, target.trustId), eq(responsibilities.id, target.rowId), isNull(responsibilities.retiredAt)));
  if (!row) throw new NotFoundError("That responsibility");
  return { version, row };
}

async function columnsOf(tx: Database, trustId: string, ids: string[]) {
  if (ids.length === 0) return new Map<string, { id: string; kind: BodyKind; name: string }>();
  const rows = await tx
    .select({ id: governanceBodies.id, kind: governanceBodies.kind, name: governanceBodies.name })
    .from(governanceBodies)
    .where(
      and(
        eq(governanceBodies.trustId, trustId),
        inArray(governanceBodies.id, ids),
        isNull(governanceBodies.columnId),
        isNull(governanceBodies.retiredAt),
      ),
    );
  if (rows.length !== new Set(ids).size) throw new NotFoundError("That column of the matrix");
  return new Map(rows.map((r) => [r.id, { ...r, kind: r.kind as BodyKind }]));
}

async function rowCodesNow(tx: Database, versionId: string, rowId: string): Promise<Record<string, DecisionCode>> {
  const rows = await tx
    .select({ bodyId: cells.bodyId, code: cells.code })
    .from(cells)
    .where(and(eq(cells.versionId, versionId), eq(cells.responsibilityId, rowId)));
  return Object.fromEntries(rows.map((r) => [r.bodyId, r.code as DecisionCode]));
}

/** Moves a row's revision on from the one the editor read; refuses (with the row as it stands) if someone saved it first. */
async function claimRow(tx: Database, target: CellTarget, expectedRevision: number): Promise<number> {
  const bumped = await tx
    .update(schemeRows)
    .set({ revision: sql`${schemeRows.revision} + 1`, updatedAt: sql`now()` })
    .where(
      and(
        eq(schemeRows.versionId, target.versionId),
        eq(schemeRows.responsibilityId, target.rowId),
        eq(schemeRows.revision, expectedRevision),
      ),
    )
    .returning({ revision: schemeRows.revision });
  if (bumped[0]) return bumped[0].revision;
  if (expectedRevision === 0) {
    // A row added to the catalogue after the draft began has no revision yet: the first save creates it.
    const created = await tx
      .insert(schemeRows)
      .values({ trustId: target.trustId, versionId: target.versionId, responsibilityId: target.rowId, revision: 1 })
      .onConflictDoNothing()
      .returning({ revision: schemeRows.revision });
    if (created[0]) return created[0].revision;
  }
  const [current] = await tx
    .select({ revision: schemeRows.revision })
    .from(schemeRows)
    .where(and(eq(schemeRows.versionId, target.versionId), eq(schemeRows.responsibilityId, target.rowId)));
  throw new StaleRowError(target.rowId, current?.revision ?? 0, await rowCodesNow(tx, target.versionId, target.rowId));
}

/** A catalogue row as the domain sees it. */
export function toSchemeRow(r: typeof responsibilities.$inferSelect): SchemeRow {
  return {
    id: r.id,
    catalogueKey: r.catalogueKey,
    area: r.area,
    section: r.section,
    ref: r.ref,
    title: r.title,
    guidance: r.guidance,
    decisionKinds: (r.decisionKinds as BodyKind[] | null) ?? null,
    excludedKinds: (r.excludedKinds as BodyKind[] | null) ?? null,
    statutoryRule: r.statutoryRule,
    locked: r.locked,
    externalApproval: r.externalApproval,
    tags: r.tags,
    position: r.position,
  };
}

export interface BulkResult {
  changed: number;
  /** Rows left as they were because their constraints forbid the code there, with the reason. */
  skipped: { ref: string; reason: string }[];
}

/** Many rows at once (set a column for an area, copy a row's pattern): every row changes or none does. */
async function saveMany(
  db: Database,
  actor: Actor,
  input: { trustId: string; versionId: string; edits: { rowId: string; codes: Record<string, DecisionCode | null> }[]; summary: string },
): Promise<BulkResult> {
  try {
    return await saveManyIn(db, actor, input);
  } catch (error) {
    // The draft was approved while these rows waited for it: the database refused the rows, and nothing changed.
    if (!settledVersion(error)) throw error;
    const [version] = await db.select().from(schemeVersions).where(and(eq(schemeVersions.trustId, input.trustId), eq(schemeVersions.id, input.versionId)));
    if (!version) throw new NotFoundError("That version of the scheme");
    throw notDraft({ number: version.number, status: version.status as VersionStatus });
  }
}

function saveManyIn(
  db: Database,
  actor: Actor,
  input: { trustId: string; versionId: string; edits: { rowId: string; codes: Record<string, DecisionCode | null> }[]; summary: string },
): Promise<BulkResult> {
  return db.transaction(async (tx) => {
    const result: BulkResult = { changed: 0, skipped: [] };
    const columnIds = [...new Set(input.edits.flatMap((e) => Object.keys(e.codes)))];
    const columns = await columnsOf(tx, input.trustId, columnIds);
    for (const e of input.edits) {
      const { version, row } = await editableRow(tx, { ...input, rowId: e.rowId });
      const allowed: Record<string, DecisionCode | null> = {};
      for (const [columnId, code] of Object.entries(e.codes)) {
        const reason = code ? forbiddenReason(toSchemeRow(row), columns.get(columnId)!.kind, code) : null;
        if (reason) result.skipped.push({ ref: row.ref, reason });
        else allowed[columnId] = code;
      }
      const before = await rowCodesNow(tx, input.versionId, e.rowId);
      const changes = Object.entries(allowed).filter(([columnId, code]) => (before[columnId] ?? null) !== code);
      if (changes.length === 0) continue;
      const [current] = await tx
        .select({ revision: schemeRows.revision })
        .from(schemeRows)
        .where(and(eq(schemeRows.versionId, input.versionId), eq(schemeRows.responsibilityId, e.rowId)));
      await claimRow(tx, { ...input, rowId: e.rowId }, current?.revision ?? 0);
      for (const [columnId, code] of changes) {
        if (code === null) {
          await tx
            .delete(cells)
            .where(and(eq(cells.versionId, input.versionId), eq(cells.responsibilityId, e.rowId), eq(cells.bodyId, columnId)));
        } else {
          await tx
            .insert(cells)
            .values({ trustId: input.trustId, versionId: input.versionId, responsibilityId: e.rowId, bodyId: columnId, code })
            .onConflictDoUpdate({ target: [cells.versionId, cells.responsibilityId, cells.bodyId], set: { code } });
        }
      }
      result.changed += changes.length;
      await recordAudit(
        tx,
        actor,
        changes.map(([columnId, code]) => ({
          trustId: input.trustId,
          action: "update",
          entity: "cell",
          entityId: cellKey(e.rowId, columnId),
          versionId: input.versionId,
          responsibilityId: e.rowId,
          summary: `${input.summary}: ${row.ref} ${columns.get(columnId)!.name} ${before[columnId] ?? "(empty)"} → ${code ?? "(empty)"} in version ${version.number}`,
          before: { code: before[columnId] ?? null },
          after: { code },
        })),
      );
    }
    return result;
  });
}

/** Sets one column to one code (or clears it) on every row of an area. */
export async function setColumnForArea(
  db: Database,
  actor: Actor,
  input: { trustId: string; versionId: string; area: number; columnId: string; code: DecisionCode | null },
): Promise<BulkResult> {
  const rows = await db
    .select({ id: responsibilities.id })
    .from(responsibilities)
    .where(and(eq(responsibilities.trustId, input.trustId), eq(responsibilities.area, input.area), isNull(responsibilities.retiredAt)));
  if (rows.length === 0) throw new RuleError("That area has no responsibilities.", "area");
  return saveMany(db, actor, {
    ...input,
    edits: rows.map((r) => ({ rowId: r.id, codes: { [input.columnId]: input.code } })),
    summary: `Set the column for area ${input.area}`,
  });
}

/** Gives other rows the same codes as one row, column by column (cells the source leaves empty are cleared). */
export async function copyRowPattern(
  db: Database,
  actor: Actor,
  input: { trustId: string; versionId: string; fromRowId: string; toRowIds: string[] },
): Promise<BulkResult> {
  const targets = input.toRowIds.filter((id) => id !== input.fromRowId);
  if (targets.length === 0) throw new RuleError("Choose at least one other row to copy the pattern to.", "toRowIds");
  const scheme = await loadScheme(db, input.trustId, input.versionId);
  if (!scheme.rows.some((r) => r.id === input.fromRowId)) throw new NotFoundError("The row to copy from");
  const pattern: Record<string, DecisionCode | null> = {};
  for (const column of scheme.columns) pattern[column.id] = scheme.cells[cellKey(input.fromRowId, column.id)]?.code ?? null;
  const source = scheme.rows.find((r) => r.id === input.fromRowId)!;
  return saveMany(db, actor, {
    ...input,
    edits: targets.map((rowId) => ({ rowId, codes: pattern })),
    summary: `Copied the pattern of ${source.ref}`,
  });
}

// ---------------------------------------------------------------- approval

export interface Approval {
  trustId: string;
  versionId: string;
  expectedVersion: number;
  approvedByBodyId: string;
  approvedOn: string;
  minuteRef: string | null;
  reviewDueOn: string;
}

/**
 * Records the approval of a draft: freezes the structure and catalogue into it, and supersedes the
 * version approved before. Exactly one of two people approving at once succeeds.
 */
export async function approveVersion(db: Database, actor: Actor, input: Approval): Promise<VersionRecord> {
  return db.transaction(async (tx) => {
    const [version] = await tx
      .select()
      .from(schemeVersions)
      .where(and(eq(schemeVersions.trustId, input.trustId), eq(schemeVersions.id, input.versionId)));
    if (!version) throw new NotFoundError("That version of the scheme");
    if (version.status !== "draft") throw new RuleError(`Version ${version.number} is already ${version.status}.`);
    const [body] = await tx
      .select({ id: governanceBodies.id, name: governanceBodies.name, kind: governanceBodies.kind })
      .from(governanceBodies)
      .where(and(eq(governanceBodies.trustId, input.trustId), eq(governanceBodies.id, input.approvedByBodyId)));
    if (!body) throw new RuleError("Choose the body that approved the scheme.", "approvedByBodyId");
    if (!canApprove(body.kind)) {
      throw new RuleError(`${body.name} cannot approve the scheme: choose the board or one of its committees.`, "approvedByBodyId");
    }
    if (input.reviewDueOn <= input.approvedOn) throw new RuleError("The review date must be after the approval date.", "reviewDueOn");
    // Saves of the draft in flight finish first; saves that come after find the version approved and
    // are refused. Each save claims its row, so holding every row of the draft settles the order. A row
    // first saved into the draft now (added to the catalogue since the draft began) has no row to claim:
    // its save holds the version as a draft while it writes (migration 0006), so taking the version next
    // waits for it, and the structure frozen below includes it; a save that comes after waits for this
    // approval to commit and is refused. Rows, then the version, then the trust: the order saves take them in.
    await tx.execute(sql`select 1 from ${schemeRows} where ${schemeRows.versionId} = ${version.id} for update`);
    await tx.execute(sql`select 1 from ${schemeVersions} where ${schemeVersions.id} = ${version.id} for no key update`);
    const snapshot = await liveStructure(tx, input.trustId);
    const previous = await latestApproved(tx, input.trustId);
    const approved = await tx
      .update(schemeVersions)
      .set({
        status: "approved",
        approvedByBodyId: body.id,
        approvedOn: input.approvedOn,
        minuteRef: input.minuteRef,
        reviewDueOn: input.reviewDueOn,
        snapshot,
        version: sql`${schemeVersions.version} + 1`,
        updatedAt: sql`now()`,
      })
      .where(and(eq(schemeVersions.id, version.id), eq(schemeVersions.version, input.expectedVersion), eq(schemeVersions.status, "draft")))
      .returning();
    if (!approved[0]) throw new StaleWriteError(`version ${version.number}`);
    if (previous) {
      await tx
        .update(schemeVersions)
        .set({ status: "superseded", version: sql`${schemeVersions.version} + 1`, updatedAt: sql`now()` })
        .where(eq(schemeVersions.id, previous.id));
    }
    await recordAudit(tx, actor, {
      trustId: input.trustId,
      action: "approve",
      entity: "version",
      entityId: version.id,
      versionId: version.id,
      summary: `Recorded the approval of version ${version.number} by ${body.name} on ${input.approvedOn}${input.minuteRef ? ` (minute ${input.minuteRef})` : ""}${previous ? `; version ${previous.number} is superseded` : ""}`,
      before: { status: "draft" },
      after: { status: "approved", approvedBy: body.name, approvedOn: input.approvedOn, minuteRef: input.minuteRef, reviewDueOn: input.reviewDueOn },
    });
    return approved[0];
  });
}

// ---------------------------------------------------------------- discarding a draft

/** What discarding a draft loses: its cells, tier variants, school variations and acknowledged findings. */
export interface DraftContents {
  version: VersionRecord;
  cells: number;
  tierCells: number;
  schoolCells: number;
  acknowledgements: number;
}

/** The draft named by its id, with what it holds; refuses a version that is not a draft. */
export async function draftContents(db: Database, trustId: string, versionId: string): Promise<DraftContents> {
  const [version] = await db
    .select()
    .from(schemeVersions)
    .where(and(eq(schemeVersions.trustId, trustId), eq(schemeVersions.id, versionId)));
  if (!version) throw new NotFoundError("That version of the scheme");
  if (version.status !== "draft") {
    throw new RuleError(`Version ${version.number} is ${version.status}: approved versions are the trust's record and are never discarded.`);
  }
  const count = async (table: typeof cells | typeof tierCells | typeof schoolCells | typeof findingAcknowledgements) => {
    const [row] = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(table)
      .where(eq(table.versionId, versionId));
    return row?.n ?? 0;
  };
  return {
    version,
    cells: await count(cells),
    tierCells: await count(tierCells),
    schoolCells: await count(schoolCells),
    acknowledgements: await count(findingAcknowledgements),
  };
}

/**
 * Discards the trust's draft with everything in it (its cells, tier variants, school variations and
 * acknowledged findings go with it). Refused if the draft changed since the person looked at it, or
 * is no longer a draft. The history keeps a record of what was discarded.
 */
export async function discardDraft(
  db: Database,
  actor: Actor,
  input: { trustId: string; versionId: string; expectedVersion: number },
): Promise<DraftContents> {
  return db.transaction(async (tx) => {
    const contents = await draftContents(tx, input.trustId, input.versionId);
    const { version } = contents;
    // Saves of the draft in flight finish first (they claim their rows), and are counted below.
    await tx.execute(sql`select 1 from ${schemeRows} where ${schemeRows.versionId} = ${version.id} for update`);
    const gone = await tx
      .delete(schemeVersions)
      .where(
        and(
          eq(schemeVersions.trustId, input.trustId),
          eq(schemeVersions.id, version.id),
          eq(schemeVersions.version, input.expectedVersion),
          eq(schemeVersions.status, "draft"),
        ),
      )
      .returning({ id: schemeVersions.id });
    if (!gone[0]) throw new StaleWriteError(`version ${version.number}`);
    await recordAudit(tx, actor, {
      trustId: input.trustId,
      action: "delete",
      entity: "version",
      entityId: version.id,
      versionId: version.id,
      summary: `Discarded draft version ${version.number} with its ${contents.cells} cells, ${contents.tierCells} tier variants and ${contents.schoolCells} school variations`,
      before: {
        number: version.number,
        status: "draft",
        reason: version.breakPointReason,
        cells: contents.cells,
        tierCells: contents.tierCells,
        schoolCells: contents.schoolCells,
        acknowledgements: contents.acknowledgements,
      },
      after: null,
    });
    return contents;
  });
}
