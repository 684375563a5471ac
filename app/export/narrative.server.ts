/**
 * The narrative sections of the Word document: Handlebars templates kept in templates/, filled in with
 * the document's data and turned into plain paragraphs. Only the files in templates/ are ever compiled;
 * what users typed is data handed to them. Handlebars escapes for HTML and the Word writer escapes for
 * XML, so the templates are compiled without escaping: the text that comes out is plain text, for the
 * Word document only, and never goes into a web page.
 */
import fs from "node:fs";
import path from "node:path";
import Handlebars from "handlebars";
import { appRoot } from "../../db/client";

/**
 * A paragraph of narrative: a line of the template's output; an item of a list where the line starts
 * with "- "; a heading within the section where it starts with "## ".
 */
export interface NarrativeBlock {
  kind: "paragraph" | "bullet" | "subheading";
  text: string;
}

const compiled = new Map<string, HandlebarsTemplateDelegate>();

/** A template by its file's name in templates/, without ".hbs". */
function template(name: string): HandlebarsTemplateDelegate {
  let found = compiled.get(name);
  if (!found) {
    if (!/^[a-z][a-z0-9-]*$/.test(name)) throw new Error(`"${name}" is not the name of a narrative template.`);
    const source = fs.readFileSync(path.join(appRoot(), "templates", `${name}.hbs`), "utf8");
    // strict: a name the data lacks is a mistake in the template, found by the tests rather than printed as nothing.
    found = Handlebars.compile(source, { noEscape: true, strict: true });
    compiled.set(name, found);
  }
  return found;
}

/** Splits text into paragraphs: one per line, blank lines dropped, "- " lines as list items, "## " lines as headings. */
export function blocksOf(text: string): NarrativeBlock[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== "")
    .map((line): NarrativeBlock => {
      if (line.startsWith("- ")) return { kind: "bullet", text: line.slice(2).trim() };
      if (line.startsWith("## ")) return { kind: "subheading", text: line.slice(3).trim() };
      return { kind: "paragraph", text: line };
    });
}

/** The template's text with this data, as paragraphs. */
export function narrative(name: string, data: object): NarrativeBlock[] {
  return blocksOf(template(name)(data));
}
