import { and, asc, count, desc, eq, isNotNull, isNull, sql } from "drizzle-orm";
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
import { DEFAULT_REVIEWS_PER_YEAR, DEFAULT_TIER_NAMES, TIERS } from "../domain/autonomy";
import { DEFAULT_CATALOGUE } from "../domain/catalogue";
import { RuleError } from "../domain/errors";
import type { Role } from "../domain/roles";
import { recordAudit, type Actor } from "./audit.server";

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
  await tx.insert(autonomyTiers).values(
    TIERS.map((tier) => ({ trustId, tier, name: DEFAULT_TIER_NAMES[tier], reviewsPerYear: DEFAULT_REVIEWS_PER_YEAR[tier] })),
  );
  await tx.insert(strategyProfiles).values({ trustId });
}

export async function findTrustBySlug(db: Database, slug: string): Promise<Trust | null> {
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
  const [row] = await db
    .select({ trust: trusts, role: memberships.role })
    .from(trusts)
    .innerJoin(memberships, and(eq(memberships.trustId, trusts.id), eq(memberships.userId, userId)))
    .where(eq(trusts.slug, slug));
  return row ? { trust: row.trust, role: row.role as Role } : null;
}

/**
 * What the trust overview shows: the figures, the scheme's versions, the matrix columns and the
 * clusters with what they hold. Counted in the database, so the page stays small for a national trust.
 */
export async function getTrustOverview(db: Database, trustId: string) {
  const activeBodies = and(eq(governanceBodies.trustId, trustId), isNull(governanceBodies.retiredAt));
  const [schoolCounts] = await db
    .select({ all: count(), unclustered: sql<number>`count(*) filter (where ${schools.clusterBodyId} is null)::int` })
    .from(schools)
    .where(eq(schools.trustId, trustId));
  const [rowCount] = await db
    .select({ n: count() })
    .from(responsibilities)
    .where(and(eq(responsibilities.trustId, trustId), isNull(responsibilities.retiredAt)));
  const columns = await db
    .select({
      id: governanceBodies.id,
      kind: governanceBodies.kind,
      name: governanceBodies.name,
      mode: governanceBodies.mode,
      chairName: governanceBodies.chairName,
      position: governanceBodies.position,
    })
    .from(governanceBodies)
    .where(and(activeBodies, isNull(governanceBodies.columnId)));
  const boards = await db
    .select({ kind: governanceBodies.kind, mode: governanceBodies.mode, n: count() })
    .from(governanceBodies)
    .where(and(activeBodies, isNotNull(governanceBodies.columnId)))
    .groupBy(governanceBodies.kind, governanceBodies.mode);
  const clusterSchools = db
    .select({ clusterId: schools.clusterBodyId, schools: count().as("schools"), localBoards: sql<number>`count(distinct ${schools.localBodyId})::int`.as("local_boards") })
    .from(schools)
    .where(eq(schools.trustId, trustId))
    .groupBy(schools.clusterBodyId)
    .as("cluster_schools");
  const clusters = await db
    .select({
      id: governanceBodies.id,
      name: governanceBodies.name,
      mode: governanceBodies.mode,
      chairName: governanceBodies.chairName,
      schools: sql<number>`coalesce(${clusterSchools.schools}, 0)::int`,
      localBoards: sql<number>`coalesce(${clusterSchools.localBoards}, 0)::int`,
    })
    .from(governanceBodies)
    .leftJoin(clusterSchools, eq(clusterSchools.clusterId, governanceBodies.id))
    .where(and(activeBodies, eq(governanceBodies.kind, "cluster"), isNotNull(governanceBodies.columnId)))
    .orderBy(asc(governanceBodies.position), asc(governanceBodies.name));
  const versions = await db
    .select({
      id: schemeVersions.id,
      number: schemeVersions.number,
      status: schemeVersions.status,
      approvedOn: schemeVersions.approvedOn,
      reviewDueOn: schemeVersions.reviewDueOn,
      breakPointReason: schemeVersions.breakPointReason,
    })
    .from(schemeVersions)
    .where(eq(schemeVersions.trustId, trustId))
    .orderBy(desc(schemeVersions.number));
  const boardCount = (kind: string, mode?: string) =>
    boards.filter((b) => b.kind === kind && (mode === undefined || b.mode === mode)).reduce((sum, b) => sum + b.n, 0);
  return {
    counts: {
      schools: schoolCounts?.all ?? 0,
      schoolsWithoutCluster: schoolCounts?.unclustered ?? 0,
      responsibilities: rowCount?.n ?? 0,
      columns: columns.length,
      clusters: boardCount("cluster"),
      localBoards: boardCount("local"),
      advisoryLocalBoards: boardCount("local", "advisory"),
    },
    columns,
    clusters,
    versions,
  };
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
