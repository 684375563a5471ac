/**
 * The page geometry of the Word scheme of delegation: A4 pages, their margins, and how the matrix's
 * columns share a page's width. Lengths are in twentieths of a point (DXA), as Word measures them:
 * 1440 to the inch, about 567 to the centimetre.
 *
 * The matrix goes on a portrait page when its columns fit there and on a landscape page when they do
 * not (ADR 013): each decision-code column needs room for the longest word of its heading, so that no
 * heading is broken inside a word, and the responsibility's title keeps a readable width.
 */

export type Orientation = "portrait" | "landscape";

export interface PageGeometry {
  orientation: Orientation;
  /** The sheet as it is printed: for landscape, the long side across. */
  width: number;
  height: number;
  margin: { top: number; right: number; bottom: number; left: number; header: number; footer: number };
}

/** A4: 210 × 297 mm. */
const A4_SHORT = 11906;
const A4_LONG = 16838;

/** 2 cm all round on portrait pages; 1.5 cm at the sides of landscape ones, where the matrix needs the width. */
export const PORTRAIT: PageGeometry = {
  orientation: "portrait",
  width: A4_SHORT,
  height: A4_LONG,
  margin: { top: 1134, right: 1134, bottom: 1134, left: 1134, header: 567, footer: 567 },
};

export const LANDSCAPE: PageGeometry = {
  orientation: "landscape",
  width: A4_LONG,
  height: A4_SHORT,
  margin: { top: 1134, right: 850, bottom: 1020, left: 850, header: 567, footer: 567 },
};

export function pageFor(orientation: Orientation): PageGeometry {
  return orientation === "portrait" ? PORTRAIT : LANDSCAPE;
}

/** The width the text may take between the margins. */
export function textWidth(page: PageGeometry): number {
  return page.width - page.margin.left - page.margin.right;
}

export function textHeight(page: PageGeometry): number {
  return page.height - page.margin.top - page.margin.bottom;
}

// ---------------------------------------------------------------- the matrix's columns

/** About how wide a character of a bold 8-point Calibri heading is, generously (capitals and "&" are wider than most). */
const HEADING_CHARACTER = 100;
/** About how wide a character of a 8.5-point reference is. */
const REFERENCE_CHARACTER = 95;
/** A cell's inner margins, left and right together. */
const CELL_PADDING = 2 * 80;

/** A code column is never narrower than this (1 cm) while the page has room; a single code fits in 0.7 cm. */
const CODE_COLUMN_MIN = 567;
const CODE_COLUMN_SQUEEZED = 397;
/** Wider headings wrap at their spaces rather than widen a code column past 2.2 cm. */
const CODE_COLUMN_MAX = 1247;
const REFERENCE_MIN = 567;
const REFERENCE_MAX = 1134;
/** The responsibility's title: at least 6 cm where the columns leave room, 4 cm when they are many; at most 12 cm. */
const TITLE_MIN = 3402;
const TITLE_SQUEEZED = 2268;
const TITLE_MAX = 6804;

export interface MatrixLayout {
  page: PageGeometry;
  /** The reference column, the title column, then one width per decision-code column; they add up to the text width. */
  reference: number;
  title: number;
  codes: number[];
}

function longestWord(text: string): number {
  return Math.max(0, ...text.split(/\s+/).map((word) => [...word].length));
}

/** The width a code column needs so that its heading breaks only between words. */
export function codeColumnNeed(heading: string): number {
  const need = longestWord(heading) * HEADING_CHARACTER + CELL_PADDING;
  return Math.min(CODE_COLUMN_MAX, Math.max(CODE_COLUMN_MIN, need));
}

function referenceWidth(refs: readonly string[]): number {
  const need = Math.max(0, ...refs.map((ref) => [...ref].length)) * REFERENCE_CHARACTER + CELL_PADDING;
  return Math.min(REFERENCE_MAX, Math.max(REFERENCE_MIN, need));
}

