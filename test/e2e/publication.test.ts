/**
 * Publication in the browser: the clerk publishes the approved version from its page; someone with
 * no account (a new browser context, no cookies) reads it at /p/TRUST-SLUG, accessible, with the
 * page's scripts allowed by its nonce, and downloads the Word document; the draft, its document and
 * every other page of the trust send that person to sign in. The clerk, signed in, downloads the
 * version's document from its page, read back with python-docx. Other tests share the demo trust and may approve
 * or start drafts, so the versions are found from the pages, never by a fixed number.
 */
import fs from "node:fs";
import type { Page } from "playwright-core";
import { describe, expect, inject, it } from "vitest";
import { ROLE_LABELS } from "~/domain/roles";
import { expectAccessible, signIn, useBrowser, waitForHydration } from "../support/browser";
import { readDocx, tablesOf } from "../support/word-documents";
import { demoSignInFor } from "./demo-sign-ins";

const demoTrust = inject("demoTrust");
const session = useBrowser();

/** The number of the trust's version with this status, from the versions shown on a version's page; null if none. */
async function versionNumber(page: Page, status: "approved" | "draft"): Promise<number | null> {
  const nav = page.getByRole("navigation", { name: "Versions" });
  const current = await nav.locator('[aria-current="page"]').innerText();
  const heading = await page.getByRole("heading", { level: 1 }).innerText();
  if (heading.includes(status)) return Number(current.trim());
  const link = nav.getByRole("link", { name: new RegExp(`\\(${status}\\)`) });
  return (await link.count()) > 0 ? Number(/^\d+/.exec(await link.first().innerText())![0]) : null;
}

describe("publishing the scheme", () => {
  it("lets the clerk publish the approved version, which anyone then reads and downloads without signing in", async () => {
    const { page } = session;
    const clerk = await demoSignInFor(page, ROLE_LABELS.clerk);
    await signIn(page, clerk.email, clerk.password);
    await page.goto(`/trusts/${demoTrust.slug}/scheme`);
    await waitForHydration(page);
    await page.getByRole("navigation", { name: "Versions" }).waitFor();
    const approved = (await versionNumber(page, "approved"))!;
    let draft = await versionNumber(page, "draft");

    await page.goto(`/trusts/${demoTrust.slug}/versions/${approved}`);
    await waitForHydration(page);
    const publication = page.getByRole("region", { name: "Publication" });
    // Whatever was published before (another version, or this one by an earlier run), this version is published now.
    if ((await publication.getByRole("button", { name: "Publish this version" }).count()) > 0) {
      expect(await publication.innerText()).toContain("Nothing else of the trust becomes public");
      await publication.getByRole("button", { name: "Publish this version" }).click();
      await page.waitForURL((url) => url.pathname === `/trusts/${demoTrust.slug}/versions/${approved}` && url.searchParams.has("published"));
      await expect.poll(() => page.getByRole("status").filter({ hasText: "is published" }).innerText()).toBe(`Version ${approved} is published.`);
    }
    expect(await publication.innerText()).toContain(`This version is published at /p/${demoTrust.slug}`);
    expect(await publication.getByRole("button", { name: "Stop publishing" }).count()).toBe(1);
    await expectAccessible(page, "a published version's page");

    // The clerk's own copy, signed in, from the version's page: the document the board approved.
    const [own] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: `Download version ${approved} as a Word document` }).click()]);
    expect(own.suggestedFilename()).toBe(`${demoTrust.slug}-scheme-of-delegation-v${approved}.docx`);
    const cover = tablesOf(await readDocx(await own.path()))[0]!.rows.map(([label, value]) => `${label}: ${value}`);
    expect(cover).toEqual(expect.arrayContaining([`Version: ${approved}`, "Status: Approved"]));

    // A draft to try to reach: the one the trust has, or a new one.
    if (draft === null) {
      await page.getByRole("button", { name: "Start a new draft from the approved version" }).click();
      await page.waitForURL((url) => /\/versions\/\d+$/.test(url.pathname) && !url.pathname.endsWith(`/${approved}`));
      draft = Number(/(\d+)$/.exec(new URL(page.url()).pathname)![1]);
    }

    // Someone with no account, in a browser of their own.
    const anonymous = await session.browser.newContext({ baseURL: session.baseUrl, acceptDownloads: true });
    try {
      const visitor = await anonymous.newPage();
      const problems: string[] = [];
      visitor.on("console", (message) => {
        if (message.type() === "error") problems.push(message.text());
      });
      const answer = await visitor.goto(`/p/${demoTrust.slug}`);
      expect(answer?.status()).toBe(200);
      // The page's own scripts run: the Content-Security-Policy's nonce lets them through.
      await waitForHydration(visitor);
      expect(problems.filter((p) => /Content Security Policy/i.test(p))).toEqual([]);
      expect(await visitor.getByRole("heading", { level: 1 }).innerText()).toContain(demoTrust.name);
      expect(await visitor.locator(".public-scheme__approval").innerText()).toMatch(new RegExp(`Version\\s+${approved}\\b`));
      expect(await visitor.getByRole("link", { name: "Sign out" }).count()).toBe(0);
      expect(await visitor.getByRole("table", { name: /governance bodies/ }).innerText()).toContain("Margaret Kettlewell");
      expect(await visitor.getByRole("table", { name: /^1\. Vision and values/ }).count()).toBe(1);
      expect(await visitor.getByRole("region", { name: /^1\. Vision and values: / }).getAttribute("tabindex")).toBe("0");
      await expectAccessible(visitor, "the published scheme");

      const [download] = await Promise.all([
        visitor.waitForEvent("download"),
        visitor.getByRole("link", { name: "Download the scheme of delegation as a Word document" }).click(),
      ]);
      expect(download.suggestedFilename()).toBe(`${demoTrust.slug}-scheme-of-delegation-v${approved}.docx`);
      const file = await download.path();
      expect(fs.readFileSync(file).subarray(0, 2).toString("latin1")).toBe("PK");

      // The draft, the approved version's own page and the trust's other pages stay behind sign-in.
      for (const path of [
        `/trusts/${demoTrust.slug}/versions/${draft}`,
        `/trusts/${demoTrust.slug}/versions/${draft}.docx`,
        `/trusts/${demoTrust.slug}/versions/${approved}`,
        `/trusts/${demoTrust.slug}/structure`,
      ]) {
        await visitor.goto(path);
        expect(new URL(visitor.url()).pathname, path).toBe("/sign-in");
      }
    } finally {
      await anonymous.close();
    }
  });

  it("shows a signed-in person the same public page, without the app's navigation or their name", async () => {
    const { page } = session;
    const viewer = await demoSignInFor(page, ROLE_LABELS.viewer);
    await signIn(page, viewer.email, viewer.password);
    await page.goto(`/p/${demoTrust.slug}`);
    await waitForHydration(page);
    expect(await page.locator(".site-header").count()).toBe(0);
    expect(await page.content()).not.toContain(viewer.email);
  });
});
