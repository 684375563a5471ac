/**
 * The matrix table written as one HTML string. A national trust's matrix has over 2,000 cells, and
 * building them as text costs a fraction of rendering them as components; the editor then changes
 * the few cells that change in place. Every text is escaped here.
 */
import { centralisationIndex } from "~/domain/centralisation";
import type { DecisionCode } from "~/domain/codes";
import type { MatrixRowView, MatrixView } from "~/domain/matrix-view";
import { BODY_KIND_LABELS } from "~/domain/structure";
import type { CellSource } from "~/domain/variants";
import { cellOrigin, layersOf, originWords } from "./matrix-layers";

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ESCAPES[ch]!);
}

/** The class of a cell: `c`, its code (`cD`… `cN` for —), `x` where nothing may be set. */
export function cellClass(code: DecisionCode | null, closed: boolean): string {
  return `c${code ? ` c${code === "—" ? "N" : code}` : ""}${closed ? " x" : ""}`;
}

/** The class marking a cell that differs from the base scheme: `vt` from the tier's variant, `vs` the school's own. */
export function originClass(source: CellSource | null): string {
  return source === "tier" ? " vt" : source === "school" ? " vs" : "";
}

/** The class of a cell of a statutory-locked row while a tier or school is shown: it never varies (EA-14). */
export const LOCKED_CLASS = " l";

export function indexText(view: Pick<MatrixView, "columns">, codes: (DecisionCode | null)[]): string {
  const index = centralisationIndex(view.columns.map((c, i) => ({ kind: c.kind, code: codes[i] ?? null })));
  return index === null ? "–" : String(index);
}

function rowHtml(view: MatrixView, row: MatrixRowView, index: number, editUrl: string | null): string {
  let html = `<tr id="row-${row.id}" data-index="${index}"><th scope="row" class="matrix__row-head"><b>${escapeHtml(row.ref)}</b> ${escapeHtml(row.title)}`;
  if (row.statutoryRule) html += `<small> ${escapeHtml(row.statutoryRule)}</small>`;
  if (row.locked) html += '<small class="matrix__locked"> Locked: the same for every tier and school (EA-14)</small>';
  // A statutory-locked row has nothing to edit in a tier's or school's scheme.
  if (editUrl && !row.locked) html += ` <a href="${escapeHtml(editUrl)}" class="matrix__edit">Edit<span class="visually-hidden"> row ${escapeHtml(row.ref)}</span></a>`;
  html += "</th>";
  const layers = view.scope && row.base ? layersOf(row) : null;
  for (let col = 0; col < view.columns.length; col++) {
    const closed = row.excluded.includes(col);
    const code = closed ? null : (row.codes[col] ?? null);
    const focusable = index === 0 && col === 0 ? ' tabindex="0"' : "";
    const origin = layers && !closed ? cellOrigin(layers, col) : null;
    const words = origin?.source ? `<span class="visually-hidden">${escapeHtml(originWords(view.scope!, origin.source, origin.base))}</span>` : "";
    const classes = `${cellClass(code, closed)}${originClass(origin?.source ?? null)}${row.locked ? LOCKED_CLASS : ""}`;
    const attributes = `${focusable}${closed ? ' aria-disabled="true"' : ""}${row.locked ? ' aria-readonly="true"' : ""}`;
    html += `<td class="${classes}"${attributes}>${closed ? "—" : (code ?? "")}${words}</td>`;
  }
  return `${html}<td class="matrix__index">${row.centralisation === null ? "–" : row.centralisation}</td></tr>`;
}

/** The table's heading row and one body per area; each row links to its form at rowEditBase/ROW-ID, followed by `rowEditQuery` ("?tier=T4"). */
export function matrixTableHtml(view: MatrixView, rowEditBase: string | null, rowEditQuery = ""): string {
  let html = '<thead><tr><th scope="col" class="matrix__corner">Responsibility</th>';
  for (const c of view.columns) {
    const title = escapeHtml(`${c.name} (${BODY_KIND_LABELS[c.kind]})`);
    html += `<th scope="col" class="matrix__head matrix__head--${c.kind}" title="${title}">${escapeHtml(c.shortName ?? c.name)}`;
    if (c.mode === "advisory") html += '<span class="matrix__advisory">advisory</span>';
    html += "</th>";
  }
  html += '<th scope="col" class="matrix__index-head" title="Centralisation index: 0 devolved to schools, 10 retained by the trust">Index</th></tr></thead>';
  let index = 0;
  for (const group of view.groups) {
    html += `<tbody><tr class="matrix__group"><th scope="rowgroup" colspan="${view.columns.length + 2}">${
      group.area === 0 ? "Unclassified" : `${group.area}. ${escapeHtml(group.name)}`
    }</th></tr>`;
    for (const row of group.rows) html += rowHtml(view, row, index++, rowEditBase ? `${rowEditBase}/${row.id}${rowEditQuery}` : null);
    html += "</tbody>";
  }
  return html;
}
