/**
 * A fresh, migrated database for one test file, on the engine the project runs
 * (integration-pglite or integration-postgres), installed as the process's database
 * so that loaders and actions use it too.
 */
import fs from "node:fs";
import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { inject } from "vitest";
import { openDatabase, useDatabase, type DatabaseHandle } from "../../db/client";

export type Engine = "pglite" | "postgres";

export function engine(): Engine {
  return process.env.TEST_DB === "postgres" ? "postgres" : "pglite";
}

export async function freshDatabase(): Promise<DatabaseHandle> {
  const handle = engine() === "postgres" ? await freshPostgres() : await freshPglite();
  useDatabase(handle);
  return handle;
}

async function freshPglite(): Promise<DatabaseHandle> {
  const tar = fs.readFileSync(inject("pgliteTemplate"));
  return openDatabase({ kind: "pglite", dataDir: "memory://", loadDataDir: new Blob([tar]) });
}

/** A new database on the test run's PostgreSQL server, copied from the migrated template, and how to drop it. */
export async function templatePostgresDatabase(prefix = "sod_test"): Promise<{ url: string; drop(): Promise<void> }> {
  const adminUrl = inject("postgresAdminUrl");
  const name = `${prefix}_${randomBytes(6).toString("hex")}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database ${name} template ${inject("postgresTemplate")}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const cleanup = postgres(adminUrl, { max: 1, onnotice: () => {} });
      await cleanup.unsafe(`drop database if exists ${name} with (force)`);
      await cleanup.end();
    },
  };
}

async function freshPostgres(): Promise<DatabaseHandle> {
  const database = await templatePostgresDatabase();
  const handle = await openDatabase({ kind: "postgres", url: database.url, maxConnections: 5 });
  return {
    ...handle,
    async close() {
      await handle.close();
      await database.drop();
    },
  };
}
