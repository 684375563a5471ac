import { and, asc, count, eq, isNull, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db/client";
import {
  autonomyTiers,
  cells,
  governanceBodies,
  memberships,
  responsibilities,
  schemeRows,
  schemeVersions,
  schools,
  strategyProfiles,
  users,
} from "../../db/schema";
import { AREAS } from "~/domain/areas";
import { ROLES } from "~/domain/roles";
import { verifyCredentials } from "~/models/user.server";
import { createNationalTrust, NATIONAL_TRUST, type NationalTrust } from "../fixtures/national-trust";
import { freshDatabase } from "../support/database";

let handle: DatabaseHandle;
let trust: NationalTrust;

beforeAll(async () => {
  handle = await freshDatabase();
  trust = await createNationalTrust(handle.db);
});

afterAll(async () => {
  await handle?.close();
});

/** Everything the fixture wrote for one trust, by names rather than ids, so two trusts can be compared. */
async function content(trustId: string, slug: string) {
  const db = handle.db;
  const bodies = await db.select().from(governanceBodies).where(eq(governanceBodies.trustId, trustId)).orderBy(asc(governanceBodies.name));
  const bodyName = new Map(bodies.map((b) => [b.id, b.name]));
  const rows = await db.select().from(responsibilities).where(eq(responsibilities.trustId, trustId)).orderBy(asc(responsibilities.position));
  const rowRef = new Map(rows.map((r) => [r.id, r.ref]));
  const schoolRows = await db.select().from(schools).where(eq(schools.trustId, trustId)).orderBy(asc(schools.urn));
  const cellRows = await db.select().from(cells).where(eq(cells.trustId, trustId));
  const people = await db
    .select({ email: users.email, name: users.name, role: memberships.role })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.trustId, trustId))
    .orderBy(asc(users.name));
  const [profile] = await db.select().from(strategyProfiles).where(eq(strategyProfiles.trustId, trustId));
  return {
    bodies: bodies.map((b) => ({
      kind: b.kind,
      name: b.name,
      mode: b.mode,
      purpose: b.purpose,
      parent: b.parentId ? bodyName.get(b.parentId) : null,
      column: b.columnId ? bodyName.get(b.columnId) : null,
      chair: b.chairName,
      position: b.position,
    })),
    schools: schoolRows.map((s) => ({
      urn: s.urn,
      name: s.name,
      phase: s.phase,
      easting: s.easting,
      northing: s.northing,
      postcode: s.postcode,
      localAuthority: s.localAuthority,
      cluster: bodyName.get(s.clusterBodyId!),
      local: bodyName.get(s.localBodyId!),
      joinedOn: s.joinedOn,
      head: s.headteacherName,
    })),
    responsibilities: rows.map(({ id: _id, trustId: _t, createdAt: _c, updatedAt: _u, ...rest }) => rest),
    cells: cellRows
      .map((c) => `${rowRef.get(c.responsibilityId)} ${bodyName.get(c.bodyId)} ${c.code}`)
      .sort(),
    people: people.map((p) => ({ ...p, email: p.email.replace(slug, "<slug>") })),
    strategy: { ratings: profile?.ratings, alignment: profile?.alignment, model: profile?.improvementModel },
  };
}

