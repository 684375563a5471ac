/**
 * The fields of the structure pages' forms and their checks, shared by the forms that add a body
 * or school and those that edit one. The same schema runs in the browser and on the server.
 */
import { getTextareaProps, type FieldMetadata } from "@conform-to/react";
import { z } from "zod";
import { BODY_PURPOSES, DECISION_MODES, SCHOOL_PHASE_LABELS, SCHOOL_PHASES, type BodyKind } from "~/domain/structure";
import { Field, SelectField } from "./forms";

const optionalText = (max: number) => z.string().trim().max(max, `Use at most ${max} characters`).optional();
const requiredText = (ask: string) => z.string({ error: ask }).trim().min(1, ask).max(200, "Use at most 200 characters");
const bodyChoice = (message: string) => z.uuid({ error: message }).optional();
const wholeMetres = (what: "easting" | "northing", limit: number) => {
  const range = `The ${what} is a whole number of metres between 0 and ${limit.toLocaleString("en-GB")}`;
  return z
    .number({ error: `Enter the ${what} as a whole number of metres, e.g. ${what === "easting" ? "430000" : "460000"}` })
    .int(range)
    .min(0, range)
    .max(limit, range)
    .optional();
};

/** What every body form asks (adding asks the kind and column as well). */
export const bodyDetails = {
  name: requiredText("Give the body a name"),
  shortName: optionalText(30),
  mode: z.enum(DECISION_MODES, { error: "Choose whether it decides or only advises" }).optional(),
  purpose: z.enum(BODY_PURPOSES, { error: "Choose standing, transition or intervention" }).optional(),
  parentId: bodyChoice("Choose where it sits from the list"),
  chairName: optionalText(200),
  remit: optionalText(2000),
};

/** What every school form asks. */
export const schoolDetails = {
  urn: z
    .number({ error: (issue) => (issue.input === undefined ? "Enter the school's URN" : "The URN is 6 digits, e.g. 137542") })
    .int("The URN is 6 digits, e.g. 137542")
    .min(100000, "The URN is 6 digits, e.g. 137542")
    .max(999999, "The URN is 6 digits, e.g. 137542"),
  name: requiredText("Give the school's name"),
  phase: z.enum(SCHOOL_PHASES, { error: "Choose the school's phase" }),
  postcode: optionalText(10),
  localAuthority: optionalText(200),
  easting: wholeMetres("easting", 700_000),
  northing: wholeMetres("northing", 1_300_000),
  joinedOn: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, "Enter the date as year, month and day, e.g. 2019-09-01")
    .optional(),
  headteacherName: optionalText(200),
  clusterBodyId: bodyChoice("Choose the cluster from the list"),
  localBodyId: bodyChoice("Choose the local board from the list"),
};

export const modeOptions = [
  { value: "decision-making", label: "Decision-making" },
  { value: "advisory", label: "Advisory (cluster and local bodies only)" },
];

export const purposeOptions = [
  { value: "standing", label: "Standing" },
  { value: "transition", label: "Transition (a school joining)" },
  { value: "intervention", label: "Intervention" },
];

const phaseOptions = [{ value: "", label: "Choose a phase" }, ...SCHOOL_PHASES.map((p) => ({ value: p, label: SCHOOL_PHASE_LABELS[p] }))];

export function TextAreaField({ meta, label, hint }: { meta: FieldMetadata<string | undefined | null>; label: string; hint?: string }) {
  const hintId = hint ? `${meta.id}-hint` : undefined;
  const describedBy = [hintId, meta.errors ? meta.errorId : undefined].filter(Boolean).join(" ") || undefined;
  return (
    <div className="field" data-invalid={meta.errors ? "" : undefined}>
      <label htmlFor={meta.id}>{label}</label>
      {hint ? (
        <span id={hintId} className="hint">
          {hint}
        </span>
      ) : null}
      {meta.errors ? (
        <p id={meta.errorId} className="field-error">
          <span className="visually-hidden">Error: </span>
          {meta.errors.join(" ")}
        </p>
      ) : null}
      <textarea {...getTextareaProps(meta, { ariaAttributes: false })} rows={3} aria-invalid={meta.errors ? true : undefined} aria-describedby={describedBy} />
    </div>
  );
}

type Meta = FieldMetadata<string | number | undefined | null>;
type SelectMeta = FieldMetadata<string | undefined | null>;

/** The school's details, cluster and local board. */
export function SchoolFields({
  fields,
  boards,
}: {
  fields: Record<Exclude<keyof typeof schoolDetails, "phase" | "clusterBodyId" | "localBodyId">, Meta> &
    Record<"phase" | "clusterBodyId" | "localBodyId", SelectMeta>;
  boards: { id: string; kind: BodyKind; name: string; columnId: string | null }[];
}) {
  const of = (kind: "cluster" | "local") => boards.filter((b) => b.kind === kind && b.columnId !== null).map((b) => ({ value: b.id, label: b.name }));
  return (
    <>
      <Field meta={fields.urn} label="URN" hint="The school's 6-digit unique reference number in the DfE register" />
      <Field meta={fields.name} label="Name" />
      <SelectField meta={fields.phase} label="Phase" options={phaseOptions} />
      <SelectField meta={fields.clusterBodyId} label="Cluster" options={[{ value: "", label: "No cluster" }, ...of("cluster")]} />
      <SelectField meta={fields.localBodyId} label="Local board" options={[{ value: "", label: "No local board" }, ...of("local")]} />
      <Field meta={fields.joinedOn} label="Date it joined the trust (optional)" type="date" />
      <Field meta={fields.headteacherName} label="Headteacher's name (optional)" />
      <Field meta={fields.postcode} label="Postcode (optional)" />
      <Field meta={fields.localAuthority} label="Local authority (optional)" />
      <Field meta={fields.easting} label="Easting (optional)" hint="Metres east on the national grid, from the DfE register; give both or neither" />
      <Field meta={fields.northing} label="Northing (optional)" hint="Metres north on the national grid" />
    </>
  );
}
