/**
 * The CSV download of a version of the scheme (/trusts/:slug/versions/:number.csv), in the format the
 * import reads: decision codes by default, the trust's own marks with ?key=trust, or any key's with
 * ?key=NAME. A resource route: no page, just the file. The tier and school variations are in the file
 * beside it (variations.csv).
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireTrustAccess } from "~/auth.server";
import { getDb } from "~/db.server";
import { csvFile, plainText } from "~/downloads.server";
import { NotFoundError, RuleError } from "~/domain/errors";
import { exportVersionCsv } from "~/models/matrix-export.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { trust } = await requireTrustAccess(request, params.slug, "export");
  if (!/^[1-9]\d{0,8}$/.test(params.number ?? "")) throw plainText(404, "There is no such version of the scheme.");
  const key = new URL(request.url).searchParams.get("key") ?? undefined;
  try {
    const file = await exportVersionCsv(await getDb(), trust, { number: Number(params.number), key });
    return csvFile(file.csv, file.fileName);
  } catch (error) {
    if (error instanceof NotFoundError) throw plainText(404, error.message);
    if (error instanceof RuleError) throw plainText(400, error.message);
    throw error;
  }
}
