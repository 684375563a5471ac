/**
 * Break points read from the current data (domain.md §5(c) CO-14 … CO-16): a board of local
 * representatives past five schools, a CEO delivering improvement alone past ten, and schools spread
 * over several areas with improvement delivered from one place and no cluster tier.
 */
import { describe, expect, it } from "vitest";
import { breakPointRules, geographicHubs } from "~/domain/rules/break-points";
import { DEFAULT_RULE_SETTINGS } from "~/domain/rules/settings";
import type { Finding, RuleContext } from "~/domain/rules/types";
import type { Scheme, SchemeColumn, SchemeSchool } from "~/domain/scheme";
import type { ImprovementModel } from "~/domain/strategy";
import { UNRATED_STRATEGY } from "~/domain/strategy";
import { board, catalogueRow, column, context, ownRow, scheme, school } from "./scheme-builder";

const trustBoard = column("board", "board", { name: "Trust board" });
const ceo = column("ceo", "executive", { name: "CEO" });
const lgb = column("lgb", "local", { name: "Local governing body" });
const head = column("head", "school", { name: "Headteacher" });

function schools(count: number, overrides: Partial<SchemeSchool> = {}): SchemeSchool[] {
  return Array.from({ length: count }, (_, i) => school(`school-${i + 1}`, { name: `School ${i + 1}`, ...overrides }));
}

function findings(ruleId: string, ruleContext: RuleContext): Finding[] {
  const rule = breakPointRules.find((r) => r.id === ruleId);
  if (!rule) throw new Error(`No rule ${ruleId}`);
  return rule.check(ruleContext);
}

/** The single finding a rule returns; fails when it returns none or more than one. */
function only(ruleId: string, ruleContext: RuleContext): Finding {
  const found = findings(ruleId, ruleContext);
  expect(found).toHaveLength(1);
  return found[0]!;
}

describe("break-point rules", () => {
  it("are the break-point family's CO-14, CO-15 and CO-16", () => {
    expect(breakPointRules.map((r) => r.id)).toEqual(["CO-14", "CO-15", "CO-16"]);
    expect(new Set(breakPointRules.map((r) => r.family))).toEqual(new Set(["break-point"]));
  });
});

describe("CO-14 representation model past five schools", () => {
  const chairsBoard = column("board", "board", { name: "Board of local chairs" });

  function trustOf(count: number, columns: SchemeColumn[]): Scheme {
    return scheme({ columns: [...columns, ceo, lgb, head], rows: [catalogueRow("STAT-G1")], schools: schools(count) });
  }

  it("warns when a trust of five schools names its board as a board of local chairs", () => {
    const finding = only("CO-14", context(trustOf(5, [chairsBoard])));
    expect(finding).toMatchObject({ ruleId: "CO-14", family: "break-point", severity: "warning", cells: [], rowIds: [], fix: null });
    expect(finding.message).toContain("5 schools");
    expect(finding.message).toContain("(Board of local chairs)");
    expect(finding.message).toContain("representation model");
    expect(finding.schoolIds).toHaveLength(5);
    expect(finding.source).toContain("[DIXONS]");
  });

  it("also reads an individual board of representatives under the board column", () => {
    const representatives = scheme({
      columns: [trustBoard, lgb],
      rows: [],
      schools: schools(6),
      boards: [board("reps", "board", "board", { name: "Representative trust board" })],
    });
    expect(only("CO-14", context(representatives)).message).toContain("(Representative trust board)");
  });

  it("is silent below five schools, or with the trust's own higher threshold", () => {
    expect(findings("CO-14", context(trustOf(4, [chairsBoard])))).toEqual([]);
    const later = { ...context(trustOf(6, [chairsBoard])), settings: { ...DEFAULT_RULE_SETTINGS, representationModelFrom: 8 } };
    expect(findings("CO-14", later)).toEqual([]);
  });

  it("is silent for an ordinary board, even beside a chair's-action column", () => {
    const chairOfTrustees = column("chair", "board", { name: "Chair of trustees" });
    expect(findings("CO-14", context(trustOf(12, [trustBoard, chairOfTrustees])))).toEqual([]);
  });
});

describe("CO-15 the CEO delivering school improvement alone past ten schools", () => {
  const improvementRows = [catalogueRow("SEED-09"), catalogueRow("STAT-S1"), catalogueRow("SEED-06")];

  function trustOf(count: number, executives: SchemeColumn[], ceoCode: "E" | "D" = "E"): Scheme {
    return scheme({
      columns: [trustBoard, ...executives, lgb, head],
      rows: improvementRows,
      schools: schools(count),
      codes: { "SEED-09": { board: "D", [executives[0]!.id]: ceoCode, head: "C" }, "SEED-06": { ceo: "E" } },
    });
  }

  it("warns when a trust of ten schools has only its CEO to deliver school improvement", () => {
    const finding = only("CO-15", context(trustOf(10, [ceo])));
    expect(finding).toMatchObject({ ruleId: "CO-15", family: "break-point", severity: "warning", rowIds: ["SEED-09"], fix: null });
    // Only the school-improvement area counts: the CEO's E on the curriculum row is not the CEO's improvement role.
    expect(finding.cells).toEqual([{ rowId: "SEED-09", columnId: "ceo", schoolId: null }]);
    expect(finding.message).toContain("10 schools");
    expect(finding.message).toContain('CEO, its only executive column, delivers (E) 10.1 "Design and delivery of school improvement approaches"');
    expect(finding.source).toBe("Building Trusts [SEED-F] §2.3.3");
  });

  it("counts a trust's own row in the school-improvement area", () => {
    const visits = ownRow("visits", { area: 10, ref: "10.3", title: "School improvement visits" });
    const own = scheme({ columns: [trustBoard, ceo, head], rows: [visits], schools: schools(11), codes: { visits: { ceo: "E", board: "M" } } });
    expect(only("CO-15", context(own)).rowIds).toEqual(["visits"]);
  });

  it("is silent below ten schools", () => {
    expect(findings("CO-15", context(trustOf(9, [ceo])))).toEqual([]);
  });

  it("is silent when an education director or central team stands beside the CEO", () => {
    const director = column("dir", "executive", { name: "Director of education" });
    expect(findings("CO-15", context(trustOf(14, [ceo, director])))).toEqual([]);
    const merged = column("ceo", "executive", { name: "CEO and central team" });
    expect(findings("CO-15", context(trustOf(14, [merged])))).toEqual([]);
  });

  it("is silent when the CEO decides improvement rather than delivering it", () => {
    expect(findings("CO-15", context(trustOf(14, [ceo], "D")))).toEqual([]);
  });
});

