/**
 * The database schema: one definition for embedded PGlite and server PostgreSQL.
 *
 * Every table that belongs to a trust carries `trust_id`, and references between a trust's
 * own records use composite foreign keys on (trust_id, id), so the database itself refuses a
 * cell, school or decision that points into another trust.
 */
import { sql, type SQL } from "drizzle-orm";
import {
  bigint,
  boolean,
  check,
  customType,
  date,
  foreignKey,
  index,
  integer,
  jsonb,
  numeric,
  pgSequence,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
  type AnyPgColumn,
} from "drizzle-orm/pg-core";
import { TIERS, RAG } from "../app/domain/autonomy";
import { AREA_NUMBERS } from "../app/domain/areas";
import { DECISION_CODES } from "../app/domain/codes";
import { ROLES } from "../app/domain/roles";
import { BODY_KINDS, BODY_PURPOSES, DECISION_MODES, SCHOOL_PHASES } from "../app/domain/structure";
import { IMPROVEMENT_MODELS } from "../app/domain/strategy";
import { VERSION_STATUSES } from "../app/domain/versions";

function oneOf(column: AnyPgColumn, values: readonly (string | number)[]): SQL {
  const list = values.map((v) => (typeof v === "number" ? String(v) : `'${v.replace(/'/g, "''")}'`)).join(", ");
  return sql`${column} in (${sql.raw(list)})`;
}

const createdAt = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();
const updatedAt = () => timestamp("updated_at", { withTimezone: true }).notNull().defaultNow();
/** Optimistic concurrency: every update says which version it read; a mismatch means someone saved first. */
const rowVersion = () => integer("version").notNull().default(1);

// ---------------------------------------------------------------- the installation

/** Facts about this installation, e.g. the session-signing secret when none is configured. */
export const instanceSettings = pgTable("instance_settings", {
  key: text("key").primaryKey(),
  value: text("value").notNull(),
  updatedAt: updatedAt(),
});

// ---------------------------------------------------------------- trusts and people

/** Where every trust's matrix stamp comes from: one sequence, so no stamp is ever given twice, not even to a trust restored afresh. */
export const matrixStamps = pgSequence("matrix_stamps");

/** Where every trust's history stamp comes from, for the same reason. */
export const historyStamps = pgSequence("history_stamps");

export const trusts = pgTable(
  "trusts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    slug: text("slug").notNull(),
    name: text("name").notNull(),
    /** Companies House number, shown on the document's cover when present. */
    companyNumber: text("company_number"),
    websiteUrl: text("website_url"),
    /** Rule thresholds and preferences (validated by the domain's settings schema). */
    settings: jsonb("settings").notNull().default({}),
    /** The trust's own decision key, when it imported one: its marks and the codes they map to. */
    decisionKey: jsonb("decision_key"),
    isDemo: boolean("is_demo").notNull().default(false),
    /**
     * Moves on, by trigger, with every committed change to the trust's versions, rows, cells, catalogue
     * or structure: what the matrix page's cache is keyed on (ADR 006). Never written by the app.
     */
    matrixStamp: bigint("matrix_stamp", { mode: "number" })
      .notNull()
      .default(sql`nextval('matrix_stamps')`),
    /**
     * Moves on, by trigger, with every committed audit entry of the trust: what the history pages'
     * cache is keyed on (ADR 014). Never written by the app.
     */
    historyStamp: bigint("history_stamp", { mode: "number" })
      .notNull()
      .default(sql`nextval('history_stamps')`),
    /**
     * The highest version number the trust has ever given, discarded drafts included: the next draft is
     * this plus one, so a number is never used twice (ADR 011). Moved on by startDraft, and by the
     * database at commit for every version inserted any other way (a restore, a fixture).
     */
    lastVersionNumber: integer("last_version_number").notNull().default(0),
    version: rowVersion(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("trusts_slug_key").on(t.slug),
    check("trusts_slug_format", sql`${t.slug} ~ '^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$'`),
    check("trusts_name_present", sql`length(trim(${t.name})) between 1 and 200`),
    check("trusts_last_version_number_valid", sql`${t.lastVersionNumber} >= 0`),
  ],
);

