import { describe, expect, inject, it } from "vitest";
import { ROLE_LABELS } from "~/domain/roles";
import { cookieHeader, signIn, useBrowser } from "../support/browser";
import { demoSignInFor } from "./demo-sign-ins";

const demoTrust = inject("demoTrust");
const session = useBrowser();

describe("signing in and out", () => {
  it("lets a clerk sign in with the demo sign-in shown on the page and open the demo trust", async () => {
    const { page } = session;
    const clerk = await demoSignInFor(page, ROLE_LABELS.clerk);
    await signIn(page, clerk.email, clerk.password);

    const link = page.getByRole("main").getByRole("link", { name: demoTrust.name, exact: true });
    expect(await link.count()).toBe(1);
    await link.click();
    await page.getByRole("heading", { level: 1, name: demoTrust.name, exact: true }).waitFor();
    expect(new URL(page.url()).pathname).toBe(`/trusts/${demoTrust.slug}`);
    const clusterSchools = await page.locator('table[aria-labelledby="clusters"] tbody tr td.numeric:nth-child(2)').allInnerTexts();
    expect(await page.getByRole("list", { name: "The trust at a glance" }).innerText()).toMatch(/\b15\s+schools\b/);
    // Thirteen schools in the three clusters and the two joining schools in none, unless the break-point
    // review's test has since added a cluster for them: either way the clusters and the rest make fifteen.
    const inClusters = clusterSchools.reduce((sum, n) => sum + Number(n), 0);
    const outside = /\b(\d+) schools? in no cluster\b/.exec(await page.getByRole("main").innerText());
    expect([inClusters, outside ? Number(outside[1]) : 0]).toEqual(inClusters === 13 ? [13, 2] : [15, 0]);
  });

  it("refuses a wrong password with a message on the page, and stays signed out", async () => {
    const { page, context, baseUrl } = session;
    const clerk = await demoSignInFor(page, ROLE_LABELS.clerk);
    await page.getByLabel("Email address").fill(clerk.email);
    await page.getByLabel("Password", { exact: true }).fill(`${clerk.password}-not`);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("alert").filter({ hasText: "email address or password is not right" }).waitFor();
    expect(new URL(page.url()).pathname).toBe("/sign-in");
    expect(await cookieHeader(context, baseUrl)).not.toContain("__session=");
  });

  it("ends the session on signing out: the old cookie no longer opens the list of trusts", async () => {
    const { page, context, baseUrl } = session;
    const clerk = await demoSignInFor(page, ROLE_LABELS.clerk);
    await signIn(page, clerk.email, clerk.password);
    const cookie = await cookieHeader(context, baseUrl);
    const before = await fetch(`${baseUrl}/trusts`, { headers: { cookie }, redirect: "manual" });
    expect(before.status).toBe(200);
    expect(await before.text()).toContain(demoTrust.name);

    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL((url) => url.pathname === "/sign-in");

    const after = await fetch(`${baseUrl}/trusts`, { headers: { cookie }, redirect: "manual" });
    expect(after.status).toBe(302);
    expect(new URL(after.headers.get("location")!, baseUrl).pathname).toBe("/sign-in");
    await page.goto("/trusts");
    expect(new URL(page.url()).pathname).toBe("/sign-in");
  });
});
