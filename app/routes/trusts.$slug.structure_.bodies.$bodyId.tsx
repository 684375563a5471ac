/**
 * One governance body: its details, the boards under it (a column) or the schools it covers (a
 * cluster or local board), and, for the clerk, editing, ordering, coverage and removal. Removal
 * asks first (?remove) and says exactly what it will clear.
 */
import { getFormProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { data, redirect, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { LARGEST_VERSION } from "~/domain/record-versions";
import { actorOf, requireTrustAccess } from "~/auth.server";
import { Field, FormError, SelectField } from "~/components/forms";
import { bodyDetails, modeOptions, purposeOptions, TextAreaField } from "~/components/structure-forms";
import { getDb } from "~/db.server";
import { RuleError, StaleWriteError } from "~/domain/errors";
import { can } from "~/domain/roles";
import { BODY_KIND_LABELS, type BodyKind, type BodyPurpose, type DecisionMode } from "~/domain/structure";
import { invalid, parseForm, refusal } from "~/forms.server";
import { planBodyRemoval, removeBody, type BodyRemovalPlan } from "~/models/structure-removal.server";
import { coverageWarnings, getBody, listBodies, listSchools, moveBody, setBoardCoverage, updateBody, type Body } from "~/models/structure.server";
import structureStyles from "~/styles/structure.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: structureStyles }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.body.name} · Governance structure · Scheme of delegation` : "Scheme of delegation" },
];

const OUT_OF_DATE = "This form is out of date: open the page again";
const version = z.number({ error: OUT_OF_DATE }).int().min(1).max(LARGEST_VERSION, OUT_OF_DATE);

const UpdateSchema = z.object({
  intent: z.literal("update"),
  version,
  columnId: z.uuid({ error: "Choose the column from the list" }).optional(),
  ...bodyDetails,
});
const CoverSchema = z.object({
  intent: z.literal("cover"),
  schoolId: z.array(z.uuid({ error: "One of the schools ticked was not found" })).optional(),
  /** Each school's version as the page showed it: "id:version,id:version". */
  seen: z.string().max(60_000).optional(),
});
const MoveSchema = z.object({ intent: z.literal("move"), direction: z.enum(["up", "down"], { error: "Choose up or down" }) });
const RemoveSchema = z.object({ intent: z.literal("remove"), version, planKey: z.string({ error: "Open the removal page again" }).max(100) });
const BodySchema = z.discriminatedUnion("intent", [UpdateSchema, CoverSchema, MoveSchema, RemoveSchema], { error: "Use the buttons on this page." });

type Intent = z.infer<typeof BodySchema>["intent"];

async function bodyOf(request: Request, slug: string | undefined, bodyId: string | undefined, permission: "read" | "manageStructure") {
  const access = await requireTrustAccess(request, slug, permission);
  const db = await getDb();
  const body = await getBody(db, access.trust.id, bodyId ?? "");
  if (!body) throw new Response("Not found", { status: 404, statusText: "Not Found" });
  return { ...access, db, body };
}

type Db = Awaited<ReturnType<typeof getDb>>;

/** Everything the page shows; also sent back with a stale refusal, so the latest is shown at once. */
async function pageData(db: Db, trust: { id: string; slug: string }, body: Body, canManage: boolean, removal: BodyRemovalPlan | null) {
  const [bodies, schools] = [await listBodies(db, trust.id), await listSchools(db, trust.id)];
  const view = (b: Body) => ({
    id: b.id,
    kind: b.kind as BodyKind,
    name: b.name,
    shortName: b.shortName,
    mode: b.mode as DecisionMode,
    purpose: b.purpose as BodyPurpose,
    parentId: b.parentId,
    columnId: b.columnId,
    chairName: b.chairName,
    remit: b.remit,
    version: b.version,
  });
  const siblings = bodies.filter((b) => b.kind === body.kind && b.columnId === body.columnId).sort((a, b) => a.position - b.position || a.name.localeCompare(b.name));
  // Where it may sit: anywhere but under itself or a body below it.
  const below = new Set([body.id]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const b of bodies) if (b.parentId && below.has(b.parentId) && !below.has(b.id)) (below.add(b.id), (grew = true));
  }
  return {
    slug: trust.slug,
    canManage,
    body: view(body),
    bodies: bodies.map((b) => ({ id: b.id, kind: b.kind as BodyKind, name: b.name, columnId: b.columnId, parentId: b.parentId })),
    parentChoices: bodies.filter((b) => !below.has(b.id)).map((b) => ({ value: b.id, label: `Under ${b.name}` })),
    columnChoices: bodies.filter((b) => b.columnId === null && b.kind === body.kind).map((b) => ({ value: b.id, label: b.name })),
    place: { index: siblings.findIndex((b) => b.id === body.id), of: siblings.length },
    schools: schools.map((s) => ({ id: s.id, name: s.name, urn: s.urn, version: s.version, clusterBodyId: s.clusterBodyId, localBodyId: s.localBodyId })),
    warnings: coverageWarnings(bodies, schools).filter((w) => w.localBodyId === body.id || schools.some((s) => s.id === w.schoolId && s.clusterBodyId === body.id)),
    removal,
  };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { trust, role, db, body } = await bodyOf(request, params.slug, params.bodyId, "read");
  const canManage = can(role, "manageStructure");
  const removal = canManage && new URL(request.url).searchParams.has("remove") ? await planBodyRemoval(db, trust.id, body.id) : null;
  return pageData(db, trust, body, canManage, removal);
}

