/**
 * Effective schemes and full validation with earned autonomy, in this process (no server): the
 * national trust's draft with tier variants for T1, T3 and T4, bespoke variations spread over its
 * schools (300 at 100 schools), a decided tier for every school (T0 … T4) and an autonomy context
 * (the default tier policy; per school its tier decisions, performance records and reviews), so that
 * the earned-autonomy checks have real work to do.
 *
 * Timed, at 100 and 1,000 schools: (a) the effective scheme of every school (effectiveCells, base ←
 * its decided tier's variants ← its own variations); (b) validateScheme with the autonomy context,
 * every rule over every school; and the two one after the other. The database only loads the scheme.
 */
import { TIERS, type Tier } from "~/domain/autonomy";
import type { AutonomyContext, SchoolAutonomy, SchoolReview, TierDecision } from "~/domain/autonomy-context";
import type { DecisionCode } from "~/domain/codes";
import { monthsAfter } from "~/domain/dates";
import { currentDecision } from "~/domain/decided-tier";
import type { PerformanceRecord, ReportCard, ReportCardGrade } from "~/domain/performance";
import { validateScheme } from "~/domain/rules";
import { DEFAULT_RULE_SETTINGS } from "~/domain/rules/settings";
import type { Finding, RuleContext } from "~/domain/rules/types";
import { cellKey, effectiveCells, mayDecide, permittedCodes, type Scheme, type SchemeColumn, type SchemeRow, type Variant } from "~/domain/scheme";
import { deriveStrategyCluster } from "~/domain/strategy-cluster";
import type { BodyKind } from "~/domain/structure";
import { DEFAULT_TIER_POLICY } from "~/domain/tier-policy";
import type { Benchmark, Figure } from "./types";
import { byFamily, CLUSTER_2_STRATEGY, loadNationalScheme, percentile } from "./validation";

const SCHOOL_COUNTS = [100, 1000] as const;
const WARM_UP = 5;
const TIMED = 30;
const TODAY = "2026-11-23";

/** The issue's target: effective schemes and validation of the 100-school trust together, and validation alone. */
export const EFFECTIVE_SCHEMES_TARGET_MS = 100;
/** (p50 at 1000 / p50 at 100) / 10: 1.0 is exactly linear; the margin is for the machine's noise (as in validation.ts). */
export const EFFECTIVE_SCHEMES_GROWTH_TARGET = 1.2;

/**
 * Bespoke variations per school, repeating over the schools: 30 per ten schools, so 300 at 100
 * schools (and 3,000 at 1,000); two schools in ten have none, the others two to six.
 */
const BESPOKE_PATTERN = [0, 2, 3, 5, 4, 6, 0, 3, 4, 3] as const;

/** Decided tiers, repeating over every twenty schools: 1 in transition, 5 with earned autonomy, 8 standard, 4 supported, 2 in intervention. */
const TIER_PATTERN: readonly Tier[] = ["T2", "T1", "T2", "T3", "T1", "T2", "T4", "T2", "T1", "T3", "T0", "T2", "T1", "T2", "T3", "T2", "T1", "T4", "T3", "T2"];

/** The most cells one tier's variants change (the issue's realistic set: 10–20 cells per tier). */
const TIER_CELLS_MAX = 20;

// ---------------------------------------------------------------- tier variants

/** A tier's variants as they are built: only cells on unlocked rows (EA-14), with codes the row permits there, that differ from the base. */
class TierVariants {
  readonly cells: Record<string, Variant> = {};
  constructor(
    private readonly scheme: Scheme,
    private readonly note: string,
  ) {}

  get size(): number {
    return Object.keys(this.cells).length;
  }

  set(row: SchemeRow, column: SchemeColumn, code: DecisionCode | null): boolean {
    if (row.locked || this.size >= TIER_CELLS_MAX) return false;
    if (code !== null && !permittedCodes(row, column.kind).includes(code)) return false;
    const key = cellKey(row.id, column.id);
    if ((this.scheme.cells[key]?.code ?? null) === code || key in this.cells) return false;
    this.cells[key] = { code, note: code === null ? null : this.note };
    return true;
  }

