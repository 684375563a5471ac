import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { getDb } from "~/db.server";
import { getUser, safeRedirect, signIn } from "~/auth.server";
import { Field, FormError } from "~/components/forms";
import { parseForm, invalid } from "~/forms.server";
import { ROLE_LABELS } from "~/domain/roles";
import { demoSignIns } from "~/models/demo.server";
import { clearFailedSignIns, recordFailedSignIn, signInBlockedFor } from "~/models/session.server";
import { normaliseEmail, verifyCredentials } from "~/models/user.server";

export const meta: MetaFunction = () => [{ title: "Sign in · Scheme of delegation" }];

const SignInSchema = z.object({
  email: z.email({ error: (issue) => (issue.input ? "Enter an email address like name@example.org" : "Enter your email address") }).max(254, "That email address is too long"),
  password: z.string({ error: "Enter your password" }).min(1, "Enter your password").max(200, "That password is too long"),
  redirectTo: z.string().max(2000).optional(),
});

export async function loader({ request }: LoaderFunctionArgs) {
  if (await getUser(request)) throw redirect("/trusts");
  return { demo: await demoSignIns(await getDb()) };
}

const WRONG = "The email address or password is not right. Check them and try again.";

export async function action({ request, context }: ActionFunctionArgs) {
  const submission = await parseForm(request, SignInSchema);
  if (submission.status !== "success") return invalid(submission, { hideFields: ["password"] });
  const db = await getDb();
  const email = normaliseEmail(submission.value.email);
  const ip = context.clientIp ?? "unknown";
  const waitMinutes = await signInBlockedFor(db, email, ip);
  if (waitMinutes > 0) {
    return data(
      {
        result: submission.reply({
          formErrors: [`Too many attempts to sign in. Wait ${waitMinutes} minute${waitMinutes === 1 ? "" : "s"} and try again.`],
          hideFields: ["password"],
        }),
      },
      { status: 429 },
    );
  }
  const user = await verifyCredentials(db, email, submission.value.password);
  if (!user) {
    await recordFailedSignIn(db, email, ip);
    return data({ result: submission.reply({ formErrors: [WRONG], hideFields: ["password"] }) }, { status: 400 });
  }
  await clearFailedSignIns(db, email);
  return signIn(request, user.id, safeRedirect(submission.value.redirectTo));
}

export default function SignIn() {
  const { demo } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const navigation = useNavigation();
  const [form, fields] = useForm({
    id: "sign-in",
    lastResult: actionData?.result,
    shouldRevalidate: "onBlur",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: SignInSchema }),
  });
  return (
    <>
      <h1>Sign in</h1>
      <p className="lede">Write, check and publish your trust's scheme of delegation.</p>
      <Form method="post" {...getFormProps(form)} className="stack">
        <FormError id={form.errorId} errors={form.errors} />
        <input type="hidden" name="redirectTo" value={searchParams.get("redirectTo") ?? ""} />
        <Field meta={fields.email} label="Email address" type="email" autoComplete="username" />
        <Field meta={fields.password} label="Password" type="password" autoComplete="current-password" />
        <div>
          <button type="submit" disabled={navigation.state === "submitting"}>
            Sign in
          </button>
        </div>
      </Form>
      {demo ? (
        <section className="demo-panel" aria-labelledby="demo-heading">
          <h2 id="demo-heading">Demo sign-ins</h2>
          <p>This installation holds the demo trust. Sign in as any of these people to try each role:</p>
          <table className="data">
            <thead>
              <tr>
                <th scope="col">Role</th>
                <th scope="col">Email</th>
                <th scope="col">Password</th>
              </tr>
            </thead>
            <tbody>
              {demo.map((u) => (
                <tr key={u.email}>
                  <td>{ROLE_LABELS[u.role]}</td>
                  <td>{u.email}</td>
                  <td>
                    <code>{u.password}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : null}
    </>
  );
}
