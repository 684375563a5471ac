/**
 * The national trust at work, briefly, against the built app on this project's database: people
 * reading the matrix and the reports, editing cells of one draft (meeting one another's saves) and
 * exporting the Word document, with the health check polled throughout. Every request must be
 * answered with its page, its document, a save or a save refused as stale: no error of any kind.
 * The full-size run, with its figures, is `npm run bench -- mixed-load` (and `npm run proof`).
 */
import { describe, expect, inject, it } from "vitest";
import { draftRows } from "../bench/cell-saves";
import { pgliteTarget, postgresTarget } from "../bench/databases";
import { signIn } from "../bench/http";
import { runMixedLoad, type MixedLoadResult } from "../bench/mixed-workload";
import { withNationalTrustServer } from "../bench/national-trust-server";
import { engine } from "../support/database";

const WORKLOAD = { readers: 6, editors: 4, exporters: 1, seconds: 6, warmupSeconds: 2, maxRequests: 20_000 };

const ROUTES = ["Word document", "cell save", "centralisation profile", "checks", "health check", "history", "matrix page", "overview", "schools"];

describe("the national trust at work", () => {
  it("answers every reader, editor and exporter with no error while they work at once", async () => {
    const target = engine() === "postgres" ? await postgresTarget(inject("postgresAdminUrl")) : await pgliteTarget();
    let result: MixedLoadResult | undefined;
    try {
      result = await withNationalTrustServer(target, () => {}, draftRows, async ({ server, trust, cookie, prepared: rows }) => {
        const reader = await signIn(server.url, trust.users.viewer.email, trust.users.viewer.password);
        const ceo = await signIn(server.url, trust.users.ceo.email, trust.users.ceo.password);
        return runMixedLoad({ baseUrl: server.url, trust, cookies: { reader, editors: [cookie, ceo] }, rows, workload: WORKLOAD });
      });
    } finally {
      await target.close();
    }
    expect(result.problems).toEqual([]);
    expect(result.errors).toBe(0);
    expect(result.byRoute.map((r) => r.route)).toEqual(ROUTES);
    for (const route of result.byRoute) expect(route.requests, route.route).toBeGreaterThan(0);
    expect(result.saves.saved).toBeGreaterThan(0);
  }, 300_000);
});
