/**
 * The national trust at work (mixed-workload.ts): 50 people reading matrices and reports, 20 editing
 * cells of the same draft and 2 exporting the Word document, for 30 s after 5 s of warm-up, with the
 * health check polled throughout. Per route: requests, p50/p95/p99 and errors (which must be none);
 * overall throughput, the server's peak memory, and the matrix page's p95 over the health check's
 * under the same load (what our own work costs over the framework's floor).
 *
 * LOAD_SECONDS, LOAD_READERS, LOAD_EDITORS, LOAD_EXPORTERS and LOAD_MAX_REQUESTS (200,000 by default,
 * far above what two minutes give) change the workload (`npm run proof` runs it for longer).
 */
import { signIn } from "./http";
import { draftRows } from "./cell-saves";
import { runMixedLoad, TRUST_AT_WORK, type MixedWorkload } from "./mixed-workload";
import { withNationalTrustServer } from "./national-trust-server";
import type { Benchmark, Figure } from "./types";

const fromEnv = (name: string, fallback: number) => (process.env[name] ? Number(process.env[name]) : fallback);

const WORKLOAD: MixedWorkload = {
  readers: fromEnv("LOAD_READERS", TRUST_AT_WORK.readers),
  editors: fromEnv("LOAD_EDITORS", TRUST_AT_WORK.editors),
  exporters: fromEnv("LOAD_EXPORTERS", TRUST_AT_WORK.exporters),
  seconds: fromEnv("LOAD_SECONDS", TRUST_AT_WORK.seconds),
  warmupSeconds: TRUST_AT_WORK.warmupSeconds,
  maxRequests: fromEnv("LOAD_MAX_REQUESTS", TRUST_AT_WORK.maxRequests),
};

export const mixedLoad: Benchmark = {
  name: "mixed-load",
  summary: `${WORKLOAD.readers} readers, ${WORKLOAD.editors} editors of one draft and ${WORKLOAD.exporters} Word exporters on the national trust for ${WORKLOAD.seconds} s`,
  run: (target, log) =>
    withNationalTrustServer(target, log, draftRows, async ({ server, trust, cookie, prepared: rows }) => {
      const reader = await signIn(server.url, trust.users.viewer.email, trust.users.viewer.password);
      const editors = [cookie, ...(await Promise.all([trust.users.ceo, trust.users.trustee].map((p) => signIn(server.url, p.email, p.password))))];
      const result = await runMixedLoad({ baseUrl: server.url, trust, cookies: { reader, editors }, rows, workload: WORKLOAD });
      const peak = server.peakMemoryMb();
      log(`${result.requests} requests in ${result.seconds.toFixed(1)} s: ${result.saves.saved} saves, ${result.saves.conflict} refused as stale, ${result.errors} errors`);
      for (const r of result.byRoute) {
        log(`${r.route.padEnd(24)} ${String(r.requests).padStart(6)} requests  p50 ${r.p50.toFixed(1)}  p95 ${r.p95.toFixed(1)}  p99 ${r.p99.toFixed(1)} ms  errors ${r.errors}`);
      }
      for (const problem of result.problems) log(`error: ${problem}`);
      const matrix = result.byRoute.find((r) => r.route === "matrix page");
      const health = result.byRoute.find((r) => r.route === "health check");
      const figures: Figure[] = [
        { name: "mixed load requests", value: result.requests, unit: "", detail: `in ${result.seconds.toFixed(1)} s after ${WORKLOAD.warmupSeconds} s of warm-up` },
        { name: "mixed load throughput", value: result.throughput, unit: "req/s" },
        { name: "mixed load errors", value: result.errors, unit: "", target: { atMost: 0 }, detail: result.problems[0] },
        { name: "cell saves refused as stale", value: result.saves.conflict, unit: "", detail: `${result.saves.saved} saved` },
        { name: "peak server memory (VmHWM)", value: peak, unit: "MB" },
        ...result.byRoute.flatMap((r) => [
          { name: `${r.route} p50`, value: r.p50, unit: "ms", detail: `${r.requests} requests` },
          { name: `${r.route} p95`, value: r.p95, unit: "ms" },
          { name: `${r.route} p99`, value: r.p99, unit: "ms" },
        ]),
      ];
      if (matrix && health) figures.push({ name: "matrix page p95 / health check p95", value: matrix.p95 / health.p95, unit: "×", detail: "under the same load" });
      return figures;
    }),
};
