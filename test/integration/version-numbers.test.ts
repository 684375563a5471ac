/**
 * Version numbers count up per trust and are never given twice (ADR 011): after draft 3 is discarded
 * the next draft is 4; of several drafts started at once exactly one is started, with the next number;
 * a version inserted any other way moves the count on at commit; a restored trust goes on numbering
 * after the highest number it had given, from a backup of either format; the migration counted the
 * numbers given before it from the versions and the history.
 */
import fs from "node:fs";
import path from "node:path";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrationsFolder, type DatabaseHandle } from "../../db/client";
import { schemeVersions, trusts } from "../../db/schema";
import { RuleError } from "~/domain/errors";
import { COMMAND_LINE } from "~/models/audit.server";
import { exportTrust, InvalidBackupError, restoreTrust } from "~/models/backup.server";
import { approveVersion, discardDraft, listVersions, startDraft, type VersionRecord } from "~/models/scheme.server";
import { createBody } from "~/models/structure.server";
import { createTrust, type Trust } from "~/models/trust.server";
import { freshDatabase } from "../support/database";

let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await freshDatabase();
});
afterAll(() => handle?.close());

async function trustWithBoard(slug: string): Promise<{ trust: Trust; board: string }> {
  const trust = await createTrust(handle.db, COMMAND_LINE, { name: `Trust ${slug}`, slug });
  const board = await createBody(handle.db, COMMAND_LINE, { trustId: trust.id, name: "Board of trustees", kind: "board" });
  return { trust, board: board.id };
}

async function lastNumber(trustId: string): Promise<number> {
  const [row] = await handle.db.select({ n: trusts.lastVersionNumber }).from(trusts).where(eq(trusts.id, trustId));
  return row!.n;
}

const approve = (trustId: string, draft: VersionRecord, board: string) =>
  approveVersion(handle.db, COMMAND_LINE, {
    trustId,
    versionId: draft.id,
    expectedVersion: draft.version,
    approvedByBodyId: board,
    approvedOn: "2026-07-10",
    minuteRef: null,
    reviewDueOn: "2027-07-10",
  });

const discard = (trustId: string, draft: VersionRecord) =>
  discardDraft(handle.db, COMMAND_LINE, { trustId, versionId: draft.id, expectedVersion: draft.version });

