/**
 * Saving a tier's variants or a school's own variations of one row of a draft: the matrix editor's
 * keystrokes with a tier or a school chosen. The editor names the code a cell should show for the tier
 * or school; the save stores a variant only where that differs from what the layers beneath give
 * (the base; for a school, the base with its decided tier's variants). Like a save of base cells, it
 * claims the row's revision (the same claim, `rowClaim`), so any two saves of one row, base or
 * variant, never overwrite each other unseen; the claim, the variants and their audit entries are one
 * statement. Statutory-locked rows never vary (EA-14).
 */
import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { auditLog, autonomyTiers, cells, governanceBodies, responsibilities, schemeRows, schemeVersions, schoolCells, schools, tierCells } from "../../db/schema";
import type { Tier } from "../domain/autonomy";
import type { DecisionCode } from "../domain/codes";
import { NotFoundError, RuleError } from "../domain/errors";
import { cellKey, forbiddenReason, type SchemeRow } from "../domain/scheme";
import type { BodyKind } from "../domain/structure";
import { beneath, layeredCell, lockedRowReason, namedTier, tierNames, variantFor, type CellLayers, type VariantLayer } from "../domain/variants";
import type { VersionStatus } from "../domain/versions";
import type { Actor } from "./audit.server";
import { queryJson } from "./json-query.server";
import { schemeRowJson } from "./matrix.server";
import { notDraft, rowClaim, type VersionRef } from "./row-save.server";
import { decidedTierStep, isoToday } from "./scheme-scope.server";
import { StaleRowError } from "./scheme.server";
import { settledVersion, versionGone } from "./version-refusals.server";

/** The tier whose variants are saved, or the school whose own variations are. */
export type VariantScope = { tier: Tier } | { schoolId: string };

export type VariantEdit = VersionRef & {
  trustId: string;
  rowId: string;
  scope: VariantScope;
  /** Column id → the code the cell should show for the tier or school (null: empty). Columns not named are left as they are. */
  codes: Record<string, DecisionCode | null>;
  expectedRevision: number;
  /** The date a school's decided tier is read on (a decision taking effect later does not count yet). */
  today?: string;
};

/** A row's variants in one scope, by column id (null: the variant clears the cell). */
export interface RowVariants {
  tier: Record<string, DecisionCode | null>;
  school: Record<string, DecisionCode | null>;
}

/** Someone saved the row first: carries its base codes and its variants in the scope as they now stand. */
export class StaleVariantError extends StaleRowError {
  constructor(rowId: string, revision: number, codes: Record<string, DecisionCode>, readonly variants: RowVariants) {
    super(rowId, revision, codes);
  }
}

interface SaveContext {
  version: { id: string; number: number; status: VersionStatus } | null;
  row: SchemeRow | null;
  revision: number | null;
  columns: { id: string; kind: BodyKind; name: string }[];
  school: { id: string; name: string; urn: number } | null;
  /** The tier chosen, or the school's decided tier (null when it has none). */
  tier: Tier | null;
  tierName: string | null;
  /** The row's base codes, by column id. */
  codes: Record<string, DecisionCode>;
  tierVariants: Record<string, DecisionCode | null>;
  schoolVariants: Record<string, DecisionCode | null>;
}

