import { isDecisionCode, type DecisionCode } from "./codes";

/**
 * Trusts' own keys, and how their marks map onto the canonical codes (domain.md §1.4, §5(b)).
 * Marks are matched without regard to case or surrounding spaces.
 */
export interface DecisionKey {
  name: string;
  label: string;
  description: string;
  marks: Record<string, DecisionCode>;
}

const CANONICAL: Record<string, DecisionCode> = {
  D: "D",
  R: "R",
  C: "C",
  A: "A",
  E: "E",
  M: "M",
  I: "I",
  "—": "—",
  "-": "—",
  "–": "—",
};

export const BUILT_IN_KEYS: DecisionKey[] = [
  {
    name: "codes",
    label: "Decision codes (D R C A E M I —)",
    description: "The codes this product uses: D decides, R recommends, C consulted, A advises, E executes, M monitors, I informed, — not permitted.",
    marks: CANONICAL,
  },
  {
    name: "x",
    label: "X marks (X = decides, * = must be consulted)",
    description: "A single X where responsibility sits (e.g. The Manor Trust); * where that level must be consulted.",
    marks: { X: "D", "*": "C", "—": "—", "-": "—" },
  },
  {
    name: "y-a",
    label: "Y / A (NGA-style planner)",
    description: "Y: the action is undertaken at this level; A: provides advice and support to those accountable.",
    marks: { Y: "D", A: "A", "—": "—", "-": "—" },
  },
  {
    name: "responsible-recommends",
    label: "Responsible / Recommends",
    description: "Responsible: holds the decision; Recommends: proposes it (e.g. Lionheart Trust).",
    marks: { RESPONSIBLE: "D", RECOMMENDS: "R", RECOMMEND: "R", "—": "—", "-": "—" },
  },
  {
    name: "rasci",
    label: "RASCI",
    description: "Accountable decides; Responsible and Supporting deliver; Consulted; Informed.",
    marks: { A: "D", R: "E", S: "E", C: "C", I: "I", "—": "—", "-": "—" },
  },
  {
    name: "defined-phrases",
    label: "Determine / Recommend / Consult / Deliver…",
    description:
      "Defined phrases of the model delegations annex: Determine decides; Recommend and Develop recommend; Consult; Deliver and Comply execute; Review and Report monitor.",
    marks: {
      DETERMINE: "D",
      RECOMMEND: "R",
      DEVELOP: "R",
      CONSULT: "C",
      DELIVER: "E",
      COMPLY: "E",
      REVIEW: "M",
      REPORT: "M",
      "—": "—",
      "-": "—",
    },
  },
];

export function findKey(name: string): DecisionKey | undefined {
  return BUILT_IN_KEYS.find((k) => k.name === name.trim().toLowerCase());
}

export class KeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "KeyError";
  }
}

/**
 * Reads a custom key such as `X=D,*=C,Lead=D`. Each mark maps to one canonical code.
 * Throws KeyError with the part that is wrong.
 */
export function parseCustomKey(text: string): DecisionKey {
  const marks: Record<string, DecisionCode> = {};
  const parts = text.split(",").map((p) => p.trim()).filter((p) => p !== "");
  if (parts.length === 0) throw new KeyError("The key is empty: write it as MARK=CODE pairs, e.g. X=D,*=C");
  for (const part of parts) {
    const eq = part.lastIndexOf("=");
    if (eq <= 0) throw new KeyError(`"${part}" is not a MARK=CODE pair (e.g. X=D)`);
    const mark = part.slice(0, eq).trim().toUpperCase();
    const code = part.slice(eq + 1).trim().toUpperCase().replace("-", "—");
    if (!isDecisionCode(code)) throw new KeyError(`"${part}": ${code || "(nothing)"} is not a decision code; use one of D R C A E M I —`);
    if (marks[mark] && marks[mark] !== code) throw new KeyError(`The mark "${mark}" is given two codes`);
    marks[mark] = code;
  }
  return { name: "custom", label: "The trust's own key", description: parts.join(", "), marks };
}

/** A built-in key by name, or a custom MARK=CODE key. */
export function resolveKey(nameOrMap: string): DecisionKey {
  return findKey(nameOrMap) ?? (nameOrMap.includes("=") ? parseCustomKey(nameOrMap) : unknownKey(nameOrMap));
}

function unknownKey(name: string): never {
  throw new KeyError(
    `There is no key called "${name}". Use one of ${BUILT_IN_KEYS.map((k) => k.name).join(", ")}, or write your own as MARK=CODE pairs (e.g. X=D,*=C).`,
  );
}

/** The code a mark stands for: undefined for an empty cell, null for a mark the key does not know. */
export function readMark(key: DecisionKey, mark: string): DecisionCode | undefined | null {
  const m = mark.trim();
  if (m === "") return undefined;
  return key.marks[m.toUpperCase()] ?? null;
}

/** The mark to write for a code under a key (the first mark that maps to it), for exports in the trust's own key. */
export function markFor(key: DecisionKey, code: DecisionCode): string | undefined {
  const entry = Object.entries(key.marks).find(([, c]) => c === code);
  if (!entry) return undefined;
  const [mark] = entry;
  return mark.length > 1 && mark !== "—" ? mark.charAt(0) + mark.slice(1).toLowerCase() : mark;
}
