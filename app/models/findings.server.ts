/**
 * What a trust does with a finding: applies its fix (an ordinary, audited edit of the draft's rows,
 * undone by editing back), or acknowledges it with a reason, because trusts sometimes depart from
 * guidance knowingly. Both name the finding by its key, and both are refused when the finding no
 * longer stands as it was shown.
 */
import { and, eq } from "drizzle-orm";
import type { Database } from "../../db/client";
import { findingAcknowledgements } from "../../db/schema";
import type { DecisionCode } from "../domain/codes";
import { RuleError } from "../domain/errors";
import { recordAudit, type Actor } from "./audit.server";
import { saveRow } from "./row-save.server";
import { StaleRowError } from "./scheme.server";
import { validateVersion, type CheckedFinding } from "./validation.server";

export interface FindingRef {
  trustId: string;
  versionId: string;
  key: string;
}

const GONE = "That finding no longer applies: the scheme has changed since the list was shown. The list has been brought up to date.";

async function currentFinding(db: Database, ref: FindingRef) {
  const validation = await validateVersion(db, ref.trustId, ref.versionId);
  const finding = validation.findings.find((f) => f.key === ref.key);
  if (!finding) throw new RuleError(GONE);
  return { finding, scheme: validation.scheme };
}

/**
 * Applies the finding's fix row by row, each save naming the revision the check read, so that a row
 * someone has changed since is refused rather than overwritten. Returns the finding as it was.
 */
export async function applyFindingFix(db: Database, actor: Actor, ref: FindingRef): Promise<CheckedFinding> {
  const { finding, scheme } = await currentFinding(db, ref);
  if (!finding.fix) throw new RuleError("This finding has no fix to apply: the change is the trust's own choice.");
  const byRow = new Map<string, Record<string, DecisionCode | null>>();
  for (const cell of finding.fix.cells) {
    const codes = byRow.get(cell.rowId) ?? {};
    codes[cell.columnId] = cell.code;
    byRow.set(cell.rowId, codes);
  }
  let fixed = 0;
  for (const [rowId, codes] of byRow) {
    try {
      await saveRow(db, actor, { trustId: ref.trustId, versionId: ref.versionId, rowId, codes, expectedRevision: scheme.rowRevisions[rowId] ?? 0 });
    } catch (error) {
      if (!(error instanceof StaleRowError) || fixed === 0) throw error;
      const row = scheme.rows.find((r) => r.id === rowId);
      throw new RuleError(
        `The fix was applied to ${fixed} of its ${byRow.size} rows: someone else changed ${row ? `${row.ref} ${row.title}` : "another row"} since the check, so it was left as they saved it. The list has been brought up to date.`,
      );
    }
    fixed++;
  }
  return finding;
}

/** Marks the finding as a knowing departure, with the reason, or changes the reason given. */
export async function acknowledgeFinding(db: Database, actor: Actor, ref: FindingRef & { reason: string }): Promise<void> {
  const { finding } = await currentFinding(db, ref);
  await db.transaction(async (tx) => {
    await tx
      .insert(findingAcknowledgements)
      .values({
        trustId: ref.trustId,
        versionId: ref.versionId,
        findingKey: ref.key,
        ruleId: finding.ruleId,
        reason: ref.reason,
        acknowledgedBy: actor.userId,
      })
      .onConflictDoUpdate({
        target: [findingAcknowledgements.versionId, findingAcknowledgements.findingKey],
        set: { reason: ref.reason, acknowledgedBy: actor.userId },
      });
    await recordAudit(tx, actor, {
      trustId: ref.trustId,
      action: "acknowledge",
      entity: "finding",
      versionId: ref.versionId,
      summary: `Acknowledged ${finding.ruleId}: ${finding.message}`,
      before: finding.acknowledged,
      after: { key: ref.key, reason: ref.reason },
    });
  });
}

/** Withdraws an acknowledgement: the finding counts again. */
export async function withdrawAcknowledgement(db: Database, actor: Actor, ref: FindingRef): Promise<void> {
  await db.transaction(async (tx) => {
    const removed = await tx
      .delete(findingAcknowledgements)
      .where(
        and(
          eq(findingAcknowledgements.trustId, ref.trustId),
          eq(findingAcknowledgements.versionId, ref.versionId),
          eq(findingAcknowledgements.findingKey, ref.key),
        ),
      )
      .returning({ ruleId: findingAcknowledgements.ruleId, reason: findingAcknowledgements.reason });
    const [was] = removed;
    if (!was) throw new RuleError("That finding is not acknowledged (someone may have withdrawn it already).");
    await recordAudit(tx, actor, {
      trustId: ref.trustId,
      action: "withdraw",
      entity: "finding",
      versionId: ref.versionId,
      summary: `Withdrew the acknowledgement of ${was.ruleId}`,
      before: { key: ref.key, reason: was.reason },
    });
  });
}