describe("the national trust fixture", () => {
  it("has the stated numbers of schools, bodies, responsibilities and columns", async () => {
    const db = handle.db;
    const [schoolCount] = await db.select({ n: count() }).from(schools).where(eq(schools.trustId, trust.trustId));
    expect(schoolCount!.n).toBe(NATIONAL_TRUST.schools);
    const columns = await db
      .select({ id: governanceBodies.id, kind: governanceBodies.kind })
      .from(governanceBodies)
      .where(and(eq(governanceBodies.trustId, trust.trustId), isNull(governanceBodies.columnId)));
    expect(columns).toHaveLength(NATIONAL_TRUST.columns);
    expect(columns.filter((c) => c.kind === "committee")).toHaveLength(NATIONAL_TRUST.committees);
    const clusters = await db.select().from(governanceBodies).where(eq(governanceBodies.columnId, trust.columns.cluster));
    expect(clusters).toHaveLength(NATIONAL_TRUST.clusters);
    expect(clusters.every((c) => c.kind === "cluster")).toBe(true);
    const locals = await db.select().from(governanceBodies).where(eq(governanceBodies.columnId, trust.columns.local));
    expect(locals).toHaveLength(NATIONAL_TRUST.schools);
    expect(locals.every((l) => l.kind === "local")).toBe(true);
    const [rowCount] = await db.select({ n: count() }).from(responsibilities).where(eq(responsibilities.trustId, trust.trustId));
    expect(rowCount!.n).toBe(NATIONAL_TRUST.responsibilities);
  });

  it("gives every school its own local board, in the cluster of its region", async () => {
    const rows = await handle.db
      .select({ school: schools, local: governanceBodies })
      .from(schools)
      .innerJoin(governanceBodies, eq(governanceBodies.id, schools.localBodyId))
      .where(eq(schools.trustId, trust.trustId));
    expect(new Set(rows.map((r) => r.local.id)).size).toBe(NATIONAL_TRUST.schools);
    expect(rows.every((r) => r.local.parentId === r.school.clusterBodyId)).toBe(true);
    const perCluster = new Map<string, number>();
    for (const r of rows) perCluster.set(r.school.clusterBodyId!, (perCluster.get(r.school.clusterBodyId!) ?? 0) + 1);
    expect([...perCluster.values()]).toEqual(Array(NATIONAL_TRUST.clusters).fill(NATIONAL_TRUST.schools / NATIONAL_TRUST.clusters));
    expect(new Set(rows.map((r) => r.school.phase)).size).toBeGreaterThanOrEqual(3);
    const eastings = rows.map((r) => r.school.easting!);
    const northings = rows.map((r) => r.school.northing!);
    // From Devon to Tyne and Wear: the schools are spread over England.
    expect(Math.max(...northings) - Math.min(...northings)).toBeGreaterThan(400_000);
    expect(Math.max(...eastings) - Math.min(...eastings)).toBeGreaterThan(200_000);
  });

  it("covers all twelve research areas and has a draft version 1 with a scheme row per responsibility", async () => {
    const areas = await handle.db
      .selectDistinct({ area: responsibilities.area })
      .from(responsibilities)
      .where(eq(responsibilities.trustId, trust.trustId));
    expect(areas.map((a) => a.area).sort((a, b) => a - b)).toEqual(AREAS.map((a) => a.number));
    const versions = await handle.db.select().from(schemeVersions).where(eq(schemeVersions.trustId, trust.trustId));
    expect(versions.map((v) => [v.number, v.status])).toEqual([[1, "draft"]]);
    const [rowCount] = await handle.db.select({ n: count() }).from(schemeRows).where(eq(schemeRows.versionId, trust.versionId));
    expect(rowCount!.n).toBe(NATIONAL_TRUST.responsibilities);
  });

  it("has exactly one D on every row, and fills a realistic share of the matrix", async () => {
    const deciders = await handle.db
      .select({ row: cells.responsibilityId, d: sql<number>`count(*) filter (where ${cells.code} = 'D')`.mapWith(Number) })
      .from(cells)
      .where(eq(cells.versionId, trust.versionId))
      .groupBy(cells.responsibilityId);
    expect(deciders).toHaveLength(NATIONAL_TRUST.responsibilities);
    expect(deciders.every((r) => r.d === 1)).toBe(true);
    const codes = await handle.db
      .select({ code: cells.code, n: count() })
      .from(cells)
      .where(eq(cells.versionId, trust.versionId))
      .groupBy(cells.code);
    const total = codes.reduce((sum, c) => sum + c.n, 0);
    expect(total).toBe(trust.counts.cells);
    const share = total / (NATIONAL_TRUST.responsibilities * NATIONAL_TRUST.columns);
    expect(share).toBeGreaterThan(0.2);
    expect(share).toBeLessThan(0.6);
    expect(codes.map((c) => c.code).sort()).toEqual(["C", "D", "E", "I", "M", "R"]);
  });

  it("puts every cell in a matrix column, never on an individual cluster or local board", async () => {
    const outside = await handle.db
      .select({ n: count() })
      .from(cells)
      .innerJoin(governanceBodies, eq(governanceBodies.id, cells.bodyId))
      .where(and(eq(cells.trustId, trust.trustId), sql`${governanceBodies.columnId} is not null`));
    expect(outside[0]!.n).toBe(0);
  });

  it("gives a user for every role, who can sign in with the returned password, and the autonomy tiers and strategy profile", async () => {
    const roles = await handle.db.select({ role: memberships.role }).from(memberships).where(eq(memberships.trustId, trust.trustId));
    expect(new Set(roles.map((r) => r.role))).toEqual(new Set(ROLES));
    for (const person of [trust.users.clerk, trust.users.viewer]) {
      const user = await verifyCredentials(handle.db, person.email, person.password);
      expect(user?.id).toBe(person.id);
    }
    const tiers = await handle.db.select().from(autonomyTiers).where(eq(autonomyTiers.trustId, trust.trustId));
    expect(tiers).toHaveLength(5);
    const [profile] = await handle.db.select().from(strategyProfiles).where(eq(strategyProfiles.trustId, trust.trustId));
    expect(profile?.ratings.every((r) => r !== null && r >= 1 && r <= 10)).toBe(true);
  });

  it("is deterministic: a second run gives the same trust apart from ids and timestamps", async () => {
    const again = await createNationalTrust(handle.db, { slug: "national-trust-again" });
    expect(again.trustId).not.toBe(trust.trustId);
    expect(await content(again.trustId, again.slug)).toEqual(await content(trust.trustId, trust.slug));
    const other = await createNationalTrust(handle.db, { slug: "national-trust-other-seed", seed: 7 });
    expect(await content(other.trustId, other.slug)).not.toEqual(await content(trust.trustId, trust.slug));
  });

  it("scales with the number of schools, keeping the rest of the trust the same size", async () => {
    for (const size of [10, 1000]) {
      const scaled = await createNationalTrust(handle.db, { slug: `national-trust-${size}`, schools: size });
      const [schoolCount] = await handle.db.select({ n: count() }).from(schools).where(eq(schools.trustId, scaled.trustId));
      expect(schoolCount!.n).toBe(size);
      const [bodyCount] = await handle.db.select({ n: count() }).from(governanceBodies).where(eq(governanceBodies.trustId, scaled.trustId));
      expect(bodyCount!.n).toBe(NATIONAL_TRUST.columns + NATIONAL_TRUST.clusters + size);
      const [rowCount] = await handle.db.select({ n: count() }).from(responsibilities).where(eq(responsibilities.trustId, scaled.trustId));
      expect(rowCount!.n).toBe(NATIONAL_TRUST.responsibilities);
    }
  });
});
