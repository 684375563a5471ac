/**
 * Reading the DfE register's establishment fields CSV: only the trust's own schools are kept (by
 * the trust's name or a list of URNs), the register's other 130-odd columns are ignored, phases and
 * Ofsted grades are translated, and every problem names its line and column.
 */
import fs from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatCsv, parseCsv, type CsvRecord } from "~/domain/csv";
import { CsvStreamReader } from "~/domain/csv-stream";
import { RuleError } from "~/domain/errors";
import {
  columnLetter,
  describeProblem,
  parseUrnList,
  phaseOf,
  readRegister,
  RegisterReader,
  registerDate,
  registerExtract,
  type RegisterFilter,
  type RegisterReading,
} from "~/domain/gias";

const FIXTURE = new URL("../fixtures/gias/edubasealldata20261101.csv", import.meta.url);
/** The register's download as it arrives: Windows-1252 bytes. */
const registerBytes = new Uint8Array(fs.readFileSync(FIXTURE));
const registerText = new TextDecoder("windows-1252").decode(registerBytes);
const NORTH_DALES: RegisterFilter = { by: "trust", trustName: "NORTH DALES LEARNING TRUST" };

/** The fixture with some cells changed, as a string: `edit(records)` changes the parsed rows in place. */
function editedRegister(edit: (records: string[][], column: (name: string) => number) => void): string {
  const records = parseCsv(registerText).map((r) => r.fields);
  edit(records, (name) => records[0]!.indexOf(name));
  return formatCsv(records);
}

/** Row of the fixture holding a URN. */
function rowOf(records: string[][], urn: number): string[] {
  return records.find((r) => r[0] === String(urn))!;
}

const urns = (reading: RegisterReading) => reading.schools.map((s) => s.urn).sort((a, b) => a - b);

describe("filtering the register", () => {
  it("keeps exactly the trust's open schools when filtered by its name, whatever the case and spacing", () => {
    const reading = readRegister(registerBytes, { by: "trust", trustName: "  north dales   Learning trust " });
    expect(reading.problems).toEqual([]);
    expect(reading.encoding).toBe("windows-1252");
    expect(reading.rowsRead).toBe(38);
    expect(urns(reading)).toEqual([
      137214, 138905, 139452, 140118, 141376, 142093, 142870, 143561, 144209, 145732, 146318, 147904, 148655, 150221,
    ]);
    // The closed school that left the trust is skipped, and says why.
    expect(reading.skipped).toEqual([{ line: 16, urn: "139001", name: "Hawes Wensleydale Primary School", reason: "The register lists this school as closed." }]);
  });

  it("does not take another trust whose name only begins the same way", () => {
    const reading = readRegister(registerBytes, { by: "trust", trustName: "North Dales Learning Partnership" });
    expect(urns(reading)).toEqual([149318, 149319]);
  });

  it("keeps the URNs asked for, from any trust, and names those the file does not hold", () => {
    const reading = readRegister(registerBytes, { by: "urns", urns: [140955, 136204, 121748, 999999] });
    expect(urns(reading)).toEqual([121748, 136204, 140955]);
    expect(reading.missingUrns).toEqual([999999]);
    expect(reading.schools.find((s) => s.urn === 140955)!.name).toBe("St Thérèse of Lisieux Catholic Primary School");
  });

  it("suggests the register's spelling when the trust's name matches nothing", () => {
    const reading = readRegister(registerBytes, { by: "trust", trustName: "North Dales Trust" });
    expect(reading.schools).toEqual([]);
    expect(reading.similarTrustNames).toEqual(["NORTH DALES LEARNING PARTNERSHIP", "NORTH DALES LEARNING TRUST"]);
  });

  it("reads the schools' details from their own columns, even where quoted values hold commas", () => {
    const reading = readRegister(registerBytes, NORTH_DALES);
    const aysgarth = reading.schools.find((s) => s.urn === 143561)!;
    expect(aysgarth).toMatchObject({
      line: 4,
      name: "Aysgarth Falls Primary School",
      phase: "primary",
      postcode: "DL8 3SR",
      easting: 400400,
      northing: 488300,
      localAuthority: "North Yorkshire",
      headteacherName: "Emma Blades",
      inspection: { grade: 2, asOf: "2022-06-20" },
      inspectionNote: null,
    });
    // "Open, but proposed to close" is still open.
    expect(urns(reading)).toContain(141376);
  });
});

