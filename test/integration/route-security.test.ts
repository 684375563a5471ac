/**
 * The table of routes in docs/security.md is true. It names every route module in app/routes and no
 * other, with the path its file name makes and exactly the methods it answers; and every row holds when
 * its loader or action is called as Remix calls it, on the demo trust: without a session (sent to sign
 * in, or answered for "anyone", or 404 for "nobody"), and with the session of each role of the trust, of
 * someone with no membership and of a site administrator (403 for whoever the row leaves out; past the
 * check for whoever it names), and a change posted from another site's page is refused. A route added
 * without a row, or a check that differs from its row, fails here. That a member of another trust gets 404 from every route marked as about the trust in
 * its address is tenancy.test.ts, which takes those routes from the same table.
 */
import { count } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db/client";
import { auditLog } from "../../db/schema";
import { DEMO_USERS, seedDemoTrust, type DemoTrust } from "../../db/seed";
import { PERMISSIONS, ROLES, type Role } from "~/domain/roles";
import { COMMAND_LINE } from "~/models/audit.server";
import { publishVersion } from "~/models/publication.server";
import { listVersions, loadScheme } from "~/models/scheme.server";
import { createUser } from "~/models/user.server";
import { freshDatabase } from "../support/database";
import { call, getRequest, formPost, ORIGIN, sessionCookie, type Answer } from "../support/requests";
import { pathPattern, routeFiles, type RouteFile } from "../support/routes";
import { readSecurityTable, type SecurityRow } from "../support/security-table";

const table = readSecurityTable();
const routes = await routeFiles();
const routeOf = (row: SecurityRow): RouteFile | undefined => routes.find((r) => r.name === row.file);

/**
 * What a row's post carries. A post without an intent sends a body no form of ours sends (text/plain):
 * whoever passes the access check reaches the form reader, which refuses it (415) before anything
 * changes. A post with an intent sends that intent and a finding no version has, so the action gets as
 * far as its check for the intent and then finds nothing to change.
 */
const INTENT_FIELDS = { key: `ST-01:${"0".repeat(24)}`, reason: "Sent by the access test" };

let handle: DatabaseHandle;
let demo: DemoTrust;
let params: Record<string, string>;
const cookies = {} as Record<Role | "no membership" | "site administrator", string>;

beforeAll(async () => {
  handle = await freshDatabase();
  demo = await seedDemoTrust(handle.db, COMMAND_LINE);
  // Published, so that the public pages have something to answer with.
  await publishVersion(handle.db, COMMAND_LINE, { trustId: demo.trust.id, versionId: demo.approvedVersionId, expectedVersionId: null });
  for (const person of DEMO_USERS) cookies[person.role] = await sessionCookie(person.email, person.password);
  const stranger = { name: "Nell Nomember", email: "nell.nomember@access.example", password: "no-membership-1" };
  await createUser(handle.db, COMMAND_LINE, stranger);
  cookies["no membership"] = await sessionCookie(stranger.email, stranger.password);
  const admin = { name: "Ada Admin", email: "ada.admin@access.example", password: "site-admin-pass-1", isSiteAdmin: true };
  await createUser(handle.db, COMMAND_LINE, admin);
  cookies["site administrator"] = await sessionCookie(admin.email, admin.password);

  // The draft, so that every page of a version (some are for drafts only) has one to show.
  const draft = (await listVersions(handle.db, demo.trust.id)).find((v) => v.id === demo.draftVersionId)!;
  const [row] = (await loadScheme(handle.db, demo.trust.id, draft.id)).rows;
  params = {
    slug: demo.trust.slug,
    number: String(draft.number),
    schoolId: Object.values(demo.schools)[0]!.id,
    bodyId: Object.values(demo.bodies)[0]!.id,
    rowId: row!.id,
  };
});
afterAll(() => handle?.close());

/** The row's address with the demo trust's values, e.g. /trusts/north-dales/versions/3/cells. */
function addressOf(row: SecurityRow): string {
  const path = row.path.replace("*", "no/such/page").replace(/:(\w+)/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`No value for :${name} in ${row.path}: add one to params in test/integration/route-security.test.ts.`);
    return value;
  });
  return row.query ? `${path}?${row.query}` : path;
}

