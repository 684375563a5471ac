/**
 * The break-point review (design.md, "Break point"): the events in the trust's own data that make
 * its scheme unfit, each with what the research observed and concrete changes to choose from. The
 * research's break points (Building Trusts [SEED-F] §2, §3.3; domain.md §0): growth past about 5
 * schools (a board of local representatives stops working), 10 to 15 (the CEO's role changes), 13
 * (a four-tier structure), 15 (the first financially sustainable size); schools spread beyond one
 * hub; new joiners; performance moving schools between tiers; and an overdue annual review.
 *
 * Pure: the model gathers the inputs and applies the chosen proposals' changes to the draft.
 */
import type { Tier } from "./autonomy";
import { changesDigest, NEW_BODY, type BodyRef, type ProposedChange } from "./break-point-changes";
import { CENTRALISATION_BY_KIND } from "./centralisation";
import { clusterPlan, nearestDistanceKm, uniqueName } from "./cluster-plan";
import type { DecisionCode } from "./codes";
import { counted } from "./counted";
import { longDate, monthsAfter } from "./dates";
import {
  CENTRAL_DELIVERY,
  CENTRAL_TEAM_NAME,
  clusterTierInUse,
  geographicHubs,
  hubLabel,
  improvementRows,
  representationBoards,
} from "./rules/break-points";
import { columnsOfKind, inWords, namesOf } from "./rules/coherence";
import type { RuleSettings } from "./rules/settings";
import { baseCode, byArea, mayDecide, type Scheme, type SchemeColumn, type SchemeRow, type SchemeSchool } from "./scheme";
import { areaName } from "./areas";
import { ALIGNMENT_CULTURE_LABELS, IMPROVEMENT_MODEL_LABELS, type StrategyProfile } from "./strategy";
import { tierRank, type BodyKind } from "./structure";

export type BreakPointKind = "size" | "geography" | "joiners" | "performance" | "review";

export interface Proposal {
  /** Stable while the data it rests on is unchanged: `<break point>/<proposal>`. */
  id: string;
  title: string;
  /** Why, in the research's terms, and what the changes amount to. */
  explanation: string;
  changes: ProposedChange[];
  /** Proposals sharing a group are alternatives: at most one of them is applied. */
  group: string | null;
  digest: string;
}

export interface BreakPoint {
  key: string;
  kind: BreakPointKind;
  title: string;
  /** What the trust's own data shows. */
  observed: string;
  /** What the research observed at this point. */
  research: string;
  source: string;
  /** How the scheme already answers it, when it does: nothing to change. */
  answered: string | null;
  proposals: Proposal[];
  /** Schools the break point concerns, for links to their pages. */
  schoolIds: string[];
}

export interface SchoolTierStanding {
  decided: Tier | null;
  recommended: Tier;
  reasons: string[];
}

export interface BreakPointReviewInput {
  today: string;
  /**
   * The scheme the proposals would change: the draft, or (with no draft) the latest approved
   * version's cells over the live structure, as a new draft would start.
   */
  scheme: Scheme;
  draft: { number: number } | null;
  /** The latest approved version, with the schools its snapshot holds. */
  approved: { number: number; approvedOn: string; reviewDueOn: string | null; schoolIds: string[] } | null;
  strategy: StrategyProfile;
  settings: RuleSettings;
  /** By school id. */
  standings: Record<string, SchoolTierStanding>;
  tierNames: Record<Tier, string>;
  /** How long a joiner stays in transition (the tier policy's T0 months). */
  transitionMonths: number;
}

// ---------------------------------------------------------------- shared pieces

function proposal(breakPoint: string, name: string, fields: Omit<Proposal, "id" | "digest" | "group"> & { group?: string }): Proposal {
  return { id: `${breakPoint}/${name}`, group: fields.group ?? null, digest: changesDigest(fields.changes), ...fields };
}

function setCell(row: SchemeRow, column: { id: BodyRef; name: string }, from: DecisionCode | null, to: DecisionCode | null, tier: Tier | null = null): ProposedChange {
  return { op: "set-cell", tier, rowId: row.id, rowRef: row.ref, column: column.id, columnName: column.name, from, to };
}

