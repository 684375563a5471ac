/**
 * One trust never sees nor changes another's. Every route module under app/routes is found on disk
 * (so a new route is covered as soon as it exists), and each one that docs/security.md marks as about
 * the trust in its address is called, loader and action, with the session of a clerk of a different
 * trust: each must answer 404, and without a session, send the person to sign in. Which routes are not
 * about one trust, and why, is in that table too (route-security.test.ts holds it to the routes).
 */
import { count, eq, getTableName } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db/client";
import * as schema from "../../db/schema";
import { DEMO_TRUST_SLUG, seedDemoTrust } from "../../db/seed";
import { COMMAND_LINE } from "~/models/audit.server";
import { addMember } from "~/models/membership.server";
import { createTrust, findTrustBySlug, type Trust } from "~/models/trust.server";
import { createUser } from "~/models/user.server";
import { freshDatabase } from "../support/database";
import { call, formPost, getRequest, sessionCookie, type Answer } from "../support/requests";
import { paramValue, routeFiles, trustTables, urlFor } from "../support/routes";
import { readSecurityTable } from "../support/security-table";

const table = readSecurityTable();

/** The route files about the trust named in their address. */
const SCOPED = new Set(table.filter((row) => row.scope === "yes").map((row) => row.file));

/** The route files for anyone signed in that are about the person, not about one trust. */
const PERSONAL = new Set(
  table.filter((row) => row.scope === "no" && (row.who.kind === "signed-in" || row.who.kind === "site administrator")).map((row) => row.file),
);

/** The route files that show only what a trust published, to anyone. */
const PUBLISHED = new Set(table.filter((row) => row.scope === "published").map((row) => row.file));

async function rowCounts(handle: DatabaseHandle): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of trustTables) {
    const [row] = await handle.db.select({ n: count() }).from(table);
    counts[getTableName(table)] = row!.n;
  }
  return counts;
}

let handle: DatabaseHandle;
let other: Trust;
let own: Trust;
let outsiderCookie: string;
const routes = await routeFiles();

beforeAll(async () => {
  handle = await freshDatabase();
  // The demo trust is the trust with data to protect; the outsider clerk belongs to a trust of her own.
  await seedDemoTrust(handle.db, COMMAND_LINE);
  other = (await findTrustBySlug(handle.db, DEMO_TRUST_SLUG))!;
  own = await createTrust(handle.db, COMMAND_LINE, { name: "Harbourside Outsiders Trust", slug: "harbourside-outsiders" });
  const outsider = await createUser(handle.db, COMMAND_LINE, {
    name: "Olu Outsider",
    email: "olu.outsider@harbourside.example",
    password: "outsider-password-1",
  });
  await addMember(handle.db, COMMAND_LINE, { trustId: own.id, userId: outsider.id, role: "clerk" });
  outsiderCookie = await sessionCookie("olu.outsider@harbourside.example", "outsider-password-1");
});
afterAll(() => handle?.close());

/** Everything of the other trust that must never appear in an answer to an outsider. */
function expectNothingOfOtherTrust(answer: Answer, where: string) {
  expect(answer.text, where).not.toContain(other.name);
  expect(answer.text, where).not.toContain(other.id);
}

function expectSignIn(answer: Answer, where: string) {
  expect(answer.status, `${where}: status`).toBe(302);
  expect(answer.location ?? "", `${where}: redirect`).toMatch(/^\/sign-in(\?|$)/);
}

/** Without a session: sent to sign in, or (for an address that never serves a page, like a JSON endpoint's GET) 404. */
function expectSignInOrNotFound(answer: Answer, where: string) {
  if (answer.status === 404) expectNothingOfOtherTrust(answer, where);
  else expectSignIn(answer, where);
}

/** A plausible form for any action: the fields the trust pages use, filled with the other trust's ids. */
async function plausibleForm(): Promise<Record<string, string>> {
  const [member] = await handle.db
    .select({ userId: schema.memberships.userId })
    .from(schema.memberships)
    .where(eq(schema.memberships.trustId, other.id))
    .limit(1);
  return {
    intent: "add",
    email: "olu.outsider@harbourside.example",
    name: "Olu Outsider",
    role: "clerk",
    password: "outsider-password-1",
    userId: member!.userId,
  };
}

describe("the route files", () => {
  it("are found, and each one whose address names a trust is checked below unless it shows only what the trust published", () => {
    expect(routes.map((r) => r.id)).toContain("trusts.$slug.people");
    const unchecked = routes.filter((r) => r.params.includes("slug") && !SCOPED.has(r.name) && !PUBLISHED.has(r.name));
    expect(unchecked.map((r) => r.name), "mark them as about the trust in docs/security.md").toEqual([]);
  });
});

