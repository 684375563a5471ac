/**
 * Removing governance bodies and schools: what the confirmation says will be cleared is exactly
 * what goes, in one transaction with its audit entries; a body an approved version names is
 * retired, and that version still loads with it.
 */
import { and, asc, count, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database, DatabaseHandle } from "../../db/client";
import {
  auditLog,
  cells,
  governanceBodies,
  performanceRecords,
  responsibilities,
  schemeRows,
  schoolCells,
  schoolReviews,
  schools,
  tierCells,
  tierDecisions,
} from "../../db/schema";
import { RuleError, StaleWriteError } from "~/domain/errors";
import { cellKey } from "~/domain/scheme";
import { COMMAND_LINE } from "~/models/audit.server";
import { saveRow } from "~/models/row-save.server";
import { approveVersion, findDraft, loadScheme, startDraft } from "~/models/scheme.server";
import { planBodyRemoval, planSchoolRemoval, removeBody, removeSchool } from "~/models/structure-removal.server";
import { createBody, createSchool, getBody, getSchool, listBodies, type Body, type School } from "~/models/structure.server";
import { createTrust, type Trust } from "~/models/trust.server";
import { freshDatabase } from "../support/database";

let handle: DatabaseHandle;
let db: Database;
beforeAll(async () => {
  handle = await freshDatabase();
  db = handle.db;
});
afterAll(() => handle.close());

interface Built {
  trust: Trust;
  bodies: Record<string, Body>;
  schools: Record<string, School>;
  rows: { id: string; ref: string }[];
  draftId: string;
}

let made = 0;

/**
 * A small trust: members, board, two committees (one with a panel under it), a CEO, one cluster
 * and two local boards under their columns, three schools, and a draft with cells in the finance
 * committee's and the local column, a tier variant and a school variation.
 */
async function buildTrust(): Promise<Built> {
  made += 1;
  const trust = await createTrust(db, COMMAND_LINE, { name: `Removal Trust ${made}`, slug: `removal-${made}` });
  const bodies: Record<string, Body> = {};
  const add = async (name: string, input: Omit<Parameters<typeof createBody>[2], "trustId" | "name">) => {
    bodies[name] = await createBody(db, COMMAND_LINE, { trustId: trust.id, name, ...input });
  };
  await add("Members", { kind: "members" });
  await add("Board of trustees", { kind: "board", parentId: bodies["Members"]!.id });
  await add("Audit & Risk Committee", { kind: "committee", parentId: bodies["Board of trustees"]!.id });
  await add("Finance Committee", { kind: "committee", parentId: bodies["Board of trustees"]!.id });
  await add("Investment panel", { kind: "committee", parentId: bodies["Finance Committee"]!.id });
  await add("Chief executive officer", { kind: "executive", parentId: bodies["Board of trustees"]!.id });
  await add("North cluster", { kind: "cluster", parentId: bodies["Board of trustees"]!.id, underKindColumn: true });
  await add("Abbey board", { kind: "local", parentId: bodies["North cluster"]!.id, underKindColumn: true });
  await add("Brook board", { kind: "local", parentId: bodies["North cluster"]!.id, underKindColumn: true });
  bodies["Cluster governing body"] = (await getBody(db, trust.id, bodies["North cluster"]!.columnId!))!;
  bodies["Local governing body"] = (await getBody(db, trust.id, bodies["Abbey board"]!.columnId!))!;
  const school = (urn: number, name: string, local: string) =>
    createSchool(db, COMMAND_LINE, { trustId: trust.id, urn, name, phase: "primary", clusterBodyId: bodies["North cluster"]!.id, localBodyId: bodies[local]!.id });
  const schoolList = {
    "Abbey Primary": await school(160001, "Abbey Primary", "Abbey board"),
    "Brook Primary": await school(160002, "Brook Primary", "Brook board"),
    "Cedar Primary": await school(160003, "Cedar Primary", "Abbey board"),
  };
  const rows = await db
    .select({ id: responsibilities.id, ref: responsibilities.ref })
    .from(responsibilities)
    .where(eq(responsibilities.trustId, trust.id))
    .orderBy(asc(responsibilities.area), asc(responsibilities.position))
    .limit(3);
  const draft = await startDraft(db, COMMAND_LINE, { trustId: trust.id, from: "empty" });
  const finance = bodies["Finance Committee"]!.id;
  const local = bodies["Local governing body"]!.id;
  await saveRow(db, COMMAND_LINE, { trustId: trust.id, versionId: draft.id, rowId: rows[0]!.id, codes: { [finance]: "R", [local]: "C" }, expectedRevision: 1 });
  await saveRow(db, COMMAND_LINE, { trustId: trust.id, versionId: draft.id, rowId: rows[1]!.id, codes: { [finance]: "M" }, expectedRevision: 1 });
  await db.insert(tierCells).values({ trustId: trust.id, versionId: draft.id, tier: "T1", responsibilityId: rows[2]!.id, bodyId: finance, code: "A" });
  await db.insert(schoolCells).values({
    trustId: trust.id,
    versionId: draft.id,
    schoolId: schoolList["Cedar Primary"].id,
    responsibilityId: rows[2]!.id,
    bodyId: finance,
    code: "I",
  });
  return { trust, bodies, schools: schoolList, rows, draftId: draft.id };
}

