/**
 * `sod export --format docx` as an administrator runs it, in a process of its own against the demo
 * trust: the Word scheme of delegation of a version, read back with python-docx; wrong options refused.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { engine } from "../support/database";
import { paragraphsOf, readDocx, scratchDir, tablesOf } from "../support/word-documents";

const ROOT = path.resolve(import.meta.dirname, "../..");
const SOD = path.join(ROOT, "app/cli/sod.js");

function sod(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
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
let env: Record<string, string>;
let database: string | null = null;

beforeAll(async () => {
  scratch = scratchDir("sod-export-docx");
  if (engine() === "postgres") {
    database = `sod_docx_${randomBytes(6).toString("hex")}`;
    const admin = postgres(inject("postgresAdminUrl"), { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${database}`);
    await admin.end();
    const url = new URL(inject("postgresAdminUrl"));
    url.pathname = `/${database}`;
    env = { DATABASE_URL: url.toString() };
  } else {
    env = { DATA_DIR: path.join(scratch, "data") };
  }
  const seeded = await sod(["seed"], env);
  expect(seeded.code, seeded.stderr).toBe(0);
}, 120_000);

afterAll(async () => {
  fs.rmSync(scratch, { recursive: true, force: true });
  if (database) {
    const admin = postgres(inject("postgresAdminUrl"), { max: 1, onnotice: () => {} });
    await admin.unsafe(`drop database if exists ${database} with (force)`);
    await admin.end();
  }
});

describe("sod export --format docx", () => {
  it("writes the Word scheme of delegation of a version, with the changes since the version before when asked", async () => {
    const file = path.join(scratch, "north-dales-v2.docx");
    const result = await sod(["export", "--trust", "north-dales", "--version", "2", "--format", "docx", "--changes", "--out", file], env);
    expect(result).toMatchObject({ code: 0, stderr: "" });
    expect(result.stdout.trim()).toBe(`Wrote version 2 (approved) of North Dales Learning Trust's scheme of delegation to ${file}.`);

    const reading = await readDocx(file);
    const text = paragraphsOf(reading).map((p) => p.text);
    expect(text).toContain("Scheme of delegation");
    expect(text).toContain("4. The matrix");
    expect(text).toContain("8. Changes since version 1");
    expect(tablesOf(reading)[0]!.rows).toContainEqual(["Minute reference", "TB/25/07/6"]);
    expect(reading.pictures).toBe(1);
  }, 120_000);

  it("refuses --key, which is for CSV files, and does not overwrite a file unless forced", async () => {
    const file = path.join(scratch, "kept.docx");
    fs.writeFileSync(file, "kept");
    const refused = await sod(["export", "--trust", "north-dales", "--format", "docx", "--out", file], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`${file} already exists. Choose another file, or add --force to overwrite it.`);
    expect(fs.readFileSync(file, "utf8")).toBe("kept");

    const keyed = await sod(["export", "--trust", "north-dales", "--format", "docx", "--key", "x", "--out", path.join(scratch, "keyed.docx")], env);
    expect(keyed.code).toBe(2);
    expect(keyed.stderr).toContain("--key chooses the marks of a CSV file");
  }, 120_000);
});
