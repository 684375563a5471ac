/**
 * The structure rules: each one fires on the scheme fault it names, once per problem, and stays
 * quiet on a sound scheme.
 */
import { describe, expect, it } from "vitest";
import type { DecisionCode } from "~/domain/codes";
import { RULES, validateScheme } from "~/domain/rules";
import { structureRules } from "~/domain/rules/structure";
import type { Finding } from "~/domain/rules/types";
import { cellKey, type Scheme } from "~/domain/scheme";
import { UNRATED_STRATEGY, type ImprovementModel, type StrategyProfile } from "~/domain/strategy";
import { board, catalogueRow, column, context, ownRow, scheme, school, type SchemeInput } from "./scheme-builder";

// A four-tier trust's columns, as a real scheme names them.
const members = column("members", "members", { name: "Members" });
const trustBoard = column("board", "board", { name: "Board of trustees" });
const standards = column("esc", "committee", { name: "Education Standards Committee" });
const ceo = column("ceo", "executive", { name: "Chief executive officer" });
const clusterColumn = column("cluster", "cluster", { name: "Cluster governing body" });
const lgb = column("lgb", "local", { name: "Local governing body" });
const advisoryColumn = column("sab", "local", { name: "School advisory board", mode: "advisory" });
const head = column("head", "school", { name: "Headteacher" });

const COLUMNS = [members, trustBoard, standards, ceo, clusterColumn, lgb, head];

function run(ruleId: string, input: SchemeInput | Scheme, strategy: StrategyProfile = UNRATED_STRATEGY): Finding[] {
  const rule = structureRules.find((r) => r.id === ruleId);
  if (!rule) throw new Error(`No structure rule ${ruleId}`);
  const schemeOf = "version" in input ? input : scheme(input);
  return rule.check(context(schemeOf, { strategy }));
}

/** A scheme with some schools' own variations (the builder writes base cells only). */
function withVariations(input: SchemeInput, variations: Record<string, Record<string, Record<string, DecisionCode | null>>>): Scheme {
  const built = scheme(input);
  for (const [schoolId, byRow] of Object.entries(variations)) {
    const own: Scheme["schoolCells"][string] = {};
    for (const [rowId, byColumn] of Object.entries(byRow)) {
      for (const [columnId, code] of Object.entries(byColumn)) own[cellKey(rowId, columnId)] = { code, note: null };
    }
    built.schoolCells[schoolId] = own;
  }
  return built;
}

// Schools each with a decision-making local board under the LGB column, in the North cluster.
const northCluster = board("north", "cluster", "cluster", { name: "North cluster" });
const abbeyLgb = board("abbey-lgb", "local", "lgb", { name: "Abbey Primary local board" });
const brookLgb = board("brook-lgb", "local", "lgb", { name: "Brook Juniors local board" });
const abbey = school("abbey", { name: "Abbey Primary", clusterBodyId: "north", localBodyId: "abbey-lgb" });
const brook = school("brook", { name: "Brook Juniors", clusterBodyId: "north", localBodyId: "brook-lgb" });
const TRUST = { columns: COLUMNS, boards: [northCluster, abbeyLgb, brookLgb], schools: [abbey, brook] };

const curriculum = catalogueRow("SEED-06"); // 3.1, open to any decider
const budget = catalogueRow("STAT-F1"); // 12.x, only the board decides (ST-12)