export const users = pgTable(
  "users",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    email: text("email").notNull(),
    name: text("name").notNull(),
    passwordHash: text("password_hash").notNull(),
    isSiteAdmin: boolean("is_site_admin").notNull().default(false),
    version: rowVersion(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("users_email_key").on(t.email),
    check("users_email_lowercase", sql`${t.email} = lower(${t.email}) and ${t.email} like '%_@_%'`),
  ],
);

export const memberships = pgTable(
  "memberships",
  {
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    trustId: uuid("trust_id")
      .notNull()
      .references(() => trusts.id, { onDelete: "cascade" }),
    role: text("role").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ name: "memberships_pkey", columns: [t.userId, t.trustId] }),
    index("memberships_trust_idx").on(t.trustId),
    check("memberships_role_valid", oneOf(t.role, ROLES)),
  ],
);

/** Server-side sessions: the cookie carries only the id. */
export const sessions = pgTable(
  "sessions",
  {
    id: text("id").primaryKey(),
    userId: uuid("user_id").references(() => users.id, { onDelete: "cascade" }),
    data: jsonb("data").notNull().default({}),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("sessions_user_idx").on(t.userId), index("sessions_expires_idx").on(t.expiresAt)],
);

/** Failed sign-ins, kept in the database so throttling holds across several app servers. */
export const signInAttempts = pgTable(
  "sign_in_attempts",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    email: text("email").notNull(),
    ip: text("ip").notNull(),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("sign_in_attempts_email_idx").on(t.email, t.at), index("sign_in_attempts_ip_idx").on(t.ip, t.at)],
);

// ---------------------------------------------------------------- structure

export const governanceBodies = pgTable(
  "governance_bodies",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    trustId: uuid("trust_id")
      .notNull()
      .references(() => trusts.id, { onDelete: "cascade" }),
    kind: text("kind").notNull(),
    name: text("name").notNull(),
    /** Short heading for narrow matrix columns, e.g. "ARC". */
    shortName: text("short_name"),
    mode: text("mode").notNull().default("decision-making"),
    purpose: text("purpose").notNull().default("standing"),
    /** Where the body sits in the structure chart (a committee under the board, a local board under its cluster). */
    parentId: uuid("parent_id"),
    /**
     * The matrix column the body answers under. Real schemes have one "Local governing body" column for
     * every local board, and one cluster column for every cluster: those individual boards point at their
     * column; a body that is a column itself has none.
     */
    columnId: uuid("column_id"),
    position: integer("position").notNull().default(0),
    chairName: text("chair_name"),
    remit: text("remit"),
    /** Set when the body is removed but approved versions still name it. */
    retiredAt: timestamp("retired_at", { withTimezone: true }),
    version: rowVersion(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    unique("governance_bodies_trust_id_key").on(t.trustId, t.id),
    uniqueIndex("governance_bodies_name_key").on(t.trustId, t.name).where(sql`${t.retiredAt} is null`),
    foreignKey({
      name: "governance_bodies_parent_fk",
      columns: [t.trustId, t.parentId],
      foreignColumns: [t.trustId, t.id],
    }),
    foreignKey({
      name: "governance_bodies_column_fk",
      columns: [t.trustId, t.columnId],
      foreignColumns: [t.trustId, t.id],
    }),
    check("governance_bodies_kind_valid", oneOf(t.kind, BODY_KINDS)),
    check("governance_bodies_mode_valid", oneOf(t.mode, DECISION_MODES)),
    check("governance_bodies_purpose_valid", oneOf(t.purpose, BODY_PURPOSES)),
    check(
      "governance_bodies_advisory_kinds",
      sql`${t.mode} = 'decision-making' or ${t.kind} in ('cluster', 'local')`,
    ),
    check("governance_bodies_name_present", sql`length(trim(${t.name})) between 1 and 200`),
    check("governance_bodies_not_own_parent", sql`${t.parentId} is null or ${t.parentId} <> ${t.id}`),
    check("governance_bodies_not_own_column", sql`${t.columnId} is null or ${t.columnId} <> ${t.id}`),
  ],
);

