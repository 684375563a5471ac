/**
 * A school's earned-autonomy history: its performance records, reviews and tier decisions, newest
 * first. A record entered by mistake can be removed by those who record them.
 */
import { Form } from "@remix-run/react";
import type { Tier } from "~/domain/autonomy";
import type { SchoolReview, TierDecision } from "~/domain/autonomy-context";
import { longDate } from "~/domain/dates";
import { inspectionName, REPORT_CARD_AREA_LABELS, REPORT_CARD_GRADE_LABELS, type PerformanceRecord } from "~/domain/performance";
import { REVIEW_TRAVEL_LABELS } from "~/domain/school-review";

const pounds = (n: number | null) => (n === null ? "—" : n.toLocaleString("en-GB", { style: "currency", currency: "GBP" }));
const yesNo = (value: boolean | null, yes: string, no: string) => (value === null ? "—" : value ? yes : no);

function Inspection({ record }: { record: PerformanceRecord }) {
  const { inspection } = record;
  if (inspection.framework !== "report-card") return <>{inspection.framework === "none" ? "—" : inspectionName(inspection)}</>;
  return (
    <ul className="report-card">
      {Object.entries(inspection.grades).map(([area, grade]) => (
        <li key={area}>
          {REPORT_CARD_AREA_LABELS[area as keyof typeof REPORT_CARD_AREA_LABELS]}: {REPORT_CARD_GRADE_LABELS[grade!]}
        </li>
      ))}
    </ul>
  );
}

export function SchoolRecords({
  records,
  reviews,
  decisions,
  tierLabels,
  canRemove,
}: {
  records: PerformanceRecord[];
  reviews: SchoolReview[];
  decisions: TierDecision[];
  tierLabels: Record<Tier, string>;
  canRemove: boolean;
}) {
  return (
    <>
      <h2>Performance records</h2>
      {records.length === 0 ? (
        <p>No performance record yet.</p>
      ) : (
        <div className="table-scroller">
          <table className="records">
            <thead>
              <tr>
                <th scope="col">As of</th>
                <th scope="col">Inspection</th>
                <th scope="col">Safeguarding</th>
                <th scope="col">Outcomes</th>
                <th scope="col">Finances</th>
                <th scope="col">Audit and leadership</th>
                {canRemove ? <th scope="col">Entered in error?</th> : null}
              </tr>
            </thead>
            <tbody>
              {records.map((r) => (
                <tr key={r.id}>
                  <th scope="row">{longDate(r.asOf)}</th>
                  <td>
                    <Inspection record={r} />
                    {r.terminationWarning ? <p className="form-error">DfE termination warning notice</p> : null}
                  </td>
                  <td>{yesNo(r.safeguardingMet, "Met", "Not met")}</td>
                  <td>
                    {r.outcomesBand ?? "—"}
                    {r.trend ? `, ${r.trend}` : ""}
                  </td>
                  <td>
                    In year {pounds(r.inYearBalance)}; reserves {pounds(r.reserves)}
                    {r.deficit ? "; unplanned deficit" : ""}
                  </td>
                  <td>
                    Audit {r.safeguardingAudit ?? "—"}; leadership {r.leadershipStability?.replace("-", " ") ?? "—"}
                    {r.note ? <p className="muted">{r.note}</p> : null}
                  </td>
                  {canRemove ? (
                    <td>
                      <Form method="post" action="?intent=remove-record">
                        <input type="hidden" name="recordId" value={r.id} />
                        <button type="submit" className="secondary">
                          Remove<span className="visually-hidden"> the record of {longDate(r.asOf)}</span>
                        </button>
                      </Form>
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h2>Reviews</h2>
      {reviews.length === 0 ? (
        <p>No review recorded yet.</p>
      ) : (
        <ul className="history">
          {reviews.map((r) => (
            <li key={r.id}>
              <b>{longDate(r.reviewedOn)}</b>: {REVIEW_TRAVEL_LABELS[r.travel]}
              {r.summary ? `. ${r.summary}` : ""}
            </li>
          ))}
        </ul>
      )}
      <h2>Tier decisions</h2>
      {decisions.length === 0 ? (
        <p>No tier decision recorded yet.</p>
      ) : (
        <ul className="history">
          {decisions.map((d) => (
            <li key={d.id}>
              <b>{tierLabels[d.tier]}</b> from {longDate(d.effectiveFrom)}: decided by {d.decidedBy?.name ?? "a body no longer in the structure"} on{" "}
              {longDate(d.decidedOn)}
              {d.nextReviewOn ? `, next review ${longDate(d.nextReviewOn)}` : ""}. Evidence: {d.evidence}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