async function tally(trustId: string) {
  const n = async (table: typeof cells | typeof tierCells | typeof schoolCells | typeof governanceBodies | typeof schools | typeof auditLog) =>
    (await db.select({ n: count() }).from(table).where(eq(table.trustId, trustId)))[0]!.n;
  return { cells: await n(cells), tierCells: await n(tierCells), schoolCells: await n(schoolCells), bodies: await n(governanceBodies), schools: await n(schools), audit: await n(auditLog) };
}

describe("removing a committee with cells, variants and a committee under it", () => {
  let t: Built;
  beforeAll(async () => {
    t = await buildTrust();
  });

  it("plans exactly what will be cleared: the draft's cells with their rows, the variants, and the panel moved up", async () => {
    const plan = (await planBodyRemoval(db, t.trust.id, t.bodies["Finance Committee"]!.id))!;
    expect(plan.body).toMatchObject({ name: "Finance Committee", kind: "committee", isColumn: true });
    expect(plan.draft).toMatchObject({ id: t.draftId, number: 1 });
    expect(plan.cells.map((c) => [c.ref, c.code])).toEqual([
      [t.rows[0]!.ref, "R"],
      [t.rows[1]!.ref, "M"],
    ]);
    expect(plan.tierVariants.map((c) => [c.ref, c.tier, c.code])).toEqual([[t.rows[2]!.ref, "T1", "A"]]);
    expect(plan.schoolVariations.map((c) => [c.ref, c.school, c.code])).toEqual([[t.rows[2]!.ref, "Cedar Primary", "I"]]);
    expect(plan.children).toEqual([
      { id: t.bodies["Investment panel"]!.id, name: "Investment panel", from: "Finance Committee", to: { id: t.bodies["Board of trustees"]!.id, name: "Board of trustees" } },
    ]);
    expect(plan.boards).toEqual([]);
    expect(plan.schools).toEqual([]);
    expect(plan.retired).toEqual([]);
  });

  it("refuses a confirmation given for another plan, or from a stale page, changing nothing", async () => {
    const body = t.bodies["Finance Committee"]!;
    const before = await tally(t.trust.id);
    const stale = await removeBody(db, COMMAND_LINE, { trustId: t.trust.id, id: body.id, expectedVersion: body.version, planKey: "an-old-plan" }).catch((e: unknown) => e);
    expect(stale).toBeInstanceOf(RuleError);
    expect((stale as Error).message).toMatch(/^What removing Finance Committee would clear has changed since you were asked/);
    const plan = (await planBodyRemoval(db, t.trust.id, body.id))!;
    const old = await removeBody(db, COMMAND_LINE, { trustId: t.trust.id, id: body.id, expectedVersion: body.version - 1, planKey: plan.key }).catch((e: unknown) => e);
    expect(old).toBeInstanceOf(StaleWriteError);
    expect(await tally(t.trust.id)).toEqual(before);
  });

  it("a cell changed after the confirmation was shown changes the plan", async () => {
    const body = t.bodies["Finance Committee"]!;
    const plan = (await planBodyRemoval(db, t.trust.id, body.id))!;
    const [row] = await db.select().from(schemeRows).where(and(eq(schemeRows.versionId, t.draftId), eq(schemeRows.responsibilityId, t.rows[1]!.id)));
    await saveRow(db, COMMAND_LINE, { trustId: t.trust.id, versionId: t.draftId, rowId: t.rows[1]!.id, codes: { [body.id]: "C" }, expectedRevision: row!.revision });
    expect((await planBodyRemoval(db, t.trust.id, body.id))!.key).not.toBe(plan.key);
    const error = await removeBody(db, COMMAND_LINE, { trustId: t.trust.id, id: body.id, expectedVersion: body.version, planKey: plan.key }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RuleError);
    expect(await getBody(db, t.trust.id, body.id)).not.toBeNull();
  });

  it("on confirmation clears it all, moves the panel under the board, deletes the committee, and audits each step", async () => {
    const body = t.bodies["Finance Committee"]!;
    const plan = (await planBodyRemoval(db, t.trust.id, body.id))!;
    const revisionsBefore = await db.select().from(schemeRows).where(eq(schemeRows.versionId, t.draftId));
    await removeBody(db, COMMAND_LINE, { trustId: t.trust.id, id: body.id, expectedVersion: body.version, planKey: plan.key });

    expect(await db.select().from(governanceBodies).where(eq(governanceBodies.id, body.id))).toEqual([]);
    expect(await db.select().from(cells).where(eq(cells.bodyId, body.id))).toEqual([]);
    expect(await db.select().from(tierCells).where(eq(tierCells.bodyId, body.id))).toEqual([]);
    expect(await db.select().from(schoolCells).where(eq(schoolCells.bodyId, body.id))).toEqual([]);
    // The local column's cell on the same row stays.
    expect(await db.select({ code: cells.code }).from(cells).where(eq(cells.versionId, t.draftId))).toEqual([{ code: "C" }]);
    expect((await getBody(db, t.trust.id, t.bodies["Investment panel"]!.id))!.parentId).toBe(t.bodies["Board of trustees"]!.id);
    const revisionsAfter = await db.select().from(schemeRows).where(eq(schemeRows.versionId, t.draftId));
    const bumped = revisionsAfter.filter((r) => r.revision !== revisionsBefore.find((b) => b.responsibilityId === r.responsibilityId)!.revision);
    expect(bumped.map((r) => r.responsibilityId).sort()).toEqual(t.rows.map((r) => r.id).sort());

    const entries = await db.select().from(auditLog).where(eq(auditLog.trustId, t.trust.id));
    const removal = entries.find((e) => e.entityId === body.id && e.action === "remove");
    expect(removal!.summary).toBe("Removed Finance Committee");
    const cellEntries = entries.filter((e) => e.entity === "cell" && e.summary.endsWith("because Finance Committee was removed"));
    expect(cellEntries.map((e) => e.responsibilityId).sort()).toEqual([t.rows[0]!.id, t.rows[1]!.id].sort());
    expect(cellEntries.every((e) => e.versionId === t.draftId)).toBe(true);
    expect(entries.some((e) => e.entity === "tier-cell" && e.summary.includes("the T1 variant in Finance Committee is cleared"))).toBe(true);
    expect(entries.some((e) => e.entity === "school-cell" && e.summary.includes("Cedar Primary's variation in Finance Committee is cleared"))).toBe(true);
    expect(entries.some((e) => e.summary === "Investment panel now sits under Board of trustees in the chart, because Finance Committee was removed")).toBe(true);
  });
});

