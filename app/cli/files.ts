/** Reading the files commands are given, with messages that say which file and which line is wrong. */
import fs from "node:fs";
import path from "node:path";
import { CommandFailure } from "./command";

export function readTextFile(file: string): string {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new CommandFailure(`The file ${file} does not exist.`);
    if (code === "EISDIR") throw new CommandFailure(`${file} is a folder, not a file.`);
    if (code === "EACCES") throw new CommandFailure(`You are not allowed to read ${file}.`);
    throw new CommandFailure(`Could not read ${file}: ${(error as Error).message}`);
  }
  // Editors on Windows start UTF-8 files with a byte-order mark, which is not part of the content.
  return text.startsWith("\uFEFF") ? text.slice(1) : text;
}

export function readJsonFile(file: string): unknown {
  const text = readTextFile(file);
  try {
    return JSON.parse(text);
  } catch (error) {
    const found = locateJsonError(text);
    if (!found) throw new CommandFailure(`${file} is not valid JSON: ${(error as Error).message}`);
    throw new CommandFailure(`${file} is not valid JSON: line ${found.line}, column ${found.column}: ${found.problem}.`);
  }
}

/** Writes a whole file or nothing: into a temporary file beside it, renamed into place when complete. */
export function writeFileWhole(file: string, content: string | Uint8Array): void {
  const folder = path.dirname(path.resolve(file));
  if (!fs.existsSync(folder)) throw new CommandFailure(`The folder ${folder} does not exist.`);
  const temporary = path.join(folder, `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    fs.writeFileSync(temporary, content);
    fs.renameSync(temporary, file);
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    throw new CommandFailure(`Could not write ${file}: ${(error as Error).message}`);
  }
}

interface JsonProblem {
  line: number;
  column: number;
  problem: string;
}

class Stop {
  constructor(
    readonly at: number,
    readonly problem: string,
  ) {}
}

/**
 * Finds the first syntax error in text that JSON.parse refused, because its own messages do not
 * always say where. Only used to explain a failure, so it checks the grammar and nothing else.
 */
export function locateJsonError(text: string): JsonProblem | null {
  let i = 0;
  const stop = (problem: string, at = i): never => {
    throw new Stop(at, problem);
  };
  const space = () => {
    while (i < text.length && " \t\n\r".includes(text[i]!)) i++;
  };
  const string = () => {
    const start = i++;
    for (;;) {
      const c = text[i];
      if (c === undefined) stop("this text is not closed with a double quote", start);
      if (c === '"') {
        i++;
        return;
      }
      if (c === "\\") {
        const escaped = text[i + 1];
        if (escaped === "u" && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) i += 6;
        else if (escaped !== undefined && '"\\/bfnrt'.includes(escaped)) i += 2;
        else stop("a backslash in text must start an escape such as \\n or \\\"");
      } else if (c! < " ") stop("text may not contain a line break or tab; write \\n or \\t instead");
      else i++;
    }
  };
  const value = (): void => {
    space();
    const c = text[i];
    if (c === undefined) return stop("the file ends where a value should be");
    if (c === "{" || c === "[") return container(c === "{");
    if (c === '"') return string();
    const number = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
    number.lastIndex = i;
    if (number.test(text)) {
      i = number.lastIndex;
      return;
    }
    for (const word of ["true", "false", "null"]) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return;
      }
    }
    const word = /[\p{L}\p{N}_]+/uy;
    word.lastIndex = i;
    const found = word.test(text) ? text.slice(i, word.lastIndex) : c;
    stop(c === "'" ? "text must be in double quotes" : `unexpected ${JSON.stringify(found)} where a value should be`);
  };
  const container = (object: boolean) => {
    const close = object ? "}" : "]";
    i++;
    space();
    if (text[i] === close) {
      i++;
      return;
    }
    for (;;) {
      space();
      if (object) {
        if (text[i] !== '"') stop(text[i] === undefined ? "the file ends inside an object" : "expected a field name in double quotes");
        string();
        space();
        if (text[i] !== ":") stop("expected a colon after the field name");
        i++;
      }
      value();
      space();
      if (text[i] === ",") {
        i++;
        continue;
      }
      if (text[i] === close) {
        i++;
        return;
      }
      stop(text[i] === undefined ? `the file ends before the closing ${close}` : `expected a comma or ${close}`);
    }
  };
  try {
    value();
    space();
    if (i < text.length) stop("there is more after the end of the JSON document");
    return null;
  } catch (error) {
    if (!(error instanceof Stop)) throw error;
    const before = text.slice(0, error.at);
    const line = before.split("\n").length;
    return { line, column: error.at - before.lastIndexOf("\n"), problem: error.problem };
  }
}
