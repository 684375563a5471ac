/**
 * The Word scheme of delegation of one version (docs/word-document.md): the cover with the approval,
 * the contents, the introduction in the trust's words, the governance structure with its chart, the
 * key, the matrix one area to a table (on landscape pages when its columns need them), the earned-
 * autonomy framework, the schools' own variations, the findings accepted with reasons, and optionally
 * what changed since the version before. A version with an error nobody has resolved or accepted is
 * marked "DRAFT — not valid" on its cover and at the top of every page.
 */
import { Document, HeadingLevel, ImageRun, Packer, PageBreak, Paragraph, TextRun, type Table } from "docx";
import { CODE_MEANINGS, type DecisionCode } from "../domain/codes";
import { longDate } from "../domain/dates";
import { matrixLayout, PORTRAIT, tableColumns, type MatrixLayout } from "../domain/document-layout";
import type { DocumentVariant, SchemeDocumentData } from "../domain/scheme-document";
import { namedTier } from "../domain/variants";
import {
  dataTable,
  documentStyles,
  Headings,
  keyValueTable,
  labelled,
  matrixTable,
  narrativeParagraphs,
  section,
  STYLE,
  type RunningText,
} from "./docx-parts.server";
import { chartPicture, type ChartPicture } from "./governance-chart-image.server";
import { narrative } from "./narrative.server";

type Block = Paragraph | Table;

export const NOT_VALID = "DRAFT — not valid";

const STATUS_WORDS = { draft: "Draft, not yet approved", approved: "Approved", superseded: "Superseded by a later version" } as const;

function date(iso: string | null): string {
  return iso ? longDate(iso) : "Not set";
}

function codeWords(code: DecisionCode | null): string {
  return code === null ? "No role" : `${code} ${CODE_MEANINGS[code].name}`;
}

/** "the Board of trustees", as a sentence names a body. */
function theBody(name: string | null): string {
  if (!name) return "the board";
  return /^the\s/i.test(name) ? name : `the ${name}`;
}

/** "a hub model", "an in-house central expertise model". */
function withArticle(words: string): string {
  return /^[aeiou]/i.test(words) ? `an ${words}` : `a ${words}`;
}

/** The matrix's page and column widths, for the columns' headings and the rows' references. */
function layoutOf(data: SchemeDocumentData): MatrixLayout {
  return matrixLayout(
    data.columns.map((c) => c.heading),
    data.areas.flatMap((a) => a.rows.map((r) => r.ref)),
  );
}

type Words = ReturnType<typeof narrativeData>;

/** What the narrative templates read: the data's facts in words. */
function narrativeData(data: SchemeDocumentData, layout: MatrixLayout) {
  const { version } = data;
  const statusWords =
    version.status === "draft"
      ? "a draft not yet approved by the board"
      : `approved by ${theBody(version.approvedBy)} on ${date(version.approvedOn)}${version.minuteRef ? ` (minute ${version.minuteRef})` : ""}${version.status === "superseded" ? ", and since superseded by a later version" : ""}`;
  const rowCount = data.areas.reduce((n, a) => n + a.rows.length, 0);
  return {
    trust: data.trust.name,
    version: version.number,
    statusWords,
    preparedOn: longDate(data.preparedOn),
    vision: data.strategy.vision,
    cluster: data.strategy.cluster,
    clusterExplanation: data.strategy.clusterExplanation,
    improvementModel: data.strategy.improvementModel
      ? { lowerName: withArticle(`${data.strategy.improvementModel.name.toLowerCase()} model`), meaning: data.strategy.improvementModel.meaning }
      : null,
    alignment: data.strategy.alignment,
    hasClusters: data.structure.chart.bodies.some((b) => b.kind === "cluster"),
    hasAdvisory: data.structure.chart.bodies.some((b) => b.mode === "advisory"),
    boardCount: data.structure.bodies.filter((b) => b.board).length,
    schoolCount: data.structure.chart.schools.length,
    rowCount,
    areaCount: data.areas.length,
    columnCount: data.columns.length,
    firstColumn: data.columns[0]?.name ?? "the trust",
    lastColumn: data.columns.at(-1)?.name ?? "the schools",
    landscape: layout.page.orientation === "landscape",
    noteCount: data.areas.reduce((n, a) => n + a.rows.reduce((m, r) => m + r.notes.length, 0), 0),
    trustKey: data.trustKey,
  };
}

// ---------------------------------------------------------------- the cover and the contents

