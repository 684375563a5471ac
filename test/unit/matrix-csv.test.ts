import fs from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { DecisionCode } from "~/domain/codes";
import { findKey, parseCustomKey, type DecisionKey } from "~/domain/decision-keys";
import {
  columnLetter,
  decodeCsvFile,
  describeProblem,
  readMatrixCsv,
  writeMatrixCsv,
  type ImportContext,
  type ImportPlan,
} from "~/domain/matrix-csv";
import { cellKey, type SchemeColumn, type SchemeRow } from "~/domain/scheme";
import type { BodyKind } from "~/domain/structure";

const fixture = (name: string) => fs.readFileSync(path.resolve(import.meta.dirname, "../fixtures/csv", name), "utf8");
const key = (name: string) => findKey(name)!;
const EMPTY: ImportContext = { columns: [], boards: [], rows: [], cells: {} };

function row(ref: string, title: string, extra: Partial<SchemeRow> = {}): SchemeRow {
  return {
    id: `row-${ref}`,
    catalogueKey: null,
    area: 9,
    section: null,
    ref,
    title,
    guidance: null,
    decisionKinds: null,
    excludedKinds: null,
    statutoryRule: null,
    locked: false,
    externalApproval: false,
    tags: [],
    position: 1,
    ...extra,
  };
}

function column(name: string, kind: BodyKind, position = 1, shortName: string | null = null): SchemeColumn {
  return { id: `col-${name}`, name, kind, shortName, mode: "decision-making", position };
}

const messages = (plan: ImportPlan) => plan.errors.map(describeProblem);

describe("reading a trust's matrix", () => {
  it("reads a 7-column X-marked matrix with numbered rows into new bodies and responsibilities", () => {
    const plan = readMatrixCsv(fixture("manor-x-marks.csv"), EMPTY, { key: key("x") });
    expect(messages(plan)).toEqual([]);
    expect(plan.columns.map((c) => [c.letter, c.name, c.kind, c.existingId])).toEqual([
      ["D", "Members", "members", null],
      ["E", "Trust board", "board", null],
      ["F", "Audit committee", "committee", null],
      ["G", "CEO", "executive", null],
      ["H", "CFO", "executive", null],
      ["I", "Local governing body", "local", null],
      ["J", "Academy leadership team", "school", null],
    ]);
    expect(plan.summary).toEqual({ newBodies: 7, newRows: 32, updatedRows: 0, unchangedRows: 0, cellsSet: 33, cellsCleared: 0, untouchedRows: 0 });
    const signatories = plan.rows.find((r) => r.ref === "1.1")!;
    expect(signatories).toMatchObject({ title: "Signatories to the articles of association", section: "1. Members", area: 9, row: 2 });
    expect(signatories.codes).toEqual(["D", null, null, null, null, null, null]);
    expect(plan.sections.map((s) => [s.heading, s.area, s.source])).toEqual([
      ["1. Members", 9, "name"],
      ["2. Trust board and governance", 9, "name"],
      ["3. Vision and strategy", 1, "name"],
      ["4. Finance and audit", 12, "name"],
      ["5. Staffing", 7, "name"],
      ["6. Education and standards", 3, "name"],
    ]);
    // Two X's on one row are for the checks to question, not a reason to refuse the file.
    expect(plan.warnings.map(describeProblem)).toEqual([
      'Row 19: CEO and Local governing body all decide 3.4 "Approving each academy\'s development plan". A decision usually sits with one body; the checks will ask which.',
    ]);
  });

  it("reads a 15-column Responsible/Recommends matrix saved by Excel (byte-order mark, CR LF, quoted values)", () => {
    const plan = readMatrixCsv(fixture("lionheart-responsible-recommends.csv"), EMPTY, { key: key("responsible-recommends") });
    expect(messages(plan)).toEqual([]);
    expect(plan.columns).toHaveLength(15);
    expect(plan.columns.map((c) => c.name)).toContain("Board (link governor)");
    expect(plan.columns.find((c) => c.name === "Trust Chair")?.kind).toBe("board");
    const c1 = plan.rows.find((r) => r.ref === "C1")!;
    expect(c1.title).toBe('Curriculum intent: the "Lionheart curriculum" for all schools');
    expect(c1.codes.filter(Boolean)).toEqual(["D", "R", "R"]);
    expect(plan.rows.find((r) => r.ref === "M3")!.title).toBe("Contracts over £50,000");
    expect(Object.fromEntries(plan.sections.map((s) => [s.heading, s.area]))).toMatchObject({
      "A Vision & ethos": 1,
      "G Governance": 9,
      "K HR": 7,
      "M Finance": 12,
      "O IT": 12,
      "P Health & safety": 12,
    });
    expect(plan.warnings.map(describeProblem)).toEqual([
      'Row 27: Board (link governor) and Trust Chair all decide M3 "Contracts over £50,000". A decision usually sits with one body; the checks will ask which.',
    ]);
  });

  it("maps a RASCI matrix onto the codes: Accountable decides, Responsible and Supporting execute", () => {
    const plan = readMatrixCsv(fixture("rasci-academy-council.csv"), EMPTY, { key: key("rasci") });
    expect(messages(plan)).toEqual([]);
    const gov = plan.rows.find((r) => r.ref === "GOV-01")!;
    expect(gov.codes).toEqual(["D", "C", "E", null, "I", "I", "C"]);
    expect(plan.columns.find((c) => c.name === "Diocese")?.kind).toBe("external");
    expect(plan.warnings).toEqual([]);
  });

  it("matches headings to the trust's columns by name or short heading, whatever the case, and keeps their kinds", () => {
    const context: ImportContext = {
      ...EMPTY,
      columns: [column("Trust board", "board"), column("Chief executive officer", "executive", 1, "CEO")],
    };
    const plan = readMatrixCsv("ref,area,responsibility, trust BOARD ,ceo [Executive]\n1,Governance,Approve the budget,X,\n", context, {
      key: key("x"),
    });
    expect(messages(plan)).toEqual([]);
    expect(plan.columns.map((c) => [c.name, c.existingId])).toEqual([
      ["Trust board", "col-Trust board"],
      ["Chief executive officer", "col-Chief executive officer"],
    ]);
    expect(plan.summary.newBodies).toBe(0);
  });
});

