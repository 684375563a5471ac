/**
 * Tier variants and schools' own variations through the matrix's routes: saving and clearing them,
 * a variant that clears a base cell, statutory-locked rows refused (EA-14), stale saves refused
 * whichever layer of the row was saved first, every change audited and the matrix stamp moved, a
 * school's effective scheme page, the variations CSV, and a backup's round trip.
 */
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db/client";
import { auditLog, schoolCells, tierCells, tierDecisions, trusts } from "../../db/schema";
import { DEMO_USERS, seedDemoTrust, type DemoTrust } from "../../db/seed";
import { parseCsv } from "~/domain/csv";
import type { MatrixView } from "~/domain/matrix-view";
import { cellKey, type SchemeRow } from "~/domain/scheme";
import { COMMAND_LINE } from "~/models/audit.server";
import { exportTrust, restoreTrust } from "~/models/backup.server";
import { exportVariationsCsv, exportVersionCsv } from "~/models/matrix-export.server";
import { isoToday } from "~/models/scheme-scope.server";
import { loadScheme } from "~/models/scheme.server";
import * as cellsRoute from "~/routes/trusts.$slug.versions.$number.cells";
import * as matrixRoute from "~/routes/trusts.$slug.versions.$number._index";
import * as rowRoute from "~/routes/trusts.$slug.versions.$number.rows.$rowId";
import * as schoolRoute from "~/routes/trusts.$slug.versions.$number.schools.$schoolId";
import * as variationsRoute from "~/routes/trusts.$slug.versions.$number.variations[.]csv";
import { freshDatabase } from "../support/database";
import { call, formPost, getRequest, sessionCookie } from "../support/requests";

let handle: DatabaseHandle;
let demo: DemoTrust;
const cookies: Record<string, string> = {};
let number: string;
let versionId: string;
/** An unlocked row whose headteacher holds a code in the base scheme, and its code. */
let row: SchemeRow;
let baseHead: string;
/** A statutory-locked row. */
let locked: SchemeRow;
let head: string;
let central: string;
let school: { id: string; name: string; urn: number };

const person = (role: string) => DEMO_USERS.find((u) => u.role === role)!;
const params = () => ({ slug: demo.trust.slug, number });

beforeAll(async () => {
  handle = await freshDatabase();
  demo = await seedDemoTrust(handle.db, COMMAND_LINE);
  for (const role of ["clerk", "ceo", "viewer"]) cookies[role] = await sessionCookie(person(role).email, person(role).password);
  versionId = demo.draftVersionId;
  // The tests start from a draft without variants, whatever the demo brings.
  await handle.db.delete(tierCells).where(eq(tierCells.versionId, versionId));
  await handle.db.delete(schoolCells).where(eq(schoolCells.versionId, versionId));
  const scheme = await loadScheme(handle.db, demo.trust.id, versionId);
  number = String(scheme.version.number);
  head = demo.bodies["Headteacher"]!.id;
  central = demo.bodies["Central team"]!.id;
  row = scheme.rows.find(
    (r) => !r.locked && !r.excludedKinds && scheme.cells[cellKey(r.id, head)] && !scheme.cells[cellKey(r.id, central)],
  )!;
  baseHead = scheme.cells[cellKey(row.id, head)]!.code;
  // The tests vary the headteacher's cell to these codes, so the base must hold another.
  expect(["I", "C", "E", "A"]).not.toContain(baseHead);
  locked = scheme.rows.find((r) => r.locked)!;
  const oakbeck = demo.schools["Oakbeck School"]!;
  school = { id: oakbeck.id, name: oakbeck.name, urn: oakbeck.urn };
});
afterAll(() => handle.close());

async function revisionOf(rowId: string): Promise<number> {
  return (await loadScheme(handle.db, demo.trust.id, versionId)).rowRevisions[rowId] ?? 0;
}

