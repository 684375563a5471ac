/**
 * The break-point review of a trust (app/domain/break-point-review.ts) read from the database, and
 * the chosen proposals applied to the draft: every change through the same functions the structure
 * page and the matrix editor use, so each is checked and audited as if made by hand, and all of
 * them land together or not at all.
 */
import { and, eq, sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { schemeVersions, trusts } from "../../db/schema";
import { TIERS, type Tier } from "../domain/autonomy";
import { changeWords, combineChanges, isNewBody, type BodyRef, type ProposedChange } from "../domain/break-point-changes";
import { breakPointReason, reviewBreakPoints, type BreakPoint, type Proposal, type SchoolTierStanding } from "../domain/break-point-review";
import type { DecisionCode } from "../domain/codes";
import { inWords } from "../domain/rules/coherence";
import { NotFoundError, RuleError, StaleWriteError } from "../domain/errors";
import type { Scheme } from "../domain/scheme";
import type { BodyPurpose, SchoolPhase } from "../domain/structure";
import { schoolStanding } from "../domain/school-standing";
import { tierLabel } from "../domain/tier-policy";
import { recordAudit, type Actor } from "./audit.server";
import { autonomyOf, loadAutonomy } from "./autonomy.server";
import { saveRow } from "./row-save.server";
import { findDraft, listVersions, liveStructure, loadScheme, startDraft, type VersionRecord } from "./scheme.server";
import { loadStoredStrategy, saveStrategy } from "./strategy.server";
import { createBody, getBody, getSchool, updateBody, updateSchool } from "./structure.server";
import { ruleSettingsOf } from "./validation.server";
import { saveVariant } from "./variant-save.server";

export interface BreakPointReview {
  breakPoints: BreakPoint[];
  draft: VersionRecord | null;
  approved: VersionRecord | null;
  tierNames: Record<Tier, string>;
  schoolNames: Record<string, string>;
}

/** The review changed under the person choosing: what they chose is not what would be applied. */
export class ReviewChangedError extends StaleWriteError {
  constructor(titles: string[]) {
    super("the review");
    this.message = `The review has changed since you opened it (${inWords(titles)}): nothing was applied. Its proposals as they now stand are shown; choose again.`;
  }
}

/** The scheme a new draft would start as: the approved version's cells over the live structure and catalogue. */
async function prospectiveScheme(db: Database, trustId: string, approved: VersionRecord | null): Promise<Scheme> {
  const live = await liveStructure(db, trustId);
  if (approved) return { ...(await loadScheme(db, trustId, approved.id)), ...live };
  return {
    version: {
      id: "",
      number: 0,
      status: "draft",
      basedOnId: null,
      approvedByBodyId: null,
      approvedOn: null,
      minuteRef: null,
      reviewDueOn: null,
      breakPointReason: null,
      version: 0,
    },
    ...live,
    cells: {},
    tierCells: {},
    schoolCells: {},
    rowRevisions: {},
  };
}

export async function loadBreakPointReview(db: Database, trustId: string, today: string): Promise<BreakPointReview> {
  const [trust] = await db.select({ settings: trusts.settings }).from(trusts).where(eq(trusts.id, trustId));
  if (!trust) throw new NotFoundError("That trust");
  const versions = await listVersions(db, trustId);
  const draft = versions.find((v) => v.status === "draft") ?? null;
  const approved = versions.find((v) => v.status === "approved") ?? null;
  const [scheme, approvedScheme, strategy, autonomy] = await Promise.all([
    draft ? loadScheme(db, trustId, draft.id) : prospectiveScheme(db, trustId, approved),
    approved ? loadScheme(db, trustId, approved.id) : null,
    loadStoredStrategy(db, trustId),
    loadAutonomy(db, trustId),
  ]);
  const tierNames = Object.fromEntries(TIERS.map((t) => [t, tierLabel(autonomy.policy, t)])) as Record<Tier, string>;
  const standings: Record<string, SchoolTierStanding> = {};
  for (const school of scheme.schools) {
    const standing = schoolStanding(school, autonomyOf(autonomy, school.id), autonomy.policy, today);
    standings[school.id] = { decided: standing.decided?.tier ?? null, recommended: standing.recommendation.tier, reasons: standing.recommendation.reasons };
  }
  const breakPoints = reviewBreakPoints({
    today,
    scheme,
    draft,
    approved: approved && approvedScheme ? { number: approved.number, approvedOn: approved.approvedOn!, reviewDueOn: approved.reviewDueOn, schoolIds: approvedScheme.schools.map((s) => s.id) } : null,
    strategy: strategy.profile,
    settings: ruleSettingsOf(trust.settings),
    standings,
    tierNames,
    transitionMonths: autonomy.policy.tiers.T0.criteria.months,
  });
  return { breakPoints, draft, approved, tierNames, schoolNames: Object.fromEntries(scheme.schools.map((s) => [s.id, s.name])) };
}

export interface ChosenProposalRef {
  id: string;
  /** The proposal's digest as the page showed it. */
  digest: string;
}

export interface AppliedReview {
  draft: VersionRecord;
  /** A new draft was started for the proposals (there was none). */
  started: boolean;
  applied: Proposal[];
  /** The version to compare the draft with: the latest approved. */
  approvedNumber: number | null;
}

/** The chosen proposals as they stand now, refused if any has changed or gone, or two alternatives are chosen together. */
function chosenProposals(breakPoints: BreakPoint[], chosen: ChosenProposalRef[]): Proposal[] {
  const current = new Map(breakPoints.flatMap((b) => b.proposals.map((p) => [p.id, p] as const)));
  const changed = chosen.filter((c) => current.get(c.id)?.digest !== c.digest);
  if (changed.length > 0) throw new ReviewChangedError(changed.map((c) => current.get(c.id)?.title ?? `a proposal no longer made (${c.id})`));
  const proposals = [...new Set(chosen.map((c) => c.id))].map((id) => current.get(id)!);
  const groups = new Map<string, Proposal[]>();
  for (const p of proposals) if (p.group) groups.set(p.group, [...(groups.get(p.group) ?? []), p]);
  for (const alternatives of groups.values()) {
    if (alternatives.length > 1) {
      throw new RuleError(`${inWords(alternatives.map((p) => `“${p.title}”`))} are alternatives: choose one of them.`, "proposals");
    }
  }
  return proposals;
}

/**
 * Applies the chosen proposals to the trust's draft, starting one from the latest approved version
 * when there is none, and records the break points as the draft's reason. One review is applied at
 * a time per trust; anything refused part-way leaves nothing behind.
 */
export async function applyBreakPointProposals(
  db: Database,
  actor: Actor,
  input: { trustId: string; chosen: ChosenProposalRef[]; today: string },
): Promise<AppliedReview> {
  if (input.chosen.length === 0) throw new RuleError("Choose at least one proposal to apply.", "proposals");
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${input.trustId} || ':break-point-review'))`);
    const review = await loadBreakPointReview(tx, input.trustId, input.today);
    const proposals = chosenProposals(review.breakPoints, input.chosen);
    const combined = combineChanges(proposals);
    if (!combined.ok) throw new RuleError(combined.message, "proposals");
    const reason = breakPointReason(review.breakPoints, proposals.map((p) => p.id), input.today);

    let draft = review.draft ?? (await findDraft(tx, input.trustId));
    const started = draft === null;
    if (!draft) draft = await startDraft(tx, actor, { trustId: input.trustId, from: review.approved ? "latest-approved" : "empty", reason });
    await applyChanges(tx, actor, input.trustId, draft, combined.changes);

    const newReason = started || !draft.breakPointReason ? reason : `${draft.breakPointReason}; ${reason}`;
    const [updated] = await tx
      .update(schemeVersions)
      .set({ breakPointReason: newReason, version: sql`${schemeVersions.version} + 1`, updatedAt: sql`now()` })
      .where(and(eq(schemeVersions.trustId, input.trustId), eq(schemeVersions.id, draft.id), eq(schemeVersions.status, "draft")))
      .returning();
    if (!updated) throw new StaleWriteError(`draft version ${draft.number}`);
    await recordAudit(tx, actor, {
      trustId: input.trustId,
      action: "update",
      entity: "version",
      entityId: draft.id,
      versionId: draft.id,
      summary: `Applied ${inWords(proposals.map((p) => `“${p.title}”`))} from the break-point review to draft version ${draft.number}`,
      before: { reason: started ? null : draft.breakPointReason },
      after: { reason: newReason, proposals: proposals.map((p) => ({ id: p.id, title: p.title, changes: p.changes.map((c) => changeWords(c, (t) => review.tierNames[t])) })) },
    });
    return { draft: updated, started, applied: proposals, approvedNumber: review.approved?.number ?? null };
  });
}

/** Each change through the function that makes it by hand, in the order combineChanges gives: bodies first. */
async function applyChanges(tx: Database, actor: Actor, trustId: string, draft: VersionRecord, changes: ProposedChange[]) {
  const created = new Map<string, string>();
  const resolve = (ref: BodyRef): string => {
    if (!isNewBody(ref)) return ref;
    const id = created.get(ref);
    if (!id) throw new Error(`The change names ${ref} before it is added.`);
    return id;
  };
  const cellEdits = new Map<string, { tier: Tier | null; rowId: string; codes: Record<string, DecisionCode | null> }>();
  for (const change of changes) {
    switch (change.op) {
      case "add-column": {
        const body = await createBody(tx, actor, { trustId, kind: change.kind, name: change.name, shortName: change.shortName, parentId: change.parent ? resolve(change.parent) : null });
        created.set(change.ref, body.id);
        break;
      }
      case "add-board": {
        const body = await createBody(tx, actor, {
          trustId,
          kind: change.kind,
          name: change.name,
          columnId: resolve(change.column),
          parentId: change.parent ? resolve(change.parent) : null,
          mode: change.mode,
          purpose: change.purpose,
        });
        created.set(change.ref, body.id);
        break;
      }
      case "make-advisory": {
        const body = await getBody(tx, trustId, change.bodyId);
        if (!body) throw new NotFoundError(change.name);
        await updateBody(tx, actor, {
          trustId,
          id: body.id,
          expectedVersion: body.version,
          name: body.name,
          shortName: body.shortName,
          mode: "advisory",
          purpose: body.purpose as BodyPurpose,
          parentId: body.parentId,
          columnId: body.columnId,
          chairName: body.chairName,
          remit: body.remit,
        });
        break;
      }
      case "assign-school": {
        const school = await getSchool(tx, trustId, change.schoolId);
        if (!school) throw new NotFoundError(change.schoolName);
        const board = resolve(change.board);
        await updateSchool(tx, actor, {
          trustId,
          id: school.id,
          expectedVersion: school.version,
          urn: school.urn,
          name: school.name,
          phase: school.phase as SchoolPhase,
          easting: school.easting,
          northing: school.northing,
          postcode: school.postcode,
          localAuthority: school.localAuthority,
          joinedOn: school.joinedOn,
          headteacherName: school.headteacherName,
          clusterBodyId: change.role === "cluster" ? board : school.clusterBodyId,
          localBodyId: change.role === "local" ? board : school.localBodyId,
        });
        break;
      }
      case "set-improvement-model": {
        const stored = await loadStoredStrategy(tx, trustId);
        await saveStrategy(tx, actor, { trustId, version: stored.version, vision: stored.vision, profile: { ...stored.profile, improvementModel: change.to } });
        break;
      }
      case "set-cell": {
        const key = `${change.tier ?? "base"}:${change.rowId}`;
        const edit = cellEdits.get(key) ?? { tier: change.tier, rowId: change.rowId, codes: {} };
        edit.codes[resolve(change.column)] = change.to;
        cellEdits.set(key, edit);
        break;
      }
    }
  }
  if (cellEdits.size === 0) return;
  const revisions = new Map(Object.entries((await loadScheme(tx, trustId, draft.id)).rowRevisions));
  // Base codes before variants: a tier's variant is read against the base row it varies.
  const ordered = [...cellEdits.values()].sort((a, b) => Number(a.tier !== null) - Number(b.tier !== null));
  for (const edit of ordered) {
    const expectedRevision = revisions.get(edit.rowId) ?? 0;
    const { revision } =
      edit.tier === null
        ? await saveRow(tx, actor, { trustId, versionId: draft.id, rowId: edit.rowId, codes: edit.codes, expectedRevision })
        : await saveVariant(tx, actor, { trustId, versionId: draft.id, rowId: edit.rowId, scope: { tier: edit.tier }, codes: edit.codes, expectedRevision });
    revisions.set(edit.rowId, revision);
  }
}
