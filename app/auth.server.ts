/**
 * Signing in and out, and the checks every loader and action makes: who is this, and may they
 * see this trust and do this? Another trust's pages answer 404, never its data.
 */
import { createCookie, createSessionStorage, redirect, type Cookie, type SessionStorage } from "@remix-run/node";
import { getDb } from "../db/client";
import { can, type Permission, type Role } from "./domain/roles";
import {
  deleteSession,
  deleteSessionsOfUser,
  findSessionMember,
  findSessionUser,
  insertSession,
  readSession,
  sessionSecret,
  tidySignIns,
  updateSession,
} from "./models/session.server";
import { findMembership, type Trust } from "./models/trust.server";
import type { PublicUser } from "./models/user.server";

export const SESSION_HOURS = 12;

let storage: Promise<{ store: SessionStorage; cookie: Cookie }> | undefined;

function sessions(): Promise<{ store: SessionStorage; cookie: Cookie }> {
  storage ??= (async () => {
    const db = await getDb();
    const secret = await sessionSecret(db, process.env.SESSION_SECRET);
    const cookie = createCookie("__session", {
      httpOnly: true,
      sameSite: "lax",
      secure: process.env.NODE_ENV === "production" && process.env.SOD_INSECURE_COOKIES !== "1",
      path: "/",
      secrets: [secret],
      maxAge: SESSION_HOURS * 3600,
    });
    const store = createSessionStorage({
      cookie,
      createData: async (data, expires) =>
        insertSession(await getDb(), data, expires ?? new Date(Date.now() + SESSION_HOURS * 3600_000)),
      readData: async (id) => readSession(await getDb(), id),
      updateData: async (id, data, expires) =>
        updateSession(await getDb(), id, data, expires ?? new Date(Date.now() + SESSION_HOURS * 3600_000)),
      deleteData: async (id) => deleteSession(await getDb(), id),
    });
    return { store, cookie };
  })().catch((error) => {
    storage = undefined;
    throw error;
  });
  return storage;
}

async function sessionStorage(): Promise<SessionStorage> {
  return (await sessions()).store;
}

type Membership = { trust: Trust; role: Role };

interface Identity {
  user: PublicUser | null;
  /** The trust the request's path names, and the person's membership of it (null if none). */
  slug: string | null;
  membership: Membership | null;
}

/** The trust a request is for, from its path: /trusts/<slug>/…, or /trusts/<slug>.data for its data. */
function trustSlugOf(request: Request): string | null {
  return /^\/trusts\/([a-z0-9-]+)(?:[/.]|$)/.exec(new URL(request.url).pathname)?.[1] ?? null;
}

/**
 * The signed-in person, and on a trust's pages their membership of it, looked up once per request
 * in one query: the root, the trust's layout and the page all ask. Remix hands each of their
 * loaders a copy of the request (a new Request object each), all in the same moment, so a page's
 * loaders find one another's lookup by what their copies share: the Cookie header and the trust the
 * path names. A lookup is shared only while it is under way, never with a request that starts after
 * it has answered; and only for GET and HEAD, so the loaders that run after an action see what the
 * action changed.
 */
const identities = new WeakMap<Request, Promise<Identity>>();
const underWay = new Map<string, Promise<Identity>>();

function lookUpIdentity(request: Request): Promise<Identity> {
  return (async () => {
    // The cookie holds the session id (signed).
    const sessionId: unknown = await (await sessions()).cookie.parse(request.headers.get("Cookie"));
    const slug = trustSlugOf(request);
    if (typeof sessionId !== "string") return { user: null, slug, membership: null };
    const db = await getDb();
    if (slug === null) return { user: await findSessionUser(db, sessionId), slug, membership: null };
    const found = await findSessionMember(db, sessionId, slug);
    return { user: found?.user ?? null, slug, membership: found?.membership ?? null };
  })();
}

function identify(request: Request): Promise<Identity> {
  let identity = identities.get(request);
  if (identity) return identity;
  const shared = request.method === "GET" || request.method === "HEAD";
  const key = shared ? `${trustSlugOf(request) ?? ""}\n${request.headers.get("Cookie") ?? ""}` : null;
  identity = key === null ? undefined : underWay.get(key);
  if (!identity) {
    const lookup = lookUpIdentity(request);
    identity = lookup;
    if (key !== null) {
      underWay.set(key, lookup);
      const forget = () => {
        if (underWay.get(key) === lookup) underWay.delete(key);
      };
      lookup.then(forget, forget);
    }
  }
  identities.set(request, identity);
  return identity;
}

