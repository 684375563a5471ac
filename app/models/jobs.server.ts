/**
 * Background jobs, kept in PostgreSQL so that any app server (or the command line) can run one and any
 * server can show its progress (ADR 012). A job is queued; a worker claims it (status running, its own
 * claim in `claimed_by`, `locked_until` a lease ahead) and renews the lease as it works; a job whose
 * lease ran out (its server stopped) is claimed again by any worker and carries on from the files it
 * had stored. Every write a worker makes names its claim: a worker whose job was claimed by another
 * learns so at its next write and stops.
 *
 * One queued or running job per trust, kind and subject: the database refuses a second
 * (jobs_one_active_idx), so two people pressing the button at once start one job.
 */
import { randomUUID } from "node:crypto";
import os from "node:os";
import { and, desc, eq, inArray, ne, sql } from "drizzle-orm";
import type { PgUpdateSetSource } from "drizzle-orm/pg-core";
import type { Database } from "../../db/client";
import { jobFiles, jobs, users } from "../../db/schema";
import { RuleError } from "../domain/errors";

export type JobRecord = typeof jobs.$inferSelect;
export type JobStatus = "queued" | "running" | "done" | "failed";

/** How long a claim holds without being renewed: a stopped server's job waits this long before another takes it. */
export const LEASE_MS = 30_000;

/** A job claimed this many times without finishing keeps stopping its servers (or being stopped): it is given up. */
export const MAX_ATTEMPTS = 3;

/** How long a finished job and its files are kept, unless the same work is done again sooner. */
export const KEEP_FINISHED_DAYS = 30;

