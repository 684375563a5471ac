/**
 * A school's earned autonomy: its decided tier and the tier its records recommend (with the
 * reasons), its next reviews, and its performance records, reviews and tier decisions. The clerk
 * and the CEO record them here; everyone reads.
 */
import { getFormProps, useForm, type FieldMetadata, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { data, redirect, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { actorOf, requireTrustAccess } from "~/auth.server";
import { today } from "~/clock.server";
import { PerformanceRecordFields, ReviewFields, TierDecisionFields } from "~/components/autonomy-forms";
import { FormError } from "~/components/forms";
import { SchoolRecords } from "~/components/school-records";
import { getDb } from "~/db.server";
import { TIERS, type Tier } from "~/domain/autonomy";
import { longDate } from "~/domain/dates";
import { performanceRecordSchema } from "~/domain/performance";
import { REVIEW_STATUS_LABELS } from "~/domain/review-calendar";
import { can } from "~/domain/roles";
import { schoolReviewSchema } from "~/domain/school-review";
import { schoolStanding } from "~/domain/school-standing";
import { BODY_KIND_LABELS } from "~/domain/structure";
import { TIER_DECIDERS, tierDecisionSchema } from "~/domain/tier-decision";
import { tierLabel } from "~/domain/tier-policy";
import { invalid, parseForm, refusal } from "~/forms.server";
import { autonomyOf, loadAutonomy } from "~/models/autonomy.server";
import { addPerformanceRecord, removePerformanceRecord } from "~/models/performance.server";
import { findDraft, listVersions } from "~/models/scheme.server";
import { recordSchoolReview } from "~/models/school-reviews.server";
import { getSchool, listBodies } from "~/models/structure.server";
import { recordTierDecision } from "~/models/tier-decisions.server";
import autonomyStyles from "~/styles/autonomy.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: autonomyStyles }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.school.name}: performance and tier · Scheme of delegation` : "Scheme of delegation" },
];

const INTENTS = ["record", "remove-record", "decide", "review"] as const;
type Intent = (typeof INTENTS)[number];

async function schoolOf(request: Request, slug: string | undefined, schoolId: string | undefined, permission: "read" | "recordPerformance") {
  const access = await requireTrustAccess(request, slug, permission);
  const db = await getDb();
  const school = await getSchool(db, access.trust.id, schoolId ?? "");
  if (!school) throw new Response("Not found", { status: 404, statusText: "Not Found" });
  return { ...access, db, school };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { trust, role, db, school } = await schoolOf(request, params.slug, params.schoolId, "read");
  const now = today();
  const [autonomy, bodies, draft, versions] = await Promise.all([
    loadAutonomy(db, trust.id, school.id),
    listBodies(db, trust.id),
    findDraft(db, trust.id),
    listVersions(db, trust.id),
  ]);
  const mine = autonomyOf(autonomy, school.id);
  const standing = schoolStanding(school, mine, autonomy.policy, now);
  const tierNames = Object.fromEntries(TIERS.map((t) => [t, autonomy.policy.tiers[t].name])) as Record<Tier, string>;
  const saved = new URL(request.url).searchParams.get("saved");
  return {
    slug: trust.slug,
    today: now,
    saved: INTENTS.find((i) => i === saved) ?? null,
    canRecord: can(role, "recordPerformance"),
    school: { id: school.id, name: school.name, urn: school.urn, joinedOn: school.joinedOn },
    schemeVersion: draft?.number ?? versions.find((v) => v.status === "approved")?.number ?? null,
    bands: autonomy.policy.outcomesBands,
    tierNames,
    tierLabels: Object.fromEntries(TIERS.map((t) => [t, tierLabel(autonomy.policy, t)])) as Record<Tier, string>,
    schemeChanges: Object.fromEntries(TIERS.map((t) => [t, autonomy.policy.tiers[t].criteria.schemeChanges])) as Record<Tier, string>,
    standing,
    decisions: mine.decisions,
    records: mine.records,
    reviews: mine.reviews,
    deciders: bodies
      .filter((b) => TIER_DECIDERS.includes(b.kind as (typeof TIER_DECIDERS)[number]))
      .map((b) => ({ id: b.id, name: `${b.name} (${BODY_KIND_LABELS[b.kind as keyof typeof BODY_KIND_LABELS]})` })),
  };
}

const RemoveSchema = z.object({ recordId: z.uuid({ error: "That record could not be found" }) });

function schemaFor(intent: Intent, now: string, bands: string[]) {
  if (intent === "record") return performanceRecordSchema(now, bands);
  if (intent === "decide") return tierDecisionSchema(now);
  if (intent === "review") return schoolReviewSchema(now);
  return RemoveSchema;
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { trust, user, db, school } = await schoolOf(request, params.slug, params.schoolId, "recordPerformance");
  const intent = new URL(request.url).searchParams.get("intent") as Intent | null;
  if (!intent || !INTENTS.includes(intent)) throw new Response("Not found", { status: 404 });
  const now = today();
  const { policy } = await loadAutonomy(db, trust.id, school.id);
  const submission = await parseForm(request, schemaFor(intent, now, policy.outcomesBands));
  if (submission.status !== "success") return data({ ...invalid(submission).data, form: intent }, { status: 400 });
  const actor = actorOf(user);
  const ids = { trustId: trust.id, schoolId: school.id };
  const value = submission.value as never;
  try {
    if (intent === "record") await addPerformanceRecord(db, actor, { ...ids, entry: value });
    else if (intent === "remove-record") await removePerformanceRecord(db, actor, { ...ids, recordId: (value as { recordId: string }).recordId });
    else if (intent === "decide") await recordTierDecision(db, actor, { ...ids, ...(value as object) } as never);
    else await recordSchoolReview(db, actor, { ...ids, ...(value as object) } as never);
  } catch (error) {
    const answer = refusal(submission, error);
    return data({ ...answer.data, form: intent }, { status: answer.init?.status ?? 400 });
  }
  return redirect(`/trusts/${trust.slug}/schools/${school.id}?saved=${intent}`);
}

interface Answer {
  form?: Intent;
  result?: SubmissionResult<string[]>;
}

const SAVED: Record<Intent, string> = {
  record: "Recorded the performance record.",
  "remove-record": "Removed the performance record.",
  decide: "Recorded the tier decision.",
  review: "Recorded the review.",
};

function useIntentForm(intent: Intent, schema: z.ZodType, defaultValue?: Record<string, string>) {
  const answer = useActionData<typeof action>() as Answer | undefined;
  return useForm({
    id: `school-${intent}`,
    lastResult: answer?.form === intent ? answer.result : undefined,
    defaultValue,
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
  });
}

function RecordForm({ today: now, bands }: { today: string; bands: string[] }) {
  const [form, fields] = useIntentForm("record", performanceRecordSchema(now, bands), { inspectionFramework: "none", terminationWarning: "no" });
  return (
    <Form method="post" action="?intent=record" {...getFormProps(form)} className="stack record-form">
      <FormError id={form.errorId} errors={form.errors} />
      <PerformanceRecordFields fields={fields as unknown as Record<string, FieldMetadata<string | undefined | null>>} bands={bands} />
      <div className="form-buttons">
        <button type="submit">Record it</button>
      </div>
    </Form>
  );
}

function DecisionForm({ today: now, deciders, tierNames, recommended }: { today: string; deciders: { id: string; name: string }[]; tierNames: Record<Tier, string>; recommended: Tier }) {
  const [form, fields] = useIntentForm("decide", tierDecisionSchema(now), { tier: recommended, decidedOn: now, effectiveFrom: now });
  return (
    <Form method="post" action="?intent=decide" {...getFormProps(form)} className="stack">
      <FormError id={form.errorId} errors={form.errors} />
      <TierDecisionFields fields={fields as unknown as Record<string, FieldMetadata<string | undefined | null>>} deciders={deciders} tierNames={tierNames} />
      <div className="form-buttons">
        <button type="submit">Record the decision</button>
      </div>
    </Form>
  );
}

function ReviewForm({ today: now }: { today: string }) {
  const [form, fields] = useIntentForm("review", schoolReviewSchema(now), { reviewedOn: now });
  return (
    <Form method="post" action="?intent=review" {...getFormProps(form)} className="stack">
      <FormError id={form.errorId} errors={form.errors} />
      <ReviewFields fields={fields as unknown as Record<string, FieldMetadata<string | undefined | null>>} />
      <div className="form-buttons">
        <button type="submit">Record the review</button>
      </div>
    </Form>
  );
}

export default function SchoolAutonomyPage() {
  const page = useLoaderData<typeof loader>();
  const { standing, tierLabels, school } = page;
  const answer = useActionData<typeof action>() as Answer | undefined;
  const saved = answer ? null : page.saved;
  const refused = (intent: Intent) => answer?.form === intent || undefined;
  const { recommendation, decided, schedule } = standing;
  return (
    <>
      <p>
        <Link to={`/trusts/${page.slug}/schools`}>All schools</Link> · <Link to={`/trusts/${page.slug}/structure/schools/${school.id}`}>{school.name}’s details</Link>
        {page.schemeVersion ? (
          <>
            {" "}
            · <Link to={`/trusts/${page.slug}/versions/${page.schemeVersion}/schools/${school.id}`}>Its scheme (version {page.schemeVersion})</Link>
          </>
        ) : null}
      </p>
      <h1>{school.name}: performance and tier</h1>
      {saved ? (
        <p className="notice notice--success" role="status">
          {SAVED[saved]}
        </p>
      ) : null}
      <div className="standing">
        <section className="standing__tier" aria-labelledby="decided-heading">
          <h2 id="decided-heading">Decided tier</h2>
          {decided ? (
            <>
              <p className={`tier-badge tier-badge--${decided.tier}`}>{tierLabels[decided.tier]}</p>
              <p>
                Decided by {decided.decidedBy?.name ?? "a body no longer in the structure"} on {longDate(decided.decidedOn)}, from {longDate(decided.effectiveFrom)}.
              </p>
              <p className="muted">Evidence: {decided.evidence}</p>
              <p className="muted">What changes in the scheme: {page.schemeChanges[decided.tier]}</p>
            </>
          ) : (
            <p>No tier has been decided for this school yet: the trust’s standard scheme applies.</p>
          )}
        </section>
        <section className={`standing__tier${standing.needsDecision ? " standing__tier--attention" : ""}`} aria-labelledby="recommended-heading">
          <h2 id="recommended-heading">Recommended tier</h2>
          <p className={`tier-badge tier-badge--${recommendation.tier}`}>{tierLabels[recommendation.tier]}</p>
          {recommendation.intervention ? <p className="form-error">An intervention trigger has fired: intervention is proposed at once (EA-02).</p> : null}
          <ul className="reasons">
            {recommendation.reasons.map((reason) => (
              <li key={reason}>{reason}</li>
            ))}
          </ul>
          {standing.needsDecision ? <p>Only a recorded decision of the board or a committee changes the school’s tier.</p> : null}
        </section>
        <section className="standing__tier" aria-labelledby="reviews-heading">
          <h2 id="reviews-heading">Reviews</h2>
          <p>
            {schedule.reviewsPerYear} a year in {tierLabels[schedule.tier]}. Last reviewed {schedule.lastReviewedOn ? longDate(schedule.lastReviewedOn) : "never"}.
          </p>
          <p>
            <b>Next review: {schedule.nextReviewOn ? longDate(schedule.nextReviewOn) : "none scheduled"}</b>{" "}
            <span className={`review-status review-status--${schedule.status}`}>{REVIEW_STATUS_LABELS[schedule.status]}</span>
          </p>
          {schedule.upcoming.length > 1 ? <p className="muted">Then: {schedule.upcoming.slice(1).map(longDate).join(", ")}.</p> : null}
        </section>
      </div>
      <SchoolRecords records={page.records} reviews={page.reviews} decisions={page.decisions} tierLabels={tierLabels} canRemove={page.canRecord} />
      {page.canRecord ? (
        <>
          <details className="record-panel" open={refused("decide") ?? (!decided || undefined)}>
            <summary>Record a tier decision</summary>
            {/* Each form starts afresh once what it recorded is shown: keyed by what the page now holds. */}
            <DecisionForm key={`${recommendation.tier}:${page.decisions.length}`} today={page.today} deciders={page.deciders} tierNames={page.tierNames} recommended={recommendation.tier} />
          </details>
          <details className="record-panel" open={refused("record")}>
            <summary>Record a performance record</summary>
            <RecordForm key={page.records.length} today={page.today} bands={page.bands} />
          </details>
          <details className="record-panel" open={refused("review")}>
            <summary>Record a review</summary>
            <ReviewForm key={page.reviews.length} today={page.today} />
          </details>
        </>
      ) : (
        <p className="muted">The clerk and the CEO record performance, reviews and tier decisions.</p>
      )}
    </>
  );
}
