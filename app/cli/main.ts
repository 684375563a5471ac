/** The entry of `sod` (started by sod.js): runs one command line and exits with its code. */
import { COMMANDS } from "./commands/index";
import { runCli } from "./run";

const code = await runCli(process.argv.slice(2), {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  env: process.env,
}, COMMANDS);
// Standard output and error are written synchronously to files and pipes, so nothing is cut off here.
process.exit(code);
