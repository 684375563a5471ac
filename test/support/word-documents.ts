/**
 * Reading Word documents the way their readers do, with tools that share no code with the writer:
 * Debian's python-docx for the text, tables and sections (read-docx.py), LibreOffice to lay the pages
 * out as a PDF, and poppler to read that PDF's text and draw its pages.
 */
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { engine } from "./database";

const run = promisify(execFile);

/** Debian's Python, which has python3-docx; the python3 on PATH may be another without it. */
const DEBIAN_PYTHON = "/usr/bin/python3";
const READER = path.join(import.meta.dirname, "read-docx.py");

/** Where the test run keeps documents for a reviewer to look at (CI keeps test-results). */
export const DOCUMENTS_DIR = path.resolve(import.meta.dirname, "../../test-results/documents");

export interface DocxParagraph {
  type: "paragraph";
  section: number;
  style: string;
  text: string;
}

export interface DocxTable {
  type: "table";
  section: number;
  headerRepeats: boolean;
  rows: string[][];
}

export interface DocxReading {
  sections: { orientation: "portrait" | "landscape"; width: number; height: number; header: string[]; footer: string[]; titlePage: boolean }[];
  blocks: (DocxParagraph | DocxTable)[];
  pictures: number;
  title: string;
}

export function scratchDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
}

/** What python-docx finds in the document. */
export async function readDocx(file: string): Promise<DocxReading> {
  const { stdout } = await run(DEBIAN_PYTHON, [READER, file], { maxBuffer: 64 * 1024 * 1024 });
  return JSON.parse(stdout) as DocxReading;
}

export const tablesOf = (reading: DocxReading) => reading.blocks.filter((b): b is DocxTable => b.type === "table");
export const paragraphsOf = (reading: DocxReading) => reading.blocks.filter((b): b is DocxParagraph => b.type === "paragraph");

/**
 * Lays the document out with LibreOffice into a PDF beside it, with a profile of its own (two
 * LibreOffice processes sharing one profile wait for each other or fail). Throws with LibreOffice's
 * output when no PDF comes out.
 */
export async function convertToPdf(docxFile: string): Promise<string> {
  const profile = path.join(os.tmpdir(), `lo-${process.pid}-${randomBytes(4).toString("hex")}`);
  const outDir = path.dirname(docxFile);
  try {
    const { stdout, stderr } = await run(
      "libreoffice",
      ["--headless", "--norestore", `-env:UserInstallation=file://${profile}`, "--convert-to", "pdf", "--outdir", outDir, docxFile],
      { timeout: 150_000 },
    );
    const pdf = path.join(outDir, `${path.basename(docxFile, ".docx")}.pdf`);
    if (!fs.existsSync(pdf)) throw new Error(`LibreOffice made no PDF of ${docxFile}:\n${stdout}\n${stderr}`);
    return pdf;
  } finally {
    fs.rmSync(profile, { recursive: true, force: true });
  }
}

/** The PDF's text page by page, as pdftotext lays it out. */
export async function pdfPages(pdf: string): Promise<string[]> {
  const { stdout } = await run("pdftotext", ["-layout", pdf, "-"], { maxBuffer: 64 * 1024 * 1024 });
  const pages = stdout.split("\f");
  return pages.at(-1)?.trim() === "" ? pages.slice(0, -1) : pages;
}

/** The names of the fonts the PDF uses, without their subset prefixes ("Carlito-Bold"). */
export async function pdfFonts(pdf: string): Promise<string[]> {
  const { stdout } = await run("pdffonts", [pdf]);
  return [...new Set(stdout.split("\n").slice(2).filter(Boolean).map((line) => line.split(/\s+/)[0]!.replace(/^[A-Z]{6}\+/, "")))];
}

/** Draws every page of the PDF as a PNG at 60 dots to the inch: `<prefix>-01.png`, `<prefix>-02.png`… */
export async function drawPages(pdf: string, prefix: string): Promise<string[]> {
  await run("pdftoppm", ["-r", "60", "-png", pdf, prefix]);
  const dir = path.dirname(prefix);
  const stem = path.basename(prefix);
  return fs
    .readdirSync(dir)
    .filter((name) => name.startsWith(`${stem}-`) && name.endsWith(".png"))
    .sort()
    .map((name) => path.join(dir, name));
}

/**
 * Copies the PDF and its pages drawn as PNGs into test-results/documents/ as `<name>.pdf` and
 * `<name>-NN.png`, replacing those of an earlier run; from the embedded database's run only, since one
 * set is enough. Returns the pages drawn (none on PostgreSQL).
 */
export async function keepForReview(pdf: string, name: string): Promise<string[]> {
  if (engine() !== "pglite") return [];
  fs.mkdirSync(DOCUMENTS_DIR, { recursive: true });
  for (const old of fs.readdirSync(DOCUMENTS_DIR).filter((f) => f.startsWith(`${name}-`) || f === `${name}.pdf`)) fs.rmSync(path.join(DOCUMENTS_DIR, old));
  const kept = path.join(DOCUMENTS_DIR, `${name}.pdf`);
  fs.copyFileSync(pdf, kept);
  return drawPages(kept, path.join(DOCUMENTS_DIR, name));
}