export const schools = pgTable(
  "schools",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    trustId: uuid("trust_id")
      .notNull()
      .references(() => trusts.id, { onDelete: "cascade" }),
    urn: integer("urn").notNull(),
    name: text("name").notNull(),
    phase: text("phase").notNull(),
    easting: integer("easting"),
    northing: integer("northing"),
    postcode: text("postcode"),
    localAuthority: text("local_authority"),
    clusterBodyId: uuid("cluster_body_id"),
    localBodyId: uuid("local_body_id"),
    joinedOn: date("joined_on"),
    headteacherName: text("headteacher_name"),
    version: rowVersion(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    unique("schools_trust_id_key").on(t.trustId, t.id),
    uniqueIndex("schools_urn_key").on(t.trustId, t.urn),
    foreignKey({
      name: "schools_cluster_fk",
      columns: [t.trustId, t.clusterBodyId],
      foreignColumns: [governanceBodies.trustId, governanceBodies.id],
    }),
    foreignKey({
      name: "schools_local_body_fk",
      columns: [t.trustId, t.localBodyId],
      foreignColumns: [governanceBodies.trustId, governanceBodies.id],
    }),
    check("schools_urn_range", sql`${t.urn} between 100000 and 999999`),
    check("schools_phase_valid", oneOf(t.phase, SCHOOL_PHASES)),
    check("schools_name_present", sql`length(trim(${t.name})) between 1 and 200`),
    check(
      "schools_grid_reference",
      sql`(${t.easting} is null or ${t.easting} between 0 and 700000) and (${t.northing} is null or ${t.northing} between 0 and 1300000)`,
    ),
  ],
);

/**
 * A dated record of a school's performance. An inspection is either a legacy grade or a 2025
 * report card (a grade per area), never both, and neither is ever translated into the other.
 */
export const performanceRecords = pgTable(
  "performance_records",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    trustId: uuid("trust_id").notNull(),
    schoolId: uuid("school_id").notNull(),
    asOf: date("as_of").notNull(),
    inspectionFramework: text("inspection_framework"),
    legacyGrade: smallint("legacy_grade"),
    /** Area → grade on the five-point report-card scale. */
    reportCard: jsonb("report_card"),
    safeguardingMet: boolean("safeguarding_met"),
    outcomesBand: text("outcomes_band"),
    trend: text("trend"),
    inYearBalance: numeric("in_year_balance", { precision: 14, scale: 2 }),
    reserves: numeric("reserves", { precision: 14, scale: 2 }),
    deficit: boolean("deficit"),
    safeguardingAudit: text("safeguarding_audit"),
    leadershipStability: text("leadership_stability"),
    terminationWarning: boolean("termination_warning").notNull().default(false),
    source: text("source").notNull().default("manual"),
    note: text("note"),
    createdAt: createdAt(),
  },
  (t) => [
    foreignKey({
      name: "performance_records_school_fk",
      columns: [t.trustId, t.schoolId],
      foreignColumns: [schools.trustId, schools.id],
    }).onDelete("cascade"),
    index("performance_records_school_idx").on(t.schoolId, t.asOf),
    check(
      "performance_records_inspection_shape",
      sql`(${t.inspectionFramework} is null and ${t.legacyGrade} is null and ${t.reportCard} is null)
        or (${t.inspectionFramework} = 'legacy' and ${t.legacyGrade} between 1 and 4 and ${t.reportCard} is null)
        or (${t.inspectionFramework} = 'report-card' and ${t.legacyGrade} is null and ${t.reportCard} is not null)`,
    ),
    check("performance_records_trend_valid", sql`${t.trend} is null or ${t.trend} in ('improving', 'stable', 'declining')`),
    check("performance_records_audit_valid", sql`${t.safeguardingAudit} is null or ${oneOf(t.safeguardingAudit, RAG)}`),
    check(
      "performance_records_leadership_valid",
      sql`${t.leadershipStability} is null or ${t.leadershipStability} in ('stable', 'some-change', 'unstable')`,
    ),
    check("performance_records_source_valid", sql`${t.source} in ('manual', 'csv', 'gias', 'seed')`),
  ],
);

