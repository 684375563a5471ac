/**
 * Backup and restore of one trust: a versioned JSON document (backup-format.server.ts) holding
 * every record that belongs to the trust, exactly as stored (ids, timestamps to the microsecond,
 * numerics as written, arrays and JSON), so that restoring it elsewhere and backing it up again
 * gives the same document.
 *
 * Left out on purpose: sessions and sign-in attempts (transient), background jobs (their results
 * are rebuilt on demand) and instance settings (they belong to the installation, not the trust).
 */
import { asc, eq, getTableColumns, inArray, or, sql, type SQL } from "drizzle-orm";
import type { PgColumn, PgTable } from "drizzle-orm/pg-core";
import type { Database } from "../../db/client";
import {
  auditLog,
  autonomyTiers,
  cells,
  findingAcknowledgements,
  governanceBodies,
  memberships,
  performanceRecords,
  publications,
  responsibilities,
  schemeRows,
  schemeVersions,
  schoolCells,
  schoolReviews,
  schools,
  strategyProfiles,
  tierCells,
  tierDecisions,
  trusts,
  users,
} from "../../db/schema";
import { NotFoundError, RuleError } from "../domain/errors";
import { COMMAND_LINE, recordAudit, type Actor } from "./audit.server";
import { deleteTrust } from "./trust.server";
import { BACKUP_FORMAT, BACKUP_FORMAT_VERSION, parseBackup, type Row, type RowKey, type TrustBackup } from "./backup-format.server";

export { BACKUP_FORMAT, BACKUP_FORMAT_VERSION, InvalidBackupError, parseBackup, type TrustBackup } from "./backup-format.server";

/** Multi-row inserts stay within this many rows per statement. */
const CHUNK = 1000;

// ---------------------------------------------------------------- the tables and how they are read

/** The trust's own tables, in the order the file lists them, and the order of their rows (stable, by key). */
const TRUST_TABLES = {
  governanceBodies: { table: governanceBodies, order: [governanceBodies.id] },
  schools: { table: schools, order: [schools.id] },
  performanceRecords: { table: performanceRecords, order: [performanceRecords.id] },
  responsibilities: { table: responsibilities, order: [responsibilities.id] },
  schemeVersions: { table: schemeVersions, order: [schemeVersions.number] },
  schemeRows: { table: schemeRows, order: [schemeRows.versionId, schemeRows.responsibilityId] },
  cells: { table: cells, order: [cells.versionId, cells.responsibilityId, cells.bodyId] },
  tierCells: { table: tierCells, order: [tierCells.versionId, tierCells.tier, tierCells.responsibilityId, tierCells.bodyId] },
  schoolCells: {
    table: schoolCells,
    order: [schoolCells.versionId, schoolCells.schoolId, schoolCells.responsibilityId, schoolCells.bodyId],
  },
  findingAcknowledgements: { table: findingAcknowledgements, order: [findingAcknowledgements.id] },
  strategyProfiles: { table: strategyProfiles, order: [strategyProfiles.trustId] },
  autonomyTiers: { table: autonomyTiers, order: [autonomyTiers.tier] },
  tierDecisions: { table: tierDecisions, order: [tierDecisions.id] },
  schoolReviews: { table: schoolReviews, order: [schoolReviews.id] },
  publications: { table: publications, order: [publications.trustId] },
  auditLog: { table: auditLog, order: [auditLog.id] },
} satisfies Partial<Record<RowKey, { table: PgTable & { trustId: PgColumn }; order: PgColumn[] }>>;

/**
 * Reads a column as it is stored: drivers turn timestamps into JavaScript dates (milliseconds
 * only) and may turn numerics into floating-point numbers, so those are read as text; arrays come
 * as JSON, because one driver reads the gaps in a number array as NaN.
 */
