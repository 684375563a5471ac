/**
 * Recording the board's approval of a draft: who approved it (the board or one of its committees),
 * at which meeting, under which minute, and when it is next reviewed. One schema checks the form in
 * the browser and on the server.
 */
import { z } from "zod";
import { LARGEST_VERSION } from "./record-versions";
import { isIsoDate, longDate, monthsAfter } from "./dates";
import type { BodyKind } from "./structure";

/** The kinds of body that can approve a scheme of delegation: the trust board, or a committee it delegates that to. */
export const APPROVING_KINDS = ["board", "committee"] as const satisfies readonly BodyKind[];

export function canApprove(kind: string): boolean {
  return (APPROVING_KINDS as readonly string[]).includes(kind);
}

/** A scheme is reviewed at least every year: the next review falls 12 months after the meeting unless the clerk says otherwise. */
export const REVIEW_MONTHS = 12;

export function defaultReviewDate(meetingOn: string): string {
  return monthsAfter(meetingOn, REVIEW_MONTHS);
}

const date = (missing: string) =>
  z
    .string({ error: missing })
    .trim()
    .min(1, missing)
    .refine(isIsoDate, "Enter a real date, for example 2026-03-12");

/**
 * The approval form, for a trust whose approving bodies are `bodyIds`, on `today` (England's date).
 * The meeting cannot be in the future; the next review must come after the meeting.
 */
export function approvalSchema({ today, bodyIds }: { today: string; bodyIds: readonly string[] }) {
  return z
    .object({
      version: z.number({ error: "The form was incomplete; open the approval page again" }).int().min(1).max(LARGEST_VERSION, "The form is out of date; open the approval page again"),
      approvedByBodyId: z
        .string({ error: "Choose the body that approved the scheme" })
        .refine((id) => bodyIds.includes(id), "Choose the board or one of its committees: only they can approve the scheme"),
      approvedOn: date("Enter the date of the meeting that approved the scheme").refine(
        (d) => !isIsoDate(d) || d <= today,
        `The meeting cannot be in the future: enter a date on or before ${longDate(today)}`,
      ),
      minuteRef: z.string().trim().max(100, "Use at most 100 characters for the minute reference").optional(),
      reviewDueOn: date("Enter when the scheme is next to be reviewed"),
    })
    .superRefine((value, ctx) => {
      if (isIsoDate(value.approvedOn) && isIsoDate(value.reviewDueOn) && value.reviewDueOn <= value.approvedOn) {
        ctx.addIssue({
          code: "custom",
          path: ["reviewDueOn"],
          message: `The next review must come after the meeting (${longDate(value.approvedOn)})`,
        });
      }
    });
}

export type ApprovalForm = z.output<ReturnType<typeof approvalSchema>>;
