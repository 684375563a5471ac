import { describe, expect, it } from "vitest";
import type { DecisionCode } from "~/domain/codes";
import { DEFAULT_RULE_SETTINGS } from "~/domain/rules/settings";
import { statutoryRules } from "~/domain/rules/statutory";
import type { Finding, RuleContext } from "~/domain/rules/types";
import { cellKey, type Scheme, type SchemeColumn, type SchemeRow } from "~/domain/scheme";
import { board, catalogueRow, column, context, ownRow, scheme, school, type SchemeInput } from "./scheme-builder";

// The test context's today is 23 November 2026.

const STATUTORY_KEYS = [
  "STAT-G3",
  "STAT-F3",
  "STAT-F6",
  "STAT-F1",
  "STAT-F2",
  "STAT-G4",
  "STAT-C1",
  "STAT-F4",
  "STAT-F5",
  "STAT-L1",
  "STAT-P1",
  "STAT-P2",
  "STAT-P3",
  "STAT-P4",
];

function trustColumns(): SchemeColumn[] {
  return [
    column("members", "members", { name: "Members" }),
    column("board", "board", { name: "Trust Board" }),
    column("arc", "committee", { name: "Audit & Risk Committee", position: 1 }),
    column("finance", "committee", { name: "Finance & Resources Committee", position: 2 }),
    column("ceo", "executive", { name: "CEO" }),
    column("lgb", "local", { name: "Local Governing Body" }),
    column("head", "school", { name: "Headteacher" }),
  ];
}

/** Where a trust that follows the handbook puts each statutory decision. */
function soundCodes(): Record<string, Record<string, DecisionCode>> {
  return {
    "STAT-G3": { members: "D", board: "R" },
    "STAT-F3": { board: "D", members: "I", arc: "R" },
    "STAT-F6": { arc: "D", board: "M", ceo: "E" },
    "STAT-F1": { board: "D", finance: "R", ceo: "E" },
    "STAT-F2": { board: "D", finance: "R" },
    "STAT-G4": { board: "D", ceo: "R", lgb: "C" },
    "STAT-C1": { ceo: "D", board: "M" },
    "STAT-F4": { finance: "D", ceo: "R", board: "I" },
    "STAT-F5": { board: "D", finance: "R" },
    "STAT-L1": { board: "D", finance: "R" },
    "STAT-P1": { board: "D", ceo: "R", lgb: "C" },
    "STAT-P2": { lgb: "D", board: "M" },
    "STAT-P3": { lgb: "D" },
    "STAT-P4": { board: "D", ceo: "R", head: "E" },
  };
}

/** A trust whose scheme meets every statutory rule: each test changes one thing in it. */
function soundTrust(): SchemeInput {
  return {
    columns: trustColumns(),
    rows: STATUTORY_KEYS.map((key) => catalogueRow(key)),
    schools: [school("abbey", { name: "Abbey Primary", localBodyId: "abbey-lgb" })],
    boards: [board("abbey-lgb", "local", "lgb", { name: "Abbey Primary LGB", chairName: "Ruth Okafor" })],
    codes: soundCodes(),
    reviewDueOn: "2027-09-30",
  };
}

/** The trust with one row's codes replaced. */
function withCodes(input: SchemeInput, rowId: string, codes: Record<string, DecisionCode>): SchemeInput {
  return { ...input, codes: { ...input.codes, [rowId]: codes } };
}

function withoutRows(input: SchemeInput, ...rowIds: string[]): SchemeInput {
  return { ...input, rows: input.rows.filter((r) => !rowIds.includes(r.id)) };
}

/** The trust with a row of its own added, holding these codes. */
function withOwnRow(input: SchemeInput, row: SchemeRow, codes: Record<string, DecisionCode>): SchemeInput {
  return withCodes({ ...input, rows: [...input.rows, row] }, row.id, codes);
}

function renamed(input: SchemeInput, columnId: string, name: string): SchemeInput {
  return { ...input, columns: input.columns.map((c) => (c.id === columnId ? { ...c, name } : c)) };
}

function check(ruleId: string, schemeOf: Scheme, overrides: Partial<RuleContext> = {}): Finding[] {
  const rule = statutoryRules.find((r) => r.id === ruleId);
  if (!rule) throw new Error(`No rule ${ruleId}`);
  return rule.check(context(schemeOf, overrides));
}

