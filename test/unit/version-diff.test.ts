/**
 * The difference between two versions: for any two versions of a small scheme, applying the
 * difference to the older gives the newer; and one example of each kind of change, as a reader sees it.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TIERS, type Tier } from "~/domain/autonomy";
import { DECISION_CODES, type DecisionCode } from "~/domain/codes";
import type { Cell, Scheme, SchemeBoard, SchemeColumn, SchemeRow, SchemeSchool, Variant } from "~/domain/scheme";
import { cellKey } from "~/domain/scheme";
import type { BodyKind } from "~/domain/structure";
import {
  applyDiff,
  bodyChangeWords,
  cellChangeWords,
  diffCounts,
  isEmptyDiff,
  rowChangeWords,
  schoolChangeWords,
  variantChangeWords,
  versionDiff,
} from "~/domain/version-diff";

// ---------------------------------------------------------------- arbitraries

const ROW_IDS = ["r1", "r2", "r3", "r4", "r5", "r6"];
const COLUMN_IDS = ["c1", "c2", "c3", "c4"];
const BOARD_IDS = ["b1", "b2", "b3"];
const SCHOOL_IDS = ["s1", "s2", "s3"];
const KINDS: BodyKind[] = ["board", "executive", "cluster", "local", "school"];

const code = fc.constantFrom<DecisionCode>(...DECISION_CODES);
const note = fc.constantFrom<string | null>(null, null, "By March", "With the diocese");
const cellArb: fc.Arbitrary<Cell> = fc.record({ code, note });
const variantArb: fc.Arbitrary<Variant> = fc.record({ code: fc.option(code, { nil: null, freq: 4 }), note });

const rowArb = (id: string): fc.Arbitrary<SchemeRow> =>
  fc.record({
    id: fc.constant(id),
    catalogueKey: fc.constantFrom(null, `CAT-${id}`),
    area: fc.integer({ min: 0, max: 3 }),
    section: fc.constantFrom(null, "Finance"),
    ref: fc.constantFrom("1.1", "1.2", "2.1"),
    title: fc.constantFrom("Approve the budget", "Set the curriculum", "Appoint the headteacher"),
    guidance: fc.constantFrom(null, "See the funding agreement."),
    decisionKinds: fc.constantFrom<BodyKind[] | null>(null, ["board"], ["board", "executive"]),
    excludedKinds: fc.constantFrom<BodyKind[] | null>(null, ["school"]),
    statutoryRule: fc.constantFrom(null, "ST-01"),
    locked: fc.boolean(),
    externalApproval: fc.boolean(),
    tags: fc.constantFrom<string[]>([], ["strand of consistency"], ["innovation-eligible", "strand of consistency"]),
    position: fc.integer({ min: 0, max: 3 }),
  });

const columnArb = (id: string): fc.Arbitrary<SchemeColumn> =>
  fc.record({
    id: fc.constant(id),
    kind: fc.constantFrom(...KINDS),
    name: fc.constantFrom("Trust board", "Local board", "Hub council", "Headteacher"),
    shortName: fc.constantFrom(null, "TB", "LGB"),
    mode: fc.constantFrom("decision-making" as const, "advisory" as const),
    position: fc.integer({ min: 0, max: 3 }),
  });

const boardArb = (id: string): fc.Arbitrary<SchemeBoard> =>
  fc.record({
    id: fc.constant(id),
    kind: fc.constantFrom<BodyKind>("cluster", "local"),
    name: fc.constantFrom("North cluster", "Ashby council"),
    mode: fc.constantFrom("decision-making" as const, "advisory" as const),
    purpose: fc.constantFrom("standing" as const, "transition" as const),
    columnId: fc.constantFrom(null, "c3"),
    parentId: fc.constantFrom(null, "b1"),
    chairName: fc.constantFrom(null, "A. Chair"),
  });

const schoolArb = (id: string): fc.Arbitrary<SchemeSchool> =>
  fc.record({
    id: fc.constant(id),
    urn: fc.constantFrom(100001, 100002),
    name: fc.constantFrom("Ashby Primary", "Beck Academy"),
    phase: fc.constantFrom("primary" as const, "secondary" as const),
    clusterBodyId: fc.constantFrom(null, "b1"),
    localBodyId: fc.constantFrom(null, "b2"),
    easting: fc.constantFrom(null, 412000),
    northing: fc.constantFrom(null, 530000),
    joinedOn: fc.constantFrom(null, "2021-09-01"),
  });

/** A subset of the ids, each with its arbitrary record. */
function some<T>(ids: string[], arb: (id: string) => fc.Arbitrary<T>): fc.Arbitrary<T[]> {
  return fc.tuple(...ids.map((id) => fc.option(arb(id), { nil: null }))).map((xs) => xs.filter((x): x is Awaited<T> => x !== null) as T[]);
}

