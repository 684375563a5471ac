/**
 * The concrete changes a break-point proposal makes, as data: the review proposes them, the page
 * lists them in words, and the model applies them to the draft in one transaction. A body the
 * proposal adds is named by a `new:` reference until it exists, so that later changes of the same
 * proposal (a school assigned to the new cluster, a code in the new column) can point at it.
 */
import type { Tier } from "./autonomy";
import type { DecisionCode } from "./codes";
import { counted } from "./counted";
import type { ImprovementModel } from "./strategy";
import { IMPROVEMENT_MODEL_LABELS } from "./strategy";
import { BODY_KIND_LABELS, type BodyKind, type BodyPurpose, type DecisionMode } from "./structure";

/** A body's id, or `new:<ref>` for a body an earlier change of the same apply adds. */
export type BodyRef = string;

export const NEW_BODY = "new:";

export const isNewBody = (ref: BodyRef): boolean => ref.startsWith(NEW_BODY);

export type ProposedChange =
  | { op: "add-column"; ref: BodyRef; kind: BodyKind; name: string; shortName: string | null; parent: BodyRef | null }
  | {
      op: "add-board";
      ref: BodyRef;
      kind: "cluster" | "local";
      name: string;
      column: BodyRef;
      columnName: string;
      parent: BodyRef | null;
      mode: DecisionMode;
      purpose: BodyPurpose;
    }
  | { op: "assign-school"; schoolId: string; schoolName: string; role: "cluster" | "local"; board: BodyRef; boardName: string }
  | { op: "make-advisory"; bodyId: string; name: string }
  | { op: "set-improvement-model"; from: ImprovementModel | null; to: ImprovementModel }
  | {
      op: "set-cell";
      /** Null: the base scheme; a tier: that tier's variant. */
      tier: Tier | null;
      rowId: string;
      rowRef: string;
      column: BodyRef;
      columnName: string;
      from: DecisionCode | null;
      to: DecisionCode | null;
    };

const code = (c: DecisionCode | null) => c ?? "(empty)";

/** One change in a sentence, for the proposal's list and the audit trail. */
export function changeWords(change: ProposedChange, tierName: (tier: Tier) => string = (t) => t): string {
  switch (change.op) {
    case "add-column":
      return `Add the column “${change.name}” (${BODY_KIND_LABELS[change.kind].toLowerCase()}).`;
    case "add-board": {
      const purpose = change.purpose === "standing" ? "" : ` ${change.purpose}`;
      return `Add the${purpose} ${change.mode === "advisory" ? "advisory " : ""}board “${change.name}”, answering under “${change.columnName}”.`;
    }
    case "assign-school":
      return `Place ${change.schoolName} under “${change.boardName}” as its ${change.role === "cluster" ? "cluster" : "local board"}.`;
    case "make-advisory":
      return `Make “${change.name}” advisory: it advises and recommends, and decides nothing.`;
    case "set-improvement-model":
      return `Change the school-improvement operating model ${change.from ? `from “${IMPROVEMENT_MODEL_LABELS[change.from].name}” ` : ""}to “${IMPROVEMENT_MODEL_LABELS[change.to].name}”.`;
    case "set-cell": {
      const where = change.tier ? ` in the ${tierName(change.tier)} variant` : "";
      return `${change.rowRef}: ${change.columnName} ${code(change.from)} → ${code(change.to)}${where}.`;
    }
  }
}

/** What a change is about, so that two proposals changing the same thing can be told apart from two making the same change. */
function target(change: ProposedChange): string {
  switch (change.op) {
    case "add-column":
    case "add-board":
      return `body:${change.ref}`;
    case "assign-school":
      return `school:${change.schoolId}:${change.role}`;
    case "make-advisory":
      return `mode:${change.bodyId}`;
    case "set-improvement-model":
      return "improvement-model";
    case "set-cell":
      return `cell:${change.tier ?? "base"}:${change.rowId}:${change.column}`;
  }
}

/** The order changes are applied in: bodies before what points at them. */
const OP_ORDER: ProposedChange["op"][] = ["add-column", "add-board", "make-advisory", "assign-school", "set-improvement-model", "set-cell"];

export interface ChosenProposal {
  title: string;
  changes: ProposedChange[];
}

export type CombinedChanges = { ok: true; changes: ProposedChange[] } | { ok: false; message: string };

/**
 * The changes of several proposals together, each once, in the order they can be applied. Two
 * proposals that change the same thing differently cannot both be applied: the message names them.
 */
export function combineChanges(chosen: ChosenProposal[]): CombinedChanges {
  const byTarget = new Map<string, { change: ProposedChange; title: string }>();
  for (const proposal of chosen) {
    for (const change of proposal.changes) {
      const key = target(change);
      const earlier = byTarget.get(key);
      if (!earlier) {
        byTarget.set(key, { change, title: proposal.title });
      } else if (JSON.stringify(earlier.change) !== JSON.stringify(change)) {
        return {
          ok: false,
          message: `“${earlier.title}” and “${proposal.title}” change the same thing differently (${changeWords(change)}): choose one of them.`,
        };
      }
    }
  }
  const changes = [...byTarget.values()].map((entry) => entry.change);
  return { ok: true, changes: changes.sort((a, b) => OP_ORDER.indexOf(a.op) - OP_ORDER.indexOf(b.op)) };
}

/**
 * A short fingerprint of a proposal's changes (FNV-1a over their JSON). The page sends it back with
 * the choice, so a proposal that has changed since the page was read is refused, not applied blind.
 */
export function changesDigest(changes: ProposedChange[]): string {
  let hash = 0x811c9dc5;
  for (const char of JSON.stringify(changes)) {
    hash ^= char.codePointAt(0)!;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, "0");
}

/** "3 changes: 1 body added, 2 codes changed". */
export function changesSummary(changes: ProposedChange[]): string {
  if (changes.length === 0) return "No change to the scheme";
  const bodies = changes.filter((c) => c.op === "add-column" || c.op === "add-board").length;
  const cells = changes.filter((c) => c.op === "set-cell").length;
  const others = changes.length - bodies - cells;
  const parts = [
    bodies > 0 ? `${counted(bodies, "body", "bodies")} added` : null,
    cells > 0 ? `${counted(cells, "code")} changed` : null,
    others > 0 ? `${counted(others, "other change")}` : null,
  ].filter((p): p is string => p !== null);
  return `${counted(changes.length, "change")}: ${parts.join(", ")}`;
}
