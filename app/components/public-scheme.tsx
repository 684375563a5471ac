/**
 * A version of the scheme as the public reads it: the published web page (/p/TRUST-SLUG) and the
 * standalone page `sod export --format html` writes are both this component. Read-only, plain
 * tables a screen reader can walk (a caption each, headings scoped to their row or column), each
 * area's table scrolling sideways inside a labelled region on a phone, and printable.
 */
import { GovernanceChart } from "~/components/governance-chart";
import { longDate } from "~/domain/dates";
import type { Coverage, PublicArea, PublicBody, PublicColumn, PublicSchemeView } from "~/domain/public-scheme";
import { BODY_KIND_LABELS } from "~/domain/structure";

function areaTitle(area: Pick<PublicArea, "number" | "name">): string {
  return area.number === 0 ? "Responsibilities not yet sorted into an area" : `${area.number}. ${area.name}`;
}

function coverageWords(coverage: Coverage, schoolCount: number): string {
  if (coverage.kind === "trust") return schoolCount === 1 ? "The trust's school" : `All ${schoolCount} schools of the trust`;
  if (coverage.kind === "schools") return coverage.names.join(", ");
  return "Not recorded";
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

function Approval({ version }: { version: PublicSchemeView["version"] }) {
  if (version.status === "draft") {
    return (
      <p className="public-scheme__banner" role="note">
        <strong>Draft: not approved.</strong> This version is still being written and is not the trust's scheme of delegation.
      </p>
    );
  }
  return (
    <>
      <dl className="public-scheme__approval">
        <div>
          <dt>Version</dt>
          <dd>{version.number}</dd>
        </div>
        <div>
          <dt>Approved by</dt>
          <dd>{version.approvedBy ?? "Not recorded"}</dd>
        </div>
        <div>
          <dt>Date of approval</dt>
          <dd>{version.approvedOn ? longDate(version.approvedOn) : "Not recorded"}</dd>
        </div>
        {version.minuteRef ? (
          <div>
            <dt>Minute</dt>
            <dd>{version.minuteRef}</dd>
          </div>
        ) : null}
        <div>
          <dt>Next review due</dt>
          <dd>{version.reviewDueOn ? longDate(version.reviewDueOn) : "Not recorded"}</dd>
        </div>
      </dl>
      {version.status === "superseded" ? (
        <p className="public-scheme__banner" role="note">
          <strong>Superseded.</strong> The board has since approved a later version of this scheme.
        </p>
      ) : null}
    </>
  );
}

function BodyRow({ body, schoolCount }: { body: PublicBody; schoolCount: number }) {
  return (
    <tr>
      <th scope="row">
        {body.name}
        {body.shortName && body.shortName !== body.name ? ` (${body.shortName})` : ""}
        {body.remit ? <span className="public-scheme__remit">{body.remit}</span> : null}
      </th>
      <td>{BODY_KIND_LABELS[body.kind]}</td>
      <td>{body.mode === "advisory" ? "Advisory" : "Decision-making"}</td>
      <td>{body.chairName ?? "Not recorded"}</td>
      <td>{coverageWords(body.coverage, schoolCount)}</td>
    </tr>
  );
}

function ColumnHead({ column }: { column: PublicColumn }) {
  const label = column.shortName && column.shortName !== column.name ? <abbr title={column.name}>{column.shortName}</abbr> : column.name;
  return (
    <th scope="col" className={`public-matrix__head public-matrix__head--${column.kind}`}>
      {label}
      {column.advisory ? <span className="public-matrix__advisory">advisory</span> : null}
    </th>
  );
}

function AreaTable({ area, columns, version }: { area: PublicArea; columns: PublicColumn[]; version: number }) {
  const id = `area-${area.number}`;
  return (
    // Not a landmark of its own: the table's scrolling region, named by its caption, is the one a screen reader lists.
    <section className="public-area">
      <h3 id={id}>{areaTitle(area)}</h3>
      <div className="public-scroll" role="region" aria-labelledby={`${id}-caption`} tabIndex={0}>
        <table className="public-matrix">
          {/* The heading above says the same to the eye; the caption names the table for a screen reader. */}
          <caption id={`${id}-caption`} className="visually-hidden">
            {areaTitle(area)}: each body's part in each responsibility, version {version}
          </caption>
          <thead>
            <tr>
              <th scope="col" className="public-matrix__corner">
                Responsibility
              </th>
              {columns.map((column, i) => (
                <ColumnHead key={i} column={column} />
              ))}
            </tr>
          </thead>
          <tbody>
            {area.rows.map((row) => (
              <tr key={row.ref}>
                <th scope="row" className="public-matrix__row">
                  <span className="public-matrix__ref">{row.ref}</span> {row.title}
                  {row.statutoryRule ? <span className="public-matrix__rule"> {row.statutoryRule}</span> : null}
                </th>
                {row.codes.map((code, i) => (
                  <td key={i} className={code ? `code code-${code === "—" ? "none" : code}` : "code"}>
                    {code ?? ""}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

export function PublicScheme({ view, wordHref }: { view: PublicSchemeView; wordHref: string | null }) {
  const { version } = view;
  return (
    <article className="public-scheme">
      <header className="public-scheme__head">
        <h1>
          <span className="public-scheme__trust">{view.trustName}</span> <span className="public-scheme__title">Scheme of delegation</span>
        </h1>
        <Approval version={version} />
        {wordHref ? (
          <p className="public-scheme__download">
            <a href={wordHref} download>
              Download the scheme of delegation as a Word document
            </a>{" "}
            (version {version.number})
          </p>
        ) : null}
        <nav aria-label="On this page" className="public-scheme__contents">
          <ul>
            <li>
              <a href="#structure">Governance structure and chairs</a>
            </li>
            <li>
              <a href="#key">Key to the decision codes</a>
            </li>
            <li>
              <a href="#matrix">Who decides what</a>
            </li>
          </ul>
        </nav>
      </header>

      <section aria-labelledby="structure">
        <h2 id="structure">Governance structure and chairs</h2>
        <GovernanceChart title={`Governance structure of ${view.trustName}`} bodies={view.chart.bodies} schools={view.chart.schools} />
        <div className="public-scroll" role="region" aria-labelledby="bodies-caption" tabIndex={0}>
          <table className="public-bodies">
            <caption id="bodies-caption">The trust's governance bodies, their chairs and the schools they cover</caption>
            <thead>
              <tr>
                <th scope="col">Body</th>
                <th scope="col">Kind</th>
                <th scope="col">Decision-making or advisory</th>
                <th scope="col">Chair</th>
                <th scope="col">Schools covered</th>
              </tr>
            </thead>
            <tbody>
              {view.bodies.map((body) => (
                <BodyRow key={body.id} body={body} schoolCount={view.schoolCount} />
              ))}
            </tbody>
          </table>
        </div>
        <p className="public-scheme__note">
          An advisory body gives advice and holds no decisions of its own. Chairs' names are as the trust records them today.
        </p>
      </section>

      <section aria-labelledby="key">
        <h2 id="key">Key to the decision codes</h2>
        <dl className="public-key">
          {view.codes.map((c) => (
            <div key={c.code}>
              <dt>
                <span className={`code code-${c.code === "—" ? "none" : c.code}`}>{c.code}</span> {c.name}
              </dt>
              <dd>{c.meaning}</dd>
            </div>
          ))}
        </dl>
      </section>

      <section aria-labelledby="matrix">
        <h2 id="matrix">Who decides what</h2>
        <p>
          One table for each area of the trust's work. The columns are the trust's governance bodies in tier order; each cell holds
          the body's part in that responsibility, as in the key. An empty cell means the body has no part in it.
        </p>
        {view.variations.tierCells + view.variations.schoolCells > 0 ? (
          <p className="public-scheme__note">
            These tables are the scheme every school starts from.{" "}
            {[
              view.variations.tierCells > 0 ? `${plural(view.variations.tierCells, "cell differs", "cells differ")} for schools in particular autonomy tiers` : null,
              view.variations.schoolCells > 0 ? `${plural(view.variations.schoolCells, "cell differs", "cells differ")} for single schools` : null,
            ]
              .filter(Boolean)
              .join(", and ")}
            {wordHref ? "; the Word document sets them out." : "."}
          </p>
        ) : null}
        {view.areas.map((area) => (
          <AreaTable key={area.number} area={area} columns={view.columns} version={version.number} />
        ))}
      </section>
    </article>
  );
}
