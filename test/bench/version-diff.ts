/**
 * The difference between two versions of the national trust, in this process (no server): the
 * draft as loadScheme reads it (100 schools), and a newer version made from it in memory that
 * differs in a tenth of the matrix's cells (of every row × column, so codes changed, set and
 * cleared), with tier variants for T1 and T3, variations for a tenth of the schools, three rows
 * renamed, two retired, one added, a column made advisory and a school joined; each version with
 * ~300 findings, a tenth of them different. Timed: versionDiff with the findings.
 */
import { DECISION_CODES, type DecisionCode } from "~/domain/codes";
import { cellKey, type Scheme, type Variant } from "~/domain/scheme";
import { diffCounts, versionDiff, type DiffFinding } from "~/domain/version-diff";
import type { Benchmark, Figure } from "./types";
import { loadNationalScheme, percentile } from "./validation";

const SCHOOLS = 100;
const WARM_UP = 5;
const TIMED = 50;
/** One cell position (row × column) in this many differs between the two versions. */
const CHANGED_EVERY = 10;
const FINDINGS = 300;

export const VERSION_DIFF_TARGET_MS = 100;

const CODES: DecisionCode[] = DECISION_CODES.filter((c) => c !== "—");

/** A newer version of the scheme: a deep copy with changes spread evenly over it. */
function newerVersion(older: Scheme): { scheme: Scheme; changedPositions: number } {
  const newer: Scheme = structuredClone(older);
  newer.version = { ...newer.version, id: "newer", number: newer.version.number + 1, status: "draft", basedOnId: older.version.id };
  let position = 0;
  let changedPositions = 0;
  for (const row of newer.rows) {
    for (const column of newer.columns) {
      position++;
      if (position % CHANGED_EVERY !== 0) continue;
      changedPositions++;
      const key = cellKey(row.id, column.id);
      const was = newer.cells[key];
      if (!was) newer.cells[key] = { code: CODES[position % CODES.length]!, note: null };
      else if (position % 3 === 0) delete newer.cells[key];
      else newer.cells[key] = { code: CODES[(CODES.indexOf(was.code) + 1) % CODES.length]!, note: was.note };
    }
  }
  const unlocked = newer.rows.filter((r) => !r.locked);
  const variants = (offset: number, count: number): Record<string, Variant> =>
    Object.fromEntries(
      Array.from({ length: count }, (_, i) => {
        const row = unlocked[(offset + i * 7) % unlocked.length]!;
        const column = newer.columns[(offset + i) % newer.columns.length]!;
        return [cellKey(row.id, column.id), { code: i % 5 === 4 ? null : CODES[(offset + i) % CODES.length]!, note: "Agreed at the autonomy review." }];
      }),
    );
  newer.tierCells = { ...newer.tierCells, T1: variants(1, 15), T3: variants(2, 15) };
  newer.schools.forEach((school, i) => {
    if (i % 10 === 0) newer.schoolCells[school.id] = variants(i, 4);
  });
  newer.rows.slice(0, 3).forEach((r) => (r.title = `${r.title} (revised)`));
  const retired = new Set(newer.rows.slice(10, 12).map((r) => r.id));
  newer.rows = newer.rows.filter((r) => !retired.has(r.id));
  for (const key of Object.keys(newer.cells)) if (retired.has(key.slice(0, key.indexOf(":")))) delete newer.cells[key];
  newer.rows.push({ ...newer.rows[0]!, id: "added-row", ref: "99.1", title: "Approve the trust's sustainability plan", position: 999 });
  const local = newer.columns.find((c) => c.kind === "local" || c.kind === "cluster");
  if (local) local.mode = local.mode === "advisory" ? "decision-making" : "advisory";
  newer.schools.push({ ...newer.schools[0]!, id: "joining-school", urn: 999999, name: "Swaledale Academy" });
  return { scheme: newer, changedPositions };
}

function findings(offset: number): DiffFinding[] {
  return Array.from({ length: FINDINGS }, (_, i) => {
    const n = i % 10 === 0 ? i + offset : i;
    return { key: `CO-${String(n % 30).padStart(2, "0")}:${n.toString(16).padStart(24, "0")}`, ruleId: `CO-${n % 30}`, severity: "warning", message: `Finding ${n}` };
  });
}

export const versionDiffBenchmark: Benchmark = {
  name: "version-diff",
  summary: "The difference between two versions of the national trust (100 schools) differing in a tenth of their cells, in-process",
  async run(target, log) {
    const older = await loadNationalScheme(target, SCHOOLS);
    const { scheme: newer, changedPositions } = newerVersion(older);
    const input = { older: findings(0), newer: findings(100_000) };
    let diff = versionDiff(older, newer, input);
    for (let i = 0; i < WARM_UP; i++) diff = versionDiff(older, newer, input);
    const times: number[] = [];
    for (let i = 0; i < TIMED; i++) {
      const started = performance.now();
      diff = versionDiff(older, newer, input);
      times.push(performance.now() - started);
    }
    const counts = diffCounts(diff);
    const p50 = percentile(times, 50);
    const p95 = percentile(times, 95);
    const what =
      `${older.rows.length} rows × ${older.columns.length} columns (${Object.keys(older.cells).length} cells), ${changedPositions} positions changed: ` +
      `${counts.cellsChanged} cells, ${counts.tierVariantsChanged} tier variants, ${counts.schoolVariationsChanged} school variations, ` +
      `${counts.rowsRenamed} renamed, ${counts.rowsRetired} retired, ${counts.rowsAdded} added, ${counts.structureChanges} structure, ` +
      `${counts.findingsAppeared}/${counts.findingsDisappeared} findings appeared/disappeared`;
    log(what);
    log(`${WARM_UP} warm-up then ${TIMED} runs: p50 ${p50.toFixed(2)} ms, p95 ${p95.toFixed(2)} ms`);
    log(`${p95 < VERSION_DIFF_TARGET_MS ? "PASS" : "MISS"}: p95 ${p95.toFixed(2)} ms against ${VERSION_DIFF_TARGET_MS} ms`);
    return [
      { name: "version diff p50", value: p50, unit: "ms", target: { below: VERSION_DIFF_TARGET_MS }, detail: what },
      { name: "version diff p95", value: p95, unit: "ms", target: { below: VERSION_DIFF_TARGET_MS } },
    ] satisfies Figure[];
  },
};
