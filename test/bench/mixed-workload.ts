/**
 * A trust at work, against the built app: people reading the matrix and the reports, people editing
 * cells of the same draft (meeting one another's saves, as they would), people exporting the Word
 * document, and a health check polled throughout, all at once for a fixed time or a number of
 * requests, whichever comes first. Each request is
 * timed under the route it belongs to; an error is anything but the page, the document, a save, or a
 * save refused as stale (409, which the editor answers by taking the newer revision, as the matrix
 * page does).
 */
import type http from "node:http";
import type { NationalTrust } from "../fixtures/national-trust";
import { keepAliveAgent, send, text } from "./http";
import { percentile } from "./load";
import { saveNextCode, type RowState } from "./cell-saves";

export interface MixedWorkload {
  readers: number;
  editors: number;
  exporters: number;
  /** Seconds counted, after `warmupSeconds` not counted. */
  seconds: number;
  warmupSeconds: number;
  /** Requests sent in all, warm-up included: no client starts another after this many. */
  maxRequests: number;
}

/** What people do: 50 reading, 20 editing one draft, 2 exporting (a trust's governance day, compressed). */
export const TRUST_AT_WORK: MixedWorkload = { readers: 50, editors: 20, exporters: 2, seconds: 30, warmupSeconds: 5, maxRequests: 200_000 };

export interface RouteFigures {
  route: string;
  requests: number;
  errors: number;
  p50: number;
  p95: number;
  p99: number;
}

export interface MixedLoadResult {
  seconds: number;
  requests: number;
  errors: number;
  throughput: number;
  byRoute: RouteFigures[];
  saves: { saved: number; conflict: number };
  /** The first few errors, in words. */
  problems: string[];
}

export interface MixedLoadOptions {
  baseUrl: string;
  trust: NationalTrust;
  /** Session cookies: readers and exporters sign in as the trust's viewer, editors as its clerk, CEO and trustee in turn. */
  cookies: { reader: string; editors: string[] };
  /** The draft's rows as the editors first read them (cell-saves' draftRows). */
  rows: RowState[];
  workload: MixedWorkload;
}

/** The pages a reader goes round: the matrix and the reports on it. */
function readerRoutes(slug: string): { route: string; path: string; expect: string }[] {
  const version = `/trusts/${slug}/versions/1`;
  return [
    { route: "matrix page", path: version, expect: "Responsibility" },
    { route: "overview", path: `/trusts/${slug}`, expect: "Schools" },
    { route: "checks", path: `${version}/checks`, expect: "Checks" },
    { route: "centralisation profile", path: `${version}/profile`, expect: "Centralisation" },
    { route: "history", path: `${version}/history`, expect: "History of version 1" },
    { route: "schools", path: `/trusts/${slug}/schools`, expect: "Schools" },
  ];
}

class Timings {
  private readonly latencies = new Map<string, number[]>();
  private readonly errorCounts = new Map<string, number>();
  readonly problems: string[] = [];

  /** Only requests started after the warm-up count: one started cold would carry the start-up into the tail. */
  constructor(private readonly countFrom: number) {}

  counting(started: number): boolean {
    return started >= this.countFrom;
  }

  record(route: string, started: number, ok: boolean, problem?: string) {
    if (!this.counting(started)) return;
    if (ok) {
      const list = this.latencies.get(route) ?? [];
      list.push(performance.now() - started);
      this.latencies.set(route, list);
    } else {
      this.errorCounts.set(route, (this.errorCounts.get(route) ?? 0) + 1);
      if (this.problems.length < 10) this.problems.push(`${route}: ${problem ?? "failed"}`);
    }
  }

  figures(): RouteFigures[] {
    const routes = [...new Set([...this.latencies.keys(), ...this.errorCounts.keys()])].sort();
    return routes.map((route) => {
      const sorted = [...(this.latencies.get(route) ?? [])].sort((a, b) => a - b);
      const errors = this.errorCounts.get(route) ?? 0;
      return { route, requests: sorted.length + errors, errors, p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99) };
    });
  }
}

