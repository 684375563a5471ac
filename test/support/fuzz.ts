/**
 * Property-based fuzzing of the app's forms and imports (fast-check): hostile values, forms built from
 * plausible and hostile fields, requests encoded as a browser or an attacker would send them, and the
 * judgement of each answer: never a 5xx or a thrown fault, a message in the user's words with every refusal, no
 * stack trace.
 *
 * The number of cases and the seed come from the environment, so a longer run needs no change:
 *   FUZZ_RUNS=1000   cases per property (by default each property runs the few dozen CI can afford);
 *   FUZZ_SEED=12345  another seed (by default a fixed one, so CI runs the same cases every time).
 */
import fc from "fast-check";
import { ORIGIN, type Answer } from "./requests";

/** The seed CI uses; FUZZ_SEED varies it. */
const DEFAULT_SEED = 20_260_805;

function whole(name: string): number | undefined {
  const text = process.env[name];
  if (text === undefined || text.trim() === "") return undefined;
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new Error(`${name} must be a whole number, not "${text}".`);
  return value;
}

let announced = false;

/** fast-check's parameters for a property that CI runs `ciRuns` times. */
export function fuzzParameters(ciRuns: number): { numRuns: number; seed: number } {
  const seed = whole("FUZZ_SEED") ?? DEFAULT_SEED;
  const runs = whole("FUZZ_RUNS");
  if (!announced) {
    announced = true;
    console.log(`Fuzzing with seed ${seed} (FUZZ_SEED), ${runs === undefined ? "the CI number of" : runs} runs per property (FUZZ_RUNS).`);
  }
  return { numRuns: Math.max(1, runs ?? ciRuns), seed };
}

/** Time enough for a property of `ciRuns` cases (or FUZZ_RUNS of them) at half a second each on a busy machine. */
export function fuzzTimeout(ciRuns: number): number {
  return 60_000 + fuzzParameters(ciRuns).numRuns * 500;
}

// ---------------------------------------------------------------- values

/** Text that has broken web apps: markup, templates, SQL, control characters, odd numbers and dates. */
const HOSTILE_TEXTS = [
  "<script>alert(1)</script>",
  '"><img src=x onerror=alert(1)>',
  "{{handlebars}}",
  "{{{x}}}",
  "{{#each this}}{{this}}{{/each}}",
  "{{constructor.constructor 'alert(1)'}}",
  "'; drop table trusts; --",
  "' or '1'='1",
  "1; select pg_sleep(0) --",
  "$$; drop table users; $$",
  "\u0000",
  "a\u0000b",
  "\u0007\u0008\u001b[31mred\u001b[0m",
  "line one\r\nline two",
  "\t",
  " ",
  "",
  "\u202eevil\u202c",
  "\ufeffBOM",
  "\ud800",
  "😀👩‍👩‍👧",
  "Ŵ ẞ ğ ø",
  "null",
  "undefined",
  "true",
  "NaN",
  "-1",
  "0",
  "-0",
  "1.5",
  "1e309",
  "-1e309",
  "Infinity",
  "9007199254740993",
  "2147483648",
  "-2147483649",
  "0x1f",
  "1,000",
  "[object Object]",
  "__proto__",
  "constructor",
  "../../../etc/passwd",
  "javascript:alert(1)",
  "%00",
  "%",
  "\\",
  "2025-02-30",
  "2025-04-31",
  "0000-01-01",
  "9999-12-31",
  "10000-01-01",
  "2019-13-45",
  "2025-1-1",
  "1/2/2025",
  "00000000-0000-0000-0000-000000000000",
  "not-a-uuid",
];

/** One of the hostile texts, random text of any kind, or a long run of one (each case stays cheap). */
export function hostileText(): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...HOSTILE_TEXTS) },
    { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 24 }) },
    { weight: 1, arbitrary: fc.string({ unit: "grapheme", maxLength: 24 }) },
    { weight: 1, arbitrary: fc.integer().map(String) },
    { weight: 1, arbitrary: fc.double().map(String) },
    { weight: 1, arbitrary: fc.uuid() },
    {
      weight: 1,
      arbitrary: fc.tuple(fc.constantFrom("x", "<b>", "{{x}}", "é", "\u0000"), fc.constantFrom(201, 2_001, 20_001, 70_000)).map(([unit, n]) => unit.repeat(n)),
    },
  );
}

/**
 * A whole number near the right one (a revision or version read a moment ago), or far off, or not
 * whole. Given a function, the right number is read as each case is made, so that it follows the
 * database as the cases before it change it.
 */
