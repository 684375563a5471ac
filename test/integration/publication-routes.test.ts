/**
 * Publishing the scheme as Remix calls it: the clerk publishes an approved version (drafts and
 * superseded versions are refused with a message, anyone else gets 403), publishing another replaces
 * it, stopping withdraws it, each recorded in the history; two clerks at once settle with exactly
 * one outcome. Anyone, signed in or not, reads the published version at /p/SLUG: its approval, its
 * structure with the chairs, and every responsibility with each code under its own column; nothing
 * else of the trust is reachable without signing in, and what people typed is escaped exactly once.
 */
import { and, count, eq, inArray } from "drizzle-orm";
import { strFromU8, unzipSync } from "fflate";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db/client";
import { auditLog, governanceBodies, publications, responsibilities, schemeVersions, trusts } from "../../db/schema";
import { DEMO_USERS, seedDemoTrust, type DemoTrust } from "../../db/seed";
import { today } from "~/clock.server";
import { PublicScheme } from "~/components/public-scheme";
import { byTierOrder, cellKey } from "~/domain/scheme";
import { monthsAfter } from "~/domain/dates";
import type { Role } from "~/domain/roles";
import { COMMAND_LINE } from "~/models/audit.server";
import { approveVersion, loadScheme, startDraft, type VersionRecord } from "~/models/scheme.server";
import { createTrust } from "~/models/trust.server";
import * as publicRoute from "~/routes/p.$slug";
import * as wordRoute from "~/routes/p.$slug[.]docx";
import * as publicationRoute from "~/routes/trusts.$slug.versions.$number.publication";
import * as matrixRoute from "~/routes/trusts.$slug.versions.$number._index";
import { freshDatabase } from "../support/database";
import { call, context, formErrors, formPost, getRequest, sessionCookie, type Answer } from "../support/requests";

type PublicPage = Awaited<ReturnType<typeof publicRoute.loader>>;

let handle: DatabaseHandle;
let demo: DemoTrust;
const cookies = {} as Record<Role, string>;

beforeAll(async () => {
  handle = await freshDatabase();
  demo = await seedDemoTrust(handle.db, COMMAND_LINE);
  for (const person of DEMO_USERS) cookies[person.role] = await sessionCookie(person.email, person.password);
});
afterAll(() => handle?.close());

const slug = () => demo.trust.slug;
const base = (number: number) => `/trusts/${slug()}/versions/${number}`;

async function versionRow(id: string): Promise<VersionRecord> {
  const [row] = await handle.db.select().from(schemeVersions).where(eq(schemeVersions.id, id));
  return row!;
}

async function versionsByStatus(): Promise<Record<string, VersionRecord[]>> {
  const rows = await handle.db.select().from(schemeVersions).where(eq(schemeVersions.trustId, demo.trust.id)).orderBy(schemeVersions.number);
  const groups: Record<string, VersionRecord[]> = {};
  for (const row of rows) (groups[row.status] ??= []).push(row);
  return groups;
}

async function approved(): Promise<VersionRecord> {
  return (await versionsByStatus()).approved![0]!;
}

/** The clerk's publication form as the version's page sends it. */
const publish = (number: number, published: string, role: Role = "clerk") =>
  call(
    publicationRoute.action,
    formPost(`${base(number)}/publication`, { intent: "publish", published }, { cookie: cookies[role] }),
    { slug: slug(), number: String(number) },
  );

const withdraw = (number: number, role: Role = "clerk") =>
  call(publicationRoute.action, formPost(`${base(number)}/publication`, { intent: "withdraw" }, { cookie: cookies[role] }), {
    slug: slug(),
    number: String(number),
  });

/** The public page, asked for by someone not signed in (or signed in, with `cookie`). */
const publicPage = (pageSlug: string, cookie?: string) => call(publicRoute.loader, getRequest(`/p/${pageSlug}`, cookie), { slug: pageSlug });

/** The public page's Word download, asked for by someone not signed in. */
const wordDownload = (pageSlug: string) => call(wordRoute.loader, getRequest(`/p/${pageSlug}.docx`), { slug: pageSlug });

/** The text of the Word document the public download gives, or the answer when there is none. */
async function publishedDocument(): Promise<{ response: Response; text: string }> {
  const response = (await wordRoute.loader({ request: getRequest(`/p/${slug()}.docx`), params: { slug: slug() }, context: context() })) as Response;
  const files = unzipSync(new Uint8Array(await response.arrayBuffer()));
  return { response, text: strFromU8(files["word/document.xml"]!) };
}

