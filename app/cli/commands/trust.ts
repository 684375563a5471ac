import { COMMAND_LINE } from "../../models/audit.server";
import { checkSlug, createTrust, listAllTrusts } from "../../models/trust.server";
import type { Command } from "../command";

export const trustCreate: Command = {
  name: "trust create",
  summary: "Create a trust, with the default responsibility catalogue, autonomy tiers and strategy profile.",
  options: {
    name: { type: "string", value: "NAME", required: true, description: "The trust's full name (up to 200 characters)." },
    slug: {
      type: "string",
      value: "SLUG",
      required: true,
      description: "Its short name in web addresses: lower-case letters, digits and hyphens (e.g. north-dales).",
    },
  },
  examples: ['sod trust create --name "North Dales Learning Trust" --slug north-dales'],
  async run(args, context) {
    const slug = args.required("slug");
    checkSlug(slug);
    const trust = await createTrust(await context.database(), COMMAND_LINE, { name: args.required("name"), slug });
    context.out(`Created the trust ${trust.name} (short name ${trust.slug}).`);
  },
};

export const trustList: Command = {
  name: "trust list",
  summary: "List every trust of the installation.",
  options: {
    json: { type: "boolean", description: "Print the list as JSON, for scripts." },
  },
  examples: ["sod trust list", "sod trust list --json"],
  async run(args, context) {
    const trusts = await listAllTrusts(await context.database());
    if (args.flag("json")) {
      context.out(JSON.stringify(trusts, null, 2));
      return;
    }
    if (trusts.length === 0) {
      context.out('There are no trusts yet. Create one with "sod trust create".');
      return;
    }
    const rows = [["Short name", "Name", "Schools"], ...trusts.map((t) => [t.slug, t.isDemo ? `${t.name} (demo)` : t.name, String(t.schools)])];
    const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
    for (const row of rows) context.out(row.map((cell, column) => cell.padEnd(widths[column]!)).join("  ").trimEnd());
  },
};
