/**
 * The kinds of change a trust's history is filtered by, and which audit entries belong to each.
 * Every change is recorded with an `entity` (what it was made to: a cell, a body, a school's
 * performance record…); each entity belongs to exactly one kind. An entity not listed here (a kind
 * of record added later and not yet sorted) belongs to no kind: its entries are shown only when the
 * history is not filtered by kind.
 */

export const HISTORY_KINDS = ["structure", "school-records", "tiers", "settings", "scheme"] as const;
export type HistoryKind = (typeof HISTORY_KINDS)[number];

/** What each kind is called in the filter, and what it covers, in the trust's words. */
export const HISTORY_KIND_LABELS: Record<HistoryKind, string> = {
  structure: "Structure: governance bodies and schools",
  "school-records": "School records: performance, reviews and tier decisions",
  tiers: "Autonomy tiers and the tier policy",
  settings: "Settings: the checks' thresholds, strategy, the trust and its people",
  scheme: "Scheme: versions, their cells and variants, responsibilities and checks",
};

/** The short name of a kind, as the history's table shows it beside each change. */
export const HISTORY_KIND_NAMES: Record<HistoryKind, string> = {
  structure: "Structure",
  "school-records": "School records",
  tiers: "Tiers",
  settings: "Settings",
  scheme: "Scheme",
};

/**
 * Each entity recorded in a trust's history, by kind:
 * - structure: governance bodies (columns of the matrix) and schools;
 * - school records: performance records, reviews, tier decisions (and the demo's records of all three);
 * - tiers: the autonomy tiers and their policy;
 * - settings: the trust itself (its name, decision key, the checks' thresholds), its strategy
 *   profile and its members;
 * - scheme: versions (drafts, approval, discarding), cells, tier variants and school variations,
 *   responsibilities (the rows) and the checks' findings acknowledged in a version.
 */
export const ENTITY_KINDS: Readonly<Record<string, HistoryKind>> = {
  body: "structure",
  school: "structure",
  "performance-record": "school-records",
  "school-review": "school-records",
  "tier-decision": "school-records",
  "earned-autonomy": "school-records",
  "autonomy-tiers": "tiers",
  trust: "settings",
  "strategy-profile": "settings",
  membership: "settings",
  version: "scheme",
  cell: "scheme",
  "tier-cell": "scheme",
  "school-cell": "scheme",
  "tier-variant": "scheme",
  responsibility: "scheme",
  finding: "scheme",
};

/** The kind of change an entry of this entity is, or null when it is of no kind listed. */
export function historyKindOf(entity: string): HistoryKind | null {
  return Object.hasOwn(ENTITY_KINDS, entity) ? ENTITY_KINDS[entity]! : null;
}

/** The entities of a kind, sorted (what the history's filter looks for). */
export function entitiesOfKind(kind: HistoryKind): string[] {
  return Object.keys(ENTITY_KINDS)
    .filter((entity) => ENTITY_KINDS[entity] === kind)
    .sort();
}

/** A kind as the filter sends it, or null when it is none of them. */
export function parseHistoryKind(text: string): HistoryKind | null {
  return (HISTORY_KINDS as readonly string[]).includes(text) ? (text as HistoryKind) : null;
}
