/**
 * Importing a trust's schools from the DfE register. A school is known by its URN: a new URN adds a
 * school, a known one has its register details brought up to date, and nothing is ever duplicated.
 * What the trust decides itself (cluster, local board, date joined, headteacher) is never touched,
 * and an empty register value never erases what the trust has recorded.
 */
import { and, eq, inArray, sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { performanceRecords, schools } from "../../db/schema";
import { RuleError } from "../domain/errors";
import {
  describeProblem,
  gradeName,
  REGISTER_FIELD_LABELS,
  REGISTER_FIELDS,
  type LegacyGrade,
  type RegisterField,
  type RegisterReading,
  type RegisterSchool,
} from "../domain/gias";
import { recordAudit, type Actor, type AuditEntry } from "./audit.server";

export interface FieldChange {
  field: RegisterField;
  before: string | number | null;
  after: string | number;
}

export type InspectionOutcome =
  | { kind: "record"; grade: LegacyGrade; asOf: string }
  | { kind: "already-recorded"; grade: LegacyGrade; asOf: string }
  | { kind: "none"; reason: string };

export interface PlannedSchool {
  school: RegisterSchool;
  inspection: InspectionOutcome;
}

export interface PlannedUpdate extends PlannedSchool {
  id: string;
  /** What the register changes; empty when the school is already up to date. */
  changes: FieldChange[];
}

export interface SchoolImportPlan {
  additions: PlannedSchool[];
  updates: PlannedUpdate[];
  unchanged: PlannedUpdate[];
  /** The trust's schools that the filtered file does not hold: left as they are. */
  notInFile: { urn: number; name: string }[];
  inspectionsToRecord: number;
}

export interface SchoolImportResult {
  plan: SchoolImportPlan;
  added: number;
  updated: number;
  inspectionsRecorded: number;
}

const BATCH = 1000;

function chunks<T>(items: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += BATCH) out.push(items.slice(i, i + BATCH));
  return out;
}

/** What importing the register's rows would do to the trust's schools, without changing anything. */
export async function planSchoolImport(db: Database, trustId: string, rows: RegisterSchool[]): Promise<SchoolImportPlan> {
  const existing = await db.select().from(schools).where(eq(schools.trustId, trustId));
  const byUrn = new Map(existing.map((s) => [s.urn, s]));
  const dates = [...new Set(rows.flatMap((r) => (r.inspection ? [r.inspection.asOf] : [])))];
  const recorded = new Set<string>();
  if (dates.length > 0 && existing.length > 0) {
    const records = await db
      .select({ schoolId: performanceRecords.schoolId, asOf: performanceRecords.asOf })
      .from(performanceRecords)
      .where(and(eq(performanceRecords.trustId, trustId), inArray(performanceRecords.asOf, dates)));
    for (const r of records) recorded.add(`${r.schoolId} ${r.asOf}`);
  }

  const plan: SchoolImportPlan = { additions: [], updates: [], unchanged: [], notInFile: [], inspectionsToRecord: 0 };
  const inFile = new Set(rows.map((r) => r.urn));
  for (const row of rows) {
    const current = byUrn.get(row.urn);
    const inspection = outcome(row, current ? recorded.has(`${current.id} ${row.inspection?.asOf}`) : false);
    if (inspection.kind === "record") plan.inspectionsToRecord++;
    if (!current) {
      plan.additions.push({ school: row, inspection });
      continue;
    }
    const changes = changesFor(current, row);
    (changes.length > 0 ? plan.updates : plan.unchanged).push({ school: row, inspection, id: current.id, changes });
  }
  plan.notInFile = existing
    .filter((s) => !inFile.has(s.urn))
    .map((s) => ({ urn: s.urn, name: s.name }))
    .sort((a, b) => a.name.localeCompare(b.name, "en-GB"));
  return plan;
}

function outcome(row: RegisterSchool, alreadyRecorded: boolean): InspectionOutcome {
  if (!row.inspection) return { kind: "none", reason: row.inspectionNote ?? "The register gives no Ofsted grade." };
  return { kind: alreadyRecorded ? "already-recorded" : "record", ...row.inspection };
}

function changesFor(current: typeof schools.$inferSelect, row: RegisterSchool): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const field of REGISTER_FIELDS) {
    const after = row[field];
    // The register fills and corrects; an empty value in it leaves the trust's own record alone.
    if (after === null || after === current[field]) continue;
    changes.push({ field, before: current[field], after });
  }
  return changes;
}

/**
 * Applies the register's rows in one transaction with their audit entries: all of it or, when the
 * file has any problem, none of it.
 */
