/**
 * Changing many cells of a draft at once: one column for a whole area, or one row's pattern copied
 * to others. Codes a row's constraints forbid are left out and listed.
 */
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { actorOf, requireTrustAccess } from "~/auth.server";
import { FormError } from "~/components/forms";
import { getDb } from "~/db.server";
import { AREAS } from "~/domain/areas";
import { CODE_MEANINGS, DECISION_CODES } from "~/domain/codes";
import { invalid, parseForm, refusal } from "~/forms.server";
import { loadMatrix } from "~/models/matrix.server";
import { copyRowPattern, findVersionByParam, setColumnForArea } from "~/models/scheme.server";
import matrixStyles from "~/styles/matrix.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: matrixStyles }];

export const meta: MetaFunction = () => [{ title: "Change many cells · Scheme of delegation" }];

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
], { error: "Use the buttons on this page." });

async function draftOf(request: Request, slug: string | undefined, number: string | undefined) {
  const access = await requireTrustAccess(request, slug, "editDraft");
  const db = await getDb();
  const version = await findVersionByParam(db, access.trust.id, number);
  if (!version || version.status !== "draft") throw new Response("Not found", { status: 404 });
  return { ...access, db, version };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { trust, db, version } = await draftOf(request, params.slug, params.number);
  const matrix = await loadMatrix(db, trust.id, version.id);
  return {
    slug: trust.slug,
    number: version.number,
    columns: matrix.columns.map((c) => ({ id: c.id, name: c.name })),
    rows: matrix.rows.map((r) => ({ id: r.id, label: `${r.ref} ${r.title}` })),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { trust, user, db, version } = await draftOf(request, params.slug, params.number);
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

export default function BulkEdit() {
  const { slug, number, columns, rows } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const notice = actionData && "notice" in actionData ? actionData.notice : null;
  const errors = actionData?.result.error ? Object.values(actionData.result.error).flat().filter((e): e is string => typeof e === "string") : null;
  return (
    <>
      <p>
        <Link to={`/trusts/${slug}/versions/${number}`}>Back to the matrix of version {number}</Link>
      </p>
      <h1>Change many cells at once</h1>
      {notice ? (
        <p className="notice notice--success" role="status">
          {notice}
        </p>
      ) : null}
      <FormError id="bulk-errors" errors={errors} />
      <Form method="post" className="bulk-form">
        <h2>Set a column for a whole area</h2>
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
            {columns.map((c) => (
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
        <h2>Copy a row's pattern to other rows</h2>
        <input type="hidden" name="intent" value="copy-row" />
        <div className="field">
          <label htmlFor="copy-from">Copy the codes of</label>
          <select id="copy-from" name="fromRowId">
            {rows.map((r) => (
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
          <select id="copy-to" name="toRowIds" multiple size={12} aria-describedby="copy-to-hint">
            {rows.map((r) => (
              <option key={r.id} value={r.id}>
                {r.label}
              </option>
            ))}
          </select>
        </div>
        <button type="submit">Copy the pattern</button>
      </Form>
    </>
  );
}
