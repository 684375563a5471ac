/**
 * The trust's structure: its governance bodies (the matrix columns and the individual boards that
 * answer under them) and its schools. Removing either lives in structure-removal.server.ts.
 */
import { and, asc, eq, inArray, isNull, max, ne, sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { governanceBodies, schools } from "../../db/schema";
import { NotFoundError, RuleError, StaleWriteError } from "../domain/errors";
import {
  BODY_KIND_LABELS,
  BODY_PURPOSES,
  DECISION_MODES,
  SCHOOL_PHASES,
  isBodyKind,
  mayBeAdvisory,
  type BodyKind,
  type BodyPurpose,
  type DecisionMode,
  type SchoolPhase,
} from "../domain/structure";
import { recordAudit, type Actor } from "./audit.server";
import { updateIfUnchanged } from "./concurrency.server";

export type Body = typeof governanceBodies.$inferSelect;
export type School = typeof schools.$inferSelect;

export interface BodyInput {
  trustId: string;
  kind: BodyKind;
  name: string;
  shortName?: string | null;
  /** By default an individual board decides or advises as its column does; anything else decides. */
  mode?: DecisionMode;
  purpose?: BodyPurpose;
  /** Where it sits in the structure chart: a committee under the board, a local board under its cluster. */
  parentId?: string | null;
  /** The matrix column an individual board answers under; none when the body is a column itself. */
  columnId?: string | null;
  /**
   * A cluster or local board with no column given answers under the trust's column of its kind,
   * which is added ("Cluster governing body", "Local governing body") when the trust has none.
   */
  underKindColumn?: boolean;
  /** Order among the trust's bodies; by default after the last one. */
  position?: number;
  chairName?: string | null;
  remit?: string | null;
}

/** What an edit form may change; the kind, and whether the body is a column or a board, stay as they are. */
export interface BodyEdit {
  trustId: string;
  id: string;
  /** The version the form read: a save over someone else's is refused. */
  expectedVersion: number;
  name: string;
  shortName?: string | null;
  mode?: DecisionMode;
  purpose?: BodyPurpose;
  parentId?: string | null;
  /** For an individual board: the column of its kind it answers under. */
  columnId?: string | null;
  chairName?: string | null;
  remit?: string | null;
}

export interface SchoolInput {
  trustId: string;
  urn: number;
  name: string;
  phase: SchoolPhase;
  easting?: number | null;
  northing?: number | null;
  postcode?: string | null;
  localAuthority?: string | null;
  clusterBodyId?: string | null;
  localBodyId?: string | null;
  /** ISO date, e.g. "2019-09-01". */
  joinedOn?: string | null;
  headteacherName?: string | null;
}

export interface SchoolEdit extends SchoolInput {
  id: string;
  expectedVersion: number;
}

/** Great Britain's national grid, in metres (the DfE register's easting and northing). */
export const GRID_LIMITS = { easting: 700_000, northing: 1_300_000 } as const;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const POSTCODE = /^([A-Z]{1,2}[0-9][A-Z0-9]?) ?([0-9][A-Z]{2})$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

// ---------------------------------------------------------------- reading

export async function listBodies(db: Database, trustId: string): Promise<Body[]> {
  return db
    .select()
    .from(governanceBodies)
    .where(and(eq(governanceBodies.trustId, trustId), isNull(governanceBodies.retiredAt)))
    .orderBy(asc(governanceBodies.position), asc(governanceBodies.name));
}

export async function listSchools(db: Database, trustId: string): Promise<School[]> {
  return db.select().from(schools).where(eq(schools.trustId, trustId)).orderBy(asc(schools.name));
}

/** An active body of the trust, or null (another trust's, retired, or not an id at all). */
export async function getBody(db: Database, trustId: string, id: string): Promise<Body | null> {
  return findBody(db, trustId, id);
}

/** A school of the trust, or null. */
export async function getSchool(db: Database, trustId: string, id: string): Promise<School | null> {
  if (!UUID.test(id)) return null;
  const [school] = await db.select().from(schools).where(and(eq(schools.trustId, trustId), eq(schools.id, id)));
  return school ?? null;
}

/** A school whose local board does not sit under the school's cluster in the chart. */
export interface CoverageWarning {
  schoolId: string;
  localBodyId: string;
  message: string;
}

type CoverageBody = Pick<Body, "id" | "name" | "kind" | "parentId">;
type CoverageSchool = Pick<School, "id" | "name" | "clusterBodyId" | "localBodyId">;

/**
 * A school's local board should sit under the school's cluster. When it does not, the chart and
 * the school's effective scheme disagree about which cluster oversees the school; this says so,
 * and how to put it right, without refusing anything.
 */
export function coverageWarnings(bodies: CoverageBody[], schoolList: CoverageSchool[]): CoverageWarning[] {
  const byId = new Map(bodies.map((b) => [b.id, b]));
  const warnings: CoverageWarning[] = [];
  for (const school of schoolList) {
    const cluster = school.clusterBodyId ? byId.get(school.clusterBodyId) : undefined;
    const local = school.localBodyId ? byId.get(school.localBodyId) : undefined;
    if (!cluster || !local || local.parentId === cluster.id) continue;
    const parent = local.parentId ? byId.get(local.parentId) : undefined;
    const where =
      parent?.kind === "cluster"
        ? `sits under ${parent.name} in the chart. Move ${local.name} under ${cluster.name}, or put the school in ${parent.name}.`
        : `does not sit under ${cluster.name} in the chart. Set ${local.name} to sit under ${cluster.name} on its page.`;
    warnings.push({ schoolId: school.id, localBodyId: local.id, message: `${school.name} is in ${cluster.name}, but its local board, ${local.name}, ${where}` });
  }
  return warnings;
}

// ---------------------------------------------------------------- bodies

export async function createBody(db: Database, actor: Actor, input: BodyInput): Promise<Body> {
  if (!isBodyKind(input.kind)) throw new RuleError("Choose what kind of body this is.", "kind");
  const kind = input.kind;
  const fields = checkBodyFields(input, kind);
  if (input.position !== undefined && !Number.isInteger(input.position)) {
    throw new RuleError("The position must be a whole number.", "position");
  }

  return withFriendlyConstraints(() =>
    db.transaction(async (tx) => {
      await refuseNameClash(tx, input.trustId, fields.name);
      const parent = input.parentId ? await findBody(tx, input.trustId, input.parentId) : null;
      if (input.parentId && !parent) throw notFound("parentId");
      let column = input.columnId ? await findBody(tx, input.trustId, input.columnId) : null;
      if (input.columnId && !column) throw notFound("columnId");
      if (column) checkColumn(column, kind);
      if (!column && !input.columnId && input.underKindColumn && (kind === "cluster" || kind === "local")) {
        column = await kindColumn(tx, actor, input.trustId, kind);
      }
      const mode = fields.mode ?? (column?.mode as DecisionMode | undefined) ?? "decision-making";
      if (mode === "advisory" && !mayBeAdvisory(kind)) throw notAdvisory(kind);

      const position = input.position ?? (await nextPosition(tx, input.trustId));
      const [body] = await tx
        .insert(governanceBodies)
        .values({
          trustId: input.trustId,
          kind,
          name: fields.name,
          shortName: fields.shortName,
          mode,
          purpose: fields.purpose ?? "standing",
          parentId: parent?.id ?? null,
          columnId: column?.id ?? null,
          position,
          chairName: fields.chairName,
          remit: fields.remit,
        })
        .returning();
      await recordAudit(tx, actor, {
        trustId: input.trustId,
        action: "create",
        entity: "body",
        entityId: body!.id,
        summary: column
          ? `Added ${fields.name}, answering under the column ${column.name}`
          : `Added the ${BODY_KIND_LABELS[kind].toLowerCase()} column ${fields.name}`,
        after: {
          kind,
          name: fields.name,
          shortName: fields.shortName,
          mode,
          purpose: fields.purpose ?? "standing",
          parent: parent?.name ?? null,
          column: column?.name ?? null,
          chairName: fields.chairName,
          remit: fields.remit,
        },
      });
      return body!;
    }),
  );
}

/**
 * Saves an edit of a body, if nobody has saved it since the form was read (StaleWriteError
 * otherwise). A body stays the kind it is, and a column stays a column.
 */
export async function updateBody(db: Database, actor: Actor, edit: BodyEdit): Promise<Body> {
  return withFriendlyConstraints(() =>
    db.transaction(async (tx) => {
      const body = await findBody(tx, edit.trustId, edit.id);
      if (!body) throw new NotFoundError("That governance body");
      const kind = body.kind as BodyKind;
      const fields = checkBodyFields(edit, kind);
      const mode = fields.mode ?? (body.mode as DecisionMode);
      if (mode === "advisory" && !mayBeAdvisory(kind)) throw notAdvisory(kind);
      await refuseNameClash(tx, edit.trustId, fields.name, body.id);

      const parent = edit.parentId ? await findBody(tx, edit.trustId, edit.parentId) : null;
      if (edit.parentId && !parent) throw notFound("parentId");
      if (parent) await refuseCycle(tx, body, parent);

      let column: Body | null = null;
      if (body.columnId === null) {
        if (edit.columnId) {
          throw new RuleError(`${body.name} is a column of the matrix itself, so it does not answer under another column.`, "columnId");
        }
      } else {
        const columnId = edit.columnId === undefined ? body.columnId : edit.columnId;
        if (!columnId) {
          throw new RuleError(`Choose the column ${body.name} answers under; an individual board always answers under one.`, "columnId");
        }
        column = await findBody(tx, edit.trustId, columnId);
        if (!column) throw notFound("columnId");
        checkColumn(column, kind);
      }

      const before = describeBody(body, await namesOf(tx, edit.trustId, [body.parentId, body.columnId]));
      await updateIfUnchanged(
        tx,
        governanceBodies,
        { id: body.id, version: edit.expectedVersion, scope: eq(governanceBodies.trustId, edit.trustId) },
        {
          name: fields.name,
          shortName: fields.shortName,
          mode,
          purpose: fields.purpose ?? (body.purpose as BodyPurpose),
          parentId: parent?.id ?? null,
          columnId: column?.id ?? null,
          chairName: fields.chairName,
          remit: fields.remit,
        },
        `the details of ${body.name}`,
      );
      const [saved] = await tx.select().from(governanceBodies).where(eq(governanceBodies.id, body.id));
      const after = describeBody(saved!, new Map([parent, column].filter((b): b is Body => b !== null).map((b) => [b.id, b.name])));
      await recordAudit(tx, actor, {
        trustId: edit.trustId,
        action: "update",
        entity: "body",
        entityId: body.id,
        summary: body.name === saved!.name ? `Changed the details of ${saved!.name}` : `Renamed ${body.name} to ${saved!.name}`,
        before,
        after,
      });
      return saved!;
    }),
  );
}

/**
 * Moves a body one place up or down among the bodies it is ordered with: the columns of its kind,
 * or the boards under the same column. Their positions are renumbered 1, 2, 3… in one transaction.
 */
export async function moveBody(
  db: Database,
  actor: Actor,
  input: { trustId: string; id: string; direction: "up" | "down" },
): Promise<void> {
  await db.transaction(async (tx) => {
    const body = await findBody(tx, input.trustId, input.id);
    if (!body) throw new NotFoundError("That governance body");
    const siblings = await tx
      .select({ id: governanceBodies.id, name: governanceBodies.name, position: governanceBodies.position })
      .from(governanceBodies)
      .where(
        and(
          eq(governanceBodies.trustId, input.trustId),
          eq(governanceBodies.kind, body.kind),
          body.columnId === null ? isNull(governanceBodies.columnId) : eq(governanceBodies.columnId, body.columnId),
          isNull(governanceBodies.retiredAt),
        ),
      )
      .orderBy(asc(governanceBodies.position), asc(governanceBodies.name))
      .for("update");
    const from = siblings.findIndex((s) => s.id === body.id);
    const to = input.direction === "up" ? from - 1 : from + 1;
    const group = body.columnId === null ? `${BODY_KIND_LABELS[body.kind as BodyKind].toLowerCase()} columns` : "boards under its column";
    if (to < 0) throw new RuleError(`${body.name} is already first among the ${group}.`);
    if (to >= siblings.length) throw new RuleError(`${body.name} is already last among the ${group}.`);
    const order = [...siblings];
    [order[from], order[to]] = [order[to]!, order[from]!];
    for (const [index, sibling] of order.entries()) {
      if (sibling.position !== index + 1) {
        await tx.update(governanceBodies).set({ position: index + 1, updatedAt: sql`now()` }).where(eq(governanceBodies.id, sibling.id));
      }
    }
    await recordAudit(tx, actor, {
      trustId: input.trustId,
      action: "reorder",
      entity: "body",
      entityId: body.id,
      summary: `Moved ${body.name} ${input.direction} among the ${group}`,
      before: { order: siblings.map((s) => s.name) },
      after: { order: order.map((s) => s.name) },
    });
  });
}

// ---------------------------------------------------------------- schools

export async function createSchool(db: Database, actor: Actor, input: SchoolInput): Promise<School> {
  const fields = checkSchoolFields(input);
  return withFriendlyConstraints(() =>
    db.transaction(async (tx) => {
      await refuseUrnClash(tx, input.trustId, fields.urn);
      const { cluster, local } = await boardsOf(tx, input);
      const [school] = await tx
        .insert(schools)
        .values({ trustId: input.trustId, ...fields, clusterBodyId: cluster?.id ?? null, localBodyId: local?.id ?? null })
        .returning();
      await recordAudit(tx, actor, {
        trustId: input.trustId,
        action: "create",
        entity: "school",
        entityId: school!.id,
        summary: `Added the school ${fields.name} (URN ${fields.urn})`,
        after: describeSchool(school!, cluster, local),
      });
      return school!;
    }),
  );
}

/** Saves an edit of a school, its cluster and local board included, if nobody has saved it since the form was read. */
export async function updateSchool(db: Database, actor: Actor, edit: SchoolEdit): Promise<School> {
  const fields = checkSchoolFields(edit);
  return withFriendlyConstraints(() =>
    db.transaction(async (tx) => {
      const school = await getSchool(tx, edit.trustId, edit.id);
      if (!school) throw new NotFoundError("That school");
      if (fields.urn !== school.urn) await refuseUrnClash(tx, edit.trustId, fields.urn);
      const { cluster, local } = await boardsOf(tx, edit);
      const previous = await namesOf(tx, edit.trustId, [school.clusterBodyId, school.localBodyId]);
      await updateIfUnchanged(
        tx,
        schools,
        { id: school.id, version: edit.expectedVersion, scope: eq(schools.trustId, edit.trustId) },
        { ...fields, clusterBodyId: cluster?.id ?? null, localBodyId: local?.id ?? null },
        `the details of ${school.name}`,
      );
      const [saved] = await tx.select().from(schools).where(eq(schools.id, school.id));
      const named = (id: string | null) => (id ? { name: previous.get(id) ?? "" } : null);
      await recordAudit(tx, actor, {
        trustId: edit.trustId,
        action: "update",
        entity: "school",
        entityId: school.id,
        summary: school.name === saved!.name ? `Changed the details of ${saved!.name}` : `Renamed the school ${school.name} to ${saved!.name}`,
        before: describeSchool(school, named(school.clusterBodyId), named(school.localBodyId)),
        after: describeSchool(saved!, cluster, local),
      });
      return saved!;
    }),
  );
}

/**
 * Says which schools an individual cluster or local board covers, from the board's page: the
 * schools ticked point at the board, those unticked that pointed at it no longer do. `seen` holds
 * each school's version as the page showed it; a school someone has changed since is not
 * overwritten (StaleWriteError, nothing saved).
 */
export async function setBoardCoverage(
  db: Database,
  actor: Actor,
  input: { trustId: string; bodyId: string; schoolIds: string[]; seen: Record<string, number> },
): Promise<{ added: number; removed: number }> {
  return db.transaction(async (tx) => {
    const board = await findBody(tx, input.trustId, input.bodyId);
    if (!board) throw new NotFoundError("That governance body");
    const kind = board.kind === "cluster" ? "cluster" : board.kind === "local" ? "local" : null;
    if (!kind || board.columnId === null) {
      throw new RuleError(
        `Only an individual cluster or local board covers schools; ${board.name} is ${board.columnId === null ? "a column of the matrix" : "not a cluster or local board"}.`,
      );
    }
    const field = kind === "cluster" ? "clusterBodyId" : "localBodyId";
    const all = await tx.select().from(schools).where(eq(schools.trustId, input.trustId)).for("update");
    const wanted = new Set(input.schoolIds);
    const known = new Set(all.map((s) => s.id));
    if (input.schoolIds.some((id) => !known.has(id))) throw new RuleError("One of the schools ticked was not found in this trust.", "schoolIds");

    const changes = all.filter((s) => (s[field] === board.id) !== wanted.has(s.id));
    const stale = changes.filter((s) => input.seen[s.id] !== s.version);
    if (stale.length > 0) throw new StaleWriteError(stale.length === 1 ? `${stale[0]!.name}` : `${stale.length} of these schools`);
    const previous = await namesOf(
      tx,
      input.trustId,
      changes.map((s) => s[field]),
    );
    const what = kind === "cluster" ? "cluster" : "local board";
    for (const school of changes) {
      const covered = wanted.has(school.id);
      const coverage = field === "clusterBodyId" ? { clusterBodyId: covered ? board.id : null } : { localBodyId: covered ? board.id : null };
      await tx
        .update(schools)
        .set({ ...coverage, version: sql`${schools.version} + 1`, updatedAt: sql`now()` })
        .where(eq(schools.id, school.id));
    }
    await recordAudit(
      tx,
      actor,
      changes.map((school) => {
        const covered = wanted.has(school.id);
        const was = school[field] ? (previous.get(school[field]!) ?? null) : null;
        return {
          trustId: input.trustId,
          action: "update",
          entity: "school",
          entityId: school.id,
          summary: covered
            ? `${school.name} is now covered by ${board.name}${was ? ` (was ${was})` : ""}`
            : `${school.name} is no longer covered by ${board.name}, and has no ${what}`,
          before: { [what]: was },
          after: { [what]: covered ? board.name : null },
        };
      }),
    );
    const added = changes.filter((s) => wanted.has(s.id)).length;
    return { added, removed: changes.length - added };
  });
}

// ---------------------------------------------------------------- checks

interface BodyFields {
  name: string;
  shortName: string | null;
  mode: DecisionMode | undefined;
  purpose: BodyPurpose | undefined;
  chairName: string | null;
  remit: string | null;
}

function checkBodyFields(input: Omit<BodyEdit, "trustId" | "id" | "expectedVersion">, kind: BodyKind): BodyFields {
  const name = requiredText(input.name, "name", "Give the body a name");
  const shortName = optionalText(input.shortName, "shortName", "The short heading", 30);
  const chairName = optionalText(input.chairName, "chairName", "The chair's name", 200);
  const remit = optionalText(input.remit, "remit", "The remit", 2000);
  const mode = input.mode;
  if (mode !== undefined && !DECISION_MODES.includes(mode)) throw new RuleError("Choose whether the body decides or only advises.", "mode");
  if (mode === "advisory" && !mayBeAdvisory(kind)) throw notAdvisory(kind);
  const purpose = input.purpose;
  if (purpose !== undefined && !BODY_PURPOSES.includes(purpose)) throw new RuleError("Choose whether the body is standing, transition or intervention.", "purpose");
  return { name, shortName, mode, purpose, chairName, remit };
}

function notAdvisory(kind: BodyKind): RuleError {
  return new RuleError(
    `Only cluster and local bodies can be advisory; a body of the kind "${BODY_KIND_LABELS[kind]}" decides whatever the scheme gives it.`,
    "mode",
  );
}

async function refuseNameClash(tx: Database, trustId: string, name: string, exceptId?: string): Promise<void> {
  const clash = await tx
    .select({ id: governanceBodies.id })
    .from(governanceBodies)
    .where(
      and(
        eq(governanceBodies.trustId, trustId),
        isNull(governanceBodies.retiredAt),
        sql`lower(${governanceBodies.name}) = lower(${name})`,
        exceptId ? ne(governanceBodies.id, exceptId) : undefined,
      ),
    );
  if (clash.length > 0) {
    throw new RuleError(`There is already a body called "${name}" in this trust. Give this one a different name.`, "name");
  }
}

/** A body cannot sit under itself, nor under anything that sits under it. */
async function refuseCycle(tx: Database, body: Body, parent: Body): Promise<void> {
  if (parent.id === body.id) throw new RuleError(`${body.name} cannot sit under itself.`, "parentId");
  const all = await tx
    .select({ id: governanceBodies.id, parentId: governanceBodies.parentId })
    .from(governanceBodies)
    .where(eq(governanceBodies.trustId, body.trustId));
  const parentOf = new Map(all.map((b) => [b.id, b.parentId]));
  const seen = new Set<string>();
  for (let at: string | null | undefined = parent.id; at && !seen.has(at); at = parentOf.get(at)) {
    seen.add(at);
    if (at === body.id) {
      throw new RuleError(`${body.name} cannot sit under ${parent.name}, because ${parent.name} sits under ${body.name}.`, "parentId");
    }
  }
}

/** The trust's column for cluster or local boards; added, and audited, when the trust has none yet. */
async function kindColumn(tx: Database, actor: Actor, trustId: string, kind: "cluster" | "local"): Promise<Body> {
  const [existing] = await tx
    .select()
    .from(governanceBodies)
    .where(
      and(
        eq(governanceBodies.trustId, trustId),
        eq(governanceBodies.kind, kind),
        isNull(governanceBodies.columnId),
        isNull(governanceBodies.retiredAt),
      ),
    )
    .orderBy(asc(governanceBodies.position), asc(governanceBodies.name))
    .limit(1);
  if (existing) return existing;
  const name = BODY_KIND_LABELS[kind];
  const [taken] = await tx
    .select({ id: governanceBodies.id })
    .from(governanceBodies)
    .where(and(eq(governanceBodies.trustId, trustId), isNull(governanceBodies.retiredAt), sql`lower(${governanceBodies.name}) = lower(${name})`));
  if (taken) {
    throw new RuleError(
      `The trust has no ${name.toLowerCase()} column for this board to answer under, and the name "${name}" is taken by another body. Add the column first, then the board.`,
      "columnId",
    );
  }
  const [column] = await tx
    .insert(governanceBodies)
    .values({ trustId, kind, name, position: await nextPosition(tx, trustId) })
    .returning();
  await recordAudit(tx, actor, {
    trustId,
    action: "create",
    entity: "body",
    entityId: column!.id,
    summary: `Added the ${name.toLowerCase()} column ${name}, for the trust's ${kind === "cluster" ? "cluster" : "local"} boards to answer under`,
    after: { kind, name, mode: column!.mode, column: null },
  });
  return column!;
}

/** An active body of this trust; anything else (another trust's, retired, not an id at all) is not found. */
async function findBody(tx: Database, trustId: string, id: string): Promise<Body | null> {
  if (!UUID.test(id)) return null;
  const [body] = await tx
    .select()
    .from(governanceBodies)
    .where(and(eq(governanceBodies.trustId, trustId), eq(governanceBodies.id, id), isNull(governanceBodies.retiredAt)));
  return body ?? null;
}

async function namesOf(tx: Database, trustId: string, ids: (string | null)[]): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter((id): id is string => id !== null))];
  if (wanted.length === 0) return new Map();
  const rows = await tx
    .select({ id: governanceBodies.id, name: governanceBodies.name })
    .from(governanceBodies)
    .where(and(eq(governanceBodies.trustId, trustId), inArray(governanceBodies.id, wanted)));
  return new Map(rows.map((r) => [r.id, r.name]));
}

