import { AREAS } from "./areas";
import type { BodyKind } from "./structure";

/** A row of the default responsibility catalogue every new trust starts from (domain.md §5(a)). */
export interface CatalogueEntry {
  /** SEED-nn for the research's surveyed responsibilities, STAT-xx for statutory decisions, DER-nn derived. */
  key: string;
  area: number;
  ref: string;
  title: string;
  guidance: string;
  /** Kinds allowed to hold D (undefined: any). */
  decisionKinds?: BodyKind[];
  /** Kinds that may hold no code at all on this row. */
  excludedKinds?: BodyKind[];
  /** The statutory constraints the row carries (domain.md §4), e.g. "ST-12" or "ST-16, ST-17". */
  statutoryRule?: string;
  locked?: boolean;
  externalApproval?: boolean;
  tags?: string[];
}

/** Rows that stay with the trust even for schools with earned autonomy (MAT 30's "strands of consistency", EA-07). */
export const STRAND_OF_CONSISTENCY = "strand-of-consistency";
/** Rows a school with earned autonomy may take over in a trust that seeks consistency (EA-07). */
export const INNOVATION_ELIGIBLE = "innovation-eligible";

type Row = Omit<CatalogueEntry, "area" | "ref">;

const strand = [STRAND_OF_CONSISTENCY];
const innovation = [INNOVATION_ELIGIBLE];

/**
 * The rows of each research area, in the order they are numbered. The research does not map its 15
 * surveyed responsibilities to its 12 areas; the mapping is domain.md §5(a)'s. Rows without
 * decisionKinds are the ones a trust's strategy decides, so the catalogue leaves them open.
 */
