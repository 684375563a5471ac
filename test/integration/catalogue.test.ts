/**
 * The responsibility catalogue editor's model: every change and every refusal, renumbering, and a
 * retired row's life in the draft (gone, with its cells) and in approved versions (kept).
 */
import { and, count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db/client";
import { auditLog, cells, responsibilities, schemeRows, schoolCells, tierCells } from "../../db/schema";
import { DEFAULT_CATALOGUE, INNOVATION_ELIGIBLE, STRAND_OF_CONSISTENCY } from "~/domain/catalogue";
import { NotFoundError, RuleError, StaleWriteError } from "~/domain/errors";
import { cellKey } from "~/domain/scheme";
import { COMMAND_LINE } from "~/models/audit.server";
import {
  addResponsibility,
  editResponsibility,
  listCatalogue,
  moveResponsibility,
  previewRenumber,
  renumberCatalogue,
  restoreResponsibility,
  retireImpact,
  retireResponsibility,
  type Responsibility,
} from "~/models/catalogue.server";
import { saveRow } from "~/models/row-save.server";
import { approveVersion, loadScheme, startDraft } from "~/models/scheme.server";
import { createBody, createSchool, type Body, type School } from "~/models/structure.server";
import { createTrust, type Trust } from "~/models/trust.server";
import { freshDatabase } from "../support/database";

let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await freshDatabase();
});
afterAll(() => handle?.close());

interface Fixture {
  trust: Trust;
  board: Body;
  head: Body;
  local: Body;
  school: School;
}

let trusts = 0;
/** A trust of its own for each group of tests, with a board, a local column, a headteacher column and a school. */
async function fixture(): Promise<Fixture> {
  trusts += 1;
  const db = handle.db;
  const trust = await createTrust(db, COMMAND_LINE, { name: `Catalogue Trust ${trusts}`, slug: `catalogue-${trusts}` });
  const board = await createBody(db, COMMAND_LINE, { trustId: trust.id, kind: "board", name: "Board of trustees" });
  const local = await createBody(db, COMMAND_LINE, { trustId: trust.id, kind: "local", name: "Local governing body" });
  const head = await createBody(db, COMMAND_LINE, { trustId: trust.id, kind: "school", name: "Headteacher" });
  const school = await createSchool(db, COMMAND_LINE, { trustId: trust.id, urn: 140000 + trusts, name: "Beck Side Primary", phase: "primary" });
  return { trust, board, head, local, school };
}

async function byKey(trustId: string, key: string): Promise<Responsibility> {
  const [row] = await handle.db
    .select()
    .from(responsibilities)
    .where(and(eq(responsibilities.trustId, trustId), eq(responsibilities.catalogueKey, key)));
  return row!;
}

async function reread(id: string): Promise<Responsibility> {
  const [row] = await handle.db.select().from(responsibilities).where(eq(responsibilities.id, id));
  return row!;
}

async function history(id: string) {
  return handle.db.select().from(auditLog).where(eq(auditLog.responsibilityId, id)).orderBy(auditLog.id);
}

/** Counts of the trust's rows and audit entries, to show that a refusal changed nothing. */
async function footprint(trustId: string) {
  const [rows] = await handle.db.select({ n: count() }).from(responsibilities).where(eq(responsibilities.trustId, trustId));
  const [audit] = await handle.db.select({ n: count() }).from(auditLog).where(eq(auditLog.trustId, trustId));
  return { rows: rows!.n, audit: audit!.n };
}

async function refusedWithNoChange(trustId: string, attempt: () => Promise<unknown>): Promise<Error> {
  const before = await footprint(trustId);
  const error = (await attempt().then(
    () => null,
    (e: unknown) => e,
  )) as Error | null;
  expect(error, "the change should have been refused").not.toBeNull();
  expect(await footprint(trustId)).toEqual(before);
  return error!;
}

const refsOfArea = (live: Responsibility[], area: number) => live.filter((r) => r.area === area).map((r) => r.ref);

