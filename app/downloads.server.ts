/** Answers of the download routes: a CSV file, or a plain message when there is nothing to download. */

/** Excel reads a CSV as UTF-8 only when it starts with a byte-order mark; the import ignores it. */
const BYTE_ORDER_MARK = "\uFEFF";

export function csvFile(csv: string, fileName: string): Response {
  return new Response(BYTE_ORDER_MARK + csv, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${fileName}"`,
      "Cache-Control": "private, no-store",
    },
  });
}

export function plainText(status: number, message: string): Response {
  return new Response(message, { status, headers: { "Content-Type": "text/plain; charset=utf-8" } });
}

export const DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

/** A file to save (a Word document, a ZIP): the bytes as they are, never kept by a shared cache. */
export function binaryFile(bytes: Uint8Array, fileName: string, type: string): Response {
  return new Response(bytes as Uint8Array<ArrayBuffer>, {
    headers: {
      "Content-Type": type,
      "Content-Length": String(bytes.byteLength),
      "Content-Disposition": `attachment; filename="${fileName}"`,
      "Cache-Control": "private, no-store",
    },
  });
}
