import type { StrategyCluster } from "./rules/types";
import { RATING_MAX, RATING_MIN, STRATEGY_STATEMENTS } from "./strategy";

/**
 * The research's three strategy clusters (Building Trusts, 2018, Appendix: 17 of its trusts).
 * The research describes each cluster in words only; the centroids are our reading of those words
 * on the 1–10 scale, reasoned statement by statement in docs/strategy-clusters.md.
 */
export interface StrategyClusterProfile {
  cluster: StrategyCluster;
  name: string;
  /** How many of the research's trusts fell in the cluster. */
  n: number;
  description: string;
  centroid: Centroid;
}

/** A rating for each of STRATEGY_STATEMENTS, in order: exactly ten, or it does not type-check. */
export type Centroid = RatingFor<typeof STRATEGY_STATEMENTS>;
type RatingFor<Statements> = { readonly [K in keyof Statements]: number };

export const STRATEGY_CLUSTERS: readonly StrategyClusterProfile[] = [
  {
    cluster: 1,
    name: "Autonomy and identity",
    n: 6,
    description:
      "A common vision with schools free to deliver it their own way: strong local governance, each school's own curriculum and identity, and little appetite for central savings or consistent pedagogy.",
    centroid: [9, 4, 3, 9, 5, 3, 9, 9, 5, 3],
  },
  {
    cluster: 2,
    name: "Consistent pedagogy and school improvement",
    n: 9,
    description:
      "One tried and tested way of teaching and improving schools, scaled across the trust, with administration and back office run centrally so that schools can focus on teaching and learning.",
    centroid: [4, 9, 9, 4, 5, 9, 4, 4, 5, 9],
  },
  {
    cluster: 3,
    name: "Community and identity",
    n: 2,
    description:
      "Each school keeps its own identity and works for its community, with the least interest of any cluster in scaling a model, central services or consistent pedagogy.",
    centroid: [5, 2, 2, 5, 5, 2, 6, 9, 9, 2],
  },
];

/**
 * Below this many rated statements there is no cluster: with six or more, every pair of clusters
 * differs on at least four of the statements rated, so the answer rests on the trust's ratings
 * rather than on which statements it happened to rate.
 */
export const MIN_RATED = 6;

/**
 * "No clear cluster" when the nearest cluster is less than 15 % closer than the runner-up
 * (relative gap (d2 − d1) / d2 < 0.15). From the point midway between clusters 1 and 2, moving one
 * rating by one point opens a gap of 8–10 % and moving two opens about 18 %: a trust that one point
 * on one statement would tip either way is between clusters, not in one (docs/strategy-clusters.md).
 */
export const CLEAR_CLUSTER_MARGIN = 0.15;

/** The most reasons a derivation gives. */
const MAX_REASONS = 4;

/** 5.5: a rating above it leans "like us", below it "not like us". */
const MIDDLE = (RATING_MIN + RATING_MAX) / 2;

export interface ClusterReason {
  /** 1–10, as the research numbers the statements. */
  statement: number;
  text: string;
  rating: number;
  towards: StrategyCluster;
  awayFrom: StrategyCluster;
}

export interface ClusterDerivation {
  /** The nearest cluster, or null when too few statements are rated or the profile sits between two. */
  cluster: StrategyCluster | null;
  /** The relative gap between the nearest and the runner-up, 0–1, two decimals. */
  confidence: number;
  /** Euclidean distance from the ratings to each centroid over the rated statements, two decimals. */
  distances: Record<StrategyCluster, number>;
  /** The ratings that most separate the nearest cluster from the runner-up, largest first. */
  reasons: ClusterReason[];
  rated: number;
  explanation: string;
}