function exactly(column: PgColumn): PgColumn | SQL {
  const type = column.getSQLType();
  if (type.endsWith("[]")) return sql`to_jsonb(${column})`;
  if (type.startsWith("timestamp")) return sql`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
  if (type === "date") return sql`to_char(${column}, 'YYYY-MM-DD')`;
  if (type.startsWith("numeric")) return sql`${column}::text`;
  return column;
}

function exactSelection(table: PgTable, leaveOut: string[] = []): Record<string, PgColumn | SQL> {
  const selection: Record<string, PgColumn | SQL> = {};
  for (const [key, column] of Object.entries(getTableColumns(table))) {
    if (!leaveOut.includes(key)) selection[key] = exactly(column);
  }
  return selection;
}

/** Timestamps go back in as text cast by the database, so nothing passes through a JavaScript date. */
function forInsert(table: PgTable, row: Row): Row {
  const values: Row = { ...row };
  for (const [key, column] of Object.entries(getTableColumns(table))) {
    const value = values[key];
    if (typeof value === "string" && column.getSQLType().startsWith("timestamp")) values[key] = sql`${value}::timestamptz`;
  }
  return values;
}

async function insertRows(tx: Database, table: PgTable, rows: Row[], overridingSystemValue = false): Promise<void> {
  for (let start = 0; start < rows.length; start += CHUNK) {
    const chunk = rows.slice(start, start + CHUNK).map((row) => forInsert(table, row)) as never[];
    const insert = overridingSystemValue ? tx.insert(table).overridingSystemValue() : tx.insert(table);
    await insert.values(chunk);
  }
}

function chunks<T>(items: T[]): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += CHUNK) result.push(items.slice(start, start + CHUNK));
  return result;
}

// ---------------------------------------------------------------- export

/** Every account a trust's records name: its members, and whoever created, recorded or published something. */
function accountsNamed(doc: Omit<TrustBackup, "users">): Set<string> {
  const ids = new Set<string>();
  const add = (value: string | null) => value && ids.add(value);
  doc.memberships.forEach((m) => add(m.userId));
  doc.schemeVersions.forEach((v) => add(v.createdBy));
  doc.findingAcknowledgements.forEach((a) => add(a.acknowledgedBy));
  doc.tierDecisions.forEach((d) => add(d.recordedBy));
  doc.schoolReviews.forEach((r) => add(r.recordedBy));
  doc.publications.forEach((p) => add(p.publishedBy));
  doc.auditLog.forEach((e) => add(e.userId));
  return ids;
}

/** The whole trust as a backup document. Read in one repeatable-read transaction, so the parts agree with each other. */
export async function exportTrust(db: Database, trustId: string): Promise<TrustBackup> {
  return db.transaction(
    async (tx) => {
      // The stamps are the database's own bookkeeping: a restored trust is given fresh ones.
      const [trust] = await tx.select(exactSelection(trusts, ["matrixStamp", "historyStamp"])).from(trusts).where(eq(trusts.id, trustId));
      if (!trust) throw new NotFoundError("That trust");
      const doc: Row = {
        format: BACKUP_FORMAT,
        formatVersion: BACKUP_FORMAT_VERSION,
        exportedAt: new Date().toISOString(),
        trust,
        users: [],
        memberships: await tx
          .select(exactSelection(memberships))
          .from(memberships)
          .where(eq(memberships.trustId, trustId))
          .orderBy(asc(memberships.userId)),
      };
      for (const [key, { table, order }] of Object.entries(TRUST_TABLES)) {
        doc[key] = await tx
          .select(exactSelection(table))
          .from(table)
          .where(eq(table.trustId, trustId))
          .orderBy(...order.map((column) => asc(column)));
      }
      const named = [...accountsNamed(doc as unknown as TrustBackup)];
      const accounts: Row[] = [];
      // Site administration belongs to the installation, not to the trust: it is not carried over.
      for (const part of chunks(named)) {
        accounts.push(...(await tx.select(exactSelection(users, ["isSiteAdmin"])).from(users).where(inArray(users.id, part))));
      }
      doc.users = accounts.sort((a, b) => (String(a.id) < String(b.id) ? -1 : 1));
      return doc as unknown as TrustBackup;
    },
    { isolationLevel: "repeatable read", accessMode: "read only" },
  );
}

// ---------------------------------------------------------------- restore

export interface RestoreResult {
  trust: { id: string; slug: string; name: string };
  /** The trust that was there before and was replaced, if any. */
  replaced: { slug: string; name: string } | null;
  accountsCreated: number;
  /** Accounts that already existed here (matched by email): kept as they are. */
  accountsMatched: number;
  /** False when the audit entries' ids were in use here, so they were numbered afresh (in the same order). */
  auditIdsKept: boolean;
  counts: Record<RowKey, number>;
}

/** Orders rows so that each comes after the row its `fields` point at (the file has been checked for circles). */
function parentsFirst<T extends { id: string }>(rows: T[], fields: (keyof T)[]): T[] {
  const byId = new Map(rows.map((row) => [row.id, row]));
  const placed = new Set<string>();
  const ordered: T[] = [];
  const place = (row: T) => {
    if (placed.has(row.id)) return;
    placed.add(row.id);
    for (const field of fields) {
      const target = byId.get(row[field] as string);
      if (target) place(target);
    }
    ordered.push(row);
  };
  rows.forEach(place);
  return ordered;
}

/** PostgreSQL's class 23: integrity constraint violations (23505 unique, 23503 foreign key, 23514 check). */
const PG_INTEGRITY = "23";
const PG_UNIQUE_VIOLATION = "23505";

/**
 * Restores a trust from a backup document, all or nothing. Accounts are matched by email: an
 * account that already exists here is kept as it is, and the trust's records point at it.
 */
export async function restoreTrust(
  db: Database,
  document: unknown,
  options: { replace?: boolean; actor?: Actor } = {},
): Promise<RestoreResult> {
  const doc = parseBackup(document);
  try {
    return await db.transaction((tx) => restoreChecked(tx, doc, options.replace ?? false, options.actor ?? COMMAND_LINE));
  } catch (error) {
    // The document was checked against the schema's rules; what the database still refuses is said plainly.
    const cause = (error as { cause?: { code?: string; detail?: string; message?: string; table_name?: string; table?: string } }).cause;
    if (cause?.code === PG_UNIQUE_VIOLATION) {
      throw new RuleError(
        `The backup's records clash with records already in this database (${cause.table_name ?? cause.table ?? "a table"}: ${cause.detail ?? "a key in use"}). ` +
          "It may be a copy of a trust that is already here under another short name. Nothing was changed.",
      );
    }
    if (cause?.code?.startsWith(PG_INTEGRITY)) {
      throw new RuleError(`The database refused the backup: ${cause.message ?? cause.code}. Nothing was changed.`);
    }
    throw error;
  }
}

