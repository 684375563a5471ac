import { describe, expect, inject, it } from "vitest";
import type { Page } from "playwright-core";
import { ROLE_LABELS } from "~/domain/roles";
import { signIn, useBrowser } from "../support/browser";
import { demoSignInFor } from "./demo-sign-ins";

const demoTrust = inject("demoTrust");
const session = useBrowser();

async function memberRows(page: Page): Promise<string[]> {
  return page.getByRole("table", { name: "Members of this trust and their roles" }).locator("tbody tr").allInnerTexts();
}

describe("a viewer", () => {
  it("reads the overview and the people page, with no form to change anything", async () => {
    const { page } = session;
    const viewer = await demoSignInFor(page, ROLE_LABELS.viewer);
    await signIn(page, viewer.email, viewer.password);

    const overview = await page.goto(`/trusts/${demoTrust.slug}`);
    expect(overview!.status()).toBe(200);
    expect(await page.getByRole("heading", { level: 1 }).innerText()).toBe(demoTrust.name);

    const people = await page.goto(`/trusts/${demoTrust.slug}/people`);
    expect(people!.status()).toBe(200);
    expect((await memberRows(page)).length).toBeGreaterThan(1);
    expect((await memberRows(page)).join("\n")).toContain(viewer.email);
    const main = page.getByRole("main");
    expect(await main.locator("form, select, input, textarea").count()).toBe(0);
    expect(await main.getByRole("button").count()).toBe(0);
  });

  it("is refused (403) when posting a new member with their own cookies, and the members stay the same", async () => {
    const { page, context } = session;
    const viewer = await demoSignInFor(page, ROLE_LABELS.viewer);
    await signIn(page, viewer.email, viewer.password);
    await page.goto(`/trusts/${demoTrust.slug}/people`);
    const before = await memberRows(page);

    const response = await context.request.post(`/trusts/${demoTrust.slug}/people`, {
      form: { intent: "add", email: "gatecrasher@example.org", name: "Gate Crasher", role: "clerk", password: "let-me-in-please" },
      maxRedirects: 0,
    });
    expect(response.status()).toBe(403);
    expect(await response.text()).not.toContain("Gate Crasher");

    await page.reload();
    expect(await memberRows(page)).toEqual(before);
    expect(await page.content()).not.toContain("gatecrasher@example.org");
  });
});
