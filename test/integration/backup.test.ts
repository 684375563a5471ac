import { count, eq, sql } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database, DatabaseHandle } from "../../db/client";
import * as schema from "../../db/schema";
import { NotFoundError } from "~/domain/errors";
// As in the server, where the forms' own words are set: a backup's problems keep the validator's terms.
import "~/form-errors";
import { COMMAND_LINE, recordAudit } from "~/models/audit.server";
import { exportTrust, InvalidBackupError, restoreTrust, type TrustBackup } from "~/models/backup.server";
import { addMember } from "~/models/membership.server";
import { createTrust } from "~/models/trust.server";
import { createUser, verifyCredentials } from "~/models/user.server";
import { freshDatabase } from "../support/database";

const {
  auditLog,
  autonomyTiers,
  cells,
  findingAcknowledgements,
  governanceBodies,
  memberships,
  performanceRecords,
  publications,
  responsibilities,
  schemeRows,
  schemeVersions,
  schoolCells,
  schoolReviews,
  schools,
  strategyProfiles,
  tierCells,
  tierDecisions,
  trusts,
  users,
} = schema;

/** Text that breaks careless escaping and encoding: markup characters, quotes, emoji and Welsh letters. */
const AWKWARD = `Ysgol Gŵyr & Dyffryn <Tŷ> "quoted" 'single' 🏫✨ ŵ ŷ Ŵ Ŷ`;
const CLERK = { email: "clerc@example.org", name: "Siân Ŵyn-Jones", password: "correct horse battery" };
const TRUSTEE = { email: "trustee@example.org", name: "Rhys ap Ŷr", password: "another long passphrase" };

const id = () => crypto.randomUUID();

