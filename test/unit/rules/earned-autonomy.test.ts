/**
 * The earned-autonomy rules (EA-01 … EA-15): each fires on the case it names, naming the school, and
 * stays quiet on the case next to it. Without the schools' autonomy data every one stays silent.
 */
import { describe, expect, it } from "vitest";
import type { AutonomyContext, SchoolAutonomy } from "~/domain/autonomy-context";
import { RULES, validateScheme } from "~/domain/rules";
import { earnedAutonomyRules } from "~/domain/rules/earned-autonomy";
import type { Finding, RuleContext } from "~/domain/rules/types";
import type { Scheme } from "~/domain/scheme";
import { DEFAULT_TIER_POLICY, type TierPolicy } from "~/domain/tier-policy";
import { decision, legacy, record, RECENT_REVIEW, reportCard, review, STRONG_RECORDS } from "../earned-autonomy/records";
import { autonomy, board, catalogueRow, column, context, scheme, school, withSchoolCells, withTierCells } from "./scheme-builder";

const TODAY = "2026-11-24";

const COLUMNS = [
  column("board", "board", { name: "Board of trustees" }),
  column("esc", "committee", { name: "Education Standards Committee" }),
  column("ceo", "executive", { name: "Chief executive officer" }),
  column("dceo", "executive", { name: "Deputy CEO" }),
  column("lgb", "local", { name: "Local governing body" }),
  column("head", "school", { name: "Headteacher" }),
];

const ROWS = ["SEED-06", "SEED-07", "SEED-09", "SEED-11", "SEED-13", "DER-02", "SEED-14-a", "STAT-L2", "STAT-S1", "STAT-F1"].map((key) => catalogueRow(key));

/** A sound base scheme: the trust decides what is central, the head delivers, the local board monitors. */
const BASE_CODES = {
  "SEED-06": { ceo: "D", lgb: "M", head: "E" },
  "SEED-07": { ceo: "D", head: "E" },
  "SEED-09": { ceo: "D", head: "I" },
  "SEED-11": { ceo: "D", head: "E" },
  "SEED-13": { ceo: "D", head: "E" },
  "DER-02": { ceo: "D", head: "E" },
  "SEED-14-a": { ceo: "D", head: "E" },
  "STAT-L2": { ceo: "D" },
  "STAT-S1": { esc: "D", ceo: "R" },
  "STAT-F1": { board: "D", esc: "R" },
} as const;

const abbeyBoard = board("abbey-lgb", "local", "lgb", { name: "Abbey Primary local board" });
const abbey = school("abbey", { name: "Abbey Primary", localBodyId: "abbey-lgb", joinedOn: "2015-09-01" });

function trustScheme(codes: Record<string, Record<string, string>> = {}, boards = [abbeyBoard]): Scheme {
  const merged: Record<string, Record<string, string>> = {};
  for (const [rowId, byColumn] of Object.entries({ ...BASE_CODES, ...codes })) merged[rowId] = { ...byColumn };
  return scheme({ columns: COLUMNS, rows: ROWS, schools: [abbey], boards, codes: merged as never });
}

function abbeyIs(data: Partial<SchoolAutonomy>, policy: TierPolicy = DEFAULT_TIER_POLICY): AutonomyContext {
  return autonomy({ abbey: { reviews: RECENT_REVIEW, ...data } }, policy);
}

function run(ruleId: string, schemeOf: Scheme, data: AutonomyContext | undefined, overrides: Partial<RuleContext> = {}): Finding[] {
  const rule = earnedAutonomyRules.find((r) => r.id === ruleId);
  if (!rule) throw new Error(`No rule ${ruleId}`);
  return rule.check(context(schemeOf, { today: TODAY, autonomy: data, ...overrides }));
}

const inTier = (tier: "T0" | "T1" | "T2" | "T3" | "T4", from = "2025-01-10") => [decision(tier, from, { schoolId: "abbey", nextReviewOn: "2026-12-20", decidedOn: from })];

