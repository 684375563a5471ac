import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireTrustAccess } from "~/auth.server";
import { getDb } from "~/db.server";
import { can } from "~/domain/roles";
import { BODY_KIND_LABELS, BODY_KINDS, type BodyKind } from "~/domain/structure";
import { getTrustOverview } from "~/models/trust.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { trust, role } = await requireTrustAccess(request, params.slug);
  const overview = await getTrustOverview(await getDb(), trust.id);
  return { trustName: trust.name, slug: trust.slug, canReviewBreakPoints: can(role, "reviewBreakPoints"), ...overview };
}

const DATE = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });

function formatDate(value: string | null): string {
  return value ? DATE.format(new Date(value)) : "—";
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

export default function TrustOverview() {
  const { trustName, slug, counts, columns, clusters, versions, canReviewBreakPoints } = useLoaderData<typeof loader>();
  const draft = versions.find((v) => v.status === "draft");
  const approved = versions.find((v) => v.status === "approved");
  const ordered = [...columns].sort(
    (a, b) => BODY_KINDS.indexOf(a.kind as BodyKind) - BODY_KINDS.indexOf(b.kind as BodyKind) || a.position - b.position,
  );
  return (
    <>
      <h1>{trustName}</h1>
      <ul className="summary-cards" aria-label="The trust at a glance">
        <li>
          <span className="figure">{counts.schools}</span> schools
        </li>
        <li>
          <span className="figure">{counts.columns}</span> columns in the matrix
        </li>
        <li>
          <span className="figure">{counts.responsibilities}</span> responsibilities
        </li>
        <li>
          <span className="figure">{versions.length}</span> scheme versions
        </li>
      </ul>

      <h2 id="scheme">The scheme</h2>
      <p>
        {approved ? (
          <>
            <Link to={`/trusts/${slug}/versions/${approved.number}`}>Version {approved.number}</Link> was approved on{" "}
            {formatDate(approved.approvedOn)}; its review is due on {formatDate(approved.reviewDueOn)}.{" "}
          </>
        ) : (
          "No version has been approved yet. "
        )}
        {draft ? (
          <>
            <Link to={`/trusts/${slug}/versions/${draft.number}`}>Draft version {draft.number}</Link> is being prepared
            {draft.breakPointReason ? ` (${draft.breakPointReason})` : ""}.
          </>
        ) : (
          <Link to={`/trusts/${slug}/scheme`}>Open the scheme</Link>
        )}
      </p>
      {canReviewBreakPoints ? (
        <p>
          When the trust changes (it grows, takes on schools far away, or its schools’ performance moves them between tiers), the{" "}
          <Link to={`/trusts/${slug}/break-points`}>break-point review</Link> proposes changes to the scheme.
        </p>
      ) : null}
      {versions.length > 0 ? (
        <table className="data" aria-labelledby="scheme">
          <thead>
            <tr>
              <th scope="col">Version</th>
              <th scope="col">Status</th>
              <th scope="col">Approved</th>
              <th scope="col">Review due</th>
              <th scope="col">Reason</th>
            </tr>
          </thead>
          <tbody>
            {versions.map((v) => (
              <tr key={v.id}>
                <td>
                  <Link to={`/trusts/${slug}/versions/${v.number}`}>Version {v.number}</Link>
                </td>
                <td>
                  <span className={`status status--${v.status}`}>{v.status}</span>
                </td>
                <td>{formatDate(v.approvedOn)}</td>
                <td>{formatDate(v.reviewDueOn)}</td>
                <td>{v.breakPointReason ?? ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}

      <h2 id="tiers">Who decides: the columns of the matrix</h2>
      {ordered.length === 0 ? (
        <p>
          No governance bodies yet. <Link to={`/trusts/${slug}/structure`}>Set out the structure</Link>.
        </p>
      ) : (
        <table className="data" aria-labelledby="tiers">
          <thead>
            <tr>
              <th scope="col">Column</th>
              <th scope="col">Kind</th>
              <th scope="col">Decides or advises</th>
              <th scope="col">Chair</th>
            </tr>
          </thead>
          <tbody>
            {ordered.map((c) => (
              <tr key={c.id}>
                <td>{c.name}</td>
                <td>{BODY_KIND_LABELS[c.kind as BodyKind]}</td>
                <td>{c.mode === "advisory" ? "Advisory" : "Decision-making"}</td>
                <td>{c.chairName ?? "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h2 id="clusters">Clusters and local boards</h2>
      <p>
        {plural(counts.clusters, "cluster")}, {plural(counts.localBoards, "local board")}
        {counts.advisoryLocalBoards > 0 ? ` (${counts.advisoryLocalBoards} advisory)` : ""}
        {counts.schoolsWithoutCluster > 0 ? `; ${plural(counts.schoolsWithoutCluster, "school")} in no cluster` : ""}.{" "}
        <Link to={`/trusts/${slug}/structure`}>See the whole structure, its chart and every school</Link>.
      </p>
      {clusters.length > 0 ? (
        <table className="data" aria-labelledby="clusters">
          <thead>
            <tr>
              <th scope="col">Cluster</th>
              <th scope="col" className="numeric">
                Schools
              </th>
              <th scope="col" className="numeric">
                Local boards
              </th>
              <th scope="col">Chair</th>
            </tr>
          </thead>
          <tbody>
            {clusters.map((c) => (
              <tr key={c.id}>
                <td>
                  {c.name}
                  {c.mode === "advisory" ? " (advisory)" : ""}
                </td>
                <td className="numeric">{c.schools}</td>
                <td className="numeric">{c.localBoards}</td>
                <td>{c.chairName ?? "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </>
  );
}