function findingsOf(ruleId: string, input: SchemeInput, overrides: Partial<RuleContext> = {}): Finding[] {
  return check(ruleId, scheme(input), overrides);
}

/** The only finding of the rule; the test fails if there are none or several. */
function onlyFinding(ruleId: string, input: SchemeInput, overrides: Partial<RuleContext> = {}): Finding {
  const findings = findingsOf(ruleId, input, overrides);
  expect(findings.map((f) => f.message)).toHaveLength(1);
  const [only] = findings;
  expect(only!.ruleId).toBe(ruleId);
  expect(only!.family).toBe("statutory");
  return only!;
}

const at = (rowId: string, columnId: string, schoolId: string | null = null) => ({ rowId, columnId, schoolId });

describe("the statutory rules", () => {
  it("carry domain.md's ids, one rule each", () => {
    expect(statutoryRules.map((r) => r.id)).toEqual([
      "ST-04",
      "ST-11",
      "ST-12",
      "ST-13",
      "ST-14",
      "ST-15",
      "ST-17",
      "ST-18",
      "ST-20",
      "ST-21",
      "ST-22",
      "ST-23",
      "ST-24",
    ]);
    expect(statutoryRules.every((r) => r.family === "statutory")).toBe(true);
  });

  it("find nothing in a trust that puts every statutory decision where the law says", () => {
    const trust = scheme(soundTrust());
    expect(statutoryRules.flatMap((rule) => rule.check(context(trust)))).toEqual([]);
  });

  it("explain each finding with the regulation and its source", () => {
    const trust = scheme({ columns: [column("board", "board", { name: "Trust Board" })], rows: [] });
    const findings = statutoryRules.flatMap((rule) => rule.check(context(trust)));
    expect(findings.length).toBeGreaterThan(0);
    for (const f of findings) {
      expect(f.rationale.length).toBeGreaterThan(20);
      expect(f.source).toMatch(/\[[A-Z0-9-]+\]/);
    }
  });
});

describe("ST-04 members' reserved powers", () => {
  it("moves the reserved powers back to the members when the board holds them", () => {
    const f = onlyFinding("ST-04", withCodes(soundTrust(), "STAT-G3", { board: "D" }));
    expect(f.severity).toBe("error");
    expect(f.cells).toEqual([at("STAT-G3", "board")]);
    expect(f.message).toContain("is decided by Trust Board, but only Members may decide it");
    expect(f.message).toContain("9.2");
    // The board may still recommend, as it usually does on trustee appointments.
    expect(f.fix?.cells).toEqual([
      { rowId: "STAT-G3", columnId: "members", code: "D" },
      { rowId: "STAT-G3", columnId: "board", code: "R" },
    ]);
    expect(f.fix?.label).toBe("Give D to Members");
  });

  it("lets the board approve the accounts, which the members then receive", () => {
    expect(findingsOf("ST-04", soundTrust())).toEqual([]);
  });

  it("says once that a scheme without a Members column leaves the reserved powers with nobody", () => {
    const noMembers = { ...soundTrust(), columns: trustColumns().filter((c) => c.kind !== "members") };
    const f = onlyFinding("ST-04", noMembers);
    expect(f.severity).toBe("error");
    expect(f.message).toContain("no Members column");
    expect(f.rowIds).toEqual(["STAT-G3", "STAT-F3"]);
    expect(f.fix).toBeNull();
  });

  it("warns when the catalogue has no row for the reserved powers", () => {
    const f = onlyFinding("ST-04", withoutRows(soundTrust(), "STAT-G3", "STAT-F3"));
    expect(f.severity).toBe("warning");
    expect(f.message).toContain("no row for the members' reserved powers");
    expect(f.cells).toEqual([]);
  });
});

describe("ST-11 audit and risk committee", () => {
  it("is an error when no committee's name says it covers audit", () => {
    const f = onlyFinding("ST-11", renamed(soundTrust(), "arc", "Standards Committee"));
    expect(f.severity).toBe("error");
    expect(f.message).toContain("no audit and risk committee");
    expect(f.message).toContain("Standards Committee and Finance & Resources Committee");
    expect(f.fix).toBeNull();
  });

  it("accepts a combined committee that covers audit", () => {
    expect(findingsOf("ST-11", renamed(soundTrust(), "arc", "Finance, Audit and Risk Committee"))).toEqual([]);
  });

  it("moves the internal scrutiny programme from another committee to the audit and risk committee", () => {
    const f = onlyFinding("ST-11", withCodes(soundTrust(), "STAT-F6", { finance: "D", board: "M" }));
    expect(f.severity).toBe("error");
    expect(f.cells).toEqual([at("STAT-F6", "finance")]);
    expect(f.message).toContain("only Audit & Risk Committee or Trust Board may decide it");
    expect(f.fix?.cells).toEqual([
      { rowId: "STAT-F6", columnId: "arc", code: "D" },
      { rowId: "STAT-F6", columnId: "finance", code: "R" },
    ]);
  });

  it("lets the board keep the internal scrutiny programme itself", () => {
    expect(findingsOf("ST-11", withCodes(soundTrust(), "STAT-F6", { board: "D", arc: "R" }))).toEqual([]);
  });
});

