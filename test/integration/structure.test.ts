import { count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database, DatabaseHandle } from "../../db/client";
import { auditLog, governanceBodies, schools } from "../../db/schema";
import { RuleError } from "~/domain/errors";
import { COMMAND_LINE } from "~/models/audit.server";
import { createBody, createSchool, listBodies, listSchools, type Body, type SchoolInput } from "~/models/structure.server";
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
