/**
 * Concurrency without loss. Several people edit the same few cells of one draft at once, each through
 * the matrix page's own cell save (the cells route, called as Remix calls it), each signed in as a
 * different member who may edit drafts. About a quarter of the saves are made with a tier chosen, as
 * the tier's variants of the same rows: they claim the same row revision as saves of the base scheme. Each
 * person keeps what it believes of a row: the revision it last read from the row's page or last heard
 * in an answer; now and then it saves on a revision it knows is stale, or with a code the row forbids.
 * Afterwards:
 * - the draft's cells and the tier's variants, every one of them, equal the accepted saves replayed in
 *   the order of the revisions they were given, over the draft as it was before; nothing else changed;
 * - every refused save was told so (409 and the row as it stood then, or 400 and the rule), and no
 *   accepted save was lost;
 * - the history holds exactly one entry for each accepted save that changed its cell, with its person,
 *   cell and before → after, in the order of the revisions, and nothing for the rest;
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
import type { Tier } from "~/domain/autonomy";
import { DECISION_CODES, type DecisionCode } from "~/domain/codes";
import { cellKey, forbiddenReason, permittedCodes, type SchemeColumn, type SchemeRow } from "~/domain/scheme";
import { layeredCell, lockedRowReason, variantFor, type CellLayers } from "~/domain/variants";
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
/** The tier whose scheme some saves edit. */
const TIER: Tier = "T4";

interface Editor {
  userId: string;
  name: string;
  cookie: string;
}

interface Target {
  row: SchemeRow;
  column: SchemeColumn;
}

type Conflict = Extract<CellSaveAnswer, { status: "conflict" }>;

interface Attempt {
  editor: number;
  rowId: string;
  columnId: string;
  /** Saved as the tier's scheme rather than the base. */
  tier: boolean;
  code: DecisionCode | null;
  /** The revision the save named. */
  revision: number;
  /** Named on purpose older than the revision the editor had seen. */
  stale: boolean;
  /** Why a rule of the row refuses the save, when the editor chose one it refuses. */
  rule: string | null;
  status: number;
  answer: CellSaveAnswer;
}

/** A cell as stored: a base cell's code, or a variant's (null: the variant clears the cell). */
interface Stored {
  code: string | null;
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

/** The draft's base cells, every one, by cellKey. */
async function baseCells(): Promise<Map<string, Stored>> {
  const rows = await handle.db.select().from(cells).where(eq(cells.versionId, versionId));
  return new Map(rows.map((c) => [cellKey(c.responsibilityId, c.bodyId), { code: c.code, note: c.note }]));
}

/** The draft's variants of the tier edited, by cellKey; and every other variant, of other tiers and of schools, as text. */
async function variants(): Promise<{ tier: Map<string, Stored>; others: string[] }> {
  const tier = await handle.db.select().from(tierCells).where(eq(tierCells.versionId, versionId));
  const school = await handle.db.select().from(schoolCells).where(eq(schoolCells.versionId, versionId));
  return {
    tier: new Map(tier.filter((v) => v.tier === TIER).map((v) => [cellKey(v.responsibilityId, v.bodyId), { code: v.code, note: v.note }])),
    others: [...tier.filter((v) => v.tier !== TIER), ...school].map((v) => JSON.stringify(v)).sort(),
  };
}

async function rowRevisions(): Promise<Map<string, number>> {
  const rows = await handle.db.select().from(schemeRows).where(eq(schemeRows.versionId, versionId));
  return new Map(rows.map((r) => [r.responsibilityId, r.revision]));
}

/**
 * The rows and columns fought over: two rows with constraints, so that some codes are forbidden (often statutory-locked ones, which
 * never vary by tier), and rows the tiers may vary.
 */
async function targets(random: () => number): Promise<Target[]> {
  const scheme = await loadScheme(handle.db, demo.trust.id, versionId);
  const shuffled = <T>(list: T[]) =>
    list
      .map((item) => ({ item, key: random() }))
      .sort((a, b) => a.key - b.key)
      .map((x) => x.item);
  const constrained = shuffled(scheme.rows.filter((r) => r.decisionKinds || r.excludedKinds)).slice(0, 2);
  const others = shuffled(scheme.rows.filter((r) => !constrained.includes(r) && !r.locked)).slice(0, ROWS - constrained.length);
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
    // The matrix shows a statutory-locked row read-only for a tier: only now and then does a save try it all the same.
    const tier = random() < (row.locked ? 0.03 : 0.3);
    const forbidden = DECISION_CODES.filter((c) => forbiddenReason(row, column.kind, c));
    const roll = random();
    const code = roll < 0.05 && forbidden.length > 0 ? pick(forbidden) : roll < 0.2 ? null : pick(permittedCodes(row, column.kind));
    const stale = seen > 0 && random() < 0.1;
    const revision = stale ? Math.max(0, seen - 1 - Math.floor(random() * 3)) : seen;
    const fields = { rowId: row.id, columnId: column.id, code: code ?? "", revision: String(revision), ...(tier ? { tier: TIER } : {}) };
    const answer = await call(cellsRoute.action, formPost(`/trusts/${demo.trust.slug}/versions/${number}/cells`, fields, { cookie: editor.cookie }), params());
    const said = answer.data as CellSaveAnswer;
    // A statutory-locked row never varies (EA-14); otherwise the row's constraints decide.
    const rule = tier && row.locked ? lockedRowReason(row) : code && forbiddenReason(row, column.kind, code);
    attempts.push({ editor: index, rowId: row.id, columnId: column.id, tier, code, revision, stale, rule, status: answer.status, answer: said });
    if (said.status === "saved" || said.status === "conflict") believed.set(row.id, said.revision);
  }
  return attempts;
}

