/**
 * Everything the Word scheme of delegation says about one version of a trust's scheme, read from the
 * database: the version and its approval, the trust's strategy in its own words, the structure, the
 * trust's own key, the matrix, the earned-autonomy framework with each school's tier and next review,
 * the schools' own variations, the findings the trust has acknowledged (and whether any error is still
 * open), and optionally the changes since the version approved before it.
 */
import { eq } from "drizzle-orm";
import type { Database } from "../../db/client";
import { governanceBodies, trusts } from "../../db/schema";
import { today as todayInEngland } from "../clock.server";
import { TIERS } from "../domain/autonomy";
import { areaName } from "../domain/areas";
import { NotFoundError } from "../domain/errors";
import { SEVERITY_LABELS } from "../domain/rules/types";
import type { Scheme } from "../domain/scheme";
import {
  changeSections,
  chartOf,
  codeKey,
  documentColumns,
  documentKey,
  matrixAreas,
  schoolChanges,
  schoolsByTier,
  structureBodies,
  tierChanges,
  type BodyDetails,
  type DocumentChanges,
  type DocumentStrategy,
  type SchemeDocumentData,
  type SchoolPlacement,
} from "../domain/scheme-document";
import { schoolStanding } from "../domain/school-standing";
import { ALIGNMENT_CULTURE_LABELS, IMPROVEMENT_MODEL_LABELS } from "../domain/strategy";
import { deriveStrategyCluster, STRATEGY_CLUSTERS } from "../domain/strategy-cluster";
import { cadenceInWords, tierRulesInWords } from "../domain/tier-policy-words";
import { namedTier, tierNames } from "../domain/variants";
import type { AutonomyContext } from "../domain/autonomy-context";
import { autonomyOf } from "./autonomy.server";
import { trustKey } from "./matrix-import.server";
import { loadStoredStrategy } from "./strategy.server";
import { validateVersion } from "./validation.server";
import { listVersions } from "./scheme.server";
import { loadVersionDiff } from "./version-diff.server";

export type { SchemeDocumentData } from "../domain/scheme-document";

export interface SchemeDocumentOptions {
  /** Add the summary of changes since the newest version approved before this one. */
  changesSince?: boolean;
  /** The day the document is made (YYYY-MM-DD); today in England by default. */
  today?: string;
}

function strategyOf(stored: Awaited<ReturnType<typeof loadStoredStrategy>>): DocumentStrategy {
  const derivation = deriveStrategyCluster(stored.profile.ratings);
  const cluster = STRATEGY_CLUSTERS.find((c) => c.cluster === derivation.cluster);
  const model = stored.profile.improvementModel;
  return {
    vision: stored.vision?.trim() || null,
    cluster: cluster ? { number: cluster.cluster, name: cluster.name, description: cluster.description } : null,
    clusterExplanation: derivation.explanation,
    improvementModel: model ? IMPROVEMENT_MODEL_LABELS[model] : null,
    alignment: Object.entries(stored.profile.alignment)
      .map(([area, culture]) => ({ area: Number(area), culture: culture! }))
      .sort((a, b) => a.area - b.area)
      .map(({ area, culture }) => ({ area, areaName: areaName(area), culture: ALIGNMENT_CULTURE_LABELS[culture].name, meaning: ALIGNMENT_CULTURE_LABELS[culture].meaning })),
  };
}

/** Where each of the version's schools stands today: its decided tier and when it is next reviewed. */
function placements(scheme: Scheme, autonomy: AutonomyContext, today: string): SchoolPlacement[] {
  return scheme.schools.map((school) => {
    const standing = schoolStanding(school, autonomyOf(autonomy, school.id), autonomy.policy, today);
    return {
      name: school.name,
      urn: school.urn,
      tier: standing.decided?.tier ?? null,
      decidedOn: standing.decided?.decidedOn ?? null,
      nextReviewOn: standing.schedule.nextReviewOn,
      reviewStatus: standing.schedule.status,
    };
  });
}

