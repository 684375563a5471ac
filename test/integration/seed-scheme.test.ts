import { and, count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { DatabaseHandle } from "../../db/client";
import { auditLog, cells, schemeVersions, trusts } from "../../db/schema";
import { seedDemoTrust, type DemoTrust } from "../../db/seed";
import {
  DEMO_2025_REASON,
  DEMO_APPROVED_NOTES,
  DEMO_APPROVED_SCHEME,
  DEMO_DRAFT_REASON,
  DEMO_DRAFT_REVISIONS,
  DEMO_FIRST_SCHEME_DIFFERENCES,
  type DemoRevision,
} from "../../db/seed-scheme";
import { DEFAULT_CATALOGUE } from "~/domain/catalogue";
import { cellKey, forbiddenReason, splitCellKey, type Scheme } from "~/domain/scheme";
import { COMMAND_LINE } from "~/models/audit.server";
import { saveRow } from "~/models/row-save.server";
import { findDraft, liveStructure, loadScheme } from "~/models/scheme.server";
import { freshDatabase } from "../support/database";

let handle: DatabaseHandle;
let demo: DemoTrust;
let superseded: Scheme;
let approved: Scheme;
let draft: Scheme;

beforeAll(async () => {
  handle = await freshDatabase();
  demo = await seedDemoTrust(handle.db, COMMAND_LINE);
  superseded = await loadScheme(handle.db, demo.trust.id, demo.supersededVersionId);
  approved = await loadScheme(handle.db, demo.trust.id, demo.approvedVersionId);
  draft = await loadScheme(handle.db, demo.trust.id, demo.draftVersionId);
});
afterAll(() => handle.close());

/** The scheme's cells as "catalogue key / column name" → code, the way db/seed-scheme.ts writes them. */
function byName(scheme: Scheme, pick: (cell: Scheme["cells"][string]) => string | null = (c) => c.code): Record<string, string | null> {
  const rows = new Map(scheme.rows.map((r) => [r.id, r.catalogueKey]));
  const columns = new Map(scheme.columns.map((c) => [c.id, c.name]));
  return Object.fromEntries(
    Object.entries(scheme.cells).map(([key, cell]) => {
      const { rowId, columnId } = splitCellKey(key);
      return [`${rows.get(rowId)} / ${columns.get(columnId)}`, pick(cell)];
    }),
  );
}

function holder(scheme: Scheme, catalogueKey: string): string[] {
  const row = scheme.rows.find((r) => r.catalogueKey === catalogueKey)!;
  return scheme.columns.filter((c) => scheme.cells[cellKey(row.id, c.id)]?.code === "D").map((c) => c.name);
}

function code(scheme: Scheme, catalogueKey: string, columnName: string) {
  return byName(scheme)[`${catalogueKey} / ${columnName}`] ?? null;
}

/** The cells whose codes differ between two versions. */
function changedCells(before: Scheme, after: Scheme): string[] {
  const was = byName(before);
  const now = byName(after);
  return [...new Set([...Object.keys(was), ...Object.keys(now)])].filter((cell) => was[cell] !== now[cell]).sort();
}

/** A revision list's cells as "catalogue key / column name" → the code it sets (null clears). */
function revisedCells(revisions: DemoRevision[]): (readonly [string, string | null])[] {
  return revisions.flatMap(({ key, codes }) => Object.entries(codes).map(([column, newCode]) => [`${key} / ${column}`, newCode ?? null] as const));
}

describe("the demo trust's scheme of delegation", () => {
  it("has version 1 approved by the board in July 2024 and superseded, frozen with a snapshot of the structure and catalogue", async () => {
    expect(superseded.version).toMatchObject({
      number: 1,
      status: "superseded",
      basedOnId: null,
      approvedByBodyId: demo.bodies["Board of trustees"]!.id,
      approvedOn: "2024-07-10",
      minuteRef: "TB/24/07/5",
      reviewDueOn: "2025-07-10",
    });
    const [record] = await handle.db.select().from(schemeVersions).where(eq(schemeVersions.id, demo.supersededVersionId));
    const snapshot = record!.snapshot as Pick<Scheme, "rows" | "columns" | "schools">;
    expect(snapshot.rows).toHaveLength(DEFAULT_CATALOGUE.length);
    expect(snapshot.schools).toHaveLength(13);
  });

  it("has version 2, started from version 1 for the 2025 review, approved by the board in July 2025, frozen with a snapshot of the structure and catalogue", async () => {
    expect(approved.version).toMatchObject({
      number: 2,
      status: "approved",
      basedOnId: demo.supersededVersionId,
      breakPointReason: DEMO_2025_REASON,
      approvedByBodyId: demo.bodies["Board of trustees"]!.id,
      approvedOn: "2025-07-09",
      minuteRef: "TB/25/07/6",
      reviewDueOn: "2026-07-09",
    });
    const [record] = await handle.db.select().from(schemeVersions).where(eq(schemeVersions.id, demo.approvedVersionId));
    const snapshot = record!.snapshot as Pick<Scheme, "rows" | "columns" | "schools">;
    expect(snapshot.rows).toHaveLength(DEFAULT_CATALOGUE.length);
    expect(snapshot.columns.map((c) => c.name)).toContain("School advisory board");
    // The two coastal schools join after the approval: the snapshot holds the thirteen there were then.
    expect(snapshot.schools).toHaveLength(13);
    expect(snapshot.schools.map((s) => s.name)).not.toContain("Flamborough Head Primary School");
    expect(snapshot.schools.map((s) => s.name)).not.toContain("Bempton Cliffs Academy");
  });

  it("has version 3 as the trust's draft, started from version 2 for the annual review", async () => {
    expect(draft.version).toMatchObject({ number: 3, status: "draft", basedOnId: demo.approvedVersionId, breakPointReason: DEMO_DRAFT_REASON });
    expect((await findDraft(handle.db, demo.trust.id))!.id).toBe(demo.draftVersionId);
  });

  it("assigns every row of the live catalogue in every version with exactly one D, and no cell breaks its row's constraints", async () => {
    const live = await liveStructure(handle.db, demo.trust.id);
    expect(live.rows).toHaveLength(DEFAULT_CATALOGUE.length);
    expect(Object.keys(DEMO_APPROVED_SCHEME).sort()).toEqual(DEFAULT_CATALOGUE.map((e) => e.key).sort());
    for (const scheme of [superseded, approved, draft]) {
      for (const row of live.rows) {
        expect(holder(scheme, row.catalogueKey!), `${row.catalogueKey} in version ${scheme.version.number}`).toHaveLength(1);
      }
      for (const [key, cell] of Object.entries(scheme.cells)) {
        const { rowId, columnId } = splitCellKey(key);
        const row = scheme.rows.find((r) => r.id === rowId)!;
        const column = scheme.columns.find((c) => c.id === columnId)!;
        expect(forbiddenReason(row, column.kind, cell.code), `${row.catalogueKey} / ${column.name}`).toBeNull();
      }
    }
  });

  it("never lets the advisory boards decide, while they monitor, advise and are consulted", () => {
    for (const scheme of [superseded, approved, draft]) {
      const advisory = scheme.columns.filter((c) => c.mode === "advisory");
      expect(advisory.map((c) => c.name)).toEqual(["School advisory board"]);
      const theirs = Object.entries(scheme.cells).filter(([key]) => advisory.some((c) => c.id === splitCellKey(key).columnId));
      expect(theirs.filter(([, cell]) => cell.code === "D")).toEqual([]);
      expect(new Set(theirs.map(([, cell]) => cell.code))).toEqual(new Set(["M", "A", "C", "I"]));
    }
  });

  it("puts the statutory decisions where the law and the trust's four tiers put them", () => {
    expect(holder(approved, "STAT-G3")).toEqual(["Members"]);
    for (const key of ["STAT-F1", "STAT-F2", "STAT-G4", "STAT-P1", "STAT-L1"]) expect(holder(approved, key), key).toEqual(["Board of trustees"]);
    expect(code(approved, "STAT-F1", "Finance & Resources Committee")).toBe("R");
    expect(holder(approved, "STAT-F6")).toEqual(["Audit & Risk Committee"]);
    // The People & Pay Committee recommends the CEO's pay; the CEO has no part in it.
    expect(code(approved, "STAT-L1", "People & Pay Committee")).toBe("R");
    expect(code(approved, "STAT-L1", "Chief executive officer")).toBeNull();
    expect(approved.columns.find((c) => c.name === holder(approved, "STAT-P2")[0])!.kind).toBe("committee");
    expect(holder(approved, "STAT-G2")).toEqual(["Members"]);
    expect(code(approved, "STAT-G2", "Diocese of Leeds")).toBe("C");
    // The cluster governing bodies govern their schools; the curriculum and teaching model are the CEO's.
    expect(holder(approved, "SEED-08")).toEqual(["Cluster governing body"]);
    for (const key of ["SEED-06", "SEED-07", "DER-02"]) expect(holder(approved, key), key).toEqual(["Chief executive officer"]);
  });

  it("keeps a note on each cell placed by deliberate choice, and on each cell the 2025 review set, why", () => {
    const notes = byName(approved, (c) => c.note);
    const deliberate = Object.entries(DEMO_APPROVED_NOTES).flatMap(([key, byColumn]) =>
      Object.entries(byColumn).map(([column, note]) => [`${key} / ${column}`, note] as const),
    );
    expect(deliberate.length).toBeGreaterThan(10);
    // A cell the 2025 review set notes the review's reason for it (a cell it cleared has no note to keep).
    const reviewed = DEMO_FIRST_SCHEME_DIFFERENCES.flatMap(({ key, codes, reason }) =>
      (Object.keys(codes) as (keyof (typeof DEMO_APPROVED_SCHEME)[string])[])
        .filter((column) => DEMO_APPROVED_SCHEME[key]?.[column])
        .map((column) => [`${key} / ${column}`, reason] as const),
    );
    expect(reviewed.length).toBeGreaterThan(0);
    const expected = new Map<string, string>([...deliberate, ...reviewed]);
    for (const [cell, note] of expected) expect(notes[cell], cell).toBe(note);
    expect(Object.values(notes).filter((n) => n !== null)).toHaveLength(expected.size);

    // Version 1 has the deliberate notes, and no other.
    const firstNotes = byName(superseded, (c) => c.note);
    for (const [cell, note] of deliberate) expect(firstNotes[cell], cell).toBe(note);
    expect(Object.values(firstNotes).filter((n) => n !== null)).toHaveLength(deliberate.length);
  });

  it("has an approved version that differs from version 1 in exactly the 2025 review's changes", () => {
    const before = byName(superseded);
    const after = byName(approved);
    const differences = revisedCells(DEMO_FIRST_SCHEME_DIFFERENCES);
    expect(differences.length).toBeGreaterThan(0);
    expect(changedCells(superseded, approved)).toEqual(differences.map(([cell]) => cell).sort());
    for (const [cell, oldCode] of differences) {
      expect(before[cell] ?? null, cell).toBe(oldCode);
      const [key, column] = cell.split(" / ") as [string, keyof (typeof DEMO_APPROVED_SCHEME)[string]];
      expect(after[cell] ?? null, cell).toBe(DEMO_APPROVED_SCHEME[key]?.[column] ?? null);
    }
  });

  it("has a draft that differs from the approved version in exactly the CEO's revisions, each set cell noting why", () => {
    const after = byName(draft);
    const changed = changedCells(approved, draft);
    const revised = revisedCells(DEMO_DRAFT_REVISIONS);
    expect(changed).toEqual(revised.map(([cell]) => cell).sort());
    for (const [cell, newCode] of revised) expect(after[cell] ?? null, cell).toBe(newCode);
    expect(revised.some(([, newCode]) => newCode === null)).toBe(true);

    const notes = byName(draft, (c) => c.note);
    for (const { key, codes, reason } of DEMO_DRAFT_REVISIONS) {
      for (const [column, newCode] of Object.entries(codes)) if (newCode) expect(notes[`${key} / ${column}`]).toBe(reason);
    }
    const approvedNotes = byName(approved, (c) => c.note);
    for (const [cell, note] of Object.entries(approvedNotes)) {
      if (!changed.includes(cell)) expect(notes[cell], cell).toBe(note);
    }
  });

  it("audits every cell, moves each written row's revision on once, and leaves the draft ready for the editor", async () => {
    const v1Entries = await handle.db
      .select({ n: count() })
      .from(auditLog)
      .where(and(eq(auditLog.versionId, demo.supersededVersionId), eq(auditLog.entity, "cell")));
    expect(v1Entries[0]!.n).toBe(Object.keys(superseded.cells).length);
    expect(new Set(Object.values(superseded.rowRevisions))).toEqual(new Set([2]));

    for (const [scheme, revisions] of [
      [approved, DEMO_FIRST_SCHEME_DIFFERENCES],
      [draft, DEMO_DRAFT_REVISIONS],
    ] as const) {
      const revisedRows = new Set(revisions.map((r) => scheme.rows.find((row) => row.catalogueKey === r.key)!.id));
      expect(revisedRows.size).toBe(revisions.length);
      for (const [rowId, revision] of Object.entries(scheme.rowRevisions)) {
        expect(revision, `version ${scheme.version.number}`).toBe(revisedRows.has(rowId) ? 2 : 1);
      }
    }

    const row = draft.rows.find((r) => r.catalogueKey === "SEED-02")!;
    const advisory = demo.bodies["School advisory board"]!;
    const saved = await saveRow(handle.db, COMMAND_LINE, {
      trustId: demo.trust.id,
      versionId: demo.draftVersionId,
      rowId: row.id,
      codes: { [advisory.id]: "C" },
      expectedRevision: draft.rowRevisions[row.id]!,
    });
    expect(saved).toEqual({ revision: 2, changed: 1 });
  });
});

describe("a demo scheme that breaks a row's constraints", () => {
  let empty: DatabaseHandle;
  beforeAll(async () => {
    empty = await freshDatabase();
  });
  afterAll(async () => {
    vi.doUnmock("../../db/seed-scheme");
    vi.resetModules();
    await empty.close();
  });

  it("is refused with the reason, and the seed leaves nothing behind", async () => {
    vi.resetModules();
    vi.doMock("../../db/seed-scheme", async (importOriginal) => {
      const original = await importOriginal<typeof import("../../db/seed-scheme")>();
      const broken = { ...original.DEMO_APPROVED_SCHEME, "STAT-F1": { ...original.DEMO_APPROVED_SCHEME["STAT-F1"], Headteacher: "D" as const } };
      return { ...original, DEMO_APPROVED_SCHEME: broken };
    });
    const { seedDemoTrust: seedBroken } = await import("../../db/seed");
    const error = await seedBroken(empty.db, COMMAND_LINE).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).name).toBe("RuleError");
    expect((error as Error).message).toMatch(/Only the trust board may decide "Approve the trust budget/);
    for (const table of [trusts, schemeVersions, cells, auditLog]) {
      const [rows] = await empty.db.select({ n: count() }).from(table);
      expect(rows!.n).toBe(0);
    }
  });
});
