/**
 * Governance bodies: the columns of the matrix (design.md, "Governance body / column").
 * The order of BODY_KINDS is the tier order in which columns are shown.
 */
export const BODY_KINDS = [
  "members",
  "board",
  "committee",
  "executive",
  "cluster",
  "local",
  "school",
  "external",
] as const;
export type BodyKind = (typeof BODY_KINDS)[number];

export const BODY_KIND_LABELS: Record<BodyKind, string> = {
  members: "Members",
  board: "Trust board",
  committee: "Board committee",
  executive: "Executive and central team",
  cluster: "Cluster governing body",
  local: "Local governing body",
  school: "Headteacher and school leadership",
  external: "Outside party",
};

/** Only cluster and local bodies may be advisory; every other kind decides when the scheme says so. */
export const DECISION_MODES = ["decision-making", "advisory"] as const;
export type DecisionMode = (typeof DECISION_MODES)[number];

export function mayBeAdvisory(kind: BodyKind): boolean {
  return kind === "cluster" || kind === "local";
}

/** Why a local body exists: earned-autonomy frameworks replace standing boards with transition or intervention boards. */
export const BODY_PURPOSES = ["standing", "transition", "intervention"] as const;
export type BodyPurpose = (typeof BODY_PURPOSES)[number];

export function isBodyKind(value: unknown): value is BodyKind {
  return typeof value === "string" && (BODY_KINDS as readonly string[]).includes(value);
}

export function tierRank(kind: BodyKind): number {
  return BODY_KINDS.indexOf(kind);
}

export const SCHOOL_PHASES = [
  "nursery",
  "primary",
  "middle-primary",
  "middle-secondary",
  "secondary",
  "all-through",
  "16-plus",
  "special",
  "alternative-provision",
  "not-applicable",
] as const;
export type SchoolPhase = (typeof SCHOOL_PHASES)[number];

export const SCHOOL_PHASE_LABELS: Record<SchoolPhase, string> = {
  nursery: "Nursery",
  primary: "Primary",
  "middle-primary": "Middle deemed primary",
  "middle-secondary": "Middle deemed secondary",
  secondary: "Secondary",
  "all-through": "All-through",
  "16-plus": "16 plus",
  special: "Special",
  "alternative-provision": "Alternative provision",
  "not-applicable": "Not applicable",
};
