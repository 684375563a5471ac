import { and, count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database, DatabaseHandle } from "../../db/client";
import { auditLog, governanceBodies, schools } from "../../db/schema";
import { RuleError, StaleWriteError } from "~/domain/errors";
import { COMMAND_LINE } from "~/models/audit.server";
import {
  coverageWarnings,
  createBody,
  createSchool,
  getBody,
  getSchool,
  listBodies,
  listSchools,
  moveBody,
  setBoardCoverage,
  updateBody,
  updateSchool,
  type Body,
  type SchoolInput,
} from "~/models/structure.server";
import { createTrust, type Trust } from "~/models/trust.server";
import { freshDatabase } from "../support/database";

let handle: DatabaseHandle;
let db: Database;
let trust: Trust;
let other: Trust;
let board: Body;
let clusterColumn: Body;
let northCluster: Body;
let localColumn: Body;
let abbeyBoard: Body;
let othersCluster: Body;

beforeAll(async () => {
  handle = await freshDatabase();
  db = handle.db;
  trust = await createTrust(db, COMMAND_LINE, { name: "Structure Trust", slug: "structure" });
  other = await createTrust(db, COMMAND_LINE, { name: "Other Trust", slug: "other" });
  board = await createBody(db, COMMAND_LINE, { trustId: trust.id, kind: "board", name: "Board of trustees" });
  clusterColumn = await createBody(db, COMMAND_LINE, { trustId: trust.id, kind: "cluster", name: "Cluster governing body" });
  northCluster = await createBody(db, COMMAND_LINE, {
    trustId: trust.id,
    kind: "cluster",
    name: "North cluster",
    parentId: board.id,
    columnId: clusterColumn.id,
  });
  localColumn = await createBody(db, COMMAND_LINE, {
    trustId: trust.id,
    kind: "local",
    name: "School advisory board",
    mode: "advisory",
  });
  abbeyBoard = await createBody(db, COMMAND_LINE, {
    trustId: trust.id,
    kind: "local",
    name: "Abbey Primary advisory board",
    mode: "advisory",
    parentId: northCluster.id,
    columnId: localColumn.id,
  });
  const otherColumn = await createBody(db, COMMAND_LINE, { trustId: other.id, kind: "cluster", name: "Cluster governing body" });
  othersCluster = await createBody(db, COMMAND_LINE, {
    trustId: other.id,
    kind: "cluster",
    name: "South cluster",
    columnId: otherColumn.id,
  });
});
afterAll(() => handle.close());

async function counts() {
  const [b] = await db.select({ n: count() }).from(governanceBodies);
  const [s] = await db.select({ n: count() }).from(schools);
  const [a] = await db.select({ n: count() }).from(auditLog);
  return { bodies: b!.n, schools: s!.n, audit: a!.n };
}

/** Expects the write to be refused with this message and field, and nothing written. */
async function refused(write: () => Promise<unknown>, message: string | RegExp, field: string) {
  const before = await counts();
  const error = await write().then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RuleError);
  expect((error as RuleError).message).toMatch(message);
  expect((error as RuleError).field).toBe(field);
  expect(await counts()).toEqual(before);
}

function school(overrides: Partial<SchoolInput> = {}): SchoolInput {
  return {
    trustId: trust.id,
    urn: 140001,
    name: "Abbey Primary School",
    phase: "primary",
    easting: 430000,
    northing: 460000,
    postcode: "hg4 1ab",
    clusterBodyId: northCluster.id,
    localBodyId: abbeyBoard.id,
    joinedOn: "2019-09-01",
    headteacherName: "Ann Example",
    ...overrides,
  };
}

