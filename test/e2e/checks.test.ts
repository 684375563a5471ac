/**
 * From strategy to scheme: a trustee rates the ten statements and sees the cluster and its reasons
 * change, then in the matrix sees the checks that follow from the new profile, picks out a finding's
 * cell, applies its fix, and the finding goes.
 */
import type { Page } from "playwright-core";
import { describe, expect, inject, it } from "vitest";
import { ROLE_LABELS } from "~/domain/roles";
import { deriveStrategyCluster } from "~/domain/strategy-cluster";
import { expectAccessible, signIn, useBrowser, waitForHydration } from "../support/browser";
import { demoSignInFor } from "./demo-sign-ins";

const demoTrust = inject("demoTrust");
const session = useBrowser();

/** The research's cluster 1 ("autonomy and identity"), rating by rating. */
const AUTONOMY_AND_IDENTITY = [9, 4, 3, 9, 5, 3, 9, 9, 5, 3];

const clusterHeading = (page: Page) => page.locator("#cluster-heading");

async function openDraft(page: Page): Promise<void> {
  await page.goto(`/trusts/${demoTrust.slug}/scheme`);
  await waitForHydration(page);
  const start = page.getByRole("button", { name: /^Start a (new )?draft/ });
  if (await start.count()) await start.first().click();
  await page.getByRole("grid", { name: "Delegation matrix" }).waitFor();
  await waitForHydration(page);
}

function cellAt(page: Page, ref: string, column: string) {
  return page.evaluate(
    ([ref, column]) => {
      const heads = [...document.querySelectorAll<HTMLElement>("thead th.matrix__head")].map((th) => th.title.replace(/ \(.*\)$/, ""));
      const rows = [...document.querySelectorAll<HTMLTableRowElement>("tbody tr[data-index]")];
      const row = rows.findIndex((tr) => tr.querySelector(".matrix__row-head b")?.textContent === ref);
      return { row, col: heads.indexOf(column!) };
    },
    [ref, column],
  );
}

const panel = (page: Page) => page.getByRole("complementary", { name: "Checks" });
const findingOf = (page: Page, ruleId: string) => panel(page).locator(`li.finding[data-rule="${ruleId}"]`);

describe("checking the scheme against the trust's strategy", () => {
  it("lets a trustee rate the statements, see the cluster change, and fix a finding from the matrix", async () => {
    const { page } = session;
    const trustee = await demoSignInFor(page, ROLE_LABELS.trustee);
    await signIn(page, trustee.email, trustee.password);

    await page.goto(`/trusts/${demoTrust.slug}/strategy`);
    await waitForHydration(page);
    await expect.poll(() => clusterHeading(page).innerText()).toMatch(/^Cluster 2: Consistent pedagogy/);
    for (const [i, rating] of AUTONOMY_AND_IDENTITY.entries()) {
      await page.locator(`input[name="s${i + 1}"][value="${rating}"]`).check();
    }
    // The cluster follows the ratings before they are saved, and says which ratings decide it.
    await expect.poll(() => clusterHeading(page).innerText()).toMatch(/^Cluster 1: Autonomy and identity\s*from your ratings, not saved yet/);
    const reasons = await page.locator(".cluster-reasons li").allInnerTexts();
    const expected = deriveStrategyCluster(AUTONOMY_AND_IDENTITY).reasons;
    expect(expected.length).toBeGreaterThan(0);
    expect(reasons).toHaveLength(expected.length);
    expected.forEach((reason, i) => expect(reasons[i]).toContain(`${reason.statement}. ${reason.text} — rated ${reason.rating}: towards cluster 1`));
    await page.getByRole("button", { name: "Save the strategy profile" }).click();
    await expect.poll(() => page.getByRole("status").first().innerText()).toBe("Saved the strategy profile.");
    expect(await clusterHeading(page).innerText()).toBe("Cluster 1: Autonomy and identity");

    // The matrix's checks now read the new profile: a trust protecting each school's identity…
    await openDraft(page);
    await expect.poll(() => findingOf(page, "CO-03").count(), { timeout: 10_000 }).toBe(1);

    // A decision given to an advisory board is found at once, beside the matrix.
    const at = await cellAt(page, "11.1", "School advisory board");
    expect(at.row).toBeGreaterThanOrEqual(0);
    expect(at.col).toBeGreaterThanOrEqual(0);
    const cell = page.locator("tbody tr[data-index]").nth(at.row).locator("td.c").nth(at.col);
    // A click opens the cell's list of codes; typing a code there sets it.
    await cell.click();
    await page.keyboard.press("d");
    await expect.poll(() => page.locator(".matrix__status").innerText(), { timeout: 10_000 }).toBe("All changes saved.");
    await expect.poll(() => findingOf(page, "CO-05").count(), { timeout: 10_000 }).toBe(1);
    expect(await cell.getAttribute("class")).toContain("m-error");

    const finding = findingOf(page, "CO-05");
    await finding.getByRole("button", { name: "Show in the matrix" }).click();
    expect(await cell.getAttribute("class")).toContain("is-highlighted");
    expect(await cell.evaluate((td) => td === document.activeElement)).toBe(true);

    await expectAccessible(page, "the matrix with its checks panel");

    await finding.getByRole("button", { name: /recommend \(R\) instead of deciding/ }).click();
    await expect.poll(() => findingOf(page, "CO-05").count(), { timeout: 10_000 }).toBe(0);
    await expect.poll(async () => (await cell.innerText()).trim(), { timeout: 10_000 }).toBe("R");
    expect(await cell.getAttribute("class")).not.toContain("m-error");
  });
});
