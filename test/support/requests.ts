/**
 * Calling route loaders and actions in-process, as Remix would, and reading what they answered,
 * whether returned or thrown: a Response (redirects, 404s), data() with a status, or plain data.
 */
import type { AppLoadContext } from "@remix-run/node";

export const ORIGIN = "http://localhost";

export interface Answer {
  status: number;
  location: string | null;
  setCookie: string | null;
  /** The body: a Response's text, or the data as JSON. */
  text: string;
  data: unknown;
}

type RouteFunction = (args: { request: Request; params: Record<string, string>; context: AppLoadContext }) => unknown;

export function context(clientIp = "192.0.2.1"): AppLoadContext {
  return { clientIp, cspNonce: "test" };
}

export function getRequest(path: string, cookie?: string): Request {
  return new Request(new URL(path, ORIGIN), { headers: cookie ? { cookie } : {} });
}

export function formPost(path: string, fields: Record<string, string>, options: { cookie?: string; headers?: Record<string, string> } = {}): Request {
  return new Request(new URL(path, ORIGIN), {
    method: "POST",
    body: new URLSearchParams(fields).toString(),
    headers: {
      "Content-Type": "application/x-www-form-urlencoded",
      ...(options.cookie ? { cookie: options.cookie } : {}),
      ...options.headers,
    },
  });
}

function isDataWithInit(value: unknown): value is { type: "DataWithResponseInit"; data: unknown; init: ResponseInit | null } {
  return typeof value === "object" && value !== null && (value as { type?: unknown }).type === "DataWithResponseInit";
}

async function read(value: unknown): Promise<Answer> {
  if (value instanceof Response) {
    const text = await value.clone().text();
    let data: unknown = text;
    try {
      data = JSON.parse(text);
    } catch {
      // Plain text, kept as it is.
    }
    return { status: value.status, location: value.headers.get("Location"), setCookie: value.headers.get("Set-Cookie"), text, data };
  }
  if (isDataWithInit(value)) {
    const headers = new Headers(value.init?.headers);
    return {
      status: value.init?.status ?? 200,
      location: headers.get("Location"),
      setCookie: headers.get("Set-Cookie"),
      text: JSON.stringify(value.data ?? null),
      data: value.data,
    };
  }
  return { status: 200, location: null, setCookie: null, text: JSON.stringify(value ?? null), data: value };
}

/** What a loader or action answered. Anything thrown that is not an answer (a fault) is thrown on. */
export async function call(
  fn: RouteFunction | unknown,
  request: Request,
  params: Record<string, string> = {},
  ctx: AppLoadContext = context(),
): Promise<Answer> {
  let value: unknown;
  try {
    value = await (fn as RouteFunction)({ request, params, context: ctx });
  } catch (thrown) {
    if (thrown instanceof Response || isDataWithInit(thrown)) return read(thrown);
    throw thrown;
  }
  return read(value);
}

/** The form-level messages of a Conform reply (`{ result: { error: { "": [...] } } }`). */
export function formErrors(answer: Answer): string[] {
  const result = (answer.data as { result?: { error?: Record<string, string[] | null> } } | null)?.result;
  return result?.error?.[""] ?? [];
}

/** The messages of one field of a Conform reply. */
export function fieldErrors(answer: Answer, field: string): string[] {
  const result = (answer.data as { result?: { error?: Record<string, string[] | null> } } | null)?.result;
  return result?.error?.[field] ?? [];
}

/** Signs in through the sign-in route's own action and returns the Cookie header of the new session. */
export async function sessionCookie(email: string, password: string, clientIp = "192.0.2.200"): Promise<string> {
  const { action } = await import("~/routes/sign-in");
  const answer = await call(action, formPost("/sign-in", { email, password }), {}, context(clientIp));
  if (answer.status !== 302 || !answer.setCookie) {
    throw new Error(`Signing in as ${email} failed (${answer.status}): ${answer.text}`);
  }
  return answer.setCookie.split(";")[0]!;
}
