import type { Page } from "playwright-core";
import { describe, expect, inject, it } from "vitest";
import { ROLE_LABELS } from "~/domain/roles";
import { cookieHeader, expectAccessible, signIn, useBrowser, waitForHydration } from "../support/browser";
import { demoSignInFor } from "./demo-sign-ins";

const demoTrust = inject("demoTrust");
const session = useBrowser();

/** Opens the trust's scheme (its draft when there is one), starting a draft if the trust has none. */
async function openDraft(page: Page): Promise<string> {
  await page.goto(`/trusts/${demoTrust.slug}/scheme`);
  await waitForHydration(page);
  const start = page.getByRole("button", { name: /^Start a (new )?draft/ });
  if (await start.count()) {
    await start.first().click();
    await page.getByText("draft", { exact: true }).first().waitFor();
  }
  await page.getByRole("grid", { name: "Delegation matrix" }).waitFor();
  await waitForHydration(page);
  return page.url();
}

async function rowRefs(page: Page): Promise<string[]> {
  return page.locator(".matrix__row-head b").allInnerTexts();
}

async function columnNames(page: Page): Promise<string[]> {
  return page.locator("thead th.matrix__head").evaluateAll((ths) => ths.map((th) => (th as HTMLElement).title.replace(/ \(.*\)$/, "")));
}

function cell(page: Page, rowIndex: number, colIndex: number) {
  return page.locator("tbody tr:not(.matrix__group)").nth(rowIndex).locator("td.c").nth(colIndex);
}

/** Tabs from the top of the page into the grid, as a keyboard user would. */
async function tabIntoGrid(page: Page): Promise<void> {
  for (let i = 0; i < 60; i++) {
    await page.keyboard.press("Tab");
    if (await page.evaluate(() => document.activeElement?.classList.contains("c") === true)) return;
  }
  throw new Error("Tab never reached the matrix");
}

async function waitUntilSaved(page: Page): Promise<void> {
  await expect.poll(() => page.locator(".matrix__status").innerText(), { timeout: 10_000 }).toBe("All changes saved.");
}

