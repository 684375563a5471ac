/**
 * Faults: the built server (app/serve.js, run as a child process after `npm run build`) killed with
 * SIGKILL in the middle of a large matrix import, a large import of schools from the DfE register
 * (GIAS) and an approval, and the command line killed in the middle of a backup restore (a restore runs
 * in `sod restore`, not in the server); the embedded data directory after a kill during writes; a server
 * of several processes losing a worker and then its supervisor; and PostgreSQL going away under a
 * running server.
 *
 * After each kill the server starts again on the same database. Each operation is then there whole or
 * not at all: the trust's records (its backup document, every record exactly as stored) equal either
 * those before or what the operation gives, nothing in between. Run again, the operation completes and
 * is all there, and the server answers /healthcheck and the trust's page.
 *
 * Where the kill falls differs by engine (engine() picks the parts):
 * - PostgreSQL: the test holds a lock the operation needs at a known point and waits until
 *   pg_stat_activity shows the operation waiting for it with writes already made (it has a transaction
 *   id), then kills: provably inside the transaction. The imports and the approval wait to write their
 *   history entries, their last statements (the history table held in share mode); the restore waits to
 *   restore the trust's history, after deleting the trust and writing the backup's records in its place
 *   (the account that history names held). Released, the lock lets PostgreSQL find the client gone and
 *   roll back, so the operation must not be there at all.
 * - PGlite: the database lives in the killed process, so nothing outside can stop it part-way. The
 *   matrix import and the restore are large and killed as soon as the cells table's file grows (their
 *   transaction is writing cells), the school import as soon as the schools table's file grows (its
 *   first writes; the grades and history follow); the approval of a large draft is killed halfway
 *   through the CPU time the server spends approving a draft of the same size. Either outcome is
 *   accepted, nothing in between. The data directory is also killed in a stream of cell saves and
 *   reopened: it opens, and every save the server acknowledged is there with its history.
 * - The school import is the page's confirmation, as the preview's form sends it back: the trust's rows
 *   of the register, in which all its schools are renamed and newly inspected and many schools join it.
 *   Whole, every school has the register's details, keeps the trust's own (cluster, local board, date
 *   joined), has its grade recorded once, and each change has its history entry.
 * - A damaged embedded data directory (PGlite only): the server and the command line stop at once with
 *   what to do, change nothing in it, release its lock, and start on it again once it is mended.
 * - A server of several processes (PostgreSQL only: the embedded database has one process): with two
 *   workers, each is killed in turn between requests, and the server answers /healthcheck and a signed-in
 *   page (one session, kept in the database) all the while, the other worker serving alone until the
 *   supervisor's replacement listens. The supervisor killed, its workers end by themselves within
 *   seconds, and a new server listens on the same port and knows the session.
 * - PostgreSQL going away concerns a server only: it runs on PostgreSQL, with a PostgreSQL of the test's
 *   own (the run's shared server is never stopped). People get 503 "Temporarily unavailable", not an
 *   error, /healthcheck answers 503, and the app serves again by itself once PostgreSQL is back.
 *   Also on PostgreSQL only: the processes of a server starting at once on an empty database all start,
 *   and the demo trust asked for is added once (the embedded database has one process).
 *
 * FAULTS_ROWS (default 1,000) sets how many responsibilities the matrix import adds and the large drafts
 * hold, and how many schools join the trust in the register import.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { and, count, eq } from "drizzle-orm";
import postgres from "postgres";
import { afterEach, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "../../db/client";
import { lockFileFor } from "../../db/lock";
import { auditLog, schemeVersions, schools, trusts, users } from "../../db/schema";
import { DEMO_TRUST_SLUG, DEMO_USERS, seedDemoTrust } from "../../db/seed";
import { prepareDatabase } from "../../db/startup";
import { draftRows, type RowState } from "../bench/cell-saves";
import { send, signIn, text, type Reply } from "../bench/http";
import { createNationalTrust, type NationalTrust } from "../fixtures/national-trust";
import { engine } from "../support/database";
import {
  childProcesses,
  ended,
  faultDatabase,
  fileSize,
  holdLock,
  killServer,
  reaped,
  startSod,
  summary,
  trustState,
  until,
  waitForLockWait,
  waitForSessionEnd,
  withDatabase,
  type FaultDatabase,
  type TrustState,
} from "../support/faults";
import { startPostgresServer } from "../support/postgres-server";
import { startAppServer, type AppServer } from "../support/server";
import type { DecisionCode } from "~/domain/codes";
import { formatCsv } from "~/domain/csv";
import { resolveKey } from "~/domain/decision-keys";
import { EXTRACT_COLUMNS, readRegister, type RegisterReading } from "~/domain/gias";
import { writeMatrixCsv } from "~/domain/matrix-csv";
import { cellKey, type Cell, type SchemeRow } from "~/domain/scheme";
import { SCHOOL_PHASE_LABELS, type SchoolPhase } from "~/domain/structure";
import { COMMAND_LINE, type Actor } from "~/models/audit.server";
import { exportTrust } from "~/models/backup.server";
import { applyImport } from "~/models/matrix-import.server";
import { loadMatrix } from "~/models/matrix.server";
import { approveVersion } from "~/models/scheme.server";
import { planSchoolImport } from "~/models/school-import.server";

const ROWS = Number(process.env.FAULTS_ROWS ?? 1000);
/** Schools joining the trust in the register import: as many as the import's responsibilities. */
const JOINING = ROWS;
const CASE_TIMEOUT_MS = 240_000;

/** What each case must undo, whatever happens: servers, command lines, databases, connections, files. */
const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await Promise.resolve().then(cleanup).catch(() => undefined);
});

async function newDatabase(): Promise<FaultDatabase> {
  const database = await faultDatabase();
  cleanups.push(() => database.dispose());
  return database;
}

async function startServer(database: FaultDatabase): Promise<AppServer> {
  const server = await database.startServer();
  cleanups.push(() => server.stop());
  return server;
}