describe("removing the local column", () => {
  it("removes the boards under it, empties the schools' local boards and clears the column's cells", async () => {
    const t = await buildTrust();
    const column = t.bodies["Local governing body"]!;
    const plan = (await planBodyRemoval(db, t.trust.id, column.id))!;
    expect(plan.boards.map((b) => b.name)).toEqual(["Abbey board", "Brook board"]);
    expect(plan.cells.map((c) => [c.ref, c.column, c.code])).toEqual([[t.rows[0]!.ref, "Local governing body", "C"]]);
    expect(plan.schools.map((s) => [s.name, s.field, s.board])).toEqual([
      ["Abbey Primary", "local", "Abbey board"],
      ["Brook Primary", "local", "Brook board"],
      ["Cedar Primary", "local", "Abbey board"],
    ]);
    await removeBody(db, COMMAND_LINE, { trustId: t.trust.id, id: column.id, expectedVersion: column.version, planKey: plan.key });
    const left = (await listBodies(db, t.trust.id)).map((b) => b.name);
    expect(left).not.toContain("Local governing body");
    expect(left).not.toContain("Abbey board");
    expect(left).toContain("North cluster");
    const after = await db.select().from(schools).where(eq(schools.trustId, t.trust.id));
    expect(after.every((s) => s.localBodyId === null && s.clusterBodyId === t.bodies["North cluster"]!.id)).toBe(true);
    expect(after.every((s) => s.version === 2)).toBe(true);
    const summaries = (await db.select().from(auditLog).where(eq(auditLog.trustId, t.trust.id))).map((e) => e.summary);
    expect(summaries).toContain("Removed Abbey board, which answered under Local governing body");
    expect(summaries).toContain("Cedar Primary has no local board now: Abbey board was removed");
  });

  it("removing a cluster empties the schools' cluster and moves its local boards up to the board", async () => {
    const t = await buildTrust();
    const north = t.bodies["North cluster"]!;
    const plan = (await planBodyRemoval(db, t.trust.id, north.id))!;
    expect(plan.schools.map((s) => [s.name, s.field])).toEqual([
      ["Abbey Primary", "cluster"],
      ["Brook Primary", "cluster"],
      ["Cedar Primary", "cluster"],
    ]);
    expect(plan.children.map((c) => [c.name, c.to?.name])).toEqual([
      ["Abbey board", "Board of trustees"],
      ["Brook board", "Board of trustees"],
    ]);
    await removeBody(db, COMMAND_LINE, { trustId: t.trust.id, id: north.id, expectedVersion: north.version, planKey: plan.key });
    expect((await getSchool(db, t.trust.id, t.schools["Abbey Primary"]!.id))).toMatchObject({ clusterBodyId: null, localBodyId: t.bodies["Abbey board"]!.id });
  });
});

