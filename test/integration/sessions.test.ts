/**
 * Sessions live in the database and the cookie carries only their id: a session ends at its time, a
 * sign-in always starts a new one (the id a browser had before is never kept), signing out ends it on
 * the server, and a password change signs the person out everywhere else. Each is shown by replaying
 * the old cookie, which must then be sent to sign in.
 */
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db/client";
import { sessions, signInAttempts } from "../../db/schema";
import { SESSION_HOURS } from "~/auth.server";
import { COMMAND_LINE } from "~/models/audit.server";
import { addMember } from "~/models/membership.server";
import { createTrust, type Trust } from "~/models/trust.server";
import { THROTTLE } from "~/models/session.server";
import { createUser, type PublicUser } from "~/models/user.server";
import { action as accountAction } from "~/routes/account";
import { action as signInAction } from "~/routes/sign-in";
import { action as signOutAction } from "~/routes/sign-out";
import { loader as trustLoader } from "~/routes/trusts.$slug";
import { loader as trustsLoader } from "~/routes/trusts._index";
import { freshDatabase } from "../support/database";
import { call, context, formPost, getRequest, sessionCookie } from "../support/requests";

const CLERK = { name: "Sam Session", email: "sam.session@estuary.example", password: "estuary-clerk-1" };
const OTHER = { name: "Pat Other", email: "pat.other@estuary.example", password: "estuary-other-1" };

let handle: DatabaseHandle;
let trust: Trust;
let clerk: PublicUser;
let other: PublicUser;

beforeAll(async () => {
  handle = await freshDatabase();
  trust = await createTrust(handle.db, COMMAND_LINE, { name: "Estuary Sessions Trust", slug: "estuary-sessions" });
  clerk = await createUser(handle.db, COMMAND_LINE, CLERK);
  other = await createUser(handle.db, COMMAND_LINE, OTHER);
  await addMember(handle.db, COMMAND_LINE, { trustId: trust.id, userId: clerk.id, role: "clerk" });
  await addMember(handle.db, COMMAND_LINE, { trustId: trust.id, userId: other.id, role: "viewer" });
});
afterAll(() => handle?.close());

/** The ids of a person's sessions in the database. */
async function sessionIds(userId: string): Promise<string[]> {
  const rows = await handle.db.select({ id: sessions.id }).from(sessions).where(eq(sessions.userId, userId));
  return rows.map((r) => r.id).sort();
}

/** Whether a cookie still opens the list of trusts and the trust's own page, or is sent to sign in from both. */
async function opens(cookie: string): Promise<boolean> {
  const list = await call(trustsLoader, getRequest("/trusts", cookie));
  const page = await call(trustLoader, getRequest(`/trusts/${trust.slug}`, cookie), { slug: trust.slug });
  if (list.status === 200 && page.status === 200) return true;
  expect(list.status).toBe(302);
  expect(list.location).toMatch(/^\/sign-in/);
  expect(page.status).toBe(302);
  expect(page.location).toBe(`/sign-in?redirectTo=${encodeURIComponent(`/trusts/${trust.slug}`)}`);
  return false;
}

describe("a session", () => {
  it("is set in an HttpOnly, SameSite=Lax cookie for the whole site that says when it ends", async () => {
    const answer = await call(signInAction, formPost("/sign-in", { email: CLERK.email, password: CLERK.password }), {}, context("192.0.2.10"));
    expect(answer.status).toBe(302);
    const attributes = answer.setCookie!.split(";").map((part) => part.trim().toLowerCase());
    expect(attributes[0]).toMatch(/^__session=[^;]{40,}$/);
    expect(attributes).toContain("httponly");
    expect(attributes).toContain("samesite=lax");
    expect(attributes).toContain("path=/");
    expect(attributes).toContain(`max-age=${SESSION_HOURS * 3600}`);
    // Secure is added in production (NODE_ENV=production), as the end-to-end server shows; tests run as "test".
    expect(attributes).not.toContain("secure");
  });

  it(`ends ${SESSION_HOURS} hours after sign-in: the database refuses it afterwards, whatever the browser still holds`, async () => {
    const before = Date.now();
    const cookie = await sessionCookie(CLERK.email, CLERK.password, "192.0.2.11");
    const [row] = await handle.db
      .select({ id: sessions.id, expiresAt: sessions.expiresAt })
      .from(sessions)
      .where(eq(sessions.userId, clerk.id))
      .orderBy(sql`${sessions.createdAt} desc`)
      .limit(1);
    const ends = row!.expiresAt.getTime();
    expect(ends).toBeGreaterThanOrEqual(before + SESSION_HOURS * 3600_000 - 1000);
    expect(ends).toBeLessThanOrEqual(Date.now() + SESSION_HOURS * 3600_000 + 1000);
    expect(await opens(cookie)).toBe(true);

    await handle.db.update(sessions).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(sessions.id, row!.id));
    expect(await opens(cookie)).toBe(false);
  });

  it("past its time is cleared out of the database when anyone next signs in", async () => {
    await sessionCookie(OTHER.email, OTHER.password, "192.0.2.12");
    const [expired] = await sessionIds(other.id);
    await handle.db.update(sessions).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(sessions.id, expired!));
    await sessionCookie(CLERK.email, CLERK.password, "192.0.2.13");
    expect(await sessionIds(other.id)).not.toContain(expired);
  });

  it("is begun by clearing out failed sign-ins older than the throttling window, and keeps the recent ones that throttle", async () => {
    const old = new Date(Date.now() - (THROTTLE.windowMinutes + 1) * 60_000);
    await handle.db.insert(signInAttempts).values([
      { email: "guess.one@elsewhere.example", ip: "198.51.100.7", at: old },
      { email: "guess.two@elsewhere.example", ip: "198.51.100.8", at: old },
      { email: "guess.three@elsewhere.example", ip: "198.51.100.9" },
    ]);
    await sessionCookie(CLERK.email, CLERK.password, "192.0.2.14");
    const left = await handle.db.select({ email: signInAttempts.email }).from(signInAttempts).where(sql`${signInAttempts.email} like 'guess.%'`);
    expect(left.map((a) => a.email)).toEqual(["guess.three@elsewhere.example"]);
  });
});