describe("the register's columns", () => {
  it("ignores every other column, wherever the used ones stand", () => {
    const columns = ["Trusts (name)", "Northing", "SEN1 (name)", "URN", "Easting", "OfstedRating (name)", "Postcode", "PhaseOfEducation (name)", "Extra notes", "OfstedLastInsp", "EstablishmentName"];
    const text = formatCsv([
      columns,
      ["North Dales Learning Trust", "490200", "Not applicable", "137214", "411300", "Good", "dl8 5eb", "All-through", "anything, at all", "07-11-2023", "Wensleydale Bridge School"],
    ]);
    const reading = readRegister(text, NORTH_DALES);
    expect(reading.problems).toEqual([]);
    expect(reading.schools).toEqual([
      expect.objectContaining({
        urn: 137214,
        name: "Wensleydale Bridge School",
        phase: "all-through",
        postcode: "DL8 5EB",
        easting: 411300,
        northing: 490200,
        localAuthority: null,
        inspection: { grade: 2, asOf: "2023-11-07" },
      }),
    ]);
  });

  it("refuses a file without the columns it needs, naming each missing one", () => {
    const text = editedRegister((records, column) => {
      for (const record of records) record.splice(column("OfstedLastInsp"), 1);
      for (const record of records) record.splice(column("Easting"), 1);
    });
    const reading = readRegister(text, NORTH_DALES);
    expect(reading.schools).toEqual([]);
    expect(reading.problems).toHaveLength(1);
    expect(describeProblem(reading.problems[0]!)).toBe(
      'Line 1: The file has no columns "Easting", "OfstedLastInsp". Use the register\'s "establishment fields" CSV from Get Information About Schools, with its header row unchanged.',
    );
  });

  it("refuses an empty file", () => {
    expect(readRegister("", NORTH_DALES).problems.map(describeProblem)).toEqual(["The file is empty. Choose the register's establishment fields CSV."]);
  });
});

describe("checking the trust's rows", () => {
  it("reports a bad URN, easting, date and postcode with the line and the column", () => {
    const text = editedRegister((records, column) => {
      rowOf(records, 139452)[column("URN")] = "13945";
      rowOf(records, 138905)[column("Easting")] = "43680O";
      rowOf(records, 142093)[column("OfstedLastInsp")] = "31-02-2017";
      rowOf(records, 145732)[column("Postcode")] = "HG5";
      // Another trust's bad row is none of this trust's business.
      rowOf(records, 136204)[column("Easting")] = "east";
    });
    const reading = readRegister(text, NORTH_DALES);
    expect(reading.problems.map(describeProblem)).toEqual([
      'Line 3, column URN (A): "13945" is not a URN: the register\'s unique reference numbers have 6 digits, e.g. 137542.',
      'Line 6, column Easting (DJ): "43680O" is not a grid reference: the easting must be a whole number of metres between 0 and 700,000.',
      'Line 11, column OfstedLastInsp (BD): "31-02-2017" is not a date: the register writes dates as day-month-year, e.g. 14-03-2019.',
      'Line 13, column Postcode (BM): "HG5" does not look like a UK postcode, e.g. HG4 1AB.',
    ]);
    expect(urns(reading)).not.toContain(138905);
  });

  it("reports a URN that appears twice, an easting without a northing, and a row whose values do not fit the header", () => {
    const text = editedRegister((records, column) => {
      rowOf(records, 143561)[column("URN")] = "137214";
      rowOf(records, 147904)[column("Northing")] = "";
      rowOf(records, 140118)!.push("stray");
    });
    expect(readRegister(text, NORTH_DALES).problems.map(describeProblem)).toEqual([
      "Line 4, column URN (A): URN 137214 appears twice: also on line 2.",
      "Line 5, column Northing (DK): The row gives an easting but no northing; the register gives both or neither.",
      "Line 10: This row has 141 values but the header has 140 columns. Perhaps a value with a comma lost its quotation marks.",
    ]);
  });

  it("reports a quotation mark out of place with its line, and reads no further", () => {
    const text = editedRegister(() => {}).replace("Ure Valley Academy", 'Ure "Valley" Academy');
    const reading = readRegister(text, NORTH_DALES);
    expect(reading.problems.map(describeProblem)).toEqual([
      "Line 10: a quotation mark appears in the middle of an unquoted value; put the whole value in quotes and double the quotation mark",
    ]);
  });
});

describe("phases and Ofsted grades", () => {
  it("translates the register's phases, and its special and alternative provision schools by their type", () => {
    const reading = readRegister(registerBytes, { by: "urns", urns: [142870, 141920, 146045, 142455, 137214, 138905, 121748] });
    const phases = Object.fromEntries(reading.schools.map((s) => [s.urn, s.phase]));
    expect(phases).toEqual({
      142870: "special",
      141920: "alternative-provision",
      146045: "16-plus",
      142455: "middle-primary",
      137214: "all-through",
      138905: "secondary",
      121748: "special",
    });
    expect(phaseOf("Not applicable", "Academy 16-19 converter")).toBe("not-applicable");
    expect(phaseOf("Middle deemed secondary", "Academy converter")).toBe("middle-secondary");
    expect(phaseOf("Sixth form", "Academy converter")).toBeNull();
  });

  it("records the four legacy grades with the inspection date, and says why a row records none", () => {
    const reading = readRegister(registerBytes, NORTH_DALES);
    const byUrn = new Map(reading.schools.map((s) => [s.urn, s]));
    expect(byUrn.get(139452)!.inspection).toEqual({ grade: 1, asOf: "2019-03-14" });
    expect(byUrn.get(138905)!.inspection).toEqual({ grade: 3, asOf: "2024-01-25" });
    expect(readRegister(registerBytes, { by: "urns", urns: [141920] }).schools[0]!.inspection).toEqual({ grade: 4, asOf: "2024-03-21" });
    expect(byUrn.get(144209)).toMatchObject({
      inspection: null,
      inspectionNote:
        'The register\'s Ofsted rating "Special Measures" is not one of the four grades (Outstanding, Good, Requires improvement, Inadequate), so no inspection grade is recorded.',
    });
    expect(byUrn.get(148655)).toMatchObject({ inspection: null, inspectionNote: "The register gives no Ofsted grade, so no inspection grade is recorded." });
  });

  it("notes a grade without an inspection date, and reads dates a spreadsheet saved again", () => {
    const text = editedRegister((records, column) => {
      rowOf(records, 142093)[column("OfstedLastInsp")] = "";
      rowOf(records, 139452)[column("OfstedLastInsp")] = "4/3/2019";
    });
    const byUrn = new Map(readRegister(text, NORTH_DALES).schools.map((s) => [s.urn, s]));
    expect(byUrn.get(142093)!.inspectionNote).toBe("The register gives an Ofsted grade but no inspection date, so no inspection grade is recorded.");
    expect(byUrn.get(139452)!.inspection).toEqual({ grade: 1, asOf: "2019-03-04" });
    expect(registerDate("29-02-2023")).toBeNull();
    expect(registerDate("29-02-2024")).toBe("2024-02-29");
  });
});