const timeout = SECONDS !== null ? (SECONDS + 120) * 1000 : 60_000 + EDITORS * ROUNDS * 100;

it(`loses no save when ${EDITORS} people edit the same cells of a draft at once (seed ${SEED})`, { timeout }, async () => {
  const { db } = handle;
  const fought = await targets(seededRandom(SEED));
  const before = { base: await baseCells(), ...(await variants()) };
  const revisionsBefore = await rowRevisions();
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
    expect(a.rule).toBeNull();
  }
  for (const a of conflicts) {
    expect(a.status).toBe(409);
    expect(a.rule).toBeNull();
    const conflict = a.answer as Conflict;
    expect(conflict.message).toBe("Someone else saved this row since you opened it. Your change was not saved; the latest version is shown.");
    expect(conflict.revision).toBeGreaterThan(a.revision);
  }
  for (const a of refused) {
    expect(a.status).toBe(400);
    expect((a.answer as { message: string }).message).toBe(a.rule);
  }
  // A save named on a revision older than one already seen is always refused.
  for (const a of attempts.filter((x) => x.stale)) expect(a.answer.status).not.toBe("saved");
  // Every save a rule forbids is refused with the rule's reason, whatever revision it named.
  for (const a of attempts.filter((x) => x.rule)) expect(a.answer.status).toBe("refused");

  // The accepted saves of each row, in the order of the revisions they were given: one for each revision the row moved on.
  const revisionOf = (a: Attempt) => (a.answer as { revision: number }).revision;
  const byRow = new Map<string, Attempt[]>();
  for (const a of [...accepted].sort((x, y) => revisionOf(x) - revisionOf(y))) byRow.set(a.rowId, [...(byRow.get(a.rowId) ?? []), a]);
  const revisionsAfter = await rowRevisions();
  for (const [rowId, revision] of revisionsAfter) {
    const start = revisionsBefore.get(rowId)!;
    expect((byRow.get(rowId) ?? []).map(revisionOf)).toEqual(Array.from({ length: revision - start }, (_, i) => start + 1 + i));
  }

  // Replayed over the draft as it was, keeping each row as it stood at every revision and the history each save should leave.
  const base = new Map(before.base);
  const tier = new Map(before.tier);
  const ofRow = (stored: Map<string, Stored>, rowId: string) =>
    Object.fromEntries([...stored].filter(([key]) => key.startsWith(`${rowId}:`)).map(([key, cell]) => [key.slice(rowId.length + 1), cell.code]));
  const rowAt = new Map<string, { codes: Record<string, string | null>; tier: Record<string, string | null> }>();
  const keep = (rowId: string, revision: number) => rowAt.set(`${rowId}@${revision}`, { codes: ofRow(base, rowId), tier: ofRow(tier, rowId) });
  for (const { row } of fought) keep(row.id, revisionsBefore.get(row.id)!);
  const expectedHistory = new Map<string, unknown[]>();
  for (const [rowId, saves] of byRow) {
    for (const save of saves) {
      const key = cellKey(rowId, save.columnId);
      const editor = editors[save.editor]!;
      const entry = (entity: string, was: unknown, now: unknown) =>
        expectedHistory.set(rowId, [
          ...(expectedHistory.get(rowId) ?? []),
          { userId: editor.userId, actor: editor.name, entity, entityId: key, before: was, after: now },
        ]);
      if (save.tier) {
        // The tier stores a variant only where its code differs from the base's (variantFor, the product's own rule).
        const layers: CellLayers = { base: (base.get(key)?.code ?? null) as DecisionCode | null };
        if (tier.has(key)) layers.tier = tier.get(key)!.code as DecisionCode | null;
        const stored = variantFor(save.code, layers.base);
        if (stored === null ? layers.tier !== undefined : layers.tier !== stored.code) {
          if (stored === null) tier.delete(key);
          else tier.set(key, { code: stored.code, note: tier.get(key)?.note ?? null });
          entry(
            "tier-cell",
            { tier: TIER, code: layeredCell(layers).code, varied: layers.tier !== undefined },
            { tier: TIER, code: save.code, varied: stored !== null },
          );
        }
      } else {
        const was = base.get(key);
        if (save.code === null) base.delete(key);
        else base.set(key, { code: save.code, note: was?.note ?? null });
        if ((was?.code ?? null) !== save.code) entry("cell", { code: was?.code ?? null }, { code: save.code });
      }
      keep(rowId, revisionOf(save));
    }
  }
  const after = { base: await baseCells(), ...(await variants()) };
  expect(Object.fromEntries(after.base)).toEqual(Object.fromEntries(base));
  expect(Object.fromEntries(after.tier)).toEqual(Object.fromEntries(tier));
  expect(after.others).toEqual(before.others);

  // A conflict showed the row exactly as it stood at the revision it named: its codes, and the tier's variants when saving the tier's.
  for (const a of conflicts) {
    const conflict = a.answer as Conflict;
    const then = rowAt.get(`${a.rowId}@${conflict.revision}`)!;
    expect(conflict.codes).toEqual(then.codes);
    expect(conflict.variants).toEqual(a.tier ? { tier: then.tier, school: {} } : undefined);
  }

  // No lost update: each accepted save is what its cell shows now (in the base, or for the tier), or a later accepted save wrote the cell.
  const showing = (a: Attempt) => {
    const key = cellKey(a.rowId, a.columnId);
    return a.tier && after.tier.has(key) ? after.tier.get(key)!.code : after.base.get(key)?.code ?? null;
  };
  const lost = accepted.filter(
    (a) =>
      showing(a) !== a.code && !accepted.some((b) => b.rowId === a.rowId && b.columnId === a.columnId && (a.tier || !b.tier) && revisionOf(b) > revisionOf(a)),
  );
  expect(lost).toEqual([]);

  // The history: exactly the accepted saves that changed a cell, each once, in the order of the revisions.
  const history = await db
    .select()
    .from(auditLog)
    .where(gt(auditLog.id, lastAudit ?? 0))
    .orderBy(auditLog.id);
  expect(history.filter((h) => h.action !== "update" || h.versionId !== versionId || h.trustId !== demo.trust.id)).toEqual([]);
  const historyByRow = new Map<string, unknown[]>();
  for (const h of history) {
    const was = (h.before as { code: string | null }).code;
    const now = (h.after as { code: string | null }).code;
    expect(h.summary).toContain(`${was ?? "(empty)"} → ${now ?? "(empty)"}`);
    expect(h.summary).toContain(`in version ${number}`);
    historyByRow.set(h.responsibilityId!, [
      ...(historyByRow.get(h.responsibilityId!) ?? []),
      { userId: h.userId, actor: h.actor, entity: h.entity, entityId: h.entityId, before: h.before, after: h.after },
    ]);
  }
  expect(Object.fromEntries(historyByRow)).toEqual(Object.fromEntries(expectedHistory));

  // The editors met: some saves were refused for someone else's save, not only for a revision named stale on purpose.
  expect(accepted.filter((a) => a.tier).length).toBeGreaterThan(0);
  expect(accepted.filter((a) => !a.tier).length).toBeGreaterThan(0);
  expect(conflicts.filter((a) => !a.stale).length).toBeGreaterThan(0);
  console.log(
    `${engine()}: ${EDITORS} editors, seed ${SEED}: ${attempts.length} saves tried (${attempts.filter((a) => a.tier).length} of the tier's), ` +
      `${accepted.length} accepted, ${conflicts.length} refused as stale (${conflicts.filter((a) => a.stale).length} on purpose), ` +
      `${refused.length} refused by a rule, ${history.length} history entries, ${lost.length} lost updates`,
  );
});
