/**
 * The break-point review as Remix calls it, on the demo trust: the CEO and the clerk read it, others
 * cannot; it finds the two schools joining 80 km away, the joiners and the overdue review; the
 * chosen proposals land in the draft together with its reason and the audit trail, or (a choice the
 * page did not offer, alternatives together, a review changed meanwhile) nothing lands at all; two
 * people applying at once leave one set of changes; with no draft, applying starts one.
 */
import { and, count, eq, isNull } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db/client";
import { auditLog, governanceBodies, schemeVersions, schools } from "../../db/schema";
import { DEMO_USERS, seedDemoTrust, type DemoTrust } from "../../db/seed";
import { DEMO_DRAFT_REASON } from "../../db/seed-scheme";
import { choiceValue } from "~/domain/break-point-choice";
import type { BreakPoint } from "~/domain/break-point-review";
import type { Role } from "~/domain/roles";
import type { SchoolPhase } from "~/domain/structure";
import { today } from "~/clock.server";
import { COMMAND_LINE } from "~/models/audit.server";
import { applyBreakPointProposals, loadBreakPointReview, ReviewChangedError } from "~/models/break-point-review.server";
import { discardDraft, loadScheme } from "~/models/scheme.server";
import { getSchool, updateSchool } from "~/models/structure.server";
import { addMember } from "~/models/membership.server";
import { createTrust } from "~/models/trust.server";
import { createUser } from "~/models/user.server";
import { loadVersionDiff } from "~/models/version-diff.server";
import * as reviewRoute from "~/routes/trusts.$slug.break-points";
import { freshDatabase } from "../support/database";
import { call, formErrors, fieldErrors, getRequest, ORIGIN, sessionCookie } from "../support/requests";

type ReviewPage = Awaited<ReturnType<typeof reviewRoute.loader>>;

const COAST = ["Bempton Cliffs Academy", "Flamborough Head Primary School"];

let handle: DatabaseHandle;
let demo: DemoTrust;
const cookies = {} as Record<Role, string>;

async function openDemo() {
  handle = await freshDatabase();
  demo = await seedDemoTrust(handle.db, COMMAND_LINE);
  for (const person of DEMO_USERS) cookies[person.role] = await sessionCookie(person.email, person.password);
}

const path = () => `/trusts/${demo.trust.slug}/break-points`;
const params = () => ({ slug: demo.trust.slug });

function post(role: Role, proposals: string[]): Request {
  const body = new URLSearchParams(proposals.map((p) => ["proposals", p]));
  return new Request(new URL(path(), ORIGIN), {
    method: "POST",
    body: body.toString(),
    headers: { "Content-Type": "application/x-www-form-urlencoded", cookie: cookies[role] },
  });
}

async function review(): Promise<BreakPoint[]> {
  return (await loadBreakPointReview(handle.db, demo.trust.id, today())).breakPoints;
}

function proposalOf(breakPoints: BreakPoint[], id: string) {
  const found = breakPoints.flatMap((b) => b.proposals).find((p) => p.id === id);
  if (!found) throw new Error(`The review offers no ${id}: ${breakPoints.flatMap((b) => b.proposals.map((p) => p.id)).join(", ")}`);
  return found;
}

/** What a refused apply must leave untouched. */
async function footprint() {
  const [bodies] = await handle.db.select({ n: count() }).from(governanceBodies).where(eq(governanceBodies.trustId, demo.trust.id));
  const [entries] = await handle.db.select({ n: count() }).from(auditLog).where(eq(auditLog.trustId, demo.trust.id));
  const [draft] = await handle.db.select().from(schemeVersions).where(and(eq(schemeVersions.trustId, demo.trust.id), eq(schemeVersions.status, "draft")));
  return { bodies: bodies!.n, entries: entries!.n, reason: draft?.breakPointReason ?? null };
}

