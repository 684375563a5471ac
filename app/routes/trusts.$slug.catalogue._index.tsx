/**
 * The trust's responsibility catalogue: every live row by research area, with its constraint in
 * words, and the retired rows. Editors move rows up and down and restore retired ones here.
 */
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { LARGEST_VERSION } from "~/domain/record-versions";
import { actorOf, requireTrustAccess } from "~/auth.server";
import { FormError } from "~/components/forms";
import { getDb } from "~/db.server";
import { AREAS, UNCLASSIFIED_AREA, areaName } from "~/domain/areas";
import { constraintLockReason, constraintWords, tagLabel } from "~/domain/catalogue-refs";
import { can } from "~/domain/roles";
import type { BodyKind } from "~/domain/structure";
import { invalid, parseForm, refusal } from "~/forms.server";
import { listCatalogue, moveResponsibility, restoreResponsibility, type Responsibility } from "~/models/catalogue.server";
import { findDraft } from "~/models/scheme.server";
import catalogueStyles from "~/styles/catalogue.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: catalogueStyles }];

export const meta: MetaFunction = () => [{ title: "Responsibilities · Scheme of delegation" }];

function shown(r: Responsibility) {
  const row = { ...r, decisionKinds: r.decisionKinds as BodyKind[] | null, excludedKinds: r.excludedKinds as BodyKind[] | null };
  return {
    id: r.id,
    ref: r.ref,
    area: r.area,
    title: r.title,
    guidance: r.guidance,
    section: r.section,
    tags: r.tags.map(tagLabel),
    constraint: constraintWords(row),
    statutory: constraintLockReason(row) !== null,
    version: r.version,
  };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { trust, role } = await requireTrustAccess(request, params.slug);
  const db = await getDb();
  const [{ live, retired }, draft] = [await listCatalogue(db, trust.id), await findDraft(db, trust.id)];
  const rows = live.map(shown);
  const areas = [...AREAS.map((a) => a.number), UNCLASSIFIED_AREA]
    .map((number) => ({ number, name: areaName(number), rows: rows.filter((r) => r.area === number) }))
    .filter((a) => a.number !== UNCLASSIFIED_AREA || a.rows.length > 0);
  const url = new URL(request.url);
  const noticeAbout = url.searchParams.get("saved") ?? url.searchParams.get("restored");
  const about = noticeAbout ? live.find((r) => r.id === noticeAbout) : undefined;
  const retiredNow = url.searchParams.get("retired");
  const gone = retiredNow ? retired.find((r) => r.id === retiredNow) : undefined;
  return {
    slug: trust.slug,
    canEdit: can(role, "editDraft"),
    draft: draft ? { number: draft.number } : null,
    total: rows.length,
    areas,
    retired: retired.map((r) => ({ id: r.id, ref: r.ref, title: r.title, area: areaName(r.area), retiredOn: r.retiredAt!.toISOString().slice(0, 10), version: r.version })),
    notice: about
      ? `${url.searchParams.has("restored") ? "Restored" : "Saved"} ${about.ref} “${about.title}”.`
      : gone
        ? `Retired ${gone.ref} “${gone.title}”. It is listed under Retired rows, where it can be restored.`
        : url.searchParams.has("renumbered")
          ? `Renumbered ${Number(url.searchParams.get("renumbered"))} refs.`
          : null,
  };
}

const ListSchema = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("move"),
    id: z.uuid("Unknown responsibility"),
    version: z.number({ error: "The form was incomplete" }).int().min(1).max(LARGEST_VERSION, "The form is out of date; open the page again"),
    direction: z.enum(["up", "down"], { error: "Choose up or down" }),
  }),
  z.object({
    intent: z.literal("restore"),
    id: z.uuid("Unknown responsibility"),
    version: z.number({ error: "The form was incomplete" }).int().min(1).max(LARGEST_VERSION, "The form is out of date; open the page again"),
  }),
], { error: "Use the buttons on this page." });

