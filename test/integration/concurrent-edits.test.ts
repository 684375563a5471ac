/**
 * Concurrency without loss. Several people edit the same few cells of one draft at once, each through
 * the matrix page's own cell save (the cells route, called as Remix calls it), each signed in as a
 * different member who may edit drafts. Each keeps what it believes of a row: the revision it last
 * read from the row's page or last heard in an answer; now and then it saves on a revision it knows
 * is stale, or with a code the row forbids. Afterwards:
 * - the draft's cells, every one of them, equal the accepted saves replayed in the order of the
 *   revisions they were given, over the cells as they were before;
 * - every refused save was told so (409 and the row as it stood then, or 400 and the rule), and no
 *   accepted save was lost;
 * - the history holds exactly one entry for each accepted save that changed its cell, with its person,
 *   cell and before → after, and nothing for the rest;
 * - nothing answered with a fault.
 *
 * The choices are pseudo-random from a seed, so a failure reproduces with the seed it prints (the
 * interleaving of the saves may still differ on PostgreSQL, whose pool runs them side by side).
 * Sizes, for longer runs on demand:
 *   EDITORS=8        people editing at once
 *   EDIT_ROUNDS=60   saves each of them tries
 *   EDIT_SECONDS     instead of a number of saves: each keeps editing for this many seconds
 *   EDIT_SEED=8      the seed of the choices
 * e.g. EDITORS=20 EDIT_SECONDS=120 npx vitest run --project integration-postgres test/integration/concurrent-edits.test.ts
 */
import { eq, gt, max } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db/client";
import { auditLog, cells, schemeRows, schoolCells, tierCells } from "../../db/schema";
import { DEMO_USERS, seedDemoTrust, type DemoTrust } from "../../db/seed";
import { DECISION_CODES, type DecisionCode } from "~/domain/codes";
import { cellKey, forbiddenReason, permittedCodes, type SchemeColumn, type SchemeRow } from "~/domain/scheme";
import { COMMAND_LINE } from "~/models/audit.server";
import { addMember } from "~/models/membership.server";
import { findDraft, loadScheme } from "~/models/scheme.server";
import { createUser } from "~/models/user.server";
import * as cellsRoute from "~/routes/trusts.$slug.versions.$number.cells";
import type { CellSaveAnswer } from "~/routes/trusts.$slug.versions.$number.cells";
import * as rowRoute from "~/routes/trusts.$slug.versions.$number.rows.$rowId";
import { seededRandom } from "../fixtures/national-trust";
import { engine, freshDatabase } from "../support/database";
import { call, formPost, getRequest, sessionCookie } from "../support/requests";

const EDITORS = Number(process.env.EDITORS ?? 8);
const ROUNDS = Number(process.env.EDIT_ROUNDS ?? 60);
const SECONDS = process.env.EDIT_SECONDS ? Number(process.env.EDIT_SECONDS) : null;
const SEED = Number(process.env.EDIT_SEED ?? 8);
/** The cells fought over: few enough that the editors keep meeting on the same rows. */
const ROWS = 6;
const COLUMNS = 5;

interface Editor {
  userId: string;
  name: string;
  cookie: string;
}

interface Target {
  row: SchemeRow;
  column: SchemeColumn;
}

interface Attempt {
  editor: number;
  rowId: string;
  columnId: string;
  code: DecisionCode | null;
  /** The revision the save named. */
  revision: number;
  /** Named on purpose older than the revision the editor had seen. */
  stale: boolean;
  /** Why the row forbids the code, when it was chosen as one the row forbids. */
  forbidden: string | null;
  status: number;
  answer: CellSaveAnswer;
}

interface CellState {
  code: string;
  note: string | null;
}

let handle: DatabaseHandle;
let demo: DemoTrust;
let number: string;
let versionId: string;
const editors: Editor[] = [];

