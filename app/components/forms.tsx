import type { FieldMetadata } from "@conform-to/react";
import { getInputProps } from "@conform-to/react";
import type { ReactNode } from "react";

export function ErrorList({ id, errors }: { id?: string; errors?: string[] | null }) {
  if (!errors || errors.length === 0) return null;
  return (
    <div id={id}>
      {errors.map((e) => (
        <p key={e} className="field-error">
          <span className="visually-hidden">Error: </span>
          {e}
        </p>
      ))}
    </div>
  );
}

export function FormError({ id, errors }: { id: string; errors?: string[] | null }) {
  if (!errors || errors.length === 0) return null;
  return (
    <div id={id} className="form-error" role="alert">
      {errors.map((e) => (
        <p key={e}>{e}</p>
      ))}
    </div>
  );
}

type InputType = "text" | "email" | "password" | "number" | "date";

export function Field({
  meta,
  label,
  hint,
  type = "text",
  autoComplete,
  inputMode,
}: {
  meta: FieldMetadata<string | number | undefined | null>;
  label: ReactNode;
  hint?: ReactNode;
  type?: InputType;
  autoComplete?: string;
  /** The keyboard a phone shows, e.g. "decimal" for a figure typed in a text box. */
  inputMode?: "decimal" | "numeric";
}) {
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
      <ErrorList id={meta.errorId} errors={meta.errors} />
      <input {...getInputProps(meta, { type, ariaAttributes: false })} autoComplete={autoComplete} inputMode={inputMode} aria-invalid={meta.errors ? true : undefined} aria-describedby={describedBy} />
    </div>
  );
}

export function SelectField({
  meta,
  label,
  options,
  hint,
  disabled,
}: {
  meta: FieldMetadata<string | undefined | null>;
  label: ReactNode;
  options: { value: string; label: string }[];
  hint?: ReactNode;
  disabled?: boolean;
}) {
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
      <ErrorList id={meta.errorId} errors={meta.errors} />
      <select
        id={meta.id}
        name={meta.name}
        form={meta.formId}
        defaultValue={meta.initialValue ?? ""}
        key={meta.key}
        disabled={disabled}
        aria-invalid={meta.errors ? true : undefined}
        aria-describedby={describedBy}
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}
