/**
 * Importing the trust's own matrix from CSV: choose the file and the key, see what the import will
 * create and change (and every problem, by row and column), choose the research area of each new
 * section, then confirm. The file travels from the preview to the confirmation inside the form and
 * is read and checked again, in full, before anything is written. A file that is the trust's whole
 * scheme can take the place of the current catalogue instead of being matched to it by ref.
 */
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { actorOf, requireTrustAccess } from "~/auth.server";
import { FileProblems } from "~/components/file-problems";
import { FormError } from "~/components/forms";
import { getDb } from "~/db.server";
import { AREAS, AREA_NUMBERS, areaName, UNCLASSIFIED_AREA } from "~/domain/areas";
import { BUILT_IN_KEYS, findKey, KeyError, parseCustomKey, type DecisionKey } from "~/domain/decision-keys";
import { RuleError } from "~/domain/errors";
import { decodeCsvFile, describeProblem, rowChanged, type ImportProblem } from "~/domain/matrix-csv";
import { can } from "~/domain/roles";
import { BODY_KIND_LABELS } from "~/domain/structure";
import { readForm } from "~/forms.server";
import {
  applyImport,
  ImportRefusedError,
  PreviewOutdatedError,
  previewImport,
  retiringWords,
  trustKey,
  type ImportPreview,
} from "~/models/matrix-import.server";
import { listVersions } from "~/models/scheme.server";
import styles from "~/styles/matrix-import.css";
import { counted } from "~/domain/counted";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];

export const meta: MetaFunction = () => [{ title: "Import a matrix · Scheme of delegation" }];

/** Far above any real scheme (150 rows by 15 columns is about 40 KB), far below what would strain the server. */
const IMPORT_LIMIT_BYTES = 2 * 1024 * 1024;
/** Problems listed on the page; the rest are counted. */
const PROBLEMS_SHOWN = 200;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { trust } = await requireTrustAccess(request, params.slug, "editDraft");
  const db = await getDb();
  const own = await trustKey(db, trust.id);
  const versions = await listVersions(db, trust.id);
  const latest = versions[0] ?? null;
  return {
    slug: trust.slug,
    keys: keyOptions(own),
    defaultKey: own ? "trust" : "codes",
    latest: latest ? { number: latest.number, status: latest.status } : null,
  };
}

function keyOptions(own: DecisionKey | null) {
  return [
    ...(own ? [{ value: "trust", label: `The trust's own key: ${own.description}` }] : []),
    ...BUILT_IN_KEYS.map((k) => ({ value: k.name, label: k.label })),
    { value: "custom", label: "Other marks (write them below)" },
  ];
}

interface Choices {
  key: string;
  customKey: string;
  fileName: string | null;
  /** The file's text, base64, to carry it to the next step. */
  csv: string;
  /** The file is the trust's whole scheme: it replaces the catalogue instead of being matched to it. */
  wholeScheme: boolean;
}

type Refusal = { formError?: string; fieldErrors?: Record<string, string>; choices?: Partial<Choices> };

function refuse(status: number, refusal: Refusal) {
  return data({ refusal, preview: null, done: null }, { status });
}

const text = (form: FormData, name: string) => {
  const value = form.get(name);
  return typeof value === "string" ? value : "";
};

async function chosenKey(form: FormData, trustId: string): Promise<DecisionKey> {
  const choice = text(form, "key");
  if (choice === "custom") {
    try {
      return parseCustomKey(text(form, "customKey"));
    } catch (error) {
      if (error instanceof KeyError) throw new RuleError(error.message, "customKey");
      throw error;
    }
  }
  if (choice === "trust") {
    const own = await trustKey(await getDb(), trustId);
    if (own) return own;
  }
  const key = findKey(choice);
  if (!key) throw new RuleError("Choose the key that says what the file's marks mean.", "key");
  return key;
}