function parseSeen(text: string | undefined): Record<string, number> {
  const seen: Record<string, number> = {};
  for (const pair of (text ?? "").split(",")) {
    const [id, v] = pair.split(":");
    if (id && v && /^\d+$/.test(v)) seen[id] = Number(v);
  }
  return seen;
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { trust, user, db, body } = await bodyOf(request, params.slug, params.bodyId, "manageStructure");
  const submission = await parseForm(request, BodySchema);
  const form = submission.payload.intent as Intent;
  if (submission.status !== "success") return data({ ...invalid(submission).data, form }, { status: 400 });
  const actor = actorOf(user);
  const value = submission.value;
  try {
    if (value.intent === "update") {
      const { intent: _, version: expectedVersion, ...fields } = value;
      const saved = await updateBody(db, actor, { trustId: trust.id, id: body.id, expectedVersion, ...fields });
      return { form, result: submission.reply(), notice: `Saved the details of ${saved.name}.` };
    }
    if (value.intent === "cover") {
      const { added, removed } = await setBoardCoverage(db, actor, {
        trustId: trust.id,
        bodyId: body.id,
        schoolIds: value.schoolId ?? [],
        seen: parseSeen(value.seen),
      });
      const notice = added + removed === 0 ? "Nothing to change: the schools it covers are as ticked." : `Saved: ${added} school${added === 1 ? "" : "s"} added, ${removed} taken off.`;
      return { form, result: submission.reply(), notice };
    }
    if (value.intent === "move") {
      await moveBody(db, actor, { trustId: trust.id, id: body.id, direction: value.direction });
      return { form, result: submission.reply(), notice: `Moved ${body.name} ${value.direction}.` };
    }
    await removeBody(db, actor, { trustId: trust.id, id: body.id, expectedVersion: value.version, planKey: value.planKey });
    return redirect(`/trusts/${trust.slug}/structure?removed=${body.id}`);
  } catch (error) {
    // A stale save, or a removal whose plan has changed, is answered with the page as it now stands.
    if (error instanceof StaleWriteError || (form === "remove" && error instanceof RuleError)) {
      const latest = await getBody(db, trust.id, body.id);
      if (!latest) throw new Response("Not found", { status: 404, statusText: "Not Found" });
      const removal = form === "remove" ? await planBodyRemoval(db, trust.id, body.id) : null;
      const page = await pageData(db, trust, latest, true, removal);
      if (error instanceof StaleWriteError) {
        return data({ form, stale: error.message, result: submission.reply({ resetForm: true }), page }, { status: 409 });
      }
      return data({ form, result: submission.reply({ formErrors: [error.message] }), page }, { status: 400 });
    }
    const answer = refusal(submission, error);
    return data({ ...answer.data, form }, { status: answer.init?.status ?? 400 });
  }
}

type Page = ReturnType<typeof useLoaderData<typeof loader>>;

/** What the action answers, whichever form was sent. */
interface Answer {
  form?: Intent;
  result?: SubmissionResult<string[]>;
  notice?: string;
  /** A stale save was refused; `page` is the page as it now stands. */
  stale?: string;
  page?: Page;
}

function boardLabel(kind: BodyKind): string {
  if (kind === "cluster") return "A cluster board";
  if (kind === "local") return "A local board";
  return `A board of the kind "${BODY_KIND_LABELS[kind]}"`;
}

