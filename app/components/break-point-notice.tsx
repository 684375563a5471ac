/**
 * The notice shown where the break-point review sends the person who applied it: the draft's
 * differences (or its matrix, when there is no approved version to compare with).
 */
import { Link } from "@remix-run/react";
import { counted } from "~/domain/counted";

export interface AppliedNotice {
  proposals: number;
  started: boolean;
}

/** Read from the address the review redirects to (`?applied=2&started=1`); null when absent or not a count. */
export function appliedNotice(params: URLSearchParams): AppliedNotice | null {
  const text = params.get("applied");
  if (text === null || !/^[1-9][0-9]{0,2}$/.test(text)) return null;
  return { proposals: Number(text), started: params.get("started") === "1" };
}

export function BreakPointNotice({ notice, slug, draft }: { notice: AppliedNotice | null; slug: string; draft: number }) {
  if (!notice) return null;
  return (
    <p className="notice notice--success" role="status">
      {counted(notice.proposals, "proposal")} of the <Link to={`/trusts/${slug}/break-points`}>break-point review</Link>{" "}
      {notice.proposals === 1 ? "was" : "were"} applied to {notice.started ? "a new draft, " : ""}draft version {draft}, and the break points are
      recorded as its reason.
    </p>
  );
}