describe("CO-12: exactly one decider per row and school", () => {
  it("reports a base row decided by both the board and the local governing body, with no fix", () => {
    const [f, ...rest] = run("CO-12", { ...TRUST, rows: [curriculum], codes: { "SEED-06": { board: "D", lgb: "D", ceo: "R" } } });
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ ruleId: "CO-12", family: "structure", severity: "error", rowIds: ["SEED-06"], schoolIds: [] });
    expect(f!.cells).toEqual([
      { rowId: "SEED-06", columnId: "board", schoolId: null },
      { rowId: "SEED-06", columnId: "lgb", schoolId: null },
    ]);
    expect(f!.message).toContain("3.1 Curriculum and assessment in general: the Board of trustees and the Local governing body both decide (D)");
    expect(f!.source).toContain("[GIAT4]");
    // The trust chooses where the decision sits: keeping the most central D would quietly centralise it.
    expect(f!.fix).toBeNull();
  });

  it("reports schools whose own variations add a second decider, once for the schools that share it", () => {
    const s = withVariations(
      { ...TRUST, rows: [curriculum], codes: { "SEED-06": { board: "D", lgb: "C" } } },
      { abbey: { "SEED-06": { lgb: "D" } }, brook: { "SEED-06": { lgb: "D" } } },
    );
    const [f, ...rest] = run("CO-12", s);
    expect(rest).toEqual([]);
    expect(f!.schoolIds).toEqual(["abbey", "brook"]);
    expect(f!.cells).toContainEqual({ rowId: "SEED-06", columnId: "lgb", schoolId: "abbey" });
    expect(f!.cells).toContainEqual({ rowId: "SEED-06", columnId: "board", schoolId: "brook" });
    expect(f!.message).toContain("for Abbey Primary and Brook Juniors");
  });

  it("does not repeat a base fault for a school whose variation leaves it as it is", () => {
    const s = withVariations(
      { ...TRUST, rows: [curriculum], codes: { "SEED-06": { board: "D", lgb: "D" } } },
      { abbey: { "SEED-06": { head: "C" } } },
    );
    const found = run("CO-12", s);
    expect(found).toHaveLength(1);
    expect(found[0]!.schoolIds).toEqual([]);
  });

  it("stays quiet when each row has one D, for the base and every school", () => {
    const s = withVariations(
      { ...TRUST, rows: [curriculum, budget], codes: { "SEED-06": { board: "D", lgb: "C" }, "STAT-F1": { board: "D", esc: "R" } } },
      // Abbey's own scheme moves the D to its local board: still one decider.
      { abbey: { "SEED-06": { board: "M", lgb: "D" } } },
    );
    expect(run("CO-12", s)).toEqual([]);
  });
});

