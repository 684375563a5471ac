/**
 * Discarding the draft (the clerk or the CEO), after saying what goes with it: its cells, tier
 * variants, school variations and acknowledged findings. Approved versions are never discarded.
 * The history keeps a record of the discarded draft.
 */
import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, type ShouldRevalidateFunction } from "@remix-run/react";
import { z } from "zod";
import { LARGEST_VERSION } from "~/domain/record-versions";
import { actorOf, requireTrustAccess } from "~/auth.server";
import { FormError } from "~/components/forms";
import { getDb } from "~/db.server";
import { invalid, parseForm, refusal } from "~/forms.server";
import { discardDraft, draftContents, findVersionByParam, listVersions } from "~/models/scheme.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Discard draft version ${data.version.number} · Scheme of delegation` : "Discard a draft · Scheme of delegation" },
];

/** A refusal because the draft changed meanwhile shows it as it now stands. */
export const shouldRevalidate: ShouldRevalidateFunction = ({ actionStatus, defaultShouldRevalidate }) =>
  actionStatus === 409 || defaultShouldRevalidate;

const DiscardSchema = z.object({
  version: z.number({ error: "The form was incomplete; open the draft again" }).int().min(1).max(LARGEST_VERSION, "The form is out of date; open the draft again"),
});

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { trust } = await requireTrustAccess(request, params.slug, "discardDraft");
  const db = await getDb();
  const version = await findVersionByParam(db, trust.id, params.number);
  if (!version) throw new Response("Not found", { status: 404, statusText: "Not Found" });
  if (version.status !== "draft") throw redirect(`/trusts/${trust.slug}/versions/${version.number}`);
  const contents = await draftContents(db, trust.id, version.id);
  return {
    slug: trust.slug,
    version: { number: version.number, version: version.version, reason: version.breakPointReason },
    cells: contents.cells,
    tierCells: contents.tierCells,
    schoolCells: contents.schoolCells,
    acknowledgements: contents.acknowledgements,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { trust, user } = await requireTrustAccess(request, params.slug, "discardDraft");
  const db = await getDb();
  const version = await findVersionByParam(db, trust.id, params.number);
  if (!version) throw new Response("Not found", { status: 404, statusText: "Not Found" });
  const submission = await parseForm(request, DiscardSchema);
  if (submission.status !== "success") return invalid(submission);
  try {
    await discardDraft(db, actorOf(user), { trustId: trust.id, versionId: version.id, expectedVersion: submission.value.version });
  } catch (error) {
    return refusal(submission, error);
  }
  const [latest] = await listVersions(db, trust.id);
  return redirect(latest ? `/trusts/${trust.slug}/versions/${latest.number}?discarded=${version.number}` : `/trusts/${trust.slug}/scheme`);
}

export default function DiscardDraft() {
  const page = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [form, fields] = useForm({
    id: `discard-${page.version.number}-${page.version.version}`,
    lastResult: actionData?.result,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: DiscardSchema }),
  });
  const back = `/trusts/${page.slug}/versions/${page.version.number}`;
  const lost = [
    plural(page.cells, "cell of the matrix", "cells of the matrix"),
    plural(page.tierCells, "autonomy-tier variation", "autonomy-tier variations"),
    plural(page.schoolCells, "school's own variation", "schools' own variations"),
  ];
  return (
    <>
      <p>
        <Link to={back}>Back to draft version {page.version.number}</Link>
      </p>
      <h1>Discard draft version {page.version.number}?</h1>
      {page.version.reason ? <p className="notice">Reason for this draft: {page.version.reason}</p> : null}
      <p>Everything in the draft is deleted and cannot be brought back:</p>
      <ul>
        {lost.map((l) => (
          <li key={l}>{l}</li>
        ))}
        {page.acknowledgements > 0 ? <li>{plural(page.acknowledgements, "acknowledged finding and its reason", "acknowledged findings and their reasons")}</li> : null}
      </ul>
      <p>
        Approved versions are not affected, and the trust's structure and responsibilities stay as they are. The history records who
        discarded the draft and when. A new draft can be started from the approved version at any time.
      </p>
      <Form method="post" {...getFormProps(form)} className="stack">
        <FormError id={form.errorId} errors={[...(form.errors ?? []), ...(fields.version.errors ?? [])]} />
        <input type="hidden" name={fields.version.name} value={page.version.version} />
        <div className="actions-row">
          <button type="submit" className="danger">
            Discard draft version {page.version.number}
          </button>{" "}
          <Link to={back}>Keep it</Link>
        </div>
      </Form>
    </>
  );
}
