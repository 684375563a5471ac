/**
 * The break-point review's form: at least one proposal ticked, each as the page sent it
 * (`<id>@<digest>`), and never two alternatives of one break point together.
 */
import { describe, expect, it } from "vitest";
import { DEFAULT_TIER_NAMES } from "~/domain/autonomy";
import { breakPointChoiceSchema, choiceValue, parseChoice, type ProposalGroups } from "~/domain/break-point-choice";
import { reviewBreakPoints } from "~/domain/break-point-review";
import { DEFAULT_RULE_SETTINGS } from "~/domain/rules/settings";
import { UNRATED_STRATEGY } from "~/domain/strategy";
import { column, ownRow, scheme, school } from "./rules/scheme-builder";

const groups: ProposalGroups = {
  "joiners/reopen": {
    group: "joiners",
    title: "Reopen: consult every headteacher on the common approach again",
  },
  "joiners/keep": { group: "joiners", title: "Keep: the joiners adopt the scheme as it stands" },
  "joiners/align": { group: "joiners", title: "Align: the joiners start under transition boards" },
  "review/start": { group: null, title: "Start the review: a new draft from version 2" },
  "size-ceo-role/education-director": { group: null, title: "Add a director of education to deliver school improvement" },
  "performance/variant-T4": { group: null, title: "Add the Intervention variant" },
};

const schema = breakPointChoiceSchema(groups);

function messages(result: ReturnType<typeof schema.safeParse>): string[] {
  return result.success ? [] : result.error.issues.map((issue) => issue.message);
}

describe("choiceValue and parseChoice", () => {
  it("write a proposal as its id and digest, and read it back", () => {
    for (const id of Object.keys(groups)) {
      const proposal = { id, digest: "0a1b2c3d" };
      expect(parseChoice(choiceValue(proposal))).toEqual(proposal);
    }
    expect(choiceValue({ id: "review/start", digest: "0a1b2c3d" })).toBe("review/start@0a1b2c3d");
  });

  it("refuse what is not a choice the page made", () => {
    for (const value of ["review/start", "review/start@0a1b2c3", "review/start@0A1B2C3D", "review@0a1b2c3d", "review/start@0a1b2c3d; drop", ""]) {
      expect(() => parseChoice(value), value).toThrow(/Not a proposal choice/);
    }
  });
});

describe("breakPointChoiceSchema", () => {
  it("asks for at least one proposal when none is ticked", () => {
    expect(messages(schema.safeParse({}))).toEqual(["Choose at least one proposal to apply."]);
    expect(messages(schema.safeParse({ proposals: [] }))).toEqual(["Choose at least one proposal to apply."]);
  });

  it("refuses two alternatives of one break point, naming both", () => {
    const result = schema.safeParse({
      proposals: ["joiners/reopen@00000001", "joiners/align@00000002", "review/start@00000003"],
    });
    expect(result.success).toBe(false);
    const [message, ...rest] = messages(result);
    expect(rest).toEqual([]);
    expect(message).toContain("“Reopen: consult every headteacher on the common approach again”");
    expect(message).toContain("“Align: the joiners start under transition boards”");
    expect(message).toContain("are alternatives: choose one of them.");
  });

  it("refuses a value not in the page's form", () => {
    for (const value of ["joiners/reopen", "joiners/reopen@xyz", "<script>@00000000"]) {
      const result = schema.safeParse({ proposals: [value] });
      expect(result.success, value).toBe(false);
      expect(messages(result), value).toContain("The form was not sent as the page made it: open the review again.");
    }
  });

  it("accepts proposals that are not alternatives of one another", () => {
    const proposals = ["review/start@0a1b2c3d", "size-ceo-role/education-director@ffffffff", "joiners/keep@12345678"];
    const result = schema.safeParse({ proposals });
    expect(result.success).toBe(true);
    expect(result.data?.proposals).toEqual(proposals);
  });

  it("lets a choice through that the review does not know: the server refuses it when it applies", () => {
    expect(schema.safeParse({ proposals: ["geography/clusters@0a1b2c3d"] }).success).toBe(true);
  });

  it("accepts every proposal the review makes, as the page writes it, including a tier's variant", () => {
    const trust = scheme({
      columns: [column("board", "board", { name: "Trust board" }), column("ceo", "executive", { name: "CEO" }), column("lgb", "local", { name: "Local governing body" })],
      rows: [ownRow("r1")],
      schools: [school("s1", { name: "Oak Primary School" })],
      codes: { r1: { lgb: "D" } },
    });
    const breakPoints = reviewBreakPoints({
      today: "2026-11-23",
      scheme: trust,
      draft: null,
      approved: { number: 2, approvedOn: "2025-09-01", reviewDueOn: "2026-09-01", schoolIds: ["s1"] },
      strategy: UNRATED_STRATEGY,
      settings: DEFAULT_RULE_SETTINGS,
      standings: { s1: { decided: "T2", recommended: "T4", reasons: [] } },
      tierNames: DEFAULT_TIER_NAMES,
      transitionMonths: 12,
    });
    const proposals = breakPoints.flatMap((b) => b.proposals);
    expect(proposals.map((p) => p.id).sort()).toEqual(["performance/variant-T4", "review/start"]);
    const reviewGroups: ProposalGroups = Object.fromEntries(proposals.map((p) => [p.id, { group: p.group, title: p.title }]));
    const values = proposals.map(choiceValue);
    expect(breakPointChoiceSchema(reviewGroups).safeParse({ proposals: values }).success).toBe(true);
    expect(values.map(parseChoice)).toEqual(proposals.map((p) => ({ id: p.id, digest: p.digest })));
  });
});
