/**
 * The demo trust: a fictional trust of 13 mixed-phase schools in North Yorkshire, shaped like the
 * research's four-tier example (MAT 34): the board, its committees, cluster governing bodies, and
 * school advisory boards, with its schemes of delegation (version 1 superseded, version 2 approved, and
 * the CEO's draft version 3), its schools' performance, reviews and tiers (db/seed-autonomy.ts), and
 * a break point waiting: two schools on the coast, some 80 km from the others, join in a few months.
 * Everything is written in one transaction, so a failed seed leaves nothing.
 */
import { and, eq, inArray, sql } from "drizzle-orm";
import type { DecisionCode } from "../app/domain/codes";
import { RuleError } from "../app/domain/errors";
import type { Role } from "../app/domain/roles";
import { cellKey, forbiddenReason, type SchemeColumn, type SchemeRow } from "../app/domain/scheme";
import type { SchoolPhase } from "../app/domain/structure";
import { recordAudit, type Actor } from "../app/models/audit.server";
import { addMember } from "../app/models/membership.server";
import { saveRow } from "../app/models/row-save.server";
import { approveVersion, liveStructure, startDraft, type VersionRecord } from "../app/models/scheme.server";
import { createBody, createSchool, type Body, type BodyInput, type School } from "../app/models/structure.server";
import { createTrust, findTrustBySlug, type Trust } from "../app/models/trust.server";
import { createUser, findUserByEmail, type PublicUser } from "../app/models/user.server";
import { today as todayInEngland } from "../app/clock.server";
import { monthsAfter } from "../app/domain/dates";
import type { Database } from "./client";
import { cells, schemeRows, strategyProfiles } from "./schema";
import { joinerJoinedOn, seedEarnedAutonomy, seedTierVariants } from "./seed-autonomy";
import {
  DEMO_2025_REASON,
  DEMO_APPROVAL,
  DEMO_APPROVED_NOTES,
  DEMO_APPROVED_SCHEME,
  DEMO_DRAFT_REASON,
  DEMO_DRAFT_REVISIONS,
  DEMO_FIRST_APPROVAL,
  DEMO_FIRST_SCHEME_DIFFERENCES,
  type DemoColumn,
  type DemoRevision,
  type DemoRowCodes,
} from "./seed-scheme";

export const DEMO_TRUST_SLUG = "north-dales";
export const DEMO_TRUST_NAME = "North Dales Learning Trust";

/** One sign-in per role, shown on the sign-in page and in the README while the demo trust exists. */
export const DEMO_USERS: readonly { name: string; email: string; password: string; role: Role }[] = [
  { name: "Andrew Hebden", email: "ceo@demo.example", password: "ceo-password", role: "ceo" },
  { name: "Joanne Pickersgill", email: "clerk@demo.example", password: "clerk-password", role: "clerk" },
  { name: "Margaret Kettlewell", email: "trustee@demo.example", password: "trustee-password", role: "trustee" },
  { name: "Tom Outhwaite", email: "viewer@demo.example", password: "viewer-password", role: "viewer" },
];

/**
 * A trust of the research's "pedagogy and school improvement" cluster: high on consistent pedagogy,
 * scaling a model, freeing schools from administration and back-office savings; low on enrichment
 * with each school's own core curriculum, protecting identity and boosting local governance.
 */
const DEMO_RATINGS = [5, 9, 8, 3, 6, 8, 2, 4, 6, 9];
const DEMO_ALIGNMENT: Record<string, string> = {
  "1": "collaborative-convergence",
  "2": "school-autonomy",
  "3": "central-definition",
  "4": "central-definition",
  "5": "central-definition",
  "6": "school-autonomy",
  "7": "collaborative-convergence",
  "8": "central-definition",
  "9": "central-definition",
  "10": "central-definition",
  "11": "collaborative-convergence",
  "12": "central-definition",
};
const DEMO_VISION =
  "Every child in the Dales and the Vale taught well in every lesson: one way of teaching, shared and improved together, with each school rooted in its community.";