function describeBody(body: Body, names: Map<string, string>) {
  return {
    name: body.name,
    shortName: body.shortName,
    mode: body.mode,
    purpose: body.purpose,
    parent: body.parentId ? (names.get(body.parentId) ?? null) : null,
    column: body.columnId ? (names.get(body.columnId) ?? null) : null,
    chairName: body.chairName,
    remit: body.remit,
  };
}

function describeSchool(school: School, cluster: Pick<Body, "name"> | null, local: Pick<Body, "name"> | null) {
  return {
    urn: school.urn,
    name: school.name,
    phase: school.phase,
    postcode: school.postcode,
    localAuthority: school.localAuthority,
    easting: school.easting,
    northing: school.northing,
    cluster: cluster?.name ?? null,
    localBody: local?.name ?? null,
    joinedOn: school.joinedOn,
    headteacherName: school.headteacherName,
  };
}

/** An individual board answers under a column of its own kind, e.g. "North cluster" under "Cluster governing body". */
function checkColumn(column: Body, kind: BodyKind): void {
  if (column.columnId !== null) {
    throw new RuleError(`"${column.name}" is an individual board, not a matrix column: choose the column it answers under.`, "columnId");
  }
  if (column.kind !== kind) {
    throw new RuleError(
      `"${column.name}" is a column for bodies of the kind "${kindLabel(column.kind)}", so a body of the kind "${BODY_KIND_LABELS[kind]}" cannot answer under it.`,
      "columnId",
    );
  }
}

