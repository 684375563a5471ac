/**
 * The break-point review (the CEO and the clerk): each break point the trust's data shows, what the
 * research observed there, and concrete proposals. The proposals ticked are applied to the draft
 * (one is started from the approved version when there is none), the break points become the draft's
 * reason, and the page moves on to the draft's differences from the approved version.
 */
import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { redirect, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, type ShouldRevalidateFunction } from "@remix-run/react";
import { actorOf, requireTrustAccess } from "~/auth.server";
import { today } from "~/clock.server";
import { ErrorList, FormError } from "~/components/forms";
import { getDb } from "~/db.server";
import { changesSummary, changeWords } from "~/domain/break-point-changes";
import { breakPointChoiceSchema, choiceValue, parseChoice, type ProposalGroups } from "~/domain/break-point-choice";
import type { BreakPoint } from "~/domain/break-point-review";
import { longDate } from "~/domain/dates";
import { invalid, readForm, refusal } from "~/forms.server";
import { applyBreakPointProposals, loadBreakPointReview } from "~/models/break-point-review.server";
import styles from "~/styles/break-points.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];

export const meta: MetaFunction = () => [{ title: "Break-point review · Scheme of delegation" }];

/** A refusal because the review changed shows the proposals as they now stand. */
export const shouldRevalidate: ShouldRevalidateFunction = ({ actionStatus, defaultShouldRevalidate }) => actionStatus === 409 || defaultShouldRevalidate;

