/**
 * Every import, fuzzed: the matrix CSV, the DfE register of schools and the performance records, each
 * through its page (an upload, then the preview's confirmation) and through the command line (sod
 * import-csv, import-schools, import-performance), and a trust's backup through sod restore. The
 * files start from real ones (the demo trust's own matrix exported, the register's extract, a file of
 * performance records, a trust's backup) and are spoilt: hostile text in cells and fields, columns
 * and rows added, dropped or doubled, headers renamed, quoting broken, other line ends and encodings,
 * stray bytes, truncation; a backup's values of the wrong type, missing or extra fields, another
 * trust's ids. Whatever comes: the page never answers 5xx nor throws, the command never fails with
 * "Something went wrong", every refusal says why, and a refused import (or a dry run, or a preview)
 * changes nothing in the database.
 *
 * Sizes: CI runs each property RUNS times; FUZZ_RUNS=1000 runs more, FUZZ_SEED=n other cases (the
 * seed is printed). See test/support/fuzz.ts.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db/client";
import { DEMO_USERS, seedDemoTrust } from "../../db/seed";
import { restore } from "~/cli/commands/backup";
import { importCsvCommand } from "~/cli/commands/import-csv";
import { importPerformanceCommand } from "~/cli/commands/import-performance";
import { importSchoolsCommand } from "~/cli/commands/import-schools";
import type { Command } from "~/cli/command";
import { runCli } from "~/cli/run";
import { formatCsv, parseCsv } from "~/domain/csv";
import { COMMAND_LINE } from "~/models/audit.server";
import { exportTrust } from "~/models/backup.server";
import { exportVersionCsv } from "~/models/matrix-export.server";
import { addMember } from "~/models/membership.server";
import { startDraft } from "~/models/scheme.server";
import { createBody, createSchool } from "~/models/structure.server";
import { createTrust } from "~/models/trust.server";
import { createUser } from "~/models/user.server";
import * as matrixImport from "~/routes/trusts.$slug.import._index";
import * as performanceImport from "~/routes/trusts.$slug.import.performance";
import * as schoolImport from "~/routes/trusts.$slug.import.schools";
import { changedTables, fingerprint, type Fingerprint } from "../support/fingerprint";
import { describeCase, fuzzParameters, fuzzTimeout, hostileText, judge, type Entries } from "../support/fuzz";
import { call, context, ORIGIN, sessionCookie } from "../support/requests";
import { snapshot, type Snapshot } from "../support/snapshot";

/** Cases per import in CI: seven properties, each case an upload or a command (tens of ms). */
const RUNS = 40;

const FIXTURES = path.resolve(import.meta.dirname, "../fixtures");

type Person = "clerk" | "ceo" | "trustee" | "viewer" | "outsider";

interface World {
  slug: string;
  otherSlug: string;
  cookies: Record<Person, string>;
  /** The files each case spoils, as rows of cells (the backup as its JSON). */
  matrix: BaseFile;
  register: BaseFile;
  performance: BaseFile;
  backup: unknown;
  /** Ids of the demo trust, to put into the other trust's backup. */
  demoIds: string[];
}

const OUTSIDER = { name: "Olu Outsider", email: "olu@harbourside.example", password: "outsider-password-1" };

