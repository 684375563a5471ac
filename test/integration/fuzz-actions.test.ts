/**
 * Every form of the app, fuzzed: each route that exports an action is posted forms made of plausible
 * and hostile values (wrong types, missing and extra fields, huge text, control characters,
 * {{handlebars}}, <script>, SQL, unknown ids, another trust's ids, stale or nonsensical versions),
 * encoded as a page sends them or not, by the right person or someone else, and called in-process
 * as Remix calls it. Whatever comes, the action never answers 5xx nor throws a fault, never shows a
 * stack trace, always says why it refused, never sends anyone off the site, and a refused post
 * changes nothing in the database (a fingerprint of every table, before and after).
 *
 * Each route runs on its own copy of the demo trust (beside another trust, whose ids are offered
 * too), so a draft approved or discarded by one route's cases does not hide the others' pages.
 * The three imports are fuzzed in fuzz-imports.test.ts.
 *
 * Sizes: CI runs each route's property RUNS times (a few seconds a route); FUZZ_RUNS=1000 runs more,
 * FUZZ_SEED=n other cases (the seed is printed). See test/support/fuzz.ts.
 */
import fs from "node:fs";
import path from "node:path";
import { and, eq, isNull } from "drizzle-orm";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database, DatabaseHandle } from "../../db/client";
import * as schema from "../../db/schema";
import { DEMO_USERS, seedDemoTrust } from "../../db/seed";
import { today } from "~/clock.server";
import { AREA_NUMBERS } from "~/domain/areas";
import { TIERS } from "~/domain/autonomy";
import { choiceValue } from "~/domain/break-point-choice";
import { DECISION_CODES } from "~/domain/codes";
import { INSPECTION_FRAMEWORKS, PERFORMANCE_RECORD_FIELDS } from "~/domain/performance";
import { ROLES } from "~/domain/roles";
import { DEFAULT_RULE_SETTINGS } from "~/domain/rules/settings";
import { REVIEW_TRAVEL } from "~/domain/school-review";
import { ALIGNMENT_CULTURES, IMPROVEMENT_MODELS } from "~/domain/strategy";
import { BODY_KINDS, BODY_PURPOSES, DECISION_MODES, SCHOOL_PHASES } from "~/domain/structure";
import { tierPolicyForm } from "~/domain/tier-policy-form";
import { COMMAND_LINE } from "~/models/audit.server";
import { loadBreakPointReview } from "~/models/break-point-review.server";
import { clearedCount, previewRenumber, retireImpact } from "~/models/catalogue.server";
import { addMember } from "~/models/membership.server";
import { startDraft } from "~/models/scheme.server";
import { createBody, createSchool } from "~/models/structure.server";
import { planBodyRemoval, planSchoolRemoval } from "~/models/structure-removal.server";
import { loadStoredTierPolicy } from "~/models/tier-policy.server";
import { createTrust } from "~/models/trust.server";
import { createUser } from "~/models/user.server";
import { validateVersion } from "~/models/validation.server";
import { changedTables, fingerprint } from "../support/fingerprint";
import { describeCase, encoding, formsOf, fuzzParameters, fuzzTimeout, hostileText, judge, nearNumber, nowOneOf, postRequest, type Encoding, type Entries, type Fields } from "../support/fuzz";
import { call, context, sessionCookie } from "../support/requests";
import { snapshot, type Snapshot } from "../support/snapshot";

/** Cases per route in CI: about 30 routes, each case a post and a fingerprint (a few ms to 30 ms). */
const RUNS = 60;

/** The routes whose action is an upload, fuzzed with generated files in fuzz-imports.test.ts. */
const IMPORT_ROUTES = ["trusts.$slug.import._index", "trusts.$slug.import.performance", "trusts.$slug.import.schools"];

// ---------------------------------------------------------------- the world the cases run in

type Person = "clerk" | "ceo" | "trustee" | "viewer" | "outsider" | "admin";

/** What the cases change as they go, read again after each accepted case. */
interface Live {
  bodies: { id: string; version: number; kind: string }[];
  schools: { id: string; version: number; urn: number }[];
  rows: { id: string; version: number; retired: boolean }[];
  draft: { number: number; version: number };
  revisions: Record<string, number>;
  recordIds: string[];
  findingKeys: string[];
  proposals: string[];
  /** Each body's and school's removal plan key, by its id. */
  planKeys: Record<string, string>;
  /** How many cells retiring each responsibility clears, by its id. */
  cleared: Record<string, number>;
  renumberFingerprints: string[];
  strategyVersion: number;
  trustVersion: number;
  tierVersions: Record<string, number>;
  tierForm: Record<string, string>;
}

interface World extends Live {
  ids: { trustId: string; draftId: string };
  slug: string;
  cookies: Record<Person, string>;
  passwords: string[];
  emails: string[];
  userIds: string[];
  deciders: string[];
  columns: string[];
  otherVersions: number[];
  approved: number;
  /** The other trust's: its slug and ids of every kind. */
  other: { slug: string; ids: string[]; versionNumbers: number[] };
}

const OUTSIDER = { name: "Olu Outsider", email: "olu@harbourside.example", password: "outsider-password-1" };
const ADMIN = { name: "Ada Admin", email: "ada.admin@fuzz.example", password: "admin-password-1" };