type BodySeed = Omit<BodyInput, "trustId" | "parentId" | "columnId"> & { parent?: string; column?: string };

/** The columns of the matrix and the bodies under them, in the order the matrix shows them. */
const BODIES: BodySeed[] = [
  { kind: "members", name: "Members", chairName: "Revd Canon Peter Alderson" },
  { kind: "board", name: "Board of trustees", shortName: "Board", parent: "Members", chairName: "Margaret Kettlewell" },
  { kind: "committee", name: "Finance & Resources Committee", shortName: "F&R", parent: "Board of trustees", chairName: "David Lambert" },
  { kind: "committee", name: "Audit & Risk Committee", shortName: "ARC", parent: "Board of trustees", chairName: "Priya Raman" },
  { kind: "committee", name: "Education Standards Committee", shortName: "Standards", parent: "Board of trustees", chairName: "Dr Catherine Brough" },
  { kind: "committee", name: "People & Pay Committee", shortName: "P&P", parent: "Board of trustees", chairName: "Ian Thwaite" },
  { kind: "executive", name: "Chief executive officer", shortName: "CEO", parent: "Board of trustees" },
  { kind: "executive", name: "Central team", shortName: "Central", parent: "Chief executive officer" },
  { kind: "cluster", name: "Cluster governing body", shortName: "Cluster" },
  { kind: "cluster", name: "Dales cluster", parent: "Board of trustees", column: "Cluster governing body", chairName: "Hazel Routh" },
  { kind: "cluster", name: "Mowbray cluster", parent: "Board of trustees", column: "Cluster governing body", chairName: "Graham Peacock" },
  { kind: "cluster", name: "Ripon & Harrogate cluster", parent: "Board of trustees", column: "Cluster governing body", chairName: "Susan Fawcett" },
  { kind: "local", name: "School advisory board", shortName: "Advisory board", mode: "advisory" },
];

/** Bodies after the advisory boards: the school level and the diocese of the one church school. */
const LAST_BODIES: BodySeed[] = [
  { kind: "school", name: "Headteacher", shortName: "Head" },
  { kind: "external", name: "Diocese of Leeds", shortName: "Diocese", remit: "Church of England diocese of Middleham Moor Church of England Primary School." },
];

interface SchoolSeed {
  urn: number;
  name: string;
  phase: SchoolPhase;
  cluster: string;
  postcode: string;
  easting: number;
  northing: number;
  joinedOn: string;
  headteacherName: string;
  advisoryChair: string;
}