/** The file's text: a newly chosen file, or the one carried from the preview. */
async function fileText(form: FormData): Promise<{ csv: string; fileName: string | null }> {
  const file = form.get("file");
  if (file && typeof file !== "string" && file.size > 0) {
    return { csv: decodeCsvFile(new Uint8Array(await file.arrayBuffer())), fileName: file.name || null };
  }
  const carried = text(form, "csv");
  if (carried !== "") {
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(carried)) throw new RuleError("The file carried from the preview could not be read. Choose the file again.", "file");
    return { csv: decodeCsvFile(new Uint8Array(Buffer.from(carried, "base64"))), fileName: text(form, "fileName") || null };
  }
  throw new RuleError("Choose the CSV file of the matrix.", "file");
}

/** Research areas chosen on the preview, by section heading. */
function areaChoices(form: FormData): Record<string, number> {
  const choices: Record<string, number> = {};
  for (const [name, value] of form.entries()) {
    const at = /^area-(\d+)$/.exec(name);
    if (!at || typeof value !== "string") continue;
    const heading = form.get(`heading-${at[1]}`);
    const area = Number(value);
    if (typeof heading === "string" && AREA_NUMBERS.includes(area)) choices[heading] = area;
  }
  return choices;
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { trust, user, role } = await requireTrustAccess(request, params.slug, "editDraft");
  const form = await readForm(request, IMPORT_LIMIT_BYTES);
  const intent = text(form, "intent");
  const wholeScheme = text(form, "wholeScheme") === "yes";
  const choices: Partial<Choices> = { key: text(form, "key"), customKey: text(form, "customKey"), wholeScheme };
  if (intent !== "preview" && intent !== "confirm") return refuse(400, { formError: "Use the buttons on this page.", choices });
  let file: { csv: string; fileName: string | null };
  let key: DecisionKey;
  try {
    file = await fileText(form);
    key = await chosenKey(form, trust.id);
  } catch (error) {
    if (!(error instanceof RuleError)) throw error;
    return refuse(400, { fieldErrors: { [error.field ?? "file"]: error.message }, choices });
  }
  const carried: Choices = {
    key: text(form, "key"),
    customKey: text(form, "customKey"),
    fileName: file.fileName,
    csv: Buffer.from(file.csv, "utf8").toString("base64"),
    wholeScheme,
  };
  const db = await getDb();
  const input = {
    trustId: trust.id,
    csv: file.csv,
    key,
    areaChoices: areaChoices(form),
    mayCreateBodies: can(role, "manageStructure"),
    fileName: file.fileName,
    replaceCatalogue: wholeScheme,
  };

  if (intent === "preview") {
    const preview = await previewImport(db, input);
    return data({ refusal: null, preview: previewView(preview, carried), done: null }, { status: preview.plan.errors.length > 0 ? 400 : 200 });
  }
  try {
    const result = await applyImport(db, actorOf(user), { ...input, expectedFingerprint: text(form, "fingerprint") || null });
    const s = result.plan.summary;
    const retired = result.retiring?.rows ?? 0;
    return {
      refusal: null,
      preview: null,
      done: {
        version: result.version?.number ?? null,
        started: result.startedDraft,
        message: result.version
          ? `Imported ${file.fileName ?? "the file"} into draft version ${result.version.number}: ${s.newBodies} new bodies, ${s.newRows} new responsibilities, ${s.updatedRows} updated, ${s.cellsSet} cells set and ${s.cellsCleared} cleared.${retired > 0 ? ` The ${counted(retired, "row")} of the catalogue before it ${retired === 1 ? "was" : "were"} retired.` : ""}`
          : `${file.fileName ?? "The file"} matches the trust's matrix already: there was nothing to change.`,
      },
    };
  } catch (error) {
    if (error instanceof PreviewOutdatedError) {
      const refusal: Refusal = { formError: error.message };
      return data({ refusal, preview: previewView(error.preview, carried), done: null }, { status: 409 });
    }
    if (error instanceof ImportRefusedError) {
      const refusal: Refusal = { formError: error.message };
      return data({ refusal, preview: previewView(await previewImport(db, input), carried), done: null }, { status: 400 });
    }
    if (error instanceof RuleError) return refuse(400, { formError: error.message, choices });
    throw error;
  }
}

