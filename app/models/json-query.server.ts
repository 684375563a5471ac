/**
 * Queries shaped in the database: one statement builds the whole answer as a single JSON value, so
 * a page costs one round trip instead of one per table, and the rows are never turned into objects
 * one by one.
 */
import type { SQL } from "drizzle-orm";
import type { PgDialect } from "drizzle-orm/pg-core";
import type { Database } from "../../db/client";

/**
 * Runs a statement whose one row has one column, `result`, holding JSON (or SQL null).
 *
 * The statement is prepared: on PostgreSQL the server plans it once per connection instead of on
 * every call (for a cell save, planning cost more than running). Only statements whose text never
 * varies come here, because the driver keeps every prepared text for the life of the connection.
 * postgres-js parses json values itself; PGlite may hand back the text.
 */
export async function queryJson<T>(db: Database, query: SQL): Promise<T | null> {
  const { dialect } = db as unknown as { dialect: PgDialect };
  const statement = db._.session.prepareQuery(dialect.sqlToQuery(query), undefined, "json-query", false);
  const result: unknown = await statement.execute();
  const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as { result: T | string | null }[];
  const value = rows[0]?.result ?? null;
  return typeof value === "string" ? (JSON.parse(value) as T) : value;
}
