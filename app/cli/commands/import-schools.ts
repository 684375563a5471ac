import fs from "node:fs";
import path from "node:path";
import { describeProblem, parseUrnList, RegisterReader, REGISTER_FIELD_LABELS, type RegisterFilter, type RegisterReading } from "../../domain/gias";
import { RuleError } from "../../domain/errors";
import { COMMAND_LINE } from "../../models/audit.server";
import { importSchools, planSchoolImport, type SchoolImportPlan } from "../../models/school-import.server";
import { findTrustBySlug } from "../../models/trust.server";
import { CommandFailure, UsageError, type Command, type CommandContext } from "../command";
import { counted } from "../../domain/counted";

/** Problems listed before the rest are counted. */
const PROBLEMS_SHOWN = 50;

/** Reads the register as it streams from disk: the full file is about 60 MB, and only the trust's rows are kept. */
async function readRegisterFile(file: string, filter: RegisterFilter): Promise<RegisterReading> {
  const reader = new RegisterReader(filter);
  try {
    for await (const chunk of fs.createReadStream(file, { highWaterMark: 256 * 1024 })) reader.write(chunk as Buffer);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new CommandFailure(`The file ${file} does not exist.`);
    if (code === "EISDIR") throw new CommandFailure(`${file} is a folder, not a file.`);
    if (code === "EACCES") throw new CommandFailure(`You are not allowed to read ${file}.`);
    throw new CommandFailure(`Could not read ${file}: ${(error as Error).message}`);
  }
  return reader.end();
}

function refuseProblems(reading: RegisterReading, file: string): never {
  const shown = reading.problems.slice(0, PROBLEMS_SHOWN).map((p) => `  - ${describeProblem(p)}`);
  const more = reading.problems.length - shown.length;
  throw new CommandFailure([`${file} cannot be imported; nothing was changed:`, ...shown, ...(more > 0 ? [`  …and ${more} more problems.`] : [])].join("\n"));
}

function refuseNothingFound(reading: RegisterReading, filter: RegisterFilter, file: string): never {
  const lines = [
    filter.by === "urns"
      ? `No school of ${file} with the URNs ${filter.urns.join(", ")} can be imported; nothing was changed.`
      : `No school in ${file} belongs to a trust named "${filter.trustName}"; nothing was changed.`,
  ];
  for (const s of reading.skipped) lines.push(`  Skipped line ${s.line}, ${s.name} (URN ${s.urn}): ${s.reason}`);
  if (filter.by === "urns") throw new CommandFailure(lines.join("\n"));
  if (reading.similarTrustNames.length > 0) lines.push("The register has these trusts with similar names:", ...reading.similarTrustNames.map((n) => `  ${n}`));
  lines.push("Give the register's spelling with --trust-name, or list the schools with --urns.");
  throw new CommandFailure(lines.join("\n"));
}

