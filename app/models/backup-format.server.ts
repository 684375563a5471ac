/**
 * The backup format of one trust (version 2; version 1 is still read), as a schema: what each row must
 * look like, how the rows link to each other, and the check that reports every problem of a document
 * with its place (e.g. "schools[3].urn: expected a whole number") before anything is written.
 */
import { z } from "zod";
import { AREA_NUMBERS } from "../domain/areas";
import { RAG, TIERS } from "../domain/autonomy";
import { DECISION_CODES } from "../domain/codes";
import { RuleError } from "../domain/errors";
import { ROLES } from "../domain/roles";
import { BODY_KINDS, BODY_PURPOSES, DECISION_MODES, SCHOOL_PHASES } from "../domain/structure";
import { IMPROVEMENT_MODELS } from "../domain/strategy";
import { VERSION_STATUSES } from "../domain/versions";

export const BACKUP_FORMAT = "scheme-of-delegation-backup";
/**
 * 2 added the trust's `lastVersionNumber` (the highest version number it has given, discarded drafts
 * included). A version 1 file is read as if it said the highest number its versions and history name.
 */
export const BACKUP_FORMAT_VERSION = 2;
const READABLE_FORMAT_VERSIONS = [1, 2];

/** Every field must be present (null where empty): a missing field is reported as such, not guessed. */
const expected = (what: string) => ({
  error: (issue: { input?: unknown }) => (issue.input === undefined ? "missing" : `expected ${what}`),
});

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,6})?(Z|[+-]\d{2}:\d{2})$/;
/** numeric(14, 2): up to twelve digits before the point and two after. */
const MONEY = /^-?\d{1,12}(\.\d{1,2})?$/;

function isCalendarDate(value: string): boolean {
  const [, y, m, d] = (DATE.exec(value.slice(0, 10)) ?? []).map(Number);
  if (!y || !m || !d) return false;
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

const id = z.string(expected("an id (a UUID)")).regex(UUID, "expected an id (a UUID)");
const text = z.string(expected("text"));
const bool = z.boolean(expected("true or false"));
const whole = (min: number, max: number) =>
  z.int(expected("a whole number")).min(min, `must be at least ${min}`).max(max, `must be at most ${max}`);
const int32 = whole(-2_147_483_648, 2_147_483_647);
const rowVersion = whole(1, 2_147_483_647);
const oneOf = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, expected(`one of ${values.join(", ")}`));
const named = (max: number) =>
  text.refine((s) => s.trim().length >= 1 && s.trim().length <= max, `must be 1 to ${max} characters long`);
const nonBlank = text.refine((s) => s.trim().length > 0, "must not be empty");
const date = z
  .string(expected("a date (YYYY-MM-DD)"))
  .regex(DATE, "expected a date (YYYY-MM-DD)")
  .refine(isCalendarDate, "is not a real date");
const timestamp = z
  .string(expected("a date and time (e.g. 2025-03-01T09:30:00.000000Z)"))
  .regex(TIMESTAMP, "expected a date and time (e.g. 2025-03-01T09:30:00.000000Z)")
  .refine(isCalendarDate, "is not a real date");
const money = z.string(expected("an amount written as text (e.g. \"-1250.50\")")).regex(MONEY, "expected an amount such as -1250.50");
/** A JSON value as stored in a jsonb column; the document came from JSON, so only absence can be wrong. */
const json = z.custom<unknown>((value) => value !== undefined, "missing");
const jsonPresent = json.refine((value) => value !== null, "must not be null");
const list = <T extends z.ZodType>(item: T) => z.array(item, expected("a list"));
const record = <T extends z.ZodRawShape>(shape: T) => z.strictObject(shape, expected("an object"));

const trustFields = {
  id,
  slug: text.regex(
    /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/,
    "must be 1–64 lower-case letters, digits and hyphens, starting and ending with a letter or digit",
  ),
  name: named(200),
  companyNumber: text.nullable(),
  websiteUrl: text.nullable(),
  settings: jsonPresent,
  decisionKey: json,
  isDemo: bool,
  version: rowVersion,
  createdAt: timestamp,
  updatedAt: timestamp,
};

const trustRow = record({ ...trustFields, lastVersionNumber: whole(0, 2_147_483_647) });