function saveCell(role: string, fields: Record<string, string>) {
  return call(cellsRoute.action, formPost(`/trusts/${demo.trust.slug}/versions/${number}/cells`, fields, { cookie: cookies[role] }), params());
}

async function matrixPage(query: string, role = "clerk") {
  const answer = await call(matrixRoute.loader, getRequest(`/trusts/${demo.trust.slug}/versions/${number}${query}`, cookies[role]), params());
  return answer;
}

function viewOf(answer: { data: unknown }): MatrixView {
  return JSON.parse((answer.data as { matrix: string }).matrix) as MatrixView;
}

function rowIn(view: MatrixView, rowId: string) {
  return view.groups.flatMap((g) => g.rows).find((r) => r.id === rowId)!;
}

const storedTier = () =>
  handle.db
    .select({ code: tierCells.code })
    .from(tierCells)
    .where(and(eq(tierCells.versionId, versionId), eq(tierCells.tier, "T4"), eq(tierCells.responsibilityId, row.id), eq(tierCells.bodyId, head)));

const variantEntries = (entity: string) =>
  handle.db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.versionId, versionId), eq(auditLog.responsibilityId, row.id), eq(auditLog.entity, entity)))
    .orderBy(auditLog.id);

async function stamp(): Promise<number> {
  const [t] = await handle.db.select({ stamp: trusts.matrixStamp }).from(trusts).where(eq(trusts.id, demo.trust.id));
  return t!.stamp;
}

