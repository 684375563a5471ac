/**
 * Importing schools' performance records from CSV, on both databases: a good file is recorded whole
 * in one transaction with one history entry, the same file again adds nothing, and a file with any
 * bad row records nothing. Then the page, called in-process as Remix would (preview, confirmation,
 * refusals, the template, 403 for a trustee and a viewer), and `sod import-performance`.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database, DatabaseHandle } from "../../db/client";
import { auditLog, performanceRecords, trusts } from "../../db/schema";
import { CommandFailure, type CommandArgs, type CommandContext } from "~/cli/command";
import { importPerformanceCommand } from "~/cli/commands/import-performance";
import { COMMANDS } from "~/cli/commands/index";
import { runCli, type CliIo } from "~/cli/run";
import { COMMAND_LINE } from "~/models/audit.server";
import { addMember } from "~/models/membership.server";
import { importPerformanceRecords, PerformanceImportRefusedError, planPerformanceImport } from "~/models/performance-import.server";
import { listPerformanceRecords } from "~/models/performance.server";
import { createSchool } from "~/models/structure.server";
import { createTrust, type Trust } from "~/models/trust.server";
import { createUser } from "~/models/user.server";
import { action, loader } from "~/routes/trusts.$slug.import.performance";
import { loader as templateLoader } from "~/routes/trusts.$slug.import.performance[.]csv";
import { freshDatabase } from "../support/database";
import { call, getRequest, ORIGIN, sessionCookie, type Answer } from "../support/requests";

const FIXTURE = path.resolve(import.meta.dirname, "../fixtures/performance/performance-records.csv");
const fixture = new Uint8Array(fs.readFileSync(FIXTURE));

/** The fixture's schools, as the demo trust has them. */
const SCHOOLS = [
  { urn: 137214, name: "Wensleydale Bridge School", phase: "all-through" },
  { urn: 139452, name: "Middleham Moor Church of England Primary School", phase: "primary" },
  { urn: 143561, name: "Aysgarth Falls Primary School", phase: "primary" },
] as const;

let handle: DatabaseHandle;
let db: Database;
let trustCount = 0;

beforeAll(async () => {
  handle = await freshDatabase();
  db = handle.db;
});
afterAll(() => handle?.close());

async function trustWithSchools(): Promise<Trust> {
  trustCount++;
  const trust = await createTrust(db, COMMAND_LINE, { name: `Dales Performance Trust ${trustCount}`, slug: `dales-performance-${trustCount}` });
  for (const s of SCHOOLS) await createSchool(db, COMMAND_LINE, { trustId: trust.id, ...s });
  return trust;
}

async function recordCount(trustId: string): Promise<number> {
  const [row] = await db.select({ n: count() }).from(performanceRecords).where(eq(performanceRecords.trustId, trustId));
  return row!.n;
}

async function historyOf(trustId: string) {
  return db.select().from(auditLog).where(eq(auditLog.trustId, trustId)).orderBy(auditLog.id);
}

