/**
 * Starting the built app (`node app/serve.js`) on a database of the benchmark's, timing how long it
 * takes to answer GET /sign-in, and reading its peak memory before it stops.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { appRoot } from "../../db/client";
import { send } from "./http";
import type { BenchDatabase } from "./types";

export interface AppServer {
  url: string;
  pid: number;
  /** Seconds from starting the process to the first 200 answer to GET /sign-in. */
  readyAfter: number;
  /** The process's peak resident memory so far (VmHWM), in MB. */
  peakMemoryMb(): number;
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();

/** Ends any server still running when the benchmark itself stops (Ctrl-C, or an error). */
export function killRunningServers(): void {
  for (const child of running) child.kill("SIGKILL");
  running.clear();
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.on("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("No free port"))));
    });
  });
}

/** The process's own child processes (the server's workers on PostgreSQL). */
function childrenOf(pid: number): number[] {
  const tasks = fs.readdirSync(`/proc/${pid}/task`);
  return tasks.flatMap((task) => {
    const list = fs.readFileSync(`/proc/${pid}/task/${task}/children`, "utf8").trim();
    return list === "" ? [] : list.split(/\s+/).map(Number);
  });
}

/** Peak resident memory (VmHWM) of the server: its own plus its workers', in MB. */
function peakMemoryMb(pid: number): number {
  return [pid, ...childrenOf(pid)].reduce((sum, p) => {
    const status = fs.readFileSync(`/proc/${p}/status`, "utf8");
    const match = /^VmHWM:\s+(\d+) kB/m.exec(status);
    if (!match) throw new Error(`No VmHWM in /proc/${p}/status`);
    return sum + Number(match[1]) / 1024;
  }, 0);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function startAppServer(database: BenchDatabase, timeoutMs = 120_000): Promise<AppServer> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = { ...process.env };
  // The database is the benchmark's, never one the caller's environment happens to name.
  delete env.DATABASE_URL;
  delete env.DATA_DIR;
  Object.assign(env, { NODE_ENV: "production", HOST: "127.0.0.1", PORT: String(port), SOD_DEMO: "0" }, database.env);

  const startedAt = performance.now();
  // BENCH_NODE_ARGS passes options to the server's node, e.g. "--cpu-prof --cpu-prof-dir=/tmp/profiles" to see where time goes.
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? "").split(" ").filter((a) => a.length > 0);
  const child = spawn(process.execPath, [...nodeArgs, path.join(appRoot(), "app", "serve.js")], {
    cwd: appRoot(),
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  running.add(child);
  let output = "";
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString("utf8")).slice(-4000);
  };
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  let exitCode: number | null | undefined;
  void exited.then((code) => {
    exitCode = code;
    running.delete(child);
  });

  const stop = async () => {
    if (exitCode !== undefined) return;
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
    await exited;
    clearTimeout(timer);
  };

  for (;;) {
    if (exitCode !== undefined) throw new Error(`The server stopped (exit code ${exitCode}) before it answered:\n${output}`);
    if (performance.now() - startedAt > timeoutMs) {
      await stop();
      throw new Error(`The server did not answer GET /sign-in within ${timeoutMs / 1000} s:\n${output}`);
    }
    const reply = await send(`${url}/sign-in`, { timeoutMs: 10_000 }).catch(() => null);
    if (reply?.status === 200) break;
    await sleep(reply ? 100 : 20);
  }
  const readyAfter = (performance.now() - startedAt) / 1000;
  return { url, pid: child.pid!, readyAfter, peakMemoryMb: () => peakMemoryMb(child.pid!), stop };
}
