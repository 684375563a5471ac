/** Running every rule at once: order, and one report per problem across families. */
import { describe, expect, it } from "vitest";
import { validateScheme } from "~/domain/rules";
import { catalogueRow, column, context, ownRow, scheme } from "./scheme-builder";

const columns = [column("members", "members"), column("board", "board"), column("local", "local"), column("head", "school")];

describe("validating a scheme", () => {
  it("reports a forbidden D on a statutory row once, as the statutory rule, and keeps SOD-04 for the trust's own rows", () => {
    const budget = catalogueRow("STAT-F1");
    const own = ownRow("own-1", { decisionKinds: ["board"] });
    const findings = validateScheme(context(scheme({ columns, rows: [budget, own], codes: { [budget.id]: { local: "D" }, [own.id]: { local: "D" } } })));
    const onBudget = findings.filter((f) => f.cells.some((c) => c.rowId === budget.id && c.columnId === "local"));
    expect(onBudget.map((f) => f.ruleId)).toContain("ST-12");
    expect(onBudget.map((f) => f.ruleId)).not.toContain("SOD-04");
    expect(findings.filter((f) => f.ruleId === "SOD-04").flatMap((f) => f.rowIds)).toEqual([own.id]);
  });

  it("lists errors before warnings before information", () => {
    const vision = catalogueRow("STAT-G1");
    const empty = ownRow("own-2");
    const findings = validateScheme(context(scheme({ columns, rows: [vision, empty], codes: { [vision.id]: { board: "D", local: "D" } } })));
    const ranks = findings.map((f) => ["error", "warning", "info"].indexOf(f.severity));
    expect(ranks.length).toBeGreaterThan(1);
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    expect(new Set(findings.map((f) => f.severity)).size).toBeGreaterThan(1);
  });
});