describe("the matrix editor", () => {
  it("lets a clerk set codes with the keyboard alone, saves each at once, and shows them again after a reload", async () => {
    const { page } = session;
    const clerk = await demoSignInFor(page, ROLE_LABELS.clerk);
    await signIn(page, clerk.email, clerk.password);
    await openDraft(page);

    const refs = await rowRefs(page);
    const columns = await columnNames(page);
    const row = refs.indexOf("2.1");
    const ceo = columns.indexOf("Chief executive officer");
    const central = columns.indexOf("Central team");
    expect(row).toBeGreaterThanOrEqual(0);
    expect(ceo).toBeGreaterThanOrEqual(0);
    const before = (await cell(page, row, ceo).innerText()).trim();
    const wanted = before === "E" ? "A" : "E";

    await tabIntoGrid(page);
    await page.keyboard.press("Control+Home");
    for (let i = 0; i < row; i++) await page.keyboard.press("ArrowDown");
    for (let i = 0; i < ceo; i++) await page.keyboard.press("ArrowRight");
    await page.keyboard.press(wanted.toLowerCase());
    await page.keyboard.press("ArrowRight");
    await page.keyboard.press("m");
    await waitUntilSaved(page);
    expect((await cell(page, row, ceo).innerText()).trim()).toBe(wanted);
    expect((await cell(page, row, central).innerText()).trim()).toBe("M");

    await page.keyboard.press("Delete");
    await waitUntilSaved(page);
    expect((await cell(page, row, central).innerText()).trim()).toBe("");

    await page.reload();
    await waitForHydration(page);
    expect((await cell(page, row, ceo).innerText()).trim()).toBe(wanted);
    expect((await cell(page, row, central).innerText()).trim()).toBe("");
  });

  it("refuses a code the row's constraints forbid, and says why", async () => {
    const { page } = session;
    const clerk = await demoSignInFor(page, ROLE_LABELS.clerk);
    await signIn(page, clerk.email, clerk.password);
    await openDraft(page);
    const refs = await rowRefs(page);
    const columns = await columnNames(page);
    const budget = (await page.locator(".matrix__row-head").allInnerTexts()).findIndex((t) => /Approve the trust budget|balanced budget/i.test(t));
    expect(budget).toBeGreaterThanOrEqual(0);
    const head = columns.indexOf("Headteacher");
    const before = (await cell(page, budget, head).innerText()).trim();
    await cell(page, budget, head).click();
    await page.keyboard.press("d");
    await expect.poll(() => page.getByRole("alert").filter({ hasText: refs[budget]! }).innerText()).toMatch(/Only the trust board may decide/);
    expect((await cell(page, budget, head).innerText()).trim()).toBe(before);
  });

  it("tells a second editor of the same row that someone saved first, reloads the row, and overwrites nothing", async () => {
    const { page } = session;
    const clerk = await demoSignInFor(page, ROLE_LABELS.clerk);
    const ceoUser = await demoSignInFor(page, ROLE_LABELS.ceo);
    await signIn(page, clerk.email, clerk.password);
    const url = await openDraft(page);

    const other = await session.browser.newContext({ baseURL: session.baseUrl });
    try {
      const second = await other.newPage();
      await signIn(second, ceoUser.email, ceoUser.password);
      await second.goto(url);
      await waitForHydration(second);

      const refs = await rowRefs(page);
      const columns = await columnNames(page);
      const row = refs.indexOf("2.1");
      const first = columns.indexOf("Education Standards Committee");
      const secondCol = columns.indexOf("Headteacher");
      const firstCode = (await cell(page, row, first).innerText()).trim() === "M" ? "C" : "M";

      await cell(page, row, first).click();
      await page.keyboard.press(firstCode.toLowerCase());
      await waitUntilSaved(page);

      // The second editor still has the row as it was before the first editor's save.
      await cell(second, row, secondCol).click();
      await second.keyboard.press("e");
      await expect
        .poll(() => second.getByRole("alert").innerText(), { timeout: 10_000 })
        .toMatch(/someone else saved this row first/i);
      expect((await cell(second, row, first).innerText()).trim()).toBe(firstCode);
      await expect.poll(async () => (await cell(second, row, secondCol).getAttribute("class")) ?? "").toContain("is-conflict");

      await page.reload();
      await waitForHydration(page);
      expect((await cell(page, row, first).innerText()).trim()).toBe(firstCode);
      expect((await cell(page, row, secondCol).innerText()).trim()).not.toBe("E");
    } finally {
      await other.close();
    }
  });

  it("shows a viewer the matrix read-only, and refuses a viewer's save (403)", async () => {
    const { page, context } = session;
    const viewer = await demoSignInFor(page, ROLE_LABELS.viewer);
    await signIn(page, viewer.email, viewer.password);
    await page.goto(`/trusts/${demoTrust.slug}/scheme`);
    await waitForHydration(page);
    const grid = page.getByRole("grid", { name: "Delegation matrix" });
    await grid.waitFor();
    expect(await grid.getAttribute("aria-readonly")).toBe("true");
    expect(await page.locator(".matrix__edit").count()).toBe(0);
    expect(await page.getByText("Change many cells at once").count()).toBe(0);
    const target = cell(page, 0, 1);
    const before = await target.innerText();
    await target.click();
    await page.keyboard.press("d");
    expect(await page.getByRole("menu").count()).toBe(0);
    expect(await target.innerText()).toBe(before);

    const response = await context.request.post(`${page.url().replace(/[?#].*$/, "")}/cells`, {
      form: { rowId: "00000000-0000-4000-8000-000000000000", columnId: "00000000-0000-4000-8000-000000000000", code: "D", revision: "1" },
      headers: { Cookie: await cookieHeader(context, session.baseUrl) },
    });
    expect(response.status()).toBe(403);
  });

  it("has no serious or critical accessibility violations", async () => {
    const { page } = session;
    const clerk = await demoSignInFor(page, ROLE_LABELS.clerk);
    await signIn(page, clerk.email, clerk.password);
    await openDraft(page);
    await expectAccessible(page, "the matrix editor");
  });
});


