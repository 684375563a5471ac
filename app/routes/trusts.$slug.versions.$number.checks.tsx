/**
 * The checks of one version of the scheme: every finding, counted by severity and family, with its
 * fix and acknowledgement. The matrix page's panel loads the same findings from here and posts its
 * fixes and acknowledgements here.
 */
import { data, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { actorOf, requireTrustAccess } from "~/auth.server";
import { FindingItem } from "~/components/finding-item";
import { getDb } from "~/db.server";
import { NotFoundError, RuleError, StaleWriteError } from "~/domain/errors";
import { can } from "~/domain/roles";
import { findingCounts, findingView } from "~/domain/rules/finding-view";
import { RULE_FAMILIES, RULE_FAMILY_LABELS, SEVERITIES, SEVERITY_LABELS } from "~/domain/rules/types";
import { STRATEGY_CLUSTERS } from "~/domain/strategy-cluster";
import { parseForm } from "~/forms.server";
import { acknowledgeFinding, applyFindingFix, withdrawAcknowledgement } from "~/models/findings.server";
import { findVersionByParam } from "~/models/scheme.server";
import { validateVersion } from "~/models/validation.server";
import checksStyles from "~/styles/checks.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: checksStyles }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Checks of version ${data.version.number} · Scheme of delegation` : "Scheme of delegation" },
];

const key = z.string({ error: "Choose a finding" }).regex(/^[A-Z]+-\d+:[0-9a-f]{24}$/, "That finding could not be read");
const FindingActionSchema = z.discriminatedUnion(
  "intent",
  [
    z.object({ intent: z.literal("fix"), key }),
    z.object({
      intent: z.literal("acknowledge"),
      key,
      reason: z
        .string({ error: "Give the trust’s reason for departing from this" })
        .trim()
        .min(1, "Give the trust’s reason for departing from this")
        .max(1000, "Keep the reason to 1,000 characters"),
    }),
    z.object({ intent: z.literal("withdraw"), key }),
  ],
  { error: "That action could not be read" },
);

async function versionOf(request: Request, slug: string | undefined, number: string | undefined) {
  const access = await requireTrustAccess(request, slug);
  const db = await getDb();
  const version = await findVersionByParam(db, access.trust.id, number);
  if (!version) throw new Response("Not found", { status: 404, statusText: "Not Found" });
  return { ...access, db, version };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { trust, role, db, version } = await versionOf(request, params.slug, params.number);
  const { findings, cluster, scheme } = await validateVersion(db, trust.id, version.id);
  const views = findings.map((f) => findingView(f, scheme));
  return data(
    {
      slug: trust.slug,
      version: { number: version.number, status: version.status },
      cluster: cluster === null ? null : { number: cluster, name: STRATEGY_CLUSTERS.find((c) => c.cluster === cluster)!.name },
      findings: views,
      counts: findingCounts(views),
      canFix: version.status === "draft" && can(role, "editDraft"),
      canAcknowledge: can(role, "acknowledgeFindings"),
    },
    { headers: { "Cache-Control": "no-store" } },
  );
}

export type ChecksData = ReturnType<typeof useLoaderData<typeof loader>>;

const DONE = {
  fix: "Applied the fix. It is saved in the draft and recorded in the history; edit the cells back to undo it.",
  acknowledge: "Acknowledged the finding with the trust’s reason.",
  withdraw: "Withdrew the acknowledgement: the finding counts again.",
} as const;

