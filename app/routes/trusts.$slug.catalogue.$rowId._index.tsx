/**
 * One responsibility: its details for everyone, and for editors the form that changes them. The
 * trust sets the constraint of its own rows; a statutory row's constraint is shown locked, with why.
 * A save names the version of the row it read; a stale save is refused and the latest shown.
 */
import { getFormProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, type ShouldRevalidateFunction } from "@remix-run/react";
import { z } from "zod";
import { actorOf, requireTrustAccess } from "~/auth.server";
import { Choices, crossCheck, editDetails, kindOptions, RowDetailFields } from "~/components/catalogue-fields";
import { FormError } from "~/components/forms";
import { getDb } from "~/db.server";
import { areaName } from "~/domain/areas";
import { constraintLockReason, constraintWords, tagLabel } from "~/domain/catalogue-refs";
import { StaleWriteError } from "~/domain/errors";
import { can } from "~/domain/roles";
import type { BodyKind } from "~/domain/structure";
import { invalid, parseForm, refusal } from "~/forms.server";
import { editResponsibility, findResponsibility } from "~/models/catalogue.server";
import catalogueStyles from "~/styles/catalogue.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: catalogueStyles }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.row.ref} ${data.row.title} · Scheme of delegation` : "Responsibility · Scheme of delegation" },
];

/** A refused stale save shows the row as it now stands. */
export const shouldRevalidate: ShouldRevalidateFunction = ({ actionStatus, defaultShouldRevalidate }) =>
  actionStatus === 409 || defaultShouldRevalidate;

const EditSchema = z.object(editDetails).superRefine(crossCheck);