describe("ST-12 budget approval", () => {
  it("gives the budget back to the full board when a committee approves it", () => {
    const f = onlyFinding("ST-12", withCodes(soundTrust(), "STAT-F1", { finance: "D", board: "R" }));
    expect(f.severity).toBe("error");
    expect(f.cells).toEqual([at("STAT-F1", "finance")]);
    expect(f.message).toContain('12.8 "Approve the trust budget (balanced) and significant changes to it" is decided by Finance & Resources Committee');
    // The committee keeps a part: it may recommend the budget.
    expect(f.fix?.cells).toEqual([
      { rowId: "STAT-F1", columnId: "board", code: "D" },
      { rowId: "STAT-F1", columnId: "finance", code: "R" },
    ]);
  });

  it("points at the board when nobody approves the budget", () => {
    const f = onlyFinding("ST-12", withCodes(soundTrust(), "STAT-F1", { finance: "R" }));
    expect(f.message).toContain("Nobody decides 12.8");
    expect(f.cells).toEqual([at("STAT-F1", "board")]);
    expect(f.fix?.cells).toEqual([{ rowId: "STAT-F1", columnId: "board", code: "D" }]);
  });

  it("lets a committee recommend the budget the board approves", () => {
    expect(findingsOf("ST-12", soundTrust())).toEqual([]);
  });

  it("checks the trust's own budget row marked ST-12 in place of the catalogue's", () => {
    const own = ownRow("budget", { ref: "12.1", title: "Approve the annual budget", statutoryRule: "ST-12" });
    const f = onlyFinding("ST-12", withOwnRow(withoutRows(soundTrust(), "STAT-F1"), own, { ceo: "D" }));
    expect(f.cells).toEqual([at("budget", "ceo")]);
    expect(f.message).toContain('12.1 "Approve the annual budget"');
  });

  it("warns when no row approves the budget", () => {
    const f = onlyFinding("ST-12", withoutRows(soundTrust(), "STAT-F1"));
    expect(f.severity).toBe("warning");
    expect(f.message).toContain('"Approve the trust budget (balanced) and significant changes to it"');
  });
});

describe("ST-12 in an unlocked row's variations", () => {
  function trustWithOwnBudgetRow(): SchemeInput {
    // The trust's own rows are not locked, so its tiers and schools may vary them.
    const own = ownRow("budget", { ref: "12.1", title: "Approve the annual budget", statutoryRule: "ST-12" });
    return withOwnRow(withoutRows(soundTrust(), "STAT-F1"), own, { board: "D" });
  }

  it("reports a school's variation that hands the budget to its local board, without a base-matrix fix", () => {
    const trust = scheme(trustWithOwnBudgetRow());
    trust.schoolCells = { abbey: { [cellKey("budget", "lgb")]: { code: "D", note: null }, [cellKey("budget", "board")]: { code: "R", note: null } } };
    const [f, ...rest] = check("ST-12", trust);
    expect(rest).toEqual([]);
    expect(f?.message).toMatch(/^For Abbey Primary: /);
    expect(f?.cells).toEqual([at("budget", "lgb", "abbey")]);
    expect(f?.schoolIds).toEqual(["abbey"]);
    expect(f?.fix).toBeNull();
  });

  it("reports a tier's variant that leaves the budget with nobody", () => {
    const trust = scheme(trustWithOwnBudgetRow());
    trust.tierCells = { T4: { [cellKey("budget", "board")]: { code: null, note: null } } };
    const [f] = check("ST-12", trust);
    expect(f?.message).toMatch(/^In tier T4: Nobody decides/);
  });

  it("ignores variations of the catalogue's locked budget row, which never apply", () => {
    const trust = scheme(soundTrust());
    trust.schoolCells = { abbey: { [cellKey("STAT-F1", "lgb")]: { code: "D", note: null } } };
    expect(check("ST-12", trust)).toEqual([]);
  });
});

