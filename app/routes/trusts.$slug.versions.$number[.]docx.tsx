/**
 * The Word scheme of delegation of a version (/trusts/:slug/versions/:number.docx), for members who
 * may export: the document the board approves and the trust publishes. ?changes adds what changed
 * since the version approved before it. A resource route: no page, just the file.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireTrustAccess } from "~/auth.server";
import { getDb } from "~/db.server";
import { binaryFile, DOCX_TYPE, plainText } from "~/downloads.server";
import { schemeDocumentFileName } from "~/export/scheme-document.server";
import { schemeDocumentOffThread } from "~/export/word-thread.server";
import { findVersionByParam } from "~/models/scheme.server";
import { loadSchemeDocument } from "~/models/scheme-document.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { trust } = await requireTrustAccess(request, params.slug, "export");
  const db = await getDb();
  const version = await findVersionByParam(db, trust.id, params.number);
  if (!version) throw plainText(404, "There is no such version of the scheme.");
  const changesSince = new URL(request.url).searchParams.has("changes");
  const document = await schemeDocumentOffThread(await loadSchemeDocument(db, trust.id, version.id, { changesSince }));
  return binaryFile(document, schemeDocumentFileName(trust.slug, version.number), DOCX_TYPE);
}
