/** `sod export --format docx --school URN`: one school's pack, the scheme as it applies to that school, for its local board. */
import type { Database } from "../../../db/client";
import { schoolPackFile } from "../../export/school-pack.server";
import type { Trust } from "../../models/trust.server";
import { UsageError, type CommandArgs, type CommandContext } from "../command";
import { writeFileWhole } from "../files";

export async function exportSchoolPack(
  request: { db: Database; trust: Trust; number: number; out: string },
  args: CommandArgs,
  context: CommandContext,
): Promise<void> {
  const urnText = args.required("school").trim();
  if (!/^\d{5,7}$/.test(urnText)) throw new UsageError(`--school takes the school's URN, its DfE number of six digits (not "${urnText}").`);
  if (args.text("key") !== undefined) throw new UsageError("--key chooses the marks of a CSV file; a school's pack uses the decision codes.");
  if (args.flag("changes")) throw new UsageError("--changes belongs to the trust's whole document; a school's pack shows how the school's scheme differs from the trust's instead.");
  const pack = await schoolPackFile(request.db, request.trust, { number: request.number, school: { urn: Number(urnText) } });
  writeFileWhole(request.out, pack.bytes);
  context.out(
    `Wrote the pack of ${pack.school.name} (URN ${pack.school.urn}) from version ${pack.version.number} (${pack.version.status}) of ${request.trust.name}'s scheme to ${request.out}.`,
  );
}
