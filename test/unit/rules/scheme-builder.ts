/**
 * Small schemes for the rules' tests: columns by kind, rows from the default catalogue (with their
 * constraints) or made up, schools, and codes written as a short table; tier variants, schools' own
 * variations and the schools' autonomy data for the earned-autonomy checks.
 */
import type { Tier } from "~/domain/autonomy";
import type { AutonomyContext, SchoolAutonomy } from "~/domain/autonomy-context";
import { catalogueEntry } from "~/domain/catalogue";
import type { DecisionCode } from "~/domain/codes";
import { DEFAULT_RULE_SETTINGS } from "~/domain/rules/settings";
import type { RuleContext } from "~/domain/rules/types";
import { cellKey, type Scheme, type SchemeBoard, type SchemeColumn, type SchemeRow, type SchemeSchool, type Variant } from "~/domain/scheme";
import { UNRATED_STRATEGY } from "~/domain/strategy";
import type { BodyKind, DecisionMode } from "~/domain/structure";
import { DEFAULT_TIER_POLICY, type TierPolicy } from "~/domain/tier-policy";
import type { VersionStatus } from "~/domain/versions";

export function column(id: string, kind: BodyKind, options: { name?: string; mode?: DecisionMode; position?: number } = {}): SchemeColumn {
  return { id, kind, name: options.name ?? id, shortName: null, mode: options.mode ?? "decision-making", position: options.position ?? 0 };
}

/** The default catalogue's row of that key (SEED-07, STAT-F1…), with its constraints; its id is the key. */
export function catalogueRow(key: string, overrides: Partial<SchemeRow> = {}): SchemeRow {
  const entry = catalogueEntry(key);
  if (!entry) throw new Error(`No catalogue row ${key}`);
  return {
    id: key,
    catalogueKey: key,
    area: entry.area,
    section: null,
    ref: entry.ref,
    title: entry.title,
    guidance: entry.guidance,
    decisionKinds: entry.decisionKinds ?? null,
    excludedKinds: entry.excludedKinds ?? null,
    statutoryRule: entry.statutoryRule ?? null,
    locked: entry.locked ?? false,
    externalApproval: entry.externalApproval ?? false,
    tags: entry.tags ?? [],
    position: 0,
    ...overrides,
  };
}

/** A row of the trust's own, open to any body. */
export function ownRow(id: string, overrides: Partial<SchemeRow> = {}): SchemeRow {
  return {
    id,
    catalogueKey: null,
    area: 1,
    section: null,
    ref: id,
    title: `Responsibility ${id}`,
    guidance: null,
    decisionKinds: null,
    excludedKinds: null,
    statutoryRule: null,
    locked: false,
    externalApproval: false,
    tags: [],
    position: 0,
    ...overrides,
  };
}

export function school(id: string, overrides: Partial<SchemeSchool> = {}): SchemeSchool {
  return { id, urn: 100000, name: id, phase: "primary", clusterBodyId: null, localBodyId: null, easting: null, northing: null, joinedOn: null, ...overrides };
}

export function board(id: string, kind: BodyKind, columnId: string, overrides: Partial<SchemeBoard> = {}): SchemeBoard {
  return { id, kind, name: id, mode: "decision-making", purpose: "standing", columnId, parentId: null, chairName: null, ...overrides };
}

export interface SchemeInput {
  columns: SchemeColumn[];
  rows: SchemeRow[];
  schools?: SchemeSchool[];
  boards?: SchemeBoard[];
  /** Row id → column id → code. */
  codes?: Record<string, Record<string, DecisionCode>>;
  reviewDueOn?: string | null;
  approvedOn?: string | null;
  status?: VersionStatus;
}

export function scheme(input: SchemeInput): Scheme {
  const cells: Scheme["cells"] = {};
  for (const [rowId, byColumn] of Object.entries(input.codes ?? {})) {
    for (const [columnId, code] of Object.entries(byColumn)) cells[cellKey(rowId, columnId)] = { code, note: null };
  }
  return {
    version: {
      id: "v1",
      number: 1,
      status: input.status ?? "draft",
      basedOnId: null,
      approvedByBodyId: null,
      approvedOn: input.approvedOn ?? null,
      minuteRef: null,
      reviewDueOn: input.reviewDueOn ?? null,
      breakPointReason: null,
      version: 1,
    },
    columns: input.columns,
    boards: input.boards ?? [],
    rows: input.rows,
    schools: input.schools ?? [],
    cells,
    tierCells: {},
    schoolCells: {},
    rowRevisions: {},
  };
}

export function context(schemeOf: Scheme, overrides: Partial<RuleContext> = {}): RuleContext {
  return { scheme: schemeOf, strategy: UNRATED_STRATEGY, cluster: null, settings: DEFAULT_RULE_SETTINGS, today: "2026-11-23", ...overrides };
}

/** Ratings with every statement at `rest` except those given (statement number 1–10 → rating). */
export function ratings(given: Record<number, number>, rest: number | null = 4): (number | null)[] {
  return Array.from({ length: 10 }, (_, i) => given[i + 1] ?? rest);
}

/** Row id → column id → code, or null to clear the base cell. */
export type VariantCodes = Record<string, Record<string, DecisionCode | null>>;

function variants(codes: VariantCodes): Record<string, Variant> {
  const result: Record<string, Variant> = {};
  for (const [rowId, byColumn] of Object.entries(codes)) {
    for (const [columnId, code] of Object.entries(byColumn)) result[cellKey(rowId, columnId)] = { code, note: null };
  }
  return result;
}

/** The scheme with one tier's variants set. */
export function withTierCells(schemeOf: Scheme, tier: Tier, codes: VariantCodes): Scheme {
  return { ...schemeOf, tierCells: { ...schemeOf.tierCells, [tier]: variants(codes) } };
}

/** The scheme with one school's own variations set. */
export function withSchoolCells(schemeOf: Scheme, schoolId: string, codes: VariantCodes): Scheme {
  return { ...schemeOf, schoolCells: { ...schemeOf.schoolCells, [schoolId]: variants(codes) } };
}

/** The autonomy context: the default policy unless given, and each school's decisions, records and reviews (none where not given). */
export function autonomy(schools: Record<string, Partial<SchoolAutonomy>>, policy: TierPolicy = DEFAULT_TIER_POLICY): AutonomyContext {
  return {
    policy,
    schools: Object.fromEntries(Object.entries(schools).map(([id, data]) => [id, { decisions: [], records: [], reviews: [], ...data }])),
  };
}
