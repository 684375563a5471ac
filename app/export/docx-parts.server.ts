/**
 * The building blocks of the trust's Word documents: Calibri styles, the running header and footer
 * (trust, document, version and "Page N of M"), headings that the contents page points at, the contents
 * page itself, tables with explicit widths and repeated heading rows, and the matrix table. The scheme
 * of delegation and a school's pack are both made from these, so that they look like one trust's papers.
 *
 * Every table has its widths on the table and on every cell, in DXA: percentages are not read the same
 * outside Word. Text is handed over as plain text; the Word writer escapes it.
 */
import {
  AlignmentType,
  Bookmark,
  BorderStyle,
  Footer,
  Header,
  HeadingLevel,
  InternalHyperlink,
  LeaderType,
  LineRuleType,
  PageNumber,
  PageOrientation,
  PageReference,
  Paragraph,
  ShadingType,
  Tab,
  Table,
  TableCell,
  TableLayoutType,
  TableRow,
  TabStopType,
  TextRun,
  VerticalAlignTable,
  WidthType,
  type ISectionPropertiesOptions,
  type IStylesOptions,
} from "docx";
import type { DecisionCode } from "../domain/codes";
import { textWidth, type MatrixLayout, type PageGeometry } from "../domain/document-layout";
import type { NarrativeBlock } from "./narrative.server";

export const FONT = "Calibri";

/** The trust's colours: a dark navy for headings, a grey for small print, a red that says "not valid". */
export const COLOURS = {
  navy: "1D3C6E",
  grey: "505A5F",
  rule: "A6B3C2",
  red: "B10E1E",
  headingFill: "1D3C6E",
  bandFill: "EEF2F7",
  decidesFill: "DCE6F2",
  variedFill: "FFF2CC",
} as const;

// ---------------------------------------------------------------- styles

/** Paragraph styles by id, for the parts below and for documents made from them. */
export const STYLE = {
  coverTrust: "CoverTrust",
  coverTitle: "CoverTitle",
  coverSubtitle: "CoverSubtitle",
  banner: "Banner",
  tableText: "TableText",
  tableHeading: "TableHeading",
  matrixText: "MatrixText",
  matrixHeading: "MatrixHeading",
  matrixCode: "MatrixCode",
  small: "SmallPrint",
  caption: "FigureCaption",
  contents1: "ContentsEntry1",
  contents2: "ContentsEntry2",
  running: "RunningText",
} as const;

const pt = (points: number) => points * 2;

/** Line spacing in 240ths of a line, said to be proportional: without the rule, LibreOffice reads it as an exact height and clips pictures and large type. */
const lineSpacing = (line: number) => ({ line, lineRule: LineRuleType.AUTO });

export function documentStyles(): IStylesOptions {
  const heading = (size: number, before: number, after: number) => ({
    run: { font: FONT, size: pt(size), bold: true, color: COLOURS.navy },
    paragraph: { spacing: { before, after }, keepNext: true, keepLines: true },
  });
  const style = (id: string, name: string, run: object, paragraph: object = {}) => ({
    id,
    name,
    basedOn: "Normal",
    next: "Normal",
    quickFormat: true,
    run: { font: FONT, ...run },
    paragraph,
  });
  return {
    default: {
      document: { run: { font: FONT, size: pt(10.5) }, paragraph: { spacing: { after: 120, ...lineSpacing(264) } } },
      heading1: heading(17, 360, 200),
      heading2: heading(13, 280, 100),
      heading3: heading(11, 200, 80),
      listParagraph: { run: { font: FONT }, paragraph: { spacing: { after: 60 } } },
    },
    paragraphStyles: [
      style(STYLE.coverTrust, "Cover: trust", { size: pt(20), color: COLOURS.navy }, { spacing: { before: 2400, after: 240 } }),
      style(STYLE.coverTitle, "Cover: title", { size: pt(36), bold: true, color: COLOURS.navy }, { spacing: { after: 120 } }),
      style(STYLE.coverSubtitle, "Cover: subtitle", { size: pt(14), color: COLOURS.grey }, { spacing: { after: 480 } }),
      style(
        STYLE.banner,
        "Banner",
        { size: pt(16), bold: true, color: "FFFFFF" },
        {
          alignment: AlignmentType.CENTER,
          spacing: { before: 120, after: 160 },
          shading: { type: ShadingType.CLEAR, color: "auto", fill: COLOURS.red },
          border: {
            top: { style: BorderStyle.SINGLE, size: 24, color: COLOURS.red, space: 6 },
            bottom: { style: BorderStyle.SINGLE, size: 24, color: COLOURS.red, space: 6 },
            left: { style: BorderStyle.SINGLE, size: 24, color: COLOURS.red, space: 6 },
            right: { style: BorderStyle.SINGLE, size: 24, color: COLOURS.red, space: 6 },
          },
        },
      ),
      style(STYLE.tableText, "Table text", { size: pt(9) }, { spacing: { after: 0, ...lineSpacing(240) } }),
      style(STYLE.tableHeading, "Table heading", { size: pt(9), bold: true, color: "FFFFFF" }, { spacing: { after: 0, ...lineSpacing(240) } }),
      style(STYLE.matrixText, "Matrix text", { size: pt(8.5) }, { spacing: { after: 0, ...lineSpacing(228) } }),
      style(STYLE.matrixHeading, "Matrix heading", { size: pt(8), bold: true, color: "FFFFFF" }, { alignment: AlignmentType.CENTER, spacing: { after: 0, ...lineSpacing(228) } }),
      style(STYLE.matrixCode, "Matrix code", { size: pt(9.5), bold: true }, { alignment: AlignmentType.CENTER, spacing: { after: 0, ...lineSpacing(240) } }),
      style(STYLE.small, "Small print", { size: pt(8), color: COLOURS.grey }, { spacing: { after: 0, ...lineSpacing(228) } }),
      style(STYLE.caption, "Figure caption", { size: pt(9), italics: true, color: COLOURS.grey }, { spacing: { before: 60, after: 240 } }),
      style(STYLE.contents1, "Contents 1", { size: pt(11), bold: true }, { spacing: { before: 120, after: 40 } }),
      style(STYLE.contents2, "Contents 2", { size: pt(10) }, { spacing: { after: 20 }, indent: { left: 360 } }),
      style(STYLE.running, "Running text", { size: pt(8.5), color: COLOURS.grey }, { spacing: { after: 0 } }),
    ],
  };
}

