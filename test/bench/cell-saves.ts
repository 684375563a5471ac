/**
 * Saving cells of the national trust's draft from the matrix editor (POST /trusts/<slug>/versions/1/cells)
 * by concurrent savers, each on rows of its own so that no save meets another's: throughput, latency
 * percentiles, and what the server answered (saved, conflict, refused, anything else).
 */
import type http from "node:http";
import type { Database } from "../../db/client";
import type { NationalTrust } from "../fixtures/national-trust";
import { permittedCodes, cellKey, type SchemeRow } from "~/domain/scheme";
import type { DecisionCode } from "~/domain/codes";
import { loadMatrix } from "~/models/matrix.server";
import { send, text } from "./http";
import { runClients } from "./load";
import { withNationalTrustServer } from "./national-trust-server";
import type { Benchmark, Figure } from "./types";

const SAVERS = Number(process.env.BENCH_CONCURRENCY ?? 20);
const SAVES = Number(process.env.BENCH_REQUESTS ?? 1000);
const WARMUP = Math.min(200, Math.ceil(SAVES / 5));
const SINGLE_SAVES = 50;
const TIME_LIMIT_MS = 180_000;

export const CELL_SAVE_P95_TARGET_MS = 100;

/** The codes a saver writes: everything but D (one decider per row) and — (a closed cell). */
const EVERYDAY_CODES: readonly DecisionCode[] = ["R", "C", "A", "E", "M", "I"];

/** One row as a saver sees it: the revision it last read, and the cells it may put an everyday code in. */
export interface RowState {
  id: string;
  revision: number;
  cells: { columnId: string; codes: DecisionCode[]; code: DecisionCode | null }[];
  nextCell: number;
}

type Answer = "saved" | "conflict" | "refused" | "other";

/** The draft's rows as the editor reads them, with the columns each row's constraints leave open to everyday codes. */
export async function draftRows(db: Database, trust: NationalTrust): Promise<RowState[]> {
  const matrix = await loadMatrix(db, trust.trustId, trust.versionId);
  const editable = (row: SchemeRow) =>
    matrix.columns
      .map((column) => ({
        columnId: column.id,
        codes: permittedCodes(row, column.kind).filter((code) => EVERYDAY_CODES.includes(code)),
        code: matrix.cells[cellKey(row.id, column.id)]?.code ?? null,
      }))
      // A row's D and its closed cells stay as they are: the savers change the everyday cells around them.
      .filter((cell) => cell.codes.length > 1 && cell.code !== "D" && cell.code !== "—");
  const rows = matrix.rows.map((row) => ({ id: row.id, revision: matrix.rowRevisions[row.id] ?? 0, cells: editable(row), nextCell: 0 }));
  if (rows.some((row) => row.cells.length === 0)) throw new Error("A row of the national trust has no cell open to everyday codes.");
  return rows;
}

/**
 * Saves the row's next cell with the following code the row allows there, as the editor does, and
 * keeps the row's revision as the server answered it.
 */
export async function saveNextCode(url: string, cookie: string, row: RowState, agent: http.Agent): Promise<{ answer: Answer; problem?: string }> {
  const cell = row.cells[row.nextCell++ % row.cells.length]!;
  const code = cell.codes[(cell.codes.indexOf(cell.code as DecisionCode) + 1) % cell.codes.length]!;
  const body = new URLSearchParams({ rowId: row.id, columnId: cell.columnId, code, revision: String(row.revision) }).toString();
  const headers = { cookie, "content-type": "application/x-www-form-urlencoded", "accept-encoding": "gzip" };
  try {
    const reply = await send(url, { method: "POST", headers, body, agent, timeoutMs: 30_000 });
    const json = reply.headers["content-type"]?.includes("application/json") ? (JSON.parse(text(reply)) as { status?: string; revision?: number; message?: string }) : {};
    if (reply.status === 200 && json.status === "saved" && typeof json.revision === "number") {
      row.revision = json.revision;
      cell.code = code;
      return { answer: "saved" };
    }
    if (reply.status === 409 && json.status === "conflict") {
      if (typeof json.revision === "number") row.revision = json.revision;
      return { answer: "conflict" };
    }
    if (reply.status === 400 && json.status === "refused") return { answer: "refused", problem: json.message ?? "refused without a reason" };
    return { answer: "other", problem: `status ${reply.status}` };
  } catch (error) {
    return { answer: "other", problem: error instanceof Error ? error.message : String(error) };
  }
}

