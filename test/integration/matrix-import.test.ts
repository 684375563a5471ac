import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { and, count, eq, isNull, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database, DatabaseHandle } from "../../db/client";
import { auditLog, cells, governanceBodies, responsibilities, schemeVersions, trusts } from "../../db/schema";
import { formatCsv, parseCsv } from "~/domain/csv";
import { findKey, resolveKey } from "~/domain/decision-keys";
import { describeProblem } from "~/domain/matrix-csv";
import { cellKey } from "~/domain/scheme";
import { COMMAND_LINE } from "~/models/audit.server";
import { exportVersionCsv } from "~/models/matrix-export.server";
import { applyImport, ImportRefusedError, PreviewOutdatedError, previewImport, trustKey } from "~/models/matrix-import.server";
import { saveRow } from "~/models/row-save.server";
import { approveVersion, findDraft, loadScheme } from "~/models/scheme.server";
import { addMember } from "~/models/membership.server";
import { createTrust, type Trust } from "~/models/trust.server";
import { createUser } from "~/models/user.server";
import { action as importAction, loader as importLoader } from "~/routes/trusts.$slug.import._index";
import { loader as csvLoader } from "~/routes/trusts.$slug.versions.$number[.]csv";
import type { CommandArgs, CommandContext } from "~/cli/command";
import { exportCommand } from "~/cli/commands/export";
import { importCsvCommand } from "~/cli/commands/import-csv";
import { freshDatabase } from "../support/database";
import { call, getRequest, ORIGIN, sessionCookie } from "../support/requests";

const fixture = (name: string) => fs.readFileSync(path.resolve(import.meta.dirname, "../fixtures/csv", name), "utf8");
const MANOR = fixture("manor-x-marks.csv");
const LIONHEART = fixture("lionheart-responsible-recommends.csv");
const RASCI = fixture("rasci-academy-council.csv");

let handle: DatabaseHandle;
let db: Database;
let trustCount = 0;

beforeAll(async () => {
  handle = await freshDatabase();
  db = handle.db;
});
afterAll(() => handle?.close());

async function newTrust(name: string): Promise<Trust> {
  trustCount++;
  return createTrust(db, COMMAND_LINE, { name, slug: `import-${trustCount}` });
}

/** Everything an import could change, counted, so a refusal can be shown to have changed nothing. */
async function footprint(trustId: string) {
  const n = async (table: typeof responsibilities | typeof governanceBodies | typeof cells | typeof schemeVersions | typeof auditLog) =>
    (await db.select({ n: count() }).from(table).where(eq(table.trustId, trustId)))[0]!.n;
  const [trust] = await db.select({ key: trusts.decisionKey, version: trusts.version }).from(trusts).where(eq(trusts.id, trustId));
  const titles = await db.select({ ref: responsibilities.ref, title: responsibilities.title }).from(responsibilities).where(eq(responsibilities.trustId, trustId));
  return {
    responsibilities: await n(responsibilities),
    bodies: await n(governanceBodies),
    cells: await n(cells),
    versions: await n(schemeVersions),
    audit: await n(auditLog),
    trust,
    titles: Object.fromEntries(titles.map((t) => [t.ref, t.title])),
  };
}

async function draftCodes(trustId: string): Promise<Record<string, Record<string, string>>> {
  const draft = (await findDraft(db, trustId))!;
  const scheme = await loadScheme(db, trustId, draft.id);
  const byRef: Record<string, Record<string, string>> = {};
  for (const row of scheme.rows) {
    for (const column of scheme.columns) {
      const code = scheme.cells[cellKey(row.id, column.id)]?.code;
      if (code) (byRef[row.ref] ??= {})[column.name] = code;
    }
  }
  return byRef;
}

/** A trust that brings its own scheme and has retired the default catalogue's rows. */
async function trustWithoutDefaultRows(name: string): Promise<Trust> {
  const trust = await newTrust(name);
  await db.update(responsibilities).set({ retiredAt: sql`now()` }).where(eq(responsibilities.trustId, trust.id));
  return trust;
}