describe("problems in a file", () => {
  const manor = fixture("manor-x-marks.csv");
  const read = (text: string, context = EMPTY, options: Partial<Parameters<typeof readMatrixCsv>[2]> = {}) =>
    readMatrixCsv(text, context, { key: key("x"), ...options });

  it("reports a mark the key does not know, with its row and column", () => {
    const plan = read(manor.replace("1.3,1. Members,Approving changes/amendments to the articles of association,X", "1.3,1. Members,Approving changes/amendments to the articles of association,Y"));
    expect(messages(plan)).toEqual([
      'Row 4, column D, Members: "Y" is not a mark of the key "X marks (X = decides, * = must be consulted)": its marks are X, *, —, -.',
    ]);
  });

  it("reports a ref used twice", () => {
    const plan = read(manor.replace("2.2,2. Trust board", "2.1,2. Trust board"));
    expect(messages(plan)).toEqual(["Row 9, column A, ref: the ref 2.1 is also used on row 8: each responsibility needs its own ref."]);
  });

  it("reports a row with more or fewer values than the heading row", () => {
    const plan = read(manor.replace("4.3,4. Finance and audit,Monitoring monthly management accounts,,,,,X,,", "4.3,4. Finance and audit,Monitoring monthly, management accounts,,,,,X,,"));
    expect(messages(plan)).toEqual([
      "Row 22: this row has 11 values but the heading row has 10. Check for a missing or extra comma, or a value with a comma that is not in quotation marks.",
    ]);
  });

  it("reports a body that is not one of the trust's columns when the heading gives no kind", () => {
    const context = { ...EMPTY, columns: [column("Members", "members"), column("Trust board", "board")] };
    const plan = read("ref,area,responsibility,Members,Trust board,Audit committee\n1.1,Members,Signatories to the articles,X,,\n", context);
    expect(messages(plan)).toEqual([
      'Row 1, column F, Audit committee: "Audit committee" is not one of the trust\'s columns (Members, Trust board). To add it, give its kind in square brackets, e.g. "Audit committee [committee]"; the kinds are members, board, committee, executive, cluster, local, school, external.',
    ]);
  });

  it("reports a quoted value that is never closed, at the line where it begins", () => {
    const plan = read(manor.replace('"Setting the trust\'s vision, values and ethos"', '"Setting the trust\'s vision, values and ethos'));
    expect(messages(plan)).toEqual(["Line 16: a quoted value is never closed (a quotation mark is missing). Nothing can be read after it."]);
  });

  it("reports a code the row's constraint forbids, with the reason", () => {
    const context = {
      ...EMPTY,
      rows: [row("1.4", "Appointing and removing trustees", { decisionKinds: ["members"], statutoryRule: "ST-01" })],
    };
    const plan = read(manor.replace("1.4,1. Members,Appointing and removing trustees,X,,", "1.4,1. Members,Appointing and removing trustees,,X,"), context);
    expect(messages(plan)).toEqual([
      'Row 5, column E, Trust board: Decides (D) is not permitted here. Only the members may decide "Appointing and removing trustees" (ST-01).',
    ]);
  });

  it("explains when a ref is one of the trust's responsibilities with another title and a constraint", () => {
    const context = { ...EMPTY, rows: [row("1.2", "Set the trust's vision, values and strategic aims", { decisionKinds: ["board"] })] };
    const plan = read(manor, context);
    expect(messages(plan)).toEqual([
      'Row 3, column D, Members: Decides (D) is not permitted here. Only the trust board may decide "Set the trust\'s vision, values and strategic aims". Ref 1.2 is that responsibility in this trust, and this row would replace it: if "Appointing and removing members" is a different decision, give the row a ref the trust does not use yet, or import the file as the trust\'s whole scheme (its rows then replace the current catalogue).',
    ]);
  });

  it("lists every problem of the file at once, top to bottom", () => {
    const text = [
      "ref,area,responsibility,Members [members],Trust board [board],Audit committee",
      "1.1,Members,Signatories to the articles,X,,",
      ",Members,Appointing members,X,,",
      "1.1,Members,,Q,,",
      "1.3,Members,Amending the articles,X,",
    ].join("\n");
    const plan = read(text);
    expect(messages(plan)).toEqual([
      'Row 1, column F, Audit committee: "Audit committee" is not one of the trust\'s columns. To add it, give its kind in square brackets, e.g. "Audit committee [committee]"; the kinds are members, board, committee, executive, cluster, local, school, external.',
      "Row 3, column A, ref: the ref is missing: every responsibility needs a reference, e.g. 4.2.",
      "Row 4, column A, ref: the ref 1.1 is also used on row 2: each responsibility needs its own ref.",
      "Row 4, column C, responsibility: the responsibility is missing: say what is decided or done.",
      'Row 4, column D, Members: "Q" is not a mark of the key "X marks (X = decides, * = must be consulted)": its marks are X, *, —, -.',
      "Row 5: this row has 5 values but the heading row has 6. Check for a missing or extra comma, or a value with a comma that is not in quotation marks.",
    ]);
  });

  it("numbers rows as a spreadsheet does when a cell holds line breaks, and says which line of the file", () => {
    const text = 'ref,area,responsibility,Members [members]\n1.1,Members,"Signatories\nto the articles",X\n1.2,Members,Appointing members,Z\n';
    expect(messages(read(text))).toEqual([
      'Row 3 (line 4 of the file), column D, Members: "Z" is not a mark of the key "X marks (X = decides, * = must be consulted)": its marks are X, *, —, -.',
    ]);
  });

  it("refuses columns for autonomy tiers or single schools, and a file of variations, until they can be imported", () => {
    const variant = read("ref,area,responsibility,Local governing body [local],Local governing body [local] {T3}\n1,Governance,Budget,X,\n");
    expect(messages(variant)).toEqual([
      "Row 1, column E, Local governing body [local] {T3}: columns for autonomy tiers or single schools ({…} after the body's name) cannot be imported yet. This file holds the matrix every school starts from; add tier and school variations in the matrix editor.",
    ]);
    const variations = read("ref,column,applies to,mark\n4.2,Local governing body,T3,X\n");
    expect(messages(variations)).toEqual([
      "Row 1: this is a file of variations for autonomy tiers and single schools (ref,column,applies to,mark). Importing variations is not available yet: import the matrix file, and add the variations in the matrix editor.",
    ]);
  });

  it("refuses a heading row that does not start ref,area,responsibility", () => {
    expect(messages(read("No.,Section,Decision,Board [board]\n1,A,B,X\n"))).toEqual([
      'Row 1, column A, No.: column A must be headed "ref", not "No.". The heading row starts ref,area,responsibility, then one column per body.',
      'Row 1, column B, Section: column B must be headed "area", not "Section". The heading row starts ref,area,responsibility, then one column per body.',
      'Row 1, column C, Decision: column C must be headed "responsibility", not "Decision". The heading row starts ref,area,responsibility, then one column per body.',
    ]);
    expect(messages(read(""))).toEqual([
      "Row 1: The file is empty: it needs a heading row (ref,area,responsibility, then one column per body) and a row per responsibility.",
    ]);
    expect(messages(read("ref,area,responsibility\n1,A,B\n"))).toEqual([
      "Row 1: the heading row names no bodies: after ref,area,responsibility put one column per body, e.g. Trust board [board].",
    ]);
  });

  it("refuses an unknown kind, a kind that contradicts the trust's column, a repeated body and an individual board's name", () => {
    const context: ImportContext = {
      ...EMPTY,
      columns: [column("Cluster board", "cluster")],
      boards: [{ name: "Dales cluster", kind: "cluster", columnName: "Cluster board" }],
    };
    const plan = read("ref,area,responsibility,CEO [individual],Cluster board [local],Dales cluster,ceo [executive],CEO [executive]\n1,A,B,,,,,\n", context);
    expect(messages(plan)).toEqual([
      'Row 1, column D, CEO [individual]: "individual" is not a kind of body. Use one of: members, board, committee, executive, cluster, local, school, external.',
      "Row 1, column E, Cluster board [local]: the trust's column \"Cluster board\" is a cluster column, not local. Correct the kind in brackets, or leave it out.",
      'Row 1, column F, Dales cluster: "Dales cluster" is one of the trust\'s individual boards, which answer in the matrix under the column "Cluster board". Use the column\'s name as the heading.',
      "Row 1, column H, CEO [executive]: this is the same body as column G: each body has one column.",
    ]);
  });

  it("refuses to add bodies for someone who may not, naming the body", () => {
    const plan = read("ref,area,responsibility,Audit committee [committee]\n1,A,B,X\n", EMPTY, { mayCreateBodies: false });
    expect(messages(plan)).toEqual([
      'Row 1, column D, Audit committee [committee]: "Audit committee" is not one of the trust\'s columns, and only the trust\'s clerk can add governance bodies. Ask the clerk to add it, or to import this file.',
    ]);
  });

  it("ignores empty columns a spreadsheet saved at the right, but not marks under no heading", () => {
    expect(messages(read("ref,area,responsibility,Board [board],,\n1,A,B,X,,\n"))).toEqual([]);
    expect(messages(read("ref,area,responsibility,Board [board],\n1,A,B,X,X\n"))).toEqual([
      "Row 1, column E: column E has marks but no heading: put the body's name at the top, e.g. Trust board [board].",
    ]);
  });

  it("skips blank rows, as a spreadsheet saves them", () => {
    const plan = read("ref,area,responsibility,Board [board]\n,,,\n1,A,B,X\n\n2,A,C,\n");
    expect(messages(plan)).toEqual([]);
    expect(plan.rows.map((r) => [r.ref, r.row])).toEqual([["1", 3], ["2", 5]]);
  });
});

