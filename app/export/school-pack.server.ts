/**
 * The Word document of a school pack (app/domain/school-pack.ts): a short document a local board can
 * work from. The school, its tier and next review, its local board and cluster, how to read the pack
 * (templates/school-pack-*.hbs), the key to the codes and to the marks of varied cells, what differs
 * from the trust's scheme and why, then the matrix area by area with only the columns that concern
 * the school, in a landscape section when they do not fit across a portrait page.
 */
import fs from "node:fs";
import path from "node:path";
import {
  AlignmentType,
  BorderStyle,
  Document,
  Footer,
  Header,
  HeadingLevel,
  Packer,
  PageNumber,
  PageOrientation,
  Paragraph,
  ShadingType,
  Table,
  TableCell,
  TableLayoutType,
  TableRow,
  TextRun,
  WidthType,
  type ISectionOptions,
} from "docx";
import Handlebars from "handlebars";
import { appRoot, type Database } from "../../db/client";
import { CODE_MEANINGS, DECISION_CODES, type DecisionCode } from "../domain/codes";
import { longDate } from "../domain/dates";
import { NotFoundError } from "../domain/errors";
import { packFileName, schoolPackView, type PackCell, type PackVariedCell, type SchoolPackView } from "../domain/school-pack";
import { schoolStanding } from "../domain/school-standing";
import type { SchemeSchool } from "../domain/scheme";
import { BODY_KIND_LABELS, SCHOOL_PHASE_LABELS } from "../domain/structure";
import { tierLabel } from "../domain/tier-policy";
import type { CellSource } from "../domain/variants";
import type { VersionStatus } from "../domain/versions";
import { autonomyOf } from "../models/autonomy.server";
import { findPackSchool, loadSchoolPackSource, type SchoolPackSource } from "../models/school-packs.server";
import type { VersionRecord } from "../models/scheme.server";

/** Everything a pack says besides its matrix: who the school is, where it stands, which version. */
export interface SchoolPackDocument {
  trustName: string;
  version: {
    number: number;
    status: VersionStatus;
    approvedOn: string | null;
    /** The body that approved it, by name. */
    approvedBy: string | null;
    minuteRef: string | null;
  };
  pack: SchoolPackView;
  /** The school's decided tier today, or null when none has been decided. */
  tier: {
    label: string;
    decidedOn: string;
    effectiveFrom: string;
    decidedBy: string | null;
    /** The trust's words for what changes in the scheme at this tier. */
    schemeChanges: string;
  } | null;
  nextReview: { on: string | null; reviewsPerYear: number };
  headteacherName: string | null;
  /** The day the pack was made, shown in its footer. */
  madeOn: string;
}

// ---------------------------------------------------------------- the narrative templates

/** Compiled once per process. Only files in templates/ are templates: the trust's text is always data. */
const compiled = new Map<string, HandlebarsTemplateDelegate>();

function narrative(name: string, data: Record<string, unknown>): string[] {
  let template = compiled.get(name);
  if (!template) {
    const source = fs.readFileSync(path.join(appRoot(), "templates", `${name}.hbs`), "utf8");
    // docx escapes XML itself: HTML escaping here would print &amp; in the document.
    template = Handlebars.compile(source, { noEscape: true, strict: true });
    compiled.set(name, template);
  }
  return template(data)
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
}

// ---------------------------------------------------------------- sizes (twentieths of a point; half-points for text)

const FONT = "Calibri";
const PORTRAIT = { width: 11906, height: 16838 };
const MARGIN = 1000;
const PORTRAIT_TEXT_WIDTH = PORTRAIT.width - 2 * MARGIN;
const LANDSCAPE_TEXT_WIDTH = PORTRAIT.height - 2 * MARGIN;
const REF_WIDTH = 800;
const TITLE_WIDTH = 3600;
/** A code column narrower than this cannot hold its heading's short name in 7 pt: the matrix goes landscape. */
const MIN_CODE_WIDTH = 760;
const MAX_CODE_WIDTH = 1100;
const TEXT_SIZE = 20;
const TABLE_SIZE = 17;
const MATRIX_SIZE = 15;

