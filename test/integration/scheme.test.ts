import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db/client";
import { auditLog, cells, responsibilities, schemeVersions } from "../../db/schema";
import { RuleError } from "~/domain/errors";
import { cellKey } from "~/domain/scheme";
import type { BodyKind } from "~/domain/structure";
import { COMMAND_LINE } from "~/models/audit.server";
import { createBody, type Body } from "~/models/structure.server";
import { createTrust, type Trust } from "~/models/trust.server";
import { saveRow } from "~/models/row-save.server";
import {
  approveVersion,
  copyRowPattern,
  loadScheme,
  setColumnForArea,
  StaleRowError,
  startDraft,
} from "~/models/scheme.server";
import { freshDatabase } from "../support/database";

let handle: DatabaseHandle;
/** A small trust of its own: the demo trust already has its versions. */
let demo: { trust: Trust; bodies: Record<string, Body> };
beforeAll(async () => {
  handle = await freshDatabase();
  const trust = await createTrust(handle.db, COMMAND_LINE, { name: "Fellside Schools Trust", slug: "fellside" });
  const bodies: Record<string, Body> = {};
  const add = async (name: string, kind: BodyKind, extra: { columnId?: string } = {}) => {
    bodies[name] = await createBody(handle.db, COMMAND_LINE, { trustId: trust.id, name, kind, ...extra });
  };
  await add("Members", "members");
  await add("Board of trustees", "board");
  await add("Finance & Resources Committee", "committee");
  await add("Chief executive officer", "executive");
  await add("Cluster governing body", "cluster");
  await add("Dales cluster", "cluster", { columnId: bodies["Cluster governing body"]!.id });
  await add("Headteacher", "school");
  demo = { trust, bodies };
});
afterAll(() => handle.close());

const row = async (key: string) => {
  const [r] = await handle.db
    .select()
    .from(responsibilities)
    .where(and(eq(responsibilities.trustId, demo.trust.id), eq(responsibilities.catalogueKey, key)));
  return r!;
};

