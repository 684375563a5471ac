/**
 * The trust's governance structure: the chart, the bodies by kind in tier order (each column with
 * the individual boards under it and the schools each covers), and the schools. The clerk adds
 * bodies and schools and orders the bodies here; each body and school has its own page for the rest.
 */
import { getFormProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { data, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { actorOf, requireTrustAccess } from "~/auth.server";
import { Field, FormError, SelectField } from "~/components/forms";
import { GovernanceChart } from "~/components/governance-chart";
import { bodyDetails, modeOptions, purposeOptions, schoolDetails, SchoolFields, TextAreaField } from "~/components/structure-forms";
import { getDb } from "~/db.server";
import { can } from "~/domain/roles";
import {
  BODY_KIND_LABELS,
  BODY_KINDS,
  SCHOOL_PHASE_LABELS,
  type BodyKind,
  type BodyPurpose,
  type DecisionMode,
  type SchoolPhase,
} from "~/domain/structure";
import { invalid, parseForm, refusal } from "~/forms.server";
import { removalNotice } from "~/models/structure-removal.server";
import { coverageWarnings, createBody, createSchool, listBodies, listSchools, moveBody } from "~/models/structure.server";
import structureStyles from "~/styles/structure.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: structureStyles }];

export const meta: MetaFunction = () => [{ title: "Governance structure · Scheme of delegation" }];

const CreateBodySchema = z.object({
  intent: z.literal("create-body"),
  kind: z.enum(BODY_KINDS, { error: "Choose what kind of body this is" }),
  columnId: z.union([z.literal("none"), z.uuid()], { error: "Choose the column from the list" }).optional(),
  ...bodyDetails,
});

const CreateSchoolSchema = z.object({ intent: z.literal("create-school"), ...schoolDetails });

const MoveSchema = z.object({
  intent: z.literal("move-body"),
  id: z.uuid("That body was not found"),
  direction: z.enum(["up", "down"], { error: "Choose up or down" }),
});

const StructureSchema = z.discriminatedUnion("intent", [CreateBodySchema, CreateSchoolSchema, MoveSchema], { error: "Use the buttons on this page." });

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { trust, role } = await requireTrustAccess(request, params.slug);
  const db = await getDb();
  const [bodies, schools] = [await listBodies(db, trust.id), await listSchools(db, trust.id)];
  const removed = new URL(request.url).searchParams.get("removed");
  return {
    trust: { name: trust.name, slug: trust.slug },
    canManage: can(role, "manageStructure"),
    bodies: bodies.map((b) => ({
      id: b.id,
      kind: b.kind as BodyKind,
      name: b.name,
      shortName: b.shortName,
      mode: b.mode as DecisionMode,
      purpose: b.purpose as BodyPurpose,
      parentId: b.parentId,
      columnId: b.columnId,
      position: b.position,
      chairName: b.chairName,
    })),
    schools: schools.map((s) => ({
      id: s.id,
      urn: s.urn,
      name: s.name,
      phase: s.phase as SchoolPhase,
      clusterBodyId: s.clusterBodyId,
      localBodyId: s.localBodyId,
      joinedOn: s.joinedOn,
    })),
    warnings: coverageWarnings(bodies, schools),
    removedNotice: removed ? await removalNotice(db, trust.id, removed) : null,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { trust, user } = await requireTrustAccess(request, params.slug, "manageStructure");
  const submission = await parseForm(request, StructureSchema);
  const intent = submission.payload.intent;
  if (submission.status !== "success") return data({ ...invalid(submission).data, form: intent }, { status: 400 });
  const db = await getDb();
  const actor = actorOf(user);
  const value = submission.value;
  try {
    if (value.intent === "create-body") {
      const underKindColumn = !value.columnId;
      const body = await createBody(db, actor, {
        trustId: trust.id,
        kind: value.kind,
        name: value.name,
        shortName: value.shortName,
        mode: value.mode,
        purpose: value.purpose,
        parentId: value.parentId,
        columnId: value.columnId === "none" ? null : value.columnId,
        underKindColumn,
        chairName: value.chairName,
        remit: value.remit,
      });
      return { form: intent, result: submission.reply({ resetForm: true }), notice: `Added ${body.name}.`, added: { kind: "bodies", id: body.id, name: body.name } };
    }
    if (value.intent === "create-school") {
      const { intent: _, ...fields } = value;
      const school = await createSchool(db, actor, { trustId: trust.id, ...fields });
      return { form: intent, result: submission.reply({ resetForm: true }), notice: `Added ${school.name}.`, added: { kind: "schools", id: school.id, name: school.name } };
    }
    await moveBody(db, actor, { trustId: trust.id, id: value.id, direction: value.direction });
    return { form: intent, result: submission.reply(), notice: null, added: null };
  } catch (error) {
    const answer = refusal(submission, error);
    return data({ ...answer.data, form: intent }, { status: answer.init?.status ?? 400 });
  }
}

type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>;
type BodyView = LoaderData["bodies"][number];
type SchoolView = LoaderData["schools"][number];

function formatDate(value: string | null): string {
  if (!value) return "—";
  return new Date(`${value}T00:00:00Z`).toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
}

function modeLabel(mode: DecisionMode): string {
  return mode === "advisory" ? "Advises" : "Decides";
}

export default function Structure() {
  const { trust, canManage, bodies, schools, warnings, removedNotice } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const byId = new Map(bodies.map((b) => [b.id, b]));
  const base = `/trusts/${trust.slug}/structure`;
  const moveError = actionData?.form === "move-body" && actionData.result.error ? Object.values(actionData.result.error).flat() : [];
  const notice = actionData && "notice" in actionData ? actionData.notice : null;
  const added = actionData && "added" in actionData ? actionData.added : null;
  return (
    <div className="structure">
      <h1>Governance structure</h1>
      <p className="lede">Who the scheme can give decisions to: the columns of the matrix, the boards that answer under them, and the schools they cover.</p>
      <nav aria-label="On this page" className="structure-jump">
        <a href="#bodies">Governance bodies</a>
        <a href="#schools">Schools</a>
        {canManage ? <a href="#add-body-heading">Add a body</a> : null}
        {canManage ? <a href="#add-school-heading">Add a school</a> : null}
      </nav>
      {removedNotice ? (
        <p className="notice notice--success" role="status">
          {removedNotice}.
        </p>
      ) : null}
      {notice ? (
        <p className="notice notice--success" role="status">
          {notice}{" "}
          {added ? (
            <Link to={`${base}/${added.kind}/${added.id}`}>Open {added.name}</Link>
          ) : null}
        </p>
      ) : null}
      {moveError.length > 0 ? (
        <div className="form-error" role="alert">
          {moveError.map((m) => (
            <p key={m}>{m}</p>
          ))}
        </div>
      ) : null}

      <GovernanceChart title={`Governance structure of ${trust.name}`} bodies={bodies} schools={schools} />

      <h2 id="bodies">Governance bodies</h2>
      {bodies.length === 0 ? <p>No governance bodies yet.{canManage ? " Add the first one below." : ""}</p> : null}
      {BODY_KINDS.map((kind) => {
        const columns = bodies.filter((b) => b.kind === kind && b.columnId === null).sort(byPosition);
        if (columns.length === 0) return null;
        return (
          <section key={kind} aria-labelledby={`kind-${kind}`} className="structure-kind">
            <h3 id={`kind-${kind}`}>{BODY_KIND_LABELS[kind]}</h3>
            <BodyTable
              caption={`${BODY_KIND_LABELS[kind]}: matrix columns`}
              list={columns}
              byId={byId}
              base={base}
              canManage={canManage}
              showMode={kind === "cluster" || kind === "local"}
            />
            {columns.map((column) => {
              const boards = bodies.filter((b) => b.columnId === column.id).sort(byPosition);
              if (boards.length === 0) return null;
              return (
                <div key={column.id} className="structure-boards">
                  <h4 id={`boards-${column.id}`}>Boards answering under {column.name}</h4>
                  <BodyTable
                    caption={`Boards answering under ${column.name}`}
                    list={boards}
                    byId={byId}
                    base={base}
                    canManage={canManage}
                    showMode
                    schools={schools}
                  />
                </div>
              );
            })}
          </section>
        );
      })}

      <h2 id="schools">Schools</h2>
      {warnings.length > 0 ? (
        <div className="notice notice--warning" role="region" aria-labelledby="coverage-warnings">
          <h3 id="coverage-warnings">Check where these schools' boards sit</h3>
          <ul>
            {warnings.map((w) => (
              <li key={w.schoolId}>{w.message}</li>
            ))}
          </ul>
        </div>
      ) : null}
      {schools.length === 0 ? (
        <p>No schools yet.</p>
      ) : (
        <table className="data structure-schools">
          <caption className="visually-hidden">The trust's schools</caption>
          <thead>
            <tr>
              <th scope="col">URN</th>
              <th scope="col">School</th>
              <th scope="col">Phase</th>
              <th scope="col">Cluster</th>
              <th scope="col">Local board</th>
              <th scope="col">Joined</th>
            </tr>
          </thead>
          <tbody>
            {schools.map((s) => (
              <tr key={s.id}>
                <td>{s.urn}</td>
                <th scope="row">
                  <Link to={`${base}/schools/${s.id}`}>{s.name}</Link>
                </th>
                <td>{SCHOOL_PHASE_LABELS[s.phase]}</td>
                <td>{s.clusterBodyId ? byId.get(s.clusterBodyId)?.name : "—"}</td>
                <td>{s.localBodyId ? byId.get(s.localBodyId)?.name : "—"}</td>
                <td className="structure-date">{formatDate(s.joinedOn)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      {canManage ? (
        <>
          <AddBodyForm bodies={bodies} lastResult={actionData?.form === "create-body" ? actionData.result : undefined} />
          <AddSchoolForm bodies={bodies} lastResult={actionData?.form === "create-school" ? actionData.result : undefined} />
        </>
      ) : (
        <p className="muted">Only the trust's clerk can change the structure.</p>
      )}
    </div>
  );
}

function byPosition(a: BodyView, b: BodyView): number {
  return a.position - b.position || a.name.localeCompare(b.name);
}

function BodyTable({
  caption,
  list,
  byId,
  base,
  canManage,
  showMode,
  schools,
}: {
  caption: string;
  list: BodyView[];
  byId: Map<string, BodyView>;
  base: string;
  canManage: boolean;
  showMode: boolean;
  schools?: SchoolView[];
}) {
  return (
    <table className="data structure-bodies">
      <caption className="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Short heading</th>
          {showMode ? <th scope="col">Decides or advises</th> : null}
          <th scope="col">Chair</th>
          <th scope="col">Sits under</th>
          {schools ? <th scope="col">Schools it covers</th> : null}
          {canManage ? <th scope="col">Order</th> : null}
        </tr>
      </thead>
      <tbody>
        {list.map((b, i) => {
          const covered = schools?.filter((s) => s.clusterBodyId === b.id || s.localBodyId === b.id) ?? [];
          return (
            <tr key={b.id}>
              <th scope="row">
                <Link to={`${base}/bodies/${b.id}`}>{b.name}</Link>
              </th>
              <td>{b.shortName ?? "—"}</td>
              {showMode ? <td>{modeLabel(b.mode)}</td> : null}
              <td>{b.chairName ?? "—"}</td>
              <td>{b.parentId ? (byId.get(b.parentId)?.name ?? "—") : "—"}</td>
              {schools ? <td>{covered.length > 0 ? covered.map((s) => s.name).join(", ") : "None yet"}</td> : null}
              {canManage ? (
                <td className="structure-order">
                  <Form method="post" className="inline-form move-form">
                    <input type="hidden" name="intent" value="move-body" />
                    <input type="hidden" name="id" value={b.id} />
                    {i > 0 ? (
                      <button type="submit" name="direction" value="up" className="secondary">
                        Up<span className="visually-hidden">: move {b.name} up</span>
                      </button>
                    ) : null}
                    {i < list.length - 1 ? (
                      <button type="submit" name="direction" value="down" className="secondary">
                        Down<span className="visually-hidden">: move {b.name} down</span>
                      </button>
                    ) : null}
                  </Form>
                </td>
              ) : null}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

const kindOptions = [{ value: "", label: "Choose a kind" }, ...BODY_KINDS.map((k) => ({ value: k, label: BODY_KIND_LABELS[k] }))];

function AddBodyForm({ bodies, lastResult }: { bodies: BodyView[]; lastResult: SubmissionResult<string[]> | undefined }) {
  const [form, fields] = useForm({
    id: "add-body",
    lastResult,
    shouldRevalidate: "onBlur",
    defaultValue: { intent: "create-body", columnId: "", mode: "", purpose: "standing" },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: CreateBodySchema }),
  });
  const columns = bodies.filter((b) => b.columnId === null && (b.kind === "cluster" || b.kind === "local"));
  return (
    <section aria-labelledby="add-body-heading" className="structure-form">
      <h2 id="add-body-heading">Add a governance body</h2>
      <Form method="post" {...getFormProps(form)} className="stack">
        <FormError id={form.errorId} errors={form.errors} />
        <input type="hidden" name="intent" value="create-body" />
        <SelectField meta={fields.kind} label="Kind" options={kindOptions} />
        <Field meta={fields.name} label="Name" hint="As the scheme names it, e.g. Audit & Risk Committee, or Abbey Primary local governing body" />
        <Field meta={fields.shortName} label="Short heading (optional)" hint="For narrow matrix columns, e.g. ARC; up to 30 characters" />
        <SelectField
          meta={fields.columnId}
          label="Matrix column it answers under"
          hint="Real schemes have one column for every local board and one for every cluster. A cluster or local board answers under its column; any other body is a column of the matrix itself."
          options={[
            { value: "", label: "Cluster or local board: the trust's column of its kind (added if there is none)" },
            { value: "none", label: "None: it is a column of the matrix itself" },
            ...columns.map((c) => ({ value: c.id, label: `Under ${c.name}` })),
          ]}
        />
        <SelectField
          meta={fields.mode}
          label="Decides or advises"
          hint="Only cluster and local bodies can be advisory."
          options={[{ value: "", label: "As its column does (a column decides)" }, ...modeOptions]}
        />
        <SelectField meta={fields.purpose} label="Purpose" options={purposeOptions} />
        <SelectField
          meta={fields.parentId}
          label="Where it sits in the chart"
          hint="A committee under the board, a local board under its cluster."
          options={[{ value: "", label: "Nowhere in particular" }, ...bodies.map((b) => ({ value: b.id, label: `Under ${b.name}` }))]}
        />
        <Field meta={fields.chairName} label="Chair's name (optional)" />
        <TextAreaField meta={fields.remit} label="Remit (optional)" hint="What the body is for, in a sentence or two." />
        <div>
          <button type="submit">Add body</button>
        </div>
      </Form>
    </section>
  );
}

function AddSchoolForm({ bodies, lastResult }: { bodies: BodyView[]; lastResult: SubmissionResult<string[]> | undefined }) {
  const [form, fields] = useForm({
    id: "add-school",
    lastResult,
    shouldRevalidate: "onBlur",
    defaultValue: { intent: "create-school" },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: CreateSchoolSchema }),
  });
  return (
    <section aria-labelledby="add-school-heading" className="structure-form">
      <h2 id="add-school-heading">Add a school</h2>
      <Form method="post" {...getFormProps(form)} className="stack">
        <FormError id={form.errorId} errors={form.errors} />
        <input type="hidden" name="intent" value="create-school" />
        <SchoolFields fields={fields} boards={bodies} />
        <div>
          <button type="submit">Add school</button>
        </div>
      </Form>
    </section>
  );
}
