/**
 * Cold and warm start: from starting the server process to its first 200 answer to GET /sign-in.
 * Cold: a database that does not exist yet (an empty data directory, or an empty PostgreSQL
 * database), so the time includes creating and migrating it. Warm: the same database again.
 */
import { startAppServer } from "./server";
import type { Benchmark, Figure } from "./types";

const REPEATS = Number(process.env.BENCH_REPEATS ?? 3);

export const COLD_START_TARGET_S = 15;
export const WARM_START_TARGET_S = 5;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

const runs = (values: number[]) => `median of ${values.length}: ${values.map((v) => v.toFixed(2)).join(", ")} s`;

export const startup: Benchmark = {
  name: "startup",
  summary: "Cold and warm start to the first answer of GET /sign-in",
  async run(target, log) {
    const cold: number[] = [];
    const warm: number[] = [];
    let peak = 0;
    const databases = [];
    try {
      for (let i = 0; i < REPEATS; i++) {
        const database = await target.create();
        databases.push(database);
        const server = await startAppServer(database);
        cold.push(server.readyAfter);
        peak = Math.max(peak, server.peakMemoryMb());
        await server.stop();
        log(`cold start ${i + 1}: ${server.readyAfter.toFixed(2)} s`);
      }
      for (let i = 0; i < REPEATS; i++) {
        const server = await startAppServer(databases[i]!);
        warm.push(server.readyAfter);
        peak = Math.max(peak, server.peakMemoryMb());
        await server.stop();
        log(`warm start ${i + 1}: ${server.readyAfter.toFixed(2)} s`);
      }
    } finally {
      for (const database of databases) await database.dispose();
    }
    return [
      { name: "cold start", value: median(cold), unit: "s", target: { below: COLD_START_TARGET_S }, detail: runs(cold) },
      { name: "warm start", value: median(warm), unit: "s", target: { below: WARM_START_TARGET_S }, detail: runs(warm) },
      { name: "peak memory after start (VmHWM)", value: peak, unit: "MB", detail: "largest of the runs" },
    ] satisfies Figure[];
  },
};
