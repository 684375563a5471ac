/**
 * The trust's structure: its governance bodies (the matrix columns and the individual boards that
 * answer under them) and its schools.
 */
import { and, asc, eq, isNull, max, sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { governanceBodies, schools } from "../../db/schema";
import { RuleError } from "../domain/errors";
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

export type Body = typeof governanceBodies.$inferSelect;
export type School = typeof schools.$inferSelect;

export interface BodyInput {
  trustId: string;
  kind: BodyKind;
  name: string;
  shortName?: string | null;
  mode?: DecisionMode;
  purpose?: BodyPurpose;
  /** Where it sits in the structure chart: a committee under the board, a local board under its cluster. */
  parentId?: string | null;
  /** The matrix column an individual board answers under; none when the body is a column itself. */
  columnId?: string | null;
  /** Order among the trust's bodies; by default after the last one. */
  position?: number;
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

/** Great Britain's national grid, in metres (the DfE register's easting and northing). */
export const GRID_LIMITS = { easting: 700_000, northing: 1_300_000 } as const;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const POSTCODE = /^([A-Z]{1,2}[0-9][A-Z0-9]?) ?([0-9][A-Z]{2})$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

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

export async function createBody(db: Database, actor: Actor, input: BodyInput): Promise<Body> {
  const name = requiredText(input.name, "name", "Give the body a name");
  const shortName = optionalText(input.shortName, "shortName", "The short heading", 30);
  const chairName = optionalText(input.chairName, "chairName", "The chair's name", 200);
  const remit = optionalText(input.remit, "remit", "The remit", 2000);
  if (!isBodyKind(input.kind)) throw new RuleError("Choose what kind of body this is.", "kind");
  const kind = input.kind;
  const mode = input.mode ?? "decision-making";
  if (!DECISION_MODES.includes(mode)) throw new RuleError("Choose whether the body decides or only advises.", "mode");
  if (mode === "advisory" && !mayBeAdvisory(kind)) {
    throw new RuleError(
      `Only cluster and local bodies can be advisory; a body of the kind "${BODY_KIND_LABELS[kind]}" decides whatever the scheme gives it.`,
      "mode",
    );
  }
  const purpose = input.purpose ?? "standing";
  if (!BODY_PURPOSES.includes(purpose)) throw new RuleError("Choose whether the body is standing, transition or intervention.", "purpose");
  if (input.position !== undefined && !Number.isInteger(input.position)) {
    throw new RuleError("The position must be a whole number.", "position");
  }

  return withFriendlyConstraints(() =>
    db.transaction(async (tx) => {
      const clash = await tx
        .select({ id: governanceBodies.id })
        .from(governanceBodies)
        .where(
          and(
            eq(governanceBodies.trustId, input.trustId),
            isNull(governanceBodies.retiredAt),
            sql`lower(${governanceBodies.name}) = lower(${name})`,
          ),
        );
      if (clash.length > 0) {
        throw new RuleError(`There is already a body called "${name}" in this trust. Give this one a different name.`, "name");
      }
      const parent = input.parentId ? await findBody(tx, input.trustId, input.parentId) : null;
      if (input.parentId && !parent) throw notFound("parentId");
      const column = input.columnId ? await findBody(tx, input.trustId, input.columnId) : null;
      if (input.columnId && !column) throw notFound("columnId");
      if (column) checkColumn(column, kind);

      const position = input.position ?? (await nextPosition(tx, input.trustId));
      const [body] = await tx
        .insert(governanceBodies)
        .values({
          trustId: input.trustId,
          kind,
          name,
          shortName,
          mode,
          purpose,
          parentId: parent?.id ?? null,
          columnId: column?.id ?? null,
          position,
          chairName,
          remit,
        })
        .returning();
      await recordAudit(tx, actor, {
        trustId: input.trustId,
        action: "create",
        entity: "body",
        entityId: body!.id,
        summary: column
          ? `Added ${name}, answering under the column ${column.name}`
          : `Added the ${BODY_KIND_LABELS[kind].toLowerCase()} column ${name}`,
        after: { kind, name, shortName, mode, purpose, parent: parent?.name ?? null, column: column?.name ?? null, chairName },
      });
      return body!;
    }),
  );
}

export async function createSchool(db: Database, actor: Actor, input: SchoolInput): Promise<School> {
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
  const postcode = normalisePostcode(input.postcode);
  const joinedOn = isoDate(input.joinedOn);
  const localAuthority = optionalText(input.localAuthority, "localAuthority", "The local authority", 200);
  const headteacherName = optionalText(input.headteacherName, "headteacherName", "The headteacher's name", 200);

  return withFriendlyConstraints(() =>
    db.transaction(async (tx) => {
      const [holder] = await tx
        .select({ name: schools.name })
        .from(schools)
        .where(and(eq(schools.trustId, input.trustId), eq(schools.urn, input.urn)));
      if (holder) throw new RuleError(`URN ${input.urn} is already used by ${holder.name} in this trust.`, "urn");
      const cluster = input.clusterBodyId ? await findBody(tx, input.trustId, input.clusterBodyId) : null;
      if (input.clusterBodyId && !cluster) throw notFound("clusterBodyId");
      if (cluster) checkIndividualBoard(cluster, "cluster", "clusterBodyId");
      const local = input.localBodyId ? await findBody(tx, input.trustId, input.localBodyId) : null;
      if (input.localBodyId && !local) throw notFound("localBodyId");
      if (local) checkIndividualBoard(local, "local", "localBodyId");

      const [school] = await tx
        .insert(schools)
        .values({
          trustId: input.trustId,
          urn: input.urn,
          name,
          phase: input.phase,
          easting,
          northing,
          postcode,
          localAuthority,
          clusterBodyId: cluster?.id ?? null,
          localBodyId: local?.id ?? null,
          joinedOn,
          headteacherName,
        })
        .returning();
      await recordAudit(tx, actor, {
        trustId: input.trustId,
        action: "create",
        entity: "school",
        entityId: school!.id,
        summary: `Added the school ${name} (URN ${input.urn})`,
        after: {
          urn: input.urn,
          name,
          phase: input.phase,
          postcode,
          cluster: cluster?.name ?? null,
          localBody: local?.name ?? null,
          joinedOn,
        },
      });
      return school!;
    }),
  );
}

// ---------------------------------------------------------------- checks

/** An active body of this trust; anything else (another trust's, retired, not an id at all) is not found. */
async function findBody(tx: Database, trustId: string, id: string): Promise<Body | null> {
  if (!UUID.test(id)) return null;
  const [body] = await tx
    .select()
    .from(governanceBodies)
    .where(and(eq(governanceBodies.trustId, trustId), eq(governanceBodies.id, id), isNull(governanceBodies.retiredAt)));
  return body ?? null;
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

async function withFriendlyConstraints<T>(write: () => Promise<T>): Promise<T> {
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