/** The test's own connection to a PostgreSQL database: it holds locks and watches sessions. */
function ownConnection(database: FaultDatabase): postgres.Sql {
  const client = postgres(database.url!, { max: 3, onnotice: () => {} });
  cleanups.push(() => client.end({ timeout: 5 }));
  return client;
}

function form(fields: Record<string, string>, cookie: string) {
  return { method: "POST", headers: { cookie, "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(fields).toString(), timeoutMs: 180_000 };
}

/** A form with a file's content, as a browser sends one whose form has enctype="multipart/form-data". */
function multipart(fields: Record<string, string>, cookie: string) {
  const boundary = "sod-faults-boundary-7f3a9c";
  const parts = Object.entries(fields).map(([name, value]) => `--${boundary}\r\ncontent-disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`);
  const body = `${parts.join("")}--${boundary}--\r\n`;
  return { method: "POST", headers: { cookie, "content-type": `multipart/form-data; boundary=${boundary}` }, body, timeoutMs: 180_000 };
}

/** A request whose server may be killed under it: its answer, or null when the connection died first. */
function inFlight(url: string, options: Parameters<typeof send>[1]): { answer: Promise<Reply | null>; answered: () => boolean } {
  let answered = false;
  const answer = send(url, options).then(
    (reply) => ((answered = true), reply),
    () => ((answered = true), null),
  );
  return { answer, answered: () => answered };
}

type InFlight = ReturnType<typeof inFlight>;

/**
 * Sends an import to the server and kills the server inside the import's transaction. On PostgreSQL
 * the import waits to write its history, its last statement, behind a lock the test holds, with
 * `table` still as it was for the trust from outside; on PGlite the kill falls once `tableFile` grows.
 */
async function killDuringImport(
  database: FaultDatabase,
  server: AppServer,
  send: () => InFlight,
  before: { table: "cells" | "schools"; trustId: string; rows: number; tableFile: string | null },
): Promise<void> {
  if (engine() === "postgres") {
    const own = ownConnection(database);
    const history = await holdLock(own, "lock table audit_log in share mode");
    cleanups.push(() => history.release());
    const request = send();
    const waiting = await waitForLockWait(own, /insert into "audit_log"/i);
    expect(waiting.xid).not.toBeNull();
    const [written] = await own<{ n: number }[]>`select count(*)::int as n from ${own(before.table)} where trust_id = ${before.trustId}`;
    expect(written!.n).toBe(before.rows);
    await killServer(server);
    expect(await request.answer).toBeNull();
    await history.release();
    await waitForSessionEnd(own, waiting.pid);
  } else {
    const size = fileSize(before.tableFile!);
    const request = send();
    await until(() => fileSize(before.tableFile!) > size, request.answered);
    await killServer(server);
    await request.answer;
  }
}

/** The server started again on the database: it answers /healthcheck (startServer waits for 200) and the trust's page. */
async function expectServing(server: AppServer, trust: NationalTrust, cookie?: string): Promise<void> {
  const health = await send(`${server.url}/healthcheck`);
  expect(health.status).toBe(200);
  const session = cookie ?? (await signIn(server.url, trust.users.clerk.email, trust.users.clerk.password));
  const page = await send(`${server.url}/trusts/${trust.slug}`, { headers: { cookie: session } });
  expect(page.status).toBe(200);
  expect(text(page)).toContain(trust.name);
}

type Outcome = "none" | "whole";

/** The draft with `rows` more responsibilities, each a copy of one of the trust's with its cells, as the matrix CSV. */
async function largerScheme(db: Database, trust: NationalTrust, rows: number): Promise<string> {
  const matrix = await loadMatrix(db, trust.trustId, trust.versionId);
  const allRows: SchemeRow[] = [...matrix.rows];
  const allCells: Record<string, Cell> = { ...matrix.cells };
  for (let i = 0; i < rows; i++) {
    const source = matrix.rows[i % matrix.rows.length]!;
    const id = `new-${i}`;
    allRows.push({ ...source, id, ref: `N${i + 1}`, title: `${source.title} (${i + 1})`, statutoryRule: null, excludedKinds: null, decisionKinds: null });
    for (const column of matrix.columns) {
      const cell = matrix.cells[cellKey(source.id, column.id)];
      if (cell) allCells[cellKey(id, column.id)] = cell;
    }
  }
  return writeMatrixCsv({ columns: matrix.columns, rows: allRows, cells: allCells });
}

/** Imports the larger scheme into the draft in this process, as `sod import-csv` would (by default as the trust's clerk). */
async function importInProcess(db: Database, trust: NationalTrust, csv: string, actor: Actor = { userId: trust.users.clerk.id, name: trust.users.clerk.name }): Promise<void> {
  const result = await applyImport(db, actor, {
    trustId: trust.trustId,
    csv,
    key: resolveKey("codes"),
    mayCreateBodies: true,
    fileName: "larger.csv",
  });
  expect(result.plan.summary.newRows).toBe(ROWS);
}

const lines = (csv: string) => csv.replace(/^\uFEFF/, "").split(/\r?\n/).filter(Boolean).sort();

async function entries(db: Database, trustId: string, action: string): Promise<number> {
  const [row] = await db.select({ n: count() }).from(auditLog).where(and(eq(auditLog.trustId, trustId), eq(auditLog.action, action)));
  return row!.n;
}

const withoutRecords = (state: TrustState, ...keys: string[]) => Object.fromEntries(Object.entries(state.doc).filter(([key]) => !keys.includes(key)));

describe("a large import killed part-way", () => {
  /** Whether the import is not there at all, or there whole: the draft is the file, with one history entry for the import. */
  async function outcome(db: Database, trust: NationalTrust, before: TrustState, csv: string): Promise<Outcome> {
    const after = await trustState(db, trust.trustId);
    if (JSON.stringify(summary(after)) === JSON.stringify(summary(before))) return "none";
    const draft = await loadMatrix(db, trust.trustId, trust.versionId);
    expect(lines(writeMatrixCsv(draft))).toEqual(lines(csv));
    expect(after.doc.responsibilities.length).toBe(before.doc.responsibilities.length + ROWS);
    // One entry for the import and one for each responsibility it added.
    expect(await entries(db, trust.trustId, "import")).toBe(1);
    expect(after.doc.auditLog.length).toBe(before.doc.auditLog.length + 1 + ROWS);
    expect(withoutRecords(after, "responsibilities", "schemeRows", "cells", "auditLog", "trust")).toEqual(
      withoutRecords(before, "responsibilities", "schemeRows", "cells", "auditLog", "trust"),
    );
    return "whole";
  }

  it(
    "leaves the trust as it was or the whole file imported, and imports it whole after the restart",
    async () => {
      const database = await newDatabase();
      const { trust, csv, before, cellsFile } = await withDatabase(database, async (db) => {
        const trust = await createNationalTrust(db);
        return {
          trust,
          csv: await largerScheme(db, trust, ROWS),
          before: await trustState(db, trust.trustId),
          cellsFile: engine() === "pglite" ? await database.tableFile(db, "cells") : null,
        };
      });
      const importFile = (server: AppServer, cookie: string) =>
        inFlight(
          `${server.url}/trusts/${trust.slug}/import?index`,
          form({ intent: "confirm", key: "codes", csv: Buffer.from(csv, "utf8").toString("base64"), fileName: "larger.csv" }, cookie),
        );

      const server = await startServer(database);
      const cookie = await signIn(server.url, trust.users.clerk.email, trust.users.clerk.password);
      // The import writes its history last, after the responsibilities, rows and cells.
      await killDuringImport(database, server, () => importFile(server, cookie), {
        table: "cells",
        trustId: trust.trustId,
        rows: before.doc.cells.length,
        tableFile: cellsFile,
      });
      const first = await withDatabase(database, (db) => outcome(db, trust, before, csv));
      if (engine() === "postgres") expect(first).toBe("none");
      const again = await startServer(database);
      const session = await signIn(again.url, trust.users.clerk.email, trust.users.clerk.password);
      await expectServing(again, trust, session);
      if (first === "none") {
        const reply = await importFile(again, session).answer;
        expect(reply?.status).toBe(200);
        expect(text(reply!)).toContain(`Imported larger.csv into draft version 1: 0 new bodies, ${ROWS} new responsibilities`);
      }
      await again.stop();
      expect(await withDatabase(database, (db) => outcome(db, trust, before, csv))).toBe("whole");
    },
    CASE_TIMEOUT_MS,
  );
});

describe("a register (GIAS) school import killed part-way", () => {
  const INSPECTED = { rating: "Good", on: "15-10-2025", asOf: "2025-10-15" } as const;
  /** Register fields: what the import brings up to date; the trust's own (cluster, local board, joining date) it leaves alone. */
  const REGISTER = ["name", "phase", "postcode", "easting", "northing", "localAuthority"] as const;

  /** How the register writes a school's phase: special schools and alternative provision by their type of establishment. */
  function registerPhase(phase: SchoolPhase): { phase: string; type: string } {
    if (phase === "special") return { phase: "Not applicable", type: "Academy special converter" };
    if (phase === "alternative-provision") return { phase: "Not applicable", type: "Academy alternative provision converter" };
    return { phase: SCHOOL_PHASE_LABELS[phase], type: "Academy converter" };
  }

  /**
   * The trust's rows of the register, as the preview carries them to the confirmation (the register's own column names):
   * every school of the trust renamed as an academy and newly inspected, and JOINING schools joining it.
   */
  async function register(db: Database, trust: NationalTrust): Promise<string> {
    const current = await db.select().from(schools).where(eq(schools.trustId, trust.trustId)).orderBy(schools.urn);
    const row = (values: Record<string, string>) => EXTRACT_COLUMNS.map((column) => values[column] ?? "");
    const inspected = {
      "Trusts (name)": trust.name,
      "EstablishmentStatus (name)": "Open",
      "OfstedRating (name)": INSPECTED.rating,
      OfstedLastInsp: INSPECTED.on,
    };
    const rows = current.map((s) => {
      const { phase, type } = registerPhase(s.phase as SchoolPhase);
      return row({
        ...inspected,
        URN: String(s.urn),
        EstablishmentName: `${s.name} Academy`,
        "PhaseOfEducation (name)": phase,
        "TypeOfEstablishment (name)": type,
        Postcode: s.postcode ?? "",
        Easting: s.easting === null ? "" : String(s.easting),
        Northing: s.northing === null ? "" : String(s.northing),
        "LA (name)": s.localAuthority ?? "",
      });
    });
    for (let i = 0; i < JOINING; i++) {
      rows.push(
        row({
          ...inspected,
          // Well above the national trust's URNs (from 136,000, a hundred schools).
          URN: String(900_000 + i),
          EstablishmentName: `Joining Primary School ${i + 1}`,
          "PhaseOfEducation (name)": "Primary",
          "TypeOfEstablishment (name)": "Academy sponsor led",
          Postcode: "LS1 4AP",
          Easting: String(429_000 + i),
          Northing: String(433_000 + i),
          "LA (name)": "Leeds",
          HeadFirstName: "Sam",
          HeadLastName: `Head ${i + 1}`,
        }),
      );
    }
    return formatCsv([EXTRACT_COLUMNS, ...rows]);
  }

  /**
   * Whether the import is not there at all, or there whole: every school of the file with the register's details, the trust's
   * own details of its schools untouched, a grade recorded for each, one history entry per change and one for the import.
   */
  async function outcome(db: Database, trust: NationalTrust, before: TrustState, reading: RegisterReading): Promise<Outcome> {
    const after = await trustState(db, trust.trustId);
    if (JSON.stringify(summary(after)) === JSON.stringify(summary(before))) return "none";
    const byUrn = new Map(after.doc.schools.map((s) => [s.urn, s]));
    expect(after.doc.schools.length).toBe(before.doc.schools.length + JOINING);
    for (const s of reading.schools) {
      expect(byUrn.get(s.urn), `URN ${s.urn}`).toMatchObject(Object.fromEntries(REGISTER.map((field) => [field, s[field]])));
    }
    const ownDetails = (s: TrustState["doc"]["schools"][number]) =>
      Object.fromEntries(Object.entries(s).filter(([key]) => !(REGISTER as readonly string[]).includes(key) && key !== "updatedAt"));
    for (const s of before.doc.schools) expect(ownDetails(byUrn.get(s.urn)!)).toEqual({ ...ownDetails(s), version: s.version + 1 });
    for (const s of reading.schools.filter((s) => s.urn >= 900_000)) {
      expect(byUrn.get(s.urn)).toMatchObject({ headteacherName: s.headteacherName, clusterBodyId: null, localBodyId: null, joinedOn: null });
    }
    const grades = after.doc.performanceRecords.filter((r) => r.source === "gias");
    expect(grades.map((g) => [g.asOf, g.legacyGrade])).toEqual(reading.schools.map(() => [INSPECTED.asOf, 2]));
    expect(new Set(grades.map((g) => g.schoolId))).toEqual(new Set(reading.schools.map((s) => byUrn.get(s.urn)!.id)));
    expect(after.doc.performanceRecords.filter((r) => r.source !== "gias")).toEqual(before.doc.performanceRecords);
    // One entry for the import, one for each school added or updated, and one for each grade recorded.
    expect(await entries(db, trust.trustId, "import")).toBe(1);
    expect(after.doc.auditLog.length).toBe(before.doc.auditLog.length + 1 + reading.schools.length * 2);
    const others = (state: TrustState) => withoutRecords(state, "schools", "performanceRecords", "auditLog");
    expect(others(after)).toEqual(others(before));
    return "whole";
  }

  it(
    "leaves the trust's schools as they were or the whole register imported, and imports it whole after the restart",
    async () => {
      const database = await newDatabase();
      const { trust, csv, reading, before, schoolsFile } = await withDatabase(database, async (db) => {
        const trust = await createNationalTrust(db);
        const csv = await register(db, trust);
        const reading = readRegister(csv, { by: "trust", trustName: trust.name });
        expect(reading.problems).toEqual([]);
        // The file is what the test means: every school of the trust updated by its name alone, the rest added, all graded.
        const plan = await planSchoolImport(db, trust.trustId, reading.schools);
        expect(plan.updates.map((u) => u.changes.map((c) => c.field))).toEqual(plan.updates.map(() => ["name"]));
        const planned = [plan.additions.length, plan.updates.length, plan.unchanged.length, plan.inspectionsToRecord];
        expect(planned).toEqual([JOINING, trust.counts.schools, 0, JOINING + trust.counts.schools]);
        return {
          trust,
          csv,
          reading,
          before: await trustState(db, trust.trustId),
          schoolsFile: engine() === "pglite" ? await database.tableFile(db, "schools") : null,
        };
      });
      // The preview's confirmation, as the page's form sends it: the filter again, and the trust's rows of the file.
      const confirm = (server: AppServer, cookie: string) =>
        inFlight(
          `${server.url}/trusts/${trust.slug}/import/schools`,
          multipart({ intent: "confirm", filterBy: "trust", trustName: trust.name, extract: csv }, cookie),
        );

      const server = await startServer(database);
      const cookie = await signIn(server.url, trust.users.clerk.email, trust.users.clerk.password);
      // The import writes the schools first, then their grades, and its history last, in one transaction.
      await killDuringImport(database, server, () => confirm(server, cookie), {
        table: "schools",
        trustId: trust.trustId,
        rows: before.doc.schools.length,
        tableFile: schoolsFile,
      });
      const first = await withDatabase(database, (db) => outcome(db, trust, before, reading));
      if (engine() === "postgres") expect(first).toBe("none");
      const again = await startServer(database);
      const session = await signIn(again.url, trust.users.clerk.email, trust.users.clerk.password);
      await expectServing(again, trust, session);
      if (first === "none") {
        const reply = await confirm(again, session).answer;
        expect(reply?.status).toBe(200);
        const [added, updated, graded] = [JOINING, trust.counts.schools, JOINING + trust.counts.schools];
        expect(text(reply!)).toContain(`Imported from the DfE register: ${added} schools added, ${updated} schools updated, ${graded} Ofsted grades recorded.`);
      }
      await again.stop();
      expect(await withDatabase(database, (db) => outcome(db, trust, before, reading))).toBe("whole");
    },
    CASE_TIMEOUT_MS,
  );
});

describe("an approval killed part-way", () => {
  const APPROVAL = { approvedOn: "2025-09-18", minuteRef: "M-2025-09-7", reviewDueOn: "2026-09-18" };

  async function outcome(db: Database, trust: NationalTrust, before: TrustState): Promise<Outcome> {
    const after = await trustState(db, trust.trustId);
    if (JSON.stringify(summary(after)) === JSON.stringify(summary(before))) return "none";
    const [version] = await db.select().from(schemeVersions).where(eq(schemeVersions.id, trust.versionId));
    expect(version).toMatchObject({ status: "approved", approvedByBodyId: trust.columns.board, ...APPROVAL });
    expect(version!.snapshot).not.toBeNull();
    expect(await entries(db, trust.trustId, "approve")).toBe(1);
    expect(after.doc.auditLog.length).toBe(before.doc.auditLog.length + 1);
    expect(withoutRecords(after, "schemeVersions", "auditLog", "trust")).toEqual(withoutRecords(before, "schemeVersions", "auditLog", "trust"));
    return "whole";
  }

  it(
    "leaves the draft a draft or approves it whole, and approves it after the restart",
    async () => {
      const database = await newDatabase();
      /** A trust with a large draft: the approval holds every row of it and records the structure it was approved with. */
      const largeDraft = async (db: Database, slug: string) => {
        const trust = await createNationalTrust(db, { slug, name: `${slug} trust` });
        await importInProcess(db, trust, await largerScheme(db, trust, ROWS));
        const [version] = await db.select({ version: schemeVersions.version }).from(schemeVersions).where(eq(schemeVersions.id, trust.versionId));
        return { trust, version: version!.version };
      };
      const { trust, version, before, twin } = await withDatabase(database, async (db) => {
        const { trust, version } = await largeDraft(db, "approving");
        // On PGlite, a second trust like the first, whose approval shows how long the server works on one.
        const twin = engine() === "pglite" ? await largeDraft(db, "twin") : null;
        return { trust, version, twin, before: await trustState(db, trust.trustId) };
      });
      const approve = (server: AppServer, cookie: string, which = { trust, version, number: 1 }) =>
        inFlight(
          `${server.url}/trusts/${which.trust.slug}/versions/${which.number}/approve`,
          form({ version: String(which.version), approvedByBodyId: which.trust.columns.board, ...APPROVAL }, cookie),
        );

      const server = await startServer(database);
      const cookie = await signIn(server.url, trust.users.clerk.email, trust.users.clerk.password);
      if (engine() === "postgres") {
        const own = ownConnection(database);
        const history = await holdLock(own, "lock table audit_log in share mode");
        cleanups.push(() => history.release());
        const request = approve(server, cookie);
        // The approval records itself last, after it has frozen the version.
        const waiting = await waitForLockWait(own, /insert into "audit_log"/i);
        expect(waiting.xid).not.toBeNull();
        await killServer(server);
        expect(await request.answer).toBeNull();
        await history.release();
        await waitForSessionEnd(own, waiting.pid);
      } else {
        // The twin's draft approved (the server's first approval costs more: its code is not yet compiled), a
        // new draft of it started from that, and approved in turn: the work an approval of this size takes.
        const twinCookie = await signIn(server.url, twin!.trust.users.clerk.email, twin!.trust.users.clerk.password);
        expect((await approve(server, twinCookie, { ...twin!, number: 1 }).answer)?.status).toBe(302);
        const started = await send(`${server.url}/trusts/${twin!.trust.slug}/scheme`, form({ intent: "start-draft", from: "latest-approved" }, twinCookie));
        expect(started.headers.location).toBe(`/trusts/${twin!.trust.slug}/versions/2`);
        await idle(server.pid);
        const before = serverCpuMs(server.pid);
        expect((await approve(server, twinCookie, { trust: twin!.trust, version: 1, number: 2 }).answer)?.status).toBe(302);
        const work = serverCpuMs(server.pid) - before;
        // Killed halfway through that work, most of which is the approval's transaction.
        const request = approve(server, cookie);
        const cpu = serverCpuMs(server.pid);
        await until(() => serverCpuMs(server.pid) - cpu >= work / 2, request.answered, 120_000, 1);
        await killServer(server);
        await request.answer;
      }
      const first = await withDatabase(database, (db) => outcome(db, trust, before));
      if (engine() === "postgres") expect(first).toBe("none");
      const again = await startServer(database);
      const session = await signIn(again.url, trust.users.clerk.email, trust.users.clerk.password);
      await expectServing(again, trust, session);
      if (first === "none") {
        const reply = await approve(again, session).answer;
        expect(reply?.status).toBe(302);
        expect(reply?.headers.location).toBe(`/trusts/${trust.slug}/versions/1?approved=1`);
      }
      await again.stop();
      expect(await withDatabase(database, (db) => outcome(db, trust, before))).toBe("whole");
    },
    CASE_TIMEOUT_MS,
  );
});

/** CPU time the server has used, from /proc: it rises only while the server works. */
function serverCpuMs(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  // utime and stime, the 14th and 15th fields of the line, in clock ticks (100 a second on Linux).
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

/** Waits until the server has used no CPU for a while (its start-up's statistics gathered), at most 30 seconds. */
async function idle(pid: number): Promise<void> {
  const deadline = Date.now() + 30_000;
  let last = serverCpuMs(pid);
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    const now = serverCpuMs(pid);
    if (now === last) return;
    last = now;
  }
}

describe("a backup restore killed part-way", () => {
  it(
    "leaves the trust as it was or restores the backup whole, and restores it after the restart",
    async () => {
      const database = await newDatabase();
      const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "sod-faults-backup-"));
      cleanups.push(() => fs.rmSync(scratch, { recursive: true, force: true }));
      const backupFile = path.join(scratch, "backup.json");
      const { trust, backup, before, cellsFile, importer } = await withDatabase(database, async (db) => {
        const trust = await createNationalTrust(db);
        // The scheme was imported by an account of the installation that is not a member: the trust's history names it.
        const [importer] = await db
          .insert(users)
          .values({ email: "importer@faults.example", name: "Site administrator", passwordHash: "-", isSiteAdmin: true })
          .returning({ id: users.id, name: users.name });
        await importInProcess(db, trust, await largerScheme(db, trust, ROWS), { userId: importer!.id, name: importer!.name });
        const backup = await exportTrust(db, trust.trustId);
        fs.writeFileSync(backupFile, JSON.stringify(backup));
        // Changed since the backup: the draft then is approved now.
        const [version] = await db.select({ version: schemeVersions.version }).from(schemeVersions).where(eq(schemeVersions.id, trust.versionId));
        await approveVersion(db, { userId: trust.users.clerk.id, name: trust.users.clerk.name }, {
          trustId: trust.trustId,
          versionId: trust.versionId,
          expectedVersion: version!.version,
          approvedByBodyId: trust.columns.board,
          approvedOn: "2025-09-18",
          minuteRef: "M-2025-09-7",
          reviewDueOn: "2026-09-18",
        });
        return {
          trust,
          importer: importer!,
          backup: { ...backup, exportedAt: "" },
          before: await trustState(db, trust.trustId),
          cellsFile: engine() === "pglite" ? await database.tableFile(db, "cells") : null,
        };
      });
      async function outcome(db: Database): Promise<Outcome> {
        const after = await trustState(db, trust.trustId);
        if (JSON.stringify(summary(after)) === JSON.stringify(summary(before))) return "none";
        expect(after.doc).toEqual(backup);
        // The installation's history records the trust deleted and the backup restored in its place.
        expect(after.installationEntries).toBe(before.installationEntries + 2);
        return "whole";
      }
      const restore = () => {
        const command = startSod(["restore", backupFile, "--replace"], database.env);
        cleanups.push(() => command.child.exitCode === null && command.child.signalCode === null && command.child.kill("SIGKILL"));
        return command;
      };

      const command = restore();
      let ended = false;
      void command.exited.then(() => (ended = true));
      if (engine() === "postgres") {
        const own = ownConnection(database);
        // The restore deletes the trust and all its records, writes the backup's in their place, and its history last:
        // the first record that names the importer, whose account it must hold for that. It waits there, with the old
        // trust gone and the new one all but written inside its transaction.
        const account = await holdLock(own, `select 1 from users where id = '${importer.id}' for update`);
        cleanups.push(() => account.release());
        const waiting = await waitForLockWait(own, /insert into "audit_log" .* overriding system value/i);
        expect(waiting.xid).not.toBeNull();
        const [cellsLeft] = await own<{ n: number }[]>`select count(*)::int as n from cells where trust_id = ${trust.trustId}`;
        expect(cellsLeft!.n).toBe(before.doc.cells.length);
        command.child.kill("SIGKILL");
        expect((await command.exited).signal).toBe("SIGKILL");
        await account.release();
        await waitForSessionEnd(own, waiting.pid);
      } else {
        const size = fileSize(cellsFile!);
        await until(() => fileSize(cellsFile!) > size, () => ended);
        command.child.kill("SIGKILL");
        await command.exited;
      }
      const first = await withDatabase(database, outcome);
      if (engine() === "postgres") expect(first).toBe("none");
      const server = await startServer(database);
      await expectServing(server, trust);
      if (first === "none") {
        // The embedded directory is one process's at a time: the command line runs while the server is stopped.
        if (engine() === "pglite") await server.stop();
        const done = await restore().exited;
        expect(done.code, done.stderr).toBe(0);
      }
      await server.stop();
      expect(await withDatabase(database, outcome)).toBe("whole");
    },
    CASE_TIMEOUT_MS,
  );
});