async function makeWorld(handle: DatabaseHandle): Promise<World> {
  const db = handle.db;
  const demo = await seedDemoTrust(db, COMMAND_LINE);
  const other = await createTrust(db, COMMAND_LINE, { name: "Harbourside Outsiders Trust", slug: "harbourside-outsiders" });
  const outsider = await createUser(db, COMMAND_LINE, OUTSIDER);
  await addMember(db, COMMAND_LINE, { trustId: other.id, userId: outsider.id, role: "clerk" });
  const board = await createBody(db, COMMAND_LINE, { trustId: other.id, kind: "board", name: "Harbourside board" });
  const cluster = await createBody(db, COMMAND_LINE, { trustId: other.id, kind: "cluster", name: "Harbour cluster", parentId: board.id, underKindColumn: true });
  await createSchool(db, COMMAND_LINE, { trustId: other.id, urn: 190001, name: "Harbour Primary", phase: "primary", clusterBodyId: cluster.id });
  await startDraft(db, COMMAND_LINE, { trustId: other.id, from: "empty" });

  const cookies = {} as Record<Person, string>;
  let ip = 10;
  for (const person of DEMO_USERS) cookies[person.role as Person] = await sessionCookie(person.email, person.password, `192.0.2.${ip++}`);
  cookies.outsider = await sessionCookie(OUTSIDER.email, OUTSIDER.password, `192.0.2.${ip++}`);

  const matrix = await exportVersionCsv(db, demo.trust, { number: 3 });
  /** The file's rows, and its columns of free text, by their headings. */
  const file = (text: string, textColumns: string[]): BaseFile => {
    const rows = parseCsv(text).map((record) => record.fields);
    return { rows, text: textColumns.map((name) => rows[0]!.indexOf(name)).filter((i) => i >= 0) };
  };
  return {
    slug: demo.trust.slug,
    otherSlug: other.slug,
    cookies,
    matrix: file(matrix.csv, ["responsibility", "area"]),
    register: file(new TextDecoder("windows-1252").decode(fs.readFileSync(path.join(FIXTURES, "gias/edubasealldata20261101.csv"))), [
      "EstablishmentName",
      "Postcode",
      "LA (name)",
      "HeadFirstName",
      "HeadLastName",
    ]),
    performance: file(fs.readFileSync(path.join(FIXTURES, "performance/performance-records.csv"), "utf8"), ["note"]),
    backup: JSON.parse(JSON.stringify(await exportTrust(db, other.id))),
    demoIds: [demo.trust.id, demo.draftVersionId, ...Object.values(demo.bodies).map((b) => b.id), ...Object.values(demo.schools).map((s) => s.id)],
  };
}

// ---------------------------------------------------------------- spoilt files

type CsvSpoiling =
  | { kind: "cell" | "text"; row: number; column: number; value: string }
  | { kind: "drop-column" | "double-column" | "drop-row" | "double-row"; at: number }
  | { kind: "header"; column: number; value: string }
  | { kind: "blank-rows" | "truncate"; at: number };

const csvSpoiling: fc.Arbitrary<CsvSpoiling> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant("cell" as const), row: fc.nat(), column: fc.nat(), value: hostileText() }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant("text" as const), row: fc.nat(), column: fc.nat(), value: hostileText() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constantFrom("drop-column" as const, "double-column" as const, "drop-row" as const, "double-row" as const), at: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("header" as const), column: fc.nat(), value: hostileText() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constantFrom("blank-rows" as const, "truncate" as const), at: fc.nat() }) },
);

/** A file to spoil: its rows, and the columns of free text (where hostile text may well be accepted). */
interface BaseFile {
  rows: string[][];
  text: number[];
}

function spoilRows(base: BaseFile, spoilings: CsvSpoiling[]): string[][] {
  let rows = base.rows.map((r) => [...r]);
  for (const s of spoilings) {
    const width = Math.max(1, rows[0]?.length ?? 1);
    const body = Math.max(1, rows.length - 1);
    if (s.kind === "cell" && rows.length > 1) rows[1 + (s.row % body)]![s.column % width] = s.value;
    else if (s.kind === "text" && rows.length > 1) rows[1 + (s.row % body)]![base.text[s.column % base.text.length]! % width] = s.value;
    else if (s.kind === "header" && rows.length > 0) rows[0]![s.column % width] = s.value;
    else if (s.kind === "drop-column") rows = rows.map((r) => r.filter((_, i) => i !== s.at % width));
    else if (s.kind === "double-column") rows = rows.map((r) => [...r, r[s.at % width] ?? ""]);
    else if (s.kind === "drop-row" && rows.length > 1) rows.splice(1 + (s.at % body), 1);
    else if (s.kind === "double-row" && rows.length > 1) rows.push([...rows[1 + (s.at % body)]!]);
    else if (s.kind === "blank-rows") rows.splice(1 + (s.at % body), 0, [], [""]);
    else if (s.kind === "truncate") rows = rows.slice(0, s.at % (rows.length + 1));
  }
  return rows;
}

