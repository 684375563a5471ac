/**
 * Queries asked on every request (who is signed in, which trust they are in) are built once per
 * database handle and kept as prepared statements: building a query is a real share of a page's cost.
 */
import type { Database } from "../../db/client";

const cache = new WeakMap<Database, Map<string, unknown>>();

export function prepared<T>(db: Database, name: string, build: (db: Database) => T): T {
  let byName = cache.get(db);
  if (!byName) cache.set(db, (byName = new Map()));
  let query = byName.get(name) as T | undefined;
  if (!query) {
    query = build(db);
    byName.set(name, query);
  }
  return query;
}
