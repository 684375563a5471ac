/**
 * Importing schools' performance records from CSV, for the clerk and the CEO: choose the file, see
 * every record it holds (or every problem, by line and column), then confirm. The file travels from
 * the preview to the confirmation inside the form and is read and checked again, in full, before
 * anything is saved.
 */
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { actorOf, requireTrustAccess } from "~/auth.server";
import { FileProblems } from "~/components/file-problems";
import { FormError } from "~/components/forms";
import { getDb } from "~/db.server";
import { longDate } from "~/domain/dates";
import { RuleError } from "~/domain/errors";
import { describeColumn, describeEntry, PERFORMANCE_CSV_COLUMNS, type PerformanceCsvProblem } from "~/domain/performance-csv";
import { readForm } from "~/forms.server";
import { loadTierPolicy } from "~/models/autonomy.server";
import { importPerformanceRecords, PerformanceImportRefusedError, planPerformanceImport, type PerformanceImportPlan, type PlannedRecord } from "~/models/performance-import.server";
import styles from "~/styles/performance-import.css";
import { counted } from "~/domain/counted";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];

export const meta: MetaFunction = () => [{ title: "Import performance records · Scheme of delegation" }];

/** A year of records for a hundred schools is a few tens of KB; far below what would strain the server. */
const FILE_LIMIT_BYTES = 1024 * 1024;
/** The form carries the file back from the preview in base64, a third larger. */
const FORM_LIMIT_BYTES = 2 * 1024 * 1024;
/** Problems listed on the page; the rest are counted. */
const PROBLEMS_SHOWN = 200;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { trust } = await requireTrustAccess(request, params.slug, "recordPerformance");
  const policy = await loadTierPolicy(await getDb(), trust.id);
  return { slug: trust.slug, bands: policy.outcomesBands, limitKb: FILE_LIMIT_BYTES / 1024 };
}

interface CarriedFile {
  fileName: string | null;
  /** The file's bytes, base64, to carry them to the confirmation. */
  content: string;
}

const text = (form: FormData, name: string) => {
  const value = form.get(name);
  return typeof value === "string" ? value : "";
};

/** The file: a newly chosen one, or the one carried from the preview. */
async function chosenFile(form: FormData): Promise<{ bytes: Uint8Array; fileName: string | null }> {
  const file = form.get("file");
  if (file && typeof file !== "string" && file.size > 0) {
    return { bytes: new Uint8Array(await file.arrayBuffer()), fileName: file.name || null };
  }
  const carried = text(form, "content");
  if (carried !== "") {
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(carried)) throw new RuleError("The file carried from the preview could not be read. Choose the file again.");
    return { bytes: new Uint8Array(Buffer.from(carried, "base64")), fileName: text(form, "fileName") || null };
  }
  throw new RuleError("Choose the CSV file of performance records.");
}

type Refusal = { formError?: string; fileError?: string };

function refuse(status: number, refusal: Refusal) {
  return data({ refusal, preview: null, done: null }, { status });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { trust, user } = await requireTrustAccess(request, params.slug, "recordPerformance");
  const tooLarge = `The file is larger than ${FILE_LIMIT_BYTES / 1024} KB, so it was not read. Nothing was saved. Split it into smaller files.`;
  // Answered here, in the page's own words, before the form's reader refuses it in its own.
  if (Number(request.headers.get("Content-Length") ?? "0") > FORM_LIMIT_BYTES) return refuse(413, { fileError: tooLarge });
  const form = await readForm(request, FORM_LIMIT_BYTES);
  const intent = text(form, "intent");
  if (intent !== "preview" && intent !== "confirm") return refuse(400, { formError: "Use the buttons on this page." });
  const upload = form.get("file");
  if (upload && typeof upload !== "string" && upload.size > FILE_LIMIT_BYTES) return refuse(413, { fileError: tooLarge });
  let file: { bytes: Uint8Array; fileName: string | null };
  try {
    file = await chosenFile(form);
  } catch (error) {
    if (error instanceof RuleError) return refuse(400, { fileError: error.message });
    throw error;
  }
  const carried: CarriedFile = { fileName: file.fileName, content: Buffer.from(file.bytes).toString("base64") };
  const db = await getDb();

  if (intent === "preview") {
    const plan = await planPerformanceImport(db, trust.id, file.bytes);
    return data({ refusal: null, preview: previewView(plan, carried), done: null }, { status: plan.reading.problems.length > 0 ? 400 : 200 });
  }
  try {
    const result = await importPerformanceRecords(db, actorOf(user), { trustId: trust.id, content: file.bytes, fileName: file.fileName });
    const name = file.fileName ?? "the file";
    const skipped = result.plan.alreadyRecorded.length;
    const message =
      result.recorded === 0
        ? `Every record of ${name} was already recorded: nothing was added.`
        : `Recorded ${counted(result.recorded, "performance record")} for ${counted(result.schools, "school")} from ${name}.${skipped > 0 ? ` ${counted(skipped, "record")} already recorded ${skipped === 1 ? "was" : "were"} left as ${skipped === 1 ? "it was" : "they were"}.` : ""}`;
    return { refusal: null, preview: null, done: { message } };
  } catch (error) {
    if (error instanceof PerformanceImportRefusedError) {
      const plan = await planPerformanceImport(db, trust.id, file.bytes);
      const refusal: Refusal = { formError: error.message };
      return data({ refusal, preview: previewView(plan, carried), done: null }, { status: 400 });
    }
    if (error instanceof RuleError) return refuse(400, { formError: error.message });
    throw error;
  }
}

