/**
 * The whole trust's history as Remix calls it: every change of the trust whatever it was made to
 * (structure, school records, tiers, settings, versions), newest first; each filter (person, days,
 * kind of change) keeps the entries it should and drops the others; pages follow one another with
 * no entry twice and none missed; a filter it cannot read is refused with a message, not a fault;
 * and another trust's entries never show, whatever the filter.
 */
import { and, count, eq, gte, lt } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db/client";
import { auditLog, schemeVersions } from "../../db/schema";
import { DEMO_USERS, seedDemoTrust, type DemoTrust } from "../../db/seed";
import type { Role } from "~/domain/roles";
import { COMMAND_LINE } from "~/models/audit.server";
import { addMember } from "~/models/membership.server";
import { loadScheme } from "~/models/scheme.server";
import { createTrust, type Trust } from "~/models/trust.server";
import { createUser, type PublicUser } from "~/models/user.server";
import * as trustHistoryRoute from "~/routes/trusts.$slug.history";
import { freshDatabase } from "../support/database";
import { call, getRequest, sessionCookie, type Answer } from "../support/requests";

type Page = Extract<Awaited<ReturnType<typeof trustHistoryRoute.loader>>, { data: unknown }>["data"];

let handle: DatabaseHandle;
let demo: DemoTrust;
let other: Trust;
let outsider: PublicUser;
let outsiderCookie: string;
const cookies = {} as Record<Role, string>;
let rowA: string;
let draftNumber: number;

/** One entry of each kind, and a few more, all in 2020 (the demo's own entries are from today). */
const KINDS_2020 = [
  { entity: "body", summary: "Added the Finance committee", kind: "structure", at: "2020-02-03T10:00:00Z", by: "clerk" },
  { entity: "school", summary: "Moved Fellside Primary to the north cluster", kind: "structure", at: "2020-02-04T10:00:00Z", by: "ceo" },
  { entity: "performance-record", summary: "Recorded an inspection of Fellside Primary", kind: "school-records", at: "2020-03-05T10:00:00Z", by: "clerk" },
  { entity: "school-review", summary: "Reviewed Fellside Primary", kind: "school-records", at: "2020-03-06T10:00:00Z", by: "ceo" },
  { entity: "tier-decision", summary: "Decided Fellside Primary is in Earned autonomy (T1)", kind: "school-records", at: "2020-03-07T10:00:00Z", by: "ceo" },
  { entity: "autonomy-tiers", summary: "Renamed tier T3 to Supported", kind: "tiers", at: "2020-04-08T10:00:00Z", by: "ceo" },
  { entity: "trust", summary: "Changed the thresholds of the checks", kind: "settings", at: "2020-05-09T10:00:00Z", by: "clerk" },
  { entity: "strategy-profile", summary: "Rated the strategy statements", kind: "settings", at: "2020-05-10T10:00:00Z", by: "trustee" },
  { entity: "membership", summary: "Added a member as Trustee", kind: "settings", at: "2020-05-11T10:00:00Z", by: "command line" },
  { entity: "version", summary: "Started a draft", kind: "scheme", at: "2020-06-12T10:00:00Z", by: "clerk", version: true },
  { entity: "cell", summary: "Changed a cell of the draft", kind: "scheme", at: "2020-06-13T10:00:00Z", by: "trustee", version: true, row: true },
  { entity: "tier-cell", summary: "Changed a tier variant of the draft", kind: "scheme", at: "2020-06-14T10:00:00Z", by: "ceo", version: true, row: true },
  { entity: "finding", summary: "Acknowledged a finding of the checks", kind: "scheme", at: "2020-06-15T23:30:00Z", by: "clerk", version: true },
] as const;

const KIND_NAMES: Record<string, string> = {
  structure: "Structure",
  "school-records": "School records",
  tiers: "Tiers",
  settings: "Settings",
  scheme: "Scheme",
};