function joinNames(names: string[]): string {
  if (names.length <= 1) return names.join("");
  return `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

export default function GovernanceBody() {
  const loaded = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as Answer | undefined;
  const page = actionData?.page ?? loaded;
  const { slug, canManage, body, bodies, schools, warnings, removal, place } = page;
  const base = `/trusts/${slug}/structure`;
  const here = `${base}/bodies/${body.id}`;
  const byId = new Map(bodies.map((b) => [b.id, b]));
  const column = body.columnId ? byId.get(body.columnId) : null;
  const boards = bodies.filter((b) => b.columnId === body.id);
  const coverage = body.columnId !== null && (body.kind === "cluster" || body.kind === "local") ? body.kind : null;
  const covered = schools.filter((s) => (coverage === "cluster" ? s.clusterBodyId : s.localBodyId) === body.id);
  const result = (intent: Intent) => (actionData?.form === intent ? actionData.result : undefined);
  const errorsOf = (intent: Intent) => Object.values(result(intent)?.error ?? {}).flatMap((e) => e ?? []);
  const notice = actionData?.notice;
  const stale = actionData?.stale;
  return (
    <div className="structure">
      <p className="structure-back">
        <Link to={base}>Governance structure</Link>
      </p>
      <h1>{body.name}</h1>
      <p className="lede">
        {column ? `${boardLabel(body.kind)}, answering under the column ${column.name}` : `${BODY_KIND_LABELS[body.kind]}, a column of the matrix`}
        {body.mode === "advisory" ? " (advisory)" : ""}
      </p>
      {notice ? (
        <p className="notice notice--success" role="status">
          {notice}
        </p>
      ) : null}
      {stale ? (
        <div className="form-error" role="alert">
          <p>{stale}</p>
        </div>
      ) : null}

      {removal ? <RemovalConfirmation plan={removal} here={here} errors={errorsOf("remove")} /> : null}

      <h2>Details</h2>
      <dl className="structure-details">
        <dt>Kind</dt>
        <dd>{BODY_KIND_LABELS[body.kind]}</dd>
        <dt>Matrix column</dt>
        <dd>{column ? <Link to={`${base}/bodies/${column.id}`}>{column.name}</Link> : "It is a column of the matrix itself"}</dd>
        <dt>Short heading</dt>
        <dd>{body.shortName ?? "—"}</dd>
        {body.kind === "cluster" || body.kind === "local" ? (
          <>
            <dt>Decides or advises</dt>
            <dd>{body.mode === "advisory" ? "Advises only" : "Decides what the scheme gives it"}</dd>
            <dt>Purpose</dt>
            <dd>{purposeOptions.find((p) => p.value === body.purpose)?.label}</dd>
          </>
        ) : null}
        <dt>Sits under in the chart</dt>
        <dd>{body.parentId ? (byId.get(body.parentId)?.name ?? "—") : "Nowhere in particular"}</dd>
        <dt>Chair</dt>
        <dd>{body.chairName ?? "—"}</dd>
        <dt>Remit</dt>
        <dd>{body.remit ?? "—"}</dd>
      </dl>

      {canManage && place.of > 1 ? (
        <Form method="post" className="inline-form move-form" aria-label={`Order of ${body.name}`}>
          <input type="hidden" name="intent" value="move" />
          <span>
            Place {place.index + 1} of {place.of} {column ? `under ${column.name}` : `among the ${BODY_KIND_LABELS[body.kind].toLowerCase()} columns`}
          </span>
          {place.index > 0 ? (
            <button type="submit" name="direction" value="up" className="secondary">
              Move up
            </button>
          ) : null}
          {place.index < place.of - 1 ? (
            <button type="submit" name="direction" value="down" className="secondary">
              Move down
            </button>
          ) : null}
          <ErrorLines errors={errorsOf("move")} />
        </Form>
      ) : null}

      {body.columnId === null && boards.length > 0 ? (
        <>
          <h2>Boards answering under this column</h2>
          <ul className="structure-list">
            {boards.map((b) => {
              const theirs = schools.filter((s) => s.clusterBodyId === b.id || s.localBodyId === b.id);
              return (
                <li key={b.id}>
                  <Link to={`${base}/bodies/${b.id}`}>{b.name}</Link>
                  {theirs.length > 0 ? ` — ${joinNames(theirs.map((s) => s.name))}` : " — no schools yet"}
                </li>
              );
            })}
          </ul>
        </>
      ) : null}

      {coverage && !removal ? (
        <>
          <h2 id="coverage">Schools it covers</h2>
          {warnings.length > 0 ? (
            <div className="notice notice--warning" role="region" aria-label="Where the schools' boards sit">
              <ul>
                {warnings.map((w) => (
                  <li key={w.schoolId}>{w.message}</li>
                ))}
              </ul>
            </div>
          ) : null}
          {canManage ? (
            <CoverageForm
              key={schools.map((s) => `${s.id}:${s.version}`).join(",")}
              body={body}
              kind={coverage}
              schools={schools}
              byId={byId}
              errors={errorsOf("cover")}
            />
          ) : covered.length > 0 ? (
            <ul className="structure-list">
              {covered.map((s) => (
                <li key={s.id}>
                  <Link to={`${base}/schools/${s.id}`}>{s.name}</Link>
                </li>
              ))}
            </ul>
          ) : (
            <p>No schools yet.</p>
          )}
        </>
      ) : null}

      {canManage && !removal ? (
        <>
          <EditForm key={body.version} page={page} lastResult={stale ? undefined : result("update")} />
          <h2>Remove</h2>
          <p>You will be asked to confirm, and told what removing it clears, first.</p>
          <p>
            <Link to={`${here}?remove`} className="button-link">
              Remove {body.name}…
            </Link>
          </p>
        </>
      ) : null}
    </div>
  );
}

function ErrorLines({ errors }: { errors: string[] }) {
  if (errors.length === 0) return null;
  return (
    <div className="form-error" role="alert">
      {errors.map((e) => (
        <p key={e}>{e}</p>
      ))}
    </div>
  );
}

function CoverageForm({
  body,
  kind,
  schools,
  byId,
  errors,
}: {
  body: Page["body"];
  kind: "cluster" | "local";
  schools: Page["schools"];
  byId: Map<string, Page["bodies"][number]>;
  errors: string[];
}) {
  const field = kind === "cluster" ? "clusterBodyId" : "localBodyId";
  const what = kind === "cluster" ? "cluster" : "local board";
  if (schools.length === 0) return <p>The trust has no schools yet: add them on the structure page.</p>;
  return (
    <Form method="post" className="coverage-form">
      <input type="hidden" name="intent" value="cover" />
      <input type="hidden" name="seen" value={schools.map((s) => `${s.id}:${s.version}`).join(",")} />
      <ErrorLines errors={errors} />
      <fieldset aria-describedby="coverage-hint">
        <legend>Tick the schools {body.name} covers</legend>
        <p id="coverage-hint" className="hint">
          A school has one {what}: ticking a school that another {what} covers moves it here.
        </p>
        {schools.map((s) => {
          const other = s[field] && s[field] !== body.id ? byId.get(s[field]!)?.name : null;
          return (
            <div className="checkbox" key={s.id}>
              <input type="checkbox" id={`cover-${s.id}`} name="schoolId" value={s.id} defaultChecked={s[field] === body.id} />
              <label htmlFor={`cover-${s.id}`}>
                {s.name} <span className="muted">(URN {s.urn}{other ? `; now ${other}` : ""})</span>
              </label>
            </div>
          );
        })}
      </fieldset>
      <button type="submit">Save the schools it covers</button>
    </Form>
  );
}

function EditForm({ page, lastResult }: { page: Page; lastResult: SubmissionResult<string[]> | undefined }) {
  const { body } = page;
  const [form, fields] = useForm({
    id: "edit-body",
    lastResult,
    shouldRevalidate: "onBlur",
    defaultValue: {
      intent: "update",
      version: body.version,
      name: body.name,
      shortName: body.shortName ?? "",
      mode: body.mode,
      purpose: body.purpose,
      parentId: body.parentId ?? "",
      columnId: body.columnId ?? "",
      chairName: body.chairName ?? "",
      remit: body.remit ?? "",
    },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: UpdateSchema }),
  });
  const local = body.kind === "cluster" || body.kind === "local";
  return (
    <section aria-labelledby="edit-heading" className="structure-form">
      <h2 id="edit-heading">Change the details</h2>
      <Form method="post" {...getFormProps(form)} className="stack">
        <FormError id={form.errorId} errors={form.errors} />
        <input type="hidden" name="intent" value="update" />
        <input type="hidden" name="version" value={body.version} />
        <Field meta={fields.name} label="Name" />
        <Field meta={fields.shortName} label="Short heading (optional)" hint="For narrow matrix columns, e.g. ARC; up to 30 characters" />
        {body.columnId !== null ? (
          <SelectField meta={fields.columnId} label="Matrix column it answers under" options={page.columnChoices} />
        ) : null}
        {local ? (
          <>
            <SelectField meta={fields.mode} label="Decides or advises" options={modeOptions} />
            <SelectField meta={fields.purpose} label="Purpose" options={purposeOptions} />
          </>
        ) : null}
        <SelectField
          meta={fields.parentId}
          label="Where it sits in the chart"
          hint="A committee under the board, a local board under its cluster."
          options={[{ value: "", label: "Nowhere in particular" }, ...page.parentChoices]}
        />
        <Field meta={fields.chairName} label="Chair's name (optional)" />
        <TextAreaField meta={fields.remit} label="Remit (optional)" />
        <div>
          <button type="submit">Save changes</button>
        </div>
      </Form>
    </section>
  );
}

function RemovalConfirmation({ plan, here, errors }: { plan: BodyRemovalPlan; here: string; errors: string[] }) {
  const retired = plan.retired.find((r) => r.id === plan.body.id);
  const items: { key: string; text: string }[] = [];
  if (plan.boards.length > 0) {
    items.push({ key: "boards", text: `remove the ${plural(plan.boards.length, "board")} that answer${plan.boards.length === 1 ? "s" : ""} under it: ${joinNames(plan.boards.map((b) => b.name))}` });
  }
  if (plan.draft && plan.cells.length > 0) {
    const refs = [...new Set(plan.cells.map((c) => c.ref))];
    const columns = [...new Set(plan.cells.map((c) => c.column))];
    const where = columns.length === 1 && columns[0] === plan.body.name ? "its column" : `the columns ${joinNames(columns)}`;
    items.push({
      key: "cells",
      text: `clear ${plural(plan.cells.length, "cell")} in ${where} of draft version ${plan.draft.number}, on ${refs.length === 1 ? "row" : "rows"} ${joinNames(refs)}`,
    });
  }
  if (plan.draft && plan.tierVariants.length > 0) {
    items.push({
      key: "tiers",
      text: `clear ${plural(plan.tierVariants.length, "autonomy-tier variant")} on it: ${joinNames(plan.tierVariants.map((c) => `${c.ref} (${c.tier})`))}`,
    });
  }
  if (plan.draft && plan.schoolVariations.length > 0) {
    items.push({
      key: "school-cells",
      text: `clear ${plural(plan.schoolVariations.length, "school variation")} on it: ${joinNames(plan.schoolVariations.map((c) => `${c.ref} (${c.school})`))}`,
    });
  }
  for (const field of ["cluster", "local"] as const) {
    const list = plan.schools.filter((s) => s.field === field);
    if (list.length > 0) {
      items.push({
        key: `schools-${field}`,
        text: `leave ${plural(list.length, "school")} with no ${field === "cluster" ? "cluster" : "local board"}: ${joinNames(list.map((s) => s.name))}`,
      });
    }
  }
  for (const child of plan.children) {
    items.push({ key: `child-${child.id}`, text: `move ${child.name}, which sits under it in the chart, ${child.to ? `to sit under ${child.to.name}` : "to the top of the chart"}` });
  }
  return (
    <section className="structure-removal" aria-labelledby="remove-heading">
      <h2 id="remove-heading">Remove {plan.body.name}?</h2>
      <ErrorLines errors={errors} />
      {items.length > 0 ? (
        <>
          <p>Removing it will:</p>
          <ul>
            {items.map((i) => (
              <li key={i.key}>{i.text}.</li>
            ))}
          </ul>
        </>
      ) : (
        <p>Nothing else refers to it: removing it changes nothing else.</p>
      )}
      {retired ? (
        <p>
          It will be kept in the records, retired, because {joinNames(retired.reasons)}: approved versions still show it, but it leaves the structure
          and the draft.
        </p>
      ) : null}
      {plan.retired
        .filter((r) => r.id !== plan.body.id)
        .map((r) => (
          <p key={r.id}>
            {r.name} will be kept in the records, retired, because {joinNames(r.reasons)}.
          </p>
        ))}
      <Form method="post" className="inline-form">
        <input type="hidden" name="intent" value="remove" />
        <input type="hidden" name="version" value={plan.body.version} />
        <input type="hidden" name="planKey" value={plan.key} />
        <button type="submit" className="danger">
          Remove {plan.body.name}
        </button>
        <Link to={here}>Cancel</Link>
      </Form>
    </section>
  );
}
