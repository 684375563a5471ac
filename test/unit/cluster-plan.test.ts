/**
 * Placing schools in clusters by distance: an area of schools with no cluster gets a new one named
 * for where its schools are, a school near clustered schools joins the nearest one's cluster, and a
 * school with no grid reference cannot be placed.
 */
import { describe, expect, it } from "vitest";
import { clusterPlan, nearestDistanceKm, placeName } from "~/domain/cluster-plan";
import { board, school } from "./rules/scheme-builder";

const RADIUS_KM = 40;

/** A school at a point of the National Grid, given in kilometres. */
function at(id: string, name: string, eastKm: number, northKm: number, clusterBodyId: string | null = null) {
  return school(id, {
    name,
    easting: eastKm * 1000,
    northing: northKm * 1000,
    clusterBodyId,
  });
}

describe("placeName", () => {
  it("keeps the words that say where the school is", () => {
    expect(placeName("Flamborough Head Primary School")).toBe("Flamborough Head");
    expect(placeName("Bempton Cliffs Academy")).toBe("Bempton Cliffs");
    expect(placeName("St Mary's Church of England Primary Academy")).toBe("St Mary's");
    expect(placeName("Hull Roman Catholic High School")).toBe("Hull");
    expect(placeName("Riverside C of E Voluntary Aided Infant School")).toBe("Riverside");
    expect(placeName("Oakfield Community College")).toBe("Oakfield");
  });

  it("does not take a word's inside for a school word", () => {
    expect(placeName("Highfield Primary School")).toBe("Highfield");
    expect(placeName("Freeman's Wood Academy")).toBe("Freeman's Wood");
  });

  it("keeps the whole name when nothing but school words is left", () => {
    expect(placeName("Primary School")).toBe("Primary School");
    expect(placeName("Church of England Academy")).toBe("Church of England Academy");
  });
});

describe("clusterPlan", () => {
  it("makes one new cluster per area far from the others, named for its first school's place", () => {
    const schools = [
      at("w1", "Whitby Primary School", 490, 510),
      at("w2", "Sleights Academy", 485, 505),
      at("h1", "Hessle Primary School", 500, 425),
      at("h2", "Cottingham High School", 503, 432),
    ];
    const plan = clusterPlan(schools, [], RADIUS_KM, []);
    expect(plan.joins).toEqual([]);
    expect(plan.unplaced).toEqual([]);
    expect(plan.newClusters.map((c) => ({ name: c.name, schools: c.schools.map((s) => s.id).sort() }))).toEqual([
      { name: "Whitby cluster", schools: ["w1", "w2"] },
      { name: "Hessle cluster", schools: ["h1", "h2"] },
    ]);
  });

  it("gives every new cluster a name of its own, beside the trust's bodies and each other", () => {
    const schools = [at("a", "Whitby Primary School", 490, 510), at("b", "Whitby Church of England Academy", 390, 410)];
    const plan = clusterPlan(schools, [], RADIUS_KM, ["Trust board", "WHITBY CLUSTER"]);
    const names = plan.newClusters.map((c) => c.name);
    expect(names).toHaveLength(2);
    expect(names).toEqual(["Whitby cluster 2", "Whitby cluster 3"]);
  });

  it("joins a school in a clustered area to the cluster of its nearest clustered school", () => {
    const north = board("north", "cluster", "cluster-col", {
      name: "North cluster",
    });
    const south = board("south", "cluster", "cluster-col", { name: "South cluster" });
    const schools = [
      at("n1", "North One", 400, 300, "north"),
      at("s1", "South One", 430, 300, "south"),
      at("near-south", "Near South", 425, 300),
      at("near-north", "Near North", 404, 301),
    ];
    const plan = clusterPlan(schools, [north, south], RADIUS_KM, []);
    expect(plan.newClusters).toEqual([]);
    expect(plan.joins.map((j) => [j.school.id, j.board.id])).toEqual([
      ["near-south", "south"],
      ["near-north", "north"],
    ]);
  });

  it("treats a school whose cluster board no longer exists as unclustered", () => {
    const schools = [at("a", "Filey School", 510, 480, "gone"), at("b", "Hunmanby Primary School", 508, 477)];
    const plan = clusterPlan(schools, [], RADIUS_KM, []);
    expect(plan.newClusters).toHaveLength(1);
    expect(plan.newClusters[0]!.schools.map((s) => s.id)).toEqual(["a", "b"]);
  });

  it("leaves clustered areas alone and lists the schools it cannot place", () => {
    const north = board("north", "cluster", "cluster-col", {
      name: "North cluster",
    });
    const schools = [
      at("n1", "North One", 400, 300, "north"),
      at("n2", "North Two", 405, 300, "north"),
      school("nowhere", { name: "Nowhere School" }),
      school("placed", { name: "Placed but unmapped", clusterBodyId: "north" }),
      school("half", { name: "Half a reference", easting: 400000 }),
    ];
    const plan = clusterPlan(schools, [north], RADIUS_KM, []);
    expect(plan.newClusters).toEqual([]);
    expect(plan.joins).toEqual([]);
    expect(plan.unplaced.map((s) => s.id)).toEqual(["nowhere", "half"]);
  });

  it("reads the radius it is given", () => {
    const schools = [at("a", "Alpha School", 400, 300), at("b", "Beta School", 430, 300)];
    expect(clusterPlan(schools, [], 40, []).newClusters).toHaveLength(1);
    expect(clusterPlan(schools, [], 20, []).newClusters).toHaveLength(2);
  });
});

describe("nearestDistanceKm", () => {
  it("is the distance to the nearest other located school, in whole kilometres", () => {
    const home = at("home", "Home", 400, 300);
    const others = [home, at("far", "Far", 480, 300), at("near", "Near", 403, 304.2), school("unmapped")];
    expect(nearestDistanceKm(home, others)).toBe(5);
  });

  it("is null without a grid reference on either side", () => {
    expect(nearestDistanceKm(school("unmapped"), [at("a", "A", 400, 300)])).toBeNull();
    expect(nearestDistanceKm(at("a", "A", 400, 300), [school("unmapped")])).toBeNull();
    expect(nearestDistanceKm(at("a", "A", 400, 300), [])).toBeNull();
  });
});
