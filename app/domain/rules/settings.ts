/**
 * The thresholds the checks use, kept per trust (trusts.settings.rules) and editable by the clerk.
 * The defaults are domain.md §5(c)'s proposals, not findings of the research: a trust may move them.
 */
import { z } from "zod";

export const RuleSettingsSchema = z.object({
  /** A statement rated at least this is "like us". */
  likeUs: z.number().int().min(1).max(10).default(7),
  /** A row whose centralisation index is below this is devolved (CO-01, CO-17). */
  devolvedBelow: z.number().min(0).max(10).default(5),
  /** A row whose centralisation index is at least this is centralised (CO-03, CO-06, CO-07, CO-09). */
  centralisedFrom: z.number().min(0).max(10).default(8),
  /** Schools from which a board of local chairs stops working (CO-14). */
  representationModelFrom: z.number().int().min(2).max(1000).default(5),
  /** Schools from which the CEO's role moves to director and enabler (CO-15). */
  ceoRoleFrom: z.number().int().min(2).max(1000).default(10),
  /** Schools further apart than this (km, as the crow flies) belong to different hubs (CO-16). */
  hubRadiusKm: z.number().min(1).max(500).default(40),
  /** The scheme is reviewed at least this often (ST-14, CO-18). */
  reviewMonths: z.number().int().min(1).max(36).default(12),
});

export type RuleSettings = z.infer<typeof RuleSettingsSchema>;

export const DEFAULT_RULE_SETTINGS: RuleSettings = RuleSettingsSchema.parse({});