/** Three geographic clusters some 30–40 km apart, each school within about 10 km of its cluster's centre. */
const SCHOOLS: SchoolSeed[] = [
  // Dales cluster: Wensleydale and Swaledale.
  { urn: 137214, name: "Wensleydale Bridge School", phase: "all-through", cluster: "Dales cluster", postcode: "DL8 5EB", easting: 411300, northing: 490200, joinedOn: "2013-09-01", headteacherName: "Rachel Metcalfe", advisoryChair: "John Harker" },
  { urn: 139452, name: "Middleham Moor Church of England Primary School", phase: "primary", cluster: "Dales cluster", postcode: "DL8 4QG", easting: 412700, northing: 487800, joinedOn: "2015-04-01", headteacherName: "Simon Calvert", advisoryChair: "Revd Alison Dinsdale" },
  { urn: 143561, name: "Aysgarth Falls Primary School", phase: "primary", cluster: "Dales cluster", postcode: "DL8 3SR", easting: 400400, northing: 488300, joinedOn: "2017-09-01", headteacherName: "Emma Blades", advisoryChair: "Richard Iveson" },
  { urn: 147904, name: "Swaledale Beck Primary School", phase: "primary", cluster: "Dales cluster", postcode: "DL11 6SY", easting: 403800, northing: 499200, joinedOn: "2021-01-01", headteacherName: "Gareth Close", advisoryChair: "Mary Raw" },
  // Mowbray cluster: Northallerton and Thirsk.
  { urn: 138905, name: "Mowbray Vale Academy", phase: "secondary", cluster: "Mowbray cluster", postcode: "DL6 1DF", easting: 436800, northing: 494200, joinedOn: "2014-09-01", headteacherName: "Dr Fiona Sturdy", advisoryChair: "Keith Atkinson" },
  { urn: 141376, name: "Brompton Ings Primary School", phase: "primary", cluster: "Mowbray cluster", postcode: "DL6 2RA", easting: 437600, northing: 496400, joinedOn: "2016-09-01", headteacherName: "Claire Pybus", advisoryChair: "Andrew Wilkinson" },
  { urn: 144209, name: "Sun Beck Primary School", phase: "primary", cluster: "Mowbray cluster", postcode: "DL7 8TQ", easting: 436300, northing: 493500, joinedOn: "2018-04-01", headteacherName: "Mark Dowson", advisoryChair: "Lesley Coates" },
  { urn: 148655, name: "Cod Beck Primary School", phase: "primary", cluster: "Mowbray cluster", postcode: "YO7 1LR", easting: 442800, northing: 482000, joinedOn: "2022-09-01", headteacherName: "Nadia Hussain", advisoryChair: "Peter Sowerby" },
  // Ripon & Harrogate cluster.
  { urn: 140118, name: "Ure Valley Academy", phase: "secondary", cluster: "Ripon & Harrogate cluster", postcode: "HG4 2NS", easting: 431200, northing: 471100, joinedOn: "2015-09-01", headteacherName: "Jonathan Beckwith", advisoryChair: "Anne Ramsden" },
  { urn: 142093, name: "Stray Edge Primary School", phase: "primary", cluster: "Ripon & Harrogate cluster", postcode: "HG2 8LW", easting: 430300, northing: 455400, joinedOn: "2016-04-01", headteacherName: "Louise Tennant", advisoryChair: "Michael Oyelaran" },
  { urn: 142870, name: "Oakbeck School", phase: "special", cluster: "Ripon & Harrogate cluster", postcode: "HG1 4AP", easting: 429500, northing: 456600, joinedOn: "2017-01-01", headteacherName: "Helen Greenwood", advisoryChair: "Dr Robert Kaye" },
  { urn: 145732, name: "Nidd Gorge Primary School", phase: "primary", cluster: "Ripon & Harrogate cluster", postcode: "HG5 0DZ", easting: 435000, northing: 457000, joinedOn: "2019-09-01", headteacherName: "Paul Verity", advisoryChair: "Janet Holroyd" },
  { urn: 146318, name: "Devil's Arrows Primary School", phase: "primary", cluster: "Ripon & Harrogate cluster", postcode: "YO51 9HX", easting: 439600, northing: 466700, joinedOn: "2020-09-01", headteacherName: "Sophie Lister", advisoryChair: "Christopher Bell" },
];

/**
 * The break point waiting in the demo: two schools on the Yorkshire coast, some 80 km from the nearest
 * of the others, join at the start of the month after next. No cluster or local board covers them yet.
 */
const JOINERS: Omit<SchoolSeed, "cluster" | "advisoryChair" | "joinedOn">[] = [
  { urn: 149021, name: "Flamborough Head Primary School", phase: "primary", postcode: "YO15 1PE", easting: 521500, northing: 470500, headteacherName: "Karen Storr" },
  { urn: 149388, name: "Bempton Cliffs Academy", phase: "secondary", postcode: "YO15 1HX", easting: 519500, northing: 472500, headteacherName: "Daniel Cammish" },
];

/** Schools of the demo trust, the two joining ones included. */
export const DEMO_SCHOOL_COUNT = SCHOOLS.length + JOINERS.length;

