/**
 * Where a new account's password comes from: --password, else SOD_PASSWORD, else a prompt that
 * does not show what is typed (only on a terminal). Without any of them the command refuses.
 */
import { checkPassword } from "../models/user.server";
import { CommandFailure, type CommandArgs, type CommandContext } from "./command";

export async function passwordFor(args: CommandArgs, context: CommandContext, whose: string): Promise<string> {
  const given = args.text("password") ?? context.env.SOD_PASSWORD;
  if (given !== undefined && given !== "") {
    checkPassword(given);
    return given;
  }
  if (!process.stdin.isTTY) {
    throw new CommandFailure(
      `A password is needed for ${whose}: give --password, or set the SOD_PASSWORD environment variable, ` +
        "or run the command in a terminal to be asked for one.",
    );
  }
  const password = await askHidden(`Password for ${whose}: `);
  checkPassword(password);
  if ((await askHidden("The same password again: ")) !== password) {
    throw new CommandFailure("The two passwords differ; nothing was changed.");
  }
  return password;
}

/** Reads one line from the terminal without echoing it. */
function askHidden(question: string): Promise<string> {
  const input = process.stdin;
  process.stderr.write(question);
  input.setRawMode(true);
  input.setEncoding("utf8");
  input.resume();
  return new Promise((resolve, reject) => {
    let typed: string[] = [];
    const finish = () => {
      input.off("data", onData);
      input.setRawMode(false);
      input.pause();
      process.stderr.write("\n");
    };
    const onData = (chunk: string) => {
      for (const character of chunk) {
        if (character === "\r" || character === "\n") {
          finish();
          resolve(typed.join(""));
          return;
        }
        if (character === "\u0003" || character === "\u0004") {
          finish();
          reject(new CommandFailure("Cancelled; nothing was changed."));
          return;
        }
        if (character === "\u007f" || character === "\b") typed = typed.slice(0, -1);
        else if (character >= " ") typed.push(character);
      }
    };
    input.on("data", onData);
  });
}
