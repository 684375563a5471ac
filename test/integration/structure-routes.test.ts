/**
 * The structure pages' loaders and actions, called in-process as Remix would: every member reads,
 * only the clerk changes (403 for a trustee), bad input is answered 400 with the message on its
 * field and changes nothing, a stale save is refused with the latest shown, and removal asks first.
 */
import { count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db/client";
import { auditLog, governanceBodies, schools } from "../../db/schema";
import { COMMAND_LINE } from "~/models/audit.server";
import { addMember } from "~/models/membership.server";
import { createBody, createSchool, getBody, getSchool, listBodies, type Body, type School } from "~/models/structure.server";
import { createTrust, type Trust } from "~/models/trust.server";
import { createUser } from "~/models/user.server";
import * as structurePage from "~/routes/trusts.$slug.structure";
import * as bodyPage from "~/routes/trusts.$slug.structure_.bodies.$bodyId";
import * as schoolPage from "~/routes/trusts.$slug.structure_.schools.$schoolId";
import { freshDatabase } from "../support/database";
import { call, fieldErrors, formErrors, formPost, getRequest, sessionCookie, type Answer } from "../support/requests";

const CLERK = { name: "Carys Clerk", email: "carys@structure-routes.example", password: "structure-clerk-1" };
const TRUSTEE = { name: "Tom Trustee", email: "tom@structure-routes.example", password: "structure-trustee-1" };

let handle: DatabaseHandle;
let trust: Trust;
let clerk: string;
let trustee: string;
let board: Body;
let north: Body;
let abbeyBoard: Body;
let abbey: School;
let brook: School;

beforeAll(async () => {
  handle = await freshDatabase();
  const db = handle.db;
  trust = await createTrust(db, COMMAND_LINE, { name: "Structure Routes Trust", slug: "structure-routes" });
  for (const [person, role] of [
    [CLERK, "clerk"],
    [TRUSTEE, "trustee"],
  ] as const) {
    const user = await createUser(db, COMMAND_LINE, person);
    await addMember(db, COMMAND_LINE, { trustId: trust.id, userId: user.id, role });
  }
  clerk = await sessionCookie(CLERK.email, CLERK.password);
  trustee = await sessionCookie(TRUSTEE.email, TRUSTEE.password, "192.0.2.201");
  board = await createBody(db, COMMAND_LINE, { trustId: trust.id, kind: "board", name: "Board of trustees" });
  north = await createBody(db, COMMAND_LINE, { trustId: trust.id, kind: "cluster", name: "North cluster", parentId: board.id, underKindColumn: true });
  abbeyBoard = await createBody(db, COMMAND_LINE, { trustId: trust.id, kind: "local", name: "Abbey board", parentId: north.id, underKindColumn: true });
  abbey = await createSchool(db, COMMAND_LINE, { trustId: trust.id, urn: 170001, name: "Abbey Primary", phase: "primary", clusterBodyId: north.id });
  brook = await createSchool(db, COMMAND_LINE, { trustId: trust.id, urn: 170002, name: "Brook Primary", phase: "primary", clusterBodyId: north.id });
});
afterAll(() => handle?.close());

async function counts() {
  const result: Record<string, number> = {};
  for (const [name, table] of Object.entries({ governanceBodies, schools, auditLog })) {
    result[name] = (await handle.db.select({ n: count() }).from(table))[0]!.n;
  }
  return result;
}

/** Runs a post and checks that it added or removed nothing. */
async function changesNothing(post: () => Promise<Answer>): Promise<Answer> {
  const before = await counts();
  const answer = await post();
  expect(await counts()).toEqual(before);
  return answer;
}

const structureUrl = () => `/trusts/${trust.slug}/structure`;
const bodyUrl = (id: string) => `${structureUrl()}/bodies/${id}`;
const schoolUrl = (id: string) => `${structureUrl()}/schools/${id}`;
const postStructure = (fields: Record<string, string>, cookie = clerk) => call(structurePage.action, formPost(structureUrl(), fields, { cookie }), { slug: trust.slug });
const postBody = (id: string, fields: Record<string, string>, cookie = clerk) =>
  call(bodyPage.action, formPost(bodyUrl(id), fields, { cookie }), { slug: trust.slug, bodyId: id });
const postSchool = (id: string, fields: Record<string, string>, cookie = clerk) =>
  call(schoolPage.action, formPost(schoolUrl(id), fields, { cookie }), { slug: trust.slug, schoolId: id });

describe("the structure page", () => {
  it("shows every member the bodies and schools; only the clerk may change them", async () => {
    const asTrustee = await call(structurePage.loader, getRequest(structureUrl(), trustee), { slug: trust.slug });
    expect(asTrustee.status).toBe(200);
    const data = asTrustee.data as { canManage: boolean; bodies: { name: string }[]; schools: { name: string }[] };
    expect(data.canManage).toBe(false);
    expect(data.bodies.map((b) => b.name)).toEqual(expect.arrayContaining(["Board of trustees", "North cluster", "Abbey board", "Cluster governing body"]));
    expect(data.schools.map((s) => s.name)).toEqual(["Abbey Primary", "Brook Primary"]);
    const asClerk = await call(structurePage.loader, getRequest(structureUrl(), clerk), { slug: trust.slug });
    expect((asClerk.data as { canManage: boolean }).canManage).toBe(true);
  });

  it("refuses a trustee's changes (403), changing nothing", async () => {
    const answer = await changesNothing(() => postStructure({ intent: "create-body", kind: "committee", name: "Trustees' own committee" }, trustee));
    expect(answer.status).toBe(403);
  });

  it("refuses a body with no kind or name (400), saying what is missing", async () => {
    const answer = await changesNothing(() => postStructure({ intent: "create-body", kind: "", name: "  " }));
    expect(answer.status).toBe(400);
    expect(fieldErrors(answer, "kind")).toEqual(["Choose what kind of body this is"]);
    expect(fieldErrors(answer, "name")).toEqual(["Give the body a name"]);
    expect((answer.data as { form: string }).form).toBe("create-body");
  });

  it("passes on the model's refusals as the field's message (400)", async () => {
    const advisory = await changesNothing(() => postStructure({ intent: "create-body", kind: "committee", name: "Advice committee", mode: "advisory" }));
    expect(advisory.status).toBe(400);
    expect(fieldErrors(advisory, "mode")[0]).toMatch(/^Only cluster and local bodies can be advisory/);
    const clash = await changesNothing(() => postStructure({ intent: "create-body", kind: "committee", name: "board of trustees" }));
    expect(fieldErrors(clash, "name")).toEqual(['There is already a body called "board of trustees" in this trust. Give this one a different name.']);
    const wrongColumn = await changesNothing(() =>
      postStructure({ intent: "create-body", kind: "committee", name: "Odd committee", columnId: north.columnId! }),
    );
    expect(fieldErrors(wrongColumn, "columnId")[0]).toMatch(/cannot answer under it/);
  });

  it("adds a committee under the board, and a local board under the trust's local column by default", async () => {
    const answer = await postStructure({ intent: "create-body", kind: "committee", name: "Audit & Risk Committee", shortName: "ARC", parentId: board.id, chairName: "Priya Raman" });
    expect(answer.status).toBe(200);
    expect((answer.data as { notice: string }).notice).toBe("Added Audit & Risk Committee.");
    const committee = (await listBodies(handle.db, trust.id)).find((b) => b.name === "Audit & Risk Committee")!;
    expect(committee).toMatchObject({ kind: "committee", shortName: "ARC", parentId: board.id, columnId: null, chairName: "Priya Raman" });

    await postStructure({ intent: "create-body", kind: "local", name: "Brook board", parentId: north.id, columnId: "", mode: "advisory" });
    const brookBoard = (await listBodies(handle.db, trust.id)).find((b) => b.name === "Brook board")!;
    expect(brookBoard).toMatchObject({ columnId: abbeyBoard.columnId, mode: "advisory" });
  });

  it("refuses a school with a malformed URN or an impossible postcode (400), on the field", async () => {
    const urn = await changesNothing(() => postStructure({ intent: "create-school", urn: "12", name: "Cedar Primary", phase: "primary" }));
    expect(urn.status).toBe(400);
    expect(fieldErrors(urn, "urn")).toEqual(["The URN is 6 digits, e.g. 137542"]);
    const letters = await changesNothing(() => postStructure({ intent: "create-school", urn: "abc", name: "Cedar Primary", phase: "nowhere" }));
    expect(fieldErrors(letters, "urn")).toEqual(["The URN is 6 digits, e.g. 137542"]);
    expect(fieldErrors(letters, "phase")).toEqual(["Choose the school's phase"]);
    const postcode = await changesNothing(() => postStructure({ intent: "create-school", urn: "170003", name: "Cedar Primary", phase: "primary", postcode: "nowhere" }));
    expect(postcode.status).toBe(400);
    expect(fieldErrors(postcode, "postcode")).toEqual(['"nowhere" does not look like a UK postcode, e.g. HG4 1AB.']);
  });

  it("adds a school with its cluster and local board", async () => {
    const answer = await postStructure({
      intent: "create-school",
      urn: "170003",
      name: "Cedar Primary",
      phase: "primary",
      postcode: "dl8 5eb",
      easting: "411300",
      northing: "490200",
      joinedOn: "2021-09-01",
      clusterBodyId: north.id,
      localBodyId: abbeyBoard.id,
    });
    expect(answer.status).toBe(200);
    const [cedar] = await handle.db.select().from(schools).where(eq(schools.urn, 170003));
    expect(cedar).toMatchObject({ postcode: "DL8 5EB", easting: 411300, joinedOn: "2021-09-01", localBodyId: abbeyBoard.id });
  });

  it("refuses to move the first body of its kind up (400), saying why", async () => {
    const answer = await changesNothing(() => postStructure({ intent: "move-body", id: board.id, direction: "up" }));
    expect(answer.status).toBe(400);
    expect(formErrors(answer)).toEqual(["Board of trustees is already first among the trust board columns."]);
  });
});

describe("a body's page", () => {
  it("reads for every member; asks before removing only for the clerk", async () => {
    const asTrustee = await call(bodyPage.loader, getRequest(`${bodyUrl(north.id)}?remove`, trustee), { slug: trust.slug, bodyId: north.id });
    expect(asTrustee.status).toBe(200);
    expect(asTrustee.data).toMatchObject({ canManage: false, removal: null, body: { name: "North cluster" } });
    const asClerk = await call(bodyPage.loader, getRequest(`${bodyUrl(north.id)}?remove`, clerk), { slug: trust.slug, bodyId: north.id });
    const removal = (asClerk.data as { removal: { schools: { name: string; field: string }[] } }).removal;
    expect(removal.schools.map((s) => s.name)).toEqual(["Abbey Primary", "Brook Primary", "Cedar Primary"]);
  });

  it("answers 404 for an address that names no body of the trust", async () => {
    const answer = await call(bodyPage.loader, getRequest(bodyUrl("not-a-body"), clerk), { slug: trust.slug, bodyId: "not-a-body" });
    expect(answer.status).toBe(404);
  });

  it("refuses a trustee's edit (403) and an empty name (400)", async () => {
    const forbidden = await changesNothing(() => postBody(north.id, { intent: "update", version: "1", name: "Renamed" }, trustee));
    expect(forbidden.status).toBe(403);
    const empty = await changesNothing(() => postBody(north.id, { intent: "update", version: String(north.version), name: "" }));
    expect(empty.status).toBe(400);
    expect(fieldErrors(empty, "name")).toEqual(["Give the body a name"]);
  });

  it("saves an edit, then refuses the same stale form (409) and shows the latest", async () => {
    const current = (await getBody(handle.db, trust.id, north.id))!;
    const saved = await postBody(north.id, { intent: "update", version: String(current.version), name: "North Dales cluster", parentId: board.id, mode: "decision-making", columnId: north.columnId!, chairName: "Hazel Routh" });
    expect(saved.status).toBe(200);
    const stale = await changesNothing(() => postBody(north.id, { intent: "update", version: String(current.version), name: "Northern cluster", mode: "decision-making", columnId: north.columnId! }));
    expect(stale.status).toBe(409);
    const answer = stale.data as { stale: string; page: { body: { name: string; chairName: string; version: number } } };
    expect(answer.stale).toBe("Someone else saved the details of North Dales cluster since you opened it. Your change was not saved; the latest version is shown.");
    expect(answer.page.body).toMatchObject({ name: "North Dales cluster", chairName: "Hazel Routh", version: current.version + 1 });
    expect((await getBody(handle.db, trust.id, north.id))!.name).toBe("North Dales cluster");
  });

  it("ticks the schools a local board covers, and unticking one takes it off", async () => {
    const all = await handle.db.select().from(schools).where(eq(schools.trustId, trust.id));
    const seen = all.map((s) => `${s.id}:${s.version}`).join(",");
    const form = new URLSearchParams([
      ["intent", "cover"],
      ["seen", seen],
      ["schoolId", abbey.id],
      ["schoolId", brook.id],
    ]);
    const request = new Request(new URL(bodyUrl(abbeyBoard.id), "http://localhost"), {
      method: "POST",
      body: form.toString(),
      headers: { "Content-Type": "application/x-www-form-urlencoded", cookie: clerk },
    });
    const answer = await call(bodyPage.action, request, { slug: trust.slug, bodyId: abbeyBoard.id });
    expect(answer.status).toBe(200);
    expect((answer.data as { notice: string }).notice).toBe("Saved: 2 schools added, 1 taken off.");
    expect((await getSchool(handle.db, trust.id, brook.id))!.localBodyId).toBe(abbeyBoard.id);
    const [cedar] = await handle.db.select().from(schools).where(eq(schools.urn, 170003));
    expect(cedar!.localBodyId).toBeNull();
  });

  it("removes a body only with the confirmation of its current plan, then shows what was removed", async () => {
    const committee = (await listBodies(handle.db, trust.id)).find((b) => b.name === "Audit & Risk Committee")!;
    const wrong = await changesNothing(() => postBody(committee.id, { intent: "remove", version: String(committee.version), planKey: "stale-plan" }));
    expect(wrong.status).toBe(400);
    expect(formErrors(wrong)[0]).toMatch(/^What removing Audit & Risk Committee would clear has changed since you were asked/);
    const plan = (wrong.data as { page: { removal: { key: string } } }).page.removal;

    const done = await postBody(committee.id, { intent: "remove", version: String(committee.version), planKey: plan.key });
    expect(done.status).toBe(302);
    expect(done.location).toBe(`${structureUrl()}?removed=${committee.id}`);
    expect(await getBody(handle.db, trust.id, committee.id)).toBeNull();
    const after = await call(structurePage.loader, getRequest(done.location!, clerk), { slug: trust.slug });
    expect((after.data as { removedNotice: string }).removedNotice).toBe("Removed Audit & Risk Committee");
  });
});

describe("a school's page", () => {
  it("refuses a trustee's edit (403) and a half location (400)", async () => {
    const forbidden = await changesNothing(() => postSchool(abbey.id, { intent: "update", version: "1", urn: "170001", name: "Renamed", phase: "primary" }, trustee));
    expect(forbidden.status).toBe(403);
    const current = (await getSchool(handle.db, trust.id, abbey.id))!;
    const half = await changesNothing(() =>
      postSchool(abbey.id, { intent: "update", version: String(current.version), urn: "170001", name: "Abbey Primary", phase: "primary", easting: "430000" }),
    );
    expect(half.status).toBe(400);
    expect(fieldErrors(half, "northing")).toEqual(["Give both the easting and the northing of the school, or neither."]);
    const far = await changesNothing(() =>
      postSchool(abbey.id, { intent: "update", version: String(current.version), urn: "170001", name: "Abbey Primary", phase: "primary", easting: "9000000", northing: "1" }),
    );
    expect(fieldErrors(far, "easting")).toEqual(["The easting is a whole number of metres between 0 and 700,000"]);
  });

  it("saves the school's cluster and local board from its page", async () => {
    const current = (await getSchool(handle.db, trust.id, abbey.id))!;
    const answer = await postSchool(abbey.id, {
      intent: "update",
      version: String(current.version),
      urn: "170001",
      name: "Abbey Primary",
      phase: "primary",
      clusterBodyId: "",
      localBodyId: abbeyBoard.id,
      headteacherName: "Ann Example",
    });
    expect(answer.status).toBe(200);
    expect(await getSchool(handle.db, trust.id, abbey.id)).toMatchObject({ clusterBodyId: null, localBodyId: abbeyBoard.id, headteacherName: "Ann Example" });
  });

  it("asks before removing, then removes the school", async () => {
    const page = await call(schoolPage.loader, getRequest(`${schoolUrl(brook.id)}?remove`, clerk), { slug: trust.slug, schoolId: brook.id });
    const removal = (page.data as { removal: { key: string; blocked: string | null; performanceRecords: number; school: { version: number } } }).removal;
    expect(removal).toMatchObject({ blocked: null, performanceRecords: 0 });
    const done = await postSchool(brook.id, { intent: "remove", version: String(removal.school.version), planKey: removal.key });
    expect(done.status).toBe(302);
    expect(await getSchool(handle.db, trust.id, brook.id)).toBeNull();
  });
});