/** Whether a matrix with these column headings fits a portrait page with its title column at a readable width. */
export function matrixOrientation(headings: readonly string[], refs: readonly string[] = []): Orientation {
  const needed = referenceWidth(refs) + TITLE_MIN + headings.reduce((sum, h) => sum + codeColumnNeed(h), 0);
  return needed <= textWidth(PORTRAIT) ? "portrait" : "landscape";
}

/** Shares `total` out in proportion to `weights`, in whole numbers that add up to `total` exactly. */
function share(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((s, w) => s + w, 0);
  if (sum === 0) return weights.map(() => 0);
  const exact = weights.map((w) => (total * w) / sum);
  const whole = exact.map(Math.floor);
  let left = total - whole.reduce((s, w) => s + w, 0);
  // The largest remainders take the odd units, so the shares stay as even as the weights.
  const order = exact.map((x, i) => ({ i, rest: x - Math.floor(x) })).sort((a, b) => b.rest - a.rest || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) break;
    whole[i]!++;
    left--;
  }
  return whole;
}

/**
 * The page and column widths of a matrix with these code-column headings and row references. Portrait
 * when it fits (matrixOrientation); the title column takes what the code columns leave, up to 12 cm, and
 * any width beyond that widens the code columns. On a landscape page too narrow for every heading, the
 * code columns shrink in proportion, to 0.7 cm at the least, before the title goes below 4 cm.
 */
export function matrixLayout(headings: readonly string[], refs: readonly string[] = []): MatrixLayout {
  const page = pageFor(matrixOrientation(headings, refs));
  const width = textWidth(page);
  const reference = referenceWidth(refs);
  const needs = headings.map(codeColumnNeed);
  const needed = needs.reduce((s, w) => s + w, 0);
  let codes: number[];
  if (reference + TITLE_MIN + needed <= width) {
    const title = Math.min(TITLE_MAX, width - reference - needed);
    const extra = share(width - reference - title - needed, needs.map(() => 1));
    codes = needs.map((need, i) => need + extra[i]!);
  } else {
    const room = Math.max(width - reference - TITLE_SQUEEZED, needs.length * CODE_COLUMN_SQUEEZED);
    codes = needed <= room ? needs : squeeze(needs, room);
  }
  const title = width - reference - codes.reduce((s, w) => s + w, 0);
  return { page, reference, title, codes };
}

/** Narrows the columns in proportion to what they need, none below CODE_COLUMN_SQUEEZED, to add up to `room`. */
function squeeze(needs: readonly number[], room: number): number[] {
  const floor = needs.length * CODE_COLUMN_SQUEEZED;
  const above = share(room - floor, needs.map((n) => n - CODE_COLUMN_SQUEEZED));
  return needs.map((_, i) => CODE_COLUMN_SQUEEZED + above[i]!);
}

/** Any table's columns in proportion to `weights`, across the text width of `page`. */
export function tableColumns(page: PageGeometry, weights: readonly number[]): number[] {
  return share(textWidth(page), weights);
}

// ---------------------------------------------------------------- the structure chart as a picture

/** A picture's size on the page in pixels (96 to the inch, as Word sizes pictures). */
export interface PictureSize {
  width: number;
  height: number;
}

const DXA_PER_PIXEL = 1440 / 96;

/** Scales a picture of this shape to fill the text width of `page` and at most `heightShare` of its text height, keeping its proportions. */
export function fitPicture(natural: PictureSize, page: PageGeometry, heightShare = 1): PictureSize {
  const maxWidth = textWidth(page) / DXA_PER_PIXEL;
  const maxHeight = (textHeight(page) * heightShare) / DXA_PER_PIXEL;
  const scale = Math.min(maxWidth / natural.width, maxHeight / natural.height);
  return { width: Math.round(natural.width * scale), height: Math.round(natural.height * scale) };
}

/** How much to enlarge a drawing when it is turned into pixels so that it prints at `dpi` at its size on the page. */
export function rasterZoom(natural: PictureSize, onPage: PictureSize, dpi = 200): number {
  return (onPage.width / natural.width) * (dpi / 96);
}
