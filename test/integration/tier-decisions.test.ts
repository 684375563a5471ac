/**
 * Tier decisions and reviews as the models keep them: a school's decided tier is its latest decision
 * in effect, only the board or a committee may decide, and each record is audited.
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db/client";
import { auditLog, tierDecisions } from "../../db/schema";
import { seedDemoTrust, type DemoTrust } from "../../db/seed";
import { currentDecision } from "~/domain/decided-tier";
import { RuleError } from "~/domain/errors";
import { COMMAND_LINE } from "~/models/audit.server";
import { listSchoolReviews, recordSchoolReview } from "~/models/school-reviews.server";
import { listTierDecisions, recordTierDecision } from "~/models/tier-decisions.server";
import { freshDatabase } from "../support/database";

let handle: DatabaseHandle;
let demo: DemoTrust;
let schoolId: string;

beforeAll(async () => {
  handle = await freshDatabase();
  demo = await seedDemoTrust(handle.db, COMMAND_LINE);
  schoolId = Object.values(demo.schools)[0]!.id;
});
afterAll(() => handle?.close());

const decision = (overrides: Partial<Parameters<typeof recordTierDecision>[2]> = {}) => ({
  trustId: demo.trust.id,
  schoolId,
  tier: "T2" as const,
  decidedByBodyId: demo.bodies["Board of trustees"]!.id,
  decidedOn: "2026-09-10",
  effectiveFrom: "2026-09-10",
  nextReviewOn: "2027-03-10",
  evidence: "Autumn review and the board's minute TB/26/09",
  ...overrides,
});

describe("tier decisions", () => {
  it("makes the latest decision in effect the school's decided tier, leaving one that starts later until it starts", async () => {
    await recordTierDecision(handle.db, COMMAND_LINE, decision());
    await recordTierDecision(
      handle.db,
      COMMAND_LINE,
      decision({ tier: "T1", decidedByBodyId: demo.bodies["Education Standards Committee"]!.id, decidedOn: "2026-11-01", effectiveFrom: "2027-01-01" }),
    );
    const decisions = await listTierDecisions(handle.db, demo.trust.id, schoolId);
    expect(currentDecision(decisions, "2026-11-24")?.tier).toBe("T2");
    const later = currentDecision(decisions, "2027-01-01");
    expect(later?.tier).toBe("T1");
    expect(later?.decidedBy).toMatchObject({ name: "Education Standards Committee", kind: "committee" });
    // Latest first: the two above come before the demo's own decision for the school.
    expect((await listTierDecisions(handle.db, demo.trust.id, schoolId)).slice(0, 2).map((d) => [d.tier, d.effectiveFrom])).toEqual([
      ["T1", "2027-01-01"],
      ["T2", "2026-09-10"],
    ]);
    const entries = await handle.db.select().from(auditLog).where(eq(auditLog.entity, "tier-decision"));
    expect(entries.map((e) => e.summary)).toContain(`Board of trustees placed ${Object.values(demo.schools)[0]!.name} in T2 from 2026-09-10`);
  });

  it("refuses a decision by a body that is not the board or a committee, on the field, and records nothing", async () => {
    const before = (await handle.db.select().from(tierDecisions)).length;
    for (const body of ["School advisory board", "Chief executive officer"]) {
      const refused = recordTierDecision(handle.db, COMMAND_LINE, decision({ decidedByBodyId: demo.bodies[body]!.id }));
      await expect(refused).rejects.toBeInstanceOf(RuleError);
      await expect(refused).rejects.toMatchObject({ field: "decidedByBodyId", message: "Choose the body that decided: the board or one of its committees" });
    }
    expect((await handle.db.select().from(tierDecisions)).length).toBe(before);
  });
});

describe("school reviews", () => {
  it("lists a school's reviews latest first", async () => {
    await recordSchoolReview(handle.db, COMMAND_LINE, { trustId: demo.trust.id, schoolId, reviewedOn: "2026-03-01", travel: "steady", summary: "Spring" });
    await recordSchoolReview(handle.db, COMMAND_LINE, { trustId: demo.trust.id, schoolId, reviewedOn: "2026-10-01", travel: "improving", summary: "Reading up" });
    const reviews = (await listSchoolReviews(handle.db, demo.trust.id, schoolId)).filter((r) => r.summary === "Spring" || r.summary === "Reading up");
    expect(reviews.map((r) => [r.reviewedOn, r.travel, r.summary])).toEqual([
      ["2026-10-01", "improving", "Reading up"],
      ["2026-03-01", "steady", "Spring"],
    ]);
  });
});
