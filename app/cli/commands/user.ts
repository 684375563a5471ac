import { ROLE_LABELS, ROLES, isRole } from "../../domain/roles";
import { COMMAND_LINE } from "../../models/audit.server";
import { addMember } from "../../models/membership.server";
import { findMembership, findTrustBySlug } from "../../models/trust.server";
import { createUser, findUserByEmail } from "../../models/user.server";
import { checkEmail, checkName } from "../accounts";
import { CommandFailure, UsageError, type Command } from "../command";
import { passwordFor } from "../password";

export const userAdd: Command = {
  name: "user add",
  summary: "Make a person a member of a trust, creating their account if they have none.",
  details:
    "For a person without an account, --name and a password are needed: the password comes from --password,\n" +
    "else the SOD_PASSWORD environment variable, else you are asked for it. An existing account is kept as it is.\n" +
    "Roles: ceo (CEO), clerk (clerk / governance professional), trustee, viewer (reads only).",
  options: {
    trust: { type: "string", value: "SLUG", required: true, description: "The trust's short name (see sod trust list)." },
    email: { type: "string", value: "EMAIL", required: true, description: "The person's email address." },
    role: { type: "string", value: "ROLE", required: true, description: `Their role in the trust: ${ROLES.join(", ")}.` },
    name: { type: "string", value: "NAME", description: "Their name, for a new account." },
    password: { type: "string", value: "PASSWORD", description: "Their password, for a new account (at least 10 characters)." },
  },
  examples: [
    'sod user add --trust north-dales --email clerk@northdales.org.uk --role clerk --name "Sam Clerk"',
    "sod user add --trust north-dales --email head@school.org.uk --role viewer",
  ],
  async run(args, context) {
    const role = args.required("role");
    if (!isRole(role)) throw new UsageError(`The role must be one of ${ROLES.join(", ")}, not "${role}".`);
    const email = checkEmail(args.required("email"));
    const slug = args.required("trust");
    const db = await context.database();
    const trust = await findTrustBySlug(db, slug);
    if (!trust) throw new CommandFailure(`There is no trust with the short name "${slug}". Run "sod trust list" to see the trusts.`);

    const existing = await findUserByEmail(db, email);
    if (existing) {
      const membership = await findMembership(db, existing.id, slug);
      if (membership) {
        throw new CommandFailure(`${existing.name} (${email}) is already a member of ${trust.name}, as ${ROLE_LABELS[membership.role]}.`);
      }
      await addMember(db, COMMAND_LINE, { trustId: trust.id, userId: existing.id, role });
      context.out(`Added ${existing.name} (${email}) to ${trust.name} as ${ROLE_LABELS[role]}.`);
      if (args.text("name") !== undefined || args.text("password") !== undefined) {
        context.out("Their account already existed: its name and password were left as they are.");
      }
      return;
    }

    const given = args.text("name");
    if (given === undefined) throw new UsageError(`There is no account for ${email} yet: give --name (and a password) to create one.`);
    const name = checkName(given);
    const password = await passwordFor(args, context, email);
    await db.transaction(async (tx) => {
      const user = await createUser(tx, COMMAND_LINE, { email, name, password });
      await addMember(tx, COMMAND_LINE, { trustId: trust.id, userId: user.id, role });
    });
    context.out(`Created an account for ${name} (${email}) and added them to ${trust.name} as ${ROLE_LABELS[role]}.`);
  },
};
