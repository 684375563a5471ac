/**
 * The database: embedded PGlite in a data directory by default, or a PostgreSQL server when
 * DATABASE_URL is set. One handle per process, migrated on opening.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import { sql } from "drizzle-orm";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import postgres from "postgres";
import { acquireDataDirLock, type DataDirLock } from "./lock";
import * as schema from "./schema";

export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;

export type DatabaseConfig =
  | { kind: "postgres"; url: string; maxConnections?: number }
  /** `dataDir` is a directory, or "memory://" for a throwaway database; `loadDataDir` starts from a dump. */
  | { kind: "pglite"; dataDir: string; loadDataDir?: Blob };

export interface DatabaseHandle {
  db: Database;
  config: DatabaseConfig;
  /** True when the embedded data directory did not exist before this process opened it. */
  created: boolean;
  pglite?: PGlite;
  /**
   * A trivial query on a connection of its own, beside a server's pool: whether the database answers
   * is not whether the pool has a connection free, which under a heavy load it may not for seconds.
   */
  ping?(): Promise<void>;
  close(): Promise<void>;
}

/** The folder holding package.json: the build (build/index.js) and the sources (db/client.ts) sit one level below it. */
export function appRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!fs.existsSync(path.join(dir, "package.json"))) {
    const parent = path.dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
  return dir;
}

export const migrationsFolder = () => path.join(appRoot(), "db", "migrations");

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): DatabaseConfig {
  if (env.DATABASE_URL) return { kind: "postgres", url: env.DATABASE_URL };
  const dataDir = env.DATA_DIR ?? "./data";
  return { kind: "pglite", dataDir: dataDir.startsWith("memory://") ? dataDir : path.resolve(dataDir) };
}

export function describeConfig(config: DatabaseConfig): string {
  if (config.kind === "pglite") {
    return config.dataDir.startsWith("memory://") ? "embedded database (in memory)" : `embedded database in ${config.dataDir}`;
  }
  const url = new URL(config.url);
  return `PostgreSQL at ${url.hostname}${url.port ? `:${url.port}` : ""}${url.pathname}`;
}

/** Opens (and migrates) a database. Most code wants `getDb()`; this is for tools and tests. */
export async function openDatabase(config: DatabaseConfig): Promise<DatabaseHandle> {
  return config.kind === "postgres" ? openPostgres(config) : openPglite(config);
}

async function openPglite(config: Extract<DatabaseConfig, { kind: "pglite" }>): Promise<DatabaseHandle> {
  const inMemory = config.dataDir.startsWith("memory://");
  let lock: DataDirLock | undefined;
  let created = false;
  if (!inMemory) {
    created = !fs.existsSync(path.join(config.dataDir, "PG_VERSION"));
    fs.mkdirSync(config.dataDir, { recursive: true });
    lock = acquireDataDirLock(config.dataDir);
  }
  let pglite: PGlite;
  try {
    pglite = await PGlite.create(inMemory ? undefined : config.dataDir, { loadDataDir: config.loadDataDir }).catch((error: unknown) => {
      throw inMemory ? error : new DataDirUnreadableError(config.dataDir, created, error);
    });
    const db = drizzlePglite(pglite, { schema }) as unknown as Database;
    await migratePglite(drizzlePglite(pglite, { schema }), { migrationsFolder: migrationsFolder() });
    return {
      db,
      config,
      created: inMemory || created,
      pglite,
      async close() {
        try {
          await pglite.close();
        } finally {
          lock?.release();
        }
      },
    };
  } catch (error) {
    lock?.release();
    throw error;
  }
}

/**
 * An embedded data directory that PGlite cannot open (damaged, copied half-way, or of another
 * PostgreSQL version) does not mend itself, unlike a server that is restarting: the server stops with
 * what to do, rather than answering "try again in a minute" for ever.
 */
export class DataDirUnreadableError extends Error {
  constructor(dataDir: string, created: boolean, cause: unknown) {
    // PGlite's own words, without the advice to rebuild its WebAssembly that follows an abort.
    const reason = (cause instanceof Error ? cause.message : String(cause)).replace(/\s*Build with -sASSERTIONS.*$/s, "");
    super(
      created
        ? `The embedded database could not be made in ${dataDir} (${reason}). Check that the folder can be written and that the disk has room.`
        : `The embedded database in ${dataDir} cannot be opened (${reason}): it may be damaged, or only partly copied. ` +
            "Keep the folder as it is, since any recovery starts from it. To carry on, start the app on a new folder (DATA_DIR) and restore your latest backups into it with `sod restore FILE`.",
      { cause },
    );
    this.name = "DataDirUnreadableError";
  }
}

/** Several app servers may start at once against one server: one of them migrates, the others wait. */
const MIGRATION_LOCK_KEY = 7_402_115_031;

async function openPostgres(config: Extract<DatabaseConfig, { kind: "postgres" }>): Promise<DatabaseHandle> {
  // Migrate on a connection of its own: the advisory lock belongs to the connection that took it.
  const migrator = postgres(config.url, { max: 1, onnotice: () => {}, connect_timeout: 10 });
  try {
    await migrator`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`;
    await migratePostgres(drizzlePostgres(migrator, { schema }), { migrationsFolder: migrationsFolder() });
    await migrator`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`;
  } finally {
    await migrator.end({ timeout: 1 });
  }
  const client = postgres(config.url, {
    max: config.maxConnections ?? 10,
    onnotice: () => {},
    connect_timeout: 10,
  });
  const db = drizzlePostgres(client, { schema }) as unknown as Database;
  const pinger = postgres(config.url, { max: 1, onnotice: () => {}, connect_timeout: 10 });
  return {
    db,
    config,
    created: false,
    ping: async () => void (await pinger`select 1`),
    close: async () => {
      await Promise.all([client.end({ timeout: 5 }), pinger.end({ timeout: 1 })]);
    },
  };
}

// ---------------------------------------------------------------- the process-wide handle

/**
 * Kept on globalThis so that a module evaluated twice (the dev server, or the CLI importing the
 * server's code) still shares one handle: two PGlite instances on one directory would corrupt it.
 */
const GLOBAL_KEY = Symbol.for("scheme-of-delegation.database");
type Holder = { handle?: Promise<DatabaseHandle> };
const holder: Holder = ((globalThis as Record<symbol, Holder>)[GLOBAL_KEY] ??= {});

/** The process's database, opened and migrated on first use. */
export function getDatabase(): Promise<DatabaseHandle> {
  holder.handle ??= openDatabase(configFromEnv()).catch((error) => {
    holder.handle = undefined;
    throw error;
  });
  return holder.handle;
}

export async function getDb(): Promise<Database> {
  return (await getDatabase()).db;
}

/** Makes a handle (or one being opened) the process's database: the server's start-up, tools and tests. */
export function useDatabase(handle: DatabaseHandle | Promise<DatabaseHandle>): void {
  const pending = Promise.resolve(handle);
  holder.handle = pending;
  pending.catch(() => {
    if (holder.handle === pending) holder.handle = undefined;
  });
}

export async function closeDatabase(): Promise<void> {
  const pending = holder.handle;
  holder.handle = undefined;
  if (pending) await (await pending).close();
}

/** True when the database answers a trivial query within the time allowed. */
export async function databaseAnswers(timeoutMs = 2000): Promise<boolean> {
  try {
    const handle = await getDatabase();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error("timeout")), timeoutMs);
    });
    try {
      await Promise.race([handle.ping ? handle.ping() : handle.db.execute(sql`select 1`), timeout]);
    } finally {
      clearTimeout(timer);
    }
    return true;
  } catch {
    return false;
  }
}