describe("CO-05: advisory bodies cannot decide", () => {
  const vision = catalogueRow("SEED-12");
  const input: SchemeInput = {
    columns: [trustBoard, ceo, advisoryColumn, head],
    rows: [vision, curriculum, budget],
    codes: { "SEED-12": { sab: "D", head: "R" }, "SEED-06": { sab: "D", ceo: "R" }, "STAT-F1": { board: "D", sab: "I" } },
  };

  it("reports an advisory column's Ds in one finding, and offers to make it recommend instead", () => {
    const [f, ...rest] = run("CO-05", input);
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ ruleId: "CO-05", severity: "error", rowIds: ["SEED-12", "SEED-06"] });
    expect(f!.cells).toEqual([
      { rowId: "SEED-12", columnId: "sab", schoolId: null },
      { rowId: "SEED-06", columnId: "sab", schoolId: null },
    ]);
    expect(f!.message).toContain("The School advisory board is advisory, yet decides (D) 1.1 Individual academies' vision and values; 3.1 Curriculum");
    expect(f!.fix!.label).toContain("recommend (R)");
    expect(f!.fix!.cells).toEqual([
      { rowId: "SEED-12", columnId: "sab", code: "R" },
      { rowId: "SEED-06", columnId: "sab", code: "R" },
    ]);
  });

  it("reports a school's own advisory board under a deciding column, without a fix that would take the D from the others", () => {
    // Abbey's board was made advisory (say, an intervention board); Brook's still decides.
    const advisoryAbbey = board("abbey-lgb", "local", "lgb", { name: "Abbey Primary local board", mode: "advisory" });
    const [f, ...rest] = run("CO-05", { ...TRUST, boards: [northCluster, advisoryAbbey, brookLgb], rows: [curriculum], codes: { "SEED-06": { lgb: "D" } } });
    expect(rest).toEqual([]);
    expect(f!.schoolIds).toEqual(["abbey"]);
    expect(f!.cells).toEqual([{ rowId: "SEED-06", columnId: "lgb", schoolId: "abbey" }]);
    expect(f!.message).toContain("Abbey Primary local board is advisory, yet holds the Local governing body's D on 3.1 Curriculum and assessment in general for Abbey Primary");
    expect(f!.fix).toBeNull();
  });

  it("reports a school's own variation that gives its advisory board a D, with no base fix", () => {
    const abbeyBoard = board("abbey-sab", "local", "sab", { name: "Abbey Primary advisory board", mode: "advisory" });
    const s = withVariations(
      { ...input, boards: [abbeyBoard], schools: [school("abbey", { name: "Abbey Primary", localBodyId: "abbey-sab" })], codes: { "SEED-06": { ceo: "D", sab: "C" } } },
      { abbey: { "SEED-06": { ceo: "R", sab: "D" } } },
    );
    const [f, ...rest] = run("CO-05", s);
    expect(rest).toEqual([]);
    expect(f!.cells).toEqual([{ rowId: "SEED-06", columnId: "sab", schoolId: "abbey" }]);
    expect(f!.message).toContain("Abbey Primary advisory board is advisory, yet holds the School advisory board's D on 3.1");
    // Setting the base cell to R would not reach the school's own D.
    expect(f!.fix).toBeNull();
  });

  it("stays quiet when the advisory body only advises, is consulted and monitors, and a deciding board decides", () => {
    expect(run("CO-05", { ...input, codes: { "SEED-12": { sab: "C", head: "D" }, "SEED-06": { sab: "M", ceo: "D" } } })).toEqual([]);
    expect(run("CO-05", { ...TRUST, rows: [curriculum], codes: { "SEED-06": { lgb: "D" } } })).toEqual([]);
  });
});

describe("SOD-01: a row nobody decides", () => {
  it("offers the D to the only body the row's constraints let decide", () => {
    const [f, ...rest] = run("SOD-01", { ...TRUST, rows: [budget], codes: { "STAT-F1": { esc: "R", ceo: "E" } } });
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ ruleId: "SOD-01", severity: "warning", rowIds: ["STAT-F1"] });
    expect(f!.message).toContain(`${budget.ref} Approve the trust budget (balanced) and significant changes to it: nobody decides it`);
    expect(f!.cells.map((c) => c.columnId)).toEqual(["esc", "ceo"]);
    expect(f!.fix).toEqual({ label: "Give the D to the Board of trustees", cells: [{ rowId: "STAT-F1", columnId: "board", code: "D" }] });
  });

  it("offers no fix where more than one body could decide the row", () => {
    const [open] = run("SOD-01", { ...TRUST, rows: [curriculum], codes: { "SEED-06": { ceo: "R", head: "E" } } });
    expect(open!.fix).toBeNull();
    const boardOrCommittee = ownRow("A1", { decisionKinds: ["board", "committee"] });
    const [either] = run("SOD-01", { ...TRUST, rows: [boardOrCommittee], codes: { A1: { ceo: "R" } } });
    expect(either!.fix).toBeNull();
  });

  it("never offers the D to an advisory body", () => {
    // Board or local board may decide, but the trust's local boards only advise: the board is left.
    const boardOrLocal = ownRow("A1", { decisionKinds: ["board", "local"] });
    const [f] = run("SOD-01", { columns: [trustBoard, ceo, advisoryColumn, head], rows: [boardOrLocal], codes: { A1: { sab: "R" } } });
    expect(f!.fix!.cells).toEqual([{ rowId: "A1", columnId: "board", code: "D" }]);
  });

  it("reports a school whose own variation takes the D away", () => {
    const s = withVariations({ ...TRUST, rows: [curriculum], codes: { "SEED-06": { lgb: "D", head: "E" } } }, { brook: { "SEED-06": { lgb: "C" } } });
    const [f, ...rest] = run("SOD-01", s);
    expect(rest).toEqual([]);
    expect(f!.schoolIds).toEqual(["brook"]);
    expect(f!.cells).toEqual([{ rowId: "SEED-06", columnId: "lgb", schoolId: "brook" }]);
    expect(f!.message).toContain("nobody decides it for Brook Juniors");
    expect(f!.fix).toBeNull();
  });

  it("stays quiet on decided rows and on rows not yet assigned (SOD-02's)", () => {
    expect(run("SOD-01", { ...TRUST, rows: [curriculum, budget], codes: { "SEED-06": { ceo: "D" } } })).toEqual([]);
  });
});

