import { SEVERITIES, type Severity } from "../../domain/rules/types";
import { findVersionByNumber, listVersions, type VersionRecord } from "../../models/scheme.server";
import { findTrustBySlug } from "../../models/trust.server";
import { validateVersion, type CheckedFinding } from "../../models/validation.server";
import { CommandFailure, UsageError, type Command } from "../command";
import { counted } from "../../domain/counted";
const HEADINGS: Record<Severity, string> = { error: "Errors", warning: "Warnings", info: "For information" };

type Counts = Record<Severity, number> & { acknowledged: number; unacknowledgedErrors: number };

function countsOf(findings: CheckedFinding[]): Counts {
  const counts = Object.fromEntries(SEVERITIES.map((s) => [s, findings.filter((f) => f.severity === s).length])) as Record<Severity, number>;
  return {
    ...counts,
    acknowledged: findings.filter((f) => f.acknowledged).length,
    unacknowledgedErrors: findings.filter((f) => f.severity === "error" && !f.acknowledged).length,
  };
}

/** Which version was checked, in words: "draft version 2", "version 1 (the latest approved)". */
function described(version: VersionRecord, chosen: boolean): string {
  if (chosen) return `version ${version.number} (${version.status})`;
  return version.status === "draft" ? `draft version ${version.number}` : `version ${version.number} (the latest approved; there is no draft)`;
}

export const validateCommand: Command = {
  name: "validate",
  summary: "Check a version of a trust's scheme and list what the checks find.",
  details:
    "Runs every check of the scheme (structure, statutory, coherence with the trust's strategy, break points) on one\n" +
    "version, with the trust's own thresholds. Without --version the latest is checked: the draft if there is one,\n" +
    "else the newest approved version. Findings are listed by severity with their rule, and those the trust has\n" +
    "acknowledged show its reason. The exit code is 1 when any error is not acknowledged, so that a script can stop on it.",
  options: {
    trust: { type: "string", value: "SLUG", required: true, description: "The trust's short name (see sod trust list)." },
    version: { type: "string", value: "N", description: "The version's number (default: the draft, else the newest approved)." },
    json: { type: "boolean", description: "Print the findings as JSON, for scripts." },
  },
  examples: ["sod validate --trust north-dales", "sod validate --trust north-dales --version 1 --json"],
  async run(args, context) {
    const versionText = args.text("version");
    if (versionText !== undefined && !/^[1-9]\d*$/.test(versionText.trim())) {
      throw new UsageError(`--version takes a version's number, e.g. 2 (not "${versionText}").`);
    }
    const slug = args.required("trust");
    const db = await context.database();
    const trust = await findTrustBySlug(db, slug);
    if (!trust) throw new CommandFailure(`There is no trust with the short name "${slug}". Run "sod trust list" to see the trusts.`);
    let version: VersionRecord | null | undefined;
    if (versionText !== undefined) {
      version = await findVersionByNumber(db, trust.id, Number(versionText));
      if (!version) throw new CommandFailure(`${trust.name} has no version ${Number(versionText)} of its scheme.`);
    } else {
      const versions = await listVersions(db, trust.id);
      version = versions.find((v) => v.status === "draft") ?? versions.find((v) => v.status === "approved");
      if (!version) throw new CommandFailure(`${trust.name} has no scheme versions yet: start a draft or import a matrix first.`);
    }
    const { findings } = await validateVersion(db, trust.id, version.id);
    const counts = countsOf(findings);

    if (args.flag("json")) {
      const output = {
        trust: { slug: trust.slug, name: trust.name },
        version: { number: version.number, status: version.status },
        findings: findings.map((f) => ({
          ruleId: f.ruleId,
          family: f.family,
          severity: f.severity,
          message: f.message,
          rationale: f.rationale,
          source: f.source,
          cells: f.cells,
          rowIds: f.rowIds,
          schoolIds: f.schoolIds,
          fix: f.fix,
          key: f.key,
          acknowledged: f.acknowledged,
        })),
        counts,
      };
      context.out(JSON.stringify(output, null, 2));
    } else {
      context.out(`Checked ${described(version, versionText !== undefined)} of ${trust.name}'s scheme.`);
      for (const severity of SEVERITIES) {
        const group = findings.filter((f) => f.severity === severity);
        if (group.length === 0) continue;
        context.out("");
        context.out(`${HEADINGS[severity]} (${group.length}):`);
        for (const f of group) {
          context.out(`  ${f.ruleId}  ${f.message}${f.acknowledged ? ` (acknowledged: ${f.acknowledged.reason})` : ""}`);
        }
      }
      context.out("");
      const total =
        findings.length === 0
          ? "No findings."
          : `${counted(counts.error, "error")}, ${counted(counts.warning, "warning")}, ${counts.info} for information` +
            (counts.acknowledged > 0 ? `; ${counts.acknowledged} acknowledged` : "") +
            ".";
      context.out(total);
    }
    if (counts.unacknowledgedErrors > 0) {
      throw new CommandFailure(
        `${counted(counts.unacknowledgedErrors, "error")} of version ${version.number} ${counts.unacknowledgedErrors === 1 ? "is" : "are"} not acknowledged: fix ${counts.unacknowledgedErrors === 1 ? "it" : "them"}, or acknowledge ${counts.unacknowledgedErrors === 1 ? "it" : "them"} with a reason.`,
      );
    }
  },
};
