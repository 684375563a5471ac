/**
 * The history of a version (every audit entry recorded against it), of one row of the matrix
 * (every entry about that responsibility, in whichever version) or of the whole trust (every entry
 * of the trust, also filtered by the kind of change): newest first, a page at a time, by who made
 * the change and between which days. Always within one trust.
 *
 * Pages are found from where the last one ended (the entry's time and id), never by counting
 * entries to skip, so a deep page costs what the first does and an entry recorded meanwhile
 * neither repeats nor hides one on the next page.
 */
import { sql, type SQL } from "drizzle-orm";
import type { Database } from "../../db/client";
import { auditLog, responsibilities, schemeVersions } from "../../db/schema";
import { auditValueInWords } from "../domain/audit-words";
import { HISTORY_KIND_NAMES, entitiesOfKind, historyKindOf, parseHistoryKind, type HistoryKind } from "../domain/history-kinds";
import { COMMAND_LINE } from "./audit.server";
import { queryJsonKept } from "./json-query.server";

export const HISTORY_PAGE_SIZE = 50;

/**
 * Whose history: a version's (found by its number), a row's across every version, or the whole
 * trust's. A version or row is looked up in the same statement as the page, and the page is empty
 * when the trust has no such one.
 */
export type HistoryScope =
  | { trustId: string; versionNumber: number }
  | { trustId: string; responsibilityId: string }
  | { trustId: string; wholeTrust: true };

/** The version or row whose history it is (or the trust), as the page's statement found it. */
export type HistorySubject<S extends HistoryScope> = S extends { versionNumber: number }
  ? { id: string; number: number; status: string }
  : S extends { responsibilityId: string }
    ? { id: string; ref: string; title: string }
    : { id: string };

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
  /** Only changes of this kind (the whole trust's history only). */
  kind: HistoryKind | null;
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

type FilterField = "person" | "from" | "to" | "kind";
export type HistoryErrors = Partial<Record<FilterField | "page", string>>;
/** The filter as typed: person, from and to, and kind where the page filters by kind. */
export type HistoryFiltersTyped = Record<"person" | "from" | "to", string> & { kind?: string };

export type ParsedHistoryQuery = { ok: true; query: HistoryQuery } | { ok: false; errors: HistoryErrors; filters: HistoryFiltersTyped };

/**
 * Reads the history page's address: ?person=&from=&to= (and ?kind= where `kinds` is set) and at
 * most one of ?before= and ?after=. What cannot be read is refused with a message for its field,
 * and nothing is looked up.
 */
export function parseHistoryQuery(params: URLSearchParams, options: { kinds?: boolean } = {}): ParsedHistoryQuery {
  const raw: HistoryFiltersTyped = {
    person: (params.get("person") ?? "").trim(),
    from: (params.get("from") ?? "").trim(),
    to: (params.get("to") ?? "").trim(),
    ...(options.kinds ? { kind: (params.get("kind") ?? "").trim() } : {}),
  };
  const errors: HistoryErrors = {};
  if (raw.person.length > 200 || /[\u0000-\u001f]/.test(raw.person)) errors.person = "Choose a person from the list";
  const from = raw.from === "" ? null : calendarDay(raw.from);
  const to = raw.to === "" ? null : calendarDay(raw.to);
  if (raw.from !== "" && !from) errors.from = "Give the first day as a date, e.g. 2026-09-01";
  if (raw.to !== "" && !to) errors.to = "Give the last day as a date, e.g. 2026-09-30";
  if (from && to && from > to) errors.to = "The last day must be on or after the first day";
  const kind = raw.kind ? parseHistoryKind(raw.kind) : null;
  if (raw.kind && !kind) errors.kind = "Choose a kind of change from the list";
  const beforeText = params.get("before");
  const afterText = params.get("after");
  const before = parseCursor(beforeText);
  const after = parseCursor(afterText);
  if ((beforeText && !before) || (afterText && !after) || (before && after)) {
    errors.page = "That page of the history could not be found; start again from the newest entries";
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors, filters: raw };
  return { ok: true, query: { filters: { person: raw.person === "" ? null : raw.person, from, to, kind }, before, after } };
}

const AT_TEXT = `'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'`;

/** The entries of the scope, as a condition on the audit_log alias `a`. */
function inScope(scope: HistoryScope, a: string): SQL {
  const t = sql.raw(a);
  if ("versionNumber" in scope) return sql`${t}.trust_id = ${scope.trustId}::uuid and ${t}.version_id = (select id from subject)`;
  if ("wholeTrust" in scope) return sql`${t}.trust_id = ${scope.trustId}::uuid`;
  return sql`${t}.trust_id = ${scope.trustId}::uuid and ${t}.responsibility_id is not null and ${t}.responsibility_id = ${scope.responsibilityId}::uuid`;
}

