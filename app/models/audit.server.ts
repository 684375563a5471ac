import type { Database } from "../../db/client";
import { auditLog } from "../../db/schema";

/** Who is acting: a signed-in person, or the command line. */
export interface Actor {
  userId: string | null;
  name: string;
}

export const COMMAND_LINE: Actor = { userId: null, name: "command line" };

export interface AuditEntry {
  trustId: string | null;
  action: string;
  entity: string;
  entityId?: string | null;
  versionId?: string | null;
  responsibilityId?: string | null;
  summary: string;
  before?: unknown;
  after?: unknown;
}

/** Records a change; call it with the transaction that makes the change, so both land or neither does. */
export async function recordAudit(tx: Database, actor: Actor, entries: AuditEntry | AuditEntry[]): Promise<void> {
  const list = Array.isArray(entries) ? entries : [entries];
  if (list.length === 0) return;
  await tx.insert(auditLog).values(
    list.map((e) => ({
      trustId: e.trustId,
      userId: actor.userId,
      actor: actor.name,
      action: e.action,
      entity: e.entity,
      entityId: e.entityId ?? null,
      versionId: e.versionId ?? null,
      responsibilityId: e.responsibilityId ?? null,
      summary: e.summary,
      before: e.before ?? null,
      after: e.after ?? null,
    })),
  );
}
