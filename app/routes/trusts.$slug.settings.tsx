/**
 * The thresholds the checks use (what rating is "like us", where devolved and centralised begin,
 * the break points' sizes): everyone in the trust sees them, the clerk changes them or restores the
 * defaults. A save names the version it was read at; a stale one is refused with the latest shown.
 */
import { getFormProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { LARGEST_VERSION } from "~/domain/record-versions";
import { actorOf, requireTrustAccess } from "~/auth.server";
import { Field, FormError } from "~/components/forms";
import { getDb } from "~/db.server";
import { StaleWriteError } from "~/domain/errors";
import { can } from "~/domain/roles";
import {
  DEFAULT_RULE_SETTINGS,
  RULE_SETTING_DESCRIPTIONS,
  RuleSettingsInputSchema,
  rangeInWords,
  ruleSettingRange,
  type RuleSettingKey,
  type RuleSettings,
} from "~/domain/rules/settings";
import { invalid, readForm, refusal } from "~/forms.server";
import { loadRuleSettings, restoreDefaultRuleSettings, saveRuleSettings, type StoredRuleSettings } from "~/models/rule-settings.server";

export const meta: MetaFunction = () => [{ title: "Checks settings · Scheme of delegation" }];

const OUT_OF_DATE = "This form is out of date: open the page again";
const version = z.number({ error: OUT_OF_DATE }).int().min(1).max(LARGEST_VERSION, OUT_OF_DATE);

const SaveSchema = z.object({ intent: z.literal("save", { error: "Use the buttons on this page." }), version }).and(RuleSettingsInputSchema);
const RestoreSchema = z.object({ intent: z.literal("restore"), version });

type Intent = "save" | "restore";

const KEYS = Object.keys(RULE_SETTING_DESCRIPTIONS) as RuleSettingKey[];

const NOTICES: Record<string, string> = {
  saved: "The thresholds are saved: the checks use them from now on.",
  restored: "The defaults are restored: the checks use them from now on.",
};

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { trust, role } = await requireTrustAccess(request, params.slug);
  const settings = await loadRuleSettings(await getDb(), trust.id);
  const query = new URL(request.url).searchParams;
  const notice = Object.keys(NOTICES).find((key) => query.get(key) === "1");
  return { canEdit: can(role, "editRuleSettings"), settings, notice: notice ? NOTICES[notice]! : null };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { trust, user } = await requireTrustAccess(request, params.slug, "editRuleSettings");
  const formData = await readForm(request);
  const db = await getDb();
  const here = `/trusts/${trust.slug}/settings`;
  // A stale save is answered with the settings as they now stand, so the page shows the latest at once.
  const stale = async (form: Intent, result: SubmissionResult<string[]>, error: StaleWriteError, entered: RuleSettings | null) =>
    data({ form, result, stale: error.message, latest: await loadRuleSettings(db, trust.id), entered }, { status: 409 });

  if (formData.get("intent") === "restore") {
    const submission = parseWithZod(formData, { schema: RestoreSchema });
    if (submission.status !== "success") return data({ ...invalid(submission).data, form: "restore" as Intent }, { status: 400 });
    try {
      await restoreDefaultRuleSettings(db, actorOf(user), { trustId: trust.id, version: submission.value.version });
    } catch (error) {
      if (error instanceof StaleWriteError) return stale("restore", submission.reply({ formErrors: [error.message] }), error, null);
      const answer = refusal(submission, error);
      return data({ ...answer.data, form: "restore" as Intent }, { status: answer.init?.status ?? 400 });
    }
    return redirect(`${here}?restored=1`);
  }

  const submission = parseWithZod(formData, { schema: SaveSchema });
  if (submission.status !== "success") return data({ ...invalid(submission).data, form: "save" as Intent }, { status: 400 });
  const { intent: _, version: expected, ...values } = submission.value;
  try {
    await saveRuleSettings(db, actorOf(user), { trustId: trust.id, version: expected, values });
  } catch (error) {
    if (error instanceof StaleWriteError) return stale("save", submission.reply({ formErrors: [error.message] }), error, values);
    const answer = refusal(submission, error);
    return data({ ...answer.data, form: "save" as Intent }, { status: answer.init?.status ?? 400 });
  }
  return redirect(`${here}?saved=1`);
}

/** What the action answers, whichever form was sent. */
interface Answer {
  form?: Intent;
  result?: SubmissionResult<string[]>;
  /** A stale save was refused; `latest` is what is now stored, `entered` what the refused save asked for. */
  stale?: string;
  latest?: StoredRuleSettings;
  entered?: RuleSettings | null;
}

function withUnit(key: RuleSettingKey, value: number): string {
  const { unit } = RULE_SETTING_DESCRIPTIONS[key];
  return unit ? `${value} ${unit}` : String(value);
}

