import { describe, expect, it } from "vitest";
import { AREAS } from "~/domain/areas";
import { catalogueEntry } from "~/domain/catalogue";
import { centralisationProfile, RESEARCH_POSITIONS } from "~/domain/centralisation-profile";
import { STRATEGY_CLUSTERS } from "~/domain/strategy-cluster";
import { catalogueRow, column, ownRow, scheme } from "./rules/scheme-builder";

const columns = [
  column("Board", "board"),
  column("Finance", "committee"),
  column("CEO", "executive"),
  column("Cluster", "cluster"),
  column("LGB", "local"),
  column("Head", "school"),
  column("Diocese", "external"),
];

function position(key: string) {
  return RESEARCH_POSITIONS.find((p) => p.key === key)!;
}

describe("the centralisation profile of a scheme", () => {
  const sample = scheme({
    columns,
    rows: [
      catalogueRow("SEED-06"),
      catalogueRow("SEED-07"),
      catalogueRow("DER-02"),
      catalogueRow("SEED-14"),
      catalogueRow("STAT-F1"),
      catalogueRow("SEED-01"),
      ownRow("own-1", { area: 12 }),
    ],
    codes: {
      "SEED-06": { Head: "D", CEO: "M" },
      "SEED-07": { CEO: "D", Head: "E" },
      "DER-02": { CEO: "R" },
      "SEED-14": { CEO: "D" },
      "STAT-F1": { Board: "D", Finance: "R" },
      "SEED-01": { Diocese: "D" },
      "own-1": { LGB: "D" },
    },
  });

  it("places each row where its D sits, and has no index for a row without one or decided only outside the trust", () => {
    const { rows } = centralisationProfile(sample, null);
    const index = Object.fromEntries(rows.map((r) => [r.id, r.index]));
    expect(index).toEqual({ "SEED-06": 0, "SEED-07": 8, "DER-02": null, "SEED-14": 8, "STAT-F1": 10, "SEED-01": null, "own-1": 2 });
  });

  it("gives each area the mean of its rows that have a D, with how many have one out of how many there are", () => {
    const { areas } = centralisationProfile(sample, null);
    const curriculum = areas.find((a) => a.area === 3)!;
    expect(curriculum).toMatchObject({ name: "Curriculum and pedagogy", mean: 4, decided: 2, rows: 3 });
    const backOffice = areas.find((a) => a.area === 12)!;
    expect(backOffice).toMatchObject({ mean: 6.7, decided: 3, rows: 3 });
    const leadership = areas.find((a) => a.area === 8)!;
    expect(leadership).toMatchObject({ mean: null, decided: 0, rows: 1 });
  });

  it("lists the twelve areas in order even where the scheme has no rows, and unclassified rows only when there are some", () => {
    const profile = centralisationProfile(sample, null);
    expect(profile.areas.map((a) => a.area)).toEqual(AREAS.map((a) => a.number));
    expect(profile.areas.find((a) => a.area === 2)).toMatchObject({ mean: null, decided: 0, rows: 0 });

    const withUnclassified = centralisationProfile(
      scheme({ columns, rows: [ownRow("imported", { area: 0 })], codes: { imported: { Head: "D" } } }),
      null,
    );
    expect(withUnclassified.areas.at(-1)).toMatchObject({ area: 0, name: "Unclassified", mean: 0, decided: 1, rows: 1 });
  });

  it("gives the research's position to the surveyed responsibilities only, and the cluster's expectation only with a cluster", () => {
    const without = centralisationProfile(sample, null);
    expect(without.cluster).toBeNull();
    for (const row of without.rows) expect(row.clusterExpectation).toBeNull();
    expect(without.rows.find((r) => r.id === "SEED-14")!.research).toBe(position("SEED-14"));
    for (const id of ["DER-02", "STAT-F1", "own-1"]) expect(without.rows.find((r) => r.id === id)!.research).toBeNull();

    const withCluster = centralisationProfile(sample, 2);
    expect(withCluster.cluster).toBe(2);
    expect(withCluster.rows.find((r) => r.id === "SEED-07")!.clusterExpectation).toBe(position("SEED-07").byCluster[2]);
    for (const id of ["DER-02", "STAT-F1", "own-1"]) expect(withCluster.rows.find((r) => r.id === id)!.clusterExpectation).toBeNull();
  });

  it("marks an area with the mean position of the surveyed responsibilities the catalogue puts there, and leaves unsurveyed areas unmarked", () => {
    const none = centralisationProfile(sample, null);
    const curriculum = none.areas.find((a) => a.area === 3)!;
    expect(curriculum.research).toBe((position("SEED-06").overall + position("SEED-07").overall) / 2);
    expect(curriculum.clusterExpectation).toBeNull();
    expect(none.areas.find((a) => a.area === 2)).toMatchObject({ research: null, clusterExpectation: null });

    const cluster1 = centralisationProfile(sample, 1);
    expect(cluster1.areas.find((a) => a.area === 3)!.clusterExpectation).toBe((position("SEED-06").byCluster[1] + position("SEED-07").byCluster[1]) / 2);
    // Extra-curricular activities holds no surveyed responsibility, whatever the cluster.
    expect(cluster1.areas.find((a) => a.area === 2)!.clusterExpectation).toBeNull();
    // The research's markers describe the research, so an area keeps them though the scheme has no row there.
    expect(cluster1.areas.find((a) => a.area === 7)).toMatchObject({ rows: 0, research: expect.any(Number), clusterExpectation: expect.any(Number) });
  });

  it("recognises a surveyed responsibility by its catalogue key, renamed or moved, and lists them in the research's order", () => {
    const renamed = scheme({
      columns,
      rows: [catalogueRow("SEED-14", { title: "Central services", ref: "B1", area: 5 }), catalogueRow("SEED-01"), catalogueRow("SEED-09")],
      codes: { "SEED-14": { CEO: "D" } },
    });
    const profile = centralisationProfile(renamed, 3);
    expect(profile.surveyed.map((r) => r.research!.key)).toEqual(["SEED-01", "SEED-09", "SEED-14"]);
    expect(profile.surveyed[2]).toMatchObject({ title: "Central services", ref: "B1", area: 5, index: 8, clusterExpectation: position("SEED-14").byCluster[3] });
    // The trust's own area takes the row; the research's marker stays with the catalogue's area.
    expect(profile.areas.find((a) => a.area === 5)).toMatchObject({ mean: 8, decided: 1, rows: 1, research: position("SEED-15").overall });
    expect(profile.areas.find((a) => a.area === 12)).toMatchObject({ mean: null, rows: 0, research: position("SEED-14").overall });
  });

  it("gives the mean over every row with a D, and how many have one", () => {
    const profile = centralisationProfile(sample, null);
    expect(profile.decided).toBe(5);
    expect(profile.mean).toBe(5.6);
    expect(centralisationProfile(scheme({ columns, rows: [] }), 1)).toMatchObject({ mean: null, decided: 0, rows: [], surveyed: [] });
  });
});