export function nearNumber(right: number | (() => number)): fc.Arbitrary<string> {
  const now = typeof right === "function" ? right : () => right;
  return fc.oneof(
    { weight: 8, arbitrary: fc.constant(0).map((d) => String(now() + d)) },
    { weight: 1, arbitrary: fc.integer({ min: -2, max: 2 }).map((d) => String(now() + d)) },
    { weight: 1, arbitrary: fc.constantFrom("-1", "0", "1.5", "NaN", "", "1e3", " 1 ") },
    // Past what the database's integers hold.
    { weight: 1, arbitrary: fc.constantFrom("2147483648", "-2147483649", "99999999999", "1e15") },
  );
}

/** One of a list read as each case is made (ids and keys that the cases before may have changed). */
export function nowOneOf(list: () => readonly string[]): fc.Arbitrary<string> {
  return fc.nat().map((i) => {
    const values = list();
    return values.length === 0 ? "" : values[i % values.length]!;
  });
}

/** The fields of a form, each with its plausible values (what the page itself would send). */
export type Fields = Record<string, fc.Arbitrary<string>>;
export type Entries = [string, string][];

type Spoiling = { field: number; how: "hostile" | "missing" | "twice" | "empty"; value: string };

/**
 * A form of the given fields: every field plausible, then none, one or a few of them spoilt (a hostile
 * value, left out, sent twice, or blank), and now and then a field nobody asked for. Mostly whole
 * forms with one bad value, so that hostile text also reaches the fields that accept any text.
 */
function formOf(fields: Fields): fc.Arbitrary<Entries> {
  const names = Object.keys(fields);
  if (names.length === 0) return fc.array(fc.tuple(fc.string({ maxLength: 12 }), hostileText()), { maxLength: 2 });
  const spoiling = fc.record({
    field: fc.nat(names.length - 1),
    how: fc.oneof({ weight: 6, arbitrary: fc.constant("hostile" as const) }, { weight: 1, arbitrary: fc.constantFrom("missing" as const, "twice" as const, "empty" as const) }),
    value: hostileText(),
  });
  const spoilings = fc.oneof(
    { weight: 3, arbitrary: fc.constant<Spoiling[]>([]) },
    { weight: 4, arbitrary: fc.array(spoiling, { minLength: 1, maxLength: 1 }) },
    { weight: 2, arbitrary: fc.array(spoiling, { minLength: 2, maxLength: 4 }) },
  );
  const extra = fc.oneof(
    { weight: 6, arbitrary: fc.constant<Entries>([]) },
    {
      weight: 1,
      arbitrary: fc.array(fc.tuple(fc.oneof(fc.constantFrom("intent", "id", "version", "__proto__", "constructor", "trustId"), fc.string({ maxLength: 12 })), hostileText()), {
        minLength: 1,
        maxLength: 2,
      }),
    },
  );
  return fc.tuple(fc.tuple(...names.map((name) => fields[name]!)), spoilings, extra).map(([values, spoilt, more]) => {
    const entries: Entries[] = values.map((value, i) => [[names[i]!, value]]);
    for (const { field, how, value } of spoilt) {
      const name = names[field]!;
      if (how === "hostile") entries[field] = [[name, value]];
      else if (how === "missing") entries[field] = [];
      else if (how === "empty") entries[field] = [[name, ""]];
      else entries[field] = [...entries[field]!, [name, value]];
    }
    return [...entries.flat(), ...more];
  });
}

/** One of several forms (the intents of a page), each a set of fields. */
export function formsOf(...forms: Fields[]): fc.Arbitrary<Entries> {
  return fc.oneof(...forms.map((fields) => formOf(fields)));
}

// ---------------------------------------------------------------- requests

export type Encoding = "urlencoded" | "multipart" | "json" | "none" | "oversized";

/** How a form goes: mostly as the page sends it; now and then as nothing a page would send. */
export function encoding(usual: "urlencoded" | "multipart" = "urlencoded"): fc.Arbitrary<Encoding> {
  const other = usual === "urlencoded" ? "multipart" : "urlencoded";
  return fc.oneof(
    { weight: 16, arbitrary: fc.constant(usual) },
    { weight: 2, arbitrary: fc.constant<Encoding>(other) },
    { weight: 1, arbitrary: fc.constantFrom<Encoding>("json", "none", "oversized") },
  );
}

