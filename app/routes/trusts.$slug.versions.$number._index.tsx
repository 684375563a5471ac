import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useSubmit } from "@remix-run/react";
import { useCallback, useMemo, useState } from "react";
import { requireTrustAccess } from "~/auth.server";
import { appliedNotice, BreakPointNotice, type AppliedNotice } from "~/components/break-point-notice";
import { FindingsPanel } from "~/components/findings-panel";
import { MatrixGrid, type FindingMarks, type Highlight } from "~/components/matrix-grid";
import { PublicationPanel, publicationNotice } from "~/components/publication-panel";
import { getDb } from "~/db.server";
import { areaName } from "~/domain/areas";
import { TIERS } from "~/domain/autonomy";
import { CODE_MEANINGS, DECISION_CODES } from "~/domain/codes";
import type { MatrixView } from "~/domain/matrix-view";
import type { FindingView } from "~/domain/rules/finding-view";
import { SEVERITIES, type Severity } from "~/domain/rules/types";
import { can } from "~/domain/roles";
import { versionNumberFromParam } from "~/domain/versions";
import { loadMatrixPage, type PageScope } from "~/models/matrix-page.server";
import { findPublication } from "~/models/publication.server";
import { scopeFromSearch } from "~/models/scheme-scope.server";
import checksStyles from "~/styles/checks.css";
import matrixStyles from "~/styles/matrix.css";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: matrixStyles },
  { rel: "stylesheet", href: checksStyles },
];

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Version ${data.version.number}${data.scope ? ` · ${scopeName(data.scope)}` : ""} · Scheme of delegation` : "Scheme of delegation" },
];

/** The tier's or school's scheme, as the page names it. */
function scopeName(scope: PageScope): string {
  return scope.kind === "tier" ? `${scope.label} tier` : scope.school.name;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function filtersFrom(url: URL) {
  const area = url.searchParams.get("area");
  const column = url.searchParams.get("column");
  return {
    area: area !== null && /^\d{1,2}$/.test(area) ? Number(area) : null,
    columnId: column && UUID.test(column) ? column : null,
  };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { trust, role } = await requireTrustAccess(request, params.slug);
  const url = new URL(request.url);
  const filters = filtersFrom(url);
  const page = await loadMatrixPage(await getDb(), trust, params.number, filters, scopeFromSearch(url.searchParams));
  if (!page) throw new Response("Not found", { status: 404 });
  const draft = page.versions.find((v) => v.status === "draft");
  return {
    ...page,
    slug: trust.slug,
    filters,
    editable: page.version.status === "draft" && can(role, "editDraft"),
    canStartDraft: !draft && can(role, "editDraft"),
    canExport: can(role, "export"),
    draftNumber: draft?.number ?? null,
    lifecycle: {
      canApprove: page.version.status === "draft" && can(role, "approve"),
      canDiscard: page.version.status === "draft" && can(role, "discardDraft"),
      approved: page.version.status !== "draft" && url.searchParams.has("approved"),
      discarded: versionNumberFromParam(url.searchParams.get("discarded") ?? undefined),
      applied: page.version.status === "draft" ? appliedNotice(url.searchParams) : null,
    },
    publication: { published: await findPublication(await getDb(), trust.id), canPublish: can(role, "publish"), notice: publicationNotice(url.searchParams) },
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
  const { filters, areasInUse, scope, schools, tierNames } = useLoaderData<typeof loader>();
  const submit = useSubmit();
  return (
    <Form
      method="get"
      className="matrix-filters"
      onChange={(e) => {
        // A tier's scheme and a school's are shown one at a time: choosing one lets go of the other.
        const form = e.currentTarget;
        const changed = (e.target as HTMLSelectElement).name;
        if (changed === "tier") form.school.value = "";
        if (changed === "school") form.tier.value = "";
        submit(form, { replace: true, preventScrollReset: true });
      }}
    >
      <div className="field">
        <label htmlFor="filter-tier">Autonomy tier</label>
        <select id="filter-tier" name="tier" defaultValue={scope?.kind === "tier" ? scope.tier : ""}>
          <option value="">Base scheme</option>
          {TIERS.map((tier) => (
            <option key={tier} value={tier}>
              {tier} {tierNames[tier]}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="filter-school">A single school</label>
        <select id="filter-school" name="school" defaultValue={scope?.kind === "school" ? scope.school.id : ""}>
          <option value="">No single school</option>
          {schools.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </select>
      </div>
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

/** What the grid shows with a tier or school chosen, the key to its markers, and where a school's scheme is explained. */
function ScopeNotice({ scope, editable, schoolPage }: { scope: PageScope; editable: boolean; schoolPage: string | null }) {
  const changes = editable ? " Changes made here are saved as its variations; setting a cell back to what the base gives removes the variation." : "";
  return (
    <div className="notice scope-notice">
      {scope.kind === "tier" ? (
        <p>
          Showing the scheme for schools in <b>{scope.label}</b>: the base scheme, with the cells that differ for this tier.{changes}
        </p>
      ) : (
        <p>
          Showing the scheme of <b>{scope.school.name}</b>: the base scheme
          {scope.tierLabel ? (
            <>
              , then the <b>{scope.tierLabel}</b> variant (its decided tier)
            </>
          ) : (
            " (no tier has been decided for it)"
          )}
          , then its own variations.{changes}
        </p>
      )}
      <ul className="variant-key">
        {scope.kind === "tier" || scope.tierLabel ? (
          <li>
            <span className="variant-mark variant-mark--tier" aria-hidden="true" /> differs from the base scheme: from the{" "}
            {scope.kind === "tier" ? scope.label : scope.tierLabel} variant
          </li>
        ) : null}
        {scope.kind === "school" ? (
          <li>
            <span className="variant-mark variant-mark--school" aria-hidden="true" /> this school's own variation
          </li>
        ) : null}
        <li>Statutory-locked rows are the same for every tier and school (EA-14) and cannot be changed here.</li>
      </ul>
      {schoolPage && scope.kind === "school" ? (
        <p>
          <Link to={schoolPage}>{scope.school.name}: its effective scheme, cell by cell</Link>
        </p>
      ) : null}
    </div>
  );
}

/** A version's life cycle: the approval just recorded or the draft just discarded, and, on a draft, recording its approval or discarding it. */
function VersionLifecycle(props: {
  slug: string;
  number: number;
  previous: number | null;
  canApprove: boolean;
  canDiscard: boolean;
  approved: boolean;
  discarded: number | null;
  applied: AppliedNotice | null;
}) {
  const base = `/trusts/${props.slug}/versions/${props.number}`;
  return (
    <>
      <BreakPointNotice notice={props.applied} slug={props.slug} draft={props.number} />
      {props.approved ? (
        <p className="notice notice--success" role="status">
          The approval of version {props.number} is recorded.{props.previous ? ` Version ${props.previous} is superseded and kept, read-only.` : ""}
        </p>
      ) : null}
      {props.discarded ? (
        <p className="notice notice--success" role="status">
          Draft version {props.discarded} was discarded.
        </p>
      ) : null}
      {props.canApprove || props.canDiscard ? (
        <p className="version-actions">
          {props.canApprove ? <Link to={`${base}/approve`}>Record the board's approval</Link> : null}
          {props.canApprove && props.canDiscard ? " · " : null}
          {props.canDiscard ? <Link to={`${base}/discard`}>Discard this draft</Link> : null}
        </p>
      ) : null}
    </>
  );
}

export default function VersionMatrix() {
  const data = useLoaderData<typeof loader>();
  const { version, editable, slug } = data;
  const view = parsedView(data.matrix);
  const base = `/trusts/${slug}/versions/${version.number}`;
  const { scope } = data;
  const scopeFields: Record<string, string> | undefined = scope ? (scope.kind === "tier" ? { tier: scope.tier } : { school: scope.school.id }) : undefined;
  const shownRows = view.groups.reduce((n, g) => n + g.rows.length, 0);
  const [findings, setFindings] = useState<FindingView[]>([]);
  const [highlight, setHighlight] = useState<Highlight | null>(null);
  const [changes, setChanges] = useState(0);
  // Findings mark the base scheme's cells; a tier's or a school's grid shows other codes in them, so
  // there the panel lists the findings without marking the grid.
  const marks = useMemo(() => (scope ? undefined : marksOf(findings)), [findings, scope]);
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
      <VersionLifecycle slug={slug} number={version.number} previous={Math.max(0, ...data.versions.filter((v) => v.status === "superseded" && v.number < version.number).map((v) => v.number)) || null} {...data.lifecycle} />
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
      {scope ? (
        <ScopeNotice scope={scope} editable={editable} schoolPage={scope.kind === "school" ? `${base}/schools/${scope.school.id}` : null} />
      ) : null}
      <div className="matrix-layout">
        <MatrixGrid
          view={view}
          editable={editable}
          saveUrl={`${base}/cells`}
          rowEditBase={`${base}/rows`}
          marks={marks}
          highlight={highlight}
          onSaved={onSaved}
          scopeFields={scopeFields}
        />
        <FindingsPanel checksUrl={`${base}/checks`} changes={changes} onFindings={setFindings} onShow={onShow} />
      </div>
      <p>
        <a href={`/trusts/${slug}/versions/${version.number}.csv`} download>
          Download version {version.number} as a spreadsheet (CSV)
        </a>{" "}
        and <a href={`${base}/variations.csv`} download>its tier and school variations (CSV)</a>{" "}
        · <Link to={`${base}/profile`}>Centralisation profile</Link>: how central each decision is, beside the research and the trust’s
        strategy cluster.
      </p>
      {data.canExport ? (
        <p>
          <a href={`/trusts/${slug}/versions/${version.number}.docx`} download>
            Download version {version.number} as a Word document
          </a>
          : the scheme of delegation as the board approves it, with its cover, contents, structure, key, matrix and
          earned-autonomy framework, or <a href={`/trusts/${slug}/versions/${version.number}.docx?changes`} download>with the changes since the version approved before it</a>.
          {" "}
          <Link to={`${base}/packs`}>School packs</Link>: each school&apos;s own scheme, for its local board, all together as one ZIP.
        </p>
      ) : null}
      <p>
        <Link to={`${base}/diff`}>What changed</Link> since the version it was started from ·{" "}
        <Link to={`${base}/history`}>History</Link>: who changed what, and when.
      </p>
      <CodeKey />
      <PublicationPanel slug={slug} version={version} {...data.publication} />
      {editable ? (
        <p>
          <Link to={`${base}/bulk`}>Change many cells at once</Link>: set a column for a whole area, or copy a row's pattern to other rows.
        </p>
      ) : null}
    </>
  );
}