beforeAll(async () => {
  handle = await freshDatabase();
  demo = await seedDemoTrust(handle.db, COMMAND_LINE);
  const draft = await findDraft(handle.db, demo.trust.id);
  number = String(draft!.number);
  versionId = draft!.id;
  const people = DEMO_USERS.filter((u) => u.role !== "viewer").map((u) => ({ ...u, user: demo.users[u.role] }));
  for (let i = people.length; i < EDITORS; i++) {
    const person = { name: `Trustee ${i + 1}`, email: `trustee-${i + 1}@demo.example`, password: `trustee-${i + 1}-password` };
    const user = await createUser(handle.db, COMMAND_LINE, person);
    await addMember(handle.db, COMMAND_LINE, { trustId: demo.trust.id, userId: user.id, role: "trustee" });
    people.push({ ...person, role: "trustee", user });
  }
  for (const [i, person] of people.slice(0, EDITORS).entries()) {
    editors.push({ userId: person.user.id, name: person.name, cookie: await sessionCookie(person.email, person.password, `198.51.100.${i + 1}`) });
  }
});
afterAll(() => handle.close());

const params = (extra: Record<string, string> = {}) => ({ slug: demo.trust.slug, number, ...extra });

/** The draft's cells, every one, by cellKey. */
async function draftCells(): Promise<Map<string, CellState>> {
  const rows = await handle.db.select().from(cells).where(eq(cells.versionId, versionId));
  return new Map(rows.map((c) => [cellKey(c.responsibilityId, c.bodyId), { code: c.code, note: c.note }]));
}

async function rowRevisions(): Promise<Map<string, number>> {
  const rows = await handle.db.select().from(schemeRows).where(eq(schemeRows.versionId, versionId));
  return new Map(rows.map((r) => [r.responsibilityId, r.revision]));
}

async function variants(): Promise<unknown[]> {
  const tier = await handle.db.select().from(tierCells).where(eq(tierCells.versionId, versionId));
  const school = await handle.db.select().from(schoolCells).where(eq(schoolCells.versionId, versionId));
  return [...tier, ...school].map((v) => JSON.stringify(v)).sort();
}

/** The rows and columns fought over: rows with constraints among them, so that some codes are forbidden. */
async function targets(random: () => number): Promise<Target[]> {
  const scheme = await loadScheme(handle.db, demo.trust.id, versionId);
  const shuffled = <T>(list: T[]) =>
    list
      .map((item) => ({ item, key: random() }))
      .sort((a, b) => a.key - b.key)
      .map((x) => x.item);
  const constrained = shuffled(scheme.rows.filter((r) => r.decisionKinds || r.excludedKinds)).slice(0, 2);
  const others = shuffled(scheme.rows.filter((r) => !constrained.includes(r))).slice(0, ROWS - constrained.length);
  const columns = shuffled(scheme.columns).slice(0, COLUMNS);
  return [...constrained, ...others].flatMap((row) => columns.map((column) => ({ row, column })));
}

/** What an editor reads of a row before editing it: the revision its page shows. */
async function readRevision(editor: Editor, rowId: string): Promise<number> {
  const page = await call(rowRoute.loader, getRequest(`/trusts/${demo.trust.slug}/versions/${number}/rows/${rowId}`, editor.cookie), params({ rowId }));
  expect(page.status, page.text).toBe(200);
  return (page.data as { revision: number }).revision;
}

/** One person editing: its own sequence of choices, and what it believes of each row's revision. */
async function edit(index: number, cellsFought: Target[], deadline: number | null): Promise<Attempt[]> {
  const editor = editors[index]!;
  const random = seededRandom(SEED * 1000 + index);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const believed = new Map<string, number>();
  const attempts: Attempt[] = [];
  for (let round = 0; deadline === null ? round < ROUNDS : Date.now() < deadline; round++) {
    const { row, column } = pick(cellsFought);
    if (!believed.has(row.id) || random() < 0.2) believed.set(row.id, await readRevision(editor, row.id));
    const seen = believed.get(row.id)!;
    const forbiddenCodes = DECISION_CODES.filter((c) => forbiddenReason(row, column.kind, c));
    const roll = random();
    const code: DecisionCode | null =
      roll < 0.05 && forbiddenCodes.length > 0 ? pick(forbiddenCodes) : roll < 0.2 ? null : pick(permittedCodes(row, column.kind));
    const stale = seen > 0 && random() < 0.1;
    const revision = stale ? Math.max(0, seen - 1 - Math.floor(random() * 3)) : seen;
    const fields = { rowId: row.id, columnId: column.id, code: code ?? "", revision: String(revision) };
    const answer = await call(cellsRoute.action, formPost(`/trusts/${demo.trust.slug}/versions/${number}/cells`, fields, { cookie: editor.cookie }), params());
    const said = answer.data as CellSaveAnswer;
    attempts.push({
      editor: index,
      rowId: row.id,
      columnId: column.id,
      code,
      revision,
      stale,
      forbidden: code && forbiddenReason(row, column.kind, code),
      status: answer.status,
      answer: said,
    });
    if (said.status === "saved" || said.status === "conflict") believed.set(row.id, said.revision);
  }
  return attempts;
}

