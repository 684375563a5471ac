/**
 * The built app (node app/serve.js, after `npm run build`) on 127.0.0.1 and a free port, for the
 * end-to-end tests and the benchmark. It runs on a fresh embedded database unless given a data
 * directory or a PostgreSQL URL, and is ready when /healthcheck answers 200.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "../..");

export interface AppServer {
  url: string;
  pid: number;
  /** What it has written to its standard output and error, the last 20,000 characters. */
  output(): string;
  /** Stops the server (SIGTERM, so it closes its database) and waits until it has exited. */
  stop(): Promise<void>;
}

export interface AppServerOptions {
  /** An embedded data directory to use (and keep); by default a fresh one is made and removed on stop. */
  dataDir?: string;
  /** A PostgreSQL database to use instead of an embedded one. */
  databaseUrl?: string;
  /** More environment for the server, e.g. SOD_DEMO=0. */
  env?: Record<string, string>;
  /** The port to listen on; by default a free one. */
  port?: number;
  /** How long to wait for /healthcheck, in milliseconds. */
  readyTimeoutMs?: number;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no free port"))));
    });
  });
}

export async function startAppServer(options: AppServerOptions = {}): Promise<AppServer> {
  if (!fs.existsSync(path.join(root, "build", "index.js"))) {
    throw new Error("The app is not built: run `npm run build` first.");
  }
  const ownDir = options.dataDir || options.databaseUrl ? undefined : fs.mkdtempSync(path.join(os.tmpdir(), "sod-app-"));
  const port = options.port ?? (await freePort());
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    HOST: "127.0.0.1",
    PORT: String(port),
    // The tests speak plain http, where a browser may drop a Secure cookie.
    SOD_INSECURE_COOKIES: "1",
    ...options.env,
  };
  delete env.DATABASE_URL;
  delete env.DATA_DIR;
  if (options.databaseUrl) env.DATABASE_URL = options.databaseUrl;
  else env.DATA_DIR = options.dataDir ?? path.join(ownDir!, "data");

  const child = spawn(process.execPath, [path.join(root, "app", "serve.js")], { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout.on("data", keep);
  child.stderr.on("data", keep);
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  let hasExited = false;
  void exited.then(() => (hasExited = true));

  const url = `http://127.0.0.1:${port}`;
  const removeOwnDir = () => {
    if (ownDir) fs.rmSync(ownDir, { recursive: true, force: true });
  };
  const stop = async () => {
    if (!hasExited) {
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
      await exited;
      clearTimeout(timer);
    }
    removeOwnDir();
  };

  const deadline = Date.now() + (options.readyTimeoutMs ?? 90_000);
  while (Date.now() < deadline) {
    if (hasExited) {
      removeOwnDir();
      throw new Error(`The app server stopped before it was ready:\n${output}`);
    }
    try {
      const response = await fetch(`${url}/healthcheck`, { signal: AbortSignal.timeout(2_000) });
      if (response.status === 200) return { url, pid: child.pid!, output: () => output, stop };
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await stop();
  throw new Error(`The app server did not answer /healthcheck with 200 in time:\n${output}`);
}
