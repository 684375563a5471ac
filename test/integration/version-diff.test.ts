/**
 * The difference between two versions of the demo trust's scheme, as the model, the page and
 * `sod diff` give it: the approved version 2 against the CEO's draft (its revisions and tier
 * variants), the approved version against the superseded version 1 it was started from, a column
 * renamed in the live structure, and the refusals with their messages.
 */
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db/client";
import { governanceBodies } from "../../db/schema";
import { DEMO_USERS, seedDemoTrust, type DemoTrust } from "../../db/seed";
import { DEMO_APPROVED_SCHEME, DEMO_FIRST_SCHEME_DIFFERENCES, type DemoColumn } from "../../db/seed-scheme";
import type { Command } from "~/cli/command";
import { diffCommand } from "~/cli/commands/diff";
import { runCli } from "~/cli/run";
import type { Role } from "~/domain/roles";
import { applyDiff, diffCounts } from "~/domain/version-diff";
import { COMMAND_LINE } from "~/models/audit.server";
import { listVersions, loadScheme, type VersionRecord } from "~/models/scheme.server";
import { loadVersionDiff } from "~/models/version-diff.server";
import * as diffRoute from "~/routes/trusts.$slug.versions.$number.diff";
import { today } from "~/clock.server";
import { freshDatabase } from "../support/database";
import { call, getRequest, sessionCookie } from "../support/requests";

type DiffPage = Awaited<ReturnType<typeof diffRoute.loader>>["data"];

const TODAY = today();
let handle: DatabaseHandle;
let demo: DemoTrust;
let superseded: VersionRecord;
let approved: VersionRecord;
let draft: VersionRecord;
const cookies = {} as Record<Role, string>;

beforeAll(async () => {
  handle = await freshDatabase();
  demo = await seedDemoTrust(handle.db, COMMAND_LINE, TODAY);
  for (const person of DEMO_USERS) cookies[person.role] = await sessionCookie(person.email, person.password);
  const versions = await listVersions(handle.db, demo.trust.id);
  superseded = versions.find((v) => v.id === demo.supersededVersionId)!;
  approved = versions.find((v) => v.id === demo.approvedVersionId)!;
  draft = versions.find((v) => v.id === demo.draftVersionId)!;
  // A column renamed since the approval: the approved version keeps its frozen name, the draft reads the new one.
  await handle.db
    .update(governanceBodies)
    .set({ name: "Trust board" })
    .where(and(eq(governanceBodies.trustId, demo.trust.id), eq(governanceBodies.id, demo.bodies["Board of trustees"]!.id)));
});
afterAll(() => handle?.close());

/** Runs `sod diff …` through the command line's own runner, on the test's database. */
async function sod(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const command: Command = { ...diffCommand, run: (a, context) => diffCommand.run(a, { ...context, database: async () => handle.db }) };
  const code = await runCli(["diff", ...args], { out: (t) => out.push(t), err: (t) => err.push(t), env: { NODE_ENV: "test" } }, [command]);
  return { code, stdout: out.join("\n"), stderr: err.join("\n") };
}

describe("the difference between the approved version and the draft", () => {
  it("compares the draft with the version it was started from, and applying it gives the draft", async () => {
    const { from, to, diff } = await loadVersionDiff(handle.db, demo.trust.id, { to: draft.number }, TODAY);
    expect([from.number, to.number]).toEqual([approved.number, draft.number]);
    const counts = diffCounts(diff);
    expect(counts.cellsChanged).toBeGreaterThan(0);
    expect(counts.tierVariantsChanged).toBeGreaterThan(0);
    expect(diff.structure.columns.changed.map((c) => [c.before.name, c.after.name])).toContainEqual(["Board of trustees", "Trust board"]);

    const older = await loadScheme(handle.db, demo.trust.id, approved.id);
    const newer = await loadScheme(handle.db, demo.trust.id, draft.id);
    const applied = applyDiff(older, diff);
    const sorted = <T extends { id: string }>(xs: T[]) => [...xs].sort((a, b) => a.id.localeCompare(b.id));
    expect(sorted(applied.rows)).toEqual(sorted(newer.rows));
    expect(sorted(applied.columns)).toEqual(sorted(newer.columns));
    expect(applied.cells).toEqual(newer.cells);
    const nonEmpty = (layers: Record<string, Record<string, unknown> | undefined>) =>
      Object.fromEntries(Object.entries(layers).filter(([, l]) => l && Object.keys(l).length > 0));
    expect(nonEmpty(applied.tierCells)).toEqual(nonEmpty(newer.tierCells));
    expect(nonEmpty(applied.schoolCells)).toEqual(nonEmpty(newer.schoolCells));
  });

  it("groups the changed cells by area, in the research's order", async () => {
    const { diff } = await loadVersionDiff(handle.db, demo.trust.id, { from: approved.number, to: draft.number }, TODAY);
    const areas = diff.cells.map((a) => a.area);
    expect(areas).toEqual([...areas].sort((a, b) => (a === 0 ? 99 : a) - (b === 0 ? 99 : b)));
    for (const a of diff.cells) for (const c of a.changes) expect(c.ref).not.toBe("");
  });

  it("refuses a version the trust does not have, the same version twice, and a first version with nothing before it", async () => {
    await expect(loadVersionDiff(handle.db, demo.trust.id, { to: 99 })).rejects.toThrow("Version 99 of the scheme was not found.");
    await expect(loadVersionDiff(handle.db, demo.trust.id, { to: draft.number, from: draft.number })).rejects.toThrow(/two different versions/);
    await expect(loadVersionDiff(handle.db, demo.trust.id, { to: superseded.number })).rejects.toThrow(/nothing to compare it with/);
  });

  it("compares the approved version with the superseded one it was started from: the 2025 review's cells", async () => {
    const { from, to, diff } = await loadVersionDiff(handle.db, demo.trust.id, { to: approved.number }, TODAY);
    expect([from.number, to.number]).toEqual([superseded.number, approved.number]);
    expect([from.status, to.status]).toEqual(["superseded", "approved"]);
    const keys = new Map((await loadScheme(handle.db, demo.trust.id, approved.id)).rows.map((r) => [r.id, r.catalogueKey]));
    const changed = diff.cells.flatMap((a) => a.changes.map((c) => [`${keys.get(c.rowId)} / ${c.column}`, c.kind, c.from?.code, c.to?.code]));
    const expected = DEMO_FIRST_SCHEME_DIFFERENCES.flatMap(({ key, codes }) =>
      Object.entries(codes).map(([column, code]) => [`${key} / ${column}`, "changed", code, DEMO_APPROVED_SCHEME[key]![column as DemoColumn]]),
    );
    expect(expected).toHaveLength(5);
    expect(changed.sort()).toEqual(expected.sort());
    expect(diffCounts(diff).cellsChanged).toBe(expected.length);
    // Both versions froze the structure with the name the board had then.
    expect(diff.structure.columns.changed).toEqual([]);
  });
});

