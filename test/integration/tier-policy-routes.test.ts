/**
 * The autonomy tiers page as Remix calls it, on the demo trust: everyone reads the tiers, only the
 * clerk changes them (403 for others). A save changes what every school's recommended tier and
 * review dates follow; nonsense answers 400 with the reason on its field, a stale save 409 with the
 * latest; neither changes anything. The trust's other settings survive, and restoring the defaults
 * puts back domain.md §5(d)'s policy.
 */
import { and, asc, count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db/client";
import { auditLog, autonomyTiers, trusts } from "../../db/schema";
import { DEMO_USERS, seedDemoTrust, type DemoTrust } from "../../db/seed";
import { TIERS } from "~/domain/autonomy";
import { monthsAfter } from "~/domain/dates";
import type { Role } from "~/domain/roles";
import { DEFAULT_TIER_POLICY, type TierPolicy } from "~/domain/tier-policy";
import { tierPolicyForm } from "~/domain/tier-policy-form";
import { COMMAND_LINE } from "~/models/audit.server";
import { loadTierPolicy } from "~/models/autonomy.server";
import { loadStoredTierPolicy, type TierPolicyVersions } from "~/models/tier-policy.server";
import * as schoolsRoute from "~/routes/trusts.$slug.schools._index";
import * as route from "~/routes/trusts.$slug.tiers";
import { freshDatabase } from "../support/database";
import { call, fieldErrors, formErrors, formPost, getRequest, sessionCookie } from "../support/requests";

type Page = Awaited<ReturnType<typeof route.loader>>;
type SchoolsPage = Awaited<ReturnType<typeof schoolsRoute.loader>>;

/** A setting of the trust's that is not the tiers', which saving the tiers must leave alone. */
const OTHER_SETTINGS = { rules: { likeUs: 8 } };

/** A school in Standard (T2), last reviewed a month ago; and one in earned autonomy on a Good inspection. */
const STANDARD_SCHOOL = "Swaledale Beck Primary School";
const GOOD_SCHOOL = "Wensleydale Bridge School";

let handle: DatabaseHandle;
let demo: DemoTrust;
const cookies = {} as Record<Role, string>;

beforeAll(async () => {
  handle = await freshDatabase();
  demo = await seedDemoTrust(handle.db, COMMAND_LINE);
  await handle.db.update(trusts).set({ settings: OTHER_SETTINGS }).where(eq(trusts.id, demo.trust.id));
  for (const person of DEMO_USERS) cookies[person.role] = await sessionCookie(person.email, person.password);
});
afterAll(() => handle?.close());

const here = () => `/trusts/${demo.trust.slug}/tiers`;
const params = () => ({ slug: demo.trust.slug });

async function page(role: Role, query = ""): Promise<Page> {
  const answer = await call(route.loader, getRequest(`${here()}${query}`, cookies[role]), params());
  expect(answer.status).toBe(200);
  return answer.data as Page;
}

async function schoolsPage(): Promise<SchoolsPage> {
  return (await call(schoolsRoute.loader, getRequest(`/trusts/${demo.trust.slug}/schools`, cookies.viewer), params())).data as SchoolsPage;
}

const entryOf = (schools: SchoolsPage, name: string) => schools.calendar.entries.find((e) => e.school.name === name)!;

/** Everything a save could touch: the tiers' rows, the trust's settings and version, and the audit trail. */
async function stored() {
  const rows = await handle.db.select().from(autonomyTiers).where(eq(autonomyTiers.trustId, demo.trust.id)).orderBy(asc(autonomyTiers.tier));
  const [trust] = await handle.db.select({ settings: trusts.settings, version: trusts.version }).from(trusts).where(eq(trusts.id, demo.trust.id));
  const [audit] = await handle.db.select({ n: count() }).from(auditLog).where(and(eq(auditLog.trustId, demo.trust.id), eq(auditLog.entity, "autonomy-tiers")));
  return { rows, trust: trust!, audits: audit!.n };
}

/** The form as the page posts it, from a policy and the versions it was read at. */
function fieldsOf(policy: TierPolicy, versions: TierPolicyVersions, intent = "save"): Record<string, string> {
  const fields: Record<string, string> = { intent };
  const add = (prefix: string, value: unknown) => {
    if (value !== null && typeof value === "object") for (const [key, inner] of Object.entries(value)) add(prefix ? `${prefix}.${key}` : key, inner);
    else fields[prefix] = String(value);
  };
  add("", tierPolicyForm(policy));
  add("versions", versions);
  return fields;
}

function post(role: Role, fields: Record<string, string>) {
  return call(route.action, formPost(here(), fields, { cookie: cookies[role] }), params());
}

async function latest() {
  return loadStoredTierPolicy(handle.db, demo.trust.id);
}

function edited(policy: TierPolicy, change: (p: TierPolicy) => void): TierPolicy {
  const copy = structuredClone(policy);
  change(copy);
  return copy;
}

describe("reading the tiers", () => {
  it("shows everyone the default policy, and only the clerk may change it", async () => {
    for (const person of DEMO_USERS) {
      const seen = await page(person.role);
      expect(seen.stored.policy, person.role).toEqual(DEFAULT_TIER_POLICY);
      expect(seen.stored.isDefault, person.role).toBe(true);
      expect(seen.canEdit, person.role).toBe(person.role === "clerk");
      expect(seen.notice).toBeNull();
    }
  });

  it("changes nothing on opening the page", async () => {
    const before = await stored();
    await page("clerk", "?saved=1");
    expect(await stored()).toEqual(before);
  });
});

describe("the clerk saving the tiers", () => {
  it("renames a tier and changes its cadence and a threshold: schools' review dates and recommended tiers follow", async () => {
    const before = await stored();
    const schoolsBefore = await schoolsPage();
    expect(entryOf(schoolsBefore, STANDARD_SCHOOL).schedule).toMatchObject({ tier: "T2", reviewsPerYear: 2 });
    expect(entryOf(schoolsBefore, GOOD_SCHOOL).school.recommended).toBe("T1");

    const { policy, versions } = await latest();
    const wanted = edited(policy, (p) => {
      p.tiers.T2.name = "Core";
      p.tiers.T2.reviewsPerYear = 4;
      p.tiers.T1.criteria.minLegacyGrade = 1;
    });
    const answer = await post("clerk", fieldsOf(wanted, versions));
    expect(answer.status).toBe(302);
    expect(answer.location).toBe(`${here()}?saved=1`);

    expect(await loadTierPolicy(handle.db, demo.trust.id)).toEqual(wanted);
    const after = await stored();
    expect(after.rows.map((r) => r.version)).toEqual(before.rows.map((r) => r.version + 1));
    // The bands did not change, so the trust's own row, and its other settings, are untouched.
    expect(after.trust).toEqual(before.trust);

    const schools = await schoolsPage();
    const standard = entryOf(schools, STANDARD_SCHOOL).schedule;
    expect(standard.reviewsPerYear).toBe(4);
    expect(standard.nextReviewOn).toBe(monthsAfter(standard.lastReviewedOn!, 3));
    expect(standard.upcoming).toHaveLength(4);
    expect(entryOf(schools, GOOD_SCHOOL).school.recommended).toBe("T2");
    expect(schools.tierLabels.T2).toBe("Core (T2)");

    const [entry] = await handle.db.select().from(auditLog).where(eq(auditLog.entity, "autonomy-tiers")).orderBy(asc(auditLog.id));
    expect(entry?.actor).toBe(DEMO_USERS.find((u) => u.role === "clerk")!.name);
    expect(entry?.summary).toBe(
      'Changed the autonomy tiers: Earned autonomy (T1): weakest legacy grade that earns autonomy Good (2) → Outstanding (1); Standard (T2): renamed "Core", reviews a year 2 → 4',
    );

    const seen = await page("viewer", "?saved=1");
    expect(seen.notice).toMatch(/saved/);
    expect(seen.stored.policy).toEqual(wanted);
    expect(seen.stored.isDefault).toBe(false);
  });

  it("saves the trust's own outcomes bands beside its other settings", async () => {
    const { policy, versions } = await latest();
    const wanted = edited(policy, (p) => {
      p.outcomesBands = ["Low", "Middle", "High"];
      p.tiers.T1.criteria.minOutcomesBand = "Middle";
      p.tiers.T1.criteria.glassCeilingBand = null;
    });
    expect((await post("clerk", fieldsOf(wanted, versions))).status).toBe(302);
    const after = await stored();
    expect(after.trust.settings).toEqual({ ...OTHER_SETTINGS, outcomesBands: ["Low", "Middle", "High"] });
    expect(after.trust.version).toBe(versions.trust + 1);
    expect(await loadTierPolicy(handle.db, demo.trust.id)).toEqual(wanted);
  });
});

describe("refused saves, which change nothing", () => {
  it("refuse anyone but the clerk (403)", async () => {
    const before = await stored();
    const { policy, versions } = await latest();
    for (const role of ["ceo", "trustee", "viewer"] as const) {
      expect((await post(role, fieldsOf(edited(policy, (p) => (p.tiers.T2.reviewsPerYear = 6)), versions))).status, role).toBe(403);
      expect((await post(role, fieldsOf(policy, versions, "restore"))).status, role).toBe(403);
    }
    expect(await stored()).toEqual(before);
  });

  it.each([
    ["reviews a year of 0", (f: Record<string, string>) => (f["tiers.T2.reviewsPerYear"] = "0"), "tiers.T2.reviewsPerYear", "Reviews a year must be a whole number from 1 to 12."],
    ["reviews a year of 13", (f: Record<string, string>) => (f["tiers.T4.reviewsPerYear"] = "13"), "tiers.T4.reviewsPerYear", "Reviews a year must be a whole number from 1 to 12."],
    [
      "a T1 legacy grade weaker than T3's",
      (f: Record<string, string>) => (f["tiers.T1.criteria.minLegacyGrade"] = "4"),
      "tiers.T3.criteria.legacyGradeFrom",
      /^A legacy grade of Requires improvement would both earn autonomy and call for support/,
    ],
    [
      "a band threshold not among the trust's bands",
      (f: Record<string, string>) => (f["tiers.T1.criteria.minOutcomesBand"] = "Average"),
      "tiers.T1.criteria.minOutcomesBand",
      '"Average" is not one of the trust\'s outcomes bands (Low, Middle, High).',
    ],
    ["an empty tier name", (f: Record<string, string>) => (f["tiers.T0.name"] = ""), "tiers.T0.name", "Give tier T0 a name."],
    ["a tier name taken", (f: Record<string, string>) => (f["tiers.T4.name"] = "Supported"), "tiers.T4.name", 'Tiers T3 and T4 are both called "Supported": give each its own name.'],
  ])("refuse %s (400), saying why on the field", async (_case, change, field, message) => {
    const before = await stored();
    const { policy, versions } = await latest();
    const fields = fieldsOf(policy, versions);
    change(fields);
    const answer = await post("clerk", fields);
    expect(answer.status).toBe(400);
    expect(fieldErrors(answer, field)).toHaveLength(1);
    expect(fieldErrors(answer, field)[0]).toMatch(message);
    expect(await stored()).toEqual(before);
  });

  it("refuse a save from a page opened before someone else's (409), answering with the latest", async () => {
    const { policy, versions } = await latest();
    const first = edited(policy, (p) => (p.tiers.T3.reviewsPerYear = 6));
    expect((await post("clerk", fieldsOf(first, versions))).status).toBe(302);

    const before = await stored();
    const second = edited(policy, (p) => (p.tiers.T0.name = "Joining"));
    const answer = await post("clerk", fieldsOf(second, versions));
    expect(answer.status).toBe(409);
    expect(formErrors(answer).join(" ")).toMatch(/Someone else saved the autonomy tiers since you opened it/);
    const answered = answer.data as { latest: unknown; entered: TierPolicy };
    expect(answered.latest).toEqual(await latest());
    // What was typed comes back, to be entered again on the latest policy.
    expect(answered.entered.tiers.T0.name).toBe("Joining");
    expect(await stored()).toEqual(before);

    expect((await post("clerk", fieldsOf(policy, versions, "restore"))).status).toBe(409);
    expect(await stored()).toEqual(before);
  });

  it("refuse a save read before the trust's bands changed (409)", async () => {
    const { policy, versions } = await latest();
    expect((await post("clerk", fieldsOf(edited(policy, (p) => p.outcomesBands.push("Top")), versions))).status).toBe(302);
    const before = await stored();
    const moved = await latest();
    // Only the trust's row moved: the tiers' rows are at the versions the page was read at, bar one.
    const answer = await post("clerk", fieldsOf(policy, { ...moved.versions, trust: versions.trust }));
    expect(answer.status).toBe(409);
    expect(await stored()).toEqual(before);
  });
});

describe("restoring the defaults", () => {
  it("puts back the default tiers and bands and keeps the trust's other settings", async () => {
    const { policy, versions } = await latest();
    const answer = await post("clerk", fieldsOf(policy, versions, "restore"));
    expect(answer.status).toBe(302);
    expect(answer.location).toBe(`${here()}?restored=1`);

    const after = await stored();
    expect(after.trust.settings).toEqual(OTHER_SETTINGS);
    expect(await loadTierPolicy(handle.db, demo.trust.id)).toEqual(DEFAULT_TIER_POLICY);
    const [entry] = await handle.db.select().from(auditLog).where(eq(auditLog.entity, "autonomy-tiers")).orderBy(asc(auditLog.id)).limit(1).offset(after.audits - 1);
    expect(entry?.summary).toMatch(/^Restored the default autonomy tiers: /);

    const seen = await page("trustee", "?restored=1");
    expect(seen.notice).toMatch(/default tiers are restored/);
    expect(seen.stored.isDefault).toBe(true);
    expect(entryOf(await schoolsPage(), STANDARD_SCHOOL).schedule.reviewsPerYear).toBe(2);
  });
});

describe("a trust with tiers not yet stored", () => {
  it("reads the defaults for them, and the first save writes them", async () => {
    await handle.db.delete(autonomyTiers).where(and(eq(autonomyTiers.trustId, demo.trust.id), eq(autonomyTiers.tier, "T4")));
    const { policy, versions } = await latest();
    expect(versions.T4).toBe(0);
    expect(policy.tiers.T4).toEqual(DEFAULT_TIER_POLICY.tiers.T4);

    const wanted = edited(policy, (p) => (p.tiers.T4.reviewsPerYear = 6));
    expect((await post("clerk", fieldsOf(wanted, versions))).status).toBe(302);
    const after = await stored();
    expect(after.rows.map((r) => r.tier)).toEqual([...TIERS]);
    expect(after.rows.find((r) => r.tier === "T4")).toMatchObject({ reviewsPerYear: 6, version: 1 });

    // A second page read before the first save still thought T4 had no row.
    const answer = await post("clerk", fieldsOf(policy, versions));
    expect(answer.status).toBe(409);
    expect(await stored()).toEqual(after);
  });
});
