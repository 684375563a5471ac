/**
 * What a tier's or a single school's scheme adds to a version's matrix: the tier's variants, the
 * school's own variations, and the school's decided tier (whose variants it takes). Read in one
 * statement, only when the matrix page or a school's effective scheme asks for a tier or a school.
 */
import { sql, type SQL } from "drizzle-orm";
import type { Database } from "../../db/client";
import { governanceBodies, schoolCells, tierCells, tierDecisions } from "../../db/schema";
import { isTier, type Tier } from "../domain/autonomy";
import type { DecisionCode } from "../domain/codes";
import { cellKey, type Variant } from "../domain/scheme";
import { queryJson } from "./json-query.server";

/** Today's date as the database writes dates: what a school's decided tier is read on. */
export const isoToday = () => new Date().toISOString().slice(0, 10);

/** The decision that places a school in its tier today: the latest one already in effect. */
export interface DecidedTier {
  tier: Tier;
  decidedOn: string;
  effectiveFrom: string;
  nextReviewOn: string;
  /** The body that decided it, by name. */
  decidedBy: string | null;
}

/**
 * The school's decision in effect on `today`, as a statement's step, chosen as `currentDecision`
 * (app/domain/decided-tier.ts) chooses: the latest to have taken effect (a decision taking effect later
 * does not count yet), then the latest decided, then the latest recorded.
 */
export function decidedTierStep(trustId: string, schoolId: SQL, today: string): SQL {
  return sql`select d.tier, d.decided_on, d.effective_from, d.next_review_on, b.name as decided_by
    from ${tierDecisions} d left join ${governanceBodies} b on b.trust_id = d.trust_id and b.id = d.decided_by_body_id
    where d.trust_id = ${trustId} and d.school_id = ${schoolId} and d.effective_from <= ${today}::date
    order by d.effective_from desc, d.decided_on desc, d.created_at desc limit 1`;
}

/** A tier (T4), or a school (by id) with its decided tier. */
export type ScopeRequest = { tier: Tier } | { schoolId: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The tier (?tier=T4) or school (?school=ID) an address asks for; the school, when it names both. */
export function scopeFromSearch(search: URLSearchParams): ScopeRequest | null {
  const school = search.get("school");
  const tier = search.get("tier");
  if (school && UUID.test(school)) return { schoolId: school };
  return isTier(tier) ? { tier } : null;
}

export interface ScopeVariants {
  /** The school's decided tier; null for a tier, or a school with no decision in effect. */
  decided: DecidedTier | null;
  /** The variants of the tier chosen, or of the school's decided tier, keyed by cellKey. */
  tier: Record<string, Variant>;
  /** The school's own variations, keyed by cellKey. */
  school: Record<string, Variant>;
}

type VariantJson = [string, string, DecisionCode | null, string | null][];

interface ScopeJson {
  decided: (Omit<DecidedTier, "decidedOn" | "effectiveFrom" | "nextReviewOn" | "decidedBy"> & {
    decided_on: string;
    effective_from: string;
    next_review_on: string;
    decided_by: string | null;
  }) | null;
  tierCells: VariantJson;
  schoolCells: VariantJson;
}

function keyed(rows: VariantJson): Record<string, Variant> {
  const variants: Record<string, Variant> = {};
  for (const [rowId, columnId, code, note] of rows) variants[cellKey(rowId, columnId)] = { code, note };
  return variants;
}

/** A tier's variants, or a school's variations with its decided tier's variants, in one version. */
export async function loadScopeVariants(
  db: Database,
  trustId: string,
  versionId: string,
  scope: ScopeRequest,
  today: string,
): Promise<ScopeVariants> {
  const tier = "tier" in scope ? scope.tier : null;
  const schoolId = "schoolId" in scope ? scope.schoolId : null;
  const json = await queryJson<ScopeJson>(
    db,
    sql`with decided as (${decidedTierStep(trustId, sql`${schoolId}::uuid`, today)}),
      chosen as (select coalesce(${tier}::text, (select tier from decided)) as tier)
    select json_build_object(
      'decided', (select row_to_json(decided) from decided),
      'tierCells', coalesce((
        select json_agg(json_build_array(responsibility_id, body_id, code, note)) from ${tierCells}
        where trust_id = ${trustId} and version_id = ${versionId} and tier = (select tier from chosen)
      ), '[]'),
      'schoolCells', coalesce((
        select json_agg(json_build_array(responsibility_id, body_id, code, note)) from ${schoolCells}
        where trust_id = ${trustId} and version_id = ${versionId} and school_id = ${schoolId}::uuid
      ), '[]')
    ) as result`,
  );
  const decided = json?.decided ?? null;
  return {
    decided: decided && {
      tier: decided.tier,
      decidedOn: decided.decided_on,
      effectiveFrom: decided.effective_from,
      nextReviewOn: decided.next_review_on,
      decidedBy: decided.decided_by,
    },
    tier: keyed(json?.tierCells ?? []),
    school: keyed(json?.schoolCells ?? []),
  };
}