type Writing = { quoting: "csv" | "raw"; lineEnd: "\n" | "\r\n" | "\r"; bytes: "utf-8" | "utf-8-bom" | "windows-1252" | "utf-16le" | "nul" | "garbage" };

const writing: fc.Arbitrary<Writing> = fc.record({
  quoting: fc.oneof({ weight: 6, arbitrary: fc.constant("csv" as const) }, { weight: 1, arbitrary: fc.constant("raw" as const) }),
  lineEnd: fc.constantFrom("\n" as const, "\r\n" as const, "\r\n" as const, "\r" as const),
  bytes: fc.oneof(
    { weight: 10, arbitrary: fc.constant("utf-8" as const) },
    { weight: 1, arbitrary: fc.constantFrom("utf-8-bom" as const, "windows-1252" as const, "utf-16le" as const, "nul" as const, "garbage" as const) },
  ),
});

function latin1(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => (c.charCodeAt(0) < 256 ? c.charCodeAt(0) : 63));
}

/** The rows as the bytes of a file, written as asked. */
function fileBytes(rows: string[][], how: Writing): Uint8Array<ArrayBuffer> {
  const text =
    how.quoting === "csv"
      ? formatCsv(rows).replace(/\r?\n/g, how.lineEnd)
      : rows.map((r) => r.join(",")).join(how.lineEnd);
  let bytes: Uint8Array;
  if (how.bytes === "utf-8-bom") bytes = new TextEncoder().encode(`\ufeff${text}`);
  else if (how.bytes === "windows-1252") bytes = latin1(text);
  else if (how.bytes === "utf-16le") bytes = new Uint8Array([0xff, 0xfe, ...Buffer.from(text, "utf16le")]);
  else if (how.bytes === "nul") bytes = new TextEncoder().encode(text.replace(/,/, ",\u0000"));
  else if (how.bytes === "garbage") bytes = new Uint8Array([...new TextEncoder().encode(text.slice(0, 200)), 0xc3, 0x28, 0xa0, 0xa1, 0xe2, 0x28, 0xa1, 0xf0, 0x28, 0x8c, 0xbc]);
  else bytes = new TextEncoder().encode(text);
  return new Uint8Array(bytes);
}

/** A spoilt copy of a file: none, one or a few spoilings, written in one of the ways files come. */
function spoiltFile(base: () => BaseFile): fc.Arbitrary<{ bytes: Uint8Array<ArrayBuffer>; spoilings: CsvSpoiling[]; how: Writing }> {
  const spoilings = fc.oneof(
    { weight: 2, arbitrary: fc.constant<CsvSpoiling[]>([]) },
    { weight: 4, arbitrary: fc.array(csvSpoiling, { minLength: 1, maxLength: 1 }) },
    { weight: 2, arbitrary: fc.array(csvSpoiling, { minLength: 2, maxLength: 5 }) },
  );
  return fc.record({ spoilings, how: writing }).map(({ spoilings, how }) => ({ bytes: fileBytes(spoilRows(base(), spoilings), how), spoilings, how }));
}

/** A JSON document with none, one or a few of its values spoilt (wrong type, missing, extra, another trust's id). */
type JsonSpoiling = { at: number; how: "value" | "delete" | "add" | "double" | "foreign-id"; value: unknown };

const jsonValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: hostileText() },
  { weight: 1, arbitrary: fc.constantFrom(null, true, false, 0, -1, 1.5, 2 ** 31, [], {}, [null], { id: "x" }) },
  { weight: 1, arbitrary: fc.integer() },
);

