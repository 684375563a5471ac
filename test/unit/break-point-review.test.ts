/**
 * The break-point review: which break points the trust's own data shows (sizes crossed since the
 * approved version, schools beyond one hub, joiners, schools whose records recommend another tier,
 * an overdue review), how the scheme already answers each, and the concrete changes proposed.
 */
import { describe, expect, it } from "vitest";
import { DEFAULT_TIER_NAMES } from "~/domain/autonomy";
import { combineChanges, isNewBody, type ProposedChange } from "~/domain/break-point-changes";
import { breakPointReason, reviewBreakPoints, type BreakPoint, type BreakPointReviewInput, type Proposal } from "~/domain/break-point-review";
import { DEFAULT_RULE_SETTINGS } from "~/domain/rules/settings";
import type { Scheme, SchemeColumn, SchemeRow, SchemeSchool } from "~/domain/scheme";
import { UNRATED_STRATEGY, type StrategyProfile } from "~/domain/strategy";
import { board, column, ownRow, scheme, school, withTierCells, type SchemeInput } from "./rules/scheme-builder";

const TODAY = "2026-11-23";

const trustBoard = column("board", "board", { name: "Trust board", position: 0 });
const ceo = column("ceo", "executive", { name: "CEO", position: 0 });
const clusterColumn = column("cluster", "cluster", { name: "Cluster board" });
const lgb = column("lgb", "local", { name: "Local governing body" });
const advisoryLgb = column("lgb", "local", { name: "Academy council", mode: "advisory" });
const head = column("head", "school", { name: "Headteacher" });

type Approved = NonNullable<BreakPointReviewInput["approved"]>;
type Codes = NonNullable<SchemeInput["codes"]>;

/** `count` schools, school-1 … school-n, with no grid reference unless `place` gives one. */
function schools(count: number, place: (i: number) => Partial<SchemeSchool> = () => ({})): SchemeSchool[] {
  return Array.from({ length: count }, (_, i) => school(`school-${i + 1}`, { name: `School ${i + 1}`, ...place(i) }));
}

/** An approved version with these schools, approved in March and due for review next March. */
function approvedWith(schoolsOf: SchemeSchool[] | string[], overrides: Partial<Approved> = {}): Approved {
  const schoolIds = schoolsOf.map((s) => (typeof s === "string" ? s : s.id));
  return { number: 2, approvedOn: "2026-03-01", reviewDueOn: "2027-03-01", schoolIds, ...overrides };
}

function review(schemeOf: Scheme, overrides: Partial<BreakPointReviewInput> = {}): BreakPoint[] {
  return reviewBreakPoints({
    today: TODAY,
    scheme: schemeOf,
    draft: null,
    approved: approvedWith(schemeOf.schools),
    strategy: UNRATED_STRATEGY,
    settings: DEFAULT_RULE_SETTINGS,
    standings: {},
    tierNames: DEFAULT_TIER_NAMES,
    transitionMonths: 12,
    ...overrides,
  });
}

function find(breakPoints: BreakPoint[], key: string): BreakPoint | undefined {
  return breakPoints.find((b) => b.key === key);
}

function get(breakPoints: BreakPoint[], key: string): BreakPoint {
  const found = find(breakPoints, key);
  if (!found) throw new Error(`No break point ${key} among ${breakPoints.map((b) => b.key).join(", ") || "none"}`);
  return found;
}

function proposalOf(breakPoint: BreakPoint, id: string): Proposal {
  const found = breakPoint.proposals.find((p) => p.id === id);
  if (!found) throw new Error(`No proposal ${id} among ${breakPoint.proposals.map((p) => p.id).join(", ") || "none"}`);
  return found;
}

type CellChange = Extract<ProposedChange, { op: "set-cell" }>;

/** A proposal's code changes as `row column from→to [tier]`, for reading at a glance. */
function cellMoves(changes: ProposedChange[]): string[] {
  return changes.filter((c): c is CellChange => c.op === "set-cell").map((c) => `${c.rowId} ${c.column} ${c.from ?? "·"}→${c.to ?? "·"}${c.tier ? ` ${c.tier}` : ""}`);
}

function ofOp<Op extends ProposedChange["op"]>(changes: ProposedChange[], op: Op): Extract<ProposedChange, { op: Op }>[] {
  return changes.filter((c): c is Extract<ProposedChange, { op: Op }> => c.op === op);
}

function sizeKeys(breakPoints: BreakPoint[]): string[] {
  return breakPoints.filter((b) => b.kind === "size").map((b) => b.key);
}

/** A trust's scheme: by default a board, a CEO, advisory academy councils and headteachers, with no rows. */
function trust(input: Omit<SchemeInput, "columns" | "rows"> & { columns?: SchemeColumn[]; rows?: SchemeRow[] }): Scheme {
  return scheme({
    ...input,
    columns: input.columns ?? [trustBoard, ceo, advisoryLgb, head],
    rows: input.rows ?? [],
  });
}

/** A school at a point of the National Grid, given in kilometres. */
const at = (eastKm: number, northKm: number): Partial<SchemeSchool> => ({ easting: eastKm * 1000, northing: northKm * 1000 });

// ---------------------------------------------------------------- size

