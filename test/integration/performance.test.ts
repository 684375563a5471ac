/**
 * Performance records as the model keeps them: an entry reads back as entered (a legacy grade or a
 * report card, never both), newest first, scoped to the trust, and each entry and removal is audited.
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db/client";
import { auditLog, performanceRecords } from "../../db/schema";
import { seedDemoTrust, type DemoTrust } from "../../db/seed";
import { NotFoundError } from "~/domain/errors";
import { performanceRecordSchema, type PerformanceEntry } from "~/domain/performance";
import { COMMAND_LINE } from "~/models/audit.server";
import { addPerformanceRecord, listPerformanceRecords, removePerformanceRecord } from "~/models/performance.server";
import { createTrust } from "~/models/trust.server";
import { freshDatabase } from "../support/database";

let handle: DatabaseHandle;
let demo: DemoTrust;
let schoolId: string;

beforeAll(async () => {
  handle = await freshDatabase();
  demo = await seedDemoTrust(handle.db, COMMAND_LINE);
  schoolId = Object.values(demo.schools)[1]!.id;
});
afterAll(() => handle?.close());

function entry(fields: Record<string, string>): PerformanceEntry {
  const parsed = performanceRecordSchema("2026-11-24").safeParse(fields);
  if (!parsed.success) throw new Error(parsed.error.issues.map((i) => i.message).join("; "));
  return parsed.data;
}

describe("performance records", () => {
  it("keeps a report card and a legacy grade as they were entered, newest first", async () => {
    const before = (await listPerformanceRecords(handle.db, demo.trust.id, schoolId)).length;
    await addPerformanceRecord(handle.db, COMMAND_LINE, {
      trustId: demo.trust.id,
      schoolId,
      entry: entry({ asOf: "2023-05-10", inspectionFramework: "legacy", legacyGrade: "2", safeguardingMet: "met", reserves: "-1250.5" }),
    });
    await addPerformanceRecord(handle.db, COMMAND_LINE, {
      trustId: demo.trust.id,
      schoolId,
      entry: entry({ asOf: "2026-11-20", inspectionFramework: "report-card", "rc_curriculum-and-teaching": "expected", rc_inclusion: "needs attention", safeguardingMet: "not met" }),
    });
    const records = await listPerformanceRecords(handle.db, demo.trust.id, schoolId);
    expect(records).toHaveLength(before + 2);
    expect(records[0]).toMatchObject({
      asOf: "2026-11-20",
      inspection: { framework: "report-card", grades: { "curriculum-and-teaching": "expected", inclusion: "needs-attention" } },
      safeguardingMet: false,
      source: "manual",
    });
    const legacy = records.find((r) => r.asOf === "2023-05-10")!;
    expect(legacy).toMatchObject({ inspection: { framework: "legacy", grade: 2 }, safeguardingMet: true, reserves: -1250.5 });
    const entries = await handle.db.select().from(auditLog).where(eq(auditLog.entity, "performance-record"));
    expect(entries.some((e) => e.summary.endsWith("as of 2026-11-20"))).toBe(true);
  });

  it("removes a record entered by mistake, and refuses one of another trust's schools", async () => {
    const [latest] = await listPerformanceRecords(handle.db, demo.trust.id, schoolId);
    const other = await createTrust(handle.db, COMMAND_LINE, { name: "Other Trust", slug: "other-performance" });
    await expect(removePerformanceRecord(handle.db, COMMAND_LINE, { trustId: other.id, schoolId, recordId: latest!.id })).rejects.toBeInstanceOf(NotFoundError);
    await removePerformanceRecord(handle.db, COMMAND_LINE, { trustId: demo.trust.id, schoolId, recordId: latest!.id });
    expect(await handle.db.select().from(performanceRecords).where(eq(performanceRecords.id, latest!.id))).toEqual([]);
    const removal = await handle.db.select().from(auditLog).where(eq(auditLog.action, "delete"));
    expect(removal.at(-1)!.summary).toMatch(/^Removed the performance record of .* as of 2026-11-20$/);
  });
});