const jsonSpoiling: fc.Arbitrary<JsonSpoiling> = fc.record({
  at: fc.nat(),
  how: fc.oneof({ weight: 5, arbitrary: fc.constant("value" as const) }, { weight: 1, arbitrary: fc.constantFrom("delete" as const, "add" as const, "double" as const, "foreign-id" as const) }),
  value: jsonValue,
});

function spoilJson(base: unknown, spoilings: JsonSpoiling[], foreignIds: string[]): unknown {
  const doc = JSON.parse(JSON.stringify(base)) as unknown;
  for (const s of spoilings) {
    // Every place in the document: a container and a key in it.
    const places: [Record<string, unknown> | unknown[], string | number][] = [];
    const walk = (value: unknown) => {
      if (Array.isArray(value)) value.forEach((v, i) => (places.push([value, i]), walk(v)));
      else if (value && typeof value === "object") for (const [k, v] of Object.entries(value)) (places.push([value as Record<string, unknown>, k]), walk(v));
    };
    walk(doc);
    if (places.length === 0) break;
    const [container, key] = places[s.at % places.length]!;
    const set = (v: unknown) => ((container as Record<string | number, unknown>)[key] = v);
    if (s.how === "value") set(s.value);
    else if (s.how === "foreign-id") set(foreignIds[s.at % foreignIds.length]);
    else if (s.how === "delete") {
      if (Array.isArray(container)) container.splice(key as number, 1);
      else delete container[key as string];
    } else if (s.how === "add") {
      if (Array.isArray(container)) container.push(s.value);
      else container[`extra${s.at % 7}`] = s.value;
    } else if (Array.isArray(container)) container.push(JSON.parse(JSON.stringify(container[key as number] ?? null)));
  }
  return doc;
}

// ---------------------------------------------------------------- pages

function upload(pathname: string, fields: Entries, files: [string, File][], cookie: string | null): Promise<Request> {
  const form = new FormData();
  for (const [name, value] of fields) form.append(name, value);
  for (const [name, file] of files) form.append(name, file);
  const encoded = new Response(form);
  return encoded.arrayBuffer().then(
    (body) =>
      new Request(new URL(pathname, ORIGIN), {
        method: "POST",
        body,
        headers: { "Content-Type": encoded.headers.get("Content-Type")!, "Content-Length": String(body.byteLength), ...(cookie ? { cookie } : {}) },
      }),
  );
}

const who = fc.oneof({ weight: 14, arbitrary: fc.constant<Person | null>("clerk") }, { weight: 1, arbitrary: fc.constantFrom<Person | null>("viewer", "outsider", null) });
const field = (plausible: fc.Arbitrary<string>) => fc.oneof({ weight: 6, arbitrary: plausible }, { weight: 1, arbitrary: hostileText() });
const fileName = field(fc.constantFrom("scheme.csv", "records.csv", "edubasealldata20261101.csv", "<script>.csv", "../../x.csv"));

interface PageCase {
  fields: Entries;
  file: { bytes: Uint8Array<ArrayBuffer>; spoilings: CsvSpoiling[]; how: Writing } | null;
  name: string;
  carried: boolean;
  person: Person | null;
}