  /** Moves the row's decision to `to`: the base's deciders then monitor (or lose the cell where M is not allowed). Needs room for every cell. */
  moveDecision(row: SchemeRow, to: SchemeColumn): boolean {
    if (row.locked || !mayDecide(row, to.kind)) return false;
    const deciders = this.scheme.columns.filter((c) => c.id !== to.id && this.scheme.cells[cellKey(row.id, c.id)]?.code === "D");
    if (this.size + 1 + deciders.length > TIER_CELLS_MAX) return false;
    if (!this.set(row, to, "D")) return false;
    for (const column of deciders) this.set(row, column, permittedCodes(row, column.kind).includes("M") ? "M" : null);
    return true;
  }
}

function baseCode(scheme: Scheme, row: SchemeRow, column: SchemeColumn): DecisionCode | null {
  return scheme.cells[cellKey(row.id, column.id)]?.code ?? null;
}

/**
 * The variants a trust of this kind writes for three tiers (docs/earned-autonomy.md, "What changes
 * in the scheme"): earned autonomy gives the school its budget and the innovation-eligible rows and
 * makes the head a giver of school-to-school support; support moves the head's appraisal and the
 * budget to the trust's officers and takes a few local decisions to the director of education;
 * intervention suspends the local board's decisions (its D become M, the CEO decides).
 */
function addTierVariants(scheme: Scheme): Partial<Record<Tier, number>> {
  const column = (kind: BodyKind, name?: string) => scheme.columns.find((c) => c.kind === kind && (name === undefined || c.name.includes(name)));
  const head = column("school");
  const local = column("local");
  const ceo = column("executive", "Chief executive");
  const cfo = column("executive", "financial");
  const education = column("executive", "education");
  if (!head || !local || !ceo || !cfo || !education) throw new Error("The national trust lacks a headteacher, local board, CEO, CFO or director of education column.");
  const unlocked = scheme.rows.filter((row) => !row.locked);
  const byKey = (...keys: string[]) => unlocked.filter((row) => row.catalogueKey !== null && keys.includes(row.catalogueKey));

  const t1 = new TierVariants(scheme, "Earned autonomy: the school decides.");
  for (const row of byKey("SEED-14", "SEED-14-a")) t1.moveDecision(row, head);
  for (const row of unlocked.filter((r) => r.area === 10 && r.catalogueKey !== "STAT-S1").slice(0, 4)) {
    if (baseCode(scheme, row, head) !== "D") t1.set(row, head, "E");
  }
  for (const row of unlocked.filter((r) => r.tags.includes("innovation-eligible"))) {
    if (t1.size >= 16) break;
    t1.moveDecision(row, head);
  }

  const t3 = new TierVariants(scheme, "Supported: with the trust's officers.");
  for (const row of byKey("STAT-L2")) t3.moveDecision(row, education);
  for (const row of byKey("SEED-14", "SEED-14-a")) t3.moveDecision(row, cfo);
  for (const row of unlocked.filter((r) => (r.area === 3 || r.area === 4) && [head, local].some((c) => baseCode(scheme, r, c) === "D"))) {
    if (t3.size >= 14) break;
    t3.moveDecision(row, education);
  }

  const t4 = new TierVariants(scheme, "Intervention: the local board's decisions are suspended.");
  for (const row of byKey("STAT-L2")) t4.moveDecision(row, education);
  for (const row of unlocked.filter((r) => baseCode(scheme, r, local) === "D")) t4.moveDecision(row, ceo);

  scheme.tierCells = { T1: t1.cells, T3: t3.cells, T4: t4.cells };
  return { T1: t1.size, T3: t3.size, T4: t4.size };
}

// ---------------------------------------------------------------- bespoke variations

/** The columns a school's own variation changes: its cluster, its local board, its head. */
const VARIED_KINDS: readonly BodyKind[] = ["cluster", "local", "school"];

/**
 * Bespoke variations, BESPOKE_PATTERN's number per school on unlocked rows: the next code the row
 * allows in the school's cluster, local-board or head column, or, one in seven, the base cell cleared.
 */
