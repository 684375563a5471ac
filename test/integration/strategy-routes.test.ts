/**
 * The strategy profile page as Remix calls it: everyone reads; the CEO, trustees and the clerk save;
 * ratings out of range or not numbers are refused with a message and change nothing; a stale save
 * is refused; what is saved is what the checks read.
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db/client";
import { auditLog } from "../../db/schema";
import { DEMO_USERS, seedDemoTrust, type DemoTrust } from "../../db/seed";
import type { Role } from "~/domain/roles";
import { STRATEGY_STATEMENTS } from "~/domain/strategy";
import { COMMAND_LINE } from "~/models/audit.server";
import { loadStoredStrategy, loadStrategy } from "~/models/strategy.server";
import * as strategyRoute from "~/routes/trusts.$slug.strategy";
import { freshDatabase } from "../support/database";
import { call, fieldErrors, formErrors, formPost, getRequest, sessionCookie } from "../support/requests";

type StrategyPage = Awaited<ReturnType<typeof strategyRoute.loader>>;

let handle: DatabaseHandle;
let demo: DemoTrust;
const cookies = {} as Record<Role, string>;

beforeAll(async () => {
  handle = await freshDatabase();
  demo = await seedDemoTrust(handle.db, COMMAND_LINE);
  for (const person of DEMO_USERS) cookies[person.role] = await sessionCookie(person.email, person.password);
});
afterAll(() => handle?.close());

const slug = () => demo.trust.slug;
const path = () => `/trusts/${slug()}/strategy`;

/** The form as the page sends it: every rating, area and field, with `changes` over the stored values. */
async function formFor(changes: Record<string, string>): Promise<Record<string, string>> {
  const stored = await loadStoredStrategy(handle.db, demo.trust.id);
  const fields: Record<string, string> = {
    version: String(stored.version),
    improvementModel: stored.profile.improvementModel ?? "",
    vision: stored.vision ?? "",
  };
  stored.profile.ratings.forEach((r, i) => (fields[`s${i + 1}`] = r === null ? "" : String(r)));
  for (const [area, culture] of Object.entries(stored.profile.alignment)) fields[`a${area}`] = culture ?? "";
  return { ...fields, ...changes };
}

const save = (fields: Record<string, string>, role: Role = "trustee") =>
  call(strategyRoute.action, formPost(path(), fields, { cookie: cookies[role] }), { slug: slug() });

describe("reading the strategy profile", () => {
  it("shows every member the ratings, and only editors may change them", async () => {
    const asViewer = await call(strategyRoute.loader, getRequest(path(), cookies.viewer), { slug: slug() });
    expect(asViewer.status).toBe(200);
    const page = asViewer.data as StrategyPage;
    expect(page.profile.ratings).toHaveLength(STRATEGY_STATEMENTS.length);
    expect(page.profile.ratings.every((r) => typeof r === "number")).toBe(true);
    expect(page.canEdit).toBe(false);
    const asTrustee = (await call(strategyRoute.loader, getRequest(path(), cookies.trustee), { slug: slug() })).data as StrategyPage;
    expect(asTrustee.canEdit).toBe(true);
  });

  it("is not there for someone who is not signed in", async () => {
    const answer = await call(strategyRoute.loader, getRequest(path()), { slug: slug() });
    expect(answer.status).toBe(302);
    expect(answer.location).toContain("/sign-in");
  });
});

describe("saving the strategy profile", () => {
  it("saves a trustee's ratings, alignment and model, records who did it, and the checks read them", async () => {
    const before = await loadStoredStrategy(handle.db, demo.trust.id);
    const answer = await save(await formFor({ s1: "10", s10: "", a3: "school-autonomy", improvementModel: "hub" }));
    expect(answer.status).toBe(302);
    expect(answer.location).toBe(`${path()}?saved=1`);
    const after = await loadStrategy(handle.db, demo.trust.id);
    expect(after.ratings[0]).toBe(10);
    expect(after.ratings[9]).toBeNull();
    expect(after.alignment[3]).toBe("school-autonomy");
    expect(after.improvementModel).toBe("hub");
    expect((await loadStoredStrategy(handle.db, demo.trust.id)).version).toBe(before.version + 1);
    const entries = await handle.db.select().from(auditLog).where(eq(auditLog.entity, "strategy-profile"));
    expect(entries.at(-1)).toMatchObject({ actor: "Margaret Kettlewell", action: "update" });
  });

  it.each([
    ["above the scale", "11"],
    ["below the scale", "0"],
    ["not a number", "seven"],
    ["not a whole number", "7.5"],
  ])("refuses a rating %s with a message, and changes nothing", async (_, rating) => {
    const before = await loadStoredStrategy(handle.db, demo.trust.id);
    const answer = await save(await formFor({ s4: rating }));
    expect(answer.status).toBe(400);
    expect(fieldErrors(answer, "s4")).toEqual(["Give a whole number from 1 to 10, or leave the statement unrated"]);
    expect(await loadStoredStrategy(handle.db, demo.trust.id)).toEqual(before);
  });

  it("refuses an alignment culture or a model that is not one of the research's", async () => {
    const answer = await save(await formFor({ a5: "anarchy", improvementModel: "franchise" }));
    expect(answer.status).toBe(400);
    expect(fieldErrors(answer, "a5")).toEqual(["Choose one of the three alignment cultures, or leave it unset"]);
    expect(fieldErrors(answer, "improvementModel")).toEqual(["Choose one of the five school-improvement models, or leave it unset"]);
  });

  it("refuses a save made from a page someone else has saved since, and keeps their ratings", async () => {
    const stale = await formFor({ s2: "1" });
    expect((await save(await formFor({ s2: "3" }), "ceo")).status).toBe(302);
    const answer = await save(stale);
    expect(answer.status).toBe(409);
    expect((answer.data as { stale: string }).stale).toMatch(/Someone else saved the strategy profile/);
    expect((await loadStrategy(handle.db, demo.trust.id)).ratings[1]).toBe(3);
  });

  it("refuses a viewer (403) and changes nothing", async () => {
    const before = await loadStoredStrategy(handle.db, demo.trust.id);
    const answer = await save(await formFor({ s1: "1" }), "viewer");
    expect(answer.status).toBe(403);
    expect(await loadStoredStrategy(handle.db, demo.trust.id)).toEqual(before);
    expect(formErrors(answer)).toEqual([]);
  });
});