describe("a tier's variants", () => {
  it("are saved from the matrix with ?tier=T4, shown as differing from the base, audited, and move the matrix stamp", async () => {
    const before = await stamp();
    const saved = await saveCell("clerk", { tier: "T4", rowId: row.id, columnId: head, code: "I", revision: String(await revisionOf(row.id)) });
    expect(saved.status).toBe(200);
    expect(await storedTier()).toEqual([{ code: "I" }]);
    expect(await stamp()).toBeGreaterThan(before);

    const page = await matrixPage("?tier=T4");
    expect(page.status).toBe(200);
    expect((page.data as { scope: { kind: string; label: string } }).scope).toMatchObject({ kind: "tier", tier: "T4", label: "Intervention (T4)" });
    const view = viewOf(page);
    const shown = rowIn(view, row.id);
    const col = view.columns.findIndex((c) => c.id === head);
    expect(shown.codes[col]).toBe("I");
    expect(shown.base?.[col]).toBe(baseHead);
    expect(shown.tierVariants).toEqual({ [col]: "I" });
    expect(view.scope).toEqual({ layer: "tier", tierLabel: "Intervention (T4)", schoolName: null });
    // The base scheme is as it was.
    expect(rowIn(viewOf(await matrixPage("")), row.id).codes[col]).toBe(baseHead);

    const [entry] = await variantEntries("tier-cell");
    expect(entry).toMatchObject({
      entityId: cellKey(row.id, head),
      actor: person("clerk").name,
      before: { tier: "T4", code: baseHead, varied: false },
      after: { tier: "T4", code: "I", varied: true },
    });
    expect(entry!.summary).toBe(`${row.ref} ${row.title}: Headteacher ${baseHead} → I for Intervention (T4) in version ${number}`);
  });

  it("clears a base cell for the tier with an empty code, and stops varying it when set back to the base's code", async () => {
    const cleared = await saveCell("ceo", { tier: "T4", rowId: row.id, columnId: head, code: "", revision: String(await revisionOf(row.id)) });
    expect(cleared.status).toBe(200);
    expect(await storedTier()).toEqual([{ code: null }]);
    const view = viewOf(await matrixPage("?tier=T4"));
    const col = view.columns.findIndex((c) => c.id === head);
    expect(rowIn(view, row.id).codes[col]).toBeNull();
    expect(rowIn(view, row.id).tierVariants).toEqual({ [col]: null });

    const back = await saveCell("ceo", { tier: "T4", rowId: row.id, columnId: head, code: baseHead, revision: String(await revisionOf(row.id)) });
    expect(back.status).toBe(200);
    expect(await storedTier()).toEqual([]);
    const entries = await variantEntries("tier-cell");
    expect(entries.at(-1)).toMatchObject({ before: { tier: "T4", code: null, varied: true }, after: { tier: "T4", code: baseHead, varied: false } });
    expect(entries.at(-1)!.summary).toMatch(/Headteacher for Intervention \(T4\) follows the base scheme again/);

    // A variant the base has since caught up with is removed the same way.
    await handle.db.insert(tierCells).values({ trustId: demo.trust.id, versionId, tier: "T4", responsibilityId: row.id, bodyId: head, code: baseHead });
    expect((await saveCell("ceo", { tier: "T4", rowId: row.id, columnId: head, code: baseHead, revision: String(await revisionOf(row.id)) })).status).toBe(200);
    expect(await storedTier()).toEqual([]);
  });

  it("are refused on a statutory-locked row, naming EA-14, and nothing is stored", async () => {
    const column = demo.bodies["Board of trustees"]!.id;
    const revision = await revisionOf(locked.id);
    const answer = await saveCell("clerk", { tier: "T3", rowId: locked.id, columnId: column, code: "R", revision: String(revision) });
    expect(answer.status).toBe(400);
    expect((answer.data as { message: string }).message).toMatch(/statutory-locked.*EA-14/);
    expect(await revisionOf(locked.id)).toBe(revision);
    const stored = await handle.db.select().from(tierCells).where(eq(tierCells.responsibilityId, locked.id));
    expect(stored).toEqual([]);
    const view = viewOf(await matrixPage("?tier=T3"));
    expect(rowIn(view, locked.id).locked).toBe(true);
    expect(rowIn(viewOf(await matrixPage("")), locked.id).locked).toBeUndefined();
  });

  it("are refused as stale after a base save of the row, and a base save after a variant save is refused the same way", async () => {
    const revision = await revisionOf(row.id);
    expect((await saveCell("clerk", { rowId: row.id, columnId: central, code: "M", revision: String(revision) })).status).toBe(200);
    const stale = await saveCell("ceo", { tier: "T4", rowId: row.id, columnId: head, code: "C", revision: String(revision) });
    expect(stale.status).toBe(409);
    expect(stale.data).toMatchObject({ status: "conflict", revision: revision + 1, codes: { [central]: "M" }, variants: { tier: {}, school: {} } });
    expect(await storedTier()).toEqual([]);

    expect((await saveCell("ceo", { tier: "T4", rowId: row.id, columnId: head, code: "C", revision: String(revision + 1) })).status).toBe(200);
    const baseStale = await saveCell("clerk", { rowId: row.id, columnId: central, code: "A", revision: String(revision + 1) });
    expect(baseStale.status).toBe(409);
    expect((await loadScheme(handle.db, demo.trust.id, versionId)).cells[cellKey(row.id, central)]?.code).toBe("M");
    // Leave the tier as the base.
    expect((await saveCell("ceo", { tier: "T4", rowId: row.id, columnId: head, code: baseHead, revision: String(revision + 2) })).status).toBe(200);
  });

  it("are refused for a viewer, for a version that is not a draft, and for a code the row forbids", async () => {
    const revision = String(await revisionOf(row.id));
    expect((await saveCell("viewer", { tier: "T4", rowId: row.id, columnId: head, code: "C", revision })).status).toBe(403);
    for (const [frozen, status] of [
      ["2", "approved"],
      ["1", "superseded"],
    ] as const) {
      const refused = await call(
        cellsRoute.action,
        formPost(`/trusts/${demo.trust.slug}/versions/${frozen}/cells`, { tier: "T4", rowId: row.id, columnId: head, code: "C", revision: "1" }, { cookie: cookies.clerk }),
        { slug: demo.trust.slug, number: frozen },
      );
      expect(refused.status, frozen).toBe(400);
      expect((refused.data as { message: string }).message).toMatch(new RegExp(`^Version ${frozen} is ${status} and cannot be changed`));
    }
    const scheme = await loadScheme(handle.db, demo.trust.id, versionId);
    const constrained = scheme.rows.find((r) => !r.locked && r.decisionKinds && !r.decisionKinds.includes("school"))!;
    const forbidden = await saveCell("clerk", { tier: "T1", rowId: constrained.id, columnId: head, code: "D", revision: String(scheme.rowRevisions[constrained.id] ?? 0) });
    expect(forbidden.status).toBe(400);
    expect((forbidden.data as { message: string }).message).toMatch(/may decide/);
    expect((await saveCell("clerk", { tier: "T9", rowId: row.id, columnId: head, code: "C", revision })).status).toBe(400);
  });

  it("are saved from the row's form without JavaScript", async () => {
    const path = `/trusts/${demo.trust.slug}/versions/${number}/rows/${row.id}?tier=T2`;
    const form = await call(rowRoute.loader, getRequest(path, cookies.clerk), { ...params(), rowId: row.id });
    expect(form.status).toBe(200);
    expect((form.data as { scopeName: string }).scopeName).toBe("schools in Standard (T2)");
    const saved = await call(rowRoute.action, formPost(path, { revision: String(await revisionOf(row.id)), [`code-${head}`]: "A", [`code-${central}`]: "M" }, { cookie: cookies.clerk }), {
      ...params(),
      rowId: row.id,
    });
    expect(saved.status).toBe(302);
    expect(saved.location).toBe(`/trusts/${demo.trust.slug}/versions/${number}?tier=T2#row-${row.id}`);
    const stored = await handle.db.select({ bodyId: tierCells.bodyId, code: tierCells.code }).from(tierCells).where(and(eq(tierCells.tier, "T2"), eq(tierCells.responsibilityId, row.id)));
    // Only the cell that differs from the base is a variant.
    expect(stored).toEqual([{ bodyId: head, code: "A" }]);
    const lockedForm = await call(rowRoute.loader, getRequest(`/trusts/${demo.trust.slug}/versions/${number}/rows/${locked.id}?tier=T2`, cookies.clerk), { ...params(), rowId: locked.id });
    expect(lockedForm.status).toBe(404);
  });
});