describe("the page", () => {
  const url = (number: number, query = "") => `/trusts/${demo.trust.slug}/versions/${number}/diff${query}`;
  const open = (role: Role, number: number, query = "") =>
    call(diffRoute.loader, getRequest(url(number, query), cookies[role]), { slug: demo.trust.slug, number: String(number) });

  it("is open to everyone in the trust, with the counts and the changes in words", async () => {
    for (const role of DEMO_USERS.map((u) => u.role)) {
      const answer = await open(role, draft.number);
      expect(answer.status, role).toBe(200);
      const page = answer.data as DiffPage;
      expect(page.from?.number).toBe(approved.number);
      expect(page.diff!.counts.cellsChanged).toBeGreaterThan(0);
      expect(page.diff!.areas.flatMap((a) => a.changes.map((c) => c.change)).every((w) => /→|note changed/.test(w))).toBe(true);
      expect(page.diff!.structure).toContainEqual({ what: "Matrix column", name: "Trust board", change: "renamed from “Board of trustees” to “Trust board”" });
      expect(page.diff!.tiers.length).toBeGreaterThan(0);
    }
  });

  it("compares the other way round with ?from", async () => {
    const page = (await open("viewer", approved.number, `?from=${draft.number}`)).data as DiffPage;
    expect([page.from?.number, page.to.number]).toEqual([draft.number, approved.number]);
    expect(page.diff!.structure).toContainEqual({ what: "Matrix column", name: "Board of trustees", change: "renamed from “Trust board” to “Board of trustees”" });
  });

  it("explains what it cannot compare, and answers a version that does not exist with not found", async () => {
    const first = await open("viewer", superseded.number);
    expect(first.status).toBe(200);
    expect((first.data as DiffPage).problem).toMatch(/nothing to compare it with/);
    expect((first.data as DiffPage).choices.map((c) => c.number)).toContain(draft.number);
    const bad = await open("viewer", draft.number, "?from=first");
    expect(bad.status).toBe(400);
    expect((bad.data as DiffPage).problem).toMatch(/not a version number/);
    const missing = await open("viewer", draft.number, "?from=42");
    expect(missing.status).toBe(404);
    expect((missing.data as DiffPage).problem).toMatch(/no version 42/);
    expect((await open("viewer", 42)).status).toBe(404);
  });

  it("is not found for someone outside the trust", async () => {
    const answer = await call(diffRoute.loader, getRequest(url(draft.number)), { slug: demo.trust.slug, number: String(draft.number) });
    expect([302, 303, 401, 404]).toContain(answer.status);
  });
});

describe("sod diff", () => {
  it("lists the changes section by section with a total", async () => {
    const { code, stdout } = await sod(["--trust", demo.trust.slug, "--from", String(approved.number), "--to", String(draft.number)]);
    expect(code).toBe(0);
    expect(stdout).toContain(`Changes from version ${approved.number} (approved) to version ${draft.number} (draft)`);
    expect(stdout).toContain("Cells, by area:");
    expect(stdout).toContain("Tier variants:");
    expect(stdout).toContain("column changed  Trust board: renamed from “Board of trustees” to “Trust board”");
    expect(stdout).toMatch(/\d+ cells?, \d+ tier variants? and \d+ school variations? changed/);
  });

  it("prints JSON for scripts, defaulting --from to the version the draft was started from", async () => {
    const { code, stdout } = await sod(["--trust", demo.trust.slug, "--to", String(draft.number), "--json"]);
    expect(code).toBe(0);
    const output = JSON.parse(stdout);
    expect(output.from).toEqual({ number: approved.number, status: "approved" });
    expect(output.to).toEqual({ number: draft.number, status: "draft" });
    expect(output.counts.cellsChanged).toBe(output.cells.reduce((n: number, a: { changes: unknown[] }) => n + a.changes.length, 0));
    expect(output.findings).toHaveProperty("appeared");
  });

  it("refuses with a message and exit code 1 or 2", async () => {
    const unknown = await sod(["--trust", "no-such-trust", "--to", "2"]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('There is no trust with the short name "no-such-trust"');
    const missing = await sod(["--trust", demo.trust.slug, "--from", "1", "--to", "9"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("Version 9 of the scheme was not found.");
    const same = await sod(["--trust", demo.trust.slug, "--from", "2", "--to", "2"]);
    expect(same.code).toBe(1);
    expect(same.stderr).toContain("two different versions");
    const usage = await sod(["--trust", demo.trust.slug, "--to", "two"]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('--to takes a version\'s number, e.g. 2 (not "two")');
  });
});
