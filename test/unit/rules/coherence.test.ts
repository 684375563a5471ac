/**
 * The scheme against the trust's own strategy (domain.md §5(c)): each rule fires where the matrix
 * contradicts what the trust says of itself, and stays silent where it agrees or where the trust
 * has not rated the statements the rule reads.
 */
import { describe, expect, it } from "vitest";
import type { DecisionCode } from "~/domain/codes";
import { coherenceRules } from "~/domain/rules/coherence";
import { DEFAULT_RULE_SETTINGS } from "~/domain/rules/settings";
import type { Finding, RuleContext, StrategyCluster } from "~/domain/rules/types";
import { cellKey, type Scheme, type SchemeColumn } from "~/domain/scheme";
import type { ImprovementModel } from "~/domain/strategy";
import { catalogueRow, column, context, ratings, scheme } from "./scheme-builder";

const trustBoard = column("board", "board", { name: "Trust board" });
const ceo = column("ceo", "executive", { name: "CEO" });
const lgb = column("lgb", "local", { name: "Local governing body" });
const head = column("head", "school", { name: "Headteacher" });
const usualColumns = [trustBoard, ceo, lgb, head];

/** A scheme of the usual four columns over the given catalogue rows and codes. */
function schemeOf(codes: Record<string, Record<string, DecisionCode>>, columns: SchemeColumn[] = usualColumns): Scheme {
  return scheme({ columns, rows: Object.keys(codes).map((key) => catalogueRow(key)), codes });
}

/** The trust's ratings (statement number → rating, every other statement 4) and improvement model. */
function rated(schemeToCheck: Scheme, given: Record<number, number>, options: { rest?: number | null; model?: ImprovementModel; cluster?: StrategyCluster } = {}): RuleContext {
  return context(schemeToCheck, {
    strategy: { ratings: ratings(given, options.rest === undefined ? 4 : options.rest), alignment: {}, improvementModel: options.model ?? null },
    cluster: options.cluster ?? null,
  });
}

function findings(ruleId: string, ruleContext: RuleContext): Finding[] {
  const rule = coherenceRules.find((r) => r.id === ruleId);
  if (!rule) throw new Error(`No rule ${ruleId}`);
  return rule.check(ruleContext);
}

/** The single finding a rule returns; fails when it returns none or more than one. */
function only(ruleId: string, ruleContext: RuleContext): Finding {
  const found = findings(ruleId, ruleContext);
  expect(found).toHaveLength(1);
  return found[0]!;
}

describe("coherence rules", () => {
  it("are the coherence family's CO-01 … CO-11 and CO-17, once each", () => {
    expect(coherenceRules.map((r) => r.id)).toEqual(["CO-01", "CO-02", "CO-03", "CO-04", "CO-06", "CO-07", "CO-08", "CO-09", "CO-10", "CO-11", "CO-17"]);
    expect(new Set(coherenceRules.map((r) => r.family))).toEqual(new Set(["coherence"]));
  });

  it("find nothing in a scheme with nothing rated and headteachers appointed by the board", () => {
    const quiet = schemeOf({ "SEED-01": { board: "D", lgb: "C" }, "SEED-07": { head: "D" }, "SEED-14": { head: "D" } });
    expect(coherenceRules.flatMap((r) => r.check(context(quiet)))).toEqual([]);
  });
});

