/**
 * The fields of the responsibility forms (adding a row, editing one) and their checks. The same
 * schemas run in the browser and on the server; the model checks again, in the same words.
 */
import { getTextareaProps, type FieldMetadata } from "@conform-to/react";
import { z } from "zod";
import { LARGEST_VERSION } from "~/domain/record-versions";
import { AREAS, AREA_NUMBERS, UNCLASSIFIED_AREA } from "~/domain/areas";
import { INNOVATION_ELIGIBLE, STRAND_OF_CONSISTENCY } from "~/domain/catalogue";
import {
  CATALOGUE_TAGS,
  GUIDANCE_MAX,
  REF_MAX,
  SECTION_MAX,
  TITLE_MAX,
  constraintProblem,
  normaliseDecisionKinds,
  normaliseExcludedKinds,
  tagProblem,
} from "~/domain/catalogue-refs";
import { BODY_KINDS, BODY_KIND_LABELS } from "~/domain/structure";
import { ErrorList, Field, SelectField } from "./forms";

const limit = (max: number, what: string) => `Use at most ${max.toLocaleString("en-GB")} characters for ${what}`;
const kinds = z.array(z.enum(BODY_KINDS, { error: "Choose levels from the list" })).optional();

/** What adding and editing a row both ask. */
export const rowDetails = {
  area: z.enum(
    AREA_NUMBERS.map((n) => String(n)),
    { error: "Choose one of the 12 areas, or Unclassified" },
  ),
  title: z.string({ error: "Give the responsibility a title" }).trim().min(1, "Give the responsibility a title").max(TITLE_MAX, limit(TITLE_MAX, "the title")),
  guidance: z.string().trim().max(GUIDANCE_MAX, limit(GUIDANCE_MAX, "the guidance")).optional(),
  section: z.string().trim().max(SECTION_MAX, limit(SECTION_MAX, "the section heading")).optional(),
  ref: z.string().trim().max(REF_MAX, limit(REF_MAX, "the ref")).optional(),
  tags: z.array(z.enum([STRAND_OF_CONSISTENCY, INNOVATION_ELIGIBLE], { error: "Choose tags from the list" })).optional(),
};

/** What editing asks as well: the version the form read, and the constraint of the trust's own rows. */
export const editDetails = {
  ...rowDetails,
  ref: z.string({ error: "Give the row a ref, such as 4.6" }).trim().min(1, "Give the row a ref, such as 4.6").max(REF_MAX, limit(REF_MAX, "the ref")),
  version: z.number({ error: "The form was incomplete; open the row again" }).int().min(1).max(LARGEST_VERSION, "The form is out of date; open the row again"),
  /** Present when the form offered the constraint (the trust's own rows). */
  constraint: z.literal("offered").optional(),
  decisionKinds: kinds,
  excludedKinds: kinds,
};

/** Checks across fields, in the domain's words. */
export function crossCheck(
  value: { tags?: string[]; decisionKinds?: (typeof BODY_KINDS)[number][]; excludedKinds?: (typeof BODY_KINDS)[number][] },
  ctx: z.RefinementCtx,
) {
  const tagIssue = tagProblem(value.tags ?? []);
  if (tagIssue) ctx.addIssue({ code: "custom", path: ["tags"], message: tagIssue });
  const issue = constraintProblem(normaliseDecisionKinds(value.decisionKinds), normaliseExcludedKinds(value.excludedKinds));
  if (issue) ctx.addIssue({ code: "custom", path: [issue.field], message: issue.message });
}

export const areaOptions = [
  ...AREAS.map((a) => ({ value: String(a.number), label: `${a.number}. ${a.name}` })),
  { value: String(UNCLASSIFIED_AREA), label: "Unclassified (not yet matched to an area)" },
];

function describedBy(...ids: (string | undefined | false)[]) {
  return ids.filter(Boolean).join(" ") || undefined;
}