/** The joiners' date: the first day of the month after next. */
export function demoJoinersJoinOn(today: string): string {
  return `${monthsAfter(today, 2).slice(0, 7)}-01`;
}

/** What the seed created, by name, so that later seeding steps (a draft scheme, performance records) can build on it. */
export interface DemoTrust {
  trust: Trust;
  bodies: Record<string, Body>;
  schools: Record<string, School>;
  users: Record<Role, PublicUser>;
  /** Version 1 of the scheme, approved by the board in 2024 and superseded by version 2. */
  supersededVersionId: string;
  /** Version 2, approved by the board in 2025. */
  approvedVersionId: string;
  /** Version 3, the draft started from version 2. */
  draftVersionId: string;
}

/** Creates the demo trust; refuses, changing nothing, when it is already there. */
export async function seedDemoTrust(db: Database, actor: Actor, today: string = todayInEngland()): Promise<DemoTrust> {
  return db.transaction(async (tx) => {
    if (await findTrustBySlug(tx, DEMO_TRUST_SLUG)) {
      throw new RuleError(`The demo trust (${DEMO_TRUST_NAME}) is already in this database; nothing was changed.`);
    }
    const trust = await createTrust(tx, actor, {
      name: DEMO_TRUST_NAME,
      slug: DEMO_TRUST_SLUG,
      companyNumber: "09876543",
      isDemo: true,
    });
    const bodies: Record<string, Body> = {};
    const addBody = async ({ parent, column, ...seed }: BodySeed) => {
      bodies[seed.name] = await createBody(tx, actor, {
        ...seed,
        trustId: trust.id,
        parentId: parent ? bodies[parent]!.id : null,
        columnId: column ? bodies[column]!.id : null,
      });
    };
    for (const seed of BODIES) await addBody(seed);
    for (const s of SCHOOLS) {
      await addBody({
        kind: "local",
        name: advisoryBoardName(s.name),
        mode: "advisory",
        parent: s.cluster,
        column: "School advisory board",
        chairName: s.advisoryChair,
      });
    }
    for (const seed of LAST_BODIES) await addBody(seed);

    const schools: Record<string, School> = {};
    for (const s of SCHOOLS) {
      schools[s.name] = await createSchool(tx, actor, {
        trustId: trust.id,
        urn: s.urn,
        name: s.name,
        phase: s.phase,
        easting: s.easting,
        northing: s.northing,
        postcode: s.postcode,
        localAuthority: "North Yorkshire",
        clusterBodyId: bodies[s.cluster]!.id,
        localBodyId: bodies[advisoryBoardName(s.name)]!.id,
        joinedOn: joinerJoinedOn(s.name, today) ?? s.joinedOn,
        headteacherName: s.headteacherName,
      });
    }

    await rateStrategy(tx, actor, trust.id);
    const users = await addDemoUsers(tx, actor, trust.id);
    const versions = await writeScheme(tx, actor, trust.id, bodies);
    await seedEarnedAutonomy(tx, actor, trust.id, schools, bodies, today);
    await seedTierVariants(tx, actor, trust.id, versions.draftVersionId, bodies);
    for (const s of JOINERS) {
      schools[s.name] = await createSchool(tx, actor, { ...s, trustId: trust.id, localAuthority: "East Riding of Yorkshire", joinedOn: demoJoinersJoinOn(today) });
    }
    return { trust, bodies, schools, users, ...versions };
  });
}

function advisoryBoardName(schoolName: string): string {
  return `${schoolName} advisory board`;
}

async function rateStrategy(tx: Database, actor: Actor, trustId: string): Promise<void> {
  const profile = { ratings: DEMO_RATINGS, alignment: DEMO_ALIGNMENT, improvementModel: "cluster-based", vision: DEMO_VISION };
  await tx.update(strategyProfiles).set({ ...profile, updatedAt: new Date() }).where(eq(strategyProfiles.trustId, trustId));
  await recordAudit(tx, actor, {
    trustId,
    action: "update",
    entity: "strategy-profile",
    entityId: trustId,
    summary: "Rated the ten strategy statements and set the alignment culture of each area",
    after: profile,
  });
}

