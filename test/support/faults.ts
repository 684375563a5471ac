/**
 * What the fault tests share: a database of the test's own that the built server (a child process) and
 * this process take turns on, killing a process with SIGKILL, what a trust's records amount to before
 * and after a fault, and watching a PostgreSQL transaction from outside.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { count, isNull, sql } from "drizzle-orm";
import postgres from "postgres";
import { inject } from "vitest";
import { openDatabase, type Database, type DatabaseHandle } from "../../db/client";
import { auditLog } from "../../db/schema";
import { exportTrust, type TrustBackup } from "~/models/backup.server";
import { engine, templatePostgresDatabase } from "./database";
import { startAppServer, type AppServer } from "./server";

const ROOT = path.resolve(import.meta.dirname, "../..");

/**
 * A database for one fault case, on the engine of the run: a new embedded data directory (from the
 * run's migrated template), or a new database on the run's PostgreSQL server.
 */
export interface FaultDatabase {
  /** DATA_DIR or DATABASE_URL, for the server and the command line. */
  env: Record<string, string>;
  /** The embedded data directory (PGlite only). */
  dataDir?: string;
  /** The PostgreSQL database's URL (PostgreSQL only). */
  url?: string;
  /** Opens it in this process. An embedded directory is one process's at a time: close it before a server starts. */
  open(): Promise<DatabaseHandle>;
  /** The built server on it, in one process (so that the process killed is the one doing the work). */
  startServer(): Promise<AppServer>;
  /** The file a table's rows are kept in (PGlite only): it grows as a transaction writes new rows, before it commits. */
  tableFile(db: Database, table: string): Promise<string>;
  dispose(): Promise<void>;
}

export async function faultDatabase(): Promise<FaultDatabase> {
  return engine() === "postgres" ? postgresDatabase() : pgliteDatabase();
}

