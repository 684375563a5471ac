/**
 * Reading an upload of the DfE register. The register's full file is about 60 MB, far beyond what
 * ordinary forms accept (forms.server.ts), so it is never held whole: the multipart body is read as
 * it arrives, the file part goes straight through the register reader, and only the rows that pass
 * the filter are kept. The form's text fields come before the file in the page, so the filter is
 * known by the time the file arrives.
 */
import { unstable_parseMultipartFormData, type UploadHandlerPart } from "@remix-run/node";
import { RegisterReader, type RegisterFilter, type RegisterReading } from "./domain/gias";

export const REGISTER_UPLOAD_LIMIT_BYTES = 100 * 1024 * 1024;
const FIELD_LIMIT_BYTES = 64 * 1024;

export interface RegisterUpload {
  /** The form's text fields, in the order they arrived. */
  fields: FormData;
  /** What the register reader kept, or null when no file (or an empty one) came with the form. */
  reading: RegisterReading | null;
  fileName: string | null;
  /** The filter could not be decided before the file arrived (the fields were missing or wrong). */
  filterMissing: boolean;
}

/** The upload was not read: the page shows the message on its form (a thrown answer would replace the page). */
export interface UploadRefusal {
  refused: string;
  status: number;
}

class TooLarge extends Error {}

function limited(body: ReadableStream<Uint8Array>, limit: number): ReadableStream<Uint8Array> {
  let size = 0;
  return body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        size += chunk.byteLength;
        if (size > limit) controller.error(new TooLarge());
        else controller.enqueue(chunk);
      },
    }),
  );
}

async function drain(part: UploadHandlerPart): Promise<void> {
  for await (const _ of part.data) {
    // Read and dropped: the parser moves on to the next part only once this one is consumed.
  }
}

async function readText(part: UploadHandlerPart): Promise<string> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of part.data) {
    size += chunk.byteLength;
    if (size > FIELD_LIMIT_BYTES) throw new TooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/**
 * Reads the form; `fileFields` name the parts that carry register CSV (the uploaded file, or the
 * preview's extract carried back on confirmation). `filterFrom` decides the filter from the text
 * fields read so far, or returns null when they do not make one.
 */
export async function readRegisterUpload(
  request: Request,
  options: { fileFields: string[]; filterFrom: (fields: FormData) => RegisterFilter | null; limitBytes?: number },
): Promise<RegisterUpload | UploadRefusal> {
  const limit = options.limitBytes ?? REGISTER_UPLOAD_LIMIT_BYTES;
  const size = limit >= 1024 * 1024 ? `${Math.round(limit / 1024 / 1024)} MB` : `${Math.round(limit / 1024)} KB`;
  const tooLarge = `The upload is larger than ${size}, so it was not read. Nothing was saved. For a larger file, use the command line: npx sod import-schools.`;
  if (Number(request.headers.get("Content-Length") ?? "0") > limit) return { refused: tooLarge, status: 413 };
  if (!(request.headers.get("Content-Type") ?? "").startsWith("multipart/form-data") || !request.body) {
    return { refused: "This address only accepts its own upload form. Nothing was saved.", status: 415 };
  }

  const upload: RegisterUpload = { fields: new FormData(), reading: null, fileName: null, filterMissing: false };
  const body = new Request(request.url, {
    method: "POST",
    headers: request.headers,
    body: limited(request.body!, limit),
    duplex: "half",
  } as RequestInit);

  try {
    await unstable_parseMultipartFormData(body, async (part) => {
      if (!options.fileFields.includes(part.name)) {
        if (part.filename === undefined) upload.fields.append(part.name, await readText(part));
        else await drain(part);
        return undefined;
      }
      const filter = upload.reading ? null : options.filterFrom(upload.fields);
      if (!filter) {
        upload.filterMissing = !upload.reading;
        await drain(part);
        return undefined;
      }
      const reader = new RegisterReader(filter);
      let received = 0;
      for await (const chunk of part.data) {
        received += chunk.byteLength;
        reader.write(chunk);
      }
      // A file input left empty still sends a part, with no name and no content.
      if (received > 0) {
        upload.reading = reader.end();
        upload.fileName = part.filename ?? null;
      }
      return undefined;
    });
  } catch (error) {
    if (error instanceof TooLarge || (error as { cause?: unknown }).cause instanceof TooLarge) return { refused: tooLarge, status: 413 };
    return { refused: "The upload could not be read; please try again. Nothing was saved.", status: 400 };
  }
  return upload;
}