/** The filter, as conditions on the audit_log alias `a` (each starting with "and"). */
function filtered(filters: HistoryFilters, a: string): SQL {
  const t = sql.raw(a);
  const parts: SQL[] = [];
  if (filters.person) {
    parts.push(
      UUID.test(filters.person)
        ? sql` and ${t}.user_id = ${filters.person}::uuid`
        : sql` and ${t}.user_id is null and ${t}.actor = ${filters.person}::text`,
    );
  }
  // Days are days in England: midnight there, whatever the server's time zone.
  if (filters.from) parts.push(sql` and ${t}.at >= (${filters.from}::date)::timestamp at time zone 'Europe/London'`);
  if (filters.to) parts.push(sql` and ${t}.at < (${filters.to}::date + 1)::timestamp at time zone 'Europe/London'`);
  if (filters.kind) {
    parts.push(sql` and ${t}.entity in (${sql.join(entitiesOfKind(filters.kind).map((entity) => sql`${entity}::text`), sql`, `)})`);
  }
  return sql.join(parts);
}

/** What the scope is of: the version (looked up by its number) or the row, or nothing when the trust has none such. */
function subjectCte(scope: HistoryScope): SQL {
  if ("wholeTrust" in scope) return sql`subject as (select ${scope.trustId}::uuid as id)`;
  return "versionNumber" in scope
    ? sql`subject as (select v.id, v.number, v.status from ${schemeVersions} v where v.trust_id = ${scope.trustId}::uuid and v.number = ${scope.versionNumber}::int)`
    : sql`subject as (select r.id, r.ref, r.title from ${responsibilities} r where r.trust_id = ${scope.trustId}::uuid and r.id = ${scope.responsibilityId}::uuid)`;
}

function subjectJson(scope: HistoryScope): SQL {
  if ("wholeTrust" in scope) return sql`(select json_build_object('id', id) from subject)`;
  return "versionNumber" in scope
    ? sql`(select json_build_object('id', id, 'number', number, 'status', status) from subject)`
    : sql`(select json_build_object('id', id, 'ref', ref, 'title', title) from subject)`;
}

/**
 * Everyone who appears in the history (for the filter). People are found by skipping from one user
 * id to the next along the index (a handful of lookups, however many entries each made), each named
 * as their latest entry names them; entries with no user (the command line, a deleted person) are
 * grouped by the name they were recorded under.
 */
function peopleCtes(scope: HistoryScope): SQL {
  if ("wholeTrust" in scope) return trustPeopleCtes(scope.trustId);
  const a = (alias: string) => inScope(scope, alias);
  return sql`people(user_id) as (
      (select a.user_id from ${auditLog} a where ${a("a")} and a.user_id is not null order by a.user_id limit 1)
      union all
      select (select a.user_id from ${auditLog} a where ${a("a")} and a.user_id > p.user_id order by a.user_id limit 1)
      from people p where p.user_id is not null
    ), named as (
      select p.user_id,
        (select a.actor from ${auditLog} a where ${a("a")} and a.user_id = p.user_id order by a.at desc, a.id desc limit 1) as actor
      from people p where p.user_id is not null
      union all
      select distinct null::uuid, a.actor from ${auditLog} a where ${a("a")} and a.user_id is null
    )`;
}

/**
 * Everyone who appears in the whole trust's history, found along the same index as a version's
 * people: first the versions that have entries (skipping from one version id to the next), then
 * the people of each version and of the entries of no version (skipping from one user id to the
 * next), each named as their latest entry names them. Entries with no user are grouped by the name
 * they were recorded under.
 */