describe("governance bodies", () => {
  it("creates a column and boards answering under it, with their place in the chart, and audits each", async () => {
    expect(clusterColumn.columnId).toBeNull();
    expect(northCluster).toMatchObject({ kind: "cluster", columnId: clusterColumn.id, parentId: board.id, mode: "decision-making" });
    expect(abbeyBoard).toMatchObject({ mode: "advisory", columnId: localColumn.id, parentId: northCluster.id });
    const names = (await listBodies(db, trust.id)).map((b) => b.name);
    expect(names).toEqual(["Board of trustees", "Cluster governing body", "North cluster", "School advisory board", "Abbey Primary advisory board"]);
    const entries = await db.select().from(auditLog).where(eq(auditLog.entityId, northCluster.id));
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ trustId: trust.id, action: "create", entity: "body" });
    expect(entries[0]!.summary).toContain("North cluster");
  });

  it("refuses a body without a name", () =>
    refused(() => createBody(db, COMMAND_LINE, { trustId: trust.id, kind: "committee", name: "   " }), "Give the body a name.", "name"));

  it("refuses a second active body with the same name, whatever its capitals", () =>
    refused(
      () => createBody(db, COMMAND_LINE, { trustId: trust.id, kind: "cluster", name: "north Cluster", columnId: clusterColumn.id }),
      'There is already a body called "north Cluster" in this trust.',
      "name",
    ));

  it("allows the same name in another trust", async () => {
    const body = await createBody(db, COMMAND_LINE, { trustId: other.id, kind: "board", name: "Board of trustees" });
    expect(body.trustId).toBe(other.id);
  });

  it("refuses an advisory body that is not a cluster or local body", () =>
    refused(
      () => createBody(db, COMMAND_LINE, { trustId: trust.id, kind: "committee", name: "Advisory committee", mode: "advisory" }),
      /Only cluster and local bodies can be advisory/,
      "mode",
    ));

  it("refuses an unknown kind", () =>
    refused(
      () => createBody(db, COMMAND_LINE, { trustId: trust.id, kind: "parliament" as never, name: "Parliament" }),
      "Choose what kind of body this is.",
      "kind",
    ));

  it("refuses a board under a column of another kind", () =>
    refused(
      () => createBody(db, COMMAND_LINE, { trustId: trust.id, kind: "local", name: "Mill Lane board", columnId: clusterColumn.id }),
      /"Cluster governing body" is a column for bodies of the kind "Cluster governing body", so a body of the kind "Local governing body" cannot answer under it/,
      "columnId",
    ));

  it("refuses a column that is itself an individual board", () =>
    refused(
      () => createBody(db, COMMAND_LINE, { trustId: trust.id, kind: "cluster", name: "East cluster", columnId: northCluster.id }),
      /"North cluster" is an individual board, not a matrix column/,
      "columnId",
    ));

  it("cannot reference another trust's body as parent or column", async () => {
    await refused(
      () => createBody(db, COMMAND_LINE, { trustId: trust.id, kind: "local", name: "Stray board", parentId: othersCluster.id }),
      "The body this one sits under was not found in this trust.",
      "parentId",
    );
    await refused(
      () => createBody(db, COMMAND_LINE, { trustId: trust.id, kind: "cluster", name: "Stray cluster", columnId: othersCluster.id }),
      "The column this body answers under was not found in this trust.",
      "columnId",
    );
    await refused(
      () => createBody(db, COMMAND_LINE, { trustId: trust.id, kind: "cluster", name: "Odd cluster", parentId: "not-an-id" }),
      "The body this one sits under was not found in this trust.",
      "parentId",
    );
  });

  it("lets only one of two simultaneous writers take a name, and tells the other in plain words", async () => {
    const attempts = await Promise.allSettled(
      [1, 2].map(() => createBody(db, COMMAND_LINE, { trustId: trust.id, kind: "committee", name: "Audit & Risk Committee" })),
    );
    expect(attempts.filter((a) => a.status === "fulfilled")).toHaveLength(1);
    const [failure] = attempts.filter((a): a is PromiseRejectedResult => a.status === "rejected");
    expect(failure!.reason).toBeInstanceOf(RuleError);
    expect((failure!.reason as RuleError).field).toBe("name");
  });
});