function addBespokeVariations(scheme: Scheme): { schools: number; cells: number } {
  const rows = scheme.rows.filter((row) => !row.locked);
  const columns = scheme.columns.filter((column) => VARIED_KINDS.includes(column.kind));
  const schoolCells: Scheme["schoolCells"] = {};
  let cells = 0;
  scheme.schools.forEach((school, index) => {
    const wanted = BESPOKE_PATTERN[index % BESPOKE_PATTERN.length]!;
    if (wanted === 0) return;
    const variations: Record<string, Variant> = {};
    for (let k = 0, made = 0; made < wanted && k < wanted * 10; k++) {
      const row = rows[(index * 13 + k * 29) % rows.length]!;
      const column = columns[(index + k) % columns.length]!;
      const key = cellKey(row.id, column.id);
      if (key in variations) continue;
      const base = scheme.cells[key]?.code ?? null;
      const codes: DecisionCode[] = permittedCodes(row, column.kind).filter((c) => c !== "—");
      let code: DecisionCode | null;
      if ((index + k) % 7 === 6 && base !== null) code = null;
      else if (codes.length === 0) continue;
      else code = codes[(codes.indexOf(base as DecisionCode) + 1 + (index % 2)) % codes.length]!;
      if (code === base) continue;
      variations[key] = { code, note: code === null ? null : "Agreed for this school at its last autonomy review." };
      made++;
      cells++;
    }
    schoolCells[school.id] = variations;
  });
  scheme.schoolCells = schoolCells;
  return { schools: Object.keys(schoolCells).length, cells };
}

// ---------------------------------------------------------------- the autonomy context

let nextId = 0;
const id = (prefix: string) => `${prefix}-${++nextId}`;

function record(schoolId: string, asOf: string, entry: Partial<PerformanceRecord>): PerformanceRecord {
  return {
    id: id("record"),
    schoolId,
    source: "manual",
    asOf,
    inspection: { framework: "none" },
    safeguardingMet: null,
    outcomesBand: null,
    trend: null,
    inYearBalance: null,
    reserves: null,
    deficit: null,
    safeguardingAudit: null,
    leadershipStability: null,
    terminationWarning: false,
    note: null,
    ...entry,
  };
}

function reportCard(grade: ReportCardGrade, weakest: ReportCardGrade): ReportCard {
  return {
    "leadership-and-governance": grade,
    "curriculum-and-teaching": grade,
    "attendance-and-behaviour": grade,
    achievement: weakest,
    "personal-development-and-wellbeing": grade,
    inclusion: grade,
  };
}

/**
 * One school's decisions, records and reviews, consistent with its decided tier for the most part,
 * with the departures real trusts have: a T1 school whose latest audit is amber or whose outcomes
 * slipped, a school in deficit, overdue reviews, a decision without a next review date, a step up
 * from support, a joiner past its transition, an inspection that finds safeguarding not met.
 */