/** The cover; `errorsSection` is the number of the section listing the errors still open, when there are any. */
function cover(data: SchemeDocumentData, errorsSection: number | null): Block[] {
  const { version } = data;
  const blocks: Block[] = [
    new Paragraph({ style: STYLE.coverTrust, text: data.trust.name }),
    new Paragraph({ style: STYLE.coverTitle, text: "Scheme of delegation" }),
    new Paragraph({ style: STYLE.coverSubtitle, text: `Version ${version.number} · ${STATUS_WORDS[version.status]}` }),
  ];
  if (errorsSection !== null) {
    const count = data.openErrors.length;
    blocks.push(new Paragraph({ style: STYLE.banner, text: NOT_VALID }));
    blocks.push(...narrativeParagraphs(narrative("not-valid", { count, one: count === 1, section: errorsSection })));
  }
  const approved = version.status !== "draft";
  const pairs: [string, string][] = [
    ["Trust", data.trust.companyNumber ? `${data.trust.name} (company number ${data.trust.companyNumber})` : data.trust.name],
    ["Version", String(version.number)],
    ["Status", STATUS_WORDS[version.status]],
    ["Approved by", approved ? (version.approvedBy ?? "Not recorded") : "Not yet approved"],
    ["Date of approval", approved ? date(version.approvedOn) : "Not yet approved"],
    ["Minute reference", approved ? (version.minuteRef ?? "Not recorded") : "Not yet approved"],
    ["Next review due", date(version.reviewDueOn)],
  ];
  if (version.reason) pairs.push(["Reason for this version", version.reason]);
  pairs.push(["Prepared on", longDate(data.preparedOn)]);
  if (data.trust.websiteUrl) pairs.push(["Trust website", data.trust.websiteUrl]);
  const [label, value] = tableColumns(PORTRAIT, [3, 7]);
  blocks.push(keyValueTable(pairs, [label!, value!]));
  return blocks;
}

// ---------------------------------------------------------------- the sections

function introduction(words: Words, h: Headings): Block[] {
  return [
    h.heading("Introduction", 1),
    ...narrativeParagraphs(narrative("introduction", words)),
    h.heading("How to read this scheme", 2),
    ...narrativeParagraphs(narrative("how-to-read", words)),
  ];
}

/** The structure: its chart (added once drawn, at `chartAt`) and the table of bodies. */
function structure(data: SchemeDocumentData, words: Words, h: Headings): { blocks: Block[]; chartAt: number } {
  const blocks: Block[] = [h.heading("Governance structure", 1, { newPage: true }), ...narrativeParagraphs(narrative("structure", words))];
  const chartAt = blocks.length;
  blocks.push(new Paragraph({ style: STYLE.caption, text: `Figure 1. The governance structure of ${data.trust.name}, version ${data.version.number}.` }));
  blocks.push(h.heading("The bodies and what they cover", 2));
  blocks.push(
    dataTable({
      headings: ["Body", "Kind", "Decides or advises", "Chair", "Schools covered"],
      widths: tableColumns(PORTRAIT, [30, 17, 14, 15, 24]),
      rows: data.structure.bodies.map((b) => [
        b.remit ? [{ text: b.name, look: "strong" }, { text: b.remit, look: "small" }] : [{ text: b.name, look: b.board ? undefined : "strong" }],
        b.kind,
        b.mode,
        b.chair ?? "—",
        b.covers,
      ]),
      banded: data.structure.bodies.map((b) => !b.board),
    }),
  );
  return { blocks, chartAt };
}

function chartParagraph(picture: ChartPicture, data: SchemeDocumentData): Paragraph {
  return new Paragraph({
    keepNext: true,
    children: [
      new ImageRun({
        type: "png",
        data: picture.png,
        transformation: picture.size,
        altText: { name: "Governance structure", title: `The governance structure of ${data.trust.name}`, description: picture.description },
      }),
    ],
  });
}

function key(data: SchemeDocumentData, words: Words, h: Headings): Block[] {
  const blocks: Block[] = [
    h.heading("Key to the decision codes", 1),
    ...narrativeParagraphs(narrative("key", words)),
    dataTable({ headings: ["Code", "Name", "What it means"], widths: tableColumns(PORTRAIT, [9, 19, 72]), rows: data.codes.map((c) => [c.code, c.name, c.meaning]) }),
    h.heading("The columns of the matrix", 2),
    ...narrativeParagraphs(narrative("columns", words)),
    dataTable({
      headings: ["Heading", "Body", "Kind", "Decides or advises"],
      widths: tableColumns(PORTRAIT, [16, 40, 28, 16]),
      rows: data.columns.map((c) => [c.heading, c.name, c.kind, c.mode]),
    }),
  ];
  if (data.trustKey) {
    blocks.push(
      h.heading("The trust's own key", 2),
      ...narrativeParagraphs(narrative("trust-key", words)),
      dataTable({
        headings: ["The trust's mark", "Code", "Meaning"],
        widths: tableColumns(PORTRAIT, [30, 15, 55]),
        rows: data.trustKey.marks.map((m) => [m.mark, m.code, m.name]),
      }),
    );
  }
  return blocks;
}

