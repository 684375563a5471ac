/**
 * The delegation matrix editor: a keyboard-operable grid (arrow keys move; D R C A E M I and - set a
 * code; Delete clears; Enter or a click opens the list of codes). Each change is saved at once,
 * row by row in order, naming the revision of the row it started from; a row someone else saved
 * first is reloaded and the cell marked. Without JavaScript the same table is read-only text and
 * each row links to its own edit form.
 *
 * With a tier or a school chosen, the grid shows and edits that tier's or school's scheme: a change is
 * saved as its variant (or, set back to what the layers beneath give, removes the variant), cells that
 * differ from the base are marked, and statutory-locked rows stay read-only (EA-14).
 *
 * A national trust's matrix has over 2,000 cells: the table is written as one HTML string
 * (matrix-html.ts), each cell a bare <td> named by its column and row headings; one set of handlers
 * on the table serves every cell, and a change repaints only its cell.
 */
import { forwardRef, useEffect, useMemo, useRef, useState, type FocusEvent, type KeyboardEvent, type MouseEvent } from "react";
import { createPortal } from "react-dom";
import { CODE_MEANINGS, DECISION_CODES, type DecisionCode } from "~/domain/codes";
import type { MatrixRowView, MatrixView } from "~/domain/matrix-view";
import type { Severity } from "~/domain/rules/types";
import { beneath, lockedRowReason } from "~/domain/variants";
import { cellClass, indexText, LOCKED_CLASS, matrixTableHtml, originClass } from "./matrix-html";
import {
  cellLayers,
  cellOrigin,
  layersFromAnswer,
  layersOf,
  originWords,
  sameLayers,
  shownCodes,
  withCellFrom,
  withCode,
  type EditedLayer,
  type RowLayers,
} from "./matrix-layers";

type CellState = "saving" | "saved" | "failed" | "conflict";

interface SaveAnswer {
  status: "saved" | "conflict" | "refused";
  revision?: number;
  codes?: Record<string, string>;
  variants?: { tier: Record<string, string | null>; school: Record<string, string | null> };
  message?: string;
}

/** Where the checks found something: the worst severity by cell ("rowId:columnId") and by row. */
export interface FindingMarks {
  cells: Map<string, Severity>;
  rows: Map<string, Severity>;
}

/** The cells (and rows) to pick out, e.g. a finding's; `at` moves on each time, so the same set can be shown again. */
export interface Highlight {
  cells: { rowId: string; columnId: string }[];
  rowIds: string[];
  at: number;
}

interface Props {
  view: MatrixView;
  editable: boolean;
  saveUrl: string;
  /** Each row's edit form is at this address followed by /ROW-ID. */
  rowEditBase: string;
  marks?: FindingMarks;
  highlight?: Highlight | null;
  /** Called after each change the server has saved. */
  onSaved?: () => void;
  /** With a tier or school shown: the fields that name it in each save ({ tier: "T4" } or { school: id }). */
  scopeFields?: Record<string, string>;
  /** What the status line says when nothing can be edited. */
  readOnlyStatus?: string;
}

const NO_MARKS: FindingMarks = { cells: new Map(), rows: new Map() };

const KEY_TO_CODE: Record<string, DecisionCode> = { d: "D", r: "R", c: "C", a: "A", e: "E", m: "M", i: "I", "-": "—", "—": "—" };

const STATE_WORDS: Partial<Record<CellState, string>> = {
  failed: "not saved",
  conflict: "reloaded after someone else's change",
};

function allowedCodes(row: MatrixRowView, col: number): DecisionCode[] {
  if (row.excluded.includes(col)) return [];
  return DECISION_CODES.filter((c) => !(c === "D" && row.noDecision.includes(col)));
}

function refusal(row: MatrixRowView, col: number, code: DecisionCode): string | null {
  if (row.excluded.includes(col)) return row.exclusionRule ?? "Nothing may be set here.";
  if (code === "D" && row.noDecision.includes(col)) return row.decisionRule;
  return null;
}

/** The grid position of an event's cell: its row's index and the cell's column (the row heading is cell 0). */
function positionOf(target: EventTarget | null): { row: number; col: number } | null {
  const cell = (target as HTMLElement | null)?.closest?.("td.c") as HTMLTableCellElement | null;
  const row = cell?.parentElement as HTMLTableRowElement | null;
  if (!cell || !row?.dataset.index) return null;
  return { row: Number(row.dataset.index), col: cell.cellIndex - 1 };
}