function checkIndividualBoard(body: Body, kind: "cluster" | "local", field: string): void {
  const what = kind === "cluster" ? "cluster board" : "local board";
  if (body.kind !== kind) throw new RuleError(`"${body.name}" is not a ${what}: choose one of the trust's ${what}s.`, field);
  if (body.columnId === null) {
    throw new RuleError(
      `"${body.name}" is the matrix column for every ${what}; choose the ${what} this school belongs to.`,
      field,
    );
  }
}

async function boardsOf(tx: Database, input: SchoolInput): Promise<{ cluster: Body | null; local: Body | null }> {
  const cluster = input.clusterBodyId ? await findBody(tx, input.trustId, input.clusterBodyId) : null;
  if (input.clusterBodyId && !cluster) throw notFound("clusterBodyId");
  if (cluster) checkIndividualBoard(cluster, "cluster", "clusterBodyId");
  const local = input.localBodyId ? await findBody(tx, input.trustId, input.localBodyId) : null;
  if (input.localBodyId && !local) throw notFound("localBodyId");
  if (local) checkIndividualBoard(local, "local", "localBodyId");
  return { cluster, local };
}

function checkSchoolFields(input: SchoolInput) {
  const name = requiredText(input.name, "name", "Give the school's name");
  if (!Number.isInteger(input.urn) || input.urn < 100000 || input.urn > 999999) {
    throw new RuleError("The URN must be the school's 6-digit unique reference number, e.g. 137542.", "urn");
  }
  if (!SCHOOL_PHASES.includes(input.phase)) throw new RuleError("Choose the school's phase from the list.", "phase");
  const easting = gridReference(input.easting, "easting");
  const northing = gridReference(input.northing, "northing");
  if ((easting === null) !== (northing === null)) {
    throw new RuleError("Give both the easting and the northing of the school, or neither.", easting === null ? "easting" : "northing");
  }
  return {
    urn: input.urn,
    name,
    phase: input.phase,
    easting,
    northing,
    postcode: normalisePostcode(input.postcode),
    localAuthority: optionalText(input.localAuthority, "localAuthority", "The local authority", 200),
    joinedOn: isoDate(input.joinedOn),
    headteacherName: optionalText(input.headteacherName, "headteacherName", "The headteacher's name", 200),
  };
}

