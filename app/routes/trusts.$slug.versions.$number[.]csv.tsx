/**
 * The CSV download of a version of the scheme (/trusts/:slug/versions/:number.csv), in the format the
 * import reads: decision codes by default, the trust's own marks with ?key=trust, or any key's with
 * ?key=NAME. A resource route: no page, just the file.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireTrustAccess } from "~/auth.server";
import { getDb } from "~/db.server";
import { NotFoundError, RuleError } from "~/domain/errors";
import { exportVersionCsv } from "~/models/matrix-export.server";

/** Excel reads a CSV as UTF-8 only when it starts with a byte-order mark; the import ignores it. */
const BYTE_ORDER_MARK = "\uFEFF";

function plain(status: number, message: string): Response {
  return new Response(message, { status, headers: { "Content-Type": "text/plain; charset=utf-8" } });
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { trust } = await requireTrustAccess(request, params.slug, "export");
  if (!/^[1-9]\d{0,8}$/.test(params.number ?? "")) throw plain(404, "There is no such version of the scheme.");
  const key = new URL(request.url).searchParams.get("key") ?? undefined;
  try {
    const file = await exportVersionCsv(await getDb(), trust, { number: Number(params.number), key });
    return new Response(BYTE_ORDER_MARK + file.csv, {
      headers: {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": `attachment; filename="${file.fileName}"`,
        "Cache-Control": "private, no-store",
      },
    });
  } catch (error) {
    if (error instanceof NotFoundError) throw plain(404, error.message);
    if (error instanceof RuleError) throw plain(400, error.message);
    throw error;
  }
}
