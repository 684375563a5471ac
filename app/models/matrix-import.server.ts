/**
 * Importing a trust's own matrix (CSV) into its draft scheme. The plan is worked out again inside the
 * import's one transaction, from the file and the trust as they then stand, so nothing is applied that
 * the server has not just checked; every change lands with its audit entries, or nothing does.
 */
import { createHash } from "node:crypto";
import { and, eq, isNull, max, sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { cells, governanceBodies, responsibilities, schemeRows, schemeVersions, trusts } from "../../db/schema";
import { areaName } from "../domain/areas";
import { isDecisionCode, type DecisionCode } from "../domain/codes";
import { findKey, type DecisionKey } from "../domain/decision-keys";
import { isStatutory } from "../domain/catalogue-refs";
import { RuleError, StaleWriteError } from "../domain/errors";
import {
  readMatrixCsv,
  rowChanged,
  type ImportContext,
  type ImportPlan,
  type PlannedRow,
} from "../domain/matrix-csv";
import { cellKey, type SchemeRow } from "../domain/scheme";
import { BODY_KIND_LABELS } from "../domain/structure";
import { recordAudit, type Actor, type AuditEntry } from "./audit.server";
import { draftCellsOf, listCatalogue, retireRows, type DraftCells } from "./catalogue.server";
import { listVersions, liveStructure, startDraft, type VersionRecord } from "./scheme.server";
import { counted } from "../domain/counted";

export interface ImportInput {
  trustId: string;
  csv: string;
  key: DecisionKey;
  /** Research area chosen for a section heading, by the heading as written in the file. */
  areaChoices?: Record<string, number>;
  /** Whether the person importing may add governance bodies (the clerk; the command line may). */
  mayCreateBodies?: boolean;
  fileName?: string | null;
  /**
   * The file is the trust's whole scheme: every live row of the catalogue is retired, and every row
   * of the file added as a new one, instead of rows being matched by ref.
   */
  replaceCatalogue?: boolean;
}

/** What importing a file as the trust's whole scheme takes out of the catalogue. */
export interface CatalogueRetiring {
  /** The live rows of the catalogue, all retired. */
  rows: number;
  /** The statutory rows among them, which the file may not cover. */
  statutory: { ref: string; title: string; statutoryRule: string | null }[];
  /** The draft's cells, tier variants and school variations on them, which go with them. */
  draftCells: number;
}

export interface ImportPreview {
  plan: ImportPlan;
  /** Identifies the changes previewed, so a confirmation can tell that the trust has moved on since. */
  fingerprint: string;
  /** The draft the import goes into, or null when it will start one. */
  draft: { number: number } | null;
  /** When a draft is started: its number and the approved version it copies (null for an empty one). */
  newDraft: { number: number; basedOn: number | null } | null;
  /** Only when the file is imported as the trust's whole scheme. */
  retiring: CatalogueRetiring | null;
}

export interface ImportResult {
  plan: ImportPlan;
  /** The draft the import went into; null when the file changed nothing and no draft was started. */
  version: VersionRecord | null;
  startedDraft: boolean;
  /** What was retired from the catalogue, when the file was imported as the trust's whole scheme. */
  retiring: CatalogueRetiring | null;
}

/** The file has problems: nothing was imported. */
export class ImportRefusedError extends RuleError {
  constructor(readonly plan: ImportPlan) {
    super(`The file has ${plan.errors.length} ${plan.errors.length === 1 ? "problem" : "problems"} to put right before anything can be imported. Nothing was imported.`);
    this.name = "ImportRefusedError";
  }
}

/** The trust's matrix changed between the preview and the confirmation: nothing was imported; here is the new preview. */
export class PreviewOutdatedError extends RuleError {
  constructor(readonly preview: ImportPreview) {
    super("The trust's matrix changed after the preview was made, so nothing was imported. Check the new preview below and confirm again.");
    this.name = "PreviewOutdatedError";
  }
}

// ---------------------------------------------------------------- the trust as the file meets it

interface Situation {
  context: ImportContext;
  draft: VersionRecord | null;
  base: VersionRecord | null;
  nextNumber: number;
  /** The live rows the import retires, and the draft's cells on them, when the file is the whole scheme. */
  retiring: { rows: SchemeRow[]; draftCells: Map<string, DraftCells> } | null;
}

/**
 * The trust as the file meets it. For a file that is the trust's whole scheme the catalogue is set
 * aside, so the file's rows meet no rows (nor their constraints and cells) of the trust's.
 */
async function situation(db: Database, trustId: string, replaceCatalogue: boolean): Promise<Situation> {
  const live = await liveStructure(db, trustId);
  const versions = await listVersions(db, trustId);
  const draft = versions.find((v) => v.status === "draft") ?? null;
  const base = versions.find((v) => v.status === "approved") ?? null;
  const columnName = new Map(live.columns.map((c) => [c.id, c.name]));
  const context: ImportContext = {
    columns: live.columns.map((c) => ({ id: c.id, name: c.name, shortName: c.shortName, kind: c.kind })),
    boards: live.boards.map((b) => ({ name: b.name, kind: b.kind, columnName: b.columnId ? (columnName.get(b.columnId) ?? null) : null })),
    rows: replaceCatalogue ? [] : live.rows,
    cells: {},
  };
  // Without a draft, the import goes into one started from the latest approved version: compare with that.
  const source = draft ?? base;
  if (source && !replaceCatalogue) {
    const rowIds = new Set(live.rows.map((r) => r.id));
    const found = await db
      .select({ rowId: cells.responsibilityId, columnId: cells.bodyId, code: cells.code })
      .from(cells)
      .where(eq(cells.versionId, source.id));
    for (const c of found) {
      if (rowIds.has(c.rowId) && columnName.has(c.columnId)) context.cells[cellKey(c.rowId, c.columnId)] = c.code as DecisionCode;
    }
  }
  const retiring = replaceCatalogue
    ? { rows: live.rows, draftCells: draft ? await draftCellsOf(db, draft.id, live.rows.map((r) => r.id)) : new Map<string, DraftCells>() }
    : null;
  return { context, draft, base, nextNumber: (versions[0]?.number ?? 0) + 1, retiring };
}

function plan(s: Situation, input: ImportInput): ImportPlan {
  return readMatrixCsv(input.csv, s.context, {
    key: input.key,
    areaChoices: input.areaChoices,
    mayCreateBodies: input.mayCreateBodies ?? true,
  });
}

/** The changes a plan makes, apart from the research areas chosen on the confirming form itself. */
function fingerprint(p: ImportPlan, retiring: Situation["retiring"]): string {
  const basis = {
    columns: p.columns.map((c) => [c.index, c.name, c.kind, c.existingId]),
    rows: p.rows.map((r) => [
      r.ref,
      r.existing?.id ?? null,
      r.existing?.title ?? null,
      r.existing?.section ?? null,
      r.title,
      r.section,
      r.changes.map((c) => [c.columnIndex, c.before, c.after]),
    ]),
    untouched: p.untouched.map((u) => u.ref),
    ...(retiring ? { retiring: retiring.rows.map((r) => [r.id, r.ref, r.title]), draftCells: countCells(retiring.draftCells) } : {}),
  };
  return createHash("sha256").update(JSON.stringify(basis)).digest("hex").slice(0, 32);
}

function countCells(found: Map<string, DraftCells>): number {
  let n = 0;
  for (const c of found.values()) n += c.cells.length + c.tierCells.length + c.schoolCells.length;
  return n;
}

function preview(s: Situation, p: ImportPlan): ImportPreview {
  return {
    plan: p,
    fingerprint: fingerprint(p, s.retiring),
    draft: s.draft ? { number: s.draft.number } : null,
    newDraft: s.draft ? null : { number: s.nextNumber, basedOn: s.base?.number ?? null },
    retiring: retiringOf(s),
  };
}

function retiringOf(s: Situation): CatalogueRetiring | null {
  if (!s.retiring) return null;
  return {
    rows: s.retiring.rows.length,
    statutory: s.retiring.rows.filter(isStatutory).map((r) => ({ ref: r.ref, title: r.title, statutoryRule: r.statutoryRule })),
    draftCells: countCells(s.retiring.draftCells),
  };
}

/** What importing the file would do, and every problem that stops it. Changes nothing. */
export async function previewImport(db: Database, input: ImportInput): Promise<ImportPreview> {
  const s = await situation(db, input.trustId, input.replaceCatalogue ?? false);
  return preview(s, plan(s, input));
}
/** What importing as the whole scheme takes out, in plain words, for the preview on the page and the command line. */
export function retiringWords(retiring: CatalogueRetiring, draft: { number: number } | null): string {
  if (retiring.rows === 0) return "The trust's catalogue has no rows to retire: every row of the file is added as a new one.";
  const them = retiring.rows === 1 ? "it" : "them";
  const statutory = retiring.statutory.length;
  const rows = `${counted(retiring.rows, "row")} of the current catalogue will be retired`;
  const words =
    statutory === 0
      ? `${rows}; approved versions keep ${them}.`
      : `${rows}, including ${counted(statutory, "statutory row")}: the checks will report the statutory decisions the file does not cover; approved versions keep ${them}.`;
  return draft && retiring.draftCells > 0 ? `${words} Draft version ${draft.number} loses its ${counted(retiring.draftCells, "cell")} on ${them}.` : words;
}

function hasChanges(p: ImportPlan, s: Situation): boolean {
  return p.summary.newBodies > 0 || p.rows.some(rowChanged) || (s.retiring?.rows.length ?? 0) > 0;
}

async function inChunks<T>(items: T[], size: number, write: (chunk: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await write(items.slice(i, i + size));
}

/**
 * Imports the file into the trust's draft (starting one from the latest approved version when there
 * is none): new bodies, new responsibilities, titles and sections, cells set and cleared. Refuses the
 * whole file while any problem remains, and a confirmation whose preview the trust has moved on from.
 */
export async function applyImport(db: Database, actor: Actor, input: ImportInput & { expectedFingerprint?: string | null }): Promise<ImportResult> {
  try {
    return await importInTransaction(db, actor, input);
  } catch (error) {
    const cause = (error as { cause?: { constraint_name?: string; constraint?: string } }).cause;
    // A row of the catalogue edited while the import was retiring it is one more simultaneous change.
    if (error instanceof StaleWriteError || RACES.includes(cause?.constraint_name ?? cause?.constraint ?? "")) {
      throw new RuleError("Someone else changed the trust's matrix at the same moment, so nothing was imported. Preview the file again.");
    }
    throw error;
  }
}

/**
 * Holds the trust and its draft's rows until the import is done: a second import waits its turn, and a
 * cell saved meanwhile in the matrix waits too, then finds its row's revision moved on and is refused
 * as stale, instead of either overwriting the other unseen.
 */
async function lockMatrix(tx: Database, trustId: string): Promise<void> {
  await tx.execute(sql`select id from ${trusts} where id = ${trustId}::uuid for update`);
  await tx.execute(sql`
    select r.responsibility_id from ${schemeRows} as r
      join ${schemeVersions} as v on v.id = r.version_id
     where v.trust_id = ${trustId}::uuid and v.status = 'draft'
       for update of r`);
}

/** Unique rules a simultaneous change by someone else (a body or ref added, a draft started) can trip. */
const RACES = ["governance_bodies_name_key", "responsibilities_ref_key", "scheme_versions_one_draft", "scheme_versions_number_key"];

async function importInTransaction(db: Database, actor: Actor, input: ImportInput & { expectedFingerprint?: string | null }): Promise<ImportResult> {
  return db.transaction(async (tx) => {
    await lockMatrix(tx, input.trustId);
    const s = await situation(tx, input.trustId, input.replaceCatalogue ?? false);
    const p = plan(s, input);
    if (p.errors.length > 0) throw new ImportRefusedError(p);
    if (input.expectedFingerprint && input.expectedFingerprint !== fingerprint(p, s.retiring)) throw new PreviewOutdatedError(preview(s, p));
    await rememberKey(tx, actor, input.trustId, input.key);
    if (!hasChanges(p, s)) return { plan: p, version: s.draft, startedDraft: false, retiring: retiringOf(s) };

    const version = s.draft ?? (await startDraft(tx, actor, { trustId: input.trustId, from: "latest-approved" }));
    const retired = s.retiring ? await retireCatalogue(tx, actor, input.trustId, version, input.fileName ?? null) : null;
    const columnIds = await addBodies(tx, actor, input.trustId, p);
    const rowIds = await writeRows(tx, input.trustId, p);
    const changed = p.rows.filter(rowChanged);
    await inChunks(changed, 1000, (chunk) =>
      tx
        .insert(schemeRows)
        .values(chunk.map((r) => ({ trustId: input.trustId, versionId: version.id, responsibilityId: rowIds.get(r.ref)!, revision: 1 })))
        .onConflictDoUpdate({
          target: [schemeRows.versionId, schemeRows.responsibilityId],
          set: { revision: sql`${schemeRows.revision} + 1`, updatedAt: sql`now()` },
        }),
    );
    await writeCells(tx, input.trustId, version.id, p, columnIds, rowIds);
    await audit(tx, actor, { trustId: input.trustId, version, plan: p, rowIds, fileName: input.fileName ?? null, retired });
    return { plan: p, version, startedDraft: !s.draft, retiring: retiringOf(s) };
  });
}

/**
 * Retires every live row of the catalogue, as the catalogue's own retire does (the draft, started
 * by now, loses its cells on them; approved versions keep them), so that the file's rows can take
 * their refs. Returns how many rows it retired, and how many of them statutory.
 */
async function retireCatalogue(tx: Database, actor: Actor, trustId: string, version: VersionRecord, fileName: string | null): Promise<Retired> {
  const { live } = await listCatalogue(tx, trustId);
  const draftCells = await draftCellsOf(tx, version.id, live.map((r) => r.id));
  const reason = `${fileName ?? "a CSV file"} was imported as the trust's whole scheme`;
  await retireRows(tx, actor, { trustId, draft: { id: version.id, number: version.number }, rows: live, reason, draftCells });
  return { rows: live.length, statutory: live.filter(isStatutory).length };
}

interface Retired {
  rows: number;
  statutory: number;
}

/** The trust's own key is kept for exports in its own marks; canonical codes are no key of the trust's. */
async function rememberKey(tx: Database, actor: Actor, trustId: string, key: DecisionKey): Promise<void> {
  if (key.name === findKey("codes")!.name) return;
  const [trust] = await tx.select({ decisionKey: trusts.decisionKey }).from(trusts).where(eq(trusts.id, trustId));
  // As pairs, in the key's order: jsonb keeps no order of an object's keys, and the first mark for a code is the one exports write.
  const stored = { name: key.name, label: key.label, description: key.description, marks: Object.entries(key.marks) };
  if (JSON.stringify(trust?.decisionKey ?? null) === JSON.stringify(stored)) return;
  await tx.update(trusts).set({ decisionKey: stored, version: sql`${trusts.version} + 1`, updatedAt: sql`now()` }).where(eq(trusts.id, trustId));
  await recordAudit(tx, actor, {
    trustId,
    action: "update",
    entity: "trust",
    entityId: trustId,
    summary: `The trust's own decision key is now "${key.label}" (${key.description})`,
    before: { decisionKey: trust?.decisionKey ?? null },
    after: { decisionKey: stored },
  });
}

/** Adds the bodies the file's headings name with their kinds, after the trust's others; returns each column's id by its place in the plan. */
async function addBodies(tx: Database, actor: Actor, trustId: string, p: ImportPlan): Promise<string[]> {
  const added = p.columns.filter((c) => c.existingId === null);
  const ids = new Map<string, string>();
  if (added.length > 0) {
    const [top] = await tx.select({ last: max(governanceBodies.position) }).from(governanceBodies).where(eq(governanceBodies.trustId, trustId));
    const first = (top?.last ?? 0) + 1;
    const inserted = await tx
      .insert(governanceBodies)
      .values(added.map((c, i) => ({ trustId, kind: c.kind, name: c.name, position: first + i })))
      .returning({ id: governanceBodies.id, name: governanceBodies.name });
    for (const body of inserted) ids.set(body.name, body.id);
    await recordAudit(
      tx,
      actor,
      added.map((c) => ({
        trustId,
        action: "create",
        entity: "body",
        entityId: ids.get(c.name)!,
        summary: `Added the ${BODY_KIND_LABELS[c.kind].toLowerCase()} column ${c.name}, named in an imported matrix`,
        after: { kind: c.kind, name: c.name, mode: "decision-making", purpose: "standing" },
      })),
    );
  }
  return p.columns.map((c) => c.existingId ?? ids.get(c.name)!);
}

/** Many rows as one statement parameter: set-based writes need no round trip (nor parameter) per row. */
function records(rows: object[]) {
  return sql`jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)`;
}

/** Updates matched rows and adds new ones, in batches; returns every planned row's id by its ref. */
async function writeRows(tx: Database, trustId: string, p: ImportPlan): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (const r of p.rows) if (r.existing) ids.set(r.ref, r.existing.id);
  const updates = p.rows.filter((r) => r.existing && (r.existing.title !== r.title || r.existing.section !== r.section || r.existing.area !== r.area));
  await inChunks(updates, 1000, (chunk) =>
    tx.execute(sql`
      update ${responsibilities} as r
         set title = v.title, section = v.section, area = v.area, version = r.version + 1, updated_at = now()
        from ${records(chunk.map((u) => ({ id: u.existing!.id, title: u.title, section: u.section, area: u.area })))}
             as v(id uuid, title text, section text, area smallint)
       where r.id = v.id and r.trust_id = ${trustId}::uuid`),
  );
  const added = p.rows.filter((r) => !r.existing);
  if (added.length > 0) {
    const [top] = await tx
      .select({ last: max(responsibilities.position) })
      .from(responsibilities)
      .where(and(eq(responsibilities.trustId, trustId), isNull(responsibilities.retiredAt)));
    const first = (top?.last ?? 0) + 1;
    await inChunks(added.map((r, i) => ({ r, position: first + i })), 1000, async (chunk) => {
      const inserted = await tx
        .insert(responsibilities)
        .values(chunk.map(({ r, position }) => ({ trustId, area: r.area, section: r.section, ref: r.ref, title: r.title, position })))
        .returning({ id: responsibilities.id, ref: responsibilities.ref });
      for (const row of inserted) ids.set(row.ref, row.id);
    });
  }
  return ids;
}

async function writeCells(
  tx: Database,
  trustId: string,
  versionId: string,
  p: ImportPlan,
  columnIds: string[],
  rowIds: Map<string, string>,
): Promise<void> {
  const cleared: { r: string; b: string }[] = [];
  const set: { r: string; b: string; c: DecisionCode }[] = [];
  for (const row of p.rows) {
    const r = rowIds.get(row.ref)!;
    for (const change of row.changes) {
      const b = columnIds[change.columnIndex]!;
      if (change.after === null) cleared.push({ r, b });
      else set.push({ r, b, c: change.after });
    }
  }
  await inChunks(cleared, 5000, (chunk) =>
    tx.execute(sql`
      delete from ${cells} as c
       using ${records(chunk)} as v(r uuid, b uuid)
       where c.version_id = ${versionId}::uuid and c.responsibility_id = v.r and c.body_id = v.b`),
  );
  await inChunks(set, 5000, (chunk) =>
    tx.execute(sql`
      insert into ${cells} (trust_id, version_id, responsibility_id, body_id, code)
      select ${trustId}::uuid, ${versionId}::uuid, v.r, v.b, v.c from ${records(chunk)} as v(r uuid, b uuid, c text)
      on conflict (version_id, responsibility_id, body_id) do update set code = excluded.code`),
  );
}

const shown = (code: DecisionCode | null) => code ?? "(empty)";

/**
 * One entry for the import as a whole, and one per responsibility it adds or changes, carrying the
 * row's title, section and area and its cells before and after (by column), so the row's history
 * shows what the import did to it.
 */
async function audit(
  tx: Database,
  actor: Actor,
  input: { trustId: string; version: VersionRecord; plan: ImportPlan; rowIds: Map<string, string>; fileName: string | null; retired: Retired | null },
): Promise<void> {
  const { trustId, version, plan: p, rowIds, retired } = input;
  const source = input.fileName ? `from ${input.fileName}` : "from a CSV file";
  const s = p.summary;
  const rest = retired
    ? `the file being the trust's whole scheme, the ${counted(retired.rows, "responsibility", "responsibilities")} of the catalogue before it retired (${retired.statutory} statutory)`
    : `${s.untouchedRows} responsibilities not in the file left as they were`;
  const entries: AuditEntry[] = [
    {
      trustId,
      action: "import",
      entity: "version",
      entityId: version.id,
      versionId: version.id,
      summary: `Imported the trust's matrix ${source} into draft version ${version.number} with the key "${p.key.label}": ${s.newBodies} new bodies, ${s.newRows} new responsibilities, ${s.updatedRows} updated, ${s.cellsSet} cells set, ${s.cellsCleared} cleared; ${rest}`,
      after: { file: input.fileName, key: { name: p.key.name, marks: p.key.marks }, summary: s, ...(retired ? { wholeScheme: { retired: retired.rows, statutory: retired.statutory } } : {}) },
    },
  ];
  for (const r of p.rows.filter(rowChanged)) {
    const responsibilityId = rowIds.get(r.ref)!;
    const codes = (pick: "before" | "after") => Object.fromEntries(r.changes.map((c) => [p.columns[c.columnIndex]!.name, c[pick]]));
    const cellWords = r.changes.map((c) => `${p.columns[c.columnIndex]!.name} ${shown(c.before)} → ${shown(c.after)}`);
    const common = { trustId, entity: "responsibility", entityId: responsibilityId, versionId: version.id, responsibilityId };
    if (!r.existing) {
      entries.push({
        ...common,
        action: "create",
        summary: `Added ${r.ref} ${r.title} (${r.section ?? areaName(r.area)}) in version ${version.number}${cellWords.length ? `: ${cellWords.join("; ")}` : ""}, imported ${source}`,
        after: { ref: r.ref, title: r.title, section: r.section, area: r.area, codes: codes("after") },
      });
      continue;
    }
    const parts = [...describeRowChange(r.existing, r), ...cellWords];
    entries.push({
      ...common,
      action: "import",
      summary: `${r.ref} ${r.title}: ${parts.join("; ")} in version ${version.number}, imported ${source}`,
      before: { title: r.existing.title, section: r.existing.section, area: r.existing.area, codes: codes("before") },
      after: { title: r.title, section: r.section, area: r.area, codes: codes("after") },
    });
  }
  await inChunks(entries, 1000, (chunk) => recordAudit(tx, actor, chunk));
}

function describeRowChange(before: NonNullable<PlannedRow["existing"]>, r: PlannedRow): string[] {
  const parts: string[] = [];
  if (before.title !== r.title) parts.push(`title was "${before.title}"`);
  if (before.section !== r.section) parts.push(`section ${before.section ?? "(none)"} → ${r.section ?? "(none)"}`);
  if (before.area !== r.area) parts.push(`area ${areaName(before.area)} → ${areaName(r.area)}`);
  return parts;
}

/** The key saved on the trust by an earlier import, if it is still a well-formed key. */
export function storedKey(value: unknown): DecisionKey | null {
  if (typeof value !== "object" || value === null) return null;
  const v = value as { name?: unknown; label?: unknown; description?: unknown; marks?: unknown };
  if (typeof v.name !== "string" || typeof v.label !== "string" || !Array.isArray(v.marks) || v.marks.length === 0) return null;
  const marks: Record<string, DecisionCode> = {};
  for (const pair of v.marks as unknown[]) {
    if (!Array.isArray(pair) || typeof pair[0] !== "string" || !isDecisionCode(pair[1])) return null;
    marks[pair[0]] = pair[1];
  }
  return { name: v.name, label: v.label, description: typeof v.description === "string" ? v.description : "", marks };
}

/** The trust's saved key, for the import form's default and for exports in the trust's own marks. */
export async function trustKey(db: Database, trustId: string): Promise<DecisionKey | null> {
  const [trust] = await db.select({ decisionKey: trusts.decisionKey }).from(trusts).where(eq(trusts.id, trustId));
  return storedKey(trust?.decisionKey);
}