function requestFor(row: SecurityRow, cookie?: string): Request {
  const address = addressOf(row);
  if (row.method === "GET") return getRequest(address, cookie);
  if (row.intent) return formPost(address, { intent: row.intent, ...INTENT_FIELDS }, { cookie });
  return new Request(new URL(address, ORIGIN), { method: "POST", body: "probe", headers: { "Content-Type": "text/plain", ...(cookie ? { cookie } : {}) } });
}

async function ask(row: SecurityRow, cookie?: string): Promise<Answer> {
  const route = routeOf(row)!;
  const fn = row.method === "GET" ? route.module.loader : route.module.action;
  return call(fn, requestFor(row, cookie), paramsOf(route));
}

/** The route's own parameters, as Remix hands them to it. */
function paramsOf(route: RouteFile): Record<string, string> {
  return Object.fromEntries(route.params.map((name) => [name, name === "*" ? "no/such/page" : params[name]!]));
}

const where = (row: SecurityRow, who: string) => `${row.method}${row.intent ? ` intent=${row.intent}` : ""} ${row.path} as ${who} (docs/security.md line ${row.line})`;

function expectSentToSignIn(answer: Answer, row: SecurityRow) {
  const address = addressOf(row);
  expect(answer.status, where(row, "someone not signed in")).toBe(302);
  expect(answer.location, where(row, "someone not signed in")).toBe(`/sign-in?redirectTo=${encodeURIComponent(address)}`);
}

/** Past the access check: not refused, not sent to sign in; a post reaches its form reader and changes nothing. */
async function expectAllowed(row: SecurityRow, who: string) {
  const [before] = await handle.db.select({ n: count() }).from(auditLog);
  const answer = await ask(row, cookies[who as keyof typeof cookies]);
  expect(answer.status, where(row, who)).not.toBe(403);
  expect(answer.status, where(row, who)).not.toBe(401);
  if (answer.status === 302) expect(answer.location ?? "", where(row, who)).not.toMatch(/^\/sign-in/);
  if (row.method === "POST" && !row.intent) {
    expect(answer.status, `${where(row, who)}: the form reader's refusal`).toBe(415);
  }
  const [after] = await handle.db.select({ n: count() }).from(auditLog);
  expect(after!.n, `${where(row, who)} changed nothing`).toBe(before!.n);
}

async function expectRefused(row: SecurityRow, who: string) {
  const answer = await ask(row, cookies[who as keyof typeof cookies]);
  expect(answer.status, where(row, who)).toBe(403);
}

describe("the table of routes in docs/security.md", () => {
  it("lists every route module in app/routes, and none that is gone", () => {
    const listed = new Set(table.map((row) => row.file));
    expect(routes.map((r) => r.name).filter((name) => !listed.has(name)), "route files with no row in docs/security.md").toEqual([]);
    expect([...listed].filter((file) => !routes.some((r) => r.name === file)), "rows in docs/security.md whose route file is gone").toEqual([]);
  });

  it("gives each route the path its file name makes", () => {
    for (const row of table) expect(row.path, `line ${row.line}`).toBe(pathPattern(routeOf(row)!));
  });

  it("lists GET for a module with a loader and POST for one with an action, and nothing else, once each", () => {
    for (const route of routes) {
      const rows = table.filter((row) => row.file === route.name);
      const methods = [...new Set(rows.map((row) => row.method))].sort();
      const answers = [...(route.module.loader ? ["GET"] : []), ...(route.module.action ? ["POST"] : [])];
      expect(methods, route.name).toEqual(answers);
      const keys = rows.map((row) => `${row.method} ${row.intent ?? ""}`);
      expect(new Set(keys).size, `${route.name}: a method listed twice`).toBe(keys.length);
      // A method split by intent is listed by intent only.
      for (const method of methods) {
        const split = rows.filter((row) => row.method === method);
        if (split.length > 1) expect(split.every((row) => row.intent !== null), `${route.name} ${method}`).toBe(true);
      }
    }
  });

  it("writes beside each permission the roles that app/domain/roles.ts gives it", () => {
    for (const row of table) {
      if (row.who.kind !== "member") continue;
      expect([...row.who.roles].sort(), `line ${row.line}: ${row.who.permission}`).toEqual([...PERMISSIONS[row.who.permission]].sort());
    }
  });

  it("marks a route as about the trust in the URL exactly when its path names one, and publishes only to anyone", () => {
    for (const row of table) {
      expect(row.scope === "no", `line ${row.line}: ${row.path}`).toBe(!row.path.includes(":slug"));
      if (row.scope === "published") expect(row.who.kind, `line ${row.line}`).toBe("anyone");
      if (row.who.kind === "member") expect(row.scope, `line ${row.line}`).toBe("yes");
    }
  });
});