describe("a school's own variations", () => {
  beforeAll(async () => {
    // The board places Oakbeck in T4 today; a later decision, not yet in effect, does not count.
    const board = demo.bodies["Board of trustees"]!.id;
    const decision = { trustId: demo.trust.id, schoolId: school.id, decidedByBodyId: board, evidence: "Safeguarding not met at inspection." };
    await handle.db.insert(tierDecisions).values([
      { ...decision, tier: "T4", decidedOn: isoToday(), effectiveFrom: isoToday(), nextReviewOn: "2099-01-01" },
      { ...decision, tier: "T3", decidedOn: isoToday(), effectiveFrom: "2099-01-01", nextReviewOn: "2099-06-01" },
    ]);
    const revision = String(await revisionOf(row.id));
    expect((await saveCell("clerk", { tier: "T4", rowId: row.id, columnId: head, code: "I", revision })).status).toBe(200);
  });

  it("show the school's scheme as base ← its decided tier ← its own, and save to the school alone", async () => {
    const page = await matrixPage(`?school=${school.id}&tier=T1`);
    expect((page.data as { scope: unknown }).scope).toMatchObject({ kind: "school", school, tierLabel: "Intervention (T4)", decided: { tier: "T4" } });
    let view = viewOf(page);
    const col = view.columns.findIndex((c) => c.id === head);
    const centralCol = view.columns.findIndex((c) => c.id === central);
    expect(rowIn(view, row.id).codes[col]).toBe("I");
    expect(rowIn(view, row.id).tierVariants).toEqual({ [col]: "I" });

    const saved = await saveCell("clerk", { school: school.id, rowId: row.id, columnId: central, code: "A", revision: String(await revisionOf(row.id)) });
    expect(saved.status).toBe(200);
    view = viewOf(await matrixPage(`?school=${school.id}`));
    expect(rowIn(view, row.id).schoolVariants).toEqual({ [centralCol]: "A" });
    expect(rowIn(view, row.id).codes[centralCol]).toBe("A");
    const stored = await handle.db.select({ schoolId: schoolCells.schoolId, code: schoolCells.code }).from(schoolCells).where(eq(schoolCells.responsibilityId, row.id));
    expect(stored).toEqual([{ schoolId: school.id, code: "A" }]);
    const [entry] = await variantEntries("school-cell");
    expect(entry).toMatchObject({ before: { school: school.name, varied: false }, after: { school: school.name, code: "A", varied: true } });
    // The tier's scheme is not touched by the school's variation.
    expect(rowIn(viewOf(await matrixPage("?tier=T4")), row.id).schoolVariants).toBeUndefined();
  });

  it("stop when set back to the tier's code, which the school's scheme then shows", async () => {
    const revision = String(await revisionOf(row.id));
    expect((await saveCell("clerk", { school: school.id, rowId: row.id, columnId: head, code: "E", revision })).status).toBe(200);
    const view = viewOf(await matrixPage(`?school=${school.id}`));
    const col = view.columns.findIndex((c) => c.id === head);
    expect(rowIn(view, row.id).codes[col]).toBe("E");
    expect(rowIn(view, row.id).schoolVariants?.[col]).toBe("E");
    expect((await saveCell("clerk", { school: school.id, rowId: row.id, columnId: head, code: "I", revision: String(await revisionOf(row.id)) })).status).toBe(200);
    const after = viewOf(await matrixPage(`?school=${school.id}`));
    expect(rowIn(after, row.id).schoolVariants?.[col]).toBeUndefined();
    expect(rowIn(after, row.id).codes[col]).toBe("I");
    expect((await variantEntries("school-cell")).at(-1)!.summary).toMatch(/for Oakbeck School follows the Intervention \(T4\) variant again/);
  });

  it("answer 404 for a school the trust does not have", async () => {
    const missing = crypto.randomUUID();
    expect((await matrixPage(`?school=${missing}`)).status).toBe(404);
    const saved = await saveCell("clerk", { school: missing, rowId: row.id, columnId: head, code: "E", revision: String(await revisionOf(row.id)) });
    expect(saved.status).toBe(400);
  });
});