describe("the demo trust's review", () => {
  beforeAll(openDemo);
  afterAll(() => handle?.close());

  it("is open to the CEO and the clerk, refused to trustees and viewers, and unknown to another trust's people", async () => {
    for (const role of ["ceo", "clerk"] as const) expect((await call(reviewRoute.loader, getRequest(path(), cookies[role]), params())).status).toBe(200);
    for (const role of ["trustee", "viewer"] as const) {
      expect((await call(reviewRoute.loader, getRequest(path(), cookies[role]), params())).status).toBe(403);
      expect((await call(reviewRoute.action, post(role, ["joiners/keep@00000000"]), params())).status).toBe(403);
    }
    const other = await createTrust(handle.db, COMMAND_LINE, { name: "Fellside Other Trust", slug: "fellside-other" });
    const outsider = await createUser(handle.db, COMMAND_LINE, { email: "o.other@fellside.example", name: "Olive Other", password: "other-password-1" });
    await addMember(handle.db, COMMAND_LINE, { trustId: other.id, userId: outsider.id, role: "ceo" });
    const outsiderCookie = await sessionCookie("o.other@fellside.example", "other-password-1");
    expect((await call(reviewRoute.loader, getRequest(path(), outsiderCookie), params())).status).toBe(404);
  });

  it("finds the trust reaching 15 schools, the coastal schools beyond every cluster, the joiners and the overdue review", async () => {
    const answer = await call(reviewRoute.loader, getRequest(path(), cookies.ceo), params());
    const page = answer.data as ReviewPage;
    const keys = page.breakPoints.map((b) => b.key);
    expect(keys).toEqual(expect.arrayContaining(["size-sustainability", "geography", "joiners", "review"]));
    expect(keys).not.toContain("size-four-tiers");
    expect(page.draft?.number).toBe(3);

    const geography = page.breakPoints.find((b) => b.key === "geography")!;
    for (const name of COAST) expect(geography.observed).toContain(name);
    expect(geography.observed).toMatch(/7\d km from the nearest/);
    const clusters = geography.proposals.find((p) => p.id === "geography/clusters")!;
    expect(clusters.changes.filter((c) => c.startsWith("Place "))).toHaveLength(2);

    const joiners = page.breakPoints.find((b) => b.key === "joiners")!;
    expect(joiners.proposals.map((p) => p.id)).toEqual(expect.arrayContaining(["joiners/keep", "joiners/align"]));
    expect(joiners.proposals.every((p) => p.group === "joiners")).toBe(true);
    expect(page.breakPoints.find((b) => b.key === "review")!.answered).toContain("Draft 3 is under way");
  });

  it("refuses nothing chosen, alternatives together, a choice it did not offer and a proposal changed since, changing nothing", async () => {
    const before = await footprint();
    const bps = await review();
    const keep = choiceValue(proposalOf(bps, "joiners/keep"));
    const align = choiceValue(proposalOf(bps, "joiners/align"));

    const none = await call(reviewRoute.action, post("ceo", []), params());
    expect(none.status).toBe(400);
    expect(fieldErrors(none, "proposals")).toEqual(["Choose at least one proposal to apply."]);

    const both = await call(reviewRoute.action, post("ceo", [keep, align]), params());
    expect(both.status).toBe(400);
    expect(fieldErrors(both, "proposals").join(" ")).toMatch(/“Keep: .*” and “Align: .*” are alternatives: choose one of them\./);

    const forged = await call(reviewRoute.action, post("ceo", ["<script>alert(1)</script>"]), params());
    expect(forged.status).toBe(400);
    expect(fieldErrors(forged, "proposals").join(" ")).toContain("open the review again");

    const changed = await call(reviewRoute.action, post("ceo", [align.replace(/@.*/, "@00000000")]), params());
    expect(changed.status).toBe(409);
    expect(formErrors(changed).join(" ")).toMatch(/The review has changed since you opened it \(Align: .*\): nothing was applied/);

    expect(await footprint()).toEqual(before);
  });

  it("applies the CEO's two proposals to draft 3, records the break points as its reason, and leaves version 2 as approved", async () => {
    const bps = await review();
    const chosen = [choiceValue(proposalOf(bps, "geography/clusters")), choiceValue(proposalOf(bps, "joiners/align"))];
    const answer = await call(reviewRoute.action, post("ceo", chosen), params());
    expect(answer.status).toBe(302);
    expect(answer.location).toBe(`/trusts/${demo.trust.slug}/versions/3/diff?from=2&applied=2`);

    const [draft] = await handle.db.select().from(schemeVersions).where(eq(schemeVersions.id, demo.draftVersionId));
    expect(draft!.breakPointReason).toMatch(new RegExp(`^${DEMO_DRAFT_REASON}; Break-point review of .*: Schools beyond the reach of one hub; New schools joining: 3 schools$`));

    const coast = await handle.db.select().from(schools).where(and(eq(schools.trustId, demo.trust.id)));
    const coastal = coast.filter((s) => COAST.includes(s.name));
    expect(new Set(coastal.map((s) => s.clusterBodyId)).size).toBe(1);
    const [cluster] = await handle.db.select().from(governanceBodies).where(eq(governanceBodies.id, coastal[0]!.clusterBodyId!));
    expect(cluster).toMatchObject({ kind: "cluster", name: "Bempton Cliffs cluster", columnId: demo.bodies["Cluster governing body"]!.id });

    const transition = await handle.db
      .select()
      .from(governanceBodies)
      .where(and(eq(governanceBodies.trustId, demo.trust.id), eq(governanceBodies.purpose, "transition"), isNull(governanceBodies.retiredAt)));
    expect(transition.map((b) => b.name).sort()).toEqual([
      "Bempton Cliffs Academy transition board",
      "Cod Beck Primary School transition board",
      "Flamborough Head Primary School transition board",
    ]);
    for (const s of coastal) expect(transition.map((b) => b.id)).toContain(s.localBodyId);

    const ceo = demo.users.ceo;
    const entries = await handle.db.select().from(auditLog).where(and(eq(auditLog.trustId, demo.trust.id), eq(auditLog.userId, ceo.id)));
    expect(entries.some((e) => e.entity === "body" && e.summary.includes("Bempton Cliffs cluster"))).toBe(true);
    expect(entries.filter((e) => e.entity === "school").length).toBeGreaterThanOrEqual(5);
    expect(entries.some((e) => e.entity === "version" && e.summary.startsWith("Applied “Add clusters"))).toBe(true);

    const { diff } = await loadVersionDiff(handle.db, demo.trust.id, { to: 3, from: 2 });
    expect(diff.structure.boards.added.map((b) => b.name)).toEqual(expect.arrayContaining(["Bempton Cliffs cluster", "Cod Beck Primary School transition board"]));
    expect(diff.structure.schools.added.map((s) => s.name).sort()).toEqual(COAST);

    const approved = await loadScheme(handle.db, demo.trust.id, demo.approvedVersionId);
    expect(approved.schools).toHaveLength(13);
    expect(approved.boards.some((b) => b.name === "Bempton Cliffs cluster")).toBe(false);

    const after = await review();
    expect(after.map((b) => b.key)).not.toContain("geography");
    expect(after.find((b) => b.key === "joiners")?.proposals.map((p) => p.id)).not.toContain("joiners/align");
  });

  it("with no draft, applying starts one from the approved version, with the break points as its reason", async () => {
    await discardDraft(handle.db, COMMAND_LINE, { trustId: demo.trust.id, versionId: demo.draftVersionId, expectedVersion: (await versionOf(demo.draftVersionId)).version });
    const start = proposalOf(await review(), "review/start");
    const answer = await call(reviewRoute.action, post("clerk", [choiceValue(start)]), params());
    expect(answer.status).toBe(302);
    const [draft] = await handle.db.select().from(schemeVersions).where(and(eq(schemeVersions.trustId, demo.trust.id), eq(schemeVersions.status, "draft")));
    expect(draft).toBeDefined();
    expect(draft!.number).toBeGreaterThan(2);
    expect(draft!.basedOnId).toBe(demo.approvedVersionId);
    expect(draft!.breakPointReason).toMatch(/^Break-point review of .*: The annual review is overdue$/);
    expect(answer.location).toBe(`/trusts/${demo.trust.slug}/versions/${draft!.number}/diff?from=2&applied=1&started=1`);
  });
});

