/**
 * The centralisation profile of one version of a scheme: the centralisation index of each
 * responsibility and the mean of each area, beside where the research places the responsibilities
 * it surveyed and where the trust's own strategy cluster would be expected to place them.
 *
 * The research reports qualitative findings, not positions on its 0–10 scale. The positions below
 * are the product's reading of those findings, reasoned row by row in docs/centralisation-profile.md.
 */
import { AREAS, areaName, UNCLASSIFIED_AREA } from "./areas";
import { catalogueEntry } from "./catalogue";
import type { StrategyCluster } from "./rules/types";
import { byArea, rowCentralisation, type Scheme } from "./scheme";

export interface ResearchPosition {
  /** The catalogue key of the surveyed responsibility (SEED-nn). */
  key: string;
  /** Across the research's trusts: the clusters' positions weighted by their size (6, 9, 2), to the nearest half. */
  overall: number;
  /** The expected position in each strategy cluster. */
  byCluster: Record<StrategyCluster, number>;
  /** What the research reports, in a sentence. */
  finding: string;
  /** domain.md's source tags and sections. */
  source: string;
}

const NO_POSITION = "The research reports no position of its own for this responsibility.";

/** The 15 surveyed responsibilities of Building Trusts (2018), in the research's order. */
export const RESEARCH_POSITIONS: readonly ResearchPosition[] = [
  {
    key: "SEED-01",
    overall: 8.5,
    byCluster: { 1: 8, 2: 9, 3: 8 },
    finding: 'The most centralised responsibility: back office functions were "the most centralised functions after recruitment of principals".',
    source: "[SEED-F] §1.2.1",
  },
  { key: "SEED-02", overall: 3.5, byCluster: { 1: 2, 2: 5, 3: 1 }, finding: NO_POSITION, source: "[SEED-F] Methodology" },
  { key: "SEED-03", overall: 2, byCluster: { 1: 1, 2: 3, 3: 1 }, finding: NO_POSITION, source: "[SEED-F] Methodology" },
  {
    key: "SEED-04",
    overall: 6.5,
    byCluster: { 1: 5, 2: 8, 3: 4 },
    finding: 'Staff wanted more standardisation here; leader development is one of MAT 30\'s "strands of consistency".',
    source: "[SEED-S]; [SEED-F] §3.2, §1.2",
  },
  {
    key: "SEED-05",
    overall: 5,
    byCluster: { 1: 3, 2: 7, 3: 2 },
    finding: 'Support for newly qualified teachers is one of MAT 30\'s "strands of consistency".',
    source: "[SEED-F] §1.2",
  },
  {
    key: "SEED-06",
    overall: 5.5,
    byCluster: { 1: 3, 2: 8, 3: 2 },
    finding: 'Trusts differ most on "creating consistent pedagogy" (median 3 against 9); MAT 26 centralised its curriculum, then handed autonomy back.',
    source: "[SEED-F] §1.2.1, §1.2",
  },
  {
    key: "SEED-07",
    overall: 6.5,
    byCluster: { 1: 4, 2: 9, 3: 3 },
    finding: 'Trusts differ most on "creating consistent pedagogy" (median 3 against 9); MAT 28 holds a school that opted out of its maths approach to account.',
    source: "[SEED-F] §1.2.1, §2.2",
  },
  {
    key: "SEED-08",
    overall: 5,
    byCluster: { 1: 2, 2: 7, 3: 3 },
    finding: 'Local tiers range from deciding boards to advisory ones; MAT 34\'s governors "carried on making the same decisions" once their boards were advisory.',
    source: "[SEED-F] §2.1.3",
  },
  {
    key: "SEED-09",
    overall: 6.5,
    byCluster: { 1: 5, 2: 8, 3: 4 },
    finding:
      "Five operating models: a hub, centralised consultants and in-house central expertise (held by the trust), cluster-based and a self-improving network (shared between schools).",
    source: "[SEED-F] §2.3.4",
  },
  {
    key: "SEED-10",
    overall: 3,
    byCluster: { 1: 2, 2: 4, 3: 1 },
    finding: "Trusts rated their own effectiveness lowest on parent and community engagement.",
    source: "[SEED-F] §3.1",
  },
  {
    key: "SEED-11",
    overall: 5,
    byCluster: { 1: 3, 2: 7, 3: 3 },
    finding: 'Behaviour is one of MAT 30\'s "strands of consistency".',
    source: "[SEED-F] §1.2",
  },
  {
    key: "SEED-12",
    overall: 3.5,
    byCluster: { 1: 2, 2: 5, 3: 1 },
    finding: 'Trusts that protect each school\'s identity leave it to the school: MAT 10 "completely let them keep their own identity".',
    source: "[SEED-F]",
  },
  {
    key: "SEED-13",
    overall: 4.5,
    byCluster: { 1: 2, 2: 7, 3: 1 },
    finding: 'Trusts that protect each school\'s identity leave it to the school: MAT 10 "completely let them keep their own identity".',
    source: "[SEED-F]",
  },
  {
    key: "SEED-14",
    overall: 8,
    byCluster: { 1: 7, 2: 9, 3: 6 },
    finding: 'Back office functions were "the most centralised functions after recruitment of principals", and staff wanted more standardisation still.',
    source: "[SEED-F] §1.2.1; [SEED-S]",
  },
  {
    key: "SEED-15",
    overall: 6,
    byCluster: { 1: 4, 2: 8, 3: 4 },
    finding: 'Staff wanted more standardisation here; MAT 10 makes schools that join adopt its tracking and assessment system ("non-negotiable").',
    source: "[SEED-S]; [SEED-F] §1.2",
  },
];

