/**
 * The Word document's download (/trusts/:slug/versions/:number.docx): the file for a member who may
 * export, with its name; nothing for a version the trust does not have or for another trust's people;
 * and the link on the version's page.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db/client";
import { DEMO_TRUST_SLUG, DEMO_USERS, seedDemoTrust } from "../../db/seed";
import { COMMAND_LINE } from "~/models/audit.server";
import { addMember } from "~/models/membership.server";
import { createTrust } from "~/models/trust.server";
import { createUser } from "~/models/user.server";
import { loader as versionPage } from "~/routes/trusts.$slug.versions.$number._index";
import { loader as wordDocument } from "~/routes/trusts.$slug.versions.$number[.]docx";
import { freshDatabase } from "../support/database";
import { call, context, getRequest, sessionCookie } from "../support/requests";
import { paragraphsOf, readDocx, scratchDir, tablesOf } from "../support/word-documents";

let handle: DatabaseHandle;
let scratch: string;
const cookies: Record<string, string> = {};

beforeAll(async () => {
  handle = await freshDatabase();
  await seedDemoTrust(handle.db, COMMAND_LINE);
  for (const user of DEMO_USERS) cookies[user.role] = await sessionCookie(user.email, user.password);
  const elsewhere = await createTrust(handle.db, COMMAND_LINE, { name: "Elsewhere Academies Trust", slug: "elsewhere" });
  const outsider = await createUser(handle.db, COMMAND_LINE, { name: "Olive Outsider", email: "olive@elsewhere.example", password: "outsider-password-2" });
  await addMember(handle.db, COMMAND_LINE, { trustId: elsewhere.id, userId: outsider.id, role: "clerk" });
  cookies.outsider = await sessionCookie("olive@elsewhere.example", "outsider-password-2");
  scratch = scratchDir("sod-document-route");
});
afterAll(async () => {
  fs.rmSync(scratch, { recursive: true, force: true });
  await handle?.close();
});

const url = (number: string, query = "") => `/trusts/${DEMO_TRUST_SLUG}/versions/${number}.docx${query}`;

async function download(number: string, cookie: string, query = ""): Promise<Response> {
  return (await wordDocument({ request: getRequest(url(number, query), cookie), params: { slug: DEMO_TRUST_SLUG, number }, context: context() })) as Response;
}

describe("the Word document's download", () => {
  it("gives a viewer, who may export, the approved version's document under the trust's and version's name", async () => {
    const response = await download("2", cookies.viewer!);
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("application/vnd.openxmlformats-officedocument.wordprocessingml.document");
    expect(response.headers.get("Content-Disposition")).toBe('attachment; filename="north-dales-scheme-of-delegation-v2.docx"');
    expect(response.headers.get("Cache-Control")).toContain("no-store");
    const file = path.join(scratch, "v2.docx");
    fs.writeFileSync(file, Buffer.from(await response.arrayBuffer()));
    const reading = await readDocx(file);
    expect(tablesOf(reading)[0]!.rows).toContainEqual(["Status", "Approved"]);
    expect(paragraphsOf(reading).map((p) => p.text)).not.toContain("8. Changes since version 1");
  });

  it("adds the changes since the version approved before when asked", async () => {
    const response = await download("2", cookies.clerk!, "?changes");
    const file = path.join(scratch, "v2-changes.docx");
    fs.writeFileSync(file, Buffer.from(await response.arrayBuffer()));
    expect(paragraphsOf(await readDocx(file)).map((p) => p.text)).toContain("8. Changes since version 1");
  });

  it("answers 404 for a version the trust does not have, and for someone of another trust", async () => {
    for (const number of ["99", "0", "two", "2x"]) {
      const answer = await call(wordDocument, getRequest(url(number), cookies.clerk), { slug: DEMO_TRUST_SLUG, number });
      expect(answer.status, number).toBe(404);
    }
    const outsider = await call(wordDocument, getRequest(url("2"), cookies.outsider), { slug: DEMO_TRUST_SLUG, number: "2" });
    expect(outsider.status).toBe(404);
    expect(outsider.text).not.toContain("North Dales");
  });

  it("sends someone who is not signed in to sign in", async () => {
    const answer = await call(wordDocument, getRequest(url("2")), { slug: DEMO_TRUST_SLUG, number: "2" });
    expect(answer.status).toBe(302);
    expect(answer.location).toMatch(/^\/sign-in/);
  });

  it("is offered on the version's page to those who may export", async () => {
    const page = await call(versionPage, getRequest(`/trusts/${DEMO_TRUST_SLUG}/versions/3`, cookies.viewer), { slug: DEMO_TRUST_SLUG, number: "3" });
    expect(page.status).toBe(200);
    expect(page.data).toMatchObject({ canExport: true });
  });
});