describe("schools", () => {
  it("creates a school with its cluster and local board, and audits it", async () => {
    const created = await createSchool(db, COMMAND_LINE, school());
    expect(created).toMatchObject({
      urn: 140001,
      postcode: "HG4 1AB",
      clusterBodyId: northCluster.id,
      localBodyId: abbeyBoard.id,
      joinedOn: "2019-09-01",
    });
    expect((await listSchools(db, trust.id)).map((s) => s.name)).toEqual(["Abbey Primary School"]);
    const [entry] = await db.select().from(auditLog).where(eq(auditLog.entityId, created.id));
    expect(entry).toMatchObject({ trustId: trust.id, entity: "school", action: "create" });
  });

  it("refuses a URN that is not 6 digits", async () => {
    await refused(() => createSchool(db, COMMAND_LINE, school({ urn: 12345, name: "Short URN" })), /6-digit unique reference number/, "urn");
    await refused(() => createSchool(db, COMMAND_LINE, school({ urn: 1234567, name: "Long URN" })), /6-digit unique reference number/, "urn");
  });

  it("refuses a URN another school of the trust already has, naming that school", () =>
    refused(
      () => createSchool(db, COMMAND_LINE, school({ name: "Copy Primary" })),
      "URN 140001 is already used by Abbey Primary School in this trust.",
      "urn",
    ));

  it("allows the same URN in another trust", async () => {
    const created = await createSchool(db, COMMAND_LINE, {
      trustId: other.id,
      urn: 140001,
      name: "Abbey Primary School",
      phase: "primary",
    });
    expect(created.trustId).toBe(other.id);
  });

  it("refuses a phase that is not on the list", () =>
    refused(
      () => createSchool(db, COMMAND_LINE, school({ urn: 140002, phase: "kindergarten" as never })),
      "Choose the school's phase from the list.",
      "phase",
    ));

  it("refuses a location outside Great Britain's grid, or half a location", async () => {
    await refused(() => createSchool(db, COMMAND_LINE, school({ urn: 140003, easting: 800000 })), /easting must be a whole number of metres between 0 and 700,000/, "easting");
    await refused(() => createSchool(db, COMMAND_LINE, school({ urn: 140003, northing: -5 })), /northing must be a whole number of metres between 0 and 1,300,000/, "northing");
    await refused(() => createSchool(db, COMMAND_LINE, school({ urn: 140003, northing: null })), "Give both the easting and the northing of the school, or neither.", "northing");
  });

  it("refuses a postcode or joining date that cannot be real", async () => {
    await refused(() => createSchool(db, COMMAND_LINE, school({ urn: 140004, postcode: "nowhere" })), /does not look like a UK postcode/, "postcode");
    await refused(() => createSchool(db, COMMAND_LINE, school({ urn: 140004, joinedOn: "2019-02-30" })), /must be a real date/, "joinedOn");
  });

  it("needs an individual cluster board and an individual local board", async () => {
    await refused(
      () => createSchool(db, COMMAND_LINE, school({ urn: 140005, clusterBodyId: clusterColumn.id })),
      '"Cluster governing body" is the matrix column for every cluster board; choose the cluster board this school belongs to.',
      "clusterBodyId",
    );
    await refused(
      () => createSchool(db, COMMAND_LINE, school({ urn: 140005, clusterBodyId: abbeyBoard.id })),
      '"Abbey Primary advisory board" is not a cluster board: choose one of the trust\'s cluster boards.',
      "clusterBodyId",
    );
    await refused(
      () => createSchool(db, COMMAND_LINE, school({ urn: 140005, localBodyId: localColumn.id })),
      '"School advisory board" is the matrix column for every local board; choose the local board this school belongs to.',
      "localBodyId",
    );
    await refused(
      () => createSchool(db, COMMAND_LINE, school({ urn: 140005, localBodyId: northCluster.id })),
      /"North cluster" is not a local board/,
      "localBodyId",
    );
  });

  it("cannot reference another trust's cluster", () =>
    refused(
      () => createSchool(db, COMMAND_LINE, school({ urn: 140006, clusterBodyId: othersCluster.id })),
      "The cluster board was not found in this trust.",
      "clusterBodyId",
    ));
});

