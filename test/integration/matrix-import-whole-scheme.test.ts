/**
 * Importing a file as the trust's whole scheme: the catalogue's live rows are retired (as the
 * catalogue's own retire does) and every row of the file is added afresh, in one audited transaction.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { and, count, eq, isNotNull, isNull } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database, DatabaseHandle } from "../../db/client";
import { auditLog, cells, governanceBodies, responsibilities, schemeRows, schemeVersions } from "../../db/schema";
import type { CommandArgs, CommandContext } from "~/cli/command";
import { importCsvCommand } from "~/cli/commands/import-csv";
import { findKey } from "~/domain/decision-keys";
import { cellKey } from "~/domain/scheme";
import { COMMAND_LINE } from "~/models/audit.server";
import { addResponsibility } from "~/models/catalogue.server";
import { applyImport, ImportRefusedError, PreviewOutdatedError, previewImport, retiringWords } from "~/models/matrix-import.server";
import { addMember } from "~/models/membership.server";
import { saveRow } from "~/models/row-save.server";
import { approveVersion, findDraft, loadScheme, startDraft } from "~/models/scheme.server";
import { createBody } from "~/models/structure.server";
import { createTrust, type Trust } from "~/models/trust.server";
import { createUser } from "~/models/user.server";
import { action as importAction } from "~/routes/trusts.$slug.import._index";
import { freshDatabase } from "../support/database";
import { call, ORIGIN, sessionCookie } from "../support/requests";

const MANOR = fs.readFileSync(path.resolve(import.meta.dirname, "../fixtures/csv/manor-x-marks.csv"), "utf8");
const X = findKey("x")!;
const DEFAULT_ROWS = 46;
// The 23 STAT- rows and SEED-10, which carries ST-19: statutory as the catalogue editor counts them.
const STATUTORY_ROWS = 24;

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
  return createTrust(db, COMMAND_LINE, { name, slug: `whole-scheme-${trustCount}` });
}

async function rowCounts(trustId: string) {
  const n = async (retired: boolean) =>
    (
      await db
        .select({ n: count() })
        .from(responsibilities)
        .where(and(eq(responsibilities.trustId, trustId), retired ? isNotNull(responsibilities.retiredAt) : isNull(responsibilities.retiredAt)))
    )[0]!.n;
  return { live: await n(false), retired: await n(true) };
}

/** Everything an import could change, counted, so a refusal can be shown to have changed nothing. */
async function footprint(trustId: string) {
  const n = async (table: typeof governanceBodies | typeof cells | typeof schemeVersions | typeof auditLog | typeof schemeRows) =>
    (await db.select({ n: count() }).from(table).where(eq(table.trustId, trustId)))[0]!.n;
  return {
    rows: await rowCounts(trustId),
    bodies: await n(governanceBodies),
    cells: await n(cells),
    schemeRows: await n(schemeRows),
    versions: await n(schemeVersions),
    audit: await n(auditLog),
  };
}

async function codesOf(trustId: string, versionId: string): Promise<Record<string, Record<string, string>>> {
  const scheme = await loadScheme(db, trustId, versionId);
  const byRef: Record<string, Record<string, string>> = {};
  for (const row of scheme.rows) {
    byRef[row.ref] ??= {};
    for (const column of scheme.columns) {
      const code = scheme.cells[cellKey(row.id, column.id)]?.code;
      if (code) byRef[row.ref]![column.name] = code;
    }
  }
  return byRef;
}

