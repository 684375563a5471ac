/**
 * `sod export --format html`, run through the command line's own runner on the test's database:
 * the page the trust publishes as one standalone file (its styles inside, no scripts, nothing
 * fetched), with every responsibility of the version and each code under its own column; a draft
 * says so; what people typed is escaped once; wrong options are refused with a message.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db/client";
import { governanceBodies, schemeVersions } from "../../db/schema";
import { seedDemoTrust, type DemoTrust } from "../../db/seed";
import { exportCommand } from "~/cli/commands/export";
import type { Command } from "~/cli/command";
import { runCli } from "~/cli/run";
import { byArea, byTierOrder, cellKey } from "~/domain/scheme";
import { COMMAND_LINE } from "~/models/audit.server";
import { loadScheme } from "~/models/scheme.server";
import { freshDatabase } from "../support/database";

let handle: DatabaseHandle;
let demo: DemoTrust;
let scratch: string;

beforeAll(async () => {
  handle = await freshDatabase();
  demo = await seedDemoTrust(handle.db, COMMAND_LINE);
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), "sod-export-html-"));
});
afterAll(async () => {
  fs.rmSync(scratch, { recursive: true, force: true });
  await handle?.close();
});

async function sod(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const command: Command = { ...exportCommand, run: (a, context) => exportCommand.run(a, { ...context, database: async () => handle.db }) };
  const code = await runCli(["export", ...args], { out: (t) => out.push(t), err: (t) => err.push(t), env: { NODE_ENV: "test" } }, [command]);
  return { code, stdout: out.join("\n"), stderr: err.join("\n") };
}

async function numberOf(id: string): Promise<number> {
  const [row] = await handle.db.select({ number: schemeVersions.number }).from(schemeVersions).where(eq(schemeVersions.id, id));
  return row!.number;
}

const decode = (html: string) =>
  html.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&#x27;/g, "'").replace(/&amp;/g, "&");

/** Each matrix row of the file: its reference and the text of its cells, read from the HTML alone. */
function matrixRows(html: string): Map<string, string[]> {
  const rows = new Map<string, string[]>();
  for (const match of html.matchAll(/<tr><th scope="row" class="public-matrix__row"><span class="public-matrix__ref">([^<]*)<\/span>.*?<\/th>(.*?)<\/tr>/g)) {
    const cells = [...match[2]!.matchAll(/<td[^>]*>([^<]*)<\/td>/g)].map((c) => c[1]!);
    rows.set(decode(match[1]!), cells);
  }
  return rows;
}

describe("sod export --format html", () => {
  it("writes the approved version as the standalone page: its styles inside, no scripts, every row with each code under its column", async () => {
    const number = await numberOf(demo.approvedVersionId);
    const file = path.join(scratch, "approved.html");
    const result = await sod(["--trust", demo.trust.slug, "--version", String(number), "--format", "html", "--out", file]);
    expect(result).toMatchObject({ code: 0, stderr: "" });
    expect(result.stdout).toBe(`Wrote version ${number} (approved) of ${demo.trust.name}'s scheme as a web page to ${file}.`);

    const html = fs.readFileSync(file, "utf8");
    expect(html.startsWith("<!DOCTYPE html>\n<html lang=\"en-GB\">")).toBe(true);
    expect(html).toContain("<style>");
    expect(html).toContain("@media print");
    expect(html).not.toMatch(/<script|<link|src="http|href="\/(?!\/)/i);
    expect(html).toContain(`<title>Scheme of delegation · ${demo.trust.name}</title>`);
    expect(html).toContain("Margaret Kettlewell");
    expect(html).not.toContain("Download the scheme");

    const scheme = await loadScheme(handle.db, demo.trust.id, demo.approvedVersionId);
    const columns = [...scheme.columns].sort(byTierOrder);
    const rows = matrixRows(html);
    expect([...rows.keys()]).toEqual([...scheme.rows].sort(byArea).map((r) => r.ref));
    for (const row of scheme.rows) {
      const expected = columns.map((c) => (row.excludedKinds?.includes(c.kind) ? "—" : (scheme.cells[cellKey(row.id, c.id)]?.code ?? "")));
      expect(rows.get(row.ref), row.ref).toEqual(expected);
    }
    // One table per area, each with its caption and headings scoped to their column or row.
    const areas = new Set(scheme.rows.map((r) => r.area)).size;
    expect(html.match(/<table class="public-matrix">/g)).toHaveLength(areas);
    expect(html.match(/<caption id="area-\d+-caption"/g)).toHaveLength(areas);
    expect(html.match(/<th scope="col" class="public-matrix__head/g)).toHaveLength(areas * columns.length);
  });

  it("writes the latest version by default, the draft, marked as not approved", async () => {
    const file = path.join(scratch, "latest.html");
    const result = await sod(["--trust", demo.trust.slug, "--format", "HTML", "--out", file]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Wrote version ${await numberOf(demo.draftVersionId)} (draft)`);
    expect(result.stdout).toContain("It is a draft, and the page says so");
    expect(fs.readFileSync(file, "utf8")).toContain("<strong>Draft: not approved.</strong>");
  });

  it("escapes what people typed exactly once", async () => {
    const tricky = `Siân "Sally" O'Brien & <Co> 🏫`;
    await handle.db.update(governanceBodies).set({ chairName: tricky }).where(eq(governanceBodies.id, demo.bodies["Board of trustees"]!.id));
    const file = path.join(scratch, "tricky.html");
    expect((await sod(["--trust", demo.trust.slug, "--format", "html", "--out", file])).code).toBe(0);
    const html = fs.readFileSync(file, "utf8");
    expect(html).toContain("Siân &quot;Sally&quot; O&#x27;Brien &amp; &lt;Co&gt; 🏫");
    expect(html).not.toContain("<Co>");
    expect(html).not.toMatch(/&amp;(amp|lt|gt|quot|#x27);/);
    expect(decode(html)).toContain(tricky);
  });

  it("refuses a version the trust does not have, --key and --changes, writing no file", async () => {
    const file = path.join(scratch, "refused.html");
    const missing = await sod(["--trust", demo.trust.slug, "--version", "99", "--format", "html", "--out", file]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe("Version 99 of the scheme was not found.");
    const keyed = await sod(["--trust", demo.trust.slug, "--format", "html", "--key", "trust", "--out", file]);
    expect(keyed.code).toBe(2);
    expect(keyed.stderr).toContain("--key chooses the marks of a CSV file");
    const changes = await sod(["--trust", demo.trust.slug, "--format", "html", "--changes", "--out", file]);
    expect(changes.code).toBe(2);
    expect(changes.stderr).toContain("--changes adds the changes to the Word document");
    expect(fs.existsSync(file)).toBe(false);
  });
});