function flatten(value: unknown, prefix: string, into: Record<string, string>): Record<string, string> {
  if (value && typeof value === "object") for (const [key, inner] of Object.entries(value)) flatten(inner, prefix ? `${prefix}.${key}` : key, into);
  else into[prefix] = String(value ?? "");
  return into;
}

async function makeWorld(handle: DatabaseHandle): Promise<World> {
  const db = handle.db;
  const demo = await seedDemoTrust(db, COMMAND_LINE);
  const trustId = demo.trust.id;

  const other = await createTrust(db, COMMAND_LINE, { name: "Harbourside Outsiders Trust", slug: "harbourside-outsiders" });
  const outsider = await createUser(db, COMMAND_LINE, OUTSIDER);
  await addMember(db, COMMAND_LINE, { trustId: other.id, userId: outsider.id, role: "clerk" });
  const otherBoard = await createBody(db, COMMAND_LINE, { trustId: other.id, kind: "board", name: "Harbourside board" });
  const otherCluster = await createBody(db, COMMAND_LINE, { trustId: other.id, kind: "cluster", name: "Harbour cluster", parentId: otherBoard.id, underKindColumn: true });
  const otherSchool = await createSchool(db, COMMAND_LINE, { trustId: other.id, urn: 190001, name: "Harbour Primary", phase: "primary", clusterBodyId: otherCluster.id });
  const otherDraft = await startDraft(db, COMMAND_LINE, { trustId: other.id, from: "empty" });
  await createUser(db, COMMAND_LINE, { ...ADMIN, isSiteAdmin: true });

  const cookies = {} as Record<Person, string>;
  let ip = 10;
  for (const person of DEMO_USERS) cookies[person.role as Person] = await sessionCookie(person.email, person.password, `192.0.2.${ip++}`);
  cookies.outsider = await sessionCookie(OUTSIDER.email, OUTSIDER.password, `192.0.2.${ip++}`);
  cookies.admin = await sessionCookie(ADMIN.email, ADMIN.password, `192.0.2.${ip++}`);

  const otherIds = [
    otherBoard.id,
    otherCluster.id,
    otherSchool.id,
    otherDraft.id,
    outsider.id,
    ...(await db.select({ id: schema.responsibilities.id }).from(schema.responsibilities).where(eq(schema.responsibilities.trustId, other.id)).limit(3)).map((r) => r.id),
  ];
  const bodies = await db.select().from(schema.governanceBodies).where(eq(schema.governanceBodies.trustId, trustId));
  const versions = await db.select().from(schema.schemeVersions).where(eq(schema.schemeVersions.trustId, trustId));
  const members = await db.select({ userId: schema.memberships.userId }).from(schema.memberships);
  const columnIds = await db.selectDistinct({ id: schema.cells.bodyId }).from(schema.cells).where(eq(schema.cells.versionId, demo.draftVersionId));
  const ids = { trustId, draftId: demo.draftVersionId };
  return {
    ids,
    slug: demo.trust.slug,
    cookies,
    passwords: [...DEMO_USERS.map((u) => u.password), OUTSIDER.password],
    emails: [...DEMO_USERS.map((u) => u.email), OUTSIDER.email, "new.person@fuzz.example"],
    userIds: [...new Set(members.map((m) => m.userId))],
    deciders: bodies.filter((b) => b.kind === "board" || b.kind === "committee").map((b) => b.id),
    columns: columnIds.map((c) => c.id),
    otherVersions: versions.filter((v) => v.id !== demo.draftVersionId).map((v) => v.number),
    approved: versions.find((v) => v.status === "approved")!.number,
    other: { slug: other.slug, ids: otherIds, versionNumbers: [otherDraft.number] },
    ...(await readLive(db, ids)),
  };
}

/** What the cases change as they go: versions, revisions, keys. Read again after every case that was accepted. */
/** The parts of the world that take a while to read, read only for the routes whose forms use them. */
type Slow = "findings" | "proposals" | "renumbering" | "removals" | "retirements";

