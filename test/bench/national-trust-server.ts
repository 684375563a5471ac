/**
 * The national trust written into a new database and the built server started on it, signed in as
 * the trust's clerk: what the benchmarks of the matrix share.
 */
import { openDatabase, type Database } from "../../db/client";
import { createNationalTrust, type NationalTrust } from "../fixtures/national-trust";
import { signIn } from "./http";
import { startAppServer, type AppServer } from "./server";
import type { BenchDatabase, DatabaseTarget } from "./types";

export interface NationalTrustSession<P> {
  server: AppServer;
  trust: NationalTrust;
  /** The clerk's session cookie. */
  cookie: string;
  /** What `prepare` read from the database before the server started. */
  prepared: P;
  /** GET /trusts/<slug>/versions/1: the draft's matrix. */
  matrixUrl: string;
}

async function writeNationalTrust<P>(database: BenchDatabase, prepare: (db: Database, trust: NationalTrust) => Promise<P>) {
  const handle = await openDatabase(database.config);
  try {
    const trust = await createNationalTrust(handle.db);
    return { trust, prepared: await prepare(handle.db, trust) };
  } finally {
    await handle.close();
  }
}

/**
 * The national trust written into a new database of the target's, the built server started on it
 * and the clerk signed in. `prepare` reads what the benchmark needs from the database first: an
 * embedded data directory is open in one process at a time, so it must be closed before the server
 * opens it.
 */
export async function withNationalTrustServer<P, T>(
  target: DatabaseTarget,
  log: (line: string) => void,
  prepare: (db: Database, trust: NationalTrust) => Promise<P>,
  measure: (session: NationalTrustSession<P>) => Promise<T>,
): Promise<T> {
  const database = await target.create();
  try {
    const started = performance.now();
    const { trust, prepared } = await writeNationalTrust(database, prepare);
    log(`database created and national trust written in ${((performance.now() - started) / 1000).toFixed(2)} s`);
    const server = await startAppServer(database);
    try {
      const cookie = await signIn(server.url, trust.users.clerk.email, trust.users.clerk.password);
      return await measure({ server, trust, cookie, prepared, matrixUrl: `${server.url}/trusts/${trust.slug}/versions/1` });
    } finally {
      await server.stop();
    }
  } finally {
    await database.dispose();
  }
}
