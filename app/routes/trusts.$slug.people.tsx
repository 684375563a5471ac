import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { getDb } from "~/db.server";
import { actorOf, requireTrustAccess } from "~/auth.server";
import { Field, FormError, SelectField } from "~/components/forms";
import { invalid, parseForm, refusal } from "~/forms.server";
import { RuleError } from "~/domain/errors";
import { can, ROLE_LABELS, ROLES, type Role } from "~/domain/roles";
import { addMember, changeRole, listMembers, removeMember } from "~/models/membership.server";
import { createUser, findUserByEmail, PASSWORD_MIN_LENGTH } from "~/models/user.server";

export const meta: MetaFunction = () => [{ title: "People · Scheme of delegation" }];

const roleField = z.enum(ROLES, { error: "Choose a role" });

const PeopleSchema = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("add"),
    email: z.email({ error: (i) => (i.input ? "Enter an email address like name@example.org" : "Enter their email address") }).max(254),
    name: z.string().trim().max(200, "Use at most 200 characters").optional(),
    role: roleField,
    password: z
      .string()
      .min(PASSWORD_MIN_LENGTH, `Use at least ${PASSWORD_MIN_LENGTH} characters`)
      .max(200, "Use at most 200 characters")
      .optional(),
  }),
  z.object({ intent: z.literal("change-role"), userId: z.uuid("Unknown member"), role: roleField }),
  z.object({ intent: z.literal("remove"), userId: z.uuid("Unknown member") }),
], { error: "Use the buttons on this page." });

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { trust, role, user } = await requireTrustAccess(request, params.slug);
  const members = await listMembers(await getDb(), trust.id);
  return { members, canManage: can(role, "manageUsers"), me: user.id };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { trust, user } = await requireTrustAccess(request, params.slug, "manageUsers");
  const submission = await parseForm(request, PeopleSchema);
  if (submission.status !== "success") return invalid(submission, { hideFields: ["password"] });
  const db = await getDb();
  const actor = actorOf(user);
  const value = submission.value;
  try {
    if (value.intent === "add") {
      let person = await findUserByEmail(db, value.email);
      if (!person) {
        if (!value.name) throw new RuleError("This is a new account: enter the person's name.", "name");
        if (!value.password) throw new RuleError("This is a new account: set a first password for them to change later.", "password");
        person = await createUser(db, actor, { email: value.email, name: value.name, password: value.password });
      }
      await addMember(db, actor, { trustId: trust.id, userId: person.id, role: value.role });
      return { result: submission.reply({ resetForm: true }), notice: `${person.name} is now a ${ROLE_LABELS[value.role]} of this trust.` };
    }
    if (value.intent === "change-role") {
      await changeRole(db, actor, { trustId: trust.id, userId: value.userId, role: value.role });
      return { result: submission.reply(), notice: "Role changed." };
    }
    await removeMember(db, actor, { trustId: trust.id, userId: value.userId });
    return { result: submission.reply(), notice: "Removed from this trust." };
  } catch (error) {
    return refusal(submission, error, { hideFields: ["password"] });
  }
}

const roleOptions = ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r] }));

export default function People() {
  const { members, canManage, me } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [form, fields] = useForm({
    id: "add-member",
    lastResult: actionData?.result,
    shouldRevalidate: "onBlur",
    defaultValue: { intent: "add", role: "viewer" },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: PeopleSchema }),
  });
  const notice = actionData && "notice" in actionData ? actionData.notice : null;
  return (
    <>
      <h1>People</h1>
      {notice ? (
        <p className="notice notice--success" role="status">
          {notice}
        </p>
      ) : null}
      <table className="data">
        <caption>Members of this trust and their roles</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Email</th>
            <th scope="col">Role</th>
            {canManage ? <th scope="col">Change</th> : null}
          </tr>
        </thead>
        <tbody>
          {members.map((m) => (
            <tr key={m.userId}>
              <td>{m.name}</td>
              <td>{m.email}</td>
              <td>{ROLE_LABELS[m.role as Role]}</td>
              {canManage ? (
                <td>
                  <Form method="post" className="inline-form">
                    <input type="hidden" name="intent" value="change-role" />
                    <input type="hidden" name="userId" value={m.userId} />
                    <label className="visually-hidden" htmlFor={`role-${m.userId}`}>
                      Role of {m.name}
                    </label>
                    <select id={`role-${m.userId}`} name="role" defaultValue={m.role}>
                      {roleOptions.map((o) => (
                        <option key={o.value} value={o.value}>
                          {o.label}
                        </option>
                      ))}
                    </select>
                    <button type="submit" className="secondary">
                      Change role<span className="visually-hidden"> of {m.name}</span>
                    </button>
                  </Form>
                  {m.userId !== me ? (
                    <Form method="post" className="inline-form">
                      <input type="hidden" name="intent" value="remove" />
                      <input type="hidden" name="userId" value={m.userId} />
                      <button type="submit" className="button-link">
                        Remove<span className="visually-hidden"> {m.name}</span>
                      </button>
                    </Form>
                  ) : null}
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
      {canManage ? (
        <>
          <h2>Add a member</h2>
          <Form method="post" {...getFormProps(form)} className="stack">
            <FormError id={form.errorId} errors={form.errors} />
            <input type="hidden" name="intent" value="add" />
            <Field meta={fields.email} label="Email address" type="email" />
            <SelectField meta={fields.role} label="Role" options={roleOptions} />
            <Field meta={fields.name} label="Name" hint="Only needed when they have no account yet" />
            <Field
              meta={fields.password}
              label="First password"
              type="password"
              autoComplete="new-password"
              hint={`Only for a new account: at least ${PASSWORD_MIN_LENGTH} characters. Give it to them privately; they can change it after signing in.`}
            />
            <div>
              <button type="submit">Add member</button>
            </div>
          </Form>
        </>
      ) : (
        <p className="muted">Only the trust's clerk can add or remove members.</p>
      )}
    </>
  );
}
