/**
 * School packs from the command line, as an administrator runs it (separate processes against an
 * embedded data directory, or a database of the test server): `sod export-packs` prints its progress
 * at least every tenth of the way and writes the ZIP, recording the export like the web page's, and
 * `sod export --format docx --school URN` writes one school's pack. The files are read back by
 * Python's zipfile and python-docx.
 */
import { execFile, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { eq } from "drizzle-orm";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it, inject } from "vitest";
import { openDatabase, type DatabaseConfig } from "../../db/client";
import { jobs } from "../../db/schema";
import { engine } from "../support/database";
import { readDocx, scratchDir, tablesOf } from "../support/word-documents";

const ROOT = path.resolve(import.meta.dirname, "../..");
const SOD = path.join(ROOT, "app/cli/sod.js");
const run = promisify(execFile);

type Env = Record<string, string>;

function sod(args: string[], env: Env): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const { DATABASE_URL: _server, DATA_DIR: _dir, ...inherited } = process.env;
    const child = spawn(process.execPath, [SOD, ...args], { cwd: ROOT, env: { ...inherited, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

let scratch: string;
let env: Env;
let config: DatabaseConfig;
let database: string | null = null;

beforeAll(async () => {
  scratch = scratchDir("sod-packs-cli");
  if (engine() === "postgres") {
    const adminUrl = inject("postgresAdminUrl");
    database = `sod_packs_${randomBytes(6).toString("hex")}`;
    const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${database}`);
    await admin.end();
    const url = new URL(adminUrl);
    url.pathname = `/${database}`;
    env = { DATABASE_URL: url.toString() };
    config = { kind: "postgres", url: url.toString(), maxConnections: 1 };
  } else {
    env = { DATA_DIR: path.join(scratch, "data") };
    config = { kind: "pglite", dataDir: path.join(scratch, "data") };
  }
  const seeded = await sod(["seed"], env);
  expect(seeded.code, seeded.stderr).toBe(0);
});

afterAll(async () => {
  fs.rmSync(scratch, { recursive: true, force: true });
  if (database) {
    const admin = postgres(inject("postgresAdminUrl"), { max: 1, onnotice: () => {} });
    await admin.unsafe(`drop database if exists ${database} with (force)`);
    await admin.end();
  }
});

describe("sod export-packs", () => {
  it("prints its progress at least every tenth of the way, writes one pack per school to the ZIP and records the export", async () => {
    const out = path.join(scratch, "packs.zip");
    const result = await sod(["export-packs", "--trust", "north-dales", "--out", out], env);
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.trim().split("\n");
    const progress = lines.filter((l) => l.startsWith("Packs: ")).map((l) => /^Packs: (\d+)\/(\d+) \((\d+) %\)$/.exec(l)!);
    expect(progress.length).toBeGreaterThan(0);
    const done = progress.map((m) => Number(m[1]));
    const total = Number(progress[0]![2]);
    expect(total).toBe(15);
    expect(done[0]).toBe(0);
    expect(done.at(-1)).toBe(total);
    expect(progress.at(-1)![3]).toBe("100");
    for (let i = 1; i < done.length; i++) {
      expect(done[i]!, "progress only goes up").toBeGreaterThan(done[i - 1]!);
      expect((done[i]! - done[i - 1]!) / total, "no gap wider than a tenth").toBeLessThanOrEqual(0.1 + 1 / total);
    }
    expect(lines.at(-1)).toBe(`Wrote 15 school packs of version 3 (draft) of North Dales Learning Trust to ${out}.`);

    const { stdout } = await run("/usr/bin/python3", [path.join(ROOT, "test/support/read-zip.py"), out]);
    const zip = JSON.parse(stdout) as { entries: { name: string }[]; intact: boolean };
    expect(zip.intact).toBe(true);
    expect(zip.entries).toHaveLength(15);
    expect(zip.entries.map((e) => e.name)).toContain("146318-devils-arrows-primary-school.docx");

    // Recorded like an export started on the web page, so the version's school packs page shows it.
    const handle = await openDatabase(config);
    try {
      const recorded = await handle.db.select().from(jobs).where(eq(jobs.kind, "school-packs"));
      expect(recorded).toEqual([expect.objectContaining({ status: "done", progress: 15, total: 15, createdBy: null, attempts: 1 })]);
    } finally {
      await handle.close();
    }
  });

  it("refuses to overwrite a file unless forced, and a version the trust does not have", async () => {
    const out = path.join(scratch, "keep.zip");
    fs.writeFileSync(out, "precious");
    const refused = await sod(["export-packs", "--trust", "north-dales", "--out", out], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`${out} already exists. Choose another file, or add --force to overwrite it.`);
    expect(fs.readFileSync(out, "utf8")).toBe("precious");
    const missing = await sod(["export-packs", "--trust", "north-dales", "--version", "9", "--out", path.join(scratch, "none.zip")], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("North Dales Learning Trust has no version 9.");
  });
});

describe("sod export --format docx --school URN", () => {
  it("writes one school's pack, its tier's variant under the right column", async () => {
    const out = path.join(scratch, "devils-arrows.docx");
    const result = await sod(["export", "--trust", "north-dales", "--version", "3", "--format", "docx", "--school", "146318", "--out", out], env);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.trim()).toBe(
      `Wrote the pack of Devil's Arrows Primary School (URN 146318) from version 3 (draft) of North Dales Learning Trust's scheme to ${out}.`,
    );
    const reading = await readDocx(out);
    expect(reading.title).toBe("Devil's Arrows Primary School: scheme of delegation");
    const matrix = tablesOf(reading).filter((t) => t.rows[0]?.[0] === "Ref" && t.rows[0]?.[2] !== "Body");
    // 1.1 is one of the rows the intervention tier's variant gives to the CEO (db/seed-autonomy.ts).
    const first = matrix[0]!;
    const ceo = first.rows[0]!.indexOf("CEO");
    expect(first.rows.find((r) => r[0] === "1.1")![ceo]).toBe("D T");
  });

  it("says which school it could not find, and that --school needs the Word format", async () => {
    const missing = await sod(["export", "--trust", "north-dales", "--format", "docx", "--school", "999999", "--out", path.join(scratch, "x.docx")], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("The school with URN 999999 was not found.");
    const csv = await sod(["export", "--trust", "north-dales", "--format", "csv", "--school", "146318", "--out", path.join(scratch, "x.csv")], env);
    expect(csv.code).toBe(2);
    expect(csv.stderr).toContain("--school writes a school's pack, a Word document: use it with --format docx.");
  });
});