describe("the earned-autonomy rules", () => {
  it("are registered with the other checks, in their own family", () => {
    expect(earnedAutonomyRules.map((r) => r.id)).toEqual(Array.from({ length: 15 }, (_, i) => `EA-${String(i + 1).padStart(2, "0")}`));
    expect(earnedAutonomyRules.every((r) => r.family === "earned-autonomy" && RULES.includes(r))).toBe(true);
  });

  it("stay silent without the schools' autonomy data, even on a variant they would report", () => {
    const s = withTierCells(trustScheme(), "T4", { "STAT-F1": { lgb: "D" } });
    for (const rule of earnedAutonomyRules) expect(rule.check(context(s, { today: TODAY }))).toEqual([]);
  });

  it("join validateScheme's findings when the data is given", () => {
    const findings = validateScheme(context(trustScheme(), { today: TODAY, autonomy: abbeyIs({ decisions: inTier("T1"), records: [legacy("2026-10-01", 4)] }) }));
    expect(findings.find((f) => f.ruleId === "EA-02")).toMatchObject({ family: "earned-autonomy", severity: "error", schoolIds: ["abbey"] });
  });
});

describe("EA-01: a school with earned autonomy that no longer meets the criteria", () => {
  it("fires for a T1 school whose latest inspection fell below Good, saying which", () => {
    const [f, ...rest] = run("EA-01", trustScheme(), abbeyIs({ decisions: inTier("T1"), records: [...STRONG_RECORDS, legacy("2026-06-01", 3, { safeguardingMet: true })] }));
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ severity: "warning", schoolIds: ["abbey"] });
    expect(f!.message).toContain("Abbey Primary (Earned autonomy, T1) no longer meets the criteria for earned autonomy: The inspection of 1 June 2026 graded the school Requires improvement (grade 3), below the Good earned autonomy needs.");
    expect(f!.source).toContain("[DCAT-MIN]");
  });

  it("fires for a T1 school whose safeguarding audit is no longer green", () => {
    const [f] = run("EA-01", trustScheme(), abbeyIs({ decisions: inTier("T1"), records: [...STRONG_RECORDS, record("2026-07-01", { safeguardingAudit: "red" })] }));
    expect(f!.message).toContain("the internal safeguarding audit of 1 July 2026 is red; earned autonomy needs green");
  });

  it("does not fire while the criteria are met, or for a school not in T1", () => {
    expect(run("EA-01", trustScheme(), abbeyIs({ decisions: inTier("T1"), records: STRONG_RECORDS }))).toEqual([]);
    expect(run("EA-01", trustScheme(), abbeyIs({ decisions: inTier("T2"), records: [legacy("2026-06-01", 3)] }))).toEqual([]);
  });
});

describe("EA-02: intervention", () => {
  it("fires at once, as an error, for a school with safeguarding not met outside intervention", () => {
    const [f] = run("EA-02", trustScheme(), abbeyIs({ decisions: inTier("T1"), records: [reportCard("2026-11-02", { achievement: "strong" }, { safeguardingMet: false })] }));
    expect(f).toMatchObject({ severity: "error", schoolIds: ["abbey"] });
    expect(f!.message).toBe(
      "Abbey Primary (Earned autonomy, T1): The inspection of 2 November 2026 found safeguarding not met. This proposes Intervention (T4) at once: record the board's decision, suspend the local board's decisions and form an intervention board.",
    );
  });

  it("does not propose intervention again for a school already in it, nor for a sound school", () => {
    const intervention = [board("abbey-ib", "local", "lgb", { name: "Abbey intervention board", purpose: "intervention" })];
    const s = trustScheme({ "SEED-06": { ceo: "D", lgb: "M", head: "E" } }, intervention);
    const moved = { ...abbey, localBodyId: "abbey-ib" };
    expect(run("EA-02", { ...s, schools: [moved] }, abbeyIs({ decisions: inTier("T4"), records: [legacy("2026-10-01", 4)] }))).toEqual([]);
    expect(run("EA-02", trustScheme(), abbeyIs({ decisions: inTier("T1"), records: STRONG_RECORDS }))).toEqual([]);
  });

  it("fires for a T4 school whose local board still holds a D in its effective scheme, naming the cells", () => {
    const s = trustScheme({ "SEED-13": { lgb: "D", head: "E" } });
    const findings = run("EA-02", s, abbeyIs({ decisions: inTier("T4") }));
    const f = findings.find((x) => x.severity === "error");
    expect(f!.cells).toEqual([{ rowId: "SEED-13", columnId: "lgb", schoolId: "abbey" }]);
    expect(f!.message).toContain('yet in its scheme the local board still decides (D) 11.1 "Academy branding and communications"');
  });

  it("reads the T4 variants: a D moved to the trust for intervention is not reported", () => {
    const s = withTierCells(trustScheme({ "SEED-13": { lgb: "D", head: "E" } }), "T4", { "SEED-13": { lgb: "M", ceo: "D" } });
    expect(run("EA-02", s, abbeyIs({ decisions: inTier("T4") })).filter((f) => f.severity === "error")).toEqual([]);
  });

  it("warns when a T4 school's local board is still a standing board", () => {
    const [f] = run("EA-02", trustScheme(), abbeyIs({ decisions: inTier("T4") }));
    expect(f).toMatchObject({ severity: "warning", schoolIds: ["abbey"] });
    expect(f!.message).toContain("its local board, Abbey Primary local board, is a standing board. Replace it with an intervention board");
  });
});

