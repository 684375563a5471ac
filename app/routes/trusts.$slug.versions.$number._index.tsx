import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSubmit } from "@remix-run/react";
import { useMemo } from "react";
import { z } from "zod";
import { actorOf, requireTrustAccess } from "~/auth.server";
import { FormError } from "~/components/forms";
import { MatrixGrid } from "~/components/matrix-grid";
import { getDb } from "~/db.server";
import { AREAS, areaName } from "~/domain/areas";
import { CODE_MEANINGS, DECISION_CODES } from "~/domain/codes";
import { matrixView, type MatrixView } from "~/domain/matrix-view";
import { can } from "~/domain/roles";
import { invalid, parseForm, refusal } from "~/forms.server";
import { copyRowPattern, findVersionByParam, listVersions, loadMatrix, setColumnForArea } from "~/models/scheme.server";
import matrixStyles from "~/styles/matrix.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: matrixStyles }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Version ${data.version.number} · Scheme of delegation` : "Scheme of delegation" },
];

const BulkSchema = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("set-column"),
    area: z.coerce.number({ error: "Choose an area" }).int().min(0).max(12),
    columnId: z.uuid("Choose a column"),
    code: z.union([z.enum(DECISION_CODES), z.literal("clear")], { error: "Choose a code" }),
  }),
  z.object({
    intent: z.literal("copy-row"),
    fromRowId: z.uuid("Choose the row to copy"),
    toRowIds: z.array(z.uuid(), { error: "Choose the rows to copy it to" }).min(1, "Choose the rows to copy it to").max(500),
  }),
]);

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
  const db = await getDb();
  const version = await findVersionByParam(db, trust.id, params.number);
  if (!version) throw new Response("Not found", { status: 404 });
  const scheme = await loadMatrix(db, trust.id, version.id);
  const filters = filtersFrom(new URL(request.url));
  const view = matrixView(scheme, filters);
  const versions = await listVersions(db, trust.id);
  const draft = versions.find((v) => v.status === "draft");
  const editable = version.status === "draft" && can(role, "editDraft");
  return {
    slug: trust.slug,
    version: scheme.version,
    // Sent as one JSON text: the page's largest data travels far faster that way than as nested objects.
    matrix: JSON.stringify(view),
    filters,
    editable,
    canStartDraft: !draft && can(role, "editDraft"),
    draftNumber: draft?.number ?? null,
    versions: versions.map((v) => ({ number: v.number, status: v.status })),
    rowChoices: editable ? scheme.rows.map((r) => ({ id: r.id, label: `${r.ref} ${r.title}` })) : [],
    areasInUse: [...new Set(scheme.rows.map((r) => r.area))].sort((a, b) => a - b),
    approvedBy: scheme.version.approvedByBodyId ? (scheme.columns.find((b) => b.id === scheme.version.approvedByBodyId)?.name ?? null) : null,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { trust, user } = await requireTrustAccess(request, params.slug, "editDraft");
  const db = await getDb();
  const version = await findVersionByParam(db, trust.id, params.number);
  if (!version) throw new Response("Not found", { status: 404 });
  const submission = await parseForm(request, BulkSchema);
  if (submission.status !== "success") return invalid(submission);
  const value = submission.value;
  try {
    const result =
      value.intent === "set-column"
        ? await setColumnForArea(db, actorOf(user), {
            trustId: trust.id,
            versionId: version.id,
            area: value.area,
            columnId: value.columnId,
            code: value.code === "clear" ? null : value.code,
          })
        : await copyRowPattern(db, actorOf(user), { trustId: trust.id, versionId: version.id, fromRowId: value.fromRowId, toRowIds: value.toRowIds });
    const skipped = result.skipped.length > 0 ? ` ${result.skipped.length} left as they were: ${result.skipped.map((s) => `${s.ref} (${s.reason})`).join("; ")}` : "";
    return { result: submission.reply({ resetForm: true }), notice: `${result.changed} cell${result.changed === 1 ? "" : "s"} changed.${skipped}` };
  } catch (error) {
    return refusal(submission, error);
  }
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

function BulkActions({ view }: { view: MatrixView }) {
  const { rowChoices } = useLoaderData<typeof loader>();
  return (
    <details className="bulk-actions">
      <summary>Change many cells at once</summary>
      <Form method="post" className="bulk-form">
        <h3>Set a column for a whole area</h3>
        <input type="hidden" name="intent" value="set-column" />
        <div className="field">
          <label htmlFor="bulk-area">Area</label>
          <select id="bulk-area" name="area">
            {AREAS.map((a) => (
              <option key={a.number} value={a.number}>
                {a.number}. {a.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="bulk-column">Column</label>
          <select id="bulk-column" name="columnId">
            {view.columns.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="bulk-code">Code</label>
          <select id="bulk-code" name="code">
            {DECISION_CODES.map((code) => (
              <option key={code} value={code}>
                {code} {CODE_MEANINGS[code].name}
              </option>
            ))}
            <option value="clear">Clear the cells</option>
          </select>
        </div>
        <button type="submit">Set the column</button>
      </Form>
      <Form method="post" className="bulk-form">
        <h3>Copy a row's pattern to other rows</h3>
        <input type="hidden" name="intent" value="copy-row" />
        <div className="field">
          <label htmlFor="copy-from">Copy the codes of</label>
          <select id="copy-from" name="fromRowId">
            {rowChoices.map((r) => (
              <option key={r.id} value={r.id}>
                {r.label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="copy-to">To these rows</label>
          <span className="hint" id="copy-to-hint">
            Hold Ctrl (or Cmd) to choose several. Codes a row's constraints forbid are left out and listed.
          </span>
          <select id="copy-to" name="toRowIds" multiple size={8} aria-describedby="copy-to-hint">
            {rowChoices.map((r) => (
              <option key={r.id} value={r.id}>
                {r.label}
              </option>
            ))}
          </select>
        </div>
        <button type="submit">Copy the pattern</button>
      </Form>
    </details>
  );
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
  const actionData = useActionData<typeof action>();
  const { version, editable, slug } = data;
  const view = useMemo(() => JSON.parse(data.matrix) as MatrixView, [data.matrix]);
  const base = `/trusts/${slug}/versions/${version.number}`;
  const shownRows = view.groups.reduce((n, g) => n + g.rows.length, 0);
  const notice = actionData && "notice" in actionData ? actionData.notice : null;
  const formErrors = actionData?.result.error ? Object.values(actionData.result.error).flat().filter((e): e is string => typeof e === "string") : null;
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
      {notice ? (
        <p className="notice notice--success" role="status">
          {notice}
        </p>
      ) : null}
      <FormError id="bulk-errors" errors={formErrors} />
      <div className="matrix-tools">
        <Filters view={view} />
        <p className="muted">
          {shownRows === view.totalRows ? `${view.totalRows} responsibilities` : `${shownRows} of ${view.totalRows} responsibilities`} ·{" "}
          {view.columns.length} columns
          {editable ? " · Use the arrow keys to move, a letter to set a code, Delete to clear, Enter for the list of codes." : ""}
        </p>
      </div>
      <MatrixGrid view={view} editable={editable} saveUrl={`${base}/cells`} rowEditUrl={(rowId) => `${base}/rows/${rowId}`} />
      <CodeKey />
      {editable ? <BulkActions view={view} /> : null}
    </>
  );
}
