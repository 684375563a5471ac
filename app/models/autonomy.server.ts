/**
 * What earned autonomy reads about a trust's schools, in one place: its tier policy (autonomy_tiers
 * and its outcomes bands), and per school its tier decisions, performance records and reviews. The
 * checks, the recommended tiers and the review calendar all start here.
 */
import { eq } from "drizzle-orm";
import type { Database } from "../../db/client";
import { autonomyTiers, trusts } from "../../db/schema";
import { NO_AUTONOMY_DATA, type AutonomyContext, type SchoolAutonomy } from "../domain/autonomy-context";
import { tierPolicyOf, type TierPolicy } from "../domain/tier-policy";
import { listPerformanceRecords } from "./performance.server";
import { listSchoolReviews } from "./school-reviews.server";
import { listTierDecisions } from "./tier-decisions.server";

/** The trust's tier policy: its own tiers and bands where it has set them, the defaults elsewhere. */
export async function loadTierPolicy(db: Database, trustId: string): Promise<TierPolicy> {
  const [rows, [trust]] = await Promise.all([
    db.select().from(autonomyTiers).where(eq(autonomyTiers.trustId, trustId)),
    db.select({ settings: trusts.settings }).from(trusts).where(eq(trusts.id, trustId)),
  ]);
  const settings = trust?.settings as { outcomesBands?: unknown } | null | undefined;
  return tierPolicyOf(rows, settings?.outcomesBands);
}

/** The policy and every school's decisions, records and reviews; `schoolId` narrows it to one school. */
export async function loadAutonomy(db: Database, trustId: string, schoolId?: string): Promise<AutonomyContext> {
  const [policy, decisions, records, reviews] = await Promise.all([
    loadTierPolicy(db, trustId),
    listTierDecisions(db, trustId, schoolId),
    listPerformanceRecords(db, trustId, schoolId),
    listSchoolReviews(db, trustId, schoolId),
  ]);
  const schools: Record<string, SchoolAutonomy> = {};
  const of = (id: string) => (schools[id] ??= { decisions: [], records: [], reviews: [] });
  for (const d of decisions) of(d.schoolId).decisions.push(d);
  for (const r of records) of(r.schoolId).records.push(r);
  for (const r of reviews) of(r.schoolId).reviews.push(r);
  return { policy, schools };
}

/** One school's part of the context, empty when it has nothing recorded yet. */
export function autonomyOf(context: AutonomyContext, schoolId: string): SchoolAutonomy {
  return context.schools[schoolId] ?? NO_AUTONOMY_DATA;
}
