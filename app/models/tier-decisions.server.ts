/**
 * The decisions that place schools in autonomy tiers. A school's decided tier is its latest decision
 * in effect (currentDecision); nothing else changes it (EA-10).
 */
import { and, desc, eq, inArray, isNull } from "drizzle-orm";
import type { Database } from "../../db/client";
import { governanceBodies, tierDecisions } from "../../db/schema";
import type { Tier } from "../domain/autonomy";
import type { TierDecision } from "../domain/autonomy-context";
import { NotFoundError, RuleError } from "../domain/errors";
import { TIER_DECIDERS, type TierDecisionInput } from "../domain/tier-decision";
import type { BodyKind } from "../domain/structure";
import { recordAudit, type Actor } from "./audit.server";
import { getSchool } from "./structure.server";

const columns = {
  id: tierDecisions.id,
  schoolId: tierDecisions.schoolId,
  tier: tierDecisions.tier,
  bodyId: governanceBodies.id,
  bodyName: governanceBodies.name,
  bodyKind: governanceBodies.kind,
  decidedOn: tierDecisions.decidedOn,
  effectiveFrom: tierDecisions.effectiveFrom,
  nextReviewOn: tierDecisions.nextReviewOn,
  evidence: tierDecisions.evidence,
};

type Selected = { [K in keyof typeof columns]: (typeof columns)[K]["_"]["data"] };

function toDecision(r: Selected): TierDecision {
  return {
    id: r.id,
    schoolId: r.schoolId,
    tier: r.tier as Tier,
    decidedBy: { id: r.bodyId, name: r.bodyName, kind: r.bodyKind as BodyKind },
    decidedOn: r.decidedOn,
    effectiveFrom: r.effectiveFrom,
    nextReviewOn: r.nextReviewOn,
    evidence: r.evidence,
  };
}

/** The trust's decisions (or one school's), latest first. */
export async function listTierDecisions(db: Database, trustId: string, schoolId?: string): Promise<TierDecision[]> {
  const rows = await db
    .select(columns)
    .from(tierDecisions)
    .innerJoin(governanceBodies, eq(governanceBodies.id, tierDecisions.decidedByBodyId))
    .where(and(eq(tierDecisions.trustId, trustId), schoolId ? eq(tierDecisions.schoolId, schoolId) : undefined))
    .orderBy(desc(tierDecisions.effectiveFrom), desc(tierDecisions.createdAt));
  return rows.map(toDecision);
}

/** Records the decision, refusing a deciding body that is not the trust's board or one of its committees. */
export async function recordTierDecision(
  db: Database,
  actor: Actor,
  input: TierDecisionInput & { trustId: string; schoolId: string },
): Promise<string> {
  return db.transaction(async (tx) => {
    const school = await getSchool(tx, input.trustId, input.schoolId);
    if (!school) throw new NotFoundError("That school");
    const [body] = await tx
      .select({ name: governanceBodies.name })
      .from(governanceBodies)
      .where(
        and(
          eq(governanceBodies.trustId, input.trustId),
          eq(governanceBodies.id, input.decidedByBodyId),
          inArray(governanceBodies.kind, [...TIER_DECIDERS]),
          isNull(governanceBodies.retiredAt),
        ),
      );
    if (!body) throw new RuleError("Choose the body that decided: the board or one of its committees", "decidedByBodyId");
    const [row] = await tx
      .insert(tierDecisions)
      .values({
        trustId: input.trustId,
        schoolId: input.schoolId,
        tier: input.tier,
        decidedByBodyId: input.decidedByBodyId,
        decidedOn: input.decidedOn,
        effectiveFrom: input.effectiveFrom,
        nextReviewOn: input.nextReviewOn,
        evidence: input.evidence,
        recordedBy: actor.userId,
      })
      .returning({ id: tierDecisions.id });
    await recordAudit(tx, actor, {
      trustId: input.trustId,
      action: "create",
      entity: "tier-decision",
      entityId: row!.id,
      summary: `${body.name} placed ${school.name} in ${input.tier} from ${input.effectiveFrom}`,
      after: input,
    });
    return row!.id;
  });
}