function decider(scheme: Scheme, row: SchemeRow): SchemeColumn | null {
  return scheme.columns.find((column) => baseCode(scheme, row.id, column.id) === "D") ?? null;
}

/**
 * Who takes a decision a local or cluster body gives up: the nearest tier above it that the row
 * allows to decide, in the order cluster, executive, committee, board.
 */
function nextDeciderUp(scheme: Scheme, row: SchemeRow, from: BodyKind, skip: Set<string> = new Set()): SchemeColumn | null {
  const order: BodyKind[] = ["cluster", "executive", "committee", "board"];
  for (const kind of order) {
    if (tierRank(kind) >= tierRank(from)) continue;
    const column = columnsOfKind(scheme, kind).find((c) => !skip.has(c.id) && c.mode === "decision-making");
    if (column && mayDecide(row, kind)) return column;
  }
  return null;
}

/** The changes that move a row's D from `holder` up a tier, leaving the holder with `leaves`. */
function moveDecisionUp(scheme: Scheme, row: SchemeRow, holder: SchemeColumn, leaves: DecisionCode, tier: Tier | null = null): ProposedChange[] {
  const to = nextDeciderUp(scheme, row, holder.kind, new Set([holder.id]));
  if (!to) return [];
  return [setCell(row, holder, "D", leaves, tier), setCell(row, to, baseCode(scheme, row.id, to.id), "D", tier)];
}

function schoolNames(schools: SchemeSchool[]): string {
  return inWords(schools.map((s) => s.name));
}

function boardColumn(scheme: Scheme): SchemeColumn | null {
  return columnsOfKind(scheme, "board")[0] ?? null;
}

// ---------------------------------------------------------------- size

/** How the scheme answers a size break point already, or what to change. */
interface Response {
  answered: string | null;
  proposals: Proposal[];
}

interface SizeThreshold {
  key: string;
  schools: number;
  title: string;
  research: string;
  source: string;
  respond: (input: BreakPointReviewInput, geographyOffersClusters: boolean) => Response;
}

function representationResponse(scheme: Scheme): Response {
  const boards = representationBoards(scheme);
  if (boards.length === 0) return { answered: "The trust board is not named as a board of local chairs or representatives.", proposals: [] };
  return {
    answered: `${inWords(boards)} is named as a board of local representatives. Its make-up is set by the articles, not by the scheme: the members would change it.`,
    proposals: [],
  };
}

function ceoRoleResponse(scheme: Scheme): Response {
  const executives = columnsOfKind(scheme, "executive");
  if (executives.length === 0) return { answered: "The scheme has no executive column.", proposals: [] };
  const beside = executives.filter((c) => CENTRAL_TEAM_NAME.test(c.name));
  if (executives.length > 1 || beside.length > 0) {
    return { answered: `The scheme has ${namesOf(executives.length > 1 ? executives.slice(1) : beside)} beside the CEO to deliver school improvement.`, proposals: [] };
  }
  const ceo = executives[0]!;
  const delivered = improvementRows(scheme).filter((row) => baseCode(scheme, row.id, ceo.id) === "E");
  if (delivered.length === 0) return { answered: `${ceo.name} does not deliver school improvement (E) alone.`, proposals: [] };
  const director = { id: `${NEW_BODY}director-of-education`, name: "Director of education" };
  const changes: ProposedChange[] = [
    { op: "add-column", ref: director.id, kind: "executive", name: director.name, shortName: "DoE", parent: ceo.id },
    ...delivered.flatMap((row) => [setCell(row, ceo, "E", "M"), setCell(row, director, null, "E")]),
  ];
  return {
    answered: null,
    proposals: [
      proposal("size-ceo-role", "education-director", {
        title: "Add a director of education to deliver school improvement",
        explanation: `A director of education delivers (E) ${counted(delivered.length, "school-improvement responsibility", "school-improvement responsibilities")} in place of ${ceo.name}, who monitors (M) them: the CEO directs and enables.`,
        changes,
      }),
    ],
  };
}