/** A POST of the entries to the path, encoded as asked, with the cookie if any. */
export async function postRequest(path: string, entries: Entries, how: Encoding, cookie: string | null): Promise<Request> {
  const url = new URL(path, ORIGIN);
  const headers: Record<string, string> = cookie ? { cookie } : {};
  if (how === "multipart") {
    const form = new FormData();
    for (const [name, value] of entries) form.append(name, value);
    const encoded = new Response(form);
    const body = await encoded.arrayBuffer();
    return new Request(url, {
      method: "POST",
      body,
      headers: { ...headers, "Content-Type": encoded.headers.get("Content-Type")!, "Content-Length": String(body.byteLength) },
    });
  }
  if (how === "json") {
    return new Request(url, { method: "POST", body: JSON.stringify(Object.fromEntries(entries)), headers: { ...headers, "Content-Type": "application/json" } });
  }
  if (how === "none") return new Request(url, { method: "POST", headers });
  const params = new URLSearchParams(entries);
  if (how === "oversized") params.append("padding", "x".repeat(3 * 1024 * 1024));
  return new Request(url, { method: "POST", body: params.toString(), headers: { ...headers, "Content-Type": "application/x-www-form-urlencoded" } });
}

// ---------------------------------------------------------------- judging an answer

interface Judgement {
  status: number;
  /** The answer refused what was asked (a 4xx, a redirect to sign in, or a message of refusal in the data). */
  refused: boolean;
  /** What the person is told. */
  messages: string[];
  /** What is wrong with the answer as an answer to bad input; empty when nothing is. */
  faults: string[];
}

function texts(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(texts);
  if (value && typeof value === "object") return Object.values(value).flatMap(texts);
  return [];
}

/** The messages of refusal a page's data carries, in the shapes the app's actions answer with. */
function refusalMessages(data: unknown): string[] {
  if (!data || typeof data !== "object") return [];
  const d = data as Record<string, unknown>;
  const result = d.result as { status?: string; error?: Record<string, unknown> } | undefined;
  const preview = d.preview as { problems?: unknown[]; errors?: unknown[] } | null | undefined;
  return [
    ...(result?.error ? texts(result.error) : []),
    ...texts(d.refusal ?? []),
    ...texts(d.refused ?? []),
    ...texts(d.stale ?? []),
    ...(typeof d.message === "string" && d.status !== "saved" ? [d.message] : []),
    ...texts(preview?.problems ?? []).filter((t) => t.length > 3),
    ...texts(preview?.errors ?? []).filter((t) => t.length > 3),
  ].filter((t) => t.trim() !== "");
}

/** Zod's own wording (its English locale): a refusal in these words has not been put in the user's. */
const LIBRARY_WORDS = /^(Invalid (input|option|string|number|key|value|discriminator|[A-Z]{2,})\b|Too (big|small):|Unrecognized keys?:)/;

const TRACES = [/\n\s+at /, /DrizzleQueryError/, /Failed query/, /TypeError/, /ReferenceError/, /\bsyntax error at\b/i, /violates .* constraint/];

/** Judges what an action answered to bad input. */
export function judge(answer: Answer): Judgement {
  const faults: string[] = [];
  const status = answer.status;
  if (status >= 500) faults.push(`answered ${status}`);
  for (const trace of TRACES) if (trace.test(answer.text)) faults.push(`the answer shows the fault's insides (${trace})`);
  const toSignIn = status >= 300 && status < 400 && /^\/sign-in(\?|$)/.test(answer.location ?? "");
  const messages = typeof answer.data === "string" ? [answer.text].filter((t) => t.trim() !== "") : refusalMessages(answer.data);
  const refused = status >= 400 || toSignIn || (status < 300 && messages.length > 0 && !isSuccess(answer.data));
  if (refused && !toSignIn && messages.length === 0) faults.push(`refused (${status}) without a message: ${answer.text.slice(0, 300)}`);
  for (const message of messages.filter((m) => LIBRARY_WORDS.test(m))) faults.push(`refused in the library's words, not the user's: "${message.slice(0, 200)}"`);
  return { status, refused, messages, faults };
}

/** Data that says it did what was asked, though it also carries words (a notice, a preview). */
function isSuccess(data: unknown): boolean {
  if (!data || typeof data !== "object") return false;
  const d = data as Record<string, unknown>;
  const result = d.result as { status?: string; error?: Record<string, unknown> } | undefined;
  if (result?.status === "error" || (result?.error && texts(result.error).length > 0)) return false;
  if (d.refusal || d.refused || d.stale) return false;
  if (typeof d.message === "string" && d.status !== "saved") return false;
  return true;
}

/** A short account of a case for a failure message: each field cut to 80 characters. */
export function describeCase(entries: Entries, extra: Record<string, unknown> = {}): string {
  const cut = (v: string) => JSON.stringify(v.length > 80 ? `${v.slice(0, 80)}…(${v.length} characters)` : v);
  return [...Object.entries(extra).map(([k, v]) => `${k}=${typeof v === "string" ? cut(v) : JSON.stringify(v)}`), ...entries.map(([k, v]) => `${k}=${cut(v)}`)].join(" ");
}