function where(p: ImportProblem): string {
  if (p.row === null) return `Line ${p.line}`;
  return p.row === p.line ? String(p.row) : `${p.row} (line ${p.line} of the file)`;
}

/** What the page shows of a preview: plain words and numbers, nothing the browser does not need. */
function previewView(preview: ImportPreview, choices: Choices) {
  const { plan } = preview;
  const columnName = (index: number) => plan.columns[index]!.name;
  const change = (c: { columnIndex: number; before: string | null; after: string | null }) =>
    `${columnName(c.columnIndex)}: ${c.before ?? "(empty)"} → ${c.after ?? "(empty)"}`;
  return {
    choices,
    keyLabel: plan.key.label,
    fingerprint: preview.fingerprint,
    draft: preview.draft,
    newDraft: preview.newDraft,
    errors: plan.errors.slice(0, PROBLEMS_SHOWN).map((p) => ({
      where: where(p),
      column: p.column ? `${p.column.letter}${p.column.name ? `, ${p.column.name}` : ""}` : "",
      message: p.message,
    })),
    moreErrors: Math.max(0, plan.errors.length - PROBLEMS_SHOWN),
    /** Whether a problem is a ref of the trust's catalogue that importing as the whole scheme would set aside. */
    refClash: !choices.wholeScheme && plan.errors.some((p) => p.refClash),
    retiring: preview.retiring
      ? { words: retiringWords(preview.retiring, preview.draft), rows: preview.retiring.rows, statutory: preview.retiring.statutory }
      : null,
    warnings: plan.warnings.map(describeProblem),
    summary: plan.summary,
    newBodies: plan.columns.filter((c) => c.existingId === null).map((c) => ({ name: c.name, kind: BODY_KIND_LABELS[c.kind] })),
    sections: plan.sections.map((s) => ({ heading: s.heading, area: s.area, source: s.source, rows: s.rows, classifies: s.classifies })),
    newRows: plan.rows
      .filter((r) => !r.existing)
      .map((r) => ({ ref: r.ref, title: r.title, section: r.section ?? areaName(r.area), codes: r.changes.map((c) => `${columnName(c.columnIndex)}: ${c.after}`).join("; ") })),
    updatedRows: plan.rows
      .filter((r) => r.existing && rowChanged(r))
      .map((r) => ({
        ref: r.ref,
        title: r.title,
        changes: [
          ...(r.existing!.title !== r.title ? [`Title was "${r.existing!.title}"`] : []),
          ...(r.existing!.section !== r.section ? [`Section: ${r.existing!.section ?? "(none)"} → ${r.section ?? "(none)"}`] : []),
          ...(r.existing!.area !== r.area ? [`Research area: ${areaName(r.existing!.area)} → ${areaName(r.area)}`] : []),
          ...r.changes.map(change),
        ],
      })),
    untouched: plan.untouched,
  };
}

type Preview = ReturnType<typeof previewView>;

const areaOptions = [...AREAS.map((a) => ({ value: a.number, label: `${a.number}. ${a.name}` })), { value: UNCLASSIFIED_AREA, label: "Unclassified" }];