describe("SOD-02: rows not yet assigned", () => {
  it("lists every empty row in one info finding, a row of only closed cells included", () => {
    const rows = [ownRow("A1"), ownRow("A2"), ownRow("A3"), ownRow("A4")];
    const [f, ...rest] = run("SOD-02", { ...TRUST, rows, codes: { A1: { board: "D" }, A3: { head: "—" } } });
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ ruleId: "SOD-02", severity: "info", rowIds: ["A2", "A3", "A4"], cells: [], fix: null });
    expect(f!.message).toContain("3 rows are not yet assigned: A2 Responsibility A2; A3 Responsibility A3; A4 Responsibility A4");
  });

  it("stays quiet when every row has its codes", () => {
    expect(run("SOD-02", { ...TRUST, rows: [ownRow("A1")], codes: { A1: { board: "D" } } })).toEqual([]);
  });
});

describe("SOD-03: a cluster or local column that covers no school", () => {
  // Schools with local boards but no cluster: the cluster column covers nobody.
  const unclustered = { ...TRUST, boards: [abbeyLgb, brookLgb], schools: [school("abbey", { name: "Abbey Primary", localBodyId: "abbey-lgb" })] };

  it("reports the column once, listing its rows, and offers to clear its cells", () => {
    const [f, ...rest] = run("SOD-03", {
      ...unclustered,
      rows: [curriculum, budget, ownRow("A1")],
      codes: { "SEED-06": { cluster: "D" }, "STAT-F1": { board: "D", cluster: "I" }, A1: { board: "D", lgb: "M" } },
    });
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ ruleId: "SOD-03", severity: "warning", rowIds: ["SEED-06", "STAT-F1"] });
    expect(f!.message).toContain("No school has a board under the Cluster governing body");
    expect(f!.cells).toEqual([
      { rowId: "SEED-06", columnId: "cluster", schoolId: null },
      { rowId: "STAT-F1", columnId: "cluster", schoolId: null },
    ]);
    expect(f!.fix!.cells).toEqual([
      { rowId: "SEED-06", columnId: "cluster", code: null },
      { rowId: "STAT-F1", columnId: "cluster", code: null },
    ]);
  });

  it("stays quiet for covered columns, closed cells and columns that are not tiers of schools", () => {
    expect(run("SOD-03", { ...TRUST, rows: [curriculum], codes: { "SEED-06": { cluster: "D", lgb: "C" } } })).toEqual([]);
    expect(run("SOD-03", { ...unclustered, rows: [curriculum], codes: { "SEED-06": { cluster: "—", esc: "M", board: "D" } } })).toEqual([]);
  });
});