function readContext(db: Database, edit: VariantEdit): Promise<SaveContext | null> {
  const which = "versionId" in edit ? sql`id = ${edit.versionId}` : sql`number = ${edit.versionNumber}`;
  const tier = "tier" in edit.scope ? edit.scope.tier : null;
  const schoolId = "schoolId" in edit.scope ? edit.scope.schoolId : null;
  return queryJson<SaveContext>(
    db,
    sql`with v as (select id, number, status from ${schemeVersions} where trust_id = ${edit.trustId} and ${which}),
      s as (select id, name, urn from ${schools} where trust_id = ${edit.trustId} and id = ${schoolId}::uuid),
      decided as (${decidedTierStep(edit.trustId, sql`(select id from s)`, edit.today ?? isoToday())}),
      chosen as (select coalesce(${tier}::text, (select tier from decided)) as tier)
    select json_build_object(
      'version', (select row_to_json(v) from v),
      'row', (select ${schemeRowJson} from ${responsibilities}
        where trust_id = ${edit.trustId} and id = ${edit.rowId} and retired_at is null),
      'revision', (select revision from ${schemeRows} where version_id = (select id from v) and responsibility_id = ${edit.rowId}),
      'columns', coalesce((select json_agg(json_build_object('id', id, 'kind', kind, 'name', name)) from ${governanceBodies}
        where trust_id = ${edit.trustId} and column_id is null and retired_at is null
          and id in (select value::uuid from json_array_elements_text(${JSON.stringify(Object.keys(edit.codes))}::json))), '[]'),
      'school', (select row_to_json(s) from s),
      'tier', (select tier from chosen),
      'tierName', (select name from ${autonomyTiers} where trust_id = ${edit.trustId} and tier = (select tier from chosen)),
      'codes', coalesce((select json_object_agg(body_id, code) from ${cells}
        where trust_id = ${edit.trustId} and version_id = (select id from v) and responsibility_id = ${edit.rowId}), '{}'),
      'tierVariants', coalesce((select json_object_agg(body_id, code) from ${tierCells}
        where trust_id = ${edit.trustId} and version_id = (select id from v) and responsibility_id = ${edit.rowId}
          and tier = (select tier from chosen)), '{}'),
      'schoolVariants', coalesce((select json_object_agg(body_id, code) from ${schoolCells}
        where trust_id = ${edit.trustId} and version_id = (select id from v) and responsibility_id = ${edit.rowId}
          and school_id = (select id from s)), '{}')
    ) as result`,
  );
}

interface Change {
  body_id: string;
  /** false: the layer stops varying the cell (its variant is removed). */
  varied: boolean;
  code: DecisionCode | null;
}

interface AuditRow {
  entity_id: string;
  summary: string;
  before: unknown;
  after: unknown;
}

/** The claim, then the layer's variants and their audit entries, in one statement; null when the claim failed. */
function claimAndWrite(db: Database, actor: Actor, edit: VariantEdit & { versionId: string }, layer: Layer, changes: Change[], audit: AuditRow[]): Promise<number | null> {
  const { trustId, versionId, rowId } = edit;
  const write =
    layer.kind === "tier"
      ? sql`removed as (
          delete from ${tierCells} where version_id = ${versionId} and tier = ${layer.tier} and responsibility_id = ${rowId}
            and body_id in (select body_id from change where not varied)
        ), written as (
          insert into ${tierCells} (trust_id, version_id, tier, responsibility_id, body_id, code)
          select ${trustId}::uuid, ${versionId}::uuid, ${layer.tier}::text, ${rowId}::uuid, body_id, code from change where varied
          on conflict (version_id, tier, responsibility_id, body_id) do update set code = excluded.code
        )`
      : sql`removed as (
          delete from ${schoolCells} where version_id = ${versionId} and school_id = ${layer.schoolId} and responsibility_id = ${rowId}
            and body_id in (select body_id from change where not varied)
        ), written as (
          insert into ${schoolCells} (trust_id, version_id, school_id, responsibility_id, body_id, code)
          select ${trustId}::uuid, ${versionId}::uuid, ${layer.schoolId}::uuid, ${rowId}::uuid, body_id, code from change where varied
          on conflict (version_id, school_id, responsibility_id, body_id) do update set code = excluded.code
        )`;
  return queryJson<number>(
    db,
    sql`with ${rowClaim({ ...edit, versionId })}, change as (
      select * from json_to_recordset(${JSON.stringify(changes)}::json) as c(body_id uuid, varied boolean, code text) where exists (select from won)
    ), ${write}, audited as (
      insert into ${auditLog} (trust_id, user_id, actor, action, entity, entity_id, version_id, responsibility_id, summary, before, after)
      select ${trustId}::uuid, ${actor.userId}::uuid, ${actor.name}::text, 'update', ${`${layer.kind}-cell`}::text, a.entity_id,
        ${versionId}::uuid, ${rowId}::uuid, a.summary, a.before, a.after
      from json_to_recordset(${JSON.stringify(audit)}::json) as a(entity_id text, summary text, before jsonb, after jsonb)
      where exists (select from won)
    )
    select (select revision from won) as result`,
  );
}

/** The layer being saved, named as the history names it. */
type Layer = ({ kind: "tier"; tier: Tier } | { kind: "school"; schoolId: string }) & { label: string; scopeJson: Record<string, string> };