describe("the live catalogue", () => {
  it("lists the default catalogue by area in order, with nothing retired", async () => {
    const { trust } = await fixture();
    const { live, retired } = await listCatalogue(handle.db, trust.id);
    expect(live.map((r) => r.catalogueKey)).toEqual(DEFAULT_CATALOGUE.map((e) => e.key));
    expect(retired).toEqual([]);
  });
});

describe("adding a row", () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await fixture();
  });

  it("numbers it after the last row of its area, puts it last there, and records it with the row's id", async () => {
    const row = await addResponsibility(handle.db, COMMAND_LINE, {
      trustId: f.trust.id,
      area: 4,
      title: "Approve the attendance policy",
      guidance: "  Each school reports attendance termly.  ",
      section: "D. Pupils",
      tags: [STRAND_OF_CONSISTENCY],
    });
    expect(row.ref).toBe("4.7");
    expect(row.guidance).toBe("Each school reports attendance termly.");
    expect(row.catalogueKey).toBeNull();
    const { live } = await listCatalogue(handle.db, f.trust.id);
    expect(live.filter((r) => r.area === 4).at(-1)!.id).toBe(row.id);
    const [entry] = await history(row.id);
    expect(entry).toMatchObject({ entity: "responsibility", action: "create", entityId: row.id, versionId: null });
    expect(entry!.after).toMatchObject({ ref: "4.7", title: "Approve the attendance policy", section: "D. Pupils", tags: [STRAND_OF_CONSISTENCY] });
  });

  it("keeps the trust's own ref and constraint", async () => {
    const row = await addResponsibility(handle.db, COMMAND_LINE, {
      trustId: f.trust.id,
      area: 0,
      title: "Members oversight of the trust's charitable objects",
      ref: "MO-1",
      constraint: { decisionKinds: ["members"], excludedKinds: ["school"] },
    });
    expect(row).toMatchObject({ ref: "MO-1", area: 0, decisionKinds: ["members"], excludedKinds: ["school"] });
  });

  it("refuses a ref another live row has, naming that row", async () => {
    const error = await refusedWithNoChange(f.trust.id, () =>
      addResponsibility(handle.db, COMMAND_LINE, { trustId: f.trust.id, area: 12, title: "Another budget row", ref: "12.8" }),
    );
    expect(error).toBeInstanceOf(RuleError);
    expect((error as RuleError).field).toBe("ref");
    expect(error.message).toBe(
      'The ref 12.8 is already used by "Approve the trust budget (balanced) and significant changes to it" (Shared services and back office functions). Choose another ref, or change that row\'s first.',
    );
  });

  it("refuses an empty or overlong title, overlong guidance, and both opposite tags", async () => {
    const attempts: [Parameters<typeof addResponsibility>[2], string, RegExp][] = [
      [{ trustId: f.trust.id, area: 3, title: "   " }, "title", /Give the responsibility a title/],
      [{ trustId: f.trust.id, area: 3, title: "x".repeat(501) }, "title", /at most 500 characters for the title \(this has 501\)/],
      [{ trustId: f.trust.id, area: 3, title: "Phonics scheme", guidance: "g".repeat(2001) }, "guidance", /at most 2,000 characters for the guidance/],
      [{ trustId: f.trust.id, area: 3, title: "Phonics scheme", tags: [STRAND_OF_CONSISTENCY, INNOVATION_ELIGIBLE] }, "tags", /Choose one/],
      [{ trustId: f.trust.id, area: 13, title: "Phonics scheme" }, "area", /Choose one of the 12 areas/],
      [{ trustId: f.trust.id, area: 3, title: "Phonics scheme", constraint: { decisionKinds: ["board"], excludedKinds: ["board"] } }, "excludedKinds", /cannot both decide/],
    ];
    for (const [input, field, message] of attempts) {
      const error = await refusedWithNoChange(f.trust.id, () =>
      addResponsibility(handle.db, COMMAND_LINE, input));
      expect(error).toBeInstanceOf(RuleError);
      expect((error as RuleError).field).toBe(field);
      expect(error.message).toMatch(message);
    }
  });

  it("gives the row a first revision in the draft, so the matrix can save it", async () => {
    const draft = await startDraft(handle.db, COMMAND_LINE, { trustId: f.trust.id, from: "empty" });
    const row = await addResponsibility(handle.db, COMMAND_LINE, { trustId: f.trust.id, area: 9, title: "Appoint the clerk to local boards" });
    const [revision] = await handle.db.select().from(schemeRows).where(and(eq(schemeRows.versionId, draft.id), eq(schemeRows.responsibilityId, row.id)));
    expect(revision!.revision).toBe(1);
    const [entry] = await history(row.id);
    expect(entry!.versionId).toBe(draft.id);
    await saveRow(handle.db, COMMAND_LINE, { trustId: f.trust.id, versionId: draft.id, rowId: row.id, codes: { [f.board.id]: "D" }, expectedRevision: 1 });
    const scheme = await loadScheme(handle.db, f.trust.id, draft.id);
    expect(scheme.cells[cellKey(row.id, f.board.id)]?.code).toBe("D");
  });
});

