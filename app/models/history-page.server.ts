/**
 * A history page, read once and kept while the trust's history stamp and matrix stamp stay where they
 * were (ADR 014): every audit entry moves the first, and the rows' names and the versions' states the
 * page shows move the second. Both come with the trust from the membership check, so a page kept
 * costs no query at all; people paging through a busy trust's history meet the same pages.
 */
import type { Database } from "../../db/client";
import { historyPageView, type HistoryScope } from "./history.server";
import { keptPages } from "./kept-pages.server";
import type { Trust } from "./trust.server";

/** The address's parts a page depends on; anything else in the address is ignored. */
const ADDRESS = ["person", "from", "to", "kind", "before", "after"] as const;

type HistoryPageResult = Awaited<ReturnType<typeof historyPageView>>;

/** A few filters and pages of a few trusts' histories at once. */
const kept = keptPages<HistoryPageResult>(64);

export function loadHistoryPage<S extends HistoryScope>(
  db: Database,
  trust: Pick<Trust, "id" | "historyStamp" | "matrixStamp">,
  scope: S,
  params: URLSearchParams,
): ReturnType<typeof historyPageView<S>> {
  if (scope.trustId !== trust.id) throw new Error("A history page is read for the trust whose stamps it is kept under.");
  const address = ADDRESS.map((name) => params.get(name));
  const key = JSON.stringify([scope, trust.historyStamp, trust.matrixStamp, address]);
  return kept.get(key, () => historyPageView(db, scope, params)) as ReturnType<typeof historyPageView<S>>;
}
