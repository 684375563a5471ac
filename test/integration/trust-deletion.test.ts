import { count, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db/client";
import { cells, schemeVersions, trusts, users } from "../../db/schema";
import { seedDemoTrust, type DemoTrust } from "../../db/seed";
import { COMMAND_LINE } from "~/models/audit.server";
import { approveVersion } from "~/models/scheme.server";
import { deleteTrust } from "~/models/trust.server";
import { createUser } from "~/models/user.server";
import { freshDatabase } from "../support/database";

let handle: DatabaseHandle;
let demo: DemoTrust;
beforeAll(async () => {
  handle = await freshDatabase();
  demo = await seedDemoTrust(handle.db, COMMAND_LINE);
});
afterAll(() => handle.close());

describe("deleting a whole trust", () => {
  it("is refused version by version, but removes a trust with approved versions and cells in one go", async () => {
    await expect(handle.db.execute(sql`delete from scheme_versions where id = ${demo.approvedVersionId}`)).rejects.toThrow();
    await deleteTrust(handle.db, COMMAND_LINE, demo.trust.id);
    expect((await handle.db.select({ n: count() }).from(trusts).where(eq(trusts.id, demo.trust.id)))[0]!.n).toBe(0);
    expect((await handle.db.select({ n: count() }).from(schemeVersions))[0]!.n).toBe(0);
    expect((await handle.db.select({ n: count() }).from(cells))[0]!.n).toBe(0);
  });

  it("lets the account of someone who started an approved version be removed", async () => {
    const again = await seedDemoTrust(handle.db, COMMAND_LINE);
    const author = await createUser(handle.db, COMMAND_LINE, { email: "author@example.org", name: "An Author", password: "a long enough password" });
    await handle.db.update(schemeVersions).set({ createdBy: author.id }).where(eq(schemeVersions.id, again.draftVersionId));
    const [draft] = await handle.db.select().from(schemeVersions).where(eq(schemeVersions.id, again.draftVersionId));
    await approveVersion(handle.db, COMMAND_LINE, {
      trustId: again.trust.id,
      versionId: draft!.id,
      expectedVersion: draft!.version,
      approvedByBodyId: again.bodies["Board of trustees"]!.id,
      approvedOn: "2026-11-01",
      minuteRef: null,
      reviewDueOn: "2027-11-01",
    });
    await handle.db.delete(users).where(eq(users.id, author.id));
    const [after] = await handle.db.select().from(schemeVersions).where(eq(schemeVersions.id, draft!.id));
    expect(after!.status).toBe("approved");
    expect(after!.createdBy).toBeNull();
  });
});
