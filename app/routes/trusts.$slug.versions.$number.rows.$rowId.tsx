/**
 * One row of the matrix as a form: how the matrix is edited without JavaScript, and where a row's
 * codes can be set all at once. A save names the revision of the row it started from. With a tier
 * (?tier=T4) or a school (?school=ID) named, the form edits that tier's or school's scheme of the row,
 * saved as its variants.
 */
import { redirect, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { LARGEST_VERSION } from "~/domain/record-versions";
import { actorOf, requireTrustAccess } from "~/auth.server";
import { FormError } from "~/components/forms";
import { getDb } from "~/db.server";
import { CODE_MEANINGS, DECISION_CODES, type DecisionCode } from "~/domain/codes";
import { NotFoundError, RuleError } from "~/domain/errors";
import { matrixView, type MatrixView } from "~/domain/matrix-view";
import { BODY_KIND_LABELS } from "~/domain/structure";
import { readForm } from "~/forms.server";
import { saveRow } from "~/models/row-save.server";
import { loadMatrixPage } from "~/models/matrix-page.server";
import { scopeFromSearch, type ScopeRequest } from "~/models/scheme-scope.server";
import { findVersionByParam, loadScheme, StaleRowError } from "~/models/scheme.server";
import { saveVariant } from "~/models/variant-save.server";
import matrixStyles from "~/styles/matrix.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: matrixStyles }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.row.ref} · Scheme of delegation` : "Scheme of delegation" }];

async function rowOf(request: Request, params: LoaderFunctionArgs["params"], permission: "read" | "editDraft") {
  const access = await requireTrustAccess(request, params.slug, permission);
  const db = await getDb();
  const version = await findVersionByParam(db, access.trust.id, params.number);
  if (!version || version.status !== "draft") throw new Response("Not found", { status: 404 });
  const scheme = await loadScheme(db, access.trust.id, version.id);
  const row = scheme.rows.find((r) => r.id === params.rowId);
  if (!row) throw new Response("Not found", { status: 404 });
  const search = new URL(request.url).searchParams;
  const asked = scopeFromSearch(search);
  if (!asked) {
    // A school that is not one of the trust's is no page at all.
    if (search.get("school")) throw new Response("Not found", { status: 404 });
    const view = matrixView(scheme).groups.flatMap((g) => g.rows).find((r) => r.id === row.id)!;
    return { ...access, db, version, scheme, row, view, asked, scopeName: null };
  }
  // The row as the matrix shows the tier's or school's scheme; a statutory-locked row never varies (EA-14).
  const page = await loadMatrixPage(db, access.trust, params.number, { area: null, columnId: null }, asked);
  if (!page?.scope || row.locked) throw new Response("Not found", { status: 404 });
  const view = (JSON.parse(page.matrix) as MatrixView).groups.flatMap((g) => g.rows).find((r) => r.id === row.id)!;
  const scopeName = page.scope.kind === "tier" ? `schools in ${page.scope.label}` : page.scope.school.name;
  return { ...access, db, version, scheme, row, view, asked, scopeName };
}

/** The matrix the form came from: the tier's or school's scheme when one is named. */
function matrixAddress(slug: string, versionNumber: number, asked: ScopeRequest | null): string {
  const query = asked ? `?${new URLSearchParams("tier" in asked ? { tier: asked.tier } : { school: asked.schoolId })}` : "";
  return `/trusts/${slug}/versions/${versionNumber}${query}`;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { trust, version, scheme, row, view, asked, scopeName } = await rowOf(request, params, "editDraft");
  return {
    slug: trust.slug,
    versionNumber: version.number,
    back: matrixAddress(trust.slug, version.number, asked),
    scopeName,
    row: { id: row.id, ref: row.ref, title: row.title, guidance: row.guidance, statutoryRule: row.statutoryRule },
    revision: view.revision,
    columns: scheme.columns.map((c, i) => ({
      id: c.id,
      name: c.name,
      kind: BODY_KIND_LABELS[c.kind],
      code: view.codes[i] ?? null,
      /** The base scheme's code, shown beside a cell the tier or school varies. */
      base: view.base && view.base[i] !== view.codes[i] ? (view.base[i] ?? null) : undefined,
      closed: view.excluded.includes(i),
      options: view.excluded.includes(i) ? [] : DECISION_CODES.filter((code) => !(code === "D" && view.noDecision.includes(i))),
    })),
    decisionRule: view.decisionRule,
    exclusionRule: view.exclusionRule,
  };
}

const RevisionSchema = z.coerce.number().int().min(0).max(LARGEST_VERSION);

export async function action({ request, params }: ActionFunctionArgs) {
  const { trust, user, db, version, scheme, row, asked } = await rowOf(request, params, "editDraft");
  const form = await readForm(request);
  const revision = RevisionSchema.safeParse(form.get("revision"));
  if (!revision.success) return { message: "The form was incomplete. Nothing was saved." };
  const codes: Record<string, DecisionCode | null> = {};
  for (const column of scheme.columns) {
    const value = form.get(`code-${column.id}`);
    if (value === null) continue;
    if (value !== "" && !(DECISION_CODES as readonly string[]).includes(String(value))) {
      return { message: `"${String(value)}" is not a decision code. Nothing was saved.` };
    }
    codes[column.id] = value === "" ? null : (value as DecisionCode);
  }
  const edit = { trustId: trust.id, versionId: version.id, rowId: row.id, codes, expectedRevision: revision.data };
  try {
    if (asked) await saveVariant(db, actorOf(user), { ...edit, scope: asked });
    else await saveRow(db, actorOf(user), edit);
  } catch (error) {
    if (error instanceof StaleRowError) {
      return { message: "Someone else saved this row while you were editing it. Their version is shown below; your changes were not saved." };
    }
    if (error instanceof RuleError || error instanceof NotFoundError) return { message: `${error.message} Nothing was saved.` };
    throw error;
  }
  return redirect(`${matrixAddress(trust.slug, version.number, asked)}#row-${row.id}`);
}

export default function RowForm() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <>
      <p>
        <Link to={`${data.back}#row-${data.row.id}`}>Back to the matrix</Link>
      </p>
      <h1>
        {data.row.ref} {data.row.title}
        {data.scopeName ? <span className="muted"> for {data.scopeName}</span> : null}
      </h1>
      {data.scopeName ? (
        <p className="notice">
          These are the codes for {data.scopeName}. Where a code differs from the base scheme, it is saved as a variation; setting it back to
          the base's code removes the variation.
        </p>
      ) : null}
      {data.row.guidance ? <p className="lede">{data.row.guidance}</p> : null}
      {data.decisionRule ? <p className="notice">{data.decisionRule}</p> : null}
      {data.exclusionRule ? <p className="notice">{data.exclusionRule}</p> : null}
      <FormError id="row-errors" errors={actionData?.message ? [actionData.message] : null} />
      {/* A fresh key after a refusal makes the fields show the row as it now stands. */}
      <Form method="post" className="stack" key={`${data.revision}-${actionData?.message ?? ""}`}>
        <input type="hidden" name="revision" value={data.revision} />
        <table className="data row-form">
          <thead>
            <tr>
              <th scope="col">Body</th>
              <th scope="col">Code</th>
            </tr>
          </thead>
          <tbody>
            {data.columns.map((c) => (
              <tr key={c.id}>
                <th scope="row">
                  <label htmlFor={`code-${c.id}`}>{c.name}</label> <span className="muted">({c.kind})</span>
                </th>
                <td>
                  {c.closed ? (
                    <span>— not permitted here</span>
                  ) : (
                    <select id={`code-${c.id}`} name={`code-${c.id}`} defaultValue={c.code ?? ""} aria-describedby={c.base !== undefined ? `base-${c.id}` : undefined}>
                      <option value="">No role</option>
                      {c.options.map((code) => (
                        <option key={code} value={code}>
                          {code} {CODE_MEANINGS[code].name}
                        </option>
                      ))}
                    </select>
                  )}
                  {c.base !== undefined ? (
                    <span id={`base-${c.id}`} className="muted">
                      {" "}
                      Base scheme: {c.base ? `${c.base} ${CODE_MEANINGS[c.base].name}` : "no role"}
                    </span>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <div>
          <button type="submit">Save the row</button>
        </div>
      </Form>
    </>
  );
}
