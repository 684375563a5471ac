/**
 * The matrix page of the national trust's draft (version 1: 15 columns × 150 rows), signed in as its
 * clerk: one client, then concurrent clients (throughput, latency percentiles, errors), and the
 * page's size as HTML and as the server sends it gzipped.
 */
import { eq } from "drizzle-orm";
import { openDatabase, type Database } from "../../db/client";
import { responsibilities } from "../../db/schema";
import { createNationalTrust, NATIONAL_TRUST, type NationalTrust } from "../fixtures/national-trust";
import { send, signIn, text } from "./http";
import { runLoad } from "./load";
import { startAppServer, type AppServer } from "./server";
import type { BenchDatabase, Benchmark, DatabaseTarget, Figure } from "./types";

const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 20);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 1000);
const WARMUP = Math.min(200, Math.ceil(REQUESTS / 5));
const SINGLE_REQUESTS = 50;
const TIME_LIMIT_MS = 180_000;

export const MATRIX_PAGE_P95_TARGET_MS = 200;

export interface NationalTrustSession<P> {
  server: AppServer;
  trust: NationalTrust;
  /** The clerk's session cookie. */
  cookie: string;
  /** What `prepare` read from the database before the server started. */
  prepared: P;
  /** GET /trusts/<slug>/versions/1: the draft's matrix. */
  matrixUrl: string;
}

async function writeNationalTrust<P>(database: BenchDatabase, prepare: (db: Database, trust: NationalTrust) => Promise<P>) {
  const handle = await openDatabase(database.config);
  try {
    const trust = await createNationalTrust(handle.db);
    return { trust, prepared: await prepare(handle.db, trust) };
  } finally {
    await handle.close();
  }
}

/**
 * The national trust written into a new database of the target's, the built server started on it
 * and the clerk signed in. `prepare` reads what the benchmark needs from the database first: an
 * embedded data directory is open in one process at a time, so it must be closed before the server
 * opens it.
 */
export async function withNationalTrustServer<P, T>(
  target: DatabaseTarget,
  log: (line: string) => void,
  prepare: (db: Database, trust: NationalTrust) => Promise<P>,
  measure: (session: NationalTrustSession<P>) => Promise<T>,
): Promise<T> {
  const database = await target.create();
  try {
    const started = performance.now();
    const { trust, prepared } = await writeNationalTrust(database, prepare);
    log(`database created and national trust written in ${((performance.now() - started) / 1000).toFixed(2)} s`);
    const server = await startAppServer(database);
    try {
      const cookie = await signIn(server.url, trust.users.clerk.email, trust.users.clerk.password);
      return await measure({ server, trust, cookie, prepared, matrixUrl: `${server.url}/trusts/${trust.slug}/versions/1` });
    } finally {
      await server.stop();
    }
  } finally {
    await database.dispose();
  }
}

/** A responsibility's title in plain words (nothing HTML or JSON would escape), to tell the matrix page from any other answer. */
async function aPlainTitle(db: Database, trust: NationalTrust): Promise<string> {
  const rows = await db.select({ title: responsibilities.title }).from(responsibilities).where(eq(responsibilities.trustId, trust.trustId));
  const title = rows.map((r) => r.title).find((t) => /^[A-Za-z0-9 ,.-]+$/.test(t));
  if (!title) throw new Error("The national trust has no responsibility with a plain title.");
  return title;
}

export const matrixPage: Benchmark = {
  name: "matrix-page",
  summary: `GET /trusts/<slug>/versions/1 (${NATIONAL_TRUST.columns} columns × ${NATIONAL_TRUST.responsibilities} rows) under ${CONCURRENCY} concurrent clients`,
  run: (target, log) =>
    withNationalTrustServer(target, log, aPlainTitle, async ({ cookie, prepared: title, matrixUrl }) => {
      const headers = { cookie, "accept-encoding": "gzip" };
      const first = await send(matrixUrl, { headers });
      const page = first.status === 200 ? text(first) : "";
      if (!page.includes(title)) {
        throw new Error(`The matrix page did not show the draft's responsibilities (status ${first.status}).`);
      }
      const gzipped = first.headers["content-encoding"] === "gzip" ? `${(first.body.length / 1024).toFixed(0)} KB gzipped` : "sent uncompressed";
      log(`matrix page: ${(Buffer.byteLength(page) / 1024).toFixed(0)} KB of HTML, ${gzipped}`);

      // One client first: the time the server spends on one page, before any queueing.
      const alone = await runLoad({ url: matrixUrl, headers, concurrency: 1, requests: SINGLE_REQUESTS, warmup: 10, timeLimitMs: TIME_LIMIT_MS });
      const result = await runLoad({ url: matrixUrl, headers, concurrency: CONCURRENCY, requests: REQUESTS, warmup: WARMUP, timeLimitMs: TIME_LIMIT_MS });
      const detail = `${result.requests} requests after ${WARMUP} warm-up, ${CONCURRENCY} concurrent${result.timedOut ? `, stopped by the ${TIME_LIMIT_MS / 1000} s limit` : ""}`;
      const p95Target = target.engine === "postgres" ? { below: MATRIX_PAGE_P95_TARGET_MS } : undefined;
      return [
        { name: "matrix page p50, one client", value: alone.p50, unit: "ms", detail: `${alone.requests} requests one after another` },
        { name: "matrix page throughput", value: result.throughput, unit: "req/s", detail },
        { name: "matrix page p50", value: result.p50, unit: "ms" },
        { name: "matrix page p95", value: result.p95, unit: "ms", target: p95Target },
        { name: "matrix page p99", value: result.p99, unit: "ms" },
        { name: "matrix page errors", value: result.errors, unit: "", target: { atMost: 0 }, detail: result.timedOut ? "time limit reached" : undefined },
        { name: "matrix page HTML", value: Buffer.byteLength(page) / 1024, unit: "KB" },
        { name: "matrix page gzipped", value: first.body.length / 1024, unit: "KB", detail: first.headers["content-encoding"] === "gzip" ? "as the server sent it" : "the server sent it uncompressed" },
      ] satisfies Figure[];
    }),
};
