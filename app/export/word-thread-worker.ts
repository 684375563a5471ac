/**
 * The Word rendering thread's own code (word-thread.server.ts sends it the work): it renders each
 * document it is sent and sends the file back, or what went wrong.
 */
import { parentPort } from "node:worker_threads";
import { renderSchemeDocument } from "./scheme-document.server";
import { renderSchoolPack } from "./school-pack.server";
import type { WordJob, WordReply } from "./word-thread.server";

const port = parentPort!;

port.on("message", async (job: WordJob) => {
  let reply: WordReply;
  try {
    reply = { id: job.id, file: job.kind === "scheme" ? await renderSchemeDocument(job.data) : await renderSchoolPack(job.data) };
  } catch (error) {
    reply = { id: job.id, error: error instanceof Error ? error.message : String(error) };
  }
  port.postMessage(reply);
});
