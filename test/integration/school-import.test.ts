/**
 * Importing schools from the DfE register, on both databases: new URNs add schools, known ones are
 * updated and never duplicated, what the trust decided itself is left alone, each Ofsted grade is
 * recorded once, and a file with any problem changes nothing. Then the page, called in-process as
 * Remix would: upload and preview, confirm, refusals, and 403 for a trustee. And the command line.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { and, count, eq } from "drizzle-orm";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database, DatabaseHandle } from "../../db/client";
import { auditLog, performanceRecords, schools } from "../../db/schema";
import { DEMO_SCHOOL_COUNT, DEMO_TRUST_NAME, DEMO_USERS, seedDemoTrust, type DemoTrust } from "../../db/seed";
import { formatCsv, parseCsv } from "~/domain/csv";
import { RuleError } from "~/domain/errors";
import { readRegister, type RegisterFilter } from "~/domain/gias";
import { COMMAND_LINE } from "~/models/audit.server";
import { addMember } from "~/models/membership.server";
import { importSchools, planSchoolImport } from "~/models/school-import.server";
import { createTrust, type Trust } from "~/models/trust.server";
import { readRegisterUpload } from "~/register-upload.server";
import { CommandFailure, type CommandArgs, type CommandContext } from "~/cli/command";
import { importSchoolsCommand } from "~/cli/commands/import-schools";
import { COMMANDS } from "~/cli/commands/index";
import { runCli } from "~/cli/run";
import { action, loader } from "~/routes/trusts.$slug.import.schools";
import { freshDatabase } from "../support/database";
import { call, fieldErrors, formErrors, formPost, getRequest, ORIGIN, sessionCookie, type Answer } from "../support/requests";

const FIXTURE = new URL("../fixtures/gias/edubasealldata20261101.csv", import.meta.url);
const registerBytes: Uint8Array<ArrayBuffer> = new Uint8Array(fs.readFileSync(FIXTURE));
const registerText = new TextDecoder("windows-1252").decode(registerBytes);
const RIVERSIDE: RegisterFilter = { by: "trust", trustName: "Riverside Learning Trust" };

/** The fixture with some cells changed. */
function editedRegister(edit: (row: (urn: number) => string[], column: (name: string) => number) => void): string {
  const records = parseCsv(registerText).map((r) => r.fields);
  edit(
    (urn) => records.find((r) => r[0] === String(urn))!,
    (name) => records[0]!.indexOf(name),
  );
  return formatCsv(records);
}

let handle: DatabaseHandle;
let db: Database;
let riverside: Trust;
let demo: DemoTrust;

beforeAll(async () => {
  handle = await freshDatabase();
  db = handle.db;
  riverside = await createTrust(db, COMMAND_LINE, { name: "Riverside Learning Trust", slug: "riverside" });
  demo = await seedDemoTrust(db, COMMAND_LINE);
});
afterAll(() => handle?.close());

async function schoolCount(trustId: string): Promise<number> {
  const [row] = await db.select({ n: count() }).from(schools).where(eq(schools.trustId, trustId));
  return row!.n;
}

async function gradesFromRegister(trustId: string) {
  return db
    .select({ urn: schools.urn, asOf: performanceRecords.asOf, grade: performanceRecords.legacyGrade, framework: performanceRecords.inspectionFramework })
    .from(performanceRecords)
    .innerJoin(schools, eq(schools.id, performanceRecords.schoolId))
    .where(and(eq(performanceRecords.trustId, trustId), eq(performanceRecords.source, "gias")))
    .orderBy(schools.urn, performanceRecords.asOf);
}

async function auditCount(trustId: string): Promise<number> {
  const [row] = await db.select({ n: count() }).from(auditLog).where(eq(auditLog.trustId, trustId));
  return row!.n;
}