/** The changes since the newest version approved (and perhaps since superseded) before this one; null when there is none. */
async function changesSince(db: Database, trustId: string, number: number, today: string): Promise<DocumentChanges | null> {
  const before = (await listVersions(db, trustId)).find((v) => v.number < number && v.status !== "draft");
  if (!before) return null;
  const { diff, tierNames: names } = await loadVersionDiff(db, trustId, { from: before.number, to: number }, today);
  return { fromNumber: before.number, fromStatus: before.status as DocumentChanges["fromStatus"], sections: changeSections(diff, names) };
}

export async function loadSchemeDocument(db: Database, trustId: string, versionId: string, options: SchemeDocumentOptions = {}): Promise<SchemeDocumentData> {
  const today = options.today ?? todayInEngland();
  const [trust] = await db
    .select({ name: trusts.name, companyNumber: trusts.companyNumber, websiteUrl: trusts.websiteUrl })
    .from(trusts)
    .where(eq(trusts.id, trustId));
  if (!trust) throw new NotFoundError("That trust");
  const [validation, strategy, key, bodies] = await Promise.all([
    validateVersion(db, trustId, versionId, today),
    loadStoredStrategy(db, trustId),
    trustKey(db, trustId),
    db
      .select({ id: governanceBodies.id, name: governanceBodies.name, remit: governanceBodies.remit, chairName: governanceBodies.chairName })
      .from(governanceBodies)
      .where(eq(governanceBodies.trustId, trustId)),
  ]);
  const { scheme, findings, autonomy } = validation;
  const { version } = scheme;
  // Approved versions freeze their columns without chairs or remits: those are the bodies' own, as they are today.
  const details = new Map<string, BodyDetails>(bodies.map((b) => [b.id, { remit: b.remit?.trim() || null, chairName: b.chairName?.trim() || null }]));
  const policy = autonomy.policy;
  const names = tierNames(Object.fromEntries(TIERS.map((t) => [t, policy.tiers[t].name])));
  const placed = placements(scheme, autonomy, today);
  const inTier = schoolsByTier(placed);
  const tierOf = new Map(scheme.schools.map((s, i) => [s.id, placed[i]!.tier]));

  return {
    trust: { name: trust.name, companyNumber: trust.companyNumber, websiteUrl: trust.websiteUrl },
    preparedOn: today,
    version: {
      number: version.number,
      status: version.status,
      approvedBy: version.approvedByBodyId ? (bodies.find((b) => b.id === version.approvedByBodyId)?.name ?? null) : null,
      approvedOn: version.approvedOn,
      minuteRef: version.minuteRef,
      reviewDueOn: version.reviewDueOn,
      reason: version.breakPointReason,
    },
    openErrors: findings.filter((f) => f.severity === "error" && !f.acknowledged).map((f) => f.message),
    strategy: strategyOf(strategy),
    structure: { bodies: structureBodies(scheme, details), chart: chartOf(scheme, details) },
    codes: codeKey(),
    trustKey: key ? documentKey(key) : null,
    columns: documentColumns(scheme.columns),
    areas: matrixAreas(scheme, strategy.profile.alignment),
    tiers: TIERS.map((tier) => {
      const definition = policy.tiers[tier];
      const rules = tierRulesInWords(policy, tier);
      return {
        tier,
        name: names[tier],
        description: definition.description?.trim() || null,
        reviewsPerYear: definition.reviewsPerYear,
        cadence: cadenceInWords(definition.reviewsPerYear),
        enter: rules.enter,
        leave: rules.leave,
        schemeChanges: definition.criteria.schemeChanges,
        changes: tierChanges(scheme, tier),
        schools: inTier[tier],
      };
    }),
    variations: [...scheme.schools]
      .sort((a, b) => a.name.localeCompare(b.name))
      .flatMap((school) => {
        const tier = tierOf.get(school.id) ?? null;
        const changes = schoolChanges(scheme, school.id, tier);
        return changes.length > 0 ? [{ school: school.name, urn: school.urn, tier: tier ? namedTier(tier, names) : null, changes }] : [];
      }),
    acknowledged: findings.flatMap((f) =>
      f.acknowledged ? [{ ruleId: f.ruleId, severity: SEVERITY_LABELS[f.severity], message: f.message, rationale: f.rationale, source: f.source, reason: f.acknowledged.reason }] : [],
    ),
    changes: options.changesSince ? await changesSince(db, trustId, version.number, today) : null,
  };
}
