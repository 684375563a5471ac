/**
 * A version's life cycle as Remix calls it: the clerk records the board's approval of the draft
 * (refused with a message for a meeting in the future, a review before the meeting, no body or a
 * body that cannot approve; 403 for anyone but the clerk; a version already approved is refused);
 * approved versions cannot be changed even straight through SQL; two approvals at once, and saves
 * racing an approval, settle with exactly one outcome and nothing lost; the clerk or the CEO may
 * discard a draft after being told what goes with it.
 */
import { and, count, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db/client";
import { auditLog, cells, schemeRows, schemeVersions, tierCells } from "../../db/schema";
import { DEMO_USERS, seedDemoTrust, type DemoTrust } from "../../db/seed";
import { today } from "~/clock.server";
import { monthsAfter, daysAfter } from "~/domain/dates";
import { RuleError } from "~/domain/errors";
import type { Role } from "~/domain/roles";
import { COMMAND_LINE } from "~/models/audit.server";
import { saveRow } from "~/models/row-save.server";
import { approveVersion, loadScheme, startDraft, type VersionRecord } from "~/models/scheme.server";
import * as approveRoute from "~/routes/trusts.$slug.versions.$number.approve";
import * as discardRoute from "~/routes/trusts.$slug.versions.$number.discard";
import * as matrixRoute from "~/routes/trusts.$slug.versions.$number._index";
import { freshDatabase } from "../support/database";
import { call, fieldErrors, formErrors, formPost, getRequest, sessionCookie } from "../support/requests";

type ApprovePage = Awaited<ReturnType<typeof approveRoute.loader>>;
type DiscardPage = Awaited<ReturnType<typeof discardRoute.loader>>;

let handle: DatabaseHandle;
let demo: DemoTrust;
const cookies = {} as Record<Role, string>;
/** The demo's draft (whose approval these tests record) and the approved version it was started from. */
let draftNo: number;
let approvedNo: number;

beforeAll(async () => {
  handle = await freshDatabase();
  demo = await seedDemoTrust(handle.db, COMMAND_LINE);
  for (const person of DEMO_USERS) cookies[person.role] = await sessionCookie(person.email, person.password);
  const [draft, approved] = [await versionRow(demo.draftVersionId), await versionRow(demo.approvedVersionId)];
  expect([draft.status, approved.status, (await versionRow(demo.supersededVersionId)).status]).toEqual(["draft", "approved", "superseded"]);
  draftNo = draft.number;
  approvedNo = approved.number;
});
afterAll(() => handle?.close());

const params = (number: number) => ({ slug: demo.trust.slug, number: String(number) });
const base = (number: number) => `/trusts/${demo.trust.slug}/versions/${number}`;

async function versionRow(id: string): Promise<VersionRecord> {
  const [row] = await handle.db.select().from(schemeVersions).where(eq(schemeVersions.id, id));
  return row!;
}

async function byNumber(number: number): Promise<VersionRecord | undefined> {
  const [row] = await handle.db
    .select()
    .from(schemeVersions)
    .where(and(eq(schemeVersions.trustId, demo.trust.id), eq(schemeVersions.number, number)));
  return row;
}

const board = () => demo.bodies["Board of trustees"]!.id;

/** The approval form as the page sends it: the board, at a meeting today, reviewed in a year. */
function approvalFields(draft: VersionRecord, fields: Record<string, string> = {}): Record<string, string> {
  return {
    version: String(draft.version),
    approvedByBodyId: board(),
    approvedOn: today(),
    minuteRef: "TB/26/05/3",
    reviewDueOn: monthsAfter(today(), 12),
    ...fields,
  };
}

const approve = (number: number, fields: Record<string, string>, role: Role = "clerk") =>
  call(approveRoute.action, formPost(`${base(number)}/approve`, fields, { cookie: cookies[role] }), params(number));

const discard = (number: number, fields: Record<string, string>, role: Role = "clerk") =>
  call(discardRoute.action, formPost(`${base(number)}/discard`, fields, { cookie: cookies[role] }), params(number));

async function matrixPage(number: number, query = "", role: Role = "clerk") {
  const answer = await call(matrixRoute.loader, getRequest(`${base(number)}${query}`, cookies[role]), params(number));
  expect(answer.status).toBe(200);
  return answer.data as Awaited<ReturnType<typeof matrixRoute.loader>>;
}

async function approvals(versionId: string): Promise<number> {
  const [row] = await handle.db
    .select({ n: count() })
    .from(auditLog)
    .where(and(eq(auditLog.versionId, versionId), eq(auditLog.action, "approve")));
  return row!.n;
}

describe("recording the board's approval", () => {
  it("shows the clerk the form: the board and its committees, a meeting today and a review a year on", async () => {
    const answer = await call(approveRoute.loader, getRequest(`${base(draftNo)}/approve`, cookies.clerk), params(draftNo));
    expect(answer.status).toBe(200);
    const page = answer.data as ApprovePage;
    expect(page.version.number).toBe(draftNo);
    expect(page.previous).toEqual({ number: approvedNo });
    expect(page.bodies.map((b) => b.name).sort()).toEqual(
      ["Audit & Risk Committee", "Board of trustees", "Education Standards Committee", "Finance & Resources Committee", "People & Pay Committee"].sort(),
    );
    expect(page.today).toBe(today());
    expect(page.defaultReview).toBe(monthsAfter(today(), 12));
    expect(Array.isArray(page.errors)).toBe(true);
  });

  it("warns of the checks' errors the trust has not acknowledged, without blocking", async () => {
    // A D for the School advisory board on the budget row: advisory bodies take no decisions.
    const scheme = await loadScheme(handle.db, demo.trust.id, demo.draftVersionId);
    const budget = scheme.rows.find((r) => r.catalogueKey === "STAT-F1")!;
    const advisory = demo.bodies["School advisory board"]!.id;
    const where = and(eq(cells.versionId, demo.draftVersionId), eq(cells.responsibilityId, budget.id), eq(cells.bodyId, advisory));
    const [before] = await handle.db.select().from(cells).where(where);
    await handle.db
      .insert(cells)
      .values({ trustId: demo.trust.id, versionId: demo.draftVersionId, responsibilityId: budget.id, bodyId: advisory, code: "D" })
      .onConflictDoUpdate({ target: [cells.versionId, cells.responsibilityId, cells.bodyId], set: { code: "D" } });
    const page = (await call(approveRoute.loader, getRequest(`${base(draftNo)}/approve`, cookies.clerk), params(draftNo))).data as ApprovePage;
    expect(page.errors.length).toBeGreaterThan(0);
    expect(page.errors.every((e) => e.message.length > 0)).toBe(true);
    if (before) await handle.db.update(cells).set({ code: before.code }).where(where);
    else await handle.db.delete(cells).where(where);
  });

  it("is for the clerk only: 403 for the CEO, a trustee and a viewer", async () => {
    const draft = await versionRow(demo.draftVersionId);
    for (const role of ["ceo", "trustee", "viewer"] as const) {
      expect((await call(approveRoute.loader, getRequest(`${base(draftNo)}/approve`, cookies[role]), params(draftNo))).status).toBe(403);
      expect((await approve(draftNo, approvalFields(draft), role)).status).toBe(403);
    }
    expect((await versionRow(demo.draftVersionId)).status).toBe("draft");
  });

  it("refuses bad fields with a message and changes nothing", async () => {
    const draft = await versionRow(demo.draftVersionId);
    const cases: [Record<string, string>, string, RegExp][] = [
      [{ approvedOn: daysAfter(today(), 1), reviewDueOn: monthsAfter(today(), 13) }, "approvedOn", /cannot be in the future/],
      [{ approvedOn: "2026-02-30" }, "approvedOn", /real date/],
      [{ approvedOn: "2025-09-10", reviewDueOn: "2025-09-01" }, "reviewDueOn", /must come after the meeting/],
      [{ approvedOn: "2025-09-10", reviewDueOn: "2025-09-10" }, "reviewDueOn", /must come after the meeting/],
      [{ approvedByBodyId: "" }, "approvedByBodyId", /Choose the body/],
      [{ approvedByBodyId: demo.bodies["Chief executive officer"]!.id }, "approvedByBodyId", /board or one of its committees/],
      [{ approvedByBodyId: demo.bodies["School advisory board"]!.id }, "approvedByBodyId", /board or one of its committees/],
      [{ reviewDueOn: "" }, "reviewDueOn", /next to be reviewed/],
    ];
    for (const [fields, field, message] of cases) {
      const answer = await approve(draftNo, approvalFields(draft, fields));
      expect(answer.status, JSON.stringify(fields)).toBe(400);
      expect(fieldErrors(answer, field).join(" "), JSON.stringify(fields)).toMatch(message);
    }
    expect(await versionRow(demo.draftVersionId)).toEqual(draft);
    expect(await approvals(demo.draftVersionId)).toBe(0);
  });

  it("refuses, in the model too, a body that is not the board or a committee", async () => {
    const draft = await versionRow(demo.draftVersionId);
    const attempt = approveVersion(handle.db, COMMAND_LINE, {
      trustId: demo.trust.id,
      versionId: draft.id,
      expectedVersion: draft.version,
      approvedByBodyId: demo.bodies["Central team"]!.id,
      approvedOn: today(),
      minuteRef: null,
      reviewDueOn: monthsAfter(today(), 12),
    });
    await expect(attempt).rejects.toBeInstanceOf(RuleError);
    await expect(attempt).rejects.toMatchObject({ field: "approvedByBodyId" });
    expect((await versionRow(demo.draftVersionId)).status).toBe("draft");
  });

  it("refuses a form read before someone else changed the version (stale)", async () => {
    const draft = await versionRow(demo.draftVersionId);
    const answer = await approve(draftNo, approvalFields(draft, { version: String(draft.version + 7) }));
    expect(answer.status).toBe(409);
    expect(formErrors(answer).join(" ")).toMatch(/Someone else saved/);
    expect((await versionRow(demo.draftVersionId)).status).toBe("draft");
  });

  it("of two clerks approving at once, exactly one succeeds; the other is told and nothing is half done", async () => {
    const draft = await versionRow(demo.draftVersionId);
    const answers = await Promise.all([
      approve(draftNo, approvalFields(draft, { minuteRef: "first" })),
      approve(draftNo, approvalFields(draft, { minuteRef: "second" })),
    ]);
    const won = answers.filter((a) => a.status === 302);
    const lost = answers.filter((a) => a.status !== 302);
    expect(won).toHaveLength(1);
    expect(won[0]!.location).toBe(`${base(draftNo)}?approved=1`);
    expect(lost).toHaveLength(1);
    // Refused as stale (the other's approval landed while this one waited) or as already approved.
    expect([400, 409]).toContain(lost[0]!.status);
    expect(formErrors(lost[0]!).join(" ")).toMatch(/Someone else saved|already approved/);
    const approved = await versionRow(demo.draftVersionId);
    expect(approved.status).toBe("approved");
    expect(approved.minuteRef).toBe(answers.indexOf(won[0]!) === 0 ? "first" : "second");
    expect(approved.approvedByBodyId).toBe(board());
    expect(approved.snapshot).not.toBeNull();
    expect((await versionRow(demo.approvedVersionId)).status).toBe("superseded");
    expect((await versionRow(demo.supersededVersionId)).status).toBe("superseded");
    expect(await approvals(demo.draftVersionId)).toBe(1);
  });

  it("shows the approved version with a success notice and the previous one superseded and read-only", async () => {
    const approved = await matrixPage(draftNo, "?approved=1");
    expect(approved.version.status).toBe("approved");
    expect(approved.lifecycle).toMatchObject({ approved: true, canApprove: false, canDiscard: false });
    expect(approved.editable).toBe(false);
    const previous = await matrixPage(approvedNo);
    expect(previous.version.status).toBe("superseded");
    expect(previous.editable).toBe(false);
    expect(previous.lifecycle).toMatchObject({ canApprove: false, canDiscard: false });
    expect(previous.canStartDraft).toBe(true);
  });

  it("refuses to approve a version that is not a draft", async () => {
    const approved = await versionRow(demo.draftVersionId);
    const again = await approve(draftNo, approvalFields(approved));
    expect(again.status).toBe(400);
    expect(formErrors(again).join(" ")).toMatch(/already approved/);
    const superseded = await versionRow(demo.approvedVersionId);
    const old = await approve(approvedNo, approvalFields(superseded));
    expect(old.status).toBe(400);
    expect(formErrors(old).join(" ")).toMatch(/already superseded/);
    // The page itself sends the clerk back to the version.
    const page = await call(approveRoute.loader, getRequest(`${base(draftNo)}/approve`, cookies.clerk), params(draftNo));
    expect(page.status).toBe(302);
    expect(page.location).toBe(base(draftNo));
    expect(await approvals(demo.draftVersionId)).toBe(1);
  });

  it("answers 404 for a version the trust does not have", async () => {
    expect((await call(approveRoute.loader, getRequest(`${base(99)}/approve`, cookies.clerk), params(99))).status).toBe(404);
  });
});

describe("approved versions cannot be changed, not even straight through SQL", () => {
  for (const which of ["approved", "superseded"] as const) {
    it(`refuses an UPDATE, DELETE or INSERT of a ${which} version's cells`, async () => {
      const versionId = which === "approved" ? demo.draftVersionId : demo.approvedVersionId;
      const [cell] = await handle.db.select().from(cells).where(eq(cells.versionId, versionId)).limit(1);
      expect(cell).toBeDefined();
      const before = await handle.db.select().from(cells).where(eq(cells.versionId, versionId));
      await expect(handle.db.execute(sql`update cells set code = 'I' where version_id = ${versionId}`)).rejects.toThrow();
      await expect(
        handle.db.execute(sql`update cells set code = 'I' where version_id = ${versionId} and responsibility_id = ${cell!.responsibilityId} and body_id = ${cell!.bodyId}`),
      ).rejects.toThrow();
      await expect(handle.db.execute(sql`delete from cells where version_id = ${versionId}`)).rejects.toThrow();
      const columns = Object.values(demo.bodies).filter((b) => b.columnId === null && !before.some((c) => c.responsibilityId === cell!.responsibilityId && c.bodyId === b.id));
      expect(columns.length).toBeGreaterThan(0);
      await expect(
        handle.db.execute(
          sql`insert into cells (trust_id, version_id, responsibility_id, body_id, code) values (${demo.trust.id}, ${versionId}, ${cell!.responsibilityId}, ${columns[0]!.id}, 'I')`,
        ),
      ).rejects.toThrow();
      const [variants] = await handle.db.select({ n: count() }).from(tierCells).where(eq(tierCells.versionId, versionId));
      if (variants!.n > 0) await expect(handle.db.execute(sql`delete from tier_cells where version_id = ${versionId}`)).rejects.toThrow();
      const [revisions] = await handle.db.select({ n: count() }).from(schemeRows).where(eq(schemeRows.versionId, versionId));
      if (revisions!.n > 0) {
        await expect(handle.db.execute(sql`update scheme_rows set revision = revision + 1 where version_id = ${versionId}`)).rejects.toThrow();
      }
      await expect(handle.db.execute(sql`update scheme_versions set minute_ref = 'changed' where id = ${versionId}`)).rejects.toThrow();
      await expect(handle.db.execute(sql`update scheme_versions set status = 'draft' where id = ${versionId}`)).rejects.toThrow();
      await expect(handle.db.execute(sql`delete from scheme_versions where id = ${versionId}`)).rejects.toThrow();
      expect(await handle.db.select().from(cells).where(eq(cells.versionId, versionId))).toEqual(before);
      expect((await versionRow(versionId)).status).toBe(which);
    });
  }
});

describe("saves racing an approval", () => {
  it("either land before the approval or are refused with a message: never lost, never after", async () => {
    const central = demo.bodies["Central team"]!.id;
    for (let round = 0; round < 4; round++) {
      const draft = await startDraft(handle.db, COMMAND_LINE, { trustId: demo.trust.id, from: "latest-approved" });
      const scheme = await loadScheme(handle.db, demo.trust.id, draft.id);
      const rows = scheme.rows.filter((r) => !r.locked && !r.statutoryRule && !r.decisionKinds && !r.excludedKinds).slice(round * 3, round * 3 + 3);
      expect(rows).toHaveLength(3);
      const revisions = new Map(
        (await handle.db.select().from(schemeRows).where(eq(schemeRows.versionId, draft.id))).map((r) => [r.responsibilityId, r.revision]),
      );
      const wanted = rows.map((r) => ({ rowId: r.id, code: scheme.cells[`${r.id}:${central}`]?.code === "M" ? ("I" as const) : ("M" as const) }));
      const saves = wanted.map((w) =>
        saveRow(handle.db, { userId: null, name: "racing editor" }, {
          trustId: demo.trust.id,
          versionId: draft.id,
          rowId: w.rowId,
          codes: { [central]: w.code },
          expectedRevision: revisions.get(w.rowId) ?? 0,
        }),
      );
      const approval = approveVersion(handle.db, COMMAND_LINE, {
        trustId: demo.trust.id,
        versionId: draft.id,
        expectedVersion: draft.version,
        approvedByBodyId: board(),
        approvedOn: today(),
        minuteRef: `race ${round}`,
        reviewDueOn: monthsAfter(today(), 12),
      });
      // The approval goes first on odd rounds, the saves on even ones.
      const settled = round % 2 ? await Promise.allSettled([approval, ...saves]) : await Promise.allSettled([...saves, approval]);
      const approvalResult = round % 2 ? settled[0]! : settled.at(-1)!;
      const saveResults = round % 2 ? settled.slice(1) : settled.slice(0, -1);
      expect(approvalResult.status).toBe("fulfilled");
      const frozen = await versionRow(draft.id);
      expect(frozen.status).toBe("approved");
      for (const [i, result] of saveResults.entries()) {
        const [cell] = await handle.db
          .select()
          .from(cells)
          .where(and(eq(cells.versionId, draft.id), eq(cells.responsibilityId, wanted[i]!.rowId), eq(cells.bodyId, central)));
        const audited = await handle.db
          .select({ n: count() })
          .from(auditLog)
          .where(and(eq(auditLog.versionId, draft.id), eq(auditLog.responsibilityId, wanted[i]!.rowId), eq(auditLog.actor, "racing editor")));
        if (result.status === "fulfilled") {
          expect(cell?.code).toBe(wanted[i]!.code);
          expect(audited[0]!.n).toBe(1);
        } else {
          expect(result.reason).toBeInstanceOf(RuleError);
          expect(String(result.reason.message)).toMatch(/is approved and cannot be changed/);
          expect(cell?.code ?? null).toBe(scheme.cells[`${wanted[i]!.rowId}:${central}`]?.code ?? null);
          expect(audited[0]!.n).toBe(0);
        }
      }
    }
  });
});

describe("discarding a draft", () => {
  let draft: VersionRecord;

  beforeAll(async () => {
    draft = await startDraft(handle.db, COMMAND_LINE, { trustId: demo.trust.id, from: "latest-approved", reason: "A draft to throw away" });
  });

  it("asks first, saying what will be lost", async () => {
    const answer = await call(discardRoute.loader, getRequest(`${base(draft.number)}/discard`, cookies.ceo), params(draft.number));
    expect(answer.status).toBe(200);
    const page = answer.data as DiscardPage;
    const [cellCount] = await handle.db.select({ n: count() }).from(cells).where(eq(cells.versionId, draft.id));
    const [tierCount] = await handle.db.select({ n: count() }).from(tierCells).where(eq(tierCells.versionId, draft.id));
    expect(page.version).toMatchObject({ number: draft.number, reason: "A draft to throw away" });
    expect(page.cells).toBe(cellCount!.n);
    expect(page.cells).toBeGreaterThan(0);
    expect(page.tierCells).toBe(tierCount!.n);
    expect((await versionRow(draft.id)).status).toBe("draft");
  });

  it("is offered to the clerk and the CEO on the draft's page, and to no one on an approved version", async () => {
    expect((await matrixPage(draft.number, "", "clerk")).lifecycle).toMatchObject({ canApprove: true, canDiscard: true });
    expect((await matrixPage(draft.number, "", "ceo")).lifecycle).toMatchObject({ canApprove: false, canDiscard: true });
    expect((await matrixPage(draft.number, "", "trustee")).lifecycle).toMatchObject({ canApprove: false, canDiscard: false });
    expect((await matrixPage(draftNo, "", "ceo")).lifecycle).toMatchObject({ canApprove: false, canDiscard: false });
  });

  it("is refused to a trustee and a viewer (403)", async () => {
    for (const role of ["trustee", "viewer"] as const) {
      expect((await call(discardRoute.loader, getRequest(`${base(draft.number)}/discard`, cookies[role]), params(draft.number))).status).toBe(403);
      expect((await discard(draft.number, { version: String(draft.version) }, role)).status).toBe(403);
    }
    expect((await versionRow(draft.id)).status).toBe("draft");
  });

  it("refuses a version that is not a draft", async () => {
    const approved = await versionRow(demo.draftVersionId);
    const answer = await discard(draftNo, { version: String(approved.version) });
    expect(answer.status).toBe(400);
    expect(formErrors(answer).join(" ")).toMatch(/never discarded/);
    expect(await versionRow(demo.draftVersionId)).toEqual(approved);
  });

  it("removes the draft with its cells, variants and acknowledgements, and records it", async () => {
    const answer = await discard(draft.number, { version: String(draft.version) }, "ceo");
    expect(answer.status).toBe(302);
    expect(answer.location).toMatch(new RegExp(`/versions/\\d+\\?discarded=${draft.number}$`));
    expect(await byNumber(draft.number)).toBeUndefined();
    for (const table of [cells, tierCells, schemeRows] as const) {
      const [left] = await handle.db.select({ n: count() }).from(table).where(eq(table.versionId, draft.id));
      expect(left!.n).toBe(0);
    }
    const [entry] = await handle.db.select().from(auditLog).where(and(eq(auditLog.versionId, draft.id), eq(auditLog.action, "delete")));
    expect(entry!.summary).toMatch(new RegExp(`Discarded draft version ${draft.number}`));
    // The trust can start again.
    const next = await startDraft(handle.db, COMMAND_LINE, { trustId: demo.trust.id, from: "latest-approved" });
    expect(next.status).toBe("draft");
    const page = await matrixPage(next.number, `?discarded=${draft.number}`);
    expect(page.lifecycle.discarded).toBe(draft.number);
  });
});
