import fs from "node:fs";
import path from "node:path";
import { describeEntry, describePerformanceProblem, type PerformanceCsvProblem } from "../../domain/performance-csv";
import { COMMAND_LINE } from "../../models/audit.server";
import { importPerformanceRecords, PerformanceImportRefusedError, planPerformanceImport, type PerformanceImportPlan } from "../../models/performance-import.server";
import { findTrustBySlug } from "../../models/trust.server";
import { CommandFailure, type Command, type CommandContext } from "../command";
import { counted } from "../../domain/counted";

/** Problems listed before the rest are counted. */
const PROBLEMS_SHOWN = 50;
function readFile(file: string): Uint8Array {
  try {
    return fs.readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new CommandFailure(`The file ${file} does not exist.`);
    if (code === "EISDIR") throw new CommandFailure(`${file} is a folder, not a file.`);
    if (code === "EACCES") throw new CommandFailure(`You are not allowed to read ${file}.`);
    throw new CommandFailure(`Could not read ${file}: ${(error as Error).message}`);
  }
}

function refuse(problems: PerformanceCsvProblem[], file: string): never {
  const shown = problems.slice(0, PROBLEMS_SHOWN).map((p) => `  - ${describePerformanceProblem(p)}`);
  const more = problems.length - shown.length;
  throw new CommandFailure([`${file} cannot be imported; nothing was changed:`, ...shown, ...(more > 0 ? [`  …and ${more} more problems.`] : [])].join("\n"));
}

function report(plan: PerformanceImportPlan, context: CommandContext): void {
  for (const row of plan.toRecord) context.out(`Record: ${row.school.name} (URN ${row.school.urn}) as of ${row.entry.asOf}: ${describeEntry(row.entry)}`);
  for (const row of plan.alreadyRecorded) context.out(`Already recorded, left as it is: ${row.school.name} (URN ${row.school.urn}) as of ${row.entry.asOf} (line ${row.line})`);
  if (plan.reading.blankLines.length > 0) context.out(`Passed over (a school and nothing recorded): line ${plan.reading.blankLines.join(", ")}`);
}

export const importPerformanceCommand: Command = {
  name: "import-performance",
  summary: "Add schools' performance records (inspections, outcomes, finances…) to a trust from CSV.",
  details:
    "Each row of the file is one record of one school on one date: the school's URN, the date (asOf) and what was found,\n" +
    "in the columns of the template the import page offers (urn, school, asOf, inspectionFramework, legacyGrade, rc_<area>,\n" +
    "safeguardingMet, outcomesBand, trend, inYearBalance, reserves, deficit, safeguardingAudit, leadershipStability,\n" +
    "terminationWarning, note; see docs/import-formats.md). A record the school already has, word for word, is not added again.\n" +
    "A file with any problem is refused whole, with each problem's line and column.",
  options: {
    trust: { type: "string", value: "SLUG", required: true, description: "The trust's short name (see sod trust list)." },
    file: { type: "string", value: "FILE", required: true, description: "The CSV file of performance records." },
    "dry-run": { type: "boolean", description: "Show what would be recorded, and change nothing." },
  },
  examples: ["sod import-performance --trust north-dales --file performance-2026.csv", "sod import-performance --trust north-dales --file performance-2026.csv --dry-run"],
  async run(args, context) {
    const file = args.required("file");
    const content = readFile(file);
    const slug = args.required("trust");
    const db = await context.database();
    const trust = await findTrustBySlug(db, slug);
    if (!trust) throw new CommandFailure(`There is no trust with the short name "${slug}". Run "sod trust list" to see the trusts.`);
    const shownFile = path.basename(file);

    if (args.flag("dry-run")) {
      const plan = await planPerformanceImport(db, trust.id, content);
      if (plan.reading.problems.length > 0) refuse(plan.reading.problems, shownFile);
      report(plan, context);
      context.out(`Nothing was changed (dry run). Importing would add ${counted(plan.toRecord.length, "performance record")} to ${trust.name}.`);
      return;
    }
    try {
      const done = await importPerformanceRecords(db, COMMAND_LINE, { trustId: trust.id, content, fileName: shownFile });
      report(done.plan, context);
      context.out(
        done.recorded === 0
          ? `Every record of ${shownFile} was already recorded: nothing was added.`
          : `Imported ${shownFile} into ${trust.name}: ${counted(done.recorded, "performance record")} for ${counted(done.schools, "school")}.`,
      );
    } catch (error) {
      if (error instanceof PerformanceImportRefusedError) refuse(error.problems, shownFile);
      throw error;
    }
  },
};
