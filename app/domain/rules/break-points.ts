/** Signs that the trust has reached a break point, from the current data alone (CO-14, CO-15, CO-16). */
import type { Rule } from "./types";

export const breakPointRules: Rule[] = [];
