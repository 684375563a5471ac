/**
 * The centralisation profile page as Remix calls it: every member of the trust reads it for any of
 * the trust's versions; a version the trust does not have, a number that is not one, and a trust the
 * person does not belong to are all 404.
 */
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db/client";
import { responsibilities } from "../../db/schema";
import { DEMO_USERS, seedDemoTrust, type DemoTrust } from "../../db/seed";
import { RESEARCH_POSITIONS } from "~/domain/centralisation-profile";
import { rowCentralisation } from "~/domain/scheme";
import { COMMAND_LINE } from "~/models/audit.server";
import { addMember } from "~/models/membership.server";
import { loadScheme, startDraft } from "~/models/scheme.server";
import { createTrust, type Trust } from "~/models/trust.server";
import { createUser } from "~/models/user.server";
import * as profileRoute from "~/routes/trusts.$slug.versions.$number.profile";
import { freshDatabase } from "../support/database";
import { call, getRequest, sessionCookie } from "../support/requests";

type ProfileData = Awaited<ReturnType<typeof profileRoute.loader>>;

const OUTSIDER = { name: "Owen Outsider", email: "owen@profile-routes.example", password: "profile-outsider-1" };

let handle: DatabaseHandle;
let demo: DemoTrust;
let own: Trust;
const cookies: Record<string, string> = {};

beforeAll(async () => {
  handle = await freshDatabase();
  demo = await seedDemoTrust(handle.db, COMMAND_LINE);
  for (const role of ["viewer", "clerk"] as const) {
    const person = DEMO_USERS.find((u) => u.role === role)!;
    cookies[role] = await sessionCookie(person.email, person.password);
  }
  // A trust of the outsider's own, with an empty draft and no strategy ratings.
  own = await createTrust(handle.db, COMMAND_LINE, { name: "Profile Outsiders Trust", slug: "profile-outsiders" });
  const outsider = await createUser(handle.db, COMMAND_LINE, OUTSIDER);
  await addMember(handle.db, COMMAND_LINE, { trustId: own.id, userId: outsider.id, role: "clerk" });
  await startDraft(handle.db, COMMAND_LINE, { trustId: own.id, from: "empty" });
  cookies.outsider = await sessionCookie(OUTSIDER.email, OUTSIDER.password);
});
afterAll(() => handle?.close());

function open(slug: string, number: string, cookie?: string) {
  return call(profileRoute.loader, getRequest(`/trusts/${slug}/versions/${number}/profile`, cookie), { slug, number });
}

async function profileOf(slug: string, number: string, cookie: string): Promise<ProfileData> {
  const answer = await open(slug, number, cookie);
  expect(answer.status).toBe(200);
  return answer.data as ProfileData;
}

describe("the centralisation profile of a version", () => {
  it("answers a viewer of the demo trust with every area, the surveyed responsibilities and its strategy cluster", async () => {
    const data = await profileOf(demo.trust.slug, "2", cookies.viewer!);
    expect(data.version).toEqual({ number: 2, status: "approved" });
    // The demo trust's ratings are those of the pedagogy and school improvement cluster.
    expect(data.cluster).toEqual({ number: 2, name: "Consistent pedagogy and school improvement" });
    expect(data.clusterExplanation).toMatch(/^Closest to cluster 2/);
    expect(data.areas.map((a) => a.area)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(data.surveyed.map((r) => r.research!.key)).toEqual(RESEARCH_POSITIONS.map((p) => p.key));
    for (const row of data.surveyed) expect(row.clusterExpectation, row.ref).toBe(row.research!.byCluster[2]);
    expect(data.areas.reduce((n, a) => n + a.rows, 0)).toBe(data.total);
    expect(data.decided).toBeGreaterThan(0);
    expect(data.decided).toBeLessThanOrEqual(data.total);
  });

  it("places each responsibility where the version's D puts it", async () => {
    const data = await profileOf(demo.trust.slug, "2", cookies.viewer!);
    const scheme = await loadScheme(handle.db, demo.trust.id, demo.approvedVersionId);
    for (const key of ["SEED-01", "SEED-09", "SEED-14"]) {
      const [row] = await handle.db
        .select({ id: responsibilities.id })
        .from(responsibilities)
        .where(and(eq(responsibilities.trustId, demo.trust.id), eq(responsibilities.catalogueKey, key)));
      const index = data.surveyed.find((r) => r.id === row!.id)!.index;
      expect(index, key).not.toBeNull();
      expect(index, key).toBe(rowCentralisation(scheme, row!.id));
    }
  });

  it("opens the draft and the superseded version as well as the approved version", async () => {
    const data = await profileOf(demo.trust.slug, "3", cookies.clerk!);
    expect(data.version).toEqual({ number: 3, status: "draft" });
    const first = await profileOf(demo.trust.slug, "1", cookies.viewer!);
    expect(first.version).toEqual({ number: 1, status: "superseded" });
  });

  it("has no cluster, and no cluster expectations, for a trust that has not rated the strategy statements", async () => {
    const data = await profileOf(own.slug, "1", cookies.outsider!);
    expect(data.cluster).toBeNull();
    expect(data.clusterExplanation).toMatch(/^Rate 6 more statements/);
    expect(data.decided).toBe(0);
    expect(data.mean).toBeNull();
    for (const row of data.surveyed) expect(row.clusterExpectation).toBeNull();
    for (const area of data.areas) expect(area.clusterExpectation).toBeNull();
  });

  it("answers 404 for a version number the trust does not have, or anything that is not a number", async () => {
    for (const number of ["4", "99", "0", "abc", "1.5", "-1", "1e2"]) {
      expect((await open(demo.trust.slug, number, cookies.viewer)).status, number).toBe(404);
    }
  });

  it("answers 404 to a member of another trust, and sends someone signed out to sign in", async () => {
    const answer = await open(demo.trust.slug, "2", cookies.outsider);
    expect(answer.status).toBe(404);
    expect(answer.text).not.toContain(demo.trust.name);
    const signedOut = await open(demo.trust.slug, "2");
    expect(signedOut.status).toBe(302);
    expect(signedOut.location).toMatch(/^\/sign-in/);
  });
});
