/**
 * A performance review of a school (DCAT's Academy Improvement Review), rated for its "travel":
 * improving, steady or declining. Two improving reviews in a row are what a promotion out of
 * support needs (EA-11); the tier sets how often they come (EA-06).
 */
import { z } from "zod";
import { isIsoDate } from "./dates";

export const REVIEW_TRAVEL = ["improving", "steady", "declining"] as const;
export type ReviewTravel = (typeof REVIEW_TRAVEL)[number];

export const REVIEW_TRAVEL_LABELS: Record<ReviewTravel, string> = { improving: "Improving", steady: "Steady", declining: "Declining" };

export function schoolReviewSchema(today: string) {
  return z.object({
    reviewedOn: z
      .string({ error: "Give the date of the review" })
      .regex(/^\d{4}-\d{2}-\d{2}$/, "Give the date of the review as a date")
      .refine(isIsoDate, "Give the date of the review as a real date")
      .refine((value) => value <= today, "A review that has happened cannot be dated in the future"),
    travel: z.enum(REVIEW_TRAVEL, { error: "Say whether the school is improving, steady or declining" }),
    summary: z.string().trim().max(2000, "Keep the summary to 2,000 characters").optional(),
  });
}

export type SchoolReviewInput = z.infer<ReturnType<typeof schoolReviewSchema>>;