async function published(): Promise<{ versionId: string } | undefined> {
  const [row] = await handle.db.select({ versionId: publications.versionId }).from(publications).where(eq(publications.trustId, demo.trust.id));
  return row;
}

async function publicationAudit(): Promise<{ action: string; summary: string; versionId: string | null; actor: string }[]> {
  return handle.db
    .select({ action: auditLog.action, summary: auditLog.summary, versionId: auditLog.versionId, actor: auditLog.actor })
    .from(auditLog)
    .where(and(eq(auditLog.trustId, demo.trust.id), inArray(auditLog.action, ["publish", "withdraw"])))
    .orderBy(auditLog.id);
}

async function auditCount(): Promise<number> {
  const [row] = await handle.db.select({ n: count() }).from(auditLog);
  return row!.n;
}

function expectNotFoundWithNothingOf(answer: Answer, name: string) {
  expect(answer.status).toBe(404);
  expect(answer.text).not.toContain(name);
}

/** Approves the trust's draft at today's meeting of the board, and starts a new draft from it. */
async function approveDraftAndStartAnother(minuteRef: string): Promise<VersionRecord> {
  const draft = (await versionsByStatus()).draft![0]!;
  await approveVersion(handle.db, COMMAND_LINE, {
    trustId: demo.trust.id,
    versionId: draft.id,
    expectedVersion: draft.version,
    approvedByBodyId: demo.bodies["Board of trustees"]!.id,
    approvedOn: today(),
    minuteRef,
    reviewDueOn: monthsAfter(today(), 12),
  });
  await startDraft(handle.db, COMMAND_LINE, { trustId: demo.trust.id, from: "latest-approved" });
  return versionRow(draft.id);
}

