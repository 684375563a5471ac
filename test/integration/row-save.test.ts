/**
 * Saving a row of a draft, past the cases in scheme.test.ts: clearing cells, a row added to the
 * catalogue after the draft began, and a save that changes nothing.
 */
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db/client";
import { auditLog, schemeRows } from "../../db/schema";
import { cellKey } from "~/domain/scheme";
import { COMMAND_LINE } from "~/models/audit.server";
import { addResponsibility } from "~/models/catalogue.server";
import { loadMatrix } from "~/models/matrix.server";
import { saveRow } from "~/models/row-save.server";
import { startDraft, StaleRowError } from "~/models/scheme.server";
import { createBody, type Body } from "~/models/structure.server";
import { createTrust, type Trust } from "~/models/trust.server";
import { freshDatabase } from "../support/database";

let handle: DatabaseHandle;
let trust: Trust;
let board: Body;
let committee: Body;
let draftId: string;

beforeAll(async () => {
  handle = await freshDatabase();
  trust = await createTrust(handle.db, COMMAND_LINE, { name: "Wealdside Learning Trust", slug: "wealdside" });
  board = await createBody(handle.db, COMMAND_LINE, { trustId: trust.id, name: "Wealdside trustees", kind: "board" });
  committee = await createBody(handle.db, COMMAND_LINE, { trustId: trust.id, name: "Wealdside resources committee", kind: "committee" });
  draftId = (await startDraft(handle.db, COMMAND_LINE, { trustId: trust.id, from: "empty" })).id;
});
afterAll(() => handle.close());

const cellEntries = (rowId: string) =>
  handle.db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.versionId, draftId), eq(auditLog.responsibilityId, rowId), eq(auditLog.entity, "cell")))
    .orderBy(auditLog.id);

describe("saving a row", () => {
  it("sets and clears cells in one save, auditing each change with its before and after", async () => {
    const matrix = await loadMatrix(handle.db, trust.id, draftId);
    const row = matrix.rows.find((r) => r.decisionKinds === null)!;
    const first = await saveRow(handle.db, COMMAND_LINE, {
      trustId: trust.id,
      versionId: draftId,
      rowId: row.id,
      codes: { [board.id]: "D", [committee.id]: "R" },
      expectedRevision: matrix.rowRevisions[row.id]!,
    });
    const second = await saveRow(handle.db, COMMAND_LINE, {
      trustId: trust.id,
      versionId: draftId,
      rowId: row.id,
      codes: { [board.id]: "D", [committee.id]: null },
      expectedRevision: first.revision,
    });
    expect(second).toEqual({ revision: first.revision + 1, changed: 1 });

    const after = await loadMatrix(handle.db, trust.id, draftId);
    expect(after.cells[cellKey(row.id, board.id)]).toEqual({ code: "D", note: null });
    expect(after.cells[cellKey(row.id, committee.id)]).toBeUndefined();
    expect(after.rowRevisions[row.id]).toBe(second.revision);
    const entries = await cellEntries(row.id);
    expect(entries.map((e) => [e.entityId, e.before, e.after])).toEqual([
      [cellKey(row.id, board.id), { code: null }, { code: "D" }],
      [cellKey(row.id, committee.id), { code: null }, { code: "R" }],
      [cellKey(row.id, committee.id), { code: "R" }, { code: null }],
    ]);
    expect(entries.at(-1)!.summary).toBe(`${row.ref} ${row.title}: Wealdside resources committee R → (empty) in version 1`);
    expect(entries.every((e) => e.actor === "command line" && e.trustId === trust.id)).toBe(true);
  });

  it("moves the revision on without an audit entry when nothing changes", async () => {
    const matrix = await loadMatrix(handle.db, trust.id, draftId);
    const row = matrix.rows.find((r) => matrix.cells[cellKey(r.id, board.id)])!;
    const before = (await cellEntries(row.id)).length;
    const saved = await saveRow(handle.db, COMMAND_LINE, {
      trustId: trust.id,
      versionId: draftId,
      rowId: row.id,
      codes: { [board.id]: "D" },
      expectedRevision: matrix.rowRevisions[row.id]!,
    });
    expect(saved).toEqual({ revision: matrix.rowRevisions[row.id]! + 1, changed: 0 });
    expect(await cellEntries(row.id)).toHaveLength(before);
  });

  it("gives a row with no revision yet its first one on its first save, once", async () => {
    const added = await addResponsibility(handle.db, COMMAND_LINE, { trustId: trust.id, area: 4, title: "Approve the trust's outdoor learning policy" });
    // Adding a row gives it a revision in the draft; the editor still reads a row without one as revision 0.
    await handle.db.delete(schemeRows).where(and(eq(schemeRows.versionId, draftId), eq(schemeRows.responsibilityId, added.id)));
    const matrix = await loadMatrix(handle.db, trust.id, draftId);
    expect(matrix.rows.some((r) => r.id === added.id)).toBe(true);
    expect(matrix.rowRevisions[added.id]).toBeUndefined();

    const edit = { trustId: trust.id, versionId: draftId, rowId: added.id, expectedRevision: 0 };
    expect(await saveRow(handle.db, COMMAND_LINE, { ...edit, codes: { [committee.id]: "D" } })).toEqual({ revision: 1, changed: 1 });
    const late = await saveRow(handle.db, COMMAND_LINE, { ...edit, codes: { [board.id]: "D" } }).catch((e: unknown) => e);
    expect(late).toBeInstanceOf(StaleRowError);
    expect((late as StaleRowError).revision).toBe(1);
    expect((late as StaleRowError).codes).toEqual({ [committee.id]: "D" });
    expect((await loadMatrix(handle.db, trust.id, draftId)).cells[cellKey(added.id, board.id)]).toBeUndefined();
  });
});
