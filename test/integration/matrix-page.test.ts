/**
 * The matrix page's data and the stamp it is kept by (ADR 006): the stamp takes a new value, once per
 * transaction, with every change that can alter a matrix, and the page read after a change shows it.
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db/client";
import type { MatrixView } from "~/domain/matrix-view";
import { COMMAND_LINE } from "~/models/audit.server";
import { exportTrust, restoreTrust } from "~/models/backup.server";
import { addResponsibility } from "~/models/catalogue.server";
import { loadMatrix } from "~/models/matrix.server";
import { loadMatrixPage } from "~/models/matrix-page.server";
import { saveRow } from "~/models/row-save.server";
import { setColumnForArea, startDraft } from "~/models/scheme.server";
import { createBody, type Body } from "~/models/structure.server";
import { createTrust, type Trust } from "~/models/trust.server";
import { freshDatabase } from "../support/database";
import { reread as rereadTrust, stampMoves as countStampMoves } from "../support/stamps";

let handle: DatabaseHandle;
let trust: Trust;
let other: Trust;
let board: Body;
let draftId: string;

beforeAll(async () => {
  handle = await freshDatabase();
  trust = await createTrust(handle.db, COMMAND_LINE, { name: "Marshfield Academies Trust", slug: "marshfield" });
  other = await createTrust(handle.db, COMMAND_LINE, { name: "Upland Schools Trust", slug: "upland" });
  board = await createBody(handle.db, COMMAND_LINE, { trustId: trust.id, name: "Marshfield trustees", kind: "board" });
  draftId = (await startDraft(handle.db, COMMAND_LINE, { trustId: trust.id, from: "empty" })).id;
});
afterAll(() => handle.close());

const reread = (t: Trust) => rereadTrust(handle.db, t);
const stampMoves = (t: Trust, change: () => Promise<unknown>) => countStampMoves(handle.db, "matrixStamp", t, change);

const noFilters = { area: null, columnId: null };

describe("the matrix stamp", () => {
  it("moves on once for a cell save, a bulk change of a whole area, a catalogue row and a body", async () => {
    const matrix = await loadMatrix(handle.db, trust.id, draftId);
    const row = matrix.rows.find((r) => r.decisionKinds === null)!;
    const save = () =>
      saveRow(handle.db, COMMAND_LINE, {
        trustId: trust.id,
        versionId: draftId,
        rowId: row.id,
        codes: { [board.id]: "R" },
        expectedRevision: matrix.rowRevisions[row.id]!,
      });
    expect(await stampMoves(trust, save)).toBe(1);
    // Dozens of rows claimed and written in one transaction: the stamp still moves once.
    expect(await stampMoves(trust, () => setColumnForArea(handle.db, COMMAND_LINE, { trustId: trust.id, versionId: draftId, area: 2, columnId: board.id, code: "A" }))).toBe(1);
    expect(await stampMoves(trust, () => addResponsibility(handle.db, COMMAND_LINE, { trustId: trust.id, area: 3, title: "Agree the trust's travel plan" }))).toBe(1);
    expect(await stampMoves(trust, () => createBody(handle.db, COMMAND_LINE, { trustId: trust.id, name: "Marshfield members", kind: "members" }))).toBe(1);
  });

  it("moves only the stamp of the trust that changed, and not for a refused save", async () => {
    const matrix = await loadMatrix(handle.db, trust.id, draftId);
    const row = matrix.rows[0]!;
    expect(await stampMoves(other, () => addResponsibility(handle.db, COMMAND_LINE, { trustId: trust.id, area: 3, title: "Agree the trust's fleet policy" }))).toBe(0);
    const stale = () =>
      saveRow(handle.db, COMMAND_LINE, { trustId: trust.id, versionId: draftId, rowId: row.id, codes: { [board.id]: "C" }, expectedRevision: 0 }).catch(() => null);
    expect(await stampMoves(trust, stale)).toBe(0);
  });

  it("is never given twice: a trust restored over itself gets a stamp it never had", async () => {
    const before = await reread(trust);
    await restoreTrust(handle.db, JSON.parse(JSON.stringify(await exportTrust(handle.db, trust.id))), { replace: true });
    const after = await reread(trust);
    expect(after.id).toBe(before.id);
    expect(after.matrixStamp).toBeGreaterThan(before.matrixStamp);
  });

  it("moves with any statement that changes a cell, not only the app's own", async () => {
    const moved = await stampMoves(trust, () => handle.db.execute(sql`update cells set note = 'checked' where version_id = ${draftId}`));
    expect(moved).toBe(1);
  });
});

describe("the matrix page", () => {
  it("is read once per stamp, and read again, with the change, once the stamp has moved", async () => {
    const first = await loadMatrixPage(handle.db, await reread(trust), "1", noFilters);
    expect(first!.version).toMatchObject({ id: draftId, number: 1, status: "draft" });
    expect(first!.versions).toEqual([{ number: 1, status: "draft" }]);
    expect(await loadMatrixPage(handle.db, await reread(trust), "1", noFilters)).toBe(first);

    const view = JSON.parse(first!.matrix) as MatrixView;
    const row = view.groups.flatMap((g) => g.rows).find((r) => r.codes.every((c) => c === null) && r.noDecision.length === 0)!;
    const column = view.columns.findIndex((c) => c.id === board.id);
    await saveRow(handle.db, COMMAND_LINE, { trustId: trust.id, versionId: draftId, rowId: row.id, codes: { [board.id]: "D" }, expectedRevision: row.revision });

    const after = await loadMatrixPage(handle.db, await reread(trust), "1", noFilters);
    expect(after).not.toBe(first);
    const saved = (JSON.parse(after!.matrix) as MatrixView).groups.flatMap((g) => g.rows).find((r) => r.id === row.id)!;
    expect(saved.codes[column]).toBe("D");
    expect(saved.revision).toBe(row.revision + 1);
  });

  it("keeps each filter's page apart, and answers null for a version the trust does not have", async () => {
    const current = await reread(trust);
    const all = await loadMatrixPage(handle.db, current, "1", noFilters);
    const area = await loadMatrixPage(handle.db, current, "1", { area: 2, columnId: null });
    const areaView = JSON.parse(area!.matrix) as MatrixView;
    expect(areaView.groups.map((g) => g.area)).toEqual([2]);
    expect(areaView.totalRows).toBe((JSON.parse(all!.matrix) as MatrixView).totalRows);
    expect(await loadMatrixPage(handle.db, current, "2", noFilters)).toBeNull();
    expect(await loadMatrixPage(handle.db, current, "1; drop table cells", noFilters)).toBeNull();
    // Another trust's stamp and id never open this trust's page.
    expect(await loadMatrixPage(handle.db, await reread(other), "1", noFilters)).toBeNull();
  });
});