// ---------------------------------------------------------------- catalogue and scheme

/**
 * The trust's responsibility catalogue: the rows of its matrix. The live catalogue is what the
 * draft shows; an approved version keeps its own frozen copy (scheme_versions.snapshot).
 */
export const responsibilities = pgTable(
  "responsibilities",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    trustId: uuid("trust_id")
      .notNull()
      .references(() => trusts.id, { onDelete: "cascade" }),
    /** Identifier in the default catalogue (SEED-01, STAT-F1…), null for the trust's own rows. */
    catalogueKey: text("catalogue_key"),
    area: smallint("area").notNull(),
    /** The trust's own section heading, kept for the document (e.g. "A. Vision & ethos"). */
    section: text("section"),
    ref: text("ref").notNull(),
    title: text("title").notNull(),
    guidance: text("guidance"),
    /** Body kinds allowed to hold D; null means any. */
    decisionKinds: text("decision_kinds").array(),
    /** Body kinds that may hold no code at all on this row (shown as —). */
    excludedKinds: text("excluded_kinds").array(),
    /** The statutory constraint this row carries (ST-xx), if any. */
    statutoryRule: text("statutory_rule"),
    /** Statutory-locked rows never vary by autonomy tier or school. */
    locked: boolean("locked").notNull().default(false),
    externalApproval: boolean("external_approval").notNull().default(false),
    tags: text("tags").array().notNull().default(sql`'{}'::text[]`),
    position: integer("position").notNull().default(0),
    retiredAt: timestamp("retired_at", { withTimezone: true }),
    version: rowVersion(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    unique("responsibilities_trust_id_key").on(t.trustId, t.id),
    uniqueIndex("responsibilities_ref_key").on(t.trustId, t.ref).where(sql`${t.retiredAt} is null`),
    uniqueIndex("responsibilities_catalogue_key").on(t.trustId, t.catalogueKey),
    check("responsibilities_area_valid", oneOf(t.area, AREA_NUMBERS)),
    check("responsibilities_title_present", sql`length(trim(${t.title})) between 1 and 500`),
    check("responsibilities_ref_present", sql`length(trim(${t.ref})) between 1 and 20`),
    check(
      "responsibilities_kinds_valid",
      sql`(${t.decisionKinds} is null or ${t.decisionKinds} <@ array[${sql.raw(BODY_KINDS.map((k) => `'${k}'`).join(","))}]::text[])
        and (${t.excludedKinds} is null or ${t.excludedKinds} <@ array[${sql.raw(BODY_KINDS.map((k) => `'${k}'`).join(","))}]::text[])`,
    ),
  ],
);

export const schemeVersions = pgTable(
  "scheme_versions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    trustId: uuid("trust_id")
      .notNull()
      .references(() => trusts.id, { onDelete: "cascade" }),
    /** Counts up per trust: version 1, 2, 3… */
    number: integer("number").notNull(),
    status: text("status").notNull().default("draft"),
    basedOnId: uuid("based_on_id"),
    approvedByBodyId: uuid("approved_by_body_id"),
    approvedOn: date("approved_on"),
    minuteRef: text("minute_ref"),
    reviewDueOn: date("review_due_on"),
    breakPointReason: text("break_point_reason"),
    /** The structure and catalogue as they stood when the version was approved (frozen). */
    snapshot: jsonb("snapshot"),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    version: rowVersion(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    unique("scheme_versions_trust_id_key").on(t.trustId, t.id),
    unique("scheme_versions_number_key").on(t.trustId, t.number),
    uniqueIndex("scheme_versions_one_draft").on(t.trustId).where(sql`${t.status} = 'draft'`),
    foreignKey({
      name: "scheme_versions_based_on_fk",
      columns: [t.trustId, t.basedOnId],
      foreignColumns: [t.trustId, t.id],
    }),
    foreignKey({
      name: "scheme_versions_approved_by_fk",
      columns: [t.trustId, t.approvedByBodyId],
      foreignColumns: [governanceBodies.trustId, governanceBodies.id],
    }),
    check("scheme_versions_status_valid", oneOf(t.status, VERSION_STATUSES)),
    check("scheme_versions_number_positive", sql`${t.number} > 0`),
    check(
      "scheme_versions_approval_recorded",
      sql`${t.status} = 'draft' or (${t.approvedOn} is not null and ${t.approvedByBodyId} is not null and ${t.snapshot} is not null)`,
    ),
  ],
);

