/**
 * The history of the whole trust: every change recorded in it (its structure, its schools'
 * records, its tiers, its settings and people, and every version of the scheme), who made it and
 * when, newest first, 50 to a page, filtered by person, by days and by kind of change. Everyone in
 * the trust reads it, as they read a version's history.
 */
import { data, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireTrustAccess } from "~/auth.server";
import { HistoryEntries, HistoryFilter } from "~/components/history";
import { getDb } from "~/db.server";
import { HISTORY_KINDS, HISTORY_KIND_LABELS } from "~/domain/history-kinds";
import { loadHistoryPage } from "~/models/history-page.server";
import historyStyles from "~/styles/history.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: historyStyles }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `History of ${data.trust.name} · Scheme of delegation` : "History · Scheme of delegation" },
];

const KINDS = HISTORY_KINDS.map((value) => ({ value, label: HISTORY_KIND_LABELS[value] }));

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { trust } = await requireTrustAccess(request, params.slug);
  const db = await getDb();
  const { ok, view } = await loadHistoryPage(db, trust, { trustId: trust.id, wholeTrust: true }, new URL(request.url).searchParams);
  return data({ trust: { name: trust.name, slug: trust.slug }, view }, { status: ok ? 200 : 400, headers: { "Cache-Control": "no-store" } });
}

export default function TrustHistory() {
  const { trust, view } = useLoaderData<typeof loader>();
  const path = `/trusts/${trust.slug}/history`;
  return (
    <>
      <h1>History of the trust</h1>
      <p className="lede">
        Every change recorded in {trust.name}: its structure, its schools&apos; records, its tiers, its settings and people, and every version
        of the scheme. Who made each change, when, and what it was before and after. The newest come first.
      </p>
      <p>
        The history of one version is also on its own page, from the version&apos;s matrix; the history of one responsibility from{" "}
        <Link to={`/trusts/${trust.slug}/catalogue`}>the responsibilities</Link>.
      </p>
      <HistoryFilter view={view} caption="Filter the history of the trust" path={path} kinds={KINDS} />
      <HistoryEntries view={view} caption={`Changes in ${trust.name}, newest first`} path={path} showKind showVersion showRow />
    </>
  );
}
