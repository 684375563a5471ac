import { randomBytes } from "node:crypto";
import { and, eq, gt, lt, ne, sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { instanceSettings, memberships, sessions, signInAttempts, trusts, users } from "../../db/schema";
import type { Role } from "../domain/roles";
import { prepared } from "./prepared.server";
import type { Trust } from "./trust.server";
import { publicUserColumns, type PublicUser } from "./user.server";

/** 256 random bits, URL-safe: the only thing the session cookie carries. */
export function newSessionId(): string {
  return randomBytes(32).toString("base64url");
}

export async function insertSession(db: Database, data: Record<string, unknown>, expiresAt: Date): Promise<string> {
  const id = newSessionId();
  const userId = typeof data.userId === "string" ? data.userId : null;
  await db.insert(sessions).values({ id, userId, data, expiresAt });
  return id;
}

export async function readSession(db: Database, id: string): Promise<Record<string, unknown> | null> {
  const [row] = await db
    .select({ data: sessions.data })
    .from(sessions)
    .where(and(eq(sessions.id, id), gt(sessions.expiresAt, new Date())));
  return (row?.data as Record<string, unknown> | undefined) ?? null;
}

/** The person signed in to an unexpired session, in one query. */
export async function findSessionUser(db: Database, sessionId: string): Promise<PublicUser | null> {
  const query = prepared(db, "find_session_user", (d) =>
    d
      .select(publicUserColumns)
      .from(sessions)
      .innerJoin(users, eq(users.id, sessions.userId))
      .where(and(eq(sessions.id, sql.placeholder("id")), gt(sessions.expiresAt, sql`now()`)))
      .prepare("find_session_user"),
  );
  const [row] = await query.execute({ id: sessionId });
  return row ?? null;
}

/**
 * The person signed in and their membership of one trust (null if they are not a member), in one
 * query: every page of a trust needs both.
 */
export async function findSessionMember(
  db: Database,
  sessionId: string,
  slug: string,
): Promise<{ user: PublicUser; membership: { trust: Trust; role: Role } | null } | null> {
  const query = prepared(db, "find_session_member", (d) =>
    d
      .select({ user: publicUserColumns, trust: trusts, role: memberships.role })
      .from(sessions)
      .innerJoin(users, eq(users.id, sessions.userId))
      .leftJoin(trusts, eq(trusts.slug, sql.placeholder("slug")))
      .leftJoin(memberships, and(eq(memberships.trustId, trusts.id), eq(memberships.userId, users.id)))
      .where(and(eq(sessions.id, sql.placeholder("id")), gt(sessions.expiresAt, sql`now()`)))
      .prepare("find_session_member"),
  );
  const [row] = await query.execute({ id: sessionId, slug });
  if (!row) return null;
  return { user: row.user, membership: row.trust && row.role ? { trust: row.trust, role: row.role as Role } : null };
}

export async function updateSession(db: Database, id: string, data: Record<string, unknown>, expiresAt: Date): Promise<void> {
  const userId = typeof data.userId === "string" ? data.userId : null;
  await db
    .insert(sessions)
    .values({ id, userId, data, expiresAt })
    .onConflictDoUpdate({ target: sessions.id, set: { data, userId, expiresAt } });
}

export async function deleteSession(db: Database, id: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.id, id));
}

/** Signs a person out everywhere but in the session kept (after a password change, everywhere else). */
export async function deleteSessionsOfUser(db: Database, userId: string, keep?: string): Promise<void> {
  await db.delete(sessions).where(and(eq(sessions.userId, userId), keep === undefined ? undefined : ne(sessions.id, keep)));
}

// ---------------------------------------------------------------- throttling of failed sign-ins

export const THROTTLE = {
  windowMinutes: 15,
  /** Failures for one email address within the window before sign-in is refused for it. */
  perEmail: 5,
  /** Failures from one address within the window, over all emails. */
  perIp: 30,
};

/** Minutes until a sign-in may be tried again, or 0 when it may be tried now. */
export async function signInBlockedFor(db: Database, email: string, ip: string): Promise<number> {
  const since = new Date(Date.now() - THROTTLE.windowMinutes * 60_000);
  const [byEmail] = await db
    .select({ n: sql<number>`count(*)::int`, first: sql<string | null>`min(${signInAttempts.at})` })
    .from(signInAttempts)
    .where(and(eq(signInAttempts.email, email), gt(signInAttempts.at, since)));
  const [byIp] = await db
    .select({ n: sql<number>`count(*)::int`, first: sql<string | null>`min(${signInAttempts.at})` })
    .from(signInAttempts)
    .where(and(eq(signInAttempts.ip, ip), gt(signInAttempts.at, since)));
  const blocking = [
    byEmail && byEmail.n >= THROTTLE.perEmail ? byEmail.first : null,
    byIp && byIp.n >= THROTTLE.perIp ? byIp.first : null,
  ].filter((x): x is string => x !== null);
  if (blocking.length === 0) return 0;
  const earliest = Math.min(...blocking.map((t) => new Date(t).getTime()));
  return Math.max(1, Math.ceil((earliest + THROTTLE.windowMinutes * 60_000 - Date.now()) / 60_000));
}

export async function recordFailedSignIn(db: Database, email: string, ip: string): Promise<void> {
  await db.insert(signInAttempts).values({ email, ip });
}

export async function clearFailedSignIns(db: Database, email: string): Promise<void> {
  await db.delete(signInAttempts).where(eq(signInAttempts.email, email));
}

/**
 * Clears out what nothing reads any more: sessions past their time, and failed sign-ins older than
 * the throttling window (a run of guesses at many addresses would otherwise stay for ever).
 */
export async function tidySignIns(db: Database): Promise<void> {
  await db.delete(sessions).where(lt(sessions.expiresAt, new Date()));
  await db.delete(signInAttempts).where(lt(signInAttempts.at, new Date(Date.now() - THROTTLE.windowMinutes * 60_000)));
}

// ---------------------------------------------------------------- the session-signing secret

/** The configured secret, or one made once for this installation and kept in its database. */
export async function sessionSecret(db: Database, configured: string | undefined): Promise<string> {
  if (configured) return configured;
  const fresh = randomBytes(32).toString("base64url");
  await db.insert(instanceSettings).values({ key: "session_secret", value: fresh }).onConflictDoNothing();
  const [row] = await db.select({ value: instanceSettings.value }).from(instanceSettings).where(eq(instanceSettings.key, "session_secret"));
  return row!.value;
}