function usedBy(key: RuleSettingKey): string {
  const rules = RULE_SETTING_DESCRIPTIONS[key].rules;
  return rules.length === 1 ? rules[0]! : `${rules.slice(0, -1).join(", ")} and ${rules.at(-1)}`;
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export default function RuleSettingsPage() {
  const loaded = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as Answer | undefined;
  const settings = actionData?.latest ?? loaded.settings;
  const { canEdit, notice } = loaded;
  // The restore form has no visible fields: any of its messages is shown above its button.
  const restoreErrors =
    actionData?.form === "restore" && !actionData.stale ? Object.values(actionData.result?.error ?? {}).flatMap((e) => e ?? []) : [];
  return (
    <>
      <h1>Checks settings</h1>
      <p className="lede">
        The thresholds the checks of the scheme use: when a strategy statement counts as like the trust, when a decision counts as devolved or
        centralised, and the sizes and distances at which the trust’s growth calls for a new look at its governance.
      </p>
      <p>
        {settings.stored
          ? "The trust has set its own thresholds."
          : "The trust uses the defaults: proposals drawn from the research on how trusts delegate, not rules of law. A trust may move them to suit itself."}
      </p>
      <p>
        The thresholds of earned autonomy (what each tier asks of a school, and how often its schools are reviewed) are on the{" "}
        <Link to="../tiers" relative="path">autonomy tiers</Link> page.
      </p>
      {/* The form posts to this address, ?saved=1 included: an answer to a later post replaces the notice. */}
      {notice && !actionData ? (
        <p className="notice notice--success" role="status">
          {notice}
        </p>
      ) : null}
      {actionData?.stale ? (
        <div className="form-error" role="alert">
          <p>{actionData.stale}</p>
          <NotSaved entered={actionData.entered ?? null} latest={settings.values} />
        </div>
      ) : null}
      {canEdit ? (
        <>
          <SettingsForm key={settings.version} settings={settings} lastResult={actionData?.form === "save" && !actionData.stale ? actionData.result : undefined} />
          {settings.stored ? (
            <section aria-labelledby="restore-heading">
              <h2 id="restore-heading">Restore the defaults</h2>
              <p>This puts every threshold back to its default. The trust’s own values are not kept.</p>
              <Form method="post">
                <FormError id="restore-error" errors={restoreErrors} />
                <input type="hidden" name="intent" value="restore" />
                <input type="hidden" name="version" value={settings.version} />
                <button type="submit" className="secondary">
                  Restore the defaults
                </button>
              </Form>
            </section>
          ) : null}
        </>
      ) : (
        <ReadOnlySettings values={settings.values} />
      )}
    </>
  );
}

/** What a refused save would have changed, so that it can be entered again on the latest values. */
function NotSaved({ entered, latest }: { entered: RuleSettings | null; latest: RuleSettings }) {
  const differing = entered ? KEYS.filter((key) => entered[key] !== latest[key]) : [];
  if (!entered || differing.length === 0) return null;
  return (
    <p>
      You had entered:{" "}
      {differing.map((key) => `${RULE_SETTING_DESCRIPTIONS[key].label} ${withUnit(key, entered[key])}`).join("; ")}.
    </p>
  );
}

function ReadOnlySettings({ values }: { values: RuleSettings }) {
  return (
    <>
      <p>Only the clerk can change these settings.</p>
      <table className="data">
        <caption>The thresholds of the checks</caption>
        <thead>
          <tr>
            <th scope="col">Setting</th>
            <th scope="col">What it decides</th>
            <th scope="col" className="numeric">
              Value
            </th>
            <th scope="col" className="numeric">
              Default
            </th>
            <th scope="col">Used by</th>
          </tr>
        </thead>
        <tbody>
          {KEYS.map((key) => (
            <tr key={key}>
              <th scope="row">{RULE_SETTING_DESCRIPTIONS[key].label}</th>
              <td>{RULE_SETTING_DESCRIPTIONS[key].hint}</td>
              <td className="numeric">{withUnit(key, values[key])}</td>
              <td className="numeric">{withUnit(key, DEFAULT_RULE_SETTINGS[key])}</td>
              <td>{usedBy(key)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

function SettingsForm({ settings, lastResult }: { settings: StoredRuleSettings; lastResult: SubmissionResult<string[]> | undefined }) {
  const [form, fields] = useForm<z.input<typeof SaveSchema>, z.output<typeof SaveSchema>>({
    id: "rule-settings",
    lastResult,
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    defaultValue: Object.fromEntries(KEYS.map((key) => [key, String(settings.values[key])])),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: SaveSchema }),
  });
  return (
    <Form method="post" {...getFormProps(form)} className="stack">
      <FormError id={form.errorId} errors={form.errors} />
      <input type="hidden" name="intent" value="save" />
      <input type="hidden" name="version" value={settings.version} />
      {KEYS.map((key) => {
        const { label, hint, unit } = RULE_SETTING_DESCRIPTIONS[key];
        return (
          <Field
            key={key}
            meta={fields[key]}
            inputMode={ruleSettingRange(key).whole ? "numeric" : "decimal"}
            label={unit && !label.toLowerCase().includes(unit) ? `${label} (${unit})` : label}
            hint={`${hint} Used by ${usedBy(key)}. ${capitalised(rangeInWords(key))}; the default is ${withUnit(key, DEFAULT_RULE_SETTINGS[key])}.`}
          />
        );
      })}
      <div>
        <button type="submit">Save thresholds</button>
      </div>
    </Form>
  );
}
