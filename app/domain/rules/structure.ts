/** Checks of the scheme against itself: one decider per row and school, advisory bodies, constraints. */
import type { Rule } from "./types";

export const structureRules: Rule[] = [];