/** A GET that must answer 200 with `expect` in it (HTML) or a Word file (PK, the ZIP signature). */
async function read(url: string, cookie: string | null, agent: http.Agent, expect: string | "docx" | "ok"): Promise<{ ok: boolean; problem?: string }> {
  try {
    const reply = await send(url, { headers: { ...(cookie ? { cookie } : {}), "accept-encoding": "gzip" }, agent, timeoutMs: 60_000 });
    if (reply.status !== 200) return { ok: false, problem: `status ${reply.status}` };
    if (expect === "docx") return reply.body.subarray(0, 2).toString("latin1") === "PK" ? { ok: true } : { ok: false, problem: "not a Word file" };
    if (expect === "ok") return { ok: true };
    return text(reply).includes(expect) ? { ok: true } : { ok: false, problem: `the page lacks "${expect}"` };
  } catch (error) {
    return { ok: false, problem: error instanceof Error ? error.message : String(error) };
  }
}

/** Runs the workload and returns what every route answered, and how fast. */
export async function runMixedLoad(options: MixedLoadOptions): Promise<MixedLoadResult> {
  const { baseUrl, trust, cookies, workload } = options;
  const started = performance.now();
  const countFrom = started + workload.warmupSeconds * 1000;
  const timings = new Timings(countFrom);
  const saves = { saved: 0, conflict: 0 };
  const routes = readerRoutes(trust.slug);
  const clients = workload.readers + workload.editors + workload.exporters + 1;
  const agent = keepAliveAgent(clients);
  const stopAt = countFrom + workload.seconds * 1000;
  let sent = 0;
  const going = () => performance.now() < stopAt && sent++ < workload.maxRequests;

  const reader = async (index: number) => {
    // Each reader starts at a different page, so that every page is asked for from the first second.
    for (let turn = index; going(); turn++) {
      const page = routes[turn % routes.length]!;
      const t = performance.now();
      const { ok, problem } = await read(baseUrl + page.path, cookies.reader, agent, page.expect);
      timings.record(page.route, t, ok, problem);
    }
  };
  const editor = async (index: number) => {
    // Editors share the draft's rows: each keeps its own idea of the revisions, and meets the others' saves.
    const own = options.rows.map((row) => ({ ...row, cells: row.cells.map((cell) => ({ ...cell })) }));
    const cookie = cookies.editors[index % cookies.editors.length]!;
    for (let turn = index * 7; going(); turn += 3) {
      const t = performance.now();
      const { answer, problem } = await saveNextCode(`${baseUrl}/trusts/${trust.slug}/versions/1/cells`, cookie, own[turn % own.length]!, agent);
      const ok = answer === "saved" || answer === "conflict";
      timings.record("cell save", t, ok, problem ?? (ok ? undefined : answer));
      if (timings.counting(t) && ok) saves[answer]++;
    }
  };
  const exporter = async () => {
    while (going()) {
      const t = performance.now();
      const { ok, problem } = await read(`${baseUrl}/trusts/${trust.slug}/versions/1.docx`, cookies.reader, agent, "docx");
      timings.record("Word document", t, ok, problem);
    }
  };
  const healthCheck = async () => {
    while (going()) {
      const t = performance.now();
      const { ok, problem } = await read(`${baseUrl}/healthcheck`, null, agent, "ok");
      timings.record("health check", t, ok, problem);
    }
  };

  await Promise.all([
    ...Array.from({ length: workload.readers }, (_, i) => reader(i)),
    ...Array.from({ length: workload.editors }, (_, i) => editor(i)),
    ...Array.from({ length: workload.exporters }, () => exporter()),
    healthCheck(),
  ]);
  agent.destroy();
  const seconds = (performance.now() - countFrom) / 1000;
  const byRoute = timings.figures();
  const requests = byRoute.reduce((sum, r) => sum + r.requests, 0);
  const errors = byRoute.reduce((sum, r) => sum + r.errors, 0);
  return { seconds, requests, errors, throughput: requests / seconds, byRoute, saves, problems: timings.problems };
}
