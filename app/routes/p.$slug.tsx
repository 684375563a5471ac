/**
 * The trust's published scheme of delegation, for anyone: no sign-in, and nothing of whoever is
 * signed in (the root leaves the person out on /p/ pages, and the page shows no navigation of the
 * app). Only the version the clerk published is here; an unknown trust, and a trust that publishes
 * nothing, answer the same 404. The address never changes, so the trust's website can link to it.
 *
 * Caching: like every page, it is sent with Cache-Control: no-store (entry.server). That is right
 * here too: when the clerk withdraws the page or publishes another version, a copy kept by a browser
 * or a proxy would go on showing a scheme the trust no longer publishes, and the page costs little to make.
 */
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { PublicScheme } from "~/components/public-scheme";
import { getDb } from "~/db.server";
import { publicPath } from "~/domain/public-scheme";
import { findPublishedBySlug, loadPublicScheme } from "~/models/publication.server";
import { SLUG_PATTERN } from "~/models/trust.server";
import publicStyles from "~/styles/public-scheme.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: publicStyles }];

/** Read by the root: a public page shows neither the app's header nor anything of the person signed in. */
export const handle = { publicPage: true };

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  data
    ? [
        { title: `Scheme of delegation · ${data.view.trustName}` },
        { name: "description", content: `The scheme of delegation of ${data.view.trustName}: who decides what, version ${data.view.version.number}.` },
      ]
    : [{ title: "Page not found" }];

export async function loader({ params }: LoaderFunctionArgs) {
  const slug = params.slug ?? "";
  const db = await getDb();
  const published = SLUG_PATTERN.test(slug) ? await findPublishedBySlug(db, slug) : null;
  if (!published) throw new Response("Not found", { status: 404, statusText: "Not Found" });
  return { wordHref: `${publicPath(published.trust.slug)}.docx`, view: await loadPublicScheme(db, published.trust, published.versionId) };
}

export default function PublishedScheme() {
  const { view, wordHref } = useLoaderData<typeof loader>();
  return <PublicScheme view={view} wordHref={wordHref} />;
}
