/**
 * The governance structure editor in Chromium: a clerk builds a small structure in a trust of her
 * own (a committee, a local board covering two schools), sees it in the chart and the lists, and
 * removing the committee asks first and says what it clears. The forms work without JavaScript.
 */
import type { Locator, Page } from "playwright-core";
import { describe, expect, inject, it } from "vitest";
import { ROLE_LABELS } from "~/domain/roles";
import { expectAccessible, signIn, useBrowser, waitForHydration } from "../support/browser";
import { demoSignInFor } from "./demo-sign-ins";

const otherTrust = inject("otherTrust");
const demoTrust = inject("demoTrust");
const session = useBrowser();
const structure = `/trusts/${otherTrust.slug}/structure`;

async function openStructure(page: Page): Promise<void> {
  await page.goto(structure);
  await waitForHydration(page);
}

async function addBody(page: Page, fields: { kind: string; name: string; shortName?: string; under?: string }): Promise<void> {
  const form = page.getByRole("region", { name: "Add a governance body" });
  await form.getByLabel("Kind").selectOption({ label: fields.kind });
  await form.getByLabel("Name", { exact: true }).fill(fields.name);
  if (fields.shortName) await form.getByLabel("Short heading (optional)").fill(fields.shortName);
  if (fields.under) await form.getByLabel("Where it sits in the chart").selectOption({ label: `Under ${fields.under}` });
  await form.getByRole("button", { name: "Add body" }).click();
  await page.getByRole("status").filter({ hasText: `Added ${fields.name}.` }).waitFor();
}

async function addSchool(page: Page, urn: string, name: string): Promise<void> {
  const form = page.getByRole("region", { name: "Add a school" });
  await form.getByLabel("URN").fill(urn);
  await form.getByLabel("Name", { exact: true }).fill(name);
  await form.getByLabel("Phase").selectOption({ label: "Primary" });
  await form.getByRole("button", { name: "Add school" }).click();
  await page.getByRole("status").filter({ hasText: `Added ${name}.` }).waitFor();
}

/** The words drawn in the chart's boxes. */
async function chartWords(page: Page): Promise<string[]> {
  return page.locator("figure.governance-chart svg text").allTextContents();
}

async function rowOf(table: Locator, name: string): Promise<string> {
  return table.getByRole("row").filter({ has: table.page().getByRole("rowheader", { name, exact: true }) }).innerText();
}