describe("editing a row", () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await fixture();
  });

  it("changes what was edited, moves the version on, and records only the changed fields", async () => {
    const row = await byKey(f.trust.id, "SEED-06");
    const edited = await editResponsibility(handle.db, COMMAND_LINE, {
      trustId: f.trust.id,
      id: row.id,
      expectedVersion: row.version,
      area: 3,
      ref: "C.1",
      title: row.title,
      guidance: "Curriculum maps are shared across the trust.",
      section: "C. Education standards & curriculum",
      tags: [],
    });
    expect(edited).toMatchObject({ ref: "C.1", guidance: "Curriculum maps are shared across the trust.", tags: [], version: row.version + 1 });
    const entries = await history(row.id);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ action: "update", entity: "responsibility" });
    expect(Object.keys(entries[0]!.before as object).sort()).toEqual(["guidance", "ref", "section", "tags"]);
    expect(entries[0]!.after).toMatchObject({ ref: "C.1", tags: [] });
    expect(entries[0]!.summary).toContain("(now C.1)");
  });

  it("refuses a stale edit and keeps the first person's change", async () => {
    const row = await byKey(f.trust.id, "SEED-13");
    const common = { trustId: f.trust.id, id: row.id, area: row.area, ref: row.ref, guidance: row.guidance, tags: row.tags };
    await editResponsibility(handle.db, COMMAND_LINE, { ...common, expectedVersion: row.version, title: "Branding: first person" });
    const error = await refusedWithNoChange(f.trust.id, () => editResponsibility(handle.db, COMMAND_LINE, { ...common, expectedVersion: row.version, title: "Branding: second person" }),
    );
    expect(error).toBeInstanceOf(StaleWriteError);
    expect((await reread(row.id)).title).toBe("Branding: first person");
  });

  it("puts a row moved to another area at the end of it", async () => {
    const row = await byKey(f.trust.id, "DER-01");
    const moved = await editResponsibility(handle.db, COMMAND_LINE, {
      trustId: f.trust.id,
      id: row.id,
      expectedVersion: row.version,
      area: 6,
      ref: row.ref,
      title: row.title,
      guidance: row.guidance,
      tags: row.tags,
    });
    const { live } = await listCatalogue(handle.db, f.trust.id);
    expect(live.filter((r) => r.area === 6).at(-1)!.id).toBe(moved.id);
  });

  it("refuses a ref another row has, naming it", async () => {
    const row = await byKey(f.trust.id, "SEED-07");
    const error = await refusedWithNoChange(f.trust.id, () =>
      editResponsibility(handle.db, COMMAND_LINE, { trustId: f.trust.id, id: row.id, expectedVersion: row.version, area: 3, ref: "4.1", title: row.title }),
    );
    expect(error.message).toMatch(/^The ref 4\.1 is already used by "Pupil policies/);
  });

  it("keeps a statutory row's constraint, saying why, but lets its words change", async () => {
    const budget = await byKey(f.trust.id, "STAT-F1");
    const base = { trustId: f.trust.id, id: budget.id, area: budget.area, ref: budget.ref, title: budget.title, guidance: budget.guidance, tags: budget.tags };
    const error = await refusedWithNoChange(f.trust.id, () =>
      editResponsibility(handle.db, COMMAND_LINE, {
        ...base,
        expectedVersion: budget.version,
        constraint: { decisionKinds: ["board", "committee"], excludedKinds: null },
      }),
    );
    expect(error).toBeInstanceOf(RuleError);
    expect((error as RuleError).field).toBe("decisionKinds");
    expect(error.message).toMatch(/statutory decision \(ST-12\).*cannot be changed here/);
    const renamed = await editResponsibility(handle.db, COMMAND_LINE, {
      ...base,
      expectedVersion: budget.version,
      title: "Approve the trust's balanced budget",
      constraint: { decisionKinds: ["board"], excludedKinds: null },
    });
    expect(renamed).toMatchObject({ title: "Approve the trust's balanced budget", decisionKinds: ["board"], statutoryRule: "ST-12", locked: true });
  });

  it("sets the constraint of the trust's own row, unless the draft already holds a code it would forbid", async () => {
    const own = await addResponsibility(handle.db, COMMAND_LINE, { trustId: f.trust.id, area: 10, title: "Approve school improvement plans" });
    const draft = await startDraft(handle.db, COMMAND_LINE, { trustId: f.trust.id, from: "empty" });
    await saveRow(handle.db, COMMAND_LINE, { trustId: f.trust.id, versionId: draft.id, rowId: own.id, codes: { [f.head.id]: "D" }, expectedRevision: 1 });
    const base = { trustId: f.trust.id, id: own.id, expectedVersion: own.version, area: 10, ref: own.ref, title: own.title };
    const error = await refusedWithNoChange(f.trust.id, () =>
      editResponsibility(handle.db, COMMAND_LINE, { ...base, constraint: { decisionKinds: ["board", "local"], excludedKinds: null } }),
    );
    expect(error.message).toMatch(/^Draft version 1 has D for Headteacher on this row, which this constraint would forbid: Only the trust board or local governing body may decide/);
    const constrained = await editResponsibility(handle.db, COMMAND_LINE, {
      ...base,
      constraint: { decisionKinds: ["board", "local", "school"], excludedKinds: ["members"] },
    });
    expect(constrained).toMatchObject({ decisionKinds: ["board", "local", "school"], excludedKinds: ["members"] });
    const [entry] = (await history(own.id)).filter((e) => e.entity === "responsibility" && e.action === "update");
    expect(entry!.before).toEqual({ decisionKinds: null, excludedKinds: null });
  });

  it("refuses to edit a row that is not the trust's", async () => {
    const other = await fixture();
    const foreign = await byKey(other.trust.id, "SEED-01");
    const error = await refusedWithNoChange(f.trust.id, () =>
      editResponsibility(handle.db, COMMAND_LINE, { trustId: f.trust.id, id: foreign.id, expectedVersion: foreign.version, area: 8, ref: "8.9", title: "Taken over" }),
    );
    expect(error).toBeInstanceOf(NotFoundError);
    expect((await reread(foreign.id)).title).toBe(foreign.title);
  });
});

