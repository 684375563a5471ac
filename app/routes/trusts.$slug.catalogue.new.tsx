/**
 * Adding one of the trust's own responsibilities: it goes to the end of its area, numbered after the
 * area's last ref unless the trust gives its own, and into the draft at once with no cells.
 */
import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { actorOf, requireTrustAccess } from "~/auth.server";
import { crossCheck, RowDetailFields, rowDetails } from "~/components/catalogue-fields";
import { FormError } from "~/components/forms";
import { getDb } from "~/db.server";
import { AREA_NUMBERS, areaName } from "~/domain/areas";
import { nextRef } from "~/domain/catalogue-refs";
import { invalid, parseForm, refusal } from "~/forms.server";
import { addResponsibility, listCatalogue } from "~/models/catalogue.server";
import { findDraft } from "~/models/scheme.server";
import catalogueStyles from "~/styles/catalogue.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: catalogueStyles }];

export const meta: MetaFunction = () => [{ title: "Add a responsibility · Scheme of delegation" }];

const AddSchema = z.object(rowDetails).superRefine(crossCheck);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { trust } = await requireTrustAccess(request, params.slug, "editDraft");
  const db = await getDb();
  const { live } = await listCatalogue(db, trust.id);
  const draft = await findDraft(db, trust.id);
  const asked = new URL(request.url).searchParams.get("area");
  const area = asked !== null && AREA_NUMBERS.includes(Number(asked)) ? Number(asked) : 1;
  return {
    slug: trust.slug,
    area,
    draft: draft ? { number: draft.number } : null,
    suggested: { ref: nextRef(area, live.map((r) => r.ref)), area: areaName(area) },
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { trust, user } = await requireTrustAccess(request, params.slug, "editDraft");
  const submission = await parseForm(request, AddSchema);
  if (submission.status !== "success") return invalid(submission);
  const db = await getDb();
  try {
    const row = await addResponsibility(db, actorOf(user), { trustId: trust.id, ...submission.value, area: Number(submission.value.area) });
    return redirect(`/trusts/${trust.slug}/catalogue?saved=${row.id}#row-${row.id}`);
  } catch (error) {
    return refusal(submission, error);
  }
}

export default function AddResponsibility() {
  const { slug, area, draft, suggested } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [form, fields] = useForm({
    id: "add-responsibility",
    lastResult: actionData?.result,
    shouldRevalidate: "onInput",
    defaultValue: { area: String(area) },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: AddSchema }),
  });
  return (
    <>
      <p>
        <Link to={`/trusts/${slug}/catalogue`}>Back to the responsibilities</Link>
      </p>
      <h1>Add a responsibility</h1>
      <p className="lede">
        A decision or function of the trust’s own. It goes at the end of its area
        {draft ? `, and into draft version ${draft.number} with no cells yet, ready to fill in the matrix` : ""}.
      </p>
      <Form method="post" {...getFormProps(form)} className="stack">
        <FormError id={form.errorId} errors={form.errors} />
        <RowDetailFields
          fields={fields}
          refHint={`Leave empty for the next number in its area (${suggested.ref} in ${suggested.area}), or give the trust’s own ref, up to 20 characters.`}
        />
        <div className="form-buttons">
          <button type="submit">Add the responsibility</button>
          <Link to={`/trusts/${slug}/catalogue`}>Cancel</Link>
        </div>
      </Form>
    </>
  );
}