async function refuseUrnClash(tx: Database, trustId: string, urn: number): Promise<void> {
  const [holder] = await tx
    .select({ name: schools.name })
    .from(schools)
    .where(and(eq(schools.trustId, trustId), eq(schools.urn, urn)));
  if (holder) throw new RuleError(`URN ${urn} is already used by ${holder.name} in this trust.`, "urn");
}

const NOT_FOUND: Record<string, string> = {
  parentId: "The body this one sits under was not found in this trust.",
  columnId: "The column this body answers under was not found in this trust.",
  clusterBodyId: "The cluster board was not found in this trust.",
  localBodyId: "The local board was not found in this trust.",
};

function notFound(field: keyof typeof NOT_FOUND): RuleError {
  return new RuleError(NOT_FOUND[field]!, field);
}

/** Refusals the database makes itself (a race between two writers, a reference into another trust), in the user's words. */
const CONSTRAINT_ERRORS: Record<string, () => RuleError> = {
  governance_bodies_parent_fk: () => notFound("parentId"),
  governance_bodies_column_fk: () => notFound("columnId"),
  governance_bodies_name_key: () => new RuleError("There is already a body with that name in this trust. Give this one a different name.", "name"),
  schools_cluster_fk: () => notFound("clusterBodyId"),
  schools_local_body_fk: () => notFound("localBodyId"),
  schools_urn_key: () => new RuleError("That URN is already used by another school in this trust.", "urn"),
};

