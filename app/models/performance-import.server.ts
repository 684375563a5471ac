/**
 * Importing schools' performance records from CSV: the file is read against the trust's schools, its
 * outcomes bands and today's date, and its records are added in one transaction with one entry in
 * the trust's history, or, when any row has a problem, nothing is. A record the school already has,
 * word for word, is not added again, so importing the same file twice changes nothing.
 */
import { eq } from "drizzle-orm";
import type { Database } from "../../db/client";
import { performanceRecords, schools } from "../../db/schema";
import { today as todayInEngland } from "../clock.server";
import { RuleError } from "../domain/errors";
import { alreadyRecorded, describePerformanceProblem, readPerformanceCsv, type PerformanceCsvProblem, type PerformanceCsvReading, type PerformanceCsvRow } from "../domain/performance-csv";
import { recordAudit, type Actor } from "./audit.server";
import { loadTierPolicy } from "./autonomy.server";
import { listPerformanceRecords, performanceValues } from "./performance.server";

export interface ImportSchool {
  id: string;
  urn: number;
  name: string;
}

export type PlannedRecord = PerformanceCsvRow<ImportSchool>;

export interface PerformanceImportPlan {
  reading: PerformanceCsvReading<ImportSchool>;
  toRecord: PlannedRecord[];
  /** Rows that say exactly what a record of their school already says: left out. */
  alreadyRecorded: PlannedRecord[];
}

export interface PerformanceImportResult {
  plan: PerformanceImportPlan;
  recorded: number;
  /** How many schools the new records belong to. */
  schools: number;
}

/** The file has problems: nothing was imported. The page and the command line list them all. */
export class PerformanceImportRefusedError extends RuleError {
  constructor(readonly problems: PerformanceCsvProblem[]) {
    const more = problems.length - 1;
    super(
      `The file has ${problems.length === 1 ? "a problem" : `${problems.length} problems`}, so nothing was imported. ${describePerformanceProblem(problems[0]!)}${more > 0 ? ` (and ${more} more)` : ""}`,
    );
    this.name = "PerformanceImportRefusedError";
  }
}

const BATCH = 1000;

/** What importing the file would record, without changing anything. */
export async function planPerformanceImport(db: Database, trustId: string, content: Uint8Array | string, today: string = todayInEngland()): Promise<PerformanceImportPlan> {
  const [trustSchools, policy] = await Promise.all([
    db.select({ id: schools.id, urn: schools.urn, name: schools.name }).from(schools).where(eq(schools.trustId, trustId)),
    loadTierPolicy(db, trustId),
  ]);
  const reading = readPerformanceCsv(content, { today, bands: policy.outcomesBands, schools: trustSchools });
  const plan: PerformanceImportPlan = { reading, toRecord: [], alreadyRecorded: [] };
  if (reading.rows.length === 0) return plan;

  const stored = await listPerformanceRecords(db, trustId);
  for (const row of reading.rows) {
    const schoolRecords = stored.filter((r) => r.schoolId === row.school.id && r.asOf === row.entry.asOf);
    (alreadyRecorded(row.entry, schoolRecords) ? plan.alreadyRecorded : plan.toRecord).push(row);
  }
  return plan;
}

/**
 * Adds the file's records, all of them or none: the file is read and checked again inside the
 * transaction, against the trust as it then stands.
 */
export async function importPerformanceRecords(
  db: Database,
  actor: Actor,
  input: { trustId: string; content: Uint8Array | string; fileName: string | null; today?: string },
): Promise<PerformanceImportResult> {
  const fileName = input.fileName ?? "a CSV file";
  try {
    return await db.transaction(async (tx) => {
      const plan = await planPerformanceImport(tx, input.trustId, input.content, input.today);
      if (plan.reading.problems.length > 0) throw new PerformanceImportRefusedError(plan.reading.problems);
      if (plan.toRecord.length === 0) return { plan, recorded: 0, schools: 0 };

      const ids: string[] = [];
      for (let i = 0; i < plan.toRecord.length; i += BATCH) {
        const batch = plan.toRecord.slice(i, i + BATCH);
        const inserted = await tx
          .insert(performanceRecords)
          .values(batch.map((row) => performanceValues(input.trustId, row.school.id, row.entry, "csv")))
          .returning({ id: performanceRecords.id });
        ids.push(...inserted.map((r) => r.id));
      }
      const schoolCount = new Set(plan.toRecord.map((row) => row.school.id)).size;
      await recordAudit(tx, actor, {
        trustId: input.trustId,
        action: "import",
        entity: "performance-record",
        summary: `Imported ${counted(plan.toRecord.length, "performance record")} for ${counted(schoolCount, "school")} from ${fileName}`,
        after: {
          fileName: input.fileName,
          alreadyRecorded: plan.alreadyRecorded.length,
          records: plan.toRecord.map((row, i) => ({ id: ids[i], urn: row.school.urn, line: row.line, ...row.entry })),
        },
      });
      return { plan, recorded: plan.toRecord.length, schools: schoolCount };
    });
  } catch (error) {
    const cause = (error as { cause?: { constraint_name?: string; constraint?: string } }).cause;
    if ((cause?.constraint_name ?? cause?.constraint) === "performance_records_school_fk") {
      throw new RuleError("A school of the file was removed from the trust at the same moment, so nothing was imported. Import the file again to see where it stands.");
    }
    throw error;
  }
}

function counted(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}