describe("CO-01 consistent pedagogy, curriculum decided in schools", () => {
  const pedagogyInSchools = schemeOf({ "SEED-07": { head: "D", ceo: "M" }, "DER-02": { lgb: "D" }, "SEED-06": { head: "D" } });

  it("warns when the trust seeks consistent pedagogy but schools decide the core curriculum and the teaching model", () => {
    const finding = only("CO-01", rated(pedagogyInSchools, { 10: 9 }));
    expect(finding).toMatchObject({ ruleId: "CO-01", family: "coherence", severity: "warning", fix: null });
    expect(finding.message).toContain('"Creating consistent pedagogy across all schools" 9 out of 10');
    expect(finding.message).toContain("3.2 \"Curriculum and assessment for Year 6 English, maths, science and/or EBacc subjects\" is decided by Headteacher (centralisation index 0 of 10)");
    expect(finding.message).toContain("3.3 \"Pedagogy: the trust's teaching and learning model\" is decided by Local governing body (centralisation index 2 of 10)");
    expect(finding.rowIds).toEqual(["SEED-07", "DER-02"]);
    expect(finding.cells).toEqual([
      { rowId: "SEED-07", columnId: "head", schoolId: null },
      { rowId: "DER-02", columnId: "lgb", schoolId: null },
    ]);
    expect(finding.source).toContain("[SEED-F]");
  });

  it("names only the devolved row when the other is held centrally", () => {
    const halfCentral = schemeOf({ "SEED-07": { ceo: "D" }, "DER-02": { head: "D" } });
    expect(only("CO-01", rated(halfCentral, { 10: 7 })).rowIds).toEqual(["DER-02"]);
  });

  it("is silent when the statement is below 'like us' or not rated", () => {
    expect(findings("CO-01", rated(pedagogyInSchools, { 10: 6 }))).toEqual([]);
    expect(findings("CO-01", rated(pedagogyInSchools, {}, { rest: null }))).toEqual([]);
  });

  it("is silent when the core curriculum and the teaching model are decided centrally", () => {
    const central = schemeOf({ "SEED-07": { ceo: "D", head: "C" }, "DER-02": { board: "D" } });
    expect(findings("CO-01", rated(central, { 10: 10 }))).toEqual([]);
  });

  it("does not count a cluster board's decision (index 5) as devolved", () => {
    const clusterBoard = column("cluster", "cluster", { name: "Cluster board" });
    const byCluster = schemeOf({ "SEED-07": { cluster: "D" }, "DER-02": { cluster: "D" } }, [...usualColumns, clusterBoard]);
    expect(findings("CO-01", rated(byCluster, { 10: 9 }))).toEqual([]);
  });

  it("reads the trust's own threshold for 'devolved'", () => {
    // With "devolved" moved below 1, a local board's decision (index 2) no longer counts as devolved.
    const lenient = { ...rated(pedagogyInSchools, { 10: 9 }), settings: { ...DEFAULT_RULE_SETTINGS, devolvedBelow: 1 } };
    expect(only("CO-01", lenient).rowIds).toEqual(["SEED-07"]);
  });
});

describe("CO-02 consistent pedagogy against schools' own core curriculum", () => {
  const anyScheme = schemeOf({ "SEED-07": { ceo: "D" } });

  it("warns when the trust claims both sides of the trade-off", () => {
    const finding = only("CO-02", rated(anyScheme, { 10: 8, 7: 7 }));
    expect(finding).toMatchObject({ ruleId: "CO-02", severity: "warning", cells: [], rowIds: [], fix: null });
    expect(finding.message).toContain('"Creating consistent pedagogy across all schools" 8 out of 10');
    expect(finding.message).toContain('"Focusing on enrichment while schools pursue their own approach to the core curriculum" 7 out of 10');
  });

  it("is silent when only one side is claimed, or one side is not rated", () => {
    expect(findings("CO-02", rated(anyScheme, { 10: 8, 7: 6 }))).toEqual([]);
    expect(findings("CO-02", rated(anyScheme, { 10: 8 }, { rest: null }))).toEqual([]);
  });
});