const userRow = record({
  id,
  email: text.refine((s) => s === s.toLowerCase() && /.@./.test(s), "expected an email address in lower case"),
  name: text,
  passwordHash: nonBlank,
  version: rowVersion,
  createdAt: timestamp,
  updatedAt: timestamp,
});

const membershipRow = record({ userId: id, trustId: id, role: oneOf(ROLES), createdAt: timestamp });

const bodyRow = record({
  id,
  trustId: id,
  kind: oneOf(BODY_KINDS),
  name: named(200),
  shortName: text.nullable(),
  mode: oneOf(DECISION_MODES),
  purpose: oneOf(BODY_PURPOSES),
  parentId: id.nullable(),
  columnId: id.nullable(),
  position: int32,
  chairName: text.nullable(),
  remit: text.nullable(),
  retiredAt: timestamp.nullable(),
  version: rowVersion,
  createdAt: timestamp,
  updatedAt: timestamp,
}).superRefine((body, ctx) => {
  if (body.mode === "advisory" && body.kind !== "cluster" && body.kind !== "local") {
    ctx.addIssue({ code: "custom", path: ["mode"], message: "only cluster and local bodies may be advisory" });
  }
  if (body.parentId === body.id) ctx.addIssue({ code: "custom", path: ["parentId"], message: "a body cannot be its own parent" });
  if (body.columnId === body.id) ctx.addIssue({ code: "custom", path: ["columnId"], message: "a body cannot answer under itself" });
});

const schoolRow = record({
  id,
  trustId: id,
  urn: whole(100000, 999999),
  name: named(200),
  phase: oneOf(SCHOOL_PHASES),
  easting: whole(0, 700000).nullable(),
  northing: whole(0, 1300000).nullable(),
  postcode: text.nullable(),
  localAuthority: text.nullable(),
  clusterBodyId: id.nullable(),
  localBodyId: id.nullable(),
  joinedOn: date.nullable(),
  headteacherName: text.nullable(),
  version: rowVersion,
  createdAt: timestamp,
  updatedAt: timestamp,
});

const performanceRow = record({
  id,
  trustId: id,
  schoolId: id,
  asOf: date,
  inspectionFramework: oneOf(["legacy", "report-card"]).nullable(),
  legacyGrade: whole(1, 4).nullable(),
  reportCard: json,
  safeguardingMet: bool.nullable(),
  outcomesBand: text.nullable(),
  trend: oneOf(["improving", "stable", "declining"]).nullable(),
  inYearBalance: money.nullable(),
  reserves: money.nullable(),
  deficit: bool.nullable(),
  safeguardingAudit: oneOf(RAG).nullable(),
  leadershipStability: oneOf(["stable", "some-change", "unstable"]).nullable(),
  terminationWarning: bool,
  source: oneOf(["manual", "csv", "gias", "seed"]),
  note: text.nullable(),
  createdAt: timestamp,
}).superRefine((entry, ctx) => {
  const shapes: Record<string, boolean> = {
    none: entry.legacyGrade === null && entry.reportCard === null,
    legacy: entry.legacyGrade !== null && entry.reportCard === null,
    "report-card": entry.legacyGrade === null && entry.reportCard !== null,
  };
  if (!shapes[entry.inspectionFramework ?? "none"]) {
    ctx.addIssue({
      code: "custom",
      path: ["inspectionFramework"],
      message: "a legacy inspection has a grade and no report card; a report card has no legacy grade; no inspection has neither",
    });
  }
});

const bodyKinds = list(oneOf(BODY_KINDS)).nullable();
const responsibilityRow = record({
  id,
  trustId: id,
  catalogueKey: text.nullable(),
  area: whole(Math.min(...AREA_NUMBERS), Math.max(...AREA_NUMBERS)),
  section: text.nullable(),
  ref: named(20),
  title: named(500),
  guidance: text.nullable(),
  decisionKinds: bodyKinds,
  excludedKinds: bodyKinds,
  statutoryRule: text.nullable(),
  locked: bool,
  externalApproval: bool,
  tags: list(text),
  position: int32,
  retiredAt: timestamp.nullable(),
  version: rowVersion,
  createdAt: timestamp,
  updatedAt: timestamp,
});

