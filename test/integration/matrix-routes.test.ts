import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db/client";
import { cells, responsibilities } from "../../db/schema";
import { DEMO_USERS, seedDemoTrust, type DemoTrust } from "../../db/seed";
import type { MatrixView } from "~/domain/matrix-view";
import { COMMAND_LINE } from "~/models/audit.server";
import { findDraft, loadScheme } from "~/models/scheme.server";
import * as cellsRoute from "~/routes/trusts.$slug.versions.$number.cells";
import * as bulkRoute from "~/routes/trusts.$slug.versions.$number.bulk";
import * as matrixRoute from "~/routes/trusts.$slug.versions.$number._index";
import * as rowRoute from "~/routes/trusts.$slug.versions.$number.rows.$rowId";
import * as schemeRoute from "~/routes/trusts.$slug.scheme";
import { freshDatabase } from "../support/database";
import { call, formPost, getRequest, sessionCookie } from "../support/requests";

let handle: DatabaseHandle;
let demo: DemoTrust;
const cookies: Record<string, string> = {};
let number: string;
let versionId: string;

const password = (role: string) => DEMO_USERS.find((u) => u.role === role)!;

beforeAll(async () => {
  handle = await freshDatabase();
  demo = await seedDemoTrust(handle.db, COMMAND_LINE);
  for (const role of ["clerk", "ceo", "viewer"]) cookies[role] = await sessionCookie(password(role).email, password(role).password);
  const existing = await findDraft(handle.db, demo.trust.id);
  if (!existing) {
    const started = await call(schemeRoute.action, formPost(`/trusts/${demo.trust.slug}/scheme`, { intent: "start-draft", from: "empty" }, { cookie: cookies.clerk }), {
      slug: demo.trust.slug,
    });
    expect(started.status).toBe(302);
  }
  const draft = await findDraft(handle.db, demo.trust.id);
  number = String(draft!.number);
  versionId = draft!.id;
});
afterAll(() => handle.close());

async function rowByKey(key: string) {
  const [r] = await handle.db
    .select()
    .from(responsibilities)
    .where(and(eq(responsibilities.trustId, demo.trust.id), eq(responsibilities.catalogueKey, key)));
  return r!;
}

const params = () => ({ slug: demo.trust.slug, number });

function saveCell(role: string, fields: Record<string, string>) {
  return call(cellsRoute.action, formPost(`/trusts/${demo.trust.slug}/versions/${number}/cells`, fields, { cookie: cookies[role] }), params());
}

describe("saving a cell", () => {
  it("answers with the row's new revision, then refuses a save made on the old one with the row as it now stands", async () => {
    const row = await rowByKey("DER-01");
    const ceoColumn = demo.bodies["Chief executive officer"]!.id;
    const head = demo.bodies["Headteacher"]!.id;
    const revision = (await loadScheme(handle.db, demo.trust.id, versionId)).rowRevisions[row.id]!;
    const first = await saveCell("clerk", { rowId: row.id, columnId: ceoColumn, code: "A", revision: String(revision) });
    expect(first.status).toBe(200);
    expect(first.data).toEqual({ status: "saved", rowId: row.id, revision: revision + 1 });

    const second = await saveCell("ceo", { rowId: row.id, columnId: head, code: "E", revision: String(revision) });
    expect(second.status).toBe(409);
    const conflict = second.data as { status: string; revision: number; codes: Record<string, string> };
    expect(conflict.status).toBe("conflict");
    expect(conflict.revision).toBe(revision + 1);
    expect(conflict.codes[ceoColumn]).toBe("A");
    const [stored] = await handle.db.select().from(cells).where(and(eq(cells.versionId, versionId), eq(cells.responsibilityId, row.id), eq(cells.bodyId, head)));
    expect(stored?.code).not.toBe("E");
  });

  it("refuses with 400 and a reason a code the row forbids, and anything malformed", async () => {
    const row = await rowByKey("STAT-F1");
    const head = demo.bodies["Headteacher"]!.id;
    const revision = (await loadScheme(handle.db, demo.trust.id, versionId)).rowRevisions[row.id]!;
    const forbidden = await saveCell("clerk", { rowId: row.id, columnId: head, code: "D", revision: String(revision) });
    expect(forbidden.status).toBe(400);
    expect((forbidden.data as { message: string }).message).toMatch(/Only the trust board may decide/);
    for (const bad of [
      { rowId: row.id, columnId: head, code: "Z", revision: "1" },
      { rowId: "not-an-id", columnId: head, code: "D", revision: "1" },
      { rowId: row.id, columnId: head, code: "D", revision: "-4" },
      { rowId: row.id, columnId: head, code: "D" },
    ]) {
      const answer = await saveCell("clerk", bad as Record<string, string>);
      expect(answer.status).toBe(400);
    }
    expect((await loadScheme(handle.db, demo.trust.id, versionId)).rowRevisions[row.id]).toBe(revision);
  });

  it("refuses a viewer (403)", async () => {
    const row = await rowByKey("DER-01");
    const answer = await saveCell("viewer", { rowId: row.id, columnId: demo.bodies["Headteacher"]!.id, code: "E", revision: "1" });
    expect(answer.status).toBe(403);
  });
});