describe("importing performance records", () => {
  let trust: Trust;
  beforeAll(async () => {
    trust = await trustWithSchools();
  });

  it("records every row of a good file, from the source csv, with one entry in the trust's history", async () => {
    const plan = await planPerformanceImport(db, trust.id, fixture);
    expect(plan.toRecord.map((r) => [r.line, r.school.urn])).toEqual([
      [2, 137214],
      [3, 139452],
      [4, 143561],
    ]);
    expect(await recordCount(trust.id)).toBe(0);

    const historyBefore = (await historyOf(trust.id)).length;
    const result = await importPerformanceRecords(db, COMMAND_LINE, { trustId: trust.id, content: fixture, fileName: "performance-records.csv" });
    expect(result).toMatchObject({ recorded: 3, schools: 3 });

    const records = await listPerformanceRecords(db, trust.id);
    expect(records.map((r) => [r.asOf, r.source])).toEqual([
      ["2026-01-15", "csv"],
      ["2025-07-31", "csv"],
      ["2024-11-20", "csv"],
    ]);
    expect(records[0]).toMatchObject({
      inspection: { framework: "report-card", grades: { "leadership-and-governance": "strong", "curriculum-and-teaching": "expected", achievement: "expected", inclusion: "needs-attention" } },
      safeguardingMet: true,
      inYearBalance: -4200.5,
      leadershipStability: "some-change",
      note: "First report card, January 2026",
    });
    expect(records[2]).toMatchObject({ inspection: { framework: "legacy", grade: 2 }, reserves: 240000, outcomesBand: "Above average", safeguardingAudit: "green" });

    const history = await historyOf(trust.id);
    expect(history).toHaveLength(historyBefore + 1);
    expect(history.at(-1)).toMatchObject({
      action: "import",
      entity: "performance-record",
      actor: "command line",
      summary: "Imported 3 performance records for 3 schools from performance-records.csv",
    });
    expect((history.at(-1)!.after as { records: { id: string }[] }).records.map((r) => r.id).sort()).toEqual(records.map((r) => r.id).sort());
  });

  it("adds nothing twice when the same file is imported again, and writes no history for it", async () => {
    const historyBefore = (await historyOf(trust.id)).length;
    const again = await importPerformanceRecords(db, COMMAND_LINE, { trustId: trust.id, content: fixture, fileName: "performance-records.csv" });
    expect(again).toMatchObject({ recorded: 0, schools: 0 });
    expect(again.plan.alreadyRecorded).toHaveLength(3);
    expect(await recordCount(trust.id)).toBe(3);
    expect(await historyOf(trust.id)).toHaveLength(historyBefore);
  });

  it("refuses a file with any bad row, naming every problem, and records none of its rows", async () => {
    const file = [
      "urn,asOf,legacyGrade,trend",
      "137214,2025-09-01,1,improving",
      "999999,2025-09-01,2,stable",
      "139452,2099-01-01,3,declining",
    ].join("\n");
    const historyBefore = (await historyOf(trust.id)).length;
    const refusal = importPerformanceRecords(db, COMMAND_LINE, { trustId: trust.id, content: file, fileName: "bad.csv" });
    await expect(refusal).rejects.toBeInstanceOf(PerformanceImportRefusedError);
    await expect(refusal).rejects.toThrow(
      "The file has 2 problems, so nothing was imported. Line 3, column urn (A): URN 999999 is not one of the trust's schools. Check the number, or add the school first (on the Structure page, or by importing it from the DfE register). (and 1 more)",
    );
    expect(await recordCount(trust.id)).toBe(3);
    expect(await historyOf(trust.id)).toHaveLength(historyBefore);
  });

  it("reads outcomes bands as the trust names them", async () => {
    const own = await trustWithSchools();
    await db.update(trusts).set({ settings: { outcomesBands: ["Below expected", "Expected", "Above expected"] } }).where(eq(trusts.id, own.id));
    const good = await importPerformanceRecords(db, COMMAND_LINE, { trustId: own.id, content: "urn,asOf,outcomesBand\n139452,2025-07-31,above expected\n", fileName: null });
    expect(good.recorded).toBe(1);
    expect((await listPerformanceRecords(db, own.id))[0]!.outcomesBand).toBe("Above expected");
    await expect(importPerformanceRecords(db, COMMAND_LINE, { trustId: own.id, content: "urn,asOf,outcomesBand\n139452,2025-08-31,Average\n", fileName: null })).rejects.toThrow(
      "Line 2, column outcomesBand (C): The outcomes band must be one of the trust's bands: Below expected, Expected or Above expected.",
    );
  });

  it("does not take another trust's school by its URN", async () => {
    const other = await createTrust(db, COMMAND_LINE, { name: "Schoolless Trust", slug: "schoolless-performance" });
    await expect(importPerformanceRecords(db, COMMAND_LINE, { trustId: other.id, content: fixture, fileName: null })).rejects.toThrow(
      /^The file has 3 problems, so nothing was imported\. Line 2, column urn \(A\): URN 137214 is not one of the trust's schools\./,
    );
    expect(await recordCount(other.id)).toBe(0);
  });
});