async function readLive(db: Database, { trustId, draftId }: World["ids"], slow: readonly Slow[] = []): Promise<Live> {
  const bodies = await db.select().from(schema.governanceBodies).where(and(eq(schema.governanceBodies.trustId, trustId), isNull(schema.governanceBodies.retiredAt)));
  const schools = await db.select().from(schema.schools).where(eq(schema.schools.trustId, trustId));
  const rows = await db.select().from(schema.responsibilities).where(eq(schema.responsibilities.trustId, trustId));
  const [draft] = await db.select().from(schema.schemeVersions).where(eq(schema.schemeVersions.id, draftId));
  const revisions = await db.select().from(schema.schemeRows).where(eq(schema.schemeRows.versionId, draftId));
  const records = await db.select({ id: schema.performanceRecords.id }).from(schema.performanceRecords).where(eq(schema.performanceRecords.trustId, trustId));
  const [strategy] = await db.select().from(schema.strategyProfiles).where(eq(schema.strategyProfiles.trustId, trustId));
  const [trust] = await db.select().from(schema.trusts).where(eq(schema.trusts.id, trustId));
  const tiers = await loadStoredTierPolicy(db, trustId);
  const planKeys: Record<string, string> = {};
  if (slow.includes("removals")) {
    for (const b of bodies) planKeys[b.id] = (await planBodyRemoval(db, trustId, b.id))?.key ?? "";
    for (const s of schools) planKeys[s.id] = (await planSchoolRemoval(db, trustId, s.id))?.key ?? "";
  }
  const cleared: Record<string, number> = {};
  if (slow.includes("retirements")) for (const r of rows) if (r.retiredAt === null) cleared[r.id] = clearedCount(await retireImpact(db, trustId, r.id));
  return {
    bodies: bodies.map((b) => ({ id: b.id, version: b.version, kind: b.kind })),
    schools: schools.map((s) => ({ id: s.id, version: s.version, urn: s.urn })),
    rows: rows.map((r) => ({ id: r.id, version: r.version, retired: r.retiredAt !== null })),
    draft: { number: draft?.number ?? 0, version: draft?.version ?? 0 },
    revisions: Object.fromEntries(revisions.map((r) => [r.responsibilityId, r.revision])),
    recordIds: records.map((r) => r.id),
    findingKeys: draft && slow.includes("findings") ? (await validateVersion(db, trustId, draftId)).findings.map((f) => f.key) : [],
    proposals: slow.includes("proposals") ? (await loadBreakPointReview(db, trustId, today())).breakPoints.flatMap((b) => b.proposals.map(choiceValue)) : [],
    planKeys,
    cleared,
    renumberFingerprints: slow.includes("renumbering") ? [(await previewRenumber(db, trustId, null)).fingerprint, (await previewRenumber(db, trustId, 1)).fingerprint] : [],
    strategyVersion: strategy?.version ?? 0,
    trustVersion: trust!.version,
    tierVersions: tiers.versions,
    tierForm: flatten(tierPolicyForm(tiers.policy), "", {}),
  };
}

// ---------------------------------------------------------------- values of the world

const pick = <T>(values: readonly T[]): fc.Arbitrary<T> => (values.length > 0 ? fc.constantFrom(...values) : fc.constant(undefined as T));

/** An id: mostly one of the trust's own, now and then another trust's or one that is nobody's. */
function idOf(world: World, own: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 8, arbitrary: pick(own) },
    { weight: 1, arbitrary: pick(world.other.ids) },
    { weight: 1, arbitrary: fc.uuid() },
  );
}

const choice = (values: readonly string[]) => fc.constantFrom(...values);
const text = (...samples: string[]) => fc.oneof(fc.constantFrom(...samples), fc.string({ maxLength: 40 }));
const dates = () => fc.oneof({ weight: 4, arbitrary: fc.date({ min: new Date("2015-01-01"), max: new Date("2030-12-31"), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)) }, { weight: 1, arbitrary: fc.constantFrom(today(), "2025-02-30", "2024-02-29", "0000-01-01", "9999-12-31") });
const bodyIds = (w: World) => idOf(w, w.bodies.map((b) => b.id));
const schoolIds = (w: World) => idOf(w, w.schools.map((s) => s.id));
const rowIds = (w: World) => idOf(w, w.rows.map((r) => r.id));

const bodyDetails = (w: World): Fields => ({
  name: text("Finance committee", "Coast cluster board", "<script>alert(1)</script>"),
  shortName: text("Finance", "FC"),
  mode: choice([...DECISION_MODES, ""]),
  purpose: choice([...BODY_PURPOSES, ""]),
  parentId: fc.oneof(bodyIds(w), fc.constant("")),
  chairName: text("Dr A Chair", "{{chair}}"),
  remit: text("Oversees the budget.", "{{{x}}}", "'; drop table trusts; --"),
});

const schoolDetails = (w: World): Fields => ({
  urn: fc.oneof(fc.integer({ min: 100000, max: 999999 }).map(String), pick(w.schools.map((s) => String(s.urn)))),
  name: text("Fell Side Primary", "St Bede's <b>RC</b>"),
  phase: choice(SCHOOL_PHASES),
  postcode: text("YO1 7HH"),
  localAuthority: text("North Yorkshire"),
  easting: fc.integer({ min: 0, max: 700_000 }).map(String),
  northing: fc.integer({ min: 0, max: 1_300_000 }).map(String),
  joinedOn: fc.oneof(dates(), fc.constant("")),
  headteacherName: text("Mrs H Teacher"),
  clusterBodyId: fc.oneof(bodyIds(w), fc.constant("")),
  localBodyId: fc.oneof(bodyIds(w), fc.constant("")),
});

const rowDetails = (): Fields => ({
  area: choice(AREA_NUMBERS.map(String)),
  title: text("Approve the trust's accessibility plan", "{{title}}"),
  guidance: text("Reviewed every three years."),
  section: text("D. Pupils"),
  ref: text("4.6", "99.1", "1.1"),
  tags: choice(["strand-of-consistency", "innovation-eligible"]),
});

/** A performance record with its date, no inspection and nothing else, which the school's page accepts; the fuzz spoils some of it. */
const recordFields = (): Fields =>
  Object.fromEntries(
    PERFORMANCE_RECORD_FIELDS.map((field) => [field, field === "asOf" ? dates() : field === "inspectionFramework" ? choice([...INSPECTION_FRAMEWORKS.slice(0, 1), ""]) : fc.constant("")]),
  );

// ---------------------------------------------------------------- the routes

