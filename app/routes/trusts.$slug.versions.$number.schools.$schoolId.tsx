/**
 * The effective scheme of one school in a version: the base scheme, then the variant of the school's
 * decided tier, then its own variations (statutory-locked rows never vary, EA-14). Every cell that
 * differs from the base is listed and explained in words, and the whole scheme is shown read-only
 * with the same markers as the matrix. Read by everyone in the trust; editors of a draft are sent to
 * the matrix to change the variations.
 */
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useMemo } from "react";
import { requireTrustAccess } from "~/auth.server";
import { MatrixGrid } from "~/components/matrix-grid";
import { variedCells, type VariedCell } from "~/components/matrix-layers";
import { getDb } from "~/db.server";
import { CODE_MEANINGS, type DecisionCode } from "~/domain/codes";
import type { MatrixView } from "~/domain/matrix-view";
import { can } from "~/domain/roles";
import { loadMatrixPage } from "~/models/matrix-page.server";
import matrixStyles from "~/styles/matrix.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: matrixStyles }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.school.name} · Effective scheme · Version ${data.version.number}` : "Scheme of delegation" },
];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { trust, role } = await requireTrustAccess(request, params.slug);
  if (!UUID.test(params.schoolId ?? "")) throw new Response("Not found", { status: 404 });
  const page = await loadMatrixPage(await getDb(), trust, params.number, { area: null, columnId: null }, { schoolId: params.schoolId! });
  if (!page || page.scope?.kind !== "school") throw new Response("Not found", { status: 404 });
  return {
    slug: trust.slug,
    version: { number: page.version.number, status: page.version.status },
    school: page.scope.school,
    decided: page.scope.decided,
    tierLabel: page.scope.tierLabel,
    matrix: page.matrix,
    editable: page.version.status === "draft" && can(role, "editDraft"),
    canExport: can(role, "export"),
  };
}

function formatDate(value: string): string {
  return new Date(value).toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
}

function codeWords(code: DecisionCode | null): string {
  return code ? `${code} (${CODE_MEANINGS[code].name.toLowerCase()})` : "no role";
}

/** Why a cell is as it is for this school, in words. */
function why(cell: VariedCell, tierLabel: string | null): string {
  if (cell.source === "tier") return `from the ${tierLabel ?? "tier"} variant`;
  if (cell.tierCode !== undefined) return `this school's own variation, in place of the ${tierLabel ?? "tier"} variant's ${codeWords(cell.tierCode)}`;
  return "this school's own variation";
}

export default function SchoolEffectiveScheme() {
  const data = useLoaderData<typeof loader>();
  const { slug, version, school, decided, tierLabel } = data;
  const view = useMemo(() => JSON.parse(data.matrix) as MatrixView, [data.matrix]);
  const varied = useMemo(() => variedCells(view), [view]);
  const matrix = `/trusts/${slug}/versions/${version.number}`;
  return (
    <>
      <p>
        <Link to={matrix}>
          Version {version.number} ({version.status})
        </Link>
      </p>
      <h1>{school.name}: its scheme of delegation</h1>
      <p className="lede">
        URN {school.urn}. What applies to this school in version {version.number}: the base scheme, then the variant of its autonomy tier,
        then its own variations. Statutory-locked rows are the same for every school (EA-14).
      </p>
      {data.canExport ? (
        <p>
          <a href={`${matrix}/schools/${school.id}/pack.docx`} download>
            Download {school.name}&apos;s pack
          </a>{" "}
          (Word): this scheme as a short document for the school&apos;s local board.
        </p>
      ) : null}
      <h2 id="tier">Autonomy tier</h2>
      {decided ? (
        <p>
          <b>{tierLabel}</b>, decided{decided.decidedBy ? ` by ${decided.decidedBy}` : ""} on {formatDate(decided.decidedOn)}, in effect from{" "}
          {formatDate(decided.effectiveFrom)}; next review by {formatDate(decided.nextReviewOn)}.
        </p>
      ) : (
        <p>No tier decided: the school follows the base scheme and its own variations.</p>
      )}
      {data.editable ? (
        <ul>
          <li>
            <Link to={`${matrix}?school=${school.id}`}>Change {school.name}&apos;s own variations in the matrix</Link>
          </li>
          {decided ? (
            <li>
              <Link to={`${matrix}?tier=${decided.tier}`}>Change the {tierLabel} variant</Link> (for every school in the tier)
            </li>
          ) : null}
        </ul>
      ) : null}
      <h2 id="differences">Where it differs from the base scheme</h2>
      {varied.length === 0 ? (
        <p>Nothing differs: this school follows the base scheme.</p>
      ) : (
        <table className="data" aria-labelledby="differences">
          <thead>
            <tr>
              <th scope="col">Responsibility</th>
              <th scope="col">Body</th>
              <th scope="col">Base scheme</th>
              <th scope="col">For this school</th>
              <th scope="col">Why</th>
            </tr>
          </thead>
          <tbody>
            {varied.map((cell) => (
              <tr key={`${cell.rowId}:${cell.column}`}>
                <th scope="row">
                  <b>{cell.ref}</b> {cell.title}
                </th>
                <td>{cell.column}</td>
                <td>{codeWords(cell.base)}</td>
                <td>{codeWords(cell.code)}</td>
                <td>
                  <span className={`variant-mark variant-mark--${cell.source}`} aria-hidden="true" /> {why(cell, tierLabel)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2 id="whole">The whole scheme for {school.name}</h2>
      <ul className="variant-key">
        {tierLabel ? (
          <li>
            <span className="variant-mark variant-mark--tier" aria-hidden="true" /> from the {tierLabel} variant
          </li>
        ) : null}
        <li>
          <span className="variant-mark variant-mark--school" aria-hidden="true" /> this school&apos;s own variation
        </li>
      </ul>
      <MatrixGrid view={view} editable={false} saveUrl="" rowEditBase="" readOnlyStatus={`${school.name}'s effective scheme, read-only.`} />
    </>
  );
}