async function versionOf(id: string) {
  const [row] = await handle.db.select().from(schemeVersions).where(eq(schemeVersions.id, id));
  return row!;
}

describe("a review that changes while it is being chosen", () => {
  beforeAll(openDemo);
  afterAll(() => handle?.close());

  it("refuses a proposal whose schools were placed meanwhile, and applies nothing", async () => {
    const clusters = proposalOf(await review(), "geography/clusters");
    const school = (await handle.db.select().from(schools).where(and(eq(schools.trustId, demo.trust.id), eq(schools.name, COAST[0]!))))[0]!;
    const current = (await getSchool(handle.db, demo.trust.id, school.id))!;
    await updateSchool(handle.db, COMMAND_LINE, {
      trustId: demo.trust.id,
      id: current.id,
      expectedVersion: current.version,
      urn: current.urn,
      name: current.name,
      phase: current.phase as SchoolPhase,
      easting: current.easting,
      northing: current.northing,
      postcode: current.postcode,
      localAuthority: current.localAuthority,
      joinedOn: current.joinedOn,
      headteacherName: current.headteacherName,
      clusterBodyId: demo.bodies["Mowbray cluster"]!.id,
      localBodyId: null,
    });
    const before = await footprint();
    await expect(
      applyBreakPointProposals(handle.db, COMMAND_LINE, { trustId: demo.trust.id, chosen: [{ id: clusters.id, digest: clusters.digest }], today: today() }),
    ).rejects.toBeInstanceOf(ReviewChangedError);
    expect(await footprint()).toEqual(before);
  });

  it("lets exactly one of two people applying the same proposal at once succeed; the other is told the review changed", async () => {
    const align = proposalOf(await review(), "joiners/align");
    const apply = (actor: typeof COMMAND_LINE) =>
      applyBreakPointProposals(handle.db, actor, { trustId: demo.trust.id, chosen: [{ id: align.id, digest: align.digest }], today: today() });
    const results = await Promise.allSettled([apply({ userId: demo.users.ceo.id, name: "CEO" }), apply({ userId: demo.users.clerk.id, name: "Clerk" })]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const refused = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(refused.reason).toBeInstanceOf(ReviewChangedError);
    const transition = await handle.db
      .select()
      .from(governanceBodies)
      .where(and(eq(governanceBodies.trustId, demo.trust.id), eq(governanceBodies.purpose, "transition")));
    expect(transition).toHaveLength(3);
  });
});