if (engine() === "pglite") {
  describe("the embedded data directory killed during writes", () => {
    /** Saves one cell, as the matrix editor does; true when the server answered that it saved it (committed). */
    async function save(server: AppServer, trust: NationalTrust, cookie: string, row: RowState, code: DecisionCode, columnId: string): Promise<boolean> {
      const body = { rowId: row.id, columnId, code, revision: String(row.revision) };
      const reply = await send(`${server.url}/trusts/${trust.slug}/versions/1/cells`, form(body, cookie)).catch(() => null);
      if (!reply) return false;
      const answer = JSON.parse(text(reply)) as { status: string; revision: number };
      expect(answer.status, `a save answered ${reply.status}`).toBe("saved");
      row.revision = answer.revision;
      return true;
    }

    it(
      "opens again after a SIGKILL with every save the server acknowledged, and the server starts on it",
      async () => {
        const database = await newDatabase();
        const { trust, rows } = await withDatabase(database, async (db) => {
          const trust = await createNationalTrust(db);
          return { trust, rows: await draftRows(db, trust) };
        });
        const server = await startServer(database);
        const cookie = await signIn(server.url, trust.users.clerk.email, trust.users.clerk.password);

        // Savers on rows of their own, one save in flight each at any time, until the server is killed.
        const SAVERS = 4;
        const acknowledged = new Map<string, DecisionCode[]>();
        const inFlightSaves = new Map<number, { key: string; rowId: string; code: DecisionCode }>();
        let acknowledgedSaves = 0;
        let killed = false;
        let stopped = 0;
        const savers = Array.from({ length: SAVERS }, async (_, saver) => {
          const own = rows.filter((_, index) => index % SAVERS === saver);
          for (let turn = 0; !killed; turn++) {
            const row = own[turn % own.length]!;
            const cell = row.cells[row.nextCell++ % row.cells.length]!;
            const code = cell.codes[(cell.codes.indexOf(cell.code as DecisionCode) + 1) % cell.codes.length]!;
            const key = cellKey(row.id, cell.columnId);
            inFlightSaves.set(saver, { key, rowId: row.id, code });
            if (!(await save(server, trust, cookie, row, code, cell.columnId))) return;
            inFlightSaves.delete(saver);
            cell.code = code;
            acknowledged.set(key, [...(acknowledged.get(key) ?? []), code]);
            acknowledgedSaves++;
          }
        }).map((saver) => saver.finally(() => stopped++));
        await until(() => acknowledgedSaves >= SAVES_BEFORE_KILL, () => stopped > 0, 120_000);
        await killServer(server);
        killed = true;
        await Promise.all(savers);
        const unanswered = [...inFlightSaves.values()];

        const found = await withDatabase(database, async (db) => {
          const matrix = await loadMatrix(db, trust.trustId, trust.versionId);
          const history = await db
            .select({ key: auditLog.entityId, after: auditLog.after })
            .from(auditLog)
            .where(and(eq(auditLog.trustId, trust.trustId), eq(auditLog.entity, "cell")))
            .orderBy(auditLog.id);
          return { matrix, history };
        });
        for (const [key, codes] of acknowledged) {
          // A save in flight at the kill may have committed before it: then it is there whole, with its history.
          const pending = unanswered.find((u) => u.key === key);
          const recorded = found.history.filter((h) => h.key === key).map((h) => (h.after as { code: DecisionCode }).code);
          expect(pending ? [codes, [...codes, pending.code]] : [codes], key).toContainEqual(recorded);
          expect(found.matrix.cells[key]?.code).toBe(recorded.at(-1));
        }
        for (const pending of unanswered.filter((u) => !acknowledged.has(u.key))) {
          const recorded = found.history.filter((h) => h.key === pending.key).map((h) => (h.after as { code: DecisionCode }).code);
          expect([[], [pending.code]], pending.key).toContainEqual(recorded);
        }
        for (const row of rows) {
          const pending = unanswered.some((u) => u.rowId === row.id);
          expect(pending ? [row.revision, row.revision + 1] : [row.revision], row.id).toContain(found.matrix.rowRevisions[row.id] ?? 0);
        }
        expect(found.history.length - acknowledgedSaves).toBeGreaterThanOrEqual(0);
        expect(found.history.length - acknowledgedSaves).toBeLessThanOrEqual(unanswered.length);

        const again = await startServer(database);
        await expectServing(again, trust);
      },
      CASE_TIMEOUT_MS,
    );
  });
}