describe("publishing a version", () => {
  it("is nothing at first: the public page answers 404 with nothing of the trust, as for a trust that does not exist", async () => {
    expectNotFoundWithNothingOf(await publicPage(slug()), demo.trust.name);
    expectNotFoundWithNothingOf(await publicPage(slug(), cookies.clerk), demo.trust.name);
    expect((await publicPage("no-such-trust")).status).toBe(404);
    expect((await publicPage("Not..A/Slug")).status).toBe(404);
    expectNotFoundWithNothingOf(await wordDownload(slug()), demo.trust.name);
    expect((await wordDownload("no-such-trust")).status).toBe(404);
  });

  it("refuses a draft and a superseded version with a message, and changes nothing", async () => {
    const before = await auditCount();
    const { draft, superseded } = await versionsByStatus();
    for (const version of [draft![0]!, superseded![0]!]) {
      const answer = await publish(version.number, "none");
      expect(answer.status, `version ${version.number}`).toBe(400);
      expect(formErrors(answer).join(" ")).toMatch(
        version.status === "draft"
          ? new RegExp(`Version ${version.number} is a draft, and only a version the board has approved can be published`)
          : new RegExp(`Version ${version.number} is superseded`),
      );
      expect(formErrors(answer).join(" ")).toContain("Nothing was published.");
    }
    expect(await published()).toBeUndefined();
    expect(await auditCount()).toBe(before);
  });

  it("is for the clerk only: 403 for the CEO, a trustee and a viewer, who see whether it is published but no form", async () => {
    const version = await approved();
    for (const role of ["ceo", "trustee", "viewer"] as const) {
      expect((await publish(version.number, "none", role)).status).toBe(403);
      expect((await withdraw(version.number, role)).status).toBe(403);
      const page = (await call(matrixRoute.loader, getRequest(base(version.number), cookies[role]), { slug: slug(), number: String(version.number) }))
        .data as Awaited<ReturnType<typeof matrixRoute.loader>>;
      expect(page.publication).toMatchObject({ published: null, canPublish: false });
    }
    expect(await published()).toBeUndefined();
  });

  it("refuses a form that is not one of its own", async () => {
    const version = await approved();
    const cases: Record<string, string>[] = [{}, { intent: "publish" }, { intent: "publish", published: "v2" }, { intent: "shout" }];
    for (const fields of cases) {
      const answer = await call(
        publicationRoute.action,
        formPost(`${base(version.number)}/publication`, fields, { cookie: cookies.clerk }),
        { slug: slug(), number: String(version.number) },
      );
      expect(answer.status, JSON.stringify(fields)).toBe(400);
    }
    expect(await published()).toBeUndefined();
  });

  it("publishes the approved version: recorded in the history, shown on its page, public at /p/SLUG", async () => {
    const version = await approved();
    const answer = await publish(version.number, "none");
    expect(answer.status).toBe(302);
    expect(answer.location).toBe(`${base(version.number)}?published=1`);
    expect(await published()).toEqual({ versionId: version.id });
    expect(await publicationAudit()).toEqual([
      { action: "publish", summary: `Published version ${version.number} on the trust's public page`, versionId: version.id, actor: demo.users.clerk.name },
    ]);

    const page = (await call(matrixRoute.loader, getRequest(`${base(version.number)}?published=1`, cookies.clerk), { slug: slug(), number: String(version.number) }))
      .data as Awaited<ReturnType<typeof matrixRoute.loader>>;
    expect(page.publication).toMatchObject({
      published: { versionId: version.id, number: version.number, publishedBy: demo.users.clerk.name },
      canPublish: true,
      notice: "published",
    });
  });

  it("shows anyone the published version: its approval, its structure with the chairs, every responsibility, each code under its column", async () => {
    const version = await approved();
    const answer = await publicPage(slug());
    expect(answer.status).toBe(200);
    const { view, wordHref } = answer.data as PublicPage;
    expect(wordHref).toBe(`/p/${slug()}.docx`);
    expect(view.trustName).toBe(demo.trust.name);
    const boardName = (await handle.db.select({ name: governanceBodies.name }).from(governanceBodies).where(eq(governanceBodies.id, version.approvedByBodyId!)))[0]!.name;
    expect(view.version).toEqual({
      number: version.number,
      status: "approved",
      approvedBy: boardName,
      approvedOn: version.approvedOn,
      minuteRef: version.minuteRef,
      reviewDueOn: version.reviewDueOn,
    });

    // The matrix: the version's own rows and columns, each cell's code under its own column.
    const scheme = await loadScheme(handle.db, demo.trust.id, version.id);
    const rows = view.areas.flatMap((a) => a.rows);
    expect(rows.map((r) => r.ref).sort()).toEqual(scheme.rows.map((r) => r.ref).sort());
    expect(view.columns.map((c) => c.name)).toEqual([...scheme.columns].sort(byTierOrder).map((c) => c.name));
    let codes = 0;
    for (const row of scheme.rows) {
      const shown = rows.find((r) => r.ref === row.ref)!;
      view.columns.forEach((column, i) => {
        const id = scheme.columns.find((c) => c.name === column.name)!.id;
        const code = scheme.cells[cellKey(row.id, id)]?.code ?? null;
        if (code) codes++;
        if (!row.excludedKinds?.includes(column.kind)) expect(shown.codes[i], `${row.ref} under ${column.name}`).toBe(code);
        else expect(shown.codes[i], `${row.ref} under ${column.name}`).toBe("—");
      });
    }
    expect(codes).toBeGreaterThan(50);
    // Columns in tier order: members first, then the board.
    expect(view.columns.slice(0, 2).map((c) => c.kind)).toEqual(["members", "board"]);

    // The governance summary: the board's chair by name, each local board with its chair and schools.
    const board = view.bodies.find((b) => b.name === "Board of trustees")!;
    expect(board).toMatchObject({ kind: "board", mode: "decision-making", chairName: "Margaret Kettlewell", coverage: { kind: "trust" } });
    const clusters = view.bodies.filter((b) => b.kind === "cluster");
    expect(clusters.map((c) => c.name)).toEqual(["Dales cluster", "Mowbray cluster", "Ripon & Harrogate cluster"]);
    expect(clusters.every((c) => c.coverage.kind === "schools" && c.coverage.names.length > 0)).toBe(true);
    expect(view.bodies.some((b) => b.mode === "advisory")).toBe(true);
    expect(view.codes.map((c) => c.code)).toEqual(["D", "R", "C", "A", "E", "M", "I", "—"]);
  });

  it("shows a signed-in member the same page, with nothing of the person", async () => {
    const anonymous = await publicPage(slug());
    const signedIn = await publicPage(slug(), cookies.clerk);
    expect(signedIn.text).toBe(anonymous.text);
    expect(signedIn.text).not.toContain(demo.users.clerk.email);
  });

  it("keeps every other version and the rest of the trust behind sign-in", async () => {
    const { draft, superseded } = await versionsByStatus();
    for (const version of [draft![0]!, superseded![0]!, await approved()]) {
      const answer = await call(matrixRoute.loader, getRequest(base(version.number)), { slug: slug(), number: String(version.number) });
      expect(answer.status).toBe(302);
      expect(answer.location).toBe(`/sign-in?redirectTo=${encodeURIComponent(base(version.number))}`);
    }
    const { view } = (await publicPage(slug())).data as PublicPage;
    expect(view.version.number).toBe((await approved()).number);
    expect(view.version.number).not.toBe(draft![0]!.number);
  });

  it("refuses a publish made on a page opened before someone else published (stale), changing nothing", async () => {
    const version = await approved();
    const before = await auditCount();
    const again = await publish(version.number, version.id);
    expect(again.status).toBe(400);
    expect(formErrors(again).join(" ")).toContain(`Version ${version.number} is already the published version.`);
    // Opened when nothing was published; someone published it since.
    const stale = await publish(version.number, "none");
    expect(stale.status).toBe(409);
    expect(formErrors(stale).join(" ")).toMatch(/Someone else saved what the trust publishes since you opened it/);

    // The same for a newer approval.
    const next = await approveDraftAndStartAnother("TB/PUB/1");
    const newer = await publish(next.number, "none");
    expect(newer.status).toBe(409);
    expect(formErrors(newer).join(" ")).toMatch(/Someone else saved what the trust publishes since you opened it/);
    expect(await published()).toEqual({ versionId: version.id });
    expect(await auditCount()).toBe(before + 2); // the approval and the new draft, nothing of publication
  });

  it("keeps the published version public once superseded, saying so, until the clerk publishes the new one", async () => {
    const { view } = (await publicPage(slug())).data as PublicPage;
    expect(view.version.status).toBe("superseded");
    expect(view.version.number).toBeLessThan((await approved()).number);
  });

  it("publishing another version replaces the published one, recorded with the one it replaced", async () => {
    const old = await published();
    const oldNumber = (await versionRow(old!.versionId)).number;
    const latest = await approved();
    const answer = await publish(latest.number, old!.versionId);
    expect(answer.status).toBe(302);
    expect(await published()).toEqual({ versionId: latest.id });
    expect((await publicationAudit()).at(-1)).toEqual({
      action: "publish",
      summary: `Published version ${latest.number} on the trust's public page, in place of version ${oldNumber}`,
      versionId: latest.id,
      actor: demo.users.clerk.name,
    });
    const { view } = (await publicPage(slug())).data as PublicPage;
    expect(view.version).toMatchObject({ number: latest.number, status: "approved", minuteRef: "TB/PUB/1" });

    // The Word download is the published version's document, whoever asks.
    const { response, text } = await publishedDocument();
    expect(response.headers.get("Content-Type")).toBe("application/vnd.openxmlformats-officedocument.wordprocessingml.document");
    expect(response.headers.get("Content-Disposition")).toBe(`attachment; filename="${slug()}-scheme-of-delegation-v${latest.number}.docx"`);
    expect(response.headers.get("Cache-Control")).toContain("no-store");
    expect(text).toContain("TB/PUB/1");
    expect(text).toContain(demo.trust.name);
  });

  it("of two clerks publishing at once from the same page, exactly one succeeds; the other is told", async () => {
    const current = (await published())!;
    const next = await approveDraftAndStartAnother("TB/PUB/2");
    const before = (await publicationAudit()).length;
    const answers = await Promise.all([publish(next.number, current.versionId), publish(next.number, current.versionId)]);
    const won = answers.filter((a) => a.status === 302);
    const lost = answers.filter((a) => a.status !== 302);
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect([400, 409]).toContain(lost[0]!.status);
    expect(formErrors(lost[0]!).join(" ")).toMatch(/Someone else saved what the trust publishes|already the published version/);
    expect(await published()).toEqual({ versionId: next.id });
    expect((await publicationAudit()).length).toBe(before + 1);
  });

  it("stops publishing: the page answers 404 again, recorded in the history; a second stop is refused", async () => {
    const current = (await published())!;
    const version = await versionRow(current.versionId);
    const answer = await withdraw(version.number);
    expect(answer.status).toBe(302);
    expect(answer.location).toBe(`${base(version.number)}?withdrawn=1`);
    expect(await published()).toBeUndefined();
    expect((await publicationAudit()).at(-1)).toEqual({
      action: "withdraw",
      summary: `Stopped publishing version ${version.number}: the trust's public page is no longer available`,
      versionId: version.id,
      actor: demo.users.clerk.name,
    });
    expectNotFoundWithNothingOf(await publicPage(slug()), demo.trust.name);
    expectNotFoundWithNothingOf(await wordDownload(slug()), demo.trust.name);
    const again = await withdraw(version.number);
    expect(again.status).toBe(409);
    expect(await published()).toBeUndefined();
  });

  it("publishing racing the approval that supersedes the version settles one way: published then superseded, or refused", async () => {
    const version = await approved();
    const draft = (await versionsByStatus()).draft![0]!;
    const [publishing, approval] = await Promise.allSettled([
      publish(version.number, "none"),
      approveVersion(handle.db, COMMAND_LINE, {
        trustId: demo.trust.id,
        versionId: draft.id,
        expectedVersion: draft.version,
        approvedByBodyId: demo.bodies["Board of trustees"]!.id,
        approvedOn: today(),
        minuteRef: "TB/PUB/3",
        reviewDueOn: monthsAfter(today(), 12),
      }),
    ]);
    expect(approval.status).toBe("fulfilled");
    expect((await versionRow(version.id)).status).toBe("superseded");
    const answer = (publishing as PromiseFulfilledResult<Answer>).value;
    if (answer.status === 302) {
      // Published first, then superseded: the page shows it, marked superseded.
      expect(await published()).toEqual({ versionId: version.id });
    } else {
      expect(answer.status).toBe(400);
      expect(formErrors(answer).join(" ")).toMatch(new RegExp(`Version ${version.number} is superseded`));
      expect(await published()).toBeUndefined();
    }
    await startDraft(handle.db, COMMAND_LINE, { trustId: demo.trust.id, from: "latest-approved" });
  });
});