describe("geographic hubs", () => {
  it("links schools within the radius, and schools within reach of those (single linkage)", () => {
    // A–B and B–C are 30 km apart, A–C 60 km: one hub, because B bridges them. D is 100 km away.
    const located = [
      school("a", { easting: 400000, northing: 300000 }),
      school("b", { easting: 430000, northing: 300000 }),
      school("c", { easting: 460000, northing: 300000 }),
      school("d", { easting: 560000, northing: 300000 }),
      school("unlocated"),
    ];
    const hubs = geographicHubs(located, 40).map((hub) => hub.map((s) => s.id));
    expect(hubs).toEqual([["a", "b", "c"], ["d"]]);
    expect(geographicHubs(located, 20)).toHaveLength(4);
  });
});

describe("CO-16 schools spread over several hubs, improvement from one place, no cluster tier", () => {
  const north = [school("n1", { name: "North Primary", easting: 430000, northing: 560000 }), school("n2", { name: "Moor Primary", easting: 440000, northing: 565000 })];
  const south = [school("s1", { name: "South Academy", easting: 530000, northing: 180000 })];

  function spread(model: ImprovementModel | null, options: { columns?: SchemeColumn[]; schoolList?: SchemeSchool[] } = {}): RuleContext {
    const spreadScheme = scheme({
      columns: options.columns ?? [trustBoard, ceo, lgb, head],
      rows: [catalogueRow("SEED-09")],
      schools: options.schoolList ?? [...north, ...south],
      codes: { "SEED-09": { ceo: "D", head: "E" } },
    });
    return context(spreadScheme, { strategy: { ...UNRATED_STRATEGY, improvementModel: model } });
  }

  it("informs a trust whose schools fall into two areas and whose central team delivers improvement", () => {
    const finding = only("CO-16", spread("centralised-consultants"));
    expect(finding).toMatchObject({ ruleId: "CO-16", family: "break-point", severity: "info", cells: [], rowIds: [], fix: null });
    expect(finding.message).toContain("2 areas more than 40 km apart (North Primary, Moor Primary; South Academy)");
    expect(finding.message).toContain(`operating model is "centralised consultants"`);
    expect(finding.message).toContain("no cluster tier");
    expect(finding.schoolIds).toEqual(["n1", "n2", "s1"]);
    expect(finding.source).toContain("[HARRIS]");
  });

  it("fires for a hub or in-house central expertise too", () => {
    expect(findings("CO-16", spread("hub"))).toHaveLength(1);
    expect(findings("CO-16", spread("in-house-central-expertise"))).toHaveLength(1);
  });

  it("is silent when all schools sit in one area", () => {
    expect(findings("CO-16", spread("hub", { schoolList: north }))).toEqual([]);
  });

  it("is silent when a cluster tier is in use: schools in clusters, or a cluster column with a role", () => {
    const clustered = [...north, ...south].map((s) => ({ ...s, clusterBodyId: "north-cluster" }));
    expect(findings("CO-16", spread("hub", { schoolList: clustered }))).toEqual([]);
    const clusterColumn = column("cluster", "cluster", { name: "Cluster board" });
    const used = scheme({
      columns: [trustBoard, ceo, clusterColumn, head],
      rows: [catalogueRow("SEED-09")],
      schools: [...north, ...south],
      codes: { "SEED-09": { ceo: "D", cluster: "M" } },
    });
    expect(findings("CO-16", context(used, { strategy: { ...UNRATED_STRATEGY, improvementModel: "hub" } }))).toEqual([]);
  });

  it("names an unused cluster column rather than saying there is none", () => {
    const idleCluster = column("cluster", "cluster", { name: "Cluster board" });
    expect(only("CO-16", spread("hub", { columns: [trustBoard, ceo, idleCluster, head] })).message).toContain("the cluster tier (Cluster board) is not used");
  });

  it("is silent for cluster-based or network models, and while no model is chosen", () => {
    expect(findings("CO-16", spread("cluster-based"))).toEqual([]);
    expect(findings("CO-16", spread("self-improving-network"))).toEqual([]);
    expect(findings("CO-16", spread(null))).toEqual([]);
  });
});