/** Reuses an account that already has the demo email (e.g. left from an earlier demo trust), so seeding never fails on it. */
async function addDemoUsers(tx: Database, actor: Actor, trustId: string): Promise<Record<Role, PublicUser>> {
  const users = {} as Record<Role, PublicUser>;
  for (const demo of DEMO_USERS) {
    const user =
      (await findUserByEmail(tx, demo.email)) ??
      (await createUser(tx, actor, { email: demo.email, name: demo.name, password: demo.password }));
    await addMember(tx, actor, { trustId, userId: user.id, role: demo.role });
    users[demo.role] = user;
  }
  return users;
}

/** A cell the demo scheme names, by catalogue key and column name, as it stands in the live structure. */
interface Located {
  row: SchemeRow;
  column: SchemeColumn;
}

/**
 * Version 1, approved by the board in 2024; version 2, started from it for the 2025 review and approved,
 * which supersedes it; and version 3, the CEO's draft for the 2026 review. Version 1 is written in one
 * batch (as an import would be), checked cell by cell against its rows' constraints; the revisions go
 * through the matrix editor's own row saves.
 */
async function writeScheme(
  tx: Database,
  actor: Actor,
  trustId: string,
  bodies: Record<string, Body>,
): Promise<Pick<DemoTrust, "supersededVersionId" | "approvedVersionId" | "draftVersionId">> {
  const live = await liveStructure(tx, trustId);
  const rows = new Map(live.rows.map((r) => [r.catalogueKey, r]));
  const columns = new Map(live.columns.map((c) => [c.name, c]));
  const locate = (key: string, name: DemoColumn): Located => {
    const row = rows.get(key);
    const column = columns.get(name);
    if (!row || !column) throw new Error(`The demo scheme names ${key} / ${name}, which is not a row and column of the demo trust.`);
    return { row, column };
  };
  const approve = async (version: VersionRecord, { approvedBy, ...approval }: typeof DEMO_APPROVAL | typeof DEMO_FIRST_APPROVAL) =>
    approveVersion(tx, actor, { trustId, versionId: version.id, expectedVersion: version.version, approvedByBodyId: bodies[approvedBy]!.id, ...approval });

  const first = await startDraft(tx, actor, { trustId, from: "empty" });
  await writeFirstVersion(
    tx,
    actor,
    first,
    Object.entries(firstScheme()).flatMap(([key, codes]) =>
      Object.entries(codes).map(([name, code]) => {
        const column = name as DemoColumn;
        return { ...locate(key, column), code, note: DEMO_APPROVED_NOTES[key]?.[column] ?? null };
      }),
    ),
  );
  const superseded = await approve(first, DEMO_FIRST_APPROVAL);

  const second = await startDraft(tx, actor, { trustId, from: "latest-approved", reason: DEMO_2025_REASON });
  await reviseDraft(tx, actor, second, locate, revisionsOf2025());
  const approved = await approve(second, DEMO_APPROVAL);

  const draft = await startDraft(tx, actor, { trustId, from: "latest-approved", reason: DEMO_DRAFT_REASON });
  await reviseDraft(tx, actor, draft, locate, DEMO_DRAFT_REVISIONS);
  return { supersededVersionId: superseded.id, approvedVersionId: approved.id, draftVersionId: draft.id };
}

/** Version 1: the approved scheme with the codes the 2025 review changed as they were before it. */
function firstScheme(): Record<string, DemoRowCodes> {
  const scheme: Record<string, DemoRowCodes> = {};
  for (const [key, codes] of Object.entries(DEMO_APPROVED_SCHEME)) scheme[key] = { ...codes };
  for (const { key, codes } of DEMO_FIRST_SCHEME_DIFFERENCES) {
    const row = scheme[key]!;
    for (const [column, code] of Object.entries(codes) as [DemoColumn, DecisionCode | null][]) {
      if (code === null) delete row[column];
      else row[column] = code;
    }
  }
  return scheme;
}