/** The cluster proposal: one cluster per area of schools within reach of one another, or the areas' schools joined to the nearest cluster. */
function clusterProposal(scheme: Scheme, settings: RuleSettings, breakPoint: string): Proposal | null {
  const taken = [...scheme.columns.map((c) => c.name), ...scheme.boards.map((b) => b.name)];
  const plan = clusterPlan(scheme.schools, scheme.boards, settings.hubRadiusKm, taken);
  if (plan.newClusters.length === 0 && plan.joins.length === 0) return null;
  const existing = columnsOfKind(scheme, "cluster")[0];
  const column = existing ?? { id: `${NEW_BODY}cluster-column`, name: "Cluster governing body" };
  const parent = boardColumn(scheme)?.id ?? null;
  const changes: ProposedChange[] = [];
  if (!existing) changes.push({ op: "add-column", ref: column.id, kind: "cluster", name: column.name, shortName: "Cluster", parent: null });
  plan.newClusters.forEach((cluster, i) => {
    const ref = `${NEW_BODY}cluster-${i + 1}`;
    changes.push({
      op: "add-board",
      ref,
      kind: "cluster",
      name: cluster.name,
      column: column.id,
      columnName: column.name,
      parent,
      mode: existing?.mode ?? "decision-making",
      purpose: "standing",
    });
    for (const school of cluster.schools) {
      changes.push({ op: "assign-school", schoolId: school.id, schoolName: school.name, role: "cluster", board: ref, boardName: cluster.name });
    }
  });
  for (const { school, board } of plan.joins) {
    changes.push({ op: "assign-school", schoolId: school.id, schoolName: school.name, role: "cluster", board: board.id, boardName: board.name });
  }
  const parts = [
    ...plan.newClusters.map((c) => `a new ${c.name} for ${schoolNames(c.schools)}`),
    ...(plan.joins.length > 0 ? [`${schoolNames(plan.joins.map((j) => j.school))} joined to the nearest existing cluster`] : []),
  ];
  return proposal(breakPoint, "clusters", {
    title: existing ? "Add clusters for the schools beyond the existing ones, assigned by distance" : "Add a cluster tier and assign schools to clusters by distance",
    explanation: `Schools within ${settings.hubRadiusKm} km of one another share a cluster: ${inWords(parts)}.${plan.unplaced.length > 0 ? ` ${schoolNames(plan.unplaced)} cannot be placed until ${plan.unplaced.length === 1 ? "its" : "their"} grid reference is recorded.` : ""}`,
    changes,
  });
}

/** The research's four-tier trust turned its local boards into advisory boards (MAT 34). */
function advisoryLocalProposal(scheme: Scheme, breakPoint: string): Proposal | null {
  const deciding = columnsOfKind(scheme, "local").filter((c) => c.mode === "decision-making");
  if (deciding.length === 0) return null;
  const changes: ProposedChange[] = [];
  for (const column of deciding) {
    changes.push({ op: "make-advisory", bodyId: column.id, name: column.name });
    for (const board of scheme.boards.filter((b) => b.columnId === column.id && b.mode === "decision-making" && b.purpose === "standing")) {
      changes.push({ op: "make-advisory", bodyId: board.id, name: board.name });
    }
    for (const row of [...scheme.rows].sort(byArea)) {
      if (baseCode(scheme, row.id, column.id) === "D") changes.push(...moveDecisionUp(scheme, row, column, "R"));
    }
  }
  const moved = changes.filter((c) => c.op === "set-cell" && c.to === "R").length;
  return proposal(breakPoint, "advisory-local-boards", {
    title: "Make the local boards advisory",
    explanation: `${namesOf(deciding)} ${deciding.length === 1 ? "becomes" : "become"} advisory, as the research's four-tier trust did with its school advisory boards; ${moved === 0 ? "they decide nothing in the scheme now" : `the ${counted(moved, "decision")} they take now ${moved === 1 ? "passes" : "pass"} to the tier above, and they recommend (R) instead`}.`,
    changes,
  });
}

