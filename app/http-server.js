/**
 * The HTTP side of the server, kept small because every request pays for it: security headers,
 * static files from memory (hashed build files cached for a year), and Remix for the rest, with
 * pages and data compressed in one piece.
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { Readable } from "node:stream";
import { promisify } from "node:util";
import zlib from "node:zlib";
import { createRequestHandler } from "@remix-run/node";

const gzip = promisify(zlib.gzip);

const TYPES = {
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".ico": "image/x-icon",
  ".png": "image/png",
  ".svg": "image/svg+xml",
  ".txt": "text/plain; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".woff2": "font/woff2",
};

/** Bodies worth compressing: text, once it is larger than a packet. */
const COMPRESSIBLE = /^(text\/|application\/(json|javascript|xml)|image\/svg)/;
const COMPRESS_FROM_BYTES = 1024;

function securityHeaders(nonce) {
  return {
    "Content-Security-Policy": [
      "default-src 'self'",
      `script-src 'self' 'nonce-${nonce}'`,
      "style-src 'self' 'unsafe-inline'",
      "img-src 'self' data:",
      "font-src 'self'",
      "connect-src 'self'",
      "form-action 'self'",
      "frame-ancestors 'none'",
      "base-uri 'none'",
      "object-src 'none'",
    ].join("; "),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
    "Cross-Origin-Opener-Policy": "same-origin",
  };
}

/** Every file under public/ (the build's hashed files included), read once, with its compressed form. */
function loadStaticFiles(publicDir) {
  const files = new Map();
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) {
        const body = fs.readFileSync(full);
        const type = TYPES[path.extname(entry.name)] ?? "application/octet-stream";
        const urlPath = "/" + path.relative(publicDir, full).split(path.sep).join("/");
        files.set(urlPath, {
          body,
          gzipped: COMPRESSIBLE.test(type) && body.length >= COMPRESS_FROM_BYTES ? zlib.gzipSync(body, { level: 9 }) : null,
          type,
          cacheControl: urlPath.startsWith("/build/") ? "public, max-age=31536000, immutable" : "public, max-age=3600",
        });
      }
    }
  };
  if (fs.existsSync(publicDir)) walk(publicDir);
  return files;
}

function acceptsGzip(req) {
  return /\bgzip\b/.test(req.headers["accept-encoding"] ?? "");
}

function clientIp(req, trustProxy) {
  const forwarded = trustProxy ? req.headers["x-forwarded-for"] : undefined;
  // Behind a trusted proxy, the address it saw is the last one it added.
  if (typeof forwarded === "string" && forwarded.trim() !== "") return forwarded.split(",").pop().trim();
  return req.socket.remoteAddress ?? "unknown";
}

function toRequest(req, origin, signal) {
  const headers = new Headers();
  for (let i = 0; i < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i], req.rawHeaders[i + 1]);
  const hasBody = req.method !== "GET" && req.method !== "HEAD";
  return new Request(new URL(req.url, origin), {
    method: req.method,
    headers,
    body: hasBody ? Readable.toWeb(req) : undefined,
    duplex: hasBody ? "half" : undefined,
    signal,
  });
}

async function send(res, req, response) {
  const headers = {};
  for (const [key, value] of response.headers) if (key !== "set-cookie") headers[key] = value;
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) headers["set-cookie"] = cookies;
  const type = response.headers.get("content-type") ?? "";
  if (!response.body) {
    res.writeHead(response.status, headers).end();
    return;
  }
  if (COMPRESSIBLE.test(type)) {
    let body = Buffer.from(await response.arrayBuffer());
    if (body.length >= COMPRESS_FROM_BYTES && acceptsGzip(req)) {
      body = await gzip(body, { level: 4 });
      headers["content-encoding"] = "gzip";
      headers.vary = "Accept-Encoding";
    }
    headers["content-length"] = String(body.length);
    res.writeHead(response.status, headers).end(req.method === "HEAD" ? undefined : body);
    return;
  }
  // Downloads (documents, archives) stream as they come.
  res.writeHead(response.status, headers);
  Readable.fromWeb(response.body).pipe(res);
}

const UNAVAILABLE = "The service cannot reach its database. Please try again in a minute.";

/**
 * A database that cannot be reached (stopped, restarting, the network down) is an outage that passes,
 * not a fault of the page: a loader or action that fails while the database does not answer is
 * answered 503 with the "Temporarily unavailable" page (root.tsx), and serves as usual again once the
 * database is back. Answers thrown on purpose (redirects, 404s, refusals) pass as they are, and a
 * failure while the database answers stays the fault it is.
 */
function answeringOutages(build) {
  const { databaseAnswers } = build.entry.module;
  const guarded = (fn) =>
    fn &&
    (async (args) => {
      try {
        return await fn(args);
      } catch (error) {
        if (!(error instanceof Error) || (await databaseAnswers())) throw error;
        console.error(`The database does not answer: ${error.message}`);
        throw new Response(UNAVAILABLE, { status: 503, statusText: "Service Unavailable", headers: { "Retry-After": "60" } });
      }
    });
  const routes = Object.fromEntries(
    Object.entries(build.routes).map(([id, route]) => [
      id,
      { ...route, module: { ...route.module, loader: guarded(route.module.loader), action: guarded(route.module.action) } },
    ]),
  );
  return { ...build, routes };
}

export function createHttpServer({ build, publicDir, mode, trustProxy }) {
  const handle = createRequestHandler(answeringOutages(build), mode);
  const files = loadStaticFiles(publicDir);
  return http.createServer(async (req, res) => {
    const nonce = randomBytes(16).toString("base64");
    for (const [name, value] of Object.entries(securityHeaders(nonce))) res.setHeader(name, value);
    const pathname = (req.url ?? "/").split("?")[0];
    const file = (req.method === "GET" || req.method === "HEAD") && files.get(pathname);
    if (file) {
      const gz = file.gzipped && acceptsGzip(req);
      res.writeHead(200, {
        "Content-Type": file.type,
        "Cache-Control": file.cacheControl,
        "Content-Length": String(gz ? file.gzipped.length : file.body.length),
        ...(gz ? { "Content-Encoding": "gzip" } : {}),
        ...(file.gzipped ? { Vary: "Accept-Encoding" } : {}),
      });
      res.end(req.method === "HEAD" ? undefined : gz ? file.gzipped : file.body);
      return;
    }
    const controller = new AbortController();
    res.on("close", () => {
      if (!res.writableFinished) controller.abort();
    });
    try {
      const request = toRequest(req, `http://${req.headers.host ?? "localhost"}`, controller.signal);
      const response = await handle(request, { cspNonce: nonce, clientIp: clientIp(req, trustProxy) });
      await send(res, req, response);
    } catch (error) {
      if (controller.signal.aborted) return;
      console.error(error);
      if (!res.headersSent) res.writeHead(500, { "Content-Type": "text/plain; charset=utf-8" });
      res.end("Something went wrong. Nothing you had saved is lost; please try again.");
    }
  });
}
