/**
 * Which of the 12 research areas a trust's own section heading is about ("A. Vision & ethos",
 * "3 Curriculum", "Members oversight"), judged by its words. Only a suggestion: the person
 * importing can choose another area for any heading.
 */
import { AREAS, UNCLASSIFIED_AREA, areaName } from "./areas";

/**
 * Words and phrases (already in normalised form) that point at an area. Kept to words a heading
 * would use for that area alone; headings they do not cover are left for the user to classify.
 */
const KEYWORDS: Record<number, string[]> = {
  1: ["vision", "values", "ethos", "mission", "religious character"],
  2: ["extra curricular", "extracurricular", "enrichment", "clubs", "educational visits", "trips"],
  3: ["curriculum", "pedagogy", "teaching", "learning", "assessment", "education", "educational"],
  4: [
    "pupil", "pupils", "student", "students", "pastoral", "behaviour", "behavior", "attendance", "exclusion", "exclusions",
    "suspensions", "admission", "admissions", "safeguarding", "send", "special educational needs", "welfare", "wellbeing",
    "child protection", "complaints",
  ],
  5: ["information management", "information", "data", "data protection", "gdpr", "records"],
  6: ["parent", "parents", "parental", "family", "families", "community", "communities", "engagement", "stakeholders"],
  7: [
    "workforce", "staffing", "staff", "hr", "human resources", "personnel", "pay", "recruitment", "appointments",
    "professional development", "cpd", "appraisal",
  ],
  8: ["leadership", "management", "strategy", "development plans", "planning", "school times", "term dates"],
  9: [
    "governance", "governors", "governor", "governing", "trustees", "trustee", "members", "board", "boards", "committee",
    "committees", "delegation", "articles", "constitution", "reserved matters",
  ],
  10: ["school improvement", "improvement", "intervention", "quality assurance", "challenge", "standards", "performance"],
  11: ["communications", "communication", "branding", "brand", "marketing", "publicity", "media", "website", "public relations"],
  12: [
    "finance", "financial", "budget", "budgets", "budgeting", "estates", "estate", "premises", "buildings", "procurement",
    "contracts", "it", "ict", "technology", "health and safety", "h and s", "operations", "operational", "back office",
    "shared services", "audit", "risk", "insurance", "income", "payroll", "accounts", "funding",
  ],
};

/** Numbering in front of a heading: "A.", "3", "1.2)", "(iv)", "Part B:", "Section 4 –". */
const ENUMERATOR = /^\s*(?:(?:part|section|annex|appendix)\s+[a-z0-9]{1,4}\b\s*[.):\-–—]?\s*|\d+(?:\.\d+)*[.):\-–—]?\s+|\(?[ivx]{1,5}[.)]\s*|\([a-z0-9]{1,3}\)\s*|[a-z][.):\-–—]?\s+)/i;

function stripNumbering(heading: string): string {
  let text = heading;
  for (let i = 0; i < 3; i++) {
    const next = text.replace(ENUMERATOR, "");
    if (next === text || next.trim() === "") break;
    text = next;
  }
  return text;
}

/** Lower case, "&" and "+" as "and", punctuation as spaces: "Premises, ICT & H&S" → "premises ict and h and s". */
function normalise(text: string): string {
  return text
    .toLowerCase()
    .replace(/[&+]/g, " and ")
    .replace(/['’]/g, "")
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

export interface AreaMatch {
  area: number;
  /** "exact": the heading is the area's own name; "words": its words point at the area. */
  how: "exact" | "words";
}

/** The research area a heading names exactly (case aside), including "Unclassified"; null otherwise. */
export function researchAreaNamed(heading: string): number | null {
  const text = heading.trim().toLowerCase();
  if (text === "") return null;
  if (text === areaName(UNCLASSIFIED_AREA).toLowerCase()) return UNCLASSIFIED_AREA;
  return AREAS.find((a) => a.name.toLowerCase() === text)?.number ?? null;
}

/**
 * The research area a section heading is most likely about, or null when its words give no
 * clue. The area with most matching words wins; on a tie, the one named first in the heading.
 */
export function matchArea(heading: string): AreaMatch | null {
  const text = normalise(stripNumbering(heading));
  if (text === "") return null;
  const exact = AREAS.find((a) => normalise(a.name) === text);
  if (exact) return { area: exact.number, how: "exact" };
  const words = ` ${text} `;
  // "IT" is a heading's word only in capitals; "it" is just English.
  const saysIT = /\bIT\b/.test(heading);
  let best: { area: number; hits: number; first: number } | null = null;
  for (const [area, keywords] of Object.entries(KEYWORDS)) {
    let hits = 0;
    let first = Infinity;
    for (const keyword of keywords) {
      if (keyword === "it" && !saysIT) continue;
      const at = words.indexOf(` ${keyword} `);
      if (at < 0) continue;
      hits++;
      first = Math.min(first, at);
    }
    if (hits === 0) continue;
    if (!best || hits > best.hits || (hits === best.hits && first < best.first)) best = { area: Number(area), hits, first };
  }
  return best ? { area: best.area, how: "words" } : null;
}
