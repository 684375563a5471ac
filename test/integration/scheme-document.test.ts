/**
 * The Word scheme of delegation, read back by an independent reader (python-docx) and laid out by
 * LibreOffice: every responsibility with each code under its column, header rows that repeat, the wide
 * scheme on landscape pages, the cover's approval, the "not valid" banner, text that users typed
 * exactly as typed, and a contents page whose page numbers are the pages the headings are on.
 * The demo trust's approved version and the 15-column national trust's document are kept under
 * test-results/documents/ (PDF and a PNG of each page) for a reviewer to look at.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db/client";
import { trusts } from "../../db/schema";
import { seedDemoTrust, type DemoTrust } from "../../db/seed";
import { cellKey, rowCodes, type Scheme } from "~/domain/scheme";
import { documentColumns } from "~/domain/scheme-document";
import { NOT_VALID, renderSchemeDocument } from "~/export/scheme-document.server";
import { COMMAND_LINE } from "~/models/audit.server";
import { acknowledgeFinding } from "~/models/findings.server";
import { saveRow } from "~/models/row-save.server";
import { loadScheme, startDraft } from "~/models/scheme.server";
import { loadSchemeDocument } from "~/models/scheme-document.server";
import { createBody } from "~/models/structure.server";
import { saveStrategy, loadStoredStrategy } from "~/models/strategy.server";
import { createTrust } from "~/models/trust.server";
import { validateVersion } from "~/models/validation.server";
import { createNationalTrust, type NationalTrust } from "../fixtures/national-trust";
import { addNationalTiers, TIER_PATTERN } from "../fixtures/national-trust-tiers";
import { freshDatabase } from "../support/database";
import {
  convertToPdf,
  keepForReview,
  paragraphsOf,
  pdfFonts,
  pdfPages,
  readDocx,
  scratchDir,
  tablesOf,
  type DocxReading,
  type DocxTable,
} from "../support/word-documents";

const TODAY = "2026-03-02";
/** Text a clerk might type, with everything XML and HTML escape and characters outside Latin-1. */
const AWKWARD = `Governors & "Friends" <Ysgol Gymraeg> 🎓 ŵ ŷ`;

let handle: DatabaseHandle;
let demo: DemoTrust;
let national: NationalTrust;
let scratch: string;

beforeAll(async () => {
  handle = await freshDatabase();
  demo = await seedDemoTrust(handle.db, COMMAND_LINE);
  national = await createNationalTrust(handle.db);
  await addNationalTiers(handle.db, national);
  scratch = scratchDir("sod-documents");
});

afterAll(async () => {
  fs.rmSync(scratch, { recursive: true, force: true });
  await handle?.close();
});

async function documentOf(trustId: string, versionId: string, name: string, options: { changesSince?: boolean } = {}) {
  const data = await loadSchemeDocument(handle.db, trustId, versionId, { today: TODAY, ...options });
  const file = path.join(scratch, `${name}.docx`);
  fs.writeFileSync(file, await renderSchemeDocument(data));
  return { data, file, reading: await readDocx(file) };
}

/** The matrix's tables: those headed Ref, Responsibility, then the version's columns' headings. */
function matrixTables(reading: DocxReading, scheme: Scheme): DocxTable[] {
  const heading = ["Ref", "Responsibility", ...documentColumns(scheme.columns).map((c) => c.heading)];
  return tablesOf(reading).filter((t) => JSON.stringify(t.rows[0]) === JSON.stringify(heading));
}

/** Every responsibility of the version is in the matrix, and each of its codes under its own column's heading. */
function expectWholeMatrix(reading: DocxReading, scheme: Scheme) {
  const tables = matrixTables(reading, scheme);
  expect(tables.length).toBeGreaterThan(0);
  const headings = documentColumns(scheme.columns);
  const printed = new Map<string, { header: string[]; row: string[] }>();
  for (const table of tables) {
    const header = table.rows[0]!;
    for (const row of table.rows.slice(1)) printed.set(row[0]!, { header, row });
  }
  expect(printed.size).toBe(scheme.rows.length);
  for (const row of scheme.rows) {
    const found = printed.get(row.ref);
    expect(found, `row ${row.ref}`).toBeDefined();
    expect(found!.row[1]!.split("\n")[0]).toBe(row.title);
    for (const column of headings) {
      const at = found!.header.indexOf(column.heading);
      expect(found!.row[at], `${row.ref} under ${column.heading}`).toBe(scheme.cells[cellKey(row.id, column.id)]?.code ?? "");
    }
  }
  return tables;
}

