/**
 * The centralisation profile of one version: how far the scheme keeps each decision with the trust or
 * leaves it to schools, by area and by surveyed responsibility, beside the research and the trust's
 * strategy cluster. For everyone who can read the trust.
 */
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireTrustAccess } from "~/auth.server";
import { AreaChart, formatIndex, ResponsibilityChart } from "~/components/centralisation-chart";
import { getDb } from "~/db.server";
import { centralisationProfile, RESEARCH_POSITIONS } from "~/domain/centralisation-profile";
import { deriveStrategyCluster, STRATEGY_CLUSTERS } from "~/domain/strategy-cluster";
import { versionNumberFromParam } from "~/domain/versions";
import { loadMatrixByNumber } from "~/models/matrix.server";
import { loadStrategy } from "~/models/strategy.server";
import profileStyles from "~/styles/profile.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: profileStyles }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Centralisation profile · Version ${data.version.number}` : "Centralisation profile" },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { trust } = await requireTrustAccess(request, params.slug);
  const number = versionNumberFromParam(params.number);
  const db = await getDb();
  const found = number === null ? null : await loadMatrixByNumber(db, trust.id, number);
  if (!found) throw new Response("Not found", { status: 404, statusText: "Not Found" });
  const derivation = deriveStrategyCluster((await loadStrategy(db, trust.id)).ratings);
  const cluster = STRATEGY_CLUSTERS.find((c) => c.cluster === derivation.cluster) ?? null;
  const profile = centralisationProfile(found.matrix, derivation.cluster);
  return {
    slug: trust.slug,
    version: { number: found.matrix.version.number, status: found.matrix.version.status },
    cluster: cluster ? { number: cluster.cluster, name: cluster.name } : null,
    clusterExplanation: derivation.explanation,
    areas: profile.areas,
    surveyed: profile.surveyed,
    mean: profile.mean,
    decided: profile.decided,
    total: profile.rows.length,
  };
}

export default function CentralisationProfilePage() {
  const data = useLoaderData<typeof loader>();
  const { slug, version, cluster } = data;
  return (
    <>
      <p className="profile-back">
        <Link to={`/trusts/${slug}/versions/${version.number}`}>
          Version {version.number} ({version.status})
        </Link>
      </p>
      <h1>Centralisation profile: version {version.number}</h1>
      <p className="lede">
        How far this version of the scheme keeps each decision with the trust or leaves it to schools, on the research&apos;s scale from 0
        to 10. A responsibility sits where its D is: 0 when the headteacher decides, 2 a local governing body, 5 a cluster board, 8 the
        CEO and central team, 10 the trust board or one of its committees.
      </p>
      <p>
        {data.decided} of {data.total} responsibilities have a decision-maker (a D)
        {data.mean !== null ? <>; their mean index is {formatIndex(data.mean)}</> : null}.
      </p>
      {cluster ? (
        <p className="notice">
          {data.clusterExplanation} The triangles show where a trust of cluster {cluster.number} would be expected to place each decision.{" "}
          <Link to={`/trusts/${slug}/strategy`}>Review the strategy ratings</Link>.
        </p>
      ) : (
        <p className="notice">
          {data.clusterExplanation} Until your trust is in a strategy cluster, the charts compare the scheme with the research alone.{" "}
          <Link to={`/trusts/${slug}/strategy`}>Rate the strategy statements</Link>.
        </p>
      )}
      <p className="muted profile-caveat">
        The research (<cite>Building Trusts</cite>, 2018) reports in words where its trusts keep each responsibility; the diamonds and
        triangles are this product&apos;s reading of those words on the same scale, a prompt for the board&apos;s discussion rather than a
        target. Differences of less than about two points are within the precision of that reading.
      </p>

      <h2>By area</h2>
      <p>
        Each bar is the mean of every responsibility in the area that has a D, statutory ones included. The research&apos;s markers come from
        the responsibilities it surveyed in that area, so areas it did not survey have none.
      </p>
      <AreaChart areas={data.areas} cluster={cluster} versionNumber={version.number} />

      <h2>The responsibilities the research surveyed</h2>
      {data.surveyed.length > 0 ? (
        <ResponsibilityChart rows={data.surveyed} cluster={cluster} versionNumber={version.number} />
      ) : (
        <p>
          None of the research&apos;s {RESEARCH_POSITIONS.length} surveyed responsibilities is in this version. They come with the default
          catalogue of responsibilities; the chart by area above still compares this version with the research.
        </p>
      )}
    </>
  );
}
