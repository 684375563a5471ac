/**
 * The demo trust's scheme of delegation as data: who decides, recommends, is consulted, advises,
 * executes, monitors or is informed on every row of the default catalogue, column by column.
 *
 * North Dales is a trust of the research's "pedagogy and school improvement" kind with the four tiers
 * of its MAT 34: the board, its committees, three cluster governing bodies (decision-making) and an
 * advisory board for each school. So the curriculum, the teaching model and the back office are
 * decided centrally; committees recommend and monitor; the executive executes; the cluster governing
 * bodies govern their schools; the advisory boards monitor, advise and are consulted, and never decide.
 *
 * Version 1 was approved by the board in July 2024 and superseded by version 2, approved after the
 * 2025 review; version 3 is the CEO's draft for the 2026 review.
 */
import type { DecisionCode } from "../app/domain/codes";

/** The matrix's columns as the seed names them (db/seed.ts). */
export const DEMO_COLUMNS = [
  "Members",
  "Board of trustees",
  "Finance & Resources Committee",
  "Audit & Risk Committee",
  "Education Standards Committee",
  "People & Pay Committee",
  "Chief executive officer",
  "Central team",
  "Cluster governing body",
  "School advisory board",
  "Headteacher",
  "Diocese of Leeds",
] as const;
export type DemoColumn = (typeof DEMO_COLUMNS)[number];

export type DemoRowCodes = Partial<Record<DemoColumn, DecisionCode>>;

