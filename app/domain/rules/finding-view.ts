/**
 * Findings as the screens show them: what each concerns in the matrix's terms (its rows' areas, the
 * base cells to mark), and the counts by severity and family that head a report.
 */
import type { Scheme } from "../scheme";
import { RULE_FAMILIES, type Finding, type FindingFix, type RuleFamily, type Severity } from "./types";

export interface FindingView {
  key: string;
  ruleId: string;
  family: RuleFamily;
  severity: Severity;
  message: string;
  rationale: string;
  source: string;
  /** The research areas of the rows it concerns, for filtering. */
  areas: number[];
  /** Cells of the base matrix it concerns; a school's own cells are shown on the school's scheme. */
  cells: { rowId: string; columnId: string }[];
  rowIds: string[];
  fix: Pick<FindingFix, "label"> | null;
  acknowledged: { reason: string } | null;
}

export function findingView(finding: Finding & { key: string; acknowledged: { reason: string } | null }, scheme: Pick<Scheme, "rows">): FindingView {
  const rowIds = [...new Set([...finding.rowIds, ...finding.cells.map((c) => c.rowId)])];
  const areas = [...new Set(rowIds.map((id) => scheme.rows.find((r) => r.id === id)?.area).filter((a): a is number => a !== undefined))];
  return {
    key: finding.key,
    ruleId: finding.ruleId,
    family: finding.family,
    severity: finding.severity,
    message: finding.message,
    rationale: finding.rationale,
    source: finding.source,
    areas: areas.sort((a, b) => a - b),
    cells: finding.cells.filter((c) => c.schoolId === null).map(({ rowId, columnId }) => ({ rowId, columnId })),
    rowIds,
    fix: finding.fix ? { label: finding.fix.label } : null,
    acknowledged: finding.acknowledged,
  };
}

export type FindingCounts = Record<Severity, Record<RuleFamily, number>> & { acknowledged: number };

/** How many findings of each severity and family; acknowledged ones are counted too, and apart. */
export function findingCounts(findings: Pick<FindingView, "severity" | "family" | "acknowledged">[]): FindingCounts {
  const none = () => Object.fromEntries(RULE_FAMILIES.map((f) => [f, 0])) as Record<RuleFamily, number>;
  const counts: FindingCounts = { error: none(), warning: none(), info: none(), acknowledged: 0 };
  for (const f of findings) {
    counts[f.severity][f.family]++;
    if (f.acknowledged) counts.acknowledged++;
  }
  return counts;
}