describe("what people typed, on the public page", () => {
  const TRICKY = `Ysgol "Pen-y-Bryn" & <Fforwm> 'Cymru' 🏫 ŵ`;

  it("is escaped exactly once in the page's HTML, and reads back as typed", async () => {
    // The trust's name, a chair and a remit are read as they are today; a responsibility's title and the minute are frozen at approval.
    await handle.db.update(trusts).set({ name: `${TRICKY} Trust` }).where(eq(trusts.id, demo.trust.id));
    const board = demo.bodies["Board of trustees"]!;
    await handle.db.update(governanceBodies).set({ chairName: `Chair ${TRICKY}`, remit: `Remit ${TRICKY}` }).where(eq(governanceBodies.id, board.id));
    const [row] = await handle.db.select().from(responsibilities).where(eq(responsibilities.trustId, demo.trust.id)).limit(1);
    await handle.db.update(responsibilities).set({ title: `Title ${TRICKY}` }).where(eq(responsibilities.id, row!.id));
    const version = await approveDraftAndStartAnother(`Minute ${TRICKY}`);
    const current = await published();
    expect((await publish(version.number, current?.versionId ?? "none")).status).toBe(302);

    const { view, wordHref } = (await publicPage(slug())).data as PublicPage;
    const html = renderToStaticMarkup(createElement(PublicScheme, { view, wordHref }));
    // React's escaping of text: each of & < > " ' once.
    const once = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#x27;");
    for (const text of [`${TRICKY} Trust`, `Chair ${TRICKY}`, `Remit ${TRICKY}`, `Title ${TRICKY}`, `Minute ${TRICKY}`]) expect(html, text).toContain(once(text));
    expect(html).not.toContain("<Fforwm>");
    expect(html).not.toMatch(/&amp;(amp|lt|gt|quot|#x27);/);
    // Read back as a browser would: every entity decoded once gives the text as typed.
    const decoded = html.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&#x27;/g, "'").replace(/&amp;/g, "&");
    expect(decoded).toContain(`Chair ${TRICKY}`);
    expect(decoded).toContain(`Title ${TRICKY}`);
  });
});

describe("a trust with nothing approved", () => {
  it("has nothing to publish and no public page", async () => {
    const empty = await createTrust(handle.db, COMMAND_LINE, { name: "Empty Vale Trust", slug: "empty-vale" });
    expectNotFoundWithNothingOf(await publicPage(empty.slug), empty.name);
  });
});