function fourTiersResponse(scheme: Scheme, input: BreakPointReviewInput, geographyOffersClusters: boolean): Response {
  const proposals: Proposal[] = [];
  if (clusterTierInUse(scheme)) {
    const clusters = scheme.boards.filter((b) => b.kind === "cluster");
    const named = clusters.length > 0 ? inWords(clusters.map((b) => b.name)) : namesOf(columnsOfKind(scheme, "cluster"));
    const advisory = advisoryLocalProposal(scheme, "size-four-tiers");
    return { answered: advisory ? null : `The scheme already has a cluster tier (${named}) and advisory local boards.`, proposals: advisory ? [advisory] : [] };
  }
  const clusters = geographyOffersClusters ? null : clusterProposal(scheme, input.settings, "size-four-tiers");
  if (clusters) proposals.push(clusters);
  const advisory = advisoryLocalProposal(scheme, "size-four-tiers");
  if (advisory) proposals.push(advisory);
  const answered = geographyOffersClusters
    ? "The geography break point below proposes the clusters."
    : proposals.length === 0
      ? "No school has a grid reference, so clusters cannot be proposed by distance: record the schools’ eastings and northings, or add clusters on the structure page."
      : null;
  return { answered, proposals };
}

const BACK_OFFICE_AREA = 12;
const FINANCE_NAME = /central|finance|cfo|operations|business|resources/i;

function sustainabilityResponse(scheme: Scheme, input: BreakPointReviewInput): Response {
  const rows = scheme.rows.filter((row) => row.area === BACK_OFFICE_AREA).sort(byArea);
  const devolved = rows
    .map((row) => ({ row, holder: decider(scheme, row) }))
    .filter((r): r is { row: SchemeRow; holder: SchemeColumn } => r.holder !== null && (CENTRALISATION_BY_KIND[r.holder.kind] ?? 10) < input.settings.centralisedFrom);
  if (devolved.length === 0) return { answered: `Every decision of the area “${areaName(BACK_OFFICE_AREA)}” is already kept centrally.`, proposals: [] };
  const executives = columnsOfKind(scheme, "executive");
  const central = executives.find((c) => FINANCE_NAME.test(c.name)) ?? executives[0];
  if (!central) return { answered: "The scheme has no executive column to keep back-office decisions centrally.", proposals: [] };
  const movable = devolved.filter(({ row }) => mayDecide(row, "executive"));
  if (movable.length === 0) {
    return { answered: `The back-office decisions taken near the schools may not pass to ${central.name}: their rows say who may decide them.`, proposals: [] };
  }
  const changes = movable.flatMap(({ row, holder }) => [setCell(row, holder, "D", "C"), setCell(row, central, baseCode(scheme, row.id, central.id), "D")]);
  return {
    answered: null,
    proposals: [
      proposal("size-sustainability", "central-back-office", {
        title: "Keep back-office decisions centrally",
        explanation: `${central.name} decides ${counted(movable.length, "back-office responsibility", "back-office responsibilities")} now decided closer to the schools, which are consulted (C): the economies of scale that make a trust of this size sustainable.`,
        changes,
      }),
    ],
  };
}

function sizeThresholds(settings: RuleSettings): SizeThreshold[] {
  return [
    {
      key: "size-representation",
      schools: settings.representationModelFrom,
      title: "A board of local representatives",
      research: "The research found a trust board made up of local boards’ chairs impractical from about five schools, with conflicts of interest between a trustee’s own school and the trust (MAT 27).",
      source: "Building Trusts [SEED-F] §2 (MAT 27)",
      respond: (input) => representationResponse(input.scheme),
    },
    {
      key: "size-ceo-role",
      schools: settings.ceoRoleFrom,
      title: "The CEO’s role",
      research: "Between 10 and 15 schools the CEO’s role changes from doing to directing and enabling: school improvement then needs an education director or a central team.",
      source: "Building Trusts [SEED-F] §2.3.3",
      respond: (input) => ceoRoleResponse(input.scheme),
    },
    {
      key: "size-four-tiers",
      schools: settings.fourTiersFrom,
      title: "A fourth tier of governance",
      research: "The research’s trust of 13 schools governed in four tiers: the board, its committees, cluster governing bodies, and school advisory boards. Its scheme changed at least three times as it grew, and local governors “carried on making the same decisions … when they had no power to do those”.",
      source: "Building Trusts [SEED-F] §2.1.3 (MAT 34)",
      respond: (input, geographyOffersClusters) => fourTiersResponse(input.scheme, input, geographyOffersClusters),
    },
    {
      key: "size-sustainability",
      schools: settings.sustainableSizeFrom,
      title: "Growth against capacity",
      research: "Fifteen schools was the first financially sustainable size for many trusts: growth must be matched by central capacity, and back-office services are where trusts centralise first.",
      source: "Building Trusts [SEED-F] §2, §1.2.1",
      respond: (input) => sustainabilityResponse(input.scheme, input),
    },
  ];
}