describe("each row without a session", () => {
  it.each(table.map((row) => [`${row.method}${row.intent ? ` ${row.intent}` : ""} ${row.path}`, row] as const))("%s", async (_name, row) => {
    const answer = await ask(row);
    if (row.who.kind === "nobody") expect(answer.status, where(row, "anyone")).toBe(404);
    else if (row.who.kind === "anyone") {
      // Public: it answers, whatever it answers (a page, a file, a redirect, or a refusal of the probe's body).
      expect([401, 403, 404], where(row, "someone not signed in")).not.toContain(answer.status);
      if (answer.status === 302 && row.path !== "/" && row.path !== "/sign-out") expect(answer.location).not.toMatch(/^\/sign-in/);
    } else expectSentToSignIn(answer, row);
  });
});

describe("each row for the people of the trust, someone with no membership and a site administrator", () => {
  const guarded = table.filter((row) => row.who.kind !== "anyone");
  it.each(guarded.map((row) => [`${row.method}${row.intent ? ` ${row.intent}` : ""} ${row.path}: ${describeWho(row)}`, row] as const))(
    "%s",
    async (_name, row) => {
      const { who } = row;
      if (who.kind === "nobody") {
        for (const person of [...ROLES, "site administrator"] as const) expect((await ask(row, cookies[person])).status, where(row, person)).toBe(404);
        return;
      }
      if (who.kind === "member") {
        for (const role of ROLES) {
          if (who.roles.includes(role)) await expectAllowed(row, role);
          else await expectRefused(row, role);
        }
        return;
      }
      if (who.kind === "signed-in") {
        for (const person of [...ROLES, "no membership", "site administrator"] as const) await expectAllowed(row, person);
        return;
      }
      for (const person of [...ROLES, "no membership"] as const) await expectRefused(row, person);
      await expectAllowed(row, "site administrator");
    },
  );
});

describe("each change that needs a session, posted from a page of another site", () => {
  const changes = table.filter((row) => row.method === "POST" && row.who.kind !== "anyone" && row.who.kind !== "nobody");
  it.each(changes.map((row) => [`${row.intent ? `${row.intent} ` : ""}${row.path}`, row] as const))(
    "%s is refused (403) even for someone allowed, when the browser says the post came from another site or a neighbour on the same domain",
    async (_name, row) => {
      const who = row.who.kind === "member" ? row.who.roles[0]! : row.who.kind === "signed-in" ? "clerk" : "site administrator";
      const [before] = await handle.db.select({ n: count() }).from(auditLog);
      for (const site of ["cross-site", "same-site"]) {
        const request = requestFor(row, cookies[who]);
        request.headers.set("Sec-Fetch-Site", site);
        const answer = await call(routeOf(row)!.module.action, request, paramsOf(routeOf(row)!));
        expect(answer.status, `${where(row, who)} from a ${site} page`).toBe(403);
        expect(answer.text).toBe("Changes can only be made from this site's own pages. Nothing was changed.");
      }
      const [after] = await handle.db.select({ n: count() }).from(auditLog);
      expect(after!.n).toBe(before!.n);
      // From the site's own page it goes through, as every row above shows without the header.
      const own = requestFor(row, cookies[who]);
      own.headers.set("Sec-Fetch-Site", "same-origin");
      expect((await call(routeOf(row)!.module.action, own, paramsOf(routeOf(row)!))).status, where(row, who)).not.toBe(403);
    },
  );
});

function describeWho(row: SecurityRow): string {
  const { who } = row;
  return who.kind === "member" ? `${who.permission} (${who.roles.join(", ")})` : who.kind;
}