// ---------------------------------------------------------------- sections, header and footer

/** The page of a section: its size, orientation and margins. */
export function sectionPage(page: PageGeometry): NonNullable<ISectionPropertiesOptions["page"]> {
  return {
    // docx takes the portrait sheet and turns it for landscape.
    size: {
      width: Math.min(page.width, page.height),
      height: Math.max(page.width, page.height),
      orientation: page.orientation === "landscape" ? PageOrientation.LANDSCAPE : PageOrientation.PORTRAIT,
    },
    margin: page.margin,
  };
}

export interface RunningText {
  /** Left of the header: the trust's name. */
  trust: string;
  /** Right of the header: the document and its version, e.g. "Scheme of delegation · version 2 (approved)". */
  document: string;
  /** Left of the footer, e.g. "Prepared on 1 March 2026". */
  footnote: string;
  /** A line under the header on every page, in red, while the document is not valid. */
  warning: string | null;
}

function rightTab(page: PageGeometry) {
  return [{ type: TabStopType.RIGHT, position: textWidth(page) }];
}

export function runningHeader(text: RunningText, page: PageGeometry): Header {
  const children = [
    new Paragraph({
      style: STYLE.running,
      tabStops: rightTab(page),
      border: { bottom: { style: BorderStyle.SINGLE, size: 4, color: COLOURS.rule, space: 4 } },
      children: [new TextRun(text.trust), new TextRun({ children: [new Tab()] }), new TextRun(text.document)],
    }),
  ];
  if (text.warning) {
    children.push(
      new Paragraph({ alignment: AlignmentType.CENTER, spacing: { before: 60 }, children: [new TextRun({ text: text.warning, bold: true, color: COLOURS.red, size: pt(11) })] }),
    );
  }
  return new Header({ children });
}

export function runningFooter(text: RunningText, page: PageGeometry): Footer {
  return new Footer({
    children: [
      new Paragraph({
        style: STYLE.running,
        tabStops: rightTab(page),
        children: [new TextRun(text.footnote), new TextRun({ children: [new Tab(), "Page ", PageNumber.CURRENT, " of ", PageNumber.TOTAL_PAGES] })],
      }),
    ],
  });
}

/** A section with the running header and footer drawn for its own page width. */
export function section(page: PageGeometry, text: RunningText, children: (Paragraph | Table)[], options: { titlePage?: boolean } = {}) {
  const empty = { first: new Header({ children: [] }) };
  return {
    properties: { page: sectionPage(page), titlePage: options.titlePage ?? false },
    headers: { default: runningHeader(text, page), ...(options.titlePage ? empty : {}) },
    footers: { default: runningFooter(text, page), ...(options.titlePage ? { first: new Footer({ children: [] }) } : {}) },
    children,
  };
}

// ---------------------------------------------------------------- headings and the contents page

/** A heading the contents page lists, by the bookmark on it. */
export interface ContentsEntry {
  text: string;
  level: 1 | 2;
  bookmark: string;
}

