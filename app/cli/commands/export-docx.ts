/** `sod export --format docx`: a version of the scheme as the Word document the board approves and the trust publishes. */
import type { Database } from "../../../db/client";
import { NotFoundError } from "../../domain/errors";
import { renderSchemeDocument } from "../../export/scheme-document.server";
import { findVersionByNumber } from "../../models/scheme.server";
import { loadSchemeDocument } from "../../models/scheme-document.server";
import type { Trust } from "../../models/trust.server";
import { UsageError, type CommandArgs, type CommandContext } from "../command";
import { writeFileWhole } from "../files";

export async function exportDocx(
  request: { db: Database; trust: Trust; number: number; out: string },
  args: CommandArgs,
  context: CommandContext,
): Promise<void> {
  if (args.text("key") !== undefined) throw new UsageError("--key chooses the marks of a CSV file; the Word document uses the decision codes, with the trust's own key beside them.");
  const version = await findVersionByNumber(request.db, request.trust.id, request.number);
  if (!version) throw new NotFoundError(`Version ${request.number} of the scheme`);
  const data = await loadSchemeDocument(request.db, request.trust.id, version.id, { changesSince: args.flag("changes") });
  writeFileWhole(request.out, await renderSchemeDocument(data));
  const notes: string[] = [];
  if (data.openErrors.length > 0) {
    notes.push(
      `It is marked "DRAFT — not valid": ${data.openErrors.length} ${data.openErrors.length === 1 ? "error is" : "errors are"} not resolved or accepted (sod validate lists them).`,
    );
  }
  if (args.flag("changes") && !data.changes) notes.push(`No version was approved before version ${version.number}, so there are no changes to list.`);
  context.out(`Wrote version ${version.number} (${version.status}) of ${request.trust.name}'s scheme of delegation to ${request.out}.${notes.map((n) => ` ${n}`).join("")}`);
}