/** Version 2, the approved scheme, keyed by catalogue key. Every row has exactly one D. */
export const DEMO_APPROVED_SCHEME: Record<string, DemoRowCodes> = {
  // 1 Vision and values
  "SEED-12": {
    "Chief executive officer": "C",
    "Cluster governing body": "D",
    "School advisory board": "C",
    Headteacher: "R",
    "Diocese of Leeds": "C",
  },
  "STAT-G1": {
    Members: "I",
    "Board of trustees": "D",
    "Chief executive officer": "R",
    "Central team": "A",
    "Cluster governing body": "C",
    "School advisory board": "I",
    Headteacher: "C",
    "Diocese of Leeds": "I",
  },
  "STAT-G2": {
    Members: "D",
    "Board of trustees": "R",
    "Chief executive officer": "A",
    "School advisory board": "C",
    Headteacher: "C",
    "Diocese of Leeds": "C",
  },

  // 2 Extra-curricular activities
  "DER-01": {
    "Chief executive officer": "I",
    "Central team": "A",
    "Cluster governing body": "M",
    "School advisory board": "C",
    Headteacher: "D",
  },

  // 3 Curriculum and pedagogy
  "SEED-06": {
    "Board of trustees": "I",
    "Education Standards Committee": "M",
    "Chief executive officer": "D",
    "Central team": "R",
    "Cluster governing body": "M",
    "School advisory board": "I",
    Headteacher: "E",
  },
  "SEED-07": {
    "Board of trustees": "I",
    "Education Standards Committee": "M",
    "Chief executive officer": "D",
    "Central team": "R",
    "Cluster governing body": "M",
    "School advisory board": "I",
    Headteacher: "E",
  },
  "DER-02": {
    "Education Standards Committee": "M",
    "Chief executive officer": "D",
    "Central team": "E",
    "Cluster governing body": "I",
    "School advisory board": "I",
    Headteacher: "E",
  },

  // 4 Pupil policies and pastoral system
  "SEED-11": {
    "Education Standards Committee": "M",
    "Chief executive officer": "D",
    "Central team": "R",
    "Cluster governing body": "I",
    "School advisory board": "C",
    Headteacher: "E",
  },
  "STAT-P1": {
    "Board of trustees": "D",
    "Chief executive officer": "R",
    "Central team": "E",
    "Cluster governing body": "I",
    "School advisory board": "C",
    Headteacher: "C",
    "Diocese of Leeds": "C",
  },
  "STAT-P2": {
    "Board of trustees": "I",
    "Education Standards Committee": "D",
    "Chief executive officer": "I",
    "Central team": "A",
    "School advisory board": "I",
  },
  "STAT-P3": {
    "Board of trustees": "D",
    "Education Standards Committee": "M",
    "Chief executive officer": "I",
    "Central team": "E",
    "School advisory board": "I",
  },
  "STAT-P4": {
    "Board of trustees": "D",
    "Education Standards Committee": "R",
    "Chief executive officer": "A",
    "Central team": "E",
    "Cluster governing body": "I",
    "School advisory board": "M",
    Headteacher: "E",
  },
  "STAT-P5": {
    "Board of trustees": "I",
    "Education Standards Committee": "D",
    "Chief executive officer": "R",
    "Central team": "E",
    "Cluster governing body": "M",
    "School advisory board": "C",
    Headteacher: "E",
  },

  // 5 Information management
  "SEED-15": {
    "Audit & Risk Committee": "M",
    "Chief executive officer": "D",
    "Central team": "E",
    "School advisory board": "I",
    Headteacher: "E",
  },
  "STAT-I1": {
    "Audit & Risk Committee": "D",
    "Chief executive officer": "R",
    "Central team": "E",
    "School advisory board": "I",
    Headteacher: "E",
  },

  // 6 Parent and community engagement
  "SEED-10": {
    "Chief executive officer": "I",
    "Central team": "A",
    "Cluster governing body": "I",
    "School advisory board": "M",
    Headteacher: "D",
  },

  // 7 Workforce planning and development
  "SEED-03": {
    "People & Pay Committee": "M",
    "Chief executive officer": "I",
    "Central team": "E",
    Headteacher: "D",
  },
  "SEED-04": {
    "People & Pay Committee": "M",
    "Chief executive officer": "D",
    "Central team": "E",
    Headteacher: "C",
  },
  "SEED-05": {
    "People & Pay Committee": "M",
    "Chief executive officer": "I",
    "Central team": "D",
    Headteacher: "E",
  },
  "STAT-W1": {
    "Board of trustees": "I",
    "People & Pay Committee": "D",
    "Chief executive officer": "R",
    "Central team": "E",
    "School advisory board": "I",
    Headteacher: "E",
  },

  // 8 Leadership and management
  "SEED-01": {
    "Board of trustees": "I",
    "Chief executive officer": "D",
    "Central team": "E",
    "Cluster governing body": "C",
    "School advisory board": "C",
    "Diocese of Leeds": "C",
  },
  "SEED-02": {
    "Chief executive officer": "I",
    "Central team": "C",
    "School advisory board": "I",
    Headteacher: "D",
  },
  "STAT-L1": {
    Members: "I",
    "Board of trustees": "D",
    "People & Pay Committee": "R",
  },
  "STAT-L2": {
    "People & Pay Committee": "M",
    "Chief executive officer": "D",
    "Central team": "E",
    "Cluster governing body": "C",
    "School advisory board": "C",
  },

  // 9 Governance
  "SEED-08": {
    "Board of trustees": "M",
    "Chief executive officer": "A",
    "Central team": "E",
    "Cluster governing body": "D",
    "School advisory board": "A",
    Headteacher: "R",
  },
  "STAT-G3": {
    Members: "D",
    "Board of trustees": "A",
    "Central team": "E",
  },
  "STAT-G4": {
    Members: "I",
    "Board of trustees": "D",
    "Chief executive officer": "R",
    "Central team": "E",
    "Cluster governing body": "C",
    "School advisory board": "C",
    Headteacher: "I",
  },
  "STAT-G5": {
    "Board of trustees": "D",
    "Chief executive officer": "A",
    "Central team": "E",
    "Cluster governing body": "R",
    "School advisory board": "C",
  },
  "STAT-G6": {
    Members: "I",
    "Board of trustees": "D",
    "Finance & Resources Committee": "A",
    "Chief executive officer": "R",
    "Central team": "E",
    "Cluster governing body": "C",
    "School advisory board": "I",
    Headteacher: "I",
    "Diocese of Leeds": "C",
  },

  // 10 School improvement support
  "SEED-09": {
    "Education Standards Committee": "M",
    "Chief executive officer": "D",
    "Central team": "E",
    "Cluster governing body": "M",
    Headteacher: "E",
  },
  "STAT-S1": {
    "Board of trustees": "I",
    "Education Standards Committee": "D",
    "Chief executive officer": "R",
    "Central team": "E",
    "Cluster governing body": "C",
    "School advisory board": "I",
    Headteacher: "C",
  },

  // 11 Communications and branding
  "SEED-13": {
    "Chief executive officer": "D",
    "Central team": "E",
    "School advisory board": "I",
    Headteacher: "C",
  },
  "STAT-C1": {
    "Board of trustees": "I",
    "Audit & Risk Committee": "M",
    "Chief executive officer": "D",
    "Central team": "E",
    Headteacher: "E",
  },

  // 12 Shared services and back office functions
  "SEED-14": {
    "Finance & Resources Committee": "M",
    "Chief executive officer": "D",
    "Central team": "E",
    Headteacher: "I",
  },
  "SEED-14-a": {
    "Finance & Resources Committee": "D",
    "Chief executive officer": "R",
    "Central team": "E",
    "Cluster governing body": "M",
    "School advisory board": "I",
    Headteacher: "C",
  },
  "SEED-14-b": {
    "Finance & Resources Committee": "M",
    "Chief executive officer": "D",
    "Central team": "E",
    Headteacher: "E",
  },
  "SEED-14-c": {
    "Finance & Resources Committee": "I",
    "Chief executive officer": "D",
    "Central team": "E",
    Headteacher: "C",
  },
  "SEED-14-d": {
    "People & Pay Committee": "M",
    "Chief executive officer": "D",
    "Central team": "E",
    Headteacher: "E",
  },
  "SEED-14-e": {
    "Finance & Resources Committee": "M",
    "Chief executive officer": "D",
    "Central team": "E",
    Headteacher: "E",
  },
  "SEED-14-f": {
    "Board of trustees": "I",
    "Audit & Risk Committee": "D",
    "Chief executive officer": "I",
    "Central team": "C",
    Headteacher: "I",
  },
  "STAT-F1": {
    "Board of trustees": "D",
    "Finance & Resources Committee": "R",
    "Chief executive officer": "E",
    "Central team": "E",
    "School advisory board": "I",
  },
  "STAT-F2": {
    "Board of trustees": "D",
    "Finance & Resources Committee": "R",
    "Audit & Risk Committee": "A",
    "Chief executive officer": "A",
    "Central team": "E",
    Headteacher: "I",
  },
  "STAT-F3": {
    Members: "I",
    "Board of trustees": "D",
    "Audit & Risk Committee": "R",
    "Chief executive officer": "E",
    "Central team": "E",
  },
  "STAT-F4": {
    "Board of trustees": "D",
    "Finance & Resources Committee": "R",
    "Audit & Risk Committee": "M",
    "Chief executive officer": "A",
    "Central team": "E",
  },
  "STAT-F5": {
    "Board of trustees": "D",
    "Finance & Resources Committee": "R",
    "Chief executive officer": "A",
    "Central team": "E",
  },
  "STAT-F6": {
    "Board of trustees": "I",
    "Audit & Risk Committee": "D",
    "Chief executive officer": "C",
    "Central team": "E",
  },
};