describe("importing a trust's schools from the register", () => {
  it("adds the trust's schools with their register details and last Ofsted grades, and audits each step", async () => {
    const auditBefore = await auditCount(riverside.id);
    const result = await importSchools(db, COMMAND_LINE, riverside.id, readRegister(registerBytes, RIVERSIDE));
    expect(result).toMatchObject({ added: 6, updated: 0, inspectionsRecorded: 5 });

    const rows = await db.select().from(schools).where(eq(schools.trustId, riverside.id)).orderBy(schools.urn);
    expect(rows.map((s) => [s.urn, s.name, s.phase, s.postcode, s.localAuthority])).toEqual([
      [136204, "Aire Valley Academy", "secondary", "LS4 2QT", "Leeds"],
      [136877, "Kirkstall Forge Primary School", "primary", "LS5 3AA", "Leeds"],
      [140733, "Calder Bank Primary School", "primary", "WF10 1JD", "Wakefield"],
      [141920, "The Riverside Centre", "alternative-provision", "WF1 5RH", "Wakefield"],
      [143488, "Armley Park Primary School", "primary", "LS12 3LE", "Leeds"],
      [146045, "Rothwell Riverside 16-19 Academy", "16-plus", "LS26 0SF", "Leeds"],
    ]);
    expect(rows[0]).toMatchObject({ easting: 427100, northing: 434700, headteacherName: "Daniel Okafor", clusterBodyId: null, joinedOn: null });
    expect(await gradesFromRegister(riverside.id)).toEqual([
      { urn: 136204, asOf: "2022-11-30", grade: 2, framework: "legacy" },
      { urn: 136877, asOf: "2020-02-06", grade: 1, framework: "legacy" },
      { urn: 140733, asOf: "2023-01-12", grade: 3, framework: "legacy" },
      { urn: 141920, asOf: "2024-03-21", grade: 4, framework: "legacy" },
      { urn: 146045, asOf: "2023-07-04", grade: 2, framework: "legacy" },
    ]);
    // Six schools, five grades and the import itself.
    expect((await auditCount(riverside.id)) - auditBefore).toBe(12);
  });

  it("changes nothing when the same file is imported again: no school twice, no grade twice", async () => {
    const plan = await planSchoolImport(db, riverside.id, readRegister(registerBytes, RIVERSIDE).schools);
    expect(plan).toMatchObject({ additions: [], updates: [], inspectionsToRecord: 0 });
    expect(plan.unchanged.map((u) => u.inspection.kind)).toContain("already-recorded");

    const result = await importSchools(db, COMMAND_LINE, riverside.id, readRegister(registerBytes, RIVERSIDE));
    expect(result).toMatchObject({ added: 0, updated: 0, inspectionsRecorded: 0 });
    expect(await schoolCount(riverside.id)).toBe(6);
    expect(await gradesFromRegister(riverside.id)).toHaveLength(5);
  });

  it("updates a known school by its URN, records a newer inspection, and never erases with an empty value", async () => {
    const [before] = await db.select().from(schools).where(and(eq(schools.trustId, riverside.id), eq(schools.urn, 140733)));
    const text = editedRegister((row, column) => {
      row(140733)[column("EstablishmentName")] = "Calder Bank Academy";
      row(140733)[column("Easting")] = "442650";
      row(140733)[column("OfstedRating (name)")] = "Good";
      row(140733)[column("OfstedLastInsp")] = "15-10-2026";
      row(136204)[column("LA (name)")] = "";
      row(136204)[column("Postcode")] = "";
    });
    const reading = readRegister(text, RIVERSIDE);
    const plan = await planSchoolImport(db, riverside.id, reading.schools);
    expect(plan.updates.map((u) => [u.school.urn, u.changes])).toEqual([
      [
        140733,
        [
          { field: "name", before: "Calder Bank Primary School", after: "Calder Bank Academy" },
          { field: "easting", before: 442600, after: 442650 },
        ],
      ],
    ]);

    const result = await importSchools(db, COMMAND_LINE, riverside.id, reading);
    expect(result).toMatchObject({ added: 0, updated: 1, inspectionsRecorded: 1 });
    const [after] = await db.select().from(schools).where(eq(schools.id, before!.id));
    expect(after).toMatchObject({ name: "Calder Bank Academy", easting: 442650, northing: before!.northing, version: before!.version + 1 });
    const [aire] = await db.select().from(schools).where(and(eq(schools.trustId, riverside.id), eq(schools.urn, 136204)));
    expect(aire).toMatchObject({ postcode: "LS4 2QT", localAuthority: "Leeds" });
    expect(await schoolCount(riverside.id)).toBe(6);
    expect((await gradesFromRegister(riverside.id)).filter((g) => g.urn === 140733)).toEqual([
      { urn: 140733, asOf: "2023-01-12", grade: 3, framework: "legacy" },
      { urn: 140733, asOf: "2026-10-15", grade: 2, framework: "legacy" },
    ]);
  });

  it("keeps the demo trust's clusters, local boards, joining dates and headteachers while bringing the register's details in", async () => {
    const trustId = demo.trust.id;
    const decided = async () =>
      (await db.select().from(schools).where(eq(schools.trustId, trustId)).orderBy(schools.urn)).map((s) => ({
        urn: s.urn,
        cluster: s.clusterBodyId,
        local: s.localBodyId,
        joinedOn: s.joinedOn,
        head: s.headteacherName,
      }));
    const before = await decided();
    expect(before).toHaveLength(DEMO_SCHOOL_COUNT);

    const reading = readRegister(registerBytes, { by: "trust", trustName: DEMO_TRUST_NAME });
    const result = await importSchools(db, COMMAND_LINE, trustId, reading);
    expect(result.plan.additions.map((a) => a.school.name)).toEqual(["Thornborough Henge Primary School"]);
    expect(result.plan.updates.map((u) => [u.school.urn, u.changes])).toEqual([[144209, [{ field: "postcode", before: "DL7 8TQ", after: "DL7 8TR" }]]]);
    // The register does not list the two schools joining yet: they stay as they are, and one is added.
    expect(await schoolCount(trustId)).toBe(16);
    expect((await decided()).filter((s) => s.urn !== 150221)).toEqual(before);
    // Special Measures and never-inspected schools record no grade; the others record theirs.
    expect(result.inspectionsRecorded).toBe(10);
  });

  it("imports only the URNs asked for, from any trust's rows, with accented names intact", async () => {
    const trust = await createTrust(db, COMMAND_LINE, { name: "Wear Valley Catholic Trust", slug: "wear-valley" });
    await importSchools(db, COMMAND_LINE, trust.id, readRegister(registerBytes, { by: "urns", urns: [140955, 148102] }));
    const rows = await db.select({ name: schools.name }).from(schools).where(eq(schools.trustId, trust.id)).orderBy(schools.name);
    expect(rows.map((r) => r.name)).toEqual(["St Joseph's Catholic Primary School, Ushaw Moor", "St Thérèse of Lisieux Catholic Primary School"]);
  });

  it("refuses a file with any problem, saying where, and changes nothing", async () => {
    const text = editedRegister((row, column) => {
      row(140733)[column("EstablishmentName")] = "Calder Bank Renamed";
      row(143488)[column("Easting")] = "42730O";
    });
    const schoolsBefore = await db.select().from(schools).where(eq(schools.trustId, riverside.id)).orderBy(schools.urn);
    const auditBefore = await auditCount(riverside.id);
    const refusal = importSchools(db, COMMAND_LINE, riverside.id, readRegister(text, RIVERSIDE));
    await expect(refusal).rejects.toThrow(RuleError);
    await expect(refusal).rejects.toThrow(
      'The file has a problem, so nothing was imported. Line 23, column Easting (DJ): "42730O" is not a grid reference: the easting must be a whole number of metres between 0 and 700,000.',
    );
    expect(await db.select().from(schools).where(eq(schools.trustId, riverside.id)).orderBy(schools.urn)).toEqual(schoolsBefore);
    expect(await auditCount(riverside.id)).toBe(auditBefore);
  });
});