export async function getUser(request: Request): Promise<PublicUser | null> {
  return (await identify(request)).user;
}

const HERE = "http://here.invalid";

/**
 * Only paths on this site are followed after signing in, so a link cannot send people elsewhere. The path is
 * read as a browser reads it (which drops tabs and line breaks and takes a backslash for "/", so "/\t/evil.example"
 * leaves the site), and what is followed is that reading, which never starts "//".
 */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback = "/trusts"): string {
  if (typeof to !== "string" || !to.startsWith("/")) return fallback;
  let url: URL;
  try {
    url = new URL(to, HERE);
  } catch {
    return fallback;
  }
  const path = url.pathname + url.search + url.hash;
  return url.origin === HERE && !path.startsWith("//") ? path : fallback;
}

/**
 * Changes are made only from this site's own pages. SameSite=Lax keeps the session cookie off posts from
 * other sites, but not off posts from a neighbour on the same domain (a trust's website at www.… beside
 * this app at governance.…), which browsers call "same-site" in the Sec-Fetch-Site header they send.
 */
function refuseForeignPost(request: Request): void {
  if (request.method === "GET" || request.method === "HEAD") return;
  const site = request.headers.get("Sec-Fetch-Site");
  if (site === "cross-site" || site === "same-site") {
    throw new Response("Changes can only be made from this site's own pages. Nothing was changed.", { status: 403, statusText: "Forbidden" });
  }
}

export async function requireUser(request: Request): Promise<PublicUser> {
  refuseForeignPost(request);
  const user = await getUser(request);
  if (!user) {
    const url = new URL(request.url);
    const back = url.pathname + url.search;
    throw redirect(`/sign-in${back === "/" ? "" : `?redirectTo=${encodeURIComponent(back)}`}`);
  }
  return user;
}

export interface TrustAccess {
  user: PublicUser;
  trust: Trust;
  role: Role;
}

async function membershipFor(request: Request, userId: string, slug: string): Promise<Membership | null> {
  const identity = await identify(request);
  return identity.slug === slug ? identity.membership : findMembership(await getDb(), userId, slug);
}

/**
 * The trust named in the URL, for one of its members. Anyone else gets 404 (the trust's existence is
 * not revealed); a member whose role does not allow the action gets 403.
 */
export async function requireTrustAccess(request: Request, slug: string | undefined, permission: Permission = "read"): Promise<TrustAccess> {
  const user = await requireUser(request);
  const membership = slug ? await membershipFor(request, user.id, slug) : null;
  if (!membership) throw new Response("Not found", { status: 404, statusText: "Not Found" });
  if (!can(membership.role, permission)) {
    throw new Response("Your role in this trust does not allow this.", { status: 403, statusText: "Forbidden" });
  }
  return { user, ...membership };
}

export async function requireSiteAdmin(request: Request): Promise<PublicUser> {
  const user = await requireUser(request);
  if (!user.isSiteAdmin) throw new Response("Only a site administrator can do this.", { status: 403, statusText: "Forbidden" });
  return user;
}

/**
 * Starts a new session (a new id: a session fixed before sign-in is never reused) and goes on. Sessions
 * past their time and old failed sign-ins are cleared out here (and hourly by the job runner).
 */
export async function signIn(request: Request, userId: string, redirectTo: string): Promise<Response> {
  const store = await sessionStorage();
  const previous = await store.getSession(request.headers.get("Cookie"));
  const headers = new Headers();
  if (previous.id) await store.destroySession(previous);
  await tidySignIns(await getDb());
  const session = await store.getSession();
  session.set("userId", userId);
  headers.append("Set-Cookie", await store.commitSession(session));
  return redirect(redirectTo, { headers });
}

/** After a password change: whoever else is signed in as the person (on another device, or with a stolen cookie) is signed out. */
export async function endOtherSessions(request: Request, userId: string): Promise<void> {
  const current: unknown = await (await sessions()).cookie.parse(request.headers.get("Cookie"));
  await deleteSessionsOfUser(await getDb(), userId, typeof current === "string" ? current : undefined);
}

export async function signOut(request: Request): Promise<Response> {
  const store = await sessionStorage();
  const session = await store.getSession(request.headers.get("Cookie"));
  return redirect("/sign-in", { headers: { "Set-Cookie": await store.destroySession(session) } });
}

export function actorOf(user: PublicUser) {
  return { userId: user.id, name: user.name };
}