function matrix(data: SchemeDocumentData, words: Words, layout: MatrixLayout, h: Headings): Block[] {
  const headings = data.columns.map((c) => c.heading);
  const blocks: Block[] = [h.heading("The matrix", 1), ...narrativeParagraphs(narrative("matrix", words))];
  for (const area of data.areas) {
    blocks.push(h.heading(area.area === 0 ? "Not yet matched to an area" : `Area ${area.area}: ${area.name}`, 2));
    if (area.culture) blocks.push(new Paragraph({ style: STYLE.small, keepNext: true, spacing: { after: 80 }, text: `Alignment culture: ${area.culture}.` }));
    blocks.push(
      matrixTable({
        layout,
        headings,
        rows: area.rows.map((row) => ({
          ref: row.ref,
          title: row.title,
          codes: row.codes,
          notes: [
            ...(row.statutoryRule || row.locked
              ? [`Statutory${row.statutoryRule ? ` (${row.statutoryRule})` : ""}${row.locked ? ": the same for every tier and school" : ""}.`]
              : []),
            ...row.notes.map((n) => `${n.column}: ${n.note}`),
          ],
        })),
      }),
    );
  }
  return blocks;
}

/** The cells a tier or a school varies, each from what it would otherwise be to what it is; the notes' column only when one has a note. */
function variantTable(changes: readonly DocumentVariant[], otherwise: string, instead: string): Table {
  const noted = changes.some((c) => c.note);
  return dataTable({
    headings: ["Ref", "Responsibility", "Body", otherwise, instead, ...(noted ? ["Note"] : [])],
    widths: tableColumns(PORTRAIT, noted ? [7, 27, 17, 14, 14, 21] : [8, 40, 22, 15, 15]),
    rows: changes.map((c) => [c.ref, c.title, c.column, codeWords(c.from), codeWords(c.to), ...(noted ? [c.note ?? ""] : [])]),
  });
}

function earnedAutonomy(data: SchemeDocumentData, words: Words, h: Headings): Block[] {
  const blocks: Block[] = [h.heading("Earned autonomy", 1), ...narrativeParagraphs(narrative("earned-autonomy", words))];
  const names = Object.fromEntries(data.tiers.map((t) => [t.tier, t.name])) as Parameters<typeof namedTier>[1];
  for (const tier of data.tiers) {
    blocks.push(h.heading(namedTier(tier.tier, names), 2));
    if (tier.description) blocks.push(new Paragraph({ text: tier.description }));
    blocks.push(labelled("Reviews", `${tier.reviewsPerYear} a year (${tier.cadence})`));
    blocks.push(new Paragraph({ keepNext: true, children: [new TextRun({ text: "A school enters this tier", bold: true })] }));
    blocks.push(...narrativeParagraphs(tier.enter.map((text) => ({ kind: "bullet" as const, text }))));
    blocks.push(new Paragraph({ keepNext: true, children: [new TextRun({ text: "It leaves the tier", bold: true })] }));
    blocks.push(...narrativeParagraphs(tier.leave.map((text) => ({ kind: "bullet" as const, text }))));
    blocks.push(labelled("What changes in the scheme", tier.schemeChanges));
    if (tier.changes.length > 0) blocks.push(variantTable(tier.changes, "In the matrix", "In this tier"));
    else blocks.push(new Paragraph({ text: "No cell of the matrix differs for this tier." }));
    blocks.push(h.heading(`Schools in the ${tier.name} tier`, 3));
    if (tier.schools.length === 0) {
      blocks.push(new Paragraph({ text: `No school is in this tier as at ${longDate(data.preparedOn)}.` }));
      continue;
    }
    blocks.push(
      dataTable({
        headings: ["School", "URN", "Tier decided on", "Next review", "Review"],
        widths: tableColumns(PORTRAIT, [42, 10, 17, 17, 14]),
        rows: tier.schools.map((s) => [s.name, String(s.urn), s.decided ? date(s.decidedOn) : "Not yet decided", date(s.nextReviewOn), s.reviewStatus]),
      }),
    );
  }
  return blocks;
}

function variations(data: SchemeDocumentData, h: Headings): Block[] {
  const count = data.variations.reduce((n, v) => n + v.changes.length, 0);
  const blocks: Block[] = [h.heading("Schools' own variations", 1), ...narrativeParagraphs(narrative("variations", { count, one: count === 1 }))];
  for (const school of data.variations) {
    blocks.push(h.heading(`${school.school} (URN ${school.urn})`, 3));
    blocks.push(new Paragraph({ style: STYLE.small, keepNext: true, spacing: { after: 80 }, text: school.tier ? `Tier: ${school.tier}.` : "No tier decided." }));
    blocks.push(variantTable(school.changes, "Otherwise", "For this school"));
  }
  return blocks;
}