const PAGES: Record<string, { action: unknown; path: (w: World) => string; cases: (w: World) => fc.Arbitrary<PageCase>; fileField: string; carryField: string }> = {
  "the matrix import page": {
    action: matrixImport.action,
    path: (w) => `/trusts/${w.slug}/import`,
    fileField: "file",
    carryField: "csv",
    cases: (w) =>
      fc.record({
        fields: fc
          .record({
            intent: field(fc.constantFrom("preview", "confirm")),
            key: field(fc.oneof({ weight: 6, arbitrary: fc.constant("codes") }, { weight: 1, arbitrary: fc.constantFrom("x", "trust", "rasci", "custom") })),
            customKey: field(fc.constantFrom("X=D,*=C", "Lead=D", "")),
            wholeScheme: field(fc.constantFrom("", "", "yes")),
            fingerprint: field(fc.constantFrom("", "0".repeat(64))),
            "area-0": field(fc.constantFrom("1", "13", "")),
            "heading-0": field(fc.constantFrom("D. Pupils", "")),
          })
          .map((f) => Object.entries(f)),
        file: fc.option(spoiltFile(() => w.matrix), { freq: 8 }),
        name: fileName,
        carried: fc.boolean(),
        person: who,
      }),
  },
  "the performance import page": {
    action: performanceImport.action,
    path: (w) => `/trusts/${w.slug}/import/performance`,
    fileField: "file",
    carryField: "content",
    cases: (w) =>
      fc.record({
        fields: fc.record({ intent: field(fc.constantFrom("preview", "confirm")) }).map((f) => Object.entries(f)),
        file: fc.option(spoiltFile(() => w.performance), { freq: 8 }),
        name: fileName,
        carried: fc.boolean(),
        person: fc.oneof({ weight: 4, arbitrary: who }, { weight: 1, arbitrary: fc.constant<Person>("ceo") }),
      }),
  },
  "the school import page": {
    action: schoolImport.action,
    path: (w) => `/trusts/${w.slug}/import/schools`,
    fileField: "file",
    carryField: "extract",
    cases: (w) =>
      fc.record({
        fields: fc
          .record({
            intent: field(fc.constantFrom("preview", "confirm")),
            filterBy: field(fc.constantFrom("trust", "trust", "urns")),
            trustName: field(fc.constantFrom("North Dales Learning Trust", "NORTH DALES LEARNING TRUST", "Riverside Learning Trust")),
            urns: field(fc.constantFrom("137214,139452", "137214", "", "1,2,3")),
          })
          .map((f) => Object.entries(f)),
        file: fc.option(spoiltFile(() => w.register), { freq: 8 }),
        name: fileName,
        carried: fc.boolean(),
        person: who,
      }),
  },
};

// ---------------------------------------------------------------- commands

function wrapped(command: Command, handle: DatabaseHandle): Command {
  return { ...command, run: (args, ctx) => command.run(args, { ...ctx, database: async () => handle.db }) };
}

async function sod(handle: DatabaseHandle, command: Command, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { out: (t) => out.push(t), err: (t) => err.push(t), env: { NODE_ENV: "test" } }, [wrapped(command, handle)]);
  return { code, stdout: out.join("\n"), stderr: err.join("\n") };
}

interface CommandCase {
  options: string[];
  content: Uint8Array<ArrayBuffer>;
  shown: string;
}

/** A command line cannot carry a null character (the system ends each argument at one), so no argument holds one. */
const argument = (value: fc.Arbitrary<string>) => value.map((v) => v.replace(/\u0000/g, ""));
const slugOption = (w: World) =>
  argument(fc.oneof({ weight: 10, arbitrary: fc.constant(w.slug) }, { weight: 1, arbitrary: fc.constantFrom(w.otherSlug, "no-such-trust", "") }, { weight: 1, arbitrary: hostileText() }));
const flag = (name: string, freq: number): fc.Arbitrary<string[]> => fc.oneof({ weight: freq, arbitrary: fc.constant<string[]>([]) }, { weight: 1, arbitrary: fc.constant<string[]>([name]) });
const described = (spoilings: unknown, how: unknown) => JSON.stringify({ spoilings, how }).slice(0, 600);