describe("importing a file as the trust's whole scheme", () => {
  it("imports the Manor-shaped file into a fresh trust, retiring the default catalogue's rows instead of meeting them", async () => {
    const trust = await newTrust("Manor Whole Trust");
    const input = { trustId: trust.id, csv: MANOR, key: X, fileName: "manor.csv", replaceCatalogue: true };
    const before = await footprint(trust.id);
    const preview = await previewImport(db, input);
    expect(await footprint(trust.id)).toEqual(before);
    expect(preview.plan.errors).toEqual([]);
    expect(preview.plan.summary).toMatchObject({ newBodies: 7, newRows: 32, updatedRows: 0, untouchedRows: 0, cellsSet: 33 });
    expect(preview.retiring?.rows).toBe(DEFAULT_ROWS);
    expect(preview.retiring?.statutory).toHaveLength(STATUTORY_ROWS);
    expect(preview.retiring?.statutory).toContainEqual({
      ref: "4.3",
      title: "Review suspensions and permanent exclusions (considering reinstatement)",
      statutoryRule: "ST-21",
    });
    expect(retiringWords(preview.retiring!, preview.draft)).toBe(
      "46 rows of the current catalogue will be retired, including 24 statutory rows: the checks will report the statutory decisions the file does not cover; approved versions keep them.",
    );

    const result = await applyImport(db, COMMAND_LINE, { ...input, expectedFingerprint: preview.fingerprint });
    expect(result).toMatchObject({ startedDraft: true, version: { number: 1 }, retiring: { rows: DEFAULT_ROWS } });
    // Retired, not deleted: the default rows are still there, out of the live catalogue.
    expect(await rowCounts(trust.id)).toEqual({ live: 32, retired: DEFAULT_ROWS });
    const live = await db
      .select()
      .from(responsibilities)
      .where(and(eq(responsibilities.trustId, trust.id), isNull(responsibilities.retiredAt)));
    expect(live.every((r) => r.catalogueKey === null && r.decisionKinds === null && r.statutoryRule === null)).toBe(true);
    expect(live.find((r) => r.ref === "1.2")).toMatchObject({ title: "Appointing and removing members", section: "1. Members", area: 9 });
    // Numbered afresh from the start, not after the retired rows.
    expect(Math.min(...live.map((r) => r.position))).toBe(1);
    const codes = await codesOf(trust.id, result.version!.id);
    expect(Object.keys(codes)).toHaveLength(32);
    expect(codes["1.2"]).toEqual({ Members: "D" });
    expect(codes["4.3"]).toEqual({ CFO: "D" });
    expect(Object.values(codes).flatMap((r) => Object.values(r))).toHaveLength(33);

    const entries = await db.select().from(auditLog).where(eq(auditLog.trustId, trust.id));
    const retirements = entries.filter((e) => e.action === "retire");
    expect(retirements).toHaveLength(DEFAULT_ROWS);
    expect(retirements.find((e) => e.summary.startsWith("Retired 4.3 "))?.summary).toBe(
      'Retired 4.3 "Review suspensions and permanent exclusions (considering reinstatement)"; removed it from draft version 1 with 0 cells. Reason: manor.csv was imported as the trust\'s whole scheme',
    );
    expect(entries.find((e) => e.action === "import" && e.entity === "version")?.summary).toBe(
      'Imported the trust\'s matrix from manor.csv into draft version 1 with the key "X marks (X = decides, * = must be consulted)": 7 new bodies, 32 new responsibilities, 0 updated, 33 cells set, 0 cleared; the file being the trust\'s whole scheme, the 46 responsibilities of the catalogue before it retired (24 statutory)',
    );
  });

  it("keeps the retired rows in an approved version, and takes them and their cells out of the new draft", async () => {
    const trust = await newTrust("Approved First Trust");
    const board = await createBody(db, COMMAND_LINE, { trustId: trust.id, kind: "board", name: "Board of trustees" });
    const first = await startDraft(db, COMMAND_LINE, { trustId: trust.id, from: "empty" });
    const draftScheme = await loadScheme(db, trust.id, first.id);
    const exclusions = draftScheme.rows.find((r) => r.ref === "4.3")!;
    await saveRow(db, COMMAND_LINE, {
      trustId: trust.id,
      versionId: first.id,
      rowId: exclusions.id,
      codes: { [board.id]: "D" },
      expectedRevision: draftScheme.rowRevisions[exclusions.id]!,
    });
    const approved = await approveVersion(db, COMMAND_LINE, {
      trustId: trust.id,
      versionId: first.id,
      expectedVersion: first.version,
      approvedByBodyId: board.id,
      approvedOn: "2025-07-10",
      minuteRef: "TB/25/31",
      reviewDueOn: "2026-07-10",
    });

    const preview = await previewImport(db, { trustId: trust.id, csv: MANOR, key: X, replaceCatalogue: true });
    expect(preview.newDraft).toEqual({ number: 2, basedOn: 1 });
    const result = await applyImport(db, COMMAND_LINE, { trustId: trust.id, csv: MANOR, key: X, replaceCatalogue: true, expectedFingerprint: preview.fingerprint });
    expect(result.version?.number).toBe(2);

    const kept = await loadScheme(db, trust.id, approved.id);
    expect(kept.rows).toHaveLength(DEFAULT_ROWS);
    const keptRow = kept.rows.find((r) => r.ref === "4.3")!;
    expect(keptRow).toMatchObject({ title: "Review suspensions and permanent exclusions (considering reinstatement)", statutoryRule: "ST-21" });
    expect(kept.cells[cellKey(keptRow.id, board.id)]?.code).toBe("D");

    const draft = await loadScheme(db, trust.id, result.version!.id);
    expect(draft.rows).toHaveLength(32);
    expect(draft.rows.find((r) => r.ref === "4.3")?.title).toBe("Monitoring monthly management accounts");
    // The draft started from version 1 had the board's D on the old 4.3: it went with the row.
    const [onOldRow] = await db
      .select({ n: count() })
      .from(cells)
      .where(and(eq(cells.versionId, result.version!.id), eq(cells.responsibilityId, exclusions.id)));
    expect(onOldRow!.n).toBe(0);
    const [history] = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.responsibilityId, exclusions.id), eq(auditLog.action, "retire")));
    expect(history?.summary).toMatch(/^Retired 4\.3 ".*"; removed it from draft version 2 with 1 cell\. Reason: a CSV file was imported as the trust's whole scheme$/);
  });

  it("says what an existing draft loses, and refuses a confirmation after the catalogue changed", async () => {
    const trust = await newTrust("Busy Catalogue Trust");
    const board = await createBody(db, COMMAND_LINE, { trustId: trust.id, kind: "board", name: "Trust board" });
    const draft = await startDraft(db, COMMAND_LINE, { trustId: trust.id, from: "empty" });
    const scheme = await loadScheme(db, trust.id, draft.id);
    for (const ref of ["1.2", "4.3"]) {
      const row = scheme.rows.find((r) => r.ref === ref)!;
      await saveRow(db, COMMAND_LINE, { trustId: trust.id, versionId: draft.id, rowId: row.id, codes: { [board.id]: "D" }, expectedRevision: scheme.rowRevisions[row.id]! });
    }
    const input = { trustId: trust.id, csv: MANOR, key: X, replaceCatalogue: true };
    const preview = await previewImport(db, input);
    expect(preview.retiring?.draftCells).toBe(2);
    expect(retiringWords(preview.retiring!, preview.draft)).toMatch(/approved versions keep them\. Draft version 1 loses its 2 cells on them\.$/);

    await addResponsibility(db, COMMAND_LINE, { trustId: trust.id, area: 3, title: "Approving the annual school calendar" });
    const before = await footprint(trust.id);
    const outdated = await applyImport(db, COMMAND_LINE, { ...input, expectedFingerprint: preview.fingerprint }).catch((e) => e);
    expect(outdated).toBeInstanceOf(PreviewOutdatedError);
    expect((outdated as PreviewOutdatedError).preview.retiring?.rows).toBe(DEFAULT_ROWS + 1);
    expect(await footprint(trust.id)).toEqual(before);

    const result = await applyImport(db, COMMAND_LINE, { ...input, expectedFingerprint: (outdated as PreviewOutdatedError).preview.fingerprint });
    expect(result.version?.id).toBe(draft.id);
    expect(await rowCounts(trust.id)).toEqual({ live: 32, retired: DEFAULT_ROWS + 1 });
    const [left] = await db.select({ n: count() }).from(schemeRows).where(eq(schemeRows.versionId, draft.id));
    expect(left!.n).toBe(32);
  });

  it("refuses a file with problems whole, retiring nothing", async () => {
    const trust = await newTrust("Spoilt Whole Trust");
    const before = await footprint(trust.id);
    const spoilt = MANOR.replace("1.3,1. Members,", "1.2,1. Members,");
    const refused = await applyImport(db, COMMAND_LINE, { trustId: trust.id, csv: spoilt, key: X, replaceCatalogue: true }).catch((e) => e);
    expect(refused).toBeInstanceOf(ImportRefusedError);
    expect(await footprint(trust.id)).toEqual(before);
  });
});

