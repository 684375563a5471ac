import fs from "node:fs";
import path from "node:path";
import { areaName } from "../../domain/areas";
import { KeyError, resolveKey, type DecisionKey } from "../../domain/decision-keys";
import { RuleError } from "../../domain/errors";
import { decodeCsvFile, describeProblem, type ImportPlan } from "../../domain/matrix-csv";
import { COMMAND_LINE } from "../../models/audit.server";
import { applyImport, ImportRefusedError, previewImport, retiringWords, trustKey, type CatalogueRetiring } from "../../models/matrix-import.server";
import { findTrustBySlug } from "../../models/trust.server";
import { CommandFailure, UsageError, type Command, type CommandContext } from "../command";
import { counted } from "../../domain/counted";

/** Problems listed before the rest are counted. */
const PROBLEMS_SHOWN = 50;
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

function refuse(plan: ImportPlan, file: string, replaceCatalogue: boolean): never {
  const shown = plan.errors.slice(0, PROBLEMS_SHOWN).map((p) => `  - ${describeProblem(p)}`);
  const more = plan.errors.length - shown.length;
  const hint =
    !replaceCatalogue && plan.errors.some((p) => p.refClash)
      ? [`If ${file} is the trust's whole scheme, with refs of its own, add --replace-catalogue: its rows then replace the current catalogue.`]
      : [];
  throw new CommandFailure(
    [`${file} cannot be imported; nothing was changed:`, ...shown, ...(more > 0 ? [`  …and ${more} more problems.`] : []), ...hint].join("\n"),
  );
}

/** The statutory rows that importing as the whole scheme retires (or retired), named. */
function reportStatutory(retiring: CatalogueRetiring, context: CommandContext): void {
  for (const r of retiring.statutory) context.out(`Statutory row retired: ${r.ref} ${r.title}${r.statutoryRule ? ` (${r.statutoryRule})` : ""}`);
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
    "With --replace-catalogue the file is the trust's whole scheme: every row of the current catalogue is retired\n" +
    "(approved versions keep them; the draft loses its cells on them) and every row of the file is added as a new one.\n" +
    "A file with any problem is refused whole, with each problem's row and column.",
  options: {
    trust: { type: "string", value: "SLUG", required: true, description: "The trust's short name (see sod trust list)." },
    file: { type: "string", value: "FILE", required: true, description: "The CSV file of the matrix." },
    key: { type: "string", value: "NAME|MAP", description: "How the file's marks map to decision codes (default: codes)." },
    "replace-catalogue": {
      type: "boolean",
      description: "The file is the trust's whole scheme: retire the current catalogue's rows and add the file's rows as new ones.",
    },
    "dry-run": { type: "boolean", description: "Show what would change, and change nothing." },
  },
  examples: [
    "sod import-csv --trust north-dales --file scheme.csv",
    "sod import-csv --trust north-dales --file manor.csv --key x",
    'sod import-csv --trust north-dales --file ours.csv --key "Lead=D,Advise=A,Told=I" --dry-run',
    "sod import-csv --trust new-trust --file manor.csv --key x --replace-catalogue",
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
    const replaceCatalogue = args.flag("replace-catalogue");
    const input = { trustId: trust.id, csv, key, fileName: shownFile, replaceCatalogue };

    if (args.flag("dry-run")) {
      const preview = await previewImport(db, input);
      if (preview.plan.errors.length > 0) refuse(preview.plan, shownFile, replaceCatalogue);
      report(preview.plan, context);
      if (preview.retiring) {
        reportStatutory(preview.retiring, context);
        context.out(retiringWords(preview.retiring, preview.draft));
      }
      const into = preview.draft ? `draft version ${preview.draft.number}` : `a new draft, version ${preview.newDraft!.number}`;
      context.out(`Nothing was changed (dry run). Importing into ${into} would give ${summary(preview.plan)}.`);
      return;
    }
    try {
      const result = await applyImport(db, COMMAND_LINE, input);
      report(result.plan, context);
      const retired = result.retiring?.rows ?? 0;
      if (!result.version || result.plan.summary.newRows + result.plan.summary.updatedRows + result.plan.summary.newBodies + retired === 0) {
        context.out(`${shownFile} matches the trust's matrix already: nothing to change.`);
        return;
      }
      const started = result.startedDraft ? ` (started for this import)` : "";
      if (result.retiring && retired > 0) {
        reportStatutory(result.retiring, context);
        if (result.retiring.statutory.length > 0) {
          context.out("The checks will report the statutory decisions the file does not cover; approved versions keep the retired rows.");
        }
      }
      const whole = retired > 0 ? `; ${counted(retired, "row")} of the catalogue before it retired` : "";
      context.out(`Imported ${shownFile} into ${trust.name}, draft version ${result.version.number}${started}: ${summary(result.plan)}${whole}.`);
    } catch (error) {
      if (error instanceof ImportRefusedError) refuse(error.plan, shownFile, replaceCatalogue);
      throw error;
    }
  },
};
