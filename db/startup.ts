/**
 * Opening the database when the app server starts: migrate, and give an empty embedded database the
 * demo trust so that the app shows something real on first start. A PostgreSQL server gets the demo
 * only when asked (SOD_DEMO=1): demo accounts with published passwords have no place on a shared
 * server by accident.
 */
import { count, sql } from "drizzle-orm";
import { COMMAND_LINE } from "../app/models/audit.server";
import { configFromEnv, openDatabase, useDatabase, type DatabaseHandle } from "./client";
import { trusts, users } from "./schema";
import { seedDemoTrust } from "./seed";

/** Several server processes start at once against one PostgreSQL: one adds the demo, the others wait and find it there. */
const DEMO_LOCK_KEY = 7_402_115_032;

export async function prepareDatabase(handle: DatabaseHandle): Promise<DatabaseHandle> {
  const wanted = handle.config.kind === "pglite" ? process.env.SOD_DEMO !== "0" : process.env.SOD_DEMO === "1";
  if (wanted) {
    await handle.db.transaction(async (tx) => {
      if (handle.config.kind === "postgres") await tx.execute(sql`select pg_advisory_xact_lock(${DEMO_LOCK_KEY})`);
      const [people] = await tx.select({ n: count() }).from(users);
      const [trustCount] = await tx.select({ n: count() }).from(trusts);
      if (people!.n === 0 && trustCount!.n === 0) await seedDemoTrust(tx, COMMAND_LINE);
    });
  }
  if (handle.config.kind === "pglite") keepStatistics(handle);
  return handle;
}

/** How often the embedded database's planner statistics are refreshed. */
const STATISTICS_EVERY_MS = 15 * 60 * 1000;

/**
 * The embedded database has no autovacuum, so nothing else gathers the planner's statistics: without
 * them a busy version's history plans its queries as if its tables were empty (31 ms a page instead of
 * 9 at 10,000 entries). They are gathered at start and every quarter of an hour; a PostgreSQL server
 * does this itself.
 */
function keepStatistics(handle: DatabaseHandle): void {
  const analyze = () => handle.db.execute(sql`analyze`).catch(() => undefined);
  void analyze();
  setInterval(analyze, STATISTICS_EVERY_MS).unref();
}

/** Starts opening the process's database at once, so the first request does not pay for it. */
export function startDatabase(): Promise<DatabaseHandle> {
  const pending = openDatabase(configFromEnv()).then(prepareDatabase);
  useDatabase(pending);
  return pending;
}