/** A trust with at least one row in every table a backup holds, inserted directly where no model exists yet. */
async function buildTrust(db: Database): Promise<string> {
  const clerk = await createUser(db, COMMAND_LINE, CLERK);
  const trustee = await createUser(db, COMMAND_LINE, TRUSTEE);
  const trust = await createTrust(db, COMMAND_LINE, { name: `Ymddiriedolaeth ${AWKWARD}`, slug: "dyffryn", companyNumber: "01234567" });
  await addMember(db, COMMAND_LINE, { trustId: trust.id, userId: clerk.id, role: "clerk" });
  await addMember(db, COMMAND_LINE, { trustId: trust.id, userId: trustee.id, role: "trustee" });
  const trustId = trust.id;
  await db
    .update(trusts)
    .set({
      settings: { thresholds: { schools: 15, distanceKm: 50.5 }, labels: [AWKWARD, null, true] },
      decisionKey: { marks: { X: "D", "Y/A": "R" } },
      websiteUrl: "https://example.org/?a=1&b=<2>",
    })
    .where(eq(trusts.id, trustId));

  const board = id();
  const committee = id();
  const cluster = id();
  const localColumn = id();
  const localBoard = id();
  const retired = id();
  await db.insert(governanceBodies).values([
    { id: board, trustId, kind: "board", name: "Trust board", position: 1, chairName: AWKWARD },
    { id: committee, trustId, kind: "committee", name: "Audit & risk", shortName: "A&R", parentId: board, position: 2 },
    { id: cluster, trustId, kind: "cluster", name: "Gogledd cluster", parentId: board, position: 3 },
    { id: localColumn, trustId, kind: "local", name: "Local governing bodies", position: 4, remit: AWKWARD },
    {
      id: localBoard,
      trustId,
      kind: "local",
      name: "Ysgol Gŵyr advisory board",
      mode: "advisory",
      purpose: "transition",
      parentId: cluster,
      columnId: localColumn,
      position: 5,
    },
    {
      id: retired,
      trustId,
      kind: "committee",
      name: "Old committee",
      position: 6,
      retiredAt: sql`'2024-05-06 07:08:09.123456+00'::timestamptz`,
    },
  ]);

  const school = id();
  const otherSchool = id();
  await db.insert(schools).values([
    {
      id: school,
      trustId,
      urn: 123456,
      name: AWKWARD,
      phase: "primary",
      easting: 530000,
      northing: 180000,
      postcode: "SA1 1AA",
      localAuthority: "Abertawe",
      clusterBodyId: cluster,
      localBodyId: localBoard,
      joinedOn: "2019-09-01",
      headteacherName: "Dr Ŵ Ŷ",
    },
    { id: otherSchool, trustId, urn: 654321, name: "Second school", phase: "secondary" },
  ]);
  await db.insert(performanceRecords).values([
    {
      trustId,
      schoolId: school,
      asOf: "2024-07-31",
      inspectionFramework: "legacy",
      legacyGrade: 2,
      inYearBalance: "-12345.60",
      reserves: "999999999999.99",
      deficit: true,
      safeguardingAudit: "amber",
      trend: "improving",
      note: AWKWARD,
    },
    {
      trustId,
      schoolId: otherSchool,
      asOf: "2025-12-01",
      inspectionFramework: "report-card",
      reportCard: { inclusion: "strong", achievement: "needs-attention" },
      safeguardingMet: true,
      source: "csv",
    },
  ]);

  const ownRow = id();
  await db.insert(responsibilities).values({
    id: ownRow,
    trustId,
    area: 9,
    section: "A. Gweledigaeth & ethos",
    ref: "Z.1",
    title: `Approve the ${AWKWARD} policy`,
    guidance: "Line one\nLine two with “curly quotes”",
    decisionKinds: ["board", "committee"],
    excludedKinds: ["external"],
    tags: ["strand-of-consistency", AWKWARD],
    position: 99,
  });
  const [catalogueRow] = await db
    .select({ id: responsibilities.id })
    .from(responsibilities)
    .where(eq(responsibilities.trustId, trustId))
    .limit(1);
  const rows = [ownRow, catalogueRow!.id];

  const superseded = id();
  const approved = id();
  const draft = id();
  const snapshot = { bodies: [{ id: board, name: "Trust board" }], note: AWKWARD, amounts: [1.5, 2, -3] };
  // One draft at a time: each version is settled before the next one is started.
  for (const [versionId, number, basedOnId, statuses] of [
    [superseded, 1, null, ["approved", "superseded"]],
    [approved, 2, superseded, ["approved"]],
    [draft, 3, approved, []],
  ] as const) {
    await db.insert(schemeVersions).values({
      id: versionId,
      trustId,
      number,
      basedOnId,
      approvedByBodyId: versionId === draft ? null : board,
      approvedOn: versionId === draft ? null : `2024-0${number}-15`,
      minuteRef: versionId === draft ? null : `Minute ${number}/24 & "b"`,
      reviewDueOn: "2026-03-31",
      breakPointReason: versionId === draft ? `Grew past 15 schools ${AWKWARD}` : null,
      snapshot: versionId === draft ? null : snapshot,
      createdBy: clerk.id,
    });
    await db.insert(schemeRows).values(rows.map((responsibilityId) => ({ trustId, versionId, responsibilityId, revision: number })));
    await db.insert(cells).values([
      { trustId, versionId, responsibilityId: ownRow, bodyId: board, code: "D", note: AWKWARD },
      { trustId, versionId, responsibilityId: ownRow, bodyId: committee, code: "R" },
      { trustId, versionId, responsibilityId: rows[1]!, bodyId: localColumn, code: "—" },
    ]);
    await db.insert(tierCells).values([
      { trustId, versionId, tier: "T1", responsibilityId: ownRow, bodyId: localColumn, code: "D", note: "earned" },
      { trustId, versionId, tier: "T4", responsibilityId: ownRow, bodyId: localColumn, code: null },
    ]);
    await db.insert(schoolCells).values({ trustId, versionId, schoolId: school, responsibilityId: ownRow, bodyId: localBoard, code: "C", note: AWKWARD });
    for (const status of statuses) await db.update(schemeVersions).set({ status }).where(eq(schemeVersions.id, versionId));
  }

  await db.insert(findingAcknowledgements).values({
    trustId,
    versionId: approved,
    findingKey: `CO-05:${ownRow}`,
    ruleId: "CO-05",
    reason: `We accept this: ${AWKWARD}`,
    acknowledgedBy: clerk.id,
  });
  await db
    .update(strategyProfiles)
    .set({ ratings: [7, null, 10, 1, null, 5, 5, 5, 5, 9] as unknown as number[], alignment: { "3": "central-definition", "9": "school-autonomy" }, improvementModel: "hub", vision: AWKWARD })
    .where(eq(strategyProfiles.trustId, trustId));
  await db
    .update(autonomyTiers)
    .set({ criteria: { maxLegacyGrade: 2, safeguarding: ["green"] }, description: AWKWARD })
    .where(eq(autonomyTiers.trustId, trustId));
  await db.insert(tierDecisions).values({
    trustId,
    schoolId: school,
    tier: "T1",
    decidedByBodyId: committee,
    decidedOn: "2025-01-10",
    effectiveFrom: "2025-02-01",
    evidence: AWKWARD,
    nextReviewOn: "2026-01-10",
    recordedBy: clerk.id,
  });
  await db.insert(schoolReviews).values({ trustId, schoolId: school, reviewedOn: "2025-03-03", travel: "steady", summary: AWKWARD, recordedBy: trustee.id });
  await db.insert(publications).values({ trustId, versionId: approved, publishedBy: clerk.id });
  await db.transaction((tx) =>
    recordAudit(tx, { userId: trustee.id, name: TRUSTEE.name }, {
      trustId,
      action: "update",
      entity: "cell",
      versionId: draft,
      responsibilityId: ownRow,
      summary: AWKWARD,
      before: { code: null },
      after: { code: "D", note: AWKWARD, list: [1, "two", { three: 3 }] },
    }),
  );
  return trustId;
}