export async function withFriendlyConstraints<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    const cause = (error as { cause?: { constraint_name?: string; constraint?: string } }).cause;
    const friendly = CONSTRAINT_ERRORS[cause?.constraint_name ?? cause?.constraint ?? ""];
    throw friendly ? friendly() : error;
  }
}

async function nextPosition(tx: Database, trustId: string): Promise<number> {
  const [row] = await tx.select({ last: max(governanceBodies.position) }).from(governanceBodies).where(eq(governanceBodies.trustId, trustId));
  return (row?.last ?? 0) + 1;
}

function kindLabel(kind: string): string {
  return isBodyKind(kind) ? BODY_KIND_LABELS[kind] : kind;
}

function requiredText(value: string, field: string, ask: string): string {
  const text = (value ?? "").trim();
  if (text.length === 0) throw new RuleError(`${ask}.`, field);
  if (text.length > 200) throw new RuleError(`${ask} of at most 200 characters.`, field);
  return text;
}

function optionalText(value: string | null | undefined, field: string, what: string, limit: number): string | null {
  const text = (value ?? "").trim();
  if (text.length > limit) throw new RuleError(`${what} can be at most ${limit} characters long.`, field);
  return text.length > 0 ? text : null;
}

function gridReference(value: number | null | undefined, field: "easting" | "northing"): number | null {
  if (value === null || value === undefined) return null;
  const limit = GRID_LIMITS[field];
  if (!Number.isInteger(value) || value < 0 || value > limit) {
    throw new RuleError(
      `The ${field} must be a whole number of metres between 0 and ${limit.toLocaleString("en-GB")} on Great Britain's national grid, as in the DfE register.`,
      field,
    );
  }
  return value;
}

/** "hg4 1ab" → "HG4 1AB"; refuses what cannot be a UK postcode. */
function normalisePostcode(value: string | null | undefined): string | null {
  const text = (value ?? "").trim().toUpperCase().replace(/\s+/g, " ");
  if (text.length === 0) return null;
  const match = POSTCODE.exec(text);
  if (!match) throw new RuleError(`"${value}" does not look like a UK postcode, e.g. HG4 1AB.`, "postcode");
  return `${match[1]} ${match[2]}`;
}

function isoDate(value: string | null | undefined): string | null {
  if (value === null || value === undefined || value.trim() === "") return null;
  const text = value.trim();
  const parsed = new Date(`${text}T00:00:00Z`);
  if (!ISO_DATE.test(text) || Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== text) {
    throw new RuleError("The date the school joined must be a real date, e.g. 2019-09-01.", "joinedOn");
  }
  return text;
}