const cellCode = (name: string, column: AnyPgColumn) => check(name, sql`${column} is null or ${oneOf(column, DECISION_CODES)}`);

/** Per-row revision counter of a version: a cell save names the revision it read. */
export const schemeRows = pgTable(
  "scheme_rows",
  {
    trustId: uuid("trust_id").notNull(),
    versionId: uuid("version_id").notNull(),
    responsibilityId: uuid("responsibility_id").notNull(),
    revision: integer("revision").notNull().default(1),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ name: "scheme_rows_pkey", columns: [t.versionId, t.responsibilityId] }),
    foreignKey({
      name: "scheme_rows_version_fk",
      columns: [t.trustId, t.versionId],
      foreignColumns: [schemeVersions.trustId, schemeVersions.id],
    }).onDelete("cascade"),
    foreignKey({
      name: "scheme_rows_responsibility_fk",
      columns: [t.trustId, t.responsibilityId],
      foreignColumns: [responsibilities.trustId, responsibilities.id],
    }),
  ],
);

/** The base matrix: version × responsibility × body → code. */
export const cells = pgTable(
  "cells",
  {
    trustId: uuid("trust_id").notNull(),
    versionId: uuid("version_id").notNull(),
    responsibilityId: uuid("responsibility_id").notNull(),
    bodyId: uuid("body_id").notNull(),
    code: text("code").notNull(),
    note: text("note"),
  },
  (t) => [
    primaryKey({ name: "cells_pkey", columns: [t.versionId, t.responsibilityId, t.bodyId] }),
    foreignKey({
      name: "cells_version_fk",
      columns: [t.trustId, t.versionId],
      foreignColumns: [schemeVersions.trustId, schemeVersions.id],
    }).onDelete("cascade"),
    foreignKey({
      name: "cells_responsibility_fk",
      columns: [t.trustId, t.responsibilityId],
      foreignColumns: [responsibilities.trustId, responsibilities.id],
    }),
    foreignKey({
      name: "cells_body_fk",
      columns: [t.trustId, t.bodyId],
      foreignColumns: [governanceBodies.trustId, governanceBodies.id],
    }),
    index("cells_body_idx").on(t.bodyId),
    cellCode("cells_code_valid", t.code),
  ],
);

/** Cells that differ for schools in one autonomy tier. A null code clears the base cell for that tier. */
export const tierCells = pgTable(
  "tier_cells",
  {
    trustId: uuid("trust_id").notNull(),
    versionId: uuid("version_id").notNull(),
    tier: text("tier").notNull(),
    responsibilityId: uuid("responsibility_id").notNull(),
    bodyId: uuid("body_id").notNull(),
    code: text("code"),
    note: text("note"),
  },
  (t) => [
    primaryKey({ name: "tier_cells_pkey", columns: [t.versionId, t.tier, t.responsibilityId, t.bodyId] }),
    foreignKey({
      name: "tier_cells_version_fk",
      columns: [t.trustId, t.versionId],
      foreignColumns: [schemeVersions.trustId, schemeVersions.id],
    }).onDelete("cascade"),
    foreignKey({
      name: "tier_cells_responsibility_fk",
      columns: [t.trustId, t.responsibilityId],
      foreignColumns: [responsibilities.trustId, responsibilities.id],
    }),
    foreignKey({
      name: "tier_cells_body_fk",
      columns: [t.trustId, t.bodyId],
      foreignColumns: [governanceBodies.trustId, governanceBodies.id],
    }),
    check("tier_cells_tier_valid", oneOf(t.tier, TIERS)),
    cellCode("tier_cells_code_valid", t.code),
  ],
);