async function restoreChecked(tx: Database, doc: TrustBackup, replace: boolean, actor: Actor): Promise<RestoreResult> {
  const { trust } = doc;
  const existing = await tx
    .select({ id: trusts.id, slug: trusts.slug, name: trusts.name })
    .from(trusts)
    .where(or(eq(trusts.id, trust.id), eq(trusts.slug, trust.slug)));
  if (existing.length > 1) {
    throw new RuleError(
      `The backup's trust has the id of one trust here and the short name "${trust.slug}" of another; ` +
        "restoring it would replace two trusts, so nothing was changed.",
    );
  }
  const replaced = existing[0] ?? null;
  if (replaced && !replace) {
    throw new RuleError(
      `There is already a trust "${replaced.name}" (short name "${replaced.slug}") here. ` +
        "Restore with --replace to delete it and put the backup in its place; nothing was changed.",
    );
  }
  if (replaced) await deleteTrust(tx, actor, replaced.id);
  await insertRows(tx, trusts, [trust]);

  const { ids: accountIds, matched: accountsMatched } = await restoreAccounts(tx, doc.users);
  const account = (value: string | null) => (value === null ? null : (accountIds.get(value) ?? value));
  const remap = <T extends Row>(rows: T[], fields: (keyof T)[]) =>
    rows.map((row) => ({ ...row, ...Object.fromEntries(fields.map((f) => [f, account(row[f] as string | null)])) }));

  await insertRows(tx, memberships, remap(doc.memberships, ["userId"]));
  await insertRows(tx, governanceBodies, parentsFirst(doc.governanceBodies, ["parentId", "columnId"]));
  await insertRows(tx, schools, doc.schools);
  await insertRows(tx, performanceRecords, doc.performanceRecords);
  await insertRows(tx, responsibilities, doc.responsibilities);
  await insertRows(tx, autonomyTiers, doc.autonomyTiers);
  await insertRows(tx, strategyProfiles, doc.strategyProfiles);
  await restoreVersions(tx, doc, account);
  await insertRows(tx, findingAcknowledgements, remap(doc.findingAcknowledgements, ["acknowledgedBy"]));
  await insertRows(tx, tierDecisions, remap(doc.tierDecisions, ["recordedBy"]));
  await insertRows(tx, schoolReviews, remap(doc.schoolReviews, ["recordedBy"]));
  await insertRows(tx, publications, remap(doc.publications, ["publishedBy"]));
  const auditIdsKept = await restoreAuditLog(tx, remap(doc.auditLog, ["userId"]));

  const counts = Object.fromEntries(
    (Object.keys(doc) as (keyof TrustBackup)[]).filter((k) => Array.isArray(doc[k])).map((k) => [k, (doc[k] as unknown[]).length]),
  ) as Record<RowKey, number>;
  const accountsCreated = doc.users.length - accountsMatched;
  // The trust's own log is restored exactly as backed up; the restore itself is logged for the installation.
  await recordAudit(tx, actor, {
    trustId: null,
    action: "restore",
    entity: "trust",
    entityId: trust.id,
    summary: replaced
      ? `Restored the trust ${trust.name} (${trust.slug}) from a backup made at ${doc.exportedAt}, replacing ${replaced.name} (${replaced.slug})`
      : `Restored the trust ${trust.name} (${trust.slug}) from a backup made at ${doc.exportedAt}`,
    after: { slug: trust.slug, exportedAt: doc.exportedAt, accountsCreated, accountsMatched, auditIdsKept, counts },
  });
  return {
    trust: { id: trust.id, slug: trust.slug, name: trust.name },
    replaced: replaced && { slug: replaced.slug, name: replaced.name },
    accountsCreated,
    accountsMatched,
    auditIdsKept,
    counts,
  };
}