describe("size break points", () => {
  it("come from the thresholds crossed since the approved version", () => {
    const five = schools(5);
    const breakPoints = review(trust({ schools: five }), { approved: approvedWith(five.slice(0, 4)) });
    expect(sizeKeys(breakPoints)).toEqual(["size-representation"]);
    const representation = get(breakPoints, "size-representation");
    expect(representation.title).toContain("5 schools");
    expect(representation.observed).toContain("The trust has 5 schools");
    expect(representation.observed).toContain("Version 2 was approved with 4 schools");
  });

  it("leave out a threshold the trust had already passed when the version was approved", () => {
    const six = schools(6);
    expect(sizeKeys(review(trust({ schools: six }), { approved: approvedWith(six.slice(0, 5)) }))).toEqual([]);
    // Ten now, nine then: only the CEO's threshold is new.
    const ten = schools(10);
    expect(sizeKeys(review(trust({ schools: ten }), { approved: approvedWith(ten.slice(0, 9)) }))).toEqual(["size-ceo-role"]);
  });

  it("with no approved version, count every threshold at or below the trust's size", () => {
    expect(sizeKeys(review(trust({ schools: schools(4) }), { approved: null }))).toEqual([]);
    expect(sizeKeys(review(trust({ schools: schools(13) }), { approved: null }))).toEqual(["size-representation", "size-ceo-role", "size-four-tiers"]);
    expect(sizeKeys(review(trust({ schools: schools(15) }), { approved: null }))).toEqual(["size-representation", "size-ceo-role", "size-four-tiers", "size-sustainability"]);
    expect(get(review(trust({ schools: schools(5) }), { approved: null }), "size-representation").observed).toContain("No version of the scheme has been approved yet");
  });

  it("read the trust's own thresholds", () => {
    const settings = {
      ...DEFAULT_RULE_SETTINGS,
      representationModelFrom: 3,
      ceoRoleFrom: 4,
      fourTiersFrom: 20,
      sustainableSizeFrom: 30,
    };
    expect(sizeKeys(review(trust({ schools: schools(13) }), { approved: null, settings }))).toEqual(["size-representation", "size-ceo-role"]);
  });

  it("count a school joining in the future and name it", () => {
    const five = schools(5, (i) => (i === 4 ? { name: "Oak Primary School", joinedOn: "2027-01-01" } : {}));
    const representation = get(review(trust({ schools: five }), { approved: approvedWith(five.slice(0, 4)) }), "size-representation");
    expect(representation.observed).toContain("counting Oak Primary School, joining on 1 January 2027");
    expect(representation.schoolIds).toEqual(["school-5"]);
  });

  describe("the representation model", () => {
    it("is answered by naming the board of local chairs, which the articles and not the scheme set", () => {
      const chairs = column("board", "board", { name: "Board of local chairs" });
      const representation = get(review(trust({ columns: [chairs, ceo, advisoryLgb, head], schools: schools(5) }), { approved: null }), "size-representation");
      expect(representation.answered).toContain("Board of local chairs");
      expect(representation.answered).toContain("articles");
      expect(representation.proposals).toEqual([]);
    });

    it("is answered when the board is an ordinary one", () => {
      const representation = get(review(trust({ schools: schools(5) }), { approved: null }), "size-representation");
      expect(representation.answered).toContain("not named as a board of local chairs");
      expect(representation.proposals).toEqual([]);
    });
  });

  describe("the CEO's role", () => {
    const improvement = [ownRow("si-1", { area: 10 }), ownRow("si-2", { area: 10 }), ownRow("si-3", { area: 10 }), ownRow("vision", { area: 1 })];
    const codes: Codes = { "si-1": { ceo: "E" }, "si-2": { ceo: "E", head: "E" }, "si-3": { ceo: "M" }, vision: { ceo: "E", board: "D" } };
    const ten = schools(10);
    const atTen = { approved: approvedWith(ten.slice(0, 9)) };

    it("proposes a director of education delivering what the CEO alone delivers, the CEO monitoring", () => {
      const ceoRole = get(review(trust({ rows: improvement, schools: ten, codes }), atTen), "size-ceo-role");
      expect(ceoRole.answered).toBeNull();
      const proposal = proposalOf(ceoRole, "size-ceo-role/education-director");
      expect(proposal.group).toBeNull();
      const [added] = ofOp(proposal.changes, "add-column");
      expect(added).toMatchObject({ kind: "executive", name: "Director of education", parent: "ceo" });
      expect(isNewBody(added!.ref)).toBe(true);
      expect(ofOp(proposal.changes, "add-column")).toHaveLength(1);
      // School improvement (area 10) the CEO delivers moves to the director; the vision row is left alone.
      expect(cellMoves(proposal.changes)).toEqual([`si-1 ceo E→M`, `si-1 ${added!.ref} ·→E`, `si-2 ceo E→M`, `si-2 ${added!.ref} ·→E`]);
      expect(proposal.explanation).toContain("2 school-improvement responsibilities");
      // The director's column is added before any code is written in it.
      const combined = combineChanges([proposal]);
      expect(combined.ok && combined.changes[0]).toEqual(added);
    });

    it("is answered when a second executive column works beside the CEO", () => {
      const coo = column("coo", "executive", {
        name: "Chief operating officer",
        position: 1,
      });
      const ceoRole = get(review(trust({ columns: [trustBoard, ceo, coo, advisoryLgb, head], rows: improvement, schools: ten, codes }), atTen), "size-ceo-role");
      expect(ceoRole.answered).toContain("Chief operating officer");
      expect(ceoRole.answered).toContain("beside the CEO");
      expect(ceoRole.proposals).toEqual([]);
    });

    it("is answered when the CEO delivers no school improvement", () => {
      const ceoRole = get(review(trust({ rows: improvement, schools: ten, codes: { "si-1": { ceo: "M" }, vision: { ceo: "E" } } }), atTen), "size-ceo-role");
      expect(ceoRole.answered).toContain("does not deliver school improvement");
      expect(ceoRole.proposals).toEqual([]);
    });
  });

  describe("growth against capacity", () => {
    const finance = column("finance", "executive", {
      name: "Central finance team",
      position: 1,
    });
    const columns = [trustBoard, ceo, finance, lgb, head];
    const rows = [
      ownRow("bo-head", { area: 12 }),
      ownRow("bo-local", { area: 12 }),
      ownRow("bo-local-only", { area: 12, decisionKinds: ["local", "board"] }),
      ownRow("bo-no-exec", { area: 12, excludedKinds: ["executive"] }),
      ownRow("bo-central", { area: 12 }),
      ownRow("bo-board", { area: 12 }),
      ownRow("curriculum", { area: 3 }),
    ];
    const codes: Codes = {
      "bo-head": { head: "D", finance: "C" },
      "bo-local": { lgb: "D" },
      "bo-local-only": { lgb: "D", finance: "A" },
      "bo-no-exec": { head: "D", finance: "—" },
      "bo-central": { finance: "D", head: "C" },
      "bo-board": { board: "D", finance: "R" },
      curriculum: { head: "D" },
    };
    const fifteen = schools(15);
    const atFifteen = { approved: approvedWith(fifteen.slice(0, 14)) };

    it("moves back-office decisions taken near the schools to the central finance column, which consults them", () => {
      const sustainability = get(review(trust({ columns, rows, schools: fifteen, codes }), atFifteen), "size-sustainability");
      expect(sizeKeys(review(trust({ columns, rows, schools: fifteen, codes }), atFifteen))).toEqual(["size-sustainability"]);
      expect(sustainability.answered).toBeNull();
      const proposal = proposalOf(sustainability, "size-sustainability/central-back-office");
      // Not the CEO, who comes first, but the column named for finance; rows forbidding an executive D, and decisions already central, untouched.
      expect(cellMoves(proposal.changes)).toEqual(["bo-head head D→C", "bo-head finance C→D", "bo-local lgb D→C", "bo-local finance ·→D"]);
      expect(proposal.explanation).toContain("Central finance team decides 2 back-office responsibilities");
    });

    it("falls back to the first executive column when none is named for finance", () => {
      const director = column("doe", "executive", {
        name: "Director of education",
        position: 1,
      });
      const sustainability = get(review(trust({ columns: [trustBoard, ceo, director, lgb, head], rows, schools: fifteen, codes }), atFifteen), "size-sustainability");
      expect(cellMoves(proposalOf(sustainability, "size-sustainability/central-back-office").changes)).toEqual([
        "bo-head head D→C",
        "bo-head ceo ·→D",
        "bo-local lgb D→C",
        "bo-local ceo ·→D",
      ]);
    });

    it("is answered when every back-office decision is kept centrally", () => {
      const sustainability = get(
        review(trust({ columns, rows, schools: fifteen, codes: { "bo-head": { finance: "D" }, "bo-board": { board: "D" } } }), atFifteen),
        "size-sustainability",
      );
      expect(sustainability.answered).toContain("already kept centrally");
      expect(sustainability.proposals).toEqual([]);
    });
  });
});