/** Bespoke variations for a single school. A null code clears the cell for that school. */
export const schoolCells = pgTable(
  "school_cells",
  {
    trustId: uuid("trust_id").notNull(),
    versionId: uuid("version_id").notNull(),
    schoolId: uuid("school_id").notNull(),
    responsibilityId: uuid("responsibility_id").notNull(),
    bodyId: uuid("body_id").notNull(),
    code: text("code"),
    note: text("note"),
  },
  (t) => [
    primaryKey({ name: "school_cells_pkey", columns: [t.versionId, t.schoolId, t.responsibilityId, t.bodyId] }),
    foreignKey({
      name: "school_cells_version_fk",
      columns: [t.trustId, t.versionId],
      foreignColumns: [schemeVersions.trustId, schemeVersions.id],
    }).onDelete("cascade"),
    foreignKey({
      name: "school_cells_school_fk",
      columns: [t.trustId, t.schoolId],
      foreignColumns: [schools.trustId, schools.id],
    }),
    foreignKey({
      name: "school_cells_responsibility_fk",
      columns: [t.trustId, t.responsibilityId],
      foreignColumns: [responsibilities.trustId, responsibilities.id],
    }),
    foreignKey({
      name: "school_cells_body_fk",
      columns: [t.trustId, t.bodyId],
      foreignColumns: [governanceBodies.trustId, governanceBodies.id],
    }),
    cellCode("school_cells_code_valid", t.code),
  ],
);

/** A finding the trust departs from knowingly, with its reason; it stays listed and appears in the document. */
export const findingAcknowledgements = pgTable(
  "finding_acknowledgements",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    trustId: uuid("trust_id").notNull(),
    versionId: uuid("version_id").notNull(),
    /** Stable key of the finding: rule id and what it concerns. */
    findingKey: text("finding_key").notNull(),
    ruleId: text("rule_id").notNull(),
    reason: text("reason").notNull(),
    acknowledgedBy: uuid("acknowledged_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
  },
  (t) => [
    foreignKey({
      name: "finding_acknowledgements_version_fk",
      columns: [t.trustId, t.versionId],
      foreignColumns: [schemeVersions.trustId, schemeVersions.id],
    }).onDelete("cascade"),
    uniqueIndex("finding_acknowledgements_key").on(t.versionId, t.findingKey),
    check("finding_acknowledgements_reason_present", sql`length(trim(${t.reason})) > 0`),
  ],
);

// ---------------------------------------------------------------- strategy and earned autonomy

export const strategyProfiles = pgTable(
  "strategy_profiles",
  {
    trustId: uuid("trust_id")
      .primaryKey()
      .references(() => trusts.id, { onDelete: "cascade" }),
    /** Ratings 1–10 of the ten strategy statements, in the research's order; null = not rated yet. */
    ratings: smallint("ratings").array().notNull().default(sql`array[null,null,null,null,null,null,null,null,null,null]::smallint[]`),
    /** Research area number → alignment culture. */
    alignment: jsonb("alignment").notNull().default({}),
    improvementModel: text("improvement_model"),
    vision: text("vision"),
    version: rowVersion(),
    updatedAt: updatedAt(),
  },
  (t) => [
    check(
      "strategy_profiles_ratings_valid",
      sql`array_length(${t.ratings}, 1) = 10 and 1 <= all(${t.ratings}) and 10 >= all(${t.ratings})`,
    ),
    check(
      "strategy_profiles_model_valid",
      sql`${t.improvementModel} is null or ${oneOf(t.improvementModel, IMPROVEMENT_MODELS)}`,
    ),
  ],
);

/** A trust's autonomy tiers: names, review cadence and entry criteria (thresholds). */
export const autonomyTiers = pgTable(
  "autonomy_tiers",
  {
    trustId: uuid("trust_id")
      .notNull()
      .references(() => trusts.id, { onDelete: "cascade" }),
    tier: text("tier").notNull(),
    name: text("name").notNull(),
    description: text("description"),
    reviewsPerYear: smallint("reviews_per_year").notNull(),
    criteria: jsonb("criteria").notNull().default({}),
    version: rowVersion(),
  },
  (t) => [
    primaryKey({ name: "autonomy_tiers_pkey", columns: [t.trustId, t.tier] }),
    check("autonomy_tiers_tier_valid", oneOf(t.tier, TIERS)),
    check("autonomy_tiers_reviews_valid", sql`${t.reviewsPerYear} between 1 and 12`),
  ],
);

