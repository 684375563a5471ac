/**
 * The board's approval, as the clerk records it: from the draft's matrix to the approval page (its
 * form accessible), the review date following the meeting date, and back to the version, now
 * approved, with the version it replaces superseded and read-only. The test then starts a new draft,
 * so that the demo trust has one again for whichever test runs next.
 */
import { describe, expect, inject, it } from "vitest";
import { today } from "~/clock.server";
import { daysAfter, monthsAfter } from "~/domain/dates";
import { ROLE_LABELS } from "~/domain/roles";
import { expectAccessible, signIn, useBrowser, waitForHydration } from "../support/browser";
import { demoSignInFor } from "./demo-sign-ins";

const demoTrust = inject("demoTrust");
const session = useBrowser();

describe("recording the board's approval", () => {
  it("lets the clerk approve the draft; the version before it is superseded and read-only", async () => {
    const { page } = session;
    const clerk = await demoSignInFor(page, ROLE_LABELS.clerk);
    await signIn(page, clerk.email, clerk.password);

    // The draft (version 3 in the demo trust, unless another test approved it first).
    await page.goto(`/trusts/${demoTrust.slug}/scheme`);
    await waitForHydration(page);
    const start = page.getByRole("button", { name: /^Start a (new )?draft/ });
    if (await start.count()) await start.first().click();
    await page.getByRole("grid", { name: "Delegation matrix" }).waitFor();
    const draftNumber = Number(/\/versions\/(\d+)$/.exec(new URL(page.url()).pathname)![1]);
    const approvedBefore = await page
      .getByRole("navigation", { name: "Versions" })
      .getByRole("link", { name: /\(approved\)/ })
      .first()
      .innerText();
    const previousNumber = Number(/^\d+/.exec(approvedBefore)![0]);
    expect(await page.getByRole("heading", { level: 1 }).innerText()).toMatch(new RegExp(`^Version ${draftNumber}\\s*draft`));

    await page.getByRole("link", { name: "Record the board's approval" }).click();
    await page.getByRole("heading", { level: 1, name: `Record the approval of version ${draftNumber}` }).waitFor();
    await waitForHydration(page);
    await expectAccessible(page, "the approval page");

    const meeting = daysAfter(today(), -14);
    expect(await page.getByLabel("Next review due").inputValue()).toBe(monthsAfter(today(), 12));
    await page.getByLabel("Approved by").selectOption({ label: "Board of trustees" });
    await page.getByLabel("Date of the meeting").fill(meeting);
    // The next review follows the meeting, 12 months on.
    await expect.poll(() => page.getByLabel("Next review due").inputValue()).toBe(monthsAfter(meeting, 12));
    await page.getByLabel("Minute reference (optional)").fill("TB/26/E2E/7");
    await page.getByRole("button", { name: /^Record the approval/ }).click();

    await page.waitForURL((url) => url.pathname === `/trusts/${demoTrust.slug}/versions/${draftNumber}` && url.searchParams.has("approved"));
    await expect
      .poll(() => page.getByRole("status").filter({ hasText: "approval of version" }).innerText())
      .toBe(`The approval of version ${draftNumber} is recorded. Version ${previousNumber} is superseded and kept, read-only.`);
    expect(await page.getByRole("heading", { level: 1 }).innerText()).toMatch(new RegExp(`^Version ${draftNumber}\\s*approved`));
    expect(await page.locator("p.notice", { hasText: "Approved by" }).innerText()).toContain("(minute TB/26/E2E/7)");
    expect(await page.getByRole("link", { name: "Record the board's approval" }).count()).toBe(0);

    // The version it replaces: superseded, read-only.
    await page.goto(`/trusts/${demoTrust.slug}/versions/${previousNumber}`);
    await waitForHydration(page);
    expect(await page.getByRole("heading", { level: 1 }).innerText()).toMatch(new RegExp(`^Version ${previousNumber}\\s*superseded`));
    expect(await page.locator("p.notice", { hasText: "A later version has replaced it" }).count()).toBe(1);
    expect(await page.getByRole("grid", { name: "Delegation matrix" }).getAttribute("aria-readonly")).toBe("true");
    expect(await page.getByRole("link", { name: "Discard this draft" }).count()).toBe(0);

    // A new draft again, from the version just approved, for whatever comes next.
    await page.goto(`/trusts/${demoTrust.slug}/versions/${draftNumber}`);
    await waitForHydration(page);
    await page.getByRole("button", { name: "Start a new draft from the approved version" }).click();
    await page.waitForURL((url) => url.pathname === `/trusts/${demoTrust.slug}/versions/${draftNumber + 1}`);
    await page.getByRole("link", { name: "Record the board's approval" }).waitFor();
    expect(await page.getByRole("heading", { level: 1 }).innerText()).toMatch(new RegExp(`^Version ${draftNumber + 1}\\s*draft`));
  });
});
