/** Errors the product explains to its users; anything else is a fault. */

/** Someone else saved the same thing first; the write was refused and nothing changed. */
export class StaleWriteError extends Error {
  constructor(what: string) {
    super(`Someone else saved ${what} since you opened it. Your change was not saved; the latest version is shown.`);
    this.name = "StaleWriteError";
  }
}

/** The thing asked for does not exist, or belongs to a trust the user cannot see (answered as not found). */
export class NotFoundError extends Error {
  constructor(what: string) {
    super(`${what} was not found.`);
    this.name = "NotFoundError";
  }
}

/** A request that breaks a rule of the product; the message says which, in the user's words. */
export class RuleError extends Error {
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = "RuleError";
  }
}
