/**
 * The CSV files of any version of a trust's scheme (docs/import-formats.md), in decision codes or in the
 * trust's own marks: the base matrix, in the format the import reads, and beside it the tier variants
 * and schools' own variations, one line per varied cell.
 */
import type { Database } from "../../db/client";
import { KeyError, resolveKey, type DecisionKey } from "../domain/decision-keys";
import { NotFoundError, RuleError } from "../domain/errors";
import { writeMatrixCsv, writeVariationsCsv } from "../domain/matrix-csv";
import { splitCellKey, type Scheme } from "../domain/scheme";
import { loadScheme, findVersionByNumber, type VersionRecord } from "./scheme.server";
import { trustKey } from "./matrix-import.server";

/** "codes" (the default), "trust" for the key saved by the trust's last import, or a key's name or MARK=CODE map. */
export type ExportKeyChoice = string;

export interface MatrixExport {
  csv: string;
  fileName: string;
  version: VersionRecord;
  /** Variants the file leaves out, since the matrix file holds the base matrix only: they are in the variations file. */
  leftOut: { tierCells: number; schoolCells: number };
}

export interface VariationsExport {
  csv: string;
  fileName: string;
  version: VersionRecord;
  /** Lines written: cells varied for tiers and for single schools. */
  written: { tierCells: number; schoolCells: number };
}

async function exportKey(db: Database, trustId: string, choice: ExportKeyChoice | undefined): Promise<DecisionKey | undefined> {
  const wanted = (choice ?? "codes").trim();
  if (wanted === "" || wanted.toLowerCase() === "codes") return undefined;
  if (wanted.toLowerCase() === "trust") {
    const key = await trustKey(db, trustId);
    if (!key) {
      throw new RuleError("The trust has no key of its own yet: one is kept when a matrix is imported with the trust's marks. Download with the decision codes instead.", "key");
    }
    return key;
  }
  try {
    return resolveKey(wanted);
  } catch (error) {
    if (error instanceof KeyError) throw new RuleError(error.message, "key");
    throw error;
  }
}

interface ExportInput {
  number: number;
  key?: ExportKeyChoice;
}

async function exportSource(db: Database, trustId: string, input: ExportInput): Promise<{ version: VersionRecord; key: DecisionKey | undefined; scheme: Scheme }> {
  const version = await findVersionByNumber(db, trustId, input.number);
  if (!version) throw new NotFoundError(`Version ${input.number} of the scheme`);
  const key = await exportKey(db, trustId, input.key);
  return { version, key, scheme: await loadScheme(db, trustId, version.id) };
}

/** Varied cells that apply: those of statutory-locked rows never do (EA-14), and the variations file leaves them out. */
function variedCounts(scheme: Scheme): { tierCells: number; schoolCells: number } {
  const locked = new Set(scheme.rows.filter((r) => r.locked).map((r) => r.id));
  const count = (layers: Record<string, Record<string, unknown>>) =>
    Object.values(layers).reduce((n, variants) => n + Object.keys(variants).filter((key) => !locked.has(splitCellKey(key).rowId)).length, 0);
  return { tierCells: count(scheme.tierCells as Record<string, Record<string, unknown>>), schoolCells: count(scheme.schoolCells) };
}

export async function exportVersionCsv(db: Database, trust: { id: string; slug: string }, input: ExportInput): Promise<MatrixExport> {
  const { version, key, scheme } = await exportSource(db, trust.id, input);
  return {
    csv: writeMatrixCsv(scheme, key),
    fileName: `${trust.slug}-scheme-version-${version.number}.csv`,
    version,
    leftOut: variedCounts(scheme),
  };
}

export async function exportVariationsCsv(db: Database, trust: { id: string; slug: string }, input: ExportInput): Promise<VariationsExport> {
  const { version, key, scheme } = await exportSource(db, trust.id, input);
  return {
    csv: writeVariationsCsv(scheme, key),
    fileName: `${trust.slug}-scheme-version-${version.number}-variations.csv`,
    version,
    written: variedCounts(scheme),
  };
}
