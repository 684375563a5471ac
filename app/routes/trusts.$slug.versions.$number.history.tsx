/**
 * The history of one version of the scheme: every change recorded against it (cells, rows, the
 * checks' fixes and acknowledgements, approval), who made it and when, newest first, 50 to a page,
 * filtered by person and days. Everyone in the trust reads it.
 */
import { data, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireTrustAccess } from "~/auth.server";
import { HistoryEntries, HistoryFilter } from "~/components/history";
import { getDb } from "~/db.server";
import { versionNumberFromParam } from "~/domain/versions";
import { loadHistoryPage } from "~/models/history-page.server";
import historyStyles from "~/styles/history.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: historyStyles }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `History of version ${data.version.number} · Scheme of delegation` : "History · Scheme of delegation" },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { trust } = await requireTrustAccess(request, params.slug);
  const number = versionNumberFromParam(params.number);
  if (number === null) throw new Response("Not found", { status: 404, statusText: "Not Found" });
  const db = await getDb();
  // The version, the people and the page come in one statement.
  const { subject: version, ok, view } = await loadHistoryPage(db, trust, { trustId: trust.id, versionNumber: number }, new URL(request.url).searchParams);
  if (!version) throw new Response("Not found", { status: 404, statusText: "Not Found" });
  return data(
    { slug: trust.slug, version: { number: version.number, status: version.status }, view },
    { status: ok ? 200 : 400, headers: { "Cache-Control": "no-store" } },
  );
}

export default function VersionHistory() {
  const { slug, version, view } = useLoaderData<typeof loader>();
  const path = `/trusts/${slug}/versions/${version.number}/history`;
  return (
    <>
      <p>
        <Link to={`/trusts/${slug}/versions/${version.number}`}>Back to version {version.number}</Link>
      </p>
      <h1>History of version {version.number}</h1>
      <p className="lede">Every change recorded in this version: who made it, when, and what it was before and after. The newest come first.</p>
      <p>
        <Link to={`/trusts/${slug}/history`}>The history of the whole trust</Link> also has the changes to its structure, its schools&apos; records,
        its tiers and its settings, and to every version.
      </p>
      <HistoryFilter view={view} caption={`Filter the history of version ${version.number}`} path={path} />
      <HistoryEntries view={view} caption={`Changes to version ${version.number}, newest first`} path={path} showVersion={false} showRow />
    </>
  );
}
