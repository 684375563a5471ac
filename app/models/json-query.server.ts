/**
 * Queries shaped in the database: one statement builds the whole answer as a single JSON value, so
 * a page costs one round trip instead of one per table, and the rows are never turned into objects
 * one by one.
 */
import { PGlite } from "@electric-sql/pglite";
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

/** Statements kept prepared in each embedded database (it has one session), by their text. */
const keptStatements = new WeakMap<PGlite, Map<string, Promise<string>>>();
let keptCount = 0;

/**
 * A value as EXECUTE's argument: a quoted literal, which the statement's own casts ($1::uuid,
 * $2::int…) turn into its type. Quotes are doubled (the database reads strings as written:
 * standard_conforming_strings, on by default and never changed here).
 */
function literal(value: unknown): string {
  if (value === null || value === undefined) return "null";
  const text =
    typeof value === "string"
      ? value
      : typeof value === "number" || typeof value === "bigint" || typeof value === "boolean"
        ? String(value)
        : value instanceof Date
          ? value.toISOString()
          : JSON.stringify(value);
  if (text.includes("\0")) throw new Error("A value with a NUL character cannot be given to the database.");
  return `'${text.replace(/'/g, "''")}'`;
}

/**
 * queryJson for a read asked on every page of a kind (a history page), outside any transaction, whose
 * every parameter is cast in the statement. On PostgreSQL it is queryJson. The embedded database's
 * driver sends every statement unnamed, so it would plan a large statement on every call (about half
 * of a history page's time in the database): here the statement is PREPAREd once per database, by
 * its text, and run by EXECUTE with its values written as literals, so the database plans it a few
 * times and then keeps the plan, as PostgreSQL does with a prepared statement.
 */
export async function queryJsonKept<T>(db: Database, query: SQL): Promise<T | null> {
  const client = (db as { $client?: unknown }).$client;
  if (!(client instanceof PGlite)) return queryJson<T>(db, query);
  const { dialect } = db as unknown as { dialect: PgDialect };
  const { sql: text, params } = dialect.sqlToQuery(query);
  let byText = keptStatements.get(client);
  if (!byText) keptStatements.set(client, (byText = new Map()));
  let prepared = byText.get(text);
  if (!prepared) {
    const name = `kept_json_${++keptCount}`;
    const preparing = client.query(`prepare ${name} as ${text}`).then(() => name);
    prepared = preparing;
    byText.set(text, preparing);
    preparing.catch(() => {
      if (byText.get(text) === preparing) byText.delete(text);
    });
  }
  const args = params.length > 0 ? `(${params.map(literal).join(", ")})` : "";
  const result = await client.query<{ result: T | string | null }>(`execute ${await prepared}${args}`);
  const value = result.rows[0]?.result ?? null;
  return typeof value === "string" ? (JSON.parse(value) as T) : value;
}