describe("the matrix page", () => {
  it("filters by area and by the body with a role", async () => {
    const all = await call(matrixRoute.loader, getRequest(`/trusts/${demo.trust.slug}/versions/${number}`, cookies.viewer), params());
    const byArea = await call(matrixRoute.loader, getRequest(`/trusts/${demo.trust.slug}/versions/${number}?area=12`, cookies.viewer), params());
    const areaView = JSON.parse((byArea.data as { matrix: string }).matrix) as MatrixView;
    expect(areaView.groups.map((g) => g.area)).toEqual([12]);
    const ceoColumn = demo.bodies["Chief executive officer"]!.id;
    const byColumn = await call(matrixRoute.loader, getRequest(`/trusts/${demo.trust.slug}/versions/${number}?column=${ceoColumn}`, cookies.viewer), params());
    const view = JSON.parse((byColumn.data as { matrix: string }).matrix) as MatrixView;
    const ceoIndex = view.columns.findIndex((c) => c.id === ceoColumn);
    for (const row of view.groups.flatMap((g) => g.rows)) expect(row.codes[ceoIndex]).not.toBeNull();
    expect((all.data as { editable: boolean }).editable).toBe(false);
  });

  it("sets a column for an area in one action, reporting the rows it left alone", async () => {
    const head = demo.bodies["Headteacher"]!.id;
    const answer = await call(
      bulkRoute.action,
      formPost(`/trusts/${demo.trust.slug}/versions/${number}/bulk`, { intent: "set-column", area: "4", columnId: head, code: "E" }, { cookie: cookies.ceo }),
      params(),
    );
    expect(answer.status).toBe(200);
    expect((answer.data as { notice: string }).notice).toMatch(/cells? changed\. \d+ left as they were/);
    const bad = await call(
      bulkRoute.action,
      formPost(`/trusts/${demo.trust.slug}/versions/${number}/bulk`, { intent: "set-column", area: "40", columnId: head, code: "E" }, { cookie: cookies.ceo }),
      params(),
    );
    expect(bad.status).toBe(400);
  });

  it("saves a whole row from the form used without JavaScript, and refuses a stale one with a message", async () => {
    const row = await rowByKey("SEED-13");
    const scheme = await loadScheme(handle.db, demo.trust.id, versionId);
    const revision = scheme.rowRevisions[row.id]!;
    const head = demo.bodies["Headteacher"]!.id;
    const central = demo.bodies["Central team"]!.id;
    const path = `/trusts/${demo.trust.slug}/versions/${number}/rows/${row.id}`;
    const saved = await call(rowRoute.action, formPost(path, { revision: String(revision), [`code-${head}`]: "D", [`code-${central}`]: "A" }, { cookie: cookies.clerk }), {
      ...params(),
      rowId: row.id,
    });
    expect(saved.status).toBe(302);
    const stale = await call(rowRoute.action, formPost(path, { revision: String(revision), [`code-${head}`]: "" }, { cookie: cookies.clerk }), { ...params(), rowId: row.id });
    expect(stale.status).toBe(200);
    expect((stale.data as { message: string }).message).toMatch(/Someone else saved this row/);
    const after = await loadScheme(handle.db, demo.trust.id, versionId);
    expect(after.cells[`${row.id}:${head}`]?.code).toBe("D");
    expect(after.cells[`${row.id}:${central}`]?.code).toBe("A");
  });
});
