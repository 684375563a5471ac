/**
 * What the database says when a write reaches a version that is no longer a draft, in the product's
 * words. The triggers of migrations 0001 and 0006 refuse any change to the rows and cells of an approved
 * or superseded version, waiting first for an approval in flight to commit: a save that loses that race
 * is told the version was approved, as one that arrives after it is.
 */
import type { VersionStatus } from "../domain/versions";
import { RuleError } from "../domain/errors";

interface DatabaseCause {
  code?: string;
  constraint_name?: string;
  constraint?: string;
}

function causeOf(error: unknown): DatabaseCause | undefined {
  return (error as { cause?: DatabaseCause } | null)?.cause;
}

/** The database's refusal to change an approved or superseded version (migrations 0001 and 0006). */
export function settledVersion(error: unknown): boolean {
  const cause = causeOf(error);
  return (cause?.constraint_name ?? cause?.constraint) === "scheme_versions_settled";
}

/** A write to the rows or cells of a version that was discarded meanwhile: its foreign key finds no version. */
export function versionGone(error: unknown): boolean {
  const cause = causeOf(error);
  return cause?.code === "23503" && /_version_fk$/.test(cause?.constraint_name ?? cause?.constraint ?? "");
}

/** A unique key on versions a simultaneous start of a draft trips: one draft per trust, one number per version. */
export function draftRace(error: unknown): boolean {
  const cause = causeOf(error);
  const name = cause?.constraint_name ?? cause?.constraint ?? "";
  return cause?.code === "23505" && (name === "scheme_versions_one_draft" || name === "scheme_versions_number_key");
}

export function notDraft(version: { number: number; status: VersionStatus }): RuleError {
  return new RuleError(`Version ${version.number} is ${version.status} and cannot be changed. Start a new draft to make changes.`);
}
