/**
 * Bad posts are refused with a clear message and change nothing: malformed fields, oversized bodies
 * and content types no form of ours sends, on the people page's add-member form and on sign-in.
 * Sign-in gives one answer for a wrong password and an unknown email, and is throttled per email and per address.
 */
import { count } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db/client";
import { auditLog, memberships, sessions, signInAttempts, users } from "../../db/schema";
import { FORM_LIMIT_BYTES } from "~/forms.server";
import { COMMAND_LINE } from "~/models/audit.server";
import { addMember } from "~/models/membership.server";
import { createTrust, type Trust } from "~/models/trust.server";
import { THROTTLE } from "~/models/session.server";
import { createUser } from "~/models/user.server";
import { action as peopleAction } from "~/routes/trusts.$slug.people";
import { action as signInAction } from "~/routes/sign-in";
import { freshDatabase } from "../support/database";
import { call, context, fieldErrors, formErrors, formPost, ORIGIN, sessionCookie, type Answer } from "../support/requests";

const CLERK = { name: "Carys Clerk", email: "carys.clerk@riverside.example", password: "riverside-clerk-1" };

let handle: DatabaseHandle;
let trust: Trust;
let cookie: string;

beforeAll(async () => {
  handle = await freshDatabase();
  trust = await createTrust(handle.db, COMMAND_LINE, { name: "Riverside Forms Trust", slug: "riverside-forms" });
  const clerk = await createUser(handle.db, COMMAND_LINE, CLERK);
  await addMember(handle.db, COMMAND_LINE, { trustId: trust.id, userId: clerk.id, role: "clerk" });
  cookie = await sessionCookie(CLERK.email, CLERK.password);
});
afterAll(() => handle?.close());

async function counts() {
  const tables = { users, memberships, auditLog, sessions, signInAttempts };
  const result: Record<string, number> = {};
  for (const [name, table] of Object.entries(tables)) {
    const [row] = await handle.db.select({ n: count() }).from(table);
    result[name] = row!.n;
  }
  return result;
}

/** Runs a post and checks that no row of the tables it could touch was added or removed. */
async function changesNothing(post: () => Promise<Answer>): Promise<Answer> {
  const before = await counts();
  const answer = await post();
  expect(await counts()).toEqual(before);
  return answer;
}

const peopleUrl = () => `/trusts/${trust.slug}/people`;
const postPeople = (request: Request) => call(peopleAction, request, { slug: trust.slug });
const postSignIn = (request: Request, ip = "198.51.100.1") => call(signInAction, request, {}, context(ip));

function rawPost(path: string, body: BodyInit, headers: Record<string, string>): Request {
  return new Request(new URL(path, ORIGIN), { method: "POST", body, headers, duplex: "half" } as RequestInit);
}

/** A body that arrives in pieces with no declared length, so only reading it shows its size. */
function streamed(text: string): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(offset, offset + 8192));
      offset += 8192;
    },
  });
}

const oversizedFields = { intent: "add", email: "big@example.org", role: "viewer", name: "x".repeat(FORM_LIMIT_BYTES + 1000) };