describe("CO-03 identity protected, vision or branding central", () => {
  const brandedCentrally = schemeOf({ "SEED-12": { lgb: "D" }, "SEED-13": { ceo: "D", head: "C" } });

  it("warns when the trust protects identity but the centre decides a school's branding", () => {
    const finding = only("CO-03", rated(brandedCentrally, { 8: 8 }));
    expect(finding).toMatchObject({ ruleId: "CO-03", severity: "warning", rowIds: ["SEED-13"], fix: null });
    expect(finding.cells).toEqual([{ rowId: "SEED-13", columnId: "ceo", schoolId: null }]);
    expect(finding.message).toContain(`"Protecting each school's individual identity" 8 out of 10`);
    expect(finding.message).toContain('11.1 "Academy branding and communications" is decided by CEO (centralisation index 8 of 10)');
  });

  it("is silent when schools keep their vision and branding, or identity is not rated", () => {
    const local = schemeOf({ "SEED-12": { lgb: "D" }, "SEED-13": { head: "D" } });
    expect(findings("CO-03", rated(local, { 8: 10 }))).toEqual([]);
    expect(findings("CO-03", rated(brandedCentrally, {}, { rest: null }))).toEqual([]);
  });
});

describe("CO-04 local governance boosted, local tier only advises", () => {
  const advisoryBoard = column("lgb", "local", { name: "School advisory board", mode: "advisory" });

  it("is an error when the trust boosts local governance but its local boards only advise", () => {
    const advisory = schemeOf({ "SEED-08": { ceo: "D", lgb: "A" } }, [trustBoard, ceo, advisoryBoard, head]);
    const finding = only("CO-04", rated(advisory, { 4: 9 }));
    expect(finding).toMatchObject({ ruleId: "CO-04", family: "coherence", severity: "error", fix: null });
    expect(finding.message).toContain('"Boosting school leadership and local governance to increase local autonomy and accountability" 9 out of 10');
    expect(finding.message).toContain("its local tier (School advisory board) is advisory only");
    expect(finding.source).toContain("[ANAPOLY]");
  });

  it("is an error when a decision-making local tier decides nothing anywhere", () => {
    const idle = schemeOf({ "SEED-08": { ceo: "D", lgb: "M" } });
    expect(only("CO-04", rated(idle, { 4: 7 })).message).toContain("decides nothing anywhere in the scheme");
  });

  it("is an error when there is no local tier at all", () => {
    const none = schemeOf({ "SEED-08": { ceo: "D" } }, [trustBoard, ceo, head]);
    expect(only("CO-04", rated(none, { 4: 8 })).message).toContain("no local governing body column");
  });

  it("is silent when local boards decide something, even only for schools with earned autonomy", () => {
    const deciding = schemeOf({ "SEED-08": { lgb: "D" } });
    expect(findings("CO-04", rated(deciding, { 4: 9 }))).toEqual([]);
    const earned = schemeOf({ "SEED-08": { ceo: "D", lgb: "R" } });
    earned.tierCells = { T1: { [cellKey("SEED-08", "lgb")]: { code: "D", note: null } } };
    expect(findings("CO-04", rated(earned, { 4: 9 }))).toEqual([]);
  });

  it("is silent when local governance is not claimed or not rated", () => {
    const advisory = schemeOf({ "SEED-08": { ceo: "D" } }, [trustBoard, ceo, advisoryBoard, head]);
    expect(findings("CO-04", rated(advisory, { 4: 6 }))).toEqual([]);
    expect(findings("CO-04", rated(advisory, {}, { rest: null }))).toEqual([]);
  });
});

describe("CO-06 freeing schools or back-office savings, back office not central", () => {
  const backOfficeInSchools = schemeOf({ "SEED-14": { head: "D", ceo: "A" } });

  it("warns when the trust seeks back-office savings but each school runs its back office", () => {
    const finding = only("CO-06", rated(backOfficeInSchools, { 6: 8, 3: 3 }));
    expect(finding).toMatchObject({ ruleId: "CO-06", severity: "warning", rowIds: ["SEED-14"], fix: null });
    expect(finding.cells).toEqual([{ rowId: "SEED-14", columnId: "head", schoolId: null }]);
    expect(finding.message).toContain('"Securing back office efficiency savings so that more money can be spent on teaching and learning" 8 out of 10');
    expect(finding.message).not.toContain("Freeing schools");
    expect(finding.message).toContain("is decided by Headteacher (centralisation index 0 of 10)");
    expect(finding.source).toBe("Building Trusts [SEED-F] §1.2.1");
  });

  it("is silent when the central team runs the back office", () => {
    const central = schemeOf({ "SEED-14": { ceo: "D", head: "C" } });
    expect(findings("CO-06", rated(central, { 3: 9, 6: 9 }))).toEqual([]);
  });

  it("is silent while either statement is unrated, neither being read alone", () => {
    const halfRated = rated(backOfficeInSchools, {}, { rest: null });
    halfRated.strategy.ratings[5] = 9;
    expect(findings("CO-06", halfRated)).toEqual([]);
  });
});