describe("individual boards and the column of their kind", () => {
  it("puts a board under the trust's column of its kind, deciding or advising as that column does", async () => {
    const board = await createBody(db, COMMAND_LINE, { trustId: trust.id, kind: "local", name: "Mill Lane advisory board", underKindColumn: true });
    expect(board).toMatchObject({ columnId: localColumn.id, mode: "advisory" });
  });

  it("adds the column (\"Local governing body\") when the trust has none, and audits both", async () => {
    const fresh = await createTrust(db, COMMAND_LINE, { name: "Columnless Trust", slug: "columnless" });
    const board = await createBody(db, COMMAND_LINE, { trustId: fresh.id, kind: "local", name: "Abbey local board", underKindColumn: true });
    const column = await getBody(db, fresh.id, board.columnId!);
    expect(column).toMatchObject({ kind: "local", name: "Local governing body", columnId: null, mode: "decision-making" });
    const cluster = await createBody(db, COMMAND_LINE, { trustId: fresh.id, kind: "cluster", name: "East cluster", underKindColumn: true });
    expect((await getBody(db, fresh.id, cluster.columnId!))!.name).toBe("Cluster governing body");
    const again = await createBody(db, COMMAND_LINE, { trustId: fresh.id, kind: "local", name: "Brook local board", underKindColumn: true });
    expect(again.columnId).toBe(column!.id);
    const summaries = (await db.select().from(auditLog).where(eq(auditLog.trustId, fresh.id))).map((e) => e.summary);
    expect(summaries).toContain("Added the local governing body column Local governing body, for the trust's local boards to answer under");
    expect(summaries).toContain("Added Abbey local board, answering under the column Local governing body");
  });

  it("leaves other kinds of body as columns of their own", async () => {
    const committee = await createBody(db, COMMAND_LINE, { trustId: trust.id, kind: "committee", name: "Standards committee", underKindColumn: true });
    expect(committee.columnId).toBeNull();
  });
});

