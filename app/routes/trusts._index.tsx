import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { getDb } from "~/db.server";
import { actorOf, requireSiteAdmin, requireUser } from "~/auth.server";
import { Field, FormError } from "~/components/forms";
import { invalid, parseForm, refusal } from "~/forms.server";
import { ROLE_LABELS, type Role } from "~/domain/roles";
import { RuleError } from "~/domain/errors";
import { addMember } from "~/models/membership.server";
import { createTrust, listAllTrusts, listTrustsForUser, SLUG_PATTERN } from "~/models/trust.server";
import { findUserByEmail } from "~/models/user.server";

export const meta: MetaFunction = () => [{ title: "Your trusts · Scheme of delegation" }];

const CreateTrustSchema = z.object({
  name: z.string({ error: "Enter the trust's name" }).trim().min(1, "Enter the trust's name").max(200, "Use at most 200 characters"),
  slug: z
    .string({ error: "Enter a short name for web addresses" })
    .trim()
    .regex(SLUG_PATTERN, "Use lower-case letters, digits and hyphens, e.g. north-dales-trust"),
  clerkEmail: z.email("Enter the email address of an existing account").optional(),
});

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const db = await getDb();
  const mine = await listTrustsForUser(db, user.id);
  const all = user.isSiteAdmin ? await listAllTrusts(db) : null;
  return { mine, all, isSiteAdmin: user.isSiteAdmin };
}

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireSiteAdmin(request);
  const submission = await parseForm(request, CreateTrustSchema);
  if (submission.status !== "success") return invalid(submission);
  const db = await getDb();
  try {
    const clerk = submission.value.clerkEmail ? await findUserByEmail(db, submission.value.clerkEmail) : null;
    if (submission.value.clerkEmail && !clerk) {
      throw new RuleError("There is no account with that email address. Create it first (npx sod user add), or leave this empty.", "clerkEmail");
    }
    const trust = await createTrust(db, actorOf(admin), { name: submission.value.name, slug: submission.value.slug });
    if (clerk) await addMember(db, actorOf(admin), { trustId: trust.id, userId: clerk.id, role: "clerk" });
    return redirect(`/trusts?created=${encodeURIComponent(trust.slug)}`);
  } catch (error) {
    return refusal(submission, error);
  }
}

export default function Trusts() {
  const { mine, all, isSiteAdmin } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [form, fields] = useForm({
    id: "create-trust",
    lastResult: actionData?.result,
    shouldRevalidate: "onBlur",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: CreateTrustSchema }),
  });
  return (
    <>
      <h1>Your trusts</h1>
      {mine.length === 0 ? (
        <p className="lede">You are not a member of any trust yet. Ask your trust's clerk to add you.</p>
      ) : (
        <ul className="summary-cards">
          {mine.map((t) => (
            <li key={t.id}>
              <Link to={`/trusts/${t.slug}`}>{t.name}</Link>
              <p className="muted">{ROLE_LABELS[t.role as Role]}</p>
            </li>
          ))}
        </ul>
      )}
      {isSiteAdmin && all ? (
        <>
          <h2>All trusts on this site</h2>
          <table className="data">
            <thead>
              <tr>
                <th scope="col">Trust</th>
                <th scope="col">Short name</th>
                <th scope="col" className="numeric">
                  Schools
                </th>
              </tr>
            </thead>
            <tbody>
              {all.map((t) => (
                <tr key={t.id}>
                  <td>{t.name}</td>
                  <td>{t.slug}</td>
                  <td className="numeric">{t.schools}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h2>Create a trust</h2>
          <Form method="post" {...getFormProps(form)} className="stack">
            <FormError id={form.errorId} errors={form.errors} />
            <Field meta={fields.name} label="Trust name" />
            <Field meta={fields.slug} label="Short name" hint="Used in web addresses, e.g. north-dales-trust" />
            <Field meta={fields.clerkEmail} label="Clerk's email (optional)" hint="An existing account, to be the trust's first clerk" type="email" />
            <div>
              <button type="submit">Create trust</button>
            </div>
          </Form>
        </>
      ) : null}
    </>
  );
}
