/**
 * A closed-loop load generator: a fixed number of clients, each sending its next request as soon as
 * the last one is answered, until the request count (or the time limit) is reached.
 */
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

async function phase(options: LoadOptions, count: number, deadline: number) {
  const agent = keepAliveAgent(options.concurrency);
  const accept = options.accept ?? ((reply: Reply) => reply.status === 200);
  const latencies: number[] = [];
  let issued = 0;
  let errors = 0;
  let timedOut = false;
  const client = async () => {
    while (issued < count) {
      if (performance.now() > deadline) {
        timedOut = true;
        return;
      }
      issued++;
      const started = performance.now();
      const ok = await send(options.url, { headers: options.headers, agent, timeoutMs: 30_000 }).then(accept, () => false);
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

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
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