function schoolAutonomy(scheme: Scheme, index: number, tier: Tier): SchoolAutonomy {
  const school = scheme.schools[index]!;
  const board = scheme.columns.find((c) => c.kind === "board")!;
  const committee = scheme.columns.find((c) => c.kind === "committee")!;
  const n = Math.floor(index / TIER_PATTERN.length);
  if (tier === "T0") {
    // Joiners: most within their year of transition, one in three past it (EA-12).
    school.joinedOn = monthsAfter(TODAY, n % 3 === 2 ? -14 : -(3 + (n % 8)));
  }
  const decidedOn = tier === "T0" ? school.joinedOn! : monthsAfter(TODAY, -(2 + (index % 15)));
  const decider = index % 3 === 0 ? committee : board;
  const decisions: TierDecision[] = [];
  // Some schools stepped up from support or intervention; the earlier decision is what EA-11 reads.
  // Others have held earned autonomy for years (EA-13 reads how long).
  const previous: Tier | null =
    tier === "T2" && index % 4 === 1 ? "T3" : tier === "T3" && index % 3 === 0 ? "T4" : tier === "T1" && n % 3 === 0 ? "T1" : tier === "T0" ? null : "T2";
  if (previous) {
    const from = monthsAfter(decidedOn, -18);
    decisions.push({ id: id("decision"), schoolId: school.id, tier: previous, decidedBy: { id: board.id, name: board.name, kind: "board" }, decidedOn: from, effectiveFrom: from, evidence: "The trust's annual review of tiers.", nextReviewOn: monthsAfter(from, 12) });
  }
  decisions.push({
    id: id("decision"),
    schoolId: school.id,
    tier,
    decidedBy: { id: decider.id, name: decider.name, kind: decider.kind },
    decidedOn,
    effectiveFrom: decidedOn,
    evidence: index % 11 === 5 ? "" : "Academy improvement review, the latest inspection and the school's data.",
    nextReviewOn: index % 9 === 4 ? null : monthsAfter(decidedOn, 6),
  });

  const inspected = monthsAfter(TODAY, -(8 + (index % 30)));
  const asReportCard = index % 5 === 3;
  const legacyGrade = ({ T0: 2, T1: index % 2 === 0 ? 1 : 2, T2: 2, T3: 3, T4: 4 } as const)[tier];
  const cardGrade = ({ T0: "expected", T1: "strong", T2: "expected", T3: "needs-attention", T4: "urgent-improvement" } as const)[tier];
  const safeguardingMet = !(tier === "T4" && index % 2 === 0) && !(tier === "T1" && n % 7 === 3);
  const inspection: PerformanceRecord = record(school.id, inspected, {
    inspection: asReportCard ? { framework: "report-card", grades: reportCard(cardGrade, tier === "T1" && n % 5 === 4 ? "needs-attention" : cardGrade) } : { framework: "legacy", grade: legacyGrade },
    safeguardingMet,
    source: "gias",
  });
  const bands = DEFAULT_TIER_POLICY.outcomesBands;
  const band = ({ T0: 2, T1: 3, T2: 2, T3: 1, T4: 0 } as const)[tier];
  const slipped = tier === "T1" && n % 4 === 1;
  // Outcomes falling two years running with no inspection since: one tier down is proposed (EA-03).
  const falling = tier === "T2" && index % 17 === 8;
  const deficit = index % 13 === 7;
  const lastYear = record(school.id, monthsAfter(TODAY, -13), {
    outcomesBand: bands[band]!,
    trend: falling ? "declining" : "stable",
    inYearBalance: deficit ? -85_000 : 40_000 + (index % 9) * 5_000,
    reserves: 250_000 + (index % 7) * 30_000,
    deficit: false,
    safeguardingAudit: "green",
    leadershipStability: "stable",
  });
  const latest = record(school.id, monthsAfter(TODAY, -2), {
    outcomesBand: bands[slipped ? band - 2 : band]!,
    trend: slipped || falling ? "declining" : tier === "T3" || tier === "T4" ? "improving" : "stable",
    inYearBalance: deficit ? -120_000 : 20_000 + (index % 5) * 10_000,
    reserves: deficit ? -40_000 : 230_000 + (index % 7) * 25_000,
    deficit,
    safeguardingAudit: tier === "T1" && n % 6 === 2 ? "amber" : tier === "T4" ? "red" : "green",
    leadershipStability: tier === "T3" || tier === "T4" ? "some-change" : "stable",
    terminationWarning: tier === "T4" && index % 4 === 3,
  });

  // Reviews at the tier's cadence, the latest one to nine months ago, so some are overdue (EA-06).
  const perYear = DEFAULT_TIER_POLICY.tiers[tier].reviewsPerYear;
  const lastReviewed = monthsAfter(TODAY, -(1 + (index % 9)));
  const reviews: SchoolReview[] = [];
  for (let k = 0; k < 3; k++) {
    const reviewedOn = monthsAfter(lastReviewed, -Math.round((12 / perYear) * k));
    if (tier === "T0" && reviewedOn < school.joinedOn!) break;
    const travel = previous === "T3" || previous === "T4" || tier === "T3" ? "improving" : k === 0 && index % 10 === 6 ? "declining" : "steady";
    reviews.push({ id: id("review"), schoolId: school.id, reviewedOn, travel, summary: null });
  }
  return { decisions, records: [inspection, lastYear, latest], reviews };
}

function autonomyContext(scheme: Scheme): AutonomyContext {
  const schools: AutonomyContext["schools"] = {};
  scheme.schools.forEach((school, index) => {
    schools[school.id] = schoolAutonomy(scheme, index, TIER_PATTERN[index % TIER_PATTERN.length]!);
  });
  return { policy: DEFAULT_TIER_POLICY, schools };
}