/** A worker's name in `claimed_by`: the machine and process, and a random part so that two runners of one process differ. */
export function workerName(): string {
  return `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
}

// ---------------------------------------------------------------- errors

/** A second start of work already queued or running; carries that job. */
export class JobAlreadyActiveError extends RuleError {
  constructor(
    message: string,
    readonly job: JobRecord,
  ) {
    super(message);
    this.name = "JobAlreadyActiveError";
  }
}

/** The worker's claim was taken over (its lease had run out): it must stop without writing anything more. */
export class ClaimLostError extends Error {
  constructor(readonly jobId: string) {
    super(`The claim on job ${jobId} was taken over by another worker.`);
    this.name = "ClaimLostError";
  }
}

/** A job that cannot be done, and why in the user's words: the job is marked failed with this message. */
export class JobFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = "JobFailure";
  }
}

function isOneActiveClash(error: unknown): boolean {
  const cause = (error as { cause?: { code?: string; constraint_name?: string; constraint?: string } }).cause;
  return cause?.code === "23505" && (cause.constraint_name ?? cause.constraint) === "jobs_one_active_idx";
}

// ---------------------------------------------------------------- queueing and finding

export interface JobRequest {
  trustId: string;
  kind: string;
  subject: string;
  params?: Record<string, unknown>;
  createdBy: string | null;
}

/**
 * Queues a job. `refusal` words the refusal when one of the same kind and subject is already queued
 * or running for the trust (given that job).
 */
export async function enqueueJob(db: Database, request: JobRequest, refusal: (active: JobRecord) => string): Promise<JobRecord> {
  try {
    const [job] = await db
      .insert(jobs)
      .values({ trustId: request.trustId, kind: request.kind, subject: request.subject, params: request.params ?? {}, createdBy: request.createdBy })
      .returning();
    return job!;
  } catch (error) {
    if (!isOneActiveClash(error)) throw error;
    const active = await activeJob(db, request.trustId, request.kind, request.subject);
    // Finished in the instant between the refusal and the look-up: the caller may simply try again.
    if (!active) throw new RuleError("The same work has just finished. Try again.");
    throw new JobAlreadyActiveError(refusal(active), active);
  }
}

async function activeJob(db: Database, trustId: string, kind: string, subject: string): Promise<JobRecord | null> {
  const [job] = await db
    .select()
    .from(jobs)
    .where(and(eq(jobs.trustId, trustId), eq(jobs.kind, kind), eq(jobs.subject, subject), inArray(jobs.status, ["queued", "running"])));
  return job ?? null;
}

/** The trust's latest job of this kind and subject (running, or the last to finish) with who started it, or null. */
export async function latestJob(db: Database, trustId: string, kind: string, subject: string): Promise<(JobRecord & { startedBy: string | null }) | null> {
  const [found] = await db
    .select({ job: jobs, startedBy: users.name })
    .from(jobs)
    .leftJoin(users, eq(users.id, jobs.createdBy))
    .where(and(eq(jobs.trustId, trustId), eq(jobs.kind, kind), eq(jobs.subject, subject)))
    .orderBy(desc(jobs.createdAt))
    .limit(1);
  return found ? { ...found.job, startedBy: found.startedBy } : null;
}

/** A job of the trust, by its id. */
export async function findJob(db: Database, trustId: string, id: string): Promise<JobRecord | null> {
  const [job] = await db
    .select()
    .from(jobs)
    .where(and(eq(jobs.trustId, trustId), eq(jobs.id, id)));
  return job ?? null;
}

/** A file's bytes as base64 text, which both drivers carry many times faster than bytea (db/schema.ts, `bytes`). */
const contentBase64 = sql<string>`encode(${jobFiles.content}, 'base64')`;
const fromBase64 = (text: string): Uint8Array => Buffer.from(text, "base64");

/** A file a job stored, found within the trust only. */
export async function jobFile(db: Database, trustId: string, jobId: string, name: string): Promise<Uint8Array | null> {
  const [file] = await db
    .select({ content: contentBase64 })
    .from(jobFiles)
    .where(and(eq(jobFiles.trustId, trustId), eq(jobFiles.jobId, jobId), eq(jobFiles.name, name)));
  return file ? fromBase64(file.content) : null;
}

/** Whether the job's claim is held and alive: a running job whose lease ran out waits for a worker to resume it. */
export function isStalled(job: Pick<JobRecord, "status" | "lockedUntil">, now = new Date()): boolean {
  return job.status === "running" && (job.lockedUntil === null || job.lockedUntil.getTime() < now.getTime());
}

// ---------------------------------------------------------------- claiming

/**
 * Claims the oldest job that is queued, or running with its lease run out, of the given kinds (or the
 * one job named): another worker's live claim is never taken, and two workers asking at once get
 * different jobs (SKIP LOCKED). A job claimed MAX_ATTEMPTS times already is given up instead.
 */
export async function claimJob(db: Database, worker: string, options: { kinds: string[]; jobId?: string; leaseMs?: number }): Promise<JobRecord | null> {
  const lease = options.leaseMs ?? LEASE_MS;
  for (;;) {
    const claimed = await db.execute<{ id: string }>(sql`
      update ${jobs} set status = 'running', claimed_by = ${worker}, attempts = attempts + 1,
        locked_until = now() + ${lease}::int * interval '1 millisecond', updated_at = now()
      where id = (
        select id from ${jobs}
        where status in ('queued', 'running') and (locked_until is null or locked_until < now())
          and ${inArray(jobs.kind, options.kinds)}
          ${options.jobId ? sql`and id = ${options.jobId}` : sql``}
        order by created_at
        for update skip locked
        limit 1
      )
      returning id`);
    const id = rowsOf<{ id: string }>(claimed)[0]?.id;
    if (!id) return null;
    const [job] = await db.select().from(jobs).where(eq(jobs.id, id));
    if (job!.attempts <= MAX_ATTEMPTS) return job!;
    await failJob(
      db,
      job!,
      worker,
      `It was started ${MAX_ATTEMPTS} times and stopped each time before it finished (the server running it stopped or restarted). Start it again; if it stops again, tell whoever looks after this installation.`,
    );
    if (options.jobId) return null;
  }
}

/** The rows of a db.execute result, which postgres-js gives as an array and PGlite as `{ rows }`. */
function rowsOf<T>(result: unknown): T[] {
  return Array.isArray(result) ? (result as T[]) : ((result as { rows: T[] }).rows ?? []);
}

/** A write the claim must still hold for; throws ClaimLostError when it no longer does. */
async function whileClaimed(db: Database, job: Pick<JobRecord, "id">, worker: string, set: PgUpdateSetSource<typeof jobs>, leaseMs = LEASE_MS): Promise<void> {
  const held = await db
    .update(jobs)
    .set({ ...set, lockedUntil: sql`now() + ${leaseMs}::int * interval '1 millisecond'`, updatedAt: sql`now()` })
    .where(and(eq(jobs.id, job.id), eq(jobs.claimedBy, worker), eq(jobs.status, "running")))
    .returning({ id: jobs.id });
  if (held.length === 0) throw new ClaimLostError(job.id);
}

/** Renews the lease. */
export function renewClaim(db: Database, job: Pick<JobRecord, "id">, worker: string, leaseMs = LEASE_MS): Promise<void> {
  return whileClaimed(db, job, worker, {}, leaseMs);
}

/** Gives the claim up with the job unfinished (a server stopping): any worker may resume it at once. */
export async function releaseClaim(db: Database, job: Pick<JobRecord, "id">, worker: string): Promise<void> {
  await db
    .update(jobs)
    .set({ lockedUntil: sql`now()`, claimedBy: null, updatedAt: sql`now()` })
    .where(and(eq(jobs.id, job.id), eq(jobs.claimedBy, worker), eq(jobs.status, "running")));
}

// ---------------------------------------------------------------- a worker's writes

/** How far the job has got, and of how much. Progress never goes back: a lower figure is ignored. */
export async function recordProgress(db: Database, job: Pick<JobRecord, "id">, worker: string, done: number, total: number, message?: string | null): Promise<void> {
  await whileClaimed(db, job, worker, {
    progress: sql`greatest(${jobs.progress}, ${done})`,
    total,
    ...(message !== undefined ? { message } : {}),
  });
}

/** Stores a finished part of the work and the progress it makes, together: a resumed job finds exactly what was counted. */
export async function storePart(db: Database, job: JobRecord, worker: string, part: { name: string; content: Uint8Array }, done: number, total: number): Promise<void> {
  await db.transaction(async (tx) => {
    await whileClaimed(tx, job, worker, { progress: sql`greatest(${jobs.progress}, ${done})`, total });
    await tx
      .insert(jobFiles)
      .values({ trustId: job.trustId, jobId: job.id, name: part.name, content: part.content })
      .onConflictDoUpdate({ target: [jobFiles.jobId, jobFiles.name], set: { content: part.content } });
  });
}

/** The names of the parts a job has stored so far. */
export async function storedPartNames(db: Database, job: Pick<JobRecord, "id" | "trustId">): Promise<Set<string>> {
  const rows = await db
    .select({ name: jobFiles.name })
    .from(jobFiles)
    .where(and(eq(jobFiles.trustId, job.trustId), eq(jobFiles.jobId, job.id)));
  return new Set(rows.map((r) => r.name));
}

/** The parts a job has stored, in the order given. */
export async function readParts(db: Database, job: Pick<JobRecord, "id" | "trustId">, names: string[]): Promise<Map<string, Uint8Array>> {
  const found = new Map<string, Uint8Array>();
  if (names.length === 0) return found;
  const rows = await db
    .select({ name: jobFiles.name, content: contentBase64 })
    .from(jobFiles)
    .where(and(eq(jobFiles.trustId, job.trustId), eq(jobFiles.jobId, job.id), inArray(jobFiles.name, names)));
  for (const row of rows) found.set(row.name, fromBase64(row.content));
  return found;
}

/** Starts the job's work again from nothing: its parts are dropped and its progress set back, with the reason. */
export async function restartWork(db: Database, job: JobRecord, worker: string, total: number, message: string): Promise<void> {
  await db.transaction(async (tx) => {
    await whileClaimed(tx, job, worker, { progress: 0, total, message });
    await tx.delete(jobFiles).where(and(eq(jobFiles.trustId, job.trustId), eq(jobFiles.jobId, job.id)));
  });
}

export interface JobOutcome {
  /** What the page shows of the finished job (e.g. the file's name and size). */
  result: Record<string, unknown>;
  /** The file the job made, kept in place of its parts. */
  file?: { name: string; content: Uint8Array };
  message?: string | null;
}

/**
 * Marks the job done with its result, in one transaction: its parts are replaced by its file, and the
 * earlier finished jobs of the same kind and subject (and their files) are removed, as this one
 * replaces them.
 */
export async function finishJob(db: Database, job: JobRecord, worker: string, outcome: JobOutcome): Promise<void> {
  await db.transaction(async (tx) => {
    const held = await tx
      .update(jobs)
      .set({
        status: "done",
        progress: sql`greatest(${jobs.progress}, ${jobs.total})`,
        result: outcome.result,
        message: outcome.message ?? null,
        lockedUntil: null,
        updatedAt: sql`now()`,
      })
      .where(and(eq(jobs.id, job.id), eq(jobs.claimedBy, worker), eq(jobs.status, "running")))
      .returning({ id: jobs.id });
    if (held.length === 0) throw new ClaimLostError(job.id);
    await tx.delete(jobFiles).where(and(eq(jobFiles.trustId, job.trustId), eq(jobFiles.jobId, job.id)));
    if (outcome.file) await tx.insert(jobFiles).values({ trustId: job.trustId, jobId: job.id, name: outcome.file.name, content: outcome.file.content });
    await tx
      .delete(jobs)
      .where(
        and(eq(jobs.trustId, job.trustId), eq(jobs.kind, job.kind), eq(jobs.subject, job.subject), ne(jobs.id, job.id), inArray(jobs.status, ["done", "failed"])),
      );
  });
}

/** Marks the job failed, saying why; the parts it stored are dropped. */
export async function failJob(db: Database, job: Pick<JobRecord, "id" | "trustId">, worker: string, message: string): Promise<void> {
  await db.transaction(async (tx) => {
    await tx
      .update(jobs)
      .set({ status: "failed", message, lockedUntil: null, updatedAt: sql`now()` })
      .where(and(eq(jobs.id, job.id), eq(jobs.claimedBy, worker), eq(jobs.status, "running")));
    await tx.delete(jobFiles).where(and(eq(jobFiles.trustId, job.trustId), eq(jobFiles.jobId, job.id)));
  });
}

/** Removes jobs that finished more than KEEP_FINISHED_DAYS ago, with their files. */
export async function removeOldJobs(db: Database): Promise<number> {
  const removed = await db
    .delete(jobs)
    .where(and(inArray(jobs.status, ["done", "failed"]), sql`${jobs.updatedAt} < now() - ${KEEP_FINISHED_DAYS}::int * interval '1 day'`))
    .returning({ id: jobs.id });
  return removed.length;
}

// ---------------------------------------------------------------- running a job

/** What a job's handler is given: its job, the database, and the writes of its claim. */
export interface JobWork {
  db: Database;
  job: JobRecord;
  /** Set when the worker is stopping (the server shuts down): the handler stops at its next step, leaving its parts for a resume. */
  signal: AbortSignal;
  progress(done: number, total: number, message?: string | null): Promise<void>;
  storePart(part: { name: string; content: Uint8Array }, done: number, total: number): Promise<void>;
  storedPartNames(): Promise<Set<string>>;
  readParts(names: string[]): Promise<Map<string, Uint8Array>>;
  restart(total: number, message: string): Promise<void>;
}

export type JobHandler = (work: JobWork) => Promise<JobOutcome>;

export interface RunOptions {
  signal?: AbortSignal;
  leaseMs?: number;
  /** Told of every progress write, e.g. the command line's progress line. */
  onProgress?: (done: number, total: number) => void;
}

/** How the worker's run of a job ended. */
export type RunEnd = "done" | "failed" | "released" | "lost";

/**
 * What a handler is given for a job its worker has claimed. `lost` tells it the renewal of the lease
 * has found the claim taken over, so the next write stops the work before touching anything.
 */
export function jobWork(db: Database, job: JobRecord, worker: string, options: RunOptions & { lost?: () => boolean } = {}): JobWork {
  const checked = async <T>(write: () => Promise<T>): Promise<T> => {
    if (options.lost?.()) throw new ClaimLostError(job.id);
    return write();
  };
  return {
    db,
    job,
    signal: options.signal ?? new AbortController().signal,
    progress: (done, total, message) =>
      checked(async () => {
        await recordProgress(db, job, worker, done, total, message);
        options.onProgress?.(done, total);
      }),
    storePart: (part, done, total) =>
      checked(async () => {
        await storePart(db, job, worker, part, done, total);
        options.onProgress?.(done, total);
      }),
    storedPartNames: () => storedPartNames(db, job),
    readParts: (names) => readParts(db, job, names),
    restart: (total, message) => checked(() => restartWork(db, job, worker, total, message)),
  };
}

/**
 * Runs a claimed job to its end: done with its outcome, failed with the reason in words, released
 * for a resume when `signal` stops the worker, or lost when another worker took the claim over. The
 * lease is renewed with every write and, between writes, on a timer.
 */
export async function runClaimedJob(db: Database, job: JobRecord, worker: string, handler: JobHandler, options: RunOptions = {}): Promise<RunEnd> {
  const leaseMs = options.leaseMs ?? LEASE_MS;
  const signal = options.signal ?? new AbortController().signal;
  let lost = false;
  const renewal = setInterval(() => {
    renewClaim(db, job, worker, leaseMs).catch((error: unknown) => {
      if (error instanceof ClaimLostError) lost = true;
    });
  }, Math.max(leaseMs / 3, 50));
  renewal.unref();
  const work = jobWork(db, job, worker, { ...options, signal, lost: () => lost });
  try {
    const outcome = await handler(work);
    if (signal.aborted) throw signal.reason;
    if (lost) throw new ClaimLostError(job.id);
    await finishJob(db, job, worker, outcome);
    return "done";
  } catch (error) {
    if (error instanceof ClaimLostError) return "lost";
    if (signal.aborted) {
      await releaseClaim(db, job, worker).catch(() => undefined);
      return "released";
    }
    const message =
      error instanceof JobFailure || error instanceof RuleError
        ? error.message
        : `It stopped with an error the application did not expect (${error instanceof Error ? error.message : String(error)}). Start it again; if it fails again, tell whoever looks after this installation.`;
    if (!(error instanceof JobFailure || error instanceof RuleError)) console.error(error);
    await failJob(db, job, worker, message);
    return "failed";
  } finally {
    clearInterval(renewal);
  }
}

/** Claims and runs the next job of the kinds handled here; null when there was none to claim. */
export async function runNextJob(db: Database, handlers: Record<string, JobHandler>, worker: string, options: RunOptions = {}): Promise<{ job: JobRecord; end: RunEnd } | null> {
  const job = await claimJob(db, worker, { kinds: Object.keys(handlers), leaseMs: options.leaseMs });
  if (!job) return null;
  return { job, end: await runClaimedJob(db, job, worker, handlers[job.kind]!, options) };
}
