/**
 * The history pages as Remix calls them: a version's history holds that version's entries only; a
 * row's history holds that row's entries in every version, each with its version; both filter by
 * person and by days in England, refuse a date or page they cannot read with a message, page through
 * every entry newest first with no entry twice and none missed, and never show another trust's entries.
 */
import { and, count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db/client";
import { auditLog, schemeVersions } from "../../db/schema";
import { DEMO_USERS, seedDemoTrust, type DemoTrust } from "../../db/seed";
import type { Role } from "~/domain/roles";
import { COMMAND_LINE } from "~/models/audit.server";
import { addMember } from "~/models/membership.server";
import { loadScheme } from "~/models/scheme.server";
import { createTrust, type Trust } from "~/models/trust.server";
import { createUser } from "~/models/user.server";
import * as rowHistoryRoute from "~/routes/trusts.$slug.catalogue.$rowId.history";
import * as versionHistoryRoute from "~/routes/trusts.$slug.versions.$number.history";
import { freshDatabase } from "../support/database";
import { call, getRequest, sessionCookie, type Answer } from "../support/requests";

type Page = Extract<Awaited<ReturnType<typeof versionHistoryRoute.loader>>, { data: unknown }>["data"];

let handle: DatabaseHandle;
let demo: DemoTrust;
let other: Trust;
let outsiderCookie: string;
const cookies = {} as Record<Role, string>;
let rowA: string;
let rowB: string;
/** The numbers of the demo's approved version ("v1" in the entries below) and of its draft ("v2"). */
let approved: string;
let draft: string;

beforeAll(async () => {
  handle = await freshDatabase();
  demo = await seedDemoTrust(handle.db, COMMAND_LINE);
  for (const person of DEMO_USERS) cookies[person.role] = await sessionCookie(person.email, person.password);
  other = await createTrust(handle.db, COMMAND_LINE, { name: "Fellside Other Trust", slug: "fellside-other" });
  const outsider = await createUser(handle.db, COMMAND_LINE, { email: "o.other@fellside.example", name: "Olive Other", password: "other-password-1" });
  await addMember(handle.db, COMMAND_LINE, { trustId: other.id, userId: outsider.id, role: "clerk" });
  outsiderCookie = await sessionCookie("o.other@fellside.example", "other-password-1");
  const scheme = await loadScheme(handle.db, demo.trust.id, demo.draftVersionId);
  const numberOf = async (id: string) =>
    String((await handle.db.select({ number: schemeVersions.number }).from(schemeVersions).where(eq(schemeVersions.id, id)))[0]!.number);
  approved = await numberOf(demo.approvedVersionId);
  draft = await numberOf(demo.draftVersionId);
  rowA = scheme.rows[0]!.id;
  rowB = scheme.rows[1]!.id;

  const entry = (e: { versionId: string | null; rowId?: string; at: string; summary: string; by?: Role | "command line"; trustId?: string }) => {
    const user = e.by && e.by !== "command line" ? demo.users[e.by] : null;
    return {
      trustId: e.trustId ?? demo.trust.id,
      userId: user?.id ?? null,
      actor: user?.name ?? COMMAND_LINE.name,
      at: new Date(e.at),
      action: "update",
      entity: "cell",
      versionId: e.versionId,
      responsibilityId: e.rowId ?? null,
      summary: e.summary,
      before: { code: "R" },
      after: { code: "D", note: "<b>kept as text</b>" },
    };
  };
  await handle.db.insert(auditLog).values([
    entry({ versionId: demo.approvedVersionId, rowId: rowA, at: "2020-01-10T09:00:00Z", summary: "v1 row A by the clerk", by: "clerk" }),
    entry({ versionId: demo.approvedVersionId, rowId: rowB, at: "2020-01-11T09:00:00Z", summary: "v1 row B by the CEO", by: "ceo" }),
    entry({ versionId: demo.draftVersionId, rowId: rowA, at: "2020-03-02T23:30:00Z", summary: "v2 row A late on 2 March", by: "trustee" }),
    entry({ versionId: demo.draftVersionId, rowId: rowA, at: "2020-06-15T23:30:00Z", summary: "v2 row A on 16 June in England", by: "clerk" }),
    entry({ versionId: demo.draftVersionId, rowId: rowB, at: "2020-06-16T12:00:00Z", summary: "v2 row B from the command line" }),
    // Another trust's entries naming this trust's version and row: never shown here.
    entry({ trustId: other.id, versionId: demo.draftVersionId, rowId: rowA, at: "2020-06-16T13:00:00Z", summary: "another trust's entry" }),
  ]);
  // A busy day: 130 entries of the draft, many recorded in the same instant (as one transaction's are).
  const busy = Array.from({ length: 130 }, (_, i) =>
    entry({
      versionId: demo.draftVersionId,
      rowId: i % 2 === 0 ? rowB : undefined,
      at: new Date(Date.UTC(2021, 4, 5, 10, Math.floor(i / 10))).toISOString(),
      summary: `busy ${i}`,
      by: i % 3 === 0 ? "ceo" : "clerk",
    }),
  );
  await handle.db.insert(auditLog).values(busy);
});
afterAll(() => handle?.close());

const versionUrl = (number: string, query = "") => `/trusts/${demo.trust.slug}/versions/${number}/history${query}`;
const rowUrl = (rowId: string, query = "") => `/trusts/${demo.trust.slug}/catalogue/${rowId}/history${query}`;

function versionPage(number: string, query = "", cookie = cookies.viewer): Promise<Answer> {
  return call(versionHistoryRoute.loader, getRequest(versionUrl(number, query), cookie), { slug: demo.trust.slug, number });
}
function rowPage(rowId: string, query = "", cookie = cookies.viewer): Promise<Answer> {
  return call(rowHistoryRoute.loader, getRequest(rowUrl(rowId, query), cookie), { slug: demo.trust.slug, rowId });
}
const pageOf = (answer: Answer) => answer.data as Page;
const summaries = (answer: Answer) => pageOf(answer).view.entries.map((e) => e.summary);

/** Every entry of a history, walked page by page through the "Older entries" links. */
async function walk(open: (query: string) => Promise<Answer>, filter = ""): Promise<{ pages: Page[]; ids: number[] }> {
  const pages: Page[] = [];
  let query = filter ? `?${filter}` : "";
  for (;;) {
    const answer = await open(query);
    expect(answer.status).toBe(200);
    const page = pageOf(answer);
    pages.push(page);
    if (!page.view.older) break;
    query = `?${filter ? `${filter}&` : ""}before=${encodeURIComponent(page.view.older)}`;
    expect(pages.length).toBeLessThan(20);
  }
  return { pages, ids: pages.flatMap((p) => p.view.entries.map((e) => e.id)) };
}

describe("a version's history", () => {
  it("shows everyone in the trust that version's entries only, newest first", async () => {
    for (const role of ["viewer", "trustee", "clerk"] as Role[]) expect((await versionPage(approved, "", cookies[role])).status).toBe(200);
    expect(summaries(await versionPage(approved, "?to=2020-12-31"))).toEqual(["v1 row B by the CEO", "v1 row A by the clerk"]);
    const v1 = (await walk((q) => versionPage(approved, q))).pages.flatMap((p) => p.view.entries.map((e) => e.summary));
    expect(v1.length).toBeGreaterThan(2);
    expect(v1.some((s) => s.startsWith("v2") || s.startsWith("busy"))).toBe(false);
    const { pages } = await walk((q) => versionPage(draft, q));
    const v2 = pages.flatMap((p) => p.view.entries.map((e) => e.summary));
    expect(v2).toContain("v2 row A late on 2 March");
    expect(v2.some((s) => s.startsWith("v1"))).toBe(false);
    expect(v2).not.toContain("another trust's entry");
  });

  it("says who, when in England, which row, and before and after in words", async () => {
    const page = pageOf(await versionPage(draft, "?from=2020-06-16&to=2020-06-16"));
    const june = page.view.entries.find((e) => e.summary === "v2 row A on 16 June in England")!;
    expect(june).toMatchObject({ who: demo.users.clerk.name, before: "code: R", after: "code: D; note: <b>kept as text</b>" });
    expect(june.when).toBe("16 Jun 2020, 00:30");
    expect(june.at).toBe("2020-06-15T23:30:00.000000Z");
    expect(june.row?.id).toBe(rowA);
  });

  it("pages through every entry with none twice and none missed, and back again", async () => {
    const { pages, ids } = await walk((q) => versionPage(draft, q));
    const [counted] = await handle.db
      .select({ total: count() })
      .from(auditLog)
      .where(and(eq(auditLog.trustId, demo.trust.id), eq(auditLog.versionId, demo.draftVersionId)));
    expect(pages.length).toBeGreaterThanOrEqual(3);
    expect(pages.slice(0, -1).every((p) => p.view.entries.length === 50)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(counted!.total);
    // Newest first throughout: each entry is older than the last (by time, then id).
    const all = pages.flatMap((p) => p.view.entries);
    for (let i = 1; i < all.length; i++) {
      const [a, b] = [all[i - 1]!, all[i]!];
      expect(a.at > b.at || (a.at === b.at && a.id > b.id)).toBe(true);
    }
    expect(pages[0]!.view.newer).toBeNull();
    expect(pages.at(-1)!.view.older).toBeNull();
    // "Newer entries" from the last page gives back the page before it.
    const back = pageOf(await versionPage(draft, `?after=${encodeURIComponent(pages.at(-1)!.view.newer!)}`));
    expect(back.view.entries.map((e) => e.id)).toEqual(pages.at(-2)!.view.entries.map((e) => e.id));
    expect(back.view.older).not.toBeNull();
    const top = pageOf(await versionPage(draft, `?after=${encodeURIComponent(pages[1]!.view.newer!)}`));
    expect(top.view.entries.map((e) => e.id)).toEqual(pages[0]!.view.entries.map((e) => e.id));
    expect(top.view.newer).toBeNull();
  });

  it("filters by person, by the command line and by days, and lists the people who appear", async () => {
    const page = pageOf(await versionPage(draft));
    const names = page.view.people.map((p) => p.name);
    expect(names).toEqual(expect.arrayContaining([demo.users.clerk.name, demo.users.ceo.name, demo.users.trustee.name, COMMAND_LINE.name]));
    expect(names.at(-1)).toBe(COMMAND_LINE.name);

    const { pages } = await walk((q) => versionPage(draft, q), `person=${demo.users.ceo.id}`);
    const ceo = pages.flatMap((p) => p.view.entries);
    expect(ceo.length).toBe(44); // busy 0, 3, … 129
    expect(ceo.every((e) => e.who === demo.users.ceo.name)).toBe(true);

    const cli = pageOf(await versionPage(draft, "?person=command+line&from=2020-01-01&to=2020-12-31"));
    expect(cli.view.entries.map((e) => e.summary)).toEqual(["v2 row B from the command line"]);

    // 2 March 23:30 UTC is 2 March in England (GMT); 15 June 23:30 UTC is 16 June there (BST).
    expect(summaries(await versionPage(draft, "?from=2020-03-02&to=2020-03-02"))).toEqual(["v2 row A late on 2 March"]);
    expect(summaries(await versionPage(draft, "?from=2020-06-15&to=2020-06-15"))).toEqual([]);
    expect(summaries(await versionPage(draft, "?from=2020-06-16&to=2020-06-16"))).toEqual(["v2 row B from the command line", "v2 row A on 16 June in England"]);
    expect(summaries(await versionPage(draft, "?to=2020-05-01"))).toEqual(["v2 row A late on 2 March"].concat(summaries(await versionPage(draft, "?to=2020-03-01"))));
  });

  it("refuses a date or a page it cannot read with a message, not a fault", async () => {
    for (const [query, field, message] of [
      ["?from=2020-02-30", "from", /first day as a date/],
      ["?to=yesterday", "to", /last day as a date/],
      ["?from=2020-06-02&to=2020-06-01", "to", /on or after the first day/],
      ["?before=not-a-page", "page", /could not be found/],
      ["?before=2020-06-16T12:00:00.000000Z_1&after=2020-06-16T12:00:00.000000Z_2", "page", /could not be found/],
    ] as const) {
      const answer = await versionPage(draft, query);
      expect(answer.status, query).toBe(400);
      const page = pageOf(answer);
      expect(page.view.errors[field], query).toMatch(message);
      expect(page.view.entries).toEqual([]);
    }
    const answer = await versionPage(draft, "?from=2020-02-30");
    expect(pageOf(answer).view.filters.from).toBe("2020-02-30");
  });

  it("answers 404 for a version the trust does not have, and to anyone outside the trust", async () => {
    expect((await versionPage("99")).status).toBe(404);
    expect((await versionPage("x")).status).toBe(404);
    expect((await versionPage(draft, "", outsiderCookie)).status).toBe(404);
  });
});

describe("a row's history", () => {
  it("shows that row's entries in every version, each with its version, and no other row's", async () => {
    const { pages } = await walk((q) => rowPage(rowA, q));
    const entries = pages.flatMap((p) => p.view.entries);
    const mine = entries.filter((e) => e.summary.includes("row A"));
    expect(mine.map((e) => [e.summary, e.versionNumber])).toEqual([
      ["v2 row A on 16 June in England", Number(draft)],
      ["v2 row A late on 2 March", Number(draft)],
      ["v1 row A by the clerk", Number(approved)],
    ]);
    expect(entries.some((e) => e.summary.includes("row B") || e.summary.startsWith("busy"))).toBe(false);
    expect(entries.map((e) => e.summary)).not.toContain("another trust's entry");
  });

  it("pages and filters the same way", async () => {
    const { pages, ids } = await walk((q) => rowPage(rowB, q), "from=2021-05-05&to=2021-05-05");
    expect(ids.length).toBe(65);
    expect(new Set(ids).size).toBe(65);
    expect(pages.map((p) => p.view.entries.length)).toEqual([50, 15]);
    const byClerk = pageOf(await rowPage(rowB, `?person=${demo.users.clerk.id}&to=2020-12-31`));
    expect(byClerk.view.entries).toEqual([]);
    expect(summaries(await rowPage(rowB, "?person=command+line&to=2020-12-31"))).toEqual(["v2 row B from the command line"]);
    expect((await rowPage(rowB, "?to=31/12/2020")).status).toBe(400);
  });

  it("answers 404 for a row the trust does not have, and to anyone outside the trust", async () => {
    expect((await rowPage("00000000-0000-4000-8000-000000000000")).status).toBe(404);
    expect((await rowPage("not-a-row")).status).toBe(404);
    expect((await rowPage(rowA, "", outsiderCookie)).status).toBe(404);
  });
});