// ---------------------------------------------------------------- measuring

function byRule(findings: Finding[], family: Finding["family"]): string {
  const counts = new Map<string, number>();
  for (const f of findings) if (f.family === family) counts.set(f.ruleId, (counts.get(f.ruleId) ?? 0) + 1);
  return [...counts].sort(([a], [b]) => a.localeCompare(b, "en", { numeric: true })).map(([rule, n]) => `${rule} ${n}`).join(", ");
}

interface Timing {
  p50: number;
  p95: number;
}

interface Measurement {
  schools: number;
  effective: Timing;
  validation: Timing;
  both: Timing;
  cells: number;
  tierCells: Partial<Record<Tier, number>>;
  tiers: string;
  bespoke: { schools: number; cells: number };
  findings: number;
  families: string;
  earned: string;
}

const timing = (times: number[]): Timing => ({ p50: percentile(times, 50), p95: percentile(times, 95) });
const ms = (t: number) => `${t.toFixed(1)} ms`;

function verdict(label: string, t: Timing): string {
  const met = t.p50 < EFFECTIVE_SCHEMES_TARGET_MS;
  return `${met ? "PASS" : "MISS"}: ${label} p50 ${ms(t.p50)} ${met ? "<" : "≥"} ${EFFECTIVE_SCHEMES_TARGET_MS} ms (p95 ${ms(t.p95)})`;
}

