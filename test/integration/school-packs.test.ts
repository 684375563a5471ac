/**
 * School packs, read back by readers that share no code with the writer (python-docx for the Word
 * documents, Python's zipfile for the ZIP): one school's pack shows its effective scheme (the
 * trust's, then its tier's variant, then its own variations) under the right columns, only the
 * columns that concern it, and every varied cell marked with why. All packs of a version are made
 * by a background job recorded in the database: its progress only goes up, a second start is
 * refused, an interrupted job is picked up by another worker and finished, a failed job says why,
 * and nothing of it is reachable from another trust.
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db/client";
import { cells, jobFiles, jobs, responsibilities, schoolCells, tierCells } from "../../db/schema";
import { DEMO_USERS, seedDemoTrust, type DemoTrust } from "../../db/seed";
import { SCHOOL_PACKS_JOB, PACKS_ZIP, schoolPacksJob, startSchoolPacksExport } from "~/export/school-packs-job.server";
import { JOB_HANDLERS } from "~/job-runner.server";
import { COMMAND_LINE } from "~/models/audit.server";
import {
  claimJob,
  ClaimLostError,
  findJob,
  jobFile,
  jobWork,
  MAX_ATTEMPTS,
  KEEP_FINISHED_DAYS,
  removeOldJobs,
  runClaimedJob,
  runNextJob,
  storePart,
  type JobRecord,
} from "~/models/jobs.server";
import { addMember } from "~/models/membership.server";
import { discardDraft } from "~/models/scheme.server";
import { createTrust } from "~/models/trust.server";
import { createUser } from "~/models/user.server";
import * as packRoute from "~/routes/trusts.$slug.versions.$number.schools.$schoolId.pack[.]docx";
import * as packsRoute from "~/routes/trusts.$slug.versions.$number.packs";
import * as zipRoute from "~/routes/trusts.$slug.versions.$number.packs[.]zip";
import { freshDatabase } from "../support/database";
import { call, formPost, getRequest, sessionCookie, type Answer } from "../support/requests";
import { convertToPdf, keepForReview, pdfFonts, pdfPages, readDocx, scratchDir, tablesOf, type DocxReading, type DocxTable } from "../support/word-documents";

const run = promisify(execFile);

let handle: DatabaseHandle;
let demo: DemoTrust;
let scratch: string;
const cookies: Record<string, string> = {};

const person = (role: string) => DEMO_USERS.find((u) => u.role === role)!;
const slug = () => demo.trust.slug;

/** The T4 school of the demo, the school given its own variation here, and a joiner that is in no cluster. */
const T4_SCHOOL = "Devil's Arrows Primary School";
const VARIED_SCHOOL = "Oakbeck School";
const JOINER = "Flamborough Head Primary School";

beforeAll(async () => {
  handle = await freshDatabase();
  demo = await seedDemoTrust(handle.db, COMMAND_LINE);
  for (const role of ["clerk", "ceo", "viewer"]) cookies[role] = await sessionCookie(person(role).email, person(role).password);
  scratch = scratchDir("school-packs");
});
afterAll(async () => {
  await handle?.close();
  fs.rmSync(scratch, { recursive: true, force: true });
});