/** Some cells of the matrix of these rows and columns. */
function layer<C>(rows: string[], columns: string[], value: fc.Arbitrary<C>): fc.Arbitrary<Record<string, C>> {
  const keys = rows.flatMap((r) => columns.map((c) => cellKey(r, c)));
  return fc.tuple(...keys.map(() => fc.option(value, { nil: null, freq: 2 }))).map((values) => {
    const out: Record<string, C> = {};
    values.forEach((v, i) => {
      if (v !== null) out[keys[i]!] = v;
    });
    return out;
  });
}

const version = (number: number) => ({
  id: `v${number}`,
  number,
  status: number === 1 ? ("approved" as const) : ("draft" as const),
  basedOnId: number === 1 ? null : "v1",
  approvedByBodyId: null,
  approvedOn: null,
  minuteRef: null,
  reviewDueOn: null,
  breakPointReason: null,
  version: 1,
});

const schemeArb = (number: number): fc.Arbitrary<Scheme> =>
  fc
    .record({
      rows: some(ROW_IDS, rowArb),
      columns: some(COLUMN_IDS, columnArb),
      boards: some(BOARD_IDS, boardArb),
      schools: some(SCHOOL_IDS, schoolArb),
    })
    .chain((structure) => {
      const rowIds = structure.rows.map((r) => r.id);
      const columnIds = structure.columns.map((c) => c.id);
      const tiers = fc.tuple(...TIERS.map(() => fc.option(layer(rowIds, columnIds, variantArb), { nil: null, freq: 2 })));
      const schools = fc.tuple(...structure.schools.map(() => fc.option(layer(rowIds, columnIds, variantArb), { nil: null, freq: 2 })));
      return fc.record({ cells: layer(rowIds, columnIds, cellArb), tiers, schools }).map(({ cells, tiers, schools: schoolLayers }) => {
        const tierCells: Scheme["tierCells"] = {};
        tiers.forEach((l, i) => {
          if (l) tierCells[TIERS[i]!] = l;
        });
        const schoolCells: Scheme["schoolCells"] = {};
        schoolLayers.forEach((l, i) => {
          if (l) schoolCells[structure.schools[i]!.id] = l;
        });
        return { version: version(number), ...structure, cells, tierCells, schoolCells, rowRevisions: {} } satisfies Scheme;
      });
    });

/** What applying a difference must reproduce, in a form that does not depend on order or empty layers. */
function comparable(scheme: Scheme) {
  const byId = <T extends { id: string }>(xs: T[]) => [...xs].sort((a, b) => a.id.localeCompare(b.id));
  const sorted = <V>(layer: Record<string, V> | undefined) => Object.entries(layer ?? {}).sort(([a], [b]) => a.localeCompare(b));
  const nonEmpty = <V>(layers: Record<string, Record<string, V> | undefined>) =>
    Object.entries(layers)
      .filter(([, l]) => l && Object.keys(l).length > 0)
      .map(([k, l]) => [k, sorted(l)] as const)
      .sort(([a], [b]) => a.localeCompare(b));
  return {
    rows: byId(scheme.rows),
    columns: byId(scheme.columns),
    boards: byId(scheme.boards),
    schools: byId(scheme.schools),
    cells: sorted(scheme.cells),
    tierCells: nonEmpty(scheme.tierCells),
    schoolCells: nonEmpty(scheme.schoolCells),
  };
}

