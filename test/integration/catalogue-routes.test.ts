/**
 * The responsibility pages as Remix calls them: everyone reads, editors change, viewers are refused
 * (403); bad posts answer 400 with the reasons, stale ones 409 with the row as it now stands.
 */
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db/client";
import { responsibilities } from "../../db/schema";
import { COMMAND_LINE } from "~/models/audit.server";
import { addMember } from "~/models/membership.server";
import { saveRow } from "~/models/row-save.server";
import { startDraft } from "~/models/scheme.server";
import { createBody, type Body } from "~/models/structure.server";
import { createTrust, type Trust } from "~/models/trust.server";
import { createUser } from "~/models/user.server";
import * as listRoute from "~/routes/trusts.$slug.catalogue._index";
import * as newRoute from "~/routes/trusts.$slug.catalogue.new";
import * as renumberRoute from "~/routes/trusts.$slug.catalogue.renumber";
import * as rowRoute from "~/routes/trusts.$slug.catalogue.$rowId._index";
import * as retireRoute from "~/routes/trusts.$slug.catalogue.$rowId.retire";
import { freshDatabase } from "../support/database";
import { call, fieldErrors, formErrors, getRequest, ORIGIN, sessionCookie, type Answer } from "../support/requests";

const PEOPLE = {
  clerk: { name: "Carys Clerk", email: "clerk@catalogue-routes.example", password: "catalogue-clerk-1" },
  trustee: { name: "Tariq Trustee", email: "trustee@catalogue-routes.example", password: "catalogue-trustee-1" },
  viewer: { name: "Vera Viewer", email: "viewer@catalogue-routes.example", password: "catalogue-viewer-1" },
} as const;

let handle: DatabaseHandle;
let trust: Trust;
let board: Body;
const cookies: Record<keyof typeof PEOPLE, string> = { clerk: "", trustee: "", viewer: "" };

beforeAll(async () => {
  handle = await freshDatabase();
  trust = await createTrust(handle.db, COMMAND_LINE, { name: "Catalogue Routes Trust", slug: "catalogue-routes" });
  board = await createBody(handle.db, COMMAND_LINE, { trustId: trust.id, kind: "board", name: "Board of trustees" });
  for (const role of ["clerk", "trustee", "viewer"] as const) {
    const person = await createUser(handle.db, COMMAND_LINE, PEOPLE[role]);
    await addMember(handle.db, COMMAND_LINE, { trustId: trust.id, userId: person.id, role });
    cookies[role] = await sessionCookie(PEOPLE[role].email, PEOPLE[role].password);
  }
});
afterAll(() => handle?.close());

const base = () => `/trusts/${trust.slug}/catalogue`;

async function byKey(key: string) {
  const [row] = await handle.db
    .select()
    .from(responsibilities)
    .where(and(eq(responsibilities.trustId, trust.id), eq(responsibilities.catalogueKey, key)));
  return row!;
}

/** A form post whose fields may repeat (ticked boxes). */
function post(path: string, fields: [string, string][], cookie: string): Request {
  return new Request(new URL(path, ORIGIN), {
    method: "POST",
    body: new URLSearchParams(fields).toString(),
    headers: { "Content-Type": "application/x-www-form-urlencoded", cookie },
  });
}

type ListData = Awaited<ReturnType<typeof listRoute.loader>>;

async function list(cookie = cookies.viewer): Promise<ListData> {
  const answer = await call(listRoute.loader, getRequest(base(), cookie), { slug: trust.slug });
  expect(answer.status).toBe(200);
  return answer.data as ListData;
}

function editFields(row: Awaited<ReturnType<typeof byKey>>, changes: Record<string, string> = {}): [string, string][] {
  const fields: Record<string, string> = {
    version: String(row.version),
    area: String(row.area),
    ref: row.ref,
    title: row.title,
    guidance: row.guidance ?? "",
    section: row.section ?? "",
    ...changes,
  };
  return [...Object.entries(fields), ...row.tags.map((t): [string, string] => ["tags", t])];
}

const postRow = (id: string, fields: [string, string][], cookie = cookies.clerk) =>
  call(rowRoute.action, post(`${base()}/${id}?index`, fields, cookie), { slug: trust.slug, rowId: id });

