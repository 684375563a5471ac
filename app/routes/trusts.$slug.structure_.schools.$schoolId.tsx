/**
 * One school: its details, cluster and local board, and, for the clerk, editing them and removing
 * the school. Removal asks first (?remove) and says what goes with the school.
 */
import { getFormProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { data, redirect, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { LARGEST_VERSION } from "~/domain/record-versions";
import { actorOf, requireTrustAccess } from "~/auth.server";
import { FormError } from "~/components/forms";
import { schoolDetails, SchoolFields } from "~/components/structure-forms";
import { getDb } from "~/db.server";
import { RuleError, StaleWriteError } from "~/domain/errors";
import { can } from "~/domain/roles";
import { SCHOOL_PHASE_LABELS, type BodyKind, type SchoolPhase } from "~/domain/structure";
import { invalid, parseForm, refusal } from "~/forms.server";
import { planSchoolRemoval, removeSchool, schoolRemovalBlocked, type SchoolRemovalPlan } from "~/models/structure-removal.server";
import { coverageWarnings, getSchool, listBodies, updateSchool, type School } from "~/models/structure.server";
import structureStyles from "~/styles/structure.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: structureStyles }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.school.name} · Governance structure · Scheme of delegation` : "Scheme of delegation" },
];

const OUT_OF_DATE = "This form is out of date: open the page again";
const version = z.number({ error: OUT_OF_DATE }).int().min(1).max(LARGEST_VERSION, OUT_OF_DATE);
const UpdateSchema = z.object({ intent: z.literal("update"), version, ...schoolDetails });
const RemoveSchema = z.object({ intent: z.literal("remove"), version, planKey: z.string({ error: "Open the removal page again" }).max(100) });
const SchoolSchema = z.discriminatedUnion("intent", [UpdateSchema, RemoveSchema], { error: "Use the buttons on this page." });

type Intent = z.infer<typeof SchoolSchema>["intent"];
type Db = Awaited<ReturnType<typeof getDb>>;

async function schoolOf(request: Request, slug: string | undefined, schoolId: string | undefined, permission: "read" | "manageStructure") {
  const access = await requireTrustAccess(request, slug, permission);
  const db = await getDb();
  const school = await getSchool(db, access.trust.id, schoolId ?? "");
  if (!school) throw new Response("Not found", { status: 404, statusText: "Not Found" });
  return { ...access, db, school };
}

async function pageData(db: Db, trust: { id: string; slug: string }, school: School, canManage: boolean, removal: SchoolRemovalPlan | null) {
  const bodies = await listBodies(db, trust.id);
  return {
    slug: trust.slug,
    canManage,
    school: {
      id: school.id,
      urn: school.urn,
      name: school.name,
      phase: school.phase as SchoolPhase,
      postcode: school.postcode,
      localAuthority: school.localAuthority,
      easting: school.easting,
      northing: school.northing,
      joinedOn: school.joinedOn,
      headteacherName: school.headteacherName,
      clusterBodyId: school.clusterBodyId,
      localBodyId: school.localBodyId,
      version: school.version,
    },
    boards: bodies
      .filter((b) => b.columnId !== null && (b.kind === "cluster" || b.kind === "local"))
      .map((b) => ({ id: b.id, kind: b.kind as BodyKind, name: b.name, columnId: b.columnId })),
    warnings: coverageWarnings(bodies, [school]),
    removal: removal ? { ...removal, blocked: schoolRemovalBlocked(removal) } : null,
  };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { trust, role, db, school } = await schoolOf(request, params.slug, params.schoolId, "read");
  const canManage = can(role, "manageStructure");
  const removal = canManage && new URL(request.url).searchParams.has("remove") ? await planSchoolRemoval(db, trust.id, school.id) : null;
  return pageData(db, trust, school, canManage, removal);
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { trust, user, db, school } = await schoolOf(request, params.slug, params.schoolId, "manageStructure");
  const submission = await parseForm(request, SchoolSchema);
  const form = submission.payload.intent as Intent;
  if (submission.status !== "success") return data({ ...invalid(submission).data, form }, { status: 400 });
  const actor = actorOf(user);
  const value = submission.value;
  try {
    if (value.intent === "update") {
      const { intent: _, version: expectedVersion, ...fields } = value;
      const saved = await updateSchool(db, actor, { trustId: trust.id, id: school.id, expectedVersion, ...fields });
      return { form, result: submission.reply(), notice: `Saved the details of ${saved.name}.` };
    }
    await removeSchool(db, actor, { trustId: trust.id, id: school.id, expectedVersion: value.version, planKey: value.planKey });
    return redirect(`/trusts/${trust.slug}/structure?removed=${school.id}`);
  } catch (error) {
    // A stale save, or a removal that cannot go ahead as shown, is answered with the page as it now stands.
    if (error instanceof StaleWriteError || (form === "remove" && error instanceof RuleError)) {
      const latest = await getSchool(db, trust.id, school.id);
      if (!latest) throw new Response("Not found", { status: 404, statusText: "Not Found" });
      const removal = form === "remove" ? await planSchoolRemoval(db, trust.id, school.id) : null;
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

interface Answer {
  form?: Intent;
  result?: SubmissionResult<string[]>;
  notice?: string;
  stale?: string;
  page?: Page;
}

function formatDate(value: string | null): string {
  if (!value) return "—";
  return new Date(`${value}T00:00:00Z`).toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

export default function SchoolPage() {
  const loaded = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as Answer | undefined;
  const page = actionData?.page ?? loaded;
  const { slug, canManage, school, boards, warnings, removal } = page;
  const base = `/trusts/${slug}/structure`;
  const here = `${base}/schools/${school.id}`;
  const boardName = (id: string | null) => (id ? (boards.find((b) => b.id === id)?.name ?? "—") : "—");
  const result = (intent: Intent) => (actionData?.form === intent ? actionData.result : undefined);
  const removeErrors = Object.values(result("remove")?.error ?? {}).flatMap((e) => e ?? []);
  return (
    <div className="structure">
      <p className="structure-back">
        <Link to={base}>Governance structure</Link>
      </p>
      <h1>{school.name}</h1>
      <p className="lede">
        URN {school.urn}, {SCHOOL_PHASE_LABELS[school.phase].toLowerCase()}
      </p>
      {actionData?.notice ? (
        <p className="notice notice--success" role="status">
          {actionData.notice}
        </p>
      ) : null}
      {actionData?.stale ? (
        <div className="form-error" role="alert">
          <p>{actionData.stale}</p>
        </div>
      ) : null}
      {warnings.length > 0 ? (
        <div className="notice notice--warning" role="region" aria-label="Where the school's boards sit">
          {warnings.map((w) => (
            <p key={w.localBodyId}>{w.message}</p>
          ))}
        </div>
      ) : null}

      {removal ? (
        <section className="structure-removal" aria-labelledby="remove-heading">
          <h2 id="remove-heading">Remove {school.name}?</h2>
          {removeErrors.length > 0 ? (
            <div className="form-error" role="alert">
              {removeErrors.map((e) => (
                <p key={e}>{e}</p>
              ))}
            </div>
          ) : null}
          {removal.blocked ? (
            <>
              <p>{removal.blocked}</p>
              <p>
                <Link to={here}>Back to {school.name}</Link>
              </p>
            </>
          ) : (
            <>
              <p>Removing it takes with it:</p>
              <ul>
                <li>
                  {removal.draft && removal.variations.length > 0
                    ? `its ${plural(removal.variations.length, "own variation")} in draft version ${removal.draft.number}: ${removal.variations.map((v) => `${v.ref} (${v.column})`).join(", ")}`
                    : "no variations of the draft scheme"}
                </li>
                <li>{removal.performanceRecords > 0 ? `its ${plural(removal.performanceRecords, "performance record")}` : "no performance records"}</li>
                {removal.tierDecisions > 0 ? <li>its {plural(removal.tierDecisions, "recorded autonomy-tier decision")}</li> : null}
                {removal.reviews > 0 ? <li>its {plural(removal.reviews, "performance review")}</li> : null}
              </ul>
              <p>Approved versions of the scheme keep it in their record.</p>
              <Form method="post" className="inline-form">
                <input type="hidden" name="intent" value="remove" />
                <input type="hidden" name="version" value={removal.school.version} />
                <input type="hidden" name="planKey" value={removal.key} />
                <button type="submit" className="danger">
                  Remove {school.name}
                </button>
                <Link to={here}>Cancel</Link>
              </Form>
            </>
          )}
        </section>
      ) : null}

      <h2>Details</h2>
      <dl className="structure-details">
        <dt>URN</dt>
        <dd>{school.urn}</dd>
        <dt>Phase</dt>
        <dd>{SCHOOL_PHASE_LABELS[school.phase]}</dd>
        <dt>Cluster</dt>
        <dd>{school.clusterBodyId ? <Link to={`${base}/bodies/${school.clusterBodyId}`}>{boardName(school.clusterBodyId)}</Link> : "None"}</dd>
        <dt>Local board</dt>
        <dd>{school.localBodyId ? <Link to={`${base}/bodies/${school.localBodyId}`}>{boardName(school.localBodyId)}</Link> : "None"}</dd>
        <dt>Joined the trust</dt>
        <dd>{formatDate(school.joinedOn)}</dd>
        <dt>Headteacher</dt>
        <dd>{school.headteacherName ?? "—"}</dd>
        <dt>Postcode</dt>
        <dd>{school.postcode ?? "—"}</dd>
        <dt>Local authority</dt>
        <dd>{school.localAuthority ?? "—"}</dd>
        <dt>Grid reference</dt>
        <dd>{school.easting !== null && school.northing !== null ? `${school.easting} E, ${school.northing} N` : "—"}</dd>
      </dl>

      {canManage && !removal ? (
        <>
          <EditForm key={school.version} page={page} lastResult={actionData?.stale ? undefined : result("update")} />
          <h2>Remove</h2>
          <p>You will be asked to confirm, and told what goes with the school, first.</p>
          <p>
            <Link to={`${here}?remove`} className="button-link">
              Remove {school.name}…
            </Link>
          </p>
        </>
      ) : null}
    </div>
  );
}

function EditForm({ page, lastResult }: { page: Page; lastResult: SubmissionResult<string[]> | undefined }) {
  const { school } = page;
  const [form, fields] = useForm({
    id: "edit-school",
    lastResult,
    shouldRevalidate: "onBlur",
    defaultValue: {
      intent: "update",
      version: school.version,
      urn: school.urn,
      name: school.name,
      phase: school.phase,
      postcode: school.postcode ?? "",
      localAuthority: school.localAuthority ?? "",
      easting: school.easting ?? "",
      northing: school.northing ?? "",
      joinedOn: school.joinedOn ?? "",
      headteacherName: school.headteacherName ?? "",
      clusterBodyId: school.clusterBodyId ?? "",
      localBodyId: school.localBodyId ?? "",
    },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: UpdateSchema }),
  });
  return (
    <section aria-labelledby="edit-heading" className="structure-form">
      <h2 id="edit-heading">Change the details</h2>
      <Form method="post" {...getFormProps(form)} className="stack">
        <FormError id={form.errorId} errors={form.errors} />
        <input type="hidden" name="intent" value="update" />
        <input type="hidden" name="version" value={school.version} />
        <SchoolFields fields={fields} boards={page.boards} />
        <div>
          <button type="submit">Save changes</button>
        </div>
      </Form>
    </section>
  );
}