describe("EA-03: declining outcomes", () => {
  const falling = [
    legacy("2023-06-01", 2, { outcomesBand: "Above average" }),
    record("2024-09-01", { outcomesBand: "Average" }),
    record("2025-09-01", { outcomesBand: "Below average" }),
  ];

  it("proposes one tier down for the board to decide", () => {
    const [f] = run("EA-03", trustScheme(), abbeyIs({ decisions: inTier("T2"), records: falling }));
    expect(f).toMatchObject({ severity: "warning", schoolIds: ["abbey"] });
    expect(f!.message).toContain("This proposes one tier down, to Supported (T3): the board decides, it is not automatic.");
  });

  it("does not fire after a single fall, or for a school already supported", () => {
    expect(run("EA-03", trustScheme(), abbeyIs({ decisions: inTier("T2"), records: falling.slice(0, 2) }))).toEqual([]);
    expect(run("EA-03", trustScheme(), abbeyIs({ decisions: inTier("T3"), records: falling }))).toEqual([]);
  });
});

describe("EA-04: a school in deficit still setting its budget", () => {
  const inDeficit = [legacy("2025-02-01", 2), record("2026-03-31", { reserves: -40000, deficit: true })];

  it("fires when the school decides its budget in its effective scheme", () => {
    const [f] = run("EA-04", trustScheme({ "SEED-14-a": { head: "D", ceo: "M" } }), abbeyIs({ decisions: inTier("T2"), records: inDeficit }));
    expect(f!.cells).toEqual([{ rowId: "SEED-14-a", columnId: "head", schoolId: "abbey" }]);
    expect(f!.message).toContain("The record of 31 March 2026 shows an unplanned deficit.");
    expect(f!.message).toContain("Move the decision to the trust's finance officers");
  });

  it("does not fire when the budget already sits with the trust, or the finances are sound", () => {
    expect(run("EA-04", trustScheme(), abbeyIs({ decisions: inTier("T2"), records: inDeficit }))).toEqual([]);
    expect(run("EA-04", trustScheme({ "SEED-14-a": { head: "D" } }), abbeyIs({ decisions: inTier("T2"), records: STRONG_RECORDS }))).toEqual([]);
  });
});

describe("EA-05: headteacher performance management in support or intervention", () => {
  it("fires for a T3 school whose local board appraises the head", () => {
    const [f] = run("EA-05", trustScheme({ "STAT-L2": { lgb: "D" } }), abbeyIs({ decisions: inTier("T3") }));
    expect(f!.cells).toEqual([{ rowId: "STAT-L2", columnId: "lgb", schoolId: "abbey" }]);
    expect(f!.message).toBe('Abbey Primary (Supported, T3): in its scheme 8.4 "Headteacher performance management" is decided by the Local governing body. For a school in support or intervention it moves to the deputy CEO or director of education.');
  });

  it("does not fire when the T3 variants give it to the deputy CEO, or for a standard school", () => {
    const s = withTierCells(trustScheme({ "STAT-L2": { lgb: "D" } }), "T3", { "STAT-L2": { lgb: "C", dceo: "D" } });
    expect(run("EA-05", s, abbeyIs({ decisions: inTier("T3") }))).toEqual([]);
    expect(run("EA-05", trustScheme({ "STAT-L2": { lgb: "D" } }), abbeyIs({ decisions: inTier("T2") }))).toEqual([]);
  });
});