describe("numbering a trust's versions", () => {
  it("gives the next draft the next number after a discarded one, never the discarded number again", async () => {
    const { trust, board } = await trustWithBoard("counting");
    expect(await lastNumber(trust.id)).toBe(0);
    const first = await startDraft(handle.db, COMMAND_LINE, { trustId: trust.id, from: "empty" });
    expect(first.number).toBe(1);
    await approve(trust.id, first, board);
    const second = await startDraft(handle.db, COMMAND_LINE, { trustId: trust.id, from: "latest-approved" });
    expect(second.number).toBe(2);
    await approve(trust.id, second, board);
    const third = await startDraft(handle.db, COMMAND_LINE, { trustId: trust.id, from: "latest-approved" });
    expect(third.number).toBe(3);
    await discard(trust.id, third);
    expect(await lastNumber(trust.id)).toBe(3);

    const fourth = await startDraft(handle.db, COMMAND_LINE, { trustId: trust.id, from: "latest-approved" });
    expect(fourth.number).toBe(4);
    await discard(trust.id, fourth);
    const fifth = await startDraft(handle.db, COMMAND_LINE, { trustId: trust.id, from: "empty" });
    expect(fifth.number).toBe(5);
    expect((await listVersions(handle.db, trust.id)).map((v) => [v.number, v.status])).toEqual([
      [5, "draft"],
      [2, "approved"],
      [1, "superseded"],
    ]);
    expect(await lastNumber(trust.id)).toBe(5);
  });

  it("counts each trust on its own", async () => {
    const { trust } = await trustWithBoard("counting-apart");
    const draft = await startDraft(handle.db, COMMAND_LINE, { trustId: trust.id, from: "empty" });
    expect(draft.number).toBe(1);
  });

  it("starts exactly one of several drafts started at once, with the next number; the others are told there is a draft", async () => {
    const { trust, board } = await trustWithBoard("racing-starts");
    const first = await startDraft(handle.db, COMMAND_LINE, { trustId: trust.id, from: "empty" });
    await approve(trust.id, first, board);
    const thrown = await startDraft(handle.db, COMMAND_LINE, { trustId: trust.id, from: "latest-approved" });
    await discard(trust.id, thrown);

    const attempts = await Promise.allSettled(
      Array.from({ length: 6 }, () => startDraft(handle.db, COMMAND_LINE, { trustId: trust.id, from: "latest-approved" })),
    );
    const started = attempts.filter((a) => a.status === "fulfilled").map((a) => (a as PromiseFulfilledResult<VersionRecord>).value);
    expect(started).toHaveLength(1);
    expect(started[0]!.number).toBe(3);
    for (const refused of attempts.filter((a) => a.status === "rejected")) {
      const reason = (refused as PromiseRejectedResult).reason;
      expect(reason).toBeInstanceOf(RuleError);
      expect(String(reason.message)).toMatch(/already has a draft/);
    }
    const drafts = (await listVersions(handle.db, trust.id)).filter((v) => v.status === "draft");
    expect(drafts.map((d) => d.number)).toEqual([3]);
    expect(await lastNumber(trust.id)).toBe(3);
  });

  it("starts nothing when its number was given meanwhile by someone else (to a draft since discarded)", async () => {
    const { trust } = await trustWithBoard("given-meanwhile");
    // As if another start had given number 1, committed, and the draft had been discarded, all while
    // this start was between reading the count and inserting its draft: the count is on 1 by the end.
    await handle.db.execute(sql`
      create function give_meanwhile() returns trigger as $$
      begin
        update trusts set last_version_number = new.number where id = new.trust_id;
        return new;
      end;
      $$ language plpgsql`);
    await handle.db.execute(sql`create trigger given_meanwhile after insert on scheme_versions for each row execute function give_meanwhile()`);
    try {
      const attempt = startDraft(handle.db, COMMAND_LINE, { trustId: trust.id, from: "empty" });
      await expect(attempt).rejects.toBeInstanceOf(RuleError);
      await expect(attempt).rejects.toThrow(/Someone else started a draft at the same moment/);
    } finally {
      await handle.db.execute(sql`drop trigger given_meanwhile on scheme_versions`);
      await handle.db.execute(sql`drop function give_meanwhile()`);
    }
    expect(await listVersions(handle.db, trust.id)).toEqual([]);
    expect(await lastNumber(trust.id)).toBe(0);
    expect((await startDraft(handle.db, COMMAND_LINE, { trustId: trust.id, from: "empty" })).number).toBe(1);
  });

  it("moves the count on at commit for a version inserted any other way, and only ever upwards", async () => {
    const { trust } = await trustWithBoard("inserted");
    await handle.db.transaction(async (tx) => {
      await tx.insert(schemeVersions).values({ trustId: trust.id, number: 7, status: "draft" });
      // Not yet: the trust's row is the last thing a transaction locks, at commit.
      const [inside] = await tx.select({ n: trusts.lastVersionNumber }).from(trusts).where(eq(trusts.id, trust.id));
      expect(inside!.n).toBe(0);
    });
    expect(await lastNumber(trust.id)).toBe(7);
    const [seventh] = await handle.db.select().from(schemeVersions).where(eq(schemeVersions.trustId, trust.id));
    await discard(trust.id, seventh!);
    await handle.db.insert(schemeVersions).values({ trustId: trust.id, number: 2, status: "draft" });
    expect(await lastNumber(trust.id)).toBe(7);
    const [second] = await handle.db.select().from(schemeVersions).where(eq(schemeVersions.trustId, trust.id));
    await discard(trust.id, second!);
    expect((await startDraft(handle.db, COMMAND_LINE, { trustId: trust.id, from: "empty" })).number).toBe(8);
  });

  it("refuses a negative count", async () => {
    const { trust } = await trustWithBoard("negative");
    await expect(handle.db.update(trusts).set({ lastVersionNumber: -1 }).where(eq(trusts.id, trust.id))).rejects.toThrow();
  });
});

