/**
 * What changed between two versions of the scheme: counts first, then responsibilities added,
 * retired and renamed; cells changed, by area, from → to in words; tier variants and school
 * variations; bodies and schools; findings that appeared or disappeared. `?from=M` names the older
 * version; without it, the version this one was started from, else the latest approved before it.
 * Everyone in the trust can read it.
 */
import { data, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { requireTrustAccess } from "~/auth.server";
import { appliedNotice, BreakPointNotice } from "~/components/break-point-notice";
import { getDb } from "~/db.server";
import { NotFoundError, RuleError } from "~/domain/errors";
import { BODY_KIND_LABELS } from "~/domain/structure";
import { namedTier } from "~/domain/variants";
import { versionNumberFromParam } from "~/domain/versions";
import {
  bodyChangeWords,
  cellChangeWords,
  diffCounts,
  rowChangeWords,
  schoolChangeWords,
  variantChangeWords,
  type VariantChange,
} from "~/domain/version-diff";
import { listVersions } from "~/models/scheme.server";
import { loadVersionDiff } from "~/models/version-diff.server";
import diffStyles from "~/styles/version-diff.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: diffStyles }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  {
    title: data?.from
      ? `Changes from version ${data.from.number} to version ${data.to.number} · Scheme of delegation`
      : data
        ? `Changes in version ${data.to.number} · Scheme of delegation`
        : "Scheme of delegation",
  },
];

interface ChangeLine {
  ref: string;
  title: string;
  column: string;
  change: string;
}

const variantLines = (changes: VariantChange[]): ChangeLine[] =>
  changes.map((c) => ({ ref: c.ref, title: c.title, column: c.column, change: variantChangeWords(c.from, c.to) }));

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { trust } = await requireTrustAccess(request, params.slug);
  const db = await getDb();
  const number = versionNumberFromParam(params.number);
  const versions = await listVersions(db, trust.id);
  const to = versions.find((v) => v.number === number);
  if (!to) throw new Response("Not found", { status: 404, statusText: "Not Found" });
  const choices = versions.filter((v) => v.id !== to.id).map((v) => ({ number: v.number, status: v.status }));
  const url = new URL(request.url);
  const applied = to.status === "draft" ? appliedNotice(url.searchParams) : null;
  const base = { slug: trust.slug, to: { number: to.number, status: to.status }, choices, applied };
  const headers = { "Cache-Control": "no-store" };

  const fromParam = url.searchParams.get("from");
  const from = fromParam === null || fromParam.trim() === "" ? null : versionNumberFromParam(fromParam.trim());
  if (fromParam !== null && fromParam.trim() !== "" && from === null) {
    return data({ ...base, from: null, problem: `“${fromParam}” is not a version number: choose a version to compare with.`, diff: null }, { status: 400, headers });
  }
  let loaded;
  try {
    loaded = await loadVersionDiff(db, trust.id, { to: to.number, from });
  } catch (error) {
    if (error instanceof NotFoundError || error instanceof RuleError) {
      const status = error instanceof NotFoundError ? 404 : from === null ? 200 : 400;
      const problem = error instanceof NotFoundError ? `${trust.name} has no version ${from} of its scheme: choose a version to compare with.` : error.message;
      return data({ ...base, from: null, problem, diff: null }, { status, headers });
    }
    throw error;
  }
  const { diff, tierNames } = loaded;
  const s = diff.structure;
  const view = {
    counts: diffCounts(diff),
    rowsAdded: diff.rows.added.map((r) => ({ id: r.id, ref: r.ref, title: r.title })),
    rowsRetired: diff.rows.retired.map((r) => ({ id: r.id, ref: r.ref, title: r.title })),
    rowsChanged: [...diff.rows.renamed, ...diff.rows.amended].map((c) => ({
      id: c.after.id,
      ref: c.after.ref,
      title: c.after.title,
      change: rowChangeWords(c).join("; "),
    })),
    areas: diff.cells.map((a) => ({
      area: a.area,
      name: a.areaName,
      changes: a.changes.map((c) => ({ ref: c.ref, title: c.title, column: c.column, change: cellChangeWords(c.from, c.to) })),
    })),
    tiers: diff.tiers.map((t) => ({ tier: t.tier, name: namedTier(t.tier, tierNames), changes: variantLines(t.changes) })),
    schools: diff.schools.map((x) => ({ id: x.schoolId, name: x.schoolName, changes: variantLines(x.changes) })),
    structure: [
      ...s.columns.added.map((c) => ({ what: "Matrix column", name: c.name, change: `added (${BODY_KIND_LABELS[c.kind].toLowerCase()}, ${c.mode})` })),
      ...s.columns.removed.map((c) => ({ what: "Matrix column", name: c.name, change: "removed" })),
      ...s.columns.changed.map((c) => ({ what: "Matrix column", name: c.after.name, change: bodyChangeWords(c).join("; ") })),
      ...s.boards.added.map((b) => ({ what: "Board", name: b.name, change: `added (${BODY_KIND_LABELS[b.kind].toLowerCase()}, ${b.mode})` })),
      ...s.boards.removed.map((b) => ({ what: "Board", name: b.name, change: "removed" })),
      ...s.boards.changed.map((b) => ({ what: "Board", name: b.after.name, change: bodyChangeWords(b).join("; ") })),
      ...s.schools.added.map((x) => ({ what: "School", name: x.name, change: `joined (URN ${x.urn})` })),
      ...s.schools.removed.map((x) => ({ what: "School", name: x.name, change: "left the trust" })),
      ...s.schools.changed.map((x) => ({ what: "School", name: x.after.name, change: schoolChangeWords(x).join("; ") })),
    ].filter((line) => line.change !== ""),
    findingsAppeared: diff.findings?.appeared ?? [],
    findingsDisappeared: diff.findings?.disappeared ?? [],
  };
  return data({ ...base, from: { number: loaded.from.number, status: loaded.from.status }, problem: null, diff: view }, { headers });
}