/** The recorded decision that places a school in a tier; the latest one is the school's decided tier. */
export const tierDecisions = pgTable(
  "tier_decisions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    trustId: uuid("trust_id").notNull(),
    schoolId: uuid("school_id").notNull(),
    tier: text("tier").notNull(),
    decidedByBodyId: uuid("decided_by_body_id").notNull(),
    decidedOn: date("decided_on").notNull(),
    effectiveFrom: date("effective_from").notNull(),
    evidence: text("evidence").notNull(),
    nextReviewOn: date("next_review_on").notNull(),
    recordedBy: uuid("recorded_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
  },
  (t) => [
    foreignKey({
      name: "tier_decisions_school_fk",
      columns: [t.trustId, t.schoolId],
      foreignColumns: [schools.trustId, schools.id],
    }).onDelete("cascade"),
    foreignKey({
      name: "tier_decisions_body_fk",
      columns: [t.trustId, t.decidedByBodyId],
      foreignColumns: [governanceBodies.trustId, governanceBodies.id],
    }),
    index("tier_decisions_school_idx").on(t.schoolId, t.effectiveFrom),
    check("tier_decisions_tier_valid", oneOf(t.tier, TIERS)),
    check("tier_decisions_evidence_present", sql`length(trim(${t.evidence})) > 0`),
    check("tier_decisions_review_after", sql`${t.nextReviewOn} >= ${t.decidedOn}`),
  ],
);

/** A performance review of a school (DCAT's Academy Improvement Review), rated for travel. */
export const schoolReviews = pgTable(
  "school_reviews",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    trustId: uuid("trust_id").notNull(),
    schoolId: uuid("school_id").notNull(),
    reviewedOn: date("reviewed_on").notNull(),
    travel: text("travel").notNull(),
    summary: text("summary"),
    recordedBy: uuid("recorded_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
  },
  (t) => [
    foreignKey({
      name: "school_reviews_school_fk",
      columns: [t.trustId, t.schoolId],
      foreignColumns: [schools.trustId, schools.id],
    }).onDelete("cascade"),
    index("school_reviews_school_idx").on(t.schoolId, t.reviewedOn),
    check("school_reviews_travel_valid", sql`${t.travel} in ('improving', 'steady', 'declining')`),
  ],
);

// ---------------------------------------------------------------- publication, jobs, audit

export const publications = pgTable(
  "publications",
  {
    trustId: uuid("trust_id")
      .primaryKey()
      .references(() => trusts.id, { onDelete: "cascade" }),
    versionId: uuid("version_id").notNull(),
    publishedBy: uuid("published_by").references(() => users.id, { onDelete: "set null" }),
    publishedAt: timestamp("published_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    foreignKey({
      name: "publications_version_fk",
      columns: [t.trustId, t.versionId],
      foreignColumns: [schemeVersions.trustId, schemeVersions.id],
    }).onDelete("cascade"),
  ],
);

/**
 * Background work (e.g. exporting every school pack) and its progress, visible to any app server
 * (ADR 012). A server claims a job by setting `claimed_by` and `locked_until`, and keeps the claim
 * alive while it works; a job whose claim has run out is claimed again by any server and resumed.
 */
