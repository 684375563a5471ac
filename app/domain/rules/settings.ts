/**
 * The thresholds the checks use, kept per trust (trusts.settings.rules) and editable by the clerk.
 * The defaults are domain.md §5(c)'s proposals, not findings of the research: a trust may move them.
 */
import { z } from "zod";

export const RuleSettingsSchema = z.object({
  /** A statement rated at least this is "like us". */
  likeUs: z.number().int().min(1).max(10).default(7),
  /** A row whose centralisation index is below this is devolved (CO-01, CO-17). */
  devolvedBelow: z.number().min(0).max(10).default(5),
  /** A row whose centralisation index is at least this is centralised (CO-03, CO-06, CO-07, CO-09). */
  centralisedFrom: z.number().min(0).max(10).default(8),
  /** Schools from which a board of local chairs stops working (CO-14). */
  representationModelFrom: z.number().int().min(2).max(1000).default(5),
  /** Schools from which the CEO's role moves to director and enabler (CO-15). */
  ceoRoleFrom: z.number().int().min(2).max(1000).default(10),
  /** Schools further apart than this (km, as the crow flies) belong to different hubs (CO-16). */
  hubRadiusKm: z.number().min(1).max(500).default(40),
  /** Schools from which a trust needs a fourth tier of governance, clusters between board and schools (break-point review). */
  fourTiersFrom: z.number().int().min(2).max(1000).default(13),
  /** Schools at which a trust reaches the size the research found first financially sustainable (break-point review). */
  sustainableSizeFrom: z.number().int().min(2).max(1000).default(15),
  /** The scheme is reviewed at least this often (ST-14). */
  reviewMonths: z.number().int().min(1).max(36).default(12),
});

export type RuleSettings = z.infer<typeof RuleSettingsSchema>;

export const DEFAULT_RULE_SETTINGS: RuleSettings = RuleSettingsSchema.parse({});

export type RuleSettingKey = keyof RuleSettings;

export interface RuleSettingDescription {
  /** Names the setting on the form and in its messages. */
  label: string;
  /** What the setting decides, for the person changing it. */
  hint: string;
  /** The ids of the rules that read it. */
  rules: string[];
  unit?: string;
}

/** In the order the settings page shows them. */
export const RULE_SETTING_DESCRIPTIONS: Record<RuleSettingKey, RuleSettingDescription> = {
  likeUs: {
    label: "Rating that counts as “like us”",
    hint: "A strategy statement rated this or higher, out of 10, is one the trust says is like it; the checks then look for a scheme that matches it.",
    rules: ["CO-01", "CO-02", "CO-03", "CO-04", "CO-06", "CO-07", "CO-08", "CO-09", "CO-10"],
  },
  devolvedBelow: {
    label: "Index below which a decision is devolved",
    hint: "A decision whose centralisation index (0 headteacher, 2 local board, 5 cluster board, 8 CEO or central team, 10 the board or its committees) is below this counts as devolved to schools.",
    rules: ["CO-01", "CO-17"],
  },
  centralisedFrom: {
    label: "Index from which a decision is centralised",
    hint: "A decision whose centralisation index is this or higher counts as kept at trust level.",
    rules: ["CO-03", "CO-06", "CO-07", "CO-09"],
  },
  representationModelFrom: {
    label: "Schools at which a board of local representatives is questioned",
    hint: "From this many schools, a trust board made up of local boards’ chairs is flagged for review; the research found it impractical from about five schools.",
    rules: ["CO-14", "the break-point review"],
    unit: "schools",
  },
  ceoRoleFrom: {
    label: "Schools at which the CEO’s role is questioned",
    hint: "From this many schools, a CEO delivering school improvement with no education director or central team is flagged; the research places the CEO’s move to “director and enabler” at 10 to 15 schools.",
    rules: ["CO-15", "the break-point review"],
    unit: "schools",
  },
  hubRadiusKm: {
    label: "Distance that separates hubs",
    hint: "Schools within this distance of one another, as the crow flies, form one area; schools in two or more areas with no cluster tier is a break point.",
    rules: ["CO-16", "the break-point review"],
    unit: "km",
  },
  fourTiersFrom: {
    label: "Schools at which a cluster tier is proposed",
    hint: "From this many schools, the break-point review proposes a fourth tier of governance, cluster boards between the board and the schools, if the scheme has none; the research’s four-tier trust had 13 schools.",
    rules: ["the break-point review"],
    unit: "schools",
  },
  sustainableSizeFrom: {
    label: "Schools at which growth is weighed against capacity",
    hint: "At this many schools, the break-point review asks whether back-office decisions are kept centrally; the research found 15 schools the first financially sustainable size for many trusts.",
    rules: ["the break-point review"],
    unit: "schools",
  },
  reviewMonths: {
    label: "Longest time between reviews",
    hint: "The scheme’s review date may be at most this long after its approval; the Academy Trust Handbook expects a review every year.",
    rules: ["ST-14"],
    unit: "months",
  },
};