function sizeBreakPoints(input: BreakPointReviewInput, geographyOffersClusters: boolean): BreakPoint[] {
  const { scheme, approved, today } = input;
  const now = scheme.schools.length;
  const before = approved ? approved.schoolIds.length : 0;
  const joining = scheme.schools.filter((s) => s.joinedOn !== null && s.joinedOn > today);
  const counting = joining.length > 0 ? `, counting ${schoolNames(joining)}, joining on ${inWords([...new Set(joining.map((s) => longDate(s.joinedOn!)))])}` : "";
  const since = approved ? ` Version ${approved.number} was approved with ${counted(before, "school")}.` : " No version of the scheme has been approved yet.";
  return sizeThresholds(input.settings)
    .filter((t) => before < t.schools && t.schools <= now)
    .map((t) => {
      const { answered, proposals } = t.respond(input, geographyOffersClusters);
      return {
        key: t.key,
        kind: "size" as const,
        title: `${t.title}: ${counted(t.schools, "school")}`,
        observed: `The trust has ${counted(now, "school")}${counting}.${since}`,
        research: t.research,
        source: t.source,
        answered,
        proposals,
        schoolIds: joining.map((s) => s.id),
      };
    });
}

// ---------------------------------------------------------------- geography

function improvementProposal(scheme: Scheme, input: BreakPointReviewInput): Proposal | null {
  const model = input.strategy.improvementModel;
  if (model === null || !CENTRAL_DELIVERY.includes(model)) return null;
  const existing = columnsOfKind(scheme, "cluster")[0];
  const column = existing ?? { id: `${NEW_BODY}cluster-column`, name: "Cluster governing body" };
  const changes: ProposedChange[] = [{ op: "set-improvement-model", from: model, to: "cluster-based" }];
  if (!existing) changes.push({ op: "add-column", ref: column.id, kind: "cluster", name: column.name, shortName: "Cluster", parent: null });
  for (const row of improvementRows(scheme)) {
    if (row.excludedKinds?.includes("cluster")) continue;
    const current = existing ? baseCode(scheme, row.id, existing.id) : null;
    // The cluster takes delivery from whatever lesser part it has; where it decides (D) or is shut out (—), the row stays as it is.
    if (current === "D" || current === "—") continue;
    if (current !== "E") changes.push(setCell(row, column, current, "E"));
    for (const executive of columnsOfKind(scheme, "executive")) {
      if (baseCode(scheme, row.id, executive.id) === "E") changes.push(setCell(row, executive, "E", "M"));
    }
  }
  return proposal("geography", "cluster-based-improvement", {
    title: "Deliver school improvement through the clusters",
    explanation: `The operating model moves from “${IMPROVEMENT_MODEL_LABELS[model].name}” to “${IMPROVEMENT_MODEL_LABELS["cluster-based"].name}”: the clusters deliver (E) school improvement near their schools, and the central executive monitors (M) it.`,
    changes,
  });
}