const TABLES: Record<string, PgTable> = {
  trusts,
  users,
  memberships,
  governanceBodies,
  schools,
  performanceRecords,
  responsibilities,
  schemeVersions,
  schemeRows,
  cells,
  tierCells,
  schoolCells,
  findingAcknowledgements,
  strategyProfiles,
  autonomyTiers,
  tierDecisions,
  schoolReviews,
  publications,
  auditLog,
};

async function rowCounts(db: Database): Promise<Record<string, number>> {
  const result: Record<string, number> = {};
  for (const [name, table] of Object.entries(TABLES)) {
    const [row] = await db.select({ n: count() }).from(table);
    result[name] = row!.n;
  }
  return result;
}

/** The document as the command line reads it back from a file. */
const throughJson = (doc: TrustBackup): unknown => JSON.parse(JSON.stringify(doc));
const withoutTime = (doc: TrustBackup) => ({ ...doc, exportedAt: "(ignored)" });

let source: DatabaseHandle;
let target: DatabaseHandle;
let trustId: string;
let original: TrustBackup;

beforeAll(async () => {
  source = await freshDatabase();
  target = await freshDatabase();
  trustId = await buildTrust(source.db);
  original = await exportTrust(source.db, trustId);
});
afterAll(async () => {
  await target?.close();
  await source?.close();
});

describe("backing up a trust", () => {
  it("holds at least one row of every table that belongs to the trust, in the versioned format", () => {
    expect(original.format).toBe("scheme-of-delegation-backup");
    expect(original.formatVersion).toBe(2);
    for (const [key, value] of Object.entries(original)) {
      if (Array.isArray(value)) expect(value.length, key).toBeGreaterThan(0);
    }
    expect(original.users.map((u) => u.email).sort()).toEqual([CLERK.email, TRUSTEE.email]);
    expect(original.users[0]).not.toHaveProperty("isSiteAdmin");
    expect(original.schemeVersions.map((v) => v.status)).toEqual(["superseded", "approved", "draft"]);
    // The highest version number the trust has given, so that a restored trust never gives one again.
    expect(original.trust.lastVersionNumber).toBe(3);
  });

  it("keeps values exactly as stored: microseconds, numerics as written, arrays with gaps and JSON", () => {
    const retired = original.governanceBodies.find((b) => b.name === "Old committee")!;
    expect(retired.retiredAt).toBe("2024-05-06T07:08:09.123456Z");
    const legacy = original.performanceRecords.find((r) => r.inspectionFramework === "legacy")!;
    expect(legacy.inYearBalance).toBe("-12345.60");
    expect(legacy.reserves).toBe("999999999999.99");
    expect(original.strategyProfiles[0]!.ratings).toEqual([7, null, 10, 1, null, 5, 5, 5, 5, 9]);
    expect(original.trust.settings).toEqual({ thresholds: { schools: 15, distanceKm: 50.5 }, labels: [AWKWARD, null, true] });
    expect(original.schools.find((s) => s.urn === 123456)!.name).toBe(AWKWARD);
    expect(original.responsibilities.find((r) => r.ref === "Z.1")!.tags).toEqual(["strand-of-consistency", AWKWARD]);
    expect(original.auditLog.every((e, i, all) => i === 0 || all[i - 1]!.id < e.id)).toBe(true);
  });

  it("refuses a trust that does not exist", async () => {
    await expect(exportTrust(source.db, crypto.randomUUID())).rejects.toThrow(NotFoundError);
  });
});