describe("SOD-04: a code the row's constraints forbid", () => {
  it("reports a local D on the budget, which only the board decides, and offers to clear it", () => {
    const [f, ...rest] = run("SOD-04", { ...TRUST, rows: [budget], codes: { "STAT-F1": { board: "R", lgb: "D" } } });
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ ruleId: "SOD-04", severity: "error", rowIds: ["STAT-F1"], schoolIds: [] });
    expect(f!.cells).toEqual([{ rowId: "STAT-F1", columnId: "lgb", schoolId: null }]);
    expect(f!.message).toContain("the Local governing body holds D (decides)");
    expect(f!.message).toContain("Only the trust board may decide");
    expect(f!.source).toContain("ST-12");
    expect(f!.fix).toEqual({ label: "Clear the Local governing body's D", cells: [{ rowId: "STAT-F1", columnId: "lgb", code: null }] });
  });

  it("reports any code in a column the row excludes, all of a row's cells in one finding", () => {
    const reserved = catalogueRow("STAT-G3"); // members' powers: local boards and heads take no part
    const [f, ...rest] = run("SOD-04", { ...TRUST, rows: [reserved], codes: { "STAT-G3": { members: "D", lgb: "I", head: "I" } } });
    expect(rest).toEqual([]);
    expect(f!.cells.map((c) => c.columnId)).toEqual(["lgb", "head"]);
    expect(f!.fix!.cells).toEqual([
      { rowId: "STAT-G3", columnId: "lgb", code: null },
      { rowId: "STAT-G3", columnId: "head", code: null },
    ]);
  });

  it("reports a school's own variation that breaks the row's constraints, with no base fix", () => {
    const boardOnly = ownRow("A1", { decisionKinds: ["board", "committee"] });
    const s = withVariations({ ...TRUST, rows: [boardOnly], codes: { A1: { esc: "D" } } }, { abbey: { A1: { esc: "R", lgb: "D" } } });
    const [f, ...rest] = run("SOD-04", s);
    expect(rest).toEqual([]);
    expect(f!.schoolIds).toEqual(["abbey"]);
    expect(f!.cells).toEqual([{ rowId: "A1", columnId: "lgb", schoolId: "abbey" }]);
    expect(f!.message).toContain("in the scheme of Abbey Primary");
    expect(f!.fix).toBeNull();
  });

  it("stays quiet on permitted codes and on closed cells in excluded columns", () => {
    const reserved = catalogueRow("STAT-G3");
    expect(run("SOD-04", { ...TRUST, rows: [budget, reserved], codes: { "STAT-F1": { board: "D", lgb: "C" }, "STAT-G3": { members: "D", board: "R", lgb: "—" } } })).toEqual([]);
  });
});

