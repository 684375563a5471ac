import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db/client";
import { trusts } from "../../db/schema";
import { StaleWriteError, NotFoundError } from "~/domain/errors";
import { updateIfUnchanged } from "~/models/concurrency.server";
import { COMMAND_LINE } from "~/models/audit.server";
import { createTrust } from "~/models/trust.server";
import { freshDatabase } from "../support/database";

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
