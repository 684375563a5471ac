/**
 * Queries shaped in the database: one statement builds the whole answer as a single JSON value, so
 * a page costs one round trip instead of one per table, and the rows are never turned into objects
 * one by one.
 */
import type { SQL } from "drizzle-orm";
import type { Database } from "../../db/client";

/**
 * Runs a statement whose one row has one column, `result`, holding JSON (or SQL null). postgres-js
 * parses json values itself; PGlite may hand back the text.
 */
export async function queryJson<T>(db: Database, query: SQL): Promise<T | null> {
  const result: unknown = await db.execute(query);
  const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as { result: T | string | null }[];
  const value = rows[0]?.result ?? null;
  return typeof value === "string" ? (JSON.parse(value) as T) : value;
}
