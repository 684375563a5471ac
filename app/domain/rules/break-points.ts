/**
 * Signs that the trust has reached a break point, from the current data alone (CO-14, CO-15, CO-16):
 * it has grown past the size its governance or its CEO's role was built for, or spread further than
 * its school-improvement model reaches (Building Trusts, §2 and §3.3).
 */
import { baseCode, byArea, type Scheme, type SchemeColumn, type SchemeRow, type SchemeSchool } from "../scheme";
import type { ImprovementModel } from "../strategy";
import { columnsOfKind, improvementModelName, inWords, namesOf, rowLabel, singleFindingRule } from "./coherence";
import type { Rule } from "./types";

// ---------------------------------------------------------------- CO-14 representation model

/**
 * What the data can show of a "representation model". domain.md's test is a trust board made up
 * mainly of local boards' chairs, but the scheme records who chairs each local board, not who sits
 * on the trust board. The closest decidable signal is the trust's own naming: a trust board column,
 * or an individual board of kind board, whose name says it is made of chairs or representatives
 * ("Board of local chairs", "Representative trust board"). A single "Chair" or "Chair of trustees"
 * column (chair's action) is not one.
 */
const REPRESENTATION_NAME = /\bchairs\b|\brepresentati(?:ve|ves|on)\b/i;

export function representationBoards(scheme: Scheme): string[] {
  const named = (name: string, shortName: string | null) => REPRESENTATION_NAME.test(name) || (shortName !== null && REPRESENTATION_NAME.test(shortName));
  return [
    ...columnsOfKind(scheme, "board")
      .filter((column) => named(column.name, column.shortName))
      .map((column) => column.name),
    ...scheme.boards.filter((board) => board.kind === "board" && named(board.name, null)).map((board) => board.name),
  ];
}

const representationModelOutgrown = singleFindingRule(
  "break-point",
  "CO-14",
  "A board of local representatives in a trust of several schools",
  "warning",
  (context) => {
    const { scheme, settings } = context;
    const schools = scheme.schools.length;
    if (schools < settings.representationModelFrom) return null;
    const boards = representationBoards(scheme);
    if (boards.length === 0) return null;
    return {
      message: `The trust has ${schools} schools and its trust board (${boards.join(", ")}) is named as a board of local chairs or representatives: a representation model.`,
      rationale:
        "The research found a board of local representatives impractical from about five schools, with trustees' conflicts of interest between their own school and the trust (MAT 27); some trusts, such as Dixons, run it deliberately, so this is a prompt to review, not an error.",
      source: "Building Trusts [SEED-F] §2 (MAT 27); Dixons Academies Trust [DIXONS]",
      schoolIds: scheme.schools.map((school) => school.id),
    };
  },
);

// ---------------------------------------------------------------- CO-15 the CEO's role

/** School-improvement rows: those of the research's area 10, "School improvement support". */
export const SCHOOL_IMPROVEMENT_AREA = 10;

/**
 * An executive column named for an education director, a central team or its advisers is the role
 * domain.md looks for besides the CEO; a sole column so named is not the CEO delivering alone.
 */
export const CENTRAL_TEAM_NAME = /director|team|central|education|improvement|standards|advis[eo]r|partner/i;

export function improvementRows(scheme: Scheme): SchemeRow[] {
  return scheme.rows.filter((row) => row.area === SCHOOL_IMPROVEMENT_AREA).sort(byArea);
}

const ceoDeliversImprovementAlone = singleFindingRule(
  "break-point",
  "CO-15",
  "The CEO alone delivers school improvement in a trust of many schools",
  "warning",
  (context) => {
    const { scheme, settings } = context;
    const schools = scheme.schools.length;
    if (schools < settings.ceoRoleFrom) return null;
    const executives = columnsOfKind(scheme, "executive");
    if (executives.length !== 1) return null;
    const ceo = executives[0] as SchemeColumn;
    if (CENTRAL_TEAM_NAME.test(ceo.name)) return null;
    const delivered = improvementRows(scheme).filter((row) => baseCode(scheme, row.id, ceo.id) === "E");
    if (delivered.length === 0) return null;
    return {
      message: `The trust has ${schools} schools and ${ceo.name}, its only executive column, delivers (E) ${inWords(delivered.map(rowLabel))}, with no education director or central team beside it.`,
      rationale:
        "The research found the CEO's role changes at 10 to 15 schools, to a \"director and enabler\" of others' work, so school improvement then needs an education director or a central team to deliver it.",
      source: "Building Trusts [SEED-F] §2.3.3",
      cells: delivered.map((row) => ({ rowId: row.id, columnId: ceo.id, schoolId: null })),
      rowIds: delivered.map((row) => row.id),
    };
  },
);