/** What a resource route answered, bytes and all (the shared `call` reads bodies as text). */
async function fetchFile(loader: unknown, url: string, params: Record<string, string>, cookie?: string): Promise<Response> {
  try {
    return (await (loader as (args: object) => Promise<Response>)({ request: getRequest(url, cookie), params, context: {} })) as Response;
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

async function saved(response: Response, name: string): Promise<string> {
  const file = path.join(scratch, name);
  fs.writeFileSync(file, Buffer.from(await response.arrayBuffer()));
  return file;
}

/** The matrix tables of a pack: those whose heading row starts Ref, Responsibility (the list of differences goes on with Body). */
function matrixTables(reading: DocxReading): DocxTable[] {
  return tablesOf(reading).filter((t) => t.rows[0]?.[0] === "Ref" && t.rows[0]?.[1] === "Responsibility" && t.rows[0]?.[2] !== "Body");
}

/** A cell of the pack's matrix, by the row's ref and the column's heading: its code and its mark ("T", "S" or none). */
function packCell(reading: DocxReading, ref: string, heading: string): { code: string; mark: string | null } {
  for (const table of matrixTables(reading)) {
    const col = table.rows[0]!.indexOf(heading);
    const row = table.rows.find((r) => r[0] === ref);
    if (!row) continue;
    if (col < 0) throw new Error(`The pack's matrix has no column ${heading}: ${table.rows[0]!.join(", ")}`);
    const [code = "", mark = null] = row[col]!.trim().split(/\s+/);
    return { code, mark };
  }
  throw new Error(`The pack's matrix has no row ${ref}.`);
}

/** What the database holds for a cell, read straight from the tables: the base, the T4 variant, a school's variation. */
async function storedCells(versionId: string, key: string, column: string) {
  const [row] = await handle.db
    .select({ id: responsibilities.id, ref: responsibilities.ref })
    .from(responsibilities)
    .where(and(eq(responsibilities.trustId, demo.trust.id), eq(responsibilities.catalogueKey, key)));
  const body = demo.bodies[column]!;
  const [base] = await handle.db
    .select({ code: cells.code })
    .from(cells)
    .where(and(eq(cells.versionId, versionId), eq(cells.responsibilityId, row!.id), eq(cells.bodyId, body.id)));
  const [tier] = await handle.db
    .select({ code: tierCells.code })
    .from(tierCells)
    .where(and(eq(tierCells.versionId, versionId), eq(tierCells.tier, "T4"), eq(tierCells.responsibilityId, row!.id), eq(tierCells.bodyId, body.id)));
  return { rowId: row!.id, ref: row!.ref, bodyId: body.id, heading: body.shortName ?? body.name, base: base?.code ?? null, t4: tier?.code ?? null };
}

async function downloadPack(schoolName: string, number = 3): Promise<DocxReading> {
  const school = demo.schools[schoolName]!;
  const url = `/trusts/${slug()}/versions/${number}/schools/${school.id}/pack.docx`;
  const response = await fetchFile(packRoute.loader, url, { slug: slug(), number: String(number), schoolId: school.id }, cookies.viewer);
  expect(response.status, await response.clone().text().then((t) => t.slice(0, 200))).toBe(200);
  expect(response.headers.get("Content-Type")).toBe("application/vnd.openxmlformats-officedocument.wordprocessingml.document");
  expect(response.headers.get("Content-Disposition")).toBe(`attachment; filename="${slug()}-version-${number}-${school.urn}-${fileStem(school.name)}.docx"`);
  return readDocx(await saved(response, `${school.urn}-v${number}.docx`));
}

const fileStem = (name: string) => name.toLowerCase().replace(/'/g, "").replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");

describe("one school's pack", () => {
  let devils: DocxReading;

  beforeAll(async () => {
    // Oakbeck's own variation (C for the headteacher on DER-01), and Devil's Arrows' own on a row its tier varies too.
    const der = await storedCells(demo.draftVersionId, "DER-01", "Headteacher");
    await handle.db.insert(schoolCells).values([
      { trustId: demo.trust.id, versionId: demo.draftVersionId, schoolId: demo.schools[VARIED_SCHOOL]!.id, responsibilityId: der.rowId, bodyId: der.bodyId, code: "C", note: "Agreed by the board." },
      { trustId: demo.trust.id, versionId: demo.draftVersionId, schoolId: demo.schools[T4_SCHOOL]!.id, responsibilityId: der.rowId, bodyId: der.bodyId, code: "A", note: null },
    ]);
    devils = await downloadPack(T4_SCHOOL);
  });

  it("shows the T4 school its tier's variant under the right columns, marked T, and the base elsewhere", async () => {
    for (const key of ["SEED-12", "SEED-10"]) {
      const ceo = await storedCells(demo.draftVersionId, key, "Chief executive officer");
      expect(ceo.t4, `${key} varies for T4`).toBe("D");
      expect(packCell(devils, ceo.ref, ceo.heading)).toEqual({ code: "D", mark: "T" });
      // The board's column is not varied: the trust's own code, unmarked.
      const board = await storedCells(demo.draftVersionId, key, "Board of trustees");
      expect(packCell(devils, board.ref, board.heading)).toEqual({ code: board.base ?? "", mark: null });
    }
    const cluster = await storedCells(demo.draftVersionId, "SEED-12", "Cluster governing body");
    expect(cluster.t4).toBe("M");
    expect(packCell(devils, cluster.ref, cluster.heading)).toEqual({ code: "M", mark: "T" });
  });

  it("shows a school's own variation, marked S, over its tier's variant", async () => {
    const head = await storedCells(demo.draftVersionId, "DER-01", "Headteacher");
    expect(packCell(devils, head.ref, head.heading)).toEqual({ code: "A", mark: "S" });
    const oakbeck = await downloadPack(VARIED_SCHOOL);
    expect(packCell(oakbeck, head.ref, head.heading)).toEqual({ code: "C", mark: "S" });
    // Oakbeck is in the standard tier: the CEO keeps the trust's code there.
    const ceo = await storedCells(demo.draftVersionId, "DER-01", "Chief executive officer");
    expect(packCell(oakbeck, ceo.ref, ceo.heading)).toEqual({ code: ceo.base ?? "", mark: null });
    const differences = tablesOf(oakbeck).find((t) => t.rows[0]?.join("|") === "Ref|Responsibility|Body|Trust's scheme|For this school|Why")!;
    expect(differences.rows.slice(1)).toEqual([[head.ref, expect.any(String), head.heading, expect.stringMatching(new RegExp(`^${head.base}`)), "C (consulted)", "The school's own variation"]]);
  });

  it("says why each varied cell differs, including a variation in place of the tier's", async () => {
    const differences = tablesOf(devils).find((t) => t.rows[0]?.[5] === "Why")!;
    const why = differences.rows.slice(1).map((r) => r[5]);
    const tierCount = (
      await handle.db
        .select({ n: sql<number>`count(*)::int` })
        .from(tierCells)
        .where(and(eq(tierCells.versionId, demo.draftVersionId), eq(tierCells.tier, "T4")))
    )[0]!.n;
    // Every T4 variant is listed once (the one Devil's Arrows varies itself says so instead).
    expect(why.filter((w) => w === "The Intervention (T4) variant")).toHaveLength(tierCount - 1);
    expect(why).toContain("The school's own variation, in place of the Intervention (T4) variant's R (recommends)");
  });

  it("lists every responsibility of the version once, by area, with a heading row that repeats, in a landscape section", async () => {
    const [counted] = await handle.db
      .select({ n: sql<number>`count(*)::int` })
      .from(responsibilities)
      .where(and(eq(responsibilities.trustId, demo.trust.id), sql`${responsibilities.retiredAt} is null`));
    const n = counted!.n;
    const tables = matrixTables(devils);
    const refs = tables.flatMap((t) => t.rows.slice(1).map((r) => r[0]));
    expect(refs).toHaveLength(n);
    expect(new Set(refs).size).toBe(n);
    expect(tables.every((t) => t.headerRepeats)).toBe(true);
    const sections = new Set(tables.map((t) => t.section));
    expect([...sections].map((s) => devils.sections[s]!.orientation)).toEqual(["landscape"]);
    expect(devils.sections[0]!.orientation).toBe("portrait");
  });

  it("shows only the columns that concern the school: the trust's, its own cluster and local board, its headteacher", async () => {
    const headings = matrixTables(devils)[0]!.rows[0]!.slice(2);
    expect(headings).toEqual(expect.arrayContaining(["Members", "Board", "CEO", "Cluster", "Advisory board", "Head"]));
    // The joiner has no cluster or local board yet: those columns say nothing to it, and the pack says it left them out.
    const joiner = await downloadPack(JOINER);
    const joinerHeadings = matrixTables(joiner)[0]!.rows[0]!.slice(2);
    expect(joinerHeadings).not.toContain("Cluster");
    expect(joinerHeadings).not.toContain("Advisory board");
    expect(joinerHeadings).toEqual(expect.arrayContaining(["Members", "Board", "CEO", "Head"]));
    expect(joiner.blocks.some((b) => b.type === "paragraph" && b.text === "Left out as they do not concern this school: Cluster governing body, School advisory board.")).toBe(true);
    const facts = Object.fromEntries(tablesOf(joiner)[0]!.rows.map(([label, value]) => [label, value]));
    expect(facts).toMatchObject({ "Local board": "None", Cluster: "None: the school is not in a cluster" });
  });

  it("gives the school, its tier and next review, its local board and cluster, and says a draft is a draft", () => {
    const facts = Object.fromEntries(tablesOf(devils)[0]!.rows.map(([label, value]) => [label, value]));
    expect(facts["School"]).toMatch(/^Devil's Arrows Primary School, URN \d+ \(primary\)$/);
    expect(facts["Autonomy tier"]).toMatch(/^Intervention \(T4\), from \d+ \w+ \d{4}$/);
    expect(facts["Next review"]).toMatch(/^\d+ \w+ \d{4}$/);
    expect(facts["Local board"]).toMatch(/^Devil's Arrows Primary School advisory board \(advisory\)/);
    expect(facts["Cluster"]).toMatch(/^Ripon & Harrogate cluster/);
    expect(devils.title).toBe("Devil's Arrows Primary School: scheme of delegation");
    const text = devils.blocks.filter((b) => b.type === "paragraph").map((b) => (b as { text: string }).text);
    expect(devils.sections.every((s) => s.header.some((line) => line === "DRAFT: version 3 has not been approved by the board. Do not work from it until it is."))).toBe(true);
    expect(text.join("\n")).toContain("in the Intervention (T4) tier: decided by Board of trustees");
    expect(devils.sections[0]!.header.join(" ")).toContain("School pack: Devil's Arrows Primary School");
  });

  it("lays out in LibreOffice, every page saying which of how many it is, in Calibri's metric twin", async () => {
    const school = demo.schools[T4_SCHOOL]!;
    await downloadPack(T4_SCHOOL);
    const pdf = await convertToPdf(path.join(scratch, `${school.urn}-v3.docx`));
    const pages = await pdfPages(pdf);
    expect(pages.length).toBeGreaterThan(1);
    pages.forEach((page, i) => expect(page, `page ${i + 1}`).toContain(`Page ${i + 1} of ${pages.length}`));
    expect((await pdfFonts(pdf)).every((font) => font.startsWith("Carlito"))).toBe(true);
    expect(pages.slice(1).some((page) => page.includes(`The scheme for ${T4_SCHOOL}`))).toBe(true);
    await keepForReview(pdf, "school-pack-devils-arrows");
  }, 240_000);

  it("of an approved version names the approval and carries no draft banner", async () => {
    const approved = await downloadPack(T4_SCHOOL, 2);
    const text = approved.blocks.filter((b) => b.type === "paragraph").map((b) => (b as { text: string }).text);
    expect(approved.sections.flatMap((s) => s.header).some((t) => t.startsWith("DRAFT"))).toBe(false);
    expect(text.join("\n")).toMatch(/Version 2 \(approved\), approved by [^,]+ on \d+ \w+ \d{4}/);
  });

  it("is not found for a school or version the trust does not have", async () => {
    const school = demo.schools[T4_SCHOOL]!;
    const missing = await fetchFile(packRoute.loader, "/x", { slug: slug(), number: "9", schoolId: school.id }, cookies.viewer);
    expect(missing.status).toBe(404);
    expect(await missing.text()).toBe("Version 9 of the scheme was not found.");
    const stranger = crypto.randomUUID();
    expect((await fetchFile(packRoute.loader, "/x", { slug: slug(), number: "3", schoolId: stranger }, cookies.viewer)).status).toBe(404);
  });
});

// ---------------------------------------------------------------- every pack, in the background

const packsUrl = (number: number) => `/trusts/${slug()}/versions/${number}/packs`;

function startExport(number: number, role = "clerk"): Promise<Answer> {
  return call(packsRoute.action, formPost(packsUrl(number), {}, { cookie: cookies[role] }), { slug: slug(), number: String(number) });
}

function packsPage(number: number, role = "clerk") {
  return call(packsRoute.loader, getRequest(packsUrl(number), cookies[role]), { slug: slug(), number: String(number) });
}

type PageJob = { status: string; progress: number; total: number; message: string | null; startedBy: string | null; download: { packs: number; fileName: string } | null } | null;
const pageJob = (answer: Answer) => (answer.data as { job: PageJob }).job;

async function jobOf(number: number): Promise<JobRecord> {
  const versionId = number === 3 ? demo.draftVersionId : number === 2 ? demo.approvedVersionId : demo.supersededVersionId;
  const [job] = await handle.db
    .select()
    .from(jobs)
    .where(and(eq(jobs.trustId, demo.trust.id), eq(jobs.kind, SCHOOL_PACKS_JOB), eq(jobs.subject, versionId)))
    .orderBy(sql`${jobs.createdAt} desc`)
    .limit(1);
  return job!;
}

async function readZip(response: Response, name: string) {
  const file = await saved(response, name);
  const folder = path.join(scratch, `${name}-entries`);
  const { stdout } = await run("/usr/bin/python3", [path.join(import.meta.dirname, "../support/read-zip.py"), file, folder]);
  return { ...(JSON.parse(stdout) as { entries: { name: string; size: number }[]; intact: boolean }), folder };
}

describe("every school's pack as a ZIP, in the background", () => {
  it("starts on a POST, refuses a second start while it runs, records its progress only upwards and offers the ZIP", async () => {
    expect(pageJob(await packsPage(2))).toBeNull();
    const started = await startExport(2);
    expect(started.status).toBe(303);
    expect(started.location).toBe(packsUrl(2));
    expect(pageJob(await packsPage(2, "viewer"))).toMatchObject({ status: "queued", progress: 0, startedBy: "Joanne Pickersgill" });

    const again = await startExport(2, "ceo");
    expect(again.status).toBe(409);
    expect((again.data as { refused: string }).refused).toBe("The packs of version 2 are already waiting to be made. Wait for them here: this page shows their progress.");
    expect(await handle.db.select({ id: jobs.id }).from(jobs).where(eq(jobs.kind, SCHOOL_PACKS_JOB))).toHaveLength(1);

    // The job's progress as the page would read it, after every write.
    const readings: Promise<{ progress: number; total: number; status: string }>[] = [];
    const reported: [number, number][] = [];
    const ran = await runNextJob(handle.db, JOB_HANDLERS, "test-worker", {
      onProgress: (done, total) => {
        reported.push([done, total]);
        readings.push(packsPage(2).then((a) => pageJob(a) as { progress: number; total: number; status: string }));
      },
    });
    expect(ran?.end).toBe("done");
    const seen = await Promise.all(readings);
    const schools = 13;
    // Packs are made on the Word thread, so the page read on the last pack's write may already find the ZIP made.
    expect(seen.every((r) => r.total === schools)).toBe(true);
    expect(seen.slice(0, -1).every((r) => r.status === "running")).toBe(true);
    expect(["running", "done"]).toContain(seen.at(-1)!.status);
    const progress = seen.map((r) => r.progress);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(progress.at(-1)).toBe(schools);
    // Written with every pack: never more than a tenth of the way between two writes.
    expect(reported.map(([done]) => done)).toEqual([0, 0, ...Array.from({ length: schools }, (_, i) => i + 1)]);

    const done = pageJob(await packsPage(2, "viewer"))!;
    expect(done).toMatchObject({ status: "done", progress: schools, total: schools, download: { packs: schools, fileName: `${slug()}-school-packs-version-2.zip` } });
    // A second export of the version may start once the first is done.
    const zipResponse = await fetchFile(zipRoute.loader, `${packsUrl(2)}.zip`, { slug: slug(), number: "2" }, cookies.viewer);
    expect(zipResponse.status).toBe(200);
    expect(zipResponse.headers.get("Content-Type")).toBe("application/zip");
    expect(zipResponse.headers.get("Content-Disposition")).toBe(`attachment; filename="${slug()}-school-packs-version-2.zip"`);
    const zip = await readZip(zipResponse, "v2.zip");
    expect(zip.intact).toBe(true);
    // Version 2 was approved before the two joiners came: its own schools, one pack each.
    const snapshotSchools = Object.values(demo.schools).filter((s) => s.name !== JOINER && s.name !== "Bempton Cliffs Academy");
    expect(zip.entries.map((e) => e.name).sort()).toEqual(snapshotSchools.map((s) => `${s.urn}-${fileStem(s.name)}.docx`).sort());
    for (const entry of zip.entries.filter((e) => e.name.startsWith(String(demo.schools[T4_SCHOOL]!.urn)))) {
      const reading = await readDocx(path.join(zip.folder, entry.name));
      expect(reading.title).toBe(`${T4_SCHOOL}: scheme of delegation`);
      expect(matrixTables(reading).length).toBeGreaterThan(0);
    }
  });

  it("is picked up and finished by another worker when the one running it stopped, carrying on from the last pack stored", async () => {
    const version = { id: demo.draftVersionId, number: 3 };
    const queued = await startSchoolPacksExport(handle.db, demo.trust.id, version, demo.users.clerk.id);
    const first = await claimJob(handle.db, "server-a", { kinds: [SCHOOL_PACKS_JOB], jobId: queued.id });
    // Server A stores five packs, then its process dies: nothing marks the job, its lease simply runs out.
    let stored = 0;
    const work = jobWork(handle.db, first!, "server-a");
    const dying = { ...work, storePart: async (...args: Parameters<typeof work.storePart>) => {
      if (args[0].name.endsWith(".docx") && ++stored > 5) throw new Error("the server's process was killed");
      return work.storePart(...args);
    } };
    await expect(schoolPacksJob(dying)).rejects.toThrow("killed");
    expect(await jobOf(3)).toMatchObject({ status: "running", progress: 5, total: 15, claimedBy: "server-a", attempts: 1 });

    // While A's lease holds, nobody else takes the job.
    expect(await claimJob(handle.db, "server-b", { kinds: [SCHOOL_PACKS_JOB] })).toBeNull();
    await handle.db.update(jobs).set({ lockedUntil: sql`now() - interval '1 second'` }).where(eq(jobs.id, queued.id));
    expect((pageJob(await packsPage(3)) as { stalled?: boolean } & PageJob)).toMatchObject({ status: "running", stalled: true });

    const progress: number[] = [];
    const ran = await runNextJob(handle.db, JOB_HANDLERS, "server-b", { onProgress: (done) => progress.push(done) });
    expect(ran?.end).toBe("done");
    // B made only the ten packs A had not: its progress starts where A's stopped and only goes up.
    expect(progress).toEqual([5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
    expect(await findJob(handle.db, demo.trust.id, queued.id)).toMatchObject({ status: "done", progress: 15, total: 15, claimedBy: "server-b", attempts: 2 });

    // A, had it only been slow, finds its claim gone at its next write and changes nothing.
    await expect(storePart(handle.db, first!, "server-a", { name: "late.docx", content: new Uint8Array([1]) }, 6, 15)).rejects.toThrow(ClaimLostError);
    const files = await handle.db.select({ name: jobFiles.name }).from(jobFiles).where(eq(jobFiles.jobId, queued.id));
    expect(files.map((f) => f.name)).toEqual([PACKS_ZIP]);

    const zip = await readZip(await fetchFile(zipRoute.loader, `${packsUrl(3)}.zip`, { slug: slug(), number: "3" }, cookies.clerk), "v3.zip");
    expect(zip.entries).toHaveLength(15);
    expect(new Set(zip.entries.map((e) => e.name)).size).toBe(15);
    expect(zip.entries.every((e) => /^\d{6}-[a-z0-9-]+\.docx$/.test(e.name))).toBe(true);
  });

  it("starts again from the first pack when the scheme changed while it was stopped, so every pack shows the same scheme", async () => {
    const queued = await startSchoolPacksExport(handle.db, demo.trust.id, { id: demo.draftVersionId, number: 3 }, null);
    const first = await claimJob(handle.db, "server-a", { kinds: [SCHOOL_PACKS_JOB], jobId: queued.id });
    let stored = 0;
    const work = jobWork(handle.db, first!, "server-a");
    await expect(
      schoolPacksJob({ ...work, storePart: async (...args: Parameters<typeof work.storePart>) => {
        if (args[0].name.endsWith(".docx") && ++stored > 3) throw new Error("stopped");
        return work.storePart(...args);
      } }),
    ).rejects.toThrow("stopped");
    // Meanwhile someone changes a school's variation in the draft.
    await handle.db.delete(schoolCells).where(and(eq(schoolCells.versionId, demo.draftVersionId), eq(schoolCells.schoolId, demo.schools[VARIED_SCHOOL]!.id)));
    await handle.db.update(jobs).set({ lockedUntil: sql`now() - interval '1 second'` }).where(eq(jobs.id, queued.id));
    const progress: number[] = [];
    expect((await runNextJob(handle.db, JOB_HANDLERS, "server-b", { onProgress: (done) => progress.push(done) }))?.end).toBe("done");
    expect(progress[0]).toBe(0);
    expect(progress.at(-1)).toBe(15);
    expect(await findJob(handle.db, demo.trust.id, queued.id)).toMatchObject({
      status: "done",
      message: null,
      result: expect.objectContaining({ packs: 15 }),
    });

    // The page says when the draft has changed since its packs were made.
    expect(pageJob(await packsPage(3))).toMatchObject({ status: "done", outdated: false });
    await handle.db.delete(schoolCells).where(eq(schoolCells.versionId, demo.draftVersionId));
    expect(pageJob(await packsPage(3))).toMatchObject({ status: "done", outdated: true });
  });

  it("is given back at once by a server that stops cleanly, and finished by the next", async () => {
    const queued = await startSchoolPacksExport(handle.db, demo.trust.id, { id: demo.approvedVersionId, number: 2 }, null);
    const claimed = await claimJob(handle.db, "stopping-server", { kinds: [SCHOOL_PACKS_JOB], jobId: queued.id });
    const stopping = new AbortController();
    const end = await runClaimedJob(handle.db, claimed!, "stopping-server", schoolPacksJob, {
      signal: stopping.signal,
      onProgress: (done) => {
        if (done === 4) stopping.abort(new Error("The server is stopping."));
      },
    });
    expect(end).toBe("released");
    expect(await findJob(handle.db, demo.trust.id, queued.id)).toMatchObject({ status: "running", progress: 4, claimedBy: null });
    // No lease to wait for: the next worker takes it straight away.
    const progress: number[] = [];
    expect((await runNextJob(handle.db, JOB_HANDLERS, "next-server", { onProgress: (done) => progress.push(done) }))?.end).toBe("done");
    expect(progress[0]).toBe(4);
    expect(await findJob(handle.db, demo.trust.id, queued.id)).toMatchObject({ status: "done", progress: 13, attempts: 2 });
  });

  it(`is given up, saying why, once it has been started ${MAX_ATTEMPTS} times without finishing`, async () => {
    const queued = await startSchoolPacksExport(handle.db, demo.trust.id, { id: demo.supersededVersionId, number: 1 }, null);
    await handle.db.update(jobs).set({ status: "running", attempts: MAX_ATTEMPTS, claimedBy: "gone", lockedUntil: sql`now() - interval '1 second'` }).where(eq(jobs.id, queued.id));
    expect(await runNextJob(handle.db, JOB_HANDLERS, "server-c")).toBeNull();
    const failed = pageJob(await packsPage(1))!;
    expect(failed.status).toBe("failed");
    expect(failed.message).toBe(
      `It was started ${MAX_ATTEMPTS} times and stopped each time before it finished (the server running it stopped or restarted). Start it again; if it stops again, tell whoever looks after this installation.`,
    );
    // A failed export may be started again.
    expect((await startExport(1)).status).toBe(303);
    expect((await runNextJob(handle.db, JOB_HANDLERS, "server-c"))?.end).toBe("done");
  });

  it("fails, saying why in words, when its version was discarded before it ran", async () => {
    const draft = await handle.db.query.schemeVersions.findFirst({ where: (v, { eq: is }) => is(v.id, demo.draftVersionId) });
    expect((await startExport(3)).status).toBe(303);
    await discardDraft(handle.db, COMMAND_LINE, { trustId: demo.trust.id, versionId: demo.draftVersionId, expectedVersion: draft!.version });
    expect((await runNextJob(handle.db, JOB_HANDLERS, "server-d"))?.end).toBe("failed");
    const [failed] = await handle.db.select().from(jobs).where(and(eq(jobs.subject, demo.draftVersionId), eq(jobs.status, "failed")));
    expect(failed!.message).toBe("Version 3 no longer exists: it was discarded before its packs were made.");
    expect(await handle.db.select().from(jobFiles).where(eq(jobFiles.jobId, failed!.id))).toEqual([]);
  });

  it("is neither seen nor downloaded from another trust", async () => {
    const other = await createTrust(handle.db, COMMAND_LINE, { name: "Estuary Outsiders Trust", slug: "estuary-outsiders" });
    const outsider = await createUser(handle.db, COMMAND_LINE, { name: "Osei Outsider", email: "osei@estuary.example", password: "outsider-password-2" });
    await addMember(handle.db, COMMAND_LINE, { trustId: other.id, userId: outsider.id, role: "clerk" });
    const cookie = await sessionCookie("osei@estuary.example", "outsider-password-2");
    const page = await call(packsRoute.loader, getRequest(packsUrl(2), cookie), { slug: slug(), number: "2" });
    expect(page.status).toBe(404);
    const zip = await fetchFile(zipRoute.loader, `${packsUrl(2)}.zip`, { slug: slug(), number: "2" }, cookie);
    expect(zip.status).toBe(404);
    expect(await zip.text()).not.toContain(demo.trust.name);
    // Nor through the model with the other trust's id.
    const job = await jobOf(2);
    expect(await jobFile(handle.db, other.id, job.id, PACKS_ZIP)).toBeNull();
    expect(await jobFile(handle.db, demo.trust.id, job.id, PACKS_ZIP)).not.toBeNull();
    expect(await findJob(handle.db, other.id, job.id)).toBeNull();
  });

  it(`is kept ${KEEP_FINISHED_DAYS} days after it finished, with its ZIP`, async () => {
    const job = await jobOf(2);
    await handle.db.update(jobs).set({ updatedAt: sql`now() - ${KEEP_FINISHED_DAYS - 1}::int * interval '1 day'` }).where(eq(jobs.id, job.id));
    expect(await removeOldJobs(handle.db)).toBe(0);
    await handle.db.update(jobs).set({ updatedAt: sql`now() - ${KEEP_FINISHED_DAYS + 1}::int * interval '1 day'` }).where(eq(jobs.id, job.id));
    expect(await removeOldJobs(handle.db)).toBe(1);
    expect(await findJob(handle.db, demo.trust.id, job.id)).toBeNull();
    expect(await handle.db.select().from(jobFiles).where(eq(jobFiles.jobId, job.id))).toEqual([]);
    expect(pageJob(await packsPage(2))).toBeNull();
  });
});
