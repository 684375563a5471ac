/**
 * The history of a version (every audit entry recorded against it) or of one row of the matrix
 * (every entry about that responsibility, in whichever version): newest first, a page at a time,
 * by who made the change and between which days. Always within one trust.
 *
 * Pages are found from where the last one ended (the entry's time and id), never by counting
 * entries to skip, so a deep page costs what the first does and an entry recorded meanwhile
 * neither repeats nor hides one on the next page.
 */
import { and, asc, desc, eq, isNotNull, isNull, sql, type SQL } from "drizzle-orm";
import type { Database } from "../../db/client";
import { auditLog, responsibilities, schemeVersions } from "../../db/schema";
import { auditValueInWords } from "../domain/audit-words";
import { COMMAND_LINE } from "./audit.server";
import { queryJson } from "./json-query.server";

export const HISTORY_PAGE_SIZE = 50;

/** Whose history: a version's, or a row's across every version. */
export type HistoryScope = { trustId: string; versionId: string } | { trustId: string; responsibilityId: string };

/** Where a page starts: the time (to the microsecond, as PostgreSQL keeps it) and id of an entry. */
export interface HistoryCursor {
  at: string;
  id: number;
}

export interface HistoryFilters {
  /** A person's user id, or the name an entry was recorded under when it has no user ("command line"). */
  person: string | null;
  /** The first and last days shown (YYYY-MM-DD, days in England), either may be open. */
  from: string | null;
  to: string | null;
}

export interface HistoryQuery {
  filters: HistoryFilters;
  /** Entries older than this one (the "Older entries" link), or newer (the "Newer entries" link). */
  before: HistoryCursor | null;
  after: HistoryCursor | null;
}

export interface HistoryEntry {
  id: number;
  /** When, as an ISO time in UTC with microseconds. */
  at: string;
  userId: string | null;
  actor: string;
  action: string;
  entity: string;
  summary: string;
  before: unknown;
  after: unknown;
  /** The version the entry belongs to, if any. */
  versionNumber: number | null;
  /** The row it concerns, if any. */
  row: { id: string; ref: string; title: string } | null;
}

export interface HistoryPage {
  entries: HistoryEntry[];
  /** Cursors for the next older and the next newer page; null when there is none. */
  older: string | null;
  newer: string | null;
}

