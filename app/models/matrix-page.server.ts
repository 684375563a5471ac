/**
 * What the matrix page shows, worked out once and kept while the trust's matrix stamp stays where it
 * was (ADR 006): every member of a trust opens the same matrix, and a national trust's takes more
 * work to read and lay out than the rest of the page together. The stamp comes with the trust from
 * the membership check, so a page whose matrix is kept costs no query of its own.
 */
import type { Database } from "../../db/client";
import { matrixView, type MatrixFilters } from "../domain/matrix-view";
import type { SchemeVersionInfo } from "../domain/scheme";
import { versionNumberFromParam } from "../domain/versions";
import { loadMatrixByNumber, type VersionSummary } from "./matrix.server";
import type { Trust } from "./trust.server";

export interface MatrixPage {
  version: SchemeVersionInfo;
  versions: VersionSummary[];
  /** The matrix view as one JSON text: Remix sends one long string far faster than 150 nested objects. */
  matrix: string;
  areasInUse: number[];
  /** The body that approved the version, by name. */
  approvedBy: string | null;
}

/** Pages kept per process: a few versions and filters of a few trusts at once. */
const KEPT = 32;
const kept = new Map<string, Promise<MatrixPage | null>>();

async function workOut(db: Database, trustId: string, number: number, filters: MatrixFilters): Promise<MatrixPage | null> {
  const found = await loadMatrixByNumber(db, trustId, number);
  if (!found) return null;
  const { matrix, versions } = found;
  return {
    version: matrix.version,
    versions,
    matrix: JSON.stringify(matrixView(matrix, filters)),
    areasInUse: [...new Set(matrix.rows.map((r) => r.area))].sort((a, b) => a - b),
    approvedBy: matrix.version.approvedByBodyId ? (matrix.columns.find((b) => b.id === matrix.version.approvedByBodyId)?.name ?? null) : null,
  };
}

/** The page for the version named in the URL, or null if the trust has no such version. */
export function loadMatrixPage(
  db: Database,
  trust: Pick<Trust, "id" | "matrixStamp">,
  param: string | undefined,
  filters: MatrixFilters,
): Promise<MatrixPage | null> {
  const number = versionNumberFromParam(param);
  if (number === null) return Promise.resolve(null);
  const key = JSON.stringify([trust.id, trust.matrixStamp, number, filters.area, filters.columnId]);
  let page = kept.get(key);
  if (page) {
    // Most recently used last: the first key is the one to drop.
    kept.delete(key);
  } else {
    // Kept as a promise, so that people opening the page at once share one reading of it.
    page = workOut(db, trust.id, number, filters);
    page.catch(() => kept.delete(key));
  }
  kept.set(key, page);
  if (kept.size > KEPT) kept.delete(kept.keys().next().value!);
  return page;
}