export interface RuleSettingRange {
  min: number;
  max: number;
  whole: boolean;
}

/** The range each setting accepts, as RuleSettingsSchema declares it. */
export function ruleSettingRange(key: RuleSettingKey): RuleSettingRange {
  const number = RuleSettingsSchema.shape[key].unwrap();
  return { min: number.minValue ?? -Infinity, max: number.maxValue ?? Infinity, whole: number.isInt };
}

/** "a whole number from 2 to 1,000". */
export function rangeInWords(key: RuleSettingKey): string {
  const { min, max, whole } = ruleSettingRange(key);
  return `${whole ? "a whole number" : "a number"} from ${min.toLocaleString("en-GB")} to ${max.toLocaleString("en-GB")}`;
}

/**
 * One setting as the form sends it: required (a blank field is a mistake, not a wish for the
 * default: restoring the defaults is its own button), in RuleSettingsSchema's range, with messages
 * that name it.
 */
function settingField(key: RuleSettingKey) {
  const { label } = RULE_SETTING_DESCRIPTIONS[key];
  const { min, max, whole } = ruleSettingRange(key);
  const outOfRange = `${label} must be ${rangeInWords(key)}.`;
  const field = z
    .number({
      error: (issue) =>
        issue.input === undefined
          ? `${label}: enter ${rangeInWords(key)}.`
          : `${label} must be written in figures, such as ${DEFAULT_RULE_SETTINGS[key]}.`,
    })
    .min(min, outOfRange)
    .max(max, outOfRange);
  return whole ? field.int(outOfRange) : field;
}

const settingFields = {
  likeUs: settingField("likeUs"),
  devolvedBelow: settingField("devolvedBelow"),
  centralisedFrom: settingField("centralisedFrom"),
  representationModelFrom: settingField("representationModelFrom"),
  ceoRoleFrom: settingField("ceoRoleFrom"),
  hubRadiusKm: settingField("hubRadiusKm"),
  fourTiersFrom: settingField("fourTiersFrom"),
  sustainableSizeFrom: settingField("sustainableSizeFrom"),
  reviewMonths: settingField("reviewMonths"),
} satisfies Record<RuleSettingKey, z.ZodType<number>>;

/**
 * The thresholds as a person sets them: every one given, each in range, and together making sense.
 * Only what cannot work is refused. A decision cannot be both devolved and centralised, so the
 * devolved cut-off may not pass the centralised one (equal is fine: the two then meet). Unusual
 * choices stand: a CEO break point below the representation one, or reviews every two years.
 */
export const RuleSettingsInputSchema = z.object(settingFields).superRefine((values, ctx) => {
  // Zod still runs this when a field is out of range; that field's own message is enough then.
  const inRange = (key: RuleSettingKey) => settingFields[key].safeParse(values[key]).success;
  if (inRange("devolvedBelow") && inRange("centralisedFrom") && values.devolvedBelow > values.centralisedFrom) {
    const { devolvedBelow, centralisedFrom } = RULE_SETTING_DESCRIPTIONS;
    ctx.addIssue({
      code: "custom",
      path: ["devolvedBelow"],
      message: `${devolvedBelow.label} (${values.devolvedBelow}) cannot be above the ${centralisedFrom.label.charAt(0).toLowerCase()}${centralisedFrom.label.slice(1)} (${values.centralisedFrom}): a decision would count as both devolved and centralised.`,
    });
  }
});