interface Target {
  /** Who posts, when it is the right person. */
  actor: Person;
  /** The route's parameters, the slug's included. */
  params(world: World): Record<string, fc.Arbitrary<string>>;
  path(params: Record<string, string>): string;
  /** A query string (with its "?"), for the routes that read one. */
  query?(world: World): fc.Arbitrary<string>;
  /** The forms the page sends, for the address chosen. */
  form(world: World, params: Record<string, string>, query: string): fc.Arbitrary<Entries>;
  encoding?: "urlencoded" | "multipart";
  /** What its forms use of the world that takes a while to read. */
  slow?: Slow[];
}

const slugParam = (w: World) =>
  fc.oneof({ weight: 12, arbitrary: fc.constant(w.slug) }, { weight: 1, arbitrary: fc.constant(w.other.slug) }, { weight: 1, arbitrary: fc.constantFrom("no-such-trust", "NORTH-DALES", "north-dales%00", "") });
const numberParam = (w: World, usual = w.draft.number) =>
  fc.oneof(
    { weight: 10, arbitrary: fc.constant(String(usual)) },
    { weight: 2, arbitrary: pick([w.draft.number, ...w.otherVersions].map(String)) },
    { weight: 1, arbitrary: fc.constantFrom("0", "-1", "abc", "3.0", "03", "99999999999999999999", "1e2", String(w.draft.number + 1)) },
  );
const idParam = (own: (w: World) => fc.Arbitrary<string>) => (w: World) => fc.oneof({ weight: 6, arbitrary: own(w) }, { weight: 1, arbitrary: hostileText() });
/** The version of the record the address names, as the page read it (or any, for an address that names none). */
const versionFor = (records: () => { id: string; version: number }[], id: string | undefined) => nearNumber(() => records().find((r) => r.id === id)?.version ?? 1);

/** A part of an address, encoded; half of a UTF-16 pair becomes U+FFFD, as a browser sends it. */
const enc = (part: string) => encodeURIComponent(Buffer.from(part).toString());
const trustPath = (p: Record<string, string>, rest: string) => `/trusts/${enc(p.slug!)}${rest}`;
const versionPath = (p: Record<string, string>, rest: string) => trustPath(p, `/versions/${enc(p.number!)}${rest}`);

