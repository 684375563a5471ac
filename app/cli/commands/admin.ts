import { COMMAND_LINE } from "../../models/audit.server";
import { createUser } from "../../models/user.server";
import { checkEmail, checkName } from "../accounts";
import type { Command } from "../command";
import { passwordFor } from "../password";

export const adminCreate: Command = {
  name: "admin create",
  summary: "Create a site administrator's account.",
  details:
    "A site administrator looks after the installation: every trust and every account. The password comes from\n" +
    "--password, else the SOD_PASSWORD environment variable, else you are asked for it (it is not shown as you type).\n" +
    "Prefer SOD_PASSWORD or the question to --password: other people on the machine can see command lines.",
  options: {
    email: { type: "string", value: "EMAIL", required: true, description: "The administrator's email address: they sign in with it." },
    name: { type: "string", value: "NAME", required: true, description: "Their name, as shown in the app and in the history of changes." },
    password: { type: "string", value: "PASSWORD", description: "Their password (at least 10 characters)." },
  },
  examples: ['sod admin create --email it@northdales.org.uk --name "Jo Bloggs"'],
  async run(args, context) {
    const email = checkEmail(args.required("email"));
    const name = checkName(args.required("name"));
    const password = await passwordFor(args, context, email);
    const user = await createUser(await context.database(), COMMAND_LINE, { email, name, password, isSiteAdmin: true });
    context.out(`Created the site administrator ${user.name} (${user.email}).`);
  },
};
