import type { LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import {
  Form,
  isRouteErrorResponse,
  Link,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useMatches,
  useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import { useEffect, type ReactNode } from "react";
import { getUser } from "./auth.server";
import { useNonce } from "./components/nonce";
import styles from "./styles/app.css";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: styles },
  { rel: "icon", href: "/favicon.ico" },
];

export async function loader({ request }: LoaderFunctionArgs) {
  // A published scheme (/p/…) is the same page for everyone: it carries nothing of whoever is signed in.
  if (new URL(request.url).pathname.startsWith("/p/")) return { user: null };
  const user = await getUser(request);
  return { user: user ? { name: user.name, email: user.email, isSiteAdmin: user.isSiteAdmin } : null };
}

function SiteHeader() {
  const data = useRouteLoaderData<typeof loader>("root");
  const user = data?.user;
  return (
    <header className="site-header">
      <div className="site-header__inner">
        <Link to={user ? "/trusts" : "/"} className="site-header__brand">
          Scheme of delegation
        </Link>
        {user ? (
          <nav aria-label="Account" className="site-header__account">
            <Link to="/account">{user.name}</Link>
            <Form method="post" action="/sign-out">
              <button type="submit" className="button-link">
                Sign out
              </button>
            </Form>
          </nav>
        ) : null}
      </div>
    </header>
  );
}

export function Layout({ children }: { children: ReactNode }) {
  const nonce = useNonce();
  const publicPage = useMatches().some((match) => (match.handle as { publicPage?: boolean } | undefined)?.publicPage);
  useEffect(() => {
    // End-to-end tests wait for this before using anything that needs JavaScript.
    document.documentElement.dataset.hydrated = "true";
  }, []);
  return (
    <html lang="en-GB">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        <a href="#main" className="skip-link">
          Skip to main content
        </a>
        {publicPage ? null : <SiteHeader />}
        <main id="main" className="page">
          {children}
        </main>
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

const STATUS_TEXT: Record<number, { title: string; body: string }> = {
  400: { title: "That request could not be accepted", body: "Nothing was changed." },
  403: { title: "You cannot do this", body: "Your role in this trust does not allow it. Nothing was changed." },
  404: { title: "Page not found", body: "There is no page at this address, or you do not have access to it." },
  405: { title: "That is not how this page works", body: "Nothing was changed." },
  413: { title: "That was too large", body: "Nothing was changed." },
  503: { title: "Temporarily unavailable", body: "The service cannot reach its database. Please try again in a minute." },
};

export function ErrorBoundary() {
  const error = useRouteError();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const known = STATUS_TEXT[status];
  const detail = isRouteErrorResponse(error) && typeof error.data === "string" && status !== 404 ? error.data : null;
  return (
    <div className="error-page">
      <h1>{known?.title ?? "Something went wrong"}</h1>
      <p>{detail ?? known?.body ?? "An unexpected problem stopped this page. Nothing you had saved is lost; please try again."}</p>
      <p>
        <Link to="/trusts">Go to your trusts</Link>
      </p>
    </div>
  );
}