describe("CO-13: monitoring duplicated across tiers", () => {
  it("reports a row monitored by a committee and again by the cluster and the local board", () => {
    const [f, ...rest] = run("CO-13", { ...TRUST, rows: [curriculum], codes: { "SEED-06": { ceo: "D", esc: "M", cluster: "M", lgb: "M" } } });
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ ruleId: "CO-13", severity: "warning", rowIds: ["SEED-06"] });
    expect(f!.cells.map((c) => c.columnId)).toEqual(["esc", "cluster", "lgb"]);
    expect(f!.message).toContain("the Education Standards Committee, the Cluster governing body and the Local governing body all monitor it (M)");
    // With no school-improvement model chosen, which tier monitors is the trust's choice: no fix.
    expect(f!.fix).toBeNull();
  });

  it("offers to keep the tier the trust's improvement model names and inform the others", () => {
    const input = { ...TRUST, rows: [curriculum], codes: { "SEED-06": { ceo: "D" as const, esc: "M" as const, cluster: "M" as const, lgb: "M" as const } } };
    const modelled = (improvementModel: ImprovementModel) => run("CO-13", input, { ...UNRATED_STRATEGY, improvementModel })[0]!.fix;
    expect(modelled("cluster-based")).toEqual({
      label: "Keep the Cluster governing body and the Local governing body monitoring; inform the Education Standards Committee (I)",
      cells: [{ rowId: "SEED-06", columnId: "esc", code: "I" }],
    });
    expect(modelled("in-house-central-expertise")!.cells).toEqual([
      { rowId: "SEED-06", columnId: "cluster", code: "I" },
      { rowId: "SEED-06", columnId: "lgb", code: "I" },
    ]);
    expect(modelled("self-improving-network")).toBeNull();
  });

  it("reports a school whose own variation adds local monitoring to the committee's", () => {
    const s = withVariations({ ...TRUST, rows: [curriculum], codes: { "SEED-06": { ceo: "D", esc: "M" } } }, { abbey: { "SEED-06": { lgb: "M" } } });
    const [f, ...rest] = run("CO-13", s);
    expect(rest).toEqual([]);
    expect(f!.schoolIds).toEqual(["abbey"]);
    expect(f!.message).toContain("for Abbey Primary, the Education Standards Committee and the Local governing body both monitor it (M)");
  });

  it("stays quiet when one tier monitors, or when the others monitoring are not governance tiers below the board", () => {
    expect(run("CO-13", { ...TRUST, rows: [curriculum], codes: { "SEED-06": { ceo: "D", esc: "M", lgb: "I" } } })).toEqual([]);
    expect(run("CO-13", { ...TRUST, rows: [curriculum], codes: { "SEED-06": { ceo: "D", board: "M", esc: "M", head: "M" } } })).toEqual([]);
    // The board's own oversight with a local board's is not the committee duplication CO-13 names.
    expect(run("CO-13", { ...TRUST, rows: [curriculum], codes: { "SEED-06": { ceo: "D", board: "M", lgb: "M" } } })).toEqual([]);
    expect(run("CO-13", { ...TRUST, rows: [curriculum], codes: { "SEED-06": { ceo: "M", lgb: "M", head: "D" } } })).toEqual([]);
  });
});

describe("SOD-05: a cluster tier in use, and schools outside every cluster", () => {
  // Cedar has its local board but no cluster; Dale has neither.
  const cedar = school("cedar", { name: "Cedar Academy", localBodyId: "brook-lgb" });
  const dale = school("dale", { name: "Dale School", localBodyId: null });

  it("names the schools with no cluster in one finding, and the cluster rows nobody decides for them", () => {
    const [f, ...rest] = run("SOD-05", {
      ...TRUST,
      schools: [abbey, cedar, dale],
      rows: [curriculum, budget],
      codes: { "SEED-06": { cluster: "D", lgb: "C" }, "STAT-F1": { board: "D", cluster: "I" } },
    });
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ ruleId: "SOD-05", severity: "warning", schoolIds: ["cedar", "dale"], rowIds: ["SEED-06"], fix: null });
    expect(f!.cells).toEqual([{ rowId: "SEED-06", columnId: "cluster", schoolId: null }]);
    expect(f!.message).toContain("Cedar Academy and Dale School belong to no cluster");
    expect(f!.message).toContain("nobody decides 3.1 Curriculum and assessment in general");
  });

  it("stays quiet when every school has a cluster, when the cluster column is unused, and when it covers nobody (SOD-03's)", () => {
    const codes = { "SEED-06": { cluster: "D" as const } };
    expect(run("SOD-05", { ...TRUST, rows: [curriculum], codes })).toEqual([]);
    expect(run("SOD-05", { ...TRUST, schools: [abbey, cedar], rows: [curriculum], codes: { "SEED-06": { board: "D", cluster: "—" } } })).toEqual([]);
    expect(run("SOD-05", { ...TRUST, schools: [cedar, dale], rows: [curriculum], codes })).toEqual([]);
  });
});

