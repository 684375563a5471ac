/**
 * The benchmark's report: a table on the terminal and the same figures as JSON in artifacts/bench.json.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { appRoot } from "../../db/client";
import { meetsTarget, type Engine, type Figure, type Target } from "./types";

export interface Row extends Figure {
  benchmark: string;
  engine: Engine;
}

export interface Failure {
  benchmark: string;
  engine: Engine;
  message: string;
}

export function machine() {
  const cpuinfo = fs.readFileSync("/proc/cpuinfo", "utf8");
  return {
    cpu: /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1] ?? os.cpus()[0]?.model ?? "unknown",
    cores: os.cpus().length,
    memoryGb: Math.round(os.totalmem() / 1024 ** 3),
    node: process.version,
    os: `${os.type()} ${os.release()}`,
    /** 1, 5 and 15 minutes at the end of the run: anything else busy on the machine skews the figures. */
    loadAverage: os.loadavg().map((l) => Number(l.toFixed(2))),
  };
}

function formatValue(figure: Figure): string {
  // Counts are whole; a ratio without a unit (a growth factor) needs its decimals.
  const digits = figure.unit === "s" ? 2 : figure.unit === "ms" ? 1 : Number.isInteger(figure.value) ? 0 : 2;
  return `${figure.value.toFixed(digits)}${figure.unit ? ` ${figure.unit}` : ""}`;
}

function formatTarget(target: Target | undefined, unit: string): string {
  if (!target) return "";
  const suffix = unit ? ` ${unit}` : "";
  return target.below !== undefined ? `< ${target.below}${suffix}` : `≤ ${target.atMost}${suffix}`;
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join("  ").trimEnd();
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

export function printReport(rows: Row[], failures: Failure[], labels: Partial<Record<Engine, string>>): void {
  const host = machine();
  console.log("");
  console.log(`${host.cpu}, ${host.cores} cores, ${host.memoryGb} GB, Node ${host.node}; load average ${host.loadAverage.join(", ")}`);
  for (const [engine, label] of Object.entries(labels)) console.log(`${engine}: ${label}`);
  console.log("");
  console.log(
    table(
      ["benchmark", "database", "figure", "value", "target", "result"],
      rows.map((r) => {
        const met = meetsTarget(r);
        return [r.benchmark, r.engine, r.name, formatValue(r), formatTarget(r.target, r.unit), met === null ? "" : met ? "met" : "*** MISSED ***"];
      }),
    ),
  );
  const details = rows.filter((r) => r.detail);
  if (details.length > 0) {
    console.log("");
    for (const r of details) console.log(`${r.engine} ${r.name}: ${r.detail}`);
  }
  const missed = rows.filter((r) => meetsTarget(r) === false);
  console.log("");
  console.log(missed.length === 0 ? "Every target was met." : `${missed.length} target${missed.length === 1 ? " was" : "s were"} missed: ${missed.map((r) => `${r.name} on ${r.engine}`).join(", ")}.`);
  for (const f of failures) console.log(`FAILED: ${f.benchmark} on ${f.engine}: ${f.message}`);
}

export function writeReport(rows: Row[], failures: Failure[], labels: Partial<Record<Engine, string>>): string {
  const file = path.join(appRoot(), "artifacts", "bench.json");
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const report = {
    ranAt: new Date().toISOString(),
    machine: machine(),
    databases: labels,
    figures: rows.map((r) => ({ ...r, met: meetsTarget(r) })),
    missed: rows.filter((r) => meetsTarget(r) === false).length,
    failures,
  };
  fs.writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  return file;
}
