/**
 * The background jobs this app runs, and the runner each server process keeps (ADR 012). Every few
 * seconds, and at once when a page has queued a job here, the runner claims a job from the database
 * (queued, or left by a server that stopped) and runs it, one at a time: on a server of two cores a
 * second job at once would only slow both. Any number of servers run one each against one database.
 */
import { getDb } from "../db/client";
import { SCHOOL_PACKS_JOB, schoolPacksJob } from "./export/school-packs-job.server";
import { removeOldJobs, runNextJob, workerName, type JobHandler } from "./models/jobs.server";
import { tidySignIns } from "./models/session.server";

export const JOB_HANDLERS: Record<string, JobHandler> = {
  [SCHOOL_PACKS_JOB]: schoolPacksJob,
};

/** How often an idle server looks for work: a job left by a stopped server is resumed within its lease plus this. */
const POLL_MS = 5_000;

/** How often finished jobs past their keeping, expired sessions and old failed sign-ins are removed. */
const TIDY_MS = 60 * 60 * 1000;

interface Runner {
  wake(): void;
  stop(): Promise<void>;
}

/** Kept on globalThis like the database handle, so that a module evaluated twice still runs one runner per process. */
const KEY = Symbol.for("scheme-of-delegation.job-runner");
const holder = globalThis as { [KEY]?: Runner };

/** Starts this process's runner (the server's start-up); a second call returns the first. */
export function startJobRunner(): Runner {
  if (holder[KEY]) return holder[KEY];
  const worker = workerName();
  const stopping = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | null = null;
  let again = false;
  let lastTidy = 0;

  const drain = async () => {
    const db = await getDb();
    if (Date.now() - lastTidy > TIDY_MS) {
      lastTidy = Date.now();
      await removeOldJobs(db);
      await tidySignIns(db);
    }
    while (!stopping.signal.aborted && (await runNextJob(db, JOB_HANDLERS, worker, { signal: stopping.signal }))) {
      // Claimed and ran one: look for the next before sleeping.
    }
  };
  const tick = () => {
    clearTimeout(timer);
    if (stopping.signal.aborted) return;
    if (running) {
      again = true;
      return;
    }
    running = drain()
      .catch((error: unknown) => console.error("Background jobs:", error))
      .finally(() => {
        running = null;
        if (again) {
          again = false;
          tick();
        } else if (!stopping.signal.aborted) {
          timer = setTimeout(tick, POLL_MS);
          timer.unref();
        }
      });
  };
  timer = setTimeout(tick, 0);
  timer.unref();

  const runner: Runner = {
    wake: tick,
    async stop() {
      stopping.abort(new Error("The server is stopping."));
      clearTimeout(timer);
      // The job in hand gives its claim up at its next step, so another server resumes it at once.
      await running;
      delete holder[KEY];
    },
  };
  holder[KEY] = runner;
  return runner;
}

/** Tells this process's runner, if it has one, that a job was just queued. Elsewhere (tests, tools) the job waits for a runner. */
export function wakeJobRunner(): void {
  holder[KEY]?.wake();
}

export async function stopJobRunner(): Promise<void> {
  await holder[KEY]?.stop();
}