function proposalGroups(breakPoints: { proposals: Pick<BreakPoint["proposals"][number], "id" | "group" | "title">[] }[]): ProposalGroups {
  return Object.fromEntries(breakPoints.flatMap((b) => b.proposals.map((p) => [p.id, { group: p.group, title: p.title }])));
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { trust } = await requireTrustAccess(request, params.slug, "reviewBreakPoints");
  const now = today();
  const review = await loadBreakPointReview(await getDb(), trust.id, now);
  const tierNames = review.tierNames;
  return {
    slug: trust.slug,
    today: now,
    draft: review.draft ? { number: review.draft.number, reason: review.draft.breakPointReason } : null,
    approved: review.approved ? { number: review.approved.number, approvedOn: review.approved.approvedOn } : null,
    schoolNames: review.schoolNames,
    breakPoints: review.breakPoints.map((b) => ({
      ...b,
      proposals: b.proposals.map((p) => ({
        id: p.id,
        digest: p.digest,
        group: p.group,
        title: p.title,
        explanation: p.explanation,
        summary: changesSummary(p.changes),
        changes: p.changes.map((c) => changeWords(c, (t) => tierNames[t])),
      })),
    })),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { trust, user } = await requireTrustAccess(request, params.slug, "reviewBreakPoints");
  const db = await getDb();
  const now = today();
  const formData = await readForm(request);
  const current = await loadBreakPointReview(db, trust.id, now);
  const submission = parseWithZod(formData, { schema: breakPointChoiceSchema(proposalGroups(current.breakPoints)) });
  if (submission.status !== "success") return invalid(submission);
  try {
    const applied = await applyBreakPointProposals(db, actorOf(user), {
      trustId: trust.id,
      chosen: submission.value.proposals.map(parseChoice),
      today: now,
    });
    const to = `/trusts/${trust.slug}/versions/${applied.draft.number}`;
    const notice = `applied=${applied.applied.length}${applied.started ? "&started=1" : ""}`;
    return redirect(applied.approvedNumber === null ? `${to}?${notice}` : `${to}/diff?from=${applied.approvedNumber}&${notice}`);
  } catch (error) {
    return refusal(submission, error);
  }
}

type Page = ReturnType<typeof useLoaderData<typeof loader>>;

function ProposalChoice({ proposal, checked }: { proposal: Page["breakPoints"][number]["proposals"][number]; checked: boolean }) {
  const id = `proposal-${proposal.id.replace("/", "-")}`;
  return (
    <li className="proposal">
      <input type="checkbox" id={id} name="proposals" value={choiceValue(proposal)} defaultChecked={checked} aria-describedby={`${id}-why`} />
      <label htmlFor={id}>{proposal.title}</label>
      <p id={`${id}-why`} className="hint">
        {proposal.explanation}
      </p>
      {proposal.changes.length > 0 ? (
        <details>
          <summary>{proposal.summary}</summary>
          <ul className="proposal-changes">
            {proposal.changes.map((change, i) => (
              <li key={i}>{change}</li>
            ))}
          </ul>
        </details>
      ) : null}
    </li>
  );
}

function BreakPointSection({ breakPoint, slug, schoolNames, chosen }: { breakPoint: Page["breakPoints"][number]; slug: string; schoolNames: Record<string, string>; chosen: Set<string> }) {
  const headingId = `break-point-${breakPoint.key}`;
  const alternatives = breakPoint.proposals.some((p) => p.group !== null);
  return (
    <section className="break-point" aria-labelledby={headingId}>
      <h2 id={headingId}>{breakPoint.title}</h2>
      <h3>What the trust’s data shows</h3>
      <p>{breakPoint.observed}</p>
      {breakPoint.schoolIds.length > 0 ? (
        <ul className="break-point-schools">
          {breakPoint.schoolIds.map((id) => (
            <li key={id}>
              <Link to={`/trusts/${slug}/schools/${id}`}>{schoolNames[id] ?? "The school"}</Link>
            </li>
          ))}
        </ul>
      ) : null}
      <h3>What the research observed</h3>
      <p>{breakPoint.research}</p>
      <p className="source">Source: {breakPoint.source}</p>
      {breakPoint.answered ? <p className="notice">{breakPoint.answered}</p> : null}
      {breakPoint.proposals.length > 0 ? (
        <fieldset className="proposals">
          <legend>{alternatives ? "Proposals: choose one of the alternatives, or none" : "Proposals"}</legend>
          <ul>
            {breakPoint.proposals.map((p) => (
              <ProposalChoice key={p.id} proposal={p} checked={chosen.has(choiceValue(p))} />
            ))}
          </ul>
        </fieldset>
      ) : null}
    </section>
  );
}

export default function BreakPointReviewPage() {
  const page = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const groups = proposalGroups(page.breakPoints);
  const [form, fields] = useForm({
    id: "break-point-review",
    lastResult: actionData?.result,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: breakPointChoiceSchema(groups) }),
    shouldValidate: "onSubmit",
  });
  const submitted = actionData?.result.initialValue?.proposals;
  const chosen = new Set(Array.isArray(submitted) ? submitted.map(String) : typeof submitted === "string" ? [submitted] : []);
  const anyProposal = page.breakPoints.some((b) => b.proposals.length > 0);
  return (
    <>
      <h1>Break-point review</h1>
      <p className="lede">
        The events in the trust’s own data that can make its scheme of delegation unfit, as the research on how trusts grow found them: its size passing
        the points where governance and the CEO’s role change, schools beyond the reach of one hub, new joiners, performance moving schools between
        tiers, and an overdue review. Tick the proposals to apply; the break points become the draft’s reason.
      </p>
      <p>
        {page.draft ? (
          <>
            The proposals are applied to <Link to={`/trusts/${page.slug}/versions/${page.draft.number}`}>draft version {page.draft.number}</Link>
            {page.draft.reason ? ` (${page.draft.reason})` : ""}. To start afresh from the approved version instead, discard the draft first.
          </>
        ) : page.approved ? (
          <>
            Applying starts a new draft from version {page.approved.number}, approved on {longDate(page.approved.approvedOn!)}.
          </>
        ) : (
          <>Applying starts the trust’s first draft.</>
        )}
      </p>
      {page.breakPoints.length === 0 ? (
        <p className="notice" role="status">
          No break point found on {longDate(page.today)}: the trust’s size, the spread of its schools, its joiners, its schools’ tiers and its review date
          all fit the scheme as it stands. The sizes and the distance the review uses are in the <Link to={`/trusts/${page.slug}/settings`}>checks settings</Link>.
        </p>
      ) : (
        <Form method="post" {...getFormProps(form)}>
          <FormError id={form.errorId} errors={form.errors} />
          <ErrorList id={fields.proposals.errorId} errors={fields.proposals.errors} />
          {page.breakPoints.map((b) => (
            <BreakPointSection key={b.key} breakPoint={b} slug={page.slug} schoolNames={page.schoolNames} chosen={chosen} />
          ))}
          {anyProposal ? (
            <p>
              <button type="submit">Apply the chosen proposals</button>
            </p>
          ) : null}
        </Form>
      )}
    </>
  );
}
