import { DEMO_USERS, seedDemoTrust } from "../../../db/seed";
import { ROLE_LABELS, type Role } from "../../domain/roles";
import { COMMAND_LINE } from "../../models/audit.server";
import type { Command } from "../command";

export const seed: Command = {
  name: "seed",
  summary: "Add the demo trust, with its schools, scheme and demo accounts.",
  details: "Refuses, changing nothing, when the demo trust is already in the database.",
  examples: ["sod seed", "npm run db:seed"],
  async run(_args, context) {
    const demo = await seedDemoTrust(await context.database(), COMMAND_LINE);
    const schools = Object.keys(demo.schools).length;
    const bodies = Object.keys(demo.bodies).length;
    context.out(
      `Seeded the demo trust ${demo.trust.name} (short name ${demo.trust.slug}): ${schools} schools, ${bodies} governance bodies, ` +
        "an approved scheme and a draft.",
    );
    // The demo's sign-ins are public (the sign-in page shows them), so they are printed for trying the app.
    context.out("Demo sign-ins:");
    for (const [role, user] of Object.entries(demo.users) as [Role, { email: string }][]) {
      const password = DEMO_USERS.find((d) => d.email === user.email)?.password;
      context.out(`  ${ROLE_LABELS[role]}: ${user.email}${password ? ` / ${password}` : ""}`);
    }
  },
};
