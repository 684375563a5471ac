/**
 * The trust's tier policy as one thing to read and save: its five autonomy_tiers rows and its
 * outcomes bands (trusts.settings.outcomesBands, beside its other settings). A save names the
 * version of every row it read, since the thresholds are judged together (T3's grade against T1's,
 * the band thresholds against the bands): if anyone has changed any part since, nothing is saved.
 * The change and its audit entry land together or not at all.
 */
import { isDeepStrictEqual } from "node:util";
import { and, eq } from "drizzle-orm";
import type { Database } from "../../db/client";
import { autonomyTiers, trusts } from "../../db/schema";
import { TIERS, type Tier } from "../domain/autonomy";
import { NotFoundError, StaleWriteError } from "../domain/errors";
import { DEFAULT_TIER_POLICY, tierPolicyOf, type TierPolicy } from "../domain/tier-policy";
import { policyChangesInWords } from "../domain/tier-policy-words";
import { recordAudit, type Actor } from "./audit.server";
import { updateIfUnchanged } from "./concurrency.server";

/** The versions a policy was read at: each tier's row (0 where the trust has no row yet) and the trust's row. */
export type TierPolicyVersions = Record<Tier, number> & { trust: number };

export interface StoredTierPolicy {
  /** What the recommended tiers, the checks and the review calendar use. */
  policy: TierPolicy;
  /** To send back when saving. */
  versions: TierPolicyVersions;
  /** Whether the policy is the default in every respect (restoring the defaults would change nothing). */
  isDefault: boolean;
}

const WHAT = "the autonomy tiers";

function settingsObject(settings: unknown): Record<string, unknown> {
  return settings && typeof settings === "object" && !Array.isArray(settings) ? (settings as Record<string, unknown>) : {};
}

async function read(db: Database, trustId: string, forUpdate: boolean) {
  const trustQuery = db.select({ settings: trusts.settings, version: trusts.version }).from(trusts).where(eq(trusts.id, trustId));
  // Saving locks the trust's row, so that the bands cannot change under thresholds judged against them.
  const [trust] = forUpdate ? await trustQuery.for("update") : await trustQuery;
  if (!trust) throw new NotFoundError("That trust");
  const rows = await db.select().from(autonomyTiers).where(eq(autonomyTiers.trustId, trustId));
  const policy = tierPolicyOf(rows, settingsObject(trust.settings).outcomesBands);
  const versions = { trust: trust.version } as TierPolicyVersions;
  for (const tier of TIERS) versions[tier] = rows.find((row) => row.tier === tier)?.version ?? 0;
  return { trust, policy, versions };
}

export async function loadStoredTierPolicy(db: Database, trustId: string): Promise<StoredTierPolicy> {
  const { policy, versions } = await read(db, trustId, false);
  return { policy, versions, isDefault: isDeepStrictEqual(policy, DEFAULT_TIER_POLICY) };
}

/**
 * The trust's settings once the bands are saved (policy null: the trust's own bands removed), or
 * null when they need no write. Bands are written only when they change, so that a trust that
 * never set its own keeps following the default ones.
 */
function settingsAfter(settings: unknown, before: TierPolicy, policy: TierPolicy | null): Record<string, unknown> | null {
  const { outcomesBands: storedBands, ...others } = settingsObject(settings);
  if (policy === null) return storedBands === undefined ? null : others;
  return isDeepStrictEqual(policy.outcomesBands, before.outcomesBands) ? null : { ...others, outcomesBands: policy.outcomesBands };
}

/** Writes one tier's row at the version read, or inserts it where the trust had none; false when someone else got there first. */
async function writeTier(tx: Database, trustId: string, tier: Tier, version: number, policy: TierPolicy): Promise<boolean> {
  const { name, description, reviewsPerYear, criteria } = policy.tiers[tier];
  const values = { name, description, reviewsPerYear, criteria };
  if (version === 0) {
    const inserted = await tx.insert(autonomyTiers).values({ trustId, tier, ...values }).onConflictDoNothing().returning({ tier: autonomyTiers.tier });
    return inserted.length === 1;
  }
  const updated = await tx
    .update(autonomyTiers)
    .set({ ...values, version: version + 1 })
    .where(and(eq(autonomyTiers.trustId, trustId), eq(autonomyTiers.tier, tier), eq(autonomyTiers.version, version)))
    .returning({ tier: autonomyTiers.tier });
  return updated.length === 1;
}

/**
 * Saves the whole policy (already checked by TierPolicySchema), or with policy null puts back the
 * defaults of domain.md §5(d): the tiers' rows rewritten and the trust's own bands removed. Other
 * keys of trusts.settings are kept. Throws StaleWriteError, changing nothing, when any row has
 * moved on from `versions`.
 */
export async function saveTierPolicy(db: Database, actor: Actor, input: { trustId: string; versions: TierPolicyVersions; policy: TierPolicy | null }): Promise<void> {
  await db.transaction(async (tx) => {
    const { trust, policy: before, versions } = await read(tx, input.trustId, true);
    if (TIERS.some((tier) => versions[tier] !== input.versions[tier]) || versions.trust !== input.versions.trust) throw new StaleWriteError(WHAT);
    const after = input.policy ?? DEFAULT_TIER_POLICY;
    for (const tier of TIERS) {
      if (!(await writeTier(tx, input.trustId, tier, versions[tier], after))) throw new StaleWriteError(WHAT);
    }
    const settings = settingsAfter(trust.settings, before, input.policy);
    if (settings) await updateIfUnchanged(tx, trusts, { id: input.trustId, version: versions.trust }, { settings }, WHAT);
    const changes = policyChangesInWords(before, after).join("; ");
    await recordAudit(tx, actor, {
      trustId: input.trustId,
      action: "update",
      entity: "autonomy-tiers",
      entityId: input.trustId,
      summary:
        input.policy === null
          ? `Restored the default autonomy tiers${changes ? `: ${changes}` : ""}`
          : `Changed the autonomy tiers${changes ? `: ${changes}` : " (nothing changed)"}`,
      before,
      after,
    });
  });
}

/** Puts back the default tiers, thresholds, cadences and bands. */
export function restoreDefaultTierPolicy(db: Database, actor: Actor, input: { trustId: string; versions: TierPolicyVersions }): Promise<void> {
  return saveTierPolicy(db, actor, { ...input, policy: null });
}
