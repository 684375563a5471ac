import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db/client";
import { cells, findingAcknowledgements, strategyProfiles, trusts } from "../../db/schema";
import { seedDemoTrust, type DemoTrust } from "../../db/seed";
import type { Command } from "~/cli/command";
import { validateCommand } from "~/cli/commands/validate";
import { runCli } from "~/cli/run";
import type { DecisionCode } from "~/domain/codes";
import { DEFAULT_RULE_SETTINGS } from "~/domain/rules/settings";
import { UNRATED_STRATEGY } from "~/domain/strategy";
import { COMMAND_LINE } from "~/models/audit.server";
import { saveRow } from "~/models/row-save.server";
import { loadScheme } from "~/models/scheme.server";
import { loadStrategy } from "~/models/strategy.server";
import { findingKey, ruleSettingsOf, validateVersion, type CheckedFinding } from "~/models/validation.server";
import { createTrust } from "~/models/trust.server";
import { today } from "~/clock.server";
import { freshDatabase } from "../support/database";

let handle: DatabaseHandle;
let demo: DemoTrust;

beforeAll(async () => {
  handle = await freshDatabase();
  demo = await seedDemoTrust(handle.db, COMMAND_LINE, TODAY);
});
afterAll(() => handle.close());

/** The demo's reviews and decisions are dated back from the day it is made: check it on the same day. */
const TODAY = today();

const validateDraft = () => validateVersion(handle.db, demo.trust.id, demo.draftVersionId, TODAY);

/** Runs `sod validate …` through the command line's own runner, on the test's database. */
async function sod(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const command: Command = { ...validateCommand, run: (a, context) => validateCommand.run(a, { ...context, database: async () => handle.db }) };
  const code = await runCli(["validate", ...args], { out: (t) => out.push(t), err: (t) => err.push(t), env: { NODE_ENV: "test" } }, [command]);
  return { code, stdout: out.join("\n"), stderr: err.join("\n") };
}

async function acknowledge(finding: CheckedFinding, reason: string): Promise<void> {
  await handle.db.insert(findingAcknowledgements).values({
    trustId: demo.trust.id,
    versionId: demo.draftVersionId,
    findingKey: finding.key,
    ruleId: finding.ruleId,
    reason,
    acknowledgedBy: demo.users.clerk.id,
  });
}

/** Puts a D for the School advisory board on the budget row (a statutory decision of the board), as an import of old data could. */
async function budgetDecidedLocally(): Promise<void> {
  const scheme = await loadScheme(handle.db, demo.trust.id, demo.draftVersionId);
  const budget = scheme.rows.find((r) => r.catalogueKey === "STAT-F1")!;
  await handle.db
    .update(cells)
    .set({ code: "D" })
    .where(
      and(eq(cells.versionId, demo.draftVersionId), eq(cells.responsibilityId, budget.id), eq(cells.bodyId, demo.bodies["School advisory board"]!.id)),
    );
}