function problemView(p: PerformanceCsvProblem) {
  return {
    line: p.line === null ? "The file" : String(p.line),
    column: p.column ? describeColumn(p.column) : "",
    message: p.message,
  };
}

function recordView(row: PlannedRecord) {
  return { line: row.line, school: `${row.school.name} (URN ${row.school.urn})`, asOf: longDate(row.entry.asOf), holds: describeEntry(row.entry) };
}

/** What the page shows of a preview: plain words, and the file to carry to the confirmation. */
function previewView(plan: PerformanceImportPlan, carried: CarriedFile) {
  const { reading } = plan;
  return {
    carried,
    encoding: reading.encoding === "windows-1252" ? "Windows-1252" : "UTF-8",
    problems: reading.problems.slice(0, PROBLEMS_SHOWN).map(problemView),
    moreProblems: Math.max(0, reading.problems.length - PROBLEMS_SHOWN),
    toRecord: plan.toRecord.map(recordView),
    schools: new Set(plan.toRecord.map((r) => r.school.urn)).size,
    alreadyRecorded: plan.alreadyRecorded.map(recordView),
    blankLines: reading.blankLines,
  };
}

type Preview = ReturnType<typeof previewView>;
export default function ImportPerformance() {
  const { slug, bands, limitKb } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const preview = answer?.preview ?? null;
  const refusal = answer?.refusal ?? null;
  const done = answer?.done ?? null;
  return (
    <div className="performance-import">
      <h1>Import performance records</h1>
      <p className="lede">
        Record the inspections, outcomes, finances, safeguarding audits and leadership of many schools at once, from a spreadsheet saved as CSV.
        You will see every record before anything is saved.
      </p>
      {done ? (
        <p className="notice notice--success" role="status">
          {done.message} <Link to={`/trusts/${slug}/schools`}>See the schools’ tiers</Link>
        </p>
      ) : null}
      <FormHelp slug={slug} bands={bands} />
      <Form method="post" encType="multipart/form-data" className="stack" aria-labelledby="upload-heading">
        <h2 id="upload-heading">{preview ? "Choose another file" : "The file"}</h2>
        {refusal?.formError && !preview ? <FormError id="import-error" errors={[refusal.formError]} /> : null}
        <div className="field" data-invalid={refusal?.fileError ? "" : undefined}>
          <label htmlFor="file">The CSV file of performance records</label>
          <span id="file-hint" className="hint">
            Save the spreadsheet as CSV (UTF-8, or plain CSV), up to {limitKb} KB.
          </span>
          {refusal?.fileError ? (
            <p id="file-error" className="field-error">
              <span className="visually-hidden">Error: </span>
              {refusal.fileError}
            </p>
          ) : null}
          <input
            id="file"
            name="file"
            type="file"
            accept=".csv,text/csv"
            aria-describedby={refusal?.fileError ? "file-hint file-error" : "file-hint"}
            aria-invalid={refusal?.fileError ? true : undefined}
          />
        </div>
        <div>
          <button type="submit" name="intent" value="preview" disabled={busy}>
            {busy ? "Reading the file…" : "Preview the import"}
          </button>
        </div>
      </Form>
      {preview ? <PreviewSection preview={preview} formError={refusal?.formError ?? null} /> : null}
    </div>
  );
}

