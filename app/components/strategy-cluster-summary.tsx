/**
 * Which of the research's strategy clusters the trust's ratings are closest to, how clearly, and
 * which ratings decide it.
 */
import { STRATEGY_CLUSTERS, type ClusterDerivation } from "~/domain/strategy-cluster";

function clusterName(cluster: number): string {
  return STRATEGY_CLUSTERS.find((c) => c.cluster === cluster)?.name ?? "";
}

export function StrategyClusterSummary({ derivation, unsaved }: { derivation: ClusterDerivation; unsaved: boolean }) {
  const profile = STRATEGY_CLUSTERS.find((c) => c.cluster === derivation.cluster);
  return (
    <section className="cluster-summary" aria-labelledby="cluster-heading" aria-live="polite">
      <h2 id="cluster-heading">
        {profile ? `Cluster ${profile.cluster}: ${profile.name}` : "No clear cluster"}
        {unsaved ? <span className="tag tag--unsaved">from your ratings, not saved yet</span> : null}
      </h2>
      {profile ? <p>{profile.description}</p> : null}
      <p data-testid="cluster-explanation">{derivation.explanation}</p>
      {derivation.rated >= 6 ? (
        <p className="muted">
          Confidence {Math.round(derivation.confidence * 100)} %: how much closer the ratings are to the nearest cluster than to the next
          (below 15 % counts as between clusters).
        </p>
      ) : null}
      {derivation.reasons.length > 0 ? (
        <>
          <h3>The ratings that decide it</h3>
          <ul className="cluster-reasons">
            {derivation.reasons.map((reason) => (
              <li key={reason.statement}>
                <b>
                  {reason.statement}. {reason.text}
                </b>{" "}
                — rated {reason.rating}: towards cluster {reason.towards} ({clusterName(reason.towards)}), away from cluster {reason.awayFrom}.
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}