/**
 * Headings with their contents entries. The contents page points at each heading through a bookmark and
 * a page reference field, which LibreOffice works out as it lays the pages out and Word fills in when it
 * updates the document's fields (ADR 013).
 */
export class Headings {
  readonly entries: ContentsEntry[] = [];
  private sections = 0;

  /** The number the last first-level heading was given. */
  get sectionNumber(): number {
    return this.sections;
  }

  /** A heading; the first level is numbered ("4. The matrix"), and the first two are listed on the contents page. */
  heading(title: string, level: 1 | 2 | 3, options: { newPage?: boolean } = {}): Paragraph {
    const headingLevel = level === 1 ? HeadingLevel.HEADING_1 : level === 2 ? HeadingLevel.HEADING_2 : HeadingLevel.HEADING_3;
    const text = level === 1 ? `${++this.sections}. ${title}` : title;
    if (level === 3) return new Paragraph({ heading: headingLevel, pageBreakBefore: options.newPage, children: [new TextRun(text)] });
    const bookmark = `section_${this.entries.length + 1}`;
    this.entries.push({ text, level, bookmark });
    return new Paragraph({
      heading: headingLevel,
      pageBreakBefore: options.newPage,
      children: [new Bookmark({ id: bookmark, children: [new TextRun(text)] })],
    });
  }

  /** The contents page's entries: each heading's text, dotted across to its page number. */
  contents(page: PageGeometry): Paragraph[] {
    return this.entries.map(
      (entry) =>
        new Paragraph({
          style: entry.level === 1 ? STYLE.contents1 : STYLE.contents2,
          tabStops: [{ type: TabStopType.RIGHT, position: textWidth(page), leader: LeaderType.DOT }],
          children: [
            new InternalHyperlink({ anchor: entry.bookmark, children: [new TextRun(entry.text)] }),
            new TextRun({ children: [new Tab()] }),
            new PageReference(entry.bookmark, { hyperlink: true }),
          ],
        }),
    );
  }
}

// ---------------------------------------------------------------- text

/** Narrative as paragraphs: its lines, list items and headings within the section. */
export function narrativeParagraphs(blocks: readonly NarrativeBlock[]): Paragraph[] {
  return blocks.map((block) => {
    if (block.kind === "bullet") return new Paragraph({ text: block.text, bullet: { level: 0 } });
    if (block.kind === "subheading") return new Paragraph({ text: block.text, heading: HeadingLevel.HEADING_3 });
    return new Paragraph({ text: block.text });
  });
}

/** "Label: value" as one paragraph, the label in bold. */
export function labelled(label: string, value: string): Paragraph {
  return new Paragraph({ children: [new TextRun({ text: `${label}: `, bold: true }), new TextRun(value)] });
}

// ---------------------------------------------------------------- tables

/** A cell's text: a plain string, or lines each in the cell's text, in bold, or in small print. */
export type CellText = string | readonly { text: string; look?: "strong" | "small" }[];

const THIN = { style: BorderStyle.SINGLE, size: 4, color: COLOURS.rule };
const TABLE_BORDERS = { top: THIN, bottom: THIN, left: THIN, right: THIN, insideHorizontal: THIN, insideVertical: THIN };
const CELL_MARGINS = { top: 45, bottom: 45, left: 80, right: 80 };
const dxa = (size: number) => ({ size, type: WidthType.DXA });

function cellParagraphs(text: CellText, style: string): Paragraph[] {
  if (typeof text === "string") return [new Paragraph({ style, text })];
  if (text.length === 0) return [new Paragraph({ style })];
  return text.map((line) =>
    line.look === "small" ? new Paragraph({ style: STYLE.small, text: line.text }) : new Paragraph({ style, children: [new TextRun({ text: line.text, bold: line.look === "strong" })] }),
  );
}

/** The heading row, repeated at the top of every page; the first `leftAligned` headings sit left rather than in the style's alignment. */
function headingRow(headings: readonly string[], widths: readonly number[], style: string, leftAligned = 0): TableRow {
  return new TableRow({
    tableHeader: true,
    cantSplit: true,
    children: headings.map(
      (text, i) =>
        new TableCell({
          width: dxa(widths[i]!),
          shading: { type: ShadingType.CLEAR, color: "auto", fill: COLOURS.headingFill },
          verticalAlign: VerticalAlignTable.BOTTOM,
          children: [new Paragraph({ style, text, alignment: i < leftAligned ? AlignmentType.LEFT : undefined })],
        }),
    ),
  });
}

function fixedTable(widths: readonly number[], rows: TableRow[]): Table {
  return new Table({
    columnWidths: [...widths],
    width: dxa(widths.reduce((sum, w) => sum + w, 0)),
    layout: TableLayoutType.FIXED,
    borders: TABLE_BORDERS,
    margins: CELL_MARGINS,
    rows,
  });
}

