/**
 * Every response of the real server carries the security headers (app/http-server.js sets them before
 * anything else runs): pages, data requests, downloads, the health check, static files, and refusals
 * and errors (404, 403, 405, a redirect to sign in). Each page's scripts carry that response's own
 * nonce. And in production the session cookie is Secure.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { DEMO_USERS } from "../../db/seed";
import { startAppServer, type AppServer } from "../support/server";

const baseUrl = inject("appUrl");
const demo = inject("demoTrust");
const other = inject("otherTrust");

const person = (role: string) => DEMO_USERS.find((p) => p.role === role)!;

/** Signs in through the real sign-in form and returns the whole Set-Cookie header. */
async function signIn(url: string, role: string): Promise<string> {
  const { email, password } = person(role);
  const response = await fetch(`${url}/sign-in`, {
    method: "POST",
    body: new URLSearchParams({ email, password }),
    redirect: "manual",
  });
  expect(response.status, `signing in as the ${role}`).toBe(302);
  return response.headers.get("set-cookie")!;
}

const cookies: Record<string, string> = {};

beforeAll(async () => {
  for (const role of ["clerk", "viewer"]) cookies[role] = (await signIn(baseUrl, role)).split(";")[0]!;
});

function expectSecurityHeaders(response: Response, what: string) {
  const csp = response.headers.get("content-security-policy") ?? "";
  const directives = csp.split(";").map((d) => d.trim());
  expect(directives, `${what}: Content-Security-Policy`).toContain("frame-ancestors 'none'");
  expect(directives, `${what}: Content-Security-Policy`).toContain("default-src 'self'");
  expect(directives, `${what}: Content-Security-Policy`).toContain("object-src 'none'");
  expect(directives, `${what}: Content-Security-Policy`).toContain("base-uri 'none'");
  expect(directives, `${what}: Content-Security-Policy`).toContain("form-action 'self'");
  expect(directives.find((d) => d.startsWith("script-src")), `${what}: script-src`).toMatch(/^script-src 'self' 'nonce-[A-Za-z0-9+/]{22}==' ?$/);
  expect(response.headers.get("x-content-type-options"), `${what}: X-Content-Type-Options`).toBe("nosniff");
  expect(response.headers.get("referrer-policy"), `${what}: Referrer-Policy`).toBe("same-origin");
  expect(response.headers.get("x-frame-options"), `${what}: X-Frame-Options`).toBe("DENY");
}

async function get(path: string, role?: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${baseUrl}${path}`, { redirect: "manual", ...init, headers: { ...(role ? { cookie: cookies[role]! } : {}), ...init.headers } });
}

describe("the security headers", () => {
  it.each([
    ["the sign-in page", "/sign-in", undefined, 200, "text/html"],
    ["a trust's page", `/trusts/${demo.slug}`, "clerk", 200, "text/html"],
    ["a page's data, as the app fetches it after the first page", `/trusts/${demo.slug}.data`, "clerk", 200, "text/x-script"],
    ["the health check (a resource route)", "/healthcheck", undefined, 200, "text/plain"],
    ["the matrix as CSV (a download)", `/trusts/${demo.slug}/versions/2.csv`, "clerk", 200, "text/csv"],
    ["the scheme as a Word document (a download sent as it is made)", `/trusts/${demo.slug}/versions/2.docx`, "clerk", 200, "application/vnd.openxmlformats"],
    ["a static file", "/favicon.ico", undefined, 200, "image/x-icon"],
    ["an address that is no page (404)", "/no-such-page", "clerk", 404, "text/html"],
    ["another trust's page (404)", `/trusts/${other.slug}`, "clerk", 404, "text/html"],
    ["a page the role may not open (403)", `/trusts/${demo.slug}/versions/3/approve`, "viewer", 403, "text/html"],
    ["a trust's page without a session (sent to sign in)", `/trusts/${demo.slug}`, undefined, 302, null],
  ] as const)("are on %s", async (what, path, role, status, type) => {
    const response = await get(path, role);
    expect(response.status, what).toBe(status);
    if (type) expect(response.headers.get("content-type") ?? "", what).toContain(type);
    expectSecurityHeaders(response, what);
    await response.arrayBuffer();
  });

  it("are on a post to an address that takes none (405)", async () => {
    const response = await get(`/trusts/${demo.slug}/history`, "clerk", {
      method: "POST",
      body: new URLSearchParams({ anything: "1" }),
    });
    expect(response.status).toBe(405);
    expectSecurityHeaders(response, "a post to a page without an action");
    await response.arrayBuffer();
  });

  it("give each page a nonce of its own, which its scripts carry", async () => {
    const pages = await Promise.all([get("/sign-in"), get("/sign-in")]);
    const nonces = await Promise.all(
      pages.map(async (response) => {
        const nonce = /'nonce-([^']+)'/.exec(response.headers.get("content-security-policy")!)![1]!;
        const html = await response.text();
        const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
        expect(scripts.length).toBeGreaterThan(0);
        for (const script of scripts) expect(script).toContain(`nonce="${nonce}"`);
        return nonce;
      }),
    );
    expect(nonces[0]).not.toBe(nonces[1]);
  });
});

describe("in production", () => {
  let server: AppServer;
  beforeAll(async () => {
    // As installed: NODE_ENV=production, without the end-to-end tests' plain-HTTP allowance.
    server = await startAppServer({ env: { SOD_INSECURE_COOKIES: "0" } });
  });
  afterAll(() => server?.stop());

  it("sets the session cookie Secure, HttpOnly and SameSite=Lax", async () => {
    const attributes = (await signIn(server.url, "clerk")).split(";").map((a) => a.trim().toLowerCase());
    expect(attributes[0]).toMatch(/^__session=.+/);
    expect(attributes).toContain("secure");
    expect(attributes).toContain("httponly");
    expect(attributes).toContain("samesite=lax");
  });
});