describe("importing a trust's matrix", () => {
  it("imports a 7-column X-marked matrix with numbered rows: its bodies, rows, sections and marks, in a new draft", async () => {
    const trust = await trustWithoutDefaultRows("Manor-shaped Trust");
    const result = await applyImport(db, COMMAND_LINE, { trustId: trust.id, csv: MANOR, key: findKey("x")!, fileName: "manor.csv" });
    expect(result.startedDraft).toBe(true);
    expect(result.version?.number).toBe(1);
    const bodies = await db
      .select({ name: governanceBodies.name, kind: governanceBodies.kind })
      .from(governanceBodies)
      .where(eq(governanceBodies.trustId, trust.id))
      .orderBy(governanceBodies.position);
    expect(bodies).toEqual([
      { name: "Members", kind: "members" },
      { name: "Trust board", kind: "board" },
      { name: "Audit committee", kind: "committee" },
      { name: "CEO", kind: "executive" },
      { name: "CFO", kind: "executive" },
      { name: "Local governing body", kind: "local" },
      { name: "Academy leadership team", kind: "school" },
    ]);
    const [signatories] = await db
      .select()
      .from(responsibilities)
      .where(and(eq(responsibilities.trustId, trust.id), eq(responsibilities.ref, "1.1"), isNull(responsibilities.retiredAt)));
    expect(signatories).toMatchObject({ title: "Signatories to the articles of association", section: "1. Members", area: 9, catalogueKey: null });
    const codes = await draftCodes(trust.id);
    expect(codes["1.1"]).toEqual({ Members: "D" });
    expect(codes["3.4"]).toEqual({ CEO: "D", "Local governing body": "D" });
    expect(Object.values(codes).flatMap((r) => Object.values(r))).toHaveLength(33);
    // One entry for the import, and one per responsibility added, with its codes.
    const entries = await db.select().from(auditLog).where(eq(auditLog.versionId, result.version!.id));
    expect(entries.filter((e) => e.action === "import" && e.entity === "version")).toHaveLength(1);
    expect(entries.filter((e) => e.entity === "responsibility" && e.action === "create")).toHaveLength(32);
    expect(entries.find((e) => e.summary.startsWith("Added 3.4 "))).toMatchObject({
      summary: "Added 3.4 Approving each academy's development plan (3. Vision and strategy) in version 1: CEO (empty) → D; Local governing body (empty) → D, imported from manor.csv",
      after: { ref: "3.4", section: "3. Vision and strategy", area: 1, codes: { CEO: "D", "Local governing body": "D" } },
    });
    const bodyEntries = await db.select().from(auditLog).where(and(eq(auditLog.trustId, trust.id), eq(auditLog.entity, "body")));
    expect(bodyEntries.map((e) => e.summary)).toContain("Added the board committee column Audit committee, named in an imported matrix");
    expect(entries.find((e) => e.entity === "version" && e.action === "import")?.summary).toBe(
      'Imported the trust\'s matrix from manor.csv into draft version 1 with the key "X marks (X = decides, * = must be consulted)": 7 new bodies, 32 new responsibilities, 0 updated, 33 cells set, 0 cleared; 0 responsibilities not in the file left as they were',
    );
    expect((await trustKey(db, trust.id))?.name).toBe("x");
  });

  it("refuses numbered rows whose refs are default rows with a constraint they break, explaining the clash, and changes nothing", async () => {
    const trust = await newTrust("Fresh Trust");
    const before = await footprint(trust.id);
    const refused = await applyImport(db, COMMAND_LINE, { trustId: trust.id, csv: MANOR, key: findKey("x")! }).catch((e) => e);
    expect(refused).toBeInstanceOf(ImportRefusedError);
    expect((refused as ImportRefusedError).plan.errors.map(describeProblem)).toEqual([
      'Row 3, column D, Members: Decides (D) is not permitted here. Only the trust board may decide "Set the trust\'s vision, values and strategic aims". Ref 1.2 is that responsibility in this trust, and this row would replace it: if "Appointing and removing members" is a different decision, give the row a ref the trust does not use yet, or import the file as the trust\'s whole scheme (its rows then replace the current catalogue).',
      'Row 22, column H, CFO: Decides (D) is not permitted here. Only the trust board or board committee or local governing body may decide "Review suspensions and permanent exclusions (considering reinstatement)" (ST-21). Ref 4.3 is that responsibility in this trust, and this row would replace it: if "Monitoring monthly management accounts" is a different decision, give the row a ref the trust does not use yet, or import the file as the trust\'s whole scheme (its rows then replace the current catalogue).',
    ]);
    expect(await footprint(trust.id)).toEqual(before);
  });

  it("imports a 15-column Responsible/Recommends matrix beside the default catalogue, which it leaves as it is", async () => {
    const trust = await newTrust("Lionheart-shaped Trust");
    const preview = await previewImport(db, { trustId: trust.id, csv: LIONHEART, key: findKey("responsible-recommends")! });
    expect(preview.plan.errors).toEqual([]);
    expect(preview.newDraft).toEqual({ number: 1, basedOn: null });
    expect(preview.plan.summary).toMatchObject({ newBodies: 15, newRows: 32, updatedRows: 0, untouchedRows: 46 });
    const result = await applyImport(db, COMMAND_LINE, {
      trustId: trust.id,
      csv: LIONHEART,
      key: findKey("responsible-recommends")!,
      expectedFingerprint: preview.fingerprint,
      areaChoices: { "D School times": 8 },
    });
    const scheme = await loadScheme(db, trust.id, result.version!.id);
    expect(scheme.columns.map((c) => c.name)).toEqual([
      "Members",
      "Board (link governor)",
      "Trust Chair",
      "CEO",
      "Deputy CEO",
      "Exec Primary",
      "CFO",
      "Estates",
      "IT",
      "HR",
      "Enterprise",
      "Governance",
      "Hub",
      "LGB",
      "Head",
    ]);
    expect(scheme.rows).toHaveLength(46 + 32);
    const d1 = scheme.rows.find((r) => r.ref === "D1")!;
    expect(d1).toMatchObject({ section: "D School times", area: 8 });
    expect(scheme.rows.find((r) => r.ref === "C1")?.title).toBe('Curriculum intent: the "Lionheart curriculum" for all schools');
    expect(scheme.rows.find((r) => r.ref === "1.1")?.title).toBe("Individual academies' vision and values");
    const codes = await draftCodes(trust.id);
    expect(codes["M3"]).toEqual({ "Board (link governor)": "D", "Trust Chair": "D", CFO: "R" });
  });

  it("starts the draft from the latest approved version and changes it in place, leaving the approved version as it was", async () => {
    const trust = await newTrust("RASCI Trust");
    const first = await applyImport(db, COMMAND_LINE, { trustId: trust.id, csv: RASCI, key: findKey("rasci")! });
    const [board] = await db.select().from(governanceBodies).where(and(eq(governanceBodies.trustId, trust.id), eq(governanceBodies.name, "Trust board")));
    const approved = await approveVersion(db, COMMAND_LINE, {
      trustId: trust.id,
      versionId: first.version!.id,
      expectedVersion: first.version!.version,
      approvedByBodyId: board!.id,
      approvedOn: "2025-07-10",
      minuteRef: "TB/25/31",
      reviewDueOn: "2026-07-10",
    });
    const approvedCsv = (await exportVersionCsv(db, trust, { number: 1, key: "rasci" })).csv;

    const edited = RASCI.replace("FIN-01,Finance,Approve the trust budget,A,R,R,,I,I,", "FIN-01,Finance,Approve the trust's annual budget,A,R,,,I,C,")
      .concat("EST-03,Estates,Lettings of academy premises,,,,,I,A,\n");
    const preview = await previewImport(db, { trustId: trust.id, csv: edited, key: findKey("rasci")! });
    expect(preview.draft).toBeNull();
    expect(preview.newDraft).toEqual({ number: 2, basedOn: 1 });
    expect(preview.plan.summary).toMatchObject({ newRows: 1, updatedRows: 1, cellsSet: 3, cellsCleared: 1, unchangedRows: 14 });
    const second = await applyImport(db, COMMAND_LINE, { trustId: trust.id, csv: edited, key: findKey("rasci")!, expectedFingerprint: preview.fingerprint });
    expect(second).toMatchObject({ startedDraft: true, version: { number: 2, basedOnId: approved.id } });
    const codes = await draftCodes(trust.id);
    expect(codes["FIN-01"]).toEqual({ "Trust board": "D", "Finance & audit committee": "E", "Academy council": "I", Principal: "C" });
    expect(codes["GOV-01"]).toEqual({ "Trust board": "D", "Finance & audit committee": "C", "Chief executive": "E", "Academy council": "I", Principal: "I", Diocese: "C" });
    expect(codes["EST-03"]).toEqual({ "Academy council": "I", Principal: "D" });
    // The approved version reads its frozen snapshot and its own cells: as it was.
    expect((await exportVersionCsv(db, trust, { number: 1, key: "rasci" })).csv).toBe(approvedCsv);
    expect(approvedCsv).toContain("FIN-01,Finance,Approve the trust budget,A,R,R,,I,I,");
  });
});

