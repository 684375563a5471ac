import { and, count, eq, sql } from "drizzle-orm";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db/client";
import { auditLog, cells, responsibilities, schemeRows, schemeVersions, tierCells, trusts } from "../../db/schema";
import { StaleWriteError, NotFoundError, RuleError } from "~/domain/errors";
import type { SchemeSnapshot } from "~/domain/scheme";
import { addResponsibility, retireResponsibility } from "~/models/catalogue.server";
import { updateIfUnchanged } from "~/models/concurrency.server";
import { COMMAND_LINE } from "~/models/audit.server";
import { saveRow } from "~/models/row-save.server";
import { approveVersion, startDraft, type VersionRecord } from "~/models/scheme.server";
import { createBody } from "~/models/structure.server";
import { createTrust } from "~/models/trust.server";
import { saveVariant } from "~/models/variant-save.server";
import { engine, freshDatabase } from "../support/database";

let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await freshDatabase();
});
afterAll(() => handle.close());

describe("optimistic concurrency", () => {
  it("accepts a write that names the version it read, and refuses the second writer of the same version", async () => {
    const { db } = handle;
    const trust = await createTrust(db, COMMAND_LINE, { name: "Concurrent Trust", slug: "concurrent" });
    const first = await updateIfUnchanged(db, trusts, { id: trust.id, version: trust.version }, { name: "First writer" }, "the trust");
    expect(first).toBe(trust.version + 1);
    await expect(
      updateIfUnchanged(db, trusts, { id: trust.id, version: trust.version }, { name: "Second writer" }, "the trust"),
    ).rejects.toBeInstanceOf(StaleWriteError);
    const [row] = await db.select().from(trusts).where(eq(trusts.id, trust.id));
    expect(row!.name).toBe("First writer");
    expect(row!.version).toBe(first);
  });

  it("says not found, not stale, when the row is gone", async () => {
    await expect(
      updateIfUnchanged(handle.db, trusts, { id: "00000000-0000-4000-8000-000000000000", version: 1 }, { name: "x" }, "the trust"),
    ).rejects.toBeInstanceOf(NotFoundError);
  });

  it("lets exactly one of many simultaneous writers win", async () => {
    const { db } = handle;
    const trust = await createTrust(db, COMMAND_LINE, { name: "Race Trust", slug: "race" });
    const attempts = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) =>
        db.transaction((tx) => updateIfUnchanged(tx, trusts, { id: trust.id, version: trust.version }, { name: `Writer ${i}` }, "the trust")),
      ),
    );
    expect(attempts.filter((a) => a.status === "fulfilled")).toHaveLength(1);
    for (const a of attempts.filter((a) => a.status === "rejected")) {
      expect((a as PromiseRejectedResult).reason).toBeInstanceOf(StaleWriteError);
    }
  });
});

/**
 * A row of the catalogue first saved into the draft (its save creates the draft's row and its cells)
 * while the draft is being approved. The database makes the save wait for the approval's commit when
 * the approval has changed the version first, and then refuses it; when the save came first, the
 * approval waits for it, and the approved version holds it. Never the save landing, unseen, in a
 * version already approved.
 */
