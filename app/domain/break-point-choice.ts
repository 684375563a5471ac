/**
 * The break-point review's form: the proposals ticked, each sent as `<id>@<digest>` so the server can
 * tell a proposal that changed since the page was read. One schema for the browser and the server,
 * made from the review's proposals so both refuse two alternatives of one break point together.
 */
import { z } from "zod";
import type { Proposal } from "./break-point-review";

const CHOICE = /^([A-Za-z0-9-]+\/[A-Za-z0-9-]+)@([0-9a-f]{8})$/;

export const choiceValue = (proposal: Pick<Proposal, "id" | "digest">): string => `${proposal.id}@${proposal.digest}`;

export function parseChoice(value: string): { id: string; digest: string } {
  const match = CHOICE.exec(value);
  if (!match) throw new Error(`Not a proposal choice: ${value}`);
  return { id: match[1]!, digest: match[2]! };
}

export type ProposalGroups = Record<string, { group: string | null; title: string }>;

export function breakPointChoiceSchema(proposals: ProposalGroups) {
  return z.object({
    proposals: z
      .array(z.string(), { error: "Choose at least one proposal to apply." })
      .min(1, "Choose at least one proposal to apply.")
      .superRefine((values, ctx) => {
        // Reported on the list, not on one box: the page shows the proposals' messages together.
        if (values.some((value) => !CHOICE.test(value))) {
          ctx.addIssue({ code: "custom", message: "The form was not sent as the page made it: open the review again." });
          return;
        }
        const byGroup = new Map<string, string[]>();
        for (const value of values) {
          const known = proposals[parseChoice(value).id];
          if (known?.group) byGroup.set(known.group, [...(byGroup.get(known.group) ?? []), known.title]);
        }
        for (const titles of byGroup.values()) {
          if (titles.length > 1) {
            ctx.addIssue({ code: "custom", message: `${titles.map((t) => `“${t}”`).join(" and ")} are alternatives: choose one of them.` });
          }
        }
      }),
  });
}
