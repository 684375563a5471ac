/**
 * The checks settings page as Remix calls it: everyone in the trust reads the thresholds, only the
 * clerk changes them (403 for others); nonsense answers 400 with the reason on the field, a stale
 * save 409 with the latest; and nothing is saved unless the whole save is. Other settings survive.
 */
import { and, desc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db/client";
import { auditLog, trusts } from "../../db/schema";
import { DEFAULT_RULE_SETTINGS, RULE_SETTING_DESCRIPTIONS, type RuleSettings } from "~/domain/rules/settings";
import { COMMAND_LINE } from "~/models/audit.server";
import { addMember } from "~/models/membership.server";
import { loadRuleSettings } from "~/models/rule-settings.server";
import { createTrust, type Trust } from "~/models/trust.server";
import { createUser } from "~/models/user.server";
import { ruleSettingsOf } from "~/models/validation.server";
import * as route from "~/routes/trusts.$slug.settings";
import { freshDatabase } from "../support/database";
import { call, fieldErrors, formErrors, formPost, getRequest, sessionCookie } from "../support/requests";

const PEOPLE = {
  clerk: { name: "Cora Clerk", email: "clerk@rule-settings.example", password: "settings-clerk-1" },
  ceo: { name: "Cai Chief", email: "ceo@rule-settings.example", password: "settings-ceo-1" },
  trustee: { name: "Tomos Trustee", email: "trustee@rule-settings.example", password: "settings-trustee-1" },
  viewer: { name: "Vanya Viewer", email: "viewer@rule-settings.example", password: "settings-viewer-1" },
} as const;
type Person = keyof typeof PEOPLE;

/** A setting of the trust's that is not a threshold, which saving thresholds must leave alone. */
const OTHER_SETTINGS = { tierNames: { T1: "Flying start" } };

let handle: DatabaseHandle;
let trust: Trust;
const cookies = {} as Record<Person, string>;

beforeAll(async () => {
  handle = await freshDatabase();
  trust = await createTrust(handle.db, COMMAND_LINE, { name: "Rule Settings Trust", slug: "rule-settings" });
  await handle.db.update(trusts).set({ settings: OTHER_SETTINGS }).where(eq(trusts.id, trust.id));
  for (const role of Object.keys(PEOPLE) as Person[]) {
    const person = await createUser(handle.db, COMMAND_LINE, PEOPLE[role]);
    await addMember(handle.db, COMMAND_LINE, { trustId: trust.id, userId: person.id, role });
    cookies[role] = await sessionCookie(PEOPLE[role].email, PEOPLE[role].password);
  }
});
afterAll(() => handle?.close());

const here = () => `/trusts/${trust.slug}/settings`;
const params = () => ({ slug: trust.slug });

type Page = Awaited<ReturnType<typeof route.loader>>;

async function page(person: Person, query = ""): Promise<Page> {
  const answer = await call(route.loader, getRequest(`${here()}${query}`, cookies[person]), params());
  expect(answer.status).toBe(200);
  return answer.data as Page;
}

async function stored() {
  const [row] = await handle.db.select({ settings: trusts.settings, version: trusts.version }).from(trusts).where(eq(trusts.id, trust.id));
  return row!;
}

function fieldsOf(values: Partial<Record<keyof RuleSettings, string | number>>, version: number, intent = "save"): Record<string, string> {
  const fields: Record<string, string> = { intent, version: String(version) };
  for (const [key, value] of Object.entries({ ...DEFAULT_RULE_SETTINGS, ...values })) fields[key] = String(value);
  return fields;
}

function post(person: Person, fields: Record<string, string>) {
  return call(route.action, formPost(here(), fields, { cookie: cookies[person] }), params());
}

async function latestAudit() {
  const [entry] = await handle.db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.trustId, trust.id), eq(auditLog.entity, "trust")))
    .orderBy(desc(auditLog.id))
    .limit(1);
  return entry;
}

describe("reading the thresholds", () => {
  it("shows everyone the defaults until the trust sets its own, and only the clerk may change them", async () => {
    for (const person of Object.keys(PEOPLE) as Person[]) {
      const seen = await page(person);
      expect(seen.settings.values, person).toEqual(DEFAULT_RULE_SETTINGS);
      expect(seen.settings.stored, person).toBe(false);
      expect(seen.canEdit, person).toBe(person === "clerk");
      expect(seen.notice).toBeNull();
    }
  });

  it("changes nothing on opening the page", async () => {
    const before = await stored();
    await page("clerk", "?saved=1");
    expect(await stored()).toEqual(before);
  });
});

