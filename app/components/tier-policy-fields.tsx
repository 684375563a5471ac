/**
 * The fields of the tier policy form: per tier its name, description, reviews a year, what changes
 * in the scheme and its thresholds; then the trust's outcomes bands. A threshold with a fixed set of
 * answers is a list to choose from, where "none" has its meaning said; a number is typed.
 */
import type { FieldMetadata } from "@conform-to/react";
import { LEGACY_GRADE_LABELS, LEGACY_GRADES, REPORT_CARD_GRADES, type Tier } from "~/domain/autonomy";
import { REPORT_CARD_GRADE_LABELS } from "~/domain/performance";
import { DEFAULT_TIER_POLICY } from "~/domain/tier-policy";
import { THRESHOLD_LABELS, thresholdInWords } from "~/domain/tier-policy-words";
import { ErrorList, Field, SelectField } from "./forms";

export type Meta = FieldMetadata<string | undefined | null>;
type Option = { value: string; label: string };

const legacyGrades = (none: string): Option[] => [{ value: "", label: none }, ...LEGACY_GRADES.map((g) => ({ value: String(g), label: `${g} ${LEGACY_GRADE_LABELS[g]}` }))];
const reportCardGrades = (none: string): Option[] => [{ value: "", label: none }, ...REPORT_CARD_GRADES.map((g) => ({ value: g, label: REPORT_CARD_GRADE_LABELS[g] }))];

/** The answers of a threshold chosen from a list; null for one typed as a number. */
function choices(key: string, bands: string[], current: string | undefined): Option[] | null {
  const bandChoices = () => {
    // A band no longer in the list stays choosable, so that what is saved is what is shown (and refused with its reason).
    const known = current && !bands.includes(current) ? [...bands, current] : bands;
    return [{ value: "", label: "Not asked for" }, ...known.map((b) => ({ value: b, label: bands.includes(b) ? b : `${b} (not one of the bands below)` }))];
  };
  switch (key) {
    case "minLegacyGrade":
      return legacyGrades("None: a legacy grade never earns autonomy");
    case "legacyGradeFrom":
      return legacyGrades("None: a legacy grade never calls for support");
    case "minReportCardGrade":
      return reportCardGrades("None set: a report card cannot earn autonomy (EA-15)");
    case "reportCardGradeFrom":
      return reportCardGrades("None set: a report card is not judged for support (EA-15)");
    case "minSafeguardingAudit":
      return [
        { value: "", label: "Not asked for" },
        { value: "green", label: "Green" },
        { value: "amber", label: "Amber or green" },
      ];
    case "noUnplannedDeficit":
      return [
        { value: "yes", label: "Yes" },
        { value: "no", label: "No" },
      ];
    case "minOutcomesBand":
    case "glassCeilingBand":
      return bandChoices();
    default:
      return null;
  }
}

function TextArea({ meta, label, hint, rows = 3, errors }: { meta: Meta; label: string; hint?: string; rows?: number; errors?: string[] }) {
  const shown = errors ?? meta.errors;
  const hintId = hint ? `${meta.id}-hint` : undefined;
  const describedBy = [hintId, shown?.length ? meta.errorId : undefined].filter(Boolean).join(" ") || undefined;
  return (
    <div className="field" data-invalid={shown?.length ? "" : undefined}>
      <label htmlFor={meta.id}>{label}</label>
      {hint ? (
        <span id={hintId} className="hint">
          {hint}
        </span>
      ) : null}
      <ErrorList id={meta.errorId} errors={shown} />
      <textarea id={meta.id} name={meta.name} key={meta.key} defaultValue={meta.initialValue ?? ""} rows={rows} aria-invalid={shown?.length ? true : undefined} aria-describedby={describedBy} />
    </div>
  );
}

export function TierFields({ tier, fields, criteria, bands }: { tier: Tier; fields: Record<"name" | "description" | "reviewsPerYear", Meta>; criteria: Record<string, Meta>; bands: string[] }) {
  const defaults = DEFAULT_TIER_POLICY.tiers[tier];
  const defaultCriteria = defaults.criteria as unknown as Record<string, unknown>;
  return (
    <>
      <Field meta={fields.name} label="Name" hint={`The default is ${defaults.name}.`} />
      <TextArea meta={fields.description} label="What the tier means (optional)" rows={2} />
      <Field meta={fields.reviewsPerYear} label="Reviews a year" inputMode="numeric" hint={`A whole number from 1 to 12; the default is ${defaults.reviewsPerYear}.`} />
      <TextArea meta={criteria.schemeChanges!} label="What changes in the scheme" hint="Shown on each school's page in this tier. The cells themselves are the tier's variants in the matrix." />
      {Object.entries(THRESHOLD_LABELS[tier] as Record<string, string>).map(([key, label]) => {
        const meta = criteria[key]!;
        const options = choices(key, bands, meta.value ?? undefined);
        const hint = `The default is ${thresholdInWords(key, defaultCriteria[key])}.`;
        return options ? <SelectField key={key} meta={meta} label={label} options={options} hint={hint} /> : <Field key={key} meta={meta} label={label} inputMode="numeric" hint={hint} />;
      })}
    </>
  );
}

/** The trust's outcomes bands, one a line; a message about any one band is shown here too. */
export function BandsField({ meta, errors }: { meta: Meta; errors: string[] }) {
  return (
    <TextArea
      meta={meta}
      label="Outcomes bands, lowest first, one a line"
      rows={6}
      errors={errors.length > 0 ? errors : undefined}
      hint={`The bands a school's outcomes are recorded in, e.g. the DfE's Progress 8 categories (the default: ${DEFAULT_TIER_POLICY.outcomesBands.join(", ")}).`}
    />
  );
}