function report(plan: SchoolImportPlan, reading: RegisterReading, context: CommandContext): void {
  for (const s of reading.skipped) context.out(`Skipped line ${s.line}, ${s.name} (URN ${s.urn}): ${s.reason}`);
  for (const { school } of plan.additions) context.out(`Add: ${school.name} (URN ${school.urn})`);
  for (const { school, changes } of plan.updates) {
    const what = changes.map((c) => `${REGISTER_FIELD_LABELS[c.field].toLowerCase()} ${c.before ?? "none"} → ${c.after}`).join("; ");
    context.out(`Update: ${school.name} (URN ${school.urn}): ${what}`);
  }
  for (const { school, inspection } of [...plan.additions, ...plan.updates, ...plan.unchanged]) {
    if (inspection.kind === "none") context.out(`No Ofsted grade for ${school.name} (URN ${school.urn}): ${inspection.reason}`);
  }
  if (plan.notInFile.length > 0) {
    context.out(`Left as they are (in the trust, not in the file): ${plan.notInFile.map((s) => `${s.name} (URN ${s.urn})`).join(", ")}`);
  }
}
export const importSchoolsCommand: Command = {
  name: "import-schools",
  summary: "Add or update a trust's schools from the DfE register's establishment fields CSV.",
  details:
    "The file is the \"establishment fields\" CSV from Get Information About Schools (e.g. edubasealldata20261101.csv),\n" +
    "read as it streams, so the full register is fine. Only the trust's schools are kept: those whose \"Trusts (name)\"\n" +
    "is the trust's name (capitals and spaces do not matter), or those listed with --urns. Schools are matched by URN:\n" +
    "a new URN adds a school, a known one has its name, phase, postcode, location and local authority updated.\n" +
    "Clusters, local boards, joining dates and headteachers are left alone, and each Ofsted grade is recorded once.\n" +
    "A file with any problem is refused whole, with each problem's line and column.",
  options: {
    trust: { type: "string", value: "SLUG", required: true, description: "The trust's short name (see sod trust list)." },
    file: { type: "string", value: "FILE", required: true, description: "The register's CSV file." },
    "trust-name": { type: "string", value: "NAME", description: "The trust's name as the register writes it (default: its name here)." },
    urns: { type: "string", value: "LIST", description: "Import only these schools, e.g. 137214,139452 (instead of by name)." },
    "dry-run": { type: "boolean", description: "Show what would change, and change nothing." },
  },
  examples: [
    "sod import-schools --trust north-dales --file edubasealldata20261101.csv",
    'sod import-schools --trust north-dales --file edubasealldata20261101.csv --trust-name "NORTH DALES LEARNING TRUST"',
    "sod import-schools --trust north-dales --file edubasealldata20261101.csv --urns 137214,139452 --dry-run",
  ],
  async run(args, context) {
    const file = args.required("file");
    const named = args.text("trust-name");
    const urnList = args.text("urns");
    if (named !== undefined && urnList !== undefined) throw new UsageError("Give either --trust-name or --urns, not both.");
    if (named !== undefined && named.trim() === "") throw new UsageError("The option --trust-name needs the trust's name.");
    let urns: number[] | null = null;
    if (urnList !== undefined) {
      try {
        urns = parseUrnList(urnList);
      } catch (error) {
        throw error instanceof RuleError ? new UsageError(error.message) : error;
      }
    }
    if (!fs.existsSync(file)) throw new CommandFailure(`The file ${file} does not exist.`);

    const slug = args.required("trust");
    const db = await context.database();
    const trust = await findTrustBySlug(db, slug);
    if (!trust) throw new CommandFailure(`There is no trust with the short name "${slug}". Run "sod trust list" to see the trusts.`);
    const filter: RegisterFilter = urns ? { by: "urns", urns } : { by: "trust", trustName: named ?? trust.name };

    const reading = await readRegisterFile(file, filter);
    const shownFile = path.basename(file);
    if (reading.problems.length > 0) refuseProblems(reading, shownFile);
    if (reading.missingUrns.length > 0) {
      throw new CommandFailure(`${shownFile} has no school with the URN ${reading.missingUrns.join(", ")}; nothing was changed. Check the URNs.`);
    }
    if (reading.schools.length === 0) refuseNothingFound(reading, filter, shownFile);
    context.out(
      `Read ${reading.rowsRead.toLocaleString("en-GB")} rows of ${shownFile} (${reading.encoding === "windows-1252" ? "Windows-1252" : "UTF-8"}): ` +
        `${counted(reading.schools.length, "school")} for ${trust.name}.`,
    );

    if (args.flag("dry-run")) {
      const plan = await planSchoolImport(db, trust.id, reading.schools);
      report(plan, reading, context);
      context.out(
        `Nothing was changed (dry run). Importing would add ${counted(plan.additions.length, "school")}, update ${counted(plan.updates.length, "school")} ` +
          `and record ${counted(plan.inspectionsToRecord, "Ofsted grade")}.`,
      );
      return;
    }
    const done = await importSchools(db, COMMAND_LINE, trust.id, reading);
    report(done.plan, reading, context);
    context.out(
      `Imported into ${trust.name}: ${counted(done.added, "school")} added, ${counted(done.updated, "school")} updated, ` +
        `${counted(done.inspectionsRecorded, "Ofsted grade")} recorded.`,
    );
  },
};