const COMMANDS: Record<string, { command: Command; cases: (w: World) => fc.Arbitrary<CommandCase> }> = {
  "sod import-csv": {
    command: importCsvCommand,
    cases: (w) =>
      fc
        .record({ trust: slugOption(w), file: spoiltFile(() => w.matrix), key: fc.option(argument(field(fc.constantFrom("codes", "codes", "codes", "x", "trust", "X=D,*=C"))), { freq: 3 }), dry: flag("--dry-run", 1), replace: flag("--replace-catalogue", 6) })
        .map(({ trust, file, key, dry, replace }) => ({
          options: ["--trust", trust, ...(key === null ? [] : [`--key=${key}`]), ...dry, ...replace],
          content: file.bytes,
          shown: `trust=${JSON.stringify(trust)} key=${JSON.stringify(key)} ${dry.join("")}${replace.join("")} ${described(file.spoilings, file.how)}`,
        })),
  },
  "sod import-performance": {
    command: importPerformanceCommand,
    cases: (w) =>
      fc.record({ trust: slugOption(w), file: spoiltFile(() => w.performance), dry: flag("--dry-run", 1) }).map(({ trust, file, dry }) => ({
        options: ["--trust", trust, ...dry],
        content: file.bytes,
        shown: `trust=${JSON.stringify(trust)} ${dry.join("")} ${described(file.spoilings, file.how)}`,
      })),
  },
  "sod import-schools": {
    command: importSchoolsCommand,
    cases: (w) =>
      fc
        .record({
          trust: slugOption(w),
          file: spoiltFile(() => w.register),
          filter: fc.oneof(
            fc.constant<string[]>([]),
            argument(field(fc.constantFrom("NORTH DALES LEARNING TRUST", "North Dales"))).map((n) => [`--trust-name=${n}`]),
            argument(field(fc.constantFrom("137214,139452", "1"))).map((u) => [`--urns=${u}`]),
          ),
          dry: flag("--dry-run", 1),
        })
        .map(({ trust, file, filter, dry }) => ({
          options: ["--trust", trust, ...filter, ...dry],
          content: file.bytes,
          shown: `trust=${JSON.stringify(trust)} ${filter.join(" ")} ${dry.join("")} ${described(file.spoilings, file.how)}`,
        })),
  },
  "sod restore": {
    command: restore,
    cases: (w) =>
      fc
        .record({
          spoilings: fc.oneof({ weight: 1, arbitrary: fc.constant<JsonSpoiling[]>([]) }, { weight: 4, arbitrary: fc.array(jsonSpoiling, { minLength: 1, maxLength: 4 }) }),
          replace: flag("--replace", 2),
          text: fc.oneof({ weight: 10, arbitrary: fc.constant("whole" as const) }, { weight: 1, arbitrary: fc.constantFrom("truncated" as const, "single-quoted" as const) }),
        })
        .map(({ spoilings, replace, text }) => {
          let json = JSON.stringify(spoilJson(w.backup, spoilings, w.demoIds), null, 2);
          if (text === "truncated") json = json.slice(0, Math.floor(json.length / 2));
          if (text === "single-quoted") json = json.replace(/"/, "'");
          return { options: replace, content: new Uint8Array(Buffer.from(json)), shown: `${replace.join("")} ${text} ${JSON.stringify(spoilings).slice(0, 600)}` };
        }),
  },
};

// ---------------------------------------------------------------- the properties

let world: World;
let made: Snapshot;
let scratch: string;
const totals = { cases: 0, faults: 0 };

beforeAll(async () => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), "sod-fuzz-imports-"));
  made = await snapshot(async (handle) => {
    world = await makeWorld(handle);
  });
}, 300_000);
afterAll(async () => {
  fs.rmSync(scratch, { recursive: true, force: true });
  await made?.close();
  console.log(`Fuzz of the imports: ${totals.cases} cases, ${totals.faults} answered 5xx, threw or failed with "Something went wrong".`);
});

