/**
 * The words a form's refusal falls back on when its schema gives none of its own. Every field a
 * person fills in has its own message in its schema; this covers what only a broken or forged form
 * reaches (a hidden field missing, sent twice, out of range), so that nobody is ever answered in the
 * validation library's words ("Invalid input: expected string, received array"). Set on import, in
 * the server (forms.server.ts) and in the browser (entry.client.tsx), which validate with the same
 * schemas.
 */
import { z } from "zod";
import type { $ZodRawIssue } from "zod/v4/core";

const OPEN_AGAIN = "open the page again and try once more";

function sizeOf(origin: unknown, limit: unknown, more: boolean): string {
  const n = Number(limit);
  const shown = n.toLocaleString("en-GB");
  switch (origin) {
    case "string":
      if (more) return `Use at most ${shown} characters`;
      return n <= 1 ? "This must not be empty" : `Use at least ${shown} characters`;
    case "number":
    case "bigint":
      return more ? `Enter a number no larger than ${shown}` : `Enter a number no smaller than ${shown}`;
    case "array":
    case "set":
      return more ? `Choose at most ${shown}` : `Choose at least ${shown}`;
    default:
      return more ? `That is too large: ${OPEN_AGAIN}` : `That is too small: ${OPEN_AGAIN}`;
  }
}

/** A refusal in the user's words for any issue whose schema has no message of its own. */
export function formError(issue: $ZodRawIssue): string {
  switch (issue.code) {
    case "invalid_type":
      if (Array.isArray(issue.input)) return `This was sent more than once: ${OPEN_AGAIN}`;
      if (issue.input === undefined) return `This was missing from the form: ${OPEN_AGAIN}`;
      return issue.expected === "number" ? "Enter a number" : `This could not be read: ${OPEN_AGAIN}`;
    case "too_big":
      return sizeOf(issue.origin, issue.maximum, true);
    case "too_small":
      return sizeOf(issue.origin, issue.minimum, false);
    case "invalid_format":
      if (issue.format === "email") return "Enter an email address like name@example.org";
      if (issue.format === "uuid" || issue.format === "guid") return `That is not one of the choices on this page: ${OPEN_AGAIN}`;
      return `That is not in the form expected here: ${OPEN_AGAIN}`;
    case "invalid_value":
      return `Choose one of the options on this page: ${OPEN_AGAIN}`;
    case "unrecognized_keys":
      return `The form had fields this page does not have: ${OPEN_AGAIN}`;
    default:
      return `This could not be read: ${OPEN_AGAIN}`;
  }
}

z.config({ customError: formError });
