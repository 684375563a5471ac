/**
 * Saving cells of one row of a draft: the matrix editor's every keystroke. One statement reads what
 * the save must check, and one writes it (the row's claim, its cells and their audit entries), so
 * a save costs two round trips and never holds a transaction open between them: the claim on the
 * row's revision is what keeps two savers from overwriting each other.
 */
import { sql, type SQL } from "drizzle-orm";
import type { Database } from "../../db/client";
import { auditLog, cells, governanceBodies, responsibilities, schemeRows, schemeVersions } from "../../db/schema";
import type { DecisionCode } from "../domain/codes";
import { NotFoundError, RuleError } from "../domain/errors";
import { cellKey, forbiddenReason, type SchemeRow } from "../domain/scheme";
import type { BodyKind } from "../domain/structure";
import type { VersionStatus } from "../domain/versions";
import type { Actor } from "./audit.server";
import { queryJson } from "./json-query.server";
import { schemeRowJson } from "./matrix.server";
import { StaleRowError } from "./scheme.server";
import { notDraft, settledVersion, versionGone } from "./version-refusals.server";

export { notDraft };

/** The draft, by its id or (from a URL) by its number. */
export type VersionRef = { versionId: string } | { versionNumber: number };

export type RowEdit = VersionRef & {
  trustId: string;
  rowId: string;
  /** Column id → new code, or null to clear. Columns not named are left as they are. */
  codes: Record<string, DecisionCode | null>;
  expectedRevision: number;
};

/** A row edit once its version is known. */
type ResolvedEdit = RowEdit & { versionId: string };

interface SaveContext {
  version: { id: string; number: number; status: VersionStatus } | null;
  row: SchemeRow | null;
  columns: { id: string; kind: BodyKind; name: string }[];
  /** The row's codes as they stand, by column id. */
  codes: Record<string, DecisionCode>;
}

function readContext(db: Database, edit: RowEdit): Promise<SaveContext | null> {
  const which = "versionId" in edit ? sql`id = ${edit.versionId}` : sql`number = ${edit.versionNumber}`;
  return queryJson<SaveContext>(
    db,
    sql`with v as (select id, number, status from ${schemeVersions} where trust_id = ${edit.trustId} and ${which})
    select json_build_object(
      'version', (select row_to_json(v) from v),
      'row', (select ${schemeRowJson} from ${responsibilities}
        where trust_id = ${edit.trustId} and id = ${edit.rowId} and retired_at is null),
      'columns', coalesce((select json_agg(json_build_object('id', id, 'kind', kind, 'name', name)) from ${governanceBodies}
        where trust_id = ${edit.trustId} and column_id is null and retired_at is null
          and id in (select value::uuid from json_array_elements_text(${JSON.stringify(Object.keys(edit.codes))}::json))), '[]'),
      'codes', coalesce((select json_object_agg(body_id, code) from ${cells}
        where trust_id = ${edit.trustId} and version_id = (select id from v) and responsibility_id = ${edit.rowId}), '{}')
    ) as result`,
  );
}

interface Change {
  body_id: string;
  code: DecisionCode | null;
}

interface AuditRow {
  entity_id: string;
  summary: string;
  before: { code: DecisionCode | null };
  after: { code: DecisionCode | null };
}

/** What a claim on a row names: the row of the draft, and the revision the editor read. */
export interface RowClaim {
  trustId: string;
  versionId: string;
  rowId: string;
  expectedRevision: number;
}

/**
 * The claim on a row, as the first steps of a statement: the row's revision moves on from the one the
 * editor read (or a row added since the draft began gets its first), and `won` holds the new revision,
 * only while the version is a draft and nobody has saved the row since. The statement's later steps
 * write only `where exists (select from won)`, so a save that lost writes nothing. Every save of a row,
 * of its base cells or of a tier's or school's variants of it, makes the same claim.
 */
export function rowClaim({ trustId, versionId, rowId, expectedRevision }: RowClaim): SQL {
  return sql`draft as (
      select from ${schemeVersions} where trust_id = ${trustId} and id = ${versionId} and status = 'draft'
    ), claimed as (
      update ${schemeRows} set revision = revision + 1, updated_at = now()
      where version_id = ${versionId} and responsibility_id = ${rowId} and revision = ${expectedRevision} and exists (select from draft)
      returning revision
    ), created as (
      insert into ${schemeRows} (trust_id, version_id, responsibility_id, revision)
      select ${trustId}::uuid, ${versionId}::uuid, ${rowId}::uuid, 1 where ${expectedRevision}::int = 0 and exists (select from draft)
      on conflict do nothing
      returning revision
    ), won as (
      select revision from claimed union all select revision from created
    )`;
}

