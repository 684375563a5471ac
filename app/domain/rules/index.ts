/** Every check of a scheme, and running them. */
import { codeLookup } from "../scheme";
import { breakPointRules } from "./break-points";
import { coherenceRules } from "./coherence";
import { earnedAutonomyRules } from "./earned-autonomy";
import { statutoryRules } from "./statutory";
import { structureRules } from "./structure";
import { SEVERITIES, type Finding, type FindingCell, type Rule, type RuleContext } from "./types";

export const RULES: readonly Rule[] = [...structureRules, ...statutoryRules, ...coherenceRules, ...breakPointRules, ...earnedAutonomyRules];

const cellId = (cell: FindingCell) => `${cell.rowId}:${cell.columnId}:${cell.schoolId ?? ""}`;

/**
 * A code the row's constraints forbid (SOD-04) on a statutory row is also what the statutory rule
 * reports, with the regulation's own words: the trust is told once, by the statutory finding.
 */
function withoutRepeats(findings: Finding[]): Finding[] {
  const statutory = new Set(findings.filter((f) => f.family === "statutory").flatMap((f) => f.cells.map(cellId)));
  return findings.filter((f) => f.ruleId !== "SOD-04" || !f.cells.every((cell) => statutory.has(cellId(cell))));
}

/** All findings of a scheme, errors first, then by rule id. */
export function validateScheme(context: RuleContext, rules: readonly Rule[] = RULES): Finding[] {
  const looked = { ...context, codes: codeLookup(context.scheme.cells) };
  return withoutRepeats(rules.flatMap((rule) => rule.check(looked))).sort(
    (a, b) => SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) || a.ruleId.localeCompare(b.ruleId, "en", { numeric: true }),
  );
}
