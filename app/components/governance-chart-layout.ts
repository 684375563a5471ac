/**
 * Where each box of the governance chart goes: members at the top, the board with the executive
 * and outside parties beside it, the committees below, then one column per cluster holding its
 * local boards and their schools. Trusts grow downwards here, not sideways, so a 100-school trust
 * still fits a page's width.
 */
import type { BodyKind, BodyPurpose, DecisionMode } from "~/domain/structure";

export interface ChartBody {
  id: string;
  kind: BodyKind;
  name: string;
  mode: DecisionMode;
  purpose: BodyPurpose;
  columnId: string | null;
  parentId: string | null;
  chairName: string | null;
}

export interface ChartSchool {
  id: string;
  name: string;
  clusterBodyId: string | null;
  localBodyId: string | null;
}

export interface ChartBox {
  id: string;
  x: number;
  y: number;
  width: number;
  height: number;
  lines: string[];
  /** Smaller text under the name, e.g. the chair. */
  caption?: string;
  variant: "members" | "board" | "committee" | "executive" | "external" | "cluster" | "local" | "school";
  advisory: boolean;
}

export interface ChartLink {
  from: { x: number; y: number };
  to: { x: number; y: number };
  /** Elbow links go down, across, then down; a spine goes down then across; straight ones join boxes side by side. */
  shape: "elbow" | "spine" | "straight";
  /** Where an elbow turns across, when not half-way (to pass below a row of boxes in between). */
  turnY?: number;
}

export interface ChartLayout {
  width: number;
  height: number;
  boxes: ChartBox[];
  links: ChartLink[];
}

const BOX_W = 190;
const GAP_X = 24;
const GAP_Y = 44;
const LINE_H = 16;
const PAD = 10;
const CHAR_W = 6.6;
const MARGIN = 16;

/** Splits a name into lines that fit a box, by words; a word longer than a line is cut. */
export function wrapText(text: string, maxChars: number): string[] {
  const lines: string[] = [];
  let current = "";
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const piece = word.length > maxChars ? `${word.slice(0, maxChars - 1)}…` : word;
    if (current === "") current = piece;
    else if (current.length + 1 + piece.length <= maxChars) current += ` ${piece}`;
    else {
      lines.push(current);
      current = piece;
    }
  }
  if (current !== "") lines.push(current);
  return lines.length > 0 ? lines : [""];
}

function box(
  id: string,
  name: string,
  variant: ChartBox["variant"],
  x: number,
  y: number,
  options: { advisory?: boolean; caption?: string; width?: number } = {},
): ChartBox {
  const width = options.width ?? BOX_W;
  const lines = wrapText(name, Math.floor((width - 2 * PAD) / CHAR_W));
  // An advisory body carries an extra line saying so.
  const textLines = lines.length + (options.advisory ? 1 : 0);
  const height = PAD * 2 + textLines * LINE_H + (options.caption ? LINE_H - 2 : 0);
  return { id, x, y, width, height, lines, caption: options.caption, variant, advisory: options.advisory ?? false };
}

function rowOf(boxes: ChartBox[], y: number, centre: number): number {
  const total = boxes.reduce((sum, b) => sum + b.width, 0) + GAP_X * Math.max(0, boxes.length - 1);
  let x = centre - total / 2;
  let bottom = y;
  for (const b of boxes) {
    b.x = x;
    b.y = y;
    x += b.width + GAP_X;
    bottom = Math.max(bottom, y + b.height);
  }
  return bottom;
}

const bottomMid = (b: ChartBox) => ({ x: b.x + b.width / 2, y: b.y + b.height });
const topMid = (b: ChartBox) => ({ x: b.x + b.width / 2, y: b.y });

function chairCaption(body: ChartBody): string | undefined {
  return body.chairName ? `Chair: ${body.chairName}` : undefined;
}

