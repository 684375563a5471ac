/**
 * The checks of a scheme (design.md, "Finding"): each rule is a small pure function over one
 * version of the scheme, its structure and schools, the trust's strategy and its settings, and
 * returns findings that say what is wrong, why (with the source), and, where it can, the fix.
 */
import type { AutonomyContext } from "../autonomy-context";
import type { DecisionCode } from "../codes";
import { codeLookup, type CodeLookup, type Scheme } from "../scheme";
import type { StrategyProfile } from "../strategy";
import type { RuleSettings } from "./settings";

export const SEVERITIES = ["error", "warning", "info"] as const;
export type Severity = (typeof SEVERITIES)[number];

export const SEVERITY_LABELS: Record<Severity, string> = { error: "Error", warning: "Warning", info: "For information" };

export const RULE_FAMILIES = ["structure", "statutory", "coherence", "break-point", "earned-autonomy"] as const;
export type RuleFamily = (typeof RULE_FAMILIES)[number];

export const RULE_FAMILY_LABELS: Record<RuleFamily, string> = {
  structure: "Structure",
  statutory: "Statutory",
  coherence: "Coherence with strategy",
  "break-point": "Break points",
  "earned-autonomy": "Earned autonomy",
};

/** The research's strategy clusters (Building Trusts, Appendix). */
export type StrategyCluster = 1 | 2 | 3;

/** A cell a finding concerns; `schoolId` is set when it is about one school's own scheme. */
export interface FindingCell {
  rowId: string;
  columnId: string;
  schoolId: string | null;
}

/** A fix applied as an ordinary edit of the base matrix: each cell set to a code, or cleared (null). */
export interface FindingFix {
  /** What the button says, e.g. "Give D to the trust board". */
  label: string;
  cells: { rowId: string; columnId: string; code: DecisionCode | null }[];
}

export interface Finding {
  ruleId: string;
  family: RuleFamily;
  severity: Severity;
  /** Plain English, naming the responsibility (by ref and title), the bodies and the schools. */
  message: string;
  /** Why it matters, in a sentence or two. */
  rationale: string;
  /** Where that comes from: domain.md's source tags and sections, e.g. "Building Trusts [SEED-F] §1.2.1". */
  source: string;
  cells: FindingCell[];
  rowIds: string[];
  schoolIds: string[];
  fix: FindingFix | null;
}

export interface RuleContext {
  scheme: Scheme;
  strategy: StrategyProfile;
  /** The strategy cluster derived from the ratings, or null when there is none (unrated, or between clusters). */
  cluster: StrategyCluster | null;
  settings: RuleSettings;
  /** Today, as an ISO date (YYYY-MM-DD): passed in so that the rules stay pure. */
  today: string;
  /**
   * The tier policy and each school's tier decisions, performance records and reviews. Without it
   * the earned-autonomy checks stay silent: the scheme alone cannot say which tier a school is in.
   */
  autonomy?: AutonomyContext;
  /** The base matrix's codes: validateScheme looks them up once for all the rules (baseCodes). */
  codes?: CodeLookup;
}

/** The base matrix's codes, from validateScheme or, for a rule run on its own, looked up now. */
export function baseCodes(context: RuleContext): CodeLookup {
  return context.codes ?? codeLookup(context.scheme.cells);
}

export interface Rule {
  /** domain.md's id (ST-12, CO-05), or SOD-… for a check of this product's own. */
  id: string;
  family: RuleFamily;
  /** One line naming what the rule checks, for lists and the documentation. */
  title: string;
  check(context: RuleContext): Finding[];
}
