/**
 * The `sod` command line as an administrator runs it: separate processes against an embedded data
 * directory (integration-pglite) or a database of the test server (integration-postgres).
 * Each start of the command opens the database (seconds for PGlite), so the tests share databases.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it, inject } from "vitest";
import { openDatabase } from "../../db/client";
import type { TrustBackup } from "~/models/backup.server";
import { engine } from "../support/database";

const ROOT = path.resolve(import.meta.dirname, "../..");
const SOD = path.join(ROOT, "app/cli/sod.js");

type Env = Record<string, string>;

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

function sod(args: string[], env: Env): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const { DATABASE_URL: _server, DATA_DIR: _dir, SOD_PASSWORD: _password, ...inherited } = process.env;
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
let source: Env;
let target: Env;
const databases: string[] = [];

async function serverDatabase(): Promise<Env> {
  const adminUrl = inject("postgresAdminUrl");
  const name = `sod_cli_${randomBytes(6).toString("hex")}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  databases.push(name);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return { DATABASE_URL: url.toString() };
}

beforeAll(async () => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), "sod-cli-"));
  if (engine() === "postgres") {
    source = await serverDatabase();
    target = await serverDatabase();
  } else {
    source = { DATA_DIR: path.join(scratch, "source") };
    target = { DATA_DIR: path.join(scratch, "target") };
  }
});

afterAll(async () => {
  fs.rmSync(scratch, { recursive: true, force: true });
  if (databases.length > 0) {
    const admin = postgres(inject("postgresAdminUrl"), { max: 1, onnotice: () => {} });
    for (const name of databases) await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
});

describe("sod, the administrator's command line", () => {
  it("creates a trust and lists it, also as JSON", async () => {
    const created = await sod(["trust", "create", "--name", "Ymddiriedolaeth Gŵyr & Dyffryn", "--slug", "gwyr"], source);
    expect(created).toMatchObject({ code: 0, stderr: "" });
    expect(created.stdout).toContain("Created the trust Ymddiriedolaeth Gŵyr & Dyffryn (short name gwyr).");

    const listed = await sod(["trust", "list", "--json"], source);
    expect(listed.code).toBe(0);
    const trusts = JSON.parse(listed.stdout) as { slug: string; name: string; schools: number }[];
    expect(trusts).toEqual([expect.objectContaining({ slug: "gwyr", name: "Ymddiriedolaeth Gŵyr & Dyffryn", schools: 0 })]);
  });

  it("adds a person to a trust, creating their account, and refuses an unknown role as a usage error", async () => {
    const added = await sod(
      ["user", "add", "--trust", "gwyr", "--email", "Clerc@Example.org", "--role", "clerk", "--name", "Siân Ŵyn"],
      { ...source, SOD_PASSWORD: "a long enough password" },
    );
    expect(added.stdout).toContain("Created an account for Siân Ŵyn (clerc@example.org) and added them to Ymddiriedolaeth Gŵyr & Dyffryn as Clerk");
    expect(added.code).toBe(0);

    const badRole = await sod(["user", "add", "--trust", "gwyr", "--email", "x@example.org", "--role", "owner"], source);
    expect(badRole.code).toBe(2);
    expect(badRole.stderr).toContain('The role must be one of ceo, clerk, trustee, viewer, not "owner".');
    expect(badRole.stderr).toContain("Usage: sod user add --trust SLUG --email EMAIL --role ROLE");
  });

  it("refuses a short name that breaks the rule, saying what the rule is", async () => {
    const refused = await sod(["trust", "create", "--name", "Bad", "--slug", "Not A Slug"], source);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("The short name must be 1–64 lower-case letters");
    expect(refused.stderr).not.toMatch(/\n\s+at /);
  });

  it("backs a trust up and restores it into an empty database, refusing to overwrite it unless told to", async () => {
    const first = path.join(scratch, "gwyr.json");
    const saved = await sod(["backup", "--trust", "gwyr", "--out", first], source);
    expect(saved.code).toBe(0);
    expect(saved.stdout).toContain(`Saved Ymddiriedolaeth Gŵyr & Dyffryn to ${first}`);
    const original = JSON.parse(fs.readFileSync(first, "utf8")) as TrustBackup;
    expect(original.users.map((u) => u.email)).toEqual(["clerc@example.org"]);

    const restored = await sod(["restore", first], target);
    expect(restored.code).toBe(0);
    expect(restored.stdout).toContain("Restored Ymddiriedolaeth Gŵyr & Dyffryn (short name gwyr)");
    expect(restored.stdout).toContain("Accounts: 1 created, 0 already here");

    const second = path.join(scratch, "gwyr-again.json");
    expect((await sod(["backup", "--trust", "gwyr", "--out", second], target)).code).toBe(0);
    const again = JSON.parse(fs.readFileSync(second, "utf8")) as TrustBackup;
    expect({ ...again, exportedAt: null }).toEqual({ ...original, exportedAt: null });

    const refused = await sod(["restore", first], target);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('There is already a trust "Ymddiriedolaeth Gŵyr & Dyffryn" (short name "gwyr") here.');
    const replaced = await sod(["restore", first, "--replace"], target);
    expect(replaced.code).toBe(0);
    expect(replaced.stdout).toContain("replacing Ymddiriedolaeth Gŵyr & Dyffryn (gwyr)");
  });

  it("does not overwrite an existing backup file unless forced", async () => {
    const file = path.join(scratch, "keep.json");
    fs.writeFileSync(file, "precious");
    const refused = await sod(["backup", "--trust", "gwyr", "--out", file], source);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("already exists");
    expect(fs.readFileSync(file, "utf8")).toBe("precious");
  });

  it("reports a missing file, a file that is not JSON with its line, and a malformed backup with the field", async () => {
    const broken = path.join(scratch, "broken.json");
    fs.writeFileSync(broken, '{\n  "format": "scheme-of-delegation-backup",\n  "formatVersion": 1,\n  "trust": {,\n}\n');
    const malformed = path.join(scratch, "malformed.json");
    const doc = JSON.parse(fs.readFileSync(path.join(scratch, "gwyr.json"), "utf8")) as Record<string, any>;
    doc.memberships[0].role = "owner";
    fs.writeFileSync(malformed, JSON.stringify(doc));
    // The file is checked before the database is opened, so these can run side by side.
    const [missing, notJson, refused] = await Promise.all([
      sod(["restore", path.join(scratch, "nowhere.json")], target),
      sod(["restore", broken], target),
      sod(["restore", malformed], target),
    ]);

    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("nowhere.json does not exist.");
    expect(notJson.code).toBe(1);
    expect(notJson.stderr).toContain(`${broken} is not valid JSON: line 4, column 13: expected a field name in double quotes.`);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("memberships[0].role: expected one of ceo, clerk, trustee, viewer");
  });

  it("answers a wrong command line with exit code 2 and the usage, and --help with the options", async () => {
    const [unknown, missing, unknownOption, help] = await Promise.all([
      sod(["trust", "delete"], source),
      sod(["trust", "create", "--name", "No slug"], source),
      sod(["trust", "list", "--colour"], source),
      sod(["backup", "--help"], source),
    ]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('"sod trust" needs one of: create, list.');

    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("Missing --slug SLUG.");
    expect(missing.stderr).toContain("Usage: sod trust create --name NAME --slug SLUG");

    expect(unknownOption.code).toBe(2);
    expect(unknownOption.stderr).toContain("Unknown option --colour.");

    expect(help.code).toBe(0);
    expect(help.stdout).toContain("--out FILE");
  });

  it("refuses to create an account without a password when there is no terminal to ask on", async () => {
    const refused = await sod(["admin", "create", "--email", "it@example.org", "--name", "IT"], source);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("A password is needed for it@example.org");
  });

  it("imports schools' performance records from CSV once, and refuses a bad file with exit code 1", async () => {
    const env = engine() === "postgres" ? await serverDatabase() : { DATA_DIR: path.join(scratch, "performance") };
    expect((await sod(["seed"], env)).code).toBe(0);
    const fixture = path.join(ROOT, "test/fixtures/performance/performance-records.csv");
    const bad = path.join(scratch, "performance-bad.csv");
    fs.writeFileSync(bad, "urn,asOf,legacyGrade\n137214,2099-01-01,2\n");

    const imported = await sod(["import-performance", "--trust", "north-dales", "--file", fixture], env);
    expect(imported).toMatchObject({ code: 0, stderr: "" });
    expect(imported.stdout).toContain("Imported performance-records.csv into North Dales Learning Trust: 3 performance records for 3 schools.");
    const again = await sod(["import-performance", "--trust", "north-dales", "--file", fixture], env);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("Every record of performance-records.csv was already recorded: nothing was added.");

    const refused = await sod(["import-performance", "--trust", "north-dales", "--file", bad], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("performance-bad.csv cannot be imported; nothing was changed:\n  - Line 2, column asOf (B): The inspection date cannot be in the future");
  });

  it("refuses clearly while another process holds the embedded database", async () => {
    const dataDir = path.join(scratch, "held");
    const held = await openDatabase({ kind: "pglite", dataDir });
    try {
      const refused = await sod(["trust", "list"], { DATA_DIR: dataDir });
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain(`The embedded database in ${dataDir} is in use by another process (pid ${process.pid}`);
    } finally {
      await held.close();
    }
  });
});
