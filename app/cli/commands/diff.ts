import type { Tier } from "../../domain/autonomy";
import { NotFoundError, RuleError } from "../../domain/errors";
import { namedTier } from "../../domain/variants";
import {
  bodyChangeWords,
  cellChangeWords,
  diffCounts,
  rowChangeWords,
  schoolChangeWords,
  variantChangeWords,
  type VariantChange,
  type VersionDiff,
} from "../../domain/version-diff";
import { findTrustBySlug } from "../../models/trust.server";
import { loadVersionDiff } from "../../models/version-diff.server";
import { CommandFailure, UsageError, type Command } from "../command";
import { counted } from "../../domain/counted";
function versionNumber(option: string, text: string | undefined): number | null {
  if (text === undefined) return null;
  if (!/^[1-9]\d*$/.test(text.trim())) throw new UsageError(`--${option} takes a version's number, e.g. 2 (not "${text}").`);
  return Number(text.trim());
}

/** The difference as lines of text, section by section; sections with nothing in them are left out. */
function describe(diff: VersionDiff, tierNames: Record<Tier, string>): string[] {
  const lines: string[] = [];
  const section = (heading: string, body: string[]) => {
    if (body.length === 0) return;
    lines.push("", `${heading}:`, ...body);
  };
  const variant = (c: VariantChange) => `    ${c.ref} ${c.title} · ${c.column}: ${variantChangeWords(c.from, c.to)}`;
  section("Responsibilities", [
    ...diff.rows.added.map((r) => `  added    ${r.ref} ${r.title}`),
    ...diff.rows.retired.map((r) => `  retired  ${r.ref} ${r.title}`),
    ...[...diff.rows.renamed, ...diff.rows.amended].map((c) => `  changed  ${c.after.ref} ${c.after.title}: ${rowChangeWords(c).join("; ")}`),
  ]);
  section(
    "Cells, by area",
    diff.cells.flatMap((a) => [
      `  ${a.area === 0 ? a.areaName : `${a.area}. ${a.areaName}`} (${a.changes.length}):`,
      ...a.changes.map((c) => `    ${c.ref} ${c.title} · ${c.column}: ${cellChangeWords(c.from, c.to)}`),
    ]),
  );
  section(
    "Tier variants",
    diff.tiers.flatMap((t) => [`  ${namedTier(t.tier, tierNames)} (${t.changes.length}):`, ...t.changes.map(variant)]),
  );
  section(
    "School variations",
    diff.schools.flatMap((x) => [`  ${x.schoolName} (${x.changes.length}):`, ...x.changes.map(variant)]),
  );
  const s = diff.structure;
  section("Bodies and schools", [
    ...s.columns.added.map((c) => `  column added    ${c.name} (${c.mode})`),
    ...s.columns.removed.map((c) => `  column removed  ${c.name}`),
    ...s.columns.changed.map((c) => `  column changed  ${c.after.name}: ${bodyChangeWords(c).join("; ")}`),
    ...s.boards.added.map((b) => `  board added     ${b.name} (${b.mode})`),
    ...s.boards.removed.map((b) => `  board removed   ${b.name}`),
    ...s.boards.changed.map((b) => `  board changed   ${b.after.name}: ${bodyChangeWords(b).join("; ")}`),
    ...s.schools.added.map((x) => `  school joined   ${x.name} (URN ${x.urn})`),
    ...s.schools.removed.map((x) => `  school left     ${x.name} (URN ${x.urn})`),
    ...s.schools.changed.map((x) => `  school changed  ${x.after.name}: ${schoolChangeWords(x).join("; ")}`),
  ]);
  section("Findings", [
    ...(diff.findings?.appeared ?? []).map((f) => `  appeared     ${f.ruleId}  ${f.message}`),
    ...(diff.findings?.disappeared ?? []).map((f) => `  disappeared  ${f.ruleId}  ${f.message}`),
  ]);
  return lines;
}

export const diffCommand: Command = {
  name: "diff",
  summary: "List what changed between two versions of a trust's scheme.",
  details:
    "Compares two versions of the scheme: responsibilities added, retired and renamed; cells changed (from → to),\n" +
    "by area; tier variants and school variations changed; bodies and schools added, removed or made advisory;\n" +
    "and the findings of the checks that appeared or disappeared. Without --from, version --to is compared with\n" +
    "the version it was started from, else the newest version approved before it. The exit code is 0 whether or\n" +
    "not anything changed.",
  options: {
    trust: { type: "string", value: "SLUG", required: true, description: "The trust's short name (see sod trust list)." },
    from: { type: "string", value: "N", description: "The older version's number (default: the version --to was started from)." },
    to: { type: "string", value: "M", required: true, description: "The newer version's number." },
    json: { type: "boolean", description: "Print the difference as JSON, for scripts." },
  },
  examples: ["sod diff --trust north-dales --from 1 --to 2", "sod diff --trust north-dales --to 2 --json"],
  async run(args, context) {
    const from = versionNumber("from", args.text("from"));
    const to = versionNumber("to", args.required("to"))!;
    const slug = args.required("trust");
    const db = await context.database();
    const trust = await findTrustBySlug(db, slug);
    if (!trust) throw new CommandFailure(`There is no trust with the short name "${slug}". Run "sod trust list" to see the trusts.`);
    let loaded;
    try {
      loaded = await loadVersionDiff(db, trust.id, { to, from });
    } catch (error) {
      if (error instanceof NotFoundError) throw new CommandFailure(`${error.message} ${trust.name}'s versions are listed on its scheme page.`);
      if (error instanceof RuleError) throw new CommandFailure(error.message);
      throw error;
    }
    const { diff, tierNames } = loaded;
    const counts = diffCounts(diff);
    if (args.flag("json")) {
      const output = {
        trust: { slug: trust.slug, name: trust.name },
        from: { number: loaded.from.number, status: loaded.from.status },
        to: { number: loaded.to.number, status: loaded.to.status },
        counts,
        rows: diff.rows,
        cells: diff.cells,
        tiers: diff.tiers,
        schools: diff.schools,
        structure: diff.structure,
        findings: diff.findings,
      };
      context.out(JSON.stringify(output, null, 2));
      return;
    }
    context.out(
      `Changes from version ${loaded.from.number} (${loaded.from.status}) to version ${loaded.to.number} (${loaded.to.status}) of ${trust.name}'s scheme.`,
    );
    const lines = describe(diff, tierNames);
    for (const line of lines) context.out(line);
    context.out("");
    const structure = counts.structureChanges;
    context.out(
      lines.length === 0
        ? "No changes."
        : `${counted(counts.rowsAdded + counts.rowsRetired + counts.rowsRenamed + counts.rowsAmended, "responsibility", "responsibilities")} added, retired or changed; ` +
            `${counted(counts.cellsChanged, "cell")}, ${counted(counts.tierVariantsChanged, "tier variant")} and ${counted(counts.schoolVariationsChanged, "school variation")} changed; ` +
            `${counted(structure, "change")} to bodies and schools; ${counts.findingsAppeared} ${counts.findingsAppeared === 1 ? "finding" : "findings"} appeared and ${counts.findingsDisappeared} disappeared.`,
    );
  },
};