/**
 * Creates the accounts the backup names that this installation lacks, keeping their ids where
 * free. Returns the file's id → this installation's id for every account whose id differs: those
 * matched by email, and the rare new one whose id another account already has.
 */
async function restoreAccounts(tx: Database, accounts: TrustBackup["users"]): Promise<{ ids: Map<string, string>; matched: number }> {
  const ids = new Map<string, string>();
  const existingByEmail = new Map<string, string>();
  const takenIds = new Set<string>();
  for (const part of chunks(accounts)) {
    const found = await tx
      .select({ id: users.id, email: users.email })
      .from(users)
      .where(or(inArray(users.email, part.map((u) => u.email)), inArray(users.id, part.map((u) => u.id))));
    for (const row of found) {
      existingByEmail.set(row.email, row.id);
      takenIds.add(row.id);
    }
  }
  const fresh: Row[] = [];
  let matched = 0;
  for (const account of accounts) {
    const existingId = existingByEmail.get(account.email);
    if (existingId !== undefined) {
      matched++;
      if (existingId !== account.id) ids.set(account.id, existingId);
      continue;
    }
    const id = takenIds.has(account.id) ? crypto.randomUUID() : account.id;
    if (id !== account.id) ids.set(account.id, id);
    fresh.push({ ...account, id });
  }
  await insertRows(tx, users, fresh);
  return { ids, matched };
}

/**
 * Approved and superseded versions refuse new rows and cells (a trigger keeps settled versions
 * frozen), and a trust may have only one draft at a time. So each version goes in as a draft with
 * all its other fields, then its rows and cells, and only then takes its real status; the draft,
 * if there is one, comes last.
 */
async function restoreVersions(tx: Database, doc: TrustBackup, account: (id: string | null) => string | null): Promise<void> {
  const byVersion = <T extends { versionId: string }>(rows: T[]) => {
    const groups = new Map<string, T[]>();
    for (const row of rows) {
      const group = groups.get(row.versionId);
      if (group) group.push(row);
      else groups.set(row.versionId, [row]);
    }
    return (versionId: string) => groups.get(versionId) ?? [];
  };
  const rowsOfVersion = byVersion(doc.schemeRows);
  const cellsOfVersion = byVersion(doc.cells);
  const tierCellsOfVersion = byVersion(doc.tierCells);
  const schoolCellsOfVersion = byVersion(doc.schoolCells);
  const settledFirst = [...doc.schemeVersions].sort((a, b) => Number(a.status === "draft") - Number(b.status === "draft"));
  for (const version of parentsFirst(settledFirst, ["basedOnId"])) {
    await insertRows(tx, schemeVersions, [{ ...version, status: "draft", createdBy: account(version.createdBy) }]);
    await insertRows(tx, schemeRows, rowsOfVersion(version.id));
    await insertRows(tx, cells, cellsOfVersion(version.id));
    await insertRows(tx, tierCells, tierCellsOfVersion(version.id));
    await insertRows(tx, schoolCells, schoolCellsOfVersion(version.id));
    if (version.status !== "draft") {
      await tx.update(schemeVersions).set({ status: version.status }).where(eq(schemeVersions.id, version.id));
    }
  }
}

/**
 * audit_log ids come from an identity sequence. They are kept when none is in use here (a new
 * installation, or replacing the same trust), after moving the sequence past them first so that
 * nobody else can be given one; otherwise the entries are numbered afresh in their original order.
 */
async function restoreAuditLog(tx: Database, entries: Row[]): Promise<boolean> {
  if (entries.length === 0) return true;
  const ids = entries.map((e) => e.id as number);
  let inUse = false;
  for (const part of chunks(ids)) {
    const found = await tx.select({ id: auditLog.id }).from(auditLog).where(inArray(auditLog.id, part)).limit(1);
    if (found.length > 0) inUse = true;
  }
  if (inUse) {
    await insertRows(tx, auditLog, entries.map(({ id: _renumbered, ...entry }) => entry));
    return false;
  }
  const highest = ids.reduce((a, b) => Math.max(a, b));
  await tx.execute(sql`
    select setval(sequence, greatest(${highest}::bigint, coalesce(pg_sequence_last_value(sequence), 0)))
    from (select pg_get_serial_sequence('audit_log', 'id')::regclass as sequence) as audit_sequence`);
  await insertRows(tx, auditLog, entries, true);
  return true;
}
