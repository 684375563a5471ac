/**
 * One trust never sees nor changes another's. Every route module under app/routes is found on disk
 * (so a new route is covered as soon as it exists), and its loader and action are called with the
 * session of a clerk of a different trust: each must answer 404, and without a session, send the
 * person to sign in. Routes that are not about one trust are listed below, each with its reason.
 */
import fs from "node:fs";
import path from "node:path";
import { count, eq, getTableColumns, getTableName, is } from "drizzle-orm";
import { PgTable, type PgColumn } from "drizzle-orm/pg-core";
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

/** Routes anyone may open, signed in or not. */
const PUBLIC: Record<string, string> = {
  "sign-in": "where everyone signs in",
  "sign-out": "ends whatever session the request carries, and nothing else",
  healthcheck: "tells a monitor whether the database answers, and nothing about any trust",
  _index: "only sends people to sign in or to their list of trusts",
  $: "the 404 page for any address that matches no page",
  "p.$slug": "the version of its scheme a trust's clerk chose to publish, for anyone to read (404 for every trust that publishes nothing)",
  "p.$slug[.]docx": "the Word document of that published version, and of no other",
};

/** Routes for anyone signed in that are about the person, not about one trust. */
const PERSONAL: Record<string, string> = {
  account: "the signed-in person's own account (changing their own password)",
  "trusts._index": "lists only the trusts the person belongs to; creating a trust is for site administrators",
};

const routesDir = path.resolve(import.meta.dirname, "../../app/routes");

interface RouteFile {
  id: string;
  file: string;
  module: { loader?: unknown; action?: unknown };
  /** The names of the URL's parameters, e.g. ["slug"]; "*" for a splat. */
  params: string[];
}

/** The route modules as Remix's flat routes see them: files in app/routes, or folders with a route file. */
async function routeFiles(): Promise<RouteFile[]> {
  const found: RouteFile[] = [];
  for (const entry of fs.readdirSync(routesDir, { withFileTypes: true })) {
    if (entry.name.startsWith(".")) continue;
    let id: string;
    let file: string;
    if (entry.isDirectory()) {
      const inner = ["route.tsx", "route.ts", "route.jsx", "route.js"].find((name) => fs.existsSync(path.join(routesDir, entry.name, name)));
      if (!inner) continue;
      id = entry.name;
      file = path.join(routesDir, entry.name, inner);
    } else {
      if (!/\.(tsx|ts|jsx|js)$/.test(entry.name) || /\.test\.(ts|tsx)$/.test(entry.name)) continue;
      id = entry.name.replace(/\.(tsx|ts|jsx|js)$/, "");
      file = path.join(routesDir, entry.name);
    }
    const params = segmentsOf(id).flatMap((segment) => (segment.param ? [segment.param] : []));
    found.push({ id, file, params, module: await import(file) });
  }
  return found.sort((a, b) => a.id.localeCompare(b.id));
}

interface Segment {
  /** A parameter's name ("*" for a splat), or undefined for a fixed segment. */
  param?: string;
  /** The fixed text: the whole segment, or what follows the parameter (".csv" in "$number[.]csv"). */
  text: string;
}

/** The URL segments of a flat route's id, e.g. "trusts.$slug.versions.$number[.]csv" → trusts, $slug, versions, $number + ".csv". */
function segmentsOf(id: string): Segment[] {
  const unescape = (text: string) => text.replace(/\[(.*?)\]/g, "$1");
  return id
    .split(/\.(?![^[]*\])/)
    .map((s) => s.replace(/^\(|\)$/g, "").replace(/_$/, ""))
    .filter((s) => s !== "_index" && !(s.startsWith("_") && s.length > 1))
    .map((s) => {
      if (s === "$") return { param: "*", text: "" };
      const match = /^\$([\w-]+)(.*)$/.exec(s);
      return match ? { param: match[1]!, text: unescape(match[2]!) } : { text: unescape(s) };
    });
}

/** A URL for the route, with its parameters filled in. */
function urlFor(route: RouteFile, params: Record<string, string>): string {
  return `/${segmentsOf(route.id)
    .map((segment) => (segment.param ? params[segment.param]! : "") + segment.text)
    .join("/")}`;
}

const trustTables = Object.values(schema as Record<string, unknown>).filter((value): value is PgTable => is(value, PgTable));

/** Parameters whose name is not the name of their table. */
const PARAM_TABLES: Record<string, string> = {
  // A row of the matrix is a responsibility of the catalogue (scheme_rows only count its revisions).
  rowId: "responsibilities",
};

function plural(word: string): string {
  return word.endsWith("y") ? `${word.slice(0, -1)}ies` : `${word}s`;
}

/**
 * A real value for a URL parameter, taken from the given trust's data: "slug" is the trust's own;
 * "schoolId", "bodyId", "versionId"… name the table whose rows they point at (schools,
 * governance_bodies, scheme_versions…); "urn", "tier"… a column of such a table.
 */
async function paramValue(handle: DatabaseHandle, trust: Trust, name: string): Promise<string> {
  if (name === "slug") return trust.slug;
  if (name === "*") return "anything/at/all";
  const stem = name.replace(/Id$/, "").toLowerCase();
  const byName = (table: PgTable) => getTableName(table).replace(/_/g, "");
  const candidates = trustTables.filter((t) => "trustId" in getTableColumns(t));
  const table =
    candidates.find((t) => getTableName(t) === PARAM_TABLES[name]) ??
    candidates.find((t) => byName(t) === plural(stem)) ??
    candidates.find((t) => byName(t).endsWith(plural(stem))) ??
    candidates.find((t) => byName(t).includes(stem)) ??
    candidates.find((t) => Object.keys(getTableColumns(t)).includes(name) && name !== "id");
  if (!table) {
    throw new Error(`No way to find a value for the URL parameter $${name}: teach paramValue() in test/integration/tenancy.test.ts.`);
  }
  const columns = getTableColumns(table) as Record<string, PgColumn>;
  const column = !name.endsWith("Id") && columns[name] ? columns[name] : columns.id;
  if (!column) throw new Error(`The table ${getTableName(table)} has no id column to use for $${name}.`);
  const [row] = await handle.db
    .select({ value: column })
    .from(table)
    .where(eq(columns.trustId!, trust.id))
    .limit(1);
  if (!row) throw new Error(`The trust ${trust.slug} has no ${getTableName(table)} to use for $${name}: seed some.`);
  return String(row.value);
}

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
  it("are found, and every route listed as public or personal still exists", () => {
    const ids = routes.map((r) => r.id);
    expect(ids).toContain("trusts.$slug.people");
    for (const id of [...Object.keys(PUBLIC), ...Object.keys(PERSONAL)]) expect(ids, `listed route ${id}`).toContain(id);
  });

  it("are each about one trust ($slug), or listed as public or personal with the reason", () => {
    const unlisted = routes.filter((r) => !(r.id in PUBLIC) && !(r.id in PERSONAL) && !r.params.includes("slug"));
    expect(unlisted.map((r) => r.id), "routes that are not about one trust: list them above with the reason").toEqual([]);
  });
});

describe("another trust's pages, for a clerk of a different trust", () => {
  const scoped = routes.filter((r) => !(r.id in PUBLIC) && !(r.id in PERSONAL));

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
  it.each(Object.keys(PERSONAL).map((id) => [id, routes.find((r) => r.id === id)!] as const))(
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