export const jobs = pgTable(
  "jobs",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    trustId: uuid("trust_id")
      .notNull()
      .references(() => trusts.id, { onDelete: "cascade" }),
    kind: text("kind").notNull(),
    /** What the job works on (e.g. a version's id): one queued or running job per trust, kind and subject. */
    subject: text("subject").notNull().default(""),
    status: text("status").notNull().default("queued"),
    params: jsonb("params").notNull().default({}),
    progress: integer("progress").notNull().default(0),
    total: integer("total").notNull().default(0),
    message: text("message"),
    result: jsonb("result"),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    /** The claim of the worker running it: every write of that worker names it, so a worker whose claim was taken over stops. */
    claimedBy: text("claimed_by"),
    /** How many times it has been claimed: a job that keeps stopping its server is given up. */
    attempts: integer("attempts").notNull().default(0),
    lockedUntil: timestamp("locked_until", { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    unique("jobs_trust_id_key").on(t.trustId, t.id),
    index("jobs_trust_idx").on(t.trustId, t.createdAt),
    index("jobs_subject_idx").on(t.trustId, t.kind, t.subject, t.createdAt),
    uniqueIndex("jobs_one_active_idx").on(t.trustId, t.kind, t.subject).where(sql`${t.status} in ('queued', 'running')`),
    index("jobs_claimable_idx").on(t.lockedUntil).where(sql`${t.status} in ('queued', 'running')`),
    check("jobs_status_valid", sql`${t.status} in ('queued', 'running', 'done', 'failed')`),
    check("jobs_progress_valid", sql`${t.progress} >= 0 and ${t.progress} <= greatest(${t.total}, ${t.progress})`),
    check("jobs_attempts_valid", sql`${t.attempts} >= 0`),
  ],
);

/**
 * Bytes as PostgreSQL keeps them (bytea). They are handed over as base64 text, decoded by the database:
 * PGlite takes a bytea parameter of 3 MB in about 0.6 s and the same as base64 text in 0.07 s. Reads
 * that move many bytes ask for encode(…, 'base64') the same way (app/models/jobs.server.ts).
 */
const bytes = customType<{ data: Uint8Array; driverData: Uint8Array | string }>({
  dataType: () => "bytea",
  toDriver: (value) => sql`decode(${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString("base64")}, 'base64')`,
  // Text only where a driver hands bytea over in PostgreSQL's hex form ("\\x…").
  fromDriver: (value) => (typeof value === "string" ? Buffer.from(value.replace(/^\\x/, ""), "hex") : value),
});

/**
 * Files a job makes: the parts it has finished (so a resumed job carries on where it stopped) and
 * its result, kept in the database so that any app server can resume the job or serve the result.
 */
export const jobFiles = pgTable(
  "job_files",
  {
    trustId: uuid("trust_id")
      .notNull()
      .references(() => trusts.id, { onDelete: "cascade" }),
    jobId: uuid("job_id").notNull(),
    name: text("name").notNull(),
    content: bytes("content").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ name: "job_files_pkey", columns: [t.jobId, t.name] }),
    foreignKey({
      name: "job_files_job_fk",
      columns: [t.trustId, t.jobId],
      foreignColumns: [jobs.trustId, jobs.id],
    }).onDelete("cascade"),
  ],
);

/** Who changed what, when, and how it was before and after; written in the same transaction as the change. */
export const auditLog = pgTable(
  "audit_log",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    trustId: uuid("trust_id").references(() => trusts.id, { onDelete: "cascade" }),
    userId: uuid("user_id").references(() => users.id, { onDelete: "set null" }),
    /** Who acted, as shown: a person's name, or "command line". Kept when the user is deleted. */
    actor: text("actor").notNull(),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
    action: text("action").notNull(),
    entity: text("entity").notNull(),
    entityId: text("entity_id"),
    versionId: uuid("version_id"),
    responsibilityId: uuid("responsibility_id"),
    summary: text("summary").notNull(),
    before: jsonb("before"),
    after: jsonb("after"),
  },
  (t) => [
    index("audit_log_trust_idx").on(t.trustId, t.at),
    // A version's history and a row's history across versions, newest first, a page at a time.
    index("audit_log_version_history_idx").on(t.trustId, t.versionId, t.at, t.id),
    // One person's changes to a version, and the people who made any (skipping from one to the next).
    index("audit_log_version_people_idx").on(t.trustId, t.versionId, t.userId, t.at, t.id),
    index("audit_log_row_history_idx").on(t.trustId, t.responsibilityId, t.at, t.id).where(sql`${t.responsibilityId} is not null`),
    index("audit_log_row_idx").on(t.versionId, t.responsibilityId),
  ],
);