describe("what an import changes in the trust's matrix", () => {
  const board = column("Trust board", "board");
  const ceo = column("CEO", "executive", 2);
  const budget = row("4.1", "Approve the budget", { section: "Finance", area: 12 });
  const vision = row("1.2", "Set the vision", { area: 1, position: 2 });
  const context: ImportContext = {
    columns: [board, ceo],
    boards: [],
    rows: [budget, vision, row("9.9", "Unmentioned", { position: 3 })],
    cells: { [cellKey(budget.id, board.id)]: "D", [cellKey(budget.id, ceo.id)]: "R", [cellKey(vision.id, board.id)]: "D" },
  };
  const codes = findKey("codes")!;

  it("updates rows matched by ref in place: cells set and cleared, titles and sections changed", () => {
    const text = [
      "ref,area,responsibility,Trust board [board],CEO [executive]",
      "4.1,Finance,Approve the annual budget,D,",
      "1.2,Vision and values,Set the vision,D,C",
      "5.5,Finance,Charging policy,,D",
    ].join("\n");
    const plan = readMatrixCsv(text, context, { key: codes });
    expect(messages(plan)).toEqual([]);
    expect(plan.summary).toEqual({ newBodies: 0, newRows: 1, updatedRows: 2, unchangedRows: 0, cellsSet: 2, cellsCleared: 1, untouchedRows: 1 });
    const updated = plan.rows.find((r) => r.ref === "4.1")!;
    expect(updated.existing?.title).toBe("Approve the budget");
    expect(updated.changes).toEqual([{ columnIndex: 1, before: "R", after: null }]);
    // A heading that is a research area's own name is that area, not a heading of the trust's.
    expect(plan.rows.find((r) => r.ref === "1.2")).toMatchObject({ section: null, area: 1, changes: [{ columnIndex: 1, before: null, after: "C" }] });
    expect(plan.rows.find((r) => r.ref === "5.5")).toMatchObject({ existing: null, section: "Finance", area: 12 });
    expect(plan.untouched).toEqual([{ ref: "9.9", title: "Unmentioned" }]);
  });

  it("gives new rows and rows moving section the section's area, and leaves rows that keep their section in theirs", () => {
    const classified = { ...context, rows: [{ ...budget, area: 7 }] };
    const keeps = readMatrixCsv("ref,area,responsibility,Trust board [board]\n4.1,Finance,Approve the budget,D\n", classified, { key: codes });
    expect(keeps.rows[0]).toMatchObject({ area: 7, section: "Finance" });
    expect(keeps.summary.unchangedRows).toBe(1);
    const moves = readMatrixCsv("ref,area,responsibility,Trust board [board]\n4.1,Money matters,Approve the budget,D\n", classified, {
      key: codes,
      areaChoices: { "Money matters": 12 },
    });
    expect(moves.rows[0]).toMatchObject({ area: 12, section: "Money matters" });
    expect(moves.sections).toEqual([{ heading: "Money matters", area: 12, source: "chosen", suggested: null, rows: 1, classifies: 1 }]);
    const unclassified = readMatrixCsv("ref,area,responsibility,Trust board [board]\n7.7,Money matters,Petty cash,D\n", classified, { key: codes });
    expect(unclassified.rows[0]).toMatchObject({ area: 0, section: "Money matters" });
  });
});