/** Why a cell of the approved scheme is where it is, where the placement is a deliberate choice; shown with the cell. */
export const DEMO_APPROVED_NOTES: Record<string, Partial<Record<DemoColumn, string>>> = {
  "SEED-12": {
    "Cluster governing body":
      "Each school's vision statement sits within the trust's (1.2); the cluster governing body agrees it after hearing the advisory board.",
  },
  "STAT-G2": {
    Members: "Middleham Moor Church of England Primary School only.",
    "Diocese of Leeds":
      "Any change needs the agreement of the Diocesan Director of Education under the church supplemental agreement.",
  },
  "DER-01": {
    Headteacher: "Schools choose their own enrichment; the central team runs the trust-wide music and sport events any school may join.",
  },
  "SEED-06": {
    "Chief executive officer": "One curriculum across the trust, written by the central team's subject leads with the headteachers.",
  },
  "DER-02": {
    "Chief executive officer": "One way of teaching in every school (the trust's vision); the central team trains and coaches every school in it.",
  },
  "STAT-P2": {
    "Education Standards Committee":
      "A panel of three from the committee, none connected with the school, meets within 15 school days; the governance professional clerks it.",
  },
  "STAT-P3": {
    "Board of trustees":
      "A panel of two trustees not involved in the complaint and one person independent of the school's management and running.",
  },
  "STAT-P4": {
    "Board of trustees": "The board approves the policy each year and names a trustee as safeguarding lead; each headteacher appoints the school's DSL.",
    "School advisory board": "Each advisory board's safeguarding link visits every term and reports to the cluster governing body.",
  },
  "SEED-10": {
    "School advisory board": "Each advisory board has at least two parent members and holds an open meeting for parents every year.",
  },
  "SEED-01": {
    "Chief executive officer":
      "The CEO appoints after an interview panel with the cluster chair and the advisory board chair; the board is told before the appointment is announced.",
    "Diocese of Leeds": "For the headship of Middleham Moor Church of England Primary School.",
  },
  "STAT-L1": {
    "People & Pay Committee":
      "The committee leads the CEO's appraisal with an external adviser and recommends pay; the full board decides and the CEO takes no part.",
  },
  "SEED-08": {
    "Cluster governing body":
      "The board delegates the governance of each school to its cluster governing body, the third tier; the advisory boards advise it.",
    "School advisory board":
      "Advisory only: its views go to the cluster governing body, which decides. Advisory boards take no decisions.",
  },
  "SEED-09": {
    "Chief executive officer":
      "Cluster-based improvement: the central team's improvement partners work through each cluster, and heads support each other's schools within it.",
  },
  "STAT-S1": {
    "Education Standards Committee":
      "The CEO proposes each school's category every autumn with the headteacher; the committee confirms it and sets the next review date.",
  },
  "SEED-14-a": {
    "Finance & Resources Committee": "The committee agrees every school's budget plan before the trust budget goes to the board.",
  },
  "SEED-14-b": {
    "Chief executive officer":
      "Within the scheme of financial delegation: contracts over £100,000 go to the Finance & Resources Committee, over £250,000 to the board.",
  },
  "SEED-14-f": {
    "Audit & Risk Committee":
      "Carried out by an internal auditor the committee appoints (never the external auditor), reporting straight to the committee.",
  },
  "STAT-F3": {
    "Board of trustees": "The members receive the accounts and appoint the external auditor under their reserved powers (9.2).",
  },
};