describe("EA-06: reviews by the tier's cadence", () => {
  it("fires when a T4 school's quarterly review is overdue", () => {
    const [f] = run("EA-06", trustScheme(), abbeyIs({ decisions: [decision("T4", "2026-05-01", { schoolId: "abbey", nextReviewOn: "2026-08-01" })], reviews: [review("2026-06-01", "steady", "abbey")] }));
    expect(f).toMatchObject({ severity: "warning", schoolIds: ["abbey"] });
    expect(f!.message).toBe("Abbey Primary's review was due on 1 September 2026 and is overdue (last reviewed on 1 June 2026; Intervention (T4) schools are reviewed 4 times a year).");
  });

  it("does not fire for a standard school reviewed last month", () => {
    expect(run("EA-06", trustScheme(), abbeyIs({ decisions: inTier("T2", "2026-06-01") }))).toEqual([]);
  });

  it("fires when the tier was last decided more than a year ago", () => {
    const findings = run("EA-06", trustScheme(), abbeyIs({ decisions: inTier("T2", "2025-06-01") }));
    expect(findings.map((f) => f.message)).toEqual(["Abbey Primary (Standard, T2): its tier was last decided on 1 June 2025, more than a year ago. Re-grade it (the CEO with the headteacher) and have the board or its committee confirm it."]);
  });

  it("fires for a school never reviewed with nothing to set its first review", () => {
    const s = { ...trustScheme(), schools: [{ ...abbey, joinedOn: null }] };
    expect(run("EA-06", s, autonomy({}))[0]!.message).toContain("Abbey Primary has no review recorded and nothing sets its first");
  });

  it("notes a policy that reviews a tier less often than DCAT", () => {
    const policy = structuredClone(DEFAULT_TIER_POLICY);
    policy.tiers.T4.reviewsPerYear = 2;
    const findings = run("EA-06", trustScheme(), abbeyIs({ decisions: inTier("T2", "2026-06-01") }, policy));
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ severity: "info", message: "The trust's tier policy reviews Intervention (T4) 2 a year, where DCAT holds 4." });
  });
});

describe("EA-07: strands of consistency under a consistent-pedagogy strategy", () => {
  const t1 = abbeyIs({ decisions: inTier("T1"), records: STRONG_RECORDS });

  it("fires for a T1 school whose variants touch a strand of consistency or hand it a row not marked innovation-eligible", () => {
    const s = withTierCells(trustScheme(), "T1", { "SEED-11": { head: "D", ceo: "A" }, "SEED-13": { head: "D", ceo: "C" }, "DER-02": { head: "D", ceo: "A" } });
    const [f, ...rest] = run("EA-07", s, t1, { cluster: 2 });
    expect(rest).toEqual([]);
    expect(f!.message).toContain('its scheme changes 4.1 "Pupil policies');
    expect(f!.message).toContain('it gives the school the decision (D) on 11.1 "Academy branding and communications", which the trust does not mark innovation-eligible');
    expect(f!.rowIds).toEqual(["SEED-11", "SEED-13"]);
    expect(f!.cells).toContainEqual({ rowId: "SEED-11", columnId: "head", schoolId: "abbey" });
    expect(f!.cells).not.toContainEqual(expect.objectContaining({ rowId: "DER-02" }));
  });

  it("reads the school's own variations too", () => {
    const s = withSchoolCells(trustScheme(), "abbey", { "SEED-11": { lgb: "D" } });
    expect(run("EA-07", s, t1, { cluster: 2 })[0]!.cells).toEqual([{ rowId: "SEED-11", columnId: "lgb", schoolId: "abbey" }]);
  });

  it("does not fire for innovation-eligible rows, under another strategy, or for a school not in T1", () => {
    const innovation = withTierCells(trustScheme(), "T1", { "DER-02": { head: "D", ceo: "A" } });
    expect(run("EA-07", innovation, t1, { cluster: 2 })).toEqual([]);
    const strand = withTierCells(trustScheme(), "T1", { "SEED-11": { head: "D", ceo: "A" } });
    expect(run("EA-07", strand, t1, { cluster: 1 })).toEqual([]);
    expect(run("EA-07", strand, abbeyIs({ decisions: inTier("T2") }), { cluster: 2 })).toEqual([]);
  });
});