export async function importSchools(db: Database, actor: Actor, trustId: string, reading: RegisterReading): Promise<SchoolImportResult> {
  if (reading.problems.length > 0) {
    const first = describeProblem(reading.problems[0]!);
    const more = reading.problems.length - 1;
    throw new RuleError(`The file has ${reading.problems.length === 1 ? "a problem" : `${reading.problems.length} problems`}, so nothing was imported. ${first}${more > 0 ? ` (and ${more} more)` : ""}`);
  }
  if (reading.schools.length === 0) throw new RuleError("No school in the file passed the filter, so there is nothing to import.");

  try {
    return await db.transaction(async (tx) => {
      const plan = await planSchoolImport(tx, trustId, reading.schools);
      const ids = new Map<number, string>(plan.updates.concat(plan.unchanged).map((u) => [u.school.urn, u.id]));
      const audit: AuditEntry[] = [];

      for (const batch of chunks(plan.additions)) {
        const inserted = await tx
          .insert(schools)
          .values(
            batch.map(({ school: s }) => ({
              trustId,
              urn: s.urn,
              name: s.name,
              phase: s.phase,
              postcode: s.postcode,
              easting: s.easting,
              northing: s.northing,
              localAuthority: s.localAuthority,
              headteacherName: s.headteacherName,
            })),
          )
          .returning({ id: schools.id, urn: schools.urn });
        for (const row of inserted) ids.set(row.urn, row.id);
      }
      for (const { school: s } of plan.additions) {
        audit.push({
          trustId,
          action: "create",
          entity: "school",
          entityId: ids.get(s.urn)!,
          summary: `Added the school ${s.name} (URN ${s.urn}) from the DfE register`,
          after: { urn: s.urn, name: s.name, phase: s.phase, postcode: s.postcode, localAuthority: s.localAuthority },
        });
      }

      for (const update of plan.updates) {
        const values = Object.fromEntries(update.changes.map((c) => [c.field, c.after]));
        await tx
          .update(schools)
          .set({ ...values, version: sql`${schools.version} + 1`, updatedAt: sql`now()` })
          .where(and(eq(schools.trustId, trustId), eq(schools.id, update.id)));
        audit.push({
          trustId,
          action: "update",
          entity: "school",
          entityId: update.id,
          summary: `Updated ${update.school.name} (URN ${update.school.urn}) from the DfE register: ${update.changes.map((c) => REGISTER_FIELD_LABELS[c.field].toLowerCase()).join(", ")}`,
          before: Object.fromEntries(update.changes.map((c) => [c.field, c.before])),
          after: values,
        });
      }

      const inspections = [...plan.additions, ...plan.updates, ...plan.unchanged].filter(
        (p): p is PlannedSchool & { inspection: { kind: "record"; grade: LegacyGrade; asOf: string } } => p.inspection.kind === "record",
      );
      for (const batch of chunks(inspections)) {
        const inserted = await tx
          .insert(performanceRecords)
          .values(
            batch.map(({ school: s, inspection }) => ({
              trustId,
              schoolId: ids.get(s.urn)!,
              asOf: inspection.asOf,
              inspectionFramework: "legacy",
              legacyGrade: inspection.grade,
              source: "gias",
            })),
          )
          .returning({ id: performanceRecords.id, schoolId: performanceRecords.schoolId });
        inserted.forEach((record, i) => {
          const { school: s, inspection } = batch[i]!;
          audit.push({
            trustId,
            action: "create",
            entity: "performance-record",
            entityId: record.id,
            summary: `Recorded ${s.name}'s Ofsted grade from the DfE register: ${gradeName(inspection.grade)}, inspected ${inspection.asOf}`,
            after: { schoolId: record.schoolId, asOf: inspection.asOf, inspectionFramework: "legacy", legacyGrade: inspection.grade, source: "gias" },
          });
        });
      }

      audit.push({
        trustId,
        action: "import",
        entity: "school",
        summary: `Imported schools from the DfE register: ${plan.additions.length} added, ${plan.updates.length} updated, ${inspections.length} Ofsted grades recorded`,
        after: { added: plan.additions.length, updated: plan.updates.length, unchanged: plan.unchanged.length, inspectionsRecorded: inspections.length },
      });
      for (const batch of chunks(audit)) await recordAudit(tx, actor, batch);

      return { plan, added: plan.additions.length, updated: plan.updates.length, inspectionsRecorded: inspections.length };
    });
  } catch (error) {
    const cause = (error as { cause?: { constraint_name?: string; constraint?: string } }).cause;
    if ((cause?.constraint_name ?? cause?.constraint) === "schools_urn_key") {
      throw new RuleError("Someone else added some of these schools at the same moment, so nothing was imported. Upload the file again to see the schools as they are now.");
    }
    throw error;
  }
}