describe("writing a version's matrix", () => {
  const board = column("Trust board", "board", 1);
  const members = column("Members", "members", 5);
  const lgb = column("Local governing body", "local", 2);
  const rows = [
    row("12.1", "Approve the budget, annually", { area: 12, section: "M Finance", position: 1 }),
    row("1.1", 'The "trust\'s" vision', { area: 1, position: 2 }),
    row("X1", "Unsorted", { area: 0, position: 3 }),
  ];
  const scheme = {
    columns: [members, board, lgb],
    rows,
    cells: { [cellKey("row-12.1", board.id)]: { code: "D" as DecisionCode, note: null }, [cellKey("row-1.1", lgb.id)]: { code: "M" as DecisionCode, note: null } },
  };

  it("writes codes, columns with their kinds, rows in area order and each row's heading or area", () => {
    expect(writeMatrixCsv(scheme)).toBe(
      [
        "ref,area,responsibility,Members [members],Trust board [board],Local governing body [local]",
        '1.1,Vision and values,"The ""trust\'s"" vision",,,M',
        '12.1,M Finance,"Approve the budget, annually",,D,',
        "X1,Unclassified,Unsorted,,,",
        "",
      ].join("\r\n"),
    );
  });

  it("writes the trust's own marks, and refuses a key that has no mark for a code in use", () => {
    const key: DecisionKey = parseCustomKey("X=D,Mon=M");
    expect(writeMatrixCsv(scheme, key).split("\r\n")[2]).toBe('12.1,M Finance,"Approve the budget, annually",,X,');
    expect(() => writeMatrixCsv(scheme, findKey("x"))).toThrow(
      'The key "X marks (X = decides, * = must be consulted)" has no mark for M (monitors, 1 cell). Download with the decision codes instead, or use a key with a mark for every code the scheme uses.',
    );
  });

  it("reads back what it writes as no change at all", () => {
    const context: ImportContext = { columns: scheme.columns, boards: [], rows, cells: { [cellKey("row-12.1", board.id)]: "D", [cellKey("row-1.1", lgb.id)]: "M" } };
    const plan = readMatrixCsv(writeMatrixCsv(scheme), context, { key: findKey("codes")! });
    expect(messages(plan)).toEqual([]);
    expect(plan.summary).toMatchObject({ newBodies: 0, newRows: 0, updatedRows: 0, unchangedRows: 3, cellsSet: 0, cellsCleared: 0 });
  });

  it("reads any written matrix back as the same rows, columns and codes", () => {
    const text = fc.string({ unit: fc.constantFrom("a", "ŵ", "ŷ", "Ll", ",", '"', "\n", " ", "😀", "&", "x", "[", "]") });
    const nonBlank = text.filter((t) => t.trim() !== "" && !/\r/.test(t)).map((t) => t.trim());
    const kinds: BodyKind[] = ["members", "board", "committee", "executive", "cluster", "local", "school", "external"];
    const codeArb = fc.constantFrom<DecisionCode | null>("D", "R", "C", "A", "E", "M", "I", "—", null);
    const arb = fc
      .record({
        names: fc.uniqueArray(fc.stringMatching(/^[A-Za-zŵŷ&' ,"]{1,12}$/).map((n) => n.trim()).filter((n) => n !== ""), {
          minLength: 1,
          maxLength: 5,
          selector: (n) => n.toLowerCase(),
        }),
        rows: fc.array(fc.record({ title: nonBlank, section: fc.option(nonBlank, { nil: null }), area: fc.integer({ min: 0, max: 12 }) }), { minLength: 1, maxLength: 8 }),
      })
      .chain(({ names, rows }) =>
        fc.record({
          names: fc.constant(names),
          kinds: fc.array(fc.constantFrom(...kinds), { minLength: names.length, maxLength: names.length }),
          rows: fc.constant(rows),
          codes: fc.array(fc.array(codeArb, { minLength: names.length, maxLength: names.length }), { minLength: rows.length, maxLength: rows.length }),
        }),
      );
    fc.assert(
      fc.property(arb, ({ names, kinds: kindsOf, rows: rowSpecs, codes: grid }) => {
        const columns = names.map((n, i) => column(n, kindsOf[i]!, i));
        const schemeRows = rowSpecs.map((r, i) => row(`R${i}`, r.title.slice(0, 500), { section: r.section, area: r.area, position: i }));
        const cells: Record<string, { code: DecisionCode; note: null }> = {};
        schemeRows.forEach((r, i) =>
          columns.forEach((c, j) => {
            const code = grid[i]![j];
            if (code) cells[cellKey(r.id, c.id)] = { code, note: null };
          }),
        );
        const written = writeMatrixCsv({ columns, rows: schemeRows, cells });
        const plan = readMatrixCsv(written, EMPTY, { key: findKey("codes")! });
        expect(messages(plan)).toEqual([]);
        expect(plan.columns.map((c) => [c.name, c.kind])).toEqual(columns.map((c) => [c.name, c.kind]));
        const byRef = new Map(plan.rows.map((r) => [r.ref, r]));
        for (const r of schemeRows) {
          const read = byRef.get(r.ref)!;
          expect(read.title).toBe(r.title);
          expect(read.codes).toEqual(columns.map((c) => cells[cellKey(r.id, c.id)]?.code ?? null));
        }
      }),
      { numRuns: 150 },
    );
  });
});

describe("column letters", () => {
  it("count as a spreadsheet does", () => {
    expect([0, 1, 25, 26, 27, 51, 52, 701, 702].map(columnLetter)).toEqual(["A", "B", "Z", "AA", "AB", "AZ", "BA", "ZZ", "AAA"]);
  });
});

describe("the file's text", () => {
  it("is read as UTF-8, or as Windows-1252 when Excel saved it so", () => {
    const utf8 = new TextEncoder().encode("ref,area,responsibility,Bwrdd [board]\n1,Cyllid,Contracts over £50k,X\n");
    expect(decodeCsvFile(utf8)).toContain("Contracts over £50k");
    const windows = Uint8Array.from([...new TextEncoder().encode("1,Finance,Contracts over "), 0xa3, ...new TextEncoder().encode("50k,X\n")]);
    expect(decodeCsvFile(windows)).toBe("1,Finance,Contracts over £50k,X\n");
    const mixed = Uint8Array.from([...new TextEncoder().encode("Bwrdd ŵ "), 0xa3]);
    expect(() => decodeCsvFile(mixed)).toThrow(/mixes two text encodings/);
  });

  it("is refused when it holds null bytes, as a spreadsheet's own format or UTF-16 text does", () => {
    const utf16 = Uint8Array.from([0xff, 0xfe, ...Buffer.from("ref,area,responsibility\n", "utf16le")]);
    expect(() => decodeCsvFile(utf16)).toThrow("The file holds null characters, so it is not CSV text: perhaps it is a spreadsheet (.xlsx) or was saved as UTF-16.");
    expect(() => decodeCsvFile(new TextEncoder().encode("ref,area,responsibility\n1.1,1,A\u0000B\n"))).toThrow(/null characters/);
  });
});
