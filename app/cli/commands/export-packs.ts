/**
 * `sod export-packs`: every school's pack of a version as one ZIP, made by the same background job as
 * the web page's (ADR 012) but run here, in this process, with a progress line at every tenth of the
 * way. The job is recorded in the database like any other: the version's school packs page shows it,
 * and a run stopped half-way (Ctrl-C) is resumed from the last pack made, by a server or by running
 * the command again.
 */
import { SCHOOL_PACKS_JOB, schoolPacksJob, startSchoolPacksExport, PACKS_ZIP } from "../../export/school-packs-job.server";
import { claimJob, findJob, isStalled, JobAlreadyActiveError, jobFile, runClaimedJob, workerName, type JobRecord } from "../../models/jobs.server";
import { findVersionByNumber } from "../../models/scheme.server";
import { CommandFailure, type Command } from "../command";
import { exportTarget } from "../export-target";
import { writeFileWhole } from "../files";

/**
 * "Packs: 40/100 (40 %)": at the start, at the end, and in between as seldom as keeps every gap
 * between two lines within a tenth of the packs (a line is printed when waiting for the next pack
 * would make the gap wider).
 */
export function progressLines(out: (text: string) => void): (done: number, total: number) => void {
  let shown: number | null = null;
  return (done, total) => {
    if (done === shown) return;
    const last = done >= total;
    if (shown !== null && !last && (done + 1 - shown) * 10 <= total) return;
    shown = done;
    out(`Packs: ${done}/${total} (${total === 0 ? 100 : Math.floor((done / total) * 100)} %)`);
  };
}

export const exportPacksCommand: Command = {
  name: "export-packs",
  summary: "Write every school's pack of a version to one ZIP file.",
  details:
    "Makes one Word document per school of the version (the scheme as it applies to that school: the trust's scheme,\n" +
    "its autonomy tier's variant, then its own variations) and writes them together as a ZIP, printing its progress.\n" +
    "Without --version, the latest version is used (the draft, if there is one). The export is recorded like one\n" +
    "started on the version's school packs page, so one of the same version cannot run at the same time; one that\n" +
    "was stopped half-way is carried on from where it stopped. An existing file is not overwritten unless you add --force.",
  options: {
    trust: { type: "string", value: "SLUG", required: true, description: "The trust's short name (see sod trust list)." },
    version: { type: "string", value: "N", description: "The version's number (default: the latest)." },
    out: { type: "string", value: "FILE", required: true, description: "The ZIP file to write." },
    force: { type: "boolean", description: "Overwrite the file if it exists." },
  },
  examples: ["sod export-packs --trust north-dales --out packs.zip", "sod export-packs --trust north-dales --version 2 --out packs-v2.zip"],
  async run(args, context) {
    const { db, trust, number, out } = await exportTarget(args, context);
    const version = await findVersionByNumber(db, trust.id, number);
    if (!version) throw new CommandFailure(`${trust.name} has no version ${number}.`);

    const worker = workerName();
    let queued: JobRecord;
    try {
      queued = await startSchoolPacksExport(db, trust.id, version, null);
    } catch (error) {
      // One stopped half-way (its claim has run out) is carried on here; one still being made is left to whoever makes it.
      if (!(error instanceof JobAlreadyActiveError) || !isStalled(error.job)) throw error;
      queued = error.job;
      context.out(`Carrying on with the packs of version ${version.number} from where they stopped (${queued.progress} of ${queued.total} made).`);
    }
    const job = await claimJob(db, worker, { kinds: [SCHOOL_PACKS_JOB], jobId: queued.id });
    if (!job) throw new CommandFailure(`The packs of version ${version.number} were taken up by a server at the same moment: download them from the version's school packs page when they are ready.`);

    const stop = new AbortController();
    const interrupt = () => stop.abort(new Error("Interrupted."));
    process.once("SIGINT", interrupt);
    let end;
    try {
      end = await runClaimedJob(db, job, worker, schoolPacksJob, { signal: stop.signal, onProgress: progressLines(context.out) });
    } finally {
      process.off("SIGINT", interrupt);
    }
    if (end === "released") throw new CommandFailure("Stopped. The packs made so far are kept: run the command again to carry on from there.");
    if (end === "lost") throw new CommandFailure("Another worker took the export over: download the packs from the version's school packs page when they are ready.");
    const finished = await findJob(db, trust.id, job.id);
    if (end === "failed") throw new CommandFailure(`The packs could not be made: ${finished?.message ?? "the export stopped without saying why."}`);
    const zip = await jobFile(db, trust.id, job.id, PACKS_ZIP);
    if (!zip) throw new CommandFailure("The packs were made but their ZIP file is missing: run the command again.");
    writeFileWhole(out, zip);
    const packs = (finished?.result as { packs?: number } | null)?.packs ?? 0;
    context.out(`Wrote ${packs} school ${packs === 1 ? "pack" : "packs"} of version ${version.number} (${version.status}) of ${trust.name} to ${out}.`);
  },
};
