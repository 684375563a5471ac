import { describe, expect, it } from "vitest";
import type { StrategyCluster } from "~/domain/rules/types";
import { STRATEGY_STATEMENTS } from "~/domain/strategy";
import {
  CLEAR_CLUSTER_MARGIN,
  MIN_RATED,
  STRATEGY_CLUSTERS,
  deriveStrategyCluster,
  type ClusterDerivation,
} from "~/domain/strategy-cluster";

const centroid = (cluster: StrategyCluster) => [...STRATEGY_CLUSTERS.find((c) => c.cluster === cluster)!.centroid];

/** Ratings in statement order (statement 1 first); unlisted statements are not rated. */
function ratings(byStatement: Record<number, number>): (number | null)[] {
  return STRATEGY_STATEMENTS.map((_, i) => byStatement[i + 1] ?? null);
}

/** How much a rating favours one centroid over the other, worked out here from the centroids. */
function pull(reason: ClusterDerivation["reasons"][number]): number {
  const i = reason.statement - 1;
  return (reason.rating - centroid(reason.awayFrom)[i]!) ** 2 - (reason.rating - centroid(reason.towards)[i]!) ** 2;
}

// A trust that wants one way of teaching, run centrally, and cares little for each school's own ways.
const TYPICAL_CLUSTER_2 = ratings({ 10: 9, 2: 8, 3: 9, 6: 8, 8: 3, 7: 3 });

describe("the clusters", () => {
  it("are the research's three, with its counts and a 1–10 rating of every statement", () => {
    expect(STRATEGY_CLUSTERS.map((c) => [c.cluster, c.n])).toEqual([
      [1, 6],
      [2, 9],
      [3, 2],
    ]);
    for (const c of STRATEGY_CLUSTERS) {
      expect(c.centroid).toHaveLength(STRATEGY_STATEMENTS.length);
      for (const rating of c.centroid) expect(Number.isInteger(rating) && rating >= 1 && rating <= 10).toBe(true);
    }
  });
});

