/**
 * The difference between two versions of a trust's scheme: both versions as the checks read them
 * (an approved version with its frozen structure and catalogue, a draft with the live ones) and
 * their findings, compared by the pure versionDiff.
 */
import { eq } from "drizzle-orm";
import type { Database } from "../../db/client";
import { autonomyTiers } from "../../db/schema";
import type { Tier } from "../domain/autonomy";
import { NotFoundError, RuleError } from "../domain/errors";
import { tierNames } from "../domain/variants";
import { versionDiff, type VersionDiff } from "../domain/version-diff";
import { today as todayInEngland } from "../clock.server";
import { listVersions, type VersionRecord } from "./scheme.server";
import { validateVersion } from "./validation.server";

export interface LoadedVersionDiff {
  from: VersionRecord;
  to: VersionRecord;
  diff: VersionDiff;
  /** The trust's names of its tiers, to name the tiers whose variants changed. */
  tierNames: Record<Tier, string>;
}

/**
 * The version a version is compared with when none is named: the one it was started from, else the
 * newest version approved before it (approved or since superseded). Null when there is none.
 */
export function defaultBaseOf(versions: VersionRecord[], version: VersionRecord): VersionRecord | null {
  if (version.basedOnId) {
    const based = versions.find((v) => v.id === version.basedOnId);
    if (based) return based;
  }
  return (
    versions
      .filter((v) => v.number < version.number && v.status !== "draft")
      .sort((a, b) => b.number - a.number)[0] ?? null
  );
}

/**
 * Compares version `from` (the older, by default the one `to` was based on) with version `to` of the
 * trust's scheme. Refuses a version number the trust does not have, comparing a version with itself,
 * and, when `from` is not given, a version with nothing before it.
 */
export async function loadVersionDiff(
  db: Database,
  trustId: string,
  input: { to: number; from?: number | null },
  today: string = todayInEngland(),
): Promise<LoadedVersionDiff> {
  const versions = await listVersions(db, trustId);
  const to = versions.find((v) => v.number === input.to);
  if (!to) throw new NotFoundError(`Version ${input.to} of the scheme`);
  let from: VersionRecord | null;
  if (input.from !== undefined && input.from !== null) {
    from = versions.find((v) => v.number === input.from) ?? null;
    if (!from) throw new NotFoundError(`Version ${input.from} of the scheme`);
  } else {
    from = defaultBaseOf(versions, to);
    if (!from) throw new RuleError(`Version ${to.number} was not started from another version and no version was approved before it, so there is nothing to compare it with.`, "from");
  }
  if (from.id === to.id) throw new RuleError(`Choose two different versions to compare (both are version ${to.number}).`, "from");
  const older = await validateVersion(db, trustId, from.id, today);
  const newer = await validateVersion(db, trustId, to.id, today);
  const named = await db.select({ tier: autonomyTiers.tier, name: autonomyTiers.name }).from(autonomyTiers).where(eq(autonomyTiers.trustId, trustId));
  const summary = (f: (typeof older.findings)[number]) => ({ key: f.key, ruleId: f.ruleId, severity: f.severity, message: f.message });
  const diff = versionDiff(older.scheme, newer.scheme, { older: older.findings.map(summary), newer: newer.findings.map(summary) });
  return { from, to, diff, tierNames: tierNames(Object.fromEntries(named.map((t) => [t.tier, t.name]))) };
}
