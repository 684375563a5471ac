/**
 * The history page of the national trust's draft (version 1) with 10,000 audit entries, signed in
 * as its clerk: the first page (the newest 50) and a deep page (50 entries some 9,000 back, reached
 * by its "Older entries" cursor), each by one client and then by concurrent clients.
 */
import { and, desc, eq, sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { auditLog } from "../../db/schema";
import { encodeCursor } from "../../app/models/history.server";
import type { NationalTrust } from "../fixtures/national-trust";
import { send, text } from "./http";
import { runLoad } from "./load";
import { withNationalTrustServer } from "./national-trust-server";
import type { Benchmark, Figure } from "./types";

const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 20);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 1000);
const WARMUP = Math.min(200, Math.ceil(REQUESTS / 5));
const SINGLE_REQUESTS = 50;
const TIME_LIMIT_MS = 180_000;
const ENTRIES = 10_000;
const DEEP = 9_000;
const CHUNK = 1000;

export const HISTORY_PAGE_P95_TARGET_MS = 200;

/**
 * 10,000 entries of the draft over 100 days, as a year of work leaves them: cell changes on every
 * row by the trust's people (a few from the command line), several in the same instant as one save's
 * are. Returns the cursor of the entry DEEP entries down, newest first.
 */
async function writeHistory(db: Database, trust: NationalTrust): Promise<{ deepCursor: string }> {
  const people = Object.values(trust.users);
  const columns = Object.values(trust.columns);
  const start = Date.UTC(2026, 0, 5, 8);
  for (let offset = 0; offset < ENTRIES; offset += CHUNK) {
    const chunk = Array.from({ length: Math.min(CHUNK, ENTRIES - offset) }, (_, k) => {
      const i = offset + k;
      const person = i % 50 === 0 ? null : people[i % people.length]!;
      const row = trust.responsibilityIds[i % trust.responsibilityIds.length]!;
      return {
        trustId: trust.trustId,
        userId: person?.id ?? null,
        actor: person?.name ?? "command line",
        // Three entries to a save, a save every 14 minutes or so.
        at: new Date(start + Math.floor(i / 3) * 830_000),
        action: "update",
        entity: "cell",
        entityId: columns[i % columns.length]!,
        versionId: trust.versionId,
        responsibilityId: row,
        summary: `Change ${i + 1}: a code of row ${(i % trust.responsibilityIds.length) + 1} in version 1`,
        before: { code: "R" },
        after: { code: i % 2 === 0 ? "D" : "C" },
      };
    });
    await db.insert(auditLog).values(chunk);
  }
  // A year's entries arrive a few at a time, and PostgreSQL's autovacuum gathers the planner's
  // statistics as they grow (the embedded database's server does it at start): written at once
  // here, they are gathered as that year would have left them.
  await db.execute(sql`analyze audit_log`);
  const [deep] = await db
    .select({ id: auditLog.id, at: sql<string>`to_char(${auditLog.at} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')` })
    .from(auditLog)
    .where(and(eq(auditLog.trustId, trust.trustId), eq(auditLog.versionId, trust.versionId)))
    .orderBy(desc(auditLog.at), desc(auditLog.id))
    .offset(DEEP - 1)
    .limit(1);
  if (!deep) throw new Error("The history entries were not written.");
  return { deepCursor: encodeCursor({ at: deep.at, id: Number(deep.id) }) };
}

export const history: Benchmark = {
  name: "history",
  summary: `GET /trusts/<slug>/versions/1/history with ${ENTRIES.toLocaleString("en-GB")} audit entries (first page and a deep page) under ${CONCURRENCY} concurrent clients`,
  run: (target, log) =>
    withNationalTrustServer(target, log, writeHistory, async ({ cookie, prepared: { deepCursor }, matrixUrl }) => {
      const headers = { cookie, "accept-encoding": "gzip" };
      const pages = [
        { key: "first", label: "history first page", url: `${matrixUrl}/history`, expect: `Change ${ENTRIES}:` },
        { key: "deep", label: "history deep page", url: `${matrixUrl}/history?before=${encodeURIComponent(deepCursor)}`, expect: `Change ${ENTRIES - DEEP}:` },
      ];
      const figures: Figure[] = [];
      for (const page of pages) {
        const first = await send(page.url, { headers });
        const html = first.status === 200 ? text(first) : "";
        if (!html.includes(page.expect) || !html.includes("Older entries")) {
          throw new Error(`The ${page.label} did not show the expected entries (status ${first.status}).`);
        }
        log(`${page.label}: ${(Buffer.byteLength(html) / 1024).toFixed(0)} KB of HTML`);
        const alone = await runLoad({ url: page.url, headers, concurrency: 1, requests: SINGLE_REQUESTS, warmup: 10, timeLimitMs: TIME_LIMIT_MS });
        const result = await runLoad({ url: page.url, headers, concurrency: CONCURRENCY, requests: REQUESTS, warmup: WARMUP, timeLimitMs: TIME_LIMIT_MS });
        const detail = `${result.requests} requests after ${WARMUP} warm-up, ${CONCURRENCY} concurrent${result.timedOut ? `, stopped by the ${TIME_LIMIT_MS / 1000} s limit` : ""}`;
        log(`${page.label} p95 ${result.p95.toFixed(1)} ms: ${result.p95 < HISTORY_PAGE_P95_TARGET_MS ? "PASS" : "MISS"} (target under ${HISTORY_PAGE_P95_TARGET_MS} ms)`);
        figures.push(
          { name: `${page.label} p50, one client`, value: alone.p50, unit: "ms", detail: `${alone.requests} requests one after another` },
          { name: `${page.label} throughput`, value: result.throughput, unit: "req/s", detail },
          { name: `${page.label} p50`, value: result.p50, unit: "ms" },
          { name: `${page.label} p95`, value: result.p95, unit: "ms", target: { below: HISTORY_PAGE_P95_TARGET_MS } },
          { name: `${page.label} p99`, value: result.p99, unit: "ms" },
          { name: `${page.label} errors`, value: result.errors, unit: "", target: { atMost: 0 }, detail: result.timedOut ? "time limit reached" : undefined },
        );
      }
      return figures;
    }),
};
