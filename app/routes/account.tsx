import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { getDb } from "~/db.server";
import { actorOf, endOtherSessions, requireUser } from "~/auth.server";
import { Field, FormError } from "~/components/forms";
import { invalid, parseForm, refusal } from "~/forms.server";
import { RuleError } from "~/domain/errors";
import { PASSWORD_MIN_LENGTH, setPassword, verifyCredentials } from "~/models/user.server";

export const meta: MetaFunction = () => [{ title: "Your account · Scheme of delegation" }];

const PasswordSchema = z
  .object({
    current: z.string({ error: "Enter your current password" }).min(1, "Enter your current password").max(200),
    password: z
      .string({ error: "Enter a new password" })
      .min(PASSWORD_MIN_LENGTH, `Use at least ${PASSWORD_MIN_LENGTH} characters`)
      .max(200, "Use at most 200 characters"),
    confirm: z.string({ error: "Enter the new password again" }).max(200),
  })
  .refine((v) => v.password === v.confirm, { message: "The two new passwords are not the same", path: ["confirm"] });

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return { name: user.name, email: user.email };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const submission = await parseForm(request, PasswordSchema);
  const hideFields = ["current", "password", "confirm"];
  if (submission.status !== "success") return invalid(submission, { hideFields });
  const db = await getDb();
  try {
    if (!(await verifyCredentials(db, user.email, submission.value.current))) {
      throw new RuleError("Your current password is not right.", "current");
    }
    await setPassword(db, actorOf(user), user.id, submission.value.password);
    await endOtherSessions(request, user.id);
    return { result: submission.reply({ resetForm: true }), notice: "Your password has been changed. Anywhere else you were signed in, you have been signed out." };
  } catch (error) {
    return refusal(submission, error, { hideFields });
  }
}

export default function Account() {
  const { name, email } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [form, fields] = useForm({
    id: "change-password",
    lastResult: actionData?.result,
    shouldRevalidate: "onBlur",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: PasswordSchema }),
  });
  const notice = actionData && "notice" in actionData ? actionData.notice : null;
  return (
    <>
      <h1>Your account</h1>
      <p>
        {name} · {email}
      </p>
      {notice ? (
        <p className="notice notice--success" role="status">
          {notice}
        </p>
      ) : null}
      <h2>Change your password</h2>
      <Form method="post" {...getFormProps(form)} className="stack">
        <FormError id={form.errorId} errors={form.errors} />
        <Field meta={fields.current} label="Current password" type="password" autoComplete="current-password" />
        <Field meta={fields.password} label="New password" type="password" autoComplete="new-password" hint={`At least ${PASSWORD_MIN_LENGTH} characters`} />
        <Field meta={fields.confirm} label="New password again" type="password" autoComplete="new-password" />
        <div>
          <button type="submit">Change password</button>
        </div>
      </Form>
    </>
  );
}