/**
 * Claims the row and, only if the claim holds, writes the changes and their audit entries.
 * Returns the new revision, or null when the claim failed: someone saved the row first, or the
 * version is no longer a draft.
 */
async function claimAndWrite(db: Database, actor: Actor, edit: ResolvedEdit, changes: Change[], audit: AuditRow[]): Promise<number | null> {
  const { trustId, versionId, rowId } = edit;
  return queryJson<number>(
    db,
    sql`with ${rowClaim(edit)}, change as (
      select * from json_to_recordset(${JSON.stringify(changes)}::json) as c(body_id uuid, code text) where exists (select from won)
    ), cleared as (
      delete from ${cells} where version_id = ${versionId} and responsibility_id = ${rowId}
        and body_id in (select body_id from change where code is null)
    ), written as (
      insert into ${cells} (trust_id, version_id, responsibility_id, body_id, code)
      select ${trustId}::uuid, ${versionId}::uuid, ${rowId}::uuid, body_id, code from change where code is not null
      on conflict (version_id, responsibility_id, body_id) do update set code = excluded.code
    ), audited as (
      insert into ${auditLog} (trust_id, user_id, actor, action, entity, entity_id, version_id, responsibility_id, summary, before, after)
      select ${trustId}::uuid, ${actor.userId}::uuid, ${actor.name}::text, 'update', 'cell', a.entity_id, ${versionId}::uuid, ${rowId}::uuid,
        a.summary, a.before, a.after
      from json_to_recordset(${JSON.stringify(audit)}::json) as a(entity_id text, summary text, before jsonb, after jsonb)
      where exists (select from won)
    )
    select (select revision from won) as result`,
  );
}

/** Why a claim failed: the version was approved meanwhile, or the row as someone else saved it. */
async function refusal(db: Database, edit: ResolvedEdit): Promise<Error> {
  const now = await queryJson<{ status: VersionStatus; number: number; revision: number | null; codes: Record<string, DecisionCode> | null }>(
    db,
    sql`select json_build_object(
      'status', v.status, 'number', v.number,
      'revision', (select revision from ${schemeRows} where version_id = v.id and responsibility_id = ${edit.rowId}),
      'codes', (select json_object_agg(body_id, code) from ${cells} where version_id = v.id and responsibility_id = ${edit.rowId})
    ) as result from ${schemeVersions} v where v.trust_id = ${edit.trustId} and v.id = ${edit.versionId}`,
  );
  if (!now) return new NotFoundError("That version of the scheme");
  if (now.status !== "draft") return notDraft(now);
  return new StaleRowError(edit.rowId, now.revision ?? 0, now.codes ?? {});
}

/**
 * Saves one or more cells of a row, if nobody has saved the row since the editor read it.
 * Returns the row's new revision. Codes the row's constraints forbid are refused with the reason.
 */
export async function saveRow(db: Database, actor: Actor, edit: RowEdit): Promise<{ revision: number; changed: number }> {
  const context = await readContext(db, edit);
  if (!context?.version) throw new NotFoundError("That version of the scheme");
  const { version, row, codes: before } = context;
  if (version.status !== "draft") throw notDraft(version);
  const resolved: ResolvedEdit = { ...edit, versionId: version.id };
  if (!row) throw new NotFoundError("That responsibility");
  const columns = new Map(context.columns.map((c) => [c.id, c]));
  for (const [columnId, code] of Object.entries(edit.codes)) {
    const column = columns.get(columnId);
    if (!column) throw new NotFoundError("That column of the matrix");
    const reason = code ? forbiddenReason(row, column.kind, code) : null;
    if (reason) throw new RuleError(reason, columnId);
  }
  const changes = Object.entries(edit.codes)
    .filter(([columnId, code]) => (before[columnId] ?? null) !== code)
    .map(([columnId, code]): Change => ({ body_id: columnId, code }));
  const audit = changes.map(
    ({ body_id: columnId, code }): AuditRow => ({
      entity_id: cellKey(edit.rowId, columnId),
      summary: `${row.ref} ${row.title}: ${columns.get(columnId)!.name} ${before[columnId] ?? "(empty)"} → ${code ?? "(empty)"} in version ${version.number}`,
      before: { code: before[columnId] ?? null },
      after: { code },
    }),
  );
  let revision: number | null;
  try {
    revision = await claimAndWrite(db, actor, resolved, changes, audit);
  } catch (error) {
    // The version was approved (or discarded) while this save waited for its row or for the version:
    // the database refused it, and the refusal says which.
    if (!settledVersion(error) && !versionGone(error)) throw error;
    revision = null;
  }
  if (revision === null) throw await refusal(db, resolved);
  return { revision, changed: changes.length };
}