function acknowledged(data: SchemeDocumentData, h: Headings): Block[] {
  const count = data.acknowledged.length;
  const blocks: Block[] = [
    h.heading("Findings accepted with reasons", 1),
    ...narrativeParagraphs(narrative("acknowledged-findings", { count, one: count === 1 })),
  ];
  for (const f of data.acknowledged) {
    blocks.push(h.heading(`${f.ruleId} · ${f.severity}`, 3));
    blocks.push(new Paragraph({ keepNext: true, text: f.message }));
    blocks.push(labelled("Why it matters", `${f.rationale} (${f.source})`));
    blocks.push(labelled("The trust's reason", f.reason));
  }
  return blocks;
}

/** The errors nobody has resolved or accepted, while there are any: why the document is marked not valid. */
function openErrors(data: SchemeDocumentData, h: Headings): Block[] {
  if (data.openErrors.length === 0) return [];
  return [
    h.heading("Errors not yet resolved", 1),
    ...narrativeParagraphs(narrative("open-errors", { count: data.openErrors.length, one: data.openErrors.length === 1 })),
    ...narrativeParagraphs(data.openErrors.map((text) => ({ kind: "bullet" as const, text }))),
  ];
}

function changes(data: SchemeDocumentData, h: Headings): Block[] {
  const { changes: diff } = data;
  if (!diff) return [];
  const count = diff.sections.reduce((n, s) => n + s.lines.length, 0);
  const fromWords = diff.fromStatus === "approved" ? "approved" : "approved, and since superseded,";
  const blocks: Block[] = [
    h.heading(`Changes since version ${diff.fromNumber}`, 1),
    ...narrativeParagraphs(narrative("changes", { count, fromNumber: diff.fromNumber, fromWords })),
  ];
  for (const part of diff.sections) {
    blocks.push(h.heading(part.heading, 3));
    blocks.push(...narrativeParagraphs(part.lines.map((text) => ({ kind: "bullet" as const, text }))));
  }
  return blocks;
}

// ---------------------------------------------------------------- the document

/** The share of a portrait page's text height the chart may take, leaving room for its heading and caption. */
const CHART_HEIGHT_SHARE = 0.78;

export async function renderSchemeDocument(data: SchemeDocumentData): Promise<Buffer> {
  // Drawn on a worker thread while the rest of the document is built.
  const picture = chartPicture(data.structure.chart, `Governance structure of ${data.trust.name}`, PORTRAIT, CHART_HEIGHT_SHARE);
  const layout = layoutOf(data);
  const words = narrativeData(data, layout);
  const h = new Headings();
  const { version } = data;
  const running: RunningText = {
    trust: data.trust.name,
    document: `Scheme of delegation · version ${version.number} (${version.status})`,
    footnote: `Prepared on ${longDate(data.preparedOn)}`,
    warning: data.openErrors.length > 0 ? `${NOT_VALID}: ${data.openErrors.length} ${data.openErrors.length === 1 ? "error is" : "errors are"} open` : null,
  };

  const front = introduction(words, h);
  const structurePart = structure(data, words, h);
  const keyPart = key(data, words, h);
  const matrixPart = matrix(data, words, layout, h);
  const back = [...earnedAutonomy(data, words, h), ...variations(data, h), ...acknowledged(data, h)];
  const errors = openErrors(data, h);
  const errorsSection = errors.length > 0 ? h.sectionNumber : null;
  back.push(...errors, ...changes(data, h));

  const opening: Block[] = [
    ...cover(data, errorsSection),
    new Paragraph({ children: [new PageBreak()] }),
    new Paragraph({ heading: HeadingLevel.HEADING_1, text: "Contents" }),
    ...h.contents(PORTRAIT),
    new Paragraph({ children: [new PageBreak()] }),
  ];
  structurePart.blocks.splice(structurePart.chartAt, 0, chartParagraph(await picture, data));

  const doc = new Document({
    creator: data.trust.name,
    title: `${data.trust.name}: scheme of delegation, version ${version.number}`,
    description: `Scheme of delegation of ${data.trust.name}, version ${version.number} (${version.status}).`,
    // Word fills the contents page's page numbers when it opens the document; LibreOffice works them out itself.
    features: { updateFields: true },
    styles: documentStyles(),
    sections: [
      section(PORTRAIT, running, [...opening, ...front, ...structurePart.blocks, ...keyPart], { titlePage: true }),
      section(layout.page, running, matrixPart),
      section(PORTRAIT, running, back),
    ],
  });
  return Packer.toBuffer(doc);
}

/** The file name of a version's document, e.g. "north-dales-scheme-of-delegation-v2.docx". */
export function schemeDocumentFileName(trustSlug: string, versionNumber: number): string {
  return `${trustSlug}-scheme-of-delegation-v${versionNumber}.docx`;
}
