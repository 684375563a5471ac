/**
 * From nothing to a scheme in Chromium: the clerk of a trust that starts empty builds a small
 * structure (a board, a committee, a headteacher column, a local board column with one school and
 * its local board), starts a draft, and sets codes in the matrix with the keyboard alone. A code the
 * row forbids is refused with its reason; the codes saved are there again after a reload.
 *
 * test/e2e/structure.test.ts works in the same trust, in either order: every name here is this
 * file's own, and columns and rows are found by their headings, never by their place.
 */
import type { Page } from "playwright-core";
import { describe, expect, inject, it } from "vitest";
import { signIn, useBrowser, waitForHydration } from "../support/browser";

const trust = inject("otherTrust");
const session = useBrowser();

const BOARD = "Saltmarsh trustees";
const COMMITTEE = "Saltmarsh standards committee";
const HEADS = "Saltmarsh heads";
const COUNCILS = "Saltmarsh academy councils";
const COUNCIL = "Reedbed academy council";
const SCHOOL = "Reedbed Primary";

async function addBody(page: Page, fields: { kind: string; name: string; column?: string; under?: string }): Promise<void> {
  const form = page.getByRole("region", { name: "Add a governance body" });
  await form.getByLabel("Kind").selectOption({ label: fields.kind });
  await form.getByLabel("Name", { exact: true }).fill(fields.name);
  if (fields.column) await form.getByLabel("Matrix column it answers under").selectOption({ label: fields.column });
  if (fields.under) await form.getByLabel("Where it sits in the chart").selectOption({ label: `Under ${fields.under}` });
  await form.getByRole("button", { name: "Add body" }).click();
  await page.getByRole("status").filter({ hasText: `Added ${fields.name}.` }).waitFor();
}

async function addSchool(page: Page, fields: { urn: string; name: string; localBoard: string }): Promise<void> {
  const form = page.getByRole("region", { name: "Add a school" });
  await form.getByLabel("URN").fill(fields.urn);
  await form.getByLabel("Name", { exact: true }).fill(fields.name);
  await form.getByLabel("Phase").selectOption({ label: "Primary" });
  await form.getByLabel("Local board").selectOption({ label: fields.localBoard });
  await form.getByRole("button", { name: "Add school" }).click();
  await page.getByRole("status").filter({ hasText: `Added ${fields.name}.` }).waitFor();
}

interface Position {
  row: number;
  col: number;
}

/** The grid cell that has the keyboard focus, as the grid numbers it (row data-index, column after the row heading). */
async function focused(page: Page): Promise<Position | null> {
  return page.evaluate(() => {
    const cell = document.activeElement;
    if (!(cell instanceof HTMLTableCellElement) || !cell.matches("table[role=grid] td.c")) return null;
    return { row: Number((cell.parentElement as HTMLTableRowElement).dataset.index), col: cell.cellIndex - 1 };
  });
}

/** Tabs from the top of the page until the grid's one tab stop has the focus. */
async function tabIntoGrid(page: Page): Promise<Position> {
  for (let i = 0; i < 80; i++) {
    await page.keyboard.press("Tab");
    const at = await focused(page);
    if (at) return at;
  }
  throw new Error("Tab never reached the matrix");
}

/** Moves the focus to a cell with the arrow keys alone. */
async function arrowTo(page: Page, target: Position): Promise<void> {
  const at = (await focused(page))!;
  const steps = (n: number, forward: string, back: string) => Array.from({ length: Math.abs(n) }, () => (n > 0 ? forward : back));
  for (const key of [...steps(target.row - at.row, "ArrowDown", "ArrowUp"), ...steps(target.col - at.col, "ArrowRight", "ArrowLeft")]) {
    await page.keyboard.press(key);
  }
  expect(await focused(page)).toEqual(target);
}

/** Each row's index in the grid by its ref. */
async function rowIndexes(page: Page): Promise<Map<string, number>> {
  const rows = await page
    .locator("table[role=grid] tr[data-index]")
    .evaluateAll((trs) => trs.map((tr) => [tr.querySelector("th b")!.textContent!, Number((tr as HTMLElement).dataset.index)] as const));
  return new Map(rows);
}

/** Each column's index in the grid by its body's name (the heading's title is "Name (Kind)"). */
async function columnIndexes(page: Page): Promise<Map<string, number>> {
  const names = await page
    .locator("table[role=grid] thead th.matrix__head")
    .evaluateAll((ths) => ths.map((th) => (th as HTMLElement).title.replace(/ \([^()]*\)$/, "")));
  return new Map(names.map((name, i) => [name, i]));
}