const TARGETS: Record<string, Target> = {
  $: {
    actor: "clerk",
    params: () => ({ "*": hostileText() }),
    path: (p) => `/${enc(p["*"]!)}`,
    form: () => formsOf({ intent: text("add") }),
  },
  account: {
    actor: "trustee",
    params: () => ({}),
    path: () => "/account",
    form: (w) => formsOf({ current: choice(w.passwords), password: fc.constant("a-new-password-123"), confirm: fc.constant("a-new-password-123") }),
  },
  "sign-in": {
    actor: "viewer",
    params: () => ({}),
    path: () => "/sign-in",
    form: (w) => formsOf({ email: choice(w.emails), password: choice(w.passwords), redirectTo: text("/trusts", "//evil.example", "/\\evil.example", "javascript:alert(1)", "https://evil.example") }),
  },
  "sign-out": {
    actor: "viewer",
    params: () => ({}),
    path: () => "/sign-out",
    form: () => formsOf({}),
  },
  "trusts._index": {
    actor: "admin",
    params: () => ({}),
    path: () => "/trusts",
    form: (w) => formsOf({ name: text("Fuzz Academies Trust"), slug: choice(["fuzz-academies", "north-dales", "fuzz-2"]), clerkEmail: choice(w.emails) }),
  },
  "trusts.$slug.break-points": {
    slow: ["proposals"],
    actor: "ceo",
    params: (w) => ({ slug: slugParam(w) }),
    path: (p) => trustPath(p, "/break-points"),
    form: (w) => {
      const proposal = nowOneOf(() => w.proposals);
      return formsOf({ proposals: proposal }, { proposals: proposal.map((p) => p.replace(/@.*/, "@00000000")) }, { proposals: proposal, "proposals ": proposal });
    },
  },
  "trusts.$slug.catalogue.$rowId._index": {
    actor: "trustee",
    params: (w) => ({ slug: slugParam(w), rowId: idParam(rowIds)(w) }),
    path: (p) => trustPath(p, `/catalogue/${enc(p.rowId!)}`),
    form: (w, p) =>
      formsOf(
        { ...rowDetails(), version: versionFor(() => w.rows, p.rowId) },
        { ...rowDetails(), version: versionFor(() => w.rows, p.rowId), constraint: fc.constant("offered"), decisionKinds: choice(BODY_KINDS), excludedKinds: choice(BODY_KINDS) },
      ),
  },
  "trusts.$slug.catalogue.$rowId.retire": {
    slow: ["retirements"],
    actor: "trustee",
    params: (w) => ({ slug: slugParam(w), rowId: idParam(rowIds)(w) }),
    path: (p) => trustPath(p, `/catalogue/${enc(p.rowId!)}/retire`),
    form: (w, p) => formsOf({ version: versionFor(() => w.rows, p.rowId), expectedCleared: nearNumber(() => w.cleared[p.rowId!] ?? 0), reason: text("No longer ours to decide") }),
  },
  "trusts.$slug.catalogue._index": {
    actor: "trustee",
    params: (w) => ({ slug: slugParam(w) }),
    path: (p) => trustPath(p, "/catalogue"),
    form: (w) =>
      fc.oneof(
        ...[...w.rows.filter((r) => r.retired).slice(0, 3), ...w.rows.slice(0, 6)].map((row) =>
          formsOf(
            { intent: fc.constant("move"), id: fc.constant(row.id), version: versionFor(() => w.rows, row.id), direction: choice(["up", "down"]) },
            { intent: fc.constant("restore"), id: fc.constant(row.id), version: versionFor(() => w.rows, row.id) },
          ),
        ),
      ),
  },
  "trusts.$slug.catalogue.new": {
    actor: "trustee",
    params: (w) => ({ slug: slugParam(w) }),
    path: (p) => trustPath(p, "/catalogue/new"),
    form: () => formsOf(rowDetails()),
  },
  "trusts.$slug.catalogue.renumber": {
    slow: ["renumbering"],
    actor: "trustee",
    params: (w) => ({ slug: slugParam(w) }),
    path: (p) => trustPath(p, "/catalogue/renumber"),
    form: (w) => formsOf({ scope: fc.constant("all"), fingerprint: nowOneOf(() => w.renumberFingerprints.slice(0, 1)) }, { scope: fc.constant("1"), fingerprint: nowOneOf(() => w.renumberFingerprints.slice(1)) }),
  },
  "trusts.$slug.people": {
    actor: "clerk",
    params: (w) => ({ slug: slugParam(w) }),
    path: (p) => trustPath(p, "/people"),
    form: (w) =>
      formsOf(
        { intent: fc.constant("add"), email: choice(w.emails), name: text("New Person"), role: choice(ROLES), password: fc.constant("first-password-123") },
        { intent: fc.constant("change-role"), userId: idOf(w, w.userIds), role: choice(ROLES) },
        { intent: fc.constant("remove"), userId: idOf(w, w.userIds) },
      ),
  },
  "trusts.$slug.scheme": {
    actor: "trustee",
    params: (w) => ({ slug: slugParam(w) }),
    path: (p) => trustPath(p, "/scheme"),
    form: () => formsOf({ intent: fc.constant("start-draft"), from: choice(["latest-approved", "empty"]), reason: text("Annual review") }),
  },
  "trusts.$slug.schools.$schoolId": {
    actor: "clerk",
    params: (w) => ({ slug: slugParam(w), schoolId: idParam(schoolIds)(w) }),
    path: (p) => trustPath(p, `/schools/${enc(p.schoolId!)}`),
    query: () => fc.oneof({ weight: 12, arbitrary: choice(["record", "remove-record", "decide", "review"]) }, { weight: 1, arbitrary: hostileText() }).map((i) => `?intent=${enc(i)}`),
    form: (w, _p, query) => {
      const intent = new URLSearchParams(query).get("intent");
      if (intent === "record") return formsOf(recordFields());
      if (intent === "remove-record") return formsOf({ recordId: idOf(w, w.recordIds) });
      if (intent === "decide") {
        const later = fc.oneof({ weight: 3, arbitrary: fc.constant(today()) }, { weight: 1, arbitrary: dates() });
        return formsOf({ tier: choice(TIERS), decidedByBodyId: idOf(w, w.deciders), decidedOn: fc.constant(today()), effectiveFrom: later, nextReviewOn: later, evidence: text("Ofsted report") });
      }
      return formsOf({ reviewedOn: fc.oneof({ weight: 3, arbitrary: fc.constant(today()) }, { weight: 1, arbitrary: dates() }), travel: choice(REVIEW_TRAVEL), summary: text("Good progress") });
    },
  },
  "trusts.$slug.settings": {
    actor: "clerk",
    params: (w) => ({ slug: slugParam(w) }),
    path: (p) => trustPath(p, "/settings"),
    form: (w) =>
      formsOf(
        { intent: fc.constant("save"), version: nearNumber(() => w.trustVersion), ...Object.fromEntries(Object.entries(DEFAULT_RULE_SETTINGS).map(([key, value]) => [key, fc.constant(String(value))])) },
        { intent: fc.constant("restore"), version: nearNumber(() => w.trustVersion) },
      ),
  },
  "trusts.$slug.strategy": {
    actor: "trustee",
    params: (w) => ({ slug: slugParam(w) }),
    path: (p) => trustPath(p, "/strategy"),
    form: (w) =>
      formsOf({
        version: nearNumber(() => w.strategyVersion),
        ...Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`s${i + 1}`, fc.constantFrom("", "1", "5", "10")])),
        ...Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`a${i + 1}`, choice([...ALIGNMENT_CULTURES, ""])])),
        improvementModel: choice([...IMPROVEMENT_MODELS, ""]),
        vision: text("Every child taught well", "{{trust.name}}", "<script>alert(1)</script>"),
      }),
  },
  "trusts.$slug.structure": {
    actor: "clerk",
    params: (w) => ({ slug: slugParam(w) }),
    path: (p) => trustPath(p, "/structure"),
    form: (w) =>
      formsOf(
        { intent: fc.constant("create-body"), kind: choice(BODY_KINDS), columnId: fc.oneof(fc.constant("none"), bodyIds(w)), ...bodyDetails(w) },
        { intent: fc.constant("create-school"), ...schoolDetails(w) },
        { intent: fc.constant("move-body"), id: bodyIds(w), direction: choice(["up", "down"]) },
      ),
  },
  "trusts.$slug.structure_.bodies.$bodyId": {
    slow: ["removals"],
    actor: "clerk",
    params: (w) => ({ slug: slugParam(w), bodyId: idParam(bodyIds)(w) }),
    path: (p) => trustPath(p, `/structure/bodies/${enc(p.bodyId!)}`),
    form: (w, p) =>
      formsOf(
        { intent: fc.constant("update"), version: versionFor(() => w.bodies, p.bodyId), ...bodyDetails(w) },
        { intent: fc.constant("update"), version: versionFor(() => w.bodies, p.bodyId), columnId: bodyIds(w), ...bodyDetails(w) },
        { intent: fc.constant("cover"), schoolId: schoolIds(w), seen: fc.array(fc.tuple(schoolIds(w), fc.integer({ min: 0, max: 3 })), { maxLength: 4 }).map((p) => p.map(([id, v]) => `${id}:${v}`).join(",")) },
        { intent: fc.constant("move"), direction: choice(["up", "down"]) },
        { intent: fc.constant("remove"), version: versionFor(() => w.bodies, p.bodyId), planKey: nowOneOf(() => [w.planKeys[p.bodyId!] ?? ""]) },
      ),
  },
  "trusts.$slug.structure_.schools.$schoolId": {
    slow: ["removals"],
    actor: "clerk",
    params: (w) => ({ slug: slugParam(w), schoolId: idParam(schoolIds)(w) }),
    path: (p) => trustPath(p, `/structure/schools/${enc(p.schoolId!)}`),
    form: (w, p) => {
      const school = w.schools.find((s) => s.id === p.schoolId);
      return formsOf(
        { intent: fc.constant("update"), version: versionFor(() => w.schools, p.schoolId), ...schoolDetails(w), urn: fc.constant(String(school?.urn ?? 100001)) },
        { intent: fc.constant("remove"), version: versionFor(() => w.schools, p.schoolId), planKey: nowOneOf(() => [w.planKeys[p.schoolId!] ?? ""]) },
      );
    },
  },
  "trusts.$slug.tiers": {
    actor: "clerk",
    params: (w) => ({ slug: slugParam(w) }),
    path: (p) => trustPath(p, "/tiers"),
    form: (w) => {
      const versions = Object.fromEntries(Object.keys(w.tierVersions).map((tier) => [`versions.${tier}`, nearNumber(() => w.tierVersions[tier]!)]));
      const policy = Object.fromEntries(Object.entries(w.tierForm).map(([name, value]) => [name, fc.constant(value)]));
      return formsOf({ intent: fc.constant("save"), ...versions, ...policy }, { intent: fc.constant("restore"), ...versions });
    },
  },
  "trusts.$slug.versions.$number.approve": {
    actor: "clerk",
    params: (w) => ({ slug: slugParam(w), number: numberParam(w) }),
    path: (p) => versionPath(p, "/approve"),
    form: (w) =>
      formsOf({ version: nearNumber(() => w.draft.version), approvedByBodyId: idOf(w, w.deciders), approvedOn: fc.constant(today()), minuteRef: text("M/25/7"), reviewDueOn: fc.constantFrom("2099-07-01", "2030-01-31") }),
  },
  "trusts.$slug.versions.$number.bulk": {
    actor: "trustee",
    params: (w) => ({ slug: slugParam(w), number: numberParam(w) }),
    path: (p) => versionPath(p, "/bulk"),
    form: (w) =>
      formsOf(
        { intent: fc.constant("set-column"), area: fc.integer({ min: 0, max: 12 }).map(String), columnId: idOf(w, w.columns), code: choice([...DECISION_CODES, "clear"]) },
        { intent: fc.constant("copy-row"), fromRowId: rowIds(w), toRowIds: rowIds(w) },
      ),
  },
  "trusts.$slug.versions.$number.cells": {
    actor: "trustee",
    params: (w) => ({ slug: slugParam(w), number: numberParam(w) }),
    path: (p) => versionPath(p, "/cells"),
    form: (w) =>
      fc.oneof(
        ...Object.entries(w.revisions)
          .slice(0, 12)
          .map(([rowId, revision]) =>
            formsOf(
              { rowId: fc.constant(rowId), columnId: idOf(w, w.columns), code: choice([...DECISION_CODES, ""]), revision: nearNumber(() => w.revisions[rowId] ?? revision) },
              { rowId: fc.constant(rowId), columnId: idOf(w, w.columns), code: choice([...DECISION_CODES, ""]), revision: nearNumber(() => w.revisions[rowId] ?? revision), tier: choice(TIERS) },
              { rowId: fc.constant(rowId), columnId: idOf(w, w.columns), code: choice([...DECISION_CODES, ""]), revision: nearNumber(() => w.revisions[rowId] ?? revision), school: schoolIds(w) },
            ),
          ),
      ),
  },
  "trusts.$slug.versions.$number.checks": {
    slow: ["findings"],
    actor: "clerk",
    params: (w) => ({ slug: slugParam(w), number: numberParam(w) }),
    path: (p) => versionPath(p, "/checks"),
    form: (w) => {
      const key = nowOneOf(() => w.findingKeys);
      return formsOf({ intent: fc.constant("fix"), key }, { intent: fc.constant("acknowledge"), key, reason: text("The board decided so") }, { intent: fc.constant("withdraw"), key });
    },
  },
  "trusts.$slug.versions.$number.discard": {
    actor: "ceo",
    params: (w) => ({ slug: slugParam(w), number: numberParam(w) }),
    path: (p) => versionPath(p, "/discard"),
    form: (w) => formsOf({ version: nearNumber(() => w.draft.version) }),
  },
  "trusts.$slug.versions.$number.packs": {
    actor: "viewer",
    params: (w) => ({ slug: slugParam(w), number: numberParam(w) }),
    path: (p) => versionPath(p, "/packs"),
    form: () => formsOf({ intent: text("start") }),
  },
  "trusts.$slug.versions.$number.publication": {
    actor: "clerk",
    params: (w) => ({ slug: slugParam(w), number: numberParam(w, w.approved) }),
    path: (p) => versionPath(p, "/publication"),
    form: (w) => formsOf({ intent: fc.constant("publish"), published: fc.oneof(fc.constant("none"), idOf(w, w.other.ids)) }, { intent: fc.constant("withdraw") }),
  },
  "trusts.$slug.versions.$number.rows.$rowId": {
    actor: "trustee",
    params: (w) => ({ slug: slugParam(w), number: numberParam(w), rowId: idParam((w) => idOf(w, Object.keys(w.revisions)))(w) }),
    path: (p) => versionPath(p, `/rows/${enc(p.rowId!)}`),
    query: (w) =>
      fc.oneof(
        { weight: 4, arbitrary: fc.constant("") },
        { weight: 1, arbitrary: choice([...TIERS, "T9"]).map((t) => `?tier=${t}`) },
        { weight: 1, arbitrary: schoolIds(w).map((s) => `?school=${s}`) },
      ),
    form: (w, p) =>
      formsOf({
        revision: nearNumber(() => w.revisions[p.rowId!] ?? 1),
        ...Object.fromEntries(w.columns.slice(0, 6).map((id) => [`code-${id}`, choice([...DECISION_CODES, ""])])),
      }),
  },
};

