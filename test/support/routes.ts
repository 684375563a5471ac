/**
 * The app's route modules as Remix's flat routes see them, found on disk so that a new route is covered
 * by the access tests as soon as it exists: each one's id, file, parameters and address.
 */
import fs from "node:fs";
import path from "node:path";
import { eq, getTableColumns, getTableName, is } from "drizzle-orm";
import { PgTable, type PgColumn } from "drizzle-orm/pg-core";
import type { DatabaseHandle } from "../../db/client";
import * as schema from "../../db/schema";
import type { Trust } from "~/models/trust.server";

export const routesDir = path.resolve(import.meta.dirname, "../../app/routes");

export interface RouteFile {
  /** The route's id: its file name without the extension ("trusts.$slug.people"). */
  id: string;
  /** The file's name inside app/routes ("trusts.$slug.people.tsx", or "folder/route.tsx"). */
  name: string;
  file: string;
  module: { loader?: unknown; action?: unknown };
  /** The names of the URL's parameters, e.g. ["slug"]; "*" for a splat. */
  params: string[];
}

/** The route modules: files in app/routes, or folders with a route file. */
export async function routeFiles(): Promise<RouteFile[]> {
  const found: RouteFile[] = [];
  for (const entry of fs.readdirSync(routesDir, { withFileTypes: true })) {
    if (entry.name.startsWith(".")) continue;
    let id: string;
    let name: string;
    if (entry.isDirectory()) {
      const inner = ["route.tsx", "route.ts", "route.jsx", "route.js"].find((file) => fs.existsSync(path.join(routesDir, entry.name, file)));
      if (!inner) continue;
      id = entry.name;
      name = `${entry.name}/${inner}`;
    } else {
      if (!/\.(tsx|ts|jsx|js)$/.test(entry.name) || /\.test\.(ts|tsx)$/.test(entry.name)) continue;
      id = entry.name.replace(/\.(tsx|ts|jsx|js)$/, "");
      name = entry.name;
    }
    const file = path.join(routesDir, name);
    const params = segmentsOf(id).flatMap((segment) => (segment.param ? [segment.param] : []));
    found.push({ id, name, file, params, module: await import(file) });
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
export function urlFor(route: RouteFile, params: Record<string, string>): string {
  return `/${segmentsOf(route.id)
    .map((segment) => (segment.param ? params[segment.param]! : "") + segment.text)
    .join("/")}`;
}

/** The route's address as people write it: "/trusts/:slug/versions/:number.csv", "/*" for the splat. */
export function pathPattern(route: RouteFile): string {
  return `/${segmentsOf(route.id)
    .map((segment) => (segment.param ? (segment.param === "*" ? "*" : `:${segment.param}`) : "") + segment.text)
    .join("/")}`;
}

export const trustTables = Object.values(schema as Record<string, unknown>).filter((value): value is PgTable => is(value, PgTable));

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
export async function paramValue(handle: DatabaseHandle, trust: Trust, name: string): Promise<string> {
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
    throw new Error(`No way to find a value for the URL parameter $${name}: teach paramValue() in test/support/routes.ts.`);
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