describe("the import page's choice", () => {
  let trust: Trust;
  let cookie = "";

  beforeAll(async () => {
    trust = await newTrust("Whole Scheme Page Trust");
    const person = { name: "Whole clerk", email: "clerk@whole-scheme.example", password: "whole-scheme-clerk" };
    const user = await createUser(db, COMMAND_LINE, person);
    await addMember(db, COMMAND_LINE, { trustId: trust.id, userId: user.id, role: "clerk" });
    cookie = await sessionCookie(person.email, person.password);
  });

  async function post(fields: Record<string, string | File>) {
    const form = new FormData();
    for (const [name, value] of Object.entries(fields)) form.append(name, value);
    const encoded = new Response(form);
    const body = await encoded.arrayBuffer();
    const request = new Request(new URL(`/trusts/${trust.slug}/import`, ORIGIN), {
      method: "POST",
      body,
      headers: { "Content-Type": encoded.headers.get("Content-Type")!, "Content-Length": String(body.byteLength), cookie },
    });
    return call(importAction, request, { slug: trust.slug });
  }

  interface PageData {
    preview: null | {
      choices: { csv: string; wholeScheme: boolean };
      fingerprint: string;
      errors: { message: string }[];
      refClash: boolean;
      retiring: null | { words: string; rows: number; statutory: { ref: string }[] };
    };
    refusal: null | { formError?: string };
    done: null | { version: number | null; message: string };
  }

  it("points a refused numbered file to the choice, previews the retirement with it, and imports on confirmation", async () => {
    const before = await footprint(trust.id);
    const refused = (await post({ intent: "preview", key: "x", file: new File([MANOR], "manor.csv") })).data as PageData;
    expect(refused.preview?.errors.length).toBeGreaterThan(0);
    expect(refused.preview?.refClash).toBe(true);
    expect(refused.preview?.retiring).toBeNull();

    const answer = await post({ intent: "preview", key: "x", wholeScheme: "yes", file: new File([MANOR], "manor.csv") });
    expect(answer.status).toBe(200);
    const preview = (answer.data as PageData).preview!;
    expect(preview.errors).toEqual([]);
    expect(preview.choices.wholeScheme).toBe(true);
    expect(preview.retiring?.words).toBe(
      "46 rows of the current catalogue will be retired, including 24 statutory rows: the checks will report the statutory decisions the file does not cover; approved versions keep them.",
    );
    expect(preview.retiring?.statutory).toHaveLength(STATUTORY_ROWS);
    expect(await footprint(trust.id)).toEqual(before);

    // The same file confirmed without the choice meets the catalogue's rows again, and is refused.
    const without = await post({ intent: "confirm", csv: preview.choices.csv, fileName: "manor.csv", key: "x", fingerprint: preview.fingerprint });
    expect(without.status).toBe(400);
    expect(await footprint(trust.id)).toEqual(before);

    const confirmed = await post({ intent: "confirm", csv: preview.choices.csv, fileName: "manor.csv", key: "x", wholeScheme: "yes", fingerprint: preview.fingerprint });
    expect(confirmed.status).toBe(200);
    expect((confirmed.data as PageData).done?.message).toBe(
      "Imported manor.csv into draft version 1: 7 new bodies, 32 new responsibilities, 0 updated, 33 cells set and 0 cleared. The 46 rows of the catalogue before it were retired.",
    );
    expect(await rowCounts(trust.id)).toEqual({ live: 32, retired: DEFAULT_ROWS });
    expect((await findDraft(db, trust.id))?.number).toBe(1);
  });
});