describe("restoring a trust", () => {
  /** A trust whose highest number (3) went with a discarded draft: approved 1, superseded... approved 2, discarded 3. */
  async function trustThatDiscarded(slug: string): Promise<Trust> {
    const { trust, board } = await trustWithBoard(slug);
    const first = await startDraft(handle.db, COMMAND_LINE, { trustId: trust.id, from: "empty" });
    await approve(trust.id, first, board);
    const second = await startDraft(handle.db, COMMAND_LINE, { trustId: trust.id, from: "latest-approved" });
    await approve(trust.id, second, board);
    await discard(trust.id, await startDraft(handle.db, COMMAND_LINE, { trustId: trust.id, from: "latest-approved" }));
    return trust;
  }

  const throughJson = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

  it("carries the count in the backup, and goes on numbering after it once restored", async () => {
    const trust = await trustThatDiscarded("restored-count");
    const backup = await exportTrust(handle.db, trust.id);
    expect(backup.formatVersion).toBe(2);
    expect(backup.trust.lastVersionNumber).toBe(3);
    expect(backup.schemeVersions.map((v) => v.number)).toEqual([1, 2]);

    await restoreTrust(handle.db, throughJson(backup), { replace: true });
    expect(await lastNumber(trust.id)).toBe(3);
    expect((await startDraft(handle.db, COMMAND_LINE, { trustId: trust.id, from: "latest-approved" })).number).toBe(4);
  });

  it("restores a backup of format 1, counting the numbers its versions and its history show were given", async () => {
    const trust = await trustThatDiscarded("restored-format-1");
    const backup = throughJson(await exportTrust(handle.db, trust.id)) as unknown as Record<string, unknown> & { trust: Record<string, unknown> };
    backup.formatVersion = 1;
    delete backup.trust.lastVersionNumber;

    await restoreTrust(handle.db, backup, { replace: true });
    expect(await lastNumber(trust.id)).toBe(3);
    expect((await startDraft(handle.db, COMMAND_LINE, { trustId: trust.id, from: "latest-approved" })).number).toBe(4);
    // Backed up again, it is a backup of the current format.
    expect((await exportTrust(handle.db, trust.id)).formatVersion).toBe(2);
  });

  it("refuses a count below the versions the backup holds, and a format 1 backup that has one", async () => {
    const trust = await trustThatDiscarded("restored-refused");
    const backup = throughJson(await exportTrust(handle.db, trust.id));
    const low = { ...backup, trust: { ...backup.trust, lastVersionNumber: 1 } };
    const error = await restoreTrust(handle.db, low, { replace: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidBackupError);
    expect((error as InvalidBackupError).problems).toContain(
      "trust.lastVersionNumber: is 1, below version 2 in the file (it is the highest number the trust has given)",
    );
    const old = { ...backup, formatVersion: 1 };
    const unknownField = await restoreTrust(handle.db, old, { replace: true }).catch((e: unknown) => e);
    expect(unknownField).toBeInstanceOf(InvalidBackupError);
    expect((unknownField as InvalidBackupError).problems).toContain('trust: unknown field "lastVersionNumber"');
    expect(await lastNumber(trust.id)).toBe(3);
  });
});

describe("the migration that began the count", () => {
  it("counted the highest number each trust had given: its versions', and its discarded drafts' from the history", async () => {
    const discarded = await trustThatDiscardedTwice("backfilled");
    const untouched = await trustWithBoard("backfilled-empty");
    const migration = fs.readFileSync(path.join(migrationsFolder(), "0006_version_numbers_and_approval_locks.sql"), "utf8");
    const backfill = migration
      .split("--> statement-breakpoint")
      .map((statement) => statement.replace(/^\s*--.*$/gm, "").trim())
      .find((statement) => statement.startsWith('UPDATE "trusts"'));
    expect(backfill).toBeDefined();
    await handle.db.update(trusts).set({ lastVersionNumber: 0 });
    await handle.db.execute(sql.raw(backfill!));
    expect(await lastNumber(discarded.id)).toBe(4);
    expect(await lastNumber(untouched.trust.id)).toBe(0);
  });

  /** Version 1 approved, then drafts 2, 3 and 4 each discarded: 4 is in the history only. */
  async function trustThatDiscardedTwice(slug: string): Promise<Trust> {
    const { trust, board } = await trustWithBoard(slug);
    await approve(trust.id, await startDraft(handle.db, COMMAND_LINE, { trustId: trust.id, from: "empty" }), board);
    for (let i = 0; i < 3; i++) await discard(trust.id, await startDraft(handle.db, COMMAND_LINE, { trustId: trust.id, from: "latest-approved" }));
    return trust;
  }
});
