/**
 * The checks' thresholds: the defaults of domain.md §5(c), a label and hint for each, and the
 * schema a person's changes pass: each value in range, and none that together cannot work.
 */
import { describe, expect, it } from "vitest";
import { RULES } from "~/domain/rules";
import {
  DEFAULT_RULE_SETTINGS,
  RULE_SETTING_DESCRIPTIONS,
  RuleSettingsInputSchema,
  RuleSettingsSchema,
  rangeInWords,
  ruleSettingRange,
} from "~/domain/rules/settings";

/** The messages of a refused input, by field. */
function refusals(input: Record<string, unknown>): Record<string, string[]> {
  const result = RuleSettingsInputSchema.safeParse(input);
  expect(result.success, JSON.stringify(input)).toBe(false);
  const byField: Record<string, string[]> = {};
  for (const issue of result.error!.issues) (byField[String(issue.path[0])] ??= []).push(issue.message);
  return byField;
}

describe("the defaults", () => {
  it("are domain.md §5(c)'s proposals", () => {
    expect(DEFAULT_RULE_SETTINGS).toEqual({
      likeUs: 7,
      devolvedBelow: 5,
      centralisedFrom: 8,
      representationModelFrom: 5,
      ceoRoleFrom: 10,
      hubRadiusKm: 40,
      fourTiersFrom: 13,
      sustainableSizeFrom: 15,
      reviewMonths: 12,
    });
  });

  it("pass the schema a person's changes must pass", () => {
    expect(RuleSettingsInputSchema.parse(DEFAULT_RULE_SETTINGS)).toEqual(DEFAULT_RULE_SETTINGS);
  });
});

describe("each setting's description", () => {
  it("exists for every setting and no other", () => {
    expect(Object.keys(RULE_SETTING_DESCRIPTIONS).sort()).toEqual(Object.keys(RuleSettingsSchema.shape).sort());
    expect(Object.keys(RuleSettingsInputSchema.shape).sort()).toEqual(Object.keys(RuleSettingsSchema.shape).sort());
  });

  it("has a label and a hint, and names rules the checks have or the break-point review", () => {
    const readers = new Set([...RULES.map((rule) => rule.id), "the break-point review"]);
    for (const [key, { label, hint, rules }] of Object.entries(RULE_SETTING_DESCRIPTIONS)) {
      expect(label.length, key).toBeGreaterThan(0);
      expect(hint.length, key).toBeGreaterThan(0);
      expect(rules.length, key).toBeGreaterThan(0);
      expect(new Set(rules).size, key).toBe(rules.length);
      for (const id of rules) expect(readers, `${key} → ${id}`).toContain(id);
    }
    // The two thresholds only the break-point review reads say so, and no check claims them.
    expect(RULE_SETTING_DESCRIPTIONS.fourTiersFrom.rules).toEqual(["the break-point review"]);
    expect(RULE_SETTING_DESCRIPTIONS.sustainableSizeFrom.rules).toEqual(["the break-point review"]);
  });

  it("gives the range the stored settings accept", () => {
    expect(ruleSettingRange("likeUs")).toEqual({ min: 1, max: 10, whole: true });
    expect(ruleSettingRange("devolvedBelow")).toEqual({ min: 0, max: 10, whole: false });
    expect(rangeInWords("likeUs")).toBe("a whole number from 1 to 10");
    expect(rangeInWords("representationModelFrom")).toBe("a whole number from 2 to 1,000");
    expect(rangeInWords("hubRadiusKm")).toBe("a number from 1 to 500");
    expect(rangeInWords("fourTiersFrom")).toBe("a whole number from 2 to 1,000");
    expect(rangeInWords("sustainableSizeFrom")).toBe("a whole number from 2 to 1,000");
  });
});

describe("a person's changes", () => {
  const likeUs = RULE_SETTING_DESCRIPTIONS.likeUs.label;

  it("are accepted when in range, decimals included where the setting allows them", () => {
    const changed = { ...DEFAULT_RULE_SETTINGS, likeUs: 8, devolvedBelow: 4.5, centralisedFrom: 9, hubRadiusKm: 12.5 };
    expect(RuleSettingsInputSchema.parse(changed)).toEqual(changed);
  });

  it("refuse a rating above 10, below 1 or not whole, naming the field", () => {
    for (const value of [11, 0, 7.5]) {
      expect(refusals({ ...DEFAULT_RULE_SETTINGS, likeUs: value })).toEqual({ likeUs: [`${likeUs} must be a whole number from 1 to 10.`] });
    }
  });

  it("refuse a value that is not a number (the form turns words into NaN) or is missing", () => {
    expect(refusals({ ...DEFAULT_RULE_SETTINGS, likeUs: Number("seven") })).toEqual({ likeUs: [`${likeUs} must be written in figures, such as 7.`] });
    const { likeUs: _, ...rest } = DEFAULT_RULE_SETTINGS;
    expect(refusals(rest)).toEqual({ likeUs: [`${likeUs}: enter a whole number from 1 to 10.`] });
  });

  it("refuse a devolved cut-off above the centralised one: a decision would be both", () => {
    expect(refusals({ ...DEFAULT_RULE_SETTINGS, devolvedBelow: 6, centralisedFrom: 5 })).toEqual({
      devolvedBelow: [
        "Index below which a decision is devolved (6) cannot be above the index from which a decision is centralised (5): a decision would count as both devolved and centralised.",
      ],
    });
  });

  it("give only the range message when the cut-off is itself out of range", () => {
    expect(refusals({ ...DEFAULT_RULE_SETTINGS, devolvedBelow: 11 })).toEqual({
      devolvedBelow: [`${RULE_SETTING_DESCRIPTIONS.devolvedBelow.label} must be a number from 0 to 10.`],
    });
  });

  it("accept what is unusual but workable", () => {
    for (const unusual of [
      { devolvedBelow: 5, centralisedFrom: 5 },
      { representationModelFrom: 12, ceoRoleFrom: 4 },
      { reviewMonths: 24 },
      { likeUs: 1 },
    ]) {
      expect(RuleSettingsInputSchema.safeParse({ ...DEFAULT_RULE_SETTINGS, ...unusual }).success, JSON.stringify(unusual)).toBe(true);
    }
  });
});