/** Each saver's own rows: every SAVERS-th row, so that no two savers ever touch one row. */
function shareRows(rows: RowState[], savers: number): RowState[][] {
  return Array.from({ length: savers }, (_, saver) => rows.filter((_, index) => index % savers === saver));
}

export const cellSaves: Benchmark = {
  name: "cell-saves",
  summary: `POST /trusts/<slug>/versions/1/cells by ${SAVERS} concurrent savers, each on its own rows`,
  run: (target, log) =>
    withNationalTrustServer(target, log, draftRows, async ({ cookie, prepared: rows, matrixUrl }) => {
      if (rows.length < SAVERS) throw new Error(`${SAVERS} savers need at least as many rows; the draft has ${rows.length}.`);
      const url = `${matrixUrl}/cells`;
      const counts: Record<Answer, number> = { saved: 0, conflict: 0, refused: 0, other: 0 };
      const problems: string[] = [];
      const turns: number[] = [];

      const save = async (own: RowState[], saver: number, agent: http.Agent): Promise<boolean> => {
        const turn = turns[saver] ?? 0;
        turns[saver] = turn + 1;
        const { answer, problem } = await saveNextCode(url, cookie, own[turn % own.length]!, agent);
        if (problem) problems.push(problem);
        counts[answer]++;
        return answer === "saved";
      };
      const savers = shareRows(rows, SAVERS);
      const load = (concurrency: number, requests: number) =>
        runClients({ concurrency, requests, warmup: 0, timeLimitMs: TIME_LIMIT_MS, request: (saver, agent) => save(savers[saver]!, saver, agent) });

      // One saver first: the time the server spends on one save, before any queueing.
      await load(1, 10);
      const alone = await load(1, SINGLE_SAVES);
      await load(SAVERS, WARMUP);
      for (const answer of Object.keys(counts) as Answer[]) counts[answer] = 0;
      problems.length = 0;
      const result = await load(SAVERS, SAVES);
      log(`answers: ${counts.saved} saved, ${counts.conflict} conflicts, ${counts.refused} refused, ${counts.other} other`);

      const detail = `${result.requests} saves after ${WARMUP} warm-up, ${SAVERS} savers on ${Math.floor(rows.length / SAVERS)} or more rows each${result.timedOut ? `, stopped by the ${TIME_LIMIT_MS / 1000} s limit` : ""}`;
      const p95Target = target.engine === "postgres" ? { below: CELL_SAVE_P95_TARGET_MS } : undefined;
      return [
        { name: "cell save p50, one saver", value: alone.p50, unit: "ms", detail: `${alone.requests} saves one after another` },
        { name: "cell save throughput", value: result.throughput, unit: "saves/s", detail },
        { name: "cell save p50", value: result.p50, unit: "ms" },
        { name: "cell save p95", value: result.p95, unit: "ms", target: p95Target },
        { name: "cell save p99", value: result.p99, unit: "ms" },
        { name: "cell save errors", value: result.errors, unit: "", target: { atMost: 0 }, detail: problems.length > 0 ? `first: ${problems[0]}` : undefined },
        { name: "cell saves saved", value: counts.saved, unit: "" },
        { name: "cell save conflicts", value: counts.conflict, unit: "", target: { atMost: 0 }, detail: "each saver has rows of its own, so any conflict is an error" },
        { name: "cell save refusals", value: counts.refused, unit: "", target: { atMost: 0 } },
        { name: "cell save other answers", value: counts.other, unit: "", target: { atMost: 0 } },
      ] satisfies Figure[];
    }),
};
