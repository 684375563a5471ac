import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { NavLink, Outlet, useLoaderData } from "@remix-run/react";
import { requireTrustAccess } from "~/auth.server";
import { can, ROLE_LABELS } from "~/domain/roles";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { trust, role } = await requireTrustAccess(request, params.slug);
  return {
    trust: { name: trust.name, slug: trust.slug },
    role,
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.trust.name} · Scheme of delegation` : "Scheme of delegation" }];

export default function TrustLayout() {
  const { trust, role } = useLoaderData<typeof loader>();
  const base = `/trusts/${trust.slug}`;
  return (
    <>
      <p className="trust-title">
        <strong>{trust.name}</strong> <span className="role-badge">{ROLE_LABELS[role]}</span>
      </p>
      <nav className="trust-nav" aria-label="Trust">
        <ul>
          <li>
            <NavLink to={base} end>
              Overview
            </NavLink>
          </li>
          <li>
            <NavLink to={`${base}/scheme`}>Scheme</NavLink>
          </li>
          <li>
            <NavLink to={`${base}/strategy`}>Strategy</NavLink>
          </li>
          <li>
            <NavLink to={`${base}/structure`}>Structure</NavLink>
          </li>
          <li>
            <NavLink to={`${base}/schools`}>Schools</NavLink>
          </li>
          {can(role, "reviewBreakPoints") ? (
            <li>
              <NavLink to={`${base}/break-points`}>Break points</NavLink>
            </li>
          ) : null}
          <li>
            <NavLink to={`${base}/catalogue`}>Responsibilities</NavLink>
          </li>
          <li>
            <NavLink to={`${base}/import`}>Import</NavLink>
          </li>
          <li>
            <NavLink to={`${base}/people`}>People</NavLink>
          </li>
          <li>
            <NavLink to={`${base}/history`}>History</NavLink>
          </li>
          <li>
            <NavLink to={`${base}/settings`}>Settings</NavLink>
          </li>
        </ul>
      </nav>
      <Outlet />
    </>
  );
}
