/** The texts of `sod help` and `sod <command> --help`. */
import { configFromEnv, describeConfig } from "../../db/client";
import type { Command } from "./command";

function optionLabel(name: string, spec: { type: string; short?: string; value?: string }): string {
  const long = spec.type === "string" ? `--${name} ${spec.value ?? "VALUE"}` : `--${name}`;
  return spec.short ? `-${spec.short}, ${long}` : long;
}

export function usageLine(command: Command): string {
  const parts = [`sod ${command.name}`];
  for (const [name, spec] of Object.entries(command.options ?? {})) {
    const label = optionLabel(name, { ...spec, short: undefined });
    parts.push(spec.required ? label : `[${label}]`);
  }
  for (const positional of command.positionals ?? []) parts.push(positional.name);
  return `Usage: ${parts.join(" ")}`;
}

function columns(rows: [string, string][]): string[] {
  const width = Math.max(...rows.map(([left]) => left.length));
  return rows.map(([left, right]) => `  ${left.padEnd(width)}  ${right}`);
}

export function commandHelp(command: Command): string {
  const lines = [usageLine(command), "", command.summary];
  if (command.details) lines.push("", command.details);
  const positionals = (command.positionals ?? []).map((p): [string, string] => [p.name, p.description]);
  const options: [string, string][] = [
    ...Object.entries(command.options ?? {}).map(([name, spec]): [string, string] => [optionLabel(name, spec), spec.description]),
    ["-h, --help", "Show this help."],
  ];
  if (positionals.length > 0) lines.push("", "Arguments:", ...columns(positionals));
  lines.push("", "Options:", ...columns(options));
  if (command.examples?.length) lines.push("", "Examples:", ...command.examples.map((e) => `  ${e}`));
  return lines.join("\n");
}

export function overview(commands: Command[], env: NodeJS.ProcessEnv): string {
  let database: string;
  try {
    database = describeConfig(configFromEnv(env));
  } catch {
    database = "DATABASE_URL is not a valid address";
  }
  return [
    "sod: look after the scheme-of-delegation app's trusts, accounts and backups from the command line.",
    "",
    "Usage: sod <command> [options]",
    "",
    "Commands:",
    ...columns([...commands.map((c): [string, string] => [c.name, c.summary]), ["help [COMMAND]", "Show this overview, or the help of one command."]]),
    "",
    "Run \"sod <command> --help\" for a command's options and examples.",
    "",
    `Database: ${database}.`,
    "It is chosen as the app server chooses it: DATABASE_URL for a PostgreSQL server, otherwise the",
    "embedded database in DATA_DIR (default ./data), which only one process may use at a time.",
    "Set SOD_DEBUG=1 to see the details of an unexpected error.",
  ].join("\n");
}