// ---------------------------------------------------------------- the page

const clerk = DEMO_USERS.find((u) => u.role === "clerk")!;
const trustee = DEMO_USERS.find((u) => u.role === "trustee")!;
let clerkCookie: string;
let trusteeCookie: string;
let pageTrust: Trust;

const pageUrl = () => `/trusts/${pageTrust.slug}/import/schools`;

function upload(fields: Record<string, string | File>, cookie: string): Request {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  return new Request(new URL(pageUrl(), ORIGIN), { method: "POST", body: form, headers: { cookie } });
}

function registerFile(content: Uint8Array<ArrayBuffer> | string = registerBytes): File {
  return new File([content], "edubasealldata20261101.csv", { type: "text/csv" });
}

const post = (request: Request) => call(action, request, { slug: pageTrust.slug });

interface PreviewAnswer {
  preview: {
    additions: { urn: number; name: string }[];
    updates: { urn: number; changes: unknown[] }[];
    unchanged: unknown[];
    skipped: { line: number; reason: string }[];
    problems: string[];
    inspectionsToRecord: number;
    extract: string | null;
  };
}
const previewOf = (answer: Answer) => (answer.data as PreviewAnswer).preview;

describe("the import page", () => {
  beforeAll(async () => {
    // A trust of its own, with the demo trust's clerk and trustee as members, so earlier tests do not matter.
    pageTrust = await createTrust(db, COMMAND_LINE, { name: "Pennine Way Academy Trust", slug: "pennine-way" });
    await addMember(db, COMMAND_LINE, { trustId: pageTrust.id, userId: demo.users.clerk.id, role: "clerk" });
    await addMember(db, COMMAND_LINE, { trustId: pageTrust.id, userId: demo.users.trustee.id, role: "trustee" });
    clerkCookie = await sessionCookie(clerk.email, clerk.password, "192.0.2.71");
    trusteeCookie = await sessionCookie(trustee.email, trustee.password, "192.0.2.72");
  });

  it("offers the trust's own name as the filter, to its clerk only", async () => {
    const page = await call(loader, getRequest(pageUrl(), clerkCookie), { slug: pageTrust.slug });
    expect(page.data).toMatchObject({ trustName: "Pennine Way Academy Trust", limitMb: 100 });
    expect((await call(loader, getRequest(pageUrl(), trusteeCookie), { slug: pageTrust.slug })).status).toBe(403);
  });

  it("refuses a trustee's upload with 403 and changes nothing", async () => {
    const answer = await post(upload({ intent: "preview", filterBy: "trust", trustName: "The Pennine Way Academy Trust", file: registerFile() }, trusteeCookie));
    expect(answer.status).toBe(403);
    expect(await schoolCount(pageTrust.id)).toBe(0);
  });

  it("previews what the file would do without changing anything", async () => {
    const answer = await post(upload({ intent: "preview", filterBy: "trust", trustName: "the pennine way academy trust", file: registerFile() }, clerkCookie));
    expect(answer.status).toBe(200);
    const preview = previewOf(answer);
    expect(preview.additions.map((a) => a.urn)).toEqual([138211, 138212, 139877, 142455, 147230]);
    expect(preview).toMatchObject({ updates: [], unchanged: [], skipped: [], problems: [], inspectionsToRecord: 5 });
    expect(preview.extract).toContain("Heptonstall Slack Primary School");
    expect(await schoolCount(pageTrust.id)).toBe(0);
  });

  it("imports on confirmation, checking the carried rows again, and then finds nothing left to do", async () => {
    const preview = previewOf(await post(upload({ intent: "preview", filterBy: "trust", trustName: "The Pennine Way Academy Trust", file: registerFile() }, clerkCookie)));
    const confirm = () => post(upload({ intent: "confirm", filterBy: "trust", trustName: "The Pennine Way Academy Trust", extract: preview.extract! }, clerkCookie));
    const answer = await confirm();
    expect(answer.status).toBe(200);
    expect((answer.data as { notice: string }).notice).toBe("Imported from the DfE register: 5 schools added, 0 schools updated, 5 Ofsted grades recorded.");
    expect(await schoolCount(pageTrust.id)).toBe(5);

    const again = await confirm();
    expect((again.data as { notice: string }).notice).toBe("Imported from the DfE register: 0 schools added, 0 schools updated, 0 Ofsted grades recorded.");
    expect(await schoolCount(pageTrust.id)).toBe(5);
    expect(await gradesFromRegister(pageTrust.id)).toHaveLength(5);
  });

  it("refuses a confirmation whose carried rows no longer pass the checks", async () => {
    const preview = previewOf(await post(upload({ intent: "preview", filterBy: "urns", urns: "140956", file: registerFile() }, clerkCookie)));
    const tampered = preview.extract!.replace("423500", "4235OO");
    const answer = await post(upload({ intent: "confirm", filterBy: "urns", urns: "140956", extract: tampered }, clerkCookie));
    expect(answer.status).toBe(400);
    expect(formErrors(answer)[0]).toMatch(/^The file has a problem, so nothing was imported\. Line 2, column Easting \(\w+\): "4235OO" is not a grid reference/);
    expect(await schoolCount(pageTrust.id)).toBe(5);
  });

  it("lists the file's problems with line and column, and offers no confirmation", async () => {
    const text = editedRegister((row, column) => {
      row(139877)[column("URN")] = "13987";
    });
    const answer = await post(upload({ intent: "preview", filterBy: "trust", trustName: "The Pennine Way Academy Trust", file: registerFile(text) }, clerkCookie));
    expect(answer.status).toBe(400);
    expect(previewOf(answer)).toMatchObject({
      problems: ['Line 27, column URN (A): "13987" is not a URN: the register\'s unique reference numbers have 6 digits, e.g. 137542.'],
      extract: null,
    });
  });

  it("names the missing columns of a file that is not the register's", async () => {
    const answer = await post(upload({ intent: "preview", filterBy: "trust", trustName: "x", file: registerFile("URN,Name,Postcode\r\n138211,Calder High,HX7 5QN\r\n") }, clerkCookie));
    expect(previewOf(answer).problems[0]).toContain('The file has no columns "EstablishmentName", "PhaseOfEducation (name)", "Easting", "Northing", "Trusts (name)", "OfstedRating (name)", "OfstedLastInsp".');
  });

  it("asks for the file, a trust name or good URNs", async () => {
    const noFile = await post(upload({ intent: "preview", filterBy: "trust", trustName: "The Pennine Way Academy Trust", file: new File([], "", { type: "application/octet-stream" }) }, clerkCookie));
    expect(noFile.status).toBe(400);
    expect(fieldErrors(noFile, "file")).toEqual(["Choose the register's CSV file (the establishment fields CSV)."]);

    const noName = await post(upload({ intent: "preview", filterBy: "trust", trustName: " ", file: registerFile() }, clerkCookie));
    expect(fieldErrors(noName, "trustName")).toEqual(["Enter the trust's name as the register gives it"]);

    const badUrns = await post(upload({ intent: "preview", filterBy: "urns", urns: "138211, 1234", file: registerFile() }, clerkCookie));
    expect(fieldErrors(badUrns, "urns")).toEqual(['"1234" is not a URN: a URN is the register\'s 6-digit unique reference number, e.g. 137542.']);
    expect(await schoolCount(pageTrust.id)).toBe(5);
  });

  it("refuses an upload over the limit, whether it says so or not, and anything but its own form", async () => {
    const declared = new Request(new URL(pageUrl(), ORIGIN), {
      method: "POST",
      body: "x",
      headers: { cookie: clerkCookie, "Content-Type": "multipart/form-data; boundary=b", "Content-Length": String(101 * 1024 * 1024) },
    });
    const answer = await post(declared);
    expect(answer.status).toBe(413);
    expect(formErrors(answer)).toEqual([
      "The upload is larger than 100 MB, so it was not read. Nothing was saved. For a larger file, use the command line: npx sod import-schools.",
    ]);

    const plain = await post(formPost(pageUrl(), { intent: "preview", filterBy: "trust", trustName: "x" }, { cookie: clerkCookie }));
    expect(plain.status).toBe(415);
    expect(formErrors(plain)).toEqual(["This address only accepts its own upload form. Nothing was saved."]);

    const filterFrom = (): RegisterFilter => ({ by: "trust", trustName: "The Pennine Way Academy Trust" });
    await expect(readRegisterUpload(upload({ intent: "preview", file: registerFile() }, clerkCookie), { fileFields: ["file"], filterFrom, limitBytes: 16 * 1024 })).resolves.toEqual({
      refused: "The upload is larger than 16 KB, so it was not read. Nothing was saved. For a larger file, use the command line: npx sod import-schools.",
      status: 413,
    });
  });
});

