import { describe, expect, it } from "vitest";
import { AREAS } from "~/domain/areas";
import {
  catalogueEntry,
  DEFAULT_CATALOGUE,
  INNOVATION_ELIGIBLE,
  statutoryRuleIds,
  STRAND_OF_CONSISTENCY,
} from "~/domain/catalogue";
import { isBodyKind } from "~/domain/structure";

/** The research's 15 surveyed responsibilities, as quoted in domain.md §5(a). */
const SEED_TITLES: Record<string, string> = {
  "SEED-01": "Recruitment of principals",
  "SEED-02": "Recruitment of school SLT below principal",
  "SEED-03": "Recruitment of teachers",
  "SEED-04": "Development of senior school staff",
  "SEED-05": "Development of teachers",
  "SEED-06": "Curriculum and assessment in general",
  "SEED-07": "Curriculum and assessment for Year 6 English, maths, science and/or EBacc subjects",
  "SEED-08": "Governance of individual schools in terms of most aspects of budgeting, operations and education",
  "SEED-09": "Design and delivery of school improvement approaches",
  "SEED-10": "Parent and community engagement",
  "SEED-11":
    "Pupil policies (e.g. behaviour/uniform) and the pastoral system (e.g. safeguarding and the role of form tutors)",
  "SEED-12": "Individual academies' vision and values",
  "SEED-13": "Academy branding and communications",
  "SEED-14": "Back office services (finance, IT, HR, audit, estates, procurement)",
  "SEED-15": "Information management systems and the use of information (e.g. pupil and workforce data)",
};

/** Every STAT row of domain.md §5(a) and the area it sits in. */
const STAT_ROWS: Record<string, number> = {
  "STAT-G1": 1,
  "STAT-G2": 1,
  "STAT-P1": 4,
  "STAT-P2": 4,
  "STAT-P3": 4,
  "STAT-P4": 4,
  "STAT-P5": 4,
  "STAT-I1": 5,
  "STAT-W1": 7,
  "STAT-L1": 8,
  "STAT-L2": 8,
  "STAT-G3": 9,
  "STAT-G4": 9,
  "STAT-G5": 9,
  "STAT-G6": 9,
  "STAT-S1": 10,
  "STAT-C1": 11,
  "STAT-F1": 12,
  "STAT-F2": 12,
  "STAT-F3": 12,
  "STAT-F4": 12,
  "STAT-F5": 12,
  "STAT-F6": 12,
};

/** The statutory rule ids §5(a) names ("ST-01..04" spelt out). */
const NAMED_RULES = [
  "ST-01", "ST-02", "ST-03", "ST-04", "ST-05", "ST-06", "ST-10", "ST-11", "ST-12", "ST-13", "ST-14", "ST-15",
  "ST-16", "ST-17", "ST-18", "ST-19", "ST-20", "ST-21", "ST-22", "ST-23", "ST-24", "ST-25", "ST-26",
];

