import type { Database } from "../../../db/client";
import { exportVariationsCsv, exportVersionCsv } from "../../models/matrix-export.server";
import type { Trust } from "../../models/trust.server";
import { UsageError, type Command, type CommandArgs, type CommandContext } from "../command";
import { exportDocx } from "./export-docx";
import { exportHtml } from "./export-html";
import { exportSchoolPack } from "./export-school-pack";
import { exportTarget } from "../export-target";
import { writeFileWhole } from "../files";

interface ExportRequest {
  db: Database;
  trust: Trust;
  number: number;
  out: string;
}

// ---------------------------------------------------------------- CSV: the matrix in the format import-csv reads

async function exportCsv(request: ExportRequest, args: CommandArgs, context: CommandContext): Promise<void> {
  const result = await exportVersionCsv(request.db, request.trust, { number: request.number, key: args.text("key") });
  // With a byte-order mark, as Excel needs to read UTF-8; import-csv ignores it.
  writeFileWhole(request.out, `\uFEFF${result.csv}`);
  context.out(`Wrote version ${result.version.number} (${result.version.status}) of ${request.trust.name}'s matrix to ${request.out}.`);
  const { tierCells, schoolCells } = result.leftOut;
  if (tierCells + schoolCells > 0) {
    context.out(
      `Not in the file: ${tierCells} cells varied for autonomy tiers and ${schoolCells} for single schools (the CSV holds the matrix every school starts from; --format variations-csv writes them).`,
    );
  }
}

// ---------------------------------------------------------------- the tier and school variations beside it

async function exportVariations(request: ExportRequest, args: CommandArgs, context: CommandContext): Promise<void> {
  const result = await exportVariationsCsv(request.db, request.trust, { number: request.number, key: args.text("key") });
  writeFileWhole(request.out, `\uFEFF${result.csv}`);
  const { tierCells, schoolCells } = result.written;
  context.out(
    `Wrote the variations of version ${result.version.number} (${result.version.status}) of ${request.trust.name}'s scheme to ${request.out}: ${tierCells} cells varied for autonomy tiers and ${schoolCells} for single schools.`,
  );
}

const FORMATS: Record<string, (request: ExportRequest, args: CommandArgs, context: CommandContext) => Promise<void>> = {
  csv: exportCsv,
  "variations-csv": exportVariations,
  html: exportHtml,
  docx: exportDocx,
};

export const exportCommand: Command = {
  name: "export",
  summary: "Write a version of a trust's scheme to a file.",
  details:
    "--format csv writes the matrix as import-csv reads it: ref,area,responsibility and one column per body with its\n" +
    "kind in brackets, rows in area order, each cell's decision code (or the trust's own mark with --key trust, or any\n" +
    "key's marks with --key NAME|MAP). --format variations-csv writes the tier variants and schools' own variations\n" +
    "beside it: ref,column,applies to,mark, one line per varied cell. --format html writes the page the trust publishes\n" +
    "(structure, chairs, key and matrix) as one file with its styles and no scripts. --format docx writes the Word scheme\n" +
    "of delegation (cover, contents, structure, key, matrix, earned autonomy, variations, accepted findings); --changes\n" +
    "adds what changed since the version approved before it; --school URN writes that school's pack instead (the scheme as\n" +
    "it applies to the school, for its local board).\n" +
    "Without --version, the latest version is written (the draft, if there is one).\n" +
    "An existing file is not overwritten unless you add --force.",
  options: {
    trust: { type: "string", value: "SLUG", required: true, description: "The trust's short name (see sod trust list)." },
    version: { type: "string", value: "N", description: "The version's number (default: the latest)." },
    format: { type: "string", value: "FORMAT", required: true, description: `What to write: ${Object.keys(FORMATS).join(", ")}.` },
    out: { type: "string", value: "FILE", required: true, description: "The file to write." },
    key: { type: "string", value: "NAME|MAP", description: "Write marks of this key, or trust for the trust's own (default: codes)." },
    changes: { type: "boolean", description: "With --format docx: add what changed since the version approved before it." },
    school: { type: "string", value: "URN", description: "With --format docx: write the pack of the school with this URN." },
    force: { type: "boolean", description: "Overwrite the file if it exists." },
  },
  examples: [
    "sod export --trust north-dales --format csv --out scheme.csv",
    "sod export --trust north-dales --version 2 --format csv --key trust --out scheme-v2.csv",
    "sod export --trust north-dales --version 2 --format variations-csv --out scheme-v2-variations.csv",
    "sod export --trust north-dales --version 2 --format html --out scheme-v2.html",
    "sod export --trust north-dales --version 2 --format docx --changes --out scheme-v2.docx",
    "sod export --trust north-dales --version 2 --format docx --school 146318 --out devils-arrows-v2.docx",
  ],
  async run(args, context) {
    const format = args.required("format").trim().toLowerCase();
    if (!FORMATS[format]) throw new UsageError(`There is no export format "${format}". Use one of: ${Object.keys(FORMATS).join(", ")}.`);
    const school = args.text("school") !== undefined;
    if (school && format !== "docx") throw new UsageError("--school writes a school's pack, a Word document: use it with --format docx.");
    const write = school ? exportSchoolPack : FORMATS[format]!;
    const { db, trust, number, out } = await exportTarget(args, context);
    await write({ db, trust, number, out }, args, context);
  },
};