// ---------------------------------------------------------------- four tiers and geography

describe("a fourth tier of governance", () => {
  const thirteenInTwoAreas = schools(13, (i) => (i < 6 ? at(400 + i, 300) : at(500 + i, 420)));
  const atThirteen = (list: SchemeSchool[]) => ({ approved: approvedWith(list.slice(0, 12)) });

  it("defers to the geography break point when schools in two far areas need clusters", () => {
    const breakPoints = review(trust({ schools: thirteenInTwoAreas }), atThirteen(thirteenInTwoAreas));
    const geography = get(breakPoints, "geography");
    const clusters = proposalOf(geography, "geography/clusters");
    expect(ofOp(clusters.changes, "add-board")).toHaveLength(2);
    const fourTiers = get(breakPoints, "size-four-tiers");
    expect(fourTiers.answered).toContain("geography break point");
    expect(fourTiers.proposals).toEqual([]);
  });

  it("offers its own clusters when all the schools are in one area", () => {
    const oneArea = schools(13, (i) => ({
      ...at(400 + i, 300),
      name: i === 0 ? "Whitby Primary School" : `School ${i + 1}`,
    }));
    const breakPoints = review(trust({ schools: oneArea }), atThirteen(oneArea));
    expect(find(breakPoints, "geography")).toBeUndefined();
    const fourTiers = get(breakPoints, "size-four-tiers");
    expect(fourTiers.answered).toBeNull();
    const clusters = proposalOf(fourTiers, "size-four-tiers/clusters");
    const [addColumn] = ofOp(clusters.changes, "add-column");
    expect(addColumn).toMatchObject({ kind: "cluster" });
    const boards = ofOp(clusters.changes, "add-board");
    expect(boards).toHaveLength(1);
    expect(boards[0]).toMatchObject({ kind: "cluster", name: "Whitby cluster", column: addColumn!.ref, parent: "board", purpose: "standing" });
    const assigned = ofOp(clusters.changes, "assign-school");
    expect(assigned.map((a) => a.schoolId).sort()).toEqual(oneArea.map((s) => s.id).sort());
    expect(new Set(assigned.map((a) => `${a.role} ${a.board}`))).toEqual(new Set([`cluster ${boards[0]!.ref}`]));
  });

  it("says what is missing when no school has a grid reference", () => {
    const fourTiers = get(review(trust({ schools: schools(13) }), atThirteen(schools(13))), "size-four-tiers");
    expect(fourTiers.proposals).toEqual([]);
    expect(fourTiers.answered).toContain("grid reference");
  });

  describe("with decision-making local boards", () => {
    const north = board("north", "cluster", "cluster", {
      name: "North cluster",
    });
    const oakBoard = board("oak-lgb", "local", "lgb", { name: "Oak LGB" });
    const elmTransition = board("elm-tb", "local", "lgb", { name: "Elm transition board", purpose: "transition" });
    const ashAdvisory = board("ash-ab", "local", "lgb", { name: "Ash advisory board", mode: "advisory" });
    const clustered = schools(13, () => ({ clusterBodyId: "north" }));
    const columns = [trustBoard, ceo, clusterColumn, lgb, head];
    const rows = [
      ownRow("admissions", { area: 4 }),
      ownRow("no-cluster", { area: 7, decisionKinds: ["local", "executive", "board"] }),
      ownRow("excluded", { area: 5, excludedKinds: ["cluster"] }),
      ownRow("vision", { area: 1 }),
    ];
    const codes: Codes = { admissions: { lgb: "D", cluster: "C" }, "no-cluster": { lgb: "D", cluster: "M" }, excluded: { lgb: "D" }, vision: { board: "D", lgb: "C" } };

    it("makes the local column and its standing deciding boards advisory, each local decision moving to the next tier up", () => {
      const fourTiers = get(
        review(trust({ columns, rows, schools: clustered, codes, boards: [north, oakBoard, elmTransition, ashAdvisory] }), atThirteen(clustered)),
        "size-four-tiers",
      );
      expect(fourTiers.answered).toBeNull();
      const proposal = proposalOf(fourTiers, "size-four-tiers/advisory-local-boards");
      expect(ofOp(proposal.changes, "make-advisory").map((c) => c.bodyId)).toEqual(["lgb", "oak-lgb"]);
      // The cluster takes the D where the row allows it; where the row forbids a cluster decision, the executive does. Local boards recommend.
      expect(cellMoves(proposal.changes)).toEqual([
        "admissions lgb D→R",
        "admissions cluster C→D",
        "excluded lgb D→R",
        "excluded ceo ·→D",
        "no-cluster lgb D→R",
        "no-cluster ceo ·→D",
      ]);
      expect(proposal.explanation).toContain("3 decisions");
    });

    it("is answered when the cluster tier is in use and the local boards are advisory already", () => {
      const fourTiers = get(
        review(trust({ columns: [trustBoard, ceo, clusterColumn, advisoryLgb, head], rows, schools: clustered, boards: [north] }), atThirteen(clustered)),
        "size-four-tiers",
      );
      expect(fourTiers.proposals).toEqual([]);
      expect(fourTiers.answered).toContain("North cluster");
    });
  });
});

