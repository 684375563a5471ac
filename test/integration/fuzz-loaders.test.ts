/**
 * The pages' addresses fuzzed: every route that answers GET (each row of the table in
 * docs/security.md) is asked for with its address spoilt as people and attackers spoil addresses:
 * parameters that are not ids, ids of nothing or of another trust, numbers past the database's
 * integers, and every query the app's loaders read (filters, cursors, dates, scopes, notices, keys)
 * with hostile values, repeated, or empty. Each answer must be a page, a redirect or a refusal (a 4xx),
 * never a 5xx or a fault's insides, and reading must change nothing.
 *
 * Sizes: CI runs each route's property RUNS times; FUZZ_RUNS=1000 runs more, FUZZ_SEED=n other cases.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db/client";
import { DEMO_USERS, seedDemoTrust, type DemoTrust } from "../../db/seed";
import { COMMAND_LINE } from "~/models/audit.server";
import { publishVersion } from "~/models/publication.server";
import { listVersions, loadScheme } from "~/models/scheme.server";
import { createTrust } from "~/models/trust.server";
import { freshDatabase } from "../support/database";
import { fingerprint } from "../support/fingerprint";
import { describeCase, fuzzParameters, fuzzTimeout, hostileText, judge } from "../support/fuzz";
import { call, getRequest, sessionCookie } from "../support/requests";
import { routeFiles, type RouteFile } from "../support/routes";
import { readSecurityTable } from "../support/security-table";

const RUNS = 30;

/** Every query a loader reads, found by reading app/routes and app/models (searchParams.get, .has). */
const QUERY_NAMES = [
  "area", "column", "school", "tier", "scope", "key", "from", "to", "person", "kind", "before", "after", "changes",
  "saved", "restored", "renumbered", "retired", "removed", "remove", "discarded", "approved", "published", "withdrawn",
  "applied", "started", "previousRef", "redirectTo", "intent", "revision", "file",
] as const;

const table = readSecurityTable().filter((row) => row.method === "GET");
const routes = await routeFiles();
const routeOf = (file: string): RouteFile => routes.find((r) => r.name === file)!;

let handle: DatabaseHandle;
let demo: DemoTrust;
let clerk: string;
/** Real values of each parameter: the demo trust's, and another trust's where it has one. */
const own: Record<string, string> = {};
const others: Record<string, string> = {};
const totals = { cases: 0, fives: 0 };

beforeAll(async () => {
  handle = await freshDatabase();
  demo = await seedDemoTrust(handle.db, COMMAND_LINE);
  await publishVersion(handle.db, COMMAND_LINE, { trustId: demo.trust.id, versionId: demo.approvedVersionId, expectedVersionId: null });
  const person = DEMO_USERS.find((u) => u.role === "clerk")!;
  clerk = await sessionCookie(person.email, person.password);
  const draft = (await listVersions(handle.db, demo.trust.id)).find((v) => v.id === demo.draftVersionId)!;
  const [row] = (await loadScheme(handle.db, demo.trust.id, draft.id)).rows;
  Object.assign(own, {
    slug: demo.trust.slug,
    number: String(draft.number),
    schoolId: Object.values(demo.schools)[0]!.id,
    bodyId: Object.values(demo.bodies)[0]!.id,
    rowId: row!.id,
  });
  const other = await createTrust(handle.db, COMMAND_LINE, { name: "Elsewhere Academies Trust", slug: "elsewhere" });
  // Another trust's address, and a real id of the wrong kind where an id is asked for.
  Object.assign(others, { slug: other.slug, schoolId: other.id, bodyId: other.id, rowId: other.id });
});
afterAll(async () => {
  console.log(`Fuzz of the pages' addresses: ${totals.cases} cases over ${table.length} routes, ${totals.fives} answered 5xx or threw.`);
  await handle?.close();
});

/** A spoilt value for a parameter of the address: real, another trust's, not an id, or out of range. */
function paramValue(name: string): fc.Arbitrary<string> {
  const choices: fc.Arbitrary<string>[] = [
    fc.constant(own[name] ?? "x"),
    fc.uuid(),
    fc.constantFrom("0", "-1", "1.5", "1e3", "99999999999", "2147483648", "NaN", "..", "%2e%2e", "null", ""),
    hostileText(),
  ];
  if (others[name]) choices.push(fc.constant(others[name]!));
  return fc.oneof({ weight: 3, arbitrary: choices[0]! }, ...choices.slice(1).map((arbitrary) => ({ weight: 1, arbitrary })));
}

/** A half of a surrogate pair cannot travel in an address: a browser sends the replacement character instead. */
const asBrowsersSend = (value: string) => value.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "\ufffd");

const queryValue = fc.oneof(
  fc.constantFrom("1", "0", "-1", "T1", "T9", "2025-02-30", "0000-01-01", "9999-12-31", "codes", "trust", "structure", "99999999999", ""),
  fc.uuid(),
  hostileText(),
);

const query = fc.array(fc.tuple(fc.constantFrom(...QUERY_NAMES), queryValue), { maxLength: 6 });

describe("the pages' addresses fuzzed", () => {
  it.each(table.map((row) => [`${row.path} (docs/security.md line ${row.line})`, row] as const))(
    "%s: never 5xx, nothing changed",
    async (_, row) => {
      const route = routeOf(row.file);
      const before = await fingerprint(handle);
      const problems: string[] = [];
      await fc.assert(
        fc.asyncProperty(fc.record(Object.fromEntries(route.params.map((name) => [name, paramValue(name)]))), query, async (values, pairs) => {
          const params = Object.fromEntries(Object.entries(values as Record<string, string>).map(([name, value]) => [name, asBrowsersSend(value)]));
          const path = row.path.replace("*", "no/such/page").replace(/:(\w+)/g, (_m, name: string) => encodeURIComponent(params[name] ?? ""));
          const search = new URLSearchParams(pairs);
          const address = `${path}${search.size > 0 ? `?${search}` : ""}`;
          totals.cases++;
          const verdict = judge(await call(route.module.loader, getRequest(address, clerk), params));
          if (verdict.status >= 500 || verdict.faults.some((f) => !f.startsWith("refused"))) {
            totals.fives++;
            problems.push(`${address}: ${verdict.faults.join("; ")} ${describeCase([], params)}`);
          }
          return true;
        }),
        fuzzParameters(RUNS),
      );
      expect(problems.slice(0, 5)).toEqual([]);
      expect(await fingerprint(handle)).toEqual(before);
    },
    fuzzTimeout(RUNS),
  );
});
