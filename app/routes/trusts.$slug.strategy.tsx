/**
 * The trust's strategy profile: the research's ten statements rated 1–10, the strategy cluster they
 * put the trust in (recomputed as the ratings change, before saving), the alignment culture of each
 * area and the school-improvement model. The checks of the scheme read all of it.
 */
import { getFormProps, useForm, type FieldMetadata } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { data, redirect, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useState, type FormEvent } from "react";
import { z } from "zod";
import { LARGEST_VERSION } from "~/domain/record-versions";
import { actorOf, requireTrustAccess } from "~/auth.server";
import { ErrorList, FormError, SelectField } from "~/components/forms";
import { StrategyClusterSummary } from "~/components/strategy-cluster-summary";
import { getDb } from "~/db.server";
import { AREAS } from "~/domain/areas";
import { StaleWriteError } from "~/domain/errors";
import { can } from "~/domain/roles";
import {
  ALIGNMENT_CULTURE_LABELS,
  ALIGNMENT_CULTURES,
  IMPROVEMENT_MODEL_LABELS,
  IMPROVEMENT_MODELS,
  RATING_MAX,
  RATING_MIN,
  STRATEGY_STATEMENTS,
  type AlignmentCulture,
} from "~/domain/strategy";
import { deriveStrategyCluster } from "~/domain/strategy-cluster";
import { invalid, parseForm, refusal } from "~/forms.server";
import { loadStoredStrategy, saveStrategy } from "~/models/strategy.server";
import strategyStyles from "~/styles/strategy.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: strategyStyles }];

export const meta: MetaFunction = () => [{ title: "Strategy profile · Scheme of delegation" }];

const RATING_MESSAGE = `Give a whole number from ${RATING_MIN} to ${RATING_MAX}, or leave the statement unrated`;

const rating = z
  .number({ error: (issue) => (issue.input === undefined ? undefined : RATING_MESSAGE) })
  .int(RATING_MESSAGE)
  .min(RATING_MIN, RATING_MESSAGE)
  .max(RATING_MAX, RATING_MESSAGE)
  .optional();
const culture = z.enum(ALIGNMENT_CULTURES, { error: "Choose one of the three alignment cultures, or leave it unset" }).optional();

const ratingName = (index: number) => `s${index + 1}`;
const areaField = (area: number) => `a${area}`;

export const StrategySchema = z.object({
  version: z.number({ error: "This form is out of date: open the page again" }).int().min(0).max(LARGEST_VERSION, "This form is out of date: open the page again"),
  ...Object.fromEntries(STRATEGY_STATEMENTS.map((_, i) => [ratingName(i), rating])),
  ...Object.fromEntries(AREAS.map((a) => [areaField(a.number), culture])),
  improvementModel: z.enum(IMPROVEMENT_MODELS, { error: "Choose one of the five school-improvement models, or leave it unset" }).optional(),
  vision: z.string().trim().max(2000, "Keep the vision to 2,000 characters").optional(),
});

type StrategyValues = Record<string, string | number | undefined>;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { trust, role } = await requireTrustAccess(request, params.slug);
  const stored = await loadStoredStrategy(await getDb(), trust.id);
  return {
    slug: trust.slug,
    canEdit: can(role, "editStrategy"),
    saved: new URL(request.url).searchParams.has("saved"),
    ...stored,
    updatedAt: stored.updatedAt?.toISOString() ?? null,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { trust, user } = await requireTrustAccess(request, params.slug, "editStrategy");
  const submission = await parseForm(request, StrategySchema);
  if (submission.status !== "success") return invalid(submission);
  const value = submission.value as StrategyValues;
  const alignment: Partial<Record<number, AlignmentCulture>> = {};
  for (const area of AREAS) {
    const chosen = value[areaField(area.number)];
    if (chosen !== undefined) alignment[area.number] = chosen as AlignmentCulture;
  }
  try {
    await saveStrategy(await getDb(), actorOf(user), {
      trustId: trust.id,
      version: submission.value.version,
      profile: {
        ratings: STRATEGY_STATEMENTS.map((_, i) => (value[ratingName(i)] as number | undefined) ?? null),
        alignment,
        improvementModel: submission.value.improvementModel ?? null,
      },
      vision: submission.value.vision || null,
    });
  } catch (error) {
    if (error instanceof StaleWriteError) return data({ result: submission.reply({ resetForm: true }), stale: error.message }, { status: 409 });
    return refusal(submission, error);
  }
  return redirect(`/trusts/${trust.slug}/strategy?saved=1`);
}

type Loaded = ReturnType<typeof useLoaderData<typeof loader>>;

function ratingsOf(form: HTMLFormElement): (number | null)[] {
  const entries = new FormData(form);
  return STRATEGY_STATEMENTS.map((_, i) => {
    const given = Number(entries.get(ratingName(i)) || NaN);
    return Number.isInteger(given) ? given : null;
  });
}