describe("a draft scheme", () => {
  let versionId: string;

  it("starts empty with a revision for every row of the catalogue", async () => {
    const draft = await startDraft(handle.db, COMMAND_LINE, { trustId: demo.trust.id, from: "empty" });
    versionId = draft.id;
    const scheme = await loadScheme(handle.db, demo.trust.id, draft.id);
    expect(scheme.version.status).toBe("draft");
    expect(Object.keys(scheme.cells)).toHaveLength(0);
    expect(Object.keys(scheme.rowRevisions)).toHaveLength(scheme.rows.length);
    expect(scheme.columns.map((c) => c.kind)).toEqual([...scheme.columns.map((c) => c.kind)].sort((a, b) =>
      ["members", "board", "committee", "executive", "cluster", "local", "school", "external"].indexOf(a) -
      ["members", "board", "committee", "executive", "cluster", "local", "school", "external"].indexOf(b),
    ));
    await expect(startDraft(handle.db, COMMAND_LINE, { trustId: demo.trust.id, from: "empty" })).rejects.toThrow(/already has a draft/);
  });

  it("saves a cell against the revision it read and refuses the second writer of that revision", async () => {
    const budget = await row("STAT-F1");
    const board = demo.bodies["Board of trustees"]!;
    const finance = demo.bodies["Finance & Resources Committee"]!;
    const first = await saveRow(handle.db, COMMAND_LINE, {
      trustId: demo.trust.id,
      versionId,
      rowId: budget.id,
      codes: { [board.id]: "D" },
      expectedRevision: 1,
    });
    expect(first).toEqual({ revision: 2, changed: 1 });
    const stale = saveRow(handle.db, COMMAND_LINE, {
      trustId: demo.trust.id,
      versionId,
      rowId: budget.id,
      codes: { [finance.id]: "R" },
      expectedRevision: 1,
    });
    await expect(stale).rejects.toBeInstanceOf(StaleRowError);
    const error = (await stale.catch((e) => e)) as StaleRowError;
    expect(error.revision).toBe(2);
    expect(error.codes).toEqual({ [board.id]: "D" });
    const scheme = await loadScheme(handle.db, demo.trust.id, versionId);
    expect(scheme.cells[cellKey(budget.id, board.id)]?.code).toBe("D");
    expect(scheme.cells[cellKey(budget.id, finance.id)]).toBeUndefined();
    const entries = await handle.db.select().from(auditLog).where(and(eq(auditLog.versionId, versionId), eq(auditLog.entity, "cell")));
    expect(entries).toHaveLength(1);
    expect(entries[0]!.after).toEqual({ code: "D" });
  });

  it("refuses a code the row's constraints forbid, saying why, and changes nothing", async () => {
    const budget = await row("STAT-F1");
    const scheme = await loadScheme(handle.db, demo.trust.id, versionId);
    const head = demo.bodies["Headteacher"]!;
    await expect(
      saveRow(handle.db, COMMAND_LINE, {
        trustId: demo.trust.id,
        versionId,
        rowId: budget.id,
        codes: { [head.id]: "D" },
        expectedRevision: scheme.rowRevisions[budget.id]!,
      }),
    ).rejects.toThrow(/Only the trust board may decide/);
    const after = await loadScheme(handle.db, demo.trust.id, versionId);
    expect(after.rowRevisions[budget.id]).toBe(scheme.rowRevisions[budget.id]);
    expect(after.cells[cellKey(budget.id, head.id)]).toBeUndefined();
  });

  it("refuses a cell in an individual board rather than a column", async () => {
    const budget = await row("STAT-F1");
    const dales = demo.bodies["Dales cluster"]!;
    const scheme = await loadScheme(handle.db, demo.trust.id, versionId);
    await expect(
      saveRow(handle.db, COMMAND_LINE, {
        trustId: demo.trust.id,
        versionId,
        rowId: budget.id,
        codes: { [dales.id]: "C" },
        expectedRevision: scheme.rowRevisions[budget.id]!,
      }),
    ).rejects.toThrow(/column of the matrix was not found/);
  });

  it("sets a column for a whole area, skipping rows whose constraints forbid it, and copies a row's pattern", async () => {
    const head = demo.bodies["Headteacher"]!;
    const result = await setColumnForArea(handle.db, COMMAND_LINE, {
      trustId: demo.trust.id,
      versionId,
      area: 4,
      columnId: head.id,
      code: "E",
    });
    const scheme = await loadScheme(handle.db, demo.trust.id, versionId);
    const area4 = scheme.rows.filter((r) => r.area === 4);
    const excluded = area4.filter((r) => r.excludedKinds?.includes("school"));
    expect(result.skipped.map((s) => s.ref).sort()).toEqual(excluded.map((r) => r.ref).sort());
    for (const r of area4.filter((r) => !excluded.includes(r))) expect(scheme.cells[cellKey(r.id, head.id)]?.code).toBe("E");

    const [from, to] = area4.filter((r) => !excluded.includes(r));
    const board = demo.bodies["Board of trustees"]!;
    await saveRow(handle.db, COMMAND_LINE, {
      trustId: demo.trust.id,
      versionId,
      rowId: from!.id,
      codes: { [board.id]: "D" },
      expectedRevision: scheme.rowRevisions[from!.id]!,
    });
    await copyRowPattern(handle.db, COMMAND_LINE, { trustId: demo.trust.id, versionId, fromRowId: from!.id, toRowIds: [to!.id] });
    const copied = await loadScheme(handle.db, demo.trust.id, versionId);
    for (const c of copied.columns) {
      expect(copied.cells[cellKey(to!.id, c.id)]?.code ?? null).toBe(copied.cells[cellKey(from!.id, c.id)]?.code ?? null);
    }
    expect(copied.rowRevisions[to!.id]).toBeGreaterThan(scheme.rowRevisions[to!.id]!);
  });

  it("once approved, is frozen: the app and the database itself refuse changes", async () => {
    const [v] = await handle.db.select().from(schemeVersions).where(eq(schemeVersions.id, versionId));
    await approveVersion(handle.db, COMMAND_LINE, {
      trustId: demo.trust.id,
      versionId,
      expectedVersion: v!.version,
      approvedByBodyId: demo.bodies["Board of trustees"]!.id,
      approvedOn: "2026-07-10",
      minuteRef: "TB/26/07/4",
      reviewDueOn: "2027-07-10",
    });
    const budget = await row("STAT-F1");
    await expect(
      saveRow(handle.db, COMMAND_LINE, { trustId: demo.trust.id, versionId, rowId: budget.id, codes: {}, expectedRevision: 2 }),
    ).rejects.toBeInstanceOf(RuleError);
    await expect(handle.db.execute(sql`update cells set code = 'M' where version_id = ${versionId}`)).rejects.toThrow();
    await expect(handle.db.execute(sql`delete from cells where version_id = ${versionId}`)).rejects.toThrow();
    await expect(handle.db.execute(sql`update scheme_versions set minute_ref = 'forged' where id = ${versionId}`)).rejects.toThrow();
    await expect(handle.db.execute(sql`delete from scheme_versions where id = ${versionId}`)).rejects.toThrow();
    const [still] = await handle.db.select().from(cells).where(and(eq(cells.versionId, versionId), eq(cells.responsibilityId, budget.id)));
    expect(still!.code).toBe("D");
  });

  it("reads an approved version from its snapshot, untouched by later changes to the catalogue", async () => {
    const budget = await row("STAT-F1");
    await handle.db.update(responsibilities).set({ title: "Renamed later" }).where(eq(responsibilities.id, budget.id));
    const frozen = await loadScheme(handle.db, demo.trust.id, versionId);
    expect(frozen.rows.find((r) => r.id === budget.id)!.title).not.toBe("Renamed later");
  });

  it("starts the next draft from the approved version, with its cells", async () => {
    const next = await startDraft(handle.db, COMMAND_LINE, { trustId: demo.trust.id, from: "latest-approved", reason: "Annual review" });
    expect(next.number).toBe(2);
    const approved = await loadScheme(handle.db, demo.trust.id, versionId);
    const draft = await loadScheme(handle.db, demo.trust.id, next.id);
    expect(draft.version.basedOnId).toBe(versionId);
    expect(draft.cells).toEqual(approved.cells);
  });
});
