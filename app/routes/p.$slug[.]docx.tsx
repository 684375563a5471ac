/**
 * The Word document of the trust's published version, for anyone, as its public page offers it.
 * Only the published version: there is no way to ask for another, and a trust that publishes
 * nothing answers 404, as for a trust that does not exist. Never cached, as the page is not: a
 * withdrawn or replaced version must not live on in a cache.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { getDb } from "~/db.server";
import { binaryFile, DOCX_TYPE, plainText } from "~/downloads.server";
import { schemeDocumentFileName } from "~/export/scheme-document.server";
import { schemeDocumentOffThread } from "~/export/word-thread.server";
import { findPublishedBySlug } from "~/models/publication.server";
import { loadSchemeDocument } from "~/models/scheme-document.server";
import { SLUG_PATTERN } from "~/models/trust.server";

export async function loader({ params }: LoaderFunctionArgs) {
  const slug = params.slug ?? "";
  const db = await getDb();
  const published = SLUG_PATTERN.test(slug) ? await findPublishedBySlug(db, slug) : null;
  if (!published) throw plainText(404, "Not found");
  const document = await schemeDocumentOffThread(await loadSchemeDocument(db, published.trust.id, published.versionId));
  return binaryFile(document, schemeDocumentFileName(published.trust.slug, published.number), DOCX_TYPE);
}
