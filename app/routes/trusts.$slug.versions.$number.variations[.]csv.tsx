/**
 * The CSV download of a version's tier variants and schools' own variations
 * (/trusts/:slug/versions/:number/variations.csv), the file beside the matrix's own: one line per varied
 * cell (docs/import-formats.md). Decision codes by default, or a key's marks with ?key=trust or ?key=NAME.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireTrustAccess } from "~/auth.server";
import { getDb } from "~/db.server";
import { csvFile, plainText } from "~/downloads.server";
import { NotFoundError, RuleError } from "~/domain/errors";
import { exportVariationsCsv } from "~/models/matrix-export.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { trust } = await requireTrustAccess(request, params.slug, "export");
  if (!/^[1-9]\d{0,8}$/.test(params.number ?? "")) throw plainText(404, "There is no such version of the scheme.");
  const key = new URL(request.url).searchParams.get("key") ?? undefined;
  try {
    const file = await exportVariationsCsv(await getDb(), trust, { number: Number(params.number), key });
    return csvFile(file.csv, file.fileName);
  } catch (error) {
    if (error instanceof NotFoundError) throw plainText(404, error.message);
    if (error instanceof RuleError) throw plainText(400, error.message);
    throw error;
  }
}