describe("ST-13 scheme of financial delegation", () => {
  it("gives the scheme of financial delegation back to the board when the CEO approves it", () => {
    const f = onlyFinding("ST-13", withCodes(soundTrust(), "STAT-F2", { ceo: "D", finance: "R" }));
    expect(f.severity).toBe("error");
    expect(f.cells).toEqual([at("STAT-F2", "ceo")]);
    expect(f.message).toContain("Approve the scheme of financial delegation");
    expect(f.fix?.cells).toEqual([
      { rowId: "STAT-F2", columnId: "board", code: "D" },
      { rowId: "STAT-F2", columnId: "ceo", code: "R" },
    ]);
  });

  it("is satisfied when the board approves it", () => {
    expect(findingsOf("ST-13", soundTrust())).toEqual([]);
  });
});

describe("ST-14 review and publication", () => {
  it("leaves a draft's review date to its approval, which asks for it", () => {
    expect(findingsOf("ST-14", { ...soundTrust(), reviewDueOn: null })).toEqual([]);
  });

  it("asks for a review date when an approved version has none", () => {
    const f = onlyFinding("ST-14", { ...soundTrust(), status: "approved", approvedOn: "2026-07-01", reviewDueOn: null });
    expect(f.severity).toBe("warning");
    expect(f.message).toContain("no review date");
    expect(f.fix).toBeNull();
  });

  it("says when the review is overdue", () => {
    const f = onlyFinding("ST-14", { ...soundTrust(), reviewDueOn: "2026-03-01" });
    expect(f.message).toContain("was due on 1 March 2026");
  });

  it("says when a draft's review date is further off than the trust's review cycle", () => {
    const f = onlyFinding("ST-14", { ...soundTrust(), reviewDueOn: "2028-01-01" });
    expect(f.message).toContain("more than 12 months after today");
  });

  it("counts an approved version's cycle from its approval, to the day", () => {
    const approved = { ...soundTrust(), approvedOn: "2026-01-10" };
    expect(findingsOf("ST-14", { ...approved, reviewDueOn: "2027-01-10" })).toEqual([]);
    const f = onlyFinding("ST-14", { ...approved, reviewDueOn: "2027-01-11" });
    expect(f.message).toContain("after its approval on 10 January 2026: review it by 10 January 2027");
  });

  it("follows the trust's own review cycle", () => {
    const settings = { ...DEFAULT_RULE_SETTINGS, reviewMonths: 24 };
    expect(findingsOf("ST-14", { ...soundTrust(), reviewDueOn: "2028-01-01" }, { settings })).toEqual([]);
  });

  it("does not ask a superseded version to be reviewed", () => {
    const old = scheme({ ...soundTrust(), reviewDueOn: "2025-01-01" });
    old.version.status = "superseded";
    expect(check("ST-14", old)).toEqual([]);
  });

  it("gives approving the scheme of delegation back to the board", () => {
    const f = onlyFinding("ST-14", withCodes(soundTrust(), "STAT-G4", { ceo: "D", board: "R" }));
    expect(f.severity).toBe("error");
    expect(f.cells).toEqual([at("STAT-G4", "ceo")]);
    expect(f.fix?.cells).toEqual([
      { rowId: "STAT-G4", columnId: "board", code: "D" },
      { rowId: "STAT-G4", columnId: "ceo", code: "R" },
    ]);
  });

  it("lets the executive publish the governance information", () => {
    // The sound trust's CEO holds D on the publication row.
    expect(soundCodes()["STAT-C1"]).toMatchObject({ ceo: "D" });
    expect(findingsOf("ST-14", soundTrust())).toEqual([]);
  });

  it("names the boards whose chairs the published summary cannot name", () => {
    const input = { ...soundTrust(), boards: [board("abbey-lgb", "local", "lgb", { name: "Abbey Primary LGB", chairName: " " })] };
    const f = onlyFinding("ST-14", input);
    expect(f.severity).toBe("warning");
    expect(f.message).toContain("1 board has no chair's name (Abbey Primary LGB)");
  });
});

