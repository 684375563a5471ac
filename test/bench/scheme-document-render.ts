/**
 * Renders a Word scheme of delegation from its data (a JSON file written by scheme-document.ts) in a
 * process of its own, so that the process's peak memory is the document's, not the database's (an
 * embedded PGlite alone takes most of a gigabyte). Prints {"runs": [ms…], "maxRssMb": n, "bytes": n}.
 *
 * node --import tsx test/bench/scheme-document-render.ts DATA.json RUNS
 */
import fs from "node:fs";
import type { SchemeDocumentData } from "~/domain/scheme-document";
import { renderSchemeDocument } from "~/export/scheme-document.server";

const [file, count = "3"] = process.argv.slice(2);
if (!file) throw new Error("Give the document's data as a JSON file.");
const data = JSON.parse(fs.readFileSync(file, "utf8")) as SchemeDocumentData;
const runs: number[] = [];
let bytes = 0;
for (let i = 0; i < Number(count); i++) {
  const started = performance.now();
  bytes = (await renderSchemeDocument(data)).byteLength;
  runs.push(performance.now() - started);
}
process.stdout.write(JSON.stringify({ runs, maxRssMb: process.resourceUsage().maxRSS / 1024, bytes }));