/** Derives the trust's strategy cluster from its ratings of STRATEGY_STATEMENTS (index 0 = statement 1). */
export function deriveStrategyCluster(ratings: (number | null)[]): ClusterDerivation {
  // A half point or a NaN is not a rating anyone gave: it counts as not rated.
  const given: RatedStatement[] = STRATEGY_STATEMENTS.flatMap((text, i) => {
    const rating = ratings[i];
    return typeof rating === "number" && Number.isInteger(rating) ? [{ index: i, text, rating }] : [];
  });
  const rated = given.length;

  const exact = STRATEGY_CLUSTERS.map((c) => ({ profile: c, distance: distance(given, c.centroid) }));
  const distances = Object.fromEntries(exact.map((e) => [e.profile.cluster, round2(e.distance)])) as Record<
    StrategyCluster,
    number
  >;

  if (rated < MIN_RATED) {
    const more = MIN_RATED - rated;
    return {
      cluster: null,
      confidence: 0,
      distances,
      reasons: [],
      rated,
      explanation: `Rate ${more} more ${
        more === 1 ? "statement" : "statements"
      } to see which strategy cluster your trust is closest to (${MIN_RATED} of the ${
        STRATEGY_STATEMENTS.length
      } are needed).`,
    };
  }

  // Ties keep the research's order, so the same ratings always give the same answer.
  const ranked = [...exact].sort((a, b) => a.distance - b.distance);
  const nearest = ranked[0]!;
  const runnerUp = ranked[1]!;
  const gap = runnerUp.distance === 0 ? 0 : (runnerUp.distance - nearest.distance) / runnerUp.distance;
  const pulls = pullsBetween(given, nearest.profile, runnerUp.profile);
  const towardsNearest = pulls.filter((p) => p.towards === nearest.profile.cluster);

  if (gap >= CLEAR_CLUSTER_MARGIN) {
    const reasons = towardsNearest.slice(0, MAX_REASONS);
    return {
      cluster: nearest.profile.cluster,
      confidence: round2(gap),
      distances,
      reasons,
      rated,
      explanation: `Closest to ${label(nearest.profile)}: you rate ${ratingList(
        highAndLow(reasons)
      )}. Next closest is ${label(runnerUp.profile)}.`,
    };
  }

  // Between two clusters: the strongest pulls each way, so that the trust sees the tension.
  const sides = [
    {
      profile: nearest.profile,
      reasons: towardsNearest.slice(0, MAX_REASONS / 2),
    },
    {
      profile: runnerUp.profile,
      reasons: pulls.filter((p) => p.towards === runnerUp.profile.cluster).slice(0, MAX_REASONS / 2),
    },
  ];
  const because = sides
    .filter((side) => side.reasons.length > 0)
    .map((side) => `${ratingList(side.reasons.slice(0, 1))} pulls towards cluster ${side.profile.cluster}`)
    .join("; ");
  return {
    cluster: null,
    confidence: round2(gap),
    distances,
    reasons: pulls.filter((p) => sides.some((side) => side.reasons.includes(p))),
    rated,
    explanation: `No clear cluster: your ratings sit between ${label(nearest.profile)} and ${label(runnerUp.profile)}.${
      because ? ` ${because}.` : ""
    }`,
  };
}

interface RatedStatement {
  /** 0-based, as in STRATEGY_STATEMENTS and the centroids. */
  index: number;
  text: string;
  rating: number;
}

/** The centroid's rating of a statement; the Centroid type guarantees one for each. */
function at(centroid: Centroid, index: number): number {
  return centroid[index]!;
}

function distance(given: RatedStatement[], centroid: Centroid): number {
  return Math.sqrt(given.reduce((sum, s) => sum + (s.rating - at(centroid, s.index)) ** 2, 0));
}

/**
 * The rated statements on which the two clusters differ, each towards the cluster it favours,
 * strongest first. A rating's pull is the difference it makes to the two squared distances, so the
 * pulls add up to the whole difference between them; statements on which both centroids agree
 * pull neither way and are left out.
 */
function pullsBetween(given: RatedStatement[], a: StrategyClusterProfile, b: StrategyClusterProfile): ClusterReason[] {
  return (
    given
      .flatMap(({ index, text, rating }) => {
        const pull = (rating - at(b.centroid, index)) ** 2 - (rating - at(a.centroid, index)) ** 2;
        if (pull === 0) return [];
        const [towards, awayFrom] = pull > 0 ? [a.cluster, b.cluster] : [b.cluster, a.cluster];
        return [
          {
            weight: Math.abs(pull),
            reason: { statement: index + 1, text, rating, towards, awayFrom },
          },
        ];
      })
      // Among equal pulls, the firmer rating (further from the middle) says more about the trust.
      .sort(
        (x, y) =>
          y.weight - x.weight ||
          Math.abs(y.reason.rating - MIDDLE) - Math.abs(x.reason.rating - MIDDLE) ||
          x.reason.statement - y.reason.statement
      )
      .map((p) => p.reason)
  );
}

/**
 * The strongest reason and, so that the sentence shows both what the trust wants and what it
 * does not, the strongest on the other side of the middle (or else the next strongest).
 */
function highAndLow(reasons: ClusterReason[]): ClusterReason[] {
  const [first, ...rest] = reasons;
  if (!first) return [];
  const firstIsHigh = first.rating > MIDDLE;
  const second = rest.find((r) => r.rating > MIDDLE !== firstIsHigh) ?? rest[0];
  return second ? [first, second] : [first];
}

function label(profile: StrategyClusterProfile): string {
  return `cluster ${profile.cluster} (${profile.name.toLowerCase()})`;
}

function ratingList(reasons: { text: string; rating: number }[]): string {
  return reasons.map((r) => `"${r.text}" ${r.rating}`).join(" and ");
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
