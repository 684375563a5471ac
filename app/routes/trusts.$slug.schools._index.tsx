/**
 * The trust's schools in earned autonomy: each school's decided and recommended tier, and the review
 * calendar, overdue and due reviews first.
 */
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireTrustAccess } from "~/auth.server";
import { today } from "~/clock.server";
import { getDb } from "~/db.server";
import { TIERS, type Tier } from "~/domain/autonomy";
import { longDate } from "~/domain/dates";
import { REVIEW_STATUS_LABELS, REVIEW_STATUSES, reviewCalendar } from "~/domain/review-calendar";
import { schoolStanding } from "~/domain/school-standing";
import { tierLabel } from "~/domain/tier-policy";
import { autonomyOf, loadAutonomy } from "~/models/autonomy.server";
import { listSchools } from "~/models/structure.server";
import autonomyStyles from "~/styles/autonomy.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: autonomyStyles }];

export const meta: MetaFunction = () => [{ title: "Schools: tiers and reviews · Scheme of delegation" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { trust } = await requireTrustAccess(request, params.slug);
  const db = await getDb();
  const now = today();
  const [schools, autonomy] = await Promise.all([listSchools(db, trust.id), loadAutonomy(db, trust.id)]);
  const calendar = reviewCalendar(
    schools.map((school) => {
      const standing = schoolStanding(school, autonomyOf(autonomy, school.id), autonomy.policy, now);
      return {
        school: { id: school.id, name: school.name, decided: standing.decided?.tier ?? null, recommended: standing.recommendation.tier, intervention: standing.recommendation.intervention },
        schedule: standing.schedule,
      };
    }),
  );
  return {
    slug: trust.slug,
    tierLabels: Object.fromEntries(TIERS.map((t) => [t, tierLabel(autonomy.policy, t)])) as Record<Tier, string>,
    calendar,
  };
}

export default function SchoolsPage() {
  const { slug, tierLabels, calendar } = useLoaderData<typeof loader>();
  const inTier = (tier: Tier) => calendar.entries.filter((e) => e.school.decided === tier).length;
  const undecided = calendar.entries.filter((e) => e.school.decided === null).length;
  return (
    <>
      <h1>Schools: tiers and reviews</h1>
      <p className="lede">
        Each school’s tier, decided by the board or a committee, beside the tier its records recommend; and when each is next reviewed, at its
        tier’s cadence.
      </p>
      <p>What each tier asks of a school, how often it is reviewed and what changes in its scheme: <Link to={`/trusts/${slug}/tiers`}>the autonomy tiers</Link>.</p>
      <p>To record many schools’ inspections, outcomes and finances at once, <Link to={`/trusts/${slug}/import/performance`}>import performance records from a spreadsheet</Link>.</p>
      <p>
        {TIERS.map((t) => `${tierLabels[t]}: ${inTier(t)}`).join(" · ")}
        {undecided > 0 ? ` · No tier decided: ${undecided}` : ""}
      </p>
      <p role="status">
        {REVIEW_STATUSES.filter((s) => calendar.counts[s] > 0)
          .map((s) => `${REVIEW_STATUS_LABELS[s]}: ${calendar.counts[s]}`)
          .join(" · ") || "No schools yet."}
      </p>
      <div className="table-scroller">
        <table className="schools-table">
          <caption className="visually-hidden">Schools by review date, overdue first</caption>
          <thead>
            <tr>
              <th scope="col">School</th>
              <th scope="col">Decided tier</th>
              <th scope="col">Recommended tier</th>
              <th scope="col">Next review</th>
            </tr>
          </thead>
          <tbody>
            {calendar.entries.map(({ school, schedule }) => (
              <tr key={school.id}>
                <th scope="row">
                  <Link to={`/trusts/${slug}/schools/${school.id}`}>{school.name}</Link>
                </th>
                <td>{school.decided ? tierLabels[school.decided] : "None decided"}</td>
                <td>
                  {tierLabels[school.recommended]}
                  {school.recommended !== school.decided ? <b className="differs"> (differs: a decision to consider)</b> : null}
                  {school.intervention ? <span className="form-error"> Intervention trigger</span> : null}
                </td>
                <td>
                  {schedule.nextReviewOn ? longDate(schedule.nextReviewOn) : "None scheduled"}{" "}
                  <span className={`review-status review-status--${schedule.status}`}>{REVIEW_STATUS_LABELS[schedule.status]}</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