function RatingScale({ index, meta, disabled }: { index: number; meta: FieldMetadata<number | undefined>; disabled: boolean }) {
  const current = meta.initialValue ?? "";
  return (
    <fieldset className="rating" aria-describedby={meta.errors ? meta.errorId : undefined} data-invalid={meta.errors ? "" : undefined}>
      <legend>
        <span className="rating__number">{index + 1}.</span> {STRATEGY_STATEMENTS[index]}
      </legend>
      <ErrorList id={meta.errorId} errors={meta.errors} />
      <div className="rating__scale">
        <span className="rating__end" aria-hidden="true">
          Not at all like us
        </span>
        {Array.from({ length: RATING_MAX - RATING_MIN + 1 }, (_, k) => String(RATING_MIN + k)).map((n) => (
          <label key={n} className="rating__point">
            <input type="radio" name={meta.name} value={n} defaultChecked={current === n} disabled={disabled} />
            <span>
              {n}
              {n === String(RATING_MIN) ? <span className="visually-hidden"> (not at all like us)</span> : null}
              {n === String(RATING_MAX) ? <span className="visually-hidden"> (exactly like us)</span> : null}
            </span>
          </label>
        ))}
        <span className="rating__end" aria-hidden="true">
          Exactly like us
        </span>
        <label className="rating__none">
          <input type="radio" name={meta.name} value="" defaultChecked={current === ""} disabled={disabled} /> Not rated
        </label>
      </div>
    </fieldset>
  );
}

function StrategyForm({ loaded }: { loaded: Loaded }) {
  const actionData = useActionData<typeof action>();
  const { profile, canEdit } = loaded;
  const [ratings, setRatings] = useState(profile.ratings);
  const defaultValue: Record<string, string> = { version: String(loaded.version), vision: loaded.vision ?? "", improvementModel: profile.improvementModel ?? "" };
  profile.ratings.forEach((r, i) => (defaultValue[ratingName(i)] = r === null ? "" : String(r)));
  for (const area of AREAS) defaultValue[areaField(area.number)] = profile.alignment[area.number] ?? "";
  const [form, fields] = useForm({
    id: "strategy",
    lastResult: actionData && "stale" in actionData ? undefined : actionData?.result,
    defaultValue,
    shouldValidate: "onSubmit",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: StrategySchema }),
  });
  const field = (name: string) => fields[name as keyof typeof fields] as FieldMetadata<never>;
  const vision = field("vision");
  const unsaved = ratings.some((r, i) => r !== profile.ratings[i]);
  const onChange = (event: FormEvent<HTMLFormElement>) => setRatings(ratingsOf(event.currentTarget));
  return (
    <Form method="post" {...getFormProps(form)} className="strategy-form" onChange={onChange}>
      <FormError id={form.errorId} errors={form.errors} />
      <input type="hidden" name="version" value={loaded.version} />
      <StrategyClusterSummary derivation={deriveStrategyCluster(ratings)} unsaved={unsaved} />
      <h2>How like your trust is each statement?</h2>
      <p className="muted">1 is “not at all like us”, 10 “exactly like us”: the scale of the research’s survey of 346 trust leaders.</p>
      {STRATEGY_STATEMENTS.map((_, i) => (
        <RatingScale key={i} index={i} meta={field(ratingName(i))} disabled={!canEdit} />
      ))}
      <h2>How the trust aligns its schools, area by area</h2>
      <p className="muted">
        {Object.values(ALIGNMENT_CULTURE_LABELS)
          .map((c) => `${c.name}: ${c.meaning}`)
          .join(" ")}
      </p>
      <div className="alignment-grid">
        {AREAS.map((area) => (
          <SelectField
            key={area.number}
            meta={field(areaField(area.number))}
            label={`${area.number}. ${area.name}`}
            disabled={!canEdit}
            options={[{ value: "", label: "Not set" }, ...ALIGNMENT_CULTURES.map((c) => ({ value: c, label: ALIGNMENT_CULTURE_LABELS[c].name }))]}
          />
        ))}
      </div>
      <h2>School improvement</h2>
      <SelectField
        meta={field("improvementModel")}
        label="The trust’s school-improvement model"
        hint={IMPROVEMENT_MODELS.map((m) => `${IMPROVEMENT_MODEL_LABELS[m].name}: ${IMPROVEMENT_MODEL_LABELS[m].meaning}`).join(" ")}
        disabled={!canEdit}
        options={[{ value: "", label: "Not set" }, ...IMPROVEMENT_MODELS.map((m) => ({ value: m, label: IMPROVEMENT_MODEL_LABELS[m].name }))]}
      />
      <div className="field" data-invalid={vision.errors ? "" : undefined}>
        <label htmlFor={vision.id}>The trust’s vision (optional)</label>
        <ErrorList id={vision.errorId} errors={vision.errors} />
        <textarea id={vision.id} name={vision.name} defaultValue={loaded.vision ?? ""} rows={3} maxLength={2000} disabled={!canEdit} />
      </div>
      {canEdit ? (
        <div className="form-buttons">
          <button type="submit">Save the strategy profile</button>
        </div>
      ) : null}
    </Form>
  );
}

export default function StrategyPage() {
  const loaded = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const stale = actionData && "stale" in actionData ? String(actionData.stale) : null;
  return (
    <>
      <h1>Strategy profile</h1>
      <p className="lede">
        What the trust is trying to achieve, in the words of the research’s survey. The checks of the scheme compare where each decision
        sits with this profile.
      </p>
      {loaded.saved && !stale ? (
        <p className="notice notice--success" role="status">
          Saved the strategy profile.
        </p>
      ) : null}
      {stale ? (
        <p className="form-error" role="alert">
          {stale}
        </p>
      ) : null}
      {!loaded.canEdit ? <p className="notice">Only the CEO, trustees and the clerk can change the strategy profile.</p> : null}
      {/* A fresh profile (after a save or a refused stale one) starts the form again from what is stored. */}
      <StrategyForm key={loaded.version} loaded={loaded} />
      <p>
        <Link to={`/trusts/${loaded.slug}/scheme`}>Go to the scheme</Link> to see its checks against this profile.
      </p>
    </>
  );
}
