import fs from "node:fs";
import path from "node:path";
import { areaName } from "../../domain/areas";
import { KeyError, resolveKey, type DecisionKey } from "../../domain/decision-keys";
import { RuleError } from "../../domain/errors";
import { decodeCsvFile, describeProblem, type ImportPlan } from "../../domain/matrix-csv";
import { COMMAND_LINE } from "../../models/audit.server";
import { applyImport, ImportRefusedError, previewImport, trustKey } from "../../models/matrix-import.server";
import { findTrustBySlug } from "../../models/trust.server";
import { CommandFailure, UsageError, type Command, type CommandContext } from "../command";

/** Problems listed before the rest are counted. */
const PROBLEMS_SHOWN = 50;

const counted = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function readFile(file: string): string {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new CommandFailure(`The file ${file} does not exist.`);
    if (code === "EISDIR") throw new CommandFailure(`${file} is a folder, not a file.`);
    if (code === "EACCES") throw new CommandFailure(`You are not allowed to read ${file}.`);
    throw new CommandFailure(`Could not read ${file}: ${(error as Error).message}`);
  }
  try {
    return decodeCsvFile(bytes);
  } catch (error) {
    if (error instanceof RuleError) throw new CommandFailure(`${file}: ${error.message}`);
    throw error;
  }
}

function refuse(plan: ImportPlan, file: string): never {
  const shown = plan.errors.slice(0, PROBLEMS_SHOWN).map((p) => `  - ${describeProblem(p)}`);
  const more = plan.errors.length - shown.length;
  throw new CommandFailure(
    [`${file} cannot be imported; nothing was changed:`, ...shown, ...(more > 0 ? [`  …and ${more} more problems.`] : [])].join("\n"),
  );
}

function report(plan: ImportPlan, context: CommandContext): void {
  for (const w of plan.warnings) context.out(`Warning: ${describeProblem(w)}`);
  for (const c of plan.columns.filter((c) => c.existingId === null)) context.out(`New body: ${c.name} (${c.kind})`);
  for (const s of plan.sections) {
    const heading = s.heading === "" ? "(no section heading)" : s.heading;
    const how = s.source === "none" ? "no research area matches its name: unclassified" : areaName(s.area);
    context.out(`Section ${heading}: ${how}`);
  }
  if (plan.untouched.length > 0) {
    context.out(`Left as they are (in the trust, not in the file): ${plan.untouched.map((r) => r.ref).join(", ")}`);
  }
}

function summary(plan: ImportPlan): string {
  const s = plan.summary;
  return (
    `${counted(s.newBodies, "new body", "new bodies")}, ${counted(s.newRows, "new responsibility", "new responsibilities")}, ` +
    `${counted(s.updatedRows, "responsibility", "responsibilities")} updated, ${counted(s.cellsSet, "cell")} set, ${s.cellsCleared} cleared`
  );
}

async function chooseKey(choice: string | undefined, trustId: string, context: CommandContext): Promise<DecisionKey> {
  if (choice?.trim().toLowerCase() === "trust") {
    const key = await trustKey(await context.database(), trustId);
    if (!key) throw new UsageError("The trust has no key of its own yet: give --key with the key's name or MARK=CODE pairs.");
    return key;
  }
  try {
    return resolveKey(choice ?? "codes");
  } catch (error) {
    throw error instanceof KeyError ? new UsageError(error.message) : error;
  }
}

export const importCsvCommand: Command = {
  name: "import-csv",
  summary: "Import a trust's matrix from CSV into its draft scheme (starting a draft when there is none).",
  details:
    "The file's heading row is ref,area,responsibility and then one column per body, e.g. \"Audit committee [committee]\"\n" +
    "(see docs/import-formats.md). Rows are matched to the trust's responsibilities by ref: a match is updated in the\n" +
    "draft, a new ref adds a responsibility. A body the trust does not have is added when its heading gives its kind.\n" +
    "Cells hold the trust's own marks, read with --key: codes (D R C A E M I —, the default), x, y-a,\n" +
    "responsible-recommends, rasci, defined-phrases, trust (the key kept from the trust's last import), or your own\n" +
    "MARK=CODE pairs such as X=D,*=C. Sections whose names match no research area are left unclassified.\n" +
    "A file with any problem is refused whole, with each problem's row and column.",
  options: {
    trust: { type: "string", value: "SLUG", required: true, description: "The trust's short name (see sod trust list)." },
    file: { type: "string", value: "FILE", required: true, description: "The CSV file of the matrix." },
    key: { type: "string", value: "NAME|MAP", description: "How the file's marks map to decision codes (default: codes)." },
    "dry-run": { type: "boolean", description: "Show what would change, and change nothing." },
  },
  examples: [
    "sod import-csv --trust north-dales --file scheme.csv",
    "sod import-csv --trust north-dales --file manor.csv --key x",
    'sod import-csv --trust north-dales --file ours.csv --key "Lead=D,Advise=A,Told=I" --dry-run',
  ],
  async run(args, context) {
    const file = args.required("file");
    const csv = readFile(file);
    const slug = args.required("trust");
    const db = await context.database();
    const trust = await findTrustBySlug(db, slug);
    if (!trust) throw new CommandFailure(`There is no trust with the short name "${slug}". Run "sod trust list" to see the trusts.`);
    const key = await chooseKey(args.text("key"), trust.id, context);
    const shownFile = path.basename(file);
    const input = { trustId: trust.id, csv, key, fileName: shownFile };

    if (args.flag("dry-run")) {
      const preview = await previewImport(db, input);
      if (preview.plan.errors.length > 0) refuse(preview.plan, shownFile);
      report(preview.plan, context);
      const into = preview.draft ? `draft version ${preview.draft.number}` : `a new draft, version ${preview.newDraft!.number}`;
      context.out(`Nothing was changed (dry run). Importing into ${into} would give ${summary(preview.plan)}.`);
      return;
    }
    try {
      const result = await applyImport(db, COMMAND_LINE, input);
      report(result.plan, context);
      if (!result.version || result.plan.summary.newRows + result.plan.summary.updatedRows + result.plan.summary.newBodies === 0) {
        context.out(`${shownFile} matches the trust's matrix already: nothing to change.`);
        return;
      }
      const started = result.startedDraft ? ` (started for this import)` : "";
      context.out(`Imported ${shownFile} into ${trust.name}, draft version ${result.version.number}${started}: ${summary(result.plan)}.`);
    } catch (error) {
      if (error instanceof ImportRefusedError) refuse(error.plan, shownFile);
      throw error;
    }
  },
};
