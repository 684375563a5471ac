/**
 * A matrix row as layers, column by column: the base codes, and (with a tier or school chosen) the
 * tier's variants and the school's own variations. The table is written from them and the editor
 * changes them, so both show a cell, and where it comes from, the way the server stores it.
 */
import type { DecisionCode } from "~/domain/codes";
import type { MatrixRowView, MatrixScopeView, MatrixView } from "~/domain/matrix-view";
import { beneath, layeredCell, variantFor, type CellLayers, type CellSource, type VariantLayer } from "~/domain/variants";

export interface RowLayers {
  base: (DecisionCode | null)[];
  /** Column index → the variant's code (null clears the cell). */
  tier: Record<number, DecisionCode | null>;
  school: Record<number, DecisionCode | null>;
}

/** The layer the editor changes: the base, or the tier's or school's variants. */
export type EditedLayer = "base" | VariantLayer;

export function layersOf(row: MatrixRowView): RowLayers {
  return { base: [...(row.base ?? row.codes)], tier: { ...row.tierVariants }, school: { ...row.schoolVariants } };
}

export function cellLayers(layers: RowLayers, col: number): CellLayers {
  return {
    base: layers.base[col] ?? null,
    ...(col in layers.tier ? { tier: layers.tier[col]! } : {}),
    ...(col in layers.school ? { school: layers.school[col]! } : {}),
  };
}

/** Whether two cells' layers are the same: a change that leaves them so saves nothing. */
export function sameLayers(a: CellLayers, b: CellLayers): boolean {
  return a.base === b.base && a.tier === b.tier && a.school === b.school;
}

/** What each column shows with the layers applied. */
export function shownCodes(layers: RowLayers): (DecisionCode | null)[] {
  return layers.base.map((_, col) => layeredCell(cellLayers(layers, col)).code);
}

/** Where a cell comes from (null: the base), and what the base scheme has there. */
export function cellOrigin(layers: RowLayers, col: number): { source: CellSource | null; base: DecisionCode | null } {
  return { source: layeredCell(cellLayers(layers, col)).source, base: layers.base[col] ?? null };
}

/** The layers once a cell is set to show `code`: a variant only where it differs from the layers beneath, as the server stores it. */
export function withCode(layers: RowLayers, col: number, code: DecisionCode | null, edited: EditedLayer): RowLayers {
  const next: RowLayers = { base: [...layers.base], tier: { ...layers.tier }, school: { ...layers.school } };
  if (edited === "base") {
    next.base[col] = code;
    return next;
  }
  const stored = variantFor(code, beneath(cellLayers(layers, col), edited));
  if (stored === null) delete next[edited][col];
  else next[edited][col] = stored.code;
  return next;
}

/** `layers` with one cell's layers taken from `from`: a refused change puts back the cell as saved. */
export function withCellFrom(layers: RowLayers, from: RowLayers, col: number): RowLayers {
  const next: RowLayers = { base: [...layers.base], tier: { ...layers.tier }, school: { ...layers.school } };
  next.base[col] = from.base[col] ?? null;
  for (const layer of ["tier", "school"] as const) {
    if (col in from[layer]) next[layer][col] = from[layer][col]!;
    else delete next[layer][col];
  }
  return next;
}

/** A row's layers from the server's answer to a refused save: codes and variants by column id. */
export function layersFromAnswer(
  columnIds: string[],
  codes: Record<string, string> | undefined,
  variants: { tier: Record<string, string | null>; school: Record<string, string | null> } | undefined,
): RowLayers {
  const byIndex = (found: Record<string, string | null> | undefined) => {
    const result: Record<number, DecisionCode | null> = {};
    columnIds.forEach((id, col) => {
      if (found && id in found) result[col] = (found[id] as DecisionCode | null) ?? null;
    });
    return result;
  };
  return { base: columnIds.map((id) => (codes?.[id] as DecisionCode | undefined) ?? null), tier: byIndex(variants?.tier), school: byIndex(variants?.school) };
}

/** The words a screen reader hears after a varied cell's code, saying where it comes from and what the base has. */
export function originWords(scope: MatrixScopeView, source: CellSource, base: DecisionCode | null): string {
  const from = source === "school" ? "this school's own variation" : `from the ${scope.tierLabel ?? "tier"} variant`;
  return `, ${from}; the base scheme has ${base ?? "nothing"} here`;
}

/** A cell of a tier's or school's scheme that differs from the base scheme, and why. */
export interface VariedCell {
  rowId: string;
  ref: string;
  title: string;
  column: string;
  base: DecisionCode | null;
  code: DecisionCode | null;
  source: CellSource;
  /** Where the school's own variation replaces its tier's variant: the tier's code. */
  tierCode?: DecisionCode | null;
}

/** Every cell the view's tier or school varies, row by row in the matrix's order. */
export function variedCells(view: MatrixView): VariedCell[] {
  const found: VariedCell[] = [];
  for (const row of view.groups.flatMap((g) => g.rows)) {
    if (!row.base) continue;
    const layers = layersOf(row);
    view.columns.forEach((column, col) => {
      const { source, base } = cellOrigin(layers, col);
      if (!source || row.excluded.includes(col)) return;
      const tierCode = source === "school" && col in layers.tier ? { tierCode: layers.tier[col]! } : {};
      found.push({ rowId: row.id, ref: row.ref, title: row.title, column: column.name, base, code: row.codes[col] ?? null, source, ...tierCode });
    });
  }
  return found;
}