function FormHelp({ slug, bands }: { slug: string; bands: string[] }) {
  return (
    <details className="performance-import__help">
      <summary>What the file must look like</summary>
      <p>
        Start from{" "}
        <a href={`/trusts/${slug}/import/performance.csv`} download>
          the template with the trust’s schools
        </a>
        : a row per school, with its URN and name, to fill in. Each row is one record of one school on one date; add rows for more dates. A row
        left with nothing but its school is passed over.
      </p>
      <p>
        The first row names the columns (capitals do not matter; leave out those you do not use): {PERFORMANCE_CSV_COLUMNS.join(", ")}.{" "}
        <code>urn</code> and <code>asOf</code> are needed in every row. An inspection is a legacy grade (<code>legacyGrade</code>, 1–4) or a 2025
        report card (a grade in one or more <code>rc_</code> columns), never both. The outcomes band is one of the trust’s: {bands.join(", ")}.
      </p>
      <pre className="performance-import__example">
        {
          "urn,asOf,legacyGrade,rc_achievement,rc_inclusion,safeguardingMet,outcomesBand,reserves\n137214,2024-11-20,2,,,met,Above average,240000\n139452,2026-01-15,,Expected standard,Needs attention,met,,"
        }
      </pre>
      <p>
        Grades and choices are written as on a school’s page (e.g. Good, Needs attention, some change), money in pounds (e.g. -12500.50), and
        deficit and termination warning as yes or no. A row already recorded word for word is not added again. Any problem stops the whole
        file, and every problem is listed by line and column: correct the file and preview it again.
      </p>
    </details>
  );
}

function PreviewSection({ preview, formError }: { preview: Preview; formError: string | null }) {
  const fileName = preview.carried.fileName ?? "the file";
  const blocked = preview.problems.length > 0;
  return (
    <section className="performance-import__preview" aria-labelledby="preview-heading">
      <h2 id="preview-heading">Preview of {fileName}</h2>
      {formError ? <FormError id="confirm-error" errors={[formError]} /> : null}
      {blocked ? (
        <FileProblems problems={preview.problems.map((p) => ({ where: p.line, column: p.column, message: p.message }))} more={preview.moreProblems} place="Line" />
      ) : (
        <>
          <p>
            Read as {preview.encoding} text: {counted(preview.toRecord.length, "record")} to add for {counted(preview.schools, "school")}
            {preview.alreadyRecorded.length > 0 ? `, ${counted(preview.alreadyRecorded.length, "record")} already recorded` : ""}.
            {preview.blankLines.length > 0
              ? ` ${preview.blankLines.length === 1 ? "Line" : "Lines"} ${preview.blankLines.join(", ")} name${preview.blankLines.length === 1 ? "s" : ""} a school and record nothing: passed over.`
              : ""}
          </p>
          <RecordTable caption={`Records to add (${preview.toRecord.length})`} records={preview.toRecord} />
          <RecordTable caption={`Already recorded, left as they are (${preview.alreadyRecorded.length})`} records={preview.alreadyRecorded} />
          {preview.toRecord.length > 0 ? (
            <Form method="post" encType="multipart/form-data" className="performance-import__confirm">
              <input type="hidden" name="content" value={preview.carried.content} />
              <input type="hidden" name="fileName" value={preview.carried.fileName ?? ""} />
              <p>Importing adds these {counted(preview.toRecord.length, "record")}, all together or not at all.</p>
              <button type="submit" name="intent" value="confirm">
                Import {counted(preview.toRecord.length, "record")}
              </button>
            </Form>
          ) : (
            <p className="notice">Every record of the file is already recorded: there is nothing to import.</p>
          )}
        </>
      )}
    </section>
  );
}

function RecordTable({ caption, records }: { caption: string; records: Preview["toRecord"] }) {
  if (records.length === 0) return null;
  return (
    <table className="data">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Line</th>
          <th scope="col">School</th>
          <th scope="col">As of</th>
          <th scope="col">What it records</th>
        </tr>
      </thead>
      <tbody>
        {records.map((r) => (
          <tr key={r.line}>
            <td>{r.line}</td>
            <th scope="row">{r.school}</th>
            <td>{r.asOf}</td>
            <td>{r.holds}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