describe("schools beyond the reach of one hub", () => {
  it("is no break point while every school is in one area", () => {
    const oneArea = schools(3, (i) => at(400 + 10 * i, 300));
    expect(find(review(trust({ schools: oneArea })), "geography")).toBeUndefined();
  });

  it("is a break point when the schools fall into two areas and there is no cluster tier", () => {
    const twoAreas = schools(4, (i) => (i < 2 ? at(400 + i, 300) : at(480 + i, 300)));
    const geography = get(review(trust({ schools: twoAreas })), "geography");
    expect(geography.observed).toContain("2 areas more than 40 km apart");
    expect(geography.schoolIds.sort()).toEqual(twoAreas.map((s) => s.id).sort());
    expect(geography.answered).toBeNull();
    // With its own, wider radius, the trust is one area.
    expect(find(review(trust({ schools: twoAreas }), { settings: { ...DEFAULT_RULE_SETTINGS, hubRadiusKm: 100 } }), "geography")).toBeUndefined();
  });

  describe("with clusters in use", () => {
    const north = board("north", "cluster", "cluster", {
      name: "North cluster",
    });
    const south = board("south", "cluster", "cluster", { name: "South cluster" });
    const columns = [trustBoard, ceo, clusterColumn, advisoryLgb, head];
    const covered = [
      school("n1", { name: "North One", ...at(400, 300), clusterBodyId: "north" }),
      school("n2", { name: "North Two", ...at(405, 302), clusterBodyId: "north" }),
      school("s1", { name: "South One", ...at(430, 300), clusterBodyId: "south" }),
    ];
    const near = school("near", { name: "Near School", ...at(426, 301) });
    const far = [school("far-1", { name: "Scarborough Church of England Primary School", ...at(500, 480) }), school("far-2", { name: "Filey Academy", ...at(505, 478) })];
    const unmapped = school("unmapped", { name: "Nowhere School" });

    it("is no break point while a cluster covers every area", () => {
      expect(find(review(trust({ columns, schools: [...covered, near], boards: [north, south] })), "geography")).toBeUndefined();
    });

    it("proposes a new cluster named for the far schools' place, and joins a near school to its nearest clustered school's cluster", () => {
      const geography = get(review(trust({ columns, schools: [...covered, near, ...far, unmapped], boards: [north, south] })), "geography");
      expect(geography.schoolIds.sort()).toEqual(["far-1", "far-2"]);
      expect(geography.observed).toContain("beyond the 40 km");
      const clusters = proposalOf(geography, "geography/clusters");
      // The existing cluster column is used, not a second one.
      expect(ofOp(clusters.changes, "add-column")).toEqual([]);
      const [added] = ofOp(clusters.changes, "add-board");
      expect(ofOp(clusters.changes, "add-board")).toHaveLength(1);
      expect(added).toMatchObject({ kind: "cluster", name: "Scarborough cluster", column: "cluster", columnName: "Cluster board", mode: "decision-making" });
      expect(ofOp(clusters.changes, "assign-school").map((a) => [a.schoolId, a.role, a.board])).toEqual(
        expect.arrayContaining([
          ["far-1", "cluster", added!.ref],
          ["far-2", "cluster", added!.ref],
          ["near", "cluster", "south"],
        ]),
      );
      expect(ofOp(clusters.changes, "assign-school")).toHaveLength(3);
      // The school with no grid reference cannot be placed, and the proposal says so.
      expect(clusters.explanation).toContain("Nowhere School cannot be placed until its grid reference is recorded");
    });

    it("with improvement from a hub, proposes cluster-based improvement: the clusters deliver and the executives monitor", () => {
      const director = column("doe", "executive", {
        name: "Director of education",
        position: 1,
      });
      const rows = [
        ownRow("si-empty", { area: 10 }),
        ownRow("si-monitored", { area: 10 }),
        ownRow("si-shut", { area: 10, excludedKinds: ["cluster"] }),
        ownRow("si-dash", { area: 10 }),
        ownRow("si-cluster-decides", { area: 10 }),
        ownRow("vision", { area: 1 }),
      ];
      const codes: Codes = {
        "si-empty": { ceo: "E", doe: "E" },
        "si-monitored": { doe: "E", cluster: "M" },
        "si-shut": { ceo: "E", cluster: "—" },
        "si-dash": { ceo: "E", cluster: "—" },
        "si-cluster-decides": { ceo: "E", cluster: "D" },
        vision: { ceo: "E", cluster: "C" },
      };
      const hub: StrategyProfile = { ...UNRATED_STRATEGY, improvementModel: "hub" };
      const geography = get(
        review(trust({ columns: [trustBoard, ceo, director, clusterColumn, advisoryLgb, head], rows, codes, schools: [...covered, ...far], boards: [north, south] }), {
          strategy: hub,
        }),
        "geography",
      );
      const proposal = proposalOf(geography, "geography/cluster-based-improvement");
      expect(ofOp(proposal.changes, "set-improvement-model")).toEqual([{ op: "set-improvement-model", from: "hub", to: "cluster-based" }]);
      expect(ofOp(proposal.changes, "add-column")).toEqual([]);
      // Every row the clusters may deliver ends with the cluster on E and no executive on E: none is left with nobody delivering.
      // Where the cluster may take no part, or decides already, the executive keeps delivering.
      expect(cellMoves(proposal.changes)).toEqual(["si-empty cluster ·→E", "si-empty ceo E→M", "si-empty doe E→M", "si-monitored cluster M→E", "si-monitored doe E→M"]);
    });

    it("proposes no change of model when improvement is already cluster-based, or not yet chosen", () => {
      for (const improvementModel of ["cluster-based", "self-improving-network", null] as const) {
        const geography = get(
          review(trust({ columns, schools: [...covered, ...far], boards: [north, south] }), { strategy: { ...UNRATED_STRATEGY, improvementModel } }),
          "geography",
        );
        expect(geography.proposals.map((p) => p.id)).toEqual(["geography/clusters"]);
      }
    });
  });

  it("with no cluster tier, adds the cluster column too, and a cluster for each area", () => {
    const twoAreas = [
      school("a1", { name: "Whitby Primary School", ...at(490, 510) }),
      school("a2", { name: "Sleights School", ...at(485, 505) }),
      school("b1", { name: "Hessle Academy", ...at(500, 425) }),
    ];
    const hub: StrategyProfile = { ...UNRATED_STRATEGY, improvementModel: "hub" };
    const geography = get(review(trust({ rows: [ownRow("si", { area: 10 })], codes: { si: { ceo: "E" } }, schools: twoAreas }), { strategy: hub }), "geography");
    const clusters = proposalOf(geography, "geography/clusters");
    const [addColumn] = ofOp(clusters.changes, "add-column");
    expect(addColumn).toMatchObject({ kind: "cluster" });
    expect(ofOp(clusters.changes, "add-board").map((b) => b.name)).toEqual(["Whitby cluster", "Hessle cluster"]);
    const improvement = proposalOf(geography, "geography/cluster-based-improvement");
    expect(ofOp(improvement.changes, "add-column")).toEqual([addColumn]);
    expect(cellMoves(improvement.changes)).toEqual([`si ${addColumn!.ref} ·→E`, "si ceo E→M"]);
    // The two proposals add the same column: chosen together, it is added once.
    const combined = combineChanges([clusters, improvement]);
    expect(combined.ok).toBe(true);
    if (combined.ok) expect(ofOp(combined.changes, "add-column")).toHaveLength(1);
  });
});