export async function action({ request, params }: ActionFunctionArgs) {
  const { trust, user } = await requireTrustAccess(request, params.slug, "editDraft");
  const submission = await parseForm(request, ListSchema);
  if (submission.status !== "success") return invalid(submission);
  const db = await getDb();
  const value = submission.value;
  const base = `/trusts/${trust.slug}/catalogue`;
  try {
    if (value.intent === "move") {
      await moveResponsibility(db, actorOf(user), { trustId: trust.id, id: value.id, expectedVersion: value.version, direction: value.direction });
      return redirect(`${base}#row-${value.id}`);
    }
    const { previousRef } = await restoreResponsibility(db, actorOf(user), { trustId: trust.id, id: value.id, expectedVersion: value.version });
    return redirect(`${base}?restored=${value.id}${previousRef ? `&previousRef=${encodeURIComponent(previousRef)}` : ""}#row-${value.id}`);
  } catch (error) {
    return refusal(submission, error);
  }
}

export default function Catalogue() {
  const { slug, canEdit, draft, total, areas, retired, notice } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [search] = useSearchParams();
  const previousRef = search.get("previousRef");
  const errors = Object.values(actionData?.result?.error ?? {})
    .flat()
    .filter((e): e is string => typeof e === "string");
  const base = `/trusts/${slug}/catalogue`;
  return (
    <>
      <h1>Responsibilities</h1>
      <p className="lede">
        The {total} rows of the trust’s scheme, grouped by the 12 areas of the operating model. Each row says what is decided and, where the law or the
        trust fixes it, who may decide.
      </p>
      <p className="muted">
        {draft
          ? `Changes here apply to draft version ${draft.number} at once. Approved versions keep their rows as they were approved.`
          : "Changes here apply to the next draft. Approved versions keep their rows as they were approved."}
      </p>
      {notice ? (
        <p className="notice notice--success" role="status">
          {notice}
          {previousRef ? ` Its old ref ${previousRef} is now used by another row, so it has the next number in its area.` : null}
        </p>
      ) : null}
      <FormError id="catalogue-error" errors={errors.length > 0 ? errors : null} />
      {canEdit ? (
        <p className="catalogue-actions">
          <Link to={`${base}/new`} className="button">
            Add a responsibility
          </Link>
          <Link to={`${base}/renumber`}>Renumber the refs</Link>
        </p>
      ) : null}
      <nav aria-label="Areas" className="catalogue-areas">
        <ul>
          {areas.map((a) => (
            <li key={a.number}>
              <a href={`#area-${a.number}`}>
                {a.number === UNCLASSIFIED_AREA ? a.name : `${a.number}. ${a.name}`} ({a.rows.length})
              </a>
            </li>
          ))}
          {retired.length > 0 ? (
            <li>
              <a href="#retired">Retired rows ({retired.length})</a>
            </li>
          ) : null}
        </ul>
      </nav>
      {areas.map((area) => (
        <section key={area.number} aria-labelledby={`area-${area.number}`} className="catalogue-area">
          <h2 id={`area-${area.number}`}>{area.number === UNCLASSIFIED_AREA ? area.name : `${area.number}. ${area.name}`}</h2>
          {area.number === UNCLASSIFIED_AREA ? (
            <p className="muted">Imported sections not yet matched to one of the 12 areas. Edit each row to choose its area.</p>
          ) : null}
          {area.rows.length === 0 ? (
            <p className="muted">No responsibilities in this area yet.</p>
          ) : (
            <table className="data catalogue-table">
              <caption className="visually-hidden">Responsibilities in {area.name}</caption>
              <thead>
                <tr>
                  <th scope="col">Ref</th>
                  <th scope="col">Responsibility</th>
                  <th scope="col">Tags</th>
                  <th scope="col">Who may hold it</th>
                  {canEdit ? <th scope="col">Change</th> : null}
                </tr>
              </thead>
              <tbody>
                {area.rows.map((row, i) => (
                  <tr key={row.id} id={`row-${row.id}`}>
                    <th scope="row" className="catalogue-ref">
                      {row.ref}
                    </th>
                    <td>
                      <span className="catalogue-title">{row.title}</span>
                      {row.section ? <span className="catalogue-section">Trust’s section: {row.section}</span> : null}
                      {row.guidance ? (
                        <details className="catalogue-guidance">
                          <summary>
                            Guidance<span className="visually-hidden"> on {row.ref}</span>
                          </summary>
                          <p>{row.guidance}</p>
                        </details>
                      ) : null}
                    </td>
                    <td>
                      {row.tags.length > 0 ? (
                        <ul className="catalogue-tags">
                          {row.tags.map((t) => (
                            <li key={t}>{t}</li>
                          ))}
                        </ul>
                      ) : null}
                    </td>
                    <td>
                      <ul className="catalogue-constraint">
                        {row.constraint.map((words) => (
                          <li key={words}>{words}</li>
                        ))}
                      </ul>
                      {row.statutory ? <span className="catalogue-lock">Statutory</span> : null}
                    </td>
                    {canEdit ? (
                      <td className="catalogue-change">
                        <Link to={`${base}/${row.id}`}>
                          Edit<span className="visually-hidden"> {row.ref}</span>
                        </Link>
                        {i > 0 ? <MoveButton slug={slug} row={row} direction="up" /> : null}
                        {i < area.rows.length - 1 ? <MoveButton slug={slug} row={row} direction="down" /> : null}
                        <Link to={`${base}/${row.id}/retire`}>
                          Retire<span className="visually-hidden"> {row.ref}</span>
                        </Link>
                      </td>
                    ) : null}
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {canEdit ? (
            <p>
              <Link to={`${base}/new?area=${area.number}`}>
                Add a row to {area.number === UNCLASSIFIED_AREA ? "the unclassified rows" : area.name}
              </Link>
            </p>
          ) : null}
        </section>
      ))}
      <section aria-labelledby="retired" className="catalogue-area">
        <h2 id="retired">Retired rows</h2>
        <p className="muted">
          Retired rows are out of the draft but stay in every approved version that named them. Restoring one brings it back at the end of its area, with
          no cells in the draft.
        </p>
        {retired.length === 0 ? (
          <p className="muted">No rows are retired.</p>
        ) : (
          <table className="data">
            <caption className="visually-hidden">Retired rows</caption>
            <thead>
              <tr>
                <th scope="col">Ref</th>
                <th scope="col">Responsibility</th>
                <th scope="col">Area</th>
                <th scope="col">Retired on</th>
                {canEdit ? <th scope="col">Restore</th> : null}
              </tr>
            </thead>
            <tbody>
              {retired.map((row) => (
                <tr key={row.id}>
                  <th scope="row">{row.ref}</th>
                  <td>{row.title}</td>
                  <td>{row.area}</td>
                  <td>{row.retiredOn}</td>
                  {canEdit ? (
                    <td>
                      <Form method="post" action={`${base}?index`} className="inline-form">
                        <input type="hidden" name="intent" value="restore" />
                        <input type="hidden" name="id" value={row.id} />
                        <input type="hidden" name="version" value={row.version} />
                        <button type="submit" className="secondary">
                          Restore<span className="visually-hidden"> {row.ref}</span>
                        </button>
                      </Form>
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}

function MoveButton({ slug, row, direction }: { slug: string; row: { id: string; ref: string; version: number }; direction: "up" | "down" }) {
  return (
    <Form method="post" action={`/trusts/${slug}/catalogue?index`} className="inline-form" preventScrollReset>
      <input type="hidden" name="intent" value="move" />
      <input type="hidden" name="id" value={row.id} />
      <input type="hidden" name="version" value={row.version} />
      <input type="hidden" name="direction" value={direction} />
      <button type="submit" className="secondary catalogue-move">
        {direction === "up" ? "Up" : "Down"}
        <span className="visually-hidden"> move {row.ref} {direction}</span>
      </button>
    </Form>
  );
}
