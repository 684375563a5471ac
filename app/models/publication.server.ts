/**
 * Publication: the one version of a trust's scheme anyone may read at /p/TRUST-SLUG, without signing
 * in (domain.md §1.6). Only an approved version is published; publishing another replaces it, and
 * withdrawing leaves nothing of the trust public. Each change is recorded in the trust's history in
 * the same transaction.
 */
import { and, eq, inArray, ne, sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { governanceBodies, publications, schemeVersions, trusts, users } from "../../db/schema";
import { NotFoundError, RuleError, StaleWriteError } from "../domain/errors";
import { publicSchemeView, type BodyDetails, type PublicSchemeView } from "../domain/public-scheme";
import { recordAudit, type Actor } from "./audit.server";
import { loadScheme } from "./scheme.server";

export interface Publication {
  versionId: string;
  number: number;
  /** When, as an ISO timestamp. */
  publishedAt: string;
  /** Who published it; null when that account has since been removed. */
  publishedBy: string | null;
}

/** What the trust has published, if anything. */
export async function findPublication(db: Database, trustId: string): Promise<Publication | null> {
  const [row] = await db
    .select({
      versionId: publications.versionId,
      number: schemeVersions.number,
      publishedAt: publications.publishedAt,
      publishedBy: users.name,
    })
    .from(publications)
    .innerJoin(schemeVersions, and(eq(schemeVersions.trustId, publications.trustId), eq(schemeVersions.id, publications.versionId)))
    .leftJoin(users, eq(users.id, publications.publishedBy))
    .where(eq(publications.trustId, trustId));
  return row ? { ...row, publishedAt: row.publishedAt.toISOString() } : null;
}

export interface PublishedVersion {
  trust: { id: string; name: string; slug: string };
  versionId: string;
  number: number;
}

/**
 * The published version of the trust with this short name, or null: an unknown trust and a trust
 * that publishes nothing look the same from outside. A draft is never answered, whatever the table holds.
 */
export async function findPublishedBySlug(db: Database, slug: string): Promise<PublishedVersion | null> {
  const [row] = await db
    .select({ id: trusts.id, name: trusts.name, slug: trusts.slug, versionId: schemeVersions.id, number: schemeVersions.number })
    .from(trusts)
    .innerJoin(publications, eq(publications.trustId, trusts.id))
    .innerJoin(schemeVersions, and(eq(schemeVersions.trustId, publications.trustId), eq(schemeVersions.id, publications.versionId)))
    .where(and(eq(trusts.slug, slug), ne(schemeVersions.status, "draft")));
  return row ? { trust: { id: row.id, name: row.name, slug: row.slug }, versionId: row.versionId, number: row.number } : null;
}

/** The public page's content for one of the trust's versions: its frozen scheme, with the chairs and remits recorded today. */
export async function loadPublicScheme(db: Database, trust: { id: string; name: string }, versionId: string): Promise<PublicSchemeView> {
  const scheme = await loadScheme(db, trust.id, versionId);
  const ids = [...scheme.columns.map((c) => c.id), ...scheme.boards.map((b) => b.id)];
  const rows =
    ids.length === 0
      ? []
      : await db
          .select({ id: governanceBodies.id, chairName: governanceBodies.chairName, remit: governanceBodies.remit })
          .from(governanceBodies)
          .where(and(eq(governanceBodies.trustId, trust.id), inArray(governanceBodies.id, ids)));
  const details = new Map<string, BodyDetails>(rows.map((r) => [r.id, { chairName: r.chairName, remit: r.remit }]));
  return publicSchemeView(scheme, trust.name, details);
}

const CHANGED_MEANWHILE = "what the trust publishes";

/**
 * Publishes an approved version in place of whatever was published. `expectedVersionId` is what the
 * clerk saw published (null: nothing): if that changed meanwhile, nothing is changed and the clerk is
 * told, so of two clerks publishing at once exactly one succeeds.
 */
export async function publishVersion(
  db: Database,
  actor: Actor,
  input: { trustId: string; versionId: string; expectedVersionId: string | null },
): Promise<{ number: number; replaced: number | null }> {
  return db.transaction(async (tx) => {
    // Held until the end: an approval superseding this version meanwhile waits, and one that came
    // first is seen here, so a version is never published after it was superseded.
    const [version] = await tx
      .select()
      .from(schemeVersions)
      .where(and(eq(schemeVersions.trustId, input.trustId), eq(schemeVersions.id, input.versionId)))
      .for("share");
    if (!version) throw new NotFoundError("That version of the scheme");
    if (version.status === "draft") {
      throw new RuleError(
        `Version ${version.number} is a draft, and only a version the board has approved can be published. Record the board's approval first. Nothing was published.`,
      );
    }
    if (version.status === "superseded") {
      throw new RuleError(
        `Version ${version.number} is superseded: a later approved version has replaced it, so it cannot be published. Publish the approved version instead. Nothing was published.`,
      );
    }
    if (input.expectedVersionId === version.id) throw new RuleError(`Version ${version.number} is already the published version.`);
    const values = { versionId: version.id, publishedBy: actor.userId, publishedAt: sql`now()` };
    let replaced: number | null = null;
    if (input.expectedVersionId === null) {
      const inserted = await tx
        .insert(publications)
        .values({ trustId: input.trustId, ...values })
        .onConflictDoNothing()
        .returning({ trustId: publications.trustId });
      if (!inserted[0]) throw new StaleWriteError(CHANGED_MEANWHILE);
    } else {
      const [before] = await tx
        .select({ number: schemeVersions.number })
        .from(schemeVersions)
        .where(and(eq(schemeVersions.trustId, input.trustId), eq(schemeVersions.id, input.expectedVersionId)));
      const updated = await tx
        .update(publications)
        .set(values)
        .where(and(eq(publications.trustId, input.trustId), eq(publications.versionId, input.expectedVersionId)))
        .returning({ trustId: publications.trustId });
      if (!updated[0] || !before) throw new StaleWriteError(CHANGED_MEANWHILE);
      replaced = before.number;
    }
    await recordAudit(tx, actor, {
      trustId: input.trustId,
      action: "publish",
      entity: "version",
      entityId: version.id,
      versionId: version.id,
      summary: `Published version ${version.number} on the trust's public page${replaced !== null ? `, in place of version ${replaced}` : ""}`,
      before: { published: replaced },
      after: { published: version.number },
    });
    return { number: version.number, replaced };
  });
}

/** Stops publishing: the trust's public page answers "not found" again. Refused if what is published changed meanwhile. */
export async function withdrawPublication(
  db: Database,
  actor: Actor,
  input: { trustId: string; expectedVersionId: string },
): Promise<{ number: number }> {
  return db.transaction(async (tx) => {
    const [version] = await tx
      .select({ id: schemeVersions.id, number: schemeVersions.number })
      .from(schemeVersions)
      .where(and(eq(schemeVersions.trustId, input.trustId), eq(schemeVersions.id, input.expectedVersionId)));
    const removed = await tx
      .delete(publications)
      .where(and(eq(publications.trustId, input.trustId), eq(publications.versionId, input.expectedVersionId)))
      .returning({ trustId: publications.trustId });
    if (!removed[0] || !version) throw new StaleWriteError(CHANGED_MEANWHILE);
    await recordAudit(tx, actor, {
      trustId: input.trustId,
      action: "withdraw",
      entity: "version",
      entityId: version.id,
      versionId: version.id,
      summary: `Stopped publishing version ${version.number}: the trust's public page is no longer available`,
      before: { published: version.number },
      after: { published: null },
    });
    return { number: version.number };
  });
}
