/**
 * Signing in and out, and the checks every loader and action makes: who is this, and may they
 * see this trust and do this? Another trust's pages answer 404, never its data.
 */
import { createCookie, createSessionStorage, redirect, type Cookie, type SessionStorage } from "@remix-run/node";
import { getDb } from "../db/client";
import { can, type Permission, type Role } from "./domain/roles";
import {
  deleteSession,
  findSessionUser,
  insertSession,
  readSession,
  sessionSecret,
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

/**
 * The signed-in person, looked up once per request: the root, the trust's layout and the page all
 * ask, and Remix hands each of their loaders the same request.
 */
const usersOfRequests = new WeakMap<Request, Promise<PublicUser | null>>();

export function getUser(request: Request): Promise<PublicUser | null> {
  let user = usersOfRequests.get(request);
  if (!user) {
    user = (async () => {
      // The cookie holds the session id (signed); the session and its person are read in one query.
      const sessionId: unknown = await (await sessions()).cookie.parse(request.headers.get("Cookie"));
      return typeof sessionId === "string" ? findSessionUser(await getDb(), sessionId) : null;
    })();
    usersOfRequests.set(request, user);
  }
  return user;
}

/** Only paths on this site are followed after signing in, so a link cannot send people elsewhere. */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback = "/trusts"): string {
  if (typeof to !== "string" || !to.startsWith("/") || to.startsWith("//") || to.startsWith("/\\")) return fallback;
  return to;
}

export async function requireUser(request: Request): Promise<PublicUser> {
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

/**
 * The trust named in the URL, for one of its members. Anyone else gets 404 (the trust's existence is
 * not revealed); a member whose role does not allow the action gets 403.
 */
const membershipsOfRequests = new WeakMap<Request, Map<string, ReturnType<typeof findMembership>>>();

function membershipFor(request: Request, userId: string, slug: string): ReturnType<typeof findMembership> {
  let known = membershipsOfRequests.get(request);
  if (!known) membershipsOfRequests.set(request, (known = new Map()));
  let membership = known.get(slug);
  if (!membership) {
    membership = getDb().then((db) => findMembership(db, userId, slug));
    known.set(slug, membership);
  }
  return membership;
}

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

/** Starts a new session (a new id: a session fixed before sign-in is never reused) and goes on. */
export async function signIn(request: Request, userId: string, redirectTo: string): Promise<Response> {
  const store = await sessionStorage();
  const previous = await store.getSession(request.headers.get("Cookie"));
  const headers = new Headers();
  if (previous.id) await store.destroySession(previous);
  const session = await store.getSession();
  session.set("userId", userId);
  headers.append("Set-Cookie", await store.commitSession(session));
  return redirect(redirectTo, { headers });
}

export async function signOut(request: Request): Promise<Response> {
  const store = await sessionStorage();
  const session = await store.getSession(request.headers.get("Cookie"));
  return redirect("/sign-in", { headers: { "Set-Cookie": await store.destroySession(session) } });
}

export function actorOf(user: PublicUser) {
  return { userId: user.id, name: user.name };
}
