/**
 * The trust overview page of the national trust (100 schools), signed in as its clerk, under
 * concurrent clients: throughput, latency percentiles, errors, and the server's peak memory.
 */
import { openDatabase } from "../../db/client";
import { createNationalTrust } from "../fixtures/national-trust";
import { send, signIn, text } from "./http";
import { runLoad } from "./load";
import { startAppServer } from "./server";
import type { Benchmark, Figure } from "./types";

const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 20);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 1000);
const WARMUP = Math.min(200, Math.ceil(REQUESTS / 5));
const SINGLE_REQUESTS = 50;
const TIME_LIMIT_MS = 180_000;

export const OVERVIEW_P95_TARGET_MS = 150;

export const overview: Benchmark = {
  name: "overview",
  summary: `GET /trusts/<slug> of the national trust under ${CONCURRENCY} concurrent clients`,
  async run(target, log) {
    const database = await target.create();
    try {
      // The fixture goes in before the server starts: an embedded data directory is open in one process at a time.
      const openStarted = performance.now();
      const handle = await openDatabase(database.config);
      const fixtureStarted = performance.now();
      const trust = await createNationalTrust(handle.db).finally(() => handle.close());
      const fixtureSeconds = (performance.now() - fixtureStarted) / 1000;
      const openSeconds = (fixtureStarted - openStarted) / 1000;
      log(`database created in ${openSeconds.toFixed(2)} s; national trust written in ${fixtureSeconds.toFixed(2)} s`);

      const server = await startAppServer(database);
      try {
        const cookie = await signIn(server.url, trust.users.clerk.email, trust.users.clerk.password);
        const url = `${server.url}/trusts/${trust.slug}`;
        const headers = { cookie, "accept-encoding": "gzip" };
        const first = await send(url, { headers });
        const page = first.status === 200 ? text(first) : "";
        if (!page.includes(trust.name)) {
          throw new Error(`The overview page did not show the national trust (status ${first.status}).`);
        }
        log(`overview page: ${(first.body.length / 1024).toFixed(0)} KB gzipped, ${(page.length / 1024).toFixed(0)} KB of HTML`);

        // One client first: the time the server spends on one page, before any queueing.
        const alone = await runLoad({ url, headers, concurrency: 1, requests: SINGLE_REQUESTS, warmup: 10, timeLimitMs: TIME_LIMIT_MS });
        const result = await runLoad({ url, headers, concurrency: CONCURRENCY, requests: REQUESTS, warmup: WARMUP, timeLimitMs: TIME_LIMIT_MS });
        const detail = `${result.requests} requests after ${WARMUP} warm-up, ${CONCURRENCY} concurrent${result.timedOut ? `, stopped by the ${TIME_LIMIT_MS / 1000} s limit` : ""}`;
        const p95Target = target.engine === "postgres" ? { below: OVERVIEW_P95_TARGET_MS } : undefined;
        return [
          { name: "national trust fixture", value: fixtureSeconds, unit: "s", detail: `${trust.counts.schools} schools, ${trust.counts.cells} cells, written to a migrated database` },
          { name: "overview p50, one client", value: alone.p50, unit: "ms", detail: `${alone.requests} requests one after another` },
          { name: "overview throughput", value: result.throughput, unit: "req/s", detail },
          { name: "overview p50", value: result.p50, unit: "ms" },
          { name: "overview p95", value: result.p95, unit: "ms", target: p95Target },
          { name: "overview p99", value: result.p99, unit: "ms" },
          { name: "overview errors", value: result.errors, unit: "", target: { atMost: 0 }, detail: result.timedOut ? "time limit reached" : undefined },
          { name: "peak memory under load (VmHWM)", value: server.peakMemoryMb(), unit: "MB" },
        ] satisfies Figure[];
      } finally {
        await server.stop();
      }
    } finally {
      await database.dispose();
    }
  },
};