// ---------------------------------------------------------------- CO-16 geography

/**
 * Schools grouped into geographic hubs by single linkage: two schools within `radiusKm` of each
 * other (as the crow flies, on the British National Grid) share a hub, and so does any school
 * within reach of a school already in it. Schools without a location are left out.
 */
export function geographicHubs(schools: SchemeSchool[], radiusKm: number): SchemeSchool[][] {
  const located = schools.filter((s): s is SchemeSchool & { easting: number; northing: number } => s.easting !== null && s.northing !== null);
  const reach = radiusKm * 1000;
  const hubOf = located.map((_, i) => i);
  const root = (i: number): number => (hubOf[i] === i ? i : (hubOf[i] = root(hubOf[i]!)));
  for (let i = 0; i < located.length; i++) {
    for (let j = i + 1; j < located.length; j++) {
      const a = located[i]!;
      const b = located[j]!;
      if (Math.hypot(a.easting - b.easting, a.northing - b.northing) <= reach) hubOf[root(j)] = root(i);
    }
  }
  const hubs = new Map<number, SchemeSchool[]>();
  located.forEach((school, i) => {
    const hub = hubs.get(root(i)) ?? [];
    hub.push(school);
    hubs.set(root(i), hub);
  });
  return [...hubs.values()];
}

/** A cluster tier is in use when a school belongs to a cluster board or a cluster column holds a code in the scheme. */
export function clusterTierInUse(scheme: Scheme): boolean {
  if (scheme.schools.some((school) => school.clusterBodyId !== null)) return true;
  return columnsOfKind(scheme, "cluster").some((column) =>
    scheme.rows.some((row) => {
      const code = baseCode(scheme, row.id, column.id);
      return code !== null && code !== "—";
    }),
  );
}

/** Models that deliver improvement from one place: domain.md's {hub, central}. */
export const CENTRAL_DELIVERY: ImprovementModel[] = ["hub", "centralised-consultants", "in-house-central-expertise"];

export function hubLabel(hub: SchemeSchool[]): string {
  const names = hub.slice(0, 3).map((school) => school.name);
  const more = hub.length > 3 ? ` and ${hub.length - 3} more` : "";
  return `${names.join(", ")}${more}`;
}

const spreadBeyondOneHub = singleFindingRule(
  "break-point",
  "CO-16",
  "Schools spread over several areas, improvement delivered from one place and no cluster tier",
  "info",
  (context) => {
    const { scheme, settings, strategy } = context;
    const model = strategy.improvementModel;
    // The cheap conditions first: grouping schools into hubs compares every pair of them.
    if (model === null || !CENTRAL_DELIVERY.includes(model) || clusterTierInUse(scheme)) return null;
    const hubs = geographicHubs(scheme.schools, settings.hubRadiusKm);
    if (hubs.length < 2) return null;
    const clusters = columnsOfKind(scheme, "cluster");
    const noClusters = clusters.length === 0 ? "the scheme has no cluster tier" : `the cluster tier (${namesOf(clusters)}) is not used`;
    return {
      message: `The trust's schools fall into ${hubs.length} areas more than ${settings.hubRadiusKm} km apart (${hubs.map(hubLabel).join("; ")}), its school-improvement operating model is "${improvementModelName(model)}", and ${noClusters}.`,
      rationale:
        "The research names school-improvement delivery and local decision-making as break points when a trust disperses; large trusts answer with a cluster tier, as Harris does, whose local boards run clusters of schools within 90 minutes of each other.",
      source: "Building Trusts [SEED-F] §2, §3.3; The Harris Federation [HARRIS]",
      schoolIds: hubs.flat().map((school) => school.id),
    };
  },
);

export const breakPointRules: Rule[] = [representationModelOutgrown, ceoDeliversImprovementAlone, spreadBeyondOneHub];