/** Cell shading of varied cells, light enough to print and to read the code on in black. */
const SHADE: Record<CellSource, string> = { tier: "FCE8C8", school: "D6E6F5" };
const MARK: Record<CellSource, string> = { tier: "T", school: "S" };
const HEADER_SHADE = "E7E6E6";
const GRID = { style: BorderStyle.SINGLE, size: 4, color: "A6A6A6" } as const;

// ---------------------------------------------------------------- small builders

/**
 * Paragraph styles of the tables' text. A pack's matrix has thousands of cells: each cell's text
 * naming a style, and each table carrying its borders and cell margins once, keeps the document
 * XML (and the time docx takes to write it) a fraction of what the same formatting repeated in
 * every cell would be.
 */
const STYLES = {
  table: "PackTable",
  matrix: "PackMatrix",
  code: "PackCode",
} as const;

const PARAGRAPH_STYLES = [
  { id: STYLES.table, name: "Pack table text", basedOn: "Normal", run: { size: TABLE_SIZE }, paragraph: { spacing: { before: 0, after: 0 } } },
  { id: STYLES.matrix, name: "Pack matrix text", basedOn: "Normal", run: { size: MATRIX_SIZE }, paragraph: { spacing: { before: 0, after: 0 } } },
  { id: STYLES.code, name: "Pack matrix code", basedOn: STYLES.matrix, run: { size: MATRIX_SIZE }, paragraph: { alignment: AlignmentType.CENTER, spacing: { before: 0, after: 0 } } },
];

type TextStyle = (typeof STYLES)[keyof typeof STYLES];

function text(value: string, options: { bold?: boolean; italics?: boolean } = {}): TextRun {
  return new TextRun({ text: value, bold: options.bold, italics: options.italics });
}

function paragraphs(lines: string[]): Paragraph[] {
  return lines.map((line) => new Paragraph({ children: [text(line)], spacing: { after: 120 } }));
}

function heading(value: string, level: (typeof HeadingLevel)[keyof typeof HeadingLevel]): Paragraph {
  return new Paragraph({ heading: level, children: [text(value)], keepNext: true });
}

function cell(children: Paragraph[], width: number, shade?: string): TableCell {
  return new TableCell({
    children,
    width: { size: width, type: WidthType.DXA },
    shading: shade ? { type: ShadingType.CLEAR, color: "auto", fill: shade } : undefined,
  });
}

function textCell(value: string, width: number, style: TextStyle, options: { bold?: boolean; shade?: string } = {}): TableCell {
  return cell([new Paragraph({ style, children: [text(value, { bold: options.bold })] })], width, options.shade);
}

/** A table of fixed column widths (Word and LibreOffice both honour DXA widths; percentages break outside Word). */
function table(widths: number[], rows: TableRow[]): Table {
  return new Table({
    rows,
    columnWidths: widths,
    width: { size: widths.reduce((a, b) => a + b, 0), type: WidthType.DXA },
    layout: TableLayoutType.FIXED,
    borders: { top: GRID, bottom: GRID, left: GRID, right: GRID, insideHorizontal: GRID, insideVertical: GRID },
    margins: { top: 30, bottom: 30, left: 60, right: 60 },
  });
}

/** The heading row, repeated at the top of every page the table runs onto. */
function headerRow(labels: string[], widths: number[], style: TextStyle = STYLES.table): TableRow {
  return new TableRow({
    tableHeader: true,
    cantSplit: true,
    children: labels.map((label, i) => textCell(label, widths[i]!, style, { bold: true, shade: HEADER_SHADE })),
  });
}

function codeWords(code: DecisionCode | null): string {
  return code ? `${code} (${CODE_MEANINGS[code].name.toLowerCase()})` : "no part";
}

