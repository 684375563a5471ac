import { hash, verify } from "@node-rs/argon2";
import { eq } from "drizzle-orm";
import type { Database } from "../../db/client";
import { users } from "../../db/schema";
import { RuleError } from "../domain/errors";
import { recordAudit, type Actor } from "./audit.server";

export type User = typeof users.$inferSelect;
export type PublicUser = Omit<User, "passwordHash">;

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 200;

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** argon2id with the library's defaults (19 MiB, 2 passes): OWASP's recommended minimum. */
export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

/**
 * A hash of a password nobody has, checked when the email is unknown so that a wrong email
 * takes as long as a wrong password and the answer reveals nothing.
 */
let decoyHash: Promise<string> | undefined;

export async function verifyCredentials(db: Database, email: string, password: string): Promise<PublicUser | null> {
  const [user] = await db.select().from(users).where(eq(users.email, normaliseEmail(email)));
  if (!user) {
    decoyHash ??= hashPassword("not a password anyone has");
    await verify(await decoyHash, password).catch(() => false);
    return null;
  }
  const ok = await verify(user.passwordHash, password).catch(() => false);
  if (!ok) return null;
  const { passwordHash: _hidden, ...rest } = user;
  return rest;
}

/** A person's columns, all but the password hash. */
export const publicUserColumns = {
  id: users.id,
  email: users.email,
  name: users.name,
  isSiteAdmin: users.isSiteAdmin,
  version: users.version,
  createdAt: users.createdAt,
  updatedAt: users.updatedAt,
};

export async function findUserById(db: Database, id: string): Promise<PublicUser | null> {
  const [user] = await db.select(publicUserColumns).from(users).where(eq(users.id, id));
  return user ?? null;
}

export async function findUserByEmail(db: Database, email: string): Promise<PublicUser | null> {
  const [user] = await db.select({ id: users.id }).from(users).where(eq(users.email, normaliseEmail(email)));
  return user ? findUserById(db, user.id) : null;
}

export function checkPassword(password: string): void {
  if (password.length < PASSWORD_MIN_LENGTH) {
    throw new RuleError(`The password must be at least ${PASSWORD_MIN_LENGTH} characters long.`, "password");
  }
  if (password.length > PASSWORD_MAX_LENGTH) {
    throw new RuleError(`The password must be at most ${PASSWORD_MAX_LENGTH} characters long.`, "password");
  }
}

export async function createUser(
  db: Database,
  actor: Actor,
  input: { email: string; name: string; password: string; isSiteAdmin?: boolean },
): Promise<PublicUser> {
  checkPassword(input.password);
  const email = normaliseEmail(input.email);
  const passwordHash = await hashPassword(input.password);
  return db.transaction(async (tx) => {
    const existing = await tx.select({ id: users.id }).from(users).where(eq(users.email, email));
    if (existing.length > 0) throw new RuleError(`There is already an account for ${email}.`, "email");
    const [row] = await tx
      .insert(users)
      .values({ email, name: input.name.trim(), passwordHash, isSiteAdmin: input.isSiteAdmin ?? false })
      .returning();
    const { passwordHash: _hidden, ...user } = row!;
    await recordAudit(tx, actor, {
      trustId: null,
      action: "create",
      entity: "user",
      entityId: user.id,
      summary: `Created the account of ${user.name} (${user.email})${user.isSiteAdmin ? " as a site administrator" : ""}`,
      after: { email: user.email, name: user.name, isSiteAdmin: user.isSiteAdmin },
    });
    return user;
  });
}

export async function setPassword(db: Database, actor: Actor, userId: string, password: string): Promise<void> {
  checkPassword(password);
  const passwordHash = await hashPassword(password);
  await db.transaction(async (tx) => {
    const rows = await tx.update(users).set({ passwordHash, updatedAt: new Date() }).where(eq(users.id, userId)).returning({ id: users.id });
    if (rows.length === 0) throw new RuleError("That account does not exist.");
    await recordAudit(tx, actor, { trustId: null, action: "update", entity: "user", entityId: userId, summary: "Changed the password" });
  });
}