// ---------------------------------------------------------------- joiners

describe("new schools joining", () => {
  const original = schools(3, (i) => ({
    joinedOn: `2020-0${i + 1}-01`,
    localBodyId: "standing-lgb",
  }));
  const joiner = school("oak", { name: "Oak Primary School", joinedOn: "2026-06-01" });
  const columns = [trustBoard, ceo, lgb, head];
  const rows = [
    ownRow("curr-none", { area: 3 }),
    ownRow("curr-informed", { area: 3 }),
    ownRow("curr-consulted", { area: 3 }),
    ownRow("curr-shut", { area: 3, excludedKinds: ["school"] }),
    ownRow("vision", { area: 1 }),
  ];
  const codes: Codes = { "curr-none": { board: "D" }, "curr-informed": { board: "D", head: "I" }, "curr-consulted": { board: "D", head: "C" }, vision: { board: "D" } };
  const standingBoard = board("standing-lgb", "local", "lgb", { name: "Schools' LGB" });
  const converging: StrategyProfile = { ...UNRATED_STRATEGY, alignment: { 3: "collaborative-convergence", 1: "central-definition" } };
  const sinceApproval = { approved: approvedWith(original) };

  function joinersOf(list: SchemeSchool[], overrides: Partial<BreakPointReviewInput> = {}, boards = [standingBoard]): BreakPoint {
    return get(review(trust({ columns, rows, codes, schools: list, boards }), { ...sinceApproval, ...overrides }), "joiners");
  }

  it("is no break point when every school was in the approved version and joined before it", () => {
    expect(find(review(trust({ columns, rows, codes, schools: original, boards: [standingBoard] }), { ...sinceApproval, strategy: converging }), "joiners")).toBeUndefined();
  });

  it("with collaborative convergence, offers three alternatives: reopen, keep or align", () => {
    const joiners = joinersOf([...original, joiner], { strategy: converging });
    expect(joiners.schoolIds).toEqual(["oak"]);
    expect(joiners.observed).toContain("Since version 2 was approved: Oak Primary School joined on 1 June 2026.");
    expect(joiners.observed).toContain("Curriculum");
    expect(joiners.answered).toBeNull();
    expect(joiners.proposals.map((p) => p.id)).toEqual(["joiners/reopen", "joiners/keep", "joiners/align"]);
    expect(new Set(joiners.proposals.map((p) => p.group))).toEqual(new Set(["joiners"]));

    // Reopen: the headteacher is consulted where it had no part or was only informed, in the converging areas only.
    expect(cellMoves(proposalOf(joiners, "joiners/reopen").changes)).toEqual(["curr-none head ·→C", "curr-informed head I→C"]);
    // Keep: nothing changes.
    expect(proposalOf(joiners, "joiners/keep").changes).toEqual([]);
    // Align: a transition board under the local column, with the joiner placed under it.
    const align = proposalOf(joiners, "joiners/align").changes;
    const [added] = ofOp(align, "add-board");
    expect(added).toMatchObject({ kind: "local", name: "Oak Primary School transition board", column: "lgb", purpose: "transition", mode: "decision-making" });
    expect(ofOp(align, "assign-school")).toEqual([
      { op: "assign-school", schoolId: "oak", schoolName: "Oak Primary School", role: "local", board: added!.ref, boardName: added!.name },
    ]);
    expect(align).toHaveLength(2);
  });

  it("without collaborative convergence, offers only to align the joiners", () => {
    const joiners = joinersOf([...original, joiner], {
      strategy: { ...UNRATED_STRATEGY, alignment: { 3: "central-definition" } },
    });
    expect(joiners.proposals.map((p) => p.id)).toEqual(["joiners/align"]);
    expect(joiners.observed).not.toContain("collaborative convergence");
  });

  it("gives no second transition board to a joiner that has one, and a board of its own name to the rest", () => {
    const hasOne = school("elm", {
      name: "Elm Academy",
      joinedOn: "2026-05-01",
      localBodyId: "elm-tb",
    });
    const elmBoard = board("elm-tb", "local", "lgb", { name: "Elm transition board", purpose: "transition" });
    const taken = board("taken", "local", "lgb", { name: "Oak Primary School transition board", purpose: "transition" });
    const joiners = joinersOf([...original, hasOne, joiner], {}, [standingBoard, elmBoard, taken]);
    expect(joiners.schoolIds.sort()).toEqual(["elm", "oak"]);
    const align = proposalOf(joiners, "joiners/align").changes;
    expect(ofOp(align, "assign-school").map((a) => a.schoolId)).toEqual(["oak"]);
    // "Oak Primary School transition board" is taken: the new one is numbered, as a new cluster would be.
    expect(ofOp(align, "add-board").map((b) => b.name)).toEqual(["Oak Primary School transition board 2"]);
  });

  it("is answered when every joiner has a transition board and no area converges", () => {
    const hasOne = school("elm", {
      name: "Elm Academy",
      joinedOn: "2026-05-01",
      localBodyId: "elm-tb",
    });
    const elmBoard = board("elm-tb", "local", "lgb", { name: "Elm transition board", purpose: "transition" });
    const joiners = joinersOf([...original, hasOne], {}, [standingBoard, elmBoard]);
    expect(joiners.proposals).toEqual([]);
    expect(joiners.answered).toContain("Every joiner already has a transition board");
  });

  it("counts a school joining in the future, even one the approved version already held", () => {
    const future = school("pine", {
      name: "Pine School",
      joinedOn: "2027-01-01",
    });
    const joiners = joinersOf([...original, future], { approved: approvedWith([...original, future]) });
    expect(joiners.schoolIds).toEqual(["pine"]);
    expect(joiners.observed).toContain("Pine School joins on 1 January 2027");
  });

  it("counts a school that joined after the approval date though the version already listed it", () => {
    const listed = school("ash", {
      name: "Ash School",
      joinedOn: "2026-04-01",
    });
    const joiners = joinersOf([...original, listed], { approved: approvedWith([...original, listed]) });
    expect(joiners.schoolIds).toEqual(["ash"]);
  });

  it("with no approved version, counts the schools still within their transition months", () => {
    const recent = school("recent", {
      name: "Recent School",
      joinedOn: "2026-02-01",
    });
    const older = school("older", { name: "Older School", joinedOn: "2025-12-01" });
    const settled = school("settled", { name: "Settled School", joinedOn: "2025-11-01" });
    const list = [...original, recent, older, settled];
    // Twelve months after 1 December 2025 is still to come on 23 November 2026; after 1 November 2025 it is past.
    const breakPoints = review(trust({ columns, rows, codes, schools: list, boards: [standingBoard] }), { approved: null, transitionMonths: 12 });
    expect(get(breakPoints, "joiners").schoolIds).toEqual(["recent", "older"]);
    const shorter = review(trust({ columns, rows, codes, schools: list, boards: [standingBoard] }), { approved: null, transitionMonths: 6 });
    expect(find(shorter, "joiners")).toBeUndefined();
  });

  it("keeps each proposal's digest while the data is unchanged, and changes it when the data changes", () => {
    const first = joinersOf([...original, joiner], { strategy: converging });
    const again = joinersOf([...original, joiner], { strategy: converging });
    expect(again.proposals.map((p) => p.digest)).toEqual(first.proposals.map((p) => p.digest));

    const renamed = joinersOf([...original, { ...joiner, name: "Oak Church of England Primary School" }], { strategy: converging });
    expect(proposalOf(renamed, "joiners/align").digest).not.toBe(proposalOf(first, "joiners/align").digest);
    expect(proposalOf(renamed, "joiners/keep").digest).toBe(proposalOf(first, "joiners/keep").digest);

    const consulted = get(
      review(trust({ columns, rows, codes: { ...codes, "curr-informed": { board: "D", head: "C" } }, schools: [...original, joiner], boards: [standingBoard] }), {
        ...sinceApproval,
        strategy: converging,
      }),
      "joiners",
    );
    expect(proposalOf(consulted, "joiners/reopen").digest).not.toBe(proposalOf(first, "joiners/reopen").digest);
    expect(proposalOf(consulted, "joiners/align").digest).toBe(proposalOf(first, "joiners/align").digest);
  });
});

