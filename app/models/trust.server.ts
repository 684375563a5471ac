import { and, asc, count, eq, sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import {
  autonomyTiers,
  governanceBodies,
  memberships,
  responsibilities,
  schemeVersions,
  schools,
  strategyProfiles,
  trusts,
} from "../../db/schema";
import { TIERS } from "../domain/autonomy";
import { DEFAULT_CATALOGUE } from "../domain/catalogue";
import { RuleError } from "../domain/errors";
import type { Role } from "../domain/roles";
import { DEFAULT_TIER_POLICY } from "../domain/tier-policy";
import { recordAudit, type Actor } from "./audit.server";
import { queryJson } from "./json-query.server";
import { prepared } from "./prepared.server";

export type Trust = typeof trusts.$inferSelect;

export const SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;

export function checkSlug(slug: string): void {
  if (!SLUG_PATTERN.test(slug)) {
    throw new RuleError(
      "The short name must be 1–64 lower-case letters, digits and hyphens, starting and ending with a letter or digit (e.g. north-dales-trust).",
      "slug",
    );
  }
}

/** Creates a trust with everything a new trust starts from: the default catalogue, the autonomy tiers and an empty strategy profile. */
export async function createTrust(
  db: Database,
  actor: Actor,
  input: { name: string; slug: string; companyNumber?: string | null; isDemo?: boolean },
): Promise<Trust> {
  checkSlug(input.slug);
  const name = input.name.trim();
  if (name.length === 0 || name.length > 200) throw new RuleError("Give the trust's name (up to 200 characters).", "name");
  return db.transaction(async (tx) => {
    const taken = await tx.select({ id: trusts.id }).from(trusts).where(eq(trusts.slug, input.slug));
    if (taken.length > 0) throw new RuleError(`The short name "${input.slug}" is already used by another trust.`, "slug");
    const [trust] = await tx
      .insert(trusts)
      .values({ name, slug: input.slug, companyNumber: input.companyNumber ?? null, isDemo: input.isDemo ?? false })
      .returning();
    await installDefaults(tx, trust!.id);
    await recordAudit(tx, actor, {
      trustId: trust!.id,
      action: "create",
      entity: "trust",
      entityId: trust!.id,
      summary: `Created the trust ${name}`,
      after: { name, slug: input.slug },
    });
    return trust!;
  });
}

async function installDefaults(tx: Database, trustId: string): Promise<void> {
  if (DEFAULT_CATALOGUE.length > 0) {
    await tx.insert(responsibilities).values(
      DEFAULT_CATALOGUE.map((entry, index) => ({
        trustId,
        catalogueKey: entry.key,
        area: entry.area,
        ref: entry.ref,
        title: entry.title,
        guidance: entry.guidance,
        decisionKinds: entry.decisionKinds ?? null,
        excludedKinds: entry.excludedKinds ?? null,
        statutoryRule: entry.statutoryRule ?? null,
        locked: entry.locked ?? false,
        externalApproval: entry.externalApproval ?? false,
        tags: entry.tags ?? [],
        position: index + 1,
      })),
    );
  }
  // The thresholds stay unset ({}), so they read as the defaults until the trust sets its own; the tiers' descriptions are written, or none would show.
  await tx.insert(autonomyTiers).values(
    TIERS.map((tier) => {
      const { name, description, reviewsPerYear } = DEFAULT_TIER_POLICY.tiers[tier];
      return { trustId, tier, name, description, reviewsPerYear };
    }),
  );
  await tx.insert(strategyProfiles).values({ trustId });
}

/** No trust has a short name outside SLUG_PATTERN: such an address (one with a null character, say) names none, unasked. */
export async function findTrustBySlug(db: Database, slug: string): Promise<Trust | null> {
  if (!SLUG_PATTERN.test(slug)) return null;
  const [trust] = await db.select().from(trusts).where(eq(trusts.slug, slug));
  return trust ?? null;
}

export async function listAllTrusts(db: Database) {
  const rows = await db
    .select({ id: trusts.id, slug: trusts.slug, name: trusts.name, isDemo: trusts.isDemo, createdAt: trusts.createdAt })
    .from(trusts)
    .orderBy(asc(trusts.name));
  const schoolCounts = await db.select({ trustId: schools.trustId, n: count() }).from(schools).groupBy(schools.trustId);
  const byTrust = new Map(schoolCounts.map((r) => [r.trustId, r.n]));
  return rows.map((r) => ({ ...r, schools: byTrust.get(r.id) ?? 0 }));
}

export async function listTrustsForUser(db: Database, userId: string) {
  return db
    .select({ id: trusts.id, slug: trusts.slug, name: trusts.name, role: memberships.role })
    .from(memberships)
    .innerJoin(trusts, eq(trusts.id, memberships.trustId))
    .where(eq(memberships.userId, userId))
    .orderBy(asc(trusts.name));
}

/** The trust behind a URL, if and only if the user is one of its members. */
export async function findMembership(db: Database, userId: string, slug: string): Promise<{ trust: Trust; role: Role } | null> {
  if (!SLUG_PATTERN.test(slug)) return null;
  const query = prepared(db, "find_membership", (d) =>
    d
      .select({ trust: trusts, role: memberships.role })
      .from(trusts)
      .innerJoin(memberships, and(eq(memberships.trustId, trusts.id), eq(memberships.userId, sql.placeholder("userId"))))
      .where(eq(trusts.slug, sql.placeholder("slug")))
      .prepare("find_membership"),
  );
  const [row] = await query.execute({ userId, slug });
  return row ? { trust: row.trust, role: row.role as Role } : null;
}

export interface TrustOverview {
  counts: {
    schools: number;
    schoolsWithoutCluster: number;
    responsibilities: number;
    columns: number;
    clusters: number;
    localBoards: number;
    advisoryLocalBoards: number;
  };
  columns: { id: string; kind: string; name: string; mode: string; chairName: string | null; position: number }[];
  clusters: { id: string; name: string; mode: string; chairName: string | null; schools: number; localBoards: number }[];
  versions: {
    id: string;
    number: number;
    status: string;
    approvedOn: string | null;
    reviewDueOn: string | null;
    breakPointReason: string | null;
  }[];
}

/** The rows of a raw query, which the two drivers return in different shapes. */
/**
 * What the trust overview shows: the figures, the scheme's versions, the matrix columns and the
 * clusters with what they hold. One query, counted and shaped in the database, because this is
 * the page every member opens first.
 */
export async function getTrustOverview(db: Database, trustId: string): Promise<TrustOverview> {
  const overview = await queryJson<TrustOverview>(
    db,
    sql`
    with bodies as (
      select * from ${governanceBodies} where trust_id = ${trustId} and retired_at is null
    ), trust_schools as (
      select * from ${schools} where trust_id = ${trustId}
    )
    select json_build_object(
      'counts', json_build_object(
        'schools', (select count(*) from trust_schools),
        'schoolsWithoutCluster', (select count(*) from trust_schools where cluster_body_id is null),
        'responsibilities', (select count(*) from ${responsibilities} where trust_id = ${trustId} and retired_at is null),
        'columns', (select count(*) from bodies where column_id is null),
        'clusters', (select count(*) from bodies where column_id is not null and kind = 'cluster'),
        'localBoards', (select count(*) from bodies where column_id is not null and kind = 'local'),
        'advisoryLocalBoards', (select count(*) from bodies where column_id is not null and kind = 'local' and mode = 'advisory')
      ),
      'columns', coalesce((
        select json_agg(json_build_object('id', id, 'kind', kind, 'name', name, 'mode', mode, 'chairName', chair_name, 'position', position))
        from bodies where column_id is null
      ), '[]'),
      'clusters', coalesce((
        select json_agg(json_build_object(
          'id', c.id, 'name', c.name, 'mode', c.mode, 'chairName', c.chair_name,
          'schools', (select count(*) from trust_schools s where s.cluster_body_id = c.id),
          'localBoards', (select count(distinct s.local_body_id) from trust_schools s where s.cluster_body_id = c.id)
        ) order by c.position, c.name)
        from bodies c where c.column_id is not null and c.kind = 'cluster'
      ), '[]'),
      'versions', coalesce((
        select json_agg(json_build_object(
          'id', id, 'number', number, 'status', status, 'approvedOn', approved_on, 'reviewDueOn', review_due_on,
          'breakPointReason', break_point_reason
        ) order by number desc)
        from ${schemeVersions} where trust_id = ${trustId}
      ), '[]')
    ) as result`,
  );
  return overview!;
}

export async function demoTrustPresent(db: Database): Promise<boolean> {
  const rows = await db.select({ id: trusts.id }).from(trusts).where(eq(trusts.isDemo, true)).limit(1);
  return rows.length > 0;
}

/**
 * Deletes a trust and everything that belongs to it (before restoring a backup over it). The
 * references between its own records are checked at the end, when all of them have gone.
 */
export async function deleteTrust(db: Database, actor: Actor, trustId: string): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.execute(sql`set constraints all deferred`);
    const [gone] = await tx.delete(trusts).where(eq(trusts.id, trustId)).returning({ name: trusts.name, slug: trusts.slug });
    if (!gone) throw new RuleError("That trust does not exist.");
    await recordAudit(tx, actor, {
      trustId: null,
      action: "delete",
      entity: "trust",
      entityId: trustId,
      summary: `Deleted the trust ${gone.name} (${gone.slug}) and all its records`,
      before: gone,
    });
  });
}
