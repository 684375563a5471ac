/** Checks of the scheme against the trust's own strategy (domain.md §5(c), CO-01 … CO-11, CO-17). */
import type { Rule } from "./types";

export const coherenceRules: Rule[] = [];
