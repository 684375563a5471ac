/**
 * The trust's strategy profile: its ratings of the research's ten statements, the alignment culture
 * of each area, its school-improvement model and its vision. One per trust, made with the trust.
 */
import { and, eq, sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { strategyProfiles } from "../../db/schema";
import { StaleWriteError } from "../domain/errors";
import {
  ALIGNMENT_CULTURES,
  IMPROVEMENT_MODELS,
  STRATEGY_STATEMENTS,
  UNRATED_STRATEGY,
  type AlignmentCulture,
  type ImprovementModel,
  type StrategyProfile,
} from "../domain/strategy";
import { recordAudit, type Actor } from "./audit.server";

export interface StoredStrategy {
  profile: StrategyProfile;
  vision: string | null;
  /** What an edit names, so that a stale one is refused. */
  version: number;
  updatedAt: Date | null;
}

type StrategyRow = Pick<typeof strategyProfiles.$inferSelect, "ratings" | "alignment" | "improvementModel">;

/** The stored row as the rules read it: anything the database holds that is not a valid value counts as unset. */
function toProfile(row: StrategyRow): StrategyProfile {
  // postgres-js reads a NULL inside a smallint[] as NaN: an unrated statement either way.
  const ratings = STRATEGY_STATEMENTS.map((_, i) => {
    const rating = row.ratings[i];
    return typeof rating === "number" && Number.isInteger(rating) ? rating : null;
  });
  const alignment: Partial<Record<number, AlignmentCulture>> = {};
  if (row.alignment && typeof row.alignment === "object") {
    for (const [area, culture] of Object.entries(row.alignment as Record<string, unknown>)) {
      const n = Number(area);
      if (Number.isInteger(n) && (ALIGNMENT_CULTURES as readonly unknown[]).includes(culture)) alignment[n] = culture as AlignmentCulture;
    }
  }
  const improvementModel = (IMPROVEMENT_MODELS as readonly (string | null)[]).includes(row.improvementModel)
    ? (row.improvementModel as ImprovementModel)
    : null;
  return { ratings, alignment, improvementModel };
}

/** The trust's strategy profile as the rules read it, or UNRATED_STRATEGY when it has none. */
export async function loadStrategy(db: Database, trustId: string): Promise<StrategyProfile> {
  const [row] = await db
    .select({ ratings: strategyProfiles.ratings, alignment: strategyProfiles.alignment, improvementModel: strategyProfiles.improvementModel })
    .from(strategyProfiles)
    .where(eq(strategyProfiles.trustId, trustId));
  return row ? toProfile(row) : UNRATED_STRATEGY;
}

/** The profile with what its page edits: the vision, and the version an edit must name. */
export async function loadStoredStrategy(db: Database, trustId: string): Promise<StoredStrategy> {
  const [row] = await db.select().from(strategyProfiles).where(eq(strategyProfiles.trustId, trustId));
  // Every trust is made with its profile; one restored from an old backup may lack it until first saved.
  if (!row) return { profile: UNRATED_STRATEGY, vision: null, version: 0, updatedAt: null };
  return { profile: toProfile(row), vision: row.vision, version: row.version, updatedAt: row.updatedAt };
}

export interface StrategyEdit {
  trustId: string;
  /** The version the editor read; 0 when the trust had no stored profile. */
  version: number;
  profile: StrategyProfile;
  vision: string | null;
}

function stored(profile: StrategyProfile) {
  return {
    // The column holds nulls for unrated statements; drizzle's array type does not say so.
    ratings: profile.ratings as number[],
    alignment: Object.fromEntries(Object.entries(profile.alignment).map(([area, culture]) => [String(area), culture])),
    improvementModel: profile.improvementModel,
  };
}

/** Saves the profile if nobody has saved it since `version`; returns the new version. */
export async function saveStrategy(db: Database, actor: Actor, edit: StrategyEdit): Promise<number> {
  return db.transaction(async (tx) => {
    const before = await loadStoredStrategy(tx, edit.trustId);
    if (before.version !== edit.version) throw new StaleWriteError("the strategy profile");
    const values = { ...stored(edit.profile), vision: edit.vision };
    let version: number | undefined;
    if (before.version === 0) {
      const inserted = await tx
        .insert(strategyProfiles)
        .values({ trustId: edit.trustId, ...values })
        .onConflictDoNothing()
        .returning({ version: strategyProfiles.version });
      version = inserted[0]?.version;
    } else {
      const updated = await tx
        .update(strategyProfiles)
        .set({ ...values, version: sql`${strategyProfiles.version} + 1`, updatedAt: sql`now()` })
        .where(and(eq(strategyProfiles.trustId, edit.trustId), eq(strategyProfiles.version, edit.version)))
        .returning({ version: strategyProfiles.version });
      version = updated[0]?.version;
    }
    if (version === undefined) throw new StaleWriteError("the strategy profile");
    await recordAudit(tx, actor, {
      trustId: edit.trustId,
      action: "update",
      entity: "strategy-profile",
      entityId: edit.trustId,
      summary: "Changed the strategy profile",
      before: { ...stored(before.profile), vision: before.vision },
      after: values,
    });
    return version;
  });
}
