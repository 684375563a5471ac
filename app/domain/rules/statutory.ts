/** Checks against the regulations (domain.md §4), with its ST- ids. */
import type { Rule } from "./types";

export const statutoryRules: Rule[] = [];