describe("ST-15 related party transactions", () => {
  it("takes related party transactions away from a local board", () => {
    const f = onlyFinding("ST-15", withCodes(soundTrust(), "STAT-F4", { lgb: "D", ceo: "R" }));
    expect(f.severity).toBe("error");
    expect(f.cells).toEqual([at("STAT-F4", "lgb")]);
    expect(f.message).toContain("Local boards and headteachers take no part");
    // A local board may not even recommend, so its D is cleared rather than turned into R.
    expect(f.fix?.cells).toEqual([
      { rowId: "STAT-F4", columnId: "board", code: "D" },
      { rowId: "STAT-F4", columnId: "lgb", code: null },
    ]);
  });

  it("takes the headteacher's recommendation off the row", () => {
    const f = onlyFinding("ST-15", withCodes(soundTrust(), "STAT-F4", { finance: "D", head: "R" }));
    expect(f.cells).toEqual([at("STAT-F4", "head")]);
    expect(f.message).toContain("Headteacher holds R on 12.11");
    expect(f.fix?.cells).toEqual([{ rowId: "STAT-F4", columnId: "head", code: null }]);
  });

  it("lets a board committee approve them", () => {
    expect(findingsOf("ST-15", soundTrust())).toEqual([]);
  });
});

describe("ST-17 land", () => {
  it("gives land transactions back to the board", () => {
    const f = onlyFinding("ST-17", withCodes(soundTrust(), "STAT-F5", { finance: "D" }));
    expect(f.severity).toBe("error");
    expect(f.cells).toEqual([at("STAT-F5", "finance")]);
    expect(f.fix?.cells).toEqual([
      { rowId: "STAT-F5", columnId: "board", code: "D" },
      { rowId: "STAT-F5", columnId: "finance", code: "R" },
    ]);
  });

  it("asks the trust's own land row to show that it needs the Secretary of State's consent", () => {
    const own = ownRow("leases", { ref: "12.20", title: "Grant leases of school land", statutoryRule: "ST-17" });
    const f = onlyFinding("ST-17", withOwnRow(soundTrust(), own, { board: "D" }));
    expect(f.rowIds).toEqual(["leases"]);
    expect(f.message).toContain("Secretary of State's consent");
    expect(f.fix).toBeNull();
  });

  it("is satisfied by the catalogue's land row at the board", () => {
    expect(findingsOf("ST-17", soundTrust())).toEqual([]);
  });
});

describe("ST-18 executive pay", () => {
  it("takes the CEO off the row of the CEO's own pay", () => {
    const f = onlyFinding("ST-18", withCodes(soundTrust(), "STAT-L1", { board: "D", ceo: "R" }));
    expect(f.severity).toBe("error");
    expect(f.cells).toEqual([at("STAT-L1", "ceo")]);
    expect(f.message).toContain("Nobody decides or recommends their own pay");
    expect(f.fix?.cells).toEqual([{ rowId: "STAT-L1", columnId: "ceo", code: null }]);
  });

  it("gives the decision to the board when the CEO holds it, without leaving the CEO a recommendation", () => {
    const f = onlyFinding("ST-18", withCodes(soundTrust(), "STAT-L1", { ceo: "D" }));
    expect(f.fix?.cells).toEqual([
      { rowId: "STAT-L1", columnId: "board", code: "D" },
      { rowId: "STAT-L1", columnId: "ceo", code: null },
    ]);
  });

  it("lets a remuneration committee recommend what the full board decides", () => {
    expect(findingsOf("ST-18", soundTrust())).toEqual([]);
  });
});

describe("ST-20 admissions", () => {
  it("gives admission arrangements back to the board when a local board determines them", () => {
    const f = onlyFinding("ST-20", withCodes(soundTrust(), "STAT-P1", { lgb: "D", ceo: "R" }));
    expect(f.severity).toBe("error");
    expect(f.cells).toEqual([at("STAT-P1", "lgb")]);
    expect(f.message).toContain("Determine admission arrangements");
    expect(f.fix?.cells).toEqual([
      { rowId: "STAT-P1", columnId: "board", code: "D" },
      { rowId: "STAT-P1", columnId: "lgb", code: "R" },
    ]);
  });

  it("lets local boards be consulted on what the board determines", () => {
    expect(findingsOf("ST-20", soundTrust())).toEqual([]);
  });
});