describe("the structure rules in the validator", () => {
  it("are all among RULES, in the structure family", () => {
    const ids = ["CO-12", "CO-05", "SOD-01", "SOD-02", "SOD-03", "SOD-04", "CO-13", "SOD-05"];
    expect(structureRules.map((r) => r.id)).toEqual(ids);
    for (const rule of structureRules) {
      expect(RULES).toContain(rule);
      expect(rule.family).toBe("structure");
    }
  });

  it("run in validateScheme, errors first", () => {
    const s = scheme({ ...TRUST, rows: [curriculum, ownRow("A1")], codes: { "SEED-06": { board: "D", lgb: "D" } } });
    const found = validateScheme(context(s)).filter((f) => f.family === "structure");
    expect(found.map((f) => [f.ruleId, f.severity])).toEqual([
      ["CO-12", "error"],
      ["SOD-02", "info"],
    ]);
  });

  it("every finding names its row and carries a rationale and a source", () => {
    const s = scheme({
      columns: [...COLUMNS, advisoryColumn],
      boards: [abbeyLgb],
      schools: [school("abbey", { name: "Abbey Primary", localBodyId: "abbey-lgb" }), school("cedar", { name: "Cedar Academy" })],
      rows: [curriculum, budget, ownRow("A1")],
      codes: { "SEED-06": { board: "D", sab: "D", esc: "M", lgb: "M" }, "STAT-F1": { lgb: "D", cluster: "M" } },
    });
    const found = structureRules.flatMap((rule) => rule.check(context(s)));
    expect(new Set(found.map((f) => f.ruleId))).toEqual(new Set(["CO-12", "CO-05", "SOD-02", "SOD-03", "SOD-04", "CO-13"]));
    for (const f of found) {
      expect(f.rationale.length).toBeGreaterThan(40);
      expect(f.source).toMatch(/\[[A-Z0-9-]+\]|§/);
      for (const rowId of f.rowIds) expect(f.message).toContain(s.rows.find((r) => r.id === rowId)!.ref);
    }
  });
});

describe("validateScheme and the rules run one by one", () => {
  // Base faults (two deciders, an advisory D on a board-only row) and schools' own ones (Abbey's doubled D, Brook's lost D and doubled monitoring).
  const input: SchemeInput = {
    columns: [...COLUMNS, advisoryColumn],
    boards: [northCluster, abbeyLgb, brookLgb],
    schools: [abbey, brook],
    rows: [curriculum, budget, ownRow("A1")],
    codes: { "SEED-06": { board: "D", lgb: "C", esc: "M" }, "STAT-F1": { board: "D", sab: "D" }, A1: { ceo: "D", lgb: "D" } },
  };
  const variations = { abbey: { "SEED-06": { lgb: "D" as const } }, brook: { "SEED-06": { board: "C" as const, lgb: "M" as const } } };
  const sorted = (findings: Finding[]) => findings.map((f) => JSON.stringify(f)).sort();

  it("find the same, the base's codes and the schools' schemes being worked out once for all the rules", () => {
    const s = withVariations(input, variations);
    const together = validateScheme(context(s), structureRules);
    expect(new Set(together.map((f) => f.ruleId))).toEqual(new Set(["CO-12", "CO-05", "SOD-01", "SOD-03", "SOD-04", "CO-13"]));
    expect(together.some((f) => f.schoolIds.includes("abbey"))).toBe(true);
    expect(together.some((f) => f.schoolIds.includes("brook"))).toBe(true);
    expect(sorted(together)).toEqual(sorted(structureRules.flatMap((rule) => rule.check(context(s)))));
  });

  it("see a change made to the scheme between two validations", () => {
    const s = withVariations(input, variations);
    const before = validateScheme(context(s), structureRules);
    s.cells[cellKey("A1", "lgb")] = { code: "C", note: null };
    delete s.schoolCells.abbey;
    const after = validateScheme(context(s), structureRules);
    const twoDeciders = (found: Finding[]) => found.filter((f) => f.ruleId === "CO-12").map((f) => [f.rowIds, f.schoolIds]);
    expect(twoDeciders(before)).toEqual([
      [["STAT-F1"], []],
      [["A1"], []],
      [["SEED-06"], ["abbey"]],
    ]);
    expect(twoDeciders(after)).toEqual([[["STAT-F1"], []]]);
  });
});

