/**
 * What a command writing one of a trust's versions to a file is asked for: --trust, --version (the
 * latest, the draft if there is one, when not given) and --out, a file not overwritten without --force.
 * Each is checked, with the message a person at the command line needs, before anything is written.
 */
import fs from "node:fs";
import type { Database } from "../../db/client";
import { listVersions } from "../models/scheme.server";
import { findTrustBySlug, type Trust } from "../models/trust.server";
import { CommandFailure, UsageError, type CommandArgs, type CommandContext } from "./command";

export interface ExportTarget {
  db: Database;
  trust: Trust;
  /** The version asked for, or the latest; whether the trust has it is for the writer to find. */
  number: number;
  out: string;
}

export async function exportTarget(args: CommandArgs, context: CommandContext): Promise<ExportTarget> {
  const versionText = args.text("version");
  if (versionText !== undefined && !/^[1-9]\d*$/.test(versionText.trim())) {
    throw new UsageError(`--version takes a version's number, e.g. 2 (not "${versionText}").`);
  }
  const out = args.required("out");
  if (fs.existsSync(out) && !args.flag("force")) throw new CommandFailure(`${out} already exists. Choose another file, or add --force to overwrite it.`);
  const slug = args.required("trust");
  const db = await context.database();
  const trust = await findTrustBySlug(db, slug);
  if (!trust) throw new CommandFailure(`There is no trust with the short name "${slug}". Run "sod trust list" to see the trusts.`);
  const number = versionText !== undefined ? Number(versionText) : (await listVersions(db, trust.id))[0]?.number;
  if (number === undefined) throw new CommandFailure(`${trust.name} has no scheme versions yet: start a draft or import a matrix first.`);
  return { db, trust, number, out };
}