describe("reading the catalogue", () => {
  it("shows every member the rows by area in order, with constraints in words, and no change buttons for a viewer", async () => {
    const data = await list();
    expect(data.areas.map((a) => a.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(data.canEdit).toBe(false);
    const budget = data.areas[11]!.rows.find((r) => r.ref === "12.8")!;
    expect(budget.constraint).toContain("Only the trust board may decide (ST-12)");
    expect(budget.statutory).toBe(true);
    const exclusions = data.areas[3]!.rows.find((r) => r.ref === "4.3")!;
    expect(exclusions.constraint).toContain("Headteacher and school leadership: not permitted here");
    expect(data.areas[2]!.rows[0]!.tags).toEqual(["Innovation-eligible"]);
    expect((await list(cookies.trustee)).canEdit).toBe(true);
  });

  it("shows a statutory row's constraint locked, with why, and offers the constraint of the trust's own rows", async () => {
    const budget = await byKey("STAT-F1");
    const answer = await call(rowRoute.loader, getRequest(`${base()}/${budget.id}`, cookies.clerk), { slug: trust.slug, rowId: budget.id });
    expect(answer.status).toBe(200);
    expect(answer.data).toMatchObject({ canEdit: true, lockReason: expect.stringMatching(/ST-12/) });
    const open = await byKey("SEED-06");
    const openAnswer = await call(rowRoute.loader, getRequest(`${base()}/${open.id}`, cookies.clerk), { slug: trust.slug, rowId: open.id });
    expect(openAnswer.data).toMatchObject({ lockReason: null });
  });

  it("answers 404 for a row that is not the trust's", async () => {
    for (const rowId of ["not-a-row", "00000000-0000-4000-8000-000000000000"]) {
      const answer = await call(rowRoute.loader, getRequest(`${base()}/${rowId}`, cookies.clerk), { slug: trust.slug, rowId });
      expect(answer.status).toBe(404);
    }
  });
});

describe("a viewer", () => {
  it("may not open the editing pages nor post to any of them (403), and nothing changes", async () => {
    const row = await byKey("SEED-12");
    const before = await list();
    const refused: Answer[] = [
      await call(newRoute.loader, getRequest(`${base()}/new`, cookies.viewer), { slug: trust.slug }),
      await call(newRoute.action, post(`${base()}/new`, [["area", "1"], ["title", "Viewer's row"]], cookies.viewer), { slug: trust.slug }),
      await call(listRoute.action, post(`${base()}?index`, [["intent", "move"], ["id", row.id], ["version", String(row.version)], ["direction", "down"]], cookies.viewer), { slug: trust.slug }),
      await postRow(row.id, editFields(row, { title: "Viewer's title" }), cookies.viewer),
      await call(retireRoute.loader, getRequest(`${base()}/${row.id}/retire`, cookies.viewer), { slug: trust.slug, rowId: row.id }),
      await call(retireRoute.action, post(`${base()}/${row.id}/retire`, [["version", String(row.version)], ["expectedCleared", "0"]], cookies.viewer), { slug: trust.slug, rowId: row.id }),
      await call(renumberRoute.action, post(`${base()}/renumber`, [["scope", "all"], ["fingerprint", "0".repeat(64)]], cookies.viewer), { slug: trust.slug }),
    ];
    expect(refused.map((a) => a.status)).toEqual([403, 403, 403, 403, 403, 403, 403]);
    expect(await list()).toEqual(before);
  });
});

describe("adding a row", () => {
  it("refuses an empty title (400) with the field's message", async () => {
    const answer = await call(newRoute.action, post(`${base()}/new`, [["area", "4"], ["title", "  "]], cookies.trustee), { slug: trust.slug });
    expect(answer.status).toBe(400);
    expect(fieldErrors(answer, "title")).toEqual(["Give the responsibility a title"]);
  });

  it("refuses an area that does not exist (400)", async () => {
    const answer = await call(newRoute.action, post(`${base()}/new`, [["area", "14"], ["title", "Lettings"]], cookies.trustee), { slug: trust.slug });
    expect(answer.status).toBe(400);
    expect(fieldErrors(answer, "area")).toEqual(["Choose one of the 12 areas, or Unclassified"]);
  });

  it("refuses a row tagged both a strand of consistency and innovation-eligible (400)", async () => {
    const answer = await call(
      newRoute.action,
      post(`${base()}/new`, [["area", "12"], ["title", "Lettings"], ["tags", "strand-of-consistency"], ["tags", "innovation-eligible"]], cookies.trustee),
      { slug: trust.slug },
    );
    expect(answer.status).toBe(400);
    expect(fieldErrors(answer, "tags")[0]).toMatch(/^A row cannot be both a strand of consistency .* Choose one\.$/);
  });

  it("refuses a ref another row has (400), naming that row", async () => {
    const answer = await call(newRoute.action, post(`${base()}/new`, [["area", "4"], ["title", "Attendance"], ["ref", "4.2"]], cookies.trustee), {
      slug: trust.slug,
    });
    expect(answer.status).toBe(400);
    expect(fieldErrors(answer, "ref")[0]).toMatch(/^The ref 4\.2 is already used by "Determine admission arrangements/);
  });

  it("adds the row with the next ref of its area and goes back to the list, which names it", async () => {
    const answer = await call(
      newRoute.action,
      post(`${base()}/new`, [["area", "4"], ["title", "Attendance policy"], ["section", "D. Pupils"], ["tags", "strand-of-consistency"]], cookies.trustee),
      { slug: trust.slug },
    );
    expect(answer.status).toBe(302);
    const id = new URL(answer.location!, ORIGIN).searchParams.get("saved")!;
    const shown = await call(listRoute.loader, getRequest(answer.location!, cookies.trustee), { slug: trust.slug });
    expect((shown.data as ListData).notice).toBe("Saved 4.7 “Attendance policy”.");
    const row = (shown.data as ListData).areas[3]!.rows.at(-1)!;
    expect(row).toMatchObject({ id, ref: "4.7", section: "D. Pupils", tags: ["Strand of consistency"] });
  });

  it("suggests the next ref of the area asked for", async () => {
    const answer = await call(newRoute.loader, getRequest(`${base()}/new?area=4`, cookies.trustee), { slug: trust.slug });
    expect(answer.data).toMatchObject({ area: 4, suggested: { ref: "4.8", area: "Pupil policies and pastoral system" } });
  });
});

describe("editing a row", () => {
  it("saves a change and goes back to the list", async () => {
    const row = await byKey("SEED-13");
    const answer = await postRow(row.id, editFields(row, { section: "Communications" }));
    expect(answer.status).toBe(302);
    expect((await byKey("SEED-13")).section).toBe("Communications");
  });

  it("refuses a stale save (409), keeping what was typed to show beside the latest", async () => {
    const row = await byKey("SEED-15");
    expect((await postRow(row.id, editFields(row, { title: "Information systems: first" }), cookies.trustee)).status).toBe(302);
    const answer = await postRow(row.id, editFields(row, { title: "Information systems: second" }));
    expect(answer.status).toBe(409);
    expect(answer.data).toMatchObject({
      stale: { message: expect.stringMatching(/^Someone else saved this responsibility/), yours: { title: "Information systems: second" } },
    });
    expect((await byKey("SEED-15")).title).toBe("Information systems: first");
    const reloaded = await call(rowRoute.loader, getRequest(`${base()}/${row.id}`, cookies.clerk), { slug: trust.slug, rowId: row.id });
    expect(reloaded.data).toMatchObject({ row: { title: "Information systems: first", version: row.version + 1 } });
  });

  it("refuses to change a statutory row's constraint (400), saying why", async () => {
    const budget = await byKey("STAT-F1");
    const answer = await postRow(budget.id, [...editFields(budget), ["constraint", "offered"], ["decisionKinds", "committee"]]);
    expect(answer.status).toBe(400);
    expect(fieldErrors(answer, "decisionKinds")[0]).toMatch(/statutory decision \(ST-12\)/);
    expect((await byKey("STAT-F1")).decisionKinds).toEqual(["board"]);
  });

  it("sets the constraint of a row without one from the ticked boxes", async () => {
    const row = await byKey("SEED-09");
    const answer = await postRow(row.id, [
      ...editFields(row),
      ["constraint", "offered"],
      ["decisionKinds", "board"],
      ["decisionKinds", "committee"],
      ["excludedKinds", "external"],
    ]);
    expect(answer.status).toBe(302);
    expect(await byKey("SEED-09")).toMatchObject({ decisionKinds: ["board", "committee"], excludedKinds: ["external"] });
  });

  it("refuses an empty ref and an overlong title (400)", async () => {
    const row = await byKey("SEED-10");
    const answer = await postRow(row.id, editFields(row, { ref: "", title: "t".repeat(501) }));
    expect(answer.status).toBe(400);
    expect(fieldErrors(answer, "ref")).toEqual(["Give the row a ref, such as 4.6"]);
    expect(fieldErrors(answer, "title")).toEqual(["Use at most 500 characters for the title"]);
  });
});

describe("order, numbering, retiring and restoring", () => {
  it("moves a row up, then renumbers its area from the preview", async () => {
    const row = await byKey("STAT-G1");
    const moved = await call(
      listRoute.action,
      post(`${base()}?index`, [["intent", "move"], ["id", row.id], ["version", String(row.version)], ["direction", "up"]], cookies.clerk),
      { slug: trust.slug },
    );
    expect(moved.status).toBe(302);
    const preview = await call(renumberRoute.loader, getRequest(`${base()}/renumber?scope=1`, cookies.clerk), { slug: trust.slug });
    const data = preview.data as Awaited<ReturnType<typeof renumberRoute.loader>>;
    expect(data.renamed.map((c) => `${c.fromRef}→${c.toRef}`)).toEqual(["1.2→1.1", "1.1→1.2"]);
    const done = await call(renumberRoute.action, post(`${base()}/renumber`, [["scope", "1"], ["fingerprint", data.fingerprint]], cookies.clerk), {
      slug: trust.slug,
    });
    expect(done.status).toBe(302);
    expect(done.location).toBe(`${base()}?renumbered=2`);
    expect((await byKey("STAT-G1")).ref).toBe("1.1");
    const again = await call(renumberRoute.action, post(`${base()}/renumber`, [["scope", "1"], ["fingerprint", data.fingerprint]], cookies.clerk), {
      slug: trust.slug,
    });
    expect(again.status).toBe(409);
    expect(formErrors(again)[0]).toMatch(/^Someone else saved the responsibilities/);
  });

  it("refuses a move past the top of the area (400) with the reason", async () => {
    const row = await byKey("STAT-G1");
    const answer = await call(
      listRoute.action,
      post(`${base()}?index`, [["intent", "move"], ["id", row.id], ["version", String(row.version)], ["direction", "up"]], cookies.clerk),
      { slug: trust.slug },
    );
    expect(answer.status).toBe(400);
    expect(formErrors(answer)).toEqual(["1.1 is already the first row of Vision and values."]);
  });

  it("asks before retiring a statutory row, needs a reason, retires it, and restores it from the list", async () => {
    const draft = await startDraft(handle.db, COMMAND_LINE, { trustId: trust.id, from: "empty" });
    const admissions = await byKey("STAT-P1");
    await saveRow(handle.db, COMMAND_LINE, { trustId: trust.id, versionId: draft.id, rowId: admissions.id, codes: { [board.id]: "D" }, expectedRevision: 1 });
    const asked = await call(retireRoute.loader, getRequest(`${base()}/${admissions.id}/retire`, cookies.clerk), { slug: trust.slug, rowId: admissions.id });
    expect(asked.data).toMatchObject({ statutory: true, draft: { number: 1 }, cleared: 1, lost: "1 cell" });
    const fields: [string, string][] = [["version", String(admissions.version)], ["expectedCleared", "1"]];
    const retirePath = `${base()}/${admissions.id}/retire`;
    const noReason = await call(retireRoute.action, post(retirePath, fields, cookies.clerk), { slug: trust.slug, rowId: admissions.id });
    expect(noReason.status).toBe(400);
    expect(fieldErrors(noReason, "reason")[0]).toMatch(/^Say why this statutory decision is being retired/);
    const retired = await call(retireRoute.action, post(retirePath, [...fields, ["reason", "Admissions run by the local authority"]], cookies.clerk), {
      slug: trust.slug,
      rowId: admissions.id,
    });
    expect(retired.status).toBe(302);
    const shown = (await call(listRoute.loader, getRequest(retired.location!, cookies.clerk), { slug: trust.slug })).data as ListData;
    expect(shown.notice).toMatch(/^Retired 4\.2 “Determine admission arrangements/);
    expect(shown.retired.map((r) => r.id)).toEqual([admissions.id]);
    expect(shown.areas[3]!.rows.some((r) => r.id === admissions.id)).toBe(false);

    const current = await byKey("STAT-P1");
    const restored = await call(
      listRoute.action,
      post(`${base()}?index`, [["intent", "restore"], ["id", admissions.id], ["version", String(current.version)]], cookies.trustee),
      { slug: trust.slug },
    );
    expect(restored.status).toBe(302);
    const after = (await call(listRoute.loader, getRequest(restored.location!, cookies.clerk), { slug: trust.slug })).data as ListData;
    expect(after.notice).toBe("Restored 4.2 “Determine admission arrangements and published admission numbers”.");
    expect(after.retired).toEqual([]);
  });
});
