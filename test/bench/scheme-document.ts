/**
 * The national trust's Word scheme of delegation: 150 responsibilities, 15 columns, tier variants for
 * three tiers, 100 schools each with a decided tier and a tenth with variations of their own.
 *
 * Timed, in this process: (a) the whole document, from the database to the .docx bytes
 * (loadSchemeDocument then renderSchemeDocument), and renderSchemeDocument alone; (b) the matrix's
 * tables as the document makes them (matrixTable, with the document's styles, header and footer)
 * against the floor: the same tables (rows, cells, texts and widths) built with docx directly and
 * packed, as plainly as docx allows. Their ratio is the product's overhead over docx's own packing.
 * Measured in a process of its own: (c) the peak memory of rendering the whole document from its data
 * (scheme-document-render.ts), since this process also holds the database.
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { Document, Packer, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } from "docx";
import { appRoot, openDatabase } from "../../db/client";
import { matrixLayout } from "~/domain/document-layout";
import type { SchemeDocumentData } from "~/domain/scheme-document";
import { documentStyles, matrixTable, section, sectionPage } from "~/export/docx-parts.server";
import { renderSchemeDocument } from "~/export/scheme-document.server";
import { loadSchemeDocument } from "~/models/scheme-document.server";
import { createNationalTrust } from "../fixtures/national-trust";
import { addNationalTiers } from "../fixtures/national-trust-tiers";
import type { Benchmark, Figure } from "./types";
import { percentile } from "./validation";

const run = promisify(execFile);

export const DOCUMENT_TARGET_S = 3;
export const DOCUMENT_MEMORY_TARGET_MB = 600;
export const OVERHEAD_TARGET = 1.5;

const WARM_UP = 2;
const TIMED = 7;
/** Runs of the matrix's tables against the floor. */
const PAIRS = 21;
const TODAY = "2026-03-02";

function layoutOf(data: SchemeDocumentData) {
  return matrixLayout(
    data.columns.map((c) => c.heading),
    data.areas.flatMap((a) => a.rows.map((r) => r.ref)),
  );
}

/** The matrix's tables as the Word document makes them, on their own. */
function matrixDocument(data: SchemeDocumentData): Document {
  const layout = layoutOf(data);
  const headings = data.columns.map((c) => c.heading);
  const running = { trust: data.trust.name, document: "Scheme of delegation", footnote: "Prepared", warning: null };
  const tables = data.areas.map((area) =>
    matrixTable({
      layout,
      headings,
      rows: area.rows.map((row) => ({ ref: row.ref, title: row.title, codes: row.codes, notes: row.notes.map((n) => `${n.column}: ${n.note}`) })),
    }),
  );
  return new Document({ styles: documentStyles(), sections: [section(layout.page, running, tables)] });
}

/** The same matrix tables built with docx directly: the least any writer of these tables could do. */
function floorDocument(data: SchemeDocumentData): Document {
  const layout = layoutOf(data);
  const widths = [layout.reference, layout.title, ...layout.codes];
  const cell = (text: string, width: number) => new TableCell({ width: { size: width, type: WidthType.DXA }, children: [new Paragraph({ children: [new TextRun(text)] })] });
  const tables = data.areas.map(
    (area) =>
      new Table({
        columnWidths: widths,
        width: { size: widths.reduce((s, w) => s + w, 0), type: WidthType.DXA },
        rows: [
          new TableRow({ tableHeader: true, children: ["Ref", "Responsibility", ...data.columns.map((c) => c.heading)].map((h, i) => cell(h, widths[i]!)) }),
          ...area.rows.map((row) => new TableRow({ children: [row.ref, row.title, ...row.codes.map((c) => c ?? "")].map((text, i) => cell(text, widths[i]!)) })),
        ],
      }),
  );
  return new Document({ sections: [{ properties: { page: sectionPage(layout.page) }, children: tables }] });
}

const seconds = (ms: number) => ms / 1000;

