/**
 * The stamps the database moves on a trust's row (ADRs 006 and 014), as the tests of their triggers
 * count them.
 */
import { eq, sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { trusts } from "../../db/schema";
import type { Trust } from "~/models/trust.server";

export type Stamp = "matrixStamp" | "historyStamp";

const SEQUENCES: Record<Stamp, string> = { matrixStamp: "matrix_stamps", historyStamp: "history_stamps" };

/** The trust's row as it is now. */
export async function reread(db: Database, t: Trust): Promise<Trust> {
  const [row] = await db.select().from(trusts).where(eq(trusts.id, t.id));
  return row!;
}

async function stampsDrawn(db: Database, stamp: Stamp): Promise<number> {
  const result: unknown = await db.execute(sql`select last_value from ${sql.identifier(SEQUENCES[stamp])}`);
  const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as { last_value: string | number }[];
  return Number(rows[0]!.last_value);
}

/** How many new stamps of this kind `t` was given while `change` ran (0 if it kept its stamp). */
export async function stampMoves(db: Database, stamp: Stamp, t: Trust, change: () => Promise<unknown>): Promise<number> {
  const [before, drawnBefore] = [(await reread(db, t))[stamp], await stampsDrawn(db, stamp)];
  await change();
  const [after, drawnAfter] = [(await reread(db, t))[stamp], await stampsDrawn(db, stamp)];
  // Nothing else draws stamps while a test runs, so the sequence counts the moves.
  return after === before ? 0 : drawnAfter - drawnBefore;
}