describe("the add-member form", () => {
  it("refuses a post with missing fields (400), saying what is missing, and adds no one", async () => {
    const answer = await changesNothing(() => postPeople(formPost(peopleUrl(), { intent: "add" }, { cookie })));
    expect(answer.status).toBe(400);
    expect(fieldErrors(answer, "email")).toEqual(["Enter their email address"]);
    expect(fieldErrors(answer, "role")).toEqual(["Choose a role"]);
  });

  it("refuses values of the wrong kind (400) with a message for each field", async () => {
    const answer = await changesNothing(() =>
      postPeople(formPost(peopleUrl(), { intent: "add", email: "not-an-address", role: "emperor", name: "New Person", password: "short" }, { cookie })),
    );
    expect(answer.status).toBe(400);
    expect(fieldErrors(answer, "email")).toEqual(["Enter an email address like name@example.org"]);
    expect(fieldErrors(answer, "role")).toEqual(["Choose a role"]);
    expect(fieldErrors(answer, "password")).toEqual(["Use at least 10 characters"]);
    expect(answer.text).not.toContain('"short"');
  });

  it("refuses a role change for something that is not a member's id (400)", async () => {
    const answer = await changesNothing(() => postPeople(formPost(peopleUrl(), { intent: "change-role", userId: "42", role: "clerk" }, { cookie })));
    expect(answer.status).toBe(400);
    expect(fieldErrors(answer, "userId")).toEqual(["Unknown member"]);
  });

  it("refuses a file sent where an email address belongs (400)", async () => {
    const form = new FormData();
    form.append("intent", "add");
    form.append("role", "viewer");
    form.append("email", new Blob(["someone@example.org"], { type: "text/plain" }), "email.txt");
    const encoded = new Request(ORIGIN, { method: "POST", body: form });
    const body = await encoded.arrayBuffer();
    const answer = await changesNothing(() =>
      postPeople(
        rawPost(peopleUrl(), body, { "Content-Type": encoded.headers.get("Content-Type")!, "Content-Length": String(body.byteLength), cookie }),
      ),
    );
    expect(answer.status).toBe(400);
    expect(fieldErrors(answer, "email").length).toBeGreaterThan(0);
  });

  it("refuses an oversized post (over 64 KB) that says its size, before reading it", async () => {
    const body = new URLSearchParams(oversizedFields).toString();
    const answer = await changesNothing(() =>
      postPeople(
        rawPost(peopleUrl(), body, {
          "Content-Type": "application/x-www-form-urlencoded",
          "Content-Length": String(Buffer.byteLength(body)),
          cookie,
        }),
      ),
    );
    expect(answer.status).toBe(400);
    expect(formErrors(answer)).toEqual(["The form was too large to accept (the limit is 64 KB). Nothing was saved."]);
  });

  it("refuses an oversized post that does not say its size, while reading it", async () => {
    const answer = await changesNothing(() =>
      postPeople(
        rawPost(peopleUrl(), streamed(new URLSearchParams(oversizedFields).toString()), {
          "Content-Type": "application/x-www-form-urlencoded",
          cookie,
        }),
      ),
    );
    expect(answer.status).toBe(400);
    expect(formErrors(answer)).toEqual(["The form was too large to accept (the limit is 64 KB). Nothing was saved."]);
  });

  it.each([
    ["JSON", "application/json", JSON.stringify({ intent: "add", email: "json@example.org", role: "clerk" })],
    ["plain text", "text/plain", "intent=add&email=text@example.org&role=clerk"],
  ])("refuses %s (415) with a message", async (_kind, type, body) => {
    const answer = await changesNothing(() => postPeople(rawPost(peopleUrl(), body, { "Content-Type": type, cookie })));
    expect(answer.status).toBe(415);
    expect(formErrors(answer)).toEqual(["This address only accepts its own forms. Nothing was saved."]);
  });

  it("adds a member from a well-formed post (so the refusals above are about the input)", async () => {
    const before = await counts();
    const answer = await postPeople(
      formPost(peopleUrl(), { intent: "add", email: "nia.new@riverside.example", role: "trustee", name: "Nia New", password: "first-password-1" }, { cookie }),
    );
    expect(answer.status).toBe(200);
    expect(answer.text).toContain("Nia New is now a Trustee of this trust.");
    const after = await counts();
    expect(after.users).toBe(before.users! + 1);
    expect(after.memberships).toBe(before.memberships! + 1);
    expect(after.auditLog).toBeGreaterThan(before.auditLog!);
  });
});