describe("what the checks read", () => {
  it("takes the rule thresholds from settings.rules, with the defaults where absent or invalid", () => {
    expect(ruleSettingsOf({})).toEqual(DEFAULT_RULE_SETTINGS);
    expect(ruleSettingsOf(null)).toEqual(DEFAULT_RULE_SETTINGS);
    expect(ruleSettingsOf({ rules: { likeUs: 8 } })).toEqual({ ...DEFAULT_RULE_SETTINGS, likeUs: 8 });
    expect(ruleSettingsOf({ rules: { likeUs: 80 } })).toEqual(DEFAULT_RULE_SETTINGS);
    expect(ruleSettingsOf({ rules: { devolvedBelow: 9, centralisedFrom: 6 } })).toEqual(DEFAULT_RULE_SETTINGS);
    expect(ruleSettingsOf({ rules: "strict" })).toEqual(DEFAULT_RULE_SETTINGS);
  });

  it("reads the trust's strategy profile, and an unrated one when the trust has none", async () => {
    const strategy = await loadStrategy(handle.db, demo.trust.id);
    expect(strategy.ratings).toEqual([5, 9, 8, 3, 6, 8, 2, 4, 6, 9]);
    expect(strategy.improvementModel).toBe("cluster-based");
    expect(strategy.alignment[3]).toBe("central-definition");
    const other = await createTrust(handle.db, COMMAND_LINE, { name: "Swaledale Trust", slug: "swaledale" });
    await handle.db.delete(strategyProfiles).where(eq(strategyProfiles.trustId, other.id));
    expect(await loadStrategy(handle.db, other.id)).toEqual(UNRATED_STRATEGY);
  });

  it("keys a finding by its rule and what it concerns, whatever the order", () => {
    const cell = (rowId: string, columnId: string) => ({ rowId, columnId, schoolId: null });
    const a = findingKey({ ruleId: "CO-12", cells: [cell("r1", "c1"), cell("r1", "c2")], rowIds: ["r1"], schoolIds: [] });
    expect(a).toMatch(/^CO-12:[0-9a-f]{24}$/);
    expect(findingKey({ ruleId: "CO-12", cells: [cell("r1", "c2"), cell("r1", "c1")], rowIds: ["r1"], schoolIds: [] })).toBe(a);
    expect(findingKey({ ruleId: "CO-13", cells: [cell("r1", "c1"), cell("r1", "c2")], rowIds: ["r1"], schoolIds: [] })).not.toBe(a);
    expect(findingKey({ ruleId: "CO-12", cells: [cell("r1", "c1"), cell("r1", "c3")], rowIds: ["r1"], schoolIds: [] })).not.toBe(a);
  });
});

describe("checking the demo trust's draft", () => {
  it("gives a short list, without errors, each finding with its own key", async () => {
    const { findings, cluster } = await validateDraft();
    // On the seeded draft (version 3), with the demo's ratings in cluster 2:
    //   CO-13 warning: 7.3 Development of teachers: the People & Pay Committee and the Cluster governing body both monitor it (M)…
    //   CO-13 warning: 10.1 Design and delivery of school improvement approaches: the Education Standards Committee and the
    //                  Cluster governing body both monitor it (M)…
    //   EA-02 warning: Devil's Arrows Primary School is in intervention, but its advisory board is a standing board…
    //   EA-06 warning: Stray Edge Primary School's review is overdue…
    //   SOD-05 warning: the scheme gives the Cluster governing body a part, but the two joining schools belong to no cluster…
    //   EA-12 info:    Cod Beck Primary School is in transition, but its advisory board is a standing board…
    //   EA-12 info:    Flamborough Head Primary School and Bempton Cliffs Academy join on the first of the month after
    //                  next: transition applies, with a transition board, from then (one finding each)
    expect(cluster).toBe(2);
    expect(findings.map((f) => f.ruleId)).toEqual(["CO-13", "CO-13", "EA-02", "EA-06", "SOD-05", "EA-12", "EA-12", "EA-12"]);
    const joiners = [demo.schools["Bempton Cliffs Academy"]!.id, demo.schools["Flamborough Head Primary School"]!.id];
    expect([...findings.find((f) => f.ruleId === "SOD-05")!.schoolIds].sort()).toEqual(joiners.sort());
    const joining = findings.filter((f) => f.ruleId === "EA-12" && f.message.includes(" joins on "));
    expect(joining.flatMap((f) => f.schoolIds).sort()).toEqual(joiners.sort());
    for (const f of joining) expect(f.message).toContain("Transition (T0) applies, with a transition board appointed by the executive");
    expect(findings.length).toBeLessThan(15);
    expect(findings.filter((f) => f.severity === "error")).toEqual([]);
    expect(new Set(findings.map((f) => f.key)).size).toBe(findings.length);
    for (const f of findings) {
      expect(f.key.startsWith(`${f.ruleId}:`)).toBe(true);
      expect(f.acknowledged).toBeNull();
    }
  });

  it("keeps a finding's key through an edit of another row", async () => {
    const before = await validateDraft();
    const scheme = await loadScheme(handle.db, demo.trust.id, demo.draftVersionId);
    const budget = scheme.rows.find((r) => r.catalogueKey === "STAT-F1")!;
    const central = demo.bodies["Central team"]!.id;
    await saveRow(handle.db, COMMAND_LINE, {
      trustId: demo.trust.id,
      versionId: demo.draftVersionId,
      rowId: budget.id,
      codes: { [central]: "C" },
      expectedRevision: scheme.rowRevisions[budget.id] ?? 0,
    });
    const after = await validateDraft();
    expect(after.findings.map((f) => f.key)).toEqual(before.findings.map((f) => f.key));
  });

  it("marks a finding the trust has acknowledged, with its reason, and only that one", async () => {
    const { findings } = await validateDraft();
    const warning = findings.find((f) => f.ruleId === "CO-13")!;
    await acknowledge(warning, "The committee monitors the trust-wide picture and the cluster its schools.");
    const again = await validateDraft();
    expect(again.findings.find((f) => f.key === warning.key)!.acknowledged).toEqual({
      reason: "The committee monitors the trust-wide picture and the cluster its schools.",
    });
    expect(again.findings.filter((f) => f.acknowledged)).toHaveLength(1);
  });

  it("falls back to the default thresholds when the trust's stored ones are invalid", async () => {
    const before = await validateDraft();
    await handle.db.update(trusts).set({ settings: { rules: { reviewMonths: "yearly" } } }).where(eq(trusts.id, demo.trust.id));
    try {
      expect((await validateDraft()).findings.map((f) => f.key)).toEqual(before.findings.map((f) => f.key));
    } finally {
      await handle.db.update(trusts).set({ settings: {} }).where(eq(trusts.id, demo.trust.id));
    }
  });
});

