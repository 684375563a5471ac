import { getFormProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { actorOf, requireTrustAccess } from "~/auth.server";
import { ErrorList, FormError } from "~/components/forms";
import { getDb } from "~/db.server";
import {
  describeProblem,
  gradeName,
  parseUrnList,
  REGISTER_FIELD_LABELS,
  registerExtract,
  type RegisterFilter,
  type RegisterReading,
  type SkippedRow,
} from "~/domain/gias";
import { SCHOOL_PHASE_LABELS } from "~/domain/structure";
import { invalid, refusal } from "~/forms.server";
import { REGISTER_UPLOAD_LIMIT_BYTES, readRegisterUpload } from "~/register-upload.server";
import {
  importSchools,
  planSchoolImport,
  type FieldChange,
  type InspectionOutcome,
  type PlannedSchool,
  type SchoolImportPlan,
} from "~/models/school-import.server";
import importStyles from "~/styles/school-import.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: importStyles }];

export const meta: MetaFunction = () => [{ title: "Import schools from the DfE register · Scheme of delegation" }];

/** Problems listed on the page; the rest are counted. */
const PROBLEMS_SHOWN = 100;

const UploadSchema = z
  .object({
    intent: z.enum(["preview", "confirm"], { error: "Use the buttons on this page" }),
    filterBy: z.enum(["trust", "urns"], { error: "Choose how to find the trust's schools in the register" }),
    trustName: z.string().trim().max(200, "Use at most 200 characters").optional(),
    urns: z.string().max(20_000, "That is too many URNs for one import").optional(),
    // Read as it streams in (register-upload.server.ts); named here so that its messages show beside it.
    file: z.any().optional(),
  })
  .superRefine((value, ctx) => {
    if (value.filterBy === "trust" && !value.trustName) {
      ctx.addIssue({ code: "custom", path: ["trustName"], message: "Enter the trust's name as the register gives it" });
    }
    if (value.filterBy === "urns") {
      try {
        parseUrnList(value.urns ?? "");
      } catch (error) {
        ctx.addIssue({ code: "custom", path: ["urns"], message: (error as Error).message });
      }
    }
  });

type Upload = z.infer<typeof UploadSchema>;

function filterOf(value: Upload): RegisterFilter {
  return value.filterBy === "urns" ? { by: "urns", urns: parseUrnList(value.urns ?? "") } : { by: "trust", trustName: value.trustName ?? "" };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { trust } = await requireTrustAccess(request, params.slug, "manageStructure");
  return { trustName: trust.name, limitMb: Math.round(REGISTER_UPLOAD_LIMIT_BYTES / 1024 / 1024) };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { trust, user } = await requireTrustAccess(request, params.slug, "manageStructure");
  const upload = await readRegisterUpload(request, {
    fileFields: ["file", "extract"],
    filterFrom: (fields) => {
      const parsed = parseWithZod(fields, { schema: UploadSchema });
      return parsed.status === "success" ? filterOf(parsed.value) : null;
    },
  });
  if ("refused" in upload) {
    return data({ result: { status: "error", error: { "": [upload.refused] } } satisfies SubmissionResult<string[]> }, { status: upload.status });
  }
  const submission = parseWithZod(upload.fields, { schema: UploadSchema });
  if (submission.status !== "success") return invalid(submission);
  const { intent } = submission.value;
  const reading = upload.reading;
  if (!reading) {
    const message = upload.filterMissing
      ? "The form's fields arrived after the file, so the file could not be filtered. Use the form on this page."
      : intent === "confirm"
        ? "The schools to import were missing from the confirmation. Upload the file again."
        : "Choose the register's CSV file (the establishment fields CSV).";
    return data({ result: submission.reply({ fieldErrors: { file: [message] } }) }, { status: 400 });
  }
  const db = await getDb();

  if (intent === "confirm") {
    try {
      const done = await importSchools(db, actorOf(user), trust.id, reading);
      const grades = done.inspectionsRecorded;
      return {
        result: submission.reply({ resetForm: true }),
        notice: `Imported from the DfE register: ${count(done.added, "school")} added, ${count(done.updated, "school")} updated, ${count(grades, "Ofsted grade")} recorded.`,
      };
    } catch (error) {
      return refusal(submission, error);
    }
  }

  const plan = await planSchoolImport(db, trust.id, reading.schools);
  const preview = previewOf(upload.fileName, submission.value, reading, plan);
  return data({ result: submission.reply(), preview }, { status: preview.problems.length > 0 ? 400 : 200 });
}

/** What the preview shows: plain JSON-ready data, also the type the page reads it as. */
function previewOf(fileName: string | null, value: Upload, reading: RegisterReading, plan: SchoolImportPlan) {
  const problems = reading.problems.map(describeProblem);
  return {
    fileName,
    rowsRead: reading.rowsRead,
    encoding: reading.encoding === "windows-1252" ? "Windows-1252" : "UTF-8",
    filter: filterOf(value),
    problems: problems.slice(0, PROBLEMS_SHOWN),
    moreProblems: Math.max(0, problems.length - PROBLEMS_SHOWN),
    missingUrns: reading.missingUrns,
    similarTrustNames: reading.similarTrustNames,
    skipped: reading.skipped,
    additions: plan.additions.map(shown),
    updates: plan.updates.map(shown),
    unchanged: plan.unchanged.map(shown),
    notInFile: plan.notInFile,
    inspectionsToRecord: plan.inspectionsToRecord,
    extract: problems.length === 0 && reading.schools.length > 0 ? registerExtract(reading) : null,
  };
}

function shown(planned: PlannedSchool & { changes?: FieldChange[] }) {
  const s = planned.school;
  return {
    urn: s.urn,
    name: s.name,
    phase: SCHOOL_PHASE_LABELS[s.phase],
    postcode: s.postcode,
    localAuthority: s.localAuthority,
    inspection: planned.inspection,
    changes: planned.changes ?? [],
  };
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

type PreviewData = ReturnType<typeof previewOf>;

export default function ImportSchools() {
  const { trustName, limitMb } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  const [form, fields] = useForm({
    id: "register-upload",
    lastResult: actionData?.result,
    shouldValidate: "onSubmit",
    defaultValue: { intent: "preview", filterBy: "trust", trustName },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: UploadSchema }),
  });
  const preview = actionData && "preview" in actionData ? (actionData.preview as PreviewData) : null;
  const notice = actionData && "notice" in actionData ? actionData.notice : null;
  const described = (...ids: (string | false | undefined)[]) => ids.filter(Boolean).join(" ") || undefined;

  return (
    <div className="school-import">
      <h1>Import schools from the DfE register</h1>
      <p className="lede">
        Bring the trust's schools in from Get Information About Schools: their names, phases, postcodes, locations, local
        authorities and last Ofsted grades.
      </p>
      {notice ? (
        <p className="notice notice--success" role="status">
          {notice} <Link to="..">Back to the trust</Link>
        </p>
      ) : null}
      <details className="school-import__help">
        <summary>Where to get the file, and what the import changes</summary>
        <ol>
          <li>
            On Get Information About Schools, open <strong>Downloads</strong>, tick <strong>Establishment fields CSV</strong>{" "}
            and download it. Unzip it: the file is called something like <code>edubasealldata20261101.csv</code>.
          </li>
          <li>Choose it below. Only your trust's schools are kept; the rest of the file is read and set aside.</li>
        </ol>
        <p>
          Schools are matched by URN, so importing again updates them and never adds a school twice. Clusters, local boards,
          the date a school joined and its headteacher are left as you set them, and an empty value in the register never
          erases one you have recorded. Each school's last Ofsted grade is recorded once for its inspection date.
        </p>
        <p>
          Files of up to {limitMb} MB can be uploaded here. For a larger file, a clerk can run{" "}
          <code>npx sod import-schools --trust SLUG --file FILE.csv</code> on the server.
        </p>
      </details>

      <Form method="post" encType="multipart/form-data" {...getFormProps(form)} className="stack">
        <FormError id={form.errorId} errors={form.errors} />
        <input type="hidden" name="intent" value="preview" />
        <fieldset aria-describedby={described(fields.filterBy.errors && fields.filterBy.errorId)}>
          <legend>Which schools to take from the register</legend>
          <ErrorList id={fields.filterBy.errorId} errors={fields.filterBy.errors} />
          <div className="school-import__choice">
            <input
              type="radio"
              id="filter-trust"
              name={fields.filterBy.name}
              value="trust"
              defaultChecked={fields.filterBy.initialValue !== "urns"}
              key={`trust-${fields.filterBy.key}`}
            />
            <label htmlFor="filter-trust">The schools of the trust named</label>
          </div>
          <div className="field" data-invalid={fields.trustName.errors ? "" : undefined}>
            <label htmlFor={fields.trustName.id}>Trust name in the register</label>
            <span id={`${fields.trustName.id}-hint`} className="hint">
              As the register writes it, e.g. NORTH DALES LEARNING TRUST. Capitals and spaces do not matter.
            </span>
            <ErrorList id={fields.trustName.errorId} errors={fields.trustName.errors} />
            <input
              type="text"
              id={fields.trustName.id}
              name={fields.trustName.name}
              defaultValue={fields.trustName.initialValue ?? ""}
              key={fields.trustName.key}
              aria-invalid={fields.trustName.errors ? true : undefined}
              aria-describedby={described(`${fields.trustName.id}-hint`, fields.trustName.errors && fields.trustName.errorId)}
            />
          </div>
          <div className="school-import__choice">
            <input
              type="radio"
              id="filter-urns"
              name={fields.filterBy.name}
              value="urns"
              defaultChecked={fields.filterBy.initialValue === "urns"}
              key={`urns-${fields.filterBy.key}`}
            />
            <label htmlFor="filter-urns">Only the schools with these URNs</label>
          </div>
          <div className="field" data-invalid={fields.urns.errors ? "" : undefined}>
            <label htmlFor={fields.urns.id}>URNs</label>
            <span id={`${fields.urns.id}-hint`} className="hint">
              Six-digit numbers, separated by commas, spaces or new lines.
            </span>
            <ErrorList id={fields.urns.errorId} errors={fields.urns.errors} />
            <textarea
              id={fields.urns.id}
              name={fields.urns.name}
              rows={3}
              defaultValue={fields.urns.initialValue ?? ""}
              key={fields.urns.key}
              aria-invalid={fields.urns.errors ? true : undefined}
              aria-describedby={described(`${fields.urns.id}-hint`, fields.urns.errors && fields.urns.errorId)}
            />
          </div>
        </fieldset>
        <div className="field" data-invalid={fields.file.errors ? "" : undefined}>
          <label htmlFor="register-file">The register's CSV file</label>
          <span id="register-file-hint" className="hint">
            The establishment fields CSV, up to {limitMb} MB.
          </span>
          <ErrorList id={fields.file.errorId} errors={fields.file.errors} />
          <input
            type="file"
            id="register-file"
            name="file"
            accept=".csv,text/csv"
            aria-invalid={fields.file.errors ? true : undefined}
            aria-describedby={described("register-file-hint", fields.file.errors && fields.file.errorId)}
          />
        </div>
        <div>
          <button type="submit" disabled={busy}>
            {busy ? "Reading the file…" : "Preview the import"}
          </button>
        </div>
      </Form>

      {preview ? <ImportPreview preview={preview} /> : null}
    </div>
  );
}

