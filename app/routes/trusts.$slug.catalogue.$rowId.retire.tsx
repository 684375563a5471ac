/**
 * Retiring a responsibility, after saying what it deletes from the draft. Approved versions keep the
 * row (they read their own copy); a statutory row asks for a reason and warns that the checks will
 * report it missing. If the draft's cells on the row change before confirming, the person is asked again.
 */
import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, type ShouldRevalidateFunction } from "@remix-run/react";
import { z } from "zod";
import { LARGEST_VERSION } from "~/domain/record-versions";
import { actorOf, requireTrustAccess } from "~/auth.server";
import { TextArea } from "~/components/catalogue-fields";
import { FormError } from "~/components/forms";
import { getDb } from "~/db.server";
import { NotFoundError } from "~/domain/errors";
import { invalid, parseForm, refusal } from "~/forms.server";
import { clearedCount, findResponsibility, retireImpact, retireResponsibility } from "~/models/catalogue.server";
import catalogueStyles from "~/styles/catalogue.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: catalogueStyles }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Retire ${data.row.ref} · Scheme of delegation` : "Retire a responsibility · Scheme of delegation" },
];

/** A refusal because the draft changed shows the new counts. */
export const shouldRevalidate: ShouldRevalidateFunction = ({ actionStatus, defaultShouldRevalidate }) =>
  actionStatus === 409 || defaultShouldRevalidate;

const RetireSchema = z.object({
  version: z.number({ error: "The form was incomplete; open the row again" }).int().min(1).max(LARGEST_VERSION, "The form is out of date; open the row again"),
  expectedCleared: z.number({ error: "The form was incomplete; open the row again" }).int().min(0),
  reason: z.string().trim().max(500, "Use at most 500 characters for the reason").optional(),
});

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
const listed = (parts: string[]) => (parts.length <= 1 ? (parts[0] ?? "") : `${parts.slice(0, -1).join(", ")} and ${parts.at(-1)}`);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { trust } = await requireTrustAccess(request, params.slug, "editDraft");
  try {
    const impact = await retireImpact(await getDb(), trust.id, params.rowId ?? "");
    return {
      slug: trust.slug,
      row: { id: impact.row.id, ref: impact.row.ref, title: impact.row.title, version: impact.row.version, statutoryRule: impact.row.statutoryRule },
      statutory: impact.statutory,
      draft: impact.draft ? { number: impact.draft.number } : null,
      cleared: clearedCount(impact),
      lost: listed(
        (
          [
            [impact.cells, "cell", "cells"],
            [impact.tierCells, "autonomy-tier variant", "autonomy-tier variants"],
            [impact.schoolCells, "school variation", "school variations"],
          ] as const
        )
          .filter(([n]) => n > 0)
          .map(([n, one, many]) => plural(n, one, many)),
      ),
    };
  } catch (error) {
    if (error instanceof NotFoundError) throw new Response("Not found", { status: 404, statusText: "Not Found" });
    throw error;
  }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { trust, user } = await requireTrustAccess(request, params.slug, "editDraft");
  const row = await findResponsibility(await getDb(), trust.id, params.rowId ?? "");
  if (!row) throw new Response("Not found", { status: 404, statusText: "Not Found" });
  const id = row.id;
  const submission = await parseForm(request, RetireSchema);
  if (submission.status !== "success") return invalid(submission);
  try {
    await retireResponsibility(await getDb(), actorOf(user), {
      trustId: trust.id,
      id,
      expectedVersion: submission.value.version,
      expectedCleared: submission.value.expectedCleared,
      reason: submission.value.reason,
    });
  } catch (error) {
    return refusal(submission, error);
  }
  return redirect(`/trusts/${trust.slug}/catalogue?retired=${id}#retired`);
}

export default function RetireResponsibility() {
  const { slug, row, statutory, draft, cleared, lost } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [form, fields] = useForm({
    id: `retire-${row.id}-${cleared}`,
    lastResult: actionData?.result,
    shouldRevalidate: "onBlur",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: RetireSchema }),
  });
  return (
    <>
      <p>
        <Link to={`/trusts/${slug}/catalogue#row-${row.id}`}>Back to the responsibilities</Link>
      </p>
      <h1>
        Retire {row.ref} {row.title}?
      </h1>
      <ul>
        <li>
          {draft
            ? cleared > 0
              ? `It leaves the catalogue and draft version ${draft.number}, which loses its ${lost} on this row.`
              : `It leaves the catalogue and draft version ${draft.number}, which has no cells on this row.`
            : "It leaves the catalogue, so the next draft will not include it."}
        </li>
        <li>Approved versions keep it as they were approved: they read their own copy of the catalogue.</li>
        <li>You can restore it later from the list of retired rows. It comes back with no cells in the draft.</li>
      </ul>
      {statutory ? (
        <div className="warning-box">
          <p>
            <strong>This is a statutory decision{row.statutoryRule ? ` (${row.statutoryRule})` : ""}.</strong> The scheme’s checks will report that it no
            longer says who takes this decision until the row is restored. Say why it is being retired; the reason is kept in the row’s history.
          </p>
        </div>
      ) : null}
      <Form method="post" {...getFormProps(form)} className="stack">
        <FormError id={form.errorId} errors={[...(form.errors ?? []), ...(fields.version.errors ?? []), ...(fields.expectedCleared.errors ?? [])]} />
        <input type="hidden" name={fields.version.name} value={row.version} />
        <input type="hidden" name={fields.expectedCleared.name} value={cleared} />
        {statutory ? <TextArea meta={fields.reason} label="Why is it being retired?" rows={3} /> : null}
        <div className="form-buttons">
          <button type="submit" className="danger">
            {draft && cleared > 0 ? `Retire it and delete ${plural(cleared, "entry", "entries")} from the draft` : "Retire it"}
          </button>
          <Link to={`/trusts/${slug}/catalogue#row-${row.id}`}>Cancel</Link>
        </div>
      </Form>
    </>
  );
}
