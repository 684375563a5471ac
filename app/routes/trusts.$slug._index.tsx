import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { getDb } from "~/db.server";
import { requireTrustAccess } from "~/auth.server";
import { GovernanceChart } from "~/components/governance-chart";
import {
  BODY_KIND_LABELS,
  BODY_KINDS,
  SCHOOL_PHASE_LABELS,
  type BodyKind,
  type BodyPurpose,
  type DecisionMode,
  type SchoolPhase,
} from "~/domain/structure";
import { getTrustOverview } from "~/models/trust.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { trust } = await requireTrustAccess(request, params.slug);
  const overview = await getTrustOverview(await getDb(), trust.id);
  return { trustName: trust.name, ...overview };
}

function formatDate(value: string | Date | null): string {
  if (!value) return "—";
  return new Date(value).toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
}

export default function TrustOverview() {
  const { trustName, schools, bodies, versions, responsibilities } = useLoaderData<typeof loader>();
  const bodyName = new Map(bodies.map((b) => [b.id, b.name]));
  const columns = bodies.filter((b) => b.columnId === null);
  return (
    <>
      <h1>{trustName}</h1>
      <ul className="summary-cards" aria-label="The trust at a glance">
        <li>
          <span className="figure">{schools.length}</span> schools
        </li>
        <li>
          <span className="figure">{bodies.length}</span> governance bodies
        </li>
        <li>
          <span className="figure">{responsibilities}</span> responsibilities in the catalogue
        </li>
        <li>
          <span className="figure">{versions.length}</span> scheme versions
        </li>
      </ul>

      <h2 id="structure">Governance structure</h2>
      <GovernanceChart
        title={`Governance structure of ${trustName}`}
        bodies={bodies.map((b) => ({ ...b, kind: b.kind as BodyKind, mode: b.mode as DecisionMode, purpose: b.purpose as BodyPurpose }))}
        schools={schools}
      />

      <h2 id="versions">Scheme versions</h2>
      {versions.length === 0 ? (
        <p>No scheme has been started yet.</p>
      ) : (
        <table className="data" aria-labelledby="versions">
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
                <td>Version {v.number}</td>
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
      )}

      <h2 id="bodies">Governance bodies</h2>
      {bodies.length === 0 ? (
        <p>No governance bodies have been set out yet.</p>
      ) : (
        <table className="data" aria-labelledby="bodies">
          <thead>
            <tr>
              <th scope="col">Body</th>
              <th scope="col">Kind</th>
              <th scope="col">Decides or advises</th>
              <th scope="col">Chair</th>
            </tr>
          </thead>
          <tbody>
            {BODY_KINDS.flatMap((kind) =>
              bodies
                .filter((b) => b.kind === kind)
                .map((b) => (
                  <tr key={b.id}>
                    <td>
                      {b.name}
                      {b.columnId ? <span className="muted"> (under {bodyName.get(b.columnId)})</span> : null}
                    </td>
                    <td>{BODY_KIND_LABELS[b.kind as BodyKind]}</td>
                    <td>{b.mode === "advisory" ? "Advisory" : "Decision-making"}</td>
                    <td>{b.chairName ?? "—"}</td>
                  </tr>
                )),
            )}
          </tbody>
        </table>
      )}
      <p className="muted">
        {columns.length} of these are columns of the delegation matrix; the others are individual cluster and local boards.
      </p>

      <h2 id="schools">Schools</h2>
      {schools.length === 0 ? (
        <p>No schools have been added yet.</p>
      ) : (
        <table className="data" aria-labelledby="schools">
          <thead>
            <tr>
              <th scope="col">School</th>
              <th scope="col">URN</th>
              <th scope="col">Phase</th>
              <th scope="col">Cluster</th>
              <th scope="col">Local body</th>
              <th scope="col">Joined</th>
            </tr>
          </thead>
          <tbody>
            {schools.map((s) => (
              <tr key={s.id}>
                <td>{s.name}</td>
                <td>{s.urn}</td>
                <td>{SCHOOL_PHASE_LABELS[s.phase as SchoolPhase] ?? s.phase}</td>
                <td>{s.clusterBodyId ? bodyName.get(s.clusterBodyId) : "—"}</td>
                <td>{s.localBodyId ? bodyName.get(s.localBodyId) : "—"}</td>
                <td>{formatDate(s.joinedOn)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
