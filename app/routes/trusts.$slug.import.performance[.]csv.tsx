/**
 * The template of the performance records import (/trusts/:slug/import/performance.csv): the heading
 * row and a row for each of the trust's schools, with its URN and name, to fill in. A resource route:
 * no page, just the file.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireTrustAccess } from "~/auth.server";
import { getDb } from "~/db.server";
import { csvFile } from "~/downloads.server";
import { performanceCsvTemplate } from "~/domain/performance-csv";
import { listSchools } from "~/models/structure.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { trust } = await requireTrustAccess(request, params.slug, "recordPerformance");
  const schools = await listSchools(await getDb(), trust.id);
  return csvFile(performanceCsvTemplate(schools), `${trust.slug}-performance-records.csv`);
}
