/**
 * The production server: Remix behind a small HTTP server, listening on HOST (default 127.0.0.1) and PORT
 * (default 3000), with security headers on every response and a clean shutdown that closes the
 * database (an embedded data directory must be closed, not abandoned).
 *
 * On a PostgreSQL server it runs one worker process per processor (WEB_CONCURRENCY to choose):
 * everything that outlives a request is in the database, so the workers share nothing else.
 * The embedded database lives inside one process, so with it there is one process.
 */
import cluster from "node:cluster";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { installGlobals } from "@remix-run/node";
import { createHttpServer } from "./http-server.js";

process.env.NODE_ENV ??= "production";

const workers = process.env.DATABASE_URL ? Number(process.env.WEB_CONCURRENCY || os.availableParallelism()) : 1;
if (cluster.isPrimary && workers > 1) {
  superviseWorkers(workers);
} else {
  await serve();
}

function superviseWorkers(count) {
  let stopping = false;
  const listening = new Set();
  for (let i = 0; i < count; i++) cluster.fork();
  cluster.on("listening", (worker) => listening.add(worker.id));
  cluster.on("exit", (worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      return;
    }
    if (!listening.has(worker.id)) {
      // It never started (a port in use, a database that refuses): starting it again would fail again.
      stop("SIGTERM");
      process.exitCode = code || 1;
      return;
    }
    console.error(`A server process stopped (${signal ?? `exit code ${code}`}); starting another.`);
    cluster.fork();
  });
  function stop(signal) {
    stopping = true;
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill(signal);
    if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(process.exitCode ?? 0);
  }
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
}

async function serve() {
  installGlobals({ nativeFetch: true });
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
  const build = await import(pathToFileURL(path.join(root, "build", "index.js")).href);
  const host = process.env.HOST || "127.0.0.1";
  const port = Number(process.env.PORT || 3000);

  const server = createHttpServer({
    build,
    publicDir: path.join(root, "public"),
    mode: process.env.NODE_ENV,
    trustProxy: Boolean(process.env.TRUST_PROXY),
  });
  server.keepAliveTimeout = 65_000;
  server.listen(port, host, () => {
    console.log(`Scheme of delegation is running at http://${host}:${port}`);
  });
  server.on("error", (error) => {
    console.error(error.code === "EADDRINUSE" ? `Port ${port} on ${host} is already in use: set PORT to another port.` : error.message);
    process.exit(1);
  });

  let stopping = false;
  async function stop(signal) {
    if (stopping) return;
    stopping = true;
    console.log(`Received ${signal}: stopping.`);
    server.close();
    server.closeAllConnections();
    try {
      await build.entry.module.shutdown?.();
    } finally {
      process.exit(0);
    }
  }
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
}