if (engine() === "pglite") {
  describe("a damaged embedded data directory at start", () => {
    /** Every file of the directory and its digest, but the process id file PostgreSQL writes as it starts. */
    function filesOf(dir: string): Record<string, string> {
      const files: Record<string, string> = {};
      for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
        if (!entry.isFile() || entry.name === "postmaster.pid") continue;
        const file = path.join(entry.parentPath, entry.name);
        files[path.relative(dir, file)] = createHash("sha256").update(fs.readFileSync(file)).digest("hex");
      }
      return files;
    }

    const damages = [
      { name: "its control file cut short", damage: (dir: string) => fs.truncateSync(path.join(dir, "global", "pg_control"), 10), file: "global/pg_control" },
      { name: "its write-ahead log missing, as in a copy made part-way", damage: (dir: string) => fs.rmSync(path.join(dir, "pg_wal"), { recursive: true }), file: "pg_wal" },
    ];

    it.each(damages)(
      "with $name: the server and the command line stop with what to do, change nothing, and start again once it is mended",
      async ({ damage, file }) => {
        const database = await newDatabase();
        const trust = await withDatabase(database, createNationalTrust);
        const dataDir = database.dataDir!;
        const original = path.join(os.tmpdir(), `sod-mend-${process.pid}-${path.basename(file)}`);
        fs.cpSync(path.join(dataDir, file), original, { recursive: true });
        cleanups.push(() => fs.rmSync(original, { recursive: true, force: true }));
        damage(dataDir);
        const damaged = filesOf(dataDir);

        const refusal = await startServer(database).then(
          () => "the server started",
          (error: Error) => error.message,
        );
        expect(refusal).toContain("The app server stopped before it was ready");
        expect(refusal).toContain(`The embedded database in ${dataDir} cannot be opened`);
        expect(refusal).toContain("sod restore FILE");
        expect(refusal).not.toContain("-sASSERTIONS");
        expect(refusal).not.toMatch(/\n\s+at /);
        expect(fs.existsSync(lockFileFor(dataDir)), "the data directory's lock is released").toBe(false);

        const command = await startSod(["trust", "list"], database.env).exited;
        expect(command.code).toBe(1);
        expect(command.stderr).toContain(`The embedded database in ${dataDir} cannot be opened`);
        expect(command.stderr).not.toContain("Something went wrong");
        expect(filesOf(dataDir), "nothing in the directory was changed").toEqual(damaged);

        fs.rmSync(path.join(dataDir, file), { recursive: true, force: true });
        fs.cpSync(original, path.join(dataDir, file), { recursive: true });
        const server = await startServer(database);
        await expectServing(server, trust);
        await server.stop();
        const listed = await startSod(["trust", "list"], database.env).exited;
        expect(listed.code).toBe(0);
        expect(listed.stdout).toContain(trust.slug);
      },
      CASE_TIMEOUT_MS,
    );
  });
}