function geographyBreakPoint(input: BreakPointReviewInput): BreakPoint | null {
  const { scheme, settings } = input;
  const hubs = geographicHubs(scheme.schools, settings.hubRadiusKm);
  const inUse = clusterTierInUse(scheme);
  const clusterIds = new Set(scheme.boards.filter((b) => b.kind === "cluster").map((b) => b.id));
  const uncovered = hubs.filter((hub) => !hub.some((s) => s.clusterBodyId !== null && clusterIds.has(s.clusterBodyId)));
  if (inUse ? uncovered.length === 0 : hubs.length < 2) return null;
  const observed = inUse
    ? uncovered
        .map((hub) => {
          const km = Math.min(...hub.map((s) => nearestDistanceKm(s, scheme.schools.filter((o) => !hub.includes(o))) ?? Infinity));
          const far = Number.isFinite(km) ? ` ${km} km from the nearest of the trust’s other schools,` : "";
          return `${hub.length <= 3 ? schoolNames(hub) : hubLabel(hub)} ${hub.length === 1 ? "is" : "are"}${far} beyond the ${settings.hubRadiusKm} km that makes one area, and no cluster covers ${hub.length === 1 ? "it" : "them"}.`;
        })
        .join(" ")
    : `The trust’s schools fall into ${hubs.length} areas more than ${settings.hubRadiusKm} km apart (${hubs.map(hubLabel).join("; ")}), and the scheme has no cluster tier.`;
  const proposals = [clusterProposal(scheme, settings, "geography"), improvementProposal(scheme, input)].filter((p): p is Proposal => p !== null);
  return {
    key: "geography",
    kind: "geography",
    title: "Schools beyond the reach of one hub",
    observed,
    research:
      "The research names school-improvement delivery and local decision-making as break points when a trust disperses. Large trusts answer with a cluster tier, as Harris does with clusters of schools within 90 minutes of each other, and move improvement from a single hub to in-house or cluster-based delivery.",
    source: "Building Trusts [SEED-F] §2, §3.3; The Harris Federation [HARRIS]",
    answered: null,
    proposals,
    schoolIds: (inUse ? uncovered : hubs).flat().map((s) => s.id),
  };
}

// ---------------------------------------------------------------- joiners

function joinersOf(input: BreakPointReviewInput): SchemeSchool[] {
  const { scheme, approved, today, transitionMonths } = input;
  const inApproved = new Set(approved?.schoolIds ?? []);
  return scheme.schools.filter((s) => {
    if (s.joinedOn !== null && s.joinedOn > today) return true;
    if (approved) return !inApproved.has(s.id) || (s.joinedOn !== null && s.joinedOn > approved.approvedOn);
    return s.joinedOn !== null && monthsAfter(s.joinedOn, transitionMonths) > today;
  });
}

function transitionBoardsProposal(scheme: Scheme, joiners: SchemeSchool[], months: number): Proposal | null {
  const column = columnsOfKind(scheme, "local")[0];
  if (!column) return null;
  const needing = joiners.filter((s) => {
    const board = scheme.boards.find((b) => b.id === s.localBodyId);
    return !board || board.purpose === "standing";
  });
  if (needing.length === 0) return null;
  const taken = new Set([...scheme.columns, ...scheme.boards].map((b) => b.name.toLowerCase()));
  const changes: ProposedChange[] = [];
  needing.forEach((school, i) => {
    const ref = `${NEW_BODY}transition-${i + 1}`;
    const name = uniqueName(`${school.name} transition board`, taken);
    changes.push(
      {
        op: "add-board",
        ref,
        kind: "local",
        name,
        column: column.id,
        columnName: column.name,
        parent: school.clusterBodyId ?? boardColumn(scheme)?.id ?? null,
        mode: column.mode,
        purpose: "transition",
      },
      { op: "assign-school", schoolId: school.id, schoolName: school.name, role: "local", board: ref, boardName: name },
    );
  });
  return proposal("joiners", "align", {
    group: "joiners",
    title: "Align: the joiners start under transition boards",
    explanation: `${schoolNames(needing)} ${needing.length === 1 ? "is" : "are"} governed locally by a transition board appointed by the executive for ${months} months from joining, as REAch2’s transition boards are, and ${needing.length === 1 ? "adopts" : "adopt"} the trust’s common approach before any local decisions are delegated.`,
    changes,
  });
}