describe("a file with problems", () => {
  const variants: [string, (csv: string) => string, string[]][] = [
    [
      "an unknown mark",
      (csv) => csv.replace("B1,B Strategy,Set the trust's three-year strategy,,Responsible", "B1,B Strategy,Set the trust's three-year strategy,,Resp."),
      ['Row 4, column E, Board (link governor): "Resp." is not a mark of the key "Responsible / Recommends": its marks are Responsible, Recommends, Recommend, —, -.'],
    ],
    [
      "a duplicate ref",
      (csv) => csv.replace("K2,K HR,", "K1,K HR,"),
      ["Row 22, column A, ref: the ref K1 is also used on row 21: each responsibility needs its own ref."],
    ],
    [
      "a ragged row",
      (csv) => csv.replace("N2,N Estates,Lettings of school premises,,,", "N2,N Estates,Lettings of school premises,,"),
      ["Row 29: this row has 17 values but the heading row has 18. Check for a missing or extra comma, or a value with a comma that is not in quotation marks."],
    ],
    [
      "an unknown body without its kind",
      (csv) => csv.replace("Enterprise [executive]", "Enterprise"),
      [
        'Row 1, column Q, Enterprise: "Enterprise" is not one of the trust\'s columns. To add it, give its kind in square brackets, e.g. "Enterprise [committee]"; the kinds are members, board, committee, executive, cluster, local, school, external.',
      ],
    ],
    [
      "an unclosed quotation mark",
      (csv) => csv.replace('"Contracts over £50,000"', '"Contracts over £50,000'),
      ["Line 27: a quoted value is never closed (a quotation mark is missing). Nothing can be read after it."],
    ],
    [
      "a code the row's constraint forbids",
      (csv) =>
        `${csv}9.3,G Governance,"Approve and review the scheme of delegation, the terms of reference of committees and local boards, and the board's reserved matters",,,Responsible,,,,,,,,,,,,\r\n`,
      [
        'Row 34, column F, Hub: Decides (D) is not permitted here. Only the trust board may decide "Approve and review the scheme of delegation, the terms of reference of committees and local boards, and the board\'s reserved matters" (ST-14, ST-26).',
      ],
    ],
  ];

  it.each(variants)("is refused whole for %s, with the row and column, and nothing changes", async (_name, spoil, expected) => {
    const trust = await newTrust("Careful Trust");
    const before = await footprint(trust.id);
    const csv = spoil(LIONHEART);
    expect(csv).not.toBe(LIONHEART);
    const refused = await applyImport(db, COMMAND_LINE, { trustId: trust.id, csv, key: findKey("responsible-recommends")! }).catch((e) => e);
    expect(refused).toBeInstanceOf(ImportRefusedError);
    expect((refused as ImportRefusedError).plan.errors.map(describeProblem)).toEqual(expected);
    expect(await footprint(trust.id)).toEqual(before);
  });
});

