/** The tiers page's form: text in, a policy out, judged by the domain's schema with its messages on the fields the form names. */
import { parseWithZod } from "@conform-to/zod/v4";
import { describe, expect, it } from "vitest";
import { TIERS } from "~/domain/autonomy";
import { DEFAULT_TIER_POLICY, type TierPolicy } from "~/domain/tier-policy";
import { TierPolicyFormSchema, tierPolicyForm, type TierPolicyForm } from "~/domain/tier-policy-form";

/** The form as the browser posts it: one field per leaf, named by its path. */
function formData(form: TierPolicyForm): FormData {
  const data = new FormData();
  const add = (prefix: string, value: unknown) => {
    if (value !== null && typeof value === "object") for (const [key, inner] of Object.entries(value)) add(prefix ? `${prefix}.${key}` : key, inner);
    else data.append(prefix, String(value));
  };
  add("", form);
  return data;
}

function edited(change: (form: TierPolicyForm) => void, policy: TierPolicy = DEFAULT_TIER_POLICY): FormData {
  const form = structuredClone(tierPolicyForm(policy));
  change(form);
  return formData(form);
}

function parse(data: FormData) {
  return parseWithZod(data, { schema: TierPolicyFormSchema, disableAutoCoercion: true });
}

function errors(data: FormData): Record<string, string[]> {
  const submission = parse(data);
  expect(submission.status).toBe("error");
  return (submission.reply().error ?? {}) as Record<string, string[]>;
}