describe("the import pages fuzzed", () => {
  it.each(Object.keys(PAGES))("%s: never 5xx, always a message, nothing changed by a refusal or a preview", async (name) => {
    const page = PAGES[name]!;
    const handle = await made.copy();
    const problems: string[] = [];
    const tally = { cases: 0, accepted: 0, refused: 0 };
    try {
      let before: Fingerprint = await fingerprint(handle);
      await fc.assert(
        fc.asyncProperty(page.cases(world), async (c) => {
          tally.cases++;
          totals.cases++;
          const fields: Entries = [...c.fields];
          const files: [string, File][] = [];
          if (c.file && c.carried) fields.push([page.carryField, Buffer.from(c.file.bytes).toString("base64")], ["fileName", c.name]);
          else if (c.file) files.push([page.fileField, new File([c.file.bytes], c.name, { type: "text/csv" })]);
          const shown = () => `${describeCase(c.fields, { as: c.person ?? "nobody", carried: c.carried, name: c.name })} file=${c.file ? described(c.file.spoilings, c.file.how) : "none"}`;
          const request = await upload(page.path(world), fields, files, c.person ? world.cookies[c.person] : null);
          let answer;
          try {
            answer = await call(page.action, request, { slug: world.slug }, context(`198.51.100.${tally.cases % 250}`));
          } catch (error) {
            totals.faults++;
            problems.push(`threw ${(error as Error)?.stack?.split("\n").slice(0, 3).join(" | ") ?? String(error)}: ${shown()}`);
            before = await fingerprint(handle);
            return;
          }
          const verdict = judge(answer);
          if (verdict.status >= 500) totals.faults++;
          for (const fault of verdict.faults) problems.push(`${fault}: ${shown()}`);
          const after = await fingerprint(handle);
          const intent = c.fields.find(([k]) => k === "intent")?.[1];
          if (verdict.refused || intent !== "confirm") {
            if (verdict.refused) tally.refused++;
            else tally.accepted++;
            const changed = changedTables(before, after);
            if (changed.length > 0) problems.push(`${verdict.refused ? `refused (${verdict.status}: ${verdict.messages[0] ?? "to sign in"})` : "previewed"} but changed ${changed.join(", ")}: ${shown()}`);
          } else tally.accepted++;
          before = after;
        }),
        fuzzParameters(RUNS),
      );
    } finally {
      await handle.close();
    }
    console.log(`${name}: ${tally.cases} cases, ${tally.accepted} accepted, ${tally.refused} refused`);
    expect(problems.slice(0, 8), `${problems.length} problems`).toEqual([]);
  }, fuzzTimeout(RUNS));
});

describe("the import commands fuzzed", () => {
  it.each(Object.keys(COMMANDS))("%s: never \"Something went wrong\", always a message, nothing changed by a refusal or a dry run", async (name) => {
    const { command, cases } = COMMANDS[name]!;
    const handle = await made.copy();
    const problems: string[] = [];
    const tally = { cases: 0, done: 0, refused: 0 };
    const file = path.join(scratch, `${command.name}-${Date.now()}.${command === restore ? "json" : "csv"}`);
    try {
      let before: Fingerprint = await fingerprint(handle);
      await fc.assert(
        fc.asyncProperty(cases(world), async (c) => {
          tally.cases++;
          totals.cases++;
          fs.writeFileSync(file, c.content);
          const args = command === restore ? ["restore", file, ...c.options] : [command.name, "--file", file, ...c.options];
          let outcome;
          try {
            outcome = await sod(handle, command, args);
          } catch (error) {
            totals.faults++;
            problems.push(`threw ${(error as Error)?.stack?.split("\n").slice(0, 3).join(" | ")}: ${c.shown}`);
            before = await fingerprint(handle);
            return;
          }
          if (/Something went wrong/.test(outcome.stderr)) {
            totals.faults++;
            problems.push(`failed with a fault: ${outcome.stderr.slice(0, 300)}: ${c.shown}`);
          }
          const after = await fingerprint(handle);
          const dry = c.options.includes("--dry-run");
          if (outcome.code !== 0 || dry) {
            if (outcome.code !== 0) {
              tally.refused++;
              if (outcome.stderr.trim() === "") problems.push(`refused (exit ${outcome.code}) without a message: ${c.shown}`);
            } else tally.done++;
            const changed = changedTables(before, after);
            if (changed.length > 0) problems.push(`${outcome.code !== 0 ? `refused (${outcome.stderr.split("\n")[0]})` : "a dry run"} but changed ${changed.join(", ")}: ${c.shown}`);
          } else tally.done++;
          before = after;
        }),
        fuzzParameters(RUNS),
      );
    } finally {
      await handle.close();
    }
    console.log(`${name}: ${tally.cases} cases, ${tally.done} done, ${tally.refused} refused`);
    expect(problems.slice(0, 8), `${problems.length} problems`).toEqual([]);
  }, fuzzTimeout(RUNS));
});