function joinersBreakPoint(input: BreakPointReviewInput): BreakPoint | null {
  const { scheme, approved, today, strategy, transitionMonths } = input;
  const joiners = joinersOf(input);
  if (joiners.length === 0) return null;
  const when = (s: SchemeSchool) => (s.joinedOn === null ? `${s.name} (no joining date recorded)` : `${s.name} ${s.joinedOn > today ? "joins" : "joined"} on ${longDate(s.joinedOn)}`);
  const since = approved ? `Since version ${approved.number} was approved: ` : "";
  const converging = Object.entries(strategy.alignment)
    .filter(([, culture]) => culture === "collaborative-convergence")
    .map(([area]) => Number(area))
    .sort((a, b) => a - b);
  const proposals: Proposal[] = [];
  if (converging.length > 0) {
    const head = columnsOfKind(scheme, "school")[0];
    const consult = head
      ? scheme.rows
          .filter((row) => converging.includes(row.area) && !row.excludedKinds?.includes("school") && [null, "I"].includes(baseCode(scheme, row.id, head.id)))
          .sort(byArea)
      : [];
    if (head && consult.length > 0) {
      proposals.push(
        proposal("joiners", "reopen", {
          group: "joiners",
          title: "Reopen: consult every headteacher on the common approach again",
          explanation: `In the areas the trust aligns by collaborative convergence (${inWords(converging.map(areaName))}), ${head.name} is consulted (C) on ${counted(consult.length, "responsibility", "responsibilities")} where it is only informed or has no part now, so that the joiners shape the common approach with the other schools.`,
          changes: consult.map((row) => setCell(row, head, baseCode(scheme, row.id, head.id), "C")),
        }),
      );
    }
    proposals.push(
      proposal("joiners", "keep", {
        group: "joiners",
        title: "Keep: the joiners adopt the scheme as it stands",
        explanation: "No change to the scheme: the joiners work to the common approach the other schools have converged on, and the review records that choice as the draft’s reason.",
        changes: [],
      }),
    );
  }
  const align = transitionBoardsProposal(scheme, joiners, transitionMonths);
  if (align) proposals.push(align);
  const culture =
    converging.length > 0
      ? ` The trust aligns ${inWords(converging.map(areaName))} by ${ALIGNMENT_CULTURE_LABELS["collaborative-convergence"].name.toLowerCase()}, so it must decide whether to reopen the common approach, keep it, or align the joiners to it first.`
      : "";
  return {
    key: "joiners",
    kind: "joiners",
    title: `New schools joining: ${counted(joiners.length, "school")}`,
    observed: `${since}${inWords(joiners.map(when))}.${culture}`,
    research:
      "New joiners are a break point for a trust that converges by collaboration: the common way was agreed without them. Trusts that define centrally make joiners adopt their systems as non-negotiable (MAT 10); others place joiners under an interim transition board for up to a year (REAch2).",
    source: "Building Trusts report summary [SEED-S]; Building Trusts [SEED-F] §2.2 (MAT 10); REAch2 transition boards [R2-TB]",
    answered:
      proposals.length > 0
        ? null
        : columnsOfKind(scheme, "local").length === 0
          ? "The scheme has no local tier to give the joiners transition boards in, and the trust aligns no area by collaborative convergence."
          : "Every joiner already has a transition board, and the trust aligns no area by collaborative convergence.",
    proposals,
    schoolIds: joiners.map((s) => s.id),
  };
}

// ---------------------------------------------------------------- performance

/** The tiers of less autonomy, each with what happens to a local decision in its variant. */
const REDUCED_TIERS: Partial<Record<Tier, DecisionCode>> = { T3: "R", T4: "M" };

function tierVariantProposal(scheme: Scheme, tier: Tier, names: Record<Tier, string>): Proposal | null {
  const leaves = REDUCED_TIERS[tier];
  if (!leaves || Object.keys(scheme.tierCells[tier] ?? {}).length > 0) return null;
  const changes: ProposedChange[] = [];
  for (const row of [...scheme.rows].sort(byArea)) {
    if (row.locked) continue;
    const holder = decider(scheme, row);
    if (holder && (holder.kind === "local" || holder.kind === "school")) changes.push(...moveDecisionUp(scheme, row, holder, leaves, tier));
  }
  if (changes.length === 0) return null;
  return proposal("performance", `variant-${tier}`, {
    title: `Add the ${names[tier]} variant`,
    explanation: `For schools in ${names[tier]}, the ${counted(changes.length / 2, "decision")} taken by local boards or headteachers ${changes.length === 2 ? "passes" : "pass"} to the tier above, and the local body ${leaves === "M" ? "monitors (M)" : "recommends (R)"} instead. The board still decides which schools are in the tier.`,
    changes,
  });
}

