import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useSubmit } from "@remix-run/react";
import { useCallback, useMemo, useState } from "react";
import { requireTrustAccess } from "~/auth.server";
import { FindingsPanel } from "~/components/findings-panel";
import { MatrixGrid, type FindingMarks, type Highlight } from "~/components/matrix-grid";
import { getDb } from "~/db.server";
import { areaName } from "~/domain/areas";
import { CODE_MEANINGS, DECISION_CODES } from "~/domain/codes";
import type { MatrixView } from "~/domain/matrix-view";
import type { FindingView } from "~/domain/rules/finding-view";
import { SEVERITIES, type Severity } from "~/domain/rules/types";
import { can } from "~/domain/roles";
import { loadMatrixPage } from "~/models/matrix-page.server";
import checksStyles from "~/styles/checks.css";
import matrixStyles from "~/styles/matrix.css";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: matrixStyles },
  { rel: "stylesheet", href: checksStyles },
];

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Version ${data.version.number} · Scheme of delegation` : "Scheme of delegation" },
];

function filtersFrom(url: URL) {
  const area = url.searchParams.get("area");
  const column = url.searchParams.get("column");
  return {
    area: area !== null && /^\d{1,2}$/.test(area) ? Number(area) : null,
    columnId: column && /^[0-9a-f-]{36}$/.test(column) ? column : null,
  };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { trust, role } = await requireTrustAccess(request, params.slug);
  const filters = filtersFrom(new URL(request.url));
  const page = await loadMatrixPage(await getDb(), trust, params.number, filters);
  if (!page) throw new Response("Not found", { status: 404 });
  const draft = page.versions.find((v) => v.status === "draft");
  return {
    ...page,
    slug: trust.slug,
    filters,
    editable: page.version.status === "draft" && can(role, "editDraft"),
    canStartDraft: !draft && can(role, "editDraft"),
    draftNumber: draft?.number ?? null,
  };
}

/**
 * The view, parsed once per JSON text: every reader of a kept matrix page (ADR 006) is handed the
 * same text, and the table built from the view is kept with it.
 */
let lastParsed: { text: string; view: MatrixView } | null = null;

function parsedView(text: string): MatrixView {
  if (lastParsed?.text !== text) lastParsed = { text, view: JSON.parse(text) as MatrixView };
  return lastParsed.view;
}

function formatDate(value: string | null): string {
  if (!value) return "";
  return new Date(value).toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
}

function Filters({ view }: { view: MatrixView }) {
  const { filters, areasInUse } = useLoaderData<typeof loader>();
  const submit = useSubmit();
  return (
    <Form method="get" className="matrix-filters" onChange={(e) => submit(e.currentTarget, { replace: true, preventScrollReset: true })}>
      <div className="field">
        <label htmlFor="filter-area">Area</label>
        <select id="filter-area" name="area" defaultValue={filters.area ?? ""}>
          <option value="">All areas</option>
          {areasInUse.map((a) => (
            <option key={a} value={a}>
              {a === 0 ? "Unclassified" : `${a}. ${areaName(a)}`}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="filter-column">Rows where this body has a role</label>
        <select id="filter-column" name="column" defaultValue={filters.columnId ?? ""}>
          <option value="">Any body</option>
          {view.columns.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </select>
      </div>
      <noscript>
        <button type="submit" className="secondary">
          Show
        </button>
      </noscript>
    </Form>
  );
}

/** The worst finding not yet acknowledged on each cell and row: acknowledged departures are not flagged. */
function marksOf(findings: FindingView[]): FindingMarks {
  const marks: FindingMarks = { cells: new Map(), rows: new Map() };
  const worse = (a: Severity | undefined, b: Severity) => (a && SEVERITIES.indexOf(a) <= SEVERITIES.indexOf(b) ? a : b);
  for (const f of findings) {
    if (f.acknowledged) continue;
    for (const c of f.cells) marks.cells.set(`${c.rowId}:${c.columnId}`, worse(marks.cells.get(`${c.rowId}:${c.columnId}`), f.severity));
    for (const rowId of f.rowIds) marks.rows.set(rowId, worse(marks.rows.get(rowId), f.severity));
  }
  return marks;
}

function CodeKey() {
  return (
    <details className="code-key" open>
      <summary>Key to the codes</summary>
      <dl>
        {DECISION_CODES.map((code) => (
          <div key={code}>
            <dt className={`code-chip code-${code === "—" ? "none" : code}`}>{code}</dt>
            <dd>
              <b>{CODE_MEANINGS[code].name}.</b> {CODE_MEANINGS[code].meaning}
            </dd>
          </div>
        ))}
      </dl>
    </details>
  );
}

export default function VersionMatrix() {
  const data = useLoaderData<typeof loader>();
  const { version, editable, slug } = data;
  const view = parsedView(data.matrix);
  const base = `/trusts/${slug}/versions/${version.number}`;
  const shownRows = view.groups.reduce((n, g) => n + g.rows.length, 0);
  const [findings, setFindings] = useState<FindingView[]>([]);
  const [highlight, setHighlight] = useState<Highlight | null>(null);
  const [changes, setChanges] = useState(0);
  const marks = useMemo(() => marksOf(findings), [findings]);
  const onSaved = useCallback(() => setChanges((n) => n + 1), []);
  const onShow = useCallback((f: FindingView) => setHighlight({ cells: f.cells, rowIds: f.rowIds, at: Date.now() }), []);
  return (
    <>
      <div className="version-head">
        <h1>
          Version {version.number} <span className={`status status--${version.status}`}>{version.status}</span>
        </h1>
        <nav aria-label="Versions" className="version-switch">
          {data.versions.map((v) =>
            v.number === version.number ? (
              <span key={v.number} aria-current="page">
                {v.number}
              </span>
            ) : (
              <Link key={v.number} to={`/trusts/${slug}/versions/${v.number}`}>
                {v.number}
                <span className="visually-hidden"> ({v.status})</span>
              </Link>
            ),
          )}
        </nav>
      </div>
      {version.status !== "draft" ? (
        <p className="notice">
          Approved{data.approvedBy ? ` by ${data.approvedBy}` : ""} on {formatDate(version.approvedOn)}
          {version.minuteRef ? ` (minute ${version.minuteRef})` : ""}. {version.status === "superseded" ? "A later version has replaced it. " : ""}
          Approved versions cannot be changed.
          {data.draftNumber ? (
            <>
              {" "}
              <Link to={`/trusts/${slug}/versions/${data.draftNumber}`}>Open the draft (version {data.draftNumber})</Link>.
            </>
          ) : null}
        </p>
      ) : version.breakPointReason ? (
        <p className="notice">Reason for this draft: {version.breakPointReason}</p>
      ) : null}
      {data.canStartDraft ? (
        <Form method="post" action={`/trusts/${slug}/scheme`} className="inline-form">
          <input type="hidden" name="intent" value="start-draft" />
          <input type="hidden" name="from" value="latest-approved" />
          <button type="submit">Start a new draft from the approved version</button>
        </Form>
      ) : null}
      <div className="matrix-tools">
        <Filters view={view} />
        <p className="muted">
          {shownRows === view.totalRows ? `${view.totalRows} responsibilities` : `${shownRows} of ${view.totalRows} responsibilities`} ·{" "}
          {view.columns.length} columns
          {editable ? " · Use the arrow keys to move, a letter to set a code, Delete to clear, Enter for the list of codes." : ""}
        </p>
      </div>
      <div className="matrix-layout">
        <MatrixGrid
          view={view}
          editable={editable}
          saveUrl={`${base}/cells`}
          rowEditBase={`${base}/rows`}
          marks={marks}
          highlight={highlight}
          onSaved={onSaved}
        />
        <FindingsPanel checksUrl={`${base}/checks`} changes={changes} onFindings={setFindings} onShow={onShow} />
      </div>
      <p>
        <a href={`/trusts/${slug}/versions/${version.number}.csv`} download>
          Download version {version.number} as a spreadsheet (CSV)
        </a>{" "}
        · <Link to={`${base}/profile`}>Centralisation profile</Link>: how central each decision is, beside the research and the trust’s
        strategy cluster.
      </p>
      <CodeKey />
      {editable ? (
        <p>
          <Link to={`${base}/bulk`}>Change many cells at once</Link>: set a column for a whole area, or copy a row's pattern to other rows.
        </p>
      ) : null}
    </>
  );
}