// ---------------------------------------------------------------- performance

describe("performance moving schools between tiers", () => {
  const columns = [trustBoard, ceo, lgb, head];
  const rows = [ownRow("local-decides", { area: 4 }), ownRow("head-decides", { area: 3 }), ownRow("board-decides", { area: 1 }), ownRow("locked", { area: 9, locked: true })];
  const codes: Codes = { "local-decides": { lgb: "D", ceo: "M" }, "head-decides": { head: "D", lgb: "M" }, "board-decides": { board: "D", lgb: "C" }, locked: { lgb: "D" } };
  const list = schools(3);

  function performance(schemeOf: Scheme, standings: BreakPointReviewInput["standings"]): BreakPoint | undefined {
    return find(review(schemeOf, { standings }), "performance");
  }

  it("proposes the Intervention variant for a school whose records recommend it, local decisions moving up and leaving monitoring", () => {
    const found = performance(trust({ columns, rows, codes, schools: list }), {
      "school-1": { decided: "T2", recommended: "T4", reasons: ["Inadequate at the last inspection."] },
      "school-2": { decided: "T2", recommended: "T2", reasons: [] },
    });
    expect(found?.schoolIds).toEqual(["school-1"]);
    expect(found?.observed).toBe("School 1: decided Standard, its records recommend Intervention (Inadequate at the last inspection).");
    expect(found?.answered).toBeNull();
    const proposal = proposalOf(found!, "performance/variant-T4");
    expect(proposal.changes.every((c) => c.op === "set-cell" && c.tier === "T4")).toBe(true);
    // Local and headteacher decisions go to the executive; the board's and the statutory-locked rows are left alone.
    expect(cellMoves(proposal.changes)).toEqual(["head-decides head D→M T4", "head-decides ceo ·→D T4", "local-decides lgb D→M T4", "local-decides ceo M→D T4"]);
  });

  it("proposes the Supported variant with local bodies recommending", () => {
    const found = performance(trust({ columns, rows, codes, schools: list }), {
      "school-3": { decided: "T1", recommended: "T3", reasons: [] },
    });
    expect(found?.proposals.map((p) => p.id)).toEqual(["performance/variant-T3"]);
    expect(cellMoves(found!.proposals[0]!.changes)).toContain("local-decides lgb D→R T3");
  });

  it("is answered, with no proposal, when the scheme has the tier's variant already", () => {
    const withVariant = withTierCells(trust({ columns, rows, codes, schools: list }), "T4", { "local-decides": { lgb: "M", ceo: "D" } });
    const found = performance(withVariant, { "school-1": { decided: "T2", recommended: "T4", reasons: [] } });
    expect(found?.proposals).toEqual([]);
    // Nothing to change in the scheme: what is left is the board's decision of the school's tier.
    expect(found?.answered).toMatch(/tier/);
    expect(found?.schoolIds).toEqual(["school-1"]);
  });

  it("leaves out a school with no tier decided yet", () => {
    const schemeOf = trust({ columns, rows, codes, schools: list });
    expect(performance(schemeOf, { "school-1": { decided: null, recommended: "T4", reasons: [] } })).toBeUndefined();
    const found = performance(schemeOf, { "school-1": { decided: null, recommended: "T4", reasons: [] }, "school-2": { decided: "T2", recommended: "T3", reasons: [] } });
    expect(found?.schoolIds).toEqual(["school-2"]);
    expect(found?.proposals.map((p) => p.id)).toEqual(["performance/variant-T3"]);
  });
});

