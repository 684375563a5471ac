/**
 * A clerk brings the trust's own matrix in from a spreadsheet in Chromium: the page takes the file and
 * its key, the preview shows the new bodies, responsibilities and sections, or each problem by row and
 * column, and every step is accessible. Only previews run here (the confirmation is tested
 * in-process), so other tests see the demo trust's matrix as seeded.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, inject, it } from "vitest";
import { ROLE_LABELS } from "~/domain/roles";
import { expectAccessible, signIn, useBrowser, waitForHydration } from "../support/browser";
import { demoSignInFor } from "./demo-sign-ins";

const demoTrust = inject("demoTrust");
const session = useBrowser();
const lionheart = fileURLToPath(new URL("../fixtures/csv/lionheart-responsible-recommends.csv", import.meta.url));

describe("importing a trust's matrix", () => {
  it("previews a 15-column matrix with its key, and lists a spoilt file's problems by row and column", async () => {
    const { page } = session;
    const clerk = await demoSignInFor(page, ROLE_LABELS.clerk);
    await signIn(page, clerk.email, clerk.password);
    await page.goto(`/trusts/${demoTrust.slug}/import`);
    await waitForHydration(page);
    await page.getByRole("heading", { level: 1, name: "Import a matrix" }).waitFor();
    await expectAccessible(page, "the matrix import page");

    await page.getByLabel("The CSV file").setInputFiles(lionheart);
    await page.getByLabel("What the marks mean (the key)").selectOption({ label: "Responsible / Recommends" });
    await page.getByRole("button", { name: "Preview the import" }).click();
    const bodies = page.getByRole("table", { name: "New bodies, added as columns of the matrix" });
    await bodies.waitFor();
    // The demo trust has Members, and a CEO and a Headteacher whose short headings are CEO and Head.
    expect(await bodies.getByRole("rowheader").allInnerTexts()).toHaveLength(12);
    expect(await page.getByRole("table", { name: "New responsibilities" }).getByRole("rowheader").first().innerText()).toBe("A1");
    expect(await page.getByRole("combobox", { name: "Research area for J Policies" }).inputValue()).toBe("0");
    await expect(page.getByRole("button", { name: /^Import into a new draft|^Import into draft version/ }).count()).resolves.toBe(1);
    await expectAccessible(page, "the matrix import preview");

    // As the trust's whole scheme, the preview says what leaves the catalogue and names the statutory rows.
    await page.getByLabel("The CSV file").setInputFiles(lionheart);
    await page.getByRole("checkbox", { name: /^This file is the trust's whole scheme/ }).check();
    await page.getByRole("button", { name: "Preview the import" }).click();
    const retiring = page.getByRole("region", { name: "The file is the trust's whole scheme" });
    await retiring.waitFor();
    expect(await retiring.locator("p").first().innerText()).toMatch(
      /^\d+ rows of the current catalogue will be retired, including \d+ statutory rows: the checks will report the statutory decisions the file does not cover; approved versions keep them\./,
    );
    expect(await retiring.getByRole("table", { name: "Statutory rows retired" }).getByRole("rowheader").count()).toBeGreaterThan(0);
    await expectAccessible(page, "the matrix import preview of a whole scheme");
    await page.getByRole("checkbox", { name: /^This file is the trust's whole scheme/ }).uncheck();

    const spoilt = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "sod-matrix-")), "spoilt.csv");
    fs.writeFileSync(spoilt, fs.readFileSync(lionheart, "utf8").replace("K2,K HR,", "K1,K HR,"));
    await page.getByLabel("The CSV file").setInputFiles(spoilt);
    await page.getByRole("button", { name: "Preview the import" }).click();
    const problems = page.getByRole("table", { name: "Problems in the file, by row and column" });
    await problems.waitFor();
    expect(await problems.locator("tbody tr").allInnerTexts()).toEqual([
      "22\tA, ref\tthe ref K1 is also used on row 21: each responsibility needs its own ref.",
    ]);
    expect(await page.getByRole("button", { name: /^Import into/ }).count()).toBe(0);
    await expectAccessible(page, "the matrix import's problems");
    fs.rmSync(path.dirname(spoilt), { recursive: true, force: true });
  });
});
