/**
 * A small HTTP client for the benchmarks: Node's http module over a keep-alive agent, as a browser
 * would hold its connections open.
 */
import http from "node:http";
import zlib from "node:zlib";

export interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

export interface RequestOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  agent?: http.Agent;
  timeoutMs?: number;
}

export function keepAliveAgent(maxSockets: number): http.Agent {
  return new http.Agent({ keepAlive: true, maxSockets });
}

export function send(url: string, options: RequestOptions = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method: options.method ?? "GET",
        headers: { ...(options.body !== undefined ? { "content-length": String(Buffer.byteLength(options.body)) } : {}), ...options.headers },
        agent: options.agent ?? false,
        timeout: options.timeoutMs ?? 30_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on("error", reject);
      },
    );
    req.on("timeout", () => req.destroy(new Error(`No answer from ${url} within ${options.timeoutMs ?? 30_000} ms`)));
    req.on("error", reject);
    req.end(options.body);
  });
}

/** The page's text, whatever compression the server chose. */
export function text(reply: Reply): string {
  const encoding = reply.headers["content-encoding"];
  if (encoding === "gzip") return zlib.gunzipSync(reply.body).toString("utf8");
  if (encoding === "br") return zlib.brotliDecompressSync(reply.body).toString("utf8");
  if (encoding === "deflate") return zlib.inflateSync(reply.body).toString("utf8");
  return reply.body.toString("utf8");
}

/** Signs in through the sign-in form, as a browser without JavaScript would, and returns the session cookie. */
export async function signIn(baseUrl: string, email: string, password: string): Promise<string> {
  const reply = await send(`${baseUrl}/sign-in`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ email, password }).toString(),
  });
  const cookie = (reply.headers["set-cookie"] ?? []).map((c) => c.split(";")[0]!).find((c) => c.startsWith("__session="));
  if (reply.status < 300 || reply.status >= 400 || !cookie) {
    throw new Error(`Signing in as ${email} failed: the server answered ${reply.status} without a session cookie.`);
  }
  return cookie;
}
