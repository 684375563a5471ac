/**
 * Runs one `sod` command line: finds the command, checks its options, opens the database if the
 * command needs it, and turns every outcome into a message and an exit code
 * (0 done, 1 refused or failed, 2 called wrongly). It never shows a stack trace unless SOD_DEBUG=1.
 */
import { parseArgs } from "node:util";
import { configFromEnv, DataDirUnreadableError, describeConfig, openDatabase, useDatabase, type DatabaseHandle } from "../../db/client";
import { DataDirInUseError } from "../../db/lock";
import { NotFoundError, RuleError, StaleWriteError } from "../domain/errors";
import { InvalidBackupError } from "../models/backup.server";
import { CommandFailure, UsageError, type Command, type CommandArgs, type CommandContext } from "./command";
import { commandHelp, overview, usageLine } from "./help";

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  env: NodeJS.ProcessEnv;
}

export const EXIT = { done: 0, failed: 1, usage: 2 } as const;

/** Problems of a file listed before the rest are summarised as a count. */
const PROBLEMS_SHOWN = 50;

function findCommand(commands: Command[], words: string[]): { command?: Command; consumed: number } {
  for (const length of [2, 1]) {
    const name = words.slice(0, length).join(" ");
    const command = words.length >= length ? commands.find((c) => c.name === name) : undefined;
    if (command) return { command, consumed: length };
  }
  return { consumed: 0 };
}

/** For words that name no command: the commands of the group they start, if any. */
function noSuchCommand(commands: Command[], words: string[]): string {
  const first = words[0]!;
  const group = commands.filter((c) => c.name.split(" ")[0] === first && c.name.includes(" "));
  return group.length > 0
    ? `"sod ${first}" needs one of: ${group.map((c) => c.name.split(" ")[1]).join(", ")}.`
    : `There is no command "${first}".`;
}

function wantsHelp(args: string[]): boolean {
  const end = args.indexOf("--");
  return (end === -1 ? args : args.slice(0, end)).some((a) => a === "--help" || a === "-h");
}

/** parseArgs explains itself for programmers; these say the same for the person at the terminal. */
function usageMessage(error: Error & { code?: string }): string {
  const option = /'(-[^' ]+)/.exec(error.message)?.[1];
  const argument = /argument '([^']*)'/.exec(error.message)?.[1];
  switch (error.code) {
    case "ERR_PARSE_ARGS_UNKNOWN_OPTION":
      return `Unknown option ${option ?? ""}.`.replace(" .", ".");
    case "ERR_PARSE_ARGS_INVALID_OPTION_VALUE":
      if (/argument missing/.test(error.message)) return `The option ${option} needs a value.`;
      if (/ambiguous/.test(error.message)) {
        return `The option ${option} needs a value (to give one that starts with a dash, write ${option}=-value).`;
      }
      return `The option ${option} takes no value.`;
    case "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL":
      return `Unexpected argument "${argument ?? ""}".`;
    default:
      return error.message.split("\n")[0]!;
  }
}

function parseCommandArgs(command: Command, args: string[]): CommandArgs {
  const options = Object.fromEntries(
    Object.entries(command.options ?? {}).map(([name, spec]) => [name, { type: spec.type, ...(spec.short ? { short: spec.short } : {}) }]),
  );
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(usageMessage(error as Error & { code?: string }));
  }
  const expected = command.positionals ?? [];
  if (parsed.positionals.length > expected.length) {
    throw new UsageError(`Unexpected argument "${parsed.positionals[expected.length]}".`);
  }
  const missingPositional = expected[parsed.positionals.length];
  if (missingPositional) throw new UsageError(`Missing ${missingPositional.name}.`);
  for (const [name, spec] of Object.entries(command.options ?? {})) {
    const value = parsed.values[name];
    if (spec.required && (value === undefined || (typeof value === "string" && value.trim() === ""))) {
      throw new UsageError(`Missing --${name} ${spec.value ?? ""}`.trimEnd() + ".");
    }
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;
  return {
    text: (name) => (typeof values[name] === "string" ? (values[name] as string) : undefined),
    required: (name) => values[name] as string,
    flag: (name) => values[name] === true,
    positionals: parsed.positionals,
  };
}