describe("EA-08: earned autonomy by default in a trust of autonomy and identity", () => {
  it("notes a school that meets the criteria but is not in T1", () => {
    const [f] = run("EA-08", trustScheme(), abbeyIs({ decisions: inTier("T2"), records: STRONG_RECORDS }), { cluster: 1 });
    expect(f).toMatchObject({ severity: "info", schoolIds: ["abbey"] });
    expect(f!.message).toContain("the trust's strategy makes Earned autonomy (T1) the default for such schools");
  });

  it("warns of a school below the threshold still deciding its curriculum (the glass floor)", () => {
    const s = trustScheme({ "SEED-06": { lgb: "D", head: "E" } });
    const [f] = run("EA-08", s, abbeyIs({ decisions: inTier("T2"), records: [legacy("2026-02-01", 3)] }), { cluster: 1 });
    expect(f).toMatchObject({ severity: "warning", cells: [{ rowId: "SEED-06", columnId: "lgb", schoolId: "abbey" }] });
  });

  it("does not fire under another strategy, when the trust already decides for a weak school, or with no inspection to judge", () => {
    expect(run("EA-08", trustScheme(), abbeyIs({ decisions: inTier("T2"), records: STRONG_RECORDS }), { cluster: 2 })).toEqual([]);
    expect(run("EA-08", trustScheme(), abbeyIs({ decisions: inTier("T2"), records: [legacy("2026-02-01", 3)] }), { cluster: 1 })).toEqual([]);
    const local = trustScheme({ "SEED-06": { lgb: "D", head: "E" } });
    expect(run("EA-08", local, abbeyIs({ decisions: inTier("T2"), records: [record("2026-02-01", { outcomesBand: "Average" })] }), { cluster: 1 })).toEqual([]);
  });
});

describe("EA-09: a T1 school contributes to school-to-school support", () => {
  it("fires when the head has no E or A on school improvement", () => {
    const [f] = run("EA-09", trustScheme(), abbeyIs({ decisions: inTier("T1"), records: STRONG_RECORDS }));
    expect(f!.message).toContain('Abbey Primary (Earned autonomy, T1) has no part in trust-wide school-to-school support: in its scheme the Headteacher neither delivers (E) nor advises (A) on 10.1 "Design and delivery of school improvement approaches"');
    expect(f!.cells).toEqual([{ rowId: "SEED-09", columnId: "head", schoolId: "abbey" }]);
  });

  it("does not fire when the T1 variants give the head an E there, or for a school not in T1", () => {
    const s = withTierCells(trustScheme(), "T1", { "SEED-09": { head: "E" } });
    expect(run("EA-09", s, abbeyIs({ decisions: inTier("T1"), records: STRONG_RECORDS }))).toEqual([]);
    expect(run("EA-09", trustScheme(), abbeyIs({ decisions: inTier("T2") }))).toEqual([]);
  });
});

describe("EA-10: a tier decision's evidence, body and dates", () => {
  it("fires for a decision taken by the CEO with no evidence", () => {
    const taken = decision("T1", "2026-09-01", { schoolId: "abbey", evidence: " ", decidedBy: { id: "ceo", name: "Chief executive officer", kind: "executive" }, nextReviewOn: "2027-03-01" });
    const [f] = run("EA-10", trustScheme(), abbeyIs({ decisions: [taken] }));
    expect(f!.message).toBe(
      "The decision placing Abbey Primary in Earned autonomy (T1) from 1 September 2026 is incomplete: it records no evidence; and it was decided by Chief executive officer (executive and central team), not the board or one of its committees.",
    );
  });

  it("does not fire for a complete decision, or for one long superseded", () => {
    const old = decision("T3", "2023-09-01", { schoolId: "abbey", evidence: "" });
    expect(run("EA-10", trustScheme(), abbeyIs({ decisions: [old, ...inTier("T2", "2026-06-01")] }))).toEqual([]);
  });
});