describe("order and numbering", () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await fixture();
  });

  it("moves a row up or down within its area, keeping its ref, and not past the ends", async () => {
    const second = await byKey(f.trust.id, "STAT-G1");
    await moveResponsibility(handle.db, COMMAND_LINE, { trustId: f.trust.id, id: second.id, expectedVersion: second.version, direction: "up" });
    const { live } = await listCatalogue(handle.db, f.trust.id);
    expect(refsOfArea(live, 1)).toEqual(["1.2", "1.1", "1.3"]);
    const first = await reread(second.id);
    const error = await refusedWithNoChange(f.trust.id, () =>
      moveResponsibility(handle.db, COMMAND_LINE, { trustId: f.trust.id, id: first.id, expectedVersion: first.version, direction: "up" }),
    );
    expect(error.message).toBe("1.2 is already the first row of Vision and values.");
    const stale = await refusedWithNoChange(f.trust.id, () =>
      moveResponsibility(handle.db, COMMAND_LINE, { trustId: f.trust.id, id: first.id, expectedVersion: second.version, direction: "down" }),
    );
    expect(stale).toBeInstanceOf(StaleWriteError);
    expect((await history(second.id)).map((e) => e.action)).toEqual(["move"]);
  });

  it("previews the ref changes of an area, then renumbers it so that refs and positions agree", async () => {
    const preview = await previewRenumber(handle.db, f.trust.id, 1);
    expect(preview.changes.filter((c) => c.fromRef !== c.toRef).map((c) => `${c.fromRef}→${c.toRef}`)).toEqual(["1.2→1.1", "1.1→1.2"]);
    expect(preview.clashes).toEqual([]);
    const result = await renumberCatalogue(handle.db, COMMAND_LINE, { trustId: f.trust.id, area: 1, fingerprint: preview.fingerprint });
    expect(result.changed).toBe(2);
    const { live } = await listCatalogue(handle.db, f.trust.id);
    const area = live.filter((r) => r.area === 1);
    expect(area.map((r) => [r.catalogueKey, r.ref, r.position])).toEqual([
      ["STAT-G1", "1.1", 1],
      ["SEED-12", "1.2", 2],
      ["STAT-G2", "1.3", 3],
    ]);
    const entries = await history((await byKey(f.trust.id, "STAT-G1")).id);
    expect(entries.at(-1)).toMatchObject({ action: "renumber", before: { ref: "1.2" }, after: { ref: "1.1", position: 1 } });
  });

  it("refuses to renumber from a preview the catalogue has moved on from", async () => {
    const preview = await previewRenumber(handle.db, f.trust.id, 12);
    await addResponsibility(handle.db, COMMAND_LINE, { trustId: f.trust.id, area: 12, title: "Catering contract", ref: "12.1a" });
    const error = await refusedWithNoChange(f.trust.id, () =>
      renumberCatalogue(handle.db, COMMAND_LINE, { trustId: f.trust.id, area: 12, fingerprint: preview.fingerprint }));
    expect(error).toBeInstanceOf(StaleWriteError);
  });

  it("refuses while a row elsewhere holds one of the new refs, naming it", async () => {
    const stray = await addResponsibility(handle.db, COMMAND_LINE, { trustId: f.trust.id, area: 5, title: "Pupil data sharing agreements", ref: "2.2" });
    await addResponsibility(handle.db, COMMAND_LINE, { trustId: f.trust.id, area: 2, title: "School trips", ref: "trips" });
    const preview = await previewRenumber(handle.db, f.trust.id, 2);
    expect(preview.clashes.map((c) => c.id)).toEqual([stray.id]);
    const error = await refusedWithNoChange(f.trust.id, () => renumberCatalogue(handle.db, COMMAND_LINE, { trustId: f.trust.id, area: 2, fingerprint: preview.fingerprint }));
    expect(error.message).toBe('The ref 2.2 is already used by "Pupil data sharing agreements" in Information management. Change that row\'s ref first, then renumber.');
  });

  it("renumbers the whole catalogue, leaving unclassified rows as they are", async () => {
    await addResponsibility(handle.db, COMMAND_LINE, { trustId: f.trust.id, area: 0, title: "Imported: lettings", ref: "N.4" });
    const preview = await previewRenumber(handle.db, f.trust.id, null);
    expect(preview.unclassified).toBe(1);
    await renumberCatalogue(handle.db, COMMAND_LINE, { trustId: f.trust.id, area: null, fingerprint: preview.fingerprint });
    const { live } = await listCatalogue(handle.db, f.trust.id);
    for (let area = 1; area <= 12; area += 1) {
      const rows = live.filter((r) => r.area === area);
      expect(rows.map((r) => r.ref)).toEqual(rows.map((_, i) => `${area}.${i + 1}`));
      expect(rows.map((r) => r.position)).toEqual(rows.map((_, i) => i + 1));
    }
    expect(live.find((r) => r.area === 0)!.ref).toBe("N.4");
    expect(new Set(live.map((r) => r.ref)).size).toBe(live.length);
    const again = await previewRenumber(handle.db, f.trust.id, null);
    expect(again.changes).toEqual([]);
  });

  it("refuses to renumber the unclassified rows on their own", async () => {
    await expect(previewRenumber(handle.db, f.trust.id, 0)).rejects.toThrow(/Give each one of the 12 areas first/);
  });
});