const timeout = SECONDS !== null ? (SECONDS + 120) * 1000 : 60_000 + EDITORS * ROUNDS * 100;

it(`loses no save when ${EDITORS} people edit the same cells of a draft at once (seed ${SEED})`, { timeout }, async () => {
  const { db } = handle;
  const fought = await targets(seededRandom(SEED));
  const before = await draftCells();
  const revisionsBefore = await rowRevisions();
  const variantsBefore = await variants();
  const [{ lastAudit } = { lastAudit: null }] = await db.select({ lastAudit: max(auditLog.id) }).from(auditLog);

  const deadline = SECONDS !== null ? Date.now() + SECONDS * 1000 : null;
  const attempts = (await Promise.all(editors.map((_, i) => edit(i, fought, deadline)))).flat();

  // No fault: every answer is a save, a conflict or a refusal with its reason.
  expect(attempts.filter((a) => a.status >= 500)).toEqual([]);
  const accepted = attempts.filter((a) => a.answer.status === "saved");
  const conflicts = attempts.filter((a) => a.answer.status === "conflict");
  const refused = attempts.filter((a) => a.answer.status === "refused");
  expect(accepted.length + conflicts.length + refused.length).toBe(attempts.length);
  for (const a of accepted) {
    expect(a.status).toBe(200);
    // Accepted only on the revision it named: nobody had saved the row since the editor read it.
    expect((a.answer as { revision: number }).revision).toBe(a.revision + 1);
    expect(a.stale).toBe(false);
    expect(a.forbidden).toBeNull();
  }
  for (const a of conflicts) {
    expect(a.status).toBe(409);
    expect(a.forbidden).toBeNull();
    const conflict = a.answer as Extract<CellSaveAnswer, { status: "conflict" }>;
    expect(conflict.message).toBe("Someone else saved this row since you opened it. Your change was not saved; the latest version is shown.");
    expect(conflict.revision).toBeGreaterThan(a.revision);
  }
  for (const a of refused) {
    expect(a.status).toBe(400);
    expect((a.answer as { message: string }).message).toBe(a.forbidden);
  }
  // A save named on a revision older than one already seen is always refused.
  for (const a of attempts.filter((x) => x.stale)) expect(a.answer.status).not.toBe("saved");
  // Every save of a forbidden code is refused with the row's reason, whatever revision it named.
  for (const a of attempts.filter((x) => x.forbidden)) expect(a.answer.status).toBe("refused");

  // The accepted saves of each row, in the order of the revisions they were given: one for each revision the row moved on.
  const byRow = new Map<string, Attempt[]>();
  for (const a of accepted) byRow.set(a.rowId, [...(byRow.get(a.rowId) ?? []), a]);
  const revisionOf = (a: Attempt) => (a.answer as { revision: number }).revision;
  const revisionsAfter = await rowRevisions();
  for (const [rowId, revision] of revisionsAfter) {
    const saves = (byRow.get(rowId) ?? []).sort((a, b) => revisionOf(a) - revisionOf(b));
    const start = revisionsBefore.get(rowId)!;
    expect(saves.map(revisionOf)).toEqual(Array.from({ length: revision - start }, (_, i) => start + 1 + i));
  }

  // Replayed over the draft as it was, keeping each row's codes at every revision and the history each save should leave.
  const replayed = new Map(before);
  const rowAt = new Map<string, Record<string, string>>();
  const codesOf = (rowId: string) =>
    Object.fromEntries([...replayed].filter(([key]) => key.startsWith(`${rowId}:`)).map(([key, cell]) => [key.slice(rowId.length + 1), cell.code]));
  const expectedHistory = new Map<string, unknown[]>();
  for (const { row } of fought) rowAt.set(`${row.id}@${revisionsBefore.get(row.id)}`, codesOf(row.id));
  for (const [rowId, saves] of byRow) {
    for (const save of saves) {
      const key = cellKey(rowId, save.columnId);
      const was = replayed.get(key);
      if (save.code === null) replayed.delete(key);
      else replayed.set(key, { code: save.code, note: was?.note ?? null });
      if ((was?.code ?? null) !== save.code) {
        const editor = editors[save.editor]!;
        expectedHistory.set(rowId, [
          ...(expectedHistory.get(rowId) ?? []),
          { userId: editor.userId, actor: editor.name, entityId: key, before: { code: was?.code ?? null }, after: { code: save.code } },
        ]);
      }
      rowAt.set(`${rowId}@${revisionOf(save)}`, codesOf(rowId));
    }
  }
  const after = await draftCells();
  expect(Object.fromEntries(after)).toEqual(Object.fromEntries(replayed));
  expect(await variants()).toEqual(variantsBefore);

  // A conflict showed the row exactly as it stood at the revision it named.
  for (const a of conflicts) {
    const conflict = a.answer as Extract<CellSaveAnswer, { status: "conflict" }>;
    expect(conflict.codes).toEqual(rowAt.get(`${a.rowId}@${conflict.revision}`));
  }

  // No lost update: each accepted save is its cell's code now, or a later accepted save wrote the cell.
  const lost = accepted.filter(
    (a) =>
      (after.get(cellKey(a.rowId, a.columnId))?.code ?? null) !== a.code &&
      !accepted.some((b) => b.rowId === a.rowId && b.columnId === a.columnId && revisionOf(b) > revisionOf(a)),
  );
  expect(lost).toEqual([]);

  // The history: exactly the accepted saves that changed a cell, each once, in the order of the revisions.
  const history = await db
    .select()
    .from(auditLog)
    .where(gt(auditLog.id, lastAudit ?? 0))
    .orderBy(auditLog.id);
  expect(history.filter((h) => h.entity !== "cell" || h.action !== "update" || h.versionId !== versionId || h.trustId !== demo.trust.id)).toEqual([]);
  const historyByRow = new Map<string, unknown[]>();
  for (const h of history) {
    const before = (h.before as { code: string | null }).code;
    const after = (h.after as { code: string | null }).code;
    expect(h.summary).toContain(`${before ?? "(empty)"} → ${after ?? "(empty)"} in version ${number}`);
    historyByRow.set(h.responsibilityId!, [
      ...(historyByRow.get(h.responsibilityId!) ?? []),
      { userId: h.userId, actor: h.actor, entityId: h.entityId, before: h.before, after: h.after },
    ]);
  }
  expect(Object.fromEntries(historyByRow)).toEqual(Object.fromEntries(expectedHistory));

  // The editors met: some saves were refused for someone else's save, not only for a revision named stale on purpose.
  expect(accepted.length).toBeGreaterThan(0);
  expect(conflicts.filter((a) => !a.stale).length).toBeGreaterThan(0);
  const cellsChanged =
    [...after].filter(([key, cell]) => before.get(key)?.code !== cell.code).length + [...before.keys()].filter((key) => !after.has(key)).length;
  console.log(
    `${engine()}: ${EDITORS} editors, seed ${SEED}: ${attempts.length} saves tried, ${accepted.length} accepted, ` +
      `${conflicts.length} refused as stale (${conflicts.filter((a) => a.stale).length} on purpose), ${refused.length} refused by a rule, ` +
      `${history.length} history entries, ${cellsChanged} cells changed, ${lost.length} lost updates`,
  );
});