describe("a row first saved into a draft while the draft is being approved", () => {
  const editor = { userId: null, name: "editor in the race" };

  async function draftWithNewRows(slug: string) {
    const { db } = handle;
    const trust = await createTrust(db, COMMAND_LINE, { name: `Trust ${slug}`, slug });
    const board = await createBody(db, COMMAND_LINE, { trustId: trust.id, name: "Board of trustees", kind: "board" });
    const ceo = await createBody(db, COMMAND_LINE, { trustId: trust.id, name: "Chief executive officer", kind: "executive" });
    const draft = await startDraft(db, COMMAND_LINE, { trustId: trust.id, from: "empty" });
    const [existing] = await db.select().from(schemeRows).where(eq(schemeRows.versionId, draft.id)).limit(1);
    // Rows added to the catalogue as the draft was being started: the draft has no row for them yet.
    const added = [];
    for (const title of ["Agree the trust's travel policy", "Agree the trust's lettings policy"]) {
      const row = await addResponsibility(db, COMMAND_LINE, { trustId: trust.id, area: 12, title });
      await db.delete(schemeRows).where(and(eq(schemeRows.versionId, draft.id), eq(schemeRows.responsibilityId, row.id)));
      added.push(row.id);
    }
    return { trust, board: board.id, column: ceo.id, draft, existingRow: existing!.responsibilityId, newRow: added[0]!, newVariantRow: added[1]! };
  }

  type Race = Awaited<ReturnType<typeof draftWithNewRows>>;

  const approval = (race: Race) =>
    approveVersion(handle.db, COMMAND_LINE, {
      trustId: race.trust.id,
      versionId: race.draft.id,
      expectedVersion: race.draft.version,
      approvedByBodyId: race.board,
      approvedOn: "2026-07-10",
      minuteRef: "TB/26/07/1",
      reviewDueOn: "2027-07-10",
    });

  const saveNewRow = (race: Race) =>
    saveRow(handle.db, editor, { trustId: race.trust.id, versionId: race.draft.id, rowId: race.newRow, codes: { [race.column]: "M" }, expectedRevision: 0 });

  const saveNewVariant = (race: Race) =>
    saveVariant(handle.db, editor, {
      trustId: race.trust.id,
      versionId: race.draft.id,
      rowId: race.newVariantRow,
      scope: { tier: "T3" },
      codes: { [race.column]: "C" },
      expectedRevision: 0,
    });

  const saveExistingRow = (race: Race) =>
    saveRow(handle.db, editor, { trustId: race.trust.id, versionId: race.draft.id, rowId: race.existingRow, codes: { [race.column]: "I" }, expectedRevision: 1 });

  /** What the version holds of the rows saved in the race: its rows, cells, tier variants and their history. */
  async function landed(race: Race) {
    const { db } = handle;
    const rows = [race.newRow, race.newVariantRow, race.existingRow];
    const held = async (table: typeof schemeRows | typeof cells | typeof tierCells, rowId: string) =>
      (await db.select({ n: count() }).from(table).where(and(eq(table.versionId, race.draft.id), eq(table.responsibilityId, rowId))))[0]!.n;
    const history = (await db.select({ n: count() }).from(auditLog).where(and(eq(auditLog.versionId, race.draft.id), eq(auditLog.actor, editor.name))))[0]!.n;
    return {
      newRow: { row: await held(schemeRows, rows[0]!), cells: await held(cells, rows[0]!) },
      newVariantRow: { row: await held(schemeRows, rows[1]!), variants: await held(tierCells, rows[1]!) },
      existingRow: { cells: await held(cells, rows[2]!) },
      history,
    };
  }

  async function status(race: Race): Promise<VersionRecord> {
    const [version] = await handle.db.select().from(schemeVersions).where(eq(schemeVersions.id, race.draft.id));
    return version!;
  }

  function expectApprovedRefusal(result: PromiseSettledResult<unknown>) {
    expect(result.status).toBe("rejected");
    const reason = (result as PromiseRejectedResult).reason;
    expect(reason).toBeInstanceOf(RuleError);
    expect(String(reason.message)).toBe("Version 1 is approved and cannot be changed. Start a new draft to make changes.");
  }

  if (engine() === "postgres") {
    /** A connection of the test's own: holds the trust's row, and watches who waits for a lock. */
    let own: postgres.Sql;
    beforeAll(() => {
      if (handle.config.kind !== "postgres") throw new Error("expected PostgreSQL");
      own = postgres(handle.config.url, { max: 3, onnotice: () => {} });
    });
    afterAll(() => own?.end({ timeout: 5 }));

    /**
     * Holds the trust's row until released. Every transaction that changes the trust's matrix takes that
     * row last, at its commit (the matrix stamp, migration 0003), so holding it stops a transaction after
     * all its statements and before its COMMIT: exactly the instant of the race.
     */
    async function holdTrust(trustId: string): Promise<{ release: () => Promise<void> }> {
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      let locked!: () => void;
      const holding = new Promise<void>((resolve) => (locked = resolve));
      const done = own.begin(async (tx) => {
        await tx`select 1 from trusts where id = ${trustId} for update`;
        locked();
        await released;
      });
      await holding;
      return {
        release: async () => {
          release();
          await done;
        },
      };
    }

    /** Waits until this many of the database's sessions wait for a lock (never guessing with a sleep). */
    async function waiters(n: number): Promise<void> {
      for (let tries = 0; tries < 500; tries++) {
        const [row] = await own<{ n: number }[]>`
          select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`;
        if (row!.n === n) return;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      throw new Error(`expected ${n} sessions to be waiting for a lock`);
    }

    /** Whether someone holds the version against a share lock now (the approval's UPDATE, not yet committed). */
    async function versionHeld(versionId: string): Promise<boolean> {
      try {
        await own.begin((tx) => tx`select 1 from scheme_versions where id = ${versionId} for share nowait`);
        return false;
      } catch (error) {
        if ((error as { code?: string }).code === "55P03") return true;
        throw error;
      }
    }

    it("refuses, with the version's message, a save made after the approval's UPDATE and before its COMMIT", async () => {
      const race = await draftWithNewRows("race-after-update");
      const trust = await holdTrust(race.trust.id);
      const approving = approval(race);
      // The approval has run every statement, its UPDATE of the version included, and waits to commit.
      await waiters(1);
      expect(await versionHeld(race.draft.id)).toBe(true);
      const saves = [saveNewRow(race), saveNewVariant(race), saveExistingRow(race)].map((p) => p.then(
        (value) => ({ status: "fulfilled", value }) as const,
        (reason: unknown) => ({ status: "rejected", reason }) as const,
      ));
      // Each save waits: the new rows' for the version, the existing row's for its row.
      await waiters(4);
      await trust.release();
      await expect(approving).resolves.toMatchObject({ status: "approved" });
      for (const result of await Promise.all(saves)) expectApprovedRefusal(result);
      expect(await landed(race)).toEqual({ newRow: { row: 0, cells: 0 }, newVariantRow: { row: 0, variants: 0 }, existingRow: { cells: 0 }, history: 0 });
      expect((await status(race)).status).toBe("approved");
    });

    it("lands a save made before the approval's UPDATE in the version approved, the approval waiting for it", async () => {
      const race = await draftWithNewRows("race-before-update");
      const trust = await holdTrust(race.trust.id);
      const saving = saveNewRow(race);
      // The save has written the draft's row and its cell and waits to commit, holding the version as a draft.
      await waiters(1);
      const approving = approval(race);
      await waiters(2);
      expect((await status(race)).status).toBe("draft");
      await trust.release();
      await expect(saving).resolves.toMatchObject({ revision: 1, changed: 1 });
      const approved = await approving;
      expect(approved.status).toBe("approved");
      expect((approved.snapshot as SchemeSnapshot).rows.some((r) => r.id === race.newRow)).toBe(true);
      expect(await landed(race)).toMatchObject({ newRow: { row: 1, cells: 1 }, history: 1 });
    });

    it("adds a row to the catalogue while the draft is being approved, leaving it for the next draft", async () => {
      const race = await draftWithNewRows("race-catalogue");
      const trust = await holdTrust(race.trust.id);
      const approving = approval(race);
      await waiters(1);
      const adding = addResponsibility(handle.db, editor, { trustId: race.trust.id, area: 12, title: "Agree the trust's parking policy" });
      // The addition waits to see whether the draft is still one.
      await waiters(2);
      await trust.release();
      const approved = await approving;
      const row = await adding;
      expect(row.retiredAt).toBeNull();
      expect((approved.snapshot as SchemeSnapshot).rows.some((r) => r.id === row.id)).toBe(false);
      const [held] = await handle.db
        .select({ n: count() })
        .from(schemeRows)
        .where(and(eq(schemeRows.versionId, race.draft.id), eq(schemeRows.responsibilityId, row.id)));
      expect(held!.n).toBe(0);
      const next = await startDraft(handle.db, COMMAND_LINE, { trustId: race.trust.id, from: "latest-approved" });
      const [inNext] = await handle.db
        .select({ n: count() })
        .from(schemeRows)
        .where(and(eq(schemeRows.versionId, next.id), eq(schemeRows.responsibilityId, row.id)));
      expect(inNext!.n).toBe(1);
    });

    it("refuses a cell written straight through SQL after the approval's UPDATE, without any claim on its row", async () => {
      const race = await draftWithNewRows("race-sql");
      const trust = await holdTrust(race.trust.id);
      const approving = approval(race);
      await waiters(1);
      const writing = handle.db
        .execute(
          sql`insert into cells (trust_id, version_id, responsibility_id, body_id, code)
              values (${race.trust.id}, ${race.draft.id}, ${race.existingRow}, ${race.column}, 'A')`,
        )
        .then(
          () => null,
          (error: unknown) => error,
        );
      await waiters(2);
      await trust.release();
      await approving;
      const refused = (await writing) as { cause?: { constraint_name?: string } } | null;
      expect(refused?.cause?.constraint_name).toBe("scheme_versions_settled");
      expect(await landed(race)).toMatchObject({ existingRow: { cells: 0 } });
    });

    it("retires a row of the catalogue while the draft is being approved, leaving the approved version as it was", async () => {
      const race = await draftWithNewRows("race-retire");
      const [row] = await handle.db.select().from(responsibilities).where(eq(responsibilities.id, race.existingRow));
      const trust = await holdTrust(race.trust.id);
      const approving = approval(race);
      await waiters(1);
      const retiring = retireResponsibility(handle.db, editor, {
        trustId: race.trust.id,
        id: row!.id,
        expectedVersion: row!.version,
        expectedCleared: 0,
        reason: "No longer the trust's decision",
      });
      // The retirement waits for the draft's row, which the approval holds.
      await waiters(2);
      await trust.release();
      await approving;
      const impact = await retiring;
      expect(impact.draft).toBeNull();
      const [held] = await handle.db
        .select({ n: count() })
        .from(schemeRows)
        .where(and(eq(schemeRows.versionId, race.draft.id), eq(schemeRows.responsibilityId, row!.id)));
      expect(held!.n).toBe(1);
      const [retired] = await handle.db.select().from(responsibilities).where(eq(responsibilities.id, row!.id));
      expect(retired!.retiredAt).not.toBeNull();
    });
  } else {
    // The embedded database runs one transaction, or one statement, at a time: a save and an approval
    // never overlap, and the outcome is the one of their order.
    it("refuses a save that comes after the approval, with the version's message", async () => {
      const race = await draftWithNewRows("serial-after");
      await expect(approval(race)).resolves.toMatchObject({ status: "approved" });
      const results = await Promise.allSettled([saveNewRow(race), saveNewVariant(race), saveExistingRow(race)]);
      for (const result of results) expectApprovedRefusal(result);
      expect(await landed(race)).toEqual({ newRow: { row: 0, cells: 0 }, newVariantRow: { row: 0, variants: 0 }, existingRow: { cells: 0 }, history: 0 });
    });

    it("lands a save that comes before the approval in the version approved", async () => {
      const race = await draftWithNewRows("serial-before");
      await expect(saveNewRow(race)).resolves.toMatchObject({ revision: 1, changed: 1 });
      const approved = await approval(race);
      expect(approved.status).toBe("approved");
      expect((approved.snapshot as SchemeSnapshot).rows.some((r) => r.id === race.newRow)).toBe(true);
      expect(await landed(race)).toMatchObject({ newRow: { row: 1, cells: 1 }, history: 1 });
    });
  }
});
