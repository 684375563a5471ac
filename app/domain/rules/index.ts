/** Every check of a scheme, and running them. */
import { breakPointRules } from "./break-points";
import { coherenceRules } from "./coherence";
import { statutoryRules } from "./statutory";
import { structureRules } from "./structure";
import { SEVERITIES, type Finding, type Rule, type RuleContext } from "./types";

export const RULES: readonly Rule[] = [...structureRules, ...statutoryRules, ...coherenceRules, ...breakPointRules];

/** All findings of a scheme, errors first, then by rule id. */
export function validateScheme(context: RuleContext, rules: readonly Rule[] = RULES): Finding[] {
  return rules
    .flatMap((rule) => rule.check(context))
    .sort((a, b) => SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) || a.ruleId.localeCompare(b.ruleId, "en", { numeric: true }));
}
