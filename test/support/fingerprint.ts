/**
 * A cheap fingerprint of everything the app keeps: for each table, its row count and the md5 of its
 * rows as text in order, taken in one statement. Two equal fingerprints mean nothing was written in
 * between (a row's version, updated_at or the trust's stamps move with every write). Sessions and
 * failed sign-ins are left out: signing in and out, and a wrong password, rightly write them.
 */
import { sql } from "drizzle-orm";
import type { DatabaseHandle } from "../../db/client";

/** Bookkeeping of sign-ins, not data of any trust. */
const LEFT_OUT = new Set(["sessions", "sign_in_attempts"]);

export type Fingerprint = Record<string, string>;

function rowsOf<T>(result: unknown): T[] {
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

const statements = new WeakMap<DatabaseHandle, Promise<string>>();

async function statementFor(handle: DatabaseHandle): Promise<string> {
  const tables = rowsOf<{ name: string }>(
    await handle.db.execute(sql`select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`),
  )
    .map((t) => t.name)
    .filter((name) => !LEFT_OUT.has(name));
  if (tables.length === 0) throw new Error("The database has no tables to fingerprint.");
  return tables
    .map((name) => `select '${name}' as name, count(*)::int as rows, md5(coalesce(string_agg(t::text, E'\\n' order by t::text), '')) as hash from "${name}" t`)
    .join(" union all ");
}

/** Table name → "rows:md5" for every table of the app but the sign-in bookkeeping. */
export async function fingerprint(handle: DatabaseHandle): Promise<Fingerprint> {
  let statement = statements.get(handle);
  if (!statement) statements.set(handle, (statement = statementFor(handle)));
  const rows = rowsOf<{ name: string; rows: number; hash: string }>(await handle.db.execute(sql.raw(await statement)));
  return Object.fromEntries(rows.map((r) => [r.name, `${r.rows}:${r.hash}`]));
}

/** The tables whose fingerprints differ, e.g. ["audit_log", "cells"]. */
export function changedTables(before: Fingerprint, after: Fingerprint): string[] {
  return [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((name) => before[name] !== after[name]).sort();
}
