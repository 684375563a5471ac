import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { actorOf, requireTrustAccess } from "~/auth.server";
import { getDb } from "~/db.server";
import { can } from "~/domain/roles";
import { FormError } from "~/components/forms";
import { invalid, parseForm, refusal } from "~/forms.server";
import { findDraft, listVersions, startDraft } from "~/models/scheme.server";

export const meta: MetaFunction = () => [{ title: "Scheme · Scheme of delegation" }];

const StartSchema = z.object({
  intent: z.literal("start-draft", { error: "Use the buttons on this page." }),
  from: z.enum(["latest-approved", "empty"], { error: "Choose what the draft starts from" }),
  reason: z.string().trim().max(500, "Use at most 500 characters").optional(),
});

/** The scheme is its draft when there is one, else its latest version; a trust with none is offered a start. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { trust, role } = await requireTrustAccess(request, params.slug);
  const versions = await listVersions(await getDb(), trust.id);
  const draft = versions.find((v) => v.status === "draft");
  const current = draft ?? versions[0];
  if (current) throw redirect(`/trusts/${trust.slug}/versions/${current.number}`);
  return { canStart: can(role, "editDraft") };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { trust, user } = await requireTrustAccess(request, params.slug, "editDraft");
  const submission = await parseForm(request, StartSchema);
  if (submission.status !== "success") return invalid(submission);
  const db = await getDb();
  try {
    const existing = await findDraft(db, trust.id);
    if (existing) return redirect(`/trusts/${trust.slug}/versions/${existing.number}`);
    const draft = await startDraft(db, actorOf(user), { trustId: trust.id, from: submission.value.from, reason: submission.value.reason || null });
    return redirect(`/trusts/${trust.slug}/versions/${draft.number}`);
  } catch (error) {
    return refusal(submission, error);
  }
}

export default function SchemeStart() {
  const { canStart } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errors = actionData?.result.error?.[""] ?? null;
  return (
    <>
      <h1>Scheme of delegation</h1>
      <p className="lede">This trust has no scheme yet.</p>
      {canStart ? (
        <Form method="post" className="stack">
          <FormError id="start-errors" errors={errors} />
          <input type="hidden" name="intent" value="start-draft" />
          <input type="hidden" name="from" value="empty" />
          <p>
            Start a draft from the trust's responsibility catalogue and structure. You can also import the scheme the trust already
            has from a spreadsheet on the Import page.
          </p>
          <div>
            <button type="submit">Start a draft</button>
          </div>
        </Form>
      ) : (
        <p>Ask the trust's clerk, CEO or a trustee to start one.</p>
      )}
    </>
  );
}