function layerOf(edit: VariantEdit, context: SaveContext, names: Record<Tier, string>): Layer {
  if ("tier" in edit.scope) {
    const label = namedTier(edit.scope.tier, names);
    return { kind: "tier", tier: edit.scope.tier, label, scopeJson: { tier: edit.scope.tier } };
  }
  const school = context.school!;
  return { kind: "school", schoolId: school.id, label: school.name, scopeJson: { school: school.name } };
}

const shown = (code: DecisionCode | null) => code ?? "(empty)";

/**
 * Saves what one or more cells of a row show for a tier or a school, if nobody has saved the row since
 * the editor read it. Returns the row's new revision. Refuses a statutory-locked row (EA-14), and a
 * code the row's constraints forbid, with the reason.
 */
export async function saveVariant(db: Database, actor: Actor, edit: VariantEdit): Promise<{ revision: number; changed: number }> {
  const context = await readContext(db, edit);
  if (!context?.version) throw new NotFoundError("That version of the scheme");
  const { version, row } = context;
  if (version.status !== "draft") throw notDraft(version);
  if (!row) throw new NotFoundError("That responsibility");
  if ("schoolId" in edit.scope && !context.school) throw new NotFoundError("That school");
  if (row.locked) throw new RuleError(lockedRowReason(row));
  const columns = new Map(context.columns.map((c) => [c.id, c]));
  for (const [columnId, code] of Object.entries(edit.codes)) {
    const column = columns.get(columnId);
    if (!column) throw new NotFoundError("That column of the matrix");
    const reason = code ? forbiddenReason(row, column.kind, code) : null;
    if (reason) throw new RuleError(reason, columnId);
  }
  // The tier read is the one chosen, or the school's decided tier: its name is the trust's.
  const names = tierNames(context.tier && context.tierName ? { [context.tier]: context.tierName } : null);
  const layer = layerOf(edit, context, names);
  const decidedTier = context.tier ? namedTier(context.tier, names) : null;
  const editing: VariantLayer = layer.kind;
  const changes: Change[] = [];
  const audit: AuditRow[] = [];
  for (const [columnId, wanted] of Object.entries(edit.codes)) {
    const layers: CellLayers = { base: context.codes[columnId] ?? null };
    if (columnId in context.tierVariants) layers.tier = context.tierVariants[columnId]!;
    if (editing === "school" && columnId in context.schoolVariants) layers.school = context.schoolVariants[columnId]!;
    const below = beneath(layers, editing);
    const stored = variantFor(wanted, below);
    const current = layers[editing];
    if (stored === null ? current === undefined : current === stored.code) continue;
    const before = layeredCell(layers).code;
    changes.push({ body_id: columnId, varied: stored !== null, code: stored?.code ?? null });
    const name = columns.get(columnId)!.name;
    const what = editing === "school" && layers.tier !== undefined && decidedTier ? `the ${decidedTier} variant` : "the base scheme";
    audit.push({
      entity_id: cellKey(edit.rowId, columnId),
      summary:
        stored === null
          ? `${row.ref} ${row.title}: ${name} for ${layer.label} follows ${what} again (${shown(before)} → ${shown(wanted)}) in version ${version.number}`
          : `${row.ref} ${row.title}: ${name} ${shown(before)} → ${shown(wanted)} for ${layer.label} in version ${version.number}`,
      before: { ...layer.scopeJson, code: before, varied: current !== undefined },
      after: { ...layer.scopeJson, code: wanted, varied: stored !== null },
    });
  }
  let revision: number | null;
  try {
    revision = await claimAndWrite(db, actor, { ...edit, versionId: version.id }, layer, changes, audit);
  } catch (error) {
    // The version was approved (or discarded) while this save waited for its row or for the version:
    // the database refused it, and the refusal says which.
    if (!settledVersion(error) && !versionGone(error)) throw error;
    revision = null;
  }
  if (revision === null) throw await refusal(db, edit);
  return { revision, changed: changes.length };
}

/** Why a claim failed: the version was approved meanwhile, or the row as someone else saved it. */
async function refusal(db: Database, edit: VariantEdit): Promise<Error> {
  const now = await readContext(db, edit);
  if (!now?.version) return new NotFoundError("That version of the scheme");
  if (now.version.status !== "draft") return notDraft(now.version);
  return new StaleVariantError(edit.rowId, now.revision ?? 0, now.codes, {
    tier: now.tierVariants,
    school: "schoolId" in edit.scope ? now.schoolVariants : {},
  });
}
