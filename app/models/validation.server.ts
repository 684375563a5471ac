/**
 * Checking a version of a trust's scheme: loads what the pure rules read (the scheme, the trust's
 * strategy, its thresholds and its schools' earned autonomy), runs them, and marks the findings the
 * trust has acknowledged.
 */
import { createHash } from "node:crypto";
import { and, eq } from "drizzle-orm";
import type { Database } from "../../db/client";
import { findingAcknowledgements, trusts } from "../../db/schema";
import type { AutonomyContext } from "../domain/autonomy-context";
import { NotFoundError } from "../domain/errors";
import { validateScheme } from "../domain/rules";
import { DEFAULT_RULE_SETTINGS, RuleSettingsInputSchema, RuleSettingsSchema, type RuleSettings } from "../domain/rules/settings";
import type { Finding, StrategyCluster } from "../domain/rules/types";
import type { Scheme } from "../domain/scheme";
import { deriveStrategyCluster } from "../domain/strategy-cluster";
import { today as todayInEngland } from "../clock.server";
import { loadAutonomy } from "./autonomy.server";
import { loadScheme } from "./scheme.server";
import { loadStrategy } from "./strategy.server";

/** A finding with its stable key, and the trust's reason for accepting it when it has acknowledged it. */
export type CheckedFinding = Finding & { key: string; acknowledged: { reason: string } | null };

export interface Validation {
  findings: CheckedFinding[];
  cluster: StrategyCluster | null;
  /** The scheme as checked: what a fix is applied to. */
  scheme: Scheme;
  /** The tier policy and schools' standing the checks read. */
  autonomy: AutonomyContext;
}

/**
 * The rule thresholds kept in a trust's settings (settings.rules), the defaults where absent. A stored
 * value that is not valid gives the defaults: a bad setting must not stop the scheme being checked.
 */
export function ruleSettingsOf(settings: unknown): RuleSettings {
  const rules = settings && typeof settings === "object" ? (settings as { rules?: unknown }).rules : undefined;
  const parsed = RuleSettingsSchema.safeParse(rules ?? {});
  // Values stored before the settings page refused nonsense (or written by hand) must make sense together too.
  return parsed.success && RuleSettingsInputSchema.safeParse(parsed.data).success ? parsed.data : DEFAULT_RULE_SETTINGS;
}

/**
 * A finding's stable key: its rule and what it concerns (cells, rows, schools, each sorted), hashed to
 * a fixed length. The message and fix are left out, so an acknowledgement survives edits elsewhere and
 * rewording; it lapses when the finding comes to concern other cells, rows or schools.
 */
export function findingKey(finding: Pick<Finding, "ruleId" | "cells" | "rowIds" | "schoolIds">): string {
  const cells = [...new Set(finding.cells.map((c) => `${c.rowId}:${c.columnId}:${c.schoolId ?? ""}`))].sort();
  const rows = [...new Set(finding.rowIds)].sort();
  const schools = [...new Set(finding.schoolIds)].sort();
  const digest = createHash("sha256").update(JSON.stringify([cells, rows, schools])).digest("hex").slice(0, 24);
  return `${finding.ruleId}:${digest}`;
}

/** Checks one version of the trust's scheme: every finding, errors first, with its key and acknowledgement. */
export async function validateVersion(db: Database, trustId: string, versionId: string, today: string = todayInEngland()): Promise<Validation> {
  const [trust] = await db.select({ settings: trusts.settings }).from(trusts).where(eq(trusts.id, trustId));
  if (!trust) throw new NotFoundError("That trust");
  const [scheme, strategy, autonomy, acknowledgements] = await Promise.all([
    loadScheme(db, trustId, versionId),
    loadStrategy(db, trustId),
    loadAutonomy(db, trustId),
    db
      .select({ key: findingAcknowledgements.findingKey, reason: findingAcknowledgements.reason })
      .from(findingAcknowledgements)
      .where(and(eq(findingAcknowledgements.trustId, trustId), eq(findingAcknowledgements.versionId, versionId))),
  ]);
  const cluster = deriveStrategyCluster(strategy.ratings).cluster;
  const reasons = new Map(acknowledgements.map((a) => [a.key, a.reason]));
  const findings = validateScheme({ scheme, strategy, cluster, settings: ruleSettingsOf(trust.settings), today, autonomy }).map((finding) => {
    const key = findingKey(finding);
    const reason = reasons.get(key);
    return { ...finding, key, acknowledged: reason === undefined ? null : { reason } };
  });
  return { findings, cluster, scheme, autonomy };
}