describe("applying the difference", () => {
  it("turns the older version into the newer, for any two versions", () => {
    fc.assert(
      fc.property(schemeArb(1), schemeArb(2), (older, newer) => {
        const diff = versionDiff(older, newer);
        expect(comparable(applyDiff(older, diff))).toEqual(comparable(newer));
        expect(applyDiff(older, diff).version).toEqual(newer.version);
      }),
      { numRuns: 500 },
    );
  });

  it("finds nothing between a version and itself", () => {
    fc.assert(
      fc.property(schemeArb(1), (scheme) => {
        const diff = versionDiff(scheme, structuredClone(scheme), { older: [], newer: [] });
        expect(isEmptyDiff(diff)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it("turns the newer back into the older with the difference the other way", () => {
    fc.assert(
      fc.property(schemeArb(1), schemeArb(2), (older, newer) => {
        expect(comparable(applyDiff(newer, versionDiff(newer, older)))).toEqual(comparable(older));
      }),
      { numRuns: 200 },
    );
  });
});

// ---------------------------------------------------------------- examples

const row = (id: string, over: Partial<SchemeRow> = {}): SchemeRow => ({
  id,
  catalogueKey: null,
  area: 1,
  section: null,
  ref: `1.${id.slice(1)}`,
  title: `Responsibility ${id}`,
  guidance: null,
  decisionKinds: null,
  excludedKinds: null,
  statutoryRule: null,
  locked: false,
  externalApproval: false,
  tags: [],
  position: Number(id.slice(1)),
  ...over,
});
const column = (id: string, over: Partial<SchemeColumn> = {}): SchemeColumn => ({
  id,
  kind: "board",
  name: `Body ${id}`,
  shortName: null,
  mode: "decision-making",
  position: Number(id.slice(1)),
  ...over,
});
const school = (id: string, name: string): SchemeSchool => ({
  id,
  urn: 100000 + Number(id.slice(1)),
  name,
  phase: "primary",
  clusterBodyId: null,
  localBodyId: null,
  easting: null,
  northing: null,
  joinedOn: null,
});

function base(): Scheme {
  return {
    version: version(1),
    columns: [column("c1", { name: "Trust board" }), column("c2", { kind: "local", name: "Local board" })],
    boards: [],
    rows: [row("r1", { title: "Approve the budget" }), row("r2", { area: 3, title: "Set the curriculum" }), row("r3")],
    schools: [school("s1", "Ashby Primary")],
    cells: {
      [cellKey("r1", "c1")]: { code: "D", note: null },
      [cellKey("r2", "c1")]: { code: "R", note: null },
      [cellKey("r2", "c2")]: { code: "D", note: null },
      [cellKey("r3", "c1")]: { code: "D", note: null },
    },
    tierCells: { T1: { [cellKey("r2", "c2")]: { code: "D", note: null } } },
    schoolCells: { s1: { [cellKey("r1", "c2")]: { code: "C", note: null } } },
    rowRevisions: {},
  };
}

describe("each kind of change", () => {
  it("lists rows added, retired, renamed and otherwise amended", () => {
    const older = base();
    const newer = { ...base(), version: version(2) };
    newer.rows = [
      row("r1", { title: "Approve the annual budget" }),
      row("r2", { area: 4, title: "Set the curriculum" }),
      row("r4", { title: "Publish the pay policy" }),
    ];
    newer.cells = { ...older.cells, [cellKey("r4", "c1")]: { code: "D", note: null } };
    delete newer.cells[cellKey("r3", "c1")];
    const diff = versionDiff(older, newer);
    expect(diff.rows.added.map((r) => r.id)).toEqual(["r4"]);
    expect(diff.rows.retired.map((r) => r.id)).toEqual(["r3"]);
    expect(diff.rows.renamed.map((c) => rowChangeWords(c))).toEqual([["renamed from 1.1 “Approve the budget” to 1.1 “Approve the annual budget”"]]);
    expect(diff.rows.amended.map((c) => rowChangeWords(c))).toEqual([
      ["moved from area 3 (Curriculum and pedagogy) to area 4 (Pupil policies and pastoral system)"],
    ]);
    // The retired row's cell goes with it; the added row's cell is listed as set.
    const all = diff.cells.flatMap((a) => a.changes);
    expect(all.map((c) => [c.rowId, c.kind])).toEqual([["r4", "set"]]);
    expect(diffCounts(diff)).toMatchObject({ rowsAdded: 1, rowsRetired: 1, rowsRenamed: 1, rowsAmended: 1, cellsChanged: 1 });
  });

  it("lists cells set, cleared, changed and re-noted, grouped by area, with the codes in words", () => {
    const older = base();
    const newer = { ...base(), version: version(2) };
    newer.cells = {
      [cellKey("r1", "c1")]: { code: "D", note: "By the end of March" },
      [cellKey("r1", "c2")]: { code: "C", note: null },
      [cellKey("r2", "c1")]: { code: "D", note: null },
      [cellKey("r3", "c1")]: { code: "D", note: null },
    };
    const diff = versionDiff(older, newer);
    expect(diff.cells.map((a) => [a.area, a.areaName, a.changes.map((c) => [c.ref, c.column, c.kind])])).toEqual([
      [1, "Vision and values", [["1.1", "Trust board", "note"], ["1.1", "Local board", "set"]]],
      [3, "Curriculum and pedagogy", [["1.2", "Trust board", "changed"], ["1.2", "Local board", "cleared"]]],
    ]);
    const words = diff.cells.flatMap((a) => a.changes.map((c) => cellChangeWords(c.from, c.to)));
    expect(words).toEqual(["Decides (D): note changed", "not set → Consulted (C)", "Recommends (R) → Decides (D)", "Decides (D) → not set"]);
  });

  it("lists tier variants per tier and school variations per school", () => {
    const older = base();
    const newer = { ...base(), version: version(2), schools: [school("s1", "Ashby Primary"), school("s2", "Beck Academy")] };
    newer.tierCells = { T1: {}, T3: { [cellKey("r1", "c2")]: { code: null, note: null } } };
    newer.schoolCells = {
      s1: { [cellKey("r1", "c2")]: { code: "A", note: null } },
      s2: { [cellKey("r2", "c2")]: { code: "R", note: null } },
    };
    const diff = versionDiff(older, newer);
    expect(diff.tiers.map((t) => [t.tier, t.changes.map((c) => variantChangeWords(c.from, c.to))])).toEqual([
      ["T1", ["Decides (D) → as the base scheme"]],
      ["T3", ["as the base scheme → cleared here"]],
    ]);
    expect(diff.schools.map((s) => [s.schoolName, s.changes.map((c) => variantChangeWords(c.from, c.to))])).toEqual([
      ["Ashby Primary", ["Consulted (C) → Advises (A)"]],
      ["Beck Academy", ["as the base scheme → Recommends (R)"]],
    ]);
    expect(diff.structure.schools.added.map((s) => s.name)).toEqual(["Beck Academy"]);
    expect(diffCounts(diff)).toMatchObject({ tierVariantsChanged: 2, schoolVariationsChanged: 2, structureChanges: 1 });
  });

  it("lists bodies added, removed, renamed and made advisory, and schools that left, without their cells one by one", () => {
    const older = base();
    const newer = { ...base(), version: version(2), schools: [] as SchemeSchool[] };
    newer.columns = [column("c2", { kind: "local", name: "Academy council", mode: "advisory" }), column("c5", { kind: "executive", name: "CEO" })];
    newer.cells = { [cellKey("r2", "c2")]: { code: "D", note: null } };
    newer.tierCells = older.tierCells;
    newer.schoolCells = {};
    const diff = versionDiff(older, newer);
    expect(diff.structure.columns.added.map((c) => c.name)).toEqual(["CEO"]);
    expect(diff.structure.columns.removed.map((c) => c.name)).toEqual(["Trust board"]);
    expect(diff.structure.columns.changed.map(bodyChangeWords)).toEqual([["renamed from “Local board” to “Academy council”", "made advisory"]]);
    expect(diff.structure.schools.removed.map((s) => s.name)).toEqual(["Ashby Primary"]);
    expect(diff.cells).toEqual([]);
    expect(diff.schools).toEqual([]);
    expect(comparable(applyDiff(older, diff))).toEqual(comparable(newer));
  });

  it("words a school's changed record", () => {
    const before = school("s1", "Ashby Primary");
    const after = { ...before, name: "Ashby Church Primary", clusterBodyId: "b1" };
    const diff = versionDiff({ ...base(), schools: [before] }, { ...base(), schools: [after] });
    expect(diff.structure.schools.changed.map(schoolChangeWords)).toEqual([["renamed from “Ashby Primary” to “Ashby Church Primary”", "moved to another cluster"]]);
  });

  it("lists findings that appeared and disappeared, by key", () => {
    const f = (key: string) => ({ key, ruleId: key.split(":")[0]!, severity: "warning", message: `Finding ${key}` });
    const diff = versionDiff(base(), base(), { older: [f("ST-01:a"), f("CO-02:b")], newer: [f("CO-02:b"), f("EA-03:c")] });
    expect(diff.findings!.appeared.map((x) => x.key)).toEqual(["EA-03:c"]);
    expect(diff.findings!.disappeared.map((x) => x.key)).toEqual(["ST-01:a"]);
    expect(versionDiff(base(), base()).findings).toBeNull();
  });

  it("orders tiers as the trust does", () => {
    const tiers: Tier[] = ["T4", "T0"];
    const newer = base();
    newer.tierCells = Object.fromEntries(tiers.map((t) => [t, { [cellKey("r1", "c1")]: { code: "M", note: null } }]));
    expect(versionDiff(base(), newer).tiers.map((t) => t.tier)).toEqual(["T0", "T1", "T4"]);
  });
});