describe("EA-11: leaving support or intervention", () => {
  const fromIntervention = (tier: "T3" | "T2", decidedOn: string) => [
    decision("T4", "2025-01-10", { schoolId: "abbey", nextReviewOn: "2025-04-10" }),
    decision(tier, decidedOn, { schoolId: "abbey", nextReviewOn: "2027-01-10" }),
  ];

  it("fires for a step up with one improving review", () => {
    const [f] = run("EA-11", trustScheme(), abbeyIs({ decisions: fromIntervention("T3", "2026-06-01"), reviews: [review("2025-06-01", "steady"), review("2026-03-01", "improving")] }));
    expect(f!.message).toBe(
      "Abbey Primary was moved from Intervention (T4) to Supported (T3) on 1 June 2026, but only 1 review in a row rated improving came before it, where 2 are needed.",
    );
  });

  it("fires for a step that skips a tier", () => {
    const [f] = run("EA-11", trustScheme(), abbeyIs({ decisions: fromIntervention("T2", "2026-06-01"), reviews: [review("2025-12-01", "improving"), review("2026-03-01", "improving")] }));
    expect(f!.message).toContain("it skips a tier: schools step up one tier at a time");
  });

  it("does not fire after two improving reviews, or for a move down", () => {
    expect(run("EA-11", trustScheme(), abbeyIs({ decisions: fromIntervention("T3", "2026-06-01"), reviews: [review("2025-12-01", "improving"), review("2026-03-01", "improving")] }))).toEqual([]);
    const down = [decision("T2", "2024-01-10", { schoolId: "abbey" }), decision("T3", "2026-01-10", { schoolId: "abbey" })];
    expect(run("EA-11", trustScheme(), abbeyIs({ decisions: down }))).toEqual([]);
  });
});

describe("EA-12: joiners and transition", () => {
  it("fires for a school still in transition more than 12 months after joining", () => {
    const s = { ...trustScheme(), schools: [{ ...abbey, joinedOn: "2025-03-01" }] };
    const [f] = run("EA-12", s, abbeyIs({ decisions: inTier("T0", "2025-03-01") }));
    expect(f).toMatchObject({ severity: "warning", schoolIds: ["abbey"] });
    expect(f!.message).toContain("Abbey Primary (Transition, T0) joined on 1 March 2025, 20 months ago, and is still in transition, which lasts at most 12 months.");
  });

  it("notes a recent joiner not in transition, and a transition school with a standing board", () => {
    const s = { ...trustScheme(), schools: [{ ...abbey, joinedOn: "2026-06-01" }] };
    expect(run("EA-12", s, autonomy({}))[0]).toMatchObject({ severity: "info", message: expect.stringContaining("for its first 12 months (until 1 June 2027) Transition (T0) applies") });
    expect(run("EA-12", s, abbeyIs({ decisions: inTier("T0", "2026-06-01") }))[0]!.message).toContain("is a standing board. A transition board appointed by the executive takes its place");
  });

  it("notes a school about to join that has no transition tier decided, in the future tense", () => {
    const s = { ...trustScheme(), schools: [{ ...abbey, joinedOn: "2027-01-01" }] };
    const [f, ...rest] = run("EA-12", s, autonomy({}));
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ severity: "info", schoolIds: ["abbey"] });
    expect(f!.message).toContain("Abbey Primary joins on 1 January 2027: for its first 12 months (until 1 January 2028) Transition (T0) applies");
  });

  it("does not fire for a joiner in transition under a transition board, or for a long-standing school", () => {
    const transitionBoard = board("abbey-tb", "local", "lgb", { name: "Abbey transition board", purpose: "transition" });
    const s = { ...trustScheme({}, [transitionBoard]), schools: [{ ...abbey, joinedOn: "2026-06-01", localBodyId: "abbey-tb" }] };
    expect(run("EA-12", s, abbeyIs({ decisions: inTier("T0", "2026-06-01") }))).toEqual([]);
    expect(run("EA-12", trustScheme(), abbeyIs({ decisions: inTier("T2") }))).toEqual([]);
  });
});

