/**
 * A clerk brings schools in from the DfE register in Chromium: the page offers the trust's own name,
 * the preview shows what would be added, updated and skipped, and confirming imports it. Only a
 * grade is recorded on the demo trust (a school it already has), so other tests see its schools as seeded.
 */
import { fileURLToPath } from "node:url";
import { describe, expect, inject, it } from "vitest";
import { ROLE_LABELS } from "~/domain/roles";
import { expectAccessible, signIn, useBrowser, waitForHydration } from "../support/browser";
import { demoSignInFor } from "./demo-sign-ins";

const demoTrust = inject("demoTrust");
const session = useBrowser();
const register = fileURLToPath(new URL("../fixtures/gias/edubasealldata20261101.csv", import.meta.url));

describe("importing schools from the DfE register", () => {
  it("previews the trust's schools from the register, then imports the chosen URNs on confirmation", async () => {
    const { page } = session;
    const clerk = await demoSignInFor(page, ROLE_LABELS.clerk);
    await signIn(page, clerk.email, clerk.password);
    await page.goto(`/trusts/${demoTrust.slug}/import/schools`);
    await waitForHydration(page);
    expect(await page.getByLabel("Trust name in the register").inputValue()).toBe(demoTrust.name);
    await expectAccessible(page, "the register import page");

    await page.getByLabel("The register's CSV file").setInputFiles(register);
    await page.getByRole("button", { name: "Preview the import" }).click();
    const additions = page.getByRole("table", { name: "Schools to add (1)" });
    await additions.waitFor();
    expect(await additions.getByRole("rowheader").allInnerTexts()).toEqual(["Thornborough Henge Primary School"]);
    expect(await page.getByRole("table", { name: "Schools to update (1)" }).innerText()).toContain("Postcode: DL7 8TQ → DL7 8TR");
    expect(await page.getByRole("table", { name: "Rows skipped (1)" }).innerText()).toContain("The register lists this school as closed.");
    await expectAccessible(page, "the register import preview");

    await page.getByLabel("Only the schools with these URNs").check();
    await page.getByLabel("URNs", { exact: true }).fill("137214");
    await page.getByLabel("The register's CSV file").setInputFiles(register);
    await page.getByRole("button", { name: "Preview the import" }).click();
    const upToDate = page.getByRole("table", { name: "Details already up to date (1)" });
    await upToDate.waitFor();
    expect(await upToDate.innerText()).toContain("Good, inspected 7 November 2023: to be recorded");
    await page.getByRole("button", { name: "Import these schools" }).click();
    await page
      .getByRole("status")
      .filter({ hasText: "Imported from the DfE register: 0 schools added, 0 schools updated, 1 Ofsted grade recorded." })
      .waitFor();
  });
});