describe("reading the file as it arrives", () => {
  function inPieces(bytes: Uint8Array, size: number, filter: RegisterFilter): RegisterReading {
    const reader = new RegisterReader(filter);
    for (let i = 0; i < bytes.length; i += size) reader.write(bytes.subarray(i, i + size));
    return reader.end();
  }

  it("reads the same in small pieces as whole, in Windows-1252 and in UTF-8 with a byte-order mark", () => {
    const filter: RegisterFilter = { by: "urns", urns: [140955, 137214, 141376] };
    const whole = readRegister(registerBytes, filter);
    const utf8 = new TextEncoder().encode(`\uFEFF${registerText}`);
    for (const size of [1, 2, 7, 4096]) {
      expect(inPieces(registerBytes, size, filter)).toEqual(whole);
      expect(inPieces(utf8, size, filter)).toEqual({ ...whole, encoding: "utf-8" });
    }
    expect(whole.schools.find((s) => s.urn === 140955)!.name).toBe("St Thérèse of Lisieux Catholic Primary School");
  });

  it("refuses a file that mixes UTF-8 and Windows-1252", () => {
    const utf8 = new TextEncoder().encode(registerText.replace("Thérèse", "Thé"));
    const mixed = new Uint8Array([...utf8, ...new TextEncoder().encode("999999,"), 0xe9, 0x0d, 0x0a]);
    expect(readRegister(mixed, NORTH_DALES).problems.map(describeProblem)).toEqual([
      "The file mixes two text encodings (UTF-8 and Windows-1252), so its accented letters cannot be read reliably. Save it again as CSV (UTF-8) and upload that.",
    ]);
  });

  it("splits CSV into the same records as the whole-file reader, wherever the pieces break", () => {
    const value = fc.string({ unit: fc.constantFrom("a", "é", ",", '"', "\n", "\r\n", "\r", " ", "x") });
    fc.assert(
      fc.property(fc.array(fc.array(value, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 6 }), fc.array(fc.nat(), { maxLength: 6 }), (rows, cuts) => {
        const text = `\uFEFF${formatCsv(rows.map((r, i) => [`k${i}`, ...r]))}`;
        const records: CsvRecord[] = [];
        const reader = new CsvStreamReader((r) => records.push(r));
        const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
        let from = 0;
        for (const point of [...points, text.length]) {
          reader.write(text.slice(from, point));
          from = point;
        }
        reader.end();
        expect(records).toEqual(parseCsv(text));
      }),
    );
  });
});

describe("the confirmation's extract", () => {
  it("reads back as the same schools", () => {
    const reading = readRegister(registerBytes, NORTH_DALES);
    const again = readRegister(registerExtract(reading), NORTH_DALES);
    const strip = (r: RegisterReading) => r.schools.map(({ line: _line, ...rest }) => rest);
    expect(again.problems).toEqual([]);
    expect(strip(again)).toEqual(strip(reading));
  });
});

describe("the list of URNs", () => {
  it("reads URNs separated by commas, spaces or lines, once each", () => {
    expect(parseUrnList("137214, 139452\n143561 137214")).toEqual([137214, 139452, 143561]);
  });

  it("refuses anything that is not a URN, naming it", () => {
    const refusal = (() => {
      try {
        parseUrnList("137214, 12345, abc");
      } catch (error) {
        return error;
      }
    })();
    expect(refusal).toBeInstanceOf(RuleError);
    expect(refusal).toMatchObject({ field: "urns", message: '"12345", "abc" are not URNs: a URN is the register\'s 6-digit unique reference number, e.g. 137542.' });
    expect(() => parseUrnList(" , ")).toThrow("Enter at least one URN, e.g. 137542.");
  });

  it("names spreadsheet columns as spreadsheets do", () => {
    expect([0, 25, 26, 113, 139].map(columnLetter)).toEqual(["A", "Z", "AA", "DJ", "EJ"]);
  });
});
