/**
 * The Word document of a school pack (app/domain/school-pack.ts): a short document a local board can
 * work from. The school, its tier and next review, its local board and cluster, how to read the pack
 * (templates/school-pack-*.hbs), the key to the codes and to the marks of varied cells, what differs
 * from the trust's scheme and why, then the matrix area by area with only the columns that concern
 * the school, in a landscape section when they do not fit across a portrait page.
 */
import {
  Document,
  HeadingLevel,
  Packer,
  Paragraph,
  Table,
  TextRun,
} from "docx";
import type { Database } from "../../db/client";
import { CODE_MEANINGS, DECISION_CODES, type DecisionCode } from "../domain/codes";
import { longDate } from "../domain/dates";
import type { ReviewStatus } from "../domain/review-calendar";
import { matrixLayout, PORTRAIT, tableColumns, type MatrixLayout } from "../domain/document-layout";
import { NotFoundError } from "../domain/errors";
import { packFileName, schoolPackView, type PackArea, type PackVariedCell, type SchoolPackView } from "../domain/school-pack";
import { schoolStanding } from "../domain/school-standing";
import type { SchemeSchool } from "../domain/scheme";
import { BODY_KIND_LABELS, SCHOOL_PHASE_LABELS } from "../domain/structure";
import { tierLabel } from "../domain/tier-policy";
import type { CellSource } from "../domain/variants";
import type { VersionStatus } from "../domain/versions";
import { autonomyOf } from "../models/autonomy.server";
import { findPackSchool, loadSchoolPackSource, type SchoolPackSource } from "../models/school-packs.server";
import type { VersionRecord } from "../models/scheme.server";
import { COLOURS, dataTable, documentStyles, keyValueTable, matrixTable, narrativeParagraphs, section, type RunningText } from "./docx-parts.server";
import { narrative } from "./narrative.server";
import { schoolPackOffThread } from "./word-thread.server";

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
  nextReview: { on: string | null; reviewsPerYear: number; status: ReviewStatus };
  headteacherName: string | null;
  /** The day the pack was made, shown in its footer. */
  madeOn: string;
}

type Block = Paragraph | Table;

/**
 * A varied cell's mark: a letter after the code, not only a colour, since the pack is printed in black
 * and white and read aloud; the key says what each letter means.
 */
const MARK: Record<CellSource, string> = { tier: "T", school: "S" };
const FILL: Record<CellSource, string> = { tier: COLOURS.variedFill, school: "DCEBF7" };

function codeWords(code: DecisionCode | null): string {
  return code ? `${code} (${CODE_MEANINGS[code].name.toLowerCase()})` : "no part";
}

function paragraph(text: string): Paragraph {
  return new Paragraph({ text });
}

function heading(text: string, level: 1 | 2): Paragraph {
  return new Paragraph({ text, heading: level === 1 ? HeadingLevel.HEADING_1 : HeadingLevel.HEADING_2, keepNext: true });
}

// ---------------------------------------------------------------- the first pages

function warning(doc: SchoolPackDocument): string | null {
  const { number, status } = doc.version;
  if (status === "draft") return `DRAFT: version ${number} has not been approved by the board. Do not work from it until it is.`;
  if (status === "superseded") return `SUPERSEDED: version ${number} has been replaced by a later version of the scheme.`;
  return null;
}

function boardWords(board: SchoolPackView["localBoard"]): string {
  if (!board) return "None";
  const chair = board.chairName ? `; chair ${board.chairName}` : "";
  const purpose = board.purpose === "standing" ? "" : `, ${board.purpose} board`;
  return `${board.name} (${board.mode}${purpose})${chair}`;
}

function facts(doc: SchoolPackDocument): Table {
  const { school, localBoard, cluster } = doc.pack;
  return keyValueTable(
    [
      ["School", `${school.name}, URN ${school.urn} (${SCHOOL_PHASE_LABELS[school.phase].toLowerCase()})`],
      ["Autonomy tier", doc.tier ? `${doc.tier.label}, from ${longDate(doc.tier.effectiveFrom)}` : "Not decided"],
      ["Next review", doc.nextReview.on ? `${longDate(doc.nextReview.on)}${doc.nextReview.status === "overdue" ? " (overdue)" : ""}` : "No date yet"],
      ["Local board", boardWords(localBoard)],
      ["Cluster", cluster ? boardWords(cluster) : "None: the school is not in a cluster"],
      ["Headteacher", doc.headteacherName ?? "Not recorded"],
    ],
    tableColumns(PORTRAIT, [26, 74]) as [number, number],
  );
}

function key(doc: SchoolPackDocument): Table {
  const marks: [string, string][] = [
    [MARK.tier, doc.tier ? `From the ${doc.tier.label} variant: every school in the tier has this.` : "From the variant of the school's tier."],
    [MARK.school, "This school's own variation, agreed by the board for this school alone."],
  ];
  return dataTable({
    headings: ["Code", "Meaning"],
    widths: tableColumns(PORTRAIT, [12, 88]),
    rows: [
      ...DECISION_CODES.map((code) => [[{ text: code, look: "strong" as const }], [{ text: `${CODE_MEANINGS[code].name}. ${CODE_MEANINGS[code].meaning}` }]]),
      ...marks.map(([mark, words]) => [`After a code: ${mark}`, words]),
    ],
  });
}

function why(cell: PackVariedCell, tierLabel: string | null): string {
  if (cell.source === "tier") return `The ${tierLabel ?? "tier"} variant`;
  if (cell.tierCode !== undefined) return `The school's own variation, in place of the ${tierLabel ?? "tier"} variant's ${codeWords(cell.tierCode)}`;
  return "The school's own variation";
}

