/**
 * A trust's thresholds for the checks, kept in trusts.settings.rules beside any other settings.
 * Saving names the trust's row version it read, so two people changing settings at once cannot
 * overwrite each other; the change and its audit entry land together or not at all.
 */
import { eq } from "drizzle-orm";
import type { Database } from "../../db/client";
import { trusts } from "../../db/schema";
import { NotFoundError } from "../domain/errors";
import { DEFAULT_RULE_SETTINGS, RULE_SETTING_DESCRIPTIONS, RuleSettingsSchema, type RuleSettingKey, type RuleSettings } from "../domain/rules/settings";
import { recordAudit, type Actor } from "./audit.server";
import { updateIfUnchanged } from "./concurrency.server";
import { ruleSettingsOf } from "./validation.server";

export interface StoredRuleSettings {
  /** What the checks use: the trust's own values, or the defaults. */
  values: RuleSettings;
  /** The trust's row version, to send back when saving. */
  version: number;
  /** Whether the trust has its own values (false: the defaults apply). */
  stored: boolean;
}

function settingsObject(settings: unknown): Record<string, unknown> {
  return settings && typeof settings === "object" && !Array.isArray(settings) ? (settings as Record<string, unknown>) : {};
}

async function readTrust(db: Database, trustId: string) {
  const [row] = await db.select({ settings: trusts.settings, version: trusts.version }).from(trusts).where(eq(trusts.id, trustId));
  if (!row) throw new NotFoundError("That trust");
  return row;
}

function storedOf(settings: unknown): boolean {
  const rules = settingsObject(settings).rules;
  // Stored values the checks cannot read are ignored by them (ruleSettingsOf), so they do not count.
  return rules !== undefined && rules !== null && RuleSettingsSchema.safeParse(rules).success;
}

export async function loadRuleSettings(db: Database, trustId: string): Promise<StoredRuleSettings> {
  const row = await readTrust(db, trustId);
  return { values: ruleSettingsOf(row.settings), version: row.version, stored: storedOf(row.settings) };
}

/** "Rating that counts as “like us” 7 → 8; Distance that separates hubs 40 → 25 km". */
function changesInWords(before: RuleSettings, after: RuleSettings): string {
  const changed = (Object.keys(RULE_SETTING_DESCRIPTIONS) as RuleSettingKey[]).filter((key) => before[key] !== after[key]);
  return changed
    .map((key) => {
      const { label, unit } = RULE_SETTING_DESCRIPTIONS[key];
      return `${label} ${before[key]} → ${after[key]}${unit ? ` ${unit}` : ""}`;
    })
    .join("; ");
}

/**
 * Saves the trust's thresholds (values already checked by RuleSettingsInputSchema), or with
 * values null removes them so that the defaults apply. Other keys of trusts.settings are kept.
 * Throws StaleWriteError, changing nothing, when the trust's row has moved on from `version`.
 * Returns the new version.
 */
export async function saveRuleSettings(
  db: Database,
  actor: Actor,
  input: { trustId: string; version: number; values: RuleSettings | null },
): Promise<number> {
  return db.transaction(async (tx) => {
    const row = await readTrust(tx, input.trustId);
    const { rules: previous, ...others } = settingsObject(row.settings);
    const before = ruleSettingsOf(row.settings);
    const settings = input.values === null ? others : { ...others, rules: input.values };
    // The version guard also covers the other keys read above: had they changed, the save is refused.
    const version = await updateIfUnchanged(tx, trusts, { id: input.trustId, version: input.version }, { settings }, "the checks’ thresholds");
    const after = input.values ?? DEFAULT_RULE_SETTINGS;
    const changes = changesInWords(before, after);
    await recordAudit(tx, actor, {
      trustId: input.trustId,
      action: "update",
      entity: "trust",
      entityId: input.trustId,
      summary:
        input.values === null
          ? `Restored the default thresholds of the checks${changes ? `: ${changes}` : ""}`
          : `Changed the thresholds of the checks${changes ? `: ${changes}` : " (no value changed)"}`,
      before: { rules: previous ?? null },
      after: { rules: input.values },
    });
    return version;
  });
}

/** Removes the trust's own thresholds, so that the defaults of domain.md §5(c) apply again. */
export function restoreDefaultRuleSettings(db: Database, actor: Actor, input: { trustId: string; version: number }): Promise<number> {
  return saveRuleSettings(db, actor, { ...input, values: null });
}
