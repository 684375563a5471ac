/**
 * Renumbering refs so they follow the order of the rows (1.1, 1.2…): one area or areas 1–12. The
 * changes are shown first; confirming applies exactly those, or is refused if the catalogue moved on.
 */
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, type ShouldRevalidateFunction } from "@remix-run/react";
import { z } from "zod";
import { actorOf, requireTrustAccess } from "~/auth.server";
import { FormError } from "~/components/forms";
import { getDb } from "~/db.server";
import { AREAS, areaName } from "~/domain/areas";
import { RuleError } from "~/domain/errors";
import { invalid, parseForm, refusal } from "~/forms.server";
import { previewRenumber, renumberCatalogue } from "~/models/catalogue.server";
import catalogueStyles from "~/styles/catalogue.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: catalogueStyles }];

export const meta: MetaFunction = () => [{ title: "Renumber the refs · Scheme of delegation" }];

/** A refusal because the catalogue moved on shows the new preview. */
export const shouldRevalidate: ShouldRevalidateFunction = ({ actionStatus, defaultShouldRevalidate }) =>
  actionStatus === 409 || defaultShouldRevalidate;

const ALL = "all";
const scopeField = z.enum([ALL, ...AREAS.map((a) => String(a.number))], { error: "Choose an area, or all areas" });

const RenumberSchema = z.object({
  scope: scopeField,
  fingerprint: z.string({ error: "Look at the changes before renumbering" }).regex(/^[0-9a-f]{64}$/, "Look at the changes before renumbering"),
});

const areaOf = (scope: string) => (scope === ALL ? null : Number(scope));

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { trust } = await requireTrustAccess(request, params.slug, "editDraft");
  const asked = scopeField.safeParse(new URL(request.url).searchParams.get("scope") ?? ALL);
  const scope = asked.success ? asked.data : ALL;
  try {
    const preview = await previewRenumber(await getDb(), trust.id, areaOf(scope));
    return {
      slug: trust.slug,
      scope,
      problem: null,
      renamed: preview.changes
        .filter((c) => c.fromRef !== c.toRef)
        .map((c) => ({ id: c.id, title: c.title, area: areaName(c.area), fromRef: c.fromRef, toRef: c.toRef })),
      clashes: preview.clashes.map((c) => ({ id: c.id, ref: c.ref, title: c.title, area: areaName(c.area) })),
      unclassified: preview.unclassified,
      fingerprint: preview.fingerprint,
    };
  } catch (error) {
    if (!(error instanceof RuleError)) throw error;
    return { slug: trust.slug, scope, problem: error.message, renamed: [], clashes: [], unclassified: 0, fingerprint: "" };
  }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { trust, user } = await requireTrustAccess(request, params.slug, "editDraft");
  const submission = await parseForm(request, RenumberSchema);
  if (submission.status !== "success") return invalid(submission);
  try {
    const { changed } = await renumberCatalogue(await getDb(), actorOf(user), {
      trustId: trust.id,
      area: areaOf(submission.value.scope),
      fingerprint: submission.value.fingerprint,
    });
    return redirect(`/trusts/${trust.slug}/catalogue?renumbered=${changed}`);
  } catch (error) {
    return refusal(submission, error);
  }
}

export default function Renumber() {
  const { slug, scope, problem, renamed, clashes, unclassified, fingerprint } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errors = Object.values(actionData?.result?.error ?? {})
    .flat()
    .filter((e): e is string => typeof e === "string");
  const scopeName = scope === ALL ? "areas 1 to 12" : areaName(Number(scope));
  return (
    <>
      <p>
        <Link to={`/trusts/${slug}/catalogue`}>Back to the responsibilities</Link>
      </p>
      <h1>Renumber the refs</h1>
      <p className="lede">Refs become the area’s number and the row’s place in it: the third row of area 4 becomes 4.3. The order of the rows does not change.</p>
      <div className="warning-box">
        <p>
          Imports from a spreadsheet find rows by their ref. A spreadsheet exported before renumbering will no longer match: export the matrix again
          afterwards, and tell anyone who refers to rows by number.
        </p>
      </div>
      <Form method="get" className="inline-form">
        <label htmlFor="scope">Renumber</label>
        <select id="scope" name="scope" defaultValue={scope}>
          <option value={ALL}>All areas (1 to 12)</option>
          {AREAS.map((a) => (
            <option key={a.number} value={String(a.number)}>
              {a.number}. {a.name}
            </option>
          ))}
        </select>
        <button type="submit" className="secondary">
          Show the changes
        </button>
      </Form>
      <FormError id="renumber-error" errors={errors.length > 0 ? errors : problem ? [problem] : null} />
      {scope === ALL && unclassified > 0 ? (
        <p className="muted">
          {unclassified === 1 ? "One unclassified row keeps its ref" : `${unclassified} unclassified rows keep their refs`} until it is given one of the 12
          areas.
        </p>
      ) : null}
      {clashes.length > 0 ? (
        <div className="form-error" role="alert">
          <p>These rows outside {scopeName} already hold refs the renumbering needs. Change their refs first:</p>
          <ul>
            {clashes.map((c) => (
              <li key={c.id}>
                <Link to={`/trusts/${slug}/catalogue/${c.id}`}>
                  {c.ref} {c.title}
                </Link>{" "}
                ({c.area})
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {renamed.length === 0 ? (
        problem ? null : <p>The refs in {scopeName} already follow the order of the rows. There is nothing to renumber.</p>
      ) : (
        <>
          <table className="data">
            <caption>
              {renamed.length === 1 ? "One ref changes" : `${renamed.length} refs change`} in {scopeName}
            </caption>
            <thead>
              <tr>
                <th scope="col">Responsibility</th>
                <th scope="col">Area</th>
                <th scope="col">Ref now</th>
                <th scope="col">New ref</th>
              </tr>
            </thead>
            <tbody>
              {renamed.map((c) => (
                <tr key={c.id}>
                  <th scope="row">{c.title}</th>
                  <td>{c.area}</td>
                  <td className="ref-change">{c.fromRef}</td>
                  <td className="ref-change">{c.toRef}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {clashes.length === 0 ? (
            <Form method="post" className="form-buttons">
              <input type="hidden" name="scope" value={scope} />
              <input type="hidden" name="fingerprint" value={fingerprint} />
              <button type="submit">
                Renumber {renamed.length === 1 ? "this ref" : `these ${renamed.length} refs`}
              </button>
              <Link to={`/trusts/${slug}/catalogue`}>Cancel</Link>
            </Form>
          ) : null}
        </>
      )}
    </>
  );
}
