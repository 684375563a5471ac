/** `sod export --format html`: a version of the scheme as the standalone page of its publication. */
import type { Database } from "../../../db/client";
import { NotFoundError } from "../../domain/errors";
import { publicPageFile } from "../../export/public-page-file.server";
import { loadPublicScheme } from "../../models/publication.server";
import { findVersionByNumber } from "../../models/scheme.server";
import type { Trust } from "../../models/trust.server";
import { UsageError, type CommandArgs, type CommandContext } from "../command";
import { writeFileWhole } from "../files";

export async function exportHtml(
  request: { db: Database; trust: Trust; number: number; out: string },
  args: CommandArgs,
  context: CommandContext,
): Promise<void> {
  if (args.text("key") !== undefined) throw new UsageError("--key chooses the marks of a CSV file; the web page always shows the decision codes and their key.");
  if (args.flag("changes")) throw new UsageError("--changes adds the changes to the Word document (--format docx); the web page shows one version as it is.");
  const version = await findVersionByNumber(request.db, request.trust.id, request.number);
  if (!version) throw new NotFoundError(`Version ${request.number} of the scheme`);
  writeFileWhole(request.out, publicPageFile(await loadPublicScheme(request.db, request.trust, version.id)));
  const status = version.status === "draft" ? " It is a draft, and the page says so: only an approved version is the trust's scheme." : "";
  context.out(`Wrote version ${version.number} (${version.status}) of ${request.trust.name}'s scheme as a web page to ${request.out}.${status}`);
}
