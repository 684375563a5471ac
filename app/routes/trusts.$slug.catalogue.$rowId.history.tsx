/**
 * The history of one responsibility across every version of the scheme: its codes, its wording and
 * its place in the catalogue, who changed them and when, newest first, 50 to a page, filtered by
 * person and days. Everyone in the trust reads it.
 */
import { data, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireTrustAccess } from "~/auth.server";
import { HistoryEntries, HistoryFilter } from "~/components/history";
import { getDb } from "~/db.server";
import { loadHistoryPage } from "~/models/history-page.server";
import historyStyles from "~/styles/history.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: historyStyles }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `History of ${data.row.ref} ${data.row.title} · Scheme of delegation` : "History · Scheme of delegation" },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { trust } = await requireTrustAccess(request, params.slug);
  const db = await getDb();
  // The row, the people and the page come in one statement.
  const { subject: row, ok, view } = await loadHistoryPage(db, trust, { trustId: trust.id, responsibilityId: params.rowId ?? "" }, new URL(request.url).searchParams);
  if (!row) throw new Response("Not found", { status: 404, statusText: "Not Found" });
  return data(
    { slug: trust.slug, row: { id: row.id, ref: row.ref, title: row.title }, view },
    { status: ok ? 200 : 400, headers: { "Cache-Control": "no-store" } },
  );
}

export default function ResponsibilityHistory() {
  const { slug, row, view } = useLoaderData<typeof loader>();
  const path = `/trusts/${slug}/catalogue/${row.id}/history`;
  return (
    <>
      <p>
        <Link to={`/trusts/${slug}/catalogue/${row.id}`}>Back to {row.ref} {row.title}</Link>
      </p>
      <h1>
        History of {row.ref} {row.title}
      </h1>
      <p className="lede">Every change to this responsibility in every version of the scheme: who made it, when, and what it was before and after. The newest come first.</p>
      <HistoryFilter view={view} caption={`Filter the history of ${row.ref}`} path={path} />
      <HistoryEntries view={view} caption={`Changes to ${row.ref} ${row.title}, newest first`} path={path} showVersion showRow={false} />
    </>
  );
}
