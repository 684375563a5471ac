/**
 * A recorded decision placing a school in an autonomy tier (EA-10): who decided (the board or one of
 * its committees), when, from when it applies, on what evidence, and when it is next reviewed.
 * One schema for the form and the server; `today` is passed in so that it stays pure.
 */
import { z } from "zod";
import { DEFAULT_TIER_NAMES, TIERS } from "./autonomy";
import { isIsoDate } from "./dates";
import type { BodyKind } from "./structure";

/** Only the board, or a committee it delegates to, may move a school between tiers. */
export const TIER_DECIDERS: readonly BodyKind[] = ["board", "committee"];

const isoDate = (what: string) =>
  z
    .string({ error: `Give ${what}` })
    .regex(/^\d{4}-\d{2}-\d{2}$/, `Give ${what} as a date`)
    .refine(isIsoDate, `Give ${what} as a real date`);

export function tierDecisionSchema(today: string) {
  return z
    .object({
      tier: z.enum(TIERS, { error: `Choose a tier: ${TIERS.map((t) => `${DEFAULT_TIER_NAMES[t]} (${t})`).join(", ")}` }),
      decidedByBodyId: z.uuid({ error: "Choose the body that decided: the board or one of its committees" }),
      decidedOn: isoDate("the date of the decision").refine((d) => d <= today, "The decision cannot be dated in the future"),
      effectiveFrom: isoDate("the date the tier applies from"),
      nextReviewOn: isoDate("the date of the next review"),
      evidence: z
        .string({ error: "Say what the decision rests on (e.g. the review, inspection or minutes)" })
        .trim()
        .min(1, "Say what the decision rests on (e.g. the review, inspection or minutes)")
        .max(2000, "Keep the evidence to 2,000 characters"),
    })
    .superRefine((value, ctx) => {
      if (value.nextReviewOn < value.decidedOn) {
        ctx.addIssue({ code: "custom", path: ["nextReviewOn"], message: "The next review cannot come before the decision" });
      }
      if (value.effectiveFrom < value.decidedOn) {
        ctx.addIssue({ code: "custom", path: ["effectiveFrom"], message: "A tier cannot apply from before it was decided" });
      }
    });
}

export type TierDecisionInput = z.infer<ReturnType<typeof tierDecisionSchema>>;