describe("sod import-csv --replace-catalogue", () => {
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
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "sod-whole-scheme-"));
  afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

  it("without the option refuses the numbered file and names the option; with it, a dry run says what is retired, then it imports", async () => {
    const trust = await newTrust("Command Line Whole Trust");
    const file = path.join(scratch, "manor.csv");
    fs.writeFileSync(file, MANOR);
    const before = await footprint(trust.id);
    const refused = await importCsvCommand.run(args({ trust: trust.slug, file, key: "x" }), terminal().context).catch((e: Error) => e);
    expect((refused as Error).message.split("\n").at(-1)).toBe(
      "If manor.csv is the trust's whole scheme, with refs of its own, add --replace-catalogue: its rows then replace the current catalogue.",
    );
    expect(await footprint(trust.id)).toEqual(before);

    const dry = terminal();
    await importCsvCommand.run(args({ trust: trust.slug, file, key: "x", "replace-catalogue": true, "dry-run": true }), dry.context);
    expect(await footprint(trust.id)).toEqual(before);
    expect(dry.out.filter((l) => l.startsWith("Statutory row retired: "))).toHaveLength(STATUTORY_ROWS);
    expect(dry.out).toContain("Statutory row retired: 4.3 Review suspensions and permanent exclusions (considering reinstatement) (ST-21)");
    expect(dry.out.at(-2)).toBe(
      "46 rows of the current catalogue will be retired, including 24 statutory rows: the checks will report the statutory decisions the file does not cover; approved versions keep them.",
    );

    const done = terminal();
    await importCsvCommand.run(args({ trust: trust.slug, file, key: "x", "replace-catalogue": true }), done.context);
    expect(done.out.at(-1)).toBe(
      "Imported manor.csv into Command Line Whole Trust, draft version 1 (started for this import): 7 new bodies, 32 new responsibilities, 0 responsibilities updated, 33 cells set, 0 cleared; 46 rows of the catalogue before it retired.",
    );
    expect(await rowCounts(trust.id)).toEqual({ live: 32, retired: DEFAULT_ROWS });
  });
});