export interface HistoryPerson {
  /** What the filter sends: the user id, or the recorded name of an entry with no user. */
  value: string;
  name: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A cursor as it travels in a link: "<time>_<id>". */
export function encodeCursor(cursor: HistoryCursor): string {
  return `${cursor.at}_${cursor.id}`;
}

export function parseCursor(text: string | null): HistoryCursor | null {
  if (!text) return null;
  const match = /^(.+)_(\d{1,18})$/.exec(text);
  if (!match || !ISO_TIME.test(match[1]!) || Number.isNaN(Date.parse(match[1]!))) return null;
  const id = Number(match[2]);
  return Number.isSafeInteger(id) ? { at: match[1]!, id } : null;
}

/** A real calendar day written YYYY-MM-DD, or null. */
function calendarDay(text: string): string | null {
  const match = DAY.exec(text);
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (year < 1900 || year > 2999 || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return text;
}

export type ParsedHistoryQuery =
  | { ok: true; query: HistoryQuery }
  | { ok: false; errors: Partial<Record<"person" | "from" | "to" | "page", string>>; filters: Record<"person" | "from" | "to", string> };

/**
 * Reads the history page's address: ?person=&from=&to= and at most one of ?before= and ?after=.
 * What cannot be read is refused with a message for its field, and nothing is looked up.
 */
export function parseHistoryQuery(params: URLSearchParams): ParsedHistoryQuery {
  const raw = {
    person: (params.get("person") ?? "").trim(),
    from: (params.get("from") ?? "").trim(),
    to: (params.get("to") ?? "").trim(),
  };
  const errors: Partial<Record<"person" | "from" | "to" | "page", string>> = {};
  if (raw.person.length > 200) errors.person = "Choose a person from the list";
  const from = raw.from === "" ? null : calendarDay(raw.from);
  const to = raw.to === "" ? null : calendarDay(raw.to);
  if (raw.from !== "" && !from) errors.from = "Give the first day as a date, e.g. 2026-09-01";
  if (raw.to !== "" && !to) errors.to = "Give the last day as a date, e.g. 2026-09-30";
  if (from && to && from > to) errors.to = "The last day must be on or after the first day";
  const beforeText = params.get("before");
  const afterText = params.get("after");
  const before = parseCursor(beforeText);
  const after = parseCursor(afterText);
  if ((beforeText && !before) || (afterText && !after) || (before && after)) {
    errors.page = "That page of the history could not be found; start again from the newest entries";
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors, filters: raw };
  return { ok: true, query: { filters: { person: raw.person === "" ? null : raw.person, from, to }, before, after } };
}

function scopeCondition(scope: HistoryScope): SQL {
  return "versionId" in scope
    ? and(eq(auditLog.trustId, scope.trustId), eq(auditLog.versionId, scope.versionId))!
    : and(eq(auditLog.trustId, scope.trustId), isNotNull(auditLog.responsibilityId), eq(auditLog.responsibilityId, scope.responsibilityId))!;
}

function filterConditions(filters: HistoryFilters): SQL[] {
  const conditions: SQL[] = [];
  if (filters.person) {
    conditions.push(
      UUID.test(filters.person)
        ? eq(auditLog.userId, filters.person)
        : and(isNull(auditLog.userId), eq(auditLog.actor, filters.person))!,
    );
  }
  // Days are days in England: midnight there, whatever the server's time zone.
  if (filters.from) conditions.push(sql`${auditLog.at} >= (${filters.from}::date)::timestamp at time zone 'Europe/London'`);
  if (filters.to) conditions.push(sql`${auditLog.at} < (${filters.to}::date + 1)::timestamp at time zone 'Europe/London'`);
  return conditions;
}

const atText = sql<string>`to_char(${auditLog.at} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

const olderThan = (c: HistoryCursor) => sql`(${auditLog.at}, ${auditLog.id}) < (${c.at}::timestamptz, ${c.id}::bigint)`;
const newerThan = (c: HistoryCursor) => sql`(${auditLog.at}, ${auditLog.id}) > (${c.at}::timestamptz, ${c.id}::bigint)`;

/** One page of the history, newest first, with the cursors of the pages either side. */
export async function listHistory(db: Database, scope: HistoryScope, query: HistoryQuery, pageSize = HISTORY_PAGE_SIZE): Promise<HistoryPage> {
  const base = [scopeCondition(scope), ...filterConditions(query.filters)];
  const forward = query.after === null; // newest first, from the top or from `before`
  const where = and(...base, ...(query.before ? [olderThan(query.before)] : []), ...(query.after ? [newerThan(query.after)] : []));
  const rows = await db
    .select({
      id: auditLog.id,
      at: atText,
      userId: auditLog.userId,
      actor: auditLog.actor,
      action: auditLog.action,
      entity: auditLog.entity,
      summary: auditLog.summary,
      before: auditLog.before,
      after: auditLog.after,
      versionNumber: schemeVersions.number,
      rowId: responsibilities.id,
      rowRef: responsibilities.ref,
      rowTitle: responsibilities.title,
    })
    .from(auditLog)
    .leftJoin(schemeVersions, and(eq(schemeVersions.trustId, auditLog.trustId), eq(schemeVersions.id, auditLog.versionId)))
    .leftJoin(responsibilities, and(eq(responsibilities.trustId, auditLog.trustId), eq(responsibilities.id, auditLog.responsibilityId)))
    .where(where)
    .orderBy(...(forward ? [desc(auditLog.at), desc(auditLog.id)] : [asc(auditLog.at), asc(auditLog.id)]))
    .limit(pageSize + 1);

  const more = rows.length > pageSize;
  const page = rows.slice(0, pageSize);
  if (!forward) page.reverse();
  const entries: HistoryEntry[] = page.map((r) => ({
    id: Number(r.id),
    at: r.at,
    userId: r.userId,
    actor: r.actor,
    action: r.action,
    entity: r.entity,
    summary: r.summary,
    before: r.before,
    after: r.after,
    versionNumber: r.versionNumber,
    row: r.rowId ? { id: r.rowId, ref: r.rowRef!, title: r.rowTitle! } : null,
  }));
  const first = entries[0];
  const last = entries[entries.length - 1];
  if (!first || !last) return { entries, older: null, newer: null };

  // The side the page came from is known by the extra row; the other side by asking for one entry.
  const exists = async (condition: SQL) =>
    (await db.select({ id: auditLog.id }).from(auditLog).where(and(...base, condition)).limit(1)).length > 0;
  const hasOlder = forward ? more : await exists(olderThan(last));
  const hasNewer = forward ? query.before !== null && (await exists(newerThan(first))) : more;
  return {
    entries,
    older: hasOlder ? encodeCursor(last) : null,
    newer: hasNewer ? encodeCursor(first) : null,
  };
}

/**
 * Everyone who appears in the history (for the filter), by name; the command line last. People are
 * found by skipping from one user id to the next along the index (a handful of lookups, however
 * many entries each made), each named as their latest entry names them; entries with no user (the
 * command line, a deleted person) are grouped by the name they were recorded under.
 */
export async function historyPeople(db: Database, scope: HistoryScope): Promise<HistoryPerson[]> {
  const inScope = (alias: string) =>
    "versionId" in scope
      ? sql`${sql.raw(alias)}.trust_id = ${scope.trustId}::uuid and ${sql.raw(alias)}.version_id = ${scope.versionId}::uuid`
      : sql`${sql.raw(alias)}.trust_id = ${scope.trustId}::uuid and ${sql.raw(alias)}.responsibility_id is not null and ${sql.raw(alias)}.responsibility_id = ${scope.responsibilityId}::uuid`;
  const rows = await queryJson<{ userId: string | null; actor: string }[]>(
    db,
    sql`with recursive people(user_id) as (
      (select a.user_id from ${auditLog} a where ${inScope("a")} and a.user_id is not null order by a.user_id limit 1)
      union all
      select (select a.user_id from ${auditLog} a where ${inScope("a")} and a.user_id > p.user_id order by a.user_id limit 1)
      from people p where p.user_id is not null
    ), named as (
      select p.user_id,
        (select a.actor from ${auditLog} a where ${inScope("a")} and a.user_id = p.user_id order by a.at desc, a.id desc limit 1) as actor
      from people p where p.user_id is not null
      union all
      select distinct null::uuid, a.actor from ${auditLog} a where ${inScope("a")} and a.user_id is null
    )
    select coalesce(json_agg(json_build_object('userId', user_id, 'actor', actor)), '[]'::json) as result from named`,
  );
  return (rows ?? [])
    .map((r) => ({ value: r.userId ?? r.actor, name: r.actor }))
    .sort((a, b) => {
      const last = (p: HistoryPerson) => (p.value === COMMAND_LINE.name ? 1 : 0);
      return last(a) - last(b) || a.name.localeCompare(b.name, "en-GB");
    });
}

const LONDON = new Intl.DateTimeFormat("en-GB", {
  timeZone: "Europe/London",
  day: "numeric",
  month: "short",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
});

/** What a history page shows: the filter as typed, its problems, the people to choose from and one page of entries in words. */
export interface HistoryPageView {
  filters: { person: string; from: string; to: string };
  errors: Partial<Record<"person" | "from" | "to" | "page", string>>;
  people: HistoryPerson[];
  entries: {
    id: number;
    at: string;
    when: string;
    who: string;
    summary: string;
    before: string | null;
    after: string | null;
    versionNumber: number | null;
    row: { id: string; ref: string; title: string } | null;
  }[];
  older: string | null;
  newer: string | null;
}

/**
 * A history page from its address: `ok` is false when the filter or page could not be read, and
 * the view then lists no entries, only the messages (and the people, to choose again).
 */
export async function historyPageView(db: Database, scope: HistoryScope, params: URLSearchParams): Promise<{ ok: boolean; view: HistoryPageView }> {
  const parsed = parseHistoryQuery(params);
  if (!parsed.ok) {
    const people = await historyPeople(db, scope);
    return { ok: false, view: { filters: parsed.filters, errors: parsed.errors, people, entries: [], older: null, newer: null } };
  }
  const { query } = parsed;
  const [page, people] = await Promise.all([listHistory(db, scope, query), historyPeople(db, scope)]);
  return {
    ok: true,
    view: {
      filters: { person: query.filters.person ?? "", from: query.filters.from ?? "", to: query.filters.to ?? "" },
      errors: {},
      people,
      entries: page.entries.map((e) => ({
        id: e.id,
        at: e.at,
        when: LONDON.format(new Date(e.at)),
        who: e.actor,
        summary: e.summary,
        before: auditValueInWords(e.before),
        after: auditValueInWords(e.after),
        versionNumber: e.versionNumber,
        row: e.row,
      })),
      older: page.older,
      newer: page.newer,
    },
  };
}
