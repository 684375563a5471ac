/**
 * The ZIP of every school's pack of a version (/trusts/:slug/versions/:number/packs.zip): the latest
 * finished export's file, as stored in the database, so any app server serves it. Not found when the
 * packs have not been made (or are being made again); another trust's packs are never found.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireTrustAccess } from "~/auth.server";
import { getDb } from "~/db.server";
import { binaryFile, plainText } from "~/downloads.server";
import { PACKS_ZIP, SCHOOL_PACKS_JOB, type SchoolPacksResult } from "~/export/school-packs-job.server";
import { jobFile, latestJob } from "~/models/jobs.server";
import { findVersionByParam } from "~/models/scheme.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { trust } = await requireTrustAccess(request, params.slug, "export");
  const db = await getDb();
  const version = await findVersionByParam(db, trust.id, params.number);
  if (!version) throw plainText(404, "There is no such version of the scheme.");
  const job = await latestJob(db, trust.id, SCHOOL_PACKS_JOB, version.id);
  const zip = job?.status === "done" ? await jobFile(db, trust.id, job.id, PACKS_ZIP) : null;
  if (!job || !zip) throw plainText(404, `The school packs of version ${version.number} have not been made yet: make them on the version's school packs page.`);
  return binaryFile(zip, (job.result as SchoolPacksResult).fileName, "application/zip");
}
