/** Checks on the account details given on the command line, made before the database is opened. */
import { RuleError } from "../domain/errors";
import { normaliseEmail } from "../models/user.server";

export function checkEmail(email: string): string {
  const normalised = normaliseEmail(email);
  if (!/^[^\s@]+@[^\s@]+$/.test(normalised)) {
    throw new RuleError(`"${email}" is not an email address.`, "email");
  }
  return normalised;
}

export function checkName(name: string): string {
  const trimmed = name.trim();
  if (trimmed.length === 0 || trimmed.length > 200) throw new RuleError("Give the person's name (up to 200 characters).", "name");
  return trimmed;
}
