/**
 * Debian's Chromium driven by playwright-core (never a downloaded browser): one browser per test
 * file, a fresh context (no cookies) for every test, and the checks the end-to-end tests share.
 */
import fs from "node:fs";
import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach, expect, inject } from "vitest";

export const CHROMIUM_PATH = "/usr/bin/chromium";

/** Without the networking flags Chromium keeps calling home, and this machine's closed network refuses it. */
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

const screenshots = path.resolve(import.meta.dirname, "../../test-results/e2e");

/** What the browser reported as errors on each page (blocked scripts, exceptions), to explain a failure. */
const browserErrors = new WeakMap<Page, string[]>();

function watchErrors(page: Page): void {
  const errors: string[] = [];
  browserErrors.set(page, errors);
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  page.on("pageerror", (error) => errors.push(error.message));
}

export function launchBrowser(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM_PATH)) throw new Error(`Chromium is not installed at ${CHROMIUM_PATH}: apt-get install chromium`);
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
}

export interface BrowserSession {
  readonly browser: Browser;
  readonly context: BrowserContext;
  readonly page: Page;
  readonly baseUrl: string;
}

/**
 * Registers the hooks of a test file: the browser for the file, a new context and page per test,
 * and a screenshot of the page when a test fails (in test-results/e2e).
 */
export function useBrowser(): BrowserSession {
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  let page: Page | undefined;
  const baseUrl = inject("appUrl");
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });
  beforeEach(async () => {
    context = await browser!.newContext({ baseURL: baseUrl });
    page = await context.newPage();
    watchErrors(page);
  });
  afterEach(async ({ task }) => {
    if (task.result?.state === "fail" && page && !page.isClosed()) {
      fs.mkdirSync(screenshots, { recursive: true });
      const name = task.name.replace(/[^a-z0-9]+/gi, "-").slice(0, 80);
      await page.screenshot({ path: path.join(screenshots, `${name}.png`), fullPage: true }).catch(() => {});
    }
    await context?.close();
  });
  return {
    get browser() {
      return browser!;
    },
    get context() {
      return context!;
    },
    get page() {
      return page!;
    },
    baseUrl,
  };
}

/** React has hydrated the page (the root sets the attribute in an effect), so scripted controls work. */
export async function waitForHydration(page: Page): Promise<void> {
  try {
    await page.locator('html[data-hydrated="true"]').waitFor({ state: "attached", timeout: 20_000 });
  } catch (error) {
    const errors = browserErrors.get(page) ?? [];
    throw new Error(
      `${page.url()} did not hydrate: its scripts did not run.${errors.length > 0 ? ` The browser reported:\n${errors.join("\n")}` : ""}`,
      { cause: error },
    );
  }
}

/** Signs in through the sign-in page, as a person would, and waits for the list of trusts. */
export async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto("/sign-in");
  await waitForHydration(page);
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((url) => url.pathname === "/trusts");
  // After a client-side navigation the address changes a moment before the new page is drawn.
  await page.getByRole("heading", { level: 1, name: "Your trusts" }).waitFor();
}

/** The Cookie header a non-browser client would send for this context on the app's address. */
export async function cookieHeader(context: BrowserContext, url: string): Promise<string> {
  const cookies = await context.cookies(url);
  return cookies.map((c) => `${c.name}=${c.value}`).join("; ");
}

/** Fails on any serious or critical accessibility violation axe-core finds, and prints them. */
export async function expectAccessible(page: Page, label: string): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  const grave = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  const report = grave
    .map((v) => `  [${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})\n${v.nodes.map((n) => `      ${n.target.join(" ")}: ${n.failureSummary ?? ""}`).join("\n")}`)
    .join("\n");
  if (grave.length > 0) console.error(`Accessibility violations on ${label}:\n${report}`);
  expect(grave, `serious or critical accessibility violations on ${label}:\n${report}`).toEqual([]);
}