describe("signing in", () => {
  it("starts a new session even when the browser already holds one, and ends the one it held", async () => {
    const first = await sessionCookie(CLERK.email, CLERK.password, "192.0.2.20");
    const held = await sessionIds(clerk.id);
    const answer = await call(signInAction, formPost("/sign-in", { email: CLERK.email, password: CLERK.password }, { cookie: first }), {}, context("192.0.2.20"));
    expect(answer.status).toBe(302);
    const second = answer.setCookie!.split(";")[0]!;
    expect(second).not.toBe(first);
    const now = await sessionIds(clerk.id);
    // Exactly one session went and one came: the new id is none of those held before.
    expect(now.filter((id) => !held.includes(id))).toHaveLength(1);
    expect(held.filter((id) => !now.includes(id))).toHaveLength(1);
    expect(await opens(first)).toBe(false);
    expect(await opens(second)).toBe(true);
  });

  it("as someone else on the same browser ends the first person's session", async () => {
    const clerkCookie = await sessionCookie(CLERK.email, CLERK.password, "192.0.2.21");
    const answer = await call(
      signInAction,
      formPost("/sign-in", { email: OTHER.email, password: OTHER.password }, { cookie: clerkCookie }),
      {},
      context("192.0.2.21"),
    );
    expect(answer.status).toBe(302);
    expect(await opens(clerkCookie)).toBe(false);
    expect(await opens(answer.setCookie!.split(";")[0]!)).toBe(true);
  });

  it("never sends the person to another site, however the address it was given is written", async () => {
    for (const redirectTo of ["/\t/evil.example", "/\\evil.example", "/.//evil.example", "https://evil.example/"]) {
      const answer = await call(signInAction, formPost("/sign-in", { email: CLERK.email, password: CLERK.password, redirectTo }), {}, context("192.0.2.22"));
      expect(answer.status, JSON.stringify(redirectTo)).toBe(302);
      expect(answer.location, JSON.stringify(redirectTo)).toBe("/trusts");
    }
    const inside = await call(
      signInAction,
      formPost("/sign-in", { email: CLERK.email, password: CLERK.password, redirectTo: `/trusts/${trust.slug}/people` }),
      {},
      context("192.0.2.22"),
    );
    expect(inside.location).toBe(`/trusts/${trust.slug}/people`);
  });
});

describe("signing out", () => {
  it("ends the session in the database: the same cookie sent again is refused", async () => {
    const cookie = await sessionCookie(CLERK.email, CLERK.password, "192.0.2.30");
    const held = await sessionIds(clerk.id);
    expect(await opens(cookie)).toBe(true);

    const answer = await call(signOutAction, formPost("/sign-out", {}, { cookie }));
    expect(answer.status).toBe(302);
    expect(answer.location).toBe("/sign-in");
    expect(answer.setCookie).toMatch(/^__session=;.*Expires=Thu, 01 Jan 1970/i);
    const now = await sessionIds(clerk.id);
    expect(held.filter((id) => !now.includes(id))).toHaveLength(1);
    expect(await opens(cookie)).toBe(false);
  });
});

describe("changing the password", () => {
  it("signs the person out everywhere else, keeps them signed in where they changed it, and leaves others alone", async () => {
    const here = await sessionCookie(CLERK.email, CLERK.password, "192.0.2.40");
    const elsewhere = await sessionCookie(CLERK.email, CLERK.password, "192.0.2.41");
    const someoneElse = await sessionCookie(OTHER.email, OTHER.password, "192.0.2.42");
    expect(await opens(elsewhere)).toBe(true);

    const fresh = "estuary-clerk-2";
    const answer = await call(accountAction, formPost("/account", { current: CLERK.password, password: fresh, confirm: fresh }, { cookie: here }));
    expect(answer.status).toBe(200);
    expect((answer.data as { notice?: string }).notice).toBe(
      "Your password has been changed. Anywhere else you were signed in, you have been signed out.",
    );
    expect(await opens(elsewhere)).toBe(false);
    expect(await opens(here)).toBe(true);
    expect(await opens(someoneElse)).toBe(true);
    expect(await sessionIds(clerk.id)).toHaveLength(1);
    CLERK.password = fresh;
  });

  it("that is refused (a wrong current password) signs no one out", async () => {
    const here = await sessionCookie(CLERK.email, CLERK.password, "192.0.2.43");
    const elsewhere = await sessionCookie(CLERK.email, CLERK.password, "192.0.2.44");
    const answer = await call(
      accountAction,
      formPost("/account", { current: "not-the-password", password: "estuary-clerk-3", confirm: "estuary-clerk-3" }, { cookie: here }),
    );
    expect(answer.status).toBe(400);
    expect(await opens(elsewhere)).toBe(true);
  });
});
