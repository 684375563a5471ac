/**
 * Importing the national trust's matrix from CSV into its draft, in this process (no server): the
 * draft is written out with the matrix-csv writer with about one cell in eight changed, as a trust
 * revising its scheme in a spreadsheet would, then planned (previewImport, the preview) and applied
 * (applyImport, the confirmation) as the import page and `sod import-csv` do.
 */
import { openDatabase, type Database } from "../../db/client";
import { createNationalTrust, NATIONAL_TRUST, type NationalTrust } from "../fixtures/national-trust";
import type { DecisionCode } from "~/domain/codes";
import { resolveKey } from "~/domain/decision-keys";
import { decodeCsvFile, writeMatrixCsv } from "~/domain/matrix-csv";
import { cellKey, permittedCodes } from "~/domain/scheme";
import { applyImport, previewImport } from "~/models/matrix-import.server";
import { loadMatrix } from "~/models/matrix.server";
import type { Benchmark, Figure } from "./types";

const REPEATS = Number(process.env.BENCH_REPEATS ?? 3);
/** One eligible cell in this many is changed: a revision of the scheme, not a new one. */
const CHANGE_EVERY = 8;

export const MATRIX_IMPORT_TARGET_S = 2;

const EVERYDAY_CODES: readonly DecisionCode[] = ["R", "C", "A", "E", "M", "I"];

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

const runs = (values: number[]) => `median of ${values.length}: ${values.map((v) => v.toFixed(2)).join(", ")} s`;

/**
 * The draft as a CSV file with some cells changed to another code the row allows there; a row's D and
 * its closed cells stay. `round` picks a different share of the cells on each repeat.
 */
async function revisedCsv(db: Database, trust: NationalTrust, round: number): Promise<{ bytes: Uint8Array; changed: number }> {
  const matrix = await loadMatrix(db, trust.trustId, trust.versionId);
  const cells = { ...matrix.cells };
  let eligible = 0;
  let changed = 0;
  for (const row of matrix.rows) {
    for (const column of matrix.columns) {
      const key = cellKey(row.id, column.id);
      const code = cells[key]?.code ?? null;
      const codes = permittedCodes(row, column.kind).filter((c) => EVERYDAY_CODES.includes(c));
      if (code === "D" || code === "—" || codes.length < 2) continue;
      if (eligible++ % CHANGE_EVERY !== round % CHANGE_EVERY) continue;
      cells[key] = { code: codes[(codes.indexOf(code as DecisionCode) + 1) % codes.length]!, note: null };
      changed++;
    }
  }
  return { bytes: Buffer.from(writeMatrixCsv({ ...matrix, cells }), "utf8"), changed };
}

export const matrixImport: Benchmark = {
  name: "matrix-import",
  summary: `Planning and applying a ${NATIONAL_TRUST.responsibilities}-row, ${NATIONAL_TRUST.columns}-column CSV import into the national trust's draft, in-process`,
  async run(target, log) {
    const database = await target.create();
    try {
      const handle = await openDatabase(database.config);
      try {
        const trust = await createNationalTrust(handle.db);
        const db = handle.db;
        const actor = { userId: trust.users.clerk.id, name: trust.users.clerk.name };
        const key = resolveKey("codes");
        const plans: number[] = [];
        const applies: number[] = [];
        const totals: number[] = [];
        let changedCells = 0;
        for (let round = 0; round < REPEATS; round++) {
          const file = await revisedCsv(db, trust, round);
          const started = performance.now();
          const input = { trustId: trust.trustId, csv: decodeCsvFile(file.bytes), key, mayCreateBodies: true, fileName: "national-trust.csv" };
          const preview = await previewImport(db, input);
          const planned = performance.now();
          if (preview.plan.errors.length > 0) throw new Error(`The import refused the file: ${preview.plan.errors[0]!.message}`);
          const result = await applyImport(db, actor, { ...input, expectedFingerprint: preview.fingerprint });
          const applied = performance.now();
          const summary = result.plan.summary;
          if (result.version?.id !== trust.versionId || summary.cellsSet !== file.changed || summary.newRows + summary.newBodies + summary.cellsCleared > 0) {
            throw new Error(
              `The import did not make the ${file.changed} changes of the file into the draft: version ${result.version?.number ?? "none"}, ${summary.cellsSet} cells set, ${summary.cellsCleared} cleared, ${summary.newRows} new rows, ${summary.newBodies} new bodies.`,
            );
          }
          plans.push((planned - started) / 1000);
          applies.push((applied - planned) / 1000);
          totals.push((applied - started) / 1000);
          changedCells = file.changed;
          log(`import ${round + 1}: ${file.changed} cells changed in ${summary.updatedRows} rows; planned in ${plans.at(-1)!.toFixed(2)} s, applied in ${applies.at(-1)!.toFixed(2)} s`);
        }
        const detail = `${NATIONAL_TRUST.responsibilities} rows × ${NATIONAL_TRUST.columns} columns, about ${changedCells} cells changed each time; ${runs(totals)}`;
        return [
          { name: "matrix import, plan (preview)", value: median(plans), unit: "s", detail: runs(plans) },
          { name: "matrix import, apply", value: median(applies), unit: "s", detail: runs(applies) },
          { name: "matrix import, plan and apply", value: median(totals), unit: "s", target: { below: MATRIX_IMPORT_TARGET_S }, detail },
        ] satisfies Figure[];
      } finally {
        await handle.close();
      }
    } finally {
      await database.dispose();
    }
  },
};
