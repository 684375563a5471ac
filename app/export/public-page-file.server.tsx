/**
 * The published page as one standalone HTML file (`sod export --format html`): the same content as
 * /p/TRUST-SLUG, with its stylesheets written into the file and no scripts, so that a trust can put
 * it on its own website or keep it with the board's papers, and it opens anywhere without this app.
 */
import fs from "node:fs";
import path from "node:path";
import { renderToStaticMarkup } from "react-dom/server";
import { appRoot } from "../../db/client";
import { escapeHtml } from "../components/matrix-html";
import { PublicScheme } from "../components/public-scheme";
import type { PublicSchemeView } from "../domain/public-scheme";

/** The page's own stylesheets, in the order the web page links them. */
const STYLESHEETS = ["app.css", "public-scheme.css"];

function styles(): string {
  return STYLESHEETS.map((name) => fs.readFileSync(path.join(appRoot(), "app", "styles", name), "utf8")).join("\n");
}

export function publicPageFile(view: PublicSchemeView): string {
  const title = `Scheme of delegation · ${view.trustName}`;
  const description = `The scheme of delegation of ${view.trustName}: who decides what, version ${view.version.number}.`;
  // The Word document is not beside the file, so the page offers no download.
  const body = renderToStaticMarkup(<PublicScheme view={view} wordHref={null} />);
  return (
    "<!DOCTYPE html>\n" +
    '<html lang="en-GB">\n<head>\n<meta charset="utf-8">\n<meta name="viewport" content="width=device-width, initial-scale=1">\n' +
    `<title>${escapeHtml(title)}</title>\n<meta name="description" content="${escapeHtml(description)}">\n` +
    `<style>\n${styles()}\n</style>\n</head>\n<body>\n<main id="main" class="page">${body}</main>\n</body>\n</html>\n`
  );
}
