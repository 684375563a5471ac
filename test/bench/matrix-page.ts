/**
 * The matrix page of the national trust's draft (version 1: 15 columns × 150 rows), signed in as its
 * clerk: one client, one client opening it just after each change (so it is never kept), then
 * concurrent clients (throughput, latency percentiles, errors), and the page's size as HTML and as
 * the server sends it gzipped.
 */
import { eq } from "drizzle-orm";
import type { Database } from "../../db/client";
import { responsibilities } from "../../db/schema";
import { NATIONAL_TRUST, type NationalTrust } from "../fixtures/national-trust";
import { draftRows, saveNextCode, type RowState } from "./cell-saves";
import { keepAliveAgent, send, text } from "./http";
import { percentile, runLoad } from "./load";
import { withNationalTrustServer } from "./national-trust-server";
import type { Benchmark, Figure } from "./types";

const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 20);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 1000);
const WARMUP = Math.min(200, Math.ceil(REQUESTS / 5));
const SINGLE_REQUESTS = 50;
const TIME_LIMIT_MS = 180_000;

export const MATRIX_PAGE_P95_TARGET_MS = 200;

/** A responsibility's title in plain words (nothing HTML or JSON would escape), to tell the matrix page from any other answer. */
async function aPlainTitle(db: Database, trust: NationalTrust): Promise<string> {
  const rows = await db.select({ title: responsibilities.title }).from(responsibilities).where(eq(responsibilities.trustId, trust.trustId));
  const title = rows.map((r) => r.title).find((t) => /^[A-Za-z0-9 ,.-]+$/.test(t));
  if (!title) throw new Error("The national trust has no responsibility with a plain title.");
  return title;
}

/**
 * The page as the first person to open it after a change sees it: a cell is saved (not timed), then
 * the page is fetched (timed), so every page is read and laid out afresh rather than kept (ADR 006).
 */
async function pagesAfterChanges(matrixUrl: string, cookie: string, rows: RowState[], count: number): Promise<number[]> {
  const agent = keepAliveAgent(1);
  const headers = { cookie, "accept-encoding": "gzip" };
  const times: number[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const { answer, problem } = await saveNextCode(`${matrixUrl}/cells`, cookie, rows[i % rows.length]!, agent);
      if (answer !== "saved") throw new Error(`A cell save before a fresh page failed: ${problem ?? answer}`);
      const started = performance.now();
      const reply = await send(matrixUrl, { headers, agent });
      if (reply.status !== 200) throw new Error(`The matrix page answered ${reply.status} after a change.`);
      times.push(performance.now() - started);
    }
  } finally {
    agent.destroy();
  }
  return times.sort((a, b) => a - b);
}

async function prepareMatrixPage(db: Database, trust: NationalTrust): Promise<{ title: string; rows: RowState[] }> {
  return { title: await aPlainTitle(db, trust), rows: await draftRows(db, trust) };
}

export const matrixPage: Benchmark = {
  name: "matrix-page",
  summary: `GET /trusts/<slug>/versions/1 (${NATIONAL_TRUST.columns} columns × ${NATIONAL_TRUST.responsibilities} rows) under ${CONCURRENCY} concurrent clients`,
  run: (target, log) =>
    withNationalTrustServer(target, log, prepareMatrixPage, async ({ cookie, prepared: { title, rows }, matrixUrl }) => {
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
      const fresh = await pagesAfterChanges(matrixUrl, cookie, rows, SINGLE_REQUESTS);
      const result = await runLoad({ url: matrixUrl, headers, concurrency: CONCURRENCY, requests: REQUESTS, warmup: WARMUP, timeLimitMs: TIME_LIMIT_MS });
      const detail = `${result.requests} requests after ${WARMUP} warm-up, ${CONCURRENCY} concurrent${result.timedOut ? `, stopped by the ${TIME_LIMIT_MS / 1000} s limit` : ""}`;
      const p95Target = target.engine === "postgres" ? { below: MATRIX_PAGE_P95_TARGET_MS } : undefined;
      return [
        { name: "matrix page p50, one client", value: alone.p50, unit: "ms", detail: `${alone.requests} requests one after another` },
        {
          name: "matrix page p50, one client, just changed",
          value: percentile(fresh, 50),
          unit: "ms",
          detail: `${fresh.length} pages, each after a cell save, so none is kept from the last`,
        },
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
