/**
 * The CSV of any version of a trust's scheme, in the format the import reads (docs/import-formats.md):
 * the base matrix in decision codes, or in the trust's own marks.
 */
import type { Database } from "../../db/client";
import { KeyError, resolveKey, type DecisionKey } from "../domain/decision-keys";
import { NotFoundError, RuleError } from "../domain/errors";
import { writeMatrixCsv } from "../domain/matrix-csv";
import { loadScheme, findVersionByNumber, type VersionRecord } from "./scheme.server";
import { trustKey } from "./matrix-import.server";

/** "codes" (the default), "trust" for the key saved by the trust's last import, or a key's name or MARK=CODE map. */
export type ExportKeyChoice = string;

export interface MatrixExport {
  csv: string;
  fileName: string;
  version: VersionRecord;
  /** Variants the file leaves out, since the matrix file holds the base matrix only. */
  leftOut: { tierCells: number; schoolCells: number };
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

export async function exportVersionCsv(
  db: Database,
  trust: { id: string; slug: string },
  input: { number: number; key?: ExportKeyChoice },
): Promise<MatrixExport> {
  const version = await findVersionByNumber(db, trust.id, input.number);
  if (!version) throw new NotFoundError(`Version ${input.number} of the scheme`);
  const key = await exportKey(db, trust.id, input.key);
  const scheme = await loadScheme(db, trust.id, version.id);
  const count = (variants: Record<string, Record<string, unknown>>) => Object.values(variants).reduce((n, v) => n + Object.keys(v).length, 0);
  return {
    csv: writeMatrixCsv(scheme, key),
    fileName: `${trust.slug}-scheme-version-${version.number}.csv`,
    version,
    leftOut: { tierCells: count(scheme.tierCells as Record<string, Record<string, unknown>>), schoolCells: count(scheme.schoolCells) },
  };
}