describe("the sign-in form", () => {
  it("refuses missing fields (400) with a message for each, and starts no session", async () => {
    const answer = await changesNothing(() => postSignIn(formPost("/sign-in", {})));
    expect(answer.status).toBe(400);
    expect(fieldErrors(answer, "email")).toEqual(["Enter your email address"]);
    expect(fieldErrors(answer, "password")).toEqual(["Enter your password"]);
    expect(answer.setCookie).toBeNull();
  });

  it("refuses an oversized post (400) and a foreign content type (415), and starts no session", async () => {
    const big = new URLSearchParams({ email: CLERK.email, password: CLERK.password, redirectTo: `/${"a".repeat(FORM_LIMIT_BYTES)}` }).toString();
    const oversized = await changesNothing(() =>
      postSignIn(rawPost("/sign-in", big, { "Content-Type": "application/x-www-form-urlencoded", "Content-Length": String(big.length) })),
    );
    expect(oversized.status).toBe(400);
    expect(formErrors(oversized)[0]).toMatch(/too large/);
    const json = await changesNothing(() =>
      postSignIn(rawPost("/sign-in", JSON.stringify({ email: CLERK.email, password: CLERK.password }), { "Content-Type": "application/json" })),
    );
    expect(json.status).toBe(415);
    expect(formErrors(json)).toEqual(["This address only accepts its own forms. Nothing was saved."]);
    expect(json.setCookie).toBeNull();
  });

  it("gives the same answer for a wrong password and for an unknown email", async () => {
    const wrongPassword = await postSignIn(formPost("/sign-in", { email: CLERK.email, password: "not-the-password" }), "198.51.100.10");
    const unknownEmail = await postSignIn(formPost("/sign-in", { email: "nobody@riverside.example", password: "not-the-password" }), "198.51.100.11");
    expect(wrongPassword.status).toBe(400);
    expect(unknownEmail.status).toBe(wrongPassword.status);
    expect(formErrors(wrongPassword)).toEqual(["The email address or password is not right. Check them and try again."]);
    expect(formErrors(unknownEmail)).toEqual(formErrors(wrongPassword));
    expect(unknownEmail.text.replace("nobody@riverside.example", "EMAIL")).toBe(wrongPassword.text.replace(CLERK.email, "EMAIL"));
    expect(wrongPassword.setCookie).toBeNull();
  });

  it("throttles one email after five failures (429), even with the right password and from other addresses", async () => {
    const person = { name: "Tariq Throttled", email: "tariq@riverside.example", password: "tariq-password-1" };
    await createUser(handle.db, COMMAND_LINE, person);
    for (let attempt = 1; attempt <= 5; attempt++) {
      const answer = await postSignIn(formPost("/sign-in", { email: person.email, password: `wrong-${attempt}` }), `203.0.113.${attempt}`);
      expect(answer.status, `failure ${attempt}`).toBe(400);
    }
    const sixth = await postSignIn(formPost("/sign-in", { email: person.email, password: "wrong-6" }), "203.0.113.6");
    expect(sixth.status).toBe(429);
    const right = await changesNothing(() => postSignIn(formPost("/sign-in", { email: person.email, password: person.password }), "203.0.113.7"));
    expect(right.status).toBe(429);
    expect(right.setCookie).toBeNull();
    expect(formErrors(right)[0]).toMatch(/^Too many attempts to sign in\. Wait \d+ minutes? and try again\.$/);

    // Someone else signing in from the same address is not held up.
    const other = await postSignIn(formPost("/sign-in", { email: CLERK.email, password: CLERK.password }), "203.0.113.7");
    expect(other.status).toBe(302);
    expect(other.setCookie).toMatch(/^__session=/);
  });

  it(`throttles one address after ${THROTTLE.perIp} failures over any emails (429), while other addresses still sign in`, async () => {
    const ip = "203.0.113.50";
    for (let attempt = 1; attempt <= THROTTLE.perIp; attempt++) {
      // A different email each time, so no one email reaches its own limit.
      const answer = await postSignIn(formPost("/sign-in", { email: `guess-${attempt}@riverside.example`, password: "guess" }), ip);
      expect(answer.status, `failure ${attempt}`).toBe(400);
    }
    const blocked = await changesNothing(() => postSignIn(formPost("/sign-in", { email: CLERK.email, password: CLERK.password }), ip));
    expect(blocked.status).toBe(429);
    expect(blocked.setCookie).toBeNull();
    expect(formErrors(blocked)[0]).toMatch(/^Too many attempts to sign in\. Wait \d+ minutes? and try again\.$/);

    const elsewhere = await postSignIn(formPost("/sign-in", { email: CLERK.email, password: CLERK.password }), "203.0.113.51");
    expect(elsewhere.status).toBe(302);
  });
});
