/**
 * A database made once and copied for each test that may change it beyond repair (approve the draft,
 * discard it, remove a school): the copy is the process's database until the next, on the engine the
 * project runs. On PGlite the copy is loaded from a dump of the data directory; on PostgreSQL it is a
 * new database made with the first as its template.
 */
import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { inject } from "vitest";
import { openDatabase, useDatabase, type DatabaseHandle } from "../../db/client";
import { engine, freshDatabase } from "./database";

export interface Snapshot {
  /** A new copy of the database as it was made, installed as the process's database. */
  copy(): Promise<DatabaseHandle>;
  /** Removes what the snapshot holds (the copies close themselves). */
  close(): Promise<void>;
}

function admin() {
  return postgres(inject("postgresAdminUrl"), { max: 1, onnotice: () => {} });
}

async function createDatabase(name: string, template: string): Promise<string> {
  const sql = admin();
  try {
    await sql.unsafe(`create database ${name} template ${template}`);
  } finally {
    await sql.end();
  }
  const url = new URL(inject("postgresAdminUrl"));
  url.pathname = `/${name}`;
  return url.toString();
}

async function dropDatabase(name: string): Promise<void> {
  const sql = admin();
  try {
    await sql.unsafe(`drop database if exists ${name} with (force)`);
  } finally {
    await sql.end();
  }
}

/** Makes a database with `make` on a fresh one, and keeps it to copy. */
export async function snapshot(make: (handle: DatabaseHandle) => Promise<void>): Promise<Snapshot> {
  if (engine() === "pglite") {
    const handle = await freshDatabase();
    await make(handle);
    const dump = await handle.pglite!.dumpDataDir("none");
    await handle.close();
    return {
      async copy() {
        const copy = await openDatabase({ kind: "pglite", dataDir: "memory://", loadDataDir: dump });
        useDatabase(copy);
        return copy;
      },
      async close() {},
    };
  }
  const template = `sod_snapshot_${randomBytes(6).toString("hex")}`;
  const made = await openDatabase({ kind: "postgres", url: await createDatabase(template, inject("postgresTemplate")), maxConnections: 5 });
  useDatabase(made);
  try {
    await make(made);
  } finally {
    // A template may have no connections while it is copied.
    await made.close();
  }
  return {
    async copy() {
      const name = `sod_copy_${randomBytes(6).toString("hex")}`;
      const opened = await openDatabase({ kind: "postgres", url: await createDatabase(name, template), maxConnections: 5 });
      const copy: DatabaseHandle = {
        ...opened,
        async close() {
          await opened.close();
          await dropDatabase(name);
        },
      };
      useDatabase(copy);
      return copy;
    },
    close: () => dropDatabase(template),
  };
}
