/**
 * The trust's autonomy tiers, transition (T0) to intervention (T4): everyone reads what each tier asks
 * of a school to enter and to leave it, how often its schools are reviewed and what changes in its
 * scheme; the clerk renames the tiers and changes their thresholds, cadences and the outcomes bands,
 * or restores the defaults. A save names the versions it was read at; a stale one is refused with
 * the latest shown.
 */
import { getFormProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { data, redirect, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { LARGEST_VERSION } from "~/domain/record-versions";
import { actorOf, requireTrustAccess } from "~/auth.server";
import { BandsField, TierFields, type Meta } from "~/components/tier-policy-fields";
import { FormError } from "~/components/forms";
import { getDb } from "~/db.server";
import { TIERS, type Tier } from "~/domain/autonomy";
import { StaleWriteError } from "~/domain/errors";
import { can } from "~/domain/roles";
import type { TierPolicy } from "~/domain/tier-policy";
import { TierPolicyFormSchema, tierPolicyForm, type TierPolicyForm } from "~/domain/tier-policy-form";
import { cadenceInWords, policyChangesInWords, tierRulesInWords } from "~/domain/tier-policy-words";
import { invalid, readForm, refusal } from "~/forms.server";
import { loadStoredTierPolicy, restoreDefaultTierPolicy, saveTierPolicy, type StoredTierPolicy, type TierPolicyVersions } from "~/models/tier-policy.server";
import tierStyles from "~/styles/tiers.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: tierStyles }];

export const meta: MetaFunction = () => [{ title: "Autonomy tiers · Scheme of delegation" }];

const OUT_OF_DATE = "This form is out of date: open the page again.";
const version = (least: number) => z.coerce.number({ error: OUT_OF_DATE }).int(OUT_OF_DATE).min(least, OUT_OF_DATE).max(LARGEST_VERSION, OUT_OF_DATE);
// A tier's row may not exist yet (0); the trust's always does.
const VersionsSchema = z.object({ T0: version(0), T1: version(0), T2: version(0), T3: version(0), T4: version(0), trust: version(1) }, { error: OUT_OF_DATE });

const SaveSchema = z.object({ intent: z.literal("save", { error: "Use the buttons on this page." }), versions: VersionsSchema }).and(TierPolicyFormSchema);
const RestoreSchema = z.object({ intent: z.literal("restore"), versions: VersionsSchema });
// The form schema reads the text itself (a blank choice means none, not missing); Conform's own coercion would undo that.
const PARSE = { disableAutoCoercion: true } as const;

type Intent = "save" | "restore";

const NOTICES: Record<string, string> = {
  saved: "The tiers are saved: recommended tiers, checks and review dates follow them from now on.",
  restored: "The default tiers are restored: recommended tiers, checks and review dates follow them from now on.",
};

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { trust, role } = await requireTrustAccess(request, params.slug);
  const stored = await loadStoredTierPolicy(await getDb(), trust.id);
  const query = new URL(request.url).searchParams;
  const notice = Object.keys(NOTICES).find((key) => query.get(key) === "1");
  return { canEdit: can(role, "editTierPolicy"), stored, notice: notice ? NOTICES[notice]! : null };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { trust, user } = await requireTrustAccess(request, params.slug, "editTierPolicy");
  const formData = await readForm(request);
  const db = await getDb();
  const here = `/trusts/${trust.slug}/tiers`;
  // A stale save is answered with the policy as it now stands, so the page shows the latest at once.
  const stale = async (form: Intent, result: SubmissionResult<string[]>, entered: TierPolicy | null) =>
    data({ form, result, stale: true, latest: await loadStoredTierPolicy(db, trust.id), entered }, { status: 409 });
  const attempt = async (form: Intent, submission: Parameters<typeof refusal>[0], save: () => Promise<void>, entered: TierPolicy | null) => {
    try {
      await save();
    } catch (error) {
      if (error instanceof StaleWriteError) return stale(form, submission.reply({ formErrors: [error.message] }), entered);
      const answer = refusal(submission, error);
      return data({ ...answer.data, form }, { status: answer.init?.status ?? 400 });
    }
    return redirect(`${here}?${form === "save" ? "saved" : "restored"}=1`);
  };

  if (formData.get("intent") === "restore") {
    const submission = parseWithZod(formData, { schema: RestoreSchema, ...PARSE });
    if (submission.status !== "success") return data({ ...invalid(submission).data, form: "restore" as Intent }, { status: 400 });
    const { versions } = submission.value;
    return attempt("restore", submission, () => restoreDefaultTierPolicy(db, actorOf(user), { trustId: trust.id, versions }), null);
  }

  const submission = parseWithZod(formData, { schema: SaveSchema, ...PARSE });
  if (submission.status !== "success") return data({ ...invalid(submission).data, form: "save" as Intent }, { status: 400 });
  const { intent: _, versions, ...policy } = submission.value;
  return attempt("save", submission, () => saveTierPolicy(db, actorOf(user), { trustId: trust.id, versions, policy }), policy);
}

/** What the action answers, whichever form was sent. */
interface Answer {
  form?: Intent;
  result?: SubmissionResult<string[]>;
  /** A stale save was refused; `latest` is what is now stored, `entered` what the refused save asked for. */
  stale?: boolean;
  latest?: StoredTierPolicy;
  entered?: TierPolicy | null;
}

const versionKey = (versions: TierPolicyVersions) => [...TIERS.map((t) => versions[t]), versions.trust].join("-");

export default function TiersPage() {
  const loaded = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as Answer | undefined;
  const stored = actionData?.latest ?? loaded.stored;
  const { canEdit, notice } = loaded;
  const formErrors = (form: Intent) => (actionData?.form === form ? Object.values(actionData.result?.error ?? {}).flatMap((e) => e ?? []) : []);
  return (
    <>
      <h1>Autonomy tiers</h1>
      <p className="lede">
        The five tiers a school can be in, from transition to intervention: what each asks of a school to enter it and to leave it, how often its
        schools are reviewed, and what changes in its scheme. Each school’s recommended tier, the checks of earned autonomy and the review calendar
        follow this policy; only the board’s recorded decision moves a school between tiers.
      </p>
      <p>
        {stored.isDefault
          ? "The trust uses the default policy: proposals drawn from how trusts run earned autonomy (DCAT’s reviews and categories, REAch2’s transition boards), not rules of law. A trust may change any of it."
          : "The trust has set its own policy."}
      </p>
      {/* The form posts to this address, ?saved=1 included: an answer to a later post replaces the notice. */}
      {notice && !actionData ? (
        <p className="notice notice--success" role="status">
          {notice}
        </p>
      ) : null}
      {actionData?.stale ? (
        <div className="form-error" role="alert">
          {formErrors(actionData.form!).map((message) => (
            <p key={message}>{message}</p>
          ))}
          <NotSaved entered={actionData.entered ?? null} latest={stored.policy} />
        </div>
      ) : null}
      <TierCards policy={stored.policy} />
      {canEdit ? (
        <>
          <PolicyForm key={versionKey(stored.versions)} stored={stored} lastResult={actionData?.form === "save" && !actionData.stale ? actionData.result : undefined} />
          {stored.isDefault ? null : (
            <section aria-labelledby="restore-heading">
              <h2 id="restore-heading">Restore the defaults</h2>
              <p>This puts every tier’s name, description, cadence, thresholds and scheme text, and the outcomes bands, back to the defaults. The trust’s own are not kept.</p>
              <Form method="post">
                <FormError id="restore-error" errors={actionData?.stale ? [] : formErrors("restore")} />
                <input type="hidden" name="intent" value="restore" />
                <Versions versions={stored.versions} />
                <button type="submit" className="secondary">
                  Restore the defaults
                </button>
              </Form>
            </section>
          )}
        </>
      ) : (
        <p>Only the clerk can change the tiers.</p>
      )}
    </>
  );
}

/** What a refused save would have changed, so that it can be entered again on the latest policy. */
function NotSaved({ entered, latest }: { entered: TierPolicy | null; latest: TierPolicy }) {
  const differing = entered ? policyChangesInWords(latest, entered) : [];
  if (differing.length === 0) return null;
  return (
    <>
      <p>Compared with the latest, you had entered:</p>
      <ul>
        {differing.map((change) => (
          <li key={change}>{change}</li>
        ))}
      </ul>
    </>
  );
}

function TierCards({ policy }: { policy: TierPolicy }) {
  return (
    <section aria-labelledby="tiers-heading">
      <h2 id="tiers-heading">The tiers</h2>
      <div className="tier-cards">
        {TIERS.map((tier) => {
          const definition = policy.tiers[tier];
          const rules = tierRulesInWords(policy, tier);
          return (
            <article key={tier} className={`tier-card tier-card--${tier}`} aria-labelledby={`tier-${tier}`}>
              <h3 id={`tier-${tier}`}>
                {definition.name} ({tier})
              </h3>
              {definition.description ? <p>{definition.description}</p> : null}
              <dl>
                <dt>Reviews a year</dt>
                <dd>
                  {definition.reviewsPerYear}, {cadenceInWords(definition.reviewsPerYear)}
                </dd>
                <dt>To enter</dt>
                <dd>
                  <RuleList rules={rules.enter} />
                </dd>
                <dt>To leave</dt>
                <dd>
                  <RuleList rules={rules.leave} />
                </dd>
                <dt>What changes in the scheme</dt>
                <dd>{definition.criteria.schemeChanges || "Nothing said."}</dd>
              </dl>
            </article>
          );
        })}
      </div>
      <p>Outcomes bands, lowest first: {policy.outcomesBands.join(", ")}.</p>
    </section>
  );
}

function RuleList({ rules }: { rules: string[] }) {
  return (
    <ul>
      {rules.map((rule) => (
        <li key={rule}>{rule}</li>
      ))}
    </ul>
  );
}

function Versions({ versions }: { versions: TierPolicyVersions }) {
  return (
    <>
      {[...TIERS, "trust" as const].map((key) => (
        <input key={key} type="hidden" name={`versions.${key}`} value={versions[key]} />
      ))}
    </>
  );
}

type FormShape = TierPolicyForm & { intent: string; versions: Record<string, string> };

function PolicyForm({ stored, lastResult }: { stored: StoredTierPolicy; lastResult: SubmissionResult<string[]> | undefined }) {
  const [form, fields] = useForm<FormShape, z.output<typeof SaveSchema>>({
    id: "tier-policy",
    lastResult,
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    defaultValue: tierPolicyForm(stored.policy),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: SaveSchema, ...PARSE }),
  });
  const tiers = fields.tiers.getFieldset();
  // The band thresholds offer the bands as typed, so a renamed band can be chosen before saving.
  const bands = (fields.outcomesBands.value ?? "")
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== "");
  const bandErrors = Object.values(fields.outcomesBands.allErrors).flat();
  return (
    <section aria-labelledby="edit-heading">
      <h2 id="edit-heading">Change the tiers</h2>
      <Form method="post" {...getFormProps(form)} className="tier-form">
        <FormError id={form.errorId} errors={form.errors} />
        <input type="hidden" name="intent" value="save" />
        <Versions versions={stored.versions} />
        {TIERS.map((tier: Tier) => {
          const tierFields = tiers[tier].getFieldset();
          return (
            <fieldset key={tier} className="tier-fieldset">
              <legend>
                {stored.policy.tiers[tier].name} ({tier})
              </legend>
              <input type="hidden" name={tierFields.tier.name} value={tier} />
              <TierFields
                tier={tier}
                fields={{ name: tierFields.name as Meta, description: tierFields.description as Meta, reviewsPerYear: tierFields.reviewsPerYear as Meta }}
                criteria={tierFields.criteria.getFieldset() as unknown as Record<string, Meta>}
                bands={bands}
              />
            </fieldset>
          );
        })}
        <fieldset className="tier-fieldset">
          <legend>Outcomes bands</legend>
          <BandsField meta={fields.outcomesBands as Meta} errors={bandErrors} />
        </fieldset>
        <div>
          <button type="submit">Save the tiers</button>
        </div>
      </Form>
    </section>
  );
}
