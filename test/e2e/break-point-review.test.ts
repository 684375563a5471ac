/**
 * A break point, end to end: the CEO opens the demo trust's break-point review (two schools 80 km
 * away are about to join), applies two proposals and lands on the draft's differences from the
 * approved version; the clerk records the board's approval; the version before is superseded and
 * read-only; the draft's history says who applied the review and who approved. A new draft is
 * started at the end, so that the demo trust has one for whichever test runs next.
 */
import { describe, expect, inject, it } from "vitest";
import { today } from "~/clock.server";
import { daysAfter } from "~/domain/dates";
import { ROLE_LABELS } from "~/domain/roles";
import { DEMO_USERS } from "../../db/seed";
import { expectAccessible, signIn, useBrowser, waitForHydration } from "../support/browser";
import { demoSignInFor } from "./demo-sign-ins";

const demoTrust = inject("demoTrust");
const session = useBrowser();
const nameOf = (role: "ceo" | "clerk") => DEMO_USERS.find((u) => u.role === role)!.name;

describe("the break-point review", () => {
  it("lets the CEO apply two proposals to the draft, which the clerk then approves", async () => {
    const { page } = session;
    const ceo = await demoSignInFor(page, ROLE_LABELS.ceo);
    await signIn(page, ceo.email, ceo.password);

    await page.goto(`/trusts/${demoTrust.slug}`);
    await page.getByRole("link", { name: "break-point review" }).click();
    await page.getByRole("heading", { level: 1, name: "Break-point review" }).waitFor();
    await waitForHydration(page);
    await expectAccessible(page, "the break-point review");

    const geography = page.getByRole("region", { name: "Schools beyond the reach of one hub" });
    const observed = await geography.locator("p").first().innerText();
    expect(observed).toMatch(/Bempton Cliffs Academy and Flamborough Head Primary School are 7\d km from the nearest/);
    const joiners = page.getByRole("region", { name: /^New schools joining/ });
    expect(await joiners.getByRole("checkbox").count()).toBeGreaterThanOrEqual(2);

    // Alternatives of one break point are refused together, before anything is sent.
    await joiners.getByRole("checkbox", { name: /^Keep:/ }).check();
    await joiners.getByRole("checkbox", { name: /^Align:/ }).check();
    await page.getByRole("button", { name: "Apply the chosen proposals" }).click();
    await expect.poll(() => page.locator(".field-error").first().innerText()).toMatch(/are alternatives: choose one of them\.$/);
    await joiners.getByRole("checkbox", { name: /^Keep:/ }).uncheck();

    await geography.getByRole("checkbox", { name: /^Add clusters for the schools beyond the existing ones/ }).check();
    await page.getByRole("button", { name: "Apply the chosen proposals" }).click();

    // The draft's differences from the approved version, the new cluster and transition boards among them.
    await page.waitForURL((url) => /\/versions\/\d+\/diff$/.test(url.pathname) && url.searchParams.get("applied") === "2");
    const url = new URL(page.url());
    const draftNumber = Number(/\/versions\/(\d+)\/diff$/.exec(url.pathname)![1]);
    const approvedNumber = Number(url.searchParams.get("from"));
    await expect
      .poll(() => page.getByRole("status").filter({ hasText: "break-point review" }).innerText())
      .toBe(`2 proposals of the break-point review were applied to draft version ${draftNumber}, and the break points are recorded as its reason.`);
    const structure = page.locator("table", { hasText: "Bempton Cliffs cluster" });
    expect(await structure.count()).toBeGreaterThan(0);
    expect(await page.locator("td, th", { hasText: "Flamborough Head Primary School transition board" }).count()).toBeGreaterThan(0);
    await expectAccessible(page, "the draft's differences after the review");

    // The draft carries the break points as its reason.
    await page.goto(`/trusts/${demoTrust.slug}/versions/${draftNumber}`);
    await waitForHydration(page);
    expect(await page.locator("p.notice", { hasText: "Reason for this draft" }).innerText()).toMatch(
      /Break-point review of .*: Schools beyond the reach of one hub; New schools joining: \d+ schools/,
    );

    // The clerk records the board's approval.
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL((u) => u.pathname === "/sign-in");
    const clerk = await demoSignInFor(page, ROLE_LABELS.clerk);
    await signIn(page, clerk.email, clerk.password);
    await page.goto(`/trusts/${demoTrust.slug}/versions/${draftNumber}/approve`);
    await waitForHydration(page);
    await page.getByLabel("Approved by").selectOption({ label: "Board of trustees" });
    await page.getByLabel("Date of the meeting").fill(daysAfter(today(), -3));
    await page.getByLabel("Minute reference (optional)").fill("TB/26/BP/2");
    await page.getByRole("button", { name: /^Record the approval/ }).click();
    await page.waitForURL((u) => u.pathname === `/trusts/${demoTrust.slug}/versions/${draftNumber}` && u.searchParams.has("approved"));
    await expect
      .poll(() => page.getByRole("status").filter({ hasText: "approval of version" }).innerText())
      .toBe(`The approval of version ${draftNumber} is recorded. Version ${approvedNumber} is superseded and kept, read-only.`);

    // The version before: superseded and read-only.
    await page.goto(`/trusts/${demoTrust.slug}/versions/${approvedNumber}`);
    await waitForHydration(page);
    expect(await page.getByRole("heading", { level: 1 }).innerText()).toMatch(new RegExp(`^Version ${approvedNumber}\\s*superseded`));
    expect(await page.getByRole("grid", { name: "Delegation matrix" }).getAttribute("aria-readonly")).toBe("true");

    // The history says who did what.
    await page.goto(`/trusts/${demoTrust.slug}/versions/${draftNumber}/history`);
    await waitForHydration(page);
    const entries = page.locator("table tbody tr");
    const applied = entries.filter({ hasText: "from the break-point review" });
    expect(await applied.first().innerText()).toContain(nameOf("ceo"));
    const approval = entries.filter({ hasText: `Recorded the approval of version ${draftNumber}` });
    expect(await approval.first().innerText()).toContain(nameOf("clerk"));

    // A new draft again, for whatever comes next.
    await page.goto(`/trusts/${demoTrust.slug}/versions/${draftNumber}`);
    await waitForHydration(page);
    await page.getByRole("button", { name: "Start a new draft from the approved version" }).click();
    await page.waitForURL((u) => u.pathname === `/trusts/${demoTrust.slug}/versions/${draftNumber + 1}`);
  });
});