export default function ImportMatrix() {
  const { slug, keys, defaultKey, latest } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const preview = answer?.preview ?? null;
  const refusal = answer?.refusal ?? null;
  const done = answer?.done ?? null;
  const choices = preview?.choices ?? refusal?.choices ?? null;
  const fieldError = (name: string) => refusal?.fieldErrors?.[name] ?? null;
  return (
    <div className="matrix-import">
      <h1>Import a matrix</h1>
      <p className="lede">
        Bring in the trust's scheme from a spreadsheet: each row a responsibility, each column a body, each cell the trust's own mark. You will
        see everything the import creates and changes before anything is saved.
      </p>
      <p>
        To add schools from the DfE register instead, use <Link to={`/trusts/${slug}/import/schools`}>Import schools</Link>. To record
        schools' inspections, outcomes and finances from a spreadsheet, use{" "}
        <Link to={`/trusts/${slug}/import/performance`}>Import performance records</Link>.
        {latest ? (
          <>
            {" "}
            To edit the current matrix in a spreadsheet, download{" "}
            <a href={`/trusts/${slug}/versions/${latest.number}.csv`} download>
              version {latest.number} ({latest.status}) as CSV
            </a>
            , change it, and import it here.
          </>
        ) : null}
      </p>
      {done ? (
        <div className="notice notice--success" role="status">
          <p>{done.message}</p>
          {done.version ? (
            <p>
              <Link to={`/trusts/${slug}/versions/${done.version}`}>Open draft version {done.version}</Link>
            </p>
          ) : null}
        </div>
      ) : null}
      <FormHelp />
      <Form method="post" encType="multipart/form-data" className="stack matrix-import__upload" aria-labelledby="upload-heading">
        <h2 id="upload-heading">{preview ? "Choose another file or key" : "The file and its key"}</h2>
        {refusal?.formError && !preview ? <FormError id="import-error" errors={[refusal.formError]} /> : null}
        <div className="field" data-invalid={fieldError("file") ? "" : undefined}>
          <label htmlFor="file">The CSV file</label>
          <span id="file-hint" className="hint">
            {preview ? `Leave empty to use ${preview.choices.fileName ?? "the same file"} again.` : "Save the spreadsheet as CSV (UTF-8, or plain CSV)."}
          </span>
          {fieldError("file") ? (
            <p id="file-error" className="field-error">
              <span className="visually-hidden">Error: </span>
              {fieldError("file")}
            </p>
          ) : null}
          <input
            id="file"
            name="file"
            type="file"
            accept=".csv,text/csv"
            aria-describedby={fieldError("file") ? "file-hint file-error" : "file-hint"}
            aria-invalid={fieldError("file") ? true : undefined}
          />
        </div>
        {preview ? <CarriedFile choices={preview.choices} /> : null}
        <KeyFields keys={keys} defaultKey={choices?.key || defaultKey} customKey={choices?.customKey ?? ""} errors={refusal?.fieldErrors ?? {}} />
        <WholeSchemeField checked={choices?.wholeScheme ?? false} />
        <div>
          <button type="submit" name="intent" value="preview">
            Preview the import
          </button>
        </div>
      </Form>
      {preview ? <PreviewSection preview={preview} formError={refusal?.formError ?? null} /> : null}
    </div>
  );
}

function FormHelp() {
  return (
    <details className="matrix-import__help">
      <summary>What the file must look like</summary>
      <p>
        The first row is <code>ref,area,responsibility</code> followed by one column per body: its name as the trust uses it, and, for a body
        the trust does not have yet, its kind in square brackets, e.g. <code>Audit committee [committee]</code>. The kinds are{" "}
        {Object.keys(BODY_KIND_LABELS).join(", ")}.
      </p>
      <p>
        Each row after it is one responsibility: its ref (e.g. 4.2), the trust's own section heading (e.g. "A. Vision &amp; ethos"), what is
        decided, and in each body's column the trust's mark, or nothing. A row whose ref the trust already has updates that responsibility in
        the draft; a new ref adds one. Responsibilities the file does not mention are left as they are, unless the file is the trust's
        whole scheme (the choice below): then the current catalogue's rows are retired and every row of the file is added as a new one.
      </p>
      <pre className="matrix-import__example">
        {"ref,area,responsibility,Members [members],Trust board [board],CEO [executive]\n1.1,1. Members,Signatories to the articles of association,X,,\n4.1,4. Finance,Approving the trust's annual budget,,X,*"}
      </pre>
    </details>
  );
}

