/**
 * What an audit entry's before and after were, in words for its history: the recorded values are
 * JSON of any shape (a code, a row's fields, a body's settings), so they are read out plainly,
 * field by field, and cut short when long.
 */

const MAX_WORDS = 400;

/** "decisionKey" → "decision key", "review_due_on" → "review due on". */
function fieldName(key: string): string {
  return key
    .replace(/_/g, " ")
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .toLowerCase();
}

function words(value: unknown, depth: number): string {
  if (value === null || value === undefined) return "none";
  if (typeof value === "string") return value === "" ? "(blank)" : value;
  if (typeof value === "boolean") return value ? "yes" : "no";
  if (typeof value === "number" || typeof value === "bigint") return String(value);
  if (Array.isArray(value)) return value.length === 0 ? "none" : value.map((v) => words(v, depth + 1)).join(", ");
  if (typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0) return "none";
    const text = entries.map(([k, v]) => `${fieldName(k)}: ${words(v, depth + 1)}`).join("; ");
    return depth > 0 ? `(${text})` : text;
  }
  return String(value);
}

/** A recorded value in words, or null when nothing was recorded. */
export function auditValueInWords(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  const text = words(value, 0);
  return text.length > MAX_WORDS ? `${text.slice(0, MAX_WORDS - 1)}…` : text;
}
