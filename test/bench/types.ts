/**
 * The shapes every benchmark shares. A benchmark is one small file exporting a `Benchmark`, listed in
 * run.ts; it gets a database target (embedded or server PostgreSQL) and returns its figures.
 */
import type { DatabaseConfig } from "../../db/client";

export type Engine = "pglite" | "postgres";

/** A database of its own for one measurement: what the server needs in its environment, and how to open it here. */
export interface BenchDatabase {
  env: Record<string, string>;
  config: DatabaseConfig;
  dispose(): Promise<void>;
}

export interface DatabaseTarget {
  engine: Engine;
  /** Shown in the report, e.g. "PGlite 0.5.16 (embedded)" or "PostgreSQL 15.14". */
  label: string;
  /** A new, empty database: an embedded data directory that does not exist yet, or an empty PostgreSQL database. */
  create(): Promise<BenchDatabase>;
  close(): Promise<void>;
}

/** An upper bound a figure should stay under (`below`) or at (`atMost`). */
export interface Target {
  below?: number;
  atMost?: number;
}

export interface Figure {
  name: string;
  value: number;
  unit: string;
  target?: Target;
  /** Anything a reader needs to interpret the figure (the individual runs, the request count). */
  detail?: string;
}

export interface Benchmark {
  name: string;
  summary: string;
  run(target: DatabaseTarget, log: (line: string) => void): Promise<Figure[]>;
}

export function meetsTarget(figure: Figure): boolean | null {
  if (!figure.target) return null;
  if (figure.target.below !== undefined && !(figure.value < figure.target.below)) return false;
  if (figure.target.atMost !== undefined && !(figure.value <= figure.target.atMost)) return false;
  return true;
}