describe("CO-07 scaling a tried and tested model", () => {
  it("warns when the trust scales a model but school improvement is designed locally", () => {
    const local = schemeOf({ "SEED-09": { lgb: "D", ceo: "A" } });
    const finding = only("CO-07", rated(local, { 2: 9 }, { model: "hub" }));
    expect(finding).toMatchObject({ ruleId: "CO-07", severity: "warning", rowIds: ["SEED-09"], fix: null });
    expect(finding.cells).toEqual([{ rowId: "SEED-09", columnId: "lgb", schoolId: null }]);
    expect(finding.message).toContain('"Scaling a tried and tested model of school improvement" 9 out of 10');
    expect(finding.message).toContain('10.1 "Design and delivery of school improvement approaches" is decided by Local governing body');
  });

  it("warns when improvement is left to a self-improving network alone, however central the row", () => {
    const central = schemeOf({ "SEED-09": { ceo: "D" } });
    const finding = only("CO-07", rated(central, { 2: 8 }, { model: "self-improving-network" }));
    expect(finding.rowIds).toEqual([]);
    expect(finding.message).toContain("self-improving network only");
  });

  it("is silent when the centre designs improvement with central expertise, or scaling is not rated", () => {
    const central = schemeOf({ "SEED-09": { ceo: "D" } });
    expect(findings("CO-07", rated(central, { 2: 9 }, { model: "in-house-central-expertise" }))).toEqual([]);
    const local = schemeOf({ "SEED-09": { head: "D" } });
    expect(findings("CO-07", rated(local, {}, { rest: null, model: "self-improving-network" }))).toEqual([]);
  });
});

describe("CO-08 convergence through collaboration without headteachers consulted", () => {
  it("warns and offers to consult the headteacher where the cells hold nothing or less than C", () => {
    const unheard = schemeOf({ "SEED-06": { ceo: "D" }, "SEED-07": { ceo: "D", head: "I" }, "DER-02": { ceo: "D", head: "C" } });
    const finding = only("CO-08", rated(unheard, { 5: 8 }));
    expect(finding).toMatchObject({ ruleId: "CO-08", severity: "warning", rowIds: ["SEED-06", "SEED-07"] });
    expect(finding.message).toContain('"Helping schools to converge over time in their ways of doing things and their performance through collaboration" 8 out of 10');
    expect(finding.message).toContain('Headteacher is not consulted on 3.1 "Curriculum and assessment in general" and 3.2');
    expect(finding.cells).toEqual([
      { rowId: "SEED-06", columnId: "head", schoolId: null },
      { rowId: "SEED-07", columnId: "head", schoolId: null },
    ]);
    expect(finding.fix).toEqual({
      label: "Consult Headteacher (C)",
      cells: [
        { rowId: "SEED-06", columnId: "head", code: "C" },
        { rowId: "SEED-07", columnId: "head", code: "C" },
      ],
    });
  });

  it("offers no fix when consulting would overwrite the headteacher's delivery (E)", () => {
    const delivering = schemeOf({ "SEED-06": { ceo: "D", head: "E" } });
    expect(only("CO-08", rated(delivering, { 5: 9 })).fix).toBeNull();
  });

  it("is silent when headteachers are consulted, recommend or decide, or convergence is not rated", () => {
    const heard = schemeOf({ "SEED-06": { ceo: "D", head: "C" }, "SEED-07": { ceo: "D", head: "R" }, "DER-02": { head: "D" } });
    expect(findings("CO-08", rated(heard, { 5: 10 }))).toEqual([]);
    const unheard = schemeOf({ "SEED-06": { ceo: "D" } });
    expect(findings("CO-08", rated(unheard, {}, { rest: null }))).toEqual([]);
  });
});

