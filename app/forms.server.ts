/**
 * Reading and checking form posts. One Zod schema per form, used by the browser (Conform) and here;
 * anything malformed, oversized or invalid is answered with 400 and the reasons, and nothing changes.
 */
import { parseWithZod } from "@conform-to/zod/v4";
import type { Submission, SubmissionResult } from "@conform-to/react";
import { data } from "@remix-run/node";
import type { $ZodType, input, output } from "zod/v4/core";
import { NotFoundError, RuleError, StaleWriteError } from "./domain/errors";
import "./form-errors";

/** Ordinary forms are small; anything larger is refused before it is read. */
export const FORM_LIMIT_BYTES = 64 * 1024;

function refuse(message: string, status = 400): never {
  throw data({ result: { status: "error", error: { "": [message] } } satisfies SubmissionResult<string[]> }, { status });
}

async function readLimited(request: Request, limit: number): Promise<string> {
  const reader = request.body?.getReader();
  if (!reader) return "";
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      refuse(`The form was too large to accept (the limit is ${Math.round(limit / 1024)} KB). Nothing was saved.`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

export async function readForm(request: Request, limit = FORM_LIMIT_BYTES): Promise<FormData> {
  return withoutNullCharacters(await readAnyForm(request, limit));
}

/** PostgreSQL cannot keep the null character (U+0000) in text, and nobody types one: a form holding one is refused whole. */
function withoutNullCharacters(form: FormData): FormData {
  for (const value of form.values()) {
    if (typeof value === "string" && value.includes("\u0000")) {
      refuse("The form holds a null character (U+0000), which cannot be saved. Remove it and try again. Nothing was saved.");
    }
  }
  return form;
}

async function readAnyForm(request: Request, limit: number): Promise<FormData> {
  const declared = Number(request.headers.get("Content-Length") ?? "0");
  if (declared > limit) {
    refuse(`The form was too large to accept (the limit is ${Math.round(limit / 1024)} KB). Nothing was saved.`);
  }
  const type = request.headers.get("Content-Type") ?? "";
  if (type.startsWith("application/x-www-form-urlencoded")) {
    const form = new FormData();
    for (const [key, value] of new URLSearchParams(await readLimited(request, limit))) form.append(key, value);
    return form;
  }
  if (type.startsWith("multipart/form-data")) {
    if (!request.headers.get("Content-Length")) refuse("The upload did not say how large it is; please try again.", 411);
    try {
      return await request.formData();
    } catch {
      refuse("The form could not be read. Nothing was saved.");
    }
  }
  return refuse("This address only accepts its own forms. Nothing was saved.", 415);
}

export async function parseForm<Schema extends $ZodType>(
  request: Request,
  schema: Schema,
  limit?: number,
): Promise<Submission<input<Schema>, string[], output<Schema>>> {
  return parseWithZod(await readForm(request, limit), { schema });
}

/** The 400 answer for a submission that did not pass its schema: the same messages the browser shows. */
export function invalid(submission: Submission<unknown, string[], unknown>, options?: { hideFields?: string[] }) {
  return data({ result: submission.reply({ hideFields: options?.hideFields }) }, { status: 400 });
}

/**
 * Turns the product's own refusals into messages on the form (a field's, or the form's);
 * anything else is a fault and goes on to the error page.
 */
export function refusal(submission: Submission<unknown, string[], unknown>, error: unknown, options?: { hideFields?: string[] }) {
  if (error instanceof RuleError) {
    const reply = error.field
      ? submission.reply({ fieldErrors: { [error.field]: [error.message] }, hideFields: options?.hideFields })
      : submission.reply({ formErrors: [error.message], hideFields: options?.hideFields });
    return data({ result: reply }, { status: 400 });
  }
  if (error instanceof StaleWriteError) {
    return data({ result: submission.reply({ formErrors: [error.message] }) }, { status: 409 });
  }
  if (error instanceof NotFoundError) {
    return data({ result: submission.reply({ formErrors: [error.message] }) }, { status: 404 });
  }
  throw error;
}
