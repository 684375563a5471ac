/**
 * Every school's pack of one version as a ZIP, made in the background (ADR 012): a job per trust and
 * version, one pack stored with its progress at a time, so that a job resumed after its server
 * stopped carries on from the last pack stored. The ZIP is put together from the stored packs at
 * the end and kept in the database until the packs are exported again.
 */
import { zipSync } from "fflate";
import type { Database } from "../../db/client";
import { packFileName } from "../domain/school-pack";
import { enqueueJob, JobFailure, type JobHandler, type JobRecord } from "../models/jobs.server";
import { loadSchoolPackSource } from "../models/school-packs.server";
import type { VersionRecord } from "../models/scheme.server";
import { schoolPackDocumentOf } from "./school-pack.server";
import { schoolPackOffThread } from "./word-thread.server";

export const SCHOOL_PACKS_JOB = "school-packs";

/** The ZIP's name among the job's files. */
export const PACKS_ZIP = "packs.zip";

/** The stored part that says which state of the trust's data the stored packs were made from. */
const STAMP_PART = "stamp";

export interface SchoolPacksResult {
  /** The name the ZIP is downloaded as. */
  fileName: string;
  bytes: number;
  packs: number;
  version: number;
  /** The trust's matrix stamp the packs were made under: a draft whose stamp has moved since has changed. */
  stamp: number;
}

export function packsZipName(trust: { slug: string }, number: number): string {
  return `${trust.slug}-school-packs-version-${number}.zip`;
}

/** Starts the export of every pack of a version; refused while one of the same version is queued or running. */
export async function startSchoolPacksExport(db: Database, trustId: string, version: Pick<VersionRecord, "id" | "number">, createdBy: string | null): Promise<JobRecord> {
  return enqueueJob(db, { trustId, kind: SCHOOL_PACKS_JOB, subject: version.id, params: { number: version.number }, createdBy }, (active) =>
    active.status === "queued"
      ? `The packs of version ${version.number} are already waiting to be made. Wait for them here: this page shows their progress.`
      : `The packs of version ${version.number} are already being made (${active.progress} of ${active.total} so far). Wait for them to finish: this page shows their progress.`,
  );
}

export const schoolPacksJob: JobHandler = async (work) => {
  const { db, job } = work;
  const { number } = job.params as { number: number };
  const source = await loadSchoolPackSource(db, job.trustId, { versionId: job.subject });
  if (!source) throw new JobFailure(`Version ${number} no longer exists: it was discarded before its packs were made.`);
  const schools = [...source.scheme.schools].sort((a, b) => a.name.localeCompare(b.name, "en-GB") || a.urn - b.urn);
  const total = schools.length;
  const names = schools.map(packFileName);

  // Packs already stored (a resumed job) count only if they were made from the same data as the rest will be.
  let stored = await work.storedPartNames();
  const stamp = new TextEncoder().encode(String(source.stamp));
  const madeFrom = stored.has(STAMP_PART) ? new TextDecoder().decode((await work.readParts([STAMP_PART])).get(STAMP_PART)) : null;
  if (madeFrom !== String(source.stamp)) {
    if (stored.size > 0) await work.restart(total, "The scheme changed while the packs were being made: they are being made again, so that every pack shows the same scheme.");
    stored = new Set();
    await work.storePart({ name: STAMP_PART, content: stamp }, 0, total);
  }

  let done = names.filter((name) => stored.has(name)).length;
  await work.progress(done, total);
  // The packs made in this run are kept at hand for the ZIP (a few megabytes for 100 schools): only
  // those an earlier run stored are read back.
  const made = new Map<string, Uint8Array>();
  for (const [i, school] of schools.entries()) {
    if (stored.has(names[i]!)) continue;
    if (work.signal.aborted) throw work.signal.reason;
    // A pack is a tenth of a second of steady work, done on the Word thread while the server answers the rest.
    const content = await schoolPackOffThread(schoolPackDocumentOf(source, school));
    await work.storePart({ name: names[i]!, content }, ++done, total);
    made.set(names[i]!, content);
  }

  const packs = new Map([...(await work.readParts(names.filter((name) => !made.has(name)))), ...made]);
  // Each pack is already compressed (a .docx is a ZIP): storing them as they are costs nothing in size.
  const zip = zipSync(Object.fromEntries(names.map((name) => [name, [packs.get(name)!, { level: 0 }] as const])));
  const result: SchoolPacksResult = {
    fileName: packsZipName(source.trust, source.version.number),
    bytes: zip.length,
    packs: total,
    version: source.version.number,
    stamp: source.stamp,
  };
  return { result: { ...result }, file: { name: PACKS_ZIP, content: zip } };
};