describe("cases the fuzz found, kept as they were found", () => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await made.copy();
  });
  afterAll(() => handle?.close());

  /** The file's rows with one cell of free text replaced. */
  const withText = (base: BaseFile, row: number, value: string) => spoilRows(base, [{ kind: "text", row, column: 0, value }]);
  const utf8: Writing = { quoting: "csv", lineEnd: "\r\n", bytes: "utf-8" };

  it("a performance record whose note holds a null character is refused on the page (it was a 500: the database cannot keep one)", async () => {
    const before = await fingerprint(handle);
    const file = new File([fileBytes(withText(world.performance, 0, "a\u0000b"), utf8)], "records.csv", { type: "text/csv" });
    const answer = await call(performanceImport.action, await upload(`/trusts/${world.slug}/import/performance`, [["intent", "confirm"]], [["file", file]], world.cookies.clerk), { slug: world.slug });
    expect(judge(answer).faults).toEqual([]);
    expect(answer.status).toBe(400);
    expect(answer.text).toMatch(/null characters, so it is not CSV text/);
    expect(changedTables(before, await fingerprint(handle))).toEqual([]);
  });

  it.each([
    ["sod import-csv", importCsvCommand, () => withText(world.matrix, 4, "a\u0000b"), ["--trust", "north-dales"]],
    ["sod import-performance", importPerformanceCommand, () => withText(world.performance, 0, "\u0000"), ["--trust", "north-dales"]],
    ["sod import-schools", importSchoolsCommand, () => withText(world.register, 4, "a\u0000b"), ["--trust", "north-dales"]],
  ] as const)("%s refuses a file with a null character in its text (it failed with \"Something went wrong\")", async (_name, command, rows, options) => {
    const before = await fingerprint(handle);
    const file = path.join(scratch, `null-${command.name}.csv`);
    fs.writeFileSync(file, fileBytes(rows(), utf8));
    const outcome = await sod(handle, command, [command.name, "--file", file, ...options]);
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toMatch(/null characters, so it is not CSV text/);
    expect(changedTables(before, await fingerprint(handle))).toEqual([]);
  });

  it("sod restore refuses a backup with a null character in a value, saying where (it failed with \"Something went wrong\")", async () => {
    const before = await fingerprint(handle);
    const doc = JSON.parse(JSON.stringify(world.backup)) as { schools: { name: string }[] };
    doc.schools[0]!.name = "Harbour\u0000Primary";
    const file = path.join(scratch, "null-backup.json");
    fs.writeFileSync(file, JSON.stringify(doc));
    const outcome = await sod(handle, restore, ["restore", file, "--replace"]);
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toContain("schools[0].name: holds a null character (U+0000), which cannot be restored");
    expect(outcome.stderr).not.toMatch(/Something went wrong/);
    expect(changedTables(before, await fingerprint(handle))).toEqual([]);
  });

  it("a matrix saved as UTF-16 is refused with what to do about it", async () => {
    const before = await fingerprint(handle);
    const file = new File([fileBytes(world.matrix.rows, { ...utf8, bytes: "utf-16le" })], "scheme.csv", { type: "text/csv" });
    const answer = await call(matrixImport.action, await upload(`/trusts/${world.slug}/import`, [["intent", "preview"], ["key", "codes"]], [["file", file]], world.cookies.clerk), { slug: world.slug });
    expect(answer.status).toBe(400);
    expect(answer.text).toMatch(/saved as UTF-16/);
    expect(changedTables(before, await fingerprint(handle))).toEqual([]);
  });
});
