/**
 * `npm run bench [-- <benchmark>… | pglite | postgres]`: runs the benchmarks on the embedded database
 * and on PostgreSQL, prints a table with the targets and writes artifacts/bench.json.
 * A missed target is reported, not fatal; a benchmark that cannot run makes the exit code 1.
 *
 * Adding a benchmark: a file here exporting a `Benchmark` (see types.ts), listed in BENCHMARKS.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { appRoot } from "../../db/client";
import { cellSaves } from "./cell-saves";
import { clientJs } from "./client-js";
import { effectiveSchemes } from "./effective-schemes";
import { history } from "./history";
import { openTarget } from "./databases";
import { overview } from "./overview";
import { printReport, writeReport, type Failure, type Row } from "./report";
import { matrixImport } from "./matrix-import";
import { matrixPage } from "./matrix-page";
import { mixedLoad } from "./mixed-load";
import { schemeDocument } from "./scheme-document";
import { schoolPacks } from "./school-packs";
import { killRunningServers } from "./server";
import { startup } from "./startup";
import { validation } from "./validation";
import { versionDiffBenchmark } from "./version-diff";
import type { Benchmark, DatabaseTarget, Engine } from "./types";

const BENCHMARKS: Benchmark[] = [startup, overview, matrixPage, cellSaves, clientJs, matrixImport, validation, effectiveSchemes, history, versionDiffBenchmark, schemeDocument, schoolPacks, mixedLoad];
const ENGINES: Engine[] = ["pglite", "postgres"];

function choose(args: string[]): { benchmarks: Benchmark[]; engines: Engine[] } {
  const unknown = args.filter((a) => !BENCHMARKS.some((b) => b.name === a) && !(ENGINES as string[]).includes(a));
  if (unknown.length > 0 || args.includes("--help")) {
    console.error(
      `Usage: npm run bench [-- <name>… <database>…]\nBenchmarks: ${BENCHMARKS.map((b) => `${b.name} (${b.summary})`).join("; ")}\nDatabases: ${ENGINES.join(", ")}`,
    );
    if (unknown.length > 0 && !args.includes("--help")) console.error(`Not a benchmark or database: ${unknown.join(", ")}`);
    process.exit(unknown.length > 0 ? 2 : 0);
  }
  const benchmarks = BENCHMARKS.filter((b) => args.includes(b.name));
  const engines = ENGINES.filter((e) => args.includes(e));
  return { benchmarks: benchmarks.length > 0 ? benchmarks : BENCHMARKS, engines: engines.length > 0 ? engines : ENGINES };
}

function ensureBuild(): void {
  if (fs.existsSync(path.join(appRoot(), "build", "index.js"))) return;
  console.log("No build of the app yet: running npm run build.");
  const result = spawnSync("npm", ["run", "build"], { cwd: appRoot(), stdio: "inherit" });
  if (result.status !== 0) {
    console.error("The build failed, so the benchmarks cannot start the server.");
    process.exit(1);
  }
}

const open: DatabaseTarget[] = [];

async function cleanUp(): Promise<void> {
  killRunningServers();
  for (const target of open.splice(0)) await target.close().catch(() => {});
}

process.on("SIGINT", () => {
  console.error("\nInterrupted: stopping the servers.");
  void cleanUp().finally(() => process.exit(130));
});

async function main(): Promise<void> {
  const { benchmarks, engines } = choose(process.argv.slice(2));
  ensureBuild();
  const rows: Row[] = [];
  const failures: Failure[] = [];
  const labels: Partial<Record<Engine, string>> = {};
  for (const engine of engines) {
    let target: DatabaseTarget;
    try {
      target = await openTarget(engine);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      for (const b of benchmarks) failures.push({ benchmark: b.name, engine, message: `no database: ${message}` });
      continue;
    }
    open.push(target);
    labels[engine] = target.label;
    for (const benchmark of benchmarks) {
      console.log(`\n== ${benchmark.name} on ${target.label}`);
      try {
        const figures = await benchmark.run(target, (line) => console.log(`   ${line}`));
        rows.push(...figures.map((f) => ({ benchmark: benchmark.name, engine, ...f })));
      } catch (error) {
        failures.push({ benchmark: benchmark.name, engine, message: error instanceof Error ? error.message : String(error) });
        console.error(`   failed: ${error instanceof Error ? error.message : error}`);
      }
    }
    await target.close();
    open.splice(open.indexOf(target), 1);
  }
  printReport(rows, failures, labels);
  console.log(`\nFigures written to ${path.relative(process.cwd(), writeReport(rows, failures, labels))}`);
  if (failures.length > 0) process.exitCode = 1;
}

main()
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(cleanUp);
