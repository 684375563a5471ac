/**
 * PGlite takes no lock on its data directory, and two processes writing one directory corrupt it.
 * This lock file makes a second process (the CLI while the server runs) refuse with a clear message.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export interface DataDirLock {
  path: string;
  release(): void;
}

export class DataDirInUseError extends Error {
  constructor(dataDir: string, holder: LockHolder) {
    super(
      `The embedded database in ${dataDir} is in use by another process (pid ${holder.pid}, ${holder.command}, since ${holder.since}). ` +
        "Stop that process first, or set DATABASE_URL to use a PostgreSQL server that several processes can share.",
    );
    this.name = "DataDirInUseError";
  }
}

interface LockHolder {
  pid: number;
  host: string;
  command: string;
  since: string;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function readHolder(file: string): LockHolder | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8")) as LockHolder;
  } catch {
    return undefined;
  }
}

/** The lock sits beside the data directory, so that it never mixes with PostgreSQL's own files. */
export function lockFileFor(dataDir: string): string {
  return path.join(path.dirname(path.resolve(dataDir)), `${path.basename(dataDir)}.lock`);
}

export function acquireDataDirLock(dataDir: string): DataDirLock {
  const file = lockFileFor(dataDir);
  const me: LockHolder = {
    pid: process.pid,
    host: os.hostname(),
    command: path.basename(process.argv[1] ?? "node"),
    since: new Date().toISOString(),
  };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(file, JSON.stringify(me), { flag: "wx" });
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        process.off("exit", release);
        const current = readHolder(file);
        if (current?.pid === process.pid) fs.rmSync(file, { force: true });
      };
      process.on("exit", release);
      return { path: file, release };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const holder = readHolder(file);
      const stale = !holder || (holder.host === me.host && !isAlive(holder.pid));
      if (holder && holder.pid === process.pid) throw new DataDirInUseError(dataDir, holder);
      if (!stale) throw new DataDirInUseError(dataDir, holder);
      // The process that held it has gone (for example it was killed): take the lock over.
      fs.rmSync(file, { force: true });
    }
  }
  throw new Error(`Could not take the lock on ${dataDir}`);
}
