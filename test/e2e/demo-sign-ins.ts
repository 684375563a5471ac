/** Reading the "Demo sign-ins" table on the sign-in page, as a first-time visitor would. */
import type { Page } from "playwright-core";

export interface DemoSignIn {
  role: string;
  email: string;
  password: string;
}

export async function demoSignIns(page: Page): Promise<DemoSignIn[]> {
  const panel = page.getByRole("region", { name: "Demo sign-ins" });
  // Just after signing out the address is already /sign-in while the page is still being drawn.
  await panel.locator("tbody tr").first().waitFor();
  const rows = await panel.locator("tbody tr").all();
  const people: DemoSignIn[] = [];
  for (const row of rows) {
    const [role, email, password] = (await row.locator("td").allInnerTexts()).map((text) => text.trim());
    people.push({ role: role!, email: email!, password: password! });
  }
  return people;
}

/** The demo sign-in shown for a role (by its label, e.g. "Viewer"); fails when the page shows none. */
export async function demoSignInFor(page: Page, roleLabel: string): Promise<DemoSignIn> {
  if (new URL(page.url()).pathname !== "/sign-in") await page.goto("/sign-in");
  const person = (await demoSignIns(page)).find((p) => p.role === roleLabel);
  if (!person) throw new Error(`The sign-in page shows no demo sign-in for the role "${roleLabel}".`);
  return person;
}