describe("deriving a trust's strategy cluster", () => {
  it.each([1, 2, 3] as const)("derives cluster %i, with full confidence, from its own centroid", (cluster) => {
    const derived = deriveStrategyCluster(centroid(cluster));
    expect(derived.cluster).toBe(cluster);
    expect(derived.distances[cluster]).toBe(0);
    expect(derived.confidence).toBe(1);
    expect(derived.rated).toBe(10);
  });

  it("places a typical consistent-pedagogy trust in cluster 2, naming consistent pedagogy among the reasons", () => {
    const derived = deriveStrategyCluster(TYPICAL_CLUSTER_2);
    expect(derived.cluster).toBe(2);
    expect(derived.rated).toBe(6);
    expect(derived.confidence).toBeGreaterThan(0.8);
    expect(derived.reasons.map((r) => r.statement)).toContain(10);
    expect(derived.reasons.find((r) => r.statement === 10)).toMatchObject({
      text: "Creating consistent pedagogy across all schools",
      rating: 9,
      towards: 2,
      awayFrom: 1,
    });
    expect(derived.explanation).toMatch(
      /^Closest to cluster 2 \(consistent pedagogy and school improvement\): you rate /
    );
    // One thing the trust wants and one it does not.
    expect(derived.explanation).toContain(" 9 and ");
    expect(derived.explanation).toMatch(/" 3\. Next closest is cluster 1 \(autonomy and identity\)\.$/);
  });

  it("places a trust of local governance, own curricula and school identity in cluster 1", () => {
    const derived = deriveStrategyCluster([8, 5, 4, 8, 6, 3, 7, 9, 6, 2]);
    expect(derived.cluster).toBe(1);
    expect(derived.confidence).toBeGreaterThanOrEqual(CLEAR_CLUSTER_MARGIN);
    expect(derived.explanation).toMatch(/^Closest to cluster 1 \(autonomy and identity\)/);
  });

  it("places a trust of identity and community, with no wish for central services, in cluster 3", () => {
    const derived = deriveStrategyCluster([5, 3, 2, 5, 6, 2, 5, 9, 10, 1]);
    expect(derived.cluster).toBe(3);
    expect(derived.confidence).toBeGreaterThan(0.5);
    // Community is what sets cluster 3 apart from cluster 1, its runner-up.
    expect(derived.reasons[0]).toMatchObject({ statement: 9, rating: 10, towards: 3, awayFrom: 1 });
  });

  it("finds no clear cluster for a profile exactly between clusters 1 and 2", () => {
    // Each of statements 1, 4, 7 and 8 sits half a point to one side of the two centroids' midpoint,
    // two of them towards each cluster; statements 3, 6 and 10 sit on it.
    const between = ratings({ 1: 6, 3: 6, 4: 7, 5: 5, 6: 6, 7: 6, 8: 7, 9: 5, 10: 6 });
    const derived = deriveStrategyCluster(between);
    expect(derived.distances[1]).toBe(derived.distances[2]);
    expect(derived.distances[3]).toBeGreaterThan(derived.distances[1]);
    expect(derived.cluster).toBeNull();
    expect(derived.confidence).toBe(0);
    expect(derived.explanation).toMatch(
      /^No clear cluster: your ratings sit between cluster 1 \(autonomy and identity\) and cluster 2 \(consistent pedagogy and school improvement\)\./
    );
    // The trust sees what pulls each way.
    expect(new Set(derived.reasons.map((r) => r.towards))).toEqual(new Set([1, 2]));
  });

  it("finds no clear cluster just inside the margin and one just outside it", () => {
    // From the profile between clusters 1 and 2, one point on statement 3 is not enough; two points are.
    const onePoint = ratings({ 1: 6, 3: 7, 4: 7, 5: 5, 6: 6, 7: 6, 8: 7, 9: 5, 10: 6 });
    const twoPoints = ratings({ 1: 6, 3: 7, 4: 7, 5: 5, 6: 7, 7: 6, 8: 7, 9: 5, 10: 6 });
    expect(deriveStrategyCluster(onePoint).cluster).toBeNull();
    expect(deriveStrategyCluster(onePoint).confidence).toBeLessThan(CLEAR_CLUSTER_MARGIN);
    expect(deriveStrategyCluster(twoPoints).cluster).toBe(2);
  });

  it("asks for more ratings when fewer than six statements are rated", () => {
    const five = deriveStrategyCluster(ratings({ 10: 9, 2: 8, 3: 9, 6: 8, 8: 3 }));
    expect(MIN_RATED).toBe(6);
    expect(five).toMatchObject({ cluster: null, confidence: 0, reasons: [], rated: 5 });
    expect(five.explanation).toMatch(/^Rate 1 more statement to see which strategy cluster/);
    expect(deriveStrategyCluster(ratings({ 10: 9, 2: 8, 3: 9 })).explanation).toMatch(/^Rate 3 more statements /);
    expect(deriveStrategyCluster([]).rated).toBe(0);
  });

  it("counts a half point or a NaN as not rated, and any whole number as rated", () => {
    const halfPoint = [...TYPICAL_CLUSTER_2];
    halfPoint[9] = 8.5;
    expect(deriveStrategyCluster(halfPoint)).toMatchObject({ cluster: null, rated: 5 });
    const notANumber = [...TYPICAL_CLUSTER_2];
    notANumber[9] = Number.NaN;
    expect(deriveStrategyCluster(notANumber).rated).toBe(5);
    // Out of range is the caller's to check: the ratings still count.
    expect(deriveStrategyCluster([0, 11, 11, 0, 5, 11, 0, 0, 5, 11]).cluster).toBe(2);
  });

  it("gives the ratings that most separate the nearest cluster from the runner-up, largest first, pointing its way", () => {
    for (const profile of [TYPICAL_CLUSTER_2, [8, 5, 4, 8, 6, 3, 7, 9, 6, 2], [5, 3, 2, 5, 6, 2, 5, 9, 10, 1]]) {
      const derived = deriveStrategyCluster(profile);
      const runnerUp = ([1, 2, 3] as const)
        .filter((c) => c !== derived.cluster)
        .sort((a, b) => derived.distances[a] - derived.distances[b])[0];
      expect(derived.reasons.length).toBeGreaterThanOrEqual(3);
      expect(derived.reasons.length).toBeLessThanOrEqual(4);
      const pulls = derived.reasons.map(pull);
      expect(pulls).toEqual([...pulls].sort((a, b) => b - a));
      for (const reason of derived.reasons) {
        expect(reason).toMatchObject({ towards: derived.cluster, awayFrom: runnerUp });
        expect(reason.text).toBe(STRATEGY_STATEMENTS[reason.statement - 1]);
        expect(reason.rating).toBe(profile[reason.statement - 1]);
        expect(pull(reason)).toBeGreaterThan(0);
      }
      // No rating left out pulls harder towards the cluster than the last one given.
      const weakest = Math.min(...pulls);
      profile.forEach((rating, i) => {
        if (rating === null || derived.reasons.some((r) => r.statement === i + 1)) return;
        const leftOut = { statement: i + 1, text: "", rating, towards: derived.cluster!, awayFrom: runnerUp! };
        expect(pull(leftOut)).toBeLessThanOrEqual(weakest);
      });
    }
  });

  it("never moves a trust further from a centroid when one rating moves a point towards it", () => {
    // A fixed-seed generator, so that a failure can be reproduced.
    let seed = 2018;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let trial = 0; trial < 100; trial++) {
      const profile = STRATEGY_STATEMENTS.map(() => (random() < 0.2 ? null : 1 + Math.floor(random() * 10)));
      for (const cluster of [1, 2, 3] as const) {
        const target = centroid(cluster);
        const before = deriveStrategyCluster(profile).distances[cluster];
        profile.forEach((rating, i) => {
          if (rating === null || rating === target[i]) return;
          const moved = [...profile];
          moved[i] = rating + Math.sign(target[i]! - rating);
          expect(deriveStrategyCluster(moved).distances[cluster]).toBeLessThan(before);
        });
      }
    }
  });
});