const ROWS_BY_AREA: Record<number, Row[]> = {
  1: [
    {
      key: "SEED-12",
      title: "Individual academies' vision and values",
      guidance:
        "How far each school shapes its own vision and values within the trust's. Trusts that protect each school's identity keep this local; the trust's own vision is a separate row.",
    },
    {
      key: "STAT-G1",
      title: "Set the trust's vision, values and strategic aims",
      guidance:
        "Setting the trust's strategic direction is a core function of the board (DfE governance guide), so only the board decides; the CEO usually recommends.",
      decisionKinds: ["board"],
    },
    {
      key: "STAT-G2",
      title: "Determine the religious character and ethos of church academies",
      guidance:
        "Set by the articles and the diocese's agreements: changes need the diocese's agreement (Diocesan Director of Education or Diocesan Education Service). Applies to church academies only.",
      decisionKinds: ["members", "external"],
      statutoryRule: "ST-25",
      locked: true,
      externalApproval: true,
    },
  ],
  2: [
    {
      key: "DER-01",
      title: "Enrichment and extra-curricular offer (trust-wide programme or each school's choice)",
      guidance:
        "Whether the trust runs a common enrichment programme or each school chooses its own, from the strategy statement \"Focusing on enrichment while schools pursue their own approach to the core curriculum\".",
      tags: innovation,
    },
  ],
  3: [
    {
      key: "SEED-06",
      title: "Curriculum and assessment in general",
      guidance:
        "The curriculum and how pupils are assessed across subjects and years. Trusts seeking consistent pedagogy usually hold it centrally; a school with earned autonomy may be trusted with its own.",
      tags: innovation,
    },
    {
      key: "SEED-07",
      title: "Curriculum and assessment for Year 6 English, maths, science and/or EBacc subjects",
      guidance:
        "The core subjects behind published results, usually the first part of the curriculum a trust aligns. A national curriculum duty for academies is pending (Children's Wellbeing and Schools Bill).",
    },
    {
      key: "DER-02",
      title: "Pedagogy: the trust's teaching and learning model",
      guidance:
        "Whether every school teaches to a common model. The research found this the item on which trusts differ most (median 3 against 9 on its 0–10 scale).",
      tags: innovation,
    },
  ],
  4: [
    {
      key: "SEED-11",
      title:
        "Pupil policies (e.g. behaviour/uniform) and the pastoral system (e.g. safeguarding and the role of form tutors)",
      guidance:
        "Behaviour, uniform and pastoral policies and how they are run. Behaviour is one of the research's \"strands of consistency\" that stay with the trust even for schools with earned autonomy.",
      tags: strand,
    },
    {
      key: "STAT-P1",
      title: "Determine admission arrangements and published admission numbers",
      guidance:
        "The trust is the admission authority: the board determines arrangements by 28 February, after at least six weeks' consultation between 1 October and 31 January where they change (School Admissions Code). Local boards may recommend or be consulted.",
      decisionKinds: ["board"],
      statutoryRule: "ST-20",
      locked: true,
    },
    {
      key: "STAT-P2",
      title: "Review suspensions and permanent exclusions (considering reinstatement)",
      guidance:
        "The board, or a committee or local board panel it delegates to, must consider reinstatement within 15 school days (DfE suspension and exclusion guidance). The headteacher who excluded cannot review the decision.",
      decisionKinds: ["board", "committee", "local"],
      excludedKinds: ["school"],
      statutoryRule: "ST-21",
      locked: true,
    },
    {
      key: "STAT-P3",
      title: "Hear complaints at the final stage (complaints panel)",
      guidance:
        "A panel of at least three people not directly involved, one of them independent of the management and running of the school (Independent School Standards, Part 7). School leaders cannot sit on it.",
      decisionKinds: ["board", "committee", "local"],
      excludedKinds: ["school"],
      statutoryRule: "ST-22",
      locked: true,
    },
    {
      key: "STAT-P4",
      title: "Safeguarding policy, designated safeguarding lead appointment and board safeguarding lead",
      guidance:
        "The trust as proprietor approves the safeguarding policy and names a senior board-level lead; every school needs a trained designated safeguarding lead (Keeping children safe in education).",
      decisionKinds: ["board", "committee"],
      statutoryRule: "ST-23",
      locked: true,
      tags: strand,
    },
    {
      key: "STAT-P5",
      title: "SEND policy and oversight; SEN governor",
      guidance:
        "The trust carries the duties of the Children and Families Act 2014 and the SEND Code of Practice. Trusts differ on who sets policy and who names a SEN governor, so no level is fixed here.",
    },
  ],
  5: [
    {
      key: "SEED-15",
      title: "Information management systems and the use of information (e.g. pupil and workforce data)",
      guidance:
        "Management information, tracking and assessment systems and how data is used. Staff in the research wanted more standardisation here; one trust made its tracking system non-negotiable for joiners.",
      tags: strand,
    },
    {
      key: "STAT-I1",
      title: "Data protection: ICO registration, data protection officer and policy",
      guidance:
        "The trust, not each school, is the data controller under UK GDPR: it registers with the ICO and appoints the data protection officer, so the decision sits at trust level.",
      decisionKinds: ["board", "committee", "executive"],
    },
  ],
  6: [
    {
      key: "SEED-10",
      title: "Parent and community engagement",
      guidance:
        "How schools involve parents and their communities. The model articles require at least two parent trustees or two parent members of each local board; trusts in the research rated themselves weakest here.",
      statutoryRule: "ST-19",
    },
  ],
  7: [
    {
      key: "SEED-03",
      title: "Recruitment of teachers",
      guidance: "The trust employs every teacher; schools usually select their own within the agreed staffing structure.",
    },
    {
      key: "SEED-04",
      title: "Development of senior school staff",
      guidance:
        "Developing headteachers and senior leaders: an area where staff in the research wanted more standardisation, and one of its \"strands of consistency\".",
      tags: strand,
    },
    {
      key: "SEED-05",
      title: "Development of teachers",
      guidance: "Professional development of teachers; a school with earned autonomy may run its own programme.",
      tags: innovation,
    },
    {
      key: "STAT-W1",
      title: "Pay policy and pay awards, staffing structures, disciplinary and dismissal procedures and appeals",
      guidance:
        "The trust is the employer of all staff, so it adopts the pay policy and staff procedures. Applying them (a school's staffing structure, hearing appeals) is often delegated, so no level is fixed here.",
    },
  ],
  8: [
    {
      key: "SEED-01",
      title: "Recruitment of principals",
      guidance:
        "Appointing headteachers: the most centralised responsibility in the research. Local boards usually take part in the process as the trust asks.",
    },
    {
      key: "SEED-02",
      title: "Recruitment of school SLT below principal",
      guidance: "Appointing deputy and assistant headteachers and other senior leaders below the headteacher.",
    },
    {
      key: "STAT-L1",
      title: "Appoint and dismiss the CEO (accounting officer) and chief financial officer; CEO appraisal and pay",
      guidance:
        "The board must appoint the CEO as accounting officer and a chief financial officer (Academy Trust Handbook). The full board approves executive pay even when a committee recommends it; nobody decides their own pay.",
      decisionKinds: ["board"],
      statutoryRule: "ST-05, ST-06, ST-18",
      locked: true,
    },
    {
      key: "STAT-L2",
      title: "Headteacher performance management",
      guidance:
        "Often moves with a school's autonomy tier (DCAT: by the CEO for strong schools, by the deputy CEO where a school needs support). A headteacher cannot appraise themselves, so the school level cannot decide.",
      decisionKinds: ["board", "committee", "executive", "cluster", "local"],
    },
  ],
  9: [
    {
      key: "SEED-08",
      title: "Governance of individual schools in terms of most aspects of budgeting, operations and education",
      guidance:
        "How much of each school's budgeting, operations and education its local board governs. A local tier may decide, only advise, or not exist; advisory boards cannot decide.",
    },
    {
      key: "STAT-G3",
      title:
        "Members' reserved powers: appoint and remove members and trustees, amend the articles, appoint the auditors, receive the accounts",
      guidance:
        "Reserved to the members by the articles and company law (at least three members, ideally five, none of them employees; Academy Trust Handbook 1.3–1.7). Local boards and school leaders have no part in them.",
      decisionKinds: ["members"],
      excludedKinds: ["local", "school"],
      statutoryRule: "ST-01, ST-02, ST-03, ST-04, ST-24",
      locked: true,
    },
    {
      key: "STAT-G4",
      title: "Approve and review the scheme of delegation, the terms of reference of committees and local boards, and the board's reserved matters",
      guidance:
        "A delegation exists only as a recorded decision of the full board; anything not delegated stays with the board. Review the scheme every year and after any change of structure (Academy Trust Handbook).",
      decisionKinds: ["board"],
      statutoryRule: "ST-14, ST-26",
      locked: true,
    },
    {
      key: "STAT-G5",
      title: "Appoint and remove local board chairs and local governors; appoint the governance professional",
      guidance:
        "Local boards are committees of the trust board, so the trust appoints their members, often through its governance lead. The governance professional must not be a trustee, headteacher or the CEO.",
      decisionKinds: ["board", "committee", "executive"],
      statutoryRule: "ST-10",
    },
    {
      key: "STAT-G6",
      title: "Academies joining or leaving the trust; growth",
      guidance:
        "Decided by the members or the board, as the trust's articles say; a school's transfer also needs the Department for Education's approval.",
      decisionKinds: ["members", "board"],
      externalApproval: true,
    },
  ],
  10: [
    {
      key: "SEED-09",
      title: "Design and delivery of school improvement approaches",
      guidance:
        "Who designs and delivers school improvement: a hub, central consultants or experts, clusters, or a self-improving network of schools.",
    },
    {
      key: "STAT-S1",
      title: "Decide each school's category and earned-autonomy tier",
      guidance:
        "Usually proposed by the CEO with the headteacher and confirmed by the board or its standards committee. Record the evidence, who decided and the next review date.",
      decisionKinds: ["board", "committee"],
    },
  ],
  11: [
    {
      key: "SEED-13",
      title: "Academy branding and communications",
      guidance: "Each school's name, logo, website and communications, or a common trust brand.",
    },
    {
      key: "STAT-C1",
      title: "Publish governance information on the website (scheme of delegation, structure, chairs' names)",
      guidance:
        "The trust must publish its scheme of delegation and a simple governance summary with the full names of the chairs on a web page, readable without a download (Academy Trust Handbook).",
      decisionKinds: ["board", "committee", "executive"],
      statutoryRule: "ST-14",
      locked: true,
    },
  ],
  12: [
    {
      key: "SEED-14",
      title: "Back office services (finance, IT, HR, audit, estates, procurement)",
      guidance:
        "The most centralised functions after the recruitment of principals in the research, and one of its \"strands of consistency\". Each service can be set separately in the rows that follow.",
      tags: strand,
    },
    {
      key: "SEED-14-a",
      title: "Budget setting: each school's budget plan",
      guidance: "Preparing and monitoring each school's budget within the trust's; the trust budget itself is approved by the board.",
    },
    {
      key: "SEED-14-b",
      title: "Procurement and contracts",
      guidance: "Buying goods and services and signing contracts, within the limits of the scheme of financial delegation.",
    },
    {
      key: "SEED-14-c",
      title: "IT systems and support",
      guidance: "Networks, devices, software licences and technical support for schools and the central team.",
    },
    {
      key: "SEED-14-d",
      title: "HR administration (payroll, contracts, records)",
      guidance: "Payroll, employment contracts and staff records for the trust as employer.",
    },
    {
      key: "SEED-14-e",
      title: "Estates and health and safety",
      guidance: "Buildings, maintenance, capital projects and health and safety; the trust is responsible for its premises.",
    },
    {
      key: "SEED-14-f",
      title: "Internal scrutiny: carrying out the checks",
      guidance:
        "Who carries out the internal scrutiny programme the audit and risk committee agrees. The external auditor cannot also do it (Academy Trust Handbook).",
    },
    {
      key: "STAT-F1",
      title: "Approve the trust budget (balanced) and significant changes to it",
      guidance:
        "The full board approves a balanced budget each year and minutes it; a committee may recommend (Academy Trust Handbook 2.9–2.11). A deficit the trust cannot address must be reported within 14 days.",
      decisionKinds: ["board"],
      statutoryRule: "ST-12",
      locked: true,
    },
    {
      key: "STAT-F2",
      title: "Approve the scheme of financial delegation",
      guidance:
        "A written scheme of financial delegation approved by the board and reviewed every year; the board cannot delegate overall responsibility for the trust's finances (Academy Trust Handbook).",
      decisionKinds: ["board"],
      statutoryRule: "ST-13",
      locked: true,
    },
    {
      key: "STAT-F3",
      title: "Annual report and accounts; appointment of the external auditor",
      guidance:
        "The board approves the audited annual report and accounts; the members receive them and appoint the external auditor (articles; Academy Trust Handbook 1.7).",
      decisionKinds: ["members", "board"],
      statutoryRule: "ST-04, ST-24",
      locked: true,
    },
    {
      key: "STAT-F4",
      title: "Related party transactions",
      guidance:
        "Every related party transaction is declared before it is agreed; one over £40,000 needs the DfE's prior approval, and all are disclosed in the accounts (Academy Trust Handbook). Not for a local board or headteacher.",
      decisionKinds: ["board", "committee"],
      statutoryRule: "ST-15",
      locked: true,
      externalApproval: true,
    },
    {
      key: "STAT-F5",
      title: "Land and lease transactions; novel or contentious transactions; special payments; write-offs",
      guidance:
        "Beyond the delegated limits these need the DfE's prior approval, and land disposals or acquisitions need the Secretary of State's consent (Academy Trust Handbook, part 5).",
      decisionKinds: ["board"],
      statutoryRule: "ST-16, ST-17",
      locked: true,
      externalApproval: true,
    },
    {
      key: "STAT-F6",
      title: "Internal scrutiny programme and risk register",
      guidance:
        "The audit and risk committee agrees the internal scrutiny programme and oversees the risk register; it must exist and report to the board (Academy Trust Handbook 3.6–3.7).",
      decisionKinds: ["committee", "board"],
      statutoryRule: "ST-11",
      locked: true,
    },
  ],
};

/** Every row, grouped by area in area order and numbered within its area: "1.1", "1.2", … */
export const DEFAULT_CATALOGUE: CatalogueEntry[] = AREAS.flatMap(({ number }) =>
  (ROWS_BY_AREA[number] ?? []).map((row, index) => ({ ...row, area: number, ref: `${number}.${index + 1}` })),
);

export function catalogueEntry(key: string): CatalogueEntry | undefined {
  return DEFAULT_CATALOGUE.find((entry) => entry.key === key);
}

/** The separate rule ids of a row's statutoryRule ("ST-16, ST-17" → ["ST-16", "ST-17"]). */
export function statutoryRuleIds(statutoryRule: string | null | undefined): string[] {
  return (statutoryRule ?? "")
    .split(",")
    .map((id) => id.trim())
    .filter((id) => id.length > 0);
}