describe("a body an approved version names", () => {
  let t: Built;
  let approvedId: string;
  beforeAll(async () => {
    t = await buildTrust();
    const arc = t.bodies["Audit & Risk Committee"]!.id;
    const [row] = await db.select().from(schemeRows).where(and(eq(schemeRows.versionId, t.draftId), eq(schemeRows.responsibilityId, t.rows[1]!.id)));
    await saveRow(db, COMMAND_LINE, { trustId: t.trust.id, versionId: t.draftId, rowId: t.rows[1]!.id, codes: { [arc]: "A" }, expectedRevision: row!.revision });
    const draft = (await findDraft(db, t.trust.id))!;
    const approved = await approveVersion(db, COMMAND_LINE, {
      trustId: t.trust.id,
      versionId: draft.id,
      expectedVersion: draft.version,
      approvedByBodyId: t.bodies["Board of trustees"]!.id,
      approvedOn: "2025-07-10",
      minuteRef: "TB/25/14",
      reviewDueOn: "2026-07-10",
    });
    approvedId = approved.id;
    t.draftId = (await startDraft(db, COMMAND_LINE, { trustId: t.trust.id, from: "latest-approved" })).id;
  });

  it("is retired instead of deleted, and the confirmation says why", async () => {
    const arc = t.bodies["Audit & Risk Committee"]!;
    const plan = (await planBodyRemoval(db, t.trust.id, arc.id))!;
    expect(plan.draft!.number).toBe(2);
    expect(plan.cells.map((c) => [c.ref, c.code])).toEqual([[t.rows[1]!.ref, "A"]]);
    expect(plan.retired).toEqual([{ id: arc.id, name: "Audit & Risk Committee", reasons: ["the matrix of approved version 1 names it"] }]);
    await removeBody(db, COMMAND_LINE, { trustId: t.trust.id, id: arc.id, expectedVersion: arc.version, planKey: plan.key });

    const [kept] = await db.select().from(governanceBodies).where(eq(governanceBodies.id, arc.id));
    expect(kept!.retiredAt).not.toBeNull();
    expect((await listBodies(db, t.trust.id)).map((b) => b.id)).not.toContain(arc.id);
    expect(await db.select().from(cells).where(and(eq(cells.versionId, t.draftId), eq(cells.bodyId, arc.id)))).toEqual([]);
    const [entry] = await db.select().from(auditLog).where(and(eq(auditLog.entityId, arc.id), eq(auditLog.action, "retire")));
    expect(entry!.summary).toBe("Removed Audit & Risk Committee; it is kept in the records, retired, because the matrix of approved version 1 names it");
  });

  it("and the approved version still loads with it and its cells", async () => {
    const arc = t.bodies["Audit & Risk Committee"]!;
    const approved = await loadScheme(db, t.trust.id, approvedId);
    expect(approved.columns.map((c) => c.name)).toContain("Audit & Risk Committee");
    expect(approved.cells[cellKey(t.rows[1]!.id, arc.id)]).toEqual({ code: "A", note: null });
    const draft = await loadScheme(db, t.trust.id, t.draftId);
    expect(draft.columns.map((c) => c.name)).not.toContain("Audit & Risk Committee");
  });

  it("a body that approved a version is retired too, its committees moving to the top of the chart", async () => {
    const board = (await getBody(db, t.trust.id, t.bodies["Board of trustees"]!.id))!;
    const plan = (await planBodyRemoval(db, t.trust.id, board.id))!;
    expect(plan.retired[0]!.reasons).toContain("it approved version 1");
    expect(plan.children.find((c) => c.name === "Chief executive officer")!.to).toEqual({ id: t.bodies["Members"]!.id, name: "Members" });
    await removeBody(db, COMMAND_LINE, { trustId: t.trust.id, id: board.id, expectedVersion: board.version, planKey: plan.key });
    const [kept] = await db.select().from(governanceBodies).where(eq(governanceBodies.id, board.id));
    expect(kept!.retiredAt).not.toBeNull();
    expect((await loadScheme(db, t.trust.id, approvedId)).version.approvedByBodyId).toBe(board.id);
  });
});