/** Version 1's approval by the board, a year before version 2's. */
export const DEMO_FIRST_APPROVAL = {
  approvedBy: "Board of trustees",
  approvedOn: "2024-07-10",
  minuteRef: "TB/24/07/5",
  reviewDueOn: "2025-07-10",
} as const satisfies { approvedBy: DemoColumn; approvedOn: string; minuteRef: string; reviewDueOn: string };

/** Version 2's approval by the board: a year on, its review is overdue. */
export const DEMO_APPROVAL = {
  approvedBy: "Board of trustees",
  approvedOn: "2025-07-09",
  minuteRef: "TB/25/07/6",
  reviewDueOn: "2026-07-09",
} as const satisfies { approvedBy: DemoColumn; approvedOn: string; minuteRef: string; reviewDueOn: string };

/** One change of a draft: the row's new codes (null clears a cell) and why. */
export interface DemoRevision {
  key: string;
  codes: Partial<Record<DemoColumn, DecisionCode | null>>;
  reason: string;
}

export const DEMO_2025_REASON = "Annual review 2025";

/**
 * Version 1's codes where the 2025 review changed them: before it, schools chose their own tracking
 * system and developed their own senior leaders, and the clusters monitored parents' engagement.
 * The 2025 review brought these to the approved scheme's codes (the research's staff wanted more
 * standardisation in information management and in developing senior staff).
 */
export const DEMO_FIRST_SCHEME_DIFFERENCES: DemoRevision[] = [
  {
    key: "SEED-15",
    codes: { "Chief executive officer": "C", Headteacher: "D" },
    reason: "2025 review: one assessment and tracking system across the trust, which the headteachers asked for.",
  },
  {
    key: "SEED-04",
    codes: { "Chief executive officer": "C", Headteacher: "D" },
    reason: "2025 review: senior leaders' development is planned across the trust by the central team.",
  },
  {
    key: "SEED-10",
    codes: { "Cluster governing body": "M" },
    reason: "2025 review: the clusters stop monitoring the schools' work with parents, which the advisory boards, with their parent members, already monitor.",
  },
];

export const DEMO_DRAFT_REASON = "Annual review 2026";

const CURRICULUM_MONITORING =
  "2026 review: the Education Standards Committee alone monitors the common curriculum, ending duplicated monitoring by the clusters.";

/**
 * Version 3, the CEO's draft: at thirteen schools the CEO steps back from operational decisions to
 * direct and enable (the research's CEO break point at 10–15 schools), the clusters take on teachers'
 * development, and duplicated monitoring goes.
 */
export const DEMO_DRAFT_REVISIONS: DemoRevision[] = [
  {
    key: "STAT-L2",
    codes: { "Chief executive officer": "M", "Central team": "D" },
    reason: "2026 review: the directors of education appraise the headteachers of their clusters; the CEO moderates.",
  },
  {
    key: "SEED-14-c",
    codes: { "Chief executive officer": "I", "Central team": "D" },
    reason: "2026 review: IT decisions pass to the director of operations within the agreed budget.",
  },
  {
    key: "SEED-05",
    codes: { "Cluster governing body": "M" },
    reason: "2026 review: the central team now delivers teachers' development through the clusters, so each cluster governing body monitors it.",
  },
  {
    key: "SEED-13",
    codes: { "School advisory board": "C" },
    reason: "2026 review: advisory boards are consulted on how each school shows its own identity within the trust brand.",
  },
  // A cleared cell has nowhere to hold a note, so the reason for these two is kept here only.
  { key: "SEED-06", codes: { "Cluster governing body": null }, reason: CURRICULUM_MONITORING },
  { key: "SEED-07", codes: { "Cluster governing body": null }, reason: CURRICULUM_MONITORING },
];