describe("editing a body", () => {
  let committee: Body;
  beforeAll(async () => {
    committee = await createBody(db, COMMAND_LINE, { trustId: trust.id, kind: "committee", name: "Finance committee", parentId: board.id });
  });

  it("renames it and records the before and after", async () => {
    const saved = await updateBody(db, COMMAND_LINE, {
      trustId: trust.id,
      id: committee.id,
      expectedVersion: committee.version,
      name: "Finance & Resources Committee",
      shortName: "F&R",
      parentId: board.id,
      chairName: "David Lambert",
      remit: "Budgets and the estate",
    });
    expect(saved).toMatchObject({ name: "Finance & Resources Committee", shortName: "F&R", chairName: "David Lambert", version: committee.version + 1 });
    const [entry] = await db.select().from(auditLog).where(and(eq(auditLog.entityId, committee.id), eq(auditLog.action, "update")));
    expect(entry!.summary).toBe("Renamed Finance committee to Finance & Resources Committee");
    expect(entry!.before).toMatchObject({ name: "Finance committee", shortName: null, parent: "Board of trustees" });
    expect(entry!.after).toMatchObject({ name: "Finance & Resources Committee", shortName: "F&R", chairName: "David Lambert" });
    committee = saved;
  });

  it("refuses a save made from a stale form, keeping the other person's save", async () => {
    const before = await counts();
    const error = await updateBody(db, COMMAND_LINE, {
      trustId: trust.id,
      id: committee.id,
      expectedVersion: committee.version - 1,
      name: "Old name from an old form",
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StaleWriteError);
    expect((error as Error).message).toBe(
      "Someone else saved the details of Finance & Resources Committee since you opened it. Your change was not saved; the latest version is shown.",
    );
    expect((await getBody(db, trust.id, committee.id))!.name).toBe("Finance & Resources Committee");
    expect(await counts()).toEqual(before);
  });

  it("refuses another body's name, an advisory committee, and a parent below itself", async () => {
    const edit = { trustId: trust.id, id: committee.id, expectedVersion: committee.version, name: committee.name };
    await refused(() => updateBody(db, COMMAND_LINE, { ...edit, name: "board of Trustees" }), 'There is already a body called "board of Trustees" in this trust.', "name");
    await refused(() => updateBody(db, COMMAND_LINE, { ...edit, mode: "advisory" }), /Only cluster and local bodies can be advisory/, "mode");
    await refused(() => updateBody(db, COMMAND_LINE, { ...edit, parentId: committee.id }), "Finance & Resources Committee cannot sit under itself.", "parentId");
    const sub = await createBody(db, COMMAND_LINE, { trustId: trust.id, kind: "committee", name: "Estates sub-committee", parentId: committee.id });
    await refused(
      () => updateBody(db, COMMAND_LINE, { ...edit, parentId: sub.id }),
      "Finance & Resources Committee cannot sit under Estates sub-committee, because Estates sub-committee sits under Finance & Resources Committee.",
      "parentId",
    );
    await refused(
      () => updateBody(db, COMMAND_LINE, { ...edit, columnId: board.id }),
      "Finance & Resources Committee is a column of the matrix itself, so it does not answer under another column.",
      "columnId",
    );
  });

  it("moves a board to another column of its kind, but never to none or to a column of another kind", async () => {
    const secondColumn = await createBody(db, COMMAND_LINE, { trustId: trust.id, kind: "local", name: "Local governing body" });
    const current = (await getBody(db, trust.id, abbeyBoard.id))!;
    const edit = { trustId: trust.id, id: current.id, expectedVersion: current.version, name: current.name, mode: "advisory" as const };
    await refused(() => updateBody(db, COMMAND_LINE, { ...edit, columnId: null }), /Choose the column Abbey Primary advisory board answers under/, "columnId");
    await refused(() => updateBody(db, COMMAND_LINE, { ...edit, columnId: clusterColumn.id }), /cannot answer under it/, "columnId");
    const moved = await updateBody(db, COMMAND_LINE, { ...edit, columnId: secondColumn.id, parentId: northCluster.id });
    expect(moved.columnId).toBe(secondColumn.id);
    const back = await updateBody(db, COMMAND_LINE, { ...edit, expectedVersion: moved.version, columnId: localColumn.id, parentId: northCluster.id });
    expect(back.columnId).toBe(localColumn.id);
  });
});

describe("ordering bodies", () => {
  let reorder: Trust;
  let names: () => Promise<string[]>;
  beforeAll(async () => {
    reorder = await createTrust(db, COMMAND_LINE, { name: "Reorder Trust", slug: "reorder" });
    await createBody(db, COMMAND_LINE, { trustId: reorder.id, kind: "board", name: "Board" });
    for (const name of ["Audit committee", "Finance committee", "Pay committee"]) {
      await createBody(db, COMMAND_LINE, { trustId: reorder.id, kind: "committee", name });
    }
    names = async () => (await listBodies(db, reorder.id)).filter((b) => b.kind === "committee").map((b) => b.name);
  });
  const find = async (name: string) => (await listBodies(db, reorder.id)).find((b) => b.name === name)!;

  it("moves a committee up and down among the committees, renumbering their positions", async () => {
    await moveBody(db, COMMAND_LINE, { trustId: reorder.id, id: (await find("Pay committee")).id, direction: "up" });
    expect(await names()).toEqual(["Audit committee", "Pay committee", "Finance committee"]);
    const committees = (await listBodies(db, reorder.id)).filter((b) => b.kind === "committee");
    expect(committees.map((b) => b.position)).toEqual([1, 2, 3]);
    await moveBody(db, COMMAND_LINE, { trustId: reorder.id, id: (await find("Audit committee")).id, direction: "down" });
    expect(await names()).toEqual(["Pay committee", "Audit committee", "Finance committee"]);
    const [entry] = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.trustId, reorder.id), eq(auditLog.action, "reorder"), eq(auditLog.entityId, (await find("Audit committee")).id)));
    expect(entry!.after).toEqual({ order: ["Pay committee", "Audit committee", "Finance committee"] });
  });

  it("refuses to move the first up or the last down, changing nothing", async () => {
    await refusedAnyField(() => moveBody(db, COMMAND_LINE, { trustId: reorder.id, id: "00000000-0000-4000-8000-000000000000", direction: "up" }));
    const first = await find("Pay committee");
    const error = await moveBody(db, COMMAND_LINE, { trustId: reorder.id, id: first.id, direction: "up" }).catch((e: unknown) => e);
    expect((error as RuleError).message).toBe("Pay committee is already first among the board committee columns.");
    const last = await find("Finance committee");
    const atEnd = await moveBody(db, COMMAND_LINE, { trustId: reorder.id, id: last.id, direction: "down" }).catch((e: unknown) => e);
    expect((atEnd as RuleError).message).toBe("Finance committee is already last among the board committee columns.");
    expect(await names()).toEqual(["Pay committee", "Audit committee", "Finance committee"]);
  });
});