// ---------------------------------------------------------------- the page

type Who = "clerk" | "ceo" | "trustee" | "viewer";

describe("the import page", () => {
  let trust: Trust;
  const cookies = {} as Record<Who, string>;
  const page = () => `/trusts/${trust.slug}/import/performance`;

  beforeAll(async () => {
    trust = await trustWithSchools();
    let ip = 80;
    for (const role of ["clerk", "ceo", "trustee", "viewer"] as const) {
      const person = { name: `Performance ${role}`, email: `performance.${role}@dales.example`, password: `performance-${role}-password` };
      const user = await createUser(db, COMMAND_LINE, person);
      await addMember(db, COMMAND_LINE, { trustId: trust.id, userId: user.id, role });
      cookies[role] = await sessionCookie(person.email, person.password, `192.0.2.${ip++}`);
    }
  });

  /** A multipart post as a browser sends it, with its length. */
  async function upload(fields: Record<string, string | File>, who: Who): Promise<Request> {
    const form = new FormData();
    for (const [name, value] of Object.entries(fields)) form.append(name, value);
    const encoded = new Response(form);
    const body = await encoded.arrayBuffer();
    return new Request(new URL(page(), ORIGIN), {
      method: "POST",
      body,
      headers: { "Content-Type": encoded.headers.get("Content-Type")!, "Content-Length": String(body.byteLength), cookie: cookies[who] },
    });
  }
  const post = async (fields: Record<string, string | File>, who: Who = "clerk") => call(action, await upload(fields, who), { slug: trust.slug });
  const csvFile = (content: string | Uint8Array<ArrayBuffer>, name = "performance-records.csv") => new File([content], name, { type: "text/csv" });

  interface PageData {
    preview: null | {
      carried: { fileName: string | null; content: string };
      problems: { line: string; column: string; message: string }[];
      toRecord: { line: number; school: string; asOf: string; holds: string }[];
      alreadyRecorded: unknown[];
      schools: number;
    };
    refusal: null | { formError?: string; fileError?: string };
    done: null | { message: string };
  }
  const pageData = (answer: Answer) => answer.data as PageData;

  it("is open to the clerk and the CEO, and closed (403) to a trustee and a viewer, for looking and for posting", async () => {
    const opened = await call(loader, getRequest(page(), cookies.clerk), { slug: trust.slug });
    expect(opened.status).toBe(200);
    expect(opened.data).toMatchObject({ bands: ["Well below average", "Below average", "Average", "Above average", "Well above average"], limitKb: 1024 });
    expect((await call(loader, getRequest(page(), cookies.ceo), { slug: trust.slug })).status).toBe(200);
    for (const who of ["trustee", "viewer"] as const) {
      expect((await call(loader, getRequest(page(), cookies[who]), { slug: trust.slug })).status).toBe(403);
      expect((await post({ intent: "confirm", file: csvFile(fixture) }, who)).status).toBe(403);
      expect((await call(templateLoader, getRequest(`${page()}.csv`, cookies[who]), { slug: trust.slug })).status).toBe(403);
    }
    expect(await recordCount(trust.id)).toBe(0);
  });

  it("offers the template with a row for each of the trust's schools", async () => {
    const answer = await call(templateLoader, getRequest(`${page()}.csv`, cookies.ceo), { slug: trust.slug });
    expect(answer.status).toBe(200);
    const lines = answer.text.replace(/^\uFEFF/, "").trimEnd().split("\r\n");
    expect(lines[0]).toMatch(/^urn,school,asOf,inspectionFramework,legacyGrade,/);
    expect(lines.slice(1).map((l) => l.split(",").slice(0, 2).join(","))).toEqual([
      "143561,Aysgarth Falls Primary School",
      "139452,Middleham Moor Church of England Primary School",
      "137214,Wensleydale Bridge School",
    ]);
  });

  it("previews the file's records without saving any, then records them all on confirmation", async () => {
    const previewed = await post({ intent: "preview", file: csvFile(fixture) });
    expect(previewed.status).toBe(200);
    const preview = pageData(previewed).preview!;
    expect(preview.problems).toEqual([]);
    expect(preview.schools).toBe(3);
    expect(preview.toRecord[0]).toEqual({
      line: 2,
      school: "Wensleydale Bridge School (URN 137214)",
      asOf: "20 November 2024",
      holds: "Good (grade 2), safeguarding met; outcomes Above average, improving; in-year balance £15,200.00; reserves £240,000.00; no unplanned deficit; safeguarding audit green; leadership stable",
    });
    expect(await recordCount(trust.id)).toBe(0);

    const confirmed = await post({ intent: "confirm", content: preview.carried.content, fileName: preview.carried.fileName! }, "ceo");
    expect(confirmed.status).toBe(200);
    expect(pageData(confirmed).done).toEqual({ message: "Recorded 3 performance records for 3 schools from performance-records.csv." });
    expect(await recordCount(trust.id)).toBe(3);

    const again = await post({ intent: "confirm", content: preview.carried.content, fileName: preview.carried.fileName! });
    expect(pageData(again).done).toEqual({ message: "Every record of performance-records.csv was already recorded: nothing was added." });
    expect(await recordCount(trust.id)).toBe(3);
  });

  it("lists every problem by line and column, and offers nothing to confirm", async () => {
    const bad = "urn,asOf,legacyGrade,rc_achievement\n137214,2026-02-01,2,strong\n139452,2099-01-01,,expected\n";
    const answer = await post({ intent: "preview", file: csvFile(bad, "bad.csv") });
    expect(answer.status).toBe(400);
    expect(pageData(answer).preview).toMatchObject({
      toRecord: [],
      problems: [
        {
          line: "2",
          column: "legacyGrade (C)",
          message:
            "A record holds a legacy grade or a 2025 report card, not both: Ofsted's report-card grades cannot be compared with the old grades. Enter each inspection as a record of its own.",
        },
        { line: "3", column: "asOf (B)", message: expect.stringMatching(/^The inspection date cannot be in the future: today is /) },
      ],
    });
  });

  it("checks a carried file again on confirmation, and records none of it when it no longer passes", async () => {
    const before = await recordCount(trust.id);
    const tampered = Buffer.from("urn,asOf,trend\n143561,2025-10-01,stable\n999999,2025-10-01,stable\n").toString("base64");
    const answer = await post({ intent: "confirm", content: tampered, fileName: "edited.csv" });
    expect(answer.status).toBe(400);
    expect(pageData(answer).refusal?.formError).toMatch(/^The file has a problem, so nothing was imported\. Line 3, column urn \(A\): URN 999999 is not one of the trust's schools\./);
    expect(pageData(answer).preview?.problems).toHaveLength(1);
    expect(await recordCount(trust.id)).toBe(before);
  });

  it("asks for a file, and refuses one over the limit, however large", async () => {
    const none = await post({ intent: "preview", file: new File([], "", { type: "application/octet-stream" }) });
    expect(none.status).toBe(400);
    expect(pageData(none).refusal).toEqual({ fileError: "Choose the CSV file of performance records." });
    const large = await post({ intent: "preview", file: csvFile(new Uint8Array(1024 * 1024 + 1).fill(97)) });
    expect(large.status).toBe(413);
    expect(pageData(large).refusal?.fileError).toBe("The file is larger than 1024 KB, so it was not read. Nothing was saved. Split it into smaller files.");
    const huge = await post({ intent: "preview", file: csvFile(new Uint8Array(3 * 1024 * 1024).fill(97)) });
    expect(huge.status).toBe(413);
    expect(pageData(huge).refusal?.fileError).toBe("The file is larger than 1024 KB, so it was not read. Nothing was saved. Split it into smaller files.");
    expect(await recordCount(trust.id)).toBe(3);
  });
});

// ---------------------------------------------------------------- the command line

describe("sod import-performance", () => {
  let trust: Trust;
  beforeAll(async () => {
    trust = await trustWithSchools();
  });

  /** Runs the command in-process against the test's database, returning what it printed. */
  async function importCommand(options: Record<string, string | true>): Promise<string[]> {
    const printed: string[] = [];
    const args: CommandArgs = {
      text: (name) => (typeof options[name] === "string" ? (options[name] as string) : undefined),
      required: (name) => options[name] as string,
      flag: (name) => options[name] === true,
      positionals: [],
    };
    const context: CommandContext = { database: async () => db, out: (t) => printed.push(t), err: (t) => printed.push(t), env: { NODE_ENV: "test" } };
    await importPerformanceCommand.run(args, context);
    return printed;
  }

  it("shows what it would record on a dry run, and changes nothing", async () => {
    const printed = await importCommand({ trust: trust.slug, file: FIXTURE, "dry-run": true });
    expect(printed[0]).toBe(
      "Record: Wensleydale Bridge School (URN 137214) as of 2024-11-20: Good (grade 2), safeguarding met; outcomes Above average, improving; in-year balance £15,200.00; reserves £240,000.00; no unplanned deficit; safeguarding audit green; leadership stable",
    );
    expect(printed.at(-1)).toBe(`Nothing was changed (dry run). Importing would add 3 performance records to ${trust.name}.`);
    expect(await recordCount(trust.id)).toBe(0);
  });

  it("records the file, and the second time finds everything already recorded", async () => {
    expect((await importCommand({ trust: trust.slug, file: FIXTURE })).at(-1)).toBe(`Imported performance-records.csv into ${trust.name}: 3 performance records for 3 schools.`);
    const again = await importCommand({ trust: trust.slug, file: FIXTURE });
    expect(again[0]).toBe("Already recorded, left as it is: Wensleydale Bridge School (URN 137214) as of 2024-11-20 (line 2)");
    expect(again.at(-1)).toBe("Every record of performance-records.csv was already recorded: nothing was added.");
    expect(await recordCount(trust.id)).toBe(3);
  });

  it("refuses a file with problems, listing each with its line and column, and an unknown trust or file", async () => {
    const bad = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "sod-performance-")), "performance.csv");
    fs.writeFileSync(bad, "urn,asOf,Grade\n137214,2025-03-14,2\n");
    await expect(importCommand({ trust: trust.slug, file: bad })).rejects.toThrow(
      new CommandFailure(
        'performance.csv cannot be imported; nothing was changed:\n  - Line 1, column Grade (C): The import has no column "Grade". The columns are urn, school, asOf, inspectionFramework, legacyGrade, rc_leadership-and-governance, rc_curriculum-and-teaching, rc_attendance-and-behaviour, rc_achievement, rc_personal-development-and-wellbeing, rc_inclusion, rc_early-years, rc_post-16, safeguardingMet, outcomesBand, trend, inYearBalance, reserves, deficit, safeguardingAudit, leadershipStability, terminationWarning, note (capitals do not matter); remove this one, or rename it.',
      ),
    );
    await expect(importCommand({ trust: "no-such-trust", file: FIXTURE })).rejects.toThrow('There is no trust with the short name "no-such-trust".');
    await expect(importCommand({ trust: trust.slug, file: `${bad}.missing` })).rejects.toThrow(`The file ${bad}.missing does not exist.`);
    expect(await recordCount(trust.id)).toBe(3);
  });

  it("is called wrongly without its file (exit code 2), and lists itself in the help", async () => {
    const errors: string[] = [];
    const printed: string[] = [];
    const io: CliIo = { out: (t) => void printed.push(t), err: (t) => void errors.push(t), env: { NODE_ENV: "test" } };
    expect(await runCli(["import-performance", "--trust", trust.slug], io, COMMANDS)).toBe(2);
    expect(errors[0]).toMatch(/^Missing --file FILE\.\n\nUsage: sod import-performance --trust SLUG --file FILE/);
    expect(await runCli(["help"], io, COMMANDS)).toBe(0);
    expect(printed.join("\n")).toContain("import-performance");
  });
});