export const effectiveSchemes: Benchmark = {
  name: "effective-schemes",
  summary: "Every school's effective scheme and every rule of validateScheme with tier variants, 300 bespoke variations and earned-autonomy data (100 and 1,000 schools), in-process",
  async run(target, log) {
    const cluster = deriveStrategyCluster(CLUSTER_2_STRATEGY.ratings).cluster;
    if (cluster !== 2) throw new Error(`The benchmark's ratings should put the trust in Cluster 2, not ${cluster ?? "no cluster"}.`);
    const measurements: Measurement[] = [];
    for (const schools of SCHOOL_COUNTS) {
      const scheme = await loadNationalScheme(target, schools);
      const tierCells = addTierVariants(scheme);
      const bespoke = addBespokeVariations(scheme);
      const autonomy = autonomyContext(scheme);
      // The decided tier of each school, as the school's page reads it: its decision in effect today.
      const decided = scheme.schools.map((school) => ({ id: school.id, tier: currentDecision(autonomy.schools[school.id]!.decisions, TODAY)?.tier ?? null }));
      const spread = TIERS.map((tier) => `${decided.filter((d) => d.tier === tier).length} ${tier}`).join(", ");
      const base: Omit<RuleContext, "autonomy"> = { scheme, strategy: CLUSTER_2_STRATEGY, cluster, settings: DEFAULT_RULE_SETTINGS, today: TODAY };

      // Every school's effective scheme, kept as a page or an export would keep it; counted after the timing.
      const effective = () => decided.map(({ id: schoolId, tier }) => effectiveCells(scheme, schoolId, tier));
      // A new context each run: the checks work out each school's tier and recommendation once per
      // context (tiered-schools.ts), so reusing one would time that work only on the first run.
      const validate = () => validateScheme({ ...base, autonomy });

      let findings: Finding[] = [];
      let schemes: ReturnType<typeof effective> = [];
      for (let i = 0; i < WARM_UP; i++) {
        schemes = effective();
        findings = validate();
      }
      const times = { effective: [] as number[], validation: [] as number[], both: [] as number[] };
      for (let i = 0; i < TIMED; i++) {
        const started = performance.now();
        schemes = effective();
        const between = performance.now();
        findings = validate();
        const ended = performance.now();
        times.effective.push(between - started);
        times.validation.push(ended - between);
        times.both.push(ended - started);
      }
      const cells = schemes.reduce((sum, cellsOf) => sum + Object.keys(cellsOf).length, 0);
      const m: Measurement = {
        schools,
        effective: timing(times.effective),
        validation: timing(times.validation),
        both: timing(times.both),
        cells,
        tierCells,
        tiers: spread,
        bespoke,
        findings: findings.length,
        families: byFamily(findings),
        earned: byRule(findings, "earned-autonomy"),
      };
      measurements.push(m);
      log(
        `${schools} schools (${spread}; tier variants ${TIERS.filter((t) => tierCells[t]).map((t) => `${t} ${tierCells[t]}`).join(", ")} cells; ${bespoke.cells} bespoke variations over ${bespoke.schools} schools):`,
      );
      log(`  (a) effective schemes, all ${schools} (${cells} cells): p50 ${ms(m.effective.p50)}, p95 ${ms(m.effective.p95)}`);
      log(`  (b) validateScheme with autonomy: p50 ${ms(m.validation.p50)}, p95 ${ms(m.validation.p95)}; ${m.findings} findings (${m.families}); earned autonomy: ${m.earned}`);
      log(`  (a)+(b): p50 ${ms(m.both.p50)}, p95 ${ms(m.both.p95)}`);
      if (schools === 100) {
        log(`  ${verdict("(a)+(b)", m.both)}`);
        log(`  ${verdict("(b)", m.validation)}`);
      }
    }
    const at = (schools: number) => measurements.find((m) => m.schools === schools)!;
    const growth = (pick: (m: Measurement) => Timing) => pick(at(1000)).p50 / pick(at(100)).p50 / 10;
    const growthDetail = (pick: (m: Measurement) => Timing) =>
      `(p50 at 1000 schools ${ms(pick(at(1000)).p50)} / p50 at 100 schools ${ms(pick(at(100)).p50)}) / 10: 1.0 is linear, above it faster than linear; the target allows ${EFFECTIVE_SCHEMES_GROWTH_TARGET} for the machine's noise`;
    log(
      `growth 100 → 1000 schools: (a) ${growth((m) => m.effective).toFixed(2)}, (b) ${growth((m) => m.validation).toFixed(2)}, (a)+(b) ${growth((m) => m.both).toFixed(2)} (1.0 is linear)`,
    );
    const detail = (m: Measurement) =>
      `${m.schools} schools (${m.tiers}), tier variants ${TIERS.filter((t) => m.tierCells[t]).map((t) => `${t} ${m.tierCells[t]}`).join(" / ")} cells, ${m.bespoke.cells} bespoke variations over ${m.bespoke.schools} schools; ${WARM_UP} warm-up then ${TIMED} runs: (a) p50 ${ms(m.effective.p50)} p95 ${ms(m.effective.p95)}, (b) p50 ${ms(m.validation.p50)} p95 ${ms(m.validation.p95)}; ${m.findings} findings (${m.families}; earned autonomy ${m.earned})`;
    const figures: Figure[] = [];
    for (const m of measurements) {
      const targeted = m.schools === 100 ? { target: { below: EFFECTIVE_SCHEMES_TARGET_MS } } : {};
      figures.push(
        { name: `effective schemes p50, ${m.schools} schools`, value: m.effective.p50, unit: "ms" },
        { name: `effective schemes p95, ${m.schools} schools`, value: m.effective.p95, unit: "ms" },
        { name: `validation with autonomy p50, ${m.schools} schools`, value: m.validation.p50, unit: "ms", ...targeted },
        { name: `validation with autonomy p95, ${m.schools} schools`, value: m.validation.p95, unit: "ms" },
        { name: `effective schemes + validation p50, ${m.schools} schools`, value: m.both.p50, unit: "ms", ...targeted, detail: detail(m) },
        { name: `effective schemes + validation p95, ${m.schools} schools`, value: m.both.p95, unit: "ms" },
      );
    }
    figures.push(
      { name: "effective schemes growth, 100 → 1000 schools", value: Number(growth((m) => m.effective).toFixed(2)), unit: "", detail: growthDetail((m) => m.effective) },
      {
        name: "validation with autonomy growth, 100 → 1000 schools",
        value: Number(growth((m) => m.validation).toFixed(2)),
        unit: "",
        target: { atMost: EFFECTIVE_SCHEMES_GROWTH_TARGET },
        detail: growthDetail((m) => m.validation),
      },
      {
        name: "effective schemes + validation growth, 100 → 1000 schools",
        value: Number(growth((m) => m.both).toFixed(2)),
        unit: "",
        target: { atMost: EFFECTIVE_SCHEMES_GROWTH_TARGET },
        detail: growthDetail((m) => m.both),
      },
    );
    return figures;
  },
};