// ---------------------------------------------------------------- the command line

/** Runs `sod import-schools` in-process against the test's database, returning what it printed. */
async function importCommand(options: Record<string, string | true>): Promise<string[]> {
  const printed: string[] = [];
  const args: CommandArgs = {
    text: (name) => (typeof options[name] === "string" ? (options[name] as string) : undefined),
    required: (name) => options[name] as string,
    flag: (name) => options[name] === true,
    positionals: [],
  };
  const context: CommandContext = { database: async () => db, out: (t) => printed.push(t), err: (t) => printed.push(t), env: { NODE_ENV: "test" } };
  await importSchoolsCommand.run(args, context);
  return printed;
}

describe("sod import-schools", () => {
  let trust: Trust;
  const file = fileURLToPath(FIXTURE);

  beforeAll(async () => {
    trust = await createTrust(db, COMMAND_LINE, { name: "Swaledale Grammar School Trust", slug: "swaledale" });
  });

  it("shows what it would do on a dry run, and changes nothing", async () => {
    const printed = await importCommand({ trust: "swaledale", file, "dry-run": true });
    expect(printed).toEqual([
      "Read 38 rows of edubasealldata20261101.csv (Windows-1252): 1 school for Swaledale Grammar School Trust.",
      "Add: Swaledale Grammar School (URN 137601)",
      "Nothing was changed (dry run). Importing would add 1 school, update 0 schools and record 1 Ofsted grade.",
    ]);
    expect(await schoolCount(trust.id)).toBe(0);
  });

  it("imports the trust's schools by its name here, and only once", async () => {
    const first = await importCommand({ trust: "swaledale", file });
    expect(first.at(-1)).toBe("Imported into Swaledale Grammar School Trust: 1 school added, 0 schools updated, 1 Ofsted grade recorded.");
    const second = await importCommand({ trust: "swaledale", file });
    expect(second.at(-1)).toBe("Imported into Swaledale Grammar School Trust: 0 schools added, 0 schools updated, 0 Ofsted grades recorded.");
    expect(await schoolCount(trust.id)).toBe(1);
  });

  it("refuses a name the register does not use, suggesting its spelling", async () => {
    await expect(importCommand({ trust: "swaledale", file, "trust-name": "Swaledale Grammar Trust" })).rejects.toThrow(
      new CommandFailure(
        [
          'No school in edubasealldata20261101.csv belongs to a trust named "Swaledale Grammar Trust"; nothing was changed.',
          "The register has these trusts with similar names:",
          "  SWALEDALE GRAMMAR SCHOOL TRUST",
          "Give the register's spelling with --trust-name, or list the schools with --urns.",
        ].join("\n"),
      ),
    );
  });

  it("refuses a file with problems, listing each with its line and column, and URNs the file lacks", async () => {
    const bad = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "sod-gias-")), "register.csv");
    fs.writeFileSync(bad, editedRegister((row, column) => (row(137601)[column("Northing")] = "north")));
    await expect(importCommand({ trust: "swaledale", file: bad })).rejects.toThrow(
      'register.csv cannot be imported; nothing was changed:\n  - Line 35, column Northing (DK): "north" is not a grid reference: the northing must be a whole number of metres between 0 and 1,300,000.',
    );
    await expect(importCommand({ trust: "swaledale", file, urns: "137601,999999" })).rejects.toThrow(
      "edubasealldata20261101.csv has no school with the URN 999999; nothing was changed. Check the URNs.",
    );
    expect(await schoolCount(trust.id)).toBe(1);
  });

  it("is called wrongly when given both a trust name and URNs", async () => {
    const errors: string[] = [];
    const code = await runCli(
      ["import-schools", "--trust", "swaledale", "--file", file, "--trust-name", "X", "--urns", "137601"],
      { out: () => {}, err: (t) => errors.push(t), env: { NODE_ENV: "test" } },
      COMMANDS,
    );
    expect(code).toBe(2);
    expect(errors[0]).toMatch(/^Give either --trust-name or --urns, not both\./);
  });
});
