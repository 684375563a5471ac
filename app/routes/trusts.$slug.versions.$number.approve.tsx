/**
 * Recording the board's approval of the draft (the clerk): which body approved it, at which
 * meeting, under which minute, and when it is next reviewed. The checks' errors the trust has not
 * acknowledged are shown first; the board may approve knowingly, so they warn rather than block.
 * Approval freezes the version and supersedes the one approved before.
 */
import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, type ShouldRevalidateFunction } from "@remix-run/react";
import { useState } from "react";
import { actorOf, requireTrustAccess } from "~/auth.server";
import { today } from "~/clock.server";
import { Field, FormError, SelectField } from "~/components/forms";
import { getDb } from "~/db.server";
import { approvalSchema, canApprove, defaultReviewDate } from "~/domain/approval";
import { isIsoDate, longDate } from "~/domain/dates";
import { invalid, parseForm, refusal } from "~/forms.server";
import { approveVersion, findVersionByParam, listVersions } from "~/models/scheme.server";
import { listBodies } from "~/models/structure.server";
import { validateVersion } from "~/models/validation.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Record the approval of version ${data.version.number} · Scheme of delegation` : "Record an approval · Scheme of delegation" },
];

/** A refusal because someone else approved or changed the draft first shows the page as it now stands. */
export const shouldRevalidate: ShouldRevalidateFunction = ({ actionStatus, defaultShouldRevalidate }) =>
  actionStatus === 409 || defaultShouldRevalidate;

async function approvingBodies(trustId: string) {
  return (await listBodies(await getDb(), trustId)).filter((b) => canApprove(b.kind)).map((b) => ({ id: b.id, name: b.name }));
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { trust } = await requireTrustAccess(request, params.slug, "approve");
  const db = await getDb();
  const version = await findVersionByParam(db, trust.id, params.number);
  if (!version) throw new Response("Not found", { status: 404, statusText: "Not Found" });
  // Only a draft is approved; an approved or superseded version is shown as it is.
  if (version.status !== "draft") throw redirect(`/trusts/${trust.slug}/versions/${version.number}`);
  const on = today();
  const [bodies, versions, validation] = await Promise.all([approvingBodies(trust.id), listVersions(db, trust.id), validateVersion(db, trust.id, version.id, on)]);
  const previous = versions.find((v) => v.status === "approved");
  const errors = validation.findings.filter((f) => f.severity === "error" && !f.acknowledged).map((f) => ({ key: f.key, ruleId: f.ruleId, message: f.message }));
  return {
    slug: trust.slug,
    version: { number: version.number, version: version.version, reason: version.breakPointReason },
    previous: previous ? { number: previous.number } : null,
    bodies,
    today: on,
    defaultReview: defaultReviewDate(on),
    errors,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { trust, user } = await requireTrustAccess(request, params.slug, "approve");
  const db = await getDb();
  const version = await findVersionByParam(db, trust.id, params.number);
  if (!version) throw new Response("Not found", { status: 404, statusText: "Not Found" });
  const bodies = await approvingBodies(trust.id);
  const submission = await parseForm(request, approvalSchema({ today: today(), bodyIds: bodies.map((b) => b.id) }));
  if (submission.status !== "success") return invalid(submission);
  const form = submission.value;
  try {
    await approveVersion(db, actorOf(user), {
      trustId: trust.id,
      versionId: version.id,
      expectedVersion: form.version,
      approvedByBodyId: form.approvedByBodyId,
      approvedOn: form.approvedOn,
      minuteRef: form.minuteRef || null,
      reviewDueOn: form.reviewDueOn,
    });
  } catch (error) {
    return refusal(submission, error);
  }
  return redirect(`/trusts/${trust.slug}/versions/${version.number}?approved=1`);
}

export default function ApproveVersion() {
  const page = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const schema = approvalSchema({ today: page.today, bodyIds: page.bodies.map((b) => b.id) });
  const [form, fields] = useForm({
    id: `approve-${page.version.number}-${page.version.version}`,
    lastResult: actionData?.result,
    shouldRevalidate: "onBlur",
    defaultValue: {
      version: page.version.version,
      approvedByBodyId: page.bodies[0]?.id ?? "",
      approvedOn: page.today,
      minuteRef: "",
      reviewDueOn: page.defaultReview,
    },
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
  });
  const [reviewSet, setReviewSet] = useState(false);
  const back = `/trusts/${page.slug}/versions/${page.version.number}`;
  return (
    <>
      <p>
        <Link to={back}>Back to draft version {page.version.number}</Link>
      </p>
      <h1>Record the approval of version {page.version.number}</h1>
      <p className="lede">
        Once recorded, version {page.version.number} becomes the trust's approved scheme and can no longer be changed
        {page.previous ? `; version ${page.previous.number} is superseded and kept, read-only, as the trust's record` : ""}. Later changes
        need a new draft.
      </p>
      {page.version.reason ? <p className="notice">Reason for this draft: {page.version.reason}</p> : null}
      {page.errors.length > 0 ? (
        <section className="notice" aria-labelledby="open-errors">
          <h2 id="open-errors">
            The checks found {page.errors.length === 1 ? "an error" : `${page.errors.length} errors`} the trust has not acknowledged
          </h2>
          <ul>
            {page.errors.map((e) => (
              <li key={e.key}>
                <b>{e.ruleId}</b>: {e.message}
              </li>
            ))}
          </ul>
          <p>
            The board may approve the scheme knowingly, and you can record that approval. If it did not mean to accept these, fix them in the
            draft first, or acknowledge them with the board's reason on the <Link to={`${back}/checks`}>checks page</Link> so the record shows why.
          </p>
        </section>
      ) : (
        <p className="notice">The checks found no errors left unacknowledged in this draft.</p>
      )}
      <Form
        method="post"
        {...getFormProps(form)}
        className="stack"
        onChange={(e) => {
          // The next review follows the meeting date, 12 months on, until the clerk sets it.
          const input = e.target as HTMLInputElement;
          if (input.name === fields.reviewDueOn.name) setReviewSet(true);
          if (input.name === fields.approvedOn.name && !reviewSet && isIsoDate(input.value)) {
            form.update({ name: fields.reviewDueOn.name, value: defaultReviewDate(input.value) });
          }
        }}
      >
        <FormError id={form.errorId} errors={[...(form.errors ?? []), ...(fields.version.errors ?? [])]} />
        <input type="hidden" name={fields.version.name} value={page.version.version} />
        <SelectField
          meta={fields.approvedByBodyId}
          label="Approved by"
          hint="The board, or the committee it asked to approve the scheme"
          options={page.bodies.map((b) => ({ value: b.id, label: b.name }))}
        />
        <Field meta={fields.approvedOn} type="date" label="Date of the meeting" hint={`On or before today, ${longDate(page.today)}`} />
        <Field meta={fields.minuteRef} label="Minute reference (optional)" hint="As in the meeting's minutes, e.g. TB/26/03/4" />
        <Field
          meta={fields.reviewDueOn}
          type="date"
          label="Next review due"
          hint="A scheme of delegation is reviewed at least every year: 12 months after the meeting unless the board set another date"
        />
        <div>
          <button type="submit">
            {page.errors.length > 0 ? "Record the approval, errors and all" : "Record the approval"}
          </button>
        </div>
      </Form>
    </>
  );
}