describe("editing a school and which boards cover it", () => {
  let coverage: Trust;
  let north: Body;
  let south: Body;
  let sharedBoard: Body;
  let southBoard: Body;
  let first: Awaited<ReturnType<typeof createSchool>>;
  let second: Awaited<ReturnType<typeof createSchool>>;
  let third: Awaited<ReturnType<typeof createSchool>>;
  beforeAll(async () => {
    coverage = await createTrust(db, COMMAND_LINE, { name: "Coverage Trust", slug: "coverage" });
    north = await createBody(db, COMMAND_LINE, { trustId: coverage.id, kind: "cluster", name: "North cluster", underKindColumn: true });
    south = await createBody(db, COMMAND_LINE, { trustId: coverage.id, kind: "cluster", name: "South cluster", underKindColumn: true });
    sharedBoard = await createBody(db, COMMAND_LINE, { trustId: coverage.id, kind: "local", name: "Twin schools board", parentId: north.id, underKindColumn: true });
    southBoard = await createBody(db, COMMAND_LINE, { trustId: coverage.id, kind: "local", name: "South board", parentId: south.id, underKindColumn: true });
    const add = (urn: number, name: string) => createSchool(db, COMMAND_LINE, { trustId: coverage.id, urn, name, phase: "primary", clusterBodyId: north.id });
    first = await add(150001, "Alder Primary");
    second = await add(150002, "Birch Primary");
    third = await add(150003, "Cedar Primary");
  });
  const seen = async () => Object.fromEntries((await listSchools(db, coverage.id)).map((s) => [s.id, s.version]));

  it("lets one local board cover several schools, ticked on the board's page, and audits each school", async () => {
    const result = await setBoardCoverage(db, COMMAND_LINE, { trustId: coverage.id, bodyId: sharedBoard.id, schoolIds: [first.id, second.id], seen: await seen() });
    expect(result).toEqual({ added: 2, removed: 0 });
    const covered = (await listSchools(db, coverage.id)).filter((s) => s.localBodyId === sharedBoard.id).map((s) => s.name);
    expect(covered).toEqual(["Alder Primary", "Birch Primary"]);
    const entries = await db.select().from(auditLog).where(and(eq(auditLog.entityId, first.id), eq(auditLog.action, "update")));
    expect(entries.map((e) => e.summary)).toEqual(["Alder Primary is now covered by Twin schools board"]);
  });

  it("unticking a school empties its local board; ticking one covered elsewhere moves it", async () => {
    await setBoardCoverage(db, COMMAND_LINE, { trustId: coverage.id, bodyId: southBoard.id, schoolIds: [third.id], seen: await seen() });
    const result = await setBoardCoverage(db, COMMAND_LINE, { trustId: coverage.id, bodyId: sharedBoard.id, schoolIds: [second.id, third.id], seen: await seen() });
    expect(result).toEqual({ added: 1, removed: 1 });
    expect((await getSchool(db, coverage.id, first.id))!.localBodyId).toBeNull();
    expect((await getSchool(db, coverage.id, third.id))!.localBodyId).toBe(sharedBoard.id);
    const [moved] = await db.select().from(auditLog).where(eq(auditLog.summary, "Cedar Primary is now covered by Twin schools board (was South board)"));
    expect(moved).toBeDefined();
  });

  it("lets a cluster cover many schools", async () => {
    await setBoardCoverage(db, COMMAND_LINE, { trustId: coverage.id, bodyId: south.id, schoolIds: [first.id, second.id, third.id], seen: await seen() });
    expect((await listSchools(db, coverage.id)).every((s) => s.clusterBodyId === south.id)).toBe(true);
  });

  it("warns, without refusing, when a school's local board does not sit under the school's cluster", async () => {
    const warnings = coverageWarnings(await listBodies(db, coverage.id), await listSchools(db, coverage.id));
    expect(warnings.map((w) => w.message)).toEqual([
      "Birch Primary is in South cluster, but its local board, Twin schools board, sits under North cluster in the chart. Move Twin schools board under South cluster, or put the school in North cluster.",
      "Cedar Primary is in South cluster, but its local board, Twin schools board, sits under North cluster in the chart. Move Twin schools board under South cluster, or put the school in North cluster.",
    ]);
    const loose = { id: "l", name: "Loose board", kind: "local", parentId: null };
    expect(
      coverageWarnings([{ ...north }, loose], [{ id: "s", name: "Dale School", clusterBodyId: north.id, localBodyId: "l" }]).map((w) => w.message),
    ).toEqual(["Dale School is in North cluster, but its local board, Loose board, does not sit under North cluster in the chart. Set Loose board to sit under North cluster on its page."]);
  });

  it("refuses coverage from a stale page, a column, or with a school of another trust, changing nothing", async () => {
    const stale = { ...(await seen()), [first.id]: 1 };
    const before = await counts();
    const error = await setBoardCoverage(db, COMMAND_LINE, { trustId: coverage.id, bodyId: sharedBoard.id, schoolIds: [first.id, second.id, third.id], seen: stale }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StaleWriteError);
    expect((error as Error).message).toMatch(/^Someone else saved Alder Primary since you opened it/);
    expect(await counts()).toEqual(before);
    await refusedAnyField(
      () => setBoardCoverage(db, COMMAND_LINE, { trustId: coverage.id, bodyId: north.columnId!, schoolIds: [], seen: {} }),
      "Only an individual cluster or local board covers schools; Cluster governing body is a column of the matrix.",
    );
    const stranger = (await listSchools(db, trust.id))[0]!;
    await refused(
      () => setBoardCoverage(db, COMMAND_LINE, { trustId: coverage.id, bodyId: sharedBoard.id, schoolIds: [stranger.id], seen: {} }),
      "One of the schools ticked was not found in this trust.",
      "schoolIds",
    );
  });

  it("edits a school's details, cluster and local board from its page", async () => {
    const current = (await getSchool(db, coverage.id, first.id))!;
    const saved = await updateSchool(db, COMMAND_LINE, {
      trustId: coverage.id,
      id: current.id,
      expectedVersion: current.version,
      urn: 150011,
      name: "Alder Church of England Primary",
      phase: "primary",
      postcode: "yo7 1lr",
      localAuthority: "North Yorkshire",
      easting: 442800,
      northing: 482000,
      joinedOn: "2020-09-01",
      headteacherName: "Nadia Hussain",
      clusterBodyId: north.id,
      localBodyId: sharedBoard.id,
    });
    expect(saved).toMatchObject({ urn: 150011, postcode: "YO7 1LR", clusterBodyId: north.id, localBodyId: sharedBoard.id, version: current.version + 1 });
    const [entry] = await db.select().from(auditLog).where(eq(auditLog.summary, "Renamed the school Alder Primary to Alder Church of England Primary"));
    expect(entry!.before).toMatchObject({ urn: 150001, cluster: "South cluster", localBody: null });
    expect(entry!.after).toMatchObject({ urn: 150011, cluster: "North cluster", localBody: "Twin schools board" });
  });

  it("refuses a stale edit, another school's URN and a column as local board", async () => {
    const current = (await getSchool(db, coverage.id, second.id))!;
    const edit = { trustId: coverage.id, id: current.id, expectedVersion: current.version, urn: current.urn, name: current.name, phase: "primary" as const };
    await refused(() => updateSchool(db, COMMAND_LINE, { ...edit, urn: 150011 }), "URN 150011 is already used by Alder Church of England Primary in this trust.", "urn");
    await refused(
      () => updateSchool(db, COMMAND_LINE, { ...edit, localBodyId: sharedBoard.columnId }),
      '"Local governing body" is the matrix column for every local board; choose the local board this school belongs to.',
      "localBodyId",
    );
    const error = await updateSchool(db, COMMAND_LINE, { ...edit, expectedVersion: current.version - 1, name: "Birch Old" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StaleWriteError);
    expect((await getSchool(db, coverage.id, second.id))!.name).toBe("Birch Primary");
  });
});

/** Expects a refusal (any field, or none) and nothing written. */
async function refusedAnyField(write: () => Promise<unknown>, message?: string) {
  const before = await counts();
  const error = await write().then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(Error);
  if (message) expect((error as Error).message).toBe(message);
  expect(await counts()).toEqual(before);
}
