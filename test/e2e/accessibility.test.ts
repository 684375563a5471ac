import { describe, inject, it } from "vitest";
import { ROLE_LABELS } from "~/domain/roles";
import { expectAccessible, signIn, useBrowser, waitForHydration } from "../support/browser";
import { demoSignInFor } from "./demo-sign-ins";

const demoTrust = inject("demoTrust");
const session = useBrowser();

describe("accessibility (axe-core: no serious or critical violations)", () => {
  it("holds on the sign-in page", async () => {
    const { page } = session;
    await page.goto("/sign-in");
    await waitForHydration(page);
    await expectAccessible(page, "the sign-in page");
  });

  it("holds on a clerk's pages: trusts, overview, people, strategy, checks, centralisation profile, history, differences, schools, settings and autonomy tiers", async () => {
    const { page } = session;
    const clerk = await demoSignInFor(page, ROLE_LABELS.clerk);
    await signIn(page, clerk.email, clerk.password);
    for (const [label, path] of [
      ["the list of trusts", "/trusts"],
      ["the trust overview", `/trusts/${demoTrust.slug}`],
      ["the people page", `/trusts/${demoTrust.slug}/people`],
      ["the checks settings page", `/trusts/${demoTrust.slug}/settings`],
      ["the autonomy tiers page", `/trusts/${demoTrust.slug}/tiers`],
      ["the strategy profile", `/trusts/${demoTrust.slug}/strategy`],
      ["the checks of the approved version 2", `/trusts/${demoTrust.slug}/versions/2/checks`],
      ["the centralisation profile of the approved version 2", `/trusts/${demoTrust.slug}/versions/2/profile`],
      ["the history of the approved version 2", `/trusts/${demoTrust.slug}/versions/2/history`],
      ["the history of version 2 with a date refused", `/trusts/${demoTrust.slug}/versions/2/history?from=2025-02-30`],
      ["the history of the trust", `/trusts/${demoTrust.slug}/history`],
      ["the history of the trust with a kind of change refused", `/trusts/${demoTrust.slug}/history?kind=everything`],
      ["the differences between versions 2 and 3", `/trusts/${demoTrust.slug}/versions/3/diff?from=2`],
      ["the schools and their reviews", `/trusts/${demoTrust.slug}/schools`],
    ] as const) {
      await page.goto(path);
      await waitForHydration(page);
      await expectAccessible(page, label);
    }
  });
});
