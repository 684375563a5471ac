/**
 * The forms of a school's earned-autonomy page: a performance record (an inspection of either
 * framework, outcomes, finances, safeguarding, leadership), a tier decision and a review.
 */
import type { FieldMetadata } from "@conform-to/react";
import { LEGACY_GRADE_LABELS, LEGACY_GRADES, RAG, REPORT_CARD_AREAS, REPORT_CARD_GRADES, TIERS, type Tier } from "~/domain/autonomy";
import {
  LEADERSHIP_STABILITIES,
  LEADERSHIP_STABILITY_LABELS,
  REPORT_CARD_AREA_LABELS,
  REPORT_CARD_GRADE_LABELS,
  reportCardField,
  TRENDS,
} from "~/domain/performance";
import { REVIEW_TRAVEL, REVIEW_TRAVEL_LABELS } from "~/domain/school-review";
import { ErrorList, Field, SelectField } from "./forms";

type Meta = FieldMetadata<string | undefined | null>;
type Fields = Record<string, Meta>;

const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
const blank = (label = "Not recorded") => ({ value: "", label });
const options = (values: readonly string[], labels: Partial<Record<string, string>> = {}) => values.map((v) => ({ value: v, label: labels[v] ?? capitalised(v.replace(/-/g, " ")) }));

function TextArea({ meta, label }: { meta: Meta; label: string }) {
  return (
    <div className="field" data-invalid={meta.errors ? "" : undefined}>
      <label htmlFor={meta.id}>{label}</label>
      <ErrorList id={meta.errorId} errors={meta.errors} />
      <textarea id={meta.id} name={meta.name} defaultValue={meta.initialValue ?? ""} rows={2} maxLength={2000} aria-invalid={meta.errors ? true : undefined} />
    </div>
  );
}

export function PerformanceRecordFields({ fields, bands }: { fields: Fields; bands: string[] }) {
  return (
    <>
      <Field meta={fields.asOf!} label="As of" type="date" hint="The inspection's date when the record holds one; never a date still to come." />
      <fieldset className="record-group">
        <legend>Inspection</legend>
        <p className="hint">A legacy grade or a 2025 report card, never both: Ofsted’s report-card grades cannot be compared with the old ones.</p>
        <SelectField
          meta={fields.inspectionFramework!}
          label="Inspection"
          options={[{ value: "none", label: "No inspection in this record" }, { value: "legacy", label: "Legacy grade (before November 2025)" }, { value: "report-card", label: "2025 report card" }]}
        />
        <SelectField meta={fields.legacyGrade!} label="Legacy grade" options={[blank("—"), ...LEGACY_GRADES.map((g) => ({ value: String(g), label: `${g} ${LEGACY_GRADE_LABELS[g]}` }))]} />
        <div className="report-card-grid">
          {REPORT_CARD_AREAS.map((area) => (
            <SelectField
              key={area}
              meta={fields[reportCardField(area)]!}
              label={`Report card: ${REPORT_CARD_AREA_LABELS[area]}`}
              options={[blank("—"), ...options(REPORT_CARD_GRADES, REPORT_CARD_GRADE_LABELS)]}
            />
          ))}
        </div>
        <SelectField meta={fields.safeguardingMet!} label="Safeguarding" options={[blank(), { value: "met", label: "Met" }, { value: "not-met", label: "Not met" }]} />
      </fieldset>
      <fieldset className="record-group">
        <legend>Outcomes</legend>
        <SelectField meta={fields.outcomesBand!} label="Outcomes band" options={[blank(), ...bands.map((b) => ({ value: b, label: b }))]} />
        <SelectField meta={fields.trend!} label="Trend" options={[blank(), ...options(TRENDS)]} />
      </fieldset>
      <fieldset className="record-group">
        <legend>Finances</legend>
        <Field meta={fields.inYearBalance!} label="In-year balance (£)" inputMode="decimal" hint="Negative for an in-year deficit, e.g. -12500.50." />
        <Field meta={fields.reserves!} label="Reserves (£)" inputMode="decimal" />
        <SelectField meta={fields.deficit!} label="Unplanned deficit" options={[blank(), { value: "no", label: "No" }, { value: "yes", label: "Yes" }]} />
      </fieldset>
      <fieldset className="record-group">
        <legend>Safeguarding audit and leadership</legend>
        <SelectField meta={fields.safeguardingAudit!} label="Internal safeguarding audit" options={[blank(), ...options(RAG)]} />
        <SelectField meta={fields.leadershipStability!} label="Leadership stability" options={[blank(), ...options(LEADERSHIP_STABILITIES, LEADERSHIP_STABILITY_LABELS)]} />
        <SelectField
          meta={fields.terminationWarning!}
          label="DfE termination warning notice"
          options={[{ value: "no", label: "No" }, { value: "yes", label: "Yes: a notice has been issued" }]}
        />
      </fieldset>
      <TextArea meta={fields.note!} label="Note (optional)" />
    </>
  );
}

export function TierDecisionFields({ fields, deciders, tierNames }: { fields: Fields; deciders: { id: string; name: string }[]; tierNames: Record<Tier, string> }) {
  return (
    <>
      <SelectField meta={fields.tier!} label="Tier" options={[blank("Choose a tier"), ...TIERS.map((t) => ({ value: t, label: `${tierNames[t]} (${t})` }))]} />
      <SelectField
        meta={fields.decidedByBodyId!}
        label="Decided by"
        hint="The board, or the committee it delegates this to."
        options={[blank("Choose the body"), ...deciders.map((d) => ({ value: d.id, label: d.name }))]}
      />
      <Field meta={fields.decidedOn!} label="Decided on" type="date" />
      <Field meta={fields.effectiveFrom!} label="Applies from" type="date" />
      <Field meta={fields.nextReviewOn!} label="Next review" type="date" />
      <TextArea meta={fields.evidence!} label="Evidence (the review, inspection or minute the decision rests on)" />
    </>
  );
}

export function ReviewFields({ fields }: { fields: Fields }) {
  return (
    <>
      <Field meta={fields.reviewedOn!} label="Reviewed on" type="date" />
      <SelectField meta={fields.travel!} label="Travel" options={[blank("Choose"), ...REVIEW_TRAVEL.map((t) => ({ value: t, label: REVIEW_TRAVEL_LABELS[t] }))]} />
      <TextArea meta={fields.summary!} label="Summary (optional)" />
    </>
  );
}