function firstLine(error: unknown): string {
  const cause = (error as { cause?: unknown }).cause;
  // A failed query's own message is the whole SQL; the database's reason is in its cause.
  const message = cause instanceof Error ? cause.message : error instanceof Error ? error.message : String(error);
  return message.split("\n")[0]!.trim();
}

function explain(error: unknown, io: CliIo, command: Command | undefined): number {
  if (error instanceof UsageError) {
    io.err(`${error.message}\n\n${command ? usageLine(command) : "Usage: sod <command> [options]"}\nRun "sod ${command?.name ?? "help"}${command ? " --help" : ""}" for more.`);
    return EXIT.usage;
  }
  if (error instanceof InvalidBackupError) {
    const shown = error.problems.slice(0, PROBLEMS_SHOWN).map((p) => `  - ${p}`);
    const more = error.problems.length - shown.length;
    io.err(["The backup cannot be restored; nothing was changed:", ...shown, ...(more > 0 ? [`  …and ${more} more problems.`] : [])].join("\n"));
    return EXIT.failed;
  }
  if (
    error instanceof RuleError ||
    error instanceof NotFoundError ||
    error instanceof StaleWriteError ||
    error instanceof DataDirInUseError ||
    error instanceof DataDirUnreadableError ||
    error instanceof CommandFailure
  ) {
    io.err(error.message);
    return EXIT.failed;
  }
  io.err(`Something went wrong: ${firstLine(error)}\nSet SOD_DEBUG=1 to see the details.`);
  if (io.env.SOD_DEBUG === "1") io.err(debugDetails(error));
  return EXIT.failed;
}

function debugDetails(error: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = error; e; e = (e as { cause?: unknown }).cause) {
    parts.push(e instanceof Error ? (e.stack ?? e.message) : String(e));
  }
  return parts.join("\nCaused by: ");
}

/** Runs the command line `args` (without "node sod.js") and returns the exit code. */
export async function runCli(args: string[], io: CliIo, commands: Command[]): Promise<number> {
  const [first, ...rest] = args;
  if (first === undefined) {
    io.err(overview(commands, io.env));
    return EXIT.usage;
  }
  if (first === "help" || first === "--help" || first === "-h") {
    if (rest.length === 0) {
      io.out(overview(commands, io.env));
      return EXIT.done;
    }
    const { command } = findCommand(commands, rest);
    if (!command) return explain(new UsageError(noSuchCommand(commands, rest)), io, undefined);
    io.out(commandHelp(command));
    return EXIT.done;
  }
  const { command, consumed } = findCommand(commands, args);
  if (!command) return explain(new UsageError(noSuchCommand(commands, args)), io, undefined);
  const commandArgs = args.slice(consumed);
  if (wantsHelp(commandArgs)) {
    io.out(commandHelp(command));
    return EXIT.done;
  }

  let handle: DatabaseHandle | undefined;
  const context: CommandContext = {
    out: io.out,
    err: io.err,
    env: io.env,
    async database() {
      if (!handle) {
        const config = configFromEnv(io.env);
        let described: string;
        try {
          described = describeConfig(config);
        } catch {
          throw new CommandFailure("DATABASE_URL is not a valid address; it looks like postgres://user:password@host:5432/database.");
        }
        try {
          handle = await openDatabase(config);
        } catch (error) {
          if (error instanceof DataDirInUseError || error instanceof DataDirUnreadableError) throw error;
          throw new CommandFailure(`Could not open the ${described}: ${firstLine(error)}`);
        }
        useDatabase(handle);
      }
      return handle.db;
    },
  };
  try {
    await command.run(parseCommandArgs(command, commandArgs), context);
    return EXIT.done;
  } catch (error) {
    return explain(error, io, command);
  } finally {
    await handle?.close().catch((error: unknown) => {
      if (io.env.SOD_DEBUG === "1") io.err(`Closing the database failed: ${debugDetails(error)}`);
    });
  }
}