describe("the matrix stamp", () => {
  it("moves with any statement that changes a variant, a school, a tier's name or a tier decision, as the matrix page shows them all", async () => {
    const statements = [
      sql`update tier_cells set note = 'checked' where version_id = ${versionId}`,
      sql`update school_cells set note = 'checked' where version_id = ${versionId}`,
      sql`update schools set name = name where id = ${school.id}`,
      sql`update autonomy_tiers set name = name where trust_id = ${demo.trust.id} and tier = 'T4'`,
      sql`update tier_decisions set evidence = evidence || '.' where school_id = ${school.id}`,
    ];
    for (const statement of statements) {
      const before = await stamp();
      await handle.db.execute(statement);
      expect(await stamp(), String(statement.queryChunks[0])).toBeGreaterThan(before);
    }
  });
});

describe("a school's effective scheme page", () => {
  const path = () => `/trusts/${demo.trust.slug}/versions/${number}/schools/${school.id}`;

  it("gives everyone the school's decided tier and its scheme with each varied cell's source, and editors of a draft the links to change it", async () => {
    const answer = await call(schoolRoute.loader, getRequest(path(), cookies.viewer), { ...params(), schoolId: school.id });
    expect(answer.status).toBe(200);
    const data = answer.data as { school: unknown; decided: { tier: string; decidedBy: string }; tierLabel: string; editable: boolean; matrix: string };
    expect(data.school).toEqual(school);
    expect(data.decided).toMatchObject({ tier: "T4", decidedBy: "Board of trustees", effectiveFrom: isoToday() });
    expect(data.tierLabel).toBe("Intervention (T4)");
    expect(data.editable).toBe(false);
    const view = JSON.parse(data.matrix) as MatrixView;
    const shown = rowIn(view, row.id);
    const col = view.columns.findIndex((c) => c.id === head);
    const centralCol = view.columns.findIndex((c) => c.id === central);
    expect([shown.codes[col], shown.tierVariants?.[col]]).toEqual(["I", "I"]);
    expect([shown.codes[centralCol], shown.schoolVariants?.[centralCol]]).toEqual(["A", "A"]);
    const clerk = await call(schoolRoute.loader, getRequest(path(), cookies.clerk), { ...params(), schoolId: school.id });
    expect((clerk.data as { editable: boolean }).editable).toBe(true);
  });

  it("says when no tier is decided, and answers 404 for a school of no version", async () => {
    const other = demo.schools["Sun Beck Primary School"]!;
    await handle.db.delete(tierDecisions).where(eq(tierDecisions.schoolId, other.id));
    const answer = await call(schoolRoute.loader, getRequest(`/trusts/${demo.trust.slug}/versions/${number}/schools/${other.id}`, cookies.viewer), {
      ...params(),
      schoolId: other.id,
    });
    expect(answer.data).toMatchObject({ decided: null, tierLabel: null });
    const missing = await call(schoolRoute.loader, getRequest(`/trusts/${demo.trust.slug}/versions/${number}/schools/nope`, cookies.viewer), {
      ...params(),
      schoolId: "nope",
    });
    expect(missing.status).toBe(404);
  });
});

