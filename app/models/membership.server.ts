import { and, asc, eq, ne } from "drizzle-orm";
import type { Database } from "../../db/client";
import { memberships, users } from "../../db/schema";
import { NotFoundError, RuleError } from "../domain/errors";
import { ROLE_LABELS, type Role } from "../domain/roles";
import { recordAudit, type Actor } from "./audit.server";

export async function listMembers(db: Database, trustId: string) {
  return db
    .select({ userId: users.id, name: users.name, email: users.email, role: memberships.role, since: memberships.createdAt })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.trustId, trustId))
    .orderBy(asc(users.name));
}

export async function addMember(db: Database, actor: Actor, input: { trustId: string; userId: string; role: Role }): Promise<void> {
  await db.transaction(async (tx) => {
    const existing = await tx
      .select({ role: memberships.role })
      .from(memberships)
      .where(and(eq(memberships.trustId, input.trustId), eq(memberships.userId, input.userId)));
    if (existing.length > 0) throw new RuleError("That person is already a member of this trust.", "email");
    await tx.insert(memberships).values(input);
    await recordAudit(tx, actor, {
      trustId: input.trustId,
      action: "create",
      entity: "membership",
      entityId: input.userId,
      summary: `Added a member as ${ROLE_LABELS[input.role]}`,
      after: { userId: input.userId, role: input.role },
    });
  });
}

async function otherClerks(tx: Database, trustId: string, userId: string): Promise<number> {
  const rows = await tx
    .select({ userId: memberships.userId })
    .from(memberships)
    .where(and(eq(memberships.trustId, trustId), eq(memberships.role, "clerk"), ne(memberships.userId, userId)));
  return rows.length;
}

export async function changeRole(db: Database, actor: Actor, input: { trustId: string; userId: string; role: Role }): Promise<void> {
  await db.transaction(async (tx) => {
    const [current] = await tx
      .select({ role: memberships.role })
      .from(memberships)
      .where(and(eq(memberships.trustId, input.trustId), eq(memberships.userId, input.userId)));
    if (!current) throw new NotFoundError("That member");
    if (current.role === input.role) return;
    if (current.role === "clerk" && (await otherClerks(tx, input.trustId, input.userId)) === 0) {
      throw new RuleError("A trust needs at least one clerk: make someone else clerk first.", "role");
    }
    await tx
      .update(memberships)
      .set({ role: input.role })
      .where(and(eq(memberships.trustId, input.trustId), eq(memberships.userId, input.userId)));
    await recordAudit(tx, actor, {
      trustId: input.trustId,
      action: "update",
      entity: "membership",
      entityId: input.userId,
      summary: `Changed a member's role from ${ROLE_LABELS[current.role as Role]} to ${ROLE_LABELS[input.role]}`,
      before: { role: current.role },
      after: { role: input.role },
    });
  });
}

export async function removeMember(db: Database, actor: Actor, input: { trustId: string; userId: string }): Promise<void> {
  await db.transaction(async (tx) => {
    const [current] = await tx
      .select({ role: memberships.role })
      .from(memberships)
      .where(and(eq(memberships.trustId, input.trustId), eq(memberships.userId, input.userId)));
    if (!current) throw new NotFoundError("That member");
    if (current.role === "clerk" && (await otherClerks(tx, input.trustId, input.userId)) === 0) {
      throw new RuleError("A trust needs at least one clerk: make someone else clerk before removing this one.");
    }
    await tx.delete(memberships).where(and(eq(memberships.trustId, input.trustId), eq(memberships.userId, input.userId)));
    await recordAudit(tx, actor, {
      trustId: input.trustId,
      action: "delete",
      entity: "membership",
      entityId: input.userId,
      summary: "Removed a member",
      before: { role: current.role },
    });
  });
}