export function layoutGovernanceChart(bodies: ChartBody[], schools: ChartSchool[]): ChartLayout {
  const boxes: ChartBox[] = [];
  const links: ChartLink[] = [];
  const columns = bodies.filter((b) => b.columnId === null);
  const of = (kind: BodyKind) => columns.filter((b) => b.kind === kind);
  // Individual cluster and local boards are drawn; their matrix columns are drawn only when no boards exist.
  const clusters = bodies.filter((b) => b.kind === "cluster" && (b.columnId !== null || !bodies.some((o) => o.columnId === b.id)));
  const locals = bodies.filter((b) => b.kind === "local" && (b.columnId !== null || !bodies.some((o) => o.columnId === b.id)));

  // Groups: one per cluster, plus one for boards and schools outside any cluster.
  const groups = clusters.map((c) => ({ cluster: c as ChartBody | null, locals: [] as ChartBody[], schools: [] as ChartSchool[] }));
  const loose = { cluster: null as ChartBody | null, locals: [] as ChartBody[], schools: [] as ChartSchool[] };
  const groupOfCluster = new Map(groups.map((g) => [g.cluster!.id, g]));
  const localCluster = new Map<string, string>();
  for (const s of schools) if (s.localBodyId && s.clusterBodyId) localCluster.set(s.localBodyId, s.clusterBodyId);
  for (const l of locals) {
    const clusterId = (l.parentId && groupOfCluster.has(l.parentId) ? l.parentId : null) ?? localCluster.get(l.id) ?? null;
    (clusterId ? groupOfCluster.get(clusterId)! : loose).locals.push(l);
  }
  for (const s of schools) {
    if (s.localBodyId && locals.some((l) => l.id === s.localBodyId)) continue;
    (s.clusterBodyId && groupOfCluster.has(s.clusterBodyId) ? groupOfCluster.get(s.clusterBodyId)! : loose).schools.push(s);
  }
  const allGroups = loose.locals.length + loose.schools.length > 0 ? [...groups, loose] : groups;

  const groupWidth = BOX_W + 20;
  const committees = of("committee");
  const widest = Math.max(
    allGroups.length * (groupWidth + GAP_X),
    committees.length * (BOX_W + GAP_X),
    3 * (BOX_W + GAP_X) + BOX_W,
  );
  const width = widest + 2 * MARGIN;
  const centre = width / 2;
  let y = MARGIN;

  const members = of("members").map((m) => box(m.id, m.name, "members", 0, 0, { caption: chairCaption(m) }));
  if (members.length > 0) y = rowOf(members, y, centre) + GAP_Y;

  const boards = of("board").map((b) => box(b.id, b.name, "board", 0, 0, { caption: chairCaption(b) }));
  const boardTop = y;
  if (boards.length > 0) y = rowOf(boards, y, centre) + GAP_Y;
  const board = boards[0];
  if (board) for (const m of members) links.push({ from: bottomMid(m), to: topMid(board), shape: "elbow" });

  // The executive to the left of the board and outside parties to the right, stacked.
  const sideStack = (list: ChartBody[], variant: "executive" | "external", side: -1 | 1) => {
    let sy = boardTop;
    for (const body of list) {
      const b = box(body.id, body.name, variant, 0, sy, { caption: chairCaption(body) });
      b.x = side < 0 ? Math.max(MARGIN, centre - BOX_W / 2 - GAP_X * 2 - BOX_W) : Math.min(width - MARGIN - BOX_W, centre + BOX_W / 2 + GAP_X * 2);
      sy += b.height + 8;
      boxes.push(b);
      if (board) {
        const fromX = side < 0 ? b.x + b.width : b.x;
        const toX = side < 0 ? board.x : board.x + board.width;
        links.push({ from: { x: fromX, y: b.y + b.height / 2 }, to: { x: toX, y: board.y + board.height / 2 }, shape: "straight" });
      }
    }
    return sy;
  };
  const execBottom = sideStack(of("executive"), "executive", -1);
  const extBottom = sideStack(of("external"), "external", 1);
  y = Math.max(y, execBottom + GAP_Y / 2, extBottom + GAP_Y / 2);

  const committeeBoxes = committees.map((c) => box(c.id, c.name, "committee", 0, 0, { caption: chairCaption(c) }));
  if (committeeBoxes.length > 0) {
    const committeeTurn = y - 12;
    y = rowOf(committeeBoxes, y, centre) + GAP_Y;
    if (board) for (const c of committeeBoxes) links.push({ from: bottomMid(board), to: topMid(c), shape: "elbow", turnY: committeeTurn });
  }

  // One column per cluster group.
  const groupTotal = allGroups.length * groupWidth + GAP_X * Math.max(0, allGroups.length - 1);
  let gx = centre - groupTotal / 2;
  let bottom = y;
  const clusterTurn = y - GAP_Y / 2;
  for (const g of allGroups) {
    let gy = y;
    let head: ChartBox | undefined;
    if (g.cluster) {
      head = box(g.cluster.id, g.cluster.name, "cluster", gx, gy, { advisory: g.cluster.mode === "advisory", caption: chairCaption(g.cluster), width: groupWidth });
      boxes.push(head);
      if (board) links.push({ from: bottomMid(board), to: topMid(head), shape: "elbow", turnY: clusterTurn });
      gy += head.height + GAP_Y / 2;
    }
    for (const l of g.locals) {
      const lb = box(l.id, l.name, "local", gx + 10, gy, { advisory: l.mode === "advisory", caption: chairCaption(l) });
      boxes.push(lb);
      if (head) links.push({ from: { x: gx + 4, y: head.y + head.height }, to: { x: lb.x, y: lb.y + lb.height / 2 }, shape: "spine" });
      else if (board) links.push({ from: bottomMid(board), to: topMid(lb), shape: "elbow", turnY: clusterTurn });
      gy += lb.height + 4;
      for (const s of schools.filter((s) => s.localBodyId === l.id)) {
        const sb = box(`school-${s.id}`, s.name, "school", gx + 26, gy, { width: BOX_W - 16 });
        boxes.push(sb);
        gy += sb.height + 4;
      }
      gy += 8;
    }
    for (const s of g.schools) {
      const sb = box(`school-${s.id}`, s.name, "school", gx + 26, gy, { width: BOX_W - 16 });
      boxes.push(sb);
      gy += sb.height + 4;
    }
    bottom = Math.max(bottom, gy);
    gx += groupWidth + GAP_X;
  }

  boxes.push(...members, ...boards, ...committeeBoxes);
  return { width, height: bottom + MARGIN, boxes, links };
}