/** The row named in the address, if it is the trust's; anything else is not found. */
async function rowOf(trustId: string, rowId: string | undefined) {
  const row = await findResponsibility(await getDb(), trustId, rowId ?? "");
  if (!row) throw new Response("Not found", { status: 404, statusText: "Not Found" });
  return row;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { trust, role } = await requireTrustAccess(request, params.slug);
  const row = await rowOf(trust.id, params.rowId);
  const constrained = { ...row, decisionKinds: row.decisionKinds as BodyKind[] | null, excludedKinds: row.excludedKinds as BodyKind[] | null };
  return {
    slug: trust.slug,
    canEdit: can(role, "editDraft") && row.retiredAt === null,
    row: {
      id: row.id,
      ref: row.ref,
      area: row.area,
      areaName: areaName(row.area),
      section: row.section,
      title: row.title,
      guidance: row.guidance,
      tags: row.tags,
      decisionKinds: constrained.decisionKinds,
      excludedKinds: constrained.excludedKinds,
      version: row.version,
      retiredOn: row.retiredAt ? row.retiredAt.toISOString().slice(0, 10) : null,
    },
    constraint: constraintWords(constrained),
    lockReason: constraintLockReason(row),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { trust, user } = await requireTrustAccess(request, params.slug, "editDraft");
  const { id } = await rowOf(trust.id, params.rowId);
  const submission = await parseForm(request, EditSchema);
  if (submission.status !== "success") return invalid(submission);
  const value = submission.value;
  try {
    await editResponsibility(await getDb(), actorOf(user), {
      trustId: trust.id,
      id,
      expectedVersion: value.version,
      area: Number(value.area),
      ref: value.ref,
      section: value.section,
      title: value.title,
      guidance: value.guidance,
      tags: value.tags ?? [],
      constraint: value.constraint ? { decisionKinds: value.decisionKinds ?? null, excludedKinds: value.excludedKinds ?? null } : undefined,
    });
  } catch (error) {
    if (error instanceof StaleWriteError) {
      // The form shows the row as it now stands; what this person typed is shown beside it, so nothing is lost.
      const yours: StaleAnswer["yours"] = { ref: value.ref, area: areaName(Number(value.area)), section: value.section ?? "", title: value.title, guidance: value.guidance ?? "" };
      return data({ result: submission.reply({ resetForm: true }) as SubmissionResult<string[]>, stale: { message: error.message, yours } }, { status: 409 });
    }
    return refusal(submission, error);
  }
  return redirect(`/trusts/${trust.slug}/catalogue?saved=${id}#row-${id}`);
}

type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>;

interface StaleAnswer {
  message: string;
  yours: { ref: string; area: string; section: string; title: string; guidance: string };
}

export default function Responsibility() {
  const { slug, canEdit, row, constraint, lockReason } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const stale = (actionData as { stale?: StaleAnswer } | undefined)?.stale ?? null;
  return (
    <>
      <p>
        <Link to={`/trusts/${slug}/catalogue#row-${row.id}`}>Back to the responsibilities</Link>
        {" · "}
        <Link to={`/trusts/${slug}/catalogue/${row.id}/history`}>History of this responsibility</Link>
      </p>
      <h1>
        {row.ref} {row.title}
      </h1>
      {row.retiredOn ? (
        <p className="notice">Retired on {row.retiredOn}. It stays in the approved versions that named it; restore it from the list of retired rows.</p>
      ) : null}
      {stale ? (
        <div className="form-error" role="alert">
          <p>{stale.message}</p>
        </div>
      ) : null}
      {stale ? (
        <section className="unsaved" aria-labelledby="unsaved-heading">
          <h2 id="unsaved-heading">Your change, not saved</h2>
          <dl>
            <dt>Ref</dt>
            <dd>{stale.yours.ref}</dd>
            <dt>Area</dt>
            <dd>{stale.yours.area}</dd>
            <dt>Section heading</dt>
            <dd>{stale.yours.section || "(none)"}</dd>
            <dt>Responsibility</dt>
            <dd>{stale.yours.title}</dd>
            <dt>Guidance</dt>
            <dd>{stale.yours.guidance || "(none)"}</dd>
          </dl>
        </section>
      ) : null}
      {canEdit ? (
        <EditForm key={row.version} slug={slug} row={row} lastResult={actionData?.result} constraint={constraint} lockReason={lockReason} />
      ) : (
        <RowSummary row={row} constraint={constraint} lockReason={lockReason} />
      )}
    </>
  );
}

function LockedConstraint({ constraint, lockReason }: { constraint: string[]; lockReason: string }) {
  return (
    <section className="locked-constraint" aria-labelledby="locked-heading">
      <h2 id="locked-heading">Who may hold it (fixed)</h2>
      <ul>
        {constraint.map((words) => (
          <li key={words}>{words}</li>
        ))}
      </ul>
      <p>{lockReason}</p>
    </section>
  );
}

function EditForm({
  slug,
  row,
  lastResult,
  constraint,
  lockReason,
}: {
  slug: string;
  row: LoaderData["row"];
  lastResult: SubmissionResult<string[]> | undefined;
  constraint: string[];
  lockReason: string | null;
}) {
  const [form, fields] = useForm({
    id: "edit-responsibility",
    lastResult,
    shouldRevalidate: "onInput",
    defaultValue: {
      version: String(row.version),
      area: String(row.area),
      ref: row.ref,
      section: row.section ?? "",
      title: row.title,
      guidance: row.guidance ?? "",
      tags: row.tags,
      decisionKinds: row.decisionKinds ?? [],
      excludedKinds: row.excludedKinds ?? [],
      constraint: lockReason ? undefined : "offered",
    },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: EditSchema }),
  });
  return (
    <Form method="post" {...getFormProps(form)} className="stack">
      <FormError id={form.errorId} errors={[...(form.errors ?? []), ...(fields.version.errors ?? [])]} />
      <input type="hidden" name={fields.version.name} value={row.version} />
      <RowDetailFields fields={fields} refHint="Up to 20 characters. Imports from a spreadsheet find rows by their ref." />
      {lockReason ? (
        <LockedConstraint constraint={constraint} lockReason={lockReason} />
      ) : (
        <>
          <input type="hidden" name={fields.constraint.name} value="offered" />
          <Choices
            meta={fields.decisionKinds}
            legend="Who may decide (hold D)"
            hint="Tick the levels allowed to take this decision. Tick none if any level may."
            options={kindOptions}
          />
          <Choices
            meta={fields.excludedKinds}
            legend="Who takes no part (shown as —)"
            hint="Tick the levels that may hold no code at all on this row."
            options={kindOptions}
          />
        </>
      )}
      <div className="form-buttons">
        <button type="submit">Save the responsibility</button>
        <Link to={`/trusts/${slug}/catalogue#row-${row.id}`}>Cancel</Link>
      </div>
    </Form>
  );
}

function RowSummary({ row, constraint, lockReason }: { row: LoaderData["row"]; constraint: string[]; lockReason: string | null }) {
  return (
    <dl className="row-summary">
      <dt>Area</dt>
      <dd>{row.area === 0 ? row.areaName : `${row.area}. ${row.areaName}`}</dd>
      <dt>Trust’s section heading</dt>
      <dd>{row.section ?? "(none)"}</dd>
      <dt>Guidance</dt>
      <dd>{row.guidance ?? "(none)"}</dd>
      <dt>Tags</dt>
      <dd>{row.tags.length > 0 ? row.tags.map(tagLabel).join(", ") : "(none)"}</dd>
      <dt>Who may hold it</dt>
      <dd>
        {constraint.join("; ")}.{lockReason ? ` ${lockReason}` : ""}
      </dd>
    </dl>
  );
}