describe("the tier policy form", () => {
  it("reads the default policy back from its own starting values", () => {
    const submission = parse(formData(tierPolicyForm(DEFAULT_TIER_POLICY)));
    expect(submission.status).toBe("success");
    expect(submission.status === "success" && submission.value).toEqual(DEFAULT_TIER_POLICY);
  });

  it("writes numbers as figures, none as a blank choice and yes or no for the deficit", () => {
    const form = tierPolicyForm({
      ...DEFAULT_TIER_POLICY,
      tiers: { ...DEFAULT_TIER_POLICY.tiers, T1: { ...DEFAULT_TIER_POLICY.tiers.T1, criteria: { ...DEFAULT_TIER_POLICY.tiers.T1.criteria, minSafeguardingAudit: null, noUnplannedDeficit: false } } },
    });
    expect(form.tiers.T1.reviewsPerYear).toBe("2");
    expect(form.tiers.T1.criteria.minLegacyGrade).toBe("2");
    expect(form.tiers.T1.criteria.minSafeguardingAudit).toBe("");
    expect(form.tiers.T1.criteria.noUnplannedDeficit).toBe("no");
    expect(form.outcomesBands).toBe(DEFAULT_TIER_POLICY.outcomesBands.join("\n"));
  });

  it("reads blank choices as none, the bands one a line, and keeps a tier's scheme text blank if so given", () => {
    const submission = parse(
      edited((form) => {
        form.tiers.T1.criteria.minReportCardGrade = "";
        form.tiers.T3.criteria.reportCardGradeFrom = "";
        form.tiers.T1.criteria.glassCeilingBand = "";
        form.tiers.T1.criteria.noUnplannedDeficit = "no";
        form.tiers.T2.description = "  ";
        form.tiers.T2.criteria.schemeChanges = "";
        form.tiers.T2.reviewsPerYear = " 4 ";
        form.outcomesBands = "Low\r\n\n  Middle \nHigh\n";
        form.tiers.T1.criteria.minOutcomesBand = "Middle";
      }),
    );
    expect(submission.status).toBe("success");
    if (submission.status !== "success") return;
    expect(submission.value.tiers.T1.criteria).toMatchObject({ minReportCardGrade: null, glassCeilingBand: null, minOutcomesBand: "Middle", noUnplannedDeficit: false });
    expect(submission.value.tiers.T3.criteria.reportCardGradeFrom).toBeNull();
    expect(submission.value.tiers.T2).toMatchObject({ description: null, reviewsPerYear: 4, criteria: { schemeChanges: "" } });
    expect(submission.value.outcomesBands).toEqual(["Low", "Middle", "High"]);
  });

  it.each([
    ["0", "Reviews a year must be a whole number from 1 to 12."],
    ["13", "Reviews a year must be a whole number from 1 to 12."],
    ["2.5", "Reviews a year must be a whole number from 1 to 12."],
    ["two", "Reviews a year must be a whole number from 1 to 12."],
    ["", "Reviews a year must be a whole number from 1 to 12."],
  ])("refuses %j reviews a year on that tier's field", (value, message) => {
    expect(errors(edited((form) => (form.tiers.T2.reviewsPerYear = value)))["tiers.T2.reviewsPerYear"]).toEqual([message]);
  });

  it("refuses a blank name and two tiers of one name", () => {
    const refused = errors(
      edited((form) => {
        form.tiers.T0.name = " ";
        form.tiers.T3.name = "standard";
      }),
    );
    expect(refused["tiers.T0.name"]).toEqual(["Give tier T0 a name."]);
    expect(refused["tiers.T3.name"]).toEqual(['Tiers T2 and T3 are both called "standard": give each its own name.']);
  });

  it("refuses a T1 legacy grade no better than the one that calls for support, on T3's field", () => {
    const refused = errors(edited((form) => (form.tiers.T1.criteria.minLegacyGrade = "3")));
    expect(refused["tiers.T3.criteria.legacyGradeFrom"]).toEqual([
      "A legacy grade of Requires improvement would both earn autonomy and call for support: the grade that earns autonomy (Requires improvement or better) must be better than the one from which support starts (Requires improvement or worse).",
    ]);
  });

  it("refuses a band threshold that is not one of the trust's bands, naming them", () => {
    const refused = errors(edited((form) => (form.outcomesBands = "Low\nHigh")));
    expect(refused["tiers.T1.criteria.minOutcomesBand"]).toEqual(['"Average" is not one of the trust\'s outcomes bands (Low, High).']);
    expect(refused["tiers.T1.criteria.glassCeilingBand"]).toEqual(['"Above average" is not one of the trust\'s outcomes bands (Low, High).']);
  });

  it("refuses bands that cannot work: one only, or two of a name", () => {
    expect(errors(edited((form) => (form.outcomesBands = "Average")))["outcomesBands"]).toEqual(["List at least two outcomes bands, lowest first."]);
    expect(errors(edited((form) => (form.outcomesBands = "Low\nlow\nHigh")))["outcomesBands"]).toEqual(["Each outcomes band needs a name of its own."]);
  });

  it("refuses a grade off its scale and a deficit answer that is neither yes nor no", () => {
    const refused = errors(
      edited((form) => {
        form.tiers.T3.criteria.legacyGradeFrom = "5";
        form.tiers.T1.criteria.minReportCardGrade = "good";
        form.tiers.T1.criteria.noUnplannedDeficit = "maybe";
      }),
    );
    expect(refused["tiers.T3.criteria.legacyGradeFrom"]).toEqual(["The legacy grade that calls for support must be a legacy grade from 1 (Outstanding) to 4 (Inadequate)."]);
    expect(refused["tiers.T1.criteria.minReportCardGrade"]).toEqual([
      "The weakest report-card grade for earned autonomy must be one of the report card's five grades, from Exceptional to Urgent improvement.",
    ]);
    expect(refused["tiers.T1.criteria.noUnplannedDeficit"]).toEqual(["Say whether an unplanned deficit rules out earned autonomy."]);
  });

  it("asks for what a post leaves out rather than guessing it", () => {
    const data = formData(tierPolicyForm(DEFAULT_TIER_POLICY));
    data.delete("tiers.T4.criteria.improvingReviewsToLeave");
    data.delete("outcomesBands");
    const refused = errors(data);
    expect(refused["tiers.T4.criteria.improvingReviewsToLeave"]).toEqual(["Consecutive improving reviews to leave the tier must be a whole number from 1 to 6."]);
    expect(refused["outcomesBands"]).toEqual(["List the trust's outcomes bands, lowest first."]);
  });

  it("names every tier's fields by the policy's own paths", () => {
    const names = [...formData(tierPolicyForm(DEFAULT_TIER_POLICY)).keys()];
    for (const tier of TIERS) expect(names).toContain(`tiers.${tier}.criteria.schemeChanges`);
    expect(names).toContain("tiers.T1.criteria.minLegacyGrade");
  });
});
