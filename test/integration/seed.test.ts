import { count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db/client";
import {
  auditLog,
  cells,
  governanceBodies,
  memberships,
  responsibilities,
  schemeRows,
  schemeVersions,
  schools,
  strategyProfiles,
  trusts,
  users,
} from "../../db/schema";
import { DEMO_SCHOOL_COUNT, DEMO_TRUST_SLUG, DEMO_USERS, demoJoinersJoinOn, seedDemoTrust, type DemoTrust } from "../../db/seed";
import { today } from "~/clock.server";
import { DEFAULT_CATALOGUE } from "~/domain/catalogue";
import { RuleError } from "~/domain/errors";
import { COMMAND_LINE } from "~/models/audit.server";
import { listMembers } from "~/models/membership.server";
import { listBodies, listSchools } from "~/models/structure.server";
import { findTrustBySlug } from "~/models/trust.server";
import { createUser, verifyCredentials } from "~/models/user.server";
import { freshDatabase } from "../support/database";

/** The two schools joining in the demo: on the coast, with no cluster or local board yet. */
const JOINERS = ["Flamborough Head Primary School", "Bempton Cliffs Academy"];

let handle: DatabaseHandle;
let demo: DemoTrust;
let existingClerkId: string;

beforeAll(async () => {
  handle = await freshDatabase();
  // An account with a demo email that is already there is reused, not refused.
  const clerk = DEMO_USERS.find((u) => u.role === "clerk")!;
  existingClerkId = (await createUser(handle.db, COMMAND_LINE, { email: clerk.email, name: "Earlier Clerk", password: clerk.password })).id;
  demo = await seedDemoTrust(handle.db, COMMAND_LINE);
});
afterAll(() => handle.close());

async function tableCounts() {
  const db = handle.db;
  const tables = { trusts, users, memberships, governanceBodies, schools, responsibilities, schemeVersions, schemeRows, cells, auditLog };
  const result: Record<string, number> = {};
  for (const [name, table] of Object.entries(tables)) {
    const [row] = await db.select({ n: count() }).from(table);
    result[name] = row!.n;
  }
  return result;
}

describe("the demo trust", () => {
  it("is a demo trust with the default catalogue", async () => {
    const trust = await findTrustBySlug(handle.db, DEMO_TRUST_SLUG);
    expect(trust).toMatchObject({ id: demo.trust.id, isDemo: true });
    const [rows] = await handle.db.select({ n: count() }).from(responsibilities).where(eq(responsibilities.trustId, demo.trust.id));
    expect(rows!.n).toBe(DEFAULT_CATALOGUE.length);
  });

  it("has 15 schools with unique academy URNs and mixed phases, thirteen of them each in a cluster and with its own advisory board", async () => {
    const all = await listSchools(handle.db, demo.trust.id);
    expect(all).toHaveLength(15);
    expect(DEMO_SCHOOL_COUNT).toBe(15);
    const urns = all.map((s) => s.urn);
    expect(new Set(urns).size).toBe(15);
    for (const urn of urns) {
      expect(urn).toBeGreaterThanOrEqual(136000);
      expect(urn).toBeLessThanOrEqual(150999);
    }
    const phases = all.map((s) => s.phase);
    expect(phases.filter((p) => p === "primary").length).toBeGreaterThan(6);
    expect(phases).toContain("secondary");
    expect(phases.some((p) => p === "all-through" || p === "special")).toBe(true);
    const list = all.filter((s) => !JOINERS.includes(s.name));
    expect(list).toHaveLength(13);
    for (const s of list) expect(s.localBodyId && s.clusterBodyId, s.name).toBeTruthy();
    expect(new Set(list.map((s) => s.localBodyId)).size).toBe(13);
    expect(new Set(list.map((s) => s.clusterBodyId)).size).toBe(3);
    expect(new Set(list.map((s) => s.joinedOn?.slice(0, 4))).size).toBeGreaterThan(4);
    for (const s of all) expect(s.headteacherName).toBeTruthy();
  });

  it("has two schools on the coast, some 80 km from the others, joining on the first day of the month after next with no cluster or local board", async () => {
    const all = await listSchools(handle.db, demo.trust.id);
    const joiners = all.filter((s) => JOINERS.includes(s.name));
    expect(joiners.map((s) => s.name).sort()).toEqual([...JOINERS].sort());
    const [year, month] = today().split("-").map(Number) as [number, number];
    const firstOfMonthAfterNext = new Date(Date.UTC(year, month + 1, 1)).toISOString().slice(0, 10);
    expect(firstOfMonthAfterNext > today()).toBe(true);
    expect(demoJoinersJoinOn(today())).toBe(firstOfMonthAfterNext);
    expect(demoJoinersJoinOn("2026-11-30")).toBe("2027-01-01");
    for (const s of joiners) {
      expect(s, s.name).toMatchObject({ joinedOn: firstOfMonthAfterNext, clusterBodyId: null, localBodyId: null });
      const nearest = Math.min(
        ...all.filter((o) => !JOINERS.includes(o.name)).map((o) => Math.hypot(s.easting! - o.easting!, s.northing! - o.northing!)),
      );
      expect(nearest, s.name).toBeGreaterThan(70_000);
      expect(nearest, s.name).toBeLessThan(95_000);
    }
    const [a, b] = joiners;
    expect(Math.hypot(a!.easting! - b!.easting!, a!.northing! - b!.northing!)).toBeLessThan(10_000);
  });

  it("has the four tiers: the board, its committees, three cluster boards and thirteen advisory boards", async () => {
    const bodies = await listBodies(handle.db, demo.trust.id);
    const byName = new Map(bodies.map((b) => [b.name, b]));
    const board = byName.get("Board of trustees")!;
    const committees = bodies.filter((b) => b.kind === "committee");
    expect(committees.map((c) => c.name).sort()).toEqual([
      "Audit & Risk Committee",
      "Education Standards Committee",
      "Finance & Resources Committee",
      "People & Pay Committee",
    ]);
    for (const c of committees) expect(c.parentId).toBe(board.id);

    const clusterColumn = byName.get("Cluster governing body")!;
    const clusters = bodies.filter((b) => b.kind === "cluster" && b.columnId === clusterColumn.id);
    expect(clusters).toHaveLength(3);

    const advisoryColumn = byName.get("School advisory board")!;
    expect(advisoryColumn.mode).toBe("advisory");
    const advisory = bodies.filter((b) => b.columnId === advisoryColumn.id);
    expect(advisory).toHaveLength(13);
    for (const a of advisory) expect(a).toMatchObject({ kind: "local", mode: "advisory" });

    // Each school's advisory board sits under that school's cluster (the joiners have neither yet).
    for (const s of (await listSchools(handle.db, demo.trust.id)).filter((s) => !JOINERS.includes(s.name))) {
      expect(bodies.find((b) => b.id === s.localBodyId)!.parentId).toBe(s.clusterBodyId);
    }
    expect(bodies.map((b) => b.kind)).toEqual(expect.arrayContaining(["members", "executive", "school", "external"]));
  });

  it("places the schools in three clusters, each within about 15 km of its centre and 25–40 km from the others", async () => {
    const list = (await listSchools(handle.db, demo.trust.id)).filter((s) => s.clusterBodyId !== null);
    expect(list).toHaveLength(13);
    const centres = [...new Set(list.map((s) => s.clusterBodyId))].map((cluster) => {
      const members = list.filter((s) => s.clusterBodyId === cluster);
      const centre = {
        e: members.reduce((sum, s) => sum + s.easting!, 0) / members.length,
        n: members.reduce((sum, s) => sum + s.northing!, 0) / members.length,
      };
      for (const s of members) expect(Math.hypot(s.easting! - centre.e, s.northing! - centre.n)).toBeLessThan(15_000);
      return centre;
    });
    for (const [i, a] of centres.entries()) {
      for (const b of centres.slice(i + 1)) {
        const apart = Math.hypot(a.e - b.e, a.n - b.n);
        expect(apart).toBeGreaterThan(25_000);
        expect(apart).toBeLessThan(41_000);
      }
    }
  });

  it("rates the strategy statements like a trust seeking consistent pedagogy and school improvement", async () => {
    const [profile] = await handle.db.select().from(strategyProfiles).where(eq(strategyProfiles.trustId, demo.trust.id));
    const ratings = profile!.ratings as number[];
    expect(ratings).toHaveLength(10);
    // Consistent pedagogy (10) and scaling a model (2) high; boosting local governance (4) and enrichment (7) low.
    expect(ratings[9]).toBeGreaterThanOrEqual(8);
    expect(ratings[1]).toBeGreaterThanOrEqual(8);
    expect(ratings[3]).toBeLessThanOrEqual(4);
    expect(ratings[6]).toBeLessThanOrEqual(4);
  });

  it("gives each role a user who can sign in with the shown password, reusing an account that already existed", async () => {
    const members = await listMembers(handle.db, demo.trust.id);
    expect(members.map((m) => m.role).sort()).toEqual(["ceo", "clerk", "trustee", "viewer"]);
    for (const demoUser of DEMO_USERS) {
      expect(demoUser.password.length).toBeGreaterThanOrEqual(10);
      const signedIn = await verifyCredentials(handle.db, demoUser.email, demoUser.password);
      expect(signedIn?.email, demoUser.email).toBe(demoUser.email);
      expect(members.find((m) => m.email === demoUser.email)?.role).toBe(demoUser.role);
    }
    expect(demo.users.clerk.id).toBe(existingClerkId);
    const [people] = await handle.db.select({ n: count() }).from(users);
    expect(people!.n).toBe(4);
  });

  it("refuses to seed a second time, saying so and changing nothing", async () => {
    const before = await tableCounts();
    const error = await seedDemoTrust(handle.db, COMMAND_LINE).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(RuleError);
    expect((error as Error).message).toMatch(/demo trust .* is already in this database; nothing was changed/);
    expect(await tableCounts()).toEqual(before);
  });
});