const POSITION_BY_KEY = new Map(RESEARCH_POSITIONS.map((p) => [p.key, p]));

export interface ProfileRow {
  id: string;
  ref: string;
  title: string;
  area: number;
  /** Where the row's D sits on the 0–10 scale; null when nobody (or only an outside party) decides. */
  index: number | null;
  /** Set for the research's surveyed responsibilities only. */
  research: ResearchPosition | null;
  /** The trust's cluster's expected position; null without a cluster or for a row the research did not survey. */
  clusterExpectation: number | null;
}

export interface ProfileArea {
  area: number;
  name: string;
  /** The mean index of the area's rows that have a D; null when none has. */
  mean: number | null;
  /** Rows with a D, and all the area's rows. */
  decided: number;
  rows: number;
  /** The mean research position of the surveyed responsibilities the catalogue puts in this area; null when it has none. */
  research: number | null;
  clusterExpectation: number | null;
}

export interface CentralisationProfile {
  cluster: StrategyCluster | null;
  /** Every row, by area. */
  rows: ProfileRow[];
  /** The twelve research areas in order, then unclassified rows when there are any. */
  areas: ProfileArea[];
  /** The surveyed responsibilities in this version, in the research's order. */
  surveyed: ProfileRow[];
  /** Across every row with a D. */
  mean: number | null;
  decided: number;
}

function mean(values: number[]): number | null {
  return values.length === 0 ? null : Math.round((values.reduce((a, b) => a + b, 0) / values.length) * 10) / 10;
}

/** The research areas of the surveyed responsibilities, as the default catalogue maps them (domain.md §5(a)). */
function researchArea(position: ResearchPosition): number {
  return catalogueEntry(position.key)?.area ?? UNCLASSIFIED_AREA;
}

/**
 * The profile of a version's base matrix (tier variants and schools' own variations are not part of
 * it). Rows are recognised as surveyed by their catalogue key, so a row keeps its research position
 * when the trust renames or renumbers it; the area markers stay with the catalogue's areas, because
 * they describe the research, not the trust.
 */
export function centralisationProfile(
  scheme: Pick<Scheme, "columns" | "rows" | "cells">,
  cluster: StrategyCluster | null,
): CentralisationProfile {
  const rows: ProfileRow[] = [...scheme.rows].sort(byArea).map((row) => {
    const research = POSITION_BY_KEY.get(row.catalogueKey ?? "") ?? null;
    return {
      id: row.id,
      ref: row.ref,
      title: row.title,
      area: row.area,
      index: rowCentralisation(scheme, row.id),
      research,
      clusterExpectation: research && cluster ? research.byCluster[cluster] : null,
    };
  });

  const areaNumbers: number[] = AREAS.map((a) => a.number);
  if (rows.some((r) => r.area === UNCLASSIFIED_AREA)) areaNumbers.push(UNCLASSIFIED_AREA);
  const areas = areaNumbers.map((area): ProfileArea => {
    const inArea = rows.filter((r) => r.area === area);
    const indexes = inArea.flatMap((r) => (r.index === null ? [] : [r.index]));
    const positions = RESEARCH_POSITIONS.filter((p) => researchArea(p) === area);
    return {
      area,
      name: areaName(area),
      mean: mean(indexes),
      decided: indexes.length,
      rows: inArea.length,
      research: mean(positions.map((p) => p.overall)),
      clusterExpectation: cluster ? mean(positions.map((p) => p.byCluster[cluster])) : null,
    };
  });

  const order = new Map(RESEARCH_POSITIONS.map((p, i) => [p.key, i]));
  const surveyed = rows.filter((r) => r.research).sort((a, b) => order.get(a.research!.key)! - order.get(b.research!.key)!);
  const indexes = rows.flatMap((r) => (r.index === null ? [] : [r.index]));
  return { cluster, rows, areas, surveyed, mean: mean(indexes), decided: indexes.length };
}
