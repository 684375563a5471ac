import type { DecisionCode } from "./codes";
import type { BodyKind } from "./structure";

/**
 * The research's 0–10 scale: 0 "entirely devolved to school level", 10 "entirely retained at MAT
 * level" (Building Trusts, 2018). A row's index is the level of the body holding its D
 * (domain.md §5(c): headteacher 0, local board 2, cluster 5, central executive 8, committee or board 10).
 * Outside parties (a diocese) are not on the scale.
 */
export const CENTRALISATION_BY_KIND: Record<BodyKind, number | null> = {
  school: 0,
  local: 2,
  cluster: 5,
  executive: 8,
  committee: 10,
  board: 10,
  members: 10,
  external: null,
};

/** The index of one row, from the kinds of the columns holding D; null when nobody (or only an outside party) decides. */
export function centralisationIndex(cells: { kind: BodyKind; code: DecisionCode | null }[]): number | null {
  const levels = cells
    .filter((c) => c.code === "D")
    .map((c) => CENTRALISATION_BY_KIND[c.kind])
    .filter((v): v is number => v !== null);
  if (levels.length === 0) return null;
  // Two D-holders are an error the validator reports; until fixed, the row sits between them.
  return Math.round((levels.reduce((a, b) => a + b, 0) / levels.length) * 10) / 10;
}