describe("the research positions", () => {
  it("cover the 15 surveyed responsibilities of the catalogue, once each, on the 0–10 scale", () => {
    expect(RESEARCH_POSITIONS.map((p) => p.key)).toEqual(Array.from({ length: 15 }, (_, i) => `SEED-${String(i + 1).padStart(2, "0")}`));
    for (const p of RESEARCH_POSITIONS) {
      expect(catalogueEntry(p.key), p.key).toBeDefined();
      for (const value of [p.overall, ...Object.values(p.byCluster)]) {
        expect(value, p.key).toBeGreaterThanOrEqual(0);
        expect(value, p.key).toBeLessThanOrEqual(10);
      }
      expect(p.finding.length, p.key).toBeGreaterThan(0);
      expect(p.source, p.key).toMatch(/^\[SEED-[FS]\]/);
    }
  });

  it("place each responsibility overall at its clusters' positions weighted by their size, to the nearest half", () => {
    const total = STRATEGY_CLUSTERS.reduce((n, c) => n + c.n, 0);
    for (const p of RESEARCH_POSITIONS) {
      const weighted = STRATEGY_CLUSTERS.reduce((sum, c) => sum + c.n * p.byCluster[c.cluster], 0) / total;
      expect(p.overall, p.key).toBe(Math.round(weighted * 2) / 2);
    }
  });

  it("keep the research's order: principals' recruitment most centralised, then back office, in every cluster none above principals", () => {
    const byOverall = [...RESEARCH_POSITIONS].sort((a, b) => b.overall - a.overall);
    expect(byOverall.map((p) => p.key).slice(0, 2)).toEqual(["SEED-01", "SEED-14"]);
    expect(byOverall[1]!.overall).toBeGreaterThan(byOverall[2]!.overall);
    for (const { cluster } of STRATEGY_CLUSTERS) {
      const principals = position("SEED-01").byCluster[cluster];
      for (const p of RESEARCH_POSITIONS) expect(p.byCluster[cluster], `${p.key} in cluster ${cluster}`).toBeLessThanOrEqual(principals);
    }
  });

  it("keep curriculum furthest apart between the pedagogy cluster and the others, as the research's largest divergence", () => {
    for (const key of ["SEED-06", "SEED-07"]) {
      const { byCluster } = position(key);
      expect(byCluster[2] - byCluster[1], key).toBeGreaterThanOrEqual(5);
      expect(byCluster[2] - byCluster[3], key).toBeGreaterThanOrEqual(5);
    }
  });
});