describe("restoring a trust", () => {
  it("reproduces the trust in another database exactly, and its people can still sign in", async () => {
    const result = await restoreTrust(target.db, throughJson(original));
    expect(result.trust.slug).toBe("dyffryn");
    expect(result.accountsCreated).toBe(2);
    expect(result.auditIdsKept).toBe(true);
    const again = await exportTrust(target.db, trustId);
    expect(withoutTime(again)).toEqual(withoutTime(original));
    expect(await verifyCredentials(target.db, CLERK.email, CLERK.password)).not.toBeNull();
  });

  it("keeps settled versions frozen after restoring them", async () => {
    const approved = original.schemeVersions.find((v) => v.status === "approved")!;
    const cell = original.cells.find((c) => c.versionId === approved.id)!;
    await expect(
      target.db.update(cells).set({ code: "I" }).where(eq(cells.versionId, cell.versionId)),
    ).rejects.toThrow();
  });

  it("refuses to overwrite a trust that exists unless told to replace it, and changes nothing", async () => {
    const before = await rowCounts(target.db);
    await expect(restoreTrust(target.db, throughJson(original))).rejects.toThrow(/already a trust .*--replace/s);
    expect(await rowCounts(target.db)).toEqual(before);
  });

  it("replaces the trust when told to, settled versions included", async () => {
    await target.db.update(trusts).set({ name: "Changed since the backup" }).where(eq(trusts.id, trustId));
    const result = await restoreTrust(target.db, throughJson(original), { replace: true });
    expect(result.replaced).toEqual({ slug: "dyffryn", name: "Changed since the backup" });
    expect(withoutTime(await exportTrust(target.db, trustId))).toEqual(withoutTime(original));
  });

  it("refuses, even with replace, a backup whose id is one trust's here and whose short name is another's", async () => {
    await createTrust(target.db, COMMAND_LINE, { name: "Another trust", slug: "another" });
    const doc = throughJson(original) as TrustBackup;
    doc.trust.slug = "another";
    const before = await rowCounts(target.db);
    await expect(restoreTrust(target.db, doc, { replace: true })).rejects.toThrow(/would replace two trusts/);
    expect(await rowCounts(target.db)).toEqual(before);
  });

  it("points the memberships at an existing account with the same email and keeps that account as it is", async () => {
    const [oldTrustee] = await target.db.select({ id: users.id }).from(users).where(eq(users.email, TRUSTEE.email));
    await target.db.delete(users).where(eq(users.id, oldTrustee!.id));
    const local = await createUser(target.db, COMMAND_LINE, { email: TRUSTEE.email, name: "Local name", password: "a local password" });

    const result = await restoreTrust(target.db, throughJson(original), { replace: true });
    expect(result.accountsMatched).toBe(2);
    expect(result.accountsCreated).toBe(0);
    const [membership] = await target.db.select().from(memberships).where(eq(memberships.userId, local.id));
    expect(membership).toMatchObject({ trustId, role: "trustee" });
    const [account] = await target.db.select().from(users).where(eq(users.id, local.id));
    expect(account!.name).toBe("Local name");
    expect(await verifyCredentials(target.db, TRUSTEE.email, "a local password")).not.toBeNull();
    expect(await verifyCredentials(target.db, TRUSTEE.email, TRUSTEE.password)).toBeNull();
    const review = (await exportTrust(target.db, trustId)).schoolReviews[0]!;
    expect(review.recordedBy).toBe(local.id);
  });

  it("numbers the history afresh, in the same order, when its ids are in use here", async () => {
    const taken = original.auditLog[0]!.id;
    await target.db.delete(auditLog).where(eq(auditLog.id, taken));
    await target.db
      .insert(auditLog)
      .overridingSystemValue()
      .values({ id: taken, trustId: null, actor: "someone else", action: "create", entity: "user", summary: "Another installation's entry" });

    const result = await restoreTrust(target.db, throughJson(original), { replace: true });
    expect(result.auditIdsKept).toBe(false);
    const history = (await exportTrust(target.db, trustId)).auditLog;
    const content = (entries: TrustBackup["auditLog"]) => entries.map(({ at, action, entity, summary, before, after }) => ({ at, action, entity, summary, before, after }));
    expect(content(history)).toEqual(content(original.auditLog));
    expect(history.every((entry) => entry.id > Math.max(...original.auditLog.map((e) => e.id)))).toBe(true);
    const [kept] = await target.db.select().from(auditLog).where(eq(auditLog.id, taken));
    expect(kept!.summary).toBe("Another installation's entry");
  });
});

