import { seedDemoTrust } from "../../../db/seed";
import { COMMAND_LINE } from "../../models/audit.server";
import type { Command } from "../command";

/** What the seed says it created, in a sentence; it may return a trust, a summary or nothing. */
function describeSeeded(result: unknown): string {
  if (typeof result === "string" && result.trim() !== "") return result;
  if (result && typeof result === "object") {
    const { trust, name, slug } = result as { trust?: unknown; name?: unknown; slug?: unknown };
    if (typeof name === "string" && typeof slug === "string") return `Seeded the demo trust ${name} (short name ${slug}).`;
    if (trust) return describeSeeded(trust);
  }
  return "Seeded the demo trust.";
}

export const seed: Command = {
  name: "seed",
  summary: "Add the demo trust, with its schools, scheme and demo accounts.",
  examples: ["sod seed", "npm run db:seed"],
  async run(_args, context) {
    const result: unknown = await seedDemoTrust(await context.database(), COMMAND_LINE);
    context.out(describeSeeded(result));
  },
};