describe("CO-09 common vision, local delivery", () => {
  const localDelivery = { "SEED-06": { head: "D" }, "SEED-10": { lgb: "D" }, "SEED-11": { ceo: "D" } } as const;

  it("warns when the CEO sets the trust's vision, and offers to give it to the board on the CEO's recommendation", () => {
    const ceoVision = schemeOf({ "STAT-G1": { ceo: "D", board: "M" }, ...localDelivery });
    const finding = only("CO-09", rated(ceoVision, { 1: 8 }));
    expect(finding).toMatchObject({ ruleId: "CO-09", severity: "warning", rowIds: ["STAT-G1"] });
    expect(finding.cells).toEqual([{ rowId: "STAT-G1", columnId: "ceo", schoolId: null }]);
    expect(finding.message).toContain('"Setting a common vision and culture while maintaining local autonomy in delivery" 8 out of 10');
    expect(finding.message).toContain(`1.2 "Set the trust's vision, values and strategic aims" is decided by CEO, not the trust board`);
    expect(finding.fix).toEqual({
      label: "Give D to Trust board; CEO recommends (R)",
      cells: [
        { rowId: "STAT-G1", columnId: "board", code: "D" },
        { rowId: "STAT-G1", columnId: "ceo", code: "R" },
      ],
    });
  });

  it("warns without a fix when every delivery row is decided centrally", () => {
    const allCentral = schemeOf({ "STAT-G1": { board: "D" }, "SEED-06": { ceo: "D" }, "SEED-10": { board: "D" }, "SEED-11": { ceo: "D" } });
    const finding = only("CO-09", rated(allCentral, { 1: 9 }));
    expect(finding.rowIds).toEqual(["SEED-06", "SEED-10", "SEED-11"]);
    expect(finding.message).toContain("delivery is decided centrally on every row");
    expect(finding.fix).toBeNull();
  });

  it("is silent when the board sets the vision and some delivery is local, or the statement is not rated", () => {
    const coherent = schemeOf({ "STAT-G1": { board: "D", ceo: "R" }, ...localDelivery });
    expect(findings("CO-09", rated(coherent, { 1: 10 }))).toEqual([]);
    const ceoVision = schemeOf({ "STAT-G1": { ceo: "D" }, ...localDelivery });
    expect(findings("CO-09", rated(ceoVision, {}, { rest: null }))).toEqual([]);
  });
});

describe("CO-10 strengthening communities without the local tier", () => {
  it("warns and offers to consult the local board when it is only informed of parent and community engagement", () => {
    const informed = schemeOf({ "SEED-10": { head: "D", lgb: "I" } });
    const finding = only("CO-10", rated(informed, { 9: 8 }));
    expect(finding).toMatchObject({ ruleId: "CO-10", severity: "warning", rowIds: ["SEED-10"] });
    expect(finding.cells).toEqual([{ rowId: "SEED-10", columnId: "lgb", schoolId: null }]);
    expect(finding.message).toContain('"Ensuring each school works to strengthen its community" 8 out of 10');
    expect(finding.message).toContain('Local governing body has no role (D, R, C or M) in 6.1 "Parent and community engagement"');
    expect(finding.fix).toEqual({ label: "Consult Local governing body (C)", cells: [{ rowId: "SEED-10", columnId: "lgb", code: "C" }] });
  });

  it("offers no fix when there is no local column to consult", () => {
    const noLocal = schemeOf({ "SEED-10": { head: "D" } }, [trustBoard, ceo, head]);
    const finding = only("CO-10", rated(noLocal, { 9: 9 }));
    expect(finding.message).toContain("no local governing body column");
    expect(finding.fix).toBeNull();
  });

  it("is silent when the local board monitors engagement, or the statement is not rated", () => {
    const monitored = schemeOf({ "SEED-10": { head: "D", lgb: "M" } });
    expect(findings("CO-10", rated(monitored, { 9: 10 }))).toEqual([]);
    const informed = schemeOf({ "SEED-10": { head: "D", lgb: "I" } });
    expect(findings("CO-10", rated(informed, {}, { rest: null }))).toEqual([]);
  });
});