// ---------------------------------------------------------------- the sections of the pack

function statusBanner(doc: SchoolPackDocument): Paragraph[] {
  const { number, status } = doc.version;
  if (status === "approved") return [];
  const words =
    status === "draft"
      ? `DRAFT: version ${number} has not been approved by the board. Do not work from it until it is.`
      : `SUPERSEDED: version ${number} has been replaced by a later version of the scheme.`;
  return [
    new Paragraph({
      children: [new TextRun({ text: words, bold: true, color: "9C0006", size: 24 })],
      border: { top: GRID, bottom: GRID, left: GRID, right: GRID },
      shading: { type: ShadingType.CLEAR, color: "auto", fill: "FFC7CE" },
      spacing: { after: 200 },
    }),
  ];
}

function boardWords(board: SchoolPackView["localBoard"]): string {
  if (!board) return "None";
  const chair = board.chairName ? `; chair ${board.chairName}` : "";
  const purpose = board.purpose === "standing" ? "" : `, ${board.purpose} board`;
  return `${board.name} (${board.mode}${purpose})${chair}`;
}

function factsTable(doc: SchoolPackDocument): Table {
  const { school, localBoard, cluster } = doc.pack;
  const widths = [2600, PORTRAIT_TEXT_WIDTH - 2600];
  const facts: [string, string][] = [
    ["School", `${school.name}, URN ${school.urn} (${SCHOOL_PHASE_LABELS[school.phase].toLowerCase()})`],
    ["Autonomy tier", doc.tier ? `${doc.tier.label}, from ${longDate(doc.tier.effectiveFrom)}` : "Not decided"],
    ["Next review", doc.nextReview.on ? longDate(doc.nextReview.on) : "No date yet"],
    ["Local board", boardWords(localBoard)],
    ["Cluster", cluster ? boardWords(cluster) : "None: the school is not in a cluster"],
    ["Headteacher", doc.headteacherName ?? "Not recorded"],
  ];
  return table(
    widths,
    facts.map(
      ([label, value]) =>
        new TableRow({ cantSplit: true, children: [textCell(label, widths[0]!, STYLES.table, { bold: true, shade: HEADER_SHADE }), textCell(value, widths[1]!, STYLES.table)] }),
    ),
  );
}

function keyTable(doc: SchoolPackDocument): Table {
  const widths = [900, PORTRAIT_TEXT_WIDTH - 900];
  const rows = DECISION_CODES.map(
    (code) =>
      new TableRow({
        cantSplit: true,
        children: [
          textCell(code, widths[0]!, STYLES.code, { bold: true }),
          cell([new Paragraph({ style: STYLES.table, children: [text(`${CODE_MEANINGS[code].name}. `, { bold: true }), text(CODE_MEANINGS[code].meaning)] })], widths[1]!),
        ],
      }),
  );
  const marks: [CellSource, string][] = [
    ["tier", doc.tier ? `From the ${doc.tier.label} tier's variant: every school in the tier has this.` : "From the school's tier's variant."],
    ["school", "This school's own variation, agreed by the board for this school alone."],
  ];
  for (const [source, words] of marks) {
    rows.push(
      new TableRow({
        cantSplit: true,
        children: [textCell(MARK[source], widths[0]!, STYLES.code, { shade: SHADE[source] }), textCell(words, widths[1]!, STYLES.table)],
      }),
    );
  }
  return table(widths, [headerRow(["Code", "Meaning"], widths), ...rows]);
}

function why(cellVaried: PackVariedCell, tierLabel: string | null): string {
  if (cellVaried.source === "tier") return `The ${tierLabel ?? "tier"} variant`;
  if (cellVaried.tierCode !== undefined) return `The school's own variation, in place of the ${tierLabel ?? "tier"} variant's ${codeWords(cellVaried.tierCode)}`;
  return "The school's own variation";
}

