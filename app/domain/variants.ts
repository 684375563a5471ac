/**
 * Tier variants and a school's own variations, cell by cell: what a tier's or a school's scheme shows
 * in a cell, where that comes from, and what a change to it stores. A school's scheme is the base,
 * then its decided tier's variants, then its own variations; statutory-locked rows never vary (EA-14),
 * as in `effectiveCells`.
 */
import { DEFAULT_TIER_NAMES, TIERS, type Tier } from "./autonomy";
import type { DecisionCode } from "./codes";

/** What the matrix shows: the base scheme, one tier's scheme, or one school's. */
export type SchemeScope =
  | { kind: "base" }
  | { kind: "tier"; tier: Tier }
  /** A school takes the variants of its decided tier (none when no tier has been decided). */
  | { kind: "school"; schoolId: string; tier: Tier | null };

/** The layer a cell of a tier's or school's scheme comes from, when it is not the base. */
export type CellSource = "tier" | "school";

/** The layer a change is stored in. */
export type VariantLayer = "tier" | "school";

/**
 * One cell's layers: the base code, and the tier's and school's variants where they vary it
 * (undefined: not varied; null: the variant clears the cell).
 */
export interface CellLayers {
  base: DecisionCode | null;
  tier?: DecisionCode | null;
  school?: DecisionCode | null;
}

/** The code a cell shows with its layers applied, and the layer it comes from (null: the base). */
export function layeredCell(layers: CellLayers): { code: DecisionCode | null; source: CellSource | null } {
  if (layers.school !== undefined) return { code: layers.school, source: "school" };
  if (layers.tier !== undefined) return { code: layers.tier, source: "tier" };
  return { code: layers.base, source: null };
}

/** What the cell would show without the layer being edited: the base for a tier; the base with the tier's variant for a school. */
export function beneath(layers: CellLayers, layer: VariantLayer): DecisionCode | null {
  return layer === "school" && layers.tier !== undefined ? layers.tier : layers.base;
}

/**
 * What a change of a cell to `wanted` stores in the layer being edited: nothing when the layers
 * beneath already give that code (a variant only ever records a difference, so a tier follows later
 * changes to the base wherever it does not differ), otherwise a variant with that code (null clears
 * the cell for the tier or school).
 */
export function variantFor(wanted: DecisionCode | null, below: DecisionCode | null): { code: DecisionCode | null } | null {
  return wanted === below ? null : { code: wanted };
}

/** The trust's names of its tiers, where it has renamed them, over the defaults. */
export function tierNames(stored: Partial<Record<Tier, string>> | null | undefined): Record<Tier, string> {
  const names = { ...DEFAULT_TIER_NAMES };
  for (const tier of TIERS) {
    const name = stored?.[tier]?.trim();
    if (name) names[tier] = name;
  }
  return names;
}

/** "Intervention (T4)": a tier as people name it, the way every page writes it (tierLabel). */
export function namedTier(tier: Tier, names: Record<Tier, string>): string {
  return `${names[tier]} (${tier})`;
}

/** Why a statutory-locked row cannot vary: the message every refusal and read-only cell gives. */
export function lockedRowReason(row: { ref: string; title: string }): string {
  return `${row.ref} "${row.title}" is a statutory-locked row: it is the same for every tier and every school (EA-14). Change it in the base scheme.`;
}