describe("importing again", () => {
  it("updates the draft in place from its own export edited in a spreadsheet", async () => {
    const trust = await newTrust("Round Trip Trust");
    await applyImport(db, COMMAND_LINE, { trustId: trust.id, csv: LIONHEART, key: findKey("responsible-recommends")! });
    const draft = (await findDraft(db, trust.id))!;
    const exported = (await exportVersionCsv(db, trust, { number: draft.number })).csv;
    const idsBefore = await db.select({ id: responsibilities.id, ref: responsibilities.ref }).from(responsibilities).where(eq(responsibilities.trustId, trust.id));

    const again = await previewImport(db, { trustId: trust.id, csv: exported, key: findKey("codes")! });
    expect(again.plan.summary).toMatchObject({ newBodies: 0, newRows: 0, updatedRows: 0, cellsSet: 0, cellsCleared: 0, unchangedRows: 78 });

    // As a spreadsheet would: clear a cell, retitle a row, add a row.
    const records = parseCsv(exported).map((r) => r.fields);
    const column = (name: string) => records[0]!.findIndex((h) => h.startsWith(`${name} [`));
    const line = (ref: string) => records.find((r) => r[0] === ref)!;
    line("A1")[column("CEO")] = "";
    line("L1")[2] = "Appoint headteachers and heads of school";
    const added = records[0]!.map(() => "");
    added.splice(0, 3, "L3", "L Staff appointments", "Appoint the school business manager");
    added[column("HR")] = "R";
    added[column("Head")] = "D";
    records.push(added);
    const edited = formatCsv(records);
    const result = await applyImport(db, COMMAND_LINE, { trustId: trust.id, csv: edited, key: findKey("codes")! });
    expect(result.startedDraft).toBe(false);
    expect(result.version?.id).toBe(draft.id);
    expect(result.plan.summary).toMatchObject({ newRows: 1, updatedRows: 2, cellsSet: 2, cellsCleared: 1 });
    const idsAfter = await db.select({ id: responsibilities.id, ref: responsibilities.ref }).from(responsibilities).where(eq(responsibilities.trustId, trust.id));
    expect(idsAfter.filter((r) => r.ref !== "L3")).toEqual(expect.arrayContaining(idsBefore));
    expect(idsAfter).toHaveLength(idsBefore.length + 1);
    const codes = await draftCodes(trust.id);
    expect(codes["A1"]).toEqual({ "Board (link governor)": "D" });
    expect(codes["L3"]).toEqual({ HR: "R", Head: "D" });
    const [l1] = await db.select().from(responsibilities).where(and(eq(responsibilities.trustId, trust.id), eq(responsibilities.ref, "L1")));
    expect(l1!.title).toBe("Appoint headteachers and heads of school");
    expect(l1!.version).toBe(2);
    // The cell's history shows the import like any edit of the matrix.
    const a1 = idsAfter.find((r) => r.ref === "A1")!;
    const history = await db.select().from(auditLog).where(and(eq(auditLog.versionId, draft.id), eq(auditLog.responsibilityId, a1.id)));
    expect(history.map((h) => h.summary)).toContain(
      "A1 Agree the trust's vision, mission and values: CEO R → (empty) in version 1, imported from a CSV file",
    );
  });

  it("refuses a confirmation when the matrix changed after the preview, and shows the new preview", async () => {
    const trust = await newTrust("Busy Trust");
    await applyImport(db, COMMAND_LINE, { trustId: trust.id, csv: RASCI, key: findKey("rasci")! });
    const edited = RASCI.replace("SAF-02,Safeguarding,Designated safeguarding lead in each academy,I,,,A,C,R,", "SAF-02,Safeguarding,Designated safeguarding lead in each academy,I,,,A,C,A,");
    const preview = await previewImport(db, { trustId: trust.id, csv: edited, key: findKey("rasci")! });
    const draft = (await findDraft(db, trust.id))!;
    const scheme = await loadScheme(db, trust.id, draft.id);
    const row = scheme.rows.find((r) => r.ref === "SAF-02")!;
    const principal = scheme.columns.find((c) => c.name === "Principal")!;
    await saveRow(db, COMMAND_LINE, { trustId: trust.id, versionId: draft.id, rowId: row.id, codes: { [principal.id]: "M" }, expectedRevision: scheme.rowRevisions[row.id]! });
    const before = await footprint(trust.id);
    const outdated = await applyImport(db, COMMAND_LINE, { trustId: trust.id, csv: edited, key: findKey("rasci")!, expectedFingerprint: preview.fingerprint }).catch((e) => e);
    expect(outdated).toBeInstanceOf(PreviewOutdatedError);
    expect((outdated as PreviewOutdatedError).preview.plan.rows.find((r) => r.ref === "SAF-02")?.changes).toEqual([{ columnIndex: 5, before: "M", after: "D" }]);
    expect(await footprint(trust.id)).toEqual(before);
  });

  // How fast this is, is measured by `npm run bench -- matrix-import`, not here.
  it("imports 150 rows by 15 columns as new rows and bodies, and again as updates in place", async () => {
    const trust = await newTrust("National-sized Trust");
    const kinds = ["members", "board", "committee", "committee", "committee", "executive", "executive", "executive", "executive", "cluster", "local", "school", "school", "external", "external"];
    const header = ["ref", "area", "responsibility", ...kinds.map((k, i) => `Body ${i + 1} [${k}]`)].join(",");
    const marks = ["D", "R", "C", "A", "E", "M", "I", ""];
    const file = (shift: number) =>
      [header, ...Array.from({ length: 150 }, (_, r) => [`N${r + 1}`, `Section ${(r % 12) + 1}`, `"Responsibility number ${r + 1}, in full"`, ...kinds.map((_k, c) => marks[(r + c + shift) % marks.length]!)].join(","))].join("\n");
    const key = resolveKey("codes");
    const first = await applyImport(db, COMMAND_LINE, { trustId: trust.id, csv: file(0), key });
    expect(first.plan.summary).toMatchObject({ newBodies: 15, newRows: 150 });
    const second = await applyImport(db, COMMAND_LINE, { trustId: trust.id, csv: file(1), key });
    expect(second.plan.summary).toMatchObject({ newRows: 0, updatedRows: 150 });
  });
});