export function TextArea({ meta, label, hint, rows = 3 }: { meta: FieldMetadata<string | undefined | null>; label: string; hint?: string; rows?: number }) {
  const hintId = hint ? `${meta.id}-hint` : undefined;
  return (
    <div className="field" data-invalid={meta.errors ? "" : undefined}>
      <label htmlFor={meta.id}>{label}</label>
      {hint ? (
        <span id={hintId} className="hint">
          {hint}
        </span>
      ) : null}
      <ErrorList id={meta.errorId} errors={meta.errors} />
      <textarea
        {...getTextareaProps(meta, { ariaAttributes: false })}
        rows={rows}
        aria-invalid={meta.errors ? true : undefined}
        aria-describedby={describedBy(hintId, meta.errors && meta.errorId)}
      />
    </div>
  );
}

function initialList(meta: FieldMetadata<string[] | undefined | null>): string[] {
  const value = meta.initialValue as unknown;
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === "string");
  return typeof value === "string" ? [value] : [];
}

/** A group of tick boxes for one field; the legend names the question, each box an answer. */
export function Choices({
  meta,
  legend,
  hint,
  options,
}: {
  meta: FieldMetadata<string[] | undefined | null>;
  legend: string;
  hint?: string;
  options: { value: string; label: string; hint?: string }[];
}) {
  const chosen = initialList(meta);
  const errors = Object.values(meta.allErrors).flat();
  const hintId = hint ? `${meta.id}-hint` : undefined;
  return (
    <fieldset
      className="field choices"
      data-invalid={errors.length > 0 ? "" : undefined}
      aria-describedby={describedBy(hintId, errors.length > 0 && meta.errorId)}
    >
      <legend>{legend}</legend>
      {hint ? (
        <span id={hintId} className="hint">
          {hint}
        </span>
      ) : null}
      <ErrorList id={meta.errorId} errors={errors.length > 0 ? errors : null} />
      {options.map((o) => (
        <div className="choice" key={o.value}>
          <input
            type="checkbox"
            id={`${meta.id}-${o.value}`}
            name={meta.name}
            form={meta.formId}
            value={o.value}
            defaultChecked={chosen.includes(o.value)}
            key={`${meta.key ?? ""}-${o.value}`}
            aria-describedby={o.hint ? `${meta.id}-${o.value}-hint` : undefined}
          />
          <label htmlFor={`${meta.id}-${o.value}`}>{o.label}</label>
          {o.hint ? (
            <span id={`${meta.id}-${o.value}-hint`} className="hint">
              {o.hint}
            </span>
          ) : null}
        </div>
      ))}
    </fieldset>
  );
}

export const tagOptions = CATALOGUE_TAGS.map((t) => ({ value: t.tag, label: t.label, hint: t.hint }));
export const kindOptions = BODY_KINDS.map((k) => ({ value: k, label: BODY_KIND_LABELS[k] }));

type TextMeta = FieldMetadata<string | number | undefined | null>;

/** Area, ref, section, title, guidance and tags: the fields of every responsibility form. */
export function RowDetailFields({
  fields,
  refHint,
}: {
  fields: { area: FieldMetadata<string | undefined | null>; ref: TextMeta; section: TextMeta; title: FieldMetadata<string | undefined | null>; guidance: FieldMetadata<string | undefined | null>; tags: FieldMetadata<string[] | undefined | null> };
  refHint: string;
}) {
  return (
    <>
      <SelectField meta={fields.area} label="Area" options={areaOptions} hint="The operating-model area the row belongs to, for the analysis" />
      <Field meta={fields.ref} label="Ref" hint={refHint} />
      <Field meta={fields.section} label="Section heading (optional)" hint="The trust's own heading in its scheme, e.g. “D. Pupils”; kept for the document" />
      <TextArea meta={fields.title} label="Responsibility" rows={2} hint={`The decision or function, up to ${TITLE_MAX} characters`} />
      <TextArea meta={fields.guidance} label="Guidance (optional)" rows={4} hint={`What it covers and why it sits where it does, up to ${GUIDANCE_MAX.toLocaleString("en-GB")} characters`} />
      <Choices meta={fields.tags} legend="Tags" options={tagOptions} />
    </>
  );
}