describe("removing a school", () => {
  it("says which draft variations and performance records go with it, then removes them all", async () => {
    const t = await buildTrust();
    const cedar = t.schools["Cedar Primary"]!;
    await db.insert(performanceRecords).values([
      { trustId: t.trust.id, schoolId: cedar.id, asOf: "2024-07-01", inspectionFramework: "legacy", legacyGrade: 2 },
      { trustId: t.trust.id, schoolId: cedar.id, asOf: "2025-07-01", outcomesBand: "average" },
    ]);
    await db.insert(tierDecisions).values({
      trustId: t.trust.id,
      schoolId: cedar.id,
      tier: "T2",
      decidedByBodyId: t.bodies["Board of trustees"]!.id,
      decidedOn: "2025-01-10",
      effectiveFrom: "2025-02-01",
      evidence: "Good inspection, stable finances",
      nextReviewOn: "2025-09-01",
    });
    await db.insert(schoolReviews).values({ trustId: t.trust.id, schoolId: cedar.id, reviewedOn: "2025-03-01", travel: "steady" });
    const plan = (await planSchoolRemoval(db, t.trust.id, cedar.id))!;
    expect(plan.variations.map((v) => [v.ref, v.column, v.code])).toEqual([[t.rows[2]!.ref, "Finance Committee", "I"]]);
    expect(plan).toMatchObject({ performanceRecords: 2, tierDecisions: 1, reviews: 1, settledVersions: [] });

    await removeSchool(db, COMMAND_LINE, { trustId: t.trust.id, id: cedar.id, expectedVersion: cedar.version, planKey: plan.key });
    expect(await getSchool(db, t.trust.id, cedar.id)).toBeNull();
    for (const table of [performanceRecords, tierDecisions, schoolReviews, schoolCells]) {
      expect(await db.select().from(table).where(eq(table.schoolId, cedar.id))).toEqual([]);
    }
    const [entry] = await db.select().from(auditLog).where(and(eq(auditLog.entityId, cedar.id), eq(auditLog.action, "remove")));
    expect(entry!.summary).toBe("Removed the school Cedar Primary (URN 160003)");
    expect(entry!.before).toMatchObject({ draftVariations: 1, performanceRecords: 2, tierDecisions: 1, reviews: 1 });
  });

  it("refuses, changing nothing, while an approved version holds variations for it", async () => {
    const t = await buildTrust();
    const draft = (await findDraft(db, t.trust.id))!;
    await approveVersion(db, COMMAND_LINE, {
      trustId: t.trust.id,
      versionId: draft.id,
      expectedVersion: draft.version,
      approvedByBodyId: t.bodies["Board of trustees"]!.id,
      approvedOn: "2025-07-10",
      minuteRef: null,
      reviewDueOn: "2026-07-10",
    });
    const cedar = t.schools["Cedar Primary"]!;
    const plan = (await planSchoolRemoval(db, t.trust.id, cedar.id))!;
    expect(plan.settledVersions).toEqual([1]);
    const before = await tally(t.trust.id);
    const error = await removeSchool(db, COMMAND_LINE, { trustId: t.trust.id, id: cedar.id, expectedVersion: cedar.version, planKey: plan.key }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RuleError);
    expect((error as Error).message).toBe(
      "Cedar Primary cannot be removed: approved version 1 of the scheme holds variations for it, and an approved version is a record that never changes. Its cluster and local board can still be changed.",
    );
    expect(await tally(t.trust.id)).toEqual(before);
  });

  it("refuses a removal confirmed from a stale page", async () => {
    const t = await buildTrust();
    const abbey = t.schools["Abbey Primary"]!;
    const plan = (await planSchoolRemoval(db, t.trust.id, abbey.id))!;
    const error = await removeSchool(db, COMMAND_LINE, { trustId: t.trust.id, id: abbey.id, expectedVersion: abbey.version + 1, planKey: plan.key }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StaleWriteError);
    expect(await db.select({ id: schools.id }).from(schools).where(inArray(schools.id, [abbey.id]))).toHaveLength(1);
  });
});
