/**
 * The history stamp and the history pages kept by it (ADR 014): the stamp takes a new value, once per
 * transaction, with every audit entry of the trust, however it is written; a page is kept while the
 * stamps stay where they were, and the page read after a change shows it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db/client";
import { auditLog } from "../../db/schema";
import { COMMAND_LINE } from "~/models/audit.server";
import { exportTrust, restoreTrust } from "~/models/backup.server";
import { loadHistoryPage } from "~/models/history-page.server";
import { loadMatrix } from "~/models/matrix.server";
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
  trust = await createTrust(handle.db, COMMAND_LINE, {
    name: "Saltmarsh Learning Trust",
    slug: "saltmarsh",
  });
  other = await createTrust(handle.db, COMMAND_LINE, {
    name: "Heathfield Schools Trust",
    slug: "heathfield",
  });
  board = await createBody(handle.db, COMMAND_LINE, {
    trustId: trust.id,
    name: "Saltmarsh trustees",
    kind: "board",
  });
  draftId = (
    await startDraft(handle.db, COMMAND_LINE, {
      trustId: trust.id,
      from: "empty",
    })
  ).id;
});
afterAll(() => handle.close());

const reread = (t: Trust) => rereadTrust(handle.db, t);
const stampMoves = (t: Trust, change: () => Promise<unknown>) => countStampMoves(handle.db, "historyStamp", t, change);

async function saveFirstRow(code: "R" | "C" | "A") {
  const matrix = await loadMatrix(handle.db, trust.id, draftId);
  const row = matrix.rows[0]!;
  return saveRow(handle.db, COMMAND_LINE, {
    trustId: trust.id,
    versionId: draftId,
    rowId: row.id,
    codes: { [board.id]: code },
    expectedRevision: matrix.rowRevisions[row.id]!,
  });
}

describe("the history stamp", () => {
  it("moves on once for an audited save, and once for a transaction writing many entries", async () => {
    expect(await stampMoves(trust, () => saveFirstRow("R"))).toBe(1);
    expect(
      await stampMoves(trust, () =>
        setColumnForArea(handle.db, COMMAND_LINE, {
          trustId: trust.id,
          versionId: draftId,
          area: 2,
          columnId: board.id,
          code: "A",
        }),
      ),
    ).toBe(1);
    const entry = (n: number) => ({
      trustId: trust.id,
      actor: "command line",
      action: "update",
      entity: "settings",
      summary: `Setting ${n} changed`,
    });
    const many = () =>
      handle.db.transaction(async (tx) => {
        for (let n = 1; n <= 3; n++) await tx.insert(auditLog).values(entry(n));
      });
    expect(await stampMoves(trust, many)).toBe(1);
  });

  it("moves with an entry written straight through SQL, and only for the trust the entry is of", async () => {
    const write = () =>
      handle.db.insert(auditLog).values({
        trustId: trust.id,
        actor: "command line",
        action: "update",
        entity: "settings",
        summary: "Settings changed outside the app",
      });
    expect(await stampMoves(other, write)).toBe(0);
    expect(await stampMoves(trust, write)).toBe(1);
  });

  it("stays put for a refused save, and for an entry of no trust", async () => {
    const stale = () =>
      saveRow(handle.db, COMMAND_LINE, {
        trustId: trust.id,
        versionId: draftId,
        rowId: "00000000-0000-4000-8000-000000000000",
        codes: {},
        expectedRevision: 0,
      }).catch(() => null);
    expect(await stampMoves(trust, stale)).toBe(0);
    const siteEntry = () =>
      handle.db.insert(auditLog).values({
        trustId: null,
        actor: "command line",
        action: "create",
        entity: "user",
        summary: "A person was added",
      });
    expect(await stampMoves(trust, siteEntry)).toBe(0);
  });

  it("is never given twice: a trust restored over itself gets a stamp it never had", async () => {
    const before = await reread(trust);
    await restoreTrust(handle.db, JSON.parse(JSON.stringify(await exportTrust(handle.db, trust.id))), { replace: true });
    const after = await reread(trust);
    expect(after.id).toBe(before.id);
    expect(after.historyStamp).toBeGreaterThan(before.historyStamp);
  });
});

describe("a kept history page", () => {
  const scope = () => ({ trustId: trust.id, versionNumber: 1 });

  it("is the same page while nothing is written, and the next read after a save shows the save first", async () => {
    const stamped = await reread(trust);
    const first = await loadHistoryPage(handle.db, stamped, scope(), new URLSearchParams());
    expect(await loadHistoryPage(handle.db, stamped, scope(), new URLSearchParams("unrelated=1"))).toBe(first);

    await saveFirstRow("C");
    const moved = await reread(trust);
    const next = await loadHistoryPage(handle.db, moved, scope(), new URLSearchParams());
    expect(next).not.toBe(first);
    expect(next.view.entries.length).toBe(first.view.entries.length + 1);
    expect(next.view.entries[0]!.after).toContain("C");
    expect(next.view.entries.slice(1).map((e) => e.id)).toEqual(first.view.entries.map((e) => e.id));
  });

  it("is kept apart for each filter and page", async () => {
    const stamped = await reread(trust);
    const all = await loadHistoryPage(handle.db, stamped, scope(), new URLSearchParams());
    const filtered = await loadHistoryPage(handle.db, stamped, scope(), new URLSearchParams("person=nobody"));
    expect(filtered).not.toBe(all);
    expect(filtered.view.entries).toEqual([]);
    expect(all.view.entries.length).toBeGreaterThan(0);
  });

  it("is read only for the trust whose stamps it is kept under", () => {
    expect(() => loadHistoryPage(handle.db, trust, { trustId: other.id, versionNumber: 1 }, new URLSearchParams())).toThrow();
  });
});
