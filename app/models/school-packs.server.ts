/**
 * What the school packs of a version read, gathered once for all of them: the version's scheme (its
 * frozen structure when approved), the trust's tier policy and every school's tier decisions and
 * reviews (a school's tier and next review are today's, as on the school's page), the body that
 * approved the version, and the headteachers' names. A pack is then pure work over it.
 */
import { and, eq, inArray } from "drizzle-orm";
import type { Database } from "../../db/client";
import { governanceBodies, schemeVersions, schools, trusts } from "../../db/schema";
import type { AutonomyContext } from "../domain/autonomy-context";
import type { Scheme } from "../domain/scheme";
import { loadAutonomy } from "./autonomy.server";
import { today } from "../clock.server";
import { loadScheme, type VersionRecord } from "./scheme.server";

export interface SchoolPackSource {
  trust: { id: string; slug: string; name: string };
  /**
   * The trust's matrix stamp when the source was read: it moves with every change to a version's cells,
   * variants, structure, schools or tier decisions, so packs made under one stamp all show the same scheme.
   */
  stamp: number;
  version: VersionRecord;
  scheme: Scheme;
  autonomy: AutonomyContext;
  /** The body that approved the version, by name. */
  approvedBy: string | null;
  /** School id → its headteacher's name, from the school's record. */
  headteachers: Map<string, string | null>;
  /** The day tiers and reviews are read on. */
  today: string;
}

/**
 * The source of a version's packs, the version named by its number (pages, command line) or its id (a
 * job); null when the trust has no such version. `schoolId` narrows the autonomy records to one school.
 */
export async function loadSchoolPackSource(
  db: Database,
  trustId: string,
  which: { number: number } | { versionId: string },
  options: { schoolId?: string; today?: string } = {},
): Promise<SchoolPackSource | null> {
  // The stamp is read before the scheme: a change landing meanwhile leaves an older stamp, never a newer one.
  const [trust] = await db
    .select({ id: trusts.id, slug: trusts.slug, name: trusts.name, stamp: trusts.matrixStamp })
    .from(trusts)
    .where(eq(trusts.id, trustId));
  if (!trust) return null;
  const [version] = await db
    .select()
    .from(schemeVersions)
    .where(and(eq(schemeVersions.trustId, trustId), "number" in which ? eq(schemeVersions.number, which.number) : eq(schemeVersions.id, which.versionId)));
  if (!version) return null;
  const [scheme, autonomy] = await Promise.all([loadScheme(db, trust.id, version.id), loadAutonomy(db, trust.id, options.schoolId)]);
  const ids = options.schoolId ? [options.schoolId] : scheme.schools.map((s) => s.id);
  const [heads, approver] = await Promise.all([
    ids.length === 0
      ? []
      : db
          .select({ id: schools.id, name: schools.headteacherName })
          .from(schools)
          .where(and(eq(schools.trustId, trust.id), inArray(schools.id, ids))),
    version.approvedByBodyId
      ? db
          .select({ name: governanceBodies.name })
          .from(governanceBodies)
          .where(and(eq(governanceBodies.trustId, trust.id), eq(governanceBodies.id, version.approvedByBodyId)))
      : [],
  ]);
  return {
    trust: { id: trust.id, slug: trust.slug, name: trust.name },
    stamp: trust.stamp,
    version,
    scheme,
    autonomy,
    approvedBy: approver[0]?.name ?? null,
    headteachers: new Map(heads.map((h) => [h.id, h.name])),
    today: options.today ?? today(),
  };
}

/** The id of a school of the trust, named by its id (the web page) or its URN (the command line); null when the trust has none such. */
export async function findPackSchool(db: Database, trustId: string, school: { id: string } | { urn: number }): Promise<string | null> {
  const [found] = await db
    .select({ id: schools.id })
    .from(schools)
    .where(and(eq(schools.trustId, trustId), "id" in school ? eq(schools.id, school.id) : eq(schools.urn, school.urn)));
  return found?.id ?? null;
}