describe("ST-21 exclusions", () => {
  it("takes the review of exclusions away from the headteacher", () => {
    const f = onlyFinding("ST-21", withCodes(soundTrust(), "STAT-P2", { head: "D" }));
    expect(f.severity).toBe("error");
    expect(f.cells).toEqual([at("STAT-P2", "head")]);
    expect(f.message).toContain("The headteacher who excluded the pupil cannot review the exclusion");
    expect(f.fix?.cells).toEqual([
      { rowId: "STAT-P2", columnId: "board", code: "D" },
      { rowId: "STAT-P2", columnId: "head", code: null },
    ]);
  });

  it("lets a local board panel or a board committee review them", () => {
    expect(findingsOf("ST-21", soundTrust())).toEqual([]);
    expect(findingsOf("ST-21", withCodes(soundTrust(), "STAT-P2", { finance: "D" }))).toEqual([]);
  });
});

describe("ST-22 complaints panel", () => {
  it("takes the final stage of complaints away from the headteacher", () => {
    const f = onlyFinding("ST-22", withCodes(soundTrust(), "STAT-P3", { head: "D" }));
    expect(f.severity).toBe("error");
    expect(f.cells).toEqual([at("STAT-P3", "head")]);
    expect(f.message).toContain("School leaders are directly involved");
  });

  it("does not leave the panel to the CEO alone either", () => {
    const f = onlyFinding("ST-22", withCodes(soundTrust(), "STAT-P3", { ceo: "D" }));
    expect(f.cells).toEqual([at("STAT-P3", "ceo")]);
    expect(f.fix?.cells).toEqual([
      { rowId: "STAT-P3", columnId: "board", code: "D" },
      { rowId: "STAT-P3", columnId: "ceo", code: "R" },
    ]);
  });

  it("is satisfied by a local board's panel", () => {
    expect(findingsOf("ST-22", soundTrust())).toEqual([]);
  });
});

describe("ST-23 safeguarding lead", () => {
  it("warns when safeguarding has no lead at board level", () => {
    const f = onlyFinding("ST-23", withCodes(soundTrust(), "STAT-P4", { ceo: "D", head: "E" }));
    expect(f.severity).toBe("warning");
    expect(f.cells).toEqual([at("STAT-P4", "ceo")]);
    expect(f.message).toContain("Safeguarding policy");
    expect(f.fix?.cells).toEqual([
      { rowId: "STAT-P4", columnId: "board", code: "D" },
      { rowId: "STAT-P4", columnId: "ceo", code: "R" },
    ]);
  });

  it("accepts a board committee as the lead", () => {
    expect(findingsOf("ST-23", withCodes(soundTrust(), "STAT-P4", { finance: "D", ceo: "R" }))).toEqual([]);
  });
});

describe("ST-24 accounts to members", () => {
  it("gives the members the accounts when they have no part in the accounts row", () => {
    const f = onlyFinding("ST-24", withCodes(soundTrust(), "STAT-F3", { board: "D", arc: "R" }));
    expect(f.severity).toBe("error");
    expect(f.cells).toEqual([at("STAT-F3", "members")]);
    expect(f.message).toContain("Members have no part in 12.10");
    expect(f.fix?.cells).toEqual([{ rowId: "STAT-F3", columnId: "members", code: "I" }]);
  });

  it("treats a members' cell marked not permitted as no part", () => {
    const f = onlyFinding("ST-24", withCodes(soundTrust(), "STAT-F3", { board: "D", members: "—" }));
    expect(f.fix?.cells).toEqual([{ rowId: "STAT-F3", columnId: "members", code: "I" }]);
  });

  it("is satisfied by the members' reserved-powers row when the trust has no separate accounts row", () => {
    expect(findingsOf("ST-24", withoutRows(soundTrust(), "STAT-F3"))).toEqual([]);
    expect(findingsOf("ST-24", soundTrust())).toEqual([]);
  });

  it("warns when no row gives the members the accounts", () => {
    const f = onlyFinding("ST-24", withoutRows(soundTrust(), "STAT-F3", "STAT-G3"));
    expect(f.severity).toBe("warning");
  });
});

describe("missing statutory rows", () => {
  it("warns once per rule whose rows the catalogue lacks", () => {
    const bare = scheme({ ...soundTrust(), rows: [] });
    const findings = statutoryRules.flatMap((rule) => rule.check(context(bare)));
    const missing = findings.filter((f) => f.message.includes("has no row for"));
    expect(missing.map((f) => f.ruleId)).toEqual(statutoryRules.map((r) => r.id));
    expect(missing.every((f) => f.severity === "warning")).toBe(true);
  });
});
