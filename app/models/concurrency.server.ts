import { and, eq, sql, type SQL } from "drizzle-orm";
import type { PgColumn, PgTable, PgUpdateSetSource } from "drizzle-orm/pg-core";
import type { Database } from "../../db/client";
import { NotFoundError, StaleWriteError } from "../domain/errors";

type VersionedTable = PgTable & { id: PgColumn; version: PgColumn; updatedAt?: PgColumn };

/**
 * Optimistic concurrency for every edit: the update names the version it read, and succeeds only
 * if nobody has saved since. Returns the new version; throws StaleWriteError (nothing changed) if
 * someone else saved first, or NotFoundError if it is gone (or outside the scope). Rows are
 * counted from RETURNING, which both drivers report alike.
 */
export async function updateIfUnchanged<T extends VersionedTable>(
  tx: Database,
  table: T,
  where: { id: string; version: number; scope?: SQL },
  values: PgUpdateSetSource<T>,
  what: string,
): Promise<number> {
  const set = {
    ...values,
    version: sql`${table.version} + 1`,
    ...("updatedAt" in table && table.updatedAt ? { updatedAt: sql`now()` } : {}),
  } as PgUpdateSetSource<T>;
  const rows = await tx
    .update(table)
    .set(set)
    .where(and(eq(table.id, where.id), eq(table.version, where.version), where.scope))
    .returning({ version: table.version });
  const row = rows[0];
  if (row) return row.version as number;
  const still = await tx
    .select({ id: table.id })
    .from(table as PgTable)
    .where(and(eq(table.id, where.id), where.scope));
  if (still.length === 0) throw new NotFoundError(what.charAt(0).toUpperCase() + what.slice(1));
  throw new StaleWriteError(what);
}