describe("the clerk saving thresholds", () => {
  it("saves them for the checks, keeps the trust's other settings, and records who changed what", async () => {
    const { version } = await stored();
    const answer = await post("clerk", fieldsOf({ likeUs: 8, devolvedBelow: 4.5, hubRadiusKm: 25 }, version));
    expect(answer.status).toBe(302);
    expect(answer.location).toBe(`${here()}?saved=1`);

    const expected = { ...DEFAULT_RULE_SETTINGS, likeUs: 8, devolvedBelow: 4.5, hubRadiusKm: 25 };
    const row = await stored();
    expect(row.version).toBe(version + 1);
    expect(row.settings).toEqual({ ...OTHER_SETTINGS, rules: expected });
    expect(ruleSettingsOf(row.settings)).toEqual(expected);
    expect(await loadRuleSettings(handle.db, trust.id)).toEqual({ values: expected, version: version + 1, stored: true });

    const entry = await latestAudit();
    expect(entry?.actor).toBe(PEOPLE.clerk.name);
    expect(entry?.summary).toContain(`${RULE_SETTING_DESCRIPTIONS.likeUs.label} 7 → 8`);
    expect(entry?.summary).toContain(`${RULE_SETTING_DESCRIPTIONS.hubRadiusKm.label} 40 → 25 km`);
    expect(entry?.after).toEqual({ rules: expected });

    const after = await page("clerk", "?saved=1");
    expect(after.notice).toMatch(/saved/);
    expect(after.settings.values).toEqual(expected);
    expect((await page("viewer")).settings.values).toEqual(expected);
  });
});

describe("refused saves, which change nothing", () => {
  it("refuse anyone but the clerk (403)", async () => {
    const before = await stored();
    for (const person of ["ceo", "trustee", "viewer"] as const) {
      expect((await post(person, fieldsOf({ likeUs: 9 }, before.version))).status, person).toBe(403);
      expect((await post(person, fieldsOf({}, before.version, "restore"))).status, person).toBe(403);
    }
    expect(await stored()).toEqual(before);
  });

  it.each([
    ["above 10", "11", "must be a whole number from 1 to 10."],
    ["0", "0", "must be a whole number from 1 to 10."],
    ["not whole", "7.5", "must be a whole number from 1 to 10."],
    ["in words", "seven", "must be written in figures, such as 7."],
    ["blank", "", ": enter a whole number from 1 to 10."],
  ])("refuse a rating that counts as like us %s (400), saying why on the field", async (_case, value, message) => {
    const before = await stored();
    const answer = await post("clerk", { ...fieldsOf({}, before.version), likeUs: value });
    expect(answer.status).toBe(400);
    expect(fieldErrors(answer, "likeUs")).toEqual([`${RULE_SETTING_DESCRIPTIONS.likeUs.label}${message.startsWith(":") ? "" : " "}${message}`]);
    expect(await stored()).toEqual(before);
  });

  it("refuse a devolved cut-off above the centralised one (400)", async () => {
    const before = await stored();
    const answer = await post("clerk", fieldsOf({ devolvedBelow: 9, centralisedFrom: 6 }, before.version));
    expect(answer.status).toBe(400);
    expect(fieldErrors(answer, "devolvedBelow")).toEqual([
      "Index below which a decision is devolved (9) cannot be above the index from which a decision is centralised (6): a decision would count as both devolved and centralised.",
    ]);
    expect(await stored()).toEqual(before);
  });

  it("refuse a save from a page opened before someone else's (409), answering with the latest", async () => {
    const before = await stored();
    const answer = await post("clerk", fieldsOf({ likeUs: 6 }, before.version - 1));
    expect(answer.status).toBe(409);
    expect(formErrors(answer).join(" ")).toMatch(/Someone else saved the checks’ thresholds since you opened it/);
    const answered = answer.data as { latest: unknown; entered: RuleSettings };
    expect(answered.latest).toEqual(await loadRuleSettings(handle.db, trust.id));
    // What was typed comes back, to be entered again on the latest values.
    expect(answered.entered.likeUs).toBe(6);
    expect(await stored()).toEqual(before);

    const restoring = await post("clerk", fieldsOf({}, before.version - 1, "restore"));
    expect(restoring.status).toBe(409);
    expect(await stored()).toEqual(before);
  });
});

describe("restoring the defaults", () => {
  it("removes the trust's thresholds and keeps its other settings", async () => {
    const { version } = await stored();
    const answer = await post("clerk", { intent: "restore", version: String(version) });
    expect(answer.status).toBe(302);
    expect(answer.location).toBe(`${here()}?restored=1`);

    const row = await stored();
    expect(row.settings).toEqual(OTHER_SETTINGS);
    expect(ruleSettingsOf(row.settings)).toEqual(DEFAULT_RULE_SETTINGS);
    expect(await loadRuleSettings(handle.db, trust.id)).toEqual({ values: DEFAULT_RULE_SETTINGS, version: version + 1, stored: false });
    expect((await latestAudit())?.summary).toMatch(/^Restored the default thresholds of the checks/);

    const after = await page("trustee", "?restored=1");
    expect(after.notice).toMatch(/defaults are restored/);
    expect(after.settings.stored).toBe(false);
  });
});