export async function action({ request, params }: ActionFunctionArgs) {
  const { trust, role, user, db, version } = await versionOf(request, params.slug, params.number);
  const submission = await parseForm(request, FindingActionSchema);
  const fail = (message: string, status: number) => data({ result: { error: { "": [message] } } }, { status });
  if (submission.status !== "success") {
    return fail(Object.values(submission.error ?? {}).flat()[0] ?? "That action could not be read.", 400);
  }
  const value = submission.value;
  const allowed = value.intent === "fix" ? can(role, "editDraft") : can(role, "acknowledgeFindings");
  if (!allowed) {
    const who = value.intent === "fix" ? "the CEO, trustees and the clerk" : "the clerk and the CEO";
    return fail(`Only ${who} can do that. Nothing was changed.`, 403);
  }
  const ref = { trustId: trust.id, versionId: version.id, key: value.key };
  const actor = actorOf(user);
  try {
    if (value.intent === "fix") await applyFindingFix(db, actor, ref);
    else if (value.intent === "acknowledge") await acknowledgeFinding(db, actor, { ...ref, reason: value.reason });
    else await withdrawAcknowledgement(db, actor, ref);
  } catch (error) {
    if (error instanceof StaleWriteError) return fail(`${error.message}`, 409);
    if (error instanceof RuleError) return fail(error.message, 400);
    if (error instanceof NotFoundError) return fail(error.message, 404);
    throw error;
  }
  return { done: DONE[value.intent] };
}

function CountsTable({ counts }: { counts: ChecksData["counts"] }) {
  return (
    <table className="checks-counts">
      <caption>Findings by severity and family</caption>
      <thead>
        <tr>
          <th scope="col">Severity</th>
          {RULE_FAMILIES.map((f) => (
            <th key={f} scope="col">
              {RULE_FAMILY_LABELS[f]}
            </th>
          ))}
          <th scope="col">All</th>
        </tr>
      </thead>
      <tbody>
        {SEVERITIES.map((s) => (
          <tr key={s}>
            <th scope="row">{SEVERITY_LABELS[s]}</th>
            {RULE_FAMILIES.map((f) => (
              <td key={f}>{counts[s][f]}</td>
            ))}
            <td>{RULE_FAMILIES.reduce((n, f) => n + counts[s][f], 0)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export default function VersionChecks() {
  const page = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const here = `/trusts/${page.slug}/versions/${page.version.number}`;
  const actions = { action: `${here}/checks`, canFix: page.canFix, canAcknowledge: page.canAcknowledge };
  const errors = answer && "result" in answer ? Object.values(answer.result.error).flat() : [];
  return (
    <>
      <p>
        <Link to={here}>Back to version {page.version.number}’s matrix</Link>
      </p>
      <h1>
        Checks of version {page.version.number} <span className={`status status--${page.version.status}`}>{page.version.status}</span>
      </h1>
      <p className="lede">
        Where the scheme contradicts itself, the regulations or the trust’s own strategy
        {page.cluster ? ` (cluster ${page.cluster.number}: ${page.cluster.name})` : ""}, and why.{" "}
        <Link to={`/trusts/${page.slug}/strategy`}>Strategy profile</Link> · <Link to={`/trusts/${page.slug}/settings`}>Thresholds</Link> ·{" "}
        <Link to={`${here}/profile`}>Centralisation profile</Link>
      </p>
      {answer && "done" in answer ? (
        <p className="notice notice--success" role="status">
          {answer.done}
        </p>
      ) : null}
      {errors.length > 0 ? (
        <p className="form-error" role="alert">
          {errors.join(" ")}
        </p>
      ) : null}
      <CountsTable counts={page.counts} />
      <p>
        {page.findings.length === 0
          ? "Nothing to report: the checks found nothing in this version."
          : `${page.findings.length} ${page.findings.length === 1 ? "finding" : "findings"}, ${page.counts.acknowledged} acknowledged.`}
      </p>
      {SEVERITIES.map((severity) => {
        const list = page.findings.filter((f) => f.severity === severity);
        if (list.length === 0) return null;
        return (
          <section key={severity} aria-labelledby={`checks-${severity}`}>
            <h2 id={`checks-${severity}`}>
              {SEVERITY_LABELS[severity]} ({list.length})
            </h2>
            <ul className="findings">
              {list.map((f) => (
                <FindingItem key={f.key} finding={f} actions={actions} />
              ))}
            </ul>
          </section>
        );
      })}
    </>
  );
}