describe("the governance structure editor", () => {
  it("lets a clerk add a committee and a local board covering two schools, shows them, and asks before removing the committee", async () => {
    const { page } = session;
    await signIn(page, otherTrust.clerkEmail, otherTrust.clerkPassword);
    await openStructure(page);

    await addBody(page, { kind: "Trust board", name: "Board of trustees", shortName: "Board" });
    await addBody(page, { kind: "Board committee", name: "Audit Committee", shortName: "ARC", under: "Board of trustees" });
    await addBody(page, { kind: "Board committee", name: "Risk panel", under: "Audit Committee" });
    await addSchool(page, "171001", "Mudflat Primary");
    await addSchool(page, "171002", "Saltings Primary");
    await addBody(page, { kind: "Local governing body", name: "Estuary board" });

    // The new board answers under the trust's local column, added for it; its page says which schools it covers.
    await page.getByRole("status").getByRole("link", { name: "Open Estuary board" }).click();
    await page.getByRole("heading", { level: 1, name: "Estuary board" }).waitFor();
    await waitForHydration(page);
    expect(await page.locator(".lede").innerText()).toBe("A local board, answering under the column Local governing body");
    await page.getByLabel(/^Mudflat Primary/).check();
    await page.getByLabel(/^Saltings Primary/).check();
    await page.getByRole("button", { name: "Save the schools it covers" }).click();
    await page.getByRole("status").filter({ hasText: "Saved: 2 schools added, 0 taken off." }).waitFor();

    await openStructure(page);
    const words = await chartWords(page);
    for (const name of ["Board of trustees", "Audit Committee", "Estuary board", "Mudflat Primary", "Saltings Primary"]) expect(words, name).toContain(name);
    const committees = page.getByRole("table", { name: "Board committee: matrix columns" });
    expect(await rowOf(committees, "Audit Committee")).toContain("ARC");
    const boards = page.getByRole("table", { name: "Boards answering under Local governing body" });
    expect(await rowOf(boards, "Estuary board")).toContain("Mudflat Primary, Saltings Primary");
    const schools = page.getByRole("table", { name: "The trust's schools" });
    expect(await rowOf(schools, "Mudflat Primary")).toContain("Estuary board");
    expect(await rowOf(schools, "Saltings Primary")).toContain("Estuary board");
    await expectAccessible(page, "the structure page");

    // Removing the committee asks first, and says the panel under it moves up to the board.
    await committees.getByRole("link", { name: "Audit Committee" }).click();
    await page.getByRole("heading", { level: 1, name: "Audit Committee" }).waitFor();
    await page.getByRole("link", { name: "Remove Audit Committee…" }).click();
    const confirmation = page.getByRole("region", { name: "Remove Audit Committee?" });
    await confirmation.waitFor();
    expect(await confirmation.innerText()).toContain("move Risk panel, which sits under it in the chart, to sit under Board of trustees.");
    await expectAccessible(page, "the removal confirmation");
    await waitForHydration(page);
    await confirmation.getByRole("button", { name: "Remove Audit Committee" }).click();

    await page.getByRole("status").filter({ hasText: "Removed Audit Committee." }).waitFor();
    expect(new URL(page.url()).pathname).toBe(structure);
    expect(await chartWords(page)).not.toContain("Audit Committee");
    const after = page.getByRole("table", { name: "Board committee: matrix columns" });
    expect(await after.getByRole("rowheader").allInnerTexts()).toEqual(["Risk panel"]);
    expect(await rowOf(after, "Risk panel")).toContain("Board of trustees");
  });

  it("tells the clerk which draft cells removing a committee would clear, and Cancel leaves it", async () => {
    const { page } = session;
    const clerk = await demoSignInFor(page, ROLE_LABELS.clerk);
    await signIn(page, clerk.email, clerk.password);
    await page.goto(`/trusts/${demoTrust.slug}/structure`);
    await page.getByRole("table", { name: "Board committee: matrix columns" }).getByRole("link", { name: "Finance & Resources Committee" }).click();
    await page.getByRole("link", { name: "Remove Finance & Resources Committee…" }).click();
    const confirmation = page.getByRole("region", { name: "Remove Finance & Resources Committee?" });
    expect(await confirmation.innerText()).toMatch(/clear \d+ cells? in its column of draft version \d+, on rows? \d+\.\d+/);
    await confirmation.getByRole("link", { name: "Cancel" }).click();
    await page.getByRole("heading", { level: 2, name: "Change the details" }).waitFor();
    expect(await page.getByRole("region", { name: "Remove Finance & Resources Committee?" }).count()).toBe(0);
  });

  it("refuses a save from a page opened before someone else's save, and shows the latest", async () => {
    const { page, context } = session;
    await signIn(page, otherTrust.clerkEmail, otherTrust.clerkPassword);
    await openStructure(page);
    await addBody(page, { kind: "Board committee", name: "Estates committee" });
    await page.getByRole("status").getByRole("link", { name: "Open Estates committee" }).click();
    await page.getByRole("heading", { level: 1, name: "Estates committee" }).waitFor();
    const other = await context.newPage();
    await other.goto(page.url());
    await waitForHydration(other);
    await waitForHydration(page);

    await other.getByLabel("Chair's name (optional)").fill("Ann Other");
    await other.getByRole("button", { name: "Save changes" }).click();
    await other.getByRole("status").filter({ hasText: "Saved the details of Estates committee." }).waitFor();

    await page.getByLabel("Chair's name (optional)").fill("Stale Sam");
    await page.getByRole("button", { name: "Save changes" }).click();
    await page.getByRole("alert").filter({ hasText: "Someone else saved the details of Estates committee since you opened it." }).waitFor();
    expect(await page.getByLabel("Chair's name (optional)").inputValue()).toBe("Ann Other");
    await page.reload();
    expect(await page.locator(".structure-details").innerText()).toContain("Ann Other");
  });

  it("works without JavaScript: a clerk adds a committee, and removes it after confirming", async () => {
    const context = await session.browser.newContext({ baseURL: session.baseUrl, javaScriptEnabled: false });
    try {
      const page = await context.newPage();
      await page.goto("/sign-in");
      await page.getByLabel("Email address").fill(otherTrust.clerkEmail);
      await page.getByLabel("Password", { exact: true }).fill(otherTrust.clerkPassword);
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.waitForURL((url) => url.pathname === "/trusts");

      await page.goto(structure);
      const form = page.getByRole("region", { name: "Add a governance body" });
      await form.getByLabel("Kind").selectOption({ label: "Board committee" });
      await form.getByRole("button", { name: "Add body" }).click();
      // Refused by the server with the message on the field, and nothing added.
      expect(await page.getByRole("region", { name: "Add a governance body" }).innerText()).toContain("Give the body a name");

      await page.getByRole("region", { name: "Add a governance body" }).getByLabel("Name", { exact: true }).fill("Pay committee");
      await page.getByRole("region", { name: "Add a governance body" }).getByRole("button", { name: "Add body" }).click();
      await page.getByRole("status").filter({ hasText: "Added Pay committee." }).waitFor();

      await page.getByRole("status").getByRole("link", { name: "Open Pay committee" }).click();
      await page.getByRole("link", { name: "Remove Pay committee…" }).click();
      const confirmation = page.getByRole("region", { name: "Remove Pay committee?" });
      expect(await confirmation.innerText()).toContain("Nothing else refers to it");
      await confirmation.getByRole("button", { name: "Remove Pay committee" }).click();
      await page.getByRole("status").filter({ hasText: "Removed Pay committee." }).waitFor();
      expect(await page.getByRole("table", { name: "Board committee: matrix columns" }).getByRole("rowheader").allInnerTexts()).not.toContain("Pay committee");
    } finally {
      await context.close();
    }
  });
});