function performanceBreakPoint(input: BreakPointReviewInput): BreakPoint | null {
  const { scheme, standings, tierNames } = input;
  const moving = scheme.schools
    .map((school) => ({ school, standing: standings[school.id] }))
    // A school with no tier decided yet (a joiner, a school new to the policy) has not moved: the board's first decision is due, not a change.
    .filter(
      (m): m is { school: SchemeSchool; standing: SchoolTierStanding } =>
        m.standing?.decided !== null && m.standing?.decided !== undefined && m.standing.recommended !== "T0" && m.standing.recommended !== m.standing.decided,
    );
  if (moving.length === 0) return null;
  const lines = moving.map(({ school, standing }) => {
    return `${school.name}: decided ${tierNames[standing.decided!]}, its records recommend ${tierNames[standing.recommended]}${standing.reasons[0] ? ` (${standing.reasons[0].replace(/\.$/, "")})` : ""}.`;
  });
  const proposals = [...new Set(moving.map((m) => m.standing.recommended))]
    .map((tier) => tierVariantProposal(scheme, tier, tierNames))
    .filter((p): p is Proposal => p !== null);
  return {
    key: "performance",
    kind: "performance",
    title: `Performance moving schools between tiers: ${counted(moving.length, "school")}`,
    observed: lines.join(" "),
    research:
      "The research found performance a break point both ways: a trust centralised to bring a school out of special measures, then handed autonomy back (the “glass ceiling” and “glass floor”), and trusts that grant earned autonomy need “clarity on the conditions under which the MAT would intervene to remove” it.",
    source: "Building Trusts [SEED-F] §1.2, §2.2 (MAT 26, MAT 38); report summary [SEED-S]",
    // The board moves a school between tiers (ADR 009); the review only makes sure the tier's variant exists.
    answered: proposals.length === 0 ? "Each school’s tier is the board’s decision: record it on the school’s page, and the scheme’s variant for that tier then applies to it." : null,
    proposals,
    schoolIds: moving.map((m) => m.school.id),
  };
}

// ---------------------------------------------------------------- the annual review

function reviewBreakPoint(input: BreakPointReviewInput): BreakPoint | null {
  const { approved, draft, today, settings } = input;
  if (!approved) return null;
  const due = approved.reviewDueOn ?? monthsAfter(approved.approvedOn, settings.reviewMonths);
  if (due >= today) return null;
  return {
    key: "review",
    kind: "review",
    title: "The annual review is overdue",
    observed: `Version ${approved.number} was approved on ${longDate(approved.approvedOn)} and its review was due on ${longDate(due)}.`,
    research:
      "The Academy Trust Handbook expects the scheme of delegation to be reviewed every year and after any change to the trust’s structure; the research’s trusts found schemes drifting from practice when they were not.",
    source: "Academy Trust Handbook 2.4 [KEY-WRITE]; Building Trusts [SEED-F] §2.1.3",
    answered: draft ? `Draft ${draft.number} is under way: the proposals chosen here are applied to it.` : null,
    proposals: draft
      ? []
      : [
          proposal("review", "start", {
            title: `Start the review: a new draft from version ${approved.number}`,
            explanation: "A new draft copies the approved scheme, for the board to review and approve again.",
            changes: [],
          }),
        ],
    schoolIds: [],
  };
}

/** Every break point the trust has reached, in the order the research discusses them. */
export function reviewBreakPoints(input: BreakPointReviewInput): BreakPoint[] {
  const geography = geographyBreakPoint(input);
  const geographyOffersClusters = geography?.proposals.some((p) => p.id === "geography/clusters") ?? false;
  return [
    ...sizeBreakPoints(input, geographyOffersClusters),
    geography,
    joinersBreakPoint(input),
    performanceBreakPoint(input),
    reviewBreakPoint(input),
  ].filter((b): b is BreakPoint => b !== null);
}

/** The draft's reason: the break points whose proposals were chosen, as the review names them. */
export function breakPointReason(breakPoints: BreakPoint[], chosenIds: string[], today: string): string {
  const titles = breakPoints.filter((b) => b.proposals.some((p) => chosenIds.includes(p.id))).map((b) => b.title);
  return `Break-point review of ${longDate(today)}: ${titles.join("; ")}`;
}