function trustPeopleCtes(trustId: string): SQL {
  const t = sql`a.trust_id = ${trustId}::uuid`;
  return sql`versions(version_id) as (
      (select a.version_id from ${auditLog} a where ${t} and a.version_id is not null order by a.version_id limit 1)
      union all
      select (select a.version_id from ${auditLog} a where ${t} and a.version_id > v.version_id order by a.version_id limit 1)
      from versions v where v.version_id is not null
    ), versioned(version_id, user_id) as (
      select v.version_id,
        (select a.user_id from ${auditLog} a where ${t} and a.version_id = v.version_id and a.user_id is not null order by a.user_id limit 1)
      from versions v where v.version_id is not null
      union all
      select p.version_id,
        (select a.user_id from ${auditLog} a where ${t} and a.version_id = p.version_id and a.user_id > p.user_id order by a.user_id limit 1)
      from versioned p where p.user_id is not null
    ), unversioned(user_id) as (
      (select a.user_id from ${auditLog} a where ${t} and a.version_id is null and a.user_id is not null order by a.user_id limit 1)
      union all
      select (select a.user_id from ${auditLog} a where ${t} and a.version_id is null and a.user_id > p.user_id order by a.user_id limit 1)
      from unversioned p where p.user_id is not null
    ), latest(user_id, at, id, actor) as (
      select p.user_id, l.at, l.id, l.actor from versioned p
      cross join lateral (select a.at, a.id, a.actor from ${auditLog} a
        where ${t} and a.version_id = p.version_id and a.user_id = p.user_id order by a.at desc, a.id desc limit 1) l
      where p.user_id is not null
      union all
      select p.user_id, l.at, l.id, l.actor from unversioned p
      cross join lateral (select a.at, a.id, a.actor from ${auditLog} a
        where ${t} and a.version_id is null and a.user_id = p.user_id order by a.at desc, a.id desc limit 1) l
      where p.user_id is not null
    ), named(user_id, actor) as (
      (select distinct on (user_id) user_id, actor from latest order by user_id, at desc, id desc)
      union all
      select distinct null::uuid, a.actor from ${auditLog} a where ${t} and a.user_id is null
    )`;
}

interface PageRows {
  subject: unknown;
  people: { userId: string | null; actor: string }[];
  /** Up to one more than a page, newest first. */
  entries?: HistoryEntry[];
  /** Whether there are entries on the far side of the page from the one it was asked from. */
  beyond?: boolean;
}

/**
 * The whole page in one statement (the scope's version or row, the people, one page of entries and
 * whether there are more either side), so that a page costs one round trip. Its text depends only on
 * which filters are set, never on their values, so the statement is prepared once per shape (on the
 * embedded database too: queryJsonKept), and its plan kept.
 */
async function readHistory(db: Database, scope: HistoryScope, query: HistoryQuery | null, pageSize: number): Promise<PageRows> {
  const parts: SQL[] = [sql`'subject', ${subjectJson(scope)}`, sql`'people', (select coalesce(json_agg(json_build_object('userId', user_id, 'actor', actor)), '[]'::json) from named)`];
  const ctes: SQL[] = [subjectCte(scope), peopleCtes(scope)];
  if (query) {
    const forward = query.after === null; // newest first, from the top or from `before`
    const cursor = query.before
      ? sql` and (a.at, a.id) < (${query.before.at}::timestamptz, ${query.before.id}::bigint)`
      : query.after
        ? sql` and (a.at, a.id) > (${query.after.at}::timestamptz, ${query.after.id}::bigint)`
        : sql``;
    ctes.push(sql`page as (
      select a.id, a.at, a.user_id, a.actor, a.action, a.entity, a.summary, a.before, a.after, a.version_id, a.responsibility_id
      from ${auditLog} a
      where ${inScope(scope, "a")}${filtered(query.filters, "a")}${cursor}
      order by ${forward ? sql`a.at desc, a.id desc` : sql`a.at asc, a.id asc`}
      limit ${pageSize + 1}::int
    )`);
    parts.push(sql`'entries', (select coalesce(json_agg(json_build_object(
        'id', p.id, 'at', to_char(p.at at time zone 'UTC', ${sql.raw(AT_TEXT)}), 'userId', p.user_id, 'actor', p.actor,
        'action', p.action, 'entity', p.entity, 'summary', p.summary, 'before', p.before, 'after', p.after, 'versionNumber', v.number,
        'row', case when r.id is null then null else json_build_object('id', r.id, 'ref', r.ref, 'title', r.title) end
      ) order by p.at desc, p.id desc), '[]'::json)
      from page p
      left join ${schemeVersions} v on v.trust_id = ${scope.trustId}::uuid and v.id = p.version_id
      left join ${responsibilities} r on r.trust_id = ${scope.trustId}::uuid and r.id = p.responsibility_id)`);
    // The side the page came from is known by the extra entry; the other side by asking for one
    // entry. Nothing lies between the cursor and the nearest entry of the page, so "newer than the
    // page's newest entry" is "at or after the cursor" (and "older than its oldest" "at or before").
    const beyond = query.before
      ? sql` and (a.at, a.id) >= (${query.before.at}::timestamptz, ${query.before.id}::bigint) order by a.at asc, a.id asc`
      : query.after
        ? sql` and (a.at, a.id) <= (${query.after.at}::timestamptz, ${query.after.id}::bigint) order by a.at desc, a.id desc`
        : null;
    parts.push(
      beyond
        ? sql`'beyond', exists(select 1 from ${auditLog} a where ${inScope(scope, "a")}${filtered(query.filters, "a")}${beyond} limit 1)`
        : sql`'beyond', false`,
    );
  }
  const rows = await queryJsonKept<PageRows>(db, sql`with recursive ${sql.join(ctes, sql`, `)} select json_build_object(${sql.join(parts, sql`, `)}) as result`);
  return rows ?? { subject: null, people: [] };
}