describe("the import page and the CSV download", () => {
  let trust: Trust;
  const cookies: Record<"clerk" | "trustee" | "viewer", string> = { clerk: "", trustee: "", viewer: "" };
  const page = () => `/trusts/${trust.slug}/import`;

  beforeAll(async () => {
    trust = await newTrust("Page Trust");
    for (const role of ["clerk", "trustee", "viewer"] as const) {
      const person = { name: `Page ${role}`, email: `page.${role}@page-trust.example`, password: `page-${role}-password` };
      const user = await createUser(db, COMMAND_LINE, person);
      await addMember(db, COMMAND_LINE, { trustId: trust.id, userId: user.id, role });
      cookies[role] = await sessionCookie(person.email, person.password);
    }
  });

  /** A multipart post as a browser sends it, with its length. */
  async function upload(path: string, fields: Record<string, string | File>, cookie: string): Promise<Request> {
    const form = new FormData();
    for (const [name, value] of Object.entries(fields)) form.append(name, value);
    const encoded = new Response(form);
    const body = await encoded.arrayBuffer();
    return new Request(new URL(path, ORIGIN), {
      method: "POST",
      body,
      headers: { "Content-Type": encoded.headers.get("Content-Type")!, "Content-Length": String(body.byteLength), cookie },
    });
  }

  const post = async (fields: Record<string, string | File>, who: keyof typeof cookies = "clerk") =>
    call(importAction, await upload(page(), fields, cookies[who]), { slug: trust.slug });

  interface PageData {
    preview: null | {
      choices: { csv: string; fileName: string | null; key: string; customKey: string };
      fingerprint: string;
      errors: { where: string; column: string; message: string }[];
      summary: Record<string, number>;
      sections: { heading: string; area: number; source: string }[];
      newBodies: { name: string; kind: string }[];
    };
    refusal: null | { formError?: string; fieldErrors?: Record<string, string> };
    done: null | { version: number | null; message: string };
  }
  const pageData = (answer: { data: unknown }) => answer.data as PageData;

  it("is closed to a viewer (403), for looking and for posting", async () => {
    expect((await call(importLoader, getRequest(page(), cookies.viewer), { slug: trust.slug })).status).toBe(403);
    const before = await footprint(trust.id);
    expect((await post({ intent: "preview", key: "rasci", file: new File([RASCI], "rasci.csv") }, "viewer")).status).toBe(403);
    expect(await footprint(trust.id)).toEqual(before);
  });

  it("previews an upload without changing anything, then imports it on confirmation with the chosen research areas", async () => {
    const opened = await call(importLoader, getRequest(page(), cookies.clerk), { slug: trust.slug });
    expect(opened.status).toBe(200);
    const before = await footprint(trust.id);
    const previewed = await post({ intent: "preview", key: "rasci", customKey: "", file: new File([RASCI], "rasci.csv", { type: "text/csv" }) });
    expect(previewed.status).toBe(200);
    const preview = pageData(previewed).preview!;
    expect(preview.errors).toEqual([]);
    expect(preview.summary).toMatchObject({ newBodies: 7, newRows: 15 });
    expect(preview.sections.find((s) => s.heading === "Academy performance")).toMatchObject({ area: 10, source: "name" });
    expect(preview.choices.fileName).toBe("rasci.csv");
    expect(await footprint(trust.id)).toEqual(before);

    const index = preview.sections.findIndex((s) => s.heading === "Academy performance");
    const confirmed = await post({
      intent: "confirm",
      csv: preview.choices.csv,
      fileName: "rasci.csv",
      key: "rasci",
      customKey: "",
      fingerprint: preview.fingerprint,
      [`heading-${index}`]: "Academy performance",
      [`area-${index}`]: "8",
    });
    expect(confirmed.status).toBe(200);
    expect(pageData(confirmed).done).toEqual({
      version: 1,
      started: true,
      message: "Imported rasci.csv into draft version 1: 7 new bodies, 15 new responsibilities, 0 updated, 69 cells set and 0 cleared.",
    });
    const [row] = await db.select().from(responsibilities).where(and(eq(responsibilities.trustId, trust.id), eq(responsibilities.ref, "ACA-01")));
    expect(row).toMatchObject({ section: "Academy performance", area: 8 });
  });

  it("checks the carried file again on confirmation, and refuses a changed one whole", async () => {
    const before = await footprint(trust.id);
    const spoilt = RASCI.replace("SAF-01,Safeguarding,Trust safeguarding policy,A,", "SAF-01,Safeguarding,Trust safeguarding policy,Q,");
    const answer = await post({ intent: "confirm", csv: Buffer.from(spoilt).toString("base64"), fileName: "rasci.csv", key: "rasci", fingerprint: "made-up" });
    expect(answer.status).toBe(400);
    expect(pageData(answer).refusal?.formError).toBe("The file has 1 problem to put right before anything can be imported. Nothing was imported.");
    expect(pageData(answer).preview?.errors).toEqual([
      { where: "13", column: "D, Trust board", message: '"Q" is not a mark of the key "RASCI": its marks are A, R, S, C, I, —, -.' },
    ]);
    expect(await footprint(trust.id)).toEqual(before);
  });

  it("refuses a confirmation whose preview the matrix has moved on from", async () => {
    const edited = RASCI.replace("EST-02,Estates,Day-to-day premises management,,,,I,,A,", "EST-02,Estates,Day-to-day premises management,,,,I,,A,C");
    const previewed = pageData(await post({ intent: "preview", key: "rasci", file: new File([edited], "rasci.csv") })).preview!;
    expect(previewed.summary).toMatchObject({ updatedRows: 1, cellsSet: 1 });
    await applyImport(db, COMMAND_LINE, { trustId: trust.id, csv: RASCI.replace(",,,,I,,A,\n", ",,,,I,,A,I\n"), key: findKey("rasci")! });
    const before = await footprint(trust.id);
    const answer = await post({ intent: "confirm", csv: previewed.choices.csv, fileName: "rasci.csv", key: "rasci", fingerprint: previewed.fingerprint });
    expect(answer.status).toBe(409);
    expect(pageData(answer).refusal?.formError).toMatch(/changed after the preview was made, so nothing was imported/);
    expect(await footprint(trust.id)).toEqual(before);
  });

  it("lets a trustee import into the draft, but not add bodies, which only the clerk can", async () => {
    const withNewBody = RASCI.split("\n")
      .map((line, i) => (i === 0 ? `${line},Estates manager [executive]` : line === "" ? line : `${line},`))
      .join("\n");
    const answer = await post({ intent: "preview", key: "rasci", file: new File([withNewBody], "rasci.csv") }, "trustee");
    expect(answer.status).toBe(400);
    expect(pageData(answer).preview?.errors.map((e) => e.message)).toEqual([
      '"Estates manager" is not one of the trust\'s columns, and only the trust\'s clerk can add governance bodies. Ask the clerk to add it, or to import this file.',
    ]);
  });

  it("says which key was wrong, and asks for the file when none came", async () => {
    const wrongKey = await post({ intent: "preview", key: "custom", customKey: "X=Q", file: new File([RASCI], "rasci.csv") });
    expect(wrongKey.status).toBe(400);
    expect(pageData(wrongKey).refusal?.fieldErrors).toEqual({ customKey: '"X=Q": Q is not a decision code; use one of D R C A E M I —' });
    const noFile = await post({ intent: "preview", key: "rasci" });
    expect(pageData(noFile).refusal?.fieldErrors).toEqual({ file: "Choose the CSV file of the matrix." });
  });

  it("downloads any version as CSV for any member, in codes or the trust's own marks", async () => {
    const url = `/trusts/${trust.slug}/versions/1.csv`;
    const response = (await csvLoader({ request: getRequest(url, cookies.viewer), params: { slug: trust.slug, number: "1" }, context: {} })) as Response;
    expect(response.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("Content-Disposition")).toBe(`attachment; filename="${trust.slug}-scheme-version-1.csv"`);
    const bytes = new Uint8Array(await response.arrayBuffer());
    // The byte-order mark that tells Excel the file is UTF-8.
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const codes = new TextDecoder().decode(bytes);
    expect(codes.startsWith("ref,area,responsibility,Trust board [board],")).toBe(true);
    expect(codes).toContain("\r\nGOV-01,Governance & compliance,Approve the scheme of delegation,D,C,E,,I,I,C\r\n");
    const own = await call(csvLoader, getRequest(`${url}?key=trust`, cookies.viewer), { slug: trust.slug, number: "1" });
    expect(own.text).toContain("\r\nGOV-01,Governance & compliance,Approve the scheme of delegation,A,C,R,,I,I,C\r\n");
    const refused = await call(csvLoader, getRequest(`${url}?key=y-a`, cookies.viewer), { slug: trust.slug, number: "1" });
    expect(refused.status).toBe(400);
    expect(refused.text).toBe(
      'The key "Y / A (NGA-style planner)" has no mark for E (executes, 25 cells), I (informed, 18 cells), C (consulted, 12 cells). Download with the decision codes instead, or use a key with a mark for every code the scheme uses.',
    );
    expect((await call(csvLoader, getRequest(`/trusts/${trust.slug}/versions/9.csv`, cookies.viewer), { slug: trust.slug, number: "9" })).status).toBe(404);
  });
});