describe("the default responsibility catalogue", () => {
  it("holds the research's 15 surveyed responsibilities word for word", () => {
    for (const [key, title] of Object.entries(SEED_TITLES)) {
      expect(catalogueEntry(key)?.title, key).toBe(title);
    }
  });

  it("holds every statutory row of §5(a) in its area, the two derived rows and the back-office children", () => {
    for (const [key, area] of Object.entries(STAT_ROWS)) expect(catalogueEntry(key)?.area, key).toBe(area);
    expect(catalogueEntry("DER-01")?.area).toBe(2);
    expect(catalogueEntry("DER-02")?.area).toBe(3);
    for (const child of ["a", "b", "c", "d", "e", "f"]) expect(catalogueEntry(`SEED-14-${child}`)?.area).toBe(12);
    expect(DEFAULT_CATALOGUE).toHaveLength(15 + 23 + 2 + 6);
  });

  it("has unique keys", () => {
    const keys = DEFAULT_CATALOGUE.map((e) => e.key);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it("groups rows by area in area order and numbers them 1, 2, 3… within each area", () => {
    const areas = DEFAULT_CATALOGUE.map((e) => e.area);
    expect(areas).toEqual([...areas].sort((a, b) => a - b));
    const refs = DEFAULT_CATALOGUE.map((e) => e.ref);
    expect(new Set(refs).size).toBe(refs.length);
    for (const { number } of AREAS) {
      const rows = DEFAULT_CATALOGUE.filter((e) => e.area === number);
      expect(rows.length, `area ${number}`).toBeGreaterThan(0);
      expect(rows.map((e) => e.ref)).toEqual(rows.map((_, i) => `${number}.${i + 1}`));
    }
  });

  it("names every statutory rule §5(a) cites, each on a locked or constrained row", () => {
    const cited = new Set(DEFAULT_CATALOGUE.flatMap((e) => statutoryRuleIds(e.statutoryRule)));
    for (const rule of NAMED_RULES) expect(cited.has(rule), rule).toBe(true);
    for (const entry of DEFAULT_CATALOGUE.filter((e) => e.locked)) {
      expect(entry.statutoryRule, entry.key).toMatch(/^ST-\d{2}/);
      expect(entry.decisionKinds?.length, entry.key).toBeGreaterThan(0);
    }
  });

  it("uses only real body kinds, and never excludes a kind it allows to decide", () => {
    for (const entry of DEFAULT_CATALOGUE) {
      for (const kind of [...(entry.decisionKinds ?? []), ...(entry.excludedKinds ?? [])]) {
        expect(isBodyKind(kind), `${entry.key}: ${kind}`).toBe(true);
      }
      const allowed = new Set(entry.decisionKinds ?? []);
      for (const kind of entry.excludedKinds ?? []) expect(allowed.has(kind), `${entry.key}: ${kind}`).toBe(false);
    }
  });

  it("carries the statutory constraints of §4 on the decisions the brief names", () => {
    expect(catalogueEntry("STAT-G3")?.decisionKinds).toEqual(["members"]);
    expect(catalogueEntry("STAT-F1")).toMatchObject({ decisionKinds: ["board"], statutoryRule: "ST-12", locked: true });
    expect(catalogueEntry("STAT-F2")?.decisionKinds).toEqual(["board"]);
    expect(catalogueEntry("STAT-F4")?.decisionKinds).toEqual(["board", "committee"]);
    expect(catalogueEntry("STAT-F5")).toMatchObject({ decisionKinds: ["board"], externalApproval: true });
    expect(catalogueEntry("STAT-L1")?.decisionKinds).toEqual(["board"]);
    expect(catalogueEntry("STAT-P1")?.decisionKinds).toEqual(["board"]);
    expect(catalogueEntry("STAT-P2")?.decisionKinds).toEqual(["board", "committee", "local"]);
    expect(catalogueEntry("STAT-P3")?.decisionKinds).toEqual(["board", "committee", "local"]);
    expect(catalogueEntry("STAT-F6")?.decisionKinds).toEqual(["committee", "board"]);
  });

  it("tags the strands of consistency and the innovation-eligible rows of EA-07", () => {
    const tagged = (tag: string) => DEFAULT_CATALOGUE.filter((e) => e.tags?.includes(tag)).map((e) => e.key).sort();
    expect(tagged(STRAND_OF_CONSISTENCY)).toEqual(["SEED-04", "SEED-11", "SEED-14", "SEED-15", "STAT-P4"]);
    expect(tagged(INNOVATION_ELIGIBLE)).toEqual(["DER-01", "DER-02", "SEED-05", "SEED-06"]);
  });

  it("gives every row short guidance", () => {
    for (const entry of DEFAULT_CATALOGUE) {
      expect(entry.guidance.length, entry.key).toBeGreaterThan(20);
      expect(entry.guidance.length, entry.key).toBeLessThanOrEqual(320);
    }
  });

  it("splits a row's statutory rule into its ids", () => {
    expect(statutoryRuleIds("ST-16, ST-17")).toEqual(["ST-16", "ST-17"]);
    expect(statutoryRuleIds(undefined)).toEqual([]);
  });
});
