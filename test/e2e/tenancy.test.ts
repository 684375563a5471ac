import { describe, expect, inject, it } from "vitest";
import { ROLE_LABELS } from "~/domain/roles";
import { signIn, useBrowser } from "../support/browser";
import { demoSignInFor } from "./demo-sign-ins";

const otherTrust = inject("otherTrust");
const session = useBrowser();

/** Nothing of the other trust may show: not its name, nor its people. */
function expectNothingOf(html: string) {
  expect(html).not.toContain(otherTrust.name);
  expect(html).not.toContain(otherTrust.clerkName);
  expect(html).not.toContain(otherTrust.clerkEmail);
}

describe("another trust's pages", () => {
  it("answer 404 with none of its data to a demo user who is not a member", async () => {
    const { page } = session;
    const clerk = await demoSignInFor(page, ROLE_LABELS.clerk);
    await signIn(page, clerk.email, clerk.password);
    expectNothingOf(await page.content());

    for (const path of [`/trusts/${otherTrust.slug}`, `/trusts/${otherTrust.slug}/people`, `/trusts/${otherTrust.slug}/history`]) {
      const response = await page.goto(path);
      expect(response!.status(), path).toBe(404);
      expect(await page.getByRole("heading", { level: 1 }).innerText()).toBe("Page not found");
      expectNothingOf(await response!.text());
      expectNothingOf(await page.content());
    }
  });

  it("refuse a new member posted by a clerk of another trust (404), and its members stay the same", async () => {
    const { page, context } = session;
    const clerk = await demoSignInFor(page, ROLE_LABELS.clerk);
    await signIn(page, clerk.email, clerk.password);
    const response = await context.request.post(`/trusts/${otherTrust.slug}/people`, {
      form: { intent: "add", email: clerk.email, role: "clerk" },
      maxRedirects: 0,
    });
    expect(response.status()).toBe(404);
    expectNothingOf(await response.text());
    await context.clearCookies();

    // The other trust's own clerk still sees only herself.
    await signIn(page, otherTrust.clerkEmail, otherTrust.clerkPassword);
    await page.goto(`/trusts/${otherTrust.slug}/people`);
    const rows = await page.getByRole("table", { name: "Members of this trust and their roles" }).locator("tbody tr").allInnerTexts();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toContain(otherTrust.clerkEmail);
  });
});