const versionRow = record({
  id,
  trustId: id,
  number: whole(1, 2_147_483_647),
  status: oneOf(VERSION_STATUSES),
  basedOnId: id.nullable(),
  approvedByBodyId: id.nullable(),
  approvedOn: date.nullable(),
  minuteRef: text.nullable(),
  reviewDueOn: date.nullable(),
  breakPointReason: text.nullable(),
  snapshot: json,
  createdBy: id.nullable(),
  version: rowVersion,
  createdAt: timestamp,
  updatedAt: timestamp,
}).superRefine((version, ctx) => {
  if (version.status === "draft") return;
  for (const field of ["approvedOn", "approvedByBodyId", "snapshot"] as const) {
    if (version[field] === null) {
      ctx.addIssue({ code: "custom", path: [field], message: `an ${version.status} version records its approval, so this cannot be empty` });
    }
  }
});

const schemeRowRow = record({ trustId: id, versionId: id, responsibilityId: id, revision: int32, updatedAt: timestamp });
const code = oneOf(DECISION_CODES);
const cellRow = record({ trustId: id, versionId: id, responsibilityId: id, bodyId: id, code, note: text.nullable() });
const tierCellRow = record({
  trustId: id,
  versionId: id,
  tier: oneOf(TIERS),
  responsibilityId: id,
  bodyId: id,
  code: code.nullable(),
  note: text.nullable(),
});
const schoolCellRow = record({
  trustId: id,
  versionId: id,
  schoolId: id,
  responsibilityId: id,
  bodyId: id,
  code: code.nullable(),
  note: text.nullable(),
});

const acknowledgementRow = record({
  id,
  trustId: id,
  versionId: id,
  findingKey: text,
  ruleId: text,
  reason: nonBlank,
  acknowledgedBy: id.nullable(),
  createdAt: timestamp,
});

const strategyRow = record({
  trustId: id,
  ratings: list(whole(1, 10).nullable()).length(10, "must hold exactly ten ratings"),
  alignment: jsonPresent,
  improvementModel: oneOf(IMPROVEMENT_MODELS).nullable(),
  vision: text.nullable(),
  version: rowVersion,
  updatedAt: timestamp,
});

const tierRow = record({
  trustId: id,
  tier: oneOf(TIERS),
  name: text,
  description: text.nullable(),
  reviewsPerYear: whole(1, 12),
  criteria: jsonPresent,
  version: rowVersion,
});

const tierDecisionRow = record({
  id,
  trustId: id,
  schoolId: id,
  tier: oneOf(TIERS),
  decidedByBodyId: id,
  decidedOn: date,
  effectiveFrom: date,
  evidence: nonBlank,
  nextReviewOn: date,
  recordedBy: id.nullable(),
  createdAt: timestamp,
}).superRefine((decision, ctx) => {
  if (decision.nextReviewOn < decision.decidedOn) {
    ctx.addIssue({ code: "custom", path: ["nextReviewOn"], message: "must not be before the decision (decidedOn)" });
  }
});

const schoolReviewRow = record({
  id,
  trustId: id,
  schoolId: id,
  reviewedOn: date,
  travel: oneOf(["improving", "steady", "declining"]),
  summary: text.nullable(),
  recordedBy: id.nullable(),
  createdAt: timestamp,
});

const publicationRow = record({ trustId: id, versionId: id, publishedBy: id.nullable(), publishedAt: timestamp });

const auditRow = record({
  id: whole(1, Number.MAX_SAFE_INTEGER),
  trustId: id,
  userId: id.nullable(),
  actor: text,
  at: timestamp,
  action: text,
  entity: text,
  entityId: text.nullable(),
  versionId: id.nullable(),
  responsibilityId: id.nullable(),
  summary: text,
  before: json,
  after: json,
});

const backupFields = {
  format: z.literal(BACKUP_FORMAT),
  exportedAt: timestamp,
  users: list(userRow),
  memberships: list(membershipRow),
  governanceBodies: list(bodyRow),
  schools: list(schoolRow),
  performanceRecords: list(performanceRow),
  responsibilities: list(responsibilityRow),
  schemeVersions: list(versionRow),
  schemeRows: list(schemeRowRow),
  cells: list(cellRow),
  tierCells: list(tierCellRow),
  schoolCells: list(schoolCellRow),
  findingAcknowledgements: list(acknowledgementRow),
  strategyProfiles: list(strategyRow).max(1, "a trust has one strategy profile"),
  autonomyTiers: list(tierRow),
  tierDecisions: list(tierDecisionRow),
  schoolReviews: list(schoolReviewRow),
  publications: list(publicationRow).max(1, "a trust has one publication"),
  auditLog: list(auditRow),
};

