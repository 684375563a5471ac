/**
 * The tier policy as the tiers page's form sends it: every value a piece of text (a number typed, a
 * choice from a list where "" means none, yes or no, the outcomes bands one a line). Reading the
 * form turns that text into a policy and hands it to TierPolicySchema, so the browser and the server
 * refuse the same things with the same messages, on fields named as the policy names them
 * (tiers.T1.criteria.minLegacyGrade).
 */
import { z } from "zod";
import type { Tier } from "./autonomy";
import { TierPolicySchema, type TierCriteriaByTier, type TierPolicy } from "./tier-policy";

export interface TierForm<T extends Tier = Tier> {
  tier: T;
  name: string;
  description: string;
  reviewsPerYear: string;
  criteria: Record<keyof TierCriteriaByTier[T], string>;
}

export interface TierPolicyForm {
  tiers: { [T in Tier]: TierForm<T> };
  /** One band a line, lowest first. */
  outcomesBands: string;
}

function asText(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "boolean") return value ? "yes" : "no";
  return String(value);
}

/** The form's starting values: the policy as text. */
export function tierPolicyForm(policy: TierPolicy): TierPolicyForm {
  const tier = <T extends Tier>(t: T): TierForm<T> => {
    const definition = policy.tiers[t];
    const criteria = Object.fromEntries(Object.entries(definition.criteria).map(([key, value]) => [key, asText(value)]));
    return { tier: t, name: definition.name, description: asText(definition.description), reviewsPerYear: String(definition.reviewsPerYear), criteria: criteria as TierForm<T>["criteria"] };
  };
  return {
    tiers: { T0: tier("T0"), T1: tier("T1"), T2: tier("T2"), T3: tier("T3"), T4: tier("T4") },
    outcomesBands: policy.outcomesBands.join("\n"),
  };
}

/** Figures only: anything else is left as text, for the schema to refuse with its own message. */
function figure(text: string): number | string | undefined {
  const trimmed = text.trim();
  if (trimmed === "") return undefined;
  return /^-?\d+(\.\d+)?$/.test(trimmed) ? Number(trimmed) : text;
}

/**
 * A form value as the policy's schema expects it, read by the schema's own shape: a blank choice is
 * null where null means "none", a number is read from figures, yes and no are booleans, and a list
 * is one item a line. What is missing stays missing, for the schema to ask for.
 */
function fromText(schema: z.ZodType, value: unknown): unknown {
  if (schema instanceof z.ZodObject) {
    if (value === null || typeof value !== "object" || Array.isArray(value)) return value;
    const given = value as Record<string, unknown>;
    return Object.fromEntries(Object.entries(schema.shape as Record<string, z.ZodType>).map(([key, field]) => [key, fromText(field, given[key])]));
  }
  if (typeof value !== "string") return value;
  if (schema instanceof z.ZodNullable) return value.trim() === "" ? null : fromText(schema.unwrap() as z.ZodType, value);
  if (schema instanceof z.ZodArray) return value.split(/\r?\n/).map((line) => line.trim()).filter((line) => line !== "");
  if (schema instanceof z.ZodNumber) return figure(value);
  if (schema instanceof z.ZodBoolean) return value === "yes" ? true : value === "no" ? false : value;
  return value;
}

/** The policy the form describes, judged by the domain's schema. Parse with Conform's automatic coercion off: this does it. */
export const TierPolicyFormSchema = z.preprocess((value) => fromText(TierPolicySchema, value), TierPolicySchema);