describe("another trust's pages, for a clerk of a different trust", () => {
  const scoped = routes.filter((r) => SCOPED.has(r.name));

  it.each(scoped.map((r) => [r.id, r] as const))("%s answers 404 and changes nothing", async (_id, route) => {
    const { module } = route;
    expect(module.loader ?? module.action, `${route.id} has neither a loader nor an action`).toBeDefined();
    const params: Record<string, string> = {};
    for (const name of route.params) params[name] = await paramValue(handle, other, name);
    const url = urlFor(route, params);
    const before = await rowCounts(handle);
    const [audit] = await handle.db.select({ n: count() }).from(schema.auditLog);

    if (module.loader) {
      const answer = await call(module.loader, getRequest(url, outsiderCookie), params);
      expect(answer.status, `GET ${url}`).toBe(404);
      expectNothingOfOtherTrust(answer, `GET ${url}`);
      expectSignInOrNotFound(await call(module.loader, getRequest(url), params), `GET ${url} without a session`);
    }
    if (module.action) {
      const form = await plausibleForm();
      const answer = await call(module.action, formPost(url, form, { cookie: outsiderCookie }), params);
      expect(answer.status, `POST ${url}`).toBe(404);
      expectNothingOfOtherTrust(answer, `POST ${url}`);
      expectSignInOrNotFound(await call(module.action, formPost(url, form), params), `POST ${url} without a session`);
    }

    expect(await rowCounts(handle)).toEqual(before);
    const [auditAfter] = await handle.db.select({ n: count() }).from(schema.auditLog);
    expect(auditAfter!.n).toBe(audit!.n);
  });

  it.each(scoped.filter((r) => r.params.every((p) => p === "slug") && r.module.loader).map((r) => [r.id, r] as const))(
    "%s opens for the outsider's own trust (so the 404 above is about the trust, not a broken page)",
    async (_id, route) => {
      const params = { slug: own.slug };
      const answer = await call(route.module.loader, getRequest(urlFor(route, params), outsiderCookie), params);
      if (answer.status >= 300 && answer.status < 400) expect(answer.location).toMatch(new RegExp(`^/trusts/${own.slug}(/|\\?|$)`));
      else expect(answer.status).toBe(200);
      expectNothingOfOtherTrust(answer, route.id);
    },
  );

  it.each(scoped.filter((r) => r.params.some((p) => p.endsWith("Id"))).map((r) => [r.id, r] as const))(
    "%s answers 404 for the outsider's own trust with the other trust's ids in the address",
    async (_id, route) => {
      const { module } = route;
      const params: Record<string, string> = {};
      for (const name of route.params) params[name] = name === "slug" ? own.slug : await paramValue(handle, other, name);
      const url = urlFor(route, params);
      const before = await rowCounts(handle);
      if (module.loader) {
        const answer = await call(module.loader, getRequest(url, outsiderCookie), params);
        expect(answer.status, `GET ${url}`).toBe(404);
        expectNothingOfOtherTrust(answer, `GET ${url}`);
      }
      if (module.action) {
        // The form cannot be right for every action: refusing it (400) before looking the id up also leaks nothing.
        const answer = await call(module.action, formPost(url, await plausibleForm(), { cookie: outsiderCookie }), params);
        expect([400, 404], `POST ${url}: status ${answer.status}`).toContain(answer.status);
        expectNothingOfOtherTrust(answer, `POST ${url}`);
      }
      expect(await rowCounts(handle)).toEqual(before);
    },
  );
});

describe("personal routes", () => {
  it.each(routes.filter((r) => PERSONAL.has(r.name)).map((r) => [r.id, r] as const))(
    "%s shows nothing of a trust the person does not belong to, and sends the signed-out to sign in",
    async (_id, route) => {
      const { module } = route;
      const url = urlFor(route, {});
      if (module.loader) {
        const answer = await call(module.loader, getRequest(url, outsiderCookie));
        expect(answer.status, `GET ${url}`).toBe(200);
        expectNothingOfOtherTrust(answer, `GET ${url}`);
        expect(answer.text).not.toContain(other.slug);
        expectSignIn(await call(module.loader, getRequest(url)), `GET ${url} without a session`);
      }
      if (module.action) expectSignIn(await call(module.action, formPost(url, {})), `POST ${url} without a session`);
    },
  );
});
