/**
 * A closed-loop load generator: a fixed number of clients, each sending its next request as soon as
 * the last one is answered, until the request count (or the time limit) is reached.
 */
import type http from "node:http";
import { keepAliveAgent, send, type Reply } from "./http";

export interface LoadOptions {
  url: string;
  headers?: Record<string, string>;
  concurrency: number;
  requests: number;
  /** Requests sent first and not counted: caches, JIT and connection pools settle. */
  warmup: number;
  timeLimitMs: number;
  /** Whether an answer counts as a success (default: status 200). */
  accept?: (reply: Reply) => boolean;
}

export interface LoadResult {
  requests: number;
  errors: number;
  seconds: number;
  throughput: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  /** True when the time limit stopped the run before the request count was reached. */
  timedOut: boolean;
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** Like LoadOptions, but each request is the caller's own: a different form or row on every call. */
export interface ClientLoadOptions {
  concurrency: number;
  requests: number;
  warmup: number;
  timeLimitMs: number;
  /** Sends one request for client number `client` (0 to concurrency − 1) and says whether it succeeded. */
  request: (client: number, agent: http.Agent) => Promise<boolean>;
}

async function phase(options: ClientLoadOptions, count: number, deadline: number) {
  const agent = keepAliveAgent(options.concurrency);
  const latencies: number[] = [];
  let issued = 0;
  let errors = 0;
  let timedOut = false;
  const client = async (_: unknown, index: number) => {
    while (issued < count) {
      if (performance.now() > deadline) {
        timedOut = true;
        return;
      }
      issued++;
      const started = performance.now();
      const ok = await options.request(index, agent).catch(() => false);
      if (ok) latencies.push(performance.now() - started);
      else errors++;
    }
  };
  const startedAt = performance.now();
  await Promise.all(Array.from({ length: options.concurrency }, client));
  const seconds = (performance.now() - startedAt) / 1000;
  agent.destroy();
  return { latencies, errors, seconds, timedOut };
}

/** The closed loop with requests of the caller's making: warm-up, then the counted requests. */
export async function runClients(options: ClientLoadOptions): Promise<LoadResult> {
  const deadline = performance.now() + options.timeLimitMs;
  await phase(options, options.warmup, deadline);
  const { latencies, errors, seconds, timedOut } = await phase(options, options.requests, deadline);
  latencies.sort((a, b) => a - b);
  const requests = latencies.length + errors;
  return {
    requests,
    errors,
    seconds,
    throughput: requests / seconds,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    max: latencies[latencies.length - 1] ?? NaN,
    timedOut,
  };
}

export function runLoad(options: LoadOptions): Promise<LoadResult> {
  const accept = options.accept ?? ((reply: Reply) => reply.status === 200);
  return runClients({
    ...options,
    request: (_, agent) => send(options.url, { headers: options.headers, agent, timeoutMs: 30_000 }).then(accept),
  });
}
