/**
 * What the matrix page shows, worked out once and kept while the trust's matrix stamp stays where it
 * was (ADR 006): every member of a trust opens the same matrix, and a national trust's takes more
 * work to read and lay out than the rest of the page together. The stamp comes with the trust from
 * the membership check, so a page whose matrix is kept costs no query of its own. A tier's or a
 * school's scheme is kept the same way; only reading it for the first time costs one more statement.
 */
import type { Database } from "../../db/client";
import type { Tier } from "../domain/autonomy";
import { matrixView, type MatrixFilters, type MatrixScopeView } from "../domain/matrix-view";
import type { SchemeVersionInfo } from "../domain/scheme";
import { namedTier, tierNames } from "../domain/variants";
import { versionNumberFromParam } from "../domain/versions";
import { loadMatrixByNumber, type SchoolChoice, type VersionSummary } from "./matrix.server";
import { keptPages } from "./kept-pages.server";
import { isoToday, loadScopeVariants, type DecidedTier, type ScopeRequest } from "./scheme-scope.server";
import type { Trust } from "./trust.server";

/** The tier's or school's scheme the page shows. */
export type PageScope =
  | { kind: "tier"; tier: Tier; label: string }
  | { kind: "school"; school: SchoolChoice; decided: DecidedTier | null; tierLabel: string | null };

export interface MatrixPage {
  version: SchemeVersionInfo;
  versions: VersionSummary[];
  /** The matrix view as one JSON text: Remix sends one long string far faster than 150 nested objects. */
  matrix: string;
  areasInUse: number[];
  /** The body that approved the version, by name. */
  approvedBy: string | null;
  /** The version's schools, to choose one's scheme. */
  schools: SchoolChoice[];
  /** The trust's names of its tiers. */
  tierNames: Record<Tier, string>;
  /** Null for the base scheme. */
  scope: PageScope | null;
}

/** Pages kept per process: a few versions and filters of a few trusts at once. */
const kept = keptPages<MatrixPage | null>(32);

/** The tier's or school's scheme as the page names it, and as the view words its marked cells. */
function scopeOf(asked: ScopeRequest, school: SchoolChoice | undefined, decided: DecidedTier | null, names: Record<Tier, string>) {
  if ("tier" in asked) {
    const label = namedTier(asked.tier, names);
    const page: PageScope = { kind: "tier", tier: asked.tier, label };
    const view: MatrixScopeView = { layer: "tier", tierLabel: label, schoolName: null };
    return { page, view };
  }
  const tierLabel = decided ? namedTier(decided.tier, names) : null;
  const page: PageScope = { kind: "school", school: school!, decided, tierLabel };
  const view: MatrixScopeView = { layer: "school", tierLabel, schoolName: school!.name };
  return { page, view };
}

async function workOut(
  db: Database,
  trustId: string,
  number: number,
  filters: MatrixFilters,
  asked: ScopeRequest | null,
  today: string,
): Promise<MatrixPage | null> {
  const found = await loadMatrixByNumber(db, trustId, number);
  if (!found) return null;
  const { matrix, versions, schools } = found;
  const names = tierNames(found.tierNames);
  const school = asked && "schoolId" in asked ? schools.find((s) => s.id === asked.schoolId) : undefined;
  if (asked && "schoolId" in asked && !school) return null;
  const variants = asked ? await loadScopeVariants(db, trustId, matrix.version.id, asked, today) : null;
  const scope = asked && variants ? scopeOf(asked, school, variants.decided, names) : null;
  const view = matrixView(matrix, filters, scope && variants ? { scope: scope.view, tier: variants.tier, school: variants.school } : undefined);
  return {
    version: matrix.version,
    versions,
    matrix: JSON.stringify(view),
    areasInUse: [...new Set(matrix.rows.map((r) => r.area))].sort((a, b) => a - b),
    approvedBy: matrix.version.approvedByBodyId ? (matrix.columns.find((b) => b.id === matrix.version.approvedByBodyId)?.name ?? null) : null,
    schools,
    tierNames: names,
    scope: scope?.page ?? null,
  };
}

/**
 * The page for the version named in the URL, with the tier's or school's scheme asked for; null if the
 * trust has no such version, or the version no such school. A school's decided tier depends on the
 * day (a decision can take effect later than it is recorded), so its page is kept for the day only.
 */
export function loadMatrixPage(
  db: Database,
  trust: Pick<Trust, "id" | "matrixStamp">,
  param: string | undefined,
  filters: MatrixFilters,
  scope: ScopeRequest | null = null,
  today: string = isoToday(),
): Promise<MatrixPage | null> {
  const number = versionNumberFromParam(param);
  if (number === null) return Promise.resolve(null);
  const scopeKey = scope === null ? null : "tier" in scope ? scope.tier : [scope.schoolId, today];
  const key = JSON.stringify([trust.id, trust.matrixStamp, number, filters.area, filters.columnId, scopeKey]);
  return kept.get(key, () => workOut(db, trust.id, number, filters, scope, today));
}