describe("retiring and restoring", () => {
  let f: Fixture;
  let approvedId: string;
  let draftId: string;
  let row: Responsibility;

  beforeAll(async () => {
    f = await fixture();
    row = await addResponsibility(handle.db, COMMAND_LINE, { trustId: f.trust.id, area: 7, title: "Staff wellbeing charter" });
    const first = await startDraft(handle.db, COMMAND_LINE, { trustId: f.trust.id, from: "empty" });
    await saveRow(handle.db, COMMAND_LINE, {
      trustId: f.trust.id,
      versionId: first.id,
      rowId: row.id,
      codes: { [f.board.id]: "D", [f.head.id]: "E" },
      expectedRevision: 1,
    });
    const approved = await approveVersion(handle.db, COMMAND_LINE, {
      trustId: f.trust.id,
      versionId: first.id,
      expectedVersion: first.version,
      approvedByBodyId: f.board.id,
      approvedOn: "2026-03-12",
      minuteRef: "TB/26/03/7",
      reviewDueOn: "2027-03-12",
    });
    approvedId = approved.id;
    const draft = await startDraft(handle.db, COMMAND_LINE, { trustId: f.trust.id, from: "latest-approved" });
    draftId = draft.id;
    const variant = { trustId: f.trust.id, versionId: draftId, responsibilityId: row.id, bodyId: f.local.id };
    await handle.db.insert(tierCells).values([{ ...variant, tier: "T1", code: "D" }, { ...variant, tier: "T4", code: null }]);
    await handle.db.insert(schoolCells).values({ ...variant, schoolId: f.school.id, code: "C" });
  });

  it("says what retiring would delete from the draft", async () => {
    const impact = await retireImpact(handle.db, f.trust.id, row.id);
    expect(impact).toMatchObject({ statutory: false, draft: { id: draftId, number: 2 }, cells: 2, tierCells: 2, schoolCells: 1 });
  });

  it("refuses when the draft's cells changed since the person was told", async () => {
    const error = await refusedWithNoChange(f.trust.id, () => retireResponsibility(handle.db, COMMAND_LINE, { trustId: f.trust.id, id: row.id, expectedVersion: row.version, expectedCleared: 3 }),
    );
    expect(error).toBeInstanceOf(StaleWriteError);
  });

  it("takes the row out of the draft with its cells, variants and revision, and keeps it in the approved version", async () => {
    await retireResponsibility(handle.db, COMMAND_LINE, { trustId: f.trust.id, id: row.id, expectedVersion: row.version, expectedCleared: 5 });
    const { live, retired } = await listCatalogue(handle.db, f.trust.id);
    expect(live.some((r) => r.id === row.id)).toBe(false);
    expect(retired.map((r) => r.id)).toEqual([row.id]);
    for (const table of [cells, tierCells, schoolCells, schemeRows]) {
      const [left] = await handle.db.select({ n: count() }).from(table).where(and(eq(table.versionId, draftId), eq(table.responsibilityId, row.id)));
      expect(left!.n).toBe(0);
    }
    const draft = await loadScheme(handle.db, f.trust.id, draftId);
    expect(draft.rows.some((r) => r.id === row.id)).toBe(false);
    const approved = await loadScheme(handle.db, f.trust.id, approvedId);
    expect(approved.rows.find((r) => r.id === row.id)?.title).toBe("Staff wellbeing charter");
    expect(approved.cells[cellKey(row.id, f.board.id)]?.code).toBe("D");
    const entry = (await history(row.id)).at(-1)!;
    expect(entry).toMatchObject({ action: "retire", versionId: draftId, after: { retired: true, reason: null } });
    expect((entry.before as { draft: { cells: unknown[] } }).draft.cells).toHaveLength(2);
  });

  it("refuses to edit or move a retired row", async () => {
    const retired = await reread(row.id);
    const error = await refusedWithNoChange(f.trust.id, () =>
      moveResponsibility(handle.db, COMMAND_LINE, { trustId: f.trust.id, id: row.id, expectedVersion: retired.version, direction: "up" }),
    );
    expect(error.message).toMatch(/is retired\. Restore it before changing it/);
  });

  it("restores the row at the end of its area and into the draft with no cells", async () => {
    const retired = await reread(row.id);
    const { row: restored, previousRef } = await restoreResponsibility(handle.db, COMMAND_LINE, { trustId: f.trust.id, id: row.id, expectedVersion: retired.version });
    expect(previousRef).toBeNull();
    expect(restored).toMatchObject({ retiredAt: null, ref: row.ref });
    const draft = await loadScheme(handle.db, f.trust.id, draftId);
    expect(draft.rows.some((r) => r.id === row.id)).toBe(true);
    expect(draft.rowRevisions[row.id]).toBe(1);
    expect(Object.keys(draft.cells).filter((k) => k.startsWith(row.id))).toEqual([]);
    expect((await history(row.id)).at(-1)).toMatchObject({ action: "restore", versionId: draftId });
  });

  it("asks a reason for retiring a statutory row, and restores it under a new ref when its own was taken meanwhile", async () => {
    const budget = await byKey(f.trust.id, "STAT-F1");
    const impact = await retireImpact(handle.db, f.trust.id, budget.id);
    expect(impact.statutory).toBe(true);
    const error = await refusedWithNoChange(f.trust.id, () =>
      retireResponsibility(handle.db, COMMAND_LINE, { trustId: f.trust.id, id: budget.id, expectedVersion: budget.version, expectedCleared: 0, reason: "  " }),
    );
    expect((error as RuleError).field).toBe("reason");
    await retireResponsibility(handle.db, COMMAND_LINE, {
      trustId: f.trust.id,
      id: budget.id,
      expectedVersion: budget.version,
      expectedCleared: 0,
      reason: "Covered by the scheme of financial delegation",
    });
    expect((await history(budget.id)).at(-1)!.after).toEqual({ retired: true, reason: "Covered by the scheme of financial delegation" });
    const newcomer = await addResponsibility(handle.db, COMMAND_LINE, { trustId: f.trust.id, area: 12, title: "Approve the budget", ref: budget.ref });
    const retired = await reread(budget.id);
    const { row: restored, previousRef } = await restoreResponsibility(handle.db, COMMAND_LINE, { trustId: f.trust.id, id: budget.id, expectedVersion: retired.version });
    expect(previousRef).toBe(budget.ref);
    expect(restored.ref).not.toBe(newcomer.ref);
    expect(restored.ref).toMatch(/^12\.\d+$/);
  });

  it("refuses to restore a row that is already live", async () => {
    const live = await reread(row.id);
    const error = await refusedWithNoChange(f.trust.id, () =>
      restoreResponsibility(handle.db, COMMAND_LINE, { trustId: f.trust.id, id: row.id, expectedVersion: live.version }),
    );
    expect(error.message).toMatch(/is already in the catalogue/);
  });
});