beforeAll(async () => {
  handle = await freshDatabase();
  demo = await seedDemoTrust(handle.db, COMMAND_LINE);
  for (const person of DEMO_USERS) cookies[person.role] = await sessionCookie(person.email, person.password);
  other = await createTrust(handle.db, COMMAND_LINE, { name: "Fellside Other Trust", slug: "fellside-other" });
  outsider = await createUser(handle.db, COMMAND_LINE, { email: "o.other@fellside.example", name: "Olive Other", password: "other-password-1" });
  await addMember(handle.db, COMMAND_LINE, { trustId: other.id, userId: outsider.id, role: "clerk" });
  outsiderCookie = await sessionCookie("o.other@fellside.example", "other-password-1");
  const scheme = await loadScheme(handle.db, demo.trust.id, demo.draftVersionId);
  rowA = scheme.rows[0]!.id;
  const [draft] = await handle.db.select({ number: schemeVersions.number }).from(schemeVersions).where(eq(schemeVersions.id, demo.draftVersionId));
  draftNumber = draft!.number;

  const personOf = (by: Role | "command line") => (by === "command line" ? null : demo.users[by]);
  await handle.db.insert(auditLog).values([
    ...KINDS_2020.map((e) => {
      const user = personOf(e.by);
      return {
        trustId: demo.trust.id,
        userId: user?.id ?? null,
        actor: user?.name ?? COMMAND_LINE.name,
        at: new Date(e.at),
        action: "update",
        entity: e.entity,
        versionId: "version" in e ? demo.draftVersionId : null,
        responsibilityId: "row" in e ? rowA : null,
        summary: e.summary,
        before: { name: "before" },
        after: { name: "after" },
      };
    }),
    // Another trust's entries, on the same days and of the same kinds, one by its own clerk and one
    // naming this trust's version and row: never shown here.
    ...KINDS_2020.map((e) => ({
      trustId: other.id,
      userId: outsider.id,
      actor: outsider.name,
      at: new Date(e.at),
      action: "update",
      entity: e.entity,
      versionId: demo.draftVersionId,
      responsibilityId: rowA,
      summary: `another trust's ${e.entity}`,
    })),
    // Someone who has left, recorded under their name alone (with a quote in it).
    { trustId: demo.trust.id, userId: null, actor: "Mary O'Neill", at: new Date("2019-12-01T10:00:00Z"), action: "update", entity: "school", summary: "Renamed a school before leaving" },
    // An entry of no trust (a person's own password): never in a trust's history.
    { trustId: null, userId: demo.users.clerk.id, actor: demo.users.clerk.name, at: new Date("2020-02-03T11:00:00Z"), action: "update", entity: "user", summary: "Changed the password" },
  ]);
  // A busy day: 130 entries of every kind, many recorded in the same instant (as one transaction's are).
  const entities = ["cell", "school", "performance-record", "trust", "autonomy-tiers"];
  await handle.db.insert(auditLog).values(
    Array.from({ length: 130 }, (_, i) => ({
      trustId: demo.trust.id,
      userId: i % 3 === 0 ? demo.users.ceo.id : demo.users.clerk.id,
      actor: i % 3 === 0 ? demo.users.ceo.name : demo.users.clerk.name,
      at: new Date(Date.UTC(2021, 4, 5, 10, Math.floor(i / 10))),
      action: "update",
      entity: entities[i % entities.length]!,
      versionId: i % 5 === 0 ? demo.draftVersionId : null,
      summary: `busy ${i}`,
    })),
  );
});
afterAll(() => handle?.close());

const url = (query = "") => `/trusts/${demo.trust.slug}/history${query}`;
function historyPage(query = "", cookie = cookies.viewer): Promise<Answer> {
  return call(trustHistoryRoute.loader, getRequest(url(query), cookie), { slug: demo.trust.slug });
}
const pageOf = (answer: Answer) => answer.data as Page;
const summaries = (answer: Answer) => pageOf(answer).view.entries.map((e) => e.summary);
const IN_2020 = "from=2020-01-01&to=2020-12-31";

/** Every entry of the history, walked page by page through the "Older entries" links. */
async function walk(filter = ""): Promise<{ pages: Page[]; ids: number[] }> {
  const pages: Page[] = [];
  let query = filter ? `?${filter}` : "";
  for (;;) {
    const answer = await historyPage(query);
    expect(answer.status).toBe(200);
    const page = pageOf(answer);
    pages.push(page);
    if (!page.view.older) break;
    query = `?${filter ? `${filter}&` : ""}before=${encodeURIComponent(page.view.older)}`;
    expect(pages.length).toBeLessThan(100);
  }
  return { pages, ids: pages.flatMap((p) => p.view.entries.map((e) => e.id)) };
}