async function codeAt(page: Page, at: Position): Promise<string> {
  return (await page.locator(`table[role=grid] tr[data-index="${at.row}"] td.c`).nth(at.col).innerText()).trim();
}

/** The status line says so once no save is under way (a cell being saved is marked at once, before the line changes). */
async function waitUntilSaved(page: Page): Promise<void> {
  await expect
    .poll(async () => ((await page.locator("td.c.is-saving").count()) > 0 ? "a cell is saving" : page.locator(".matrix__status").innerText()), {
      timeout: 10_000,
    })
    .toBe("All changes saved.");
}

describe("building a trust's structure and editing its first scheme", () => {
  it("lets the clerk of an empty trust build a structure, start a draft, and set codes with the keyboard alone", async () => {
    const { page } = session;
    await signIn(page, trust.clerkEmail, trust.clerkPassword);
    await page.goto(`/trusts/${trust.slug}/structure`);
    await waitForHydration(page);

    await addBody(page, { kind: "Trust board", name: BOARD });
    await addBody(page, { kind: "Board committee", name: COMMITTEE, under: BOARD });
    await addBody(page, { kind: "Headteacher and school leadership", name: HEADS });
    await addBody(page, { kind: "Local governing body", name: COUNCILS, column: "None: it is a column of the matrix itself" });
    await addBody(page, { kind: "Local governing body", name: COUNCIL, column: `Under ${COUNCILS}` });
    await addSchool(page, { urn: "171050", name: SCHOOL, localBoard: COUNCIL });
    const schools = page.getByRole("table", { name: "The trust's schools" });
    expect(await schools.getByRole("row").filter({ has: page.getByRole("rowheader", { name: SCHOOL, exact: true }) }).innerText()).toContain(COUNCIL);

    // A trust with no version of its scheme is offered a draft.
    await page.goto(`/trusts/${trust.slug}/scheme`);
    await page.getByText("This trust has no scheme yet.").waitFor();
    await page.getByRole("button", { name: "Start a draft" }).click();
    const grid = page.getByRole("grid", { name: "Delegation matrix" });
    await grid.waitFor();
    await waitForHydration(page);

    const rows = await rowIndexes(page);
    const columns = await columnIndexes(page);
    // 1.2 is the trust's vision, which only the board may decide; 1.1 each academy's, which anyone may.
    const indexOf = (map: Map<string, number>, name: string): number => {
      const index = map.get(name);
      if (index === undefined) throw new Error(`The matrix has no ${name}`);
      return index;
    };
    const [own, vision] = [indexOf(rows, "1.1"), indexOf(rows, "1.2")];
    const [board, committee, heads, councils] = [indexOf(columns, BOARD), indexOf(columns, COMMITTEE), indexOf(columns, HEADS), indexOf(columns, COUNCILS)];
    // Individual boards answer under their column: the council is no column of its own.
    expect(columns.has(COUNCIL)).toBe(false);

    expect(await tabIntoGrid(page)).toEqual({ row: 0, col: 0 });
    await arrowTo(page, { row: vision, col: board });
    await page.keyboard.press("d");
    await arrowTo(page, { row: vision, col: committee });
    await page.keyboard.press("r");
    await arrowTo(page, { row: vision, col: heads });
    await page.keyboard.press("i");
    await arrowTo(page, { row: vision, col: councils });
    await page.keyboard.press("c");
    await arrowTo(page, { row: own, col: heads });
    await page.keyboard.press("e");
    await waitUntilSaved(page);

    // Only the board may set the trust's vision: D for the heads is refused, with the reason, and their I stays.
    await arrowTo(page, { row: vision, col: heads });
    await page.keyboard.press("d");
    await expect
      .poll(() => page.getByRole("alert").filter({ hasText: "1.2" }).innerText())
      .toBe(`1.2, ${HEADS}: Only the trust board may decide "Set the trust's vision, values and strategic aims".`);
    expect(await codeAt(page, { row: vision, col: heads })).toBe("I");

    await arrowTo(page, { row: vision, col: councils });
    await page.keyboard.press("Delete");
    await waitUntilSaved(page);
    expect(await codeAt(page, { row: vision, col: councils })).toBe("");

    await page.reload();
    await grid.waitFor();
    expect(await codeAt(page, { row: vision, col: board })).toBe("D");
    expect(await codeAt(page, { row: vision, col: committee })).toBe("R");
    expect(await codeAt(page, { row: vision, col: heads })).toBe("I");
    expect(await codeAt(page, { row: vision, col: councils })).toBe("");
    expect(await codeAt(page, { row: own, col: heads })).toBe("E");
  });
});
