/**
 * A history of changes as the history pages show it: a filter by person and days, and on the whole
 * trust's history by kind of change (an ordinary GET form, so it works before any JavaScript loads),
 * the entries newest first, and links to the older and newer pages that keep the filter.
 */
import { Form, Link } from "@remix-run/react";
import { ErrorList } from "./forms";

export interface HistoryRow {
  id: number;
  /** ISO time, for the <time> element. */
  at: string;
  /** The same time in words, in England. */
  when: string;
  who: string;
  /** The kind of change by name (the whole trust's history only). */
  kind?: string | null;
  summary: string;
  before: string | null;
  after: string | null;
  versionNumber: number | null;
  row: { id: string; ref: string; title: string } | null;
}

export interface HistoryView {
  filters: { person: string; from: string; to: string; kind?: string };
  errors: Partial<Record<"person" | "from" | "to" | "kind" | "page", string>>;
  people: { value: string; name: string }[];
  entries: HistoryRow[];
  older: string | null;
  newer: string | null;
}

function pageHref(path: string, filters: HistoryView["filters"], cursor: { before?: string; after?: string }): string {
  const params = new URLSearchParams();
  if (filters.person) params.set("person", filters.person);
  if (filters.from) params.set("from", filters.from);
  if (filters.to) params.set("to", filters.to);
  if (filters.kind) params.set("kind", filters.kind);
  if (cursor.before) params.set("before", cursor.before);
  if (cursor.after) params.set("after", cursor.after);
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}

export function HistoryFilter({
  view,
  caption,
  path,
  kinds,
}: {
  view: HistoryView;
  caption: string;
  path: string;
  /** The kinds of change to choose from (the whole trust's history only). */
  kinds?: { value: string; label: string }[];
}) {
  const { filters, errors, people } = view;
  const field = (name: "from" | "to", label: string) => (
    <div className="field" data-invalid={errors[name] ? "" : undefined}>
      <label htmlFor={`history-${name}`}>{label}</label>
      <ErrorList id={`history-${name}-error`} errors={errors[name] ? [errors[name]!] : null} />
      <input
        id={`history-${name}`}
        type="date"
        name={name}
        defaultValue={filters[name]}
        aria-invalid={errors[name] ? true : undefined}
        aria-describedby={errors[name] ? `history-${name}-error` : undefined}
      />
    </div>
  );
  return (
    <Form method="get" action={path} className="history-filter" aria-label={caption}>
      <div className="field" data-invalid={errors.person ? "" : undefined}>
        <label htmlFor="history-person">Who</label>
        <ErrorList id="history-person-error" errors={errors.person ? [errors.person] : null} />
        <select id="history-person" name="person" defaultValue={filters.person} aria-describedby={errors.person ? "history-person-error" : undefined}>
          <option value="">Everyone</option>
          {people.map((p) => (
            <option key={p.value} value={p.value}>
              {p.name}
            </option>
          ))}
        </select>
      </div>
      {kinds ? (
        <div className="field" data-invalid={errors.kind ? "" : undefined}>
          <label htmlFor="history-kind">Kind of change</label>
          <ErrorList id="history-kind-error" errors={errors.kind ? [errors.kind] : null} />
          <select
            id="history-kind"
            name="kind"
            defaultValue={filters.kind ?? ""}
            aria-invalid={errors.kind ? true : undefined}
            aria-describedby={errors.kind ? "history-kind-error" : undefined}
          >
            <option value="">Every kind</option>
            {kinds.map((k) => (
              <option key={k.value} value={k.value}>
                {k.label}
              </option>
            ))}
          </select>
        </div>
      ) : null}
      {field("from", "From (first day)")}
      {field("to", "To (last day)")}
      <div className="history-filter__buttons">
        <button type="submit">Show the changes</button>
        <Link to={path}>Clear</Link>
      </div>
    </Form>
  );
}

export function HistoryEntries({
  view,
  caption,
  path,
  showVersion,
  showRow,
  showKind = false,
}: {
  view: HistoryView;
  caption: string;
  path: string;
  showVersion: boolean;
  showRow: boolean;
  showKind?: boolean;
}) {
  const { entries, filters, older, newer, errors } = view;
  const filtered = Boolean(filters.person || filters.from || filters.to || filters.kind);
  return (
    <>
      {errors.page ? (
        <p className="form-error" role="alert">
          {errors.page}
        </p>
      ) : null}
      {entries.length === 0 ? (
        <p className="notice">{filtered ? "No changes match the filter." : "No changes have been recorded yet."}</p>
      ) : (
        <table className="data history">
          <caption>{caption}</caption>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Who</th>
              {showKind ? <th scope="col">Kind</th> : null}
              {showVersion ? <th scope="col">Version</th> : null}
              {showRow ? <th scope="col">Responsibility</th> : null}
              <th scope="col">What</th>
              <th scope="col">Before → after</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr key={e.id}>
                <td className="history__when">
                  <time dateTime={e.at}>{e.when}</time>
                </td>
                <td>{e.who}</td>
                {showKind ? <td>{e.kind ?? "—"}</td> : null}
                {showVersion ? <td>{e.versionNumber === null ? "—" : `Version ${e.versionNumber}`}</td> : null}
                {showRow ? <td>{e.row ? `${e.row.ref} ${e.row.title}` : "—"}</td> : null}
                <td className="history__what">{e.summary}</td>
                <td className="history__change">
                  {e.before === null && e.after === null ? (
                    "—"
                  ) : (
                    <>
                      <span className="history__before">{e.before ?? "nothing"}</span>
                      <span aria-hidden="true"> → </span>
                      <span className="visually-hidden"> became </span>
                      <span className="history__after">{e.after ?? "nothing"}</span>
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {newer || older ? (
        <nav className="history-pages" aria-label="Pages of the history">
          {newer ? <Link to={pageHref(path, filters, { after: newer })}>Newer entries</Link> : null}
          {older ? <Link to={pageHref(path, filters, { before: older })}>Older entries</Link> : null}
        </nav>
      ) : null}
    </>
  );
}
