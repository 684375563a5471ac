/**
 * Schools' performance records: dated entries of inspections, outcomes, finances, safeguarding and
 * leadership, from which each school's tier is recommended. Entered on the school's page, by CSV
 * or from the DfE register; each entry or removal is audited.
 */
import { and, desc, eq } from "drizzle-orm";
import type { Database } from "../../db/client";
import { performanceRecords } from "../../db/schema";
import { NotFoundError } from "../domain/errors";
import {
  inspectionColumns,
  inspectionOf,
  type LeadershipStability,
  type PerformanceEntry,
  type PerformanceRecord,
  type RecordSource,
  type Trend,
} from "../domain/performance";
import type { Rag } from "../domain/autonomy";
import { recordAudit, type Actor } from "./audit.server";
import { getSchool } from "./structure.server";

type Row = typeof performanceRecords.$inferSelect;

const money = (value: string | null) => (value === null ? null : Number(value));

function toRecord(row: Row): PerformanceRecord {
  return {
    id: row.id,
    schoolId: row.schoolId,
    source: row.source as RecordSource,
    asOf: row.asOf,
    inspection: inspectionOf(row.inspectionFramework, row.legacyGrade, row.reportCard),
    safeguardingMet: row.safeguardingMet,
    outcomesBand: row.outcomesBand,
    trend: row.trend as Trend | null,
    inYearBalance: money(row.inYearBalance),
    reserves: money(row.reserves),
    deficit: row.deficit,
    safeguardingAudit: row.safeguardingAudit as Rag | null,
    leadershipStability: row.leadershipStability as LeadershipStability | null,
    terminationWarning: row.terminationWarning,
    note: row.note,
  };
}

/** The trust's records (or one school's), newest first. */
export async function listPerformanceRecords(db: Database, trustId: string, schoolId?: string): Promise<PerformanceRecord[]> {
  const rows = await db
    .select()
    .from(performanceRecords)
    .where(and(eq(performanceRecords.trustId, trustId), schoolId ? eq(performanceRecords.schoolId, schoolId) : undefined))
    .orderBy(desc(performanceRecords.asOf), desc(performanceRecords.createdAt));
  return rows.map(toRecord);
}

/** The columns of one entry, for a single insert or a batch of an import. */
export function performanceValues(trustId: string, schoolId: string, entry: PerformanceEntry, source: RecordSource) {
  return {
    trustId,
    schoolId,
    source,
    asOf: entry.asOf,
    ...inspectionColumns(entry.inspection),
    safeguardingMet: entry.safeguardingMet,
    outcomesBand: entry.outcomesBand,
    trend: entry.trend,
    inYearBalance: entry.inYearBalance === null ? null : entry.inYearBalance.toFixed(2),
    reserves: entry.reserves === null ? null : entry.reserves.toFixed(2),
    deficit: entry.deficit,
    safeguardingAudit: entry.safeguardingAudit,
    leadershipStability: entry.leadershipStability,
    terminationWarning: entry.terminationWarning,
    note: entry.note,
  };
}

async function schoolName(tx: Database, trustId: string, schoolId: string): Promise<string> {
  const school = await getSchool(tx, trustId, schoolId);
  if (!school) throw new NotFoundError("That school");
  return school.name;
}

export async function addPerformanceRecord(
  db: Database,
  actor: Actor,
  input: { trustId: string; schoolId: string; entry: PerformanceEntry; source?: RecordSource },
): Promise<string> {
  return db.transaction(async (tx) => {
    const name = await schoolName(tx, input.trustId, input.schoolId);
    const [row] = await tx
      .insert(performanceRecords)
      .values(performanceValues(input.trustId, input.schoolId, input.entry, input.source ?? "manual"))
      .returning({ id: performanceRecords.id });
    await recordAudit(tx, actor, {
      trustId: input.trustId,
      action: "create",
      entity: "performance-record",
      entityId: row!.id,
      summary: `Recorded the performance of ${name} as of ${input.entry.asOf}`,
      after: input.entry,
    });
    return row!.id;
  });
}

/** Removes a record entered by mistake; the audit keeps what it said. */
export async function removePerformanceRecord(db: Database, actor: Actor, input: { trustId: string; schoolId: string; recordId: string }): Promise<void> {
  await db.transaction(async (tx) => {
    const name = await schoolName(tx, input.trustId, input.schoolId);
    const [removed] = await tx
      .delete(performanceRecords)
      .where(
        and(eq(performanceRecords.trustId, input.trustId), eq(performanceRecords.schoolId, input.schoolId), eq(performanceRecords.id, input.recordId)),
      )
      .returning();
    if (!removed) throw new NotFoundError("That performance record");
    await recordAudit(tx, actor, {
      trustId: input.trustId,
      action: "delete",
      entity: "performance-record",
      entityId: removed.id,
      summary: `Removed the performance record of ${name} as of ${removed.asOf}`,
      before: toRecord(removed),
    });
  });
}
