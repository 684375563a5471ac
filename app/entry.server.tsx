import { Writable } from "node:stream";
import type { AppLoadContext, EntryContext } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { renderToPipeableStream } from "react-dom/server";
import { closeDatabase, DataDirUnreadableError } from "../db/client";
import { DataDirInUseError } from "../db/lock";
import { startDatabase } from "../db/startup";
import { NonceContext } from "./components/nonce";
import { stopWordThread } from "./export/word-thread.server";
import { startJobRunner, stopJobRunner } from "./job-runner.server";

export const streamTimeout = 5_000;

// The database opens (and migrates, and seeds a new embedded one) as the server starts, not on the first
// request; then the server takes its share of the background jobs (ADR 012).
startDatabase().then(startJobRunner, (error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  if (error instanceof DataDirInUseError || error instanceof DataDirUnreadableError) process.exit(1);
});

/** Whether the database answers: the server (http-server.js) asks it when a page fails, to tell an outage from a fault. */
export { databaseAnswers } from "../db/client";

/** Called by the server on SIGTERM/SIGINT. */
export async function shutdown(): Promise<void> {
  await stopJobRunner();
  await Promise.all([closeDatabase(), stopWordThread()]);
}

export function handleError(error: unknown, { request }: { request: Request }) {
  if (request.signal.aborted) return;
  console.error(error);
}

/**
 * Pages are rendered whole, then sent in one piece: nothing here is deferred, and one large write
 * costs the server far less than hundreds of small ones through compression.
 */
export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  const nonce = loadContext.cspNonce ?? "";
  return new Promise<Response>((resolve, reject) => {
    let failed = false;
    const { pipe, abort } = renderToPipeableStream(
      <NonceContext.Provider value={nonce}>
        <RemixServer context={remixContext} url={request.url} abortDelay={streamTimeout} nonce={nonce} />
      </NonceContext.Provider>,
      {
        nonce,
        onAllReady() {
          const chunks: Buffer[] = [];
          const sink = new Writable({
            write(chunk: Buffer, _encoding, done) {
              chunks.push(chunk);
              done();
            },
            final(done) {
              responseHeaders.set("Content-Type", "text/html; charset=utf-8");
              responseHeaders.set("Cache-Control", "no-store");
              resolve(new Response(Buffer.concat(chunks), { headers: responseHeaders, status: failed ? 500 : responseStatusCode }));
              done();
            },
          });
          pipe(sink);
        },
        onShellError(error: unknown) {
          reject(error);
        },
        onError(error: unknown) {
          failed = true;
          console.error(error);
        },
      },
    );
    setTimeout(abort, streamTimeout + 1000);
  });
}
