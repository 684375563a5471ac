/**
 * A school's decided tier: the tier of its latest recorded decision in effect. Nothing else moves a
 * school between tiers, however its records read (EA-10); the recommendation only proposes.
 */
import { BODY_KIND_LABELS } from "./structure";
import type { TierDecision } from "./autonomy-context";
import { longDate } from "./dates";
import { TIER_DECIDERS } from "./tier-decision";

type Dated = Pick<TierDecision, "effectiveFrom" | "decidedOn">;

/** Whether `a` took over from `b`: it took effect later, or on the same day and was decided later. */
function supersedes(a: Dated, b: Dated): boolean {
  return a.effectiveFrom > b.effectiveFrom || (a.effectiveFrom === b.effectiveFrom && a.decidedOn > b.decidedOn);
}

/** The decision in effect on `today`: the latest to have taken effect. A decision taking effect later is not yet the school's tier. */
export function currentDecision<T extends Dated>(decisions: readonly T[], today: string): T | null {
  let current: T | null = null;
  for (const decision of decisions) {
    if (decision.effectiveFrom > today) continue;
    if (current === null || supersedes(decision, current)) current = decision;
  }
  return current;
}

/** The decision that `decision` took over from, if any. */
export function previousDecision<T extends Dated>(decisions: readonly T[], decision: T): T | null {
  let previous: T | null = null;
  for (const other of decisions) {
    if (other === decision || !supersedes(decision, other)) continue;
    if (previous === null || supersedes(other, previous)) previous = other;
  }
  return previous;
}

/** What a recorded decision lacks (EA-10), as clauses of a sentence; empty when it is complete. */
export function decisionGaps(decision: TierDecision, today: string): string[] {
  const gaps: string[] = [];
  if (decision.evidence.trim().length === 0) gaps.push("it records no evidence");
  if (decision.decidedBy === null) gaps.push("it names no body that decided");
  else if (!TIER_DECIDERS.includes(decision.decidedBy.kind)) {
    gaps.push(`it was decided by ${decision.decidedBy.name} (${BODY_KIND_LABELS[decision.decidedBy.kind].toLowerCase()}), not the board or one of its committees`);
  }
  if (decision.decidedOn > today) gaps.push(`its decision date, ${longDate(decision.decidedOn)}, is in the future`);
  if (decision.effectiveFrom < decision.decidedOn) gaps.push(`it applies from ${longDate(decision.effectiveFrom)}, before it was decided`);
  if (decision.nextReviewOn === null) gaps.push("it sets no next review date");
  else if (decision.nextReviewOn < decision.decidedOn) gaps.push(`its next review date, ${longDate(decision.nextReviewOn)}, is before the decision`);
  return gaps;
}
