/**
 * Earned autonomy lost: the clerk records an inspection with safeguarding not met for a school with
 * earned autonomy; its recommended tier becomes intervention, with the reasons; the clerk records the
 * board's decision; the school's scheme shows its local decisions suspended, the checks name the
 * school, and the review calendar follows the intervention tier's cadence.
 */
import type { Page } from "playwright-core";
import { describe, expect, inject, it } from "vitest";
import { today } from "~/clock.server";
import { longDate, monthsAfter } from "~/domain/dates";
import { ROLE_LABELS } from "~/domain/roles";
import { expectAccessible, signIn, useBrowser, waitForHydration } from "../support/browser";
import { demoSignInFor } from "./demo-sign-ins";

const demoTrust = inject("demoTrust");
const session = useBrowser();

const SCHOOL = "Wensleydale Bridge School";

const badge = (page: Page, heading: string) => page.locator("section", { has: page.getByRole("heading", { name: heading }) }).locator(".tier-badge");

/** The checks of the trust's draft (the scheme page opens it), and those of its messages that name the school. */
async function checksNaming(page: Page, school: string): Promise<string[]> {
  await page.goto(`/trusts/${demoTrust.slug}/scheme`);
  const scheme = new URL(page.url()).pathname;
  expect(scheme).toMatch(new RegExp(`^/trusts/${demoTrust.slug}/versions/\\d+$`));
  await page.goto(`${scheme}/checks`);
  await waitForHydration(page);
  const messages = await page.locator("li.finding .finding__message").allInnerTexts();
  return messages.filter((m) => m.includes(school));
}

describe("earned autonomy", () => {
  it("takes a school with earned autonomy into intervention, from the inspection to its scheme, checks and reviews", async () => {
    const { page } = session;
    const clerk = await demoSignInFor(page, ROLE_LABELS.clerk);
    await signIn(page, clerk.email, clerk.password);
    const day = today();

    const before = await checksNaming(page, SCHOOL);

    await page.goto(`/trusts/${demoTrust.slug}/schools`);
    await waitForHydration(page);
    await page.getByRole("link", { name: SCHOOL }).click();
    await page.getByRole("heading", { name: `${SCHOOL}: performance and tier` }).waitFor();
    await waitForHydration(page);
    expect(await badge(page, "Decided tier").innerText()).toBe("Earned autonomy (T1)");
    expect(await badge(page, "Recommended tier").innerText()).toBe("Earned autonomy (T1)");

    // The inspection: a 2025 report card, safeguarding not met.
    await page.getByText("Record a performance record").click();
    const record = page.locator("form#school-record");
    await record.getByLabel("As of").fill(day);
    await record.getByLabel("Inspection", { exact: true }).selectOption("report-card");
    await record.getByLabel("Report card: Leadership and governance").selectOption("needs-attention");
    await record.getByLabel("Report card: Curriculum and teaching").selectOption("expected");
    await record.getByLabel("Safeguarding", { exact: true }).selectOption("not-met");
    await record.getByRole("button", { name: "Record it" }).click();
    await expect.poll(() => page.getByRole("status").first().innerText()).toBe("Recorded the performance record.");

    expect(await badge(page, "Recommended tier").innerText()).toBe("Intervention (T4)");
    const reasons = await page.locator(".reasons li").allInnerTexts();
    expect(reasons.some((r) => r.includes("safeguarding not met"))).toBe(true);
    expect(reasons.some((r) => r.includes("EA-02"))).toBe(true);
    // Only a recorded decision moves the school.
    expect(await badge(page, "Decided tier").innerText()).toBe("Earned autonomy (T1)");

    // The board's decision.
    await page.getByText("Record a tier decision").click();
    const decision = page.locator("form#school-decide");
    expect(await decision.getByLabel("Tier").inputValue()).toBe("T4");
    await decision.getByLabel("Decided by").selectOption({ label: "Board of trustees (Trust board)" });
    // A month on: the intervention tier's cadence (four a year) after the last review, two months ago.
    await decision.getByLabel("Next review").fill(monthsAfter(day, 1));
    await decision.getByLabel(/^Evidence/).fill("Report card with safeguarding not met; intervention board appointed (board minute TB/26/18).");
    await decision.getByRole("button", { name: "Record the decision" }).click();
    await expect.poll(() => page.getByRole("status").first().innerText()).toBe("Recorded the tier decision.");
    expect(await badge(page, "Decided tier").innerText()).toBe("Intervention (T4)");
    // The new cadence: four reviews a year, the next the board's date.
    expect(await page.locator("section", { has: page.getByRole("heading", { name: "Reviews" }) }).first().innerText()).toContain("4 a year in Intervention (T4)");
    await expectAccessible(page, "a school's performance and tier page");

    // Its scheme: the head's decisions suspended by the intervention variant.
    await page.getByRole("link", { name: /^Its scheme/ }).click();
    await page.getByRole("heading", { name: "Where it differs from the base scheme" }).waitFor();
    const suspended = page.locator("table tbody tr", { hasText: "Headteacher" }).filter({ hasText: /from the .*Intervention.* variant/ });
    expect(await suspended.count()).toBeGreaterThan(0);
    expect(await suspended.first().innerText()).toMatch(/D \(decides\)[\s\S]*R \(recommends\)/);

    // The checks now name the school.
    const after = await checksNaming(page, SCHOOL);
    expect(after.length).toBeGreaterThan(before.length);
    expect(after.some((m) => m.includes("Intervention, T4"))).toBe(true);

    // The calendar shows it in intervention, reviewed on the intervention tier's cadence.
    await page.goto(`/trusts/${demoTrust.slug}/schools`);
    const row = page.locator("tbody tr", { hasText: SCHOOL });
    expect(await row.locator("td").first().innerText()).toBe("Intervention (T4)");
    expect(await row.locator("td").nth(2).innerText()).toContain(longDate(monthsAfter(day, 1)));
  });
});