describe("CO-11 headteachers recruited locally", () => {
  it("warns whatever the strategy, and offers the board the decision with the local board recommending", () => {
    const local = schemeOf({ "SEED-01": { lgb: "D", ceo: "R" } });
    const finding = only("CO-11", context(local));
    expect(finding).toMatchObject({ ruleId: "CO-11", severity: "warning", rowIds: ["SEED-01"] });
    expect(finding.cells).toEqual([{ rowId: "SEED-01", columnId: "lgb", schoolId: null }]);
    expect(finding.message).toContain('8.1 "Recruitment of principals" is decided by Local governing body (centralisation index 2 of 10)');
    expect(finding.fix).toEqual({
      label: "Give D to Trust board; Local governing body recommends (R)",
      cells: [
        { rowId: "SEED-01", columnId: "board", code: "D" },
        { rowId: "SEED-01", columnId: "lgb", code: "R" },
      ],
    });
  });

  it("keeps a central decider already sharing the D, and only turns the headteacher's D into R", () => {
    const shared = schemeOf({ "SEED-01": { ceo: "D", head: "D" } });
    expect(only("CO-11", context(shared)).fix?.cells).toEqual([{ rowId: "SEED-01", columnId: "head", code: "R" }]);
  });

  it("gives the decision to the one executive column when the scheme has no board column", () => {
    const noBoard = schemeOf({ "SEED-01": { head: "D" } }, [ceo, lgb, head]);
    expect(only("CO-11", context(noBoard)).fix?.cells).toEqual([
      { rowId: "SEED-01", columnId: "ceo", code: "D" },
      { rowId: "SEED-01", columnId: "head", code: "R" },
    ]);
  });

  it("is silent when the trust board or CEO appoints", () => {
    expect(findings("CO-11", context(schemeOf({ "SEED-01": { board: "D", lgb: "C" } })))).toEqual([]);
    expect(findings("CO-11", context(schemeOf({ "SEED-01": { ceo: "D", lgb: "A" } })))).toEqual([]);
  });
});

describe("CO-17 Cluster 2 trust leaves to schools what staff want standardised", () => {
  const dataInSchools = schemeOf({ "SEED-15": { head: "D" }, "SEED-14": { ceo: "D" }, "SEED-04": { lgb: "D" } });

  it("informs a Cluster 2 trust that schools decide information management and senior staff development", () => {
    const finding = only("CO-17", rated(dataInSchools, { 10: 9, 2: 9 }, { cluster: 2 }));
    expect(finding).toMatchObject({ ruleId: "CO-17", severity: "info", rowIds: ["SEED-15", "SEED-04"], fix: null });
    expect(finding.cells).toEqual([
      { rowId: "SEED-15", columnId: "head", schoolId: null },
      { rowId: "SEED-04", columnId: "lgb", schoolId: null },
    ]);
    expect(finding.message).toContain('Cluster 2, "pedagogy and school improvement"');
    expect(finding.message).toContain('5.1 "Information management systems and the use of information (e.g. pupil and workforce data)" is decided by Headteacher');
    expect(finding.source).toContain("[SEED-S]");
  });

  it("is silent for another cluster, for no cluster (strategy not rated), and when these rows are central", () => {
    expect(findings("CO-17", rated(dataInSchools, {}, { cluster: 1 }))).toEqual([]);
    expect(findings("CO-17", rated(dataInSchools, {}, { rest: null }))).toEqual([]);
    const central = schemeOf({ "SEED-15": { ceo: "D" }, "SEED-14": { ceo: "D" }, "SEED-04": { board: "D" } });
    expect(findings("CO-17", rated(central, {}, { cluster: 2 }))).toEqual([]);
  });
});