describe("refusing a malformed backup", () => {
  async function expectRefused(change: (doc: Record<string, any>) => void, problem: string | RegExp) {
    const doc = throughJson(original) as Record<string, any>;
    change(doc);
    const before = await rowCounts(target.db);
    const error = await restoreTrust(target.db, doc, { replace: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidBackupError);
    const problems = (error as InvalidBackupError).problems;
    if (typeof problem === "string") expect(problems).toContain(problem);
    else expect(problems.some((p) => problem.test(p)), problems.join("\n")).toBe(true);
    expect(await rowCounts(target.db)).toEqual(before);
    return problems;
  }

  it("names the field of a value of the wrong type", async () => {
    await expectRefused((doc) => (doc.schools[1].urn = "not a number"), "schools[1].urn: expected a whole number");
  });

  it("names a missing field", async () => {
    await expectRefused((doc) => delete doc.trust.name, "trust.name: missing");
  });

  it("reports every problem at once", async () => {
    const problems = await expectRefused((doc) => {
      doc.schools[0].urn = 12.5;
      doc.cells[2].code = "Z";
      doc.memberships[0].role = "owner";
    }, "schools[0].urn: expected a whole number");
    expect(problems).toContain("cells[2].code: expected one of D, R, C, A, E, M, I, —");
    expect(problems).toContain("memberships[0].role: expected one of ceo, clerk, trustee, viewer");
  });

  it("refuses a format version it does not know", async () => {
    await expectRefused((doc) => (doc.formatVersion = 3), /^formatVersion: this backup is in format version 3, and this version of the app reads versions 1 and 2$/);
  });

  it("refuses a cell that points at a body not in the file", async () => {
    const missing = crypto.randomUUID();
    await expectRefused((doc) => (doc.cells[0].bodyId = missing), `cells[0].bodyId: names a governance body (${missing}) that is not in the file`);
  });

  it("refuses rows of another trust and duplicated cells", async () => {
    const problems = await expectRefused((doc) => {
      doc.schools[0].trustId = crypto.randomUUID();
      doc.cells.push({ ...doc.cells[0] });
    }, /^schools\[0\]\.trustId: belongs to another trust/);
    expect(problems).toContain(`cells[${original.cells.length}]: the same versionId, responsibilityId and bodyId as cells[0]`);
  });

  it("refuses an approved version without its approval", async () => {
    await expectRefused((doc) => {
      doc.schemeVersions.find((v: { status: string }) => v.status === "approved").approvedOn = null;
    }, "schemeVersions[1].approvedOn: an approved version records its approval, so this cannot be empty");
  });

  it("refuses something that is not a backup at all", async () => {
    await expectRefused((doc) => (doc.format = "something-else"), /^format: expected "scheme-of-delegation-backup"/);
  });
});
