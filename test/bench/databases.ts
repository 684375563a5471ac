/**
 * Where the benchmarks' databases live: embedded PGlite data directories under a temporary folder,
 * and databases on a PostgreSQL server (BENCH_DATABASE_URL, or a throwaway PostgreSQL 15 started here).
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { appRoot } from "../../db/client";
import { startPostgresServer } from "../support/postgres-server";
import type { DatabaseTarget, Engine } from "./types";

function pgliteVersion(): string {
  const manifest = path.join(appRoot(), "node_modules", "@electric-sql", "pglite", "package.json");
  return (JSON.parse(fs.readFileSync(manifest, "utf8")) as { version: string }).version;
}

export async function pgliteTarget(): Promise<DatabaseTarget> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "sod-bench-pglite-"));
  let made = 0;
  return {
    engine: "pglite",
    label: `PGlite ${pgliteVersion()} (embedded, in the server process)`,
    async create() {
      const dataDir = path.join(root, `data-${++made}`);
      return {
        env: { DATA_DIR: dataDir },
        config: { kind: "pglite", dataDir },
        dispose: async () => fs.rmSync(dataDir, { recursive: true, force: true }),
      };
    },
    close: async () => fs.rmSync(root, { recursive: true, force: true }),
  };
}

/**
 * `external` (by default BENCH_DATABASE_URL) names a database on a server where the benchmark may
 * create and drop databases (each measurement gets an empty one); without it a throwaway PostgreSQL 15
 * server is started.
 */
export async function postgresTarget(external = process.env.BENCH_DATABASE_URL): Promise<DatabaseTarget> {
  const server = external ? undefined : await startPostgresServer();
  const adminUrl = external ?? server!.url("postgres");
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    const [row] = await admin<{ server_version: string }[]>`show server_version`;
    const version = row!.server_version.split(" ")[0];
    return {
      engine: "postgres",
      label: `PostgreSQL ${version} (${external ? "a server of the caller's" : "throwaway server on this machine, fsync off"})`,
      async create() {
        const name = `sod_bench_${randomBytes(5).toString("hex")}`;
        await admin.unsafe(`create database ${name}`);
        const url = new URL(adminUrl);
        url.pathname = `/${name}`;
        return {
          env: { DATABASE_URL: url.toString() },
          config: { kind: "postgres", url: url.toString(), maxConnections: 5 },
          dispose: async () => {
            await admin.unsafe(`drop database if exists ${name} with (force)`);
          },
        };
      },
      async close() {
        await admin.end({ timeout: 5 });
        server?.stop();
      },
    };
  } catch (error) {
    await admin.end({ timeout: 1 });
    server?.stop();
    throw error;
  }
}

export function openTarget(engine: Engine): Promise<DatabaseTarget> {
  return engine === "pglite" ? pgliteTarget() : postgresTarget();
}