function Lines({ caption, lines }: { caption: string; lines: ChangeLine[] }) {
  return (
    <table className="diff-table">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Ref</th>
          <th scope="col">Responsibility</th>
          <th scope="col">Body</th>
          <th scope="col">From → to</th>
        </tr>
      </thead>
      <tbody>
        {lines.map((l, i) => (
          <tr key={i}>
            <td>{l.ref}</td>
            <th scope="row">{l.title}</th>
            <td>{l.column}</td>
            <td>{l.change}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Findings({ caption, list }: { caption: string; list: { key: string; ruleId: string; severity: string; message: string }[] }) {
  if (list.length === 0) return <p>{caption}: none.</p>;
  return (
    <table className="diff-table">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Rule</th>
          <th scope="col">Severity</th>
          <th scope="col">Finding</th>
        </tr>
      </thead>
      <tbody>
        {list.map((f) => (
          <tr key={f.key}>
            <td>{f.ruleId}</td>
            <td>{f.severity}</td>
            <th scope="row">{f.message}</th>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const SUMMARY: { key: keyof NonNullable<ReturnType<typeof useLoaderData<typeof loader>>["diff"]>["counts"]; label: string }[] = [
  { key: "rowsAdded", label: "Responsibilities added" },
  { key: "rowsRetired", label: "Responsibilities retired" },
  { key: "rowsRenamed", label: "Responsibilities renamed" },
  { key: "rowsAmended", label: "Responsibilities otherwise changed" },
  { key: "cellsChanged", label: "Cells changed" },
  { key: "tierVariantsChanged", label: "Tier variants changed" },
  { key: "schoolVariationsChanged", label: "School variations changed" },
  { key: "structureChanges", label: "Changes to bodies and schools" },
  { key: "findingsAppeared", label: "Findings that appeared" },
  { key: "findingsDisappeared", label: "Findings that disappeared" },
];

export default function VersionDiffPage() {
  const page = useLoaderData<typeof loader>();
  const here = `/trusts/${page.slug}/versions/${page.to.number}`;
  const diff = page.diff;
  return (
    <>
      <p>
        <Link to={here}>Back to version {page.to.number}’s matrix</Link>
      </p>
      <h1>
        {page.from ? `Changes from version ${page.from.number} to version ${page.to.number}` : `Changes in version ${page.to.number}`}{" "}
        <span className={`status status--${page.to.status}`}>{page.to.status}</span>
      </h1>
      <BreakPointNotice notice={page.applied} slug={page.slug} draft={page.to.number} />
      {page.choices.length > 0 ? (
        <Form method="get" className="diff-choose">
          <label htmlFor="diff-from">Compare with version</label>{" "}
          <select id="diff-from" name="from" defaultValue={page.from?.number ?? ""}>
            {page.from ? null : <option value="">Choose a version</option>}
            {page.choices.map((v) => (
              <option key={v.number} value={v.number}>
                Version {v.number} ({v.status})
              </option>
            ))}
          </select>{" "}
          <button type="submit">Compare</button>
        </Form>
      ) : null}
      {page.problem ? (
        <p className="notice" role="status">
          {page.problem}
        </p>
      ) : null}
      {diff ? (
        <>
          <table className="diff-table diff-summary">
            <caption>Summary of changes</caption>
            <tbody>
              {SUMMARY.map((s) => (
                <tr key={s.key}>
                  <th scope="row">{s.label}</th>
                  <td>{diff.counts[s.key]}</td>
                </tr>
              ))}
            </tbody>
          </table>

          <section aria-labelledby="diff-rows">
            <h2 id="diff-rows">Responsibilities</h2>
            {diff.rowsAdded.length + diff.rowsRetired.length + diff.rowsChanged.length === 0 ? (
              <p>No responsibility was added, retired or renamed.</p>
            ) : (
              <table className="diff-table">
                <caption>Responsibilities added, retired and changed</caption>
                <thead>
                  <tr>
                    <th scope="col">Ref</th>
                    <th scope="col">Responsibility</th>
                    <th scope="col">Change</th>
                  </tr>
                </thead>
                <tbody>
                  {diff.rowsAdded.map((r) => (
                    <tr key={`a${r.id}`}>
                      <td>{r.ref}</td>
                      <th scope="row">{r.title}</th>
                      <td>added</td>
                    </tr>
                  ))}
                  {diff.rowsRetired.map((r) => (
                    <tr key={`r${r.id}`}>
                      <td>{r.ref}</td>
                      <th scope="row">{r.title}</th>
                      <td>retired</td>
                    </tr>
                  ))}
                  {diff.rowsChanged.map((r) => (
                    <tr key={`c${r.id}`}>
                      <td>{r.ref}</td>
                      <th scope="row">{r.title}</th>
                      <td>{r.change}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>

          <section aria-labelledby="diff-cells">
            <h2 id="diff-cells">Cells, by area</h2>
            {diff.areas.length === 0 ? <p>No cell of the base scheme changed.</p> : null}
            {diff.areas.map((a) => (
              <section key={a.area} aria-labelledby={`diff-area-${a.area}`}>
                <h3 id={`diff-area-${a.area}`}>
                  {a.area === 0 ? a.name : `${a.area}. ${a.name}`} ({a.changes.length})
                </h3>
                <Lines caption={`Cells changed in ${a.name}`} lines={a.changes} />
              </section>
            ))}
          </section>

          <section aria-labelledby="diff-tiers">
            <h2 id="diff-tiers">Tier variants</h2>
            {diff.tiers.length === 0 ? <p>No tier’s variants changed.</p> : null}
            {diff.tiers.map((t) => (
              <section key={t.tier} aria-labelledby={`diff-tier-${t.tier}`}>
                <h3 id={`diff-tier-${t.tier}`}>
                  {t.name} ({t.changes.length})
                </h3>
                <Lines caption={`Variants changed for ${t.name}`} lines={t.changes} />
              </section>
            ))}
          </section>

          <section aria-labelledby="diff-schools">
            <h2 id="diff-schools">School variations</h2>
            {diff.schools.length === 0 ? <p>No school’s own variations changed.</p> : null}
            {diff.schools.map((x) => (
              <section key={x.id} aria-labelledby={`diff-school-${x.id}`}>
                <h3 id={`diff-school-${x.id}`}>
                  {x.name} ({x.changes.length})
                </h3>
                <Lines caption={`Variations changed for ${x.name}`} lines={x.changes} />
              </section>
            ))}
          </section>

          <section aria-labelledby="diff-structure">
            <h2 id="diff-structure">Bodies and schools</h2>
            {diff.structure.length === 0 ? (
              <p>No body or school was added, removed or changed.</p>
            ) : (
              <table className="diff-table">
                <caption>Bodies and schools added, removed and changed</caption>
                <thead>
                  <tr>
                    <th scope="col">What</th>
                    <th scope="col">Name</th>
                    <th scope="col">Change</th>
                  </tr>
                </thead>
                <tbody>
                  {diff.structure.map((l, i) => (
                    <tr key={i}>
                      <td>{l.what}</td>
                      <th scope="row">{l.name}</th>
                      <td>{l.change}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>

          <section aria-labelledby="diff-findings">
            <h2 id="diff-findings">Findings of the checks</h2>
            <Findings caption="Findings that appeared" list={diff.findingsAppeared} />
            <Findings caption="Findings that disappeared" list={diff.findingsDisappeared} />
            <p>
              <Link to={`${here}/checks`}>All checks of version {page.to.number}</Link>
            </p>
          </section>
        </>
      ) : null}
    </>
  );
}