// ---------------------------------------------------------------- the property

interface Tally {
  cases: number;
  accepted: number;
  refused: number;
  fiveHundreds: number;
}

const tallies: Record<string, Tally> = {};

const routesDir = path.resolve(import.meta.dirname, "../../app/routes");
const actionRoutes: Record<string, { action: unknown }> = {};
for (const file of fs.readdirSync(routesDir).sort()) {
  if (!/\.(tsx|ts)$/.test(file)) continue;
  const module = (await import(path.join(routesDir, file))) as { action?: unknown };
  if (module.action) actionRoutes[file.replace(/\.(tsx|ts)$/, "")] = { action: module.action };
}

let world: World;
let made: Snapshot;

beforeAll(async () => {
  made = await snapshot(async (handle) => {
    world = await makeWorld(handle);
  });
}, 300_000);
afterAll(async () => {
  await made?.close();
  const total = Object.values(tallies).reduce((t, x) => ({ cases: t.cases + x.cases, fiveHundreds: t.fiveHundreds + x.fiveHundreds }), { cases: 0, fiveHundreds: 0 });
  console.log(`Fuzz of the actions: ${total.cases} cases over ${Object.keys(tallies).length} routes, ${total.fiveHundreds} answered 5xx or threw.`);
});

describe("the actions fuzzed", () => {
  it("are every route that exports an action (an import is fuzzed in fuzz-imports.test.ts)", () => {
    expect(Object.keys(actionRoutes).sort()).toEqual([...Object.keys(TARGETS), ...IMPORT_ROUTES].sort());
  });

  it.each(Object.keys(TARGETS))("%s: never 5xx, always a message, nothing changed by a refusal", async (id) => {
    const target = TARGETS[id]!;
    const action = actionRoutes[id]!.action;
    const handle = await made.copy();
    const tally: Tally = (tallies[id] = { cases: 0, accepted: 0, refused: 0, fiveHundreds: 0 });
    const problems: string[] = [];
    try {
      // The world as this copy holds it, whatever the route before did to its own.
      Object.assign(world, await readLive(handle.db, world.ids, target.slow));
      const paramArbitraries = target.params(world);
      const names = Object.keys(paramArbitraries);
      const who = fc.oneof(
        { weight: 14, arbitrary: fc.constant<Person | null>(target.actor) },
        { weight: 1, arbitrary: fc.constantFrom<Person | null>("viewer", "outsider", null) },
      );
      const cases = fc
        .tuple(fc.tuple(...names.map((n) => paramArbitraries[n]!)), target.query ? target.query(world) : fc.constant(""))
        .chain(([values, query]) => {
          // What the route reads of its address, as enc() wrote it.
          const params = Object.fromEntries(names.map((n, i) => [n, Buffer.from(values[i]!).toString()]));
          return fc.record({ params: fc.constant(params), query: fc.constant(query), form: target.form(world, params, query), how: encoding(target.encoding), who });
        });
      let before = await fingerprint(handle);
      await fc.assert(
        fc.asyncProperty(cases, async ({ params, query, form, how, who: person }) => {
          const address = target.path(params) + query;
          const shown = () => describeCase(form, { address, encoding: how as Encoding, as: person ?? "nobody" });
          const request = await postRequest(address, form, how, person ? world.cookies[person] : null);
          tally.cases++;
          let answer;
          try {
            answer = await call(action, request, params, context(`198.51.100.${tally.cases % 250}`));
          } catch (error) {
            tally.fiveHundreds++;
            problems.push(`threw ${(error as Error)?.stack?.split("\n").slice(0, 3).join(" | ") ?? String(error)}: ${shown()}`);
            before = await fingerprint(handle);
            return;
          }
          const verdict = judge(answer);
          if (verdict.status >= 500) tally.fiveHundreds++;
          for (const fault of verdict.faults) problems.push(`${fault}: ${shown()}`);
          if (answer.location !== null && (!answer.location.startsWith("/") || /^\/[/\\]/.test(answer.location))) {
            problems.push(`sent the person off the site to ${answer.location}: ${shown()}`);
          }
          const after = await fingerprint(handle);
          if (verdict.refused) {
            tally.refused++;
            const changed = changedTables(before, after);
            if (changed.length > 0) problems.push(`refused (${verdict.status}: ${verdict.messages[0] ?? "to sign in"}) but changed ${changed.join(", ")}: ${shown()}`);
          } else {
            tally.accepted++;
            if (changedTables(before, after).length > 0) Object.assign(world, await readLive(handle.db, world.ids, target.slow));
          }
          before = after;
        }),
        fuzzParameters(RUNS),
      );
    } finally {
      await handle.close();
    }
    console.log(`${id}: ${tally.cases} cases, ${tally.accepted} accepted, ${tally.refused} refused, ${tally.fiveHundreds} 5xx`);
    expect(problems.slice(0, 8), `${problems.length} problems`).toEqual([]);
  }, fuzzTimeout(RUNS));
});