async function pgliteDatabase(): Promise<FaultDatabase> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sod-faults-"));
  const dataDir = path.join(dir, "data");
  let created = false;
  return {
    env: { DATA_DIR: dataDir },
    dataDir,
    async open() {
      const loadDataDir = created ? undefined : new Blob([fs.readFileSync(inject("pgliteTemplate"))]);
      const handle = await openDatabase({ kind: "pglite", dataDir, loadDataDir });
      created = true;
      return handle;
    },
    startServer: () => startAppServer({ dataDir, env: { SOD_DEMO: "0" } }),
    async tableFile(db, table) {
      const result = await db.execute<{ file: string }>(sql`select pg_relation_filepath(${table}::regclass) as file`);
      return path.join(dataDir, (result as unknown as { rows: { file: string }[] }).rows[0]!.file);
    },
    dispose: async () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

async function postgresDatabase(): Promise<FaultDatabase> {
  const { url, drop } = await templatePostgresDatabase("sod_faults");
  return {
    env: { DATABASE_URL: url },
    url,
    open: () => openDatabase({ kind: "postgres", url, maxConnections: 3 }),
    // One process: with several, the process killed would be the supervisor, not the worker at work.
    startServer: () => startAppServer({ databaseUrl: url, env: { SOD_DEMO: "0", WEB_CONCURRENCY: "1" } }),
    tableFile: () => Promise.reject(new Error("A PostgreSQL server's files are its own.")),
    dispose: drop,
  };
}

/** Runs `work` on the database opened in this process, and closes it again. */
export async function withDatabase<T>(database: FaultDatabase, work: (db: Database) => Promise<T>): Promise<T> {
  const handle = await database.open();
  try {
    return await work(handle.db);
  } finally {
    await handle.close();
  }
}

/** SIGKILL: the process ends at once, wherever it is, as in a power cut or the kernel's out-of-memory killer. */
export async function killServer(server: AppServer): Promise<void> {
  process.kill(server.pid, "SIGKILL");
  await server.stop();
}

// ---------------------------------------------------------------- a trust's records

/**
 * Everything a trust holds, as its backup document (every record of the trust, exactly as stored), and
 * how many entries the installation's own history has (a trust deleted or restored is recorded there).
 */
export interface TrustState {
  doc: TrustBackup;
  installationEntries: number;
}

export async function trustState(db: Database, trustId: string): Promise<TrustState> {
  const doc = await exportTrust(db, trustId);
  const [installation] = await db.select({ n: count() }).from(auditLog).where(isNull(auditLog.trustId));
  return { doc: { ...doc, exportedAt: "" }, installationEntries: installation!.n };
}

/** Record counts and a digest of the whole document: equal states compare equal, and a difference reads briefly. */
export function summary(state: TrustState): { counts: Record<string, number>; digest: string; installationEntries: number } {
  const counts = Object.fromEntries(Object.entries(state.doc).flatMap(([key, value]) => (Array.isArray(value) ? [[key, value.length]] : [])));
  const digest = createHash("sha256").update(JSON.stringify(state.doc)).digest("hex");
  return { counts, digest, installationEntries: state.installationEntries };
}

// ---------------------------------------------------------------- watching PostgreSQL

/** A transaction of the test's own holding a lock until released. */
export interface HeldLock {
  release(): Promise<void>;
}

/** Runs `statement` in a transaction of its own and keeps the transaction (and so its locks) open until released. */
export async function holdLock(client: postgres.Sql, statement: string): Promise<HeldLock> {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let locked!: () => void;
  let failed!: (error: unknown) => void;
  const holding = new Promise<void>((resolve, reject) => ((locked = resolve), (failed = reject)));
  const done = client
    .begin(async (tx) => {
      await tx.unsafe(statement);
      locked();
      await released;
    })
    .catch(failed);
  await holding;
  return {
    release: async () => {
      release();
      await done;
    },
  };
}

export interface WaitingBackend {
  pid: number;
  query: string;
  /** The transaction's id: PostgreSQL gives one only once a transaction has written something. */
  xid: string | null;
}

/** Waits until a session of the database waits for a lock with a statement matching `query`, and returns it. */
export async function waitForLockWait(client: postgres.Sql, query: RegExp, timeoutMs = 60_000): Promise<WaitingBackend> {
  const deadline = Date.now() + timeoutMs;
  let waiting: WaitingBackend[] = [];
  while (Date.now() < deadline) {
    waiting = await client<WaitingBackend[]>`
      select pid, query, backend_xid::text as xid from pg_stat_activity
       where datname = current_database() and pid <> pg_backend_pid() and wait_event_type = 'Lock'`;
    const found = waiting.find((w) => query.test(w.query));
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const seen = waiting.map((w) => w.query.slice(0, 200)).join("\n") || "(none)";
  throw new Error(`No session waited for a lock with a statement like ${query} within ${timeoutMs} ms. Waiting:\n${seen}`);
}

/** Waits until PostgreSQL has ended a session (its client gone, the transaction rolled back). */
export async function waitForSessionEnd(client: postgres.Sql, pid: number, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const [row] = await client<{ n: number }[]>`select count(*)::int as n from pg_stat_activity where pid = ${pid}`;
    if (row!.n === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`PostgreSQL did not end session ${pid} within ${timeoutMs} ms`);
}

// ---------------------------------------------------------------- the command line

export interface CommandLine {
  child: ChildProcess;
  /** Resolves with the exit code (null when killed) and what it wrote. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

/** `sod ARGS` as a child process against the database in `env`. */
export function startSod(args: string[], env: Record<string, string>): CommandLine {
  const { DATABASE_URL: _url, DATA_DIR: _dir, ...inherited } = process.env;
  const child = spawn(process.execPath, [path.join(ROOT, "app/cli/sod.js"), ...args], { cwd: ROOT, env: { ...inherited, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout!.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, exited };
}

/** Polls until `ready()` holds, `stopped()` holds (the work ended first), or the time runs out. */
export async function until(ready: () => boolean, stopped: () => boolean, timeoutMs = 120_000, everyMs = 5): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (ready()) return true;
    if (stopped()) return false;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  throw new Error(`Neither the sign awaited nor the end of the work came within ${timeoutMs} ms`);
}

/** The size of a table's file and its further segments. */
export function fileSize(file: string): number {
  let size = 0;
  for (let segment = 0; ; segment++) {
    const name = segment === 0 ? file : `${file}.${segment}`;
    if (!fs.existsSync(name)) return size;
    size += fs.statSync(name).size;
  }
}

// ---------------------------------------------------------------- processes

/** A process's state letter and parent, from /proc; null once it is gone (reaped). */
function processStatus(pid: number): { state: string; parent: number } | null {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return { state: fields[0]!, parent: Number(fields[1]) };
  } catch {
    return null;
  }
}

/** The running children of a process (not those ended and waiting to be reaped): a server's workers are its supervisor's. */
export function childProcesses(pid: number): number[] {
  return fs
    .readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
    .filter((child) => {
      const status = processStatus(child);
      return status !== null && status.parent === pid && status.state !== "Z";
    });
}

/** Gone from /proc: its parent has reaped it. */
export const reaped = (pid: number) => processStatus(pid) === null;

/** Ended: gone, or a zombie whose new parent (an orphan is given to init) has not reaped it yet. */
export const ended = (pid: number) => (processStatus(pid)?.state ?? "Z") === "Z";