describe("sod validate", () => {
  it("lists the draft's findings by severity and exits with 0 when there is no error", async () => {
    const result = await sod(["--trust", "north-dales"]);
    expect(result).toMatchObject({ code: 0, stderr: "" });
    expect(result.stdout).toContain("Checked draft version 3 of North Dales Learning Trust's scheme.");
    expect(result.stdout).toContain("Warnings (5):");
    expect(result.stdout).toContain("(acknowledged: The committee monitors the trust-wide picture and the cluster its schools.)");
    expect(result.stdout).toContain("0 errors, 5 warnings, 3 for information; 1 acknowledged.");
  });

  it("checks a version by its number, saying which", async () => {
    const result = await sod(["--trust", "north-dales", "--version", "2"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Checked version 2 (approved) of North Dales Learning Trust's scheme.");
    const first = await sod(["--trust", "north-dales", "--version", "1"]);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain("Checked version 1 (superseded) of North Dales Learning Trust's scheme.");
  });

  it("refuses an unknown trust or version with exit code 1, and a version that is not a number with 2", async () => {
    const trust = await sod(["--trust", "nowhere"]);
    expect(trust.code).toBe(1);
    expect(trust.stderr).toBe('There is no trust with the short name "nowhere". Run "sod trust list" to see the trusts.');
    const version = await sod(["--trust", "north-dales", "--version", "9"]);
    expect(version.code).toBe(1);
    expect(version.stderr).toBe("North Dales Learning Trust has no version 9 of its scheme.");
    const notNumber = await sod(["--trust", "north-dales", "--version", "latest"]);
    expect(notNumber.code).toBe(2);
    expect(notNumber.stderr).toContain('--version takes a version\'s number, e.g. 2 (not "latest").');
    const empty = await sod(["--trust", "swaledale"]);
    expect(empty.code).toBe(1);
    expect(empty.stderr).toBe("Swaledale Trust has no scheme versions yet: start a draft or import a matrix first.");
  });

  it("exits with 1 while an error is not acknowledged, and 0 once every error is", async () => {
    await budgetDecidedLocally();
    const failing = await sod(["--trust", "north-dales"]);
    expect(failing.code).toBe(1);
    expect(failing.stdout).toMatch(/Errors \(4\):\n {2}CO-05 {2}The School advisory board is advisory, yet decides \(D\) 12\.8 Approve the trust budget/);
    // The school in intervention now has a local decision in its scheme too (EA-02).
    expect(failing.stdout).toContain("  EA-02  Devil's Arrows Primary School (Intervention, T4) is in intervention, yet in its scheme the local board still decides (D) 12.8");
    expect(failing.stdout).toContain("  ST-12  12.8 \"Approve the trust budget (balanced) and significant changes to it\" is decided by School advisory board");
    expect(failing.stderr).toBe("4 errors of version 3 are not acknowledged: fix them, or acknowledge them with a reason.");

    for (const f of (await validateDraft()).findings.filter((f) => f.severity === "error")) {
      await acknowledge(f, "The advisory boards are being given budget powers for one year, approved by the members.");
    }
    const passing = await sod(["--trust", "north-dales"]);
    expect(passing).toMatchObject({ code: 0, stderr: "" });
    expect(passing.stdout).toContain("4 errors, 5 warnings, 3 for information; 5 acknowledged.");
  });

  it("prints the findings as JSON with --json", async () => {
    const result = await sod(["--trust", "north-dales", "--json"]);
    expect(result.code).toBe(0);
    const parsed = JSON.parse(result.stdout) as {
      trust: { slug: string };
      version: { number: number; status: string };
      findings: Record<string, unknown>[];
      counts: Record<string, number>;
    };
    expect(parsed.trust.slug).toBe("north-dales");
    expect(parsed.version).toEqual({ number: 3, status: "draft" });
    expect(parsed.counts).toEqual({ error: 4, warning: 5, info: 3, acknowledged: 5, unacknowledgedErrors: 0 });
    expect(parsed.findings).toHaveLength(12);
    for (const f of parsed.findings) {
      expect(Object.keys(f).sort()).toEqual(
        ["acknowledged", "cells", "family", "fix", "key", "message", "rationale", "rowIds", "ruleId", "schoolIds", "severity", "source"].sort(),
      );
    }
    expect(parsed.findings.find((f) => f.ruleId === "ST-12")).toMatchObject({
      family: "statutory",
      severity: "error",
      acknowledged: { reason: "The advisory boards are being given budget powers for one year, approved by the members." },
      fix: { label: "Keep D with Board of trustees only" },
    });
  });
});

describe("the fixes the checks offer", () => {
  it("remove their findings once applied as ordinary row saves", async () => {
    const before = await validateDraft();
    const fixed = before.findings.filter((f) => f.fix);
    // The planted budget decision's errors, and the demo's two duplicated monitorings, which its
    // cluster-based improvement model settles in favour of the clusters.
    expect(fixed.map((f) => f.ruleId).sort()).toEqual(["CO-05", "CO-13", "CO-13", "ST-12"]);

    const scheme = await loadScheme(handle.db, demo.trust.id, demo.draftVersionId);
    const byRow = new Map<string, Record<string, DecisionCode | null>>();
    for (const f of fixed) for (const c of f.fix!.cells) byRow.set(c.rowId, { ...byRow.get(c.rowId), [c.columnId]: c.code });
    for (const [rowId, codes] of byRow) {
      await saveRow(handle.db, COMMAND_LINE, {
        trustId: demo.trust.id,
        versionId: demo.draftVersionId,
        rowId,
        codes,
        expectedRevision: scheme.rowRevisions[rowId] ?? 0,
      });
    }

    const after = await validateDraft();
    const keys = new Set(after.findings.map((f) => f.key));
    for (const f of fixed) expect(keys.has(f.key), `${f.ruleId}: ${f.message}`).toBe(false);
    // The two bodies deciding the budget (CO-12, which offers no fix) went with them. What is left
    // asks for the board's decisions about schools, and for the joining schools to be put in a
    // cluster on the structure page, not for edits of the matrix.
    expect(after.findings.map((f) => f.ruleId)).toEqual(["EA-02", "EA-06", "SOD-05", "EA-12", "EA-12", "EA-12"]);
    expect(after.findings.filter((f) => f.fix)).toEqual([]);
  });
});