/** Cell saves the server must have acknowledged before the kill: enough to have written many pages and commits. */
const SAVES_BEFORE_KILL = 150;

if (engine() === "postgres") {
  describe("several server processes starting at once on an empty PostgreSQL", () => {
    it(
      "all start, and the demo trust asked for is added once",
      async () => {
        const database = await newDatabase();
        const asked = process.env.SOD_DEMO;
        process.env.SOD_DEMO = "1";
        cleanups.push(() => (asked === undefined ? delete process.env.SOD_DEMO : (process.env.SOD_DEMO = asked)));
        // Each opens the database (migrated once, by one of them) and prepares it, as each worker of a server does.
        const handles = await Promise.all([1, 2, 3].map(() => database.open()));
        for (const handle of handles) cleanups.push(() => handle.close());
        const prepared = await Promise.allSettled(handles.map((handle) => prepareDatabase(handle)));
        expect(prepared.map((p) => (p.status === "rejected" ? String(p.reason) : p.status))).toEqual(["fulfilled", "fulfilled", "fulfilled"]);
        const slugs = await handles[0]!.db.select({ slug: trusts.slug }).from(trusts);
        expect(slugs).toEqual([{ slug: DEMO_TRUST_SLUG }]);
      },
      CASE_TIMEOUT_MS,
    );
  });

  describe("a server of several processes losing a worker, then its supervisor", () => {
    it(
      "serves throughout while a killed worker is replaced, and its workers end with the supervisor, leaving the port to a new server",
      async () => {
        const database = await newDatabase();
        const trust = await withDatabase(database, (db) => createNationalTrust(db));
        const options = { databaseUrl: database.url!, env: { SOD_DEMO: "0", WEB_CONCURRENCY: "2" } };
        const server = await startAppServer(options);
        cleanups.push(() => server.stop());
        // Each worker says so when it listens; the supervisor says so when it replaces one.
        const listening = () => server.output().split("Scheme of delegation is running at").length - 1;
        const workers = () => childProcesses(server.pid);
        await until(() => listening() === 2 && workers().length === 2, () => false, 60_000, 20);
        const [first, second] = workers() as [number, number];

        // One session throughout: it is kept in the database, so whichever worker takes a request knows it.
        const cookie = await signIn(server.url, trust.users.clerk.email, trust.users.clerk.password);
        let served = 0;
        async function serve(): Promise<void> {
          const health = await send(`${server.url}/healthcheck`);
          expect(health.status).toBe(200);
          const page = await send(`${server.url}/trusts/${trust.slug}`, { headers: { cookie } });
          expect(page.status).toBe(200);
          expect(text(page)).toContain(trust.name);
          served += 2;
        }
        /** Kills a worker between requests, and serves until another has taken its place and listens; returns the newcomer. */
        async function killWorker(pid: number): Promise<number> {
          const others = workers().filter((p) => p !== pid);
          const listened = listening();
          process.kill(pid, "SIGKILL");
          // The supervisor has reaped it, and so knows it gone before the next request comes.
          await until(() => reaped(pid), () => false, 10_000);
          const alone = served;
          const deadline = Date.now() + 60_000;
          do await serve();
          while (!(listening() > listened && workers().length === 2) && Date.now() < deadline);
          expect(listening()).toBe(listened + 1);
          expect(served).toBeGreaterThan(alone);
          const newcomer = workers().filter((p) => !others.includes(p));
          expect(newcomer).toHaveLength(1);
          expect(newcomer[0]).not.toBe(pid);
          return newcomer[0]!;
        }

        await serve();
        const replacement = await killWorker(first);
        // With the other first worker killed too, the replacement serves alone until the next one listens.
        await killWorker(second);
        expect(workers()).toContain(replacement);
        for (let i = 0; i < 4; i++) await serve();
        expect(server.output().match(/A server process stopped \(SIGKILL\); starting another\./g)).toHaveLength(2);

        const last = workers();
        await killServer(server);
        // Each worker ends by itself, with no supervisor to hand it requests: none is left holding the port or the database.
        await until(() => last.every(ended), () => false, 10_000).catch(() => undefined);
        expect(last.filter((pid) => !ended(pid))).toEqual([]);
        await expect(send(`${server.url}/healthcheck`)).rejects.toThrow(/ECONNREFUSED/);
        const own = ownConnection(database);
        const sessions = async () => {
          const [row] = await own<{ n: number }[]>`select count(*)::int as n from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`;
          return row!.n;
        };
        const deadline = Date.now() + 10_000;
        while ((await sessions()) > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
        expect(await sessions()).toBe(0);

        const again = await startAppServer({ ...options, port: Number(new URL(server.url).port) });
        cleanups.push(() => again.stop());
        expect(again.url).toBe(server.url);
        await until(() => childProcesses(again.pid).length === 2, () => false, 60_000, 20);
        // The session from before the kills still signs the clerk in.
        await expectServing(again, trust, cookie);
        const stopping = childProcesses(again.pid);
        await again.stop();
        // Stopped in the ordinary way, the supervisor ends after its workers.
        expect(stopping.filter((pid) => !ended(pid))).toEqual([]);
      },
      CASE_TIMEOUT_MS,
    );
  });

  describe("PostgreSQL going away under a running server", () => {
    /** What a person sees: the status, the page's heading and text, and no trace of the fault's inner workings. */
    function expectUnavailable(reply: Reply) {
      const body = text(reply);
      expect(reply.status).toBe(503);
      expect(body).toContain("The service cannot reach its database. Please try again in a minute.");
      expect(body).not.toMatch(/ECONNREFUSED|\bat .+:\d+:\d+|postgres|Unexpected Server Error|Something went wrong/i);
    }

    it(
      "answers 503 'Temporarily unavailable' and /healthcheck 503 while it is stopped, and serves again on its own when it returns",
      async () => {
        const postgresServer = await startPostgresServer();
        cleanups.push(() => postgresServer.stop());
        const admin = postgres(postgresServer.url("postgres"), { max: 1, onnotice: () => {} });
        await admin.unsafe("create database sod");
        await admin.end();
        const handle = await openDatabase({ kind: "postgres", url: postgresServer.url("sod"), maxConnections: 1 });
        await seedDemoTrust(handle.db, COMMAND_LINE).finally(() => handle.close());
        // A server of several processes, as on any machine with more than one processor: each must find PostgreSQL again.
        const server = await startAppServer({ databaseUrl: postgresServer.url("sod"), env: { SOD_DEMO: "0", WEB_CONCURRENCY: "2" } });
        cleanups.push(() => server.stop());
        const clerk = DEMO_USERS.find((u) => u.role === "clerk")!;
        const cookie = await signIn(server.url, clerk.email, clerk.password);
        const trustPage = () => send(`${server.url}/trusts/${DEMO_TRUST_SLUG}`, { headers: { cookie } });
        const before = await trustPage();
        expect(before.status).toBe(200);
        const trustName = /<h1[^>]*>([^<]+)<\/h1>/.exec(text(before))![1]!;

        postgresServer.halt();
        const health = await send(`${server.url}/healthcheck`);
        expect(health.status).toBe(503);
        expect(text(health)).toBe("Database unavailable");
        const page = await trustPage();
        expectUnavailable(page);
        expect(text(page)).toMatch(/<h1[^>]*>Temporarily unavailable<\/h1>/);
        // The same for the data of a page the browser loads itself, a form sent, and the trusts' list.
        expectUnavailable(await send(`${server.url}/trusts/${DEMO_TRUST_SLUG}.data`, { headers: { cookie } }));
        expectUnavailable(await send(`${server.url}/trusts`, { headers: { cookie } }));
        expectUnavailable(
          await send(`${server.url}/sign-in`, {
            method: "POST",
            headers: { "content-type": "application/x-www-form-urlencoded" },
            body: new URLSearchParams({ email: clerk.email, password: clerk.password }).toString(),
          }),
        );

        postgresServer.start();
        // Nobody restarts the app: its next requests reach PostgreSQL again.
        const deadline = Date.now() + 30_000;
        let status = 0;
        while (Date.now() < deadline && (status = (await send(`${server.url}/healthcheck`)).status) !== 200) await new Promise((resolve) => setTimeout(resolve, 200));
        expect(status).toBe(200);
        const after = await trustPage();
        expect(after.status).toBe(200);
        expect(text(after)).toContain(`>${trustName}</h1>`);
        // Writes too: signing in makes a new session.
        expect(await signIn(server.url, clerk.email, clerk.password)).toMatch(/^__session=/);
      },
      CASE_TIMEOUT_MS,
    );
  });
}