function WholeSchemeField({ checked }: { checked: boolean }) {
  return (
    <div className="field">
      <div className="checkbox">
        <input type="checkbox" id="wholeScheme" name="wholeScheme" value="yes" defaultChecked={checked} aria-describedby="wholeScheme-hint" />
        <label htmlFor="wholeScheme">This file is the trust's whole scheme: set aside the rows of the draft that it does not name by their own words</label>
      </div>
      <span id="wholeScheme-hint" className="hint">
        Every row of the current catalogue is retired (approved versions keep them) and every row of the file is added as a new one, so its
        refs need not match the catalogue's. Use this when bringing the trust's own scheme; to update the draft from a file exported here, leave
        it unticked.
      </span>
    </div>
  );
}

function CarriedFile({ choices }: { choices: Preview["choices"] }) {
  return (
    <>
      <input type="hidden" name="csv" value={choices.csv} />
      <input type="hidden" name="fileName" value={choices.fileName ?? ""} />
      {choices.wholeScheme ? <input type="hidden" name="wholeScheme" value="yes" /> : null}
    </>
  );
}

function KeyFields({
  keys,
  defaultKey,
  customKey,
  errors,
}: {
  keys: { value: string; label: string }[];
  defaultKey: string;
  customKey: string;
  errors: Record<string, string>;
}) {
  return (
    <>
      <div className="field" data-invalid={errors.key ? "" : undefined}>
        <label htmlFor="key">What the marks mean (the key)</label>
        <span id="key-hint" className="hint">
          How the trust marks who does what, e.g. X where the decision sits, or Responsible and Recommends.
        </span>
        {errors.key ? (
          <p id="key-error" className="field-error">
            <span className="visually-hidden">Error: </span>
            {errors.key}
          </p>
        ) : null}
        <select id="key" name="key" defaultValue={defaultKey} aria-describedby={errors.key ? "key-hint key-error" : "key-hint"} aria-invalid={errors.key ? true : undefined}>
          {keys.map((k) => (
            <option key={k.value} value={k.value}>
              {k.label}
            </option>
          ))}
        </select>
      </div>
      <div className="field" data-invalid={errors.customKey ? "" : undefined}>
        <label htmlFor="customKey">Other marks</label>
        <span id="customKey-hint" className="hint">
          Only with "Other marks" above: each mark and the code it stands for, e.g. <code>X=D, *=C, Lead=D</code>. The codes are D decides, R
          recommends, C consulted, A advises, E executes, M monitors, I informed, — not permitted.
        </span>
        {errors.customKey ? (
          <p id="customKey-error" className="field-error">
            <span className="visually-hidden">Error: </span>
            {errors.customKey}
          </p>
        ) : null}
        <input
          id="customKey"
          name="customKey"
          type="text"
          defaultValue={customKey}
          aria-describedby={errors.customKey ? "customKey-hint customKey-error" : "customKey-hint"}
          aria-invalid={errors.customKey ? true : undefined}
        />
      </div>
    </>
  );
}
function PreviewSection({ preview, formError }: { preview: Preview; formError: string | null }) {
  const s = preview.summary;
  const nothing = s.newBodies + s.newRows + s.updatedRows + (preview.retiring?.rows ?? 0) === 0;
  const into = preview.draft
    ? `draft version ${preview.draft.number}`
    : `a new draft, version ${preview.newDraft!.number}${preview.newDraft!.basedOn ? `, started from approved version ${preview.newDraft!.basedOn}` : ""}`;
  return (
    <section className="matrix-import__preview" aria-labelledby="preview-heading">
      <h2 id="preview-heading">
        Preview of {preview.choices.fileName ?? "the file"}, read with the key "{preview.keyLabel}"
      </h2>
      {formError ? <FormError id="confirm-error" errors={[formError]} /> : null}
      {preview.errors.length > 0 ? (
        <FileProblems problems={preview.errors} more={preview.moreErrors} place="Row">
          {preview.refClash ? (
            <p>
              If the file is the trust's whole scheme, with refs of its own, tick "This file is the trust's whole scheme" above and preview it again:
              its rows then replace the current catalogue instead of meeting its rows.
            </p>
          ) : null}
        </FileProblems>
      ) : null}
      {preview.warnings.length > 0 ? (
        <>
          <h3>Points to check</h3>
          <ul className="matrix-import__warnings">
            {preview.warnings.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
        </>
      ) : null}
      {preview.errors.length === 0 ? (
        <>
          <h3>What the import will do</h3>
          {nothing ? (
            <p>The file matches the trust's matrix already: there is nothing to import.</p>
          ) : (
            <ul className="summary-cards">
              <li>
                <span className="figure">{s.newBodies}</span> new {s.newBodies === 1 ? "body" : "bodies"}
              </li>
              <li>
                <span className="figure">{s.newRows}</span> new {s.newRows === 1 ? "responsibility" : "responsibilities"}
              </li>
              <li>
                <span className="figure">{s.updatedRows}</span> {s.updatedRows === 1 ? "responsibility" : "responsibilities"} updated
              </li>
              <li>
                <span className="figure">{s.cellsSet}</span> {s.cellsSet === 1 ? "cell" : "cells"} set, {s.cellsCleared} cleared
              </li>
              {preview.retiring ? (
                <li>
                  <span className="figure">{preview.retiring.rows}</span> {preview.retiring.rows === 1 ? "row" : "rows"} of the catalogue retired
                </li>
              ) : null}
            </ul>
          )}
          {!nothing ? <p>The changes go into {into}.</p> : null}
          {preview.retiring ? <RetiringNotice retiring={preview.retiring} /> : null}
          <ConfirmForm preview={preview} nothing={nothing} />
          <ChangeTables preview={preview} />
        </>
      ) : null}
    </section>
  );
}

function RetiringNotice({ retiring }: { retiring: NonNullable<Preview["retiring"]> }) {
  return (
    <section className="notice matrix-import__retiring" aria-labelledby="retiring-heading">
      <h3 id="retiring-heading">The file is the trust's whole scheme</h3>
      <p>{retiring.words}</p>
      {retiring.statutory.length > 0 ? (
        <table className="data">
          <caption>Statutory rows retired</caption>
          <thead>
            <tr>
              <th scope="col">Ref</th>
              <th scope="col">Responsibility</th>
              <th scope="col">Rule</th>
            </tr>
          </thead>
          <tbody>
            {retiring.statutory.map((r) => (
              <tr key={r.ref}>
                <th scope="row">{r.ref}</th>
                <td className="matrix-import__title">{r.title}</td>
                <td>{r.statutoryRule ?? "Statutory"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}

function ConfirmForm({ preview, nothing }: { preview: Preview; nothing: boolean }) {
  return (
    <Form method="post" encType="multipart/form-data" className="matrix-import__confirm" aria-labelledby="sections-heading">
      <CarriedFile choices={preview.choices} />
      <input type="hidden" name="key" value={preview.choices.key} />
      <input type="hidden" name="customKey" value={preview.choices.customKey} />
      <input type="hidden" name="fingerprint" value={preview.fingerprint} />
      <h3 id="sections-heading">Sections and their research areas</h3>
      <p>
        Each section keeps the trust's heading in the document. For analysis, new responsibilities, and those moving to another section, take
        the section's research area: matched by its name where possible; choose where it is not.
      </p>
      <table className="data">
        <caption className="visually-hidden">The file's sections and the research area of each</caption>
        <thead>
          <tr>
            <th scope="col">Section in the file</th>
            <th scope="col" className="numeric">
              Rows
            </th>
            <th scope="col">Research area</th>
          </tr>
        </thead>
        <tbody>
          {preview.sections.map((s, i) => {
            const heading = s.heading === "" ? "(no section heading)" : s.heading;
            return (
              <tr key={i}>
                <th scope="row">{heading}</th>
                <td className="numeric">{s.rows}</td>
                <td>
                  {s.source === "research-area" ? (
                    <>{areaName(s.area)} (the research area's own name)</>
                  ) : s.classifies === 0 ? (
                    <>Its rows keep their research areas</>
                  ) : (
                    <>
                      <input type="hidden" name={`heading-${i}`} value={s.heading} />
                      <label className="visually-hidden" htmlFor={`area-${i}`}>
                        Research area for {heading}
                      </label>
                      <select id={`area-${i}`} name={`area-${i}`} defaultValue={String(s.area)}>
                        {areaOptions.map((o) => (
                          <option key={o.value} value={o.value}>
                            {o.label}
                          </option>
                        ))}
                      </select>{" "}
                      <span className="hint">{s.source === "name" ? "matched by its name" : s.source === "chosen" ? "your choice" : "no match by name"}</span>
                    </>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <div className="matrix-import__buttons">
        {!nothing ? (
          <button type="submit" name="intent" value="confirm">
            Import into {preview.draft ? `draft version ${preview.draft.number}` : `a new draft (version ${preview.newDraft!.number})`}
          </button>
        ) : null}
        <button type="submit" name="intent" value="preview" className="secondary">
          Update the preview
        </button>
      </div>
    </Form>
  );
}

function ChangeTables({ preview }: { preview: Preview }) {
  return (
    <>
      {preview.newBodies.length > 0 ? (
        <table className="data">
          <caption>New bodies, added as columns of the matrix</caption>
          <thead>
            <tr>
              <th scope="col">Body</th>
              <th scope="col">Kind</th>
            </tr>
          </thead>
          <tbody>
            {preview.newBodies.map((b) => (
              <tr key={b.name}>
                <th scope="row">{b.name}</th>
                <td>{b.kind}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {preview.newRows.length > 0 ? (
        <table className="data">
          <caption>New responsibilities</caption>
          <thead>
            <tr>
              <th scope="col">Ref</th>
              <th scope="col">Responsibility</th>
              <th scope="col">Section</th>
              <th scope="col">Codes</th>
            </tr>
          </thead>
          <tbody>
            {preview.newRows.map((r) => (
              <tr key={r.ref}>
                <th scope="row">{r.ref}</th>
                <td className="matrix-import__title">{r.title}</td>
                <td>{r.section}</td>
                <td>{r.codes || "(none)"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {preview.updatedRows.length > 0 ? (
        <table className="data">
          <caption>Responsibilities updated in the draft</caption>
          <thead>
            <tr>
              <th scope="col">Ref</th>
              <th scope="col">Responsibility</th>
              <th scope="col">Changes</th>
            </tr>
          </thead>
          <tbody>
            {preview.updatedRows.map((r) => (
              <tr key={r.ref}>
                <th scope="row">{r.ref}</th>
                <td className="matrix-import__title">{r.title}</td>
                <td>
                  <ul className="matrix-import__changes">
                    {r.changes.map((c) => (
                      <li key={c}>{c}</li>
                    ))}
                  </ul>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {preview.untouched.length > 0 ? (
        <details className="matrix-import__untouched">
          <summary>
            {counted(preview.untouched.length, "responsibility", "responsibilities")} of the trust {preview.untouched.length === 1 ? "is" : "are"} not
            in the file and will be left as {preview.untouched.length === 1 ? "it is" : "they are"}
          </summary>
          <ul>
            {preview.untouched.map((r) => (
              <li key={r.ref}>
                {r.ref} {r.title}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </>
  );
}