describe("EA-13: the glass ceiling", () => {
  const high = [...STRONG_RECORDS, record("2026-09-01", { outcomesBand: "Well above average" })];
  const longT1 = [decision("T1", "2023-09-01", { schoolId: "abbey" }), decision("T1", "2025-09-01", { schoolId: "abbey" })];

  it("prompts the board for a school in T1 for two years with outcomes above average, in a consistent-pedagogy trust", () => {
    const [f] = run("EA-13", trustScheme(), abbeyIs({ decisions: longT1, records: high }), { cluster: 2 });
    expect(f).toMatchObject({ severity: "info", schoolIds: ["abbey"] });
    expect(f!.message).toContain("has had earned autonomy since 1 September 2023, and its outcomes were Well above average on 1 September 2026");
  });

  it("does not fire for a school in T1 for less than two years, with average outcomes, or under another strategy", () => {
    const recent = [decision("T2", "2023-09-01", { schoolId: "abbey" }), decision("T1", "2025-09-01", { schoolId: "abbey" })];
    expect(run("EA-13", trustScheme(), abbeyIs({ decisions: recent, records: high }), { cluster: 2 })).toEqual([]);
    expect(run("EA-13", trustScheme(), abbeyIs({ decisions: longT1, records: STRONG_RECORDS.slice(0, 1) }), { cluster: 2 })).toEqual([]);
    expect(run("EA-13", trustScheme(), abbeyIs({ decisions: longT1, records: high }), { cluster: 1 })).toEqual([]);
  });
});

describe("EA-14: statutory-locked rows never vary", () => {
  it("fires for a tier variant on a locked row, naming the tier and its schools", () => {
    const s = withTierCells(trustScheme(), "T4", { "STAT-F1": { board: "R", lgb: "D" } });
    const [f] = run("EA-14", s, abbeyIs({ decisions: inTier("T4") }));
    expect(f).toMatchObject({ severity: "warning", rowIds: ["STAT-F1"], schoolIds: ["abbey"] });
    expect(f!.message).toBe(
      'The Intervention (T4) variants change 12.8 "Approve the trust budget (balanced) and significant changes to it" (Board of trustees) and 12.8 "Approve the trust budget (balanced) and significant changes to it" (Local governing body), statutory-locked: locked rows never vary by tier, so no school\'s scheme follows the change. Remove them.',
    );
  });

  it("fires for a school's own variation on a locked row, with its cell", () => {
    const s = withSchoolCells(trustScheme(), "abbey", { "STAT-F1": { lgb: "D" } });
    expect(run("EA-14", s, abbeyIs({}))[0]!.cells).toEqual([{ rowId: "STAT-F1", columnId: "lgb", schoolId: "abbey" }]);
  });

  it("does not fire for variants on unlocked rows", () => {
    const s = withSchoolCells(withTierCells(trustScheme(), "T4", { "SEED-13": { lgb: "M" } }), "abbey", { "SEED-06": { head: "D" } });
    expect(run("EA-14", s, abbeyIs({}))).toEqual([]);
  });
});

describe("EA-15: report cards need the trust's own thresholds", () => {
  const card = [reportCard("2026-03-02", { achievement: "strong" })];

  it("fires when a school's latest inspection is a report card and the policy sets no report-card grade", () => {
    const policy = structuredClone(DEFAULT_TIER_POLICY);
    policy.tiers.T1.criteria.minReportCardGrade = null;
    const [f] = run("EA-15", trustScheme(), abbeyIs({ records: card }, policy));
    expect(f).toMatchObject({ severity: "warning", schoolIds: ["abbey"] });
    expect(f!.message).toContain("The latest inspection of Abbey Primary is a 2025 report card, and the trust's tier policy does not set the grade that earns autonomy on the report card's scale");
  });

  it("does not fire with the thresholds set, or when the latest inspection has a legacy grade", () => {
    expect(run("EA-15", trustScheme(), abbeyIs({ records: card }))).toEqual([]);
    const policy = structuredClone(DEFAULT_TIER_POLICY);
    policy.tiers.T1.criteria.minReportCardGrade = null;
    expect(run("EA-15", trustScheme(), abbeyIs({ records: [...card, legacy("2026-09-01", 2)] }, policy))).toEqual([]);
  });
});
