/**
 * One school's pack of a version as a Word document (/trusts/:slug/versions/:number/schools/:id/pack.docx):
 * the scheme as it applies to the school, for its local board (app/export/school-pack.server.ts).
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireTrustAccess } from "~/auth.server";
import { getDb } from "~/db.server";
import { binaryFile, DOCX_TYPE, plainText } from "~/downloads.server";
import { NotFoundError } from "~/domain/errors";
import { schoolPackFile } from "~/export/school-pack.server";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { trust } = await requireTrustAccess(request, params.slug, "export");
  if (!/^[1-9]\d{0,8}$/.test(params.number ?? "") || !UUID.test(params.schoolId ?? "")) throw plainText(404, "There is no such school pack.");
  try {
    const pack = await schoolPackFile(await getDb(), trust, { number: Number(params.number), school: { id: params.schoolId! } });
    return binaryFile(pack.bytes, pack.fileName, DOCX_TYPE);
  } catch (error) {
    if (error instanceof NotFoundError) throw plainText(404, error.message);
    throw error;
  }
}
