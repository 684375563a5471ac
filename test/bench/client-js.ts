/**
 * The JavaScript a browser loads for the matrix page: every script file the page's HTML names (script
 * src, modulepreload links, the inline module script's imports) and the files those import in turn,
 * each fetched from the server once and gzipped with zlib's default level. The build is the same
 * whichever database is behind it, so this is measured once per run.
 */
import zlib from "node:zlib";
import { send, text } from "./http";
import { withNationalTrustServer } from "./national-trust-server";
import type { Benchmark, Figure } from "./types";

export const CLIENT_JS_TARGET_KB = 200;

/** A module specifier a browser would fetch from this server: a path, not a bare package name. */
const isPath = (specifier: string) => /^(\/|\.\.?\/)/.test(specifier);

function attribute(tag: string, name: string): string | null {
  return new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, "i").exec(tag)?.slice(1).find((v) => v !== undefined) ?? null;
}

/** Static imports and re-exports of a module (`import x from "…"`, `import "…"`, `export * from "…"`). */
function staticImports(code: string): string[] {
  const found = [...code.matchAll(/(?:^|[^\w$.])(?:import|export)\s*(?:[\w$*{}\s,]*?\bfrom\s*)?["']([^"'\n]+)["']/g)].map((m) => m[1]!);
  return found.filter(isPath);
}

/** The script files the page's HTML names, in the order a browser meets them. */
function scriptsOfPage(html: string): string[] {
  const found: string[] = [];
  for (const [tag] of html.matchAll(/<script\b[^>]*>/gi)) {
    const src = attribute(tag, "src");
    if (src) found.push(src);
  }
  for (const [tag] of html.matchAll(/<link\b[^>]*>/gi)) {
    const href = attribute(tag, "href");
    if (href && attribute(tag, "rel")?.toLowerCase().split(/\s+/).includes("modulepreload")) found.push(href);
  }
  for (const [, code] of html.matchAll(/<script\b(?![^>]*\ssrc\s*=)[^>]*>([\s\S]*?)<\/script>/gi)) {
    found.push(...staticImports(code!));
    // The inline script starts the app with import("…"): that file loads with the page too.
    found.push(...[...code!.matchAll(/\bimport\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1]!).filter(isPath));
  }
  return found;
}

let measured = false;

export const clientJs: Benchmark = {
  name: "client-js",
  summary: "Gzipped size of the JavaScript the matrix page loads (measured once, on the first database)",
  async run(target, log) {
    if (measured) {
      log("the build does not depend on the database: measured once already");
      return [];
    }
    const figures = await withNationalTrustServer(target, log, async () => null, async ({ cookie, matrixUrl }) => {
      const page = await send(matrixUrl, { headers: { cookie } });
      if (page.status !== 200) throw new Error(`The matrix page answered ${page.status}.`);
      const pageUrl = new URL(matrixUrl);
      const files = new Map<string, { bytes: number; gzipped: number }>();
      const queue = scriptsOfPage(text(page)).map((s) => new URL(s, pageUrl).href);
      const fromPage = new Set(queue).size;
      while (queue.length > 0) {
        const url = queue.shift()!;
        if (files.has(url) || new URL(url).origin !== pageUrl.origin) continue;
        const reply = await send(url);
        if (reply.status !== 200) throw new Error(`The page loads ${new URL(url).pathname}, which answered ${reply.status}.`);
        const code = text(reply);
        const bytes = Buffer.from(code, "utf8");
        files.set(url, { bytes: bytes.length, gzipped: zlib.gzipSync(bytes).length });
        queue.push(...staticImports(code).map((s) => new URL(s, url).href));
      }
      if (files.size === 0) throw new Error("The matrix page names no script files.");
      const sum = (key: "bytes" | "gzipped") => [...files.values()].reduce((total, f) => total + f[key], 0) / 1024;
      const largest = [...files.entries()]
        .sort(([, a], [, b]) => b.gzipped - a.gzipped)
        .slice(0, 3)
        .map(([url, f]) => `${new URL(url).pathname} ${(f.gzipped / 1024).toFixed(0)} KB`);
      const more = files.size - fromPage;
      log(`${files.size} script files (${fromPage} named by the page${more > 0 ? `, ${more} more imported by them` : ""}): ${sum("bytes").toFixed(0)} KB, ${sum("gzipped").toFixed(0)} KB gzipped`);
      return [
        {
          name: "matrix page JavaScript, gzipped",
          value: sum("gzipped"),
          unit: "KB",
          target: { below: CLIENT_JS_TARGET_KB },
          detail: `${files.size} files, ${sum("bytes").toFixed(0)} KB before compression, each gzipped alone (zlib default level); largest: ${largest.join(", ")}; the same for either database`,
        },
      ] satisfies Figure[];
    });
    measured = true;
    return figures;
  },
};