describe("the variations CSV and a backup", () => {
  it("lists each varied cell by ref, column and tier or URN, while the matrix file keeps the base cells", async () => {
    const answer = await call(variationsRoute.loader, getRequest(`/trusts/${demo.trust.slug}/versions/${number}/variations.csv`, cookies.viewer), params());
    expect(answer.status).toBe(200);
    const records = parseCsv(answer.text.replace(/^\uFEFF/, "")).map((r) => r.fields);
    expect(records[0]).toEqual(["ref", "column", "applies to", "mark"]);
    expect(records).toContainEqual([row.ref, "Headteacher", "T2", "A"]);
    expect(records).toContainEqual([row.ref, "Headteacher", "T4", "I"]);
    expect(records).toContainEqual([row.ref, "Central team", `URN ${school.urn}`, "A"]);
    // Tiers first, in order, then schools.
    const appliesTo = records.slice(1).map((r) => r[2]!);
    expect(appliesTo.indexOf("T2")).toBeLessThan(appliesTo.indexOf("T4"));
    expect(appliesTo.indexOf("T4")).toBeLessThan(appliesTo.indexOf(`URN ${school.urn}`));

    const matrix = parseCsv((await exportVersionCsv(handle.db, demo.trust, { number: Number(number) })).csv).map((r) => r.fields);
    const headIndex = matrix[0]!.indexOf("Headteacher [school]");
    expect(matrix.find((r) => r[0] === row.ref)![headIndex]).toBe(baseHead);
  });

  it("survive a backup restored over the trust, the same in the variations file and on the pages", async () => {
    const csvBefore = (await exportVariationsCsv(handle.db, demo.trust, { number: Number(number) })).csv;
    const schoolBefore = viewOf(await matrixPage(`?school=${school.id}`)).groups;
    const backup = JSON.parse(JSON.stringify(await exportTrust(handle.db, demo.trust.id)));
    await restoreTrust(handle.db, backup, { replace: true });
    expect((await exportVariationsCsv(handle.db, demo.trust, { number: Number(number) })).csv).toBe(csvBefore);
    expect(csvBefore.split("\r\n").length).toBeGreaterThan(3);
    expect(viewOf(await matrixPage(`?school=${school.id}`)).groups).toEqual(schoolBefore);
  });
});