function differences(doc: SchoolPackDocument): (Paragraph | Table)[] {
  const { varied, school } = doc.pack;
  const intro = heading("What is different for this school", HeadingLevel.HEADING_2);
  if (varied.length === 0) return [intro, ...paragraphs([`Nothing: ${school.name} follows the trust's scheme as written.`])];
  const widths = [700, 2700, 1500, 1300, 1300, PORTRAIT_TEXT_WIDTH - 7500];
  const rows = varied.map(
    (v) =>
      new TableRow({
        cantSplit: true,
        children: [
          textCell(v.ref, widths[0]!, STYLES.table),
          textCell(v.title, widths[1]!, STYLES.table),
          textCell(v.column.shortName ?? v.column.name, widths[2]!, STYLES.table),
          textCell(codeWords(v.base), widths[3]!, STYLES.table),
          textCell(codeWords(v.code), widths[4]!, STYLES.table, { bold: true, shade: SHADE[v.source] }),
          textCell(why(v, doc.tier?.label ?? null), widths[5]!, STYLES.table),
        ],
      }),
  );
  const count = varied.length === 1 ? "One cell differs" : `${varied.length} cells differ`;
  return [
    intro,
    ...paragraphs([`${count} from the trust's scheme for ${school.name}.`]),
    table(widths, [headerRow(["Ref", "Responsibility", "Body", "Trust's scheme", "For this school", "Why"], widths), ...rows]),
  ];
}

function matrixCell(packCell: PackCell, width: number): TableCell {
  const runs: TextRun[] = packCell.code ? [text(packCell.code, { bold: packCell.code === "D" })] : [];
  // The mark is a letter, not only a colour: the pack is printed in black and white and read aloud.
  if (packCell.source) runs.push(new TextRun({ text: ` ${MARK[packCell.source]}`, superScript: true }));
  return cell([new Paragraph({ style: STYLES.code, children: runs })], width, packCell.source ? SHADE[packCell.source] : undefined);
}

/** The column widths of the matrix: the codes share what the reference and title leave, within bounds. */
function matrixLayout(columns: number): { landscape: boolean; widths: number[] } {
  const fits = Math.floor((PORTRAIT_TEXT_WIDTH - REF_WIDTH - TITLE_WIDTH) / columns) >= MIN_CODE_WIDTH;
  const available = (fits ? PORTRAIT_TEXT_WIDTH : LANDSCAPE_TEXT_WIDTH) - REF_WIDTH - TITLE_WIDTH;
  const code = Math.min(MAX_CODE_WIDTH, Math.floor(available / Math.max(columns, 1)));
  return { landscape: !fits, widths: [REF_WIDTH, TITLE_WIDTH, ...Array.from({ length: columns }, () => code)] };
}

function matrix(doc: SchoolPackDocument, widths: number[]): (Paragraph | Table)[] {
  const { columns, areas, school, leftOut } = doc.pack;
  const labels = ["Ref", "Responsibility", ...columns.map((c) => c.shortName ?? c.name)];
  const body: (Paragraph | Table)[] = [
    heading(`The scheme for ${school.name}`, HeadingLevel.HEADING_1),
    ...paragraphs([
      `Columns: ${columns.map((c) => `${c.shortName && c.shortName !== c.name ? `${c.shortName}: ` : ""}${c.name} (${BODY_KIND_LABELS[c.kind].toLowerCase()}${c.mode === "advisory" ? ", advisory" : ""})`).join("; ")}.`,
      ...(leftOut.length > 0 ? [`Left out as they do not concern this school: ${leftOut.join(", ")}.`] : []),
    ]),
  ];
  for (const area of areas) {
    body.push(heading(area.number === 0 ? "Unclassified" : `${area.number}. ${area.name}`, HeadingLevel.HEADING_2));
    const rows = area.rows.map(
      (row) =>
        new TableRow({
          cantSplit: true,
          children: [
            textCell(row.ref, widths[0]!, STYLES.matrix, { bold: true }),
            cell([new Paragraph({ style: STYLES.matrix, children: [text(row.title), ...(row.statutoryRule ? [text(` (${row.statutoryRule})`, { italics: true })] : [])] })], widths[1]!),
            ...row.cells.map((packCell, i) => matrixCell(packCell, widths[i + 2]!)),
          ],
        }),
    );
    body.push(table(widths, [headerRow(labels, widths, STYLES.matrix), ...rows]));
  }
  return body;
}

