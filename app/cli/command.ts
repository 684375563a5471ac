/** What a command of `sod` is, and the errors through which it ends with a usage message or a refusal. */
import type { Database } from "../../db/client";

export interface OptionSpec {
  type: "string" | "boolean";
  short?: string;
  /** Placeholder shown in the usage, e.g. "SLUG". */
  value?: string;
  required?: boolean;
  description: string;
}

export interface Command {
  /** The words that call it, e.g. "trust create". */
  name: string;
  /** One line for `sod help`. */
  summary: string;
  /** Further paragraphs for `sod <command> --help`. */
  details?: string;
  options?: Record<string, OptionSpec>;
  /** Arguments that are not options, e.g. the file to restore; each is required. */
  positionals?: { name: string; description: string }[];
  examples?: string[];
  run(args: CommandArgs, context: CommandContext): Promise<void>;
}

export interface CommandArgs {
  /** The value of a string option, or undefined when it was not given. */
  text(name: string): string | undefined;
  /** The value of a required string option (present: the runner has checked). */
  required(name: string): string;
  flag(name: string): boolean;
  positionals: string[];
}

export interface CommandContext {
  /** Opens the database on first use: commands that refuse early never pay for opening it. */
  database(): Promise<Database>;
  out(text: string): void;
  err(text: string): void;
  env: NodeJS.ProcessEnv;
}

/** The command was called wrongly: the runner prints the message and the command's usage, and exits with 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** The command refused or could not do its work: the runner prints the message as it is, and exits with 1. */
export class CommandFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CommandFailure";
  }
}
