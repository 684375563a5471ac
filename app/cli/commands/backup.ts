import fs from "node:fs";
import { COMMAND_LINE } from "../../models/audit.server";
import { exportTrust, parseBackup, restoreTrust, type TrustBackup } from "../../models/backup.server";
import { findTrustBySlug } from "../../models/trust.server";
import { CommandFailure, type Command } from "../command";
import { readJsonFile, writeFileWhole } from "../files";
import { counted } from "../../domain/counted";

function describeContents(doc: Pick<TrustBackup, "schools" | "governanceBodies" | "schemeVersions" | "users" | "auditLog">): string {
  return [
    counted(doc.schools.length, "school", "schools"),
    counted(doc.governanceBodies.length, "governance body", "governance bodies"),
    counted(doc.schemeVersions.length, "scheme version", "scheme versions"),
    counted(doc.users.length, "account", "accounts"),
    counted(doc.auditLog.length, "history entry", "history entries"),
  ].join(", ");
}

export const backup: Command = {
  name: "backup",
  summary: "Save everything a trust holds to a JSON file that restore can read back.",
  details:
    "The file holds the trust's structure, schools, catalogue, every scheme version with its cells, strategy,\n" +
    "autonomy decisions, publication and history, and its people's accounts (with their password hashes, so keep\n" +
    "the file as safe as the database). An existing file is not overwritten unless you add --force.",
  options: {
    trust: { type: "string", value: "SLUG", required: true, description: "The trust's short name (see sod trust list)." },
    out: { type: "string", value: "FILE", required: true, description: "The file to write, e.g. north-dales.json." },
    force: { type: "boolean", description: "Overwrite the file if it exists." },
  },
  examples: ["sod backup --trust north-dales --out north-dales-2025-07-31.json"],
  async run(args, context) {
    const file = args.required("out");
    if (fs.existsSync(file) && !args.flag("force")) {
      throw new CommandFailure(`${file} already exists. Choose another file, or add --force to overwrite it.`);
    }
    const slug = args.required("trust");
    const db = await context.database();
    const trust = await findTrustBySlug(db, slug);
    if (!trust) throw new CommandFailure(`There is no trust with the short name "${slug}". Run "sod trust list" to see the trusts.`);
    const doc = await exportTrust(db, trust.id);
    writeFileWhole(file, `${JSON.stringify(doc, null, 2)}\n`);
    context.out(`Saved ${trust.name} to ${file}: ${describeContents(doc)}.`);
  },
};

export const restore: Command = {
  name: "restore",
  summary: "Put a trust back from a backup file, all or nothing.",
  details:
    "The whole file is checked first; every problem is listed with its place in the file, and nothing is written.\n" +
    "People are matched by email: an account that already exists here is kept as it is (name, password) and the\n" +
    "trust's memberships point at it. If the trust (its id or short name) is already here, restore refuses unless\n" +
    "--replace is given: then the trust here, with everything it holds, is deleted and the backup takes its place.",
  positionals: [{ name: "FILE", description: "The backup file, as written by sod backup." }],
  options: {
    replace: { type: "boolean", description: "Replace the trust if it is already here." },
  },
  examples: ["sod restore north-dales-2025-07-31.json", "sod restore north-dales-2025-07-31.json --replace"],
  async run(args, context) {
    const file = args.positionals[0]!;
    // Checked before the database is opened, so a bad file is reported at once.
    const doc = parseBackup(readJsonFile(file));
    const result = await restoreTrust(await context.database(), doc, { replace: args.flag("replace"), actor: COMMAND_LINE });
    const replaced = result.replaced ? `, replacing ${result.replaced.name} (${result.replaced.slug})` : "";
    context.out(`Restored ${result.trust.name} (short name ${result.trust.slug}) from ${file}${replaced}: ${describeContents(doc)}.`);
    context.out(
      `Accounts: ${result.accountsCreated} created, ${result.accountsMatched} already here (matched by email and left as they are).`,
    );
    if (!result.auditIdsKept) context.out("The history entries were numbered afresh (in the same order), as their numbers were in use here.");
  },
};