// ---------------------------------------------------------------- the annual review

describe("the annual review", () => {
  const list = schools(2);
  const schemeOf = trust({ schools: list });
  const overdue = approvedWith(list, { number: 4, approvedOn: "2025-06-01", reviewDueOn: "2026-06-01" });

  it("proposes starting a new draft when the approved version's review is past and there is no draft", () => {
    const found = get(review(schemeOf, { approved: overdue, draft: null }), "review");
    expect(found.answered).toBeNull();
    expect(found.observed).toBe("Version 4 was approved on 1 June 2025 and its review was due on 1 June 2026.");
    expect(found.proposals).toHaveLength(1);
    expect(found.proposals[0]).toMatchObject({ id: "review/start", changes: [], group: null });
    expect(found.proposals[0]!.title).toContain("version 4");
  });

  it("is answered by the draft under way", () => {
    const found = get(review(schemeOf, { approved: overdue, draft: { number: 5 } }), "review");
    expect(found.answered).toContain("Draft 5");
    expect(found.proposals).toEqual([]);
  });

  it("is no break point before the review is due, nor with no approved version", () => {
    expect(find(review(schemeOf, { approved: { ...overdue, reviewDueOn: "2027-01-01" } }), "review")).toBeUndefined();
    expect(find(review(schemeOf, { approved: { ...overdue, reviewDueOn: TODAY } }), "review")).toBeUndefined();
    expect(find(review(schemeOf, { approved: null }), "review")).toBeUndefined();
  });

  it("with no review date recorded, falls due the trust's review months after approval", () => {
    expect(find(review(schemeOf, { approved: { ...overdue, approvedOn: "2025-12-01", reviewDueOn: null } }), "review")).toBeUndefined();
    expect(get(review(schemeOf, { approved: { ...overdue, approvedOn: "2025-11-01", reviewDueOn: null } }), "review").observed).toContain("due on 1 November 2026");
    const everySixMonths = { ...DEFAULT_RULE_SETTINGS, reviewMonths: 6 };
    expect(find(review(schemeOf, { approved: { ...overdue, approvedOn: "2026-04-01", reviewDueOn: null }, settings: everySixMonths }), "review")).toBeDefined();
  });
});