const backupSchema = record({ ...backupFields, formatVersion: z.literal(BACKUP_FORMAT_VERSION), trust: trustRow });
/** Format version 1: the same, but the trust's row without its lastVersionNumber. */
const backupSchemaV1 = record({ ...backupFields, formatVersion: z.literal(1), trust: record(trustFields) });

export type TrustBackup = z.infer<typeof backupSchema>;
export type RowKey = Exclude<keyof TrustBackup, "format" | "formatVersion" | "exportedAt" | "trust">;
export type Row = Record<string, unknown>;

// ---------------------------------------------------------------- checking a document

/** A backup that cannot be restored; `problems` lists every one, each with its place in the document. */
export class InvalidBackupError extends RuleError {
  constructor(readonly problems: string[]) {
    super(`The backup cannot be restored:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "InvalidBackupError";
  }
}

/** ["schools", 3, "urn"] → "schools[3].urn" */
export function jsonPath(path: readonly PropertyKey[]): string {
  let result = "";
  for (const part of path) {
    if (typeof part === "number") result += `[${part}]`;
    else result += result ? `.${String(part)}` : String(part);
  }
  return result || "(the document)";
}

const REFERENCE_TARGETS = {
  users: "an account",
  governanceBodies: "a governance body",
  schools: "a school",
  responsibilities: "a responsibility",
  schemeVersions: "a scheme version",
} as const;
type Target = keyof typeof REFERENCE_TARGETS;

/** Which fields point at which records; each must find its record in the same file. */
const REFERENCES: Partial<Record<RowKey, [field: string, target: Target][]>> = {
  memberships: [["userId", "users"]],
  governanceBodies: [
    ["parentId", "governanceBodies"],
    ["columnId", "governanceBodies"],
  ],
  schools: [
    ["clusterBodyId", "governanceBodies"],
    ["localBodyId", "governanceBodies"],
  ],
  performanceRecords: [["schoolId", "schools"]],
  schemeVersions: [
    ["basedOnId", "schemeVersions"],
    ["approvedByBodyId", "governanceBodies"],
    ["createdBy", "users"],
  ],
  schemeRows: [
    ["versionId", "schemeVersions"],
    ["responsibilityId", "responsibilities"],
  ],
  cells: [
    ["versionId", "schemeVersions"],
    ["responsibilityId", "responsibilities"],
    ["bodyId", "governanceBodies"],
  ],
  tierCells: [
    ["versionId", "schemeVersions"],
    ["responsibilityId", "responsibilities"],
    ["bodyId", "governanceBodies"],
  ],
  schoolCells: [
    ["versionId", "schemeVersions"],
    ["schoolId", "schools"],
    ["responsibilityId", "responsibilities"],
    ["bodyId", "governanceBodies"],
  ],
  findingAcknowledgements: [
    ["versionId", "schemeVersions"],
    ["acknowledgedBy", "users"],
  ],
  tierDecisions: [
    ["schoolId", "schools"],
    ["decidedByBodyId", "governanceBodies"],
    ["recordedBy", "users"],
  ],
  schoolReviews: [
    ["schoolId", "schools"],
    ["recordedBy", "users"],
  ],
  publications: [
    ["versionId", "schemeVersions"],
    ["publishedBy", "users"],
  ],
  auditLog: [["userId", "users"]],
};

/** What must not repeat within the file, as the database's unique keys say (`when` for partial ones). */
const UNIQUE: Partial<Record<RowKey, { fields: string[]; when?: (row: Row) => boolean }[]>> = {
  users: [{ fields: ["id"] }, { fields: ["email"] }],
  memberships: [{ fields: ["userId"] }],
  governanceBodies: [{ fields: ["id"] }, { fields: ["name"], when: (row) => row.retiredAt === null }],
  schools: [{ fields: ["id"] }, { fields: ["urn"] }],
  performanceRecords: [{ fields: ["id"] }],
  responsibilities: [{ fields: ["id"] }, { fields: ["catalogueKey"] }, { fields: ["ref"], when: (row) => row.retiredAt === null }],
  schemeVersions: [{ fields: ["id"] }, { fields: ["number"] }],
  schemeRows: [{ fields: ["versionId", "responsibilityId"] }],
  cells: [{ fields: ["versionId", "responsibilityId", "bodyId"] }],
  tierCells: [{ fields: ["versionId", "tier", "responsibilityId", "bodyId"] }],
  schoolCells: [{ fields: ["versionId", "schoolId", "responsibilityId", "bodyId"] }],
  findingAcknowledgements: [{ fields: ["id"] }, { fields: ["versionId", "findingKey"] }],
  autonomyTiers: [{ fields: ["tier"] }],
  tierDecisions: [{ fields: ["id"] }],
  schoolReviews: [{ fields: ["id"] }],
  auditLog: [{ fields: ["id"] }],
};

function rowsOf(doc: TrustBackup, key: RowKey): Row[] {
  return doc[key] as Row[];
}

function formatFields(fields: string[]): string {
  return fields.length === 1 ? fields[0]! : `${fields.slice(0, -1).join(", ")} and ${fields.at(-1)}`;
}

/** The links between records, which a schema of single rows cannot see. */
function checkReferences(doc: TrustBackup): string[] {
  const problems: string[] = [];
  const keys = Object.keys(doc).filter((k) => Array.isArray(doc[k as keyof TrustBackup])) as RowKey[];
  const ids = Object.fromEntries(
    (Object.keys(REFERENCE_TARGETS) as Target[]).map((target) => [target, new Set(rowsOf(doc, target).map((r) => r.id))]),
  ) as Record<Target, Set<unknown>>;

  for (const key of keys) {
    rowsOf(doc, key).forEach((row, index) => {
      if ("trustId" in row && row.trustId !== doc.trust.id) {
        problems.push(`${key}[${index}].trustId: belongs to another trust (${String(row.trustId)}), not to the trust in this file (${doc.trust.id})`);
      }
      for (const [field, target] of REFERENCES[key] ?? []) {
        const value = row[field];
        if (value !== null && !ids[target].has(value)) {
          problems.push(`${key}[${index}].${field}: names ${REFERENCE_TARGETS[target]} (${String(value)}) that is not in the file`);
        }
      }
    });
    for (const { fields, when } of UNIQUE[key] ?? []) {
      const seen = new Map<string, number>();
      rowsOf(doc, key).forEach((row, index) => {
        if (when && !when(row)) return;
        const values = fields.map((f) => row[f]);
        if (values.some((v) => v === null)) return;
        const signature = JSON.stringify(values);
        const first = seen.get(signature);
        if (first === undefined) seen.set(signature, index);
        else {
          const place = fields.length === 1 ? `${key}[${index}].${fields[0]}` : `${key}[${index}]`;
          problems.push(`${place}: the same ${formatFields(fields)} as ${key}[${first}]`);
        }
      });
    }
  }

  const highest = doc.schemeVersions.reduce((top, v) => Math.max(top, v.number), 0);
  if (highest > doc.trust.lastVersionNumber) {
    problems.push(`trust.lastVersionNumber: is ${doc.trust.lastVersionNumber}, below version ${highest} in the file (it is the highest number the trust has given)`);
  }
  const drafts = doc.schemeVersions.flatMap((v, index) => (v.status === "draft" ? [index] : []));
  for (const index of drafts.slice(1)) {
    problems.push(`schemeVersions[${index}].status: a trust has one draft at a time, and schemeVersions[${drafts[0]}] is also a draft`);
  }
  const draftIds = new Set(drafts.map((index) => doc.schemeVersions[index]!.id));
  doc.schemeVersions.forEach((v, index) => {
    if (v.status !== "draft" && v.basedOnId && draftIds.has(v.basedOnId)) {
      problems.push(`schemeVersions[${index}].basedOnId: an ${v.status} version cannot be based on the draft`);
    }
  });
  for (const [field, message] of [
    ["parentId", "the bodies' parents go round in a circle"],
    ["columnId", "the bodies' matrix columns go round in a circle"],
  ] as const) {
    for (const index of cycleMembers(doc.governanceBodies, field)) problems.push(`governanceBodies[${index}].${field}: ${message}`);
  }
  for (const index of cycleMembers(doc.schemeVersions, "basedOnId")) {
    problems.push(`schemeVersions[${index}].basedOnId: the versions' "based on" links go round in a circle`);
  }
  return problems;
}

/** Indexes of rows whose chain of `field` links comes back to itself. */
function cycleMembers<T extends { id: string }>(rows: T[], field: keyof T): number[] {
  const next = new Map(rows.map((row) => [row.id, row[field] as string | null]));
  return rows.flatMap((row, index) => {
    let current = next.get(row.id) ?? null;
    for (let steps = 0; current !== null && steps <= rows.length; steps++) {
      if (current === row.id) return [index];
      current = next.get(current) ?? null;
    }
    return [];
  });
}

/** Checks a whole document, reporting every problem with its place, before anything is written. */
export function parseBackup(document: unknown): TrustBackup {
  if (typeof document !== "object" || document === null || Array.isArray(document)) {
    throw new InvalidBackupError(["(the document): expected a backup (a JSON object)"]);
  }
  const { format, formatVersion } = document as Record<string, unknown>;
  if (format !== BACKUP_FORMAT) {
    throw new InvalidBackupError([`format: expected "${BACKUP_FORMAT}" (this file is not a backup of a trust)`]);
  }
  if (formatVersion === undefined) throw new InvalidBackupError(["formatVersion: missing"]);
  if (!READABLE_FORMAT_VERSIONS.includes(formatVersion as number)) {
    throw new InvalidBackupError([
      `formatVersion: this backup is in format version ${JSON.stringify(formatVersion)}, and this version of the app reads versions ${READABLE_FORMAT_VERSIONS.join(" and ")}`,
    ]);
  }
  // A backup is a file for people who read JSON: its problems are named in the validator's exact
  // terms, whatever wording the forms of this process use (app/form-errors.ts).
  const exactWords = { error: z.locales.en().localeError };
  const parsed = formatVersion === 1 ? backupSchemaV1.safeParse(document, exactWords) : backupSchema.safeParse(document, exactWords);
  if (!parsed.success) {
    throw new InvalidBackupError(
      parsed.error.issues.map((issue) => {
        const message =
          issue.code === "unrecognized_keys"
            ? `unknown ${issue.keys.length === 1 ? "field" : "fields"} ${issue.keys.map((k) => `"${k}"`).join(", ")}`
            : issue.message;
        return `${jsonPath(issue.path)}: ${message}`;
      }),
    );
  }
  const doc: TrustBackup =
    parsed.data.formatVersion === 1
      ? { ...parsed.data, formatVersion: BACKUP_FORMAT_VERSION, trust: { ...parsed.data.trust, lastVersionNumber: numbersGiven(parsed.data) } }
      : (parsed.data as TrustBackup);
  const problems = [...nullCharacters(doc), ...checkReferences(doc)];
  if (problems.length > 0) throw new InvalidBackupError(problems);
  return doc;
}

/** The database cannot keep the null character (U+0000) in text: every string holding one, by its place. */
function nullCharacters(value: unknown, path: PropertyKey[] = []): string[] {
  if (typeof value === "string") return value.includes("\u0000") ? [`${jsonPath(path)}: holds a null character (U+0000), which cannot be restored`] : [];
  if (Array.isArray(value)) return value.flatMap((item, i) => nullCharacters(item, [...path, i]));
  if (value && typeof value === "object") {
    return Object.entries(value).flatMap(([key, item]) => [
      ...(key.includes("\u0000") ? [`${jsonPath(path)}: a field's name holds a null character (U+0000), which cannot be restored`] : []),
      ...nullCharacters(item, [...path, key]),
    ]);
  }
  return [];
}

/**
 * The highest version number a format-1 file shows the trust has given: its versions', and those of the
 * drafts its history says were started or discarded (as migration 0006 counted them).
 */
function numbersGiven(doc: Omit<TrustBackup, "formatVersion" | "trust">): number {
  const numbers = doc.schemeVersions.map((v) => v.number);
  for (const entry of doc.auditLog) {
    if (entry.entity !== "version") continue;
    const side = entry.action === "create" ? entry.after : entry.action === "delete" ? entry.before : null;
    const number = (side as { number?: unknown } | null)?.number;
    if (typeof number === "number" && Number.isInteger(number) && number > 0 && number <= 2_147_483_647) numbers.push(number);
  }
  return Math.max(0, ...numbers);
}
