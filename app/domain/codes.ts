/**
 * The canonical decision codes of a scheme of delegation (domain.md §5(b)).
 * Trusts' own keys (X, Y/A, RASCI, Determine/Recommend…) map onto these on import and export.
 */
export const DECISION_CODES = ["D", "R", "C", "A", "E", "M", "I", "—"] as const;
export type DecisionCode = (typeof DECISION_CODES)[number];

export const NOT_PERMITTED: DecisionCode = "—";

export const CODE_MEANINGS: Record<DecisionCode, { name: string; meaning: string }> = {
  D: { name: "Decides", meaning: "Decides or approves: the accountable decision. One per row for each school." },
  R: { name: "Recommends", meaning: "Recommends or proposes to the body that decides." },
  C: { name: "Consulted", meaning: "Must be consulted before the decision is taken." },
  A: { name: "Advises", meaning: "Advises or supports, as optional input." },
  E: { name: "Executes", meaning: "Executes or delivers the decision operationally." },
  M: { name: "Monitors", meaning: "Monitors, scrutinises, receives reports and holds to account." },
  I: { name: "Informed", meaning: "Is informed of the decision." },
  "—": { name: "Not permitted", meaning: "Cannot be carried out at this level." },
};

export function isDecisionCode(value: unknown): value is DecisionCode {
  return typeof value === "string" && (DECISION_CODES as readonly string[]).includes(value);
}