describe("a tier's scheme and a school's", () => {
  /** A cell's code, without the words a screen reader hears after it. */
  const codeIn = (page: Page, rowIndex: number, colIndex: number) => cell(page, rowIndex, colIndex).evaluate((td) => (td.firstChild?.nodeType === 3 ? td.firstChild.nodeValue : "")?.trim() ?? "");

  it("lets a clerk pick T4, change a cell and see it marked as differing from the base, then set it back; a school's effective scheme passes axe", async () => {
    const { page } = session;
    const clerk = await demoSignInFor(page, ROLE_LABELS.clerk);
    await signIn(page, clerk.email, clerk.password);
    const draft = (await openDraft(page)).replace(/[?#].*$/, "");
    const head = (await columnNames(page)).indexOf("Headteacher");

    await page.getByLabel("Autonomy tier").selectOption("T4");
    await page.waitForURL(/[?&]tier=T4/);
    await page.getByText("Showing the scheme for schools in").waitFor();
    // The first headteacher's cell the tier leaves as the base has it, on a row that may vary.
    const heads = await page.locator("tbody tr:not(.matrix__group)").evaluateAll((rows, col) => rows.map((tr) => (tr as HTMLTableRowElement).cells[col + 1]!.className), head);
    const row = heads.findIndex((classes) => !/\b(vt|l|x)\b/.test(classes));
    const base = await codeIn(page, row, head);
    const wanted = base === "I" ? "M" : "I";
    const target = cell(page, row, head);
    await target.click();
    await page.keyboard.press(wanted.toLowerCase());
    await waitUntilSaved(page);
    expect(await codeIn(page, row, head)).toBe(wanted);
    expect(await target.getAttribute("class")).toContain("vt");
    expect(await target.locator(".visually-hidden").innerText()).toContain(`from the Intervention (T4) variant; the base scheme has ${base || "nothing"} here`);
    await expectAccessible(page, "the matrix editor showing a tier's scheme");

    // Kept after a reload, and the base scheme is unchanged.
    await page.reload();
    await waitForHydration(page);
    expect(await cell(page, row, head).getAttribute("class")).toContain("vt");
    await page.getByLabel("Autonomy tier").selectOption("");
    await page.waitForURL((url) => !/tier=T/.test(url.search));
    await expect.poll(() => codeIn(page, row, head)).toBe(base);
    expect(await cell(page, row, head).getAttribute("class")).not.toContain("vt");

    // A school's scheme, and its effective scheme page from the school selector.
    await page.getByLabel("A single school").selectOption({ label: "Oakbeck School" });
    await page.waitForURL(/[?&]school=/);
    await page.getByText("Showing the scheme of").waitFor();
    await page.getByRole("link", { name: "Oakbeck School: its effective scheme, cell by cell" }).click();
    await page.getByRole("heading", { level: 1, name: "Oakbeck School: its scheme of delegation" }).waitFor();
    await waitForHydration(page);
    await expectAccessible(page, "a school's effective scheme");

    // Back to T4: following the base scheme again removes the variant.
    await page.goto(`${draft}?tier=T4`);
    await waitForHydration(page);
    await cell(page, row, head).click();
    await page.getByRole("menuitem", { name: `As the base scheme (${base || "empty"})` }).click();
    await waitUntilSaved(page);
    expect(await cell(page, row, head).getAttribute("class")).not.toContain("vt");
    expect(await codeIn(page, row, head)).toBe(base);
  });

  it("keeps statutory-locked rows read-only in a tier's scheme, saying why", async () => {
    const { page } = session;
    const clerk = await demoSignInFor(page, ROLE_LABELS.clerk);
    await signIn(page, clerk.email, clerk.password);
    const url = await openDraft(page);
    await page.goto(`${url.replace(/[?#].*$/, "")}?tier=T3`);
    await waitForHydration(page);
    const lockedRow = page.locator("tbody tr:not(.matrix__group)").filter({ has: page.locator(".matrix__locked") }).first();
    const lockedCell = lockedRow.locator("td.c").first();
    expect(await lockedCell.getAttribute("aria-readonly")).toBe("true");
    await lockedCell.click();
    expect(await page.getByRole("menu").count()).toBe(0);
    await expect.poll(() => page.getByRole("alert").innerText()).toMatch(/statutory-locked row: it is the same for every tier and every school \(EA-14\)/);
  });
});