describe("the trust's history", () => {
  it("is open to everyone in the trust, and to no one else", async () => {
    for (const role of ["viewer", "trustee", "ceo", "clerk"] as Role[]) expect((await historyPage("", cookies[role])).status, role).toBe(200);
    expect((await historyPage("", outsiderCookie)).status).toBe(404);
    const anonymous = await call(trustHistoryRoute.loader, getRequest(url()), { slug: demo.trust.slug });
    expect(anonymous.status).toBe(302);
    expect(anonymous.location).toMatch(/^\/sign-in/);
  });

  it("shows every kind of change of the trust, newest first, with its kind, version and row in words", async () => {
    const page = pageOf(await historyPage(`?${IN_2020}`));
    expect(page.view.entries.map((e) => e.summary)).toEqual(KINDS_2020.map((e) => e.summary).reverse());
    const cell = page.view.entries.find((e) => e.summary === "Changed a cell of the draft")!;
    expect(cell).toMatchObject({ who: demo.users.trustee.name, kind: "Scheme", versionNumber: draftNumber, before: "name: before", after: "name: after" });
    expect(cell.row?.id).toBe(rowA);
    const body = page.view.entries.find((e) => e.summary === "Added the Finance committee")!;
    expect(body).toMatchObject({ kind: "Structure", versionNumber: null, row: null });
    // 15 June 23:30 UTC is 16 June in England (BST).
    expect(page.view.entries.find((e) => e.summary.startsWith("Acknowledged"))!.when).toBe("16 Jun 2020, 00:30");
    for (const e of KINDS_2020) expect(page.view.entries.find((x) => x.summary === e.summary)!.kind, e.entity).toBe(KIND_NAMES[e.kind]);
    // The demo's own entries (made when it was seeded) are there too, without a filter.
    const newest = pageOf(await historyPage());
    expect(newest.view.entries.length).toBe(50);
    expect(newest.view.entries[0]!.at > "2021").toBe(true);
  });

  it("never shows another trust's entries, nor entries of no trust, whatever the filter", async () => {
    const { pages } = await walk();
    const all = pages.flatMap((p) => p.view.entries.map((e) => e.summary));
    expect(all.some((s) => s.startsWith("another trust's"))).toBe(false);
    expect(all).not.toContain("Changed the password");
    const [own] = await handle.db.select({ n: count() }).from(auditLog).where(eq(auditLog.trustId, demo.trust.id));
    expect(all.length).toBe(own!.n);
    // Filtering by the other trust's clerk finds nothing here, and she is not offered.
    expect(summaries(await historyPage(`?person=${outsider.id}`))).toEqual([]);
    expect(pages[0]!.view.people.map((p) => p.name)).not.toContain(outsider.name);
    for (const kind of Object.keys(KIND_NAMES)) {
      expect(summaries(await historyPage(`?kind=${kind}&${IN_2020}`)).some((s) => s.startsWith("another trust's")), kind).toBe(false);
    }
  });

  it("filters by kind of change: each kind keeps its own entries and drops the others", async () => {
    for (const kind of Object.keys(KIND_NAMES)) {
      const shown = summaries(await historyPage(`?kind=${kind}&${IN_2020}`));
      const expected = KINDS_2020.filter((e) => e.kind === kind).map((e) => e.summary).reverse();
      expect(shown, kind).toEqual(expected);
      for (const e of KINDS_2020.filter((x) => x.kind !== kind)) expect(shown, `${kind} without ${e.entity}`).not.toContain(e.summary);
    }
    const page = pageOf(await historyPage(`?kind=school-records&${IN_2020}`));
    expect(page.view.filters.kind).toBe("school-records");
    expect(page.view.entries.every((e) => e.kind === "School records")).toBe(true);
  });

  it("filters by person (and the command line), and offers everyone who made a change in the trust", async () => {
    const people = pageOf(await historyPage()).view.people;
    const names = people.map((p) => p.name);
    expect(names).toEqual(expect.arrayContaining([demo.users.clerk.name, demo.users.ceo.name, demo.users.trustee.name, COMMAND_LINE.name]));
    expect(names.at(-1)).toBe(COMMAND_LINE.name);
    expect(new Set(names).size).toBe(names.length);

    const ceo = summaries(await historyPage(`?person=${demo.users.ceo.id}&${IN_2020}`));
    expect(ceo).toEqual(KINDS_2020.filter((e) => e.by === "ceo").map((e) => e.summary).reverse());
    expect(ceo).not.toContain("Added the Finance committee");
    const cli = summaries(await historyPage(`?person=command+line&${IN_2020}`));
    expect(cli).toEqual(["Added a member as Trustee"]);
    expect(names).toContain("Mary O'Neill");
    expect(summaries(await historyPage(`?person=${encodeURIComponent("Mary O'Neill")}`))).toEqual(["Renamed a school before leaving"]);
    for (const odd of ["Mary O'Neill' or ''='", "back\\slash\\' or 1=1 --", "$1", "é ‘quoted’"]) {
      const answer = await historyPage(`?person=${encodeURIComponent(odd)}`);
      expect(answer.status, odd).toBe(200);
      expect(summaries(answer), odd).toEqual([]);
    }
    // Person and kind together.
    expect(summaries(await historyPage(`?person=${demo.users.clerk.id}&kind=structure&${IN_2020}`))).toEqual(["Added the Finance committee"]);
    expect(summaries(await historyPage(`?person=${demo.users.trustee.id}&kind=structure&${IN_2020}`))).toEqual([]);
  });

  it("filters by days in England", async () => {
    expect(summaries(await historyPage("?from=2020-03-05&to=2020-03-06"))).toEqual(["Reviewed Fellside Primary", "Recorded an inspection of Fellside Primary"]);
    // 15 June 23:30 UTC is 16 June in England: not on the 15th, but on the 16th.
    expect(summaries(await historyPage("?from=2020-06-15&to=2020-06-15"))).toEqual([]);
    expect(summaries(await historyPage("?from=2020-06-16&to=2020-06-16"))).toEqual(["Acknowledged a finding of the checks"]);
    const upTo = summaries(await historyPage("?to=2020-02-28"));
    expect(upTo).toContain("Moved Fellside Primary to the north cluster");
    expect(upTo).not.toContain("Recorded an inspection of Fellside Primary");
    const since = summaries(await historyPage("?from=2020-06-14&to=2020-12-31"));
    expect(since).toEqual(["Acknowledged a finding of the checks", "Changed a tier variant of the draft"]);
  });

  it("pages through every entry with none twice and none missed, newest first, and back again, keeping the filter", async () => {
    const filter = "from=2021-05-05&to=2021-05-05";
    const { pages, ids } = await walk(filter);
    expect(pages.map((p) => p.view.entries.length)).toEqual([50, 50, 30]);
    expect(new Set(ids).size).toBe(130);
    const all = pages.flatMap((p) => p.view.entries);
    for (let i = 1; i < all.length; i++) {
      const [a, b] = [all[i - 1]!, all[i]!];
      expect(a.at > b.at || (a.at === b.at && a.id > b.id)).toBe(true);
    }
    expect(pages[0]!.view.newer).toBeNull();
    expect(pages.at(-1)!.view.older).toBeNull();
    const back = pageOf(await historyPage(`?${filter}&after=${encodeURIComponent(pages.at(-1)!.view.newer!)}`));
    expect(back.view.entries.map((e) => e.id)).toEqual(pages[1]!.view.entries.map((e) => e.id));
    expect(back.view.older).not.toBeNull();

    // With a kind as well: the busy day's cells only (every fifth entry), on one page.
    const cells = await walk(`${filter}&kind=scheme`);
    expect(cells.ids.length).toBe(26);
    expect(cells.pages.flatMap((p) => p.view.entries).every((e) => e.summary.startsWith("busy") && e.kind === "Scheme")).toBe(true);

    // Every entry of the trust, unfiltered, across pages: as many as the trust has, none twice.
    const whole = await walk();
    const [own] = await handle.db.select({ n: count() }).from(auditLog).where(eq(auditLog.trustId, demo.trust.id));
    expect(new Set(whole.ids).size).toBe(own!.n);
    const [busy] = await handle.db
      .select({ n: count() })
      .from(auditLog)
      .where(and(eq(auditLog.trustId, demo.trust.id), gte(auditLog.at, new Date("2021-05-05T00:00:00Z")), lt(auditLog.at, new Date("2021-05-06T00:00:00Z"))));
    expect(busy!.n).toBe(130);
  });

  it("refuses a filter or page it cannot read with a message, not a fault, and keeps what was typed", async () => {
    for (const [query, field, message] of [
      ["?kind=everything", "kind", /kind of change from the list/],
      ["?kind=cell", "kind", /kind of change from the list/],
      ["?from=2020-02-30", "from", /first day as a date/],
      ["?to=yesterday", "to", /last day as a date/],
      ["?from=2020-06-02&to=2020-06-01", "to", /on or after the first day/],
      ["?before=not-a-page", "page", /could not be found/],
      ["?person=" + "x".repeat(201), "person", /Choose a person/],
      ["?person=%00", "person", /Choose a person/],
    ] as const) {
      const answer = await historyPage(query);
      expect(answer.status, query).toBe(400);
      const page = pageOf(answer);
      expect(page.view.errors[field], query).toMatch(message);
      expect(page.view.entries).toEqual([]);
      expect(page.view.people.length, query).toBeGreaterThan(0);
    }
    expect(pageOf(await historyPage("?kind=everything")).view.filters.kind).toBe("everything");
    // A person no one is, or a well-formed page from nowhere, is simply an empty page.
    expect(summaries(await historyPage("?person=00000000-0000-4000-8000-000000000000"))).toEqual([]);
    expect((await historyPage("?before=2000-01-01T00:00:00.000000Z_1")).status).toBe(200);
  });
});