function pageOf(rows: PageRows, query: HistoryQuery, pageSize: number): HistoryPage {
  const all = rows.entries ?? [];
  const forward = query.after === null;
  const more = all.length > pageSize;
  // Newest first either way: the extra entry is the oldest going back, the newest coming forward.
  const entries: HistoryEntry[] = (more ? (forward ? all.slice(0, pageSize) : all.slice(all.length - pageSize)) : all).map((e) => ({
    ...e,
    id: Number(e.id),
  }));
  const first = entries[0];
  const last = entries[entries.length - 1];
  if (!first || !last) return { entries, older: null, newer: null };
  const hasOlder = forward ? more : Boolean(rows.beyond);
  const hasNewer = forward ? Boolean(rows.beyond) : more;
  return { entries, older: hasOlder ? encodeCursor(last) : null, newer: hasNewer ? encodeCursor(first) : null };
}

function peopleOf(rows: PageRows): HistoryPerson[] {
  return rows.people
    .map((r) => ({ value: r.userId ?? r.actor, name: r.actor }))
    .sort((a, b) => {
      const last = (p: HistoryPerson) => (p.value === COMMAND_LINE.name ? 1 : 0);
      return last(a) - last(b) || a.name.localeCompare(b.name, "en-GB");
    });
}

/** One page of the history, newest first, with the cursors of the pages either side. */
export async function listHistory(db: Database, scope: HistoryScope, query: HistoryQuery, pageSize = HISTORY_PAGE_SIZE): Promise<HistoryPage> {
  return pageOf(await readHistory(db, scope, query, pageSize), query, pageSize);
}

/** Everyone who appears in the history (for the filter), by name; the command line last. */
export async function historyPeople(db: Database, scope: HistoryScope): Promise<HistoryPerson[]> {
  return peopleOf(await readHistory(db, scope, null, HISTORY_PAGE_SIZE));
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
  filters: HistoryFiltersTyped;
  errors: HistoryErrors;
  people: HistoryPerson[];
  entries: {
    id: number;
    at: string;
    when: string;
    who: string;
    /** The kind of change, by name (the whole trust's history only; null for an entry of no kind listed). */
    kind?: string | null;
    summary: string;
    before: string | null;
    after: string | null;
    versionNumber: number | null;
    row: { id: string; ref: string; title: string } | null;
  }[];
  older: string | null;
  newer: string | null;
}

function kindName(entity: string): string | null {
  const kind = historyKindOf(entity);
  return kind ? HISTORY_KIND_NAMES[kind] : null;
}

/**
 * A history page from its address, with the version or row it belongs to (null when the trust has
 * none such: the page is then not found). `ok` is false when the filter or page could not be read,
 * and the view then lists no entries, only the messages (and the people, to choose again).
 * Everything comes from one statement.
 */
export async function historyPageView<S extends HistoryScope>(
  db: Database,
  scope: S,
  params: URLSearchParams,
): Promise<{ subject: HistorySubject<S> | null; ok: boolean; view: HistoryPageView }> {
  if ("responsibilityId" in scope && !UUID.test(scope.responsibilityId)) {
    return { subject: null, ok: false, view: { filters: { person: "", from: "", to: "" }, errors: {}, people: [], entries: [], older: null, newer: null } };
  }
  const wholeTrust = "wholeTrust" in scope;
  const parsed = parseHistoryQuery(params, { kinds: wholeTrust });
  if (!parsed.ok) {
    const rows = await readHistory(db, scope, null, HISTORY_PAGE_SIZE);
    const view: HistoryPageView = { filters: parsed.filters, errors: parsed.errors, people: peopleOf(rows), entries: [], older: null, newer: null };
    return { subject: rows.subject as HistorySubject<S> | null, ok: false, view };
  }
  const { query } = parsed;
  const rows = await readHistory(db, scope, query, HISTORY_PAGE_SIZE);
  const page = pageOf(rows, query, HISTORY_PAGE_SIZE);
  return {
    subject: rows.subject as HistorySubject<S> | null,
    ok: true,
    view: {
      filters: {
        person: query.filters.person ?? "",
        from: query.filters.from ?? "",
        to: query.filters.to ?? "",
        ...(wholeTrust ? { kind: query.filters.kind ?? "" } : {}),
      },
      errors: {},
      people: peopleOf(rows),
      entries: page.entries.map((e) => ({
        id: e.id,
        at: e.at,
        when: LONDON.format(new Date(e.at)),
        who: e.actor,
        ...(wholeTrust ? { kind: kindName(e.entity) } : {}),
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