/**
 * The table's HTML, built once per view and edit link. On the server every reader of a kept matrix
 * page (ADR 006) shares one view, so the table is written once, not once per request.
 */
const tables = new WeakMap<MatrixView, Map<string | null, string>>();

function tableHtml(view: MatrixView, rowEditBase: string | null, rowEditQuery: string): string {
  let byBase = tables.get(view);
  if (!byBase) tables.set(view, (byBase = new Map()));
  const key = rowEditBase === null ? null : rowEditBase + rowEditQuery;
  let html = byBase.get(key);
  if (html === undefined) byBase.set(key, (html = matrixTableHtml(view, rowEditBase, rowEditQuery)));
  return html;
}

/** An option of the list of codes: a code, clearing the cell, or setting it back to what the layers beneath give. */
interface MenuOption {
  code: DecisionCode | null;
  label?: string;
}

export function MatrixGrid({ view, editable, saveUrl, rowEditBase, marks = NO_MARKS, highlight = null, onSaved, scopeFields, readOnlyStatus = "This version is read-only." }: Props) {
  const rows = useMemo(() => view.groups.flatMap((g) => g.rows), [view]);
  const columns = view.columns;
  const scope = view.scope ?? null;
  const edited: EditedLayer = scope?.layer ?? "base";
  // A row's form edits the same scheme as the grid: the tier's or school's when one is shown.
  const html = tableHtml(view, editable ? rowEditBase : null, scopeFields ? `?${new URLSearchParams(scopeFields)}` : "");
  const [message, setMessage] = useState<string>("");
  const [pending, setPending] = useState(0);
  const [problems, setProblems] = useState(0);
  const [menu, setMenu] = useState<{ row: number; col: number; option: number } | null>(null);

  // What the grid holds, outside React's rendering: the table's cells are painted directly.
  const shown = useRef(new Map<string, RowLayers>());
  const saved = useRef(new Map<string, RowLayers>());
  const revisions = useRef(new Map<string, number>());
  const states = useRef(new Map<string, CellState>());
  const epochs = useRef(new Map<string, number>());
  const queues = useRef(new Map<string, Promise<void>>());
  const tableRef = useRef<HTMLTableElement>(null);
  const menuRef = useRef<HTMLUListElement>(null);
  const marksRef = useRef(marks);
  const highlighted = useRef(new Set<string>());

  // A fresh view from the server (after a bulk action, or a reload) replaces what the grid holds.
  useEffect(() => {
    shown.current = new Map(rows.map((r) => [r.id, layersOf(r)]));
    saved.current = new Map(rows.map((r) => [r.id, layersOf(r)]));
    revisions.current = new Map(rows.map((r) => [r.id, r.revision]));
    states.current = new Map();
    setProblems(0);
  }, [rows]);

  useEffect(() => {
    if (menu) menuRef.current?.querySelectorAll("button")[menu.option]?.focus();
  }, [menu]);

  const rowElement = (row: number) => tableRef.current?.querySelector<HTMLTableRowElement>(`tr[data-index="${row}"]`) ?? null;
  const cellElement = (row: number, col: number) => rowElement(row)?.cells[col + 1] ?? null;

  const layersAt = (rowIndex: number) => shown.current.get(rows[rowIndex]!.id) ?? layersOf(rows[rowIndex]!);

  const paint = (rowIndex: number, col: number) => {
    const row = rows[rowIndex]!;
    const cell = cellElement(rowIndex, col);
    if (!cell) return;
    const layers = layersAt(rowIndex);
    const codes = shownCodes(layers);
    const code = codes[col] ?? null;
    const closed = row.excluded.includes(col);
    const origin = scope && !closed ? cellOrigin(layers, col) : null;
    const state = states.current.get(`${row.id}:${col}`);
    cell.className = `${cellClass(code, closed)}${originClass(origin?.source ?? null)}${row.locked ? LOCKED_CLASS : ""}${state ? ` is-${state}` : ""}${decoration(row.id, col)}`;
    // Only the cell's own text changes: the list of codes may be open inside it.
    let text = cell.firstChild;
    if (!text || text.nodeType !== Node.TEXT_NODE) text = cell.insertBefore(document.createTextNode(""), cell.firstChild);
    text.nodeValue = closed ? "—" : (code ?? "");
    const stateWords = state ? STATE_WORDS[state] : undefined;
    const words = `${origin?.source ? originWords(scope!, origin.source, origin.base) : ""}${stateWords ? `, ${stateWords}` : ""}`;
    let hidden = cell.querySelector(":scope > .visually-hidden");
    if (words) {
      if (!hidden) {
        hidden = document.createElement("span");
        hidden.className = "visually-hidden";
        text.after(hidden);
      }
      hidden.textContent = words;
    } else {
      hidden?.remove();
    }
    const index = rowElement(rowIndex)?.querySelector(".matrix__index");
    if (index) index.textContent = indexText(view, codes);
  };

  /** The classes the checks add: a marker for the worst finding on the cell, and the highlight. */
  const decoration = (rowId: string, col: number) => {
    const key = `${rowId}:${columns[col]!.id}`;
    const severity = marksRef.current.cells.get(key);
    return `${severity ? ` m-${severity}` : ""}${highlighted.current.has(key) ? " is-highlighted" : ""}`;
  };

  /** Repaints every row's markers: after new findings, or a new highlight. */
  const decorateAll = () => {
    rows.forEach((row, rowIndex) => {
      const element = rowElement(rowIndex);
      if (!element) return;
      const head = element.cells[0]!;
      const severity = marksRef.current.rows.get(row.id);
      head.className = `matrix__row-head${severity ? ` m-${severity}` : ""}${highlighted.current.has(row.id) ? " is-highlighted" : ""}`;
      columns.forEach((_, col) => paint(rowIndex, col));
    });
  };

  useEffect(() => {
    marksRef.current = marks;
    decorateAll();
  }, [marks, rows]);

  useEffect(() => {
    if (!highlight) return;
    highlighted.current = new Set([...highlight.cells.map((c) => `${c.rowId}:${c.columnId}`), ...highlight.rowIds]);
    decorateAll();
    const first = highlight.cells[0] ?? null;
    const rowIndex = rows.findIndex((r) => r.id === (first?.rowId ?? highlight.rowIds[0]));
    if (rowIndex < 0) {
      setMessage("That finding's row is not shown with the filters chosen above: show all areas and bodies to see it.");
      return;
    }
    const col = first ? columns.findIndex((c) => c.id === first.columnId) : 0;
    cellElement(rowIndex, Math.max(0, col))?.scrollIntoView({ block: "center", inline: "center" });
    focusCell(rowIndex, Math.max(0, col));
  }, [highlight]);

  const mark = (rowIndex: number, col: number, state: CellState | null) => {
    const key = `${rows[rowIndex]!.id}:${col}`;
    if (state) states.current.set(key, state);
    else states.current.delete(key);
    setProblems([...states.current.values()].filter((s) => s === "failed" || s === "conflict").length);
    paint(rowIndex, col);
  };

  const show = (rowIndex: number, col: number, code: DecisionCode | null) => {
    shown.current.set(rows[rowIndex]!.id, withCode(layersAt(rowIndex), col, code, edited));
  };

  const save = (rowIndex: number, col: number, code: DecisionCode | null) => {
    const row = rows[rowIndex]!;
    const epoch = epochs.current.get(row.id) ?? 0;
    show(rowIndex, col, code);
    mark(rowIndex, col, "saving");
    setPending((n) => n + 1);
    const task = async () => {
      try {
        if ((epochs.current.get(row.id) ?? 0) !== epoch) {
          // The row was reloaded after someone else's save; this change was made on the old row.
          mark(rowIndex, col, "conflict");
          return;
        }
        const body = new URLSearchParams({
          ...scopeFields,
          rowId: row.id,
          columnId: columns[col]!.id,
          code: code ?? "",
          revision: String(revisions.current.get(row.id) ?? 0),
        });
        let answer: SaveAnswer;
        try {
          const response = await fetch(saveUrl, { method: "POST", body, headers: { Accept: "application/json" } });
          answer = response.headers.get("Content-Type")?.includes("json")
            ? ((await response.json()) as SaveAnswer)
            : { status: "refused", message: `the change was not saved (the server answered ${response.status}).` };
        } catch {
          answer = { status: "refused", message: "the change was not saved: the connection to the server failed. Try again." };
        }
        if (answer.status === "saved") {
          revisions.current.set(row.id, answer.revision!);
          saved.current.set(row.id, withCode(saved.current.get(row.id) ?? layersOf(row), col, code, edited));
          mark(rowIndex, col, "saved");
          onSaved?.();
          setTimeout(() => {
            if (states.current.get(`${row.id}:${col}`) === "saved") mark(rowIndex, col, null);
          }, 2000);
        } else if (answer.status === "conflict") {
          const fresh = layersFromAnswer(
            columns.map((c) => c.id),
            answer.codes,
            answer.variants,
          );
          revisions.current.set(row.id, answer.revision!);
          saved.current.set(row.id, fresh);
          shown.current.set(row.id, fresh);
          epochs.current.set(row.id, epoch + 1);
          columns.forEach((_, c) => paint(rowIndex, c));
          mark(rowIndex, col, "conflict");
          setMessage(`${row.ref}: someone else saved this row first. It has been reloaded; your change was not saved.`);
        } else {
          shown.current.set(row.id, withCellFrom(layersAt(rowIndex), saved.current.get(row.id) ?? layersOf(row), col));
          mark(rowIndex, col, "failed");
          setMessage(`${row.ref}, ${columns[col]!.name}: ${answer.message ?? "the change was not saved."}`);
        }
      } finally {
        setPending((n) => n - 1);
      }
    };
    const previous = queues.current.get(row.id) ?? Promise.resolve();
    queues.current.set(row.id, previous.then(task, task));
  };

  /** Why the cell cannot be changed in the scheme shown: a statutory-locked row never varies (EA-14). */
  const lockedReason = (row: MatrixRowView) => (scope && row.locked ? lockedRowReason(row) : null);

  const apply = (rowIndex: number, col: number, code: DecisionCode | null) => {
    const row = rows[rowIndex];
    if (!row || !editable) return;
    const locked = lockedReason(row);
    if (locked) {
      setMessage(locked);
      return;
    }
    if (code !== null) {
      const reason = refusal(row, col, code);
      if (reason) {
        setMessage(`${row.ref}, ${columns[col]!.name}: ${reason}`);
        return;
      }
    } else if (row.excluded.includes(col)) {
      return;
    }
    // A variant that now equals what is beneath it (the base changed since) can still be removed.
    const layers = layersAt(rowIndex);
    if (sameLayers(cellLayers(layers, col), cellLayers(withCode(layers, col, code, edited), col))) return;
    setMessage("");
    save(rowIndex, col, code);
  };

  /** One cell at a time is in the page's tab order (a roving tab stop), set on the element itself. */
  const focusCell = (row: number, col: number) => {
    const cell = cellElement(row, col);
    if (!cell) return;
    tableRef.current?.querySelectorAll("td[tabindex]").forEach((td) => td !== cell && td.removeAttribute("tabindex"));
    cell.setAttribute("tabindex", "0");
    cell.focus();
  };

  const move = (row: number, col: number) => {
    setMenu(null);
    focusCell(Math.max(0, Math.min(rows.length - 1, row)), Math.max(0, Math.min(columns.length - 1, col)));
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTableElement>) => {
    const at = positionOf(event.target);
    if (!at || menu) return;
    const k = event.key;
    const moves: Record<string, [number, number]> = {
      ArrowRight: [at.row, at.col + 1],
      ArrowLeft: [at.row, at.col - 1],
      ArrowDown: [at.row + 1, at.col],
      ArrowUp: [at.row - 1, at.col],
      Home: [event.ctrlKey ? 0 : at.row, 0],
      End: [event.ctrlKey ? rows.length - 1 : at.row, columns.length - 1],
      PageDown: [at.row + 10, at.col],
      PageUp: [at.row - 10, at.col],
    };
    const target = moves[k];
    const code = KEY_TO_CODE[k.toLowerCase()];
    const editKey = editable && !event.ctrlKey && !event.metaKey && !event.altKey;
    if (target) move(...target);
    else if (editKey && (k === "Delete" || k === "Backspace")) apply(at.row, at.col, null);
    else if (editKey && (k === "Enter" || k === " ")) {
      const locked = lockedReason(rows[at.row]!);
      if (locked) setMessage(locked);
      else if (allowedCodes(rows[at.row]!, at.col).length > 0) setMenu({ ...at, option: 0 });
    } else if (editKey && code) apply(at.row, at.col, code);
    else return;
    event.preventDefault();
    event.stopPropagation();
  };

  const onClick = (event: MouseEvent<HTMLTableElement>) => {
    if ((event.target as HTMLElement).closest(".matrix__menu")) return;
    const at = positionOf(event.target);
    if (!at) return;
    focusCell(at.row, at.col);
    if (!editable || rows[at.row]!.excluded.includes(at.col)) return;
    const locked = lockedReason(rows[at.row]!);
    if (locked) setMessage(locked);
    else setMenu({ ...at, option: 0 });
  };

  const onFocus = (event: FocusEvent<HTMLTableElement>) => {
    const at = positionOf(event.target);
    if (at && event.target.getAttribute("tabindex") !== "0") focusCell(at.row, at.col);
  };

  const choose = (rowIndex: number, col: number, code: DecisionCode | null) => {
    setMenu(null);
    apply(rowIndex, col, code);
    focusCell(rowIndex, col);
  };

  const onMenuKey = (event: KeyboardEvent<HTMLUListElement>, options: MenuOption[]) => {
    if (!menu) return;
    const code = KEY_TO_CODE[event.key.toLowerCase()];
    if (event.key === "Escape") {
      setMenu(null);
      focusCell(menu.row, menu.col);
    } else if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      const step = event.key === "ArrowDown" ? 1 : -1;
      setMenu({ ...menu, option: (menu.option + step + options.length) % options.length });
    } else if (code || event.key === "Delete" || event.key === "Backspace") {
      // Typing a code with the list open sets it, as it would on the cell.
      choose(menu.row, menu.col, code ?? null);
    } else {
      if (event.key === "Tab") setMenu(null);
      return;
    }
    event.preventDefault();
    event.stopPropagation();
  };

  const menuRow = menu ? rows[menu.row] : undefined;
  const menuCell = menu ? cellElement(menu.row, menu.col) : null;

  /** The codes the cell may take, clearing it, and (where the cell is varied) following the layers beneath again. */
  const menuOptions = (rowIndex: number, col: number): MenuOption[] => {
    const options: MenuOption[] = [...allowedCodes(rows[rowIndex]!, col).map((code) => ({ code })), { code: null }];
    if (edited === "base") return options;
    const layers = cellLayers(layersAt(rowIndex), col);
    if (layers[edited] === undefined) return options;
    const below = beneath(layers, edited);
    const source = edited === "school" && layers.tier !== undefined ? `the ${scope?.tierLabel ?? "tier"} variant` : "the base scheme";
    return [...options, { code: below, label: `As ${source} (${below ?? "empty"})` }];
  };

  return (
    <div className="matrix" data-editable={editable || undefined}>
      <p className="matrix__status" role="status" aria-live="polite">
        {!editable
          ? readOnlyStatus
          : pending > 0
            ? "Saving…"
            : problems > 0
              ? "Some changes were not saved: see the marked cells."
              : "All changes saved."}
      </p>
      <p className="matrix__message" role="alert" aria-live="assertive">
        {message}
      </p>
      <div className="matrix__scroller">
        <table
          ref={tableRef}
          className="matrix__table"
          role="grid"
          aria-label="Delegation matrix"
          aria-readonly={!editable}
          onKeyDown={onKeyDown}
          onClick={onClick}
          onFocus={onFocus}
          dangerouslySetInnerHTML={{ __html: html }}
        />
      </div>
      {menu && menuRow && menuCell
        ? createPortal(
            <CodeMenu
              ref={menuRef}
              label={`Code for ${menuRow.ref}, ${columns[menu.col]!.name}`}
              options={menuOptions(menu.row, menu.col)}
              onKeyDown={onMenuKey}
              onChoose={(option) => choose(menu.row, menu.col, option)}
            />,
            menuCell,
          )
        : null}
    </div>
  );
}

interface CodeMenuProps {
  label: string;
  options: MenuOption[];
  onKeyDown: (event: KeyboardEvent<HTMLUListElement>, options: MenuOption[]) => void;
  onChoose: (code: DecisionCode | null) => void;
}

const CodeMenu = forwardRef<HTMLUListElement, CodeMenuProps>(function CodeMenu({ label, options, onKeyDown, onChoose }, ref) {
  return (
    <ul className="matrix__menu" role="menu" aria-label={label} ref={ref} onKeyDown={(e) => onKeyDown(e, options)}>
      {options.map((option) => (
        <li key={option.label ?? option.code ?? "clear"} role="none">
          <button type="button" role="menuitem" tabIndex={-1} onClick={() => onChoose(option.code)}>
            {option.label ? (
              option.label
            ) : option.code ? (
              <>
                <b>{option.code}</b> {CODE_MEANINGS[option.code].name}
              </>
            ) : (
              "Clear"
            )}
          </button>
        </li>
      ))}
    </ul>
  );
});
