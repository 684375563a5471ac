/**
 * Word documents are made on a thread of their own (ADR 018). Building and packing a scheme's
 * document is about a quarter of a second of steady work, a school's pack a tenth; on the main
 * thread every other request waits for it, and with the embedded database so does every query. One
 * long-lived thread takes the documents in turn, while the main thread serves the rest.
 */
import { Worker } from "node:worker_threads";
import type { SchemeDocumentData } from "../domain/scheme-document";
import type { SchoolPackDocument } from "./school-pack.server";

export type WordJob = { id: number } & ({ kind: "scheme"; data: SchemeDocumentData } | { kind: "pack"; data: SchoolPackDocument });
export type WordReply = { id: number; file: Uint8Array; error?: undefined } | { id: number; error: string; file?: undefined };

interface Waiting {
  resolve(file: Uint8Array): void;
  reject(error: Error): void;
}

let thread: Worker | null = null;
const waiting = new Map<number, Waiting>();
let lastId = 0;

/**
 * The server runs from its bundle (build/index.js), and the build puts the thread's own bundle
 * beside it; the sources (tests, the command line) run their thread through tsx.
 */
function threadEntry(): URL {
  return import.meta.url.endsWith(".ts") ? new URL("./word-thread-sources.js", import.meta.url) : new URL("./word-thread.js", import.meta.url);
}

function failAll(error: Error): void {
  for (const job of waiting.values()) job.reject(error);
  waiting.clear();
}

function startedThread(): Worker {
  if (thread) return thread;
  const started = new Worker(threadEntry());
  started.on("message", (reply: WordReply) => {
    const job = waiting.get(reply.id);
    waiting.delete(reply.id);
    // An idle thread must not keep a finished command line running.
    if (waiting.size === 0) started.unref();
    if (!job) return;
    if (reply.error !== undefined) job.reject(new Error(reply.error));
    else job.resolve(reply.file);
  });
  started.on("error", (error) => {
    if (thread === started) thread = null;
    failAll(error);
  });
  started.on("exit", (code) => {
    if (thread === started) thread = null;
    failAll(new Error(`The thread making Word documents stopped (exit code ${code}).`));
  });
  return (thread = started);
}

function render(job: Omit<WordJob, "id">): Promise<Uint8Array> {
  const worker = startedThread();
  const id = ++lastId;
  return new Promise((resolve, reject) => {
    waiting.set(id, { resolve, reject });
    worker.ref();
    worker.postMessage({ ...job, id });
  });
}

/** The scheme's Word document (renderSchemeDocument), made on the Word thread. */
export async function schemeDocumentOffThread(data: SchemeDocumentData): Promise<Buffer> {
  const file = await render({ kind: "scheme", data });
  return Buffer.from(file.buffer, file.byteOffset, file.byteLength);
}

/** A school's pack (renderSchoolPack), made on the Word thread. */
export function schoolPackOffThread(doc: SchoolPackDocument): Promise<Uint8Array> {
  return render({ kind: "pack", data: doc });
}

/** Ends the thread (the server's shutdown); the next document starts another. */
export async function stopWordThread(): Promise<void> {
  const stopping = thread;
  thread = null;
  if (stopping) await stopping.terminate();
}