/** The 2025 review: each difference of version 1 brought to the approved scheme's codes. */
function revisionsOf2025(): DemoRevision[] {
  return DEMO_FIRST_SCHEME_DIFFERENCES.map(({ key, codes, reason }) => ({
    key,
    reason,
    codes: Object.fromEntries(Object.keys(codes).map((column) => [column, DEMO_APPROVED_SCHEME[key]?.[column as DemoColumn] ?? null])),
  }));
}

/**
 * Every cell of version 1 in one insert, with one audit entry per cell as a row save writes, and each
 * row's revision moved on once, as if each row had been saved once.
 */
async function writeFirstVersion(
  tx: Database,
  actor: Actor,
  version: VersionRecord,
  plan: (Located & { code: DecisionCode; note: string | null })[],
): Promise<void> {
  for (const { row, column, code } of plan) {
    const reason = forbiddenReason(row, column.kind, code);
    if (reason) throw new RuleError(`The demo scheme breaks a rule: ${reason}`);
  }
  const { trustId, id: versionId } = version;
  await tx
    .insert(cells)
    .values(plan.map(({ row, column, code, note }) => ({ trustId, versionId, responsibilityId: row.id, bodyId: column.id, code, note })));
  const rowIds = [...new Set(plan.map(({ row }) => row.id))];
  await tx
    .update(schemeRows)
    .set({ revision: sql`${schemeRows.revision} + 1`, updatedAt: sql`now()` })
    .where(and(eq(schemeRows.versionId, versionId), inArray(schemeRows.responsibilityId, rowIds)));
  await recordAudit(
    tx,
    actor,
    plan.map(({ row, column, code, note }) => ({
      trustId,
      action: "update",
      entity: "cell",
      entityId: cellKey(row.id, column.id),
      versionId,
      responsibilityId: row.id,
      summary: `${row.ref} ${row.title}: ${column.name} (empty) → ${code} in version ${version.number}`,
      before: { code: null },
      after: note ? { code, note } : { code },
    })),
  );
}

/** A draft's revisions, one row save each; the reason becomes the note of each cell a revision sets. */
async function reviseDraft(
  tx: Database,
  actor: Actor,
  draft: VersionRecord,
  locate: (key: string, name: DemoColumn) => Located,
  revisionList: DemoRevision[],
) {
  const { trustId, id: versionId } = draft;
  const revisions = new Map(
    (await tx.select().from(schemeRows).where(eq(schemeRows.versionId, versionId))).map((r) => [r.responsibilityId, r.revision]),
  );
  for (const { key, codes, reason } of revisionList) {
    const changes = Object.entries(codes).map(([name, code]) => ({ ...locate(key, name as DemoColumn), code }));
    const rowId = changes[0]!.row.id;
    await saveRow(tx, actor, {
      trustId,
      versionId,
      rowId,
      codes: Object.fromEntries(changes.map(({ column, code }) => [column.id, code])),
      expectedRevision: revisions.get(rowId) ?? 0,
    });
    const noted = changes.filter(({ code }) => code !== null);
    for (const { row, column } of noted) {
      await tx
        .update(cells)
        .set({ note: reason })
        .where(and(eq(cells.versionId, versionId), eq(cells.responsibilityId, row.id), eq(cells.bodyId, column.id)));
    }
    await recordAudit(
      tx,
      actor,
      noted.map(({ row, column, code }) => ({
        trustId,
        action: "update",
        entity: "cell",
        entityId: cellKey(row.id, column.id),
        versionId,
        responsibilityId: row.id,
        summary: `${row.ref} ${row.title}: noted why ${column.name} now holds ${code} in version ${draft.number}`,
        after: { note: reason },
      })),
    );
  }
}