export interface DataTableOptions {
  headings: readonly string[];
  /** One width per column, in DXA (see tableColumns in app/domain/document-layout.ts). */
  widths: readonly number[];
  rows: readonly (readonly CellText[])[];
  /** Rows to shade as the start of a group, e.g. a matrix column above its own boards. */
  banded?: readonly boolean[];
}

/** A table of text with a heading row repeated on every page; a row is never split across pages. */
export function dataTable(options: DataTableOptions): Table {
  const { widths } = options;
  const body = options.rows.map(
    (cells, r) =>
      new TableRow({
        cantSplit: true,
        children: cells.map(
          (text, i) =>
            new TableCell({
              width: dxa(widths[i]!),
              shading: options.banded?.[r] ? { type: ShadingType.CLEAR, color: "auto", fill: COLOURS.bandFill } : undefined,
              children: cellParagraphs(text, STYLE.tableText),
            }),
        ),
      }),
  );
  return fixedTable(widths, [headingRow(options.headings, widths, STYLE.tableHeading), ...body]);
}

/** A table of labels and their values, without a heading row: a cover's or a pack's particulars. */
export function keyValueTable(pairs: readonly (readonly [string, string])[], widths: readonly [number, number]): Table {
  const rows = pairs.map(
    ([label, value]) =>
      new TableRow({
        cantSplit: true,
        children: [
          new TableCell({
            width: dxa(widths[0]),
            shading: { type: ShadingType.CLEAR, color: "auto", fill: COLOURS.bandFill },
            children: [new Paragraph({ style: STYLE.tableText, children: [new TextRun({ text: label, bold: true })] })],
          }),
          new TableCell({ width: dxa(widths[1]), children: [new Paragraph({ style: STYLE.tableText, text: value })] }),
        ],
      }),
  );
  return fixedTable(widths, rows);
}

// ---------------------------------------------------------------- the matrix

export interface MatrixTableRow {
  ref: string;
  title: string;
  /** One per column, in the columns' order; null for an empty cell. */
  codes: readonly (DecisionCode | null)[];
  /** Small print under the title: cell notes, the statutory rule. */
  notes?: readonly string[];
  /**
   * Cells that differ from the trust's base scheme (in a school's pack: from its tier's variant or its
   * own variation), per column: shaded and marked after the code, so that the difference does not
   * rest on colour alone.
   */
  marks?: readonly (CellMark | null)[];
}

/** How a varied cell is told apart: a mark written after its code, raised, and a fill. */
export interface CellMark {
  mark: string;
  fill: string;
}

export interface MatrixTableOptions {
  /** Widths and page from matrixLayout (app/domain/document-layout.ts), for the same headings. */
  layout: MatrixLayout;
  /** The code columns' headings, in the order of each row's codes. */
  headings: readonly string[];
  rows: readonly MatrixTableRow[];
}

/**
 * A table of the matrix: reference, responsibility and one column per body, with the heading row
 * repeated on every page and the widths of `layout`. A D is shaded, so that who decides stands out.
 */
export function matrixTable(options: MatrixTableOptions): Table {
  const { layout } = options;
  const widths = [layout.reference, layout.title, ...layout.codes];
  const referenceWidth = dxa(layout.reference);
  const titleWidth = dxa(layout.title);
  const codeWidths = layout.codes.map(dxa);
  const shaded = (fill: string) => ({ type: ShadingType.CLEAR, color: "auto", fill });
  const rows = options.rows.map((row) => {
    const title = [new Paragraph({ style: STYLE.matrixText, text: row.title })];
    for (const note of row.notes ?? []) title.push(new Paragraph({ style: STYLE.small, text: note }));
    return new TableRow({
      cantSplit: true,
      children: [
        new TableCell({ width: referenceWidth, children: [new Paragraph({ style: STYLE.matrixText, text: row.ref })] }),
        new TableCell({ width: titleWidth, children: title }),
        ...row.codes.map((code, i) => {
          const mark = row.marks?.[i] ?? null;
          const runs = code === null ? [] : [new TextRun(code)];
          if (mark) runs.push(new TextRun({ text: mark.mark, superScript: true }));
          const fill = mark ? mark.fill : code === "D" ? COLOURS.decidesFill : null;
          return new TableCell({
            width: codeWidths[i]!,
            verticalAlign: VerticalAlignTable.CENTER,
            shading: fill ? shaded(fill) : undefined,
            children: [new Paragraph({ style: STYLE.matrixCode, children: runs })],
          });
        }),
      ],
    });
  });
  return fixedTable(widths, [headingRow(["Ref", "Responsibility", ...options.headings], widths, STYLE.matrixHeading, 2), ...rows]);
}
