/**
 * Export → import is lossless: a trust's matrix exported as CSV and imported into a fresh trust
 * exports again as the very same file, whatever its rows, titles, sections, columns and codes.
 */
import fs from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database, DatabaseHandle } from "../../db/client";
import { AREAS } from "~/domain/areas";
import type { DecisionCode } from "~/domain/codes";
import { formatCsv } from "~/domain/csv";
import { findKey } from "~/domain/decision-keys";
import { BODY_KINDS } from "~/domain/structure";
import { COMMAND_LINE } from "~/models/audit.server";
import { exportVersionCsv } from "~/models/matrix-export.server";
import { applyImport, previewImport } from "~/models/matrix-import.server";
import { findDraft } from "~/models/scheme.server";
import { createTrust, type Trust } from "~/models/trust.server";
import { freshDatabase } from "../support/database";

let handle: DatabaseHandle;
let db: Database;
let trusts = 0;

beforeAll(async () => {
  handle = await freshDatabase();
  db = handle.db;
});
afterAll(() => handle?.close());

async function freshTrust(): Promise<Trust> {
  trusts++;
  return createTrust(db, COMMAND_LINE, { name: `Round Trip Trust ${trusts}`, slug: `round-trip-${trusts}` });
}

async function exportDraft(trust: Trust, key?: string): Promise<string> {
  const draft = (await findDraft(db, trust.id))!;
  return (await exportVersionCsv(db, trust, { number: draft.number, key })).csv;
}

const codes = findKey("codes")!;

// Text as trusts write it: commas, quotation marks, line breaks, emoji and Welsh letters.
const piece = fc.constantFrom("a", "B", " ", "ŵ", "Ŷ", "â", "Ll", "dd", ",", '"', "\n", "😀", "’", "&", "(", "1");
const words = (max: number) =>
  fc
    .array(piece, { minLength: 1, maxLength: max })
    .map((p) => p.join("").trim())
    .filter((t) => t !== "");
const name = fc
  .array(fc.constantFrom("a", "B", " ", "ŵ", "Ŷ", "&", ",", "'", '"', "😀", "c"), { minLength: 1, maxLength: 14 })
  .map((p) => p.join("").trim())
  .filter((t) => t !== "");
// Default catalogue rows without constraints (updated in place), and the trust's own refs (added).
const ref = fc.oneof(fc.constantFrom("2.1", "3.1", "3.3", "6.1", "10.1"), fc.integer({ min: 1, max: 999 }).map((n) => `R${n}`));
const heading = fc.oneof(words(20), fc.constantFrom("", ...AREAS.map((a) => a.name), "A. Vision & ethos", "K HR", "Members oversight"));
const code = fc.constantFrom<DecisionCode | "">("D", "R", "C", "A", "E", "M", "I", "—", "", "", "");

const matrix = fc
  .record({
    columns: fc.uniqueArray(fc.record({ name, kind: fc.constantFrom(...BODY_KINDS) }), {
      minLength: 1,
      maxLength: 6,
      selector: (c) => c.name.toLowerCase(),
    }),
    rows: fc.uniqueArray(fc.record({ ref, heading, title: words(40) }), { minLength: 1, maxLength: 12, selector: (r) => r.ref }),
  })
  .chain(({ columns, rows }) =>
    fc.record({
      columns: fc.constant(columns),
      rows: fc.constant(rows),
      cells: fc.array(fc.array(code, { minLength: columns.length, maxLength: columns.length }), {
        minLength: rows.length,
        maxLength: rows.length,
      }),
    }),
  );

describe("CSV export and import", () => {
  it("export → import into a fresh trust → export gives the same file, for any matrix", async () => {
    await fc.assert(
      fc.asyncProperty(matrix, async ({ columns, rows, cells }) => {
        const original = formatCsv([
          ["ref", "area", "responsibility", ...columns.map((c) => `${c.name} [${c.kind}]`)],
          ...rows.map((r, i) => [r.ref, r.heading, r.title, ...cells[i]!]),
        ]);
        const first = await freshTrust();
        await applyImport(db, COMMAND_LINE, { trustId: first.id, csv: original, key: codes });
        const exported = await exportDraft(first);

        const second = await freshTrust();
        await applyImport(db, COMMAND_LINE, { trustId: second.id, csv: exported, key: codes });
        expect(await exportDraft(second)).toBe(exported);
        // And the file, read against the trust it came from, changes nothing there.
        expect((await previewImport(db, { trustId: first.id, csv: exported, key: codes })).plan.summary).toMatchObject({
          newBodies: 0,
          newRows: 0,
          updatedRows: 0,
          cellsSet: 0,
          cellsCleared: 0,
        });
      }),
      { numRuns: 25 },
    );
  });

  it("exports in the trust's own marks, which import back as no change", async () => {
    const trust = await freshTrust();
    const lionheart = fs.readFileSync(path.resolve(import.meta.dirname, "../fixtures/csv/lionheart-responsible-recommends.csv"), "utf8");
    await applyImport(db, COMMAND_LINE, { trustId: trust.id, csv: lionheart, key: findKey("responsible-recommends")! });
    const ownMarks = await exportDraft(trust, "trust");
    expect(ownMarks).toContain('M3,M Finance,"Contracts over £50,000",,Responsible,Responsible,,,,Recommends,,,,,,,,\r\n');
    const again = await previewImport(db, { trustId: trust.id, csv: ownMarks, key: findKey("responsible-recommends")! });
    expect(again.plan.errors).toEqual([]);
    expect(again.plan.summary).toMatchObject({ newRows: 0, updatedRows: 0, cellsSet: 0, cellsCleared: 0 });
    await expect(exportDraft(trust, "x")).rejects.toThrow(/has no mark for R \(recommends/);
  });
});