export const schemeDocument: Benchmark = {
  name: "scheme-document",
  summary: "The national trust's Word scheme of delegation (150 rows, 15 columns, tier variants, 100 schools): from the database, its memory alone, and its overhead over docx packing the same matrix tables",
  async run(target, log) {
    const database = await target.create();
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "sod-bench-document-"));
    try {
      const handle = await openDatabase(database.config);
      let data: SchemeDocumentData;
      const whole: number[] = [];
      const rendering: number[] = [];
      const ours: number[] = [];
      const floor: number[] = [];
      let bytes = 0;
      let what: string;
      try {
        const trust = await createNationalTrust(handle.db);
        const tiers = await addNationalTiers(handle.db, trust);
        const once = async () => {
          const started = performance.now();
          const loaded = await loadSchemeDocument(handle.db, trust.trustId, trust.versionId, { today: TODAY, changesSince: true });
          bytes = (await renderSchemeDocument(loaded)).byteLength;
          return { loaded, ms: performance.now() - started };
        };
        for (let i = 0; i < WARM_UP; i++) data = (await once()).loaded;
        for (let i = 0; i < TIMED; i++) {
          const result = await once();
          data = result.loaded;
          whole.push(result.ms);
        }
        const rows = data!.areas.reduce((n, a) => n + a.rows.length, 0);
        what =
          `${rows} rows × ${data!.columns.length} columns, ${tiers.tierCells} tier variants, ${tiers.decisions} schools in tiers, ` +
          `${tiers.schoolCells} school variations over ${data!.variations.length} schools, ${data!.structure.bodies.length} bodies; ${(bytes / 1024).toFixed(0)} KB`;
        log(what);
      } finally {
        await handle.close();
      }

      for (let i = 0; i < WARM_UP + TIMED; i++) {
        const started = performance.now();
        await renderSchemeDocument(data!);
        if (i >= WARM_UP) rendering.push(performance.now() - started);
      }
      // Ours and the floor in turns, so that the machine's moods fall on both alike; they are quick, so more of them.
      for (let i = 0; i < WARM_UP + PAIRS; i++) {
        let started = performance.now();
        await Packer.toBuffer(matrixDocument(data!));
        const mine = performance.now() - started;
        started = performance.now();
        await Packer.toBuffer(floorDocument(data!));
        const least = performance.now() - started;
        if (i >= WARM_UP) {
          ours.push(mine);
          floor.push(least);
        }
      }

      const dataFile = path.join(scratch, "national-trust.json");
      fs.writeFileSync(dataFile, JSON.stringify(data!));
      const { stdout } = await run(process.execPath, ["--import", "tsx", path.join(appRoot(), "test/bench/scheme-document-render.ts"), dataFile, "3"], {
        cwd: appRoot(),
        maxBuffer: 1024 * 1024,
      });
      const alone = JSON.parse(stdout) as { runs: number[]; maxRssMb: number };

      const p50 = percentile(whole, 50);
      const p95 = percentile(whole, 95);
      const oursP50 = percentile(ours, 50);
      const floorP50 = percentile(floor, 50);
      const overhead = oursP50 / floorP50;
      const renderP50 = percentile(rendering, 50);
      log(`(a) from the database to the file: p50 ${seconds(p50).toFixed(2)} s, p95 ${seconds(p95).toFixed(2)} s; rendering alone p50 ${renderP50.toFixed(0)} ms (${WARM_UP} warm-up, ${TIMED} runs)`);
      log(`(b) the matrix's tables as the document makes them p50 ${oursP50.toFixed(0)} ms against docx packing the same tables p50 ${floorP50.toFixed(0)} ms: ${overhead.toFixed(2)}×`);
      log(`(c) rendering in a process of its own: peak ${alone.maxRssMb.toFixed(0)} MB, runs ${alone.runs.map((r) => r.toFixed(0)).join(", ")} ms`);
      return [
        { name: "national document p50", value: seconds(p50), unit: "s", target: { below: DOCUMENT_TARGET_S }, detail: what! },
        { name: "national document p95", value: seconds(p95), unit: "s", target: { below: DOCUMENT_TARGET_S } },
        {
          name: "national document rendering p50",
          value: seconds(renderP50),
          unit: "s",
          detail: "renderSchemeDocument alone, from the loaded data: every section, the structure chart drawn as a picture, and the packing",
        },
        {
          name: "national document peak memory",
          value: Math.round(alone.maxRssMb),
          unit: "MB",
          target: { below: DOCUMENT_MEMORY_TARGET_MB },
          detail: "the peak resident memory of a process that renders the document from its data three times (the database's own memory is not in it)",
        },
        {
          name: "national matrix tables over docx's packing",
          value: Number(overhead.toFixed(2)),
          unit: "",
          target: { atMost: OVERHEAD_TARGET },
          detail: `the matrix's tables through matrixTable with the document's styles, header and footer, built and packed, p50 ${oursP50.toFixed(0)} ms / the same tables built with docx directly and packed, p50 ${floorP50.toFixed(0)} ms`,
        },
      ] satisfies Figure[];
    } finally {
      fs.rmSync(scratch, { recursive: true, force: true });
      await database.dispose();
    }
  },
};