describe("the Word scheme of delegation", () => {
  it("prints every responsibility of the approved demo version with each code under its column, and the cover's approval", async () => {
    const { reading } = await documentOf(demo.trust.id, demo.approvedVersionId, "demo-approved");
    const scheme = await loadScheme(handle.db, demo.trust.id, demo.approvedVersionId);
    const tables = expectWholeMatrix(reading, scheme);
    expect(tables.every((t) => t.headerRepeats)).toBe(true);

    const cover = tablesOf(reading)[0]!.rows.map(([label, value]) => `${label}: ${value}`);
    expect(cover).toEqual(
      expect.arrayContaining([
        "Version: 2",
        "Status: Approved",
        "Approved by: Board of trustees",
        "Date of approval: 9 July 2025",
        "Minute reference: TB/25/07/6",
        "Next review due: 9 July 2026",
      ]),
    );
    const text = paragraphsOf(reading).map((p) => p.text);
    expect(text).toContain("Scheme of delegation");
    expect(text).toContain("North Dales Learning Trust");
    expect(text.join("\n")).not.toContain(NOT_VALID);
    expect(reading.sections.flatMap((s) => s.header).join("\n")).not.toContain(NOT_VALID);
    expect(reading.sections[0]!.header.join(" ")).toContain("Scheme of delegation · version 2 (approved)");
    expect(reading.pictures).toBe(1);
  });

  it("marks a version with an error nobody has resolved or accepted as not valid, and lists the error once it is accepted with a reason", async () => {
    const openErrors = async () =>
      (await validateVersion(handle.db, demo.trust.id, demo.draftVersionId, TODAY)).findings.filter((f) => f.severity === "error" && !f.acknowledged);
    expect(await openErrors()).toEqual([]);
    const clean = await documentOf(demo.trust.id, demo.draftVersionId, "demo-draft-clean");
    expect(paragraphsOf(clean.reading).map((p) => p.text)).not.toContain(NOT_VALID);

    // A second body deciding a row: an error (CO-12).
    const scheme = await loadScheme(handle.db, demo.trust.id, demo.draftVersionId);
    const row = scheme.rows.find((r) => !r.locked && !r.decisionKinds && !r.excludedKinds?.length && rowCodes(scheme, r.id).some((c) => c.code === "D"))!;
    const second = rowCodes(scheme, row.id).find((c) => c.code !== "D" && c.column.kind === "committee")!.column;
    await saveRow(handle.db, COMMAND_LINE, { trustId: demo.trust.id, versionId: demo.draftVersionId, rowId: row.id, codes: { [second.id]: "D" }, expectedRevision: scheme.rowRevisions[row.id] ?? 0 });
    const [error] = await openErrors();
    expect(error?.ruleId).toBe("CO-12");

    const invalid = await documentOf(demo.trust.id, demo.draftVersionId, "demo-draft-invalid");
    const banner = paragraphsOf(invalid.reading).find((p) => p.text === NOT_VALID);
    expect(banner?.section).toBe(0);
    expect(paragraphsOf(invalid.reading).map((p) => p.text)).toContain(error!.message);
    for (const section of invalid.reading.sections) expect(section.header.join("\n")).toContain(`${NOT_VALID}: 1 error is open`);

    const reason = "The committee and the board share this decision until the review in July: agreed at the board on 2 March.";
    await acknowledgeFinding(handle.db, COMMAND_LINE, { trustId: demo.trust.id, versionId: demo.draftVersionId, key: error!.key, reason });
    const accepted = await documentOf(demo.trust.id, demo.draftVersionId, "demo-draft-accepted");
    const text = paragraphsOf(accepted.reading).map((p) => p.text);
    expect(text).not.toContain(NOT_VALID);
    expect(accepted.reading.sections.flatMap((s) => s.header).join("\n")).not.toContain(NOT_VALID);
    const listed = text.indexOf(error!.message);
    expect(listed).toBeGreaterThan(text.indexOf("7. Findings accepted with reasons"));
    expect(text).toContain(`The trust's reason: ${reason}`);
  });

  it("keeps what users typed exactly as typed: ampersands, angle brackets, quotes, emoji and Welsh letters", async () => {
    const trust = await createTrust(handle.db, COMMAND_LINE, { name: "Ymddiriedolaeth Gŵyr & Tywi", slug: "gwyr-tywi" });
    await createBody(handle.db, COMMAND_LINE, { trustId: trust.id, kind: "committee", name: AWKWARD, chairName: "Siân Ŵen O'Brien", remit: `Remit: ${AWKWARD}` });
    const strategy = await loadStoredStrategy(handle.db, trust.id);
    const vision = `Pob plentyn <yn> dysgu & ffynnu — "gyda'n gilydd" 🎓 ŷ â`;
    await saveStrategy(handle.db, COMMAND_LINE, { trustId: trust.id, version: strategy.version, profile: strategy.profile, vision });
    // The key the trust's own matrix was marked in, as an import keeps it.
    const marks = [["Penderfynu & \"cymeradwyo\"", "D"], ["<Argymell>", "R"]];
    await handle.db.update(trusts).set({ decisionKey: { name: "custom", label: "Allwedd yr ymddiriedolaeth", description: "Ein marciau ŵ", marks } }).where(eq(trusts.id, trust.id));
    const draft = await startDraft(handle.db, COMMAND_LINE, { trustId: trust.id, from: "empty" });
    const { reading, file } = await documentOf(trust.id, draft.id, "awkward");
    const keyTable = tablesOf(reading).find((t) => t.rows[0]?.[0] === "The trust's mark")!;
    expect(keyTable.rows.slice(1)).toEqual([
      ['Penderfynu & "cymeradwyo"', "D", "Decides"],
      ["<Argymell>", "R", "Recommends"],
    ]);
    expect(paragraphsOf(reading).map((p) => p.text).join("\n")).toContain("Allwedd yr ymddiriedolaeth: Ein marciau ŵ");

    const cells = tablesOf(reading).flatMap((t) => t.rows.flat());
    expect(cells).toContain(`${AWKWARD}\nRemit: ${AWKWARD}`);
    expect(cells).toContain(AWKWARD);
    expect(cells).toContain("Siân Ŵen O'Brien");
    expect(matrixTables(reading, await loadScheme(handle.db, trust.id, draft.id))[0]!.rows[0]).toContain(AWKWARD);
    expect(paragraphsOf(reading).map((p) => p.text)).toContain(vision);
    expect(reading.sections[0]!.header[0]).toMatch(/^Ymddiriedolaeth Gŵyr & Tywi\t/);
    // Escaped once for XML, as Word expects, never twice.
    const xml = execFileSync("unzip", ["-p", file, "word/document.xml"], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
    expect(xml).toContain("Governors &amp; &quot;Friends&quot; &lt;Ysgol Gymraeg&gt; 🎓 ŵ ŷ");
    expect(xml).not.toMatch(/&amp;(amp|lt|gt|quot);/);
  });
});

describe("the national trust's document", () => {
  let reading: DocxReading;
  let file: string;

  beforeAll(async () => {
    ({ reading, file } = await documentOf(national.trustId, national.versionId, "national-trust"));
  }, 120_000);

  it("puts its 15-column matrix on landscape pages and the rest on portrait ones, every responsibility in it", async () => {
    const scheme = await loadScheme(handle.db, national.trustId, national.versionId);
    expect(scheme.columns).toHaveLength(15);
    expectWholeMatrix(reading, scheme);
    const tables = matrixTables(reading, scheme);
    expect(new Set(tables.map((t) => reading.sections[t.section]!.orientation))).toEqual(new Set(["landscape"]));
    expect(reading.sections[0]!.orientation).toBe("portrait");
    expect(reading.sections.at(-1)!.orientation).toBe("portrait");
    expect(tables.every((t) => t.headerRepeats)).toBe(true);
  });

  it("lists all 100 schools in their tiers with their next reviews, and what each tier changes", () => {
    const text = paragraphsOf(reading);
    const schoolTables = tablesOf(reading).filter((t) => t.rows[0]?.[0] === "School" && t.rows[0]?.[4] === "Review");
    const listed = schoolTables.flatMap((t) => t.rows.slice(1));
    expect(listed).toHaveLength(100);
    expect(listed.every((r) => r[2] === "15 September 2025" && /^\d{1,2} \w+ \d{4}$/.test(r[3]!))).toBe(true);
    // Each table of schools follows its tier's heading, and holds as many schools as the tier has.
    for (const tier of ["T0", "T1", "T2", "T3", "T4"] as const) {
      const heading = text.find((p) => p.style === "Heading 2" && p.text.endsWith(`(${tier})`))!;
      const table = schoolTables.find((t) => reading.blocks.indexOf(t) > reading.blocks.indexOf(heading))!;
      expect(table.rows.length - 1, tier).toBe(TIER_PATTERN.filter((t) => t === tier).length * 5);
    }
    const variants = tablesOf(reading).filter((t) => t.rows[0]?.[3] === "In the matrix" && t.rows[0]?.[4] === "In this tier");
    expect(variants).toHaveLength(3);
    expect(variants[0]!.rows.slice(1).some((r) => r[2] === "Headteachers" && r[4] === "D Decides")).toBe(true);
    expect(tablesOf(reading).filter((t) => t.rows[0]?.[4] === "For this school")).toHaveLength(10);
  });

  it("lays out in LibreOffice with a contents page whose numbers are the headings' pages", async () => {
    const pdf = await convertToPdf(file);
    await expectLaidOut(pdf);
    await keepForReview(pdf, "national-trust-15-columns");
  }, 240_000);
});

/**
 * As LibreOffice lays the document out: each contents line ends in the page its heading is on, every
 * page after the cover says which page of how many it is, and the type is Calibri's metric twin.
 */
async function expectLaidOut(pdf: string) {
  const pages = await pdfPages(pdf);
  pages.slice(1).forEach((page, i) => expect(page, `page ${i + 2}`).toContain(`Page ${i + 2} of ${pages.length}`));
  expect((await pdfFonts(pdf)).every((font) => font.startsWith("Carlito"))).toBe(true);
  const contents = pages.findIndex((p) => /^\s*Contents\s*$/m.test(p));
  expect(contents).toBeGreaterThan(-1);
  const entries = [...pages[contents]!.matchAll(/^\s*(\S.*?)\s*\.{3,}\s*(\d+)\s*$/gm)].map((m) => ({ heading: m[1]!, page: Number(m[2]) }));
  expect(entries.map((e) => e.heading)).toEqual(expect.arrayContaining(["1. Introduction", "4. The matrix", "5. Earned autonomy"]));
  expect(pages[contents]).toMatch(/The matrix.*\d+$/m);
  for (const entry of entries) {
    const onPage = pages[entry.page - 1] ?? "";
    expect(onPage.split("\n").some((line) => line.trim() === entry.heading), `"${entry.heading}" on page ${entry.page}`).toBe(true);
  }
}

describe("the demo trust's document in LibreOffice", () => {
  it("lays out with the changes since version 1 and a contents page whose numbers are the headings' pages", async () => {
    const { file, reading } = await documentOf(demo.trust.id, demo.approvedVersionId, "demo-trust-v2", { changesSince: true });
    expect(paragraphsOf(reading).map((p) => p.text)).toContain("8. Changes since version 1");
    const pdf = await convertToPdf(file);
    await expectLaidOut(pdf);
    await keepForReview(pdf, "demo-trust-v2");
  }, 240_000);
});