describe("the command line", () => {
  function args(values: Record<string, string | boolean>): CommandArgs {
    return {
      text: (name) => (typeof values[name] === "string" ? (values[name] as string) : undefined),
      required: (name) => values[name] as string,
      flag: (name) => values[name] === true,
      positionals: [],
    };
  }
  function terminal() {
    const out: string[] = [];
    const context: CommandContext = { database: async () => db, out: (t) => out.push(t), err: (t) => out.push(t), env: process.env };
    return { out, context };
  }
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "sod-matrix-cli-"));
  afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

  it("imports a file saved by Excel on Windows (Windows-1252), after a dry run that changes nothing", async () => {
    const trust = await newTrust("Command Line Trust");
    const file = path.join(scratch, "lionheart.csv");
    // Excel's plain "CSV" on Windows writes £ as the single byte 0xA3.
    fs.writeFileSync(file, Buffer.from(LIONHEART.replace(/^\uFEFF/, ""), "latin1"));
    const dry = terminal();
    const before = await footprint(trust.id);
    await importCsvCommand.run(args({ trust: trust.slug, file, key: "responsible-recommends", "dry-run": true }), dry.context);
    expect(await footprint(trust.id)).toEqual(before);
    expect(dry.out.at(-1)).toBe(
      "Nothing was changed (dry run). Importing into a new draft, version 1 would give 15 new bodies, 32 new responsibilities, 0 responsibilities updated, 78 cells set, 0 cleared.",
    );
    const done = terminal();
    await importCsvCommand.run(args({ trust: trust.slug, file, key: "responsible-recommends" }), done.context);
    expect(done.out.at(-1)).toBe(
      "Imported lionheart.csv into Command Line Trust, draft version 1 (started for this import): 15 new bodies, 32 new responsibilities, 0 responsibilities updated, 78 cells set, 0 cleared.",
    );
    const [m3] = await db.select().from(responsibilities).where(and(eq(responsibilities.trustId, trust.id), eq(responsibilities.ref, "M3")));
    expect(m3!.title).toBe("Contracts over £50,000");

    const out = path.join(scratch, "export.csv");
    const exported = terminal();
    await exportCommand.run(args({ trust: trust.slug, format: "csv", out, key: "trust" }), exported.context);
    expect(exported.out).toEqual([`Wrote version 1 (draft) of Command Line Trust's matrix to ${out}.`]);
    const written = fs.readFileSync(out, "utf8");
    expect(written.startsWith("\uFEFFref,area,responsibility,Members [members],")).toBe(true);
    expect(written).toContain('M3,M Finance,"Contracts over £50,000",,Responsible,Responsible,,,,Recommends,');
    await expect(exportCommand.run(args({ trust: trust.slug, format: "csv", out }), terminal().context)).rejects.toThrow(
      `${out} already exists. Choose another file, or add --force to overwrite it.`,
    );
  });

  it("refuses a file with problems, listing each with its row and column, and changes nothing", async () => {
    const trust = await newTrust("Refusing Trust");
    const file = path.join(scratch, "spoilt.csv");
    fs.writeFileSync(file, RASCI.replace("GOV-02,", "GOV-01,"));
    const before = await footprint(trust.id);
    await expect(importCsvCommand.run(args({ trust: trust.slug, file, key: "rasci" }), terminal().context)).rejects.toThrow(
      "spoilt.csv cannot be imported; nothing was changed:\n  - Row 3, column A, ref: the ref GOV-01 is also used on row 2: each responsibility needs its own ref.",
    );
    expect(await footprint(trust.id)).toEqual(before);
  });
});