function headerAndFooter(doc: SchoolPackDocument): Pick<ISectionOptions, "headers" | "footers"> {
  const size = 16;
  const small = (value: string) => new TextRun({ text: value, size });
  return {
    headers: {
      default: new Header({
        children: [new Paragraph({ alignment: AlignmentType.RIGHT, children: [small(`${doc.trustName} · School pack: ${doc.pack.school.name}`)] })],
      }),
    },
    footers: {
      default: new Footer({
        children: [
          new Paragraph({
            alignment: AlignmentType.CENTER,
            children: [
              small(`Version ${doc.version.number} (${doc.version.status}) · made on ${longDate(doc.madeOn)} · page `),
              new TextRun({ children: [PageNumber.CURRENT], size }),
              small(" of "),
              new TextRun({ children: [PageNumber.TOTAL_PAGES], size }),
            ],
          }),
        ],
      }),
    },
  };
}

function approvalWords(version: SchoolPackDocument["version"]): string {
  if (version.status === "draft") return `Version ${version.number}, a draft not yet approved`;
  const approved = version.approvedOn ? ` approved${version.approvedBy ? ` by ${version.approvedBy}` : ""} on ${longDate(version.approvedOn)}` : "";
  return `Version ${version.number} (${version.status}),${approved}${version.minuteRef ? `, minute ${version.minuteRef}` : ""}`;
}

/** The pack as a Word document. */
export function schoolPackDocument(doc: SchoolPackDocument): Document {
  const { school, localBoard, cluster, columns } = doc.pack;
  const ownBoards = [localBoard ? `local board (${localBoard.name})` : null, cluster ? `cluster (${cluster.name})` : null].filter(Boolean).join(" and ");
  const introduction = narrative("school-pack-introduction", {
    school: school.name,
    trust: doc.trustName,
    version: doc.version.number,
    approved: doc.version.status !== "draft" && doc.version.approvedOn !== null,
    approvedBy: doc.version.approvedBy ?? "the board",
    approvedOn: doc.version.approvedOn ? longDate(doc.version.approvedOn) : "",
    minuteRef: doc.version.minuteRef ?? "",
    ownBoards,
  });
  const standing = narrative("school-pack-tier", {
    school: school.name,
    tier: doc.tier?.label ?? "",
    decidedBy: doc.tier?.decidedBy ?? "",
    decidedOn: doc.tier ? longDate(doc.tier.decidedOn) : "",
    effectiveFrom: doc.tier ? longDate(doc.tier.effectiveFrom) : "",
    schemeChanges: doc.tier?.schemeChanges ?? "",
    nextReview: doc.nextReview.on ? longDate(doc.nextReview.on) : "",
    reviewsPerYear: doc.nextReview.reviewsPerYear,
  });
  const layout = matrixLayout(columns.length);
  const page = (landscape: boolean): ISectionOptions["properties"] => ({
    page: {
      size: { width: PORTRAIT.width, height: PORTRAIT.height, orientation: landscape ? PageOrientation.LANDSCAPE : PageOrientation.PORTRAIT },
      margin: { top: MARGIN, bottom: MARGIN, left: MARGIN, right: MARGIN, header: 500, footer: 500 },
    },
  });
  const front: (Paragraph | Table)[] = [
    ...statusBanner(doc),
    new Paragraph({ heading: HeadingLevel.TITLE, children: [text(`${school.name}: scheme of delegation`)] }),
    new Paragraph({ children: [text(doc.trustName, { bold: true }), text(` · ${approvalWords(doc.version)}`)], spacing: { after: 240 } }),
    factsTable(doc),
    heading("How to read this pack", HeadingLevel.HEADING_2),
    ...paragraphs(introduction),
    heading("Autonomy tier and review", HeadingLevel.HEADING_2),
    ...paragraphs(standing),
    heading("Key to the codes", HeadingLevel.HEADING_2),
    keyTable(doc),
    ...differences(doc),
  ];
  const chrome = headerAndFooter(doc);
  const sections: ISectionOptions[] = layout.landscape
    ? [
        { properties: page(false), ...chrome, children: front },
        { properties: page(true), ...chrome, children: matrix(doc, layout.widths) },
      ]
    : [{ properties: page(false), ...chrome, children: [...front, ...matrix(doc, layout.widths)] }];
  return new Document({
    title: `${school.name}: scheme of delegation`,
    description: `School pack of ${doc.trustName}'s scheme of delegation, version ${doc.version.number}`,
    creator: doc.trustName,
    styles: { default: { document: { run: { font: FONT, size: TEXT_SIZE } } }, paragraphStyles: PARAGRAPH_STYLES },
    sections,
  });
}

