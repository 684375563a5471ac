/**
 * Text of files downloaded from government registers or saved by spreadsheets on Windows: UTF-8,
 * or the older Windows-1252 (the DfE register's downloads use it, so "é" is one byte, 0xE9).
 * Decoded piece by piece, so a large file never has to be held whole.
 */
export type TextEncodingName = "utf-8" | "windows-1252";

/** The file cannot be read as text, so no reading of it is trustworthy; the message says why and what to do. */
export class UnreadableTextError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UnreadableTextError";
  }
}

/** The file mixes both encodings. */
export class MixedEncodingError extends UnreadableTextError {
  constructor() {
    super("The file mixes two text encodings (UTF-8 and Windows-1252), so its accented letters cannot be read reliably. Save it again as CSV (UTF-8) and upload that.");
    this.name = "MixedEncodingError";
  }
}

/**
 * Text never holds a null byte, and the database cannot keep one; a file that has them is a
 * spreadsheet's own format or text saved as UTF-16.
 */
export class NullByteError extends UnreadableTextError {
  constructor() {
    super("The file holds null characters, so it is not CSV text: perhaps it is a spreadsheet (.xlsx) or was saved as UTF-16. Save it again as CSV (UTF-8) and upload that.");
    this.name = "NullByteError";
  }
}

/** Where the last, possibly unfinished, UTF-8 sequence of `bytes` starts (bytes.length when it is complete). */
function completeUpTo(bytes: Uint8Array): number {
  for (let back = 1; back <= Math.min(4, bytes.length); back++) {
    const i = bytes.length - back;
    const byte = bytes[i]!;
    if ((byte & 0xc0) === 0x80) continue;
    const length = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return back < length ? i : bytes.length;
  }
  return bytes.length;
}

/** Where the first byte that cannot be UTF-8 is, or -1. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const byte = bytes[i]!;
    const following = byte < 0x80 ? 0 : byte >= 0xc2 && byte <= 0xdf ? 1 : byte >= 0xe0 && byte <= 0xef ? 2 : byte >= 0xf0 && byte <= 0xf4 ? 3 : -1;
    if (following < 0) return i;
    for (let k = 1; k <= following; k++) if (i + k >= bytes.length || (bytes[i + k]! & 0xc0) !== 0x80) return i;
    i += following + 1;
  }
  return -1;
}

function hasNonAscii(bytes: Uint8Array): boolean {
  for (const byte of bytes) if (byte >= 0x80) return true;
  return false;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const joined = new Uint8Array(a.length + b.length);
  joined.set(a);
  joined.set(b, a.length);
  return joined;
}

/**
 * Reads UTF-8 until a byte sequence shows the file cannot be UTF-8; from then on, Windows-1252.
 * A Windows-1252 file whose first accented letters happen to form valid UTF-8 is practically
 * unknown; one that is valid UTF-8 at first and invalid later is refused as mixed.
 */
export class Utf8OrWindows1252Decoder {
  encoding: TextEncodingName = "utf-8";
  private pending: Uint8Array = new Uint8Array(0);
  private sawNonAscii = false;
  // The byte-order mark is kept: only at the very start of the file is it not content, and the CSV reader drops it there.
  private readonly utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
  private readonly windows1252 = new TextDecoder("windows-1252");

  decode(chunk: Uint8Array): string {
    if (chunk.includes(0)) throw new NullByteError();
    if (this.encoding === "windows-1252") return this.windows1252.decode(chunk);
    const bytes = concat(this.pending, chunk);
    const cut = completeUpTo(bytes);
    const whole = bytes.subarray(0, cut);
    try {
      const text = this.utf8.decode(whole);
      this.pending = bytes.slice(cut);
      this.sawNonAscii ||= hasNonAscii(whole);
      return text;
    } catch {
      const invalid = firstInvalidUtf8(whole);
      this.sawNonAscii ||= hasNonAscii(whole.subarray(0, invalid < 0 ? whole.length : invalid));
      return this.switchToWindows1252(bytes);
    }
  }

  end(): string {
    if (this.pending.length === 0) return "";
    if (this.encoding === "utf-8") return this.switchToWindows1252(this.pending);
    return "";
  }

  private switchToWindows1252(bytes: Uint8Array): string {
    if (this.sawNonAscii) throw new MixedEncodingError();
    this.encoding = "windows-1252";
    this.pending = new Uint8Array(0);
    return this.windows1252.decode(bytes);
  }
}