// ---------------------------------------------------------------- the whole review

describe("reviewBreakPoints", () => {
  it("lists the break points in the research's order and finds nothing in a settled trust", () => {
    const settled = schools(3, (i) => at(400 + i, 300));
    expect(review(trust({ schools: settled }))).toEqual([]);

    const grown = schools(13, (i) => ({ ...(i < 6 ? at(400 + i, 300) : at(500 + i, 420)), joinedOn: i === 12 ? "2026-09-01" : null }));
    const breakPoints = review(trust({ schools: grown }), {
      approved: approvedWith(grown.slice(0, 12), {
        approvedOn: "2025-09-01",
        reviewDueOn: "2026-09-01",
      }),
      standings: { "school-1": { decided: "T2", recommended: "T4", reasons: [] } },
    });
    expect(breakPoints.map((b) => b.key)).toEqual(["size-four-tiers", "geography", "joiners", "performance", "review"]);
  });

  it("gives every proposal an id of its break point's and a digest of its changes", () => {
    const grown = schools(15, (i) => (i < 7 ? at(400 + i, 300) : at(500 + i, 420)));
    const breakPoints = review(
      trust({
        columns: [trustBoard, ceo, lgb, head],
        rows: [ownRow("si", { area: 10 }), ownRow("bo", { area: 12 })],
        codes: { si: { ceo: "E" }, bo: { head: "D" } },
        schools: grown,
      }),
      { approved: null, strategy: { ...UNRATED_STRATEGY, improvementModel: "hub" } },
    );
    const ids = breakPoints.flatMap((b) => b.proposals.map((p) => p.id));
    expect(new Set(ids).size).toBe(ids.length);
    for (const breakPoint of breakPoints) {
      for (const proposal of breakPoint.proposals) expect(proposal.id.startsWith(`${breakPoint.key}/`)).toBe(true);
    }
    expect(ids).toEqual(
      expect.arrayContaining([
        "size-ceo-role/education-director",
        "size-four-tiers/advisory-local-boards",
        "size-sustainability/central-back-office",
        "geography/clusters",
        "geography/cluster-based-improvement",
      ]),
    );
  });
});

describe("breakPointReason", () => {
  it("names the break points whose proposals were chosen, in the review's order", () => {
    const list = schools(10);
    const breakPoints = review(trust({ rows: [ownRow("si", { area: 10 })], codes: { si: { ceo: "E" } }, schools: list }), {
      approved: approvedWith(list.slice(0, 9), {
        approvedOn: "2025-06-01",
        reviewDueOn: "2026-06-01",
      }),
    });
    const reason = breakPointReason(breakPoints, ["review/start", "size-ceo-role/education-director"], TODAY);
    expect(reason).toBe("Break-point review of 23 November 2026: The CEO’s role: 10 schools; The annual review is overdue");
    expect(breakPointReason(breakPoints, ["review/start"], TODAY)).not.toContain("CEO");
  });
});
