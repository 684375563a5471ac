/**
 * A school's performance and tier page as Remix calls it: everyone reads; the clerk and the CEO
 * record; bad input (a future inspection, a grade off the scale, a decision with no deciding body)
 * is refused with its message and changes nothing.
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db/client";
import { performanceRecords, schoolReviews, tierDecisions } from "../../db/schema";
import { DEMO_USERS, seedDemoTrust, type DemoTrust } from "../../db/seed";
import { today } from "~/clock.server";
import { daysAfter } from "~/domain/dates";
import type { Role } from "~/domain/roles";
import { COMMAND_LINE } from "~/models/audit.server";
import * as schoolRoute from "~/routes/trusts.$slug.schools.$schoolId";
import * as schoolsRoute from "~/routes/trusts.$slug.schools._index";
import { freshDatabase } from "../support/database";
import { call, fieldErrors, formPost, getRequest, sessionCookie } from "../support/requests";

type SchoolPage = Awaited<ReturnType<typeof schoolRoute.loader>>;
type SchoolsPage = Awaited<ReturnType<typeof schoolsRoute.loader>>;

let handle: DatabaseHandle;
let demo: DemoTrust;
const cookies = {} as Record<Role, string>;
let schoolId: string;

beforeAll(async () => {
  handle = await freshDatabase();
  demo = await seedDemoTrust(handle.db, COMMAND_LINE);
  for (const person of DEMO_USERS) cookies[person.role] = await sessionCookie(person.email, person.password);
  schoolId = demo.schools["Sun Beck Primary School"]!.id;
});
afterAll(() => handle?.close());

const params = () => ({ slug: demo.trust.slug, schoolId });
const path = () => `/trusts/${demo.trust.slug}/schools/${schoolId}`;
const post = (intent: string, fields: Record<string, string>, role: Role = "clerk") =>
  call(schoolRoute.action, formPost(`${path()}?intent=${intent}`, fields, { cookie: cookies[role] }), params());
const count = async (table: typeof performanceRecords | typeof tierDecisions | typeof schoolReviews) =>
  (await handle.db.select().from(table).where(eq(table.schoolId, schoolId))).length;

describe("reading a school's standing", () => {
  it("shows everyone the decided and recommended tier, the next review and the records", async () => {
    const answer = await call(schoolRoute.loader, getRequest(path(), cookies.viewer), params());
    expect(answer.status).toBe(200);
    const page = answer.data as SchoolPage;
    expect(page.standing.decided?.tier).toBe("T3");
    expect(page.standing.recommendation.tier).toBe("T3");
    expect(page.standing.recommendation.reasons.length).toBeGreaterThan(0);
    expect(page.records.length).toBeGreaterThan(0);
    expect(page.canRecord).toBe(false);
  });

  it("lists the trust's schools with the overdue review first", async () => {
    const page = (await call(schoolsRoute.loader, getRequest(`/trusts/${demo.trust.slug}/schools`, cookies.trustee), { slug: demo.trust.slug })).data as SchoolsPage;
    // Every school, the two joining ones included.
    expect(page.calendar.entries).toHaveLength(15);
    expect(page.calendar.entries[0]!.school.name).toBe("Stray Edge Primary School");
    expect(page.calendar.entries[0]!.schedule.status).toBe("overdue");
    expect(page.calendar.counts.overdue).toBe(1);
  });

  it("answers 404 for a school that is not the trust's", async () => {
    const answer = await call(schoolRoute.loader, getRequest(`/trusts/${demo.trust.slug}/schools/not-a-school`, cookies.clerk), {
      slug: demo.trust.slug,
      schoolId: "not-a-school",
    });
    expect(answer.status).toBe(404);
  });
});

describe("recording", () => {
  it("records an inspection and moves the recommendation, but not the decided tier", async () => {
    const answer = await post("record", { asOf: today(), inspectionFramework: "legacy", legacyGrade: "4", safeguardingMet: "met" });
    expect(answer.status).toBe(302);
    const page = (await call(schoolRoute.loader, getRequest(path(), cookies.clerk), params())).data as SchoolPage;
    expect(page.standing.recommendation.tier).toBe("T4");
    expect(page.standing.recommendation.intervention).toBe(true);
    expect(page.standing.decided?.tier).toBe("T3");
  });

  it("refuses an inspection dated in the future, and a grade off the scale, with their messages", async () => {
    const before = await count(performanceRecords);
    const future = await post("record", { asOf: daysAfter(today(), 1), inspectionFramework: "legacy", legacyGrade: "2" });
    expect(future.status).toBe(400);
    expect(fieldErrors(future, "asOf")[0]).toMatch(/^The inspection date cannot be in the future/);
    const offScale = await post("record", { asOf: today(), inspectionFramework: "legacy", legacyGrade: "5" });
    expect(offScale.status).toBe(400);
    expect(fieldErrors(offScale, "legacyGrade")[0]).toMatch(/^The legacy grade must be 1 \(Outstanding\)/);
    const badCard = await post("record", { asOf: today(), inspectionFramework: "report-card", rc_achievement: "brilliant" });
    expect(badCard.status).toBe(400);
    expect(fieldErrors(badCard, "rc_achievement")[0]).toMatch(/^Achievement: the grade must be/);
    expect(await count(performanceRecords)).toBe(before);
  });

  it("refuses a decision without a deciding body, or by a body that may not decide, and records nothing", async () => {
    const before = await count(tierDecisions);
    const fields = { tier: "T4", decidedOn: today(), effectiveFrom: today(), nextReviewOn: today(), evidence: "Inspection" };
    const noBody = await post("decide", fields);
    expect(noBody.status).toBe(400);
    expect(fieldErrors(noBody, "decidedByBodyId")).toEqual(["Choose the body that decided: the board or one of its committees"]);
    const headteacher = await post("decide", { ...fields, decidedByBodyId: demo.bodies.Headteacher!.id });
    expect(headteacher.status).toBe(400);
    expect(fieldErrors(headteacher, "decidedByBodyId")).toEqual(["Choose the body that decided: the board or one of its committees"]);
    expect(await count(tierDecisions)).toBe(before);
    const board = await post("decide", { ...fields, decidedByBodyId: demo.bodies["Board of trustees"]!.id });
    expect(board.status).toBe(302);
    expect(await count(tierDecisions)).toBe(before + 1);
  });

  it("refuses a review dated in the future", async () => {
    const before = await count(schoolReviews);
    const answer = await post("review", { reviewedOn: daysAfter(today(), 3), travel: "improving" });
    expect(answer.status).toBe(400);
    expect(fieldErrors(answer, "reviewedOn")).toEqual(["A review that has happened cannot be dated in the future"]);
    expect(await count(schoolReviews)).toBe(before);
  });

  it("lets only the clerk and the CEO record (403 for a trustee), and refuses an unknown action", async () => {
    const trustee = await post("review", { reviewedOn: today(), travel: "improving" }, "trustee");
    expect(trustee.status).toBe(403);
    const ceo = await post("review", { reviewedOn: today(), travel: "improving" }, "ceo");
    expect(ceo.status).toBe(302);
    const unknown = await post("promote", {});
    expect(unknown.status).toBe(404);
  });

  it("removes a record entered by mistake, and answers a record that is not there", async () => {
    const [record] = await handle.db.select().from(performanceRecords).where(eq(performanceRecords.schoolId, schoolId));
    const removed = await post("remove-record", { recordId: record!.id });
    expect(removed.status).toBe(302);
    const again = await post("remove-record", { recordId: record!.id });
    expect(again.status).toBe(404);
    const garbage = await post("remove-record", { recordId: "1; drop table" });
    expect(garbage.status).toBe(400);
  });
});
