/**
 * Grouping schools into clusters by distance, for the break-point review's "add a cluster tier and
 * assign schools by distance". Schools within reach of one another form one area (geographicHubs);
 * a school in an area that already has a cluster joins the cluster of its nearest clustered school;
 * an area with no cluster at all gets a new one.
 */
import type { SchemeBoard, SchemeSchool } from "./scheme";
import { geographicHubs } from "./rules/break-points";

export interface NewCluster {
  name: string;
  schools: SchemeSchool[];
}

export interface ClusterJoin {
  school: SchemeSchool;
  board: SchemeBoard;
}

export interface ClusterPlan {
  newClusters: NewCluster[];
  joins: ClusterJoin[];
  /** Schools with no cluster and no grid reference: the plan cannot place them. */
  unplaced: SchemeSchool[];
}

const distance = (a: SchemeSchool, b: SchemeSchool) => Math.hypot(a.easting! - b.easting!, a.northing! - b.northing!);

/** The words of a school's name that say where it is: "Flamborough Head Primary School" → "Flamborough Head". */
export function placeName(schoolName: string): string {
  const place = schoolName
    .replace(/\b(church of england|c of e|ce|roman catholic|rc|catholic|voluntary aided|va|community|county)\b/gi, " ")
    .replace(/\b(primary|secondary|junior|infant|infants|nursery|first|middle|high|all-through|special|free|academy|school|college)\b/gi, " ")
    .replace(/[^\p{L}\p{N}'’&-]+/gu, " ")
    .trim()
    .replace(/\s+/g, " ");
  return place || schoolName;
}

/** `wanted`, or `wanted 2`, `wanted 3`… whichever is not taken yet (lower-case names); the name returned is then taken. */
export function uniqueName(wanted: string, taken: Set<string>): string {
  let name = wanted;
  for (let n = 2; taken.has(name.toLowerCase()); n++) name = `${wanted} ${n}`;
  taken.add(name.toLowerCase());
  return name;
}

/**
 * Where each school without a cluster would go. `takenNames` are the trust's body names, which a new
 * cluster's name must not repeat.
 */
export function clusterPlan(schools: SchemeSchool[], boards: SchemeBoard[], radiusKm: number, takenNames: string[]): ClusterPlan {
  const clusters = new Map(boards.filter((b) => b.kind === "cluster").map((b) => [b.id, b]));
  const clusterOf = (school: SchemeSchool) => (school.clusterBodyId ? clusters.get(school.clusterBodyId) ?? null : null);
  const taken = new Set(takenNames.map((n) => n.toLowerCase()));
  const plan: ClusterPlan = { newClusters: [], joins: [], unplaced: [] };
  for (const hub of geographicHubs(schools, radiusKm)) {
    const clustered = hub.filter((s) => clusterOf(s) !== null);
    const outside = hub.filter((s) => clusterOf(s) === null);
    if (outside.length === 0) continue;
    if (clustered.length === 0) {
      plan.newClusters.push({ name: uniqueName(`${placeName(outside[0]!.name)} cluster`, taken), schools: outside });
      continue;
    }
    for (const school of outside) {
      const nearest = clustered.reduce((best, s) => (distance(school, s) < distance(school, best) ? s : best));
      plan.joins.push({ school, board: clusterOf(nearest)! });
    }
  }
  plan.unplaced = schools.filter((s) => clusterOf(s) === null && (s.easting === null || s.northing === null));
  return plan;
}

/** How far, in whole kilometres, a school is from the nearest of the others; null when either has no grid reference. */
export function nearestDistanceKm(school: SchemeSchool, others: SchemeSchool[]): number | null {
  if (school.easting === null || school.northing === null) return null;
  const located = others.filter((s) => s.id !== school.id && s.easting !== null && s.northing !== null);
  if (located.length === 0) return null;
  return Math.round(Math.min(...located.map((s) => distance(school, s))) / 1000);
}