describe("cases the fuzz found, kept as they were found", () => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await made.copy();
    Object.assign(world, await readLive(handle.db, world.ids));
  });
  afterAll(() => handle?.close());

  /** Posts the form as the person, and expects a 400 with a message that matches, and no change. */
  async function refusedWithoutChange(id: string, address: string, params: Record<string, string>, form: Entries, message: RegExp, person: Person = "clerk", status = 400) {
    const before = await fingerprint(handle);
    const answer = await call(actionRoutes[id]!.action, await postRequest(address, form, "urlencoded", world.cookies[person]), params);
    const verdict = judge(answer);
    expect(verdict.faults).toEqual([]);
    expect(verdict.refused).toBe(true);
    expect(answer.status).toBe(status);
    expect(verdict.messages.join(" ")).toMatch(message);
    expect(changedTables(before, await fingerprint(handle))).toEqual([]);
  }

  it("a responsibility whose guidance holds a null character is refused (it was a 500: the database cannot keep one)", async () => {
    await refusedWithoutChange(
      "trusts.$slug.catalogue.new",
      `/trusts/${world.slug}/catalogue/new`,
      { slug: world.slug },
      [
        ["area", "11"],
        ["title", "$;#"],
        ["guidance", "\u0000\bᓭ"],
        ["section", "D. Pupils"],
        ["ref", "PM"],
        ["tags", "innovation-eligible"],
      ],
      /null character/,
      "trustee",
    );
  });

  it("a school review dated 30 February is refused (it was a 500)", async () => {
    const school = world.schools[0]!.id;
    await refusedWithoutChange(
      "trusts.$slug.schools.$schoolId",
      `/trusts/${world.slug}/schools/${school}?intent=review`,
      { slug: world.slug, schoolId: school },
      [
        ["reviewedOn", "2025-02-30"],
        ["travel", "improving"],
        ["summary", ""],
      ],
      /real date/,
    );
  });

  it("a tier decision dated in the year 0 is refused (the calendar has none; it was a 500)", async () => {
    const school = world.schools[0]!.id;
    await refusedWithoutChange(
      "trusts.$slug.schools.$schoolId",
      `/trusts/${world.slug}/schools/${school}?intent=decide`,
      { slug: world.slug, schoolId: school },
      [
        ["tier", "T2"],
        ["decidedByBodyId", world.deciders[0]!],
        ["decidedOn", "0000-01-01"],
        ["effectiveFrom", today()],
        ["nextReviewOn", "2099-01-01"],
        ["evidence", "The review"],
      ],
      /real date/,
    );
  });

  it("a version or revision past what the database's integers hold is refused as out of date (it was a 500)", async () => {
    const slug = world.slug;
    const rowId = Object.keys(world.revisions)[0]!;
    const column = world.columns[0]!;
    await refusedWithoutChange("trusts.$slug.settings", `/trusts/${slug}/settings`, { slug }, [["intent", "restore"], ["version", "1e15"]], /out of date/);
    await refusedWithoutChange(
      "trusts.$slug.versions.$number.cells",
      `/trusts/${slug}/versions/${world.draft.number}/cells`,
      { slug, number: String(world.draft.number) },
      [["rowId", rowId], ["columnId", column], ["code", "E"], ["revision", "99999999999"]],
      /could not be read/,
      "trustee",
    );
    await refusedWithoutChange(
      "trusts.$slug.versions.$number.rows.$rowId",
      `/trusts/${slug}/versions/${world.draft.number}/rows/${rowId}`,
      { slug, number: String(world.draft.number), rowId },
      [["revision", "99999999999"], [`code-${column}`, "C"]],
      /incomplete/,
      "trustee",
      200,
    );
    await refusedWithoutChange(
      "trusts.$slug.versions.$number.discard",
      `/trusts/${slug}/versions/${world.draft.number}/discard`,
      { slug, number: String(world.draft.number) },
      [["version", "2147483648"]],
      /out of date/,
      "ceo",
    );
  });
});