export async function renderSchoolPack(doc: SchoolPackDocument): Promise<Uint8Array> {
  return new Uint8Array(await Packer.toBuffer(schoolPackDocument(doc)));
}

// ---------------------------------------------------------------- from the version's data

/** What one school's pack says. */
export function schoolPackDocumentOf(source: SchoolPackSource, school: SchemeSchool): SchoolPackDocument {
  const { policy } = source.autonomy;
  const standing = schoolStanding(school, autonomyOf(source.autonomy, school.id), policy, source.today);
  const decided = standing.decided;
  return {
    trustName: source.trust.name,
    version: {
      number: source.version.number,
      status: source.version.status as SchoolPackDocument["version"]["status"],
      approvedOn: source.version.approvedOn,
      approvedBy: source.approvedBy,
      minuteRef: source.version.minuteRef,
    },
    pack: schoolPackView(source.scheme, school.id, decided?.tier ?? null),
    tier: decided && {
      label: tierLabel(policy, decided.tier),
      decidedOn: decided.decidedOn,
      effectiveFrom: decided.effectiveFrom,
      decidedBy: decided.decidedBy?.name ?? null,
      schemeChanges: policy.tiers[decided.tier].criteria.schemeChanges,
    },
    nextReview: { on: standing.schedule.nextReviewOn, reviewsPerYear: standing.schedule.reviewsPerYear },
    headteacherName: source.headteachers.get(school.id) ?? null,
    madeOn: source.today,
  };
}

export interface SchoolPackFile {
  bytes: Uint8Array;
  fileName: string;
  school: SchemeSchool;
  version: VersionRecord;
}

/** One school's pack, the school named by its id (the web page) or its URN (the command line). */
export async function schoolPackFile(
  db: Database,
  trust: { id: string; slug: string },
  input: { number: number; school: { id: string } | { urn: number } },
): Promise<SchoolPackFile> {
  const what = "id" in input.school ? "The school" : `The school with URN ${input.school.urn}`;
  const schoolId = await findPackSchool(db, trust.id, input.school);
  if (!schoolId) throw new NotFoundError(what);
  const source = await loadSchoolPackSource(db, trust.id, { number: input.number }, { schoolId });
  if (!source) throw new NotFoundError(`Version ${input.number} of the scheme`);
  // The version's own list of schools: a school that joined after the version was approved has no pack in it.
  const school = source.scheme.schools.find((s) => s.id === schoolId);
  if (!school) throw new NotFoundError(`${what} in version ${input.number}`);
  return {
    bytes: await renderSchoolPack(schoolPackDocumentOf(source, school)),
    fileName: `${trust.slug}-version-${source.version.number}-${packFileName(school)}`,
    school,
    version: source.version,
  };
}
