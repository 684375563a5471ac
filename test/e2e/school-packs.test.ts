/**
 * Every school's pack as one ZIP, as the clerk makes it: from the version's page to its school packs
 * page (checked by axe), the export started, its progress bar followed to 100 % and the ZIP
 * downloaded and read by Python's zipfile; and the same without JavaScript, the page refreshing
 * itself until the packs are ready. Version 1 of the demo is used: it is superseded and stays as it
 * is whatever the other tests approve.
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, inject, it } from "vitest";
import { ROLE_LABELS } from "~/domain/roles";
import { expectAccessible, signIn, useBrowser, waitForHydration } from "../support/browser";
import { demoSignInFor } from "./demo-sign-ins";

const run = promisify(execFile);
const demoTrust = inject("demoTrust");
const session = useBrowser();

/** The demo's version 1 was approved before the two joiners and the last school came: its schools. */
const VERSION = 1;

async function zipEntries(file: string): Promise<string[]> {
  const { stdout } = await run("/usr/bin/python3", [path.resolve(import.meta.dirname, "../support/read-zip.py"), file]);
  const zip = JSON.parse(stdout) as { entries: { name: string }[]; intact: boolean };
  expect(zip.intact).toBe(true);
  return zip.entries.map((e) => e.name);
}

describe("the school packs of a version", () => {
  it("are made in the background with a progress bar that reaches 100 %, and downloaded as a ZIP", async () => {
    const { page } = session;
    const clerk = await demoSignInFor(page, ROLE_LABELS.clerk);
    await signIn(page, clerk.email, clerk.password);
    await page.goto(`/trusts/${demoTrust.slug}/versions/${VERSION}`);
    await page.getByRole("link", { name: "School packs" }).click();
    await page.getByRole("heading", { level: 1, name: `School packs of version ${VERSION}` }).waitFor();
    await waitForHydration(page);
    await expectAccessible(page, "the school packs page before an export");

    await page.getByRole("button", { name: /^Make (every school's pack|the packs again)$/ }).click();
    const bar = page.getByRole("progressbar", { name: "Packs made" });
    await bar.waitFor();
    // Followed as the page polls: the figures only ever go up, to every pack.
    const seen: number[] = [];
    await expect
      .poll(
        async () => {
          const figures = await page.locator(".job-progress__figures").first().innerText();
          const match = /^(\d+) of (\d+) packs \((\d+) %\)$/.exec(figures);
          if (match) seen.push(Number(match[1]));
          return match?.[3] ?? figures;
        },
        { timeout: 60_000, interval: 200 },
      )
      .toBe("100");
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(await bar.getAttribute("value")).toBe(await bar.getAttribute("max"));
    await page.getByRole("heading", { level: 2, name: "The packs are ready" }).waitFor();
    expect(await page.getByRole("status").filter({ hasText: "Packs made" }).innerText()).toBe("Packs made: 100 %.");
    await expectAccessible(page, "the school packs page when the packs are ready");

    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download the packs" }).click()]);
    expect(download.suggestedFilename()).toBe(`${demoTrust.slug}-school-packs-version-${VERSION}.zip`);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "sod-packs-e2e-")), download.suggestedFilename());
    await download.saveAs(file);
    const entries = await zipEntries(file);
    expect(entries.length).toBeGreaterThanOrEqual(10);
    expect(entries.every((name) => /^\d{6}-[a-z0-9-]+\.docx$/.test(name))).toBe(true);
    expect(entries).toContain("146318-devils-arrows-primary-school.docx");
  });

  it("can be made again without JavaScript, the page refreshing itself until they are ready", async () => {
    const context = await session.browser.newContext({ baseURL: session.baseUrl, javaScriptEnabled: false });
    try {
      const page = await context.newPage();
      const clerk = await demoSignInFor(page, ROLE_LABELS.clerk);
      await page.goto("/sign-in");
      await page.getByLabel("Email address").fill(clerk.email);
      await page.getByLabel("Password", { exact: true }).fill(clerk.password);
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.waitForURL((url) => url.pathname === "/trusts");
      await page.goto(`/trusts/${demoTrust.slug}/versions/${VERSION}/packs`);
      await page.getByRole("button", { name: /^Make (every school's pack|the packs again)$/ }).click();
      await page.waitForURL((url) => url.pathname === `/trusts/${demoTrust.slug}/versions/${VERSION}/packs`);
      // The meta refresh reloads the page every few seconds while the packs are made.
      await page.getByRole("heading", { level: 2, name: "The packs are ready" }).waitFor({ timeout: 60_000 });
      expect(await page.getByRole("link", { name: "Download the packs" }).getAttribute("href")).toBe(`/trusts/${demoTrust.slug}/versions/${VERSION}/packs.zip`);
    } finally {
      await context.close();
    }
  });
});
