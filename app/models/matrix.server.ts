/**
 * A version's matrix (its columns, rows, base cells and row revisions) read in one statement: the
 * matrix page and every cell save start here, and a national trust's matrix has over 2,000 cells.
 * A draft reads the trust's live structure and catalogue; an approved or superseded version the
 * snapshot frozen when it was approved (ADR 004).
 */
import { sql, type SQL } from "drizzle-orm";
import type { Database } from "../../db/client";
import { autonomyTiers, cells, governanceBodies, responsibilities, schemeRows, schemeVersions, schools } from "../../db/schema";
import type { Tier } from "../domain/autonomy";
import type { DecisionCode } from "../domain/codes";
import { NotFoundError } from "../domain/errors";
import { byArea, byTierOrder, cellKey, type Scheme, type SchemeColumn, type SchemeRow, type SchemeVersionInfo } from "../domain/scheme";
import type { VersionStatus } from "../domain/versions";
import { queryJson } from "./json-query.server";

/** A version's matrix alone: its columns, rows, base cells and row revisions (what the editor shows). */
export type MatrixSource = Pick<Scheme, "version" | "columns" | "rows" | "cells" | "rowRevisions">;

export interface VersionSummary {
  number: number;
  status: VersionStatus;
}

/** A school of the version, as the matrix page offers it to choose. */
export interface SchoolChoice {
  id: string;
  urn: number;
  name: string;
}

/** What the matrix page shows besides the matrix: the trust's versions, the version's schools, and the names of its tiers. */
export interface MatrixPageExtras {
  versions: VersionSummary[];
  schools: SchoolChoice[];
  /** Only the tiers the trust has named; the defaults fill the rest. */
  tierNames: Partial<Record<Tier, string>>;
}

interface MatrixJson {
  version: SchemeVersionInfo | null;
  columns: SchemeColumn[];
  rows: SchemeRow[];
  /** [row id, column id, code, note]: arrays, because 2,000 objects with repeated keys cost more to send and parse. */
  cells: [string, string, DecisionCode, string | null][];
  revisions: Record<string, number>;
  /** Only for the matrix page. */
  page: MatrixPageExtras | null;
}

/** A catalogue row as the domain's SchemeRow, built where `responsibilities` is in scope. */
export const schemeRowJson = sql`json_build_object(
  'id', id, 'catalogueKey', catalogue_key, 'area', area, 'section', section, 'ref', ref, 'title', title,
  'guidance', guidance, 'decisionKinds', decision_kinds, 'excludedKinds', excluded_kinds,
  'statutoryRule', statutory_rule, 'locked', locked, 'externalApproval', external_approval, 'tags', tags,
  'position', position
)`;

/**
 * The trust's versions, the version's schools (the live ones for a draft, the frozen ones otherwise)
 * and the trust's names of its tiers: what the matrix page offers to choose from.
 */
function pageExtras(trustId: string): SQL {
  return sql`json_build_object(
    'versions', (select json_agg(json_build_object('number', number, 'status', status) order by number desc) from ${schemeVersions} where trust_id = ${trustId}),
    'schools', coalesce((select case when v.status = 'draft' then (
        select json_agg(json_build_object('id', id, 'urn', urn, 'name', name) order by name, urn) from ${schools} where trust_id = ${trustId}
      ) else (
        select json_agg(json_build_object('id', s ->> 'id', 'urn', (s ->> 'urn')::int, 'name', s ->> 'name') order by s ->> 'name', (s ->> 'urn')::int)
        from jsonb_array_elements(coalesce(v.snapshot -> 'schools', '[]')) s
      ) end from v), '[]'),
    'tierNames', coalesce((select json_object_agg(tier, name) from ${autonomyTiers} where trust_id = ${trustId}), '{}')
  )`;
}

/** The statement; `which` picks the version (by id or by number) among the trust's own. */
function matrixQuery(trustId: string, which: SQL, forPage: boolean): SQL {
  return sql`
    with v as (
      select * from ${schemeVersions} where trust_id = ${trustId} and ${which}
    )
    select case when exists (select from v) then json_build_object(
      'version', (select json_build_object(
        'id', id, 'number', number, 'status', status, 'basedOnId', based_on_id, 'approvedByBodyId', approved_by_body_id,
        'approvedOn', approved_on, 'minuteRef', minute_ref, 'reviewDueOn', review_due_on,
        'breakPointReason', break_point_reason, 'version', version
      ) from v),
      'columns', (select case when v.status = 'draft' then coalesce((
        select json_agg(json_build_object('id', id, 'kind', kind, 'name', name, 'shortName', short_name, 'mode', mode, 'position', position))
        from ${governanceBodies} where trust_id = ${trustId} and retired_at is null and column_id is null
      ), '[]') else (v.snapshot -> 'columns')::json end from v),
      'rows', (select case when v.status = 'draft' then coalesce((
        select json_agg(${schemeRowJson}) from ${responsibilities} where trust_id = ${trustId} and retired_at is null
      ), '[]') else (v.snapshot -> 'rows')::json end from v),
      'cells', coalesce((
        select json_agg(json_build_array(responsibility_id, body_id, code, note))
        from ${cells} where version_id = (select id from v)
      ), '[]'),
      'revisions', coalesce((
        select json_object_agg(responsibility_id, revision) from ${schemeRows} where version_id = (select id from v)
      ), '{}'),
      'page', ${forPage ? pageExtras(trustId) : sql`null`}
    ) end as result`;
}

function toMatrix(json: MatrixJson): MatrixSource {
  const matrix: MatrixSource = {
    version: json.version!,
    columns: json.columns.sort(byTierOrder),
    rows: json.rows.sort(byArea),
    cells: {},
    rowRevisions: json.revisions,
  };
  for (const [rowId, columnId, code, note] of json.cells) matrix.cells[cellKey(rowId, columnId)] = { code, note };
  return matrix;
}

export async function loadMatrix(db: Database, trustId: string, versionId: string): Promise<MatrixSource> {
  const json = await queryJson<MatrixJson>(db, matrixQuery(trustId, sql`id = ${versionId}`, false));
  if (!json) throw new NotFoundError("That version of the scheme");
  return toMatrix(json);
}

/** A version's matrix by its number, with what the matrix page offers to choose from; null if there is no such version. */
export async function loadMatrixByNumber(
  db: Database,
  trustId: string,
  number: number,
): Promise<({ matrix: MatrixSource } & MatrixPageExtras) | null> {
  const json = await queryJson<MatrixJson>(db, matrixQuery(trustId, sql`number = ${number}`, true));
  return json ? { matrix: toMatrix(json), versions: json.page?.versions ?? [], schools: json.page?.schools ?? [], tierNames: json.page?.tierNames ?? {} } : null;
}