function ImportPreview({ preview }: { preview: PreviewData }) {
  const blocked = preview.problems.length > 0;
  const toChange = preview.additions.length + preview.updates.length + preview.inspectionsToRecord;
  return (
    <section aria-labelledby="preview-heading" className="school-import__preview">
      <h2 id="preview-heading">Preview{preview.fileName ? `: ${preview.fileName}` : ""}</h2>
      <p>
        Read {preview.rowsRead.toLocaleString("en-GB")} rows of the register ({preview.encoding} text), looking for{" "}
        {preview.filter.by === "trust" ? (
          <>the schools of “{preview.filter.trustName}”</>
        ) : (
          <>the URNs {preview.filter.urns.join(", ")}</>
        )}
        .
      </p>

      {blocked ? (
        <div className="form-error" role="alert">
          <h3>Problems to put right first</h3>
          <p>Nothing can be imported until the file has none of these. Correct them in the file, or download the register again.</p>
          <ul>
            {preview.problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
          {preview.moreProblems > 0 ? <p>…and {preview.moreProblems} more.</p> : null}
        </div>
      ) : null}

      {preview.missingUrns.length > 0 ? (
        <p className="notice">
          The file has no school with the URN{preview.missingUrns.length === 1 ? "" : "s"} {preview.missingUrns.join(", ")}. Check the
          number{preview.missingUrns.length === 1 ? "" : "s"} against the school's page on Get Information About Schools.
        </p>
      ) : null}
      {preview.filter.by === "trust" && preview.additions.length + preview.updates.length + preview.unchanged.length + preview.skipped.length === 0 && !blocked ? (
        <div className="notice">
          <p>No school in the file belongs to a trust of exactly that name.</p>
          {preview.similarTrustNames.length > 0 ? (
            <>
              <p>The register has these trusts with similar names:</p>
              <ul>
                {preview.similarTrustNames.map((n) => (
                  <li key={n}>{n}</li>
                ))}
              </ul>
            </>
          ) : null}
        </div>
      ) : null}

      <SchoolTable caption={`Schools to add (${preview.additions.length})`} schools={preview.additions} />
      <SchoolTable caption={`Schools to update (${preview.updates.length})`} schools={preview.updates} showChanges />
      <SchoolTable caption={`Details already up to date (${preview.unchanged.length})`} schools={preview.unchanged} />
      {preview.skipped.length > 0 ? <SkippedTable rows={preview.skipped} /> : null}
      {preview.notInFile.length > 0 ? (
        <>
          <h3>In the trust but not in this file ({preview.notInFile.length})</h3>
          <p className="muted">These are left as they are.</p>
          <ul>
            {preview.notInFile.map((s) => (
              <li key={s.urn}>
                {s.name} (URN {s.urn})
              </li>
            ))}
          </ul>
        </>
      ) : null}

      {preview.extract && !blocked ? (
        toChange > 0 ? (
          <Form method="post" encType="multipart/form-data" className="school-import__confirm">
            <input type="hidden" name="intent" value="confirm" />
            <input type="hidden" name="filterBy" value={preview.filter.by} />
            {preview.filter.by === "trust" ? (
              <input type="hidden" name="trustName" value={preview.filter.trustName} />
            ) : (
              <input type="hidden" name="urns" value={preview.filter.urns.join(",")} />
            )}
            <input type="hidden" name="extract" value={preview.extract} />
            <p>
              Importing adds {count(preview.additions.length, "school")}, updates {count(preview.updates.length, "school")} and records{" "}
              {count(preview.inspectionsToRecord, "Ofsted grade")}, all together or not at all.
            </p>
            <button type="submit">Import these schools</button>
          </Form>
        ) : (
          <p className="notice">The trust's schools already match the register: there is nothing to import.</p>
        )
      ) : null}
    </section>
  );
}

function SchoolTable({ caption, schools, showChanges }: { caption: string; schools: PreviewData["additions"]; showChanges?: boolean }) {
  if (schools.length === 0) return null;
  return (
    <table className="data">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">URN</th>
          <th scope="col">School</th>
          {showChanges ? (
            <th scope="col">What changes</th>
          ) : (
            <>
              <th scope="col">Phase</th>
              <th scope="col">Postcode</th>
              <th scope="col">Local authority</th>
            </>
          )}
          <th scope="col">Ofsted grade</th>
        </tr>
      </thead>
      <tbody>
        {schools.map((s) => (
          <tr key={s.urn}>
            <td>{s.urn}</td>
            <th scope="row">{s.name}</th>
            {showChanges ? (
              <td>
                <ul className="school-import__changes">
                  {s.changes.map((c) => (
                    <li key={c.field}>
                      {REGISTER_FIELD_LABELS[c.field]}: {shownValue(c.field, c.before)} → {shownValue(c.field, c.after)}
                    </li>
                  ))}
                </ul>
              </td>
            ) : (
              <>
                <td>{s.phase}</td>
                <td>{s.postcode ?? "—"}</td>
                <td>{s.localAuthority ?? "—"}</td>
              </>
            )}
            <td>
              <InspectionText inspection={s.inspection} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function shownValue(field: FieldChange["field"], value: string | number | null): string {
  if (value === null) return "none";
  if (field === "phase") return SCHOOL_PHASE_LABELS[value as keyof typeof SCHOOL_PHASE_LABELS] ?? String(value);
  return String(value);
}

function longDate(iso: string): string {
  return new Date(`${iso}T00:00:00Z`).toLocaleDateString("en-GB", { timeZone: "UTC", day: "numeric", month: "long", year: "numeric" });
}

function InspectionText({ inspection }: { inspection: InspectionOutcome }) {
  if (inspection.kind === "none") return <span className="muted">Not recorded: {inspection.reason}</span>;
  const grade = `${gradeName(inspection.grade)}, inspected ${longDate(inspection.asOf)}`;
  return inspection.kind === "record" ? <>{grade}: to be recorded</> : <span className="muted">{grade}: already recorded</span>;
}

function SkippedTable({ rows }: { rows: SkippedRow[] }) {
  return (
    <table className="data">
      <caption>Rows skipped ({rows.length})</caption>
      <thead>
        <tr>
          <th scope="col">Line</th>
          <th scope="col">URN</th>
          <th scope="col">School</th>
          <th scope="col">Why</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.line}>
            <td>{r.line}</td>
            <td>{r.urn}</td>
            <th scope="row">{r.name}</th>
            <td>{r.reason}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