function differences(doc: SchoolPackDocument): Block[] {
  const { varied, school } = doc.pack;
  const blocks: Block[] = [heading("What is different for this school", 2)];
  if (varied.length === 0) return [...blocks, paragraph(`Nothing: ${school.name} follows the trust's scheme as written.`)];
  blocks.push(paragraph(`${varied.length === 1 ? "One cell differs" : `${varied.length} cells differ`} from the trust's scheme for ${school.name}.`));
  blocks.push(
    dataTable({
      headings: ["Ref", "Responsibility", "Body", "Trust's scheme", "For this school", "Why"],
      widths: tableColumns(PORTRAIT, [8, 26, 15, 14, 14, 23]),
      rows: varied.map((v) => [v.ref, v.title, v.column.shortName ?? v.column.name, codeWords(v.base), [{ text: codeWords(v.code), look: "strong" }], why(v, doc.tier?.label ?? null)]),
    }),
  );
  return blocks;
}

// ---------------------------------------------------------------- the matrix

/** One area's table, as the scheme's own matrix is laid out, each varied cell marked with the layer it comes from. */
function areaTable(area: PackArea, headings: string[], layout: MatrixLayout): Table {
  return matrixTable({
    layout,
    headings,
    rows: area.rows.map((row) => ({
      ref: row.ref,
      title: row.title,
      codes: row.cells.map((c) => c.code),
      notes: row.statutoryRule ? [row.statutoryRule] : [],
      marks: row.cells.map((c) => (c.source ? { mark: ` ${MARK[c.source]}`, fill: FILL[c.source] } : null)),
    })),
  });
}

function columnWords(doc: SchoolPackDocument): string[] {
  const { columns, leftOut } = doc.pack;
  const named = columns.map((c) => {
    const kind = `${BODY_KIND_LABELS[c.kind].toLowerCase()}${c.mode === "advisory" ? ", advisory" : ""}`;
    return c.shortName && c.shortName !== c.name ? `${c.shortName}: ${c.name} (${kind})` : `${c.name} (${kind})`;
  });
  return [`Columns: ${named.join("; ")}.`, ...(leftOut.length > 0 ? [`Left out as they do not concern this school: ${leftOut.join(", ")}.`] : [])];
}

function matrix(doc: SchoolPackDocument, headings: string[], layout: MatrixLayout): Block[] {
  const blocks: Block[] = [heading(`The scheme for ${doc.pack.school.name}`, 1), ...columnWords(doc).map(paragraph)];
  for (const area of doc.pack.areas) {
    blocks.push(heading(area.number === 0 ? "Unclassified" : `${area.number}. ${area.name}`, 2));
    blocks.push(areaTable(area, headings, layout));
  }
  return blocks;
}

// ---------------------------------------------------------------- the document

function approvalWords(version: SchoolPackDocument["version"]): string {
  if (version.status === "draft") return `Version ${version.number}, a draft not yet approved`;
  const approved = version.approvedOn ? ` approved${version.approvedBy ? ` by ${version.approvedBy}` : ""} on ${longDate(version.approvedOn)}` : "";
  return `Version ${version.number} (${version.status}),${approved}${version.minuteRef ? `, minute ${version.minuteRef}` : ""}`;
}

/** The pack as a Word document. */
export function schoolPackDocument(doc: SchoolPackDocument): Document {
  const { school, localBoard, cluster, columns, areas } = doc.pack;
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
    overdue: doc.nextReview.status === "overdue",
  });
  const headings = columns.map((c) => c.shortName ?? c.name);
  const layout = matrixLayout(
    headings,
    areas.flatMap((a) => a.rows.map((r) => r.ref)),
  );
  const running: RunningText = {
    trust: doc.trustName,
    document: `School pack: ${school.name} · version ${doc.version.number} (${doc.version.status})`,
    footnote: `Made on ${longDate(doc.madeOn)}`,
    // At the top of every page, so that no page of a draft can be mistaken for the scheme in force.
    warning: warning(doc),
  };
  const front: Block[] = [
    new Paragraph({ heading: HeadingLevel.TITLE, text: `${school.name}: scheme of delegation` }),
    new Paragraph({ children: [new TextRun({ text: doc.trustName, bold: true }), new TextRun(` · ${approvalWords(doc.version)}`)], spacing: { after: 240 } }),
    facts(doc),
    heading("How to read this pack", 2),
    ...narrativeParagraphs(introduction),
    heading("Autonomy tier and review", 2),
    ...narrativeParagraphs(standing),
    heading("Key to the codes", 2),
    key(doc),
    ...differences(doc),
  ];
  const body = matrix(doc, headings, layout);
  // The matrix shares the first section when it fits across a portrait page; otherwise it has landscape pages of its own.
  const sections =
    layout.page.orientation === "portrait" ? [section(PORTRAIT, running, [...front, ...body])] : [section(PORTRAIT, running, front), section(layout.page, running, body)];
  return new Document({
    creator: doc.trustName,
    title: `${school.name}: scheme of delegation`,
    description: `School pack of ${doc.trustName}'s scheme of delegation, version ${doc.version.number} (${doc.version.status}).`,
    styles: documentStyles(),
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
    nextReview: { on: standing.schedule.nextReviewOn, reviewsPerYear: standing.schedule.reviewsPerYear, status: standing.schedule.status },
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
    bytes: await schoolPackOffThread(schoolPackDocumentOf(source, school)),
    fileName: `${trust.slug}-version-${source.version.number}-${packFileName(school)}`,
    school,
    version: source.version,
  };
}
