/**
 * The delegation matrix editor: a keyboard-operable grid (arrow keys move; D R C A E M I and - set a
 * code; Delete clears; Enter or a click opens the list of codes). Each change is saved at once,
 * row by row in order, naming the revision of the row it started from; a row someone else saved
 * first is reloaded and the cell marked. Without JavaScript the same table is read-only text and
 * each row links to its own edit form.
 *
 * A national trust's matrix has over 2,000 cells, so each cell is a bare <td>: its column and row
 * headings name it for screen readers, and one set of handlers on the table serves every cell.
 */
import { forwardRef, useEffect, useMemo, useRef, useState, type FocusEvent, type KeyboardEvent, type MouseEvent } from "react";
import { centralisationIndex } from "~/domain/centralisation";
import { CODE_MEANINGS, DECISION_CODES, type DecisionCode } from "~/domain/codes";
import type { MatrixRowView, MatrixView } from "~/domain/matrix-view";
import { BODY_KIND_LABELS } from "~/domain/structure";

type CellState = "saving" | "saved" | "failed" | "conflict";

interface SaveAnswer {
  status: "saved" | "conflict" | "refused";
  revision?: number;
  codes?: Record<string, string>;
  message?: string;
}

interface Props {
  view: MatrixView;
  editable: boolean;
  saveUrl: string;
  rowEditUrl: (rowId: string) => string;
  /** Cells to draw attention to (e.g. a finding's cells), keyed "rowId:columnId". */
  highlighted?: ReadonlySet<string>;
}

const KEY_TO_CODE: Record<string, DecisionCode> = { d: "D", r: "R", c: "C", a: "A", e: "E", m: "M", i: "I", "-": "—", "—": "—" };

const STATE_WORDS = {
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

export function MatrixGrid({ view, editable, saveUrl, rowEditUrl, highlighted }: Props) {
  const rows = useMemo(() => view.groups.flatMap((g) => g.rows), [view]);
  const columns = view.columns;
  const [codes, setCodes] = useState<Record<string, (DecisionCode | null)[]>>(() => Object.fromEntries(rows.map((r) => [r.id, r.codes])));
  const [states, setStates] = useState<Record<string, CellState>>({});
  const [message, setMessage] = useState<string>("");
  const [pending, setPending] = useState(0);
  const [focus, setFocus] = useState<{ row: number; col: number }>({ row: 0, col: 0 });
  const [menu, setMenu] = useState<{ row: number; col: number; option: number } | null>(null);

  // Latest values for the save queue, which outlives renders.
  const revisions = useRef(new Map<string, number>());
  const saved = useRef(new Map<string, (DecisionCode | null)[]>());
  const epochs = useRef(new Map<string, number>());
  const queues = useRef(new Map<string, Promise<void>>());
  const tableRef = useRef<HTMLTableElement>(null);
  const menuRef = useRef<HTMLUListElement>(null);

  // A fresh view from the server (after a bulk action, or a reload) replaces what the grid holds.
  useEffect(() => {
    setCodes(Object.fromEntries(rows.map((r) => [r.id, r.codes])));
    revisions.current = new Map(rows.map((r) => [r.id, r.revision]));
    saved.current = new Map(rows.map((r) => [r.id, r.codes]));
  }, [rows]);

  const cellElement = (row: number, col: number) =>
    tableRef.current?.querySelector<HTMLTableRowElement>(`tr[data-index="${row}"]`)?.cells[col + 1] ?? null;

  /** One cell at a time is in the page's tab order (a roving tab stop); it is set on the element directly, not rendered. */
  const focusCell = (row: number, col: number) => {
    const cell = cellElement(row, col);
    if (!cell) return;
    tableRef.current?.querySelectorAll("td[tabindex]").forEach((td) => td !== cell && td.removeAttribute("tabindex"));
    cell.setAttribute("tabindex", "0");
    cell.focus();
    setFocus({ row, col });
  };

  useEffect(() => {
    if (menu) menuRef.current?.querySelectorAll("button")[menu.option]?.focus();
  }, [menu]);

  const markCell = (key: string, state: CellState | null) =>
    setStates((s) => {
      const next = { ...s };
      if (state) next[key] = state;
      else delete next[key];
      return next;
    });

  const setCell = (rowId: string, col: number, code: DecisionCode | null) =>
    setCodes((all) => {
      const row = [...(all[rowId] ?? [])];
      row[col] = code;
      return { ...all, [rowId]: row };
    });

  const save = (row: MatrixRowView, col: number, code: DecisionCode | null) => {
    const key = `${row.id}:${columns[col]!.id}`;
    const epoch = epochs.current.get(row.id) ?? 0;
    setCell(row.id, col, code);
    markCell(key, "saving");
    setPending((n) => n + 1);
    const task = async () => {
      try {
        if ((epochs.current.get(row.id) ?? 0) !== epoch) {
          // The row was reloaded after someone else's save; this change was made on the old row.
          markCell(key, "conflict");
          return;
        }
        const body = new URLSearchParams({
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
          const base = [...(saved.current.get(row.id) ?? [])];
          base[col] = code;
          saved.current.set(row.id, base);
          markCell(key, "saved");
          setTimeout(() => setStates((s) => (s[key] === "saved" ? (({ [key]: _, ...rest }) => rest)(s) : s)), 2000);
        } else if (answer.status === "conflict") {
          const fresh = columns.map((c) => (answer.codes?.[c.id] as DecisionCode | undefined) ?? null);
          revisions.current.set(row.id, answer.revision!);
          saved.current.set(row.id, fresh);
          epochs.current.set(row.id, epoch + 1);
          setCodes((all) => ({ ...all, [row.id]: fresh }));
          markCell(key, "conflict");
          setMessage(`${row.ref}: someone else saved this row first. It has been reloaded; your change was not saved.`);
        } else {
          setCell(row.id, col, saved.current.get(row.id)?.[col] ?? null);
          markCell(key, "failed");
          setMessage(`${row.ref}, ${columns[col]!.name}: ${answer.message ?? "the change was not saved."}`);
        }
      } finally {
        setPending((n) => n - 1);
      }
    };
    const previous = queues.current.get(row.id) ?? Promise.resolve();
    queues.current.set(row.id, previous.then(task, task));
  };

  const apply = (rowIndex: number, col: number, code: DecisionCode | null) => {
    const row = rows[rowIndex];
    if (!row || !editable) return;
    if (code !== null) {
      const reason = refusal(row, col, code);
      if (reason) {
        setMessage(`${row.ref}, ${columns[col]!.name}: ${reason}`);
        return;
      }
    } else if (row.excluded.includes(col)) {
      return;
    }
    if ((codes[row.id]?.[col] ?? null) === code) return;
    setMessage("");
    save(row, col, code);
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
      if (allowedCodes(rows[at.row]!, at.col).length > 0) setMenu({ ...at, option: 0 });
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
    if (editable && !rows[at.row]!.excluded.includes(at.col)) setMenu({ ...at, option: 0 });
  };

  const onFocus = (event: FocusEvent<HTMLTableElement>) => {
    const at = positionOf(event.target);
    if (at && (at.row !== focus.row || at.col !== focus.col)) setFocus(at);
  };

  const onMenuKey = (event: KeyboardEvent<HTMLUListElement>, options: (DecisionCode | null)[]) => {
    if (!menu) return;
    if (event.key === "Escape") {
      event.preventDefault();
      event.stopPropagation();
      setMenu(null);
      focusCell(menu.row, menu.col);
    } else if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      event.stopPropagation();
      const step = event.key === "ArrowDown" ? 1 : -1;
      setMenu({ ...menu, option: (menu.option + step + options.length) % options.length });
    } else if (event.key === "Tab") {
      setMenu(null);
    } else if (KEY_TO_CODE[event.key.toLowerCase()] || event.key === "Delete" || event.key === "Backspace") {
      // Typing a code with the list open sets it, as it would on the cell.
      event.preventDefault();
      event.stopPropagation();
      choose(menu.row, menu.col, KEY_TO_CODE[event.key.toLowerCase()] ?? null);
    }
  };

  const choose = (rowIndex: number, col: number, code: DecisionCode | null) => {
    setMenu(null);
    apply(rowIndex, col, code);
    focusCell(rowIndex, col);
  };

  let rowIndex = -1;
  const problems = Object.values(states).filter((s) => s === "failed" || s === "conflict").length;

  return (
    <div className="matrix" data-editable={editable || undefined}>
      <p className="matrix__status" role="status" aria-live="polite">
        {!editable
          ? "This version is read-only."
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
        >
          <thead>
            <tr>
              <th scope="col" className="matrix__corner">
                Responsibility
              </th>
              {columns.map((c) => (
                <th key={c.id} scope="col" className={`matrix__head matrix__head--${c.kind}`} title={`${c.name} (${BODY_KIND_LABELS[c.kind]})`}>
                  {c.shortName ?? c.name}
                  {c.mode === "advisory" ? <span className="matrix__advisory">advisory</span> : null}
                </th>
              ))}
              <th scope="col" className="matrix__index-head" title="Centralisation index: 0 devolved to schools, 10 retained by the trust">
                Index
              </th>
            </tr>
          </thead>
          {view.groups.map((group) => (
            <tbody key={group.area}>
              <tr className="matrix__group">
                <th scope="rowgroup" colSpan={columns.length + 2}>
                  {group.area === 0 ? "Unclassified" : `${group.area}. ${group.name}`}
                </th>
              </tr>
              {group.rows.map((row) => {
                rowIndex += 1;
                const index = rowIndex;
                const rowCodes = codes[row.id] ?? row.codes;
                return (
                  <tr key={row.id} id={`row-${row.id}`} data-index={index}>
                    <th scope="row" className="matrix__row-head">
                      <b>{row.ref}</b> {row.title}
                      {row.statutoryRule ? <small> {row.statutoryRule}</small> : null}
                      {editable ? (
                        <a href={rowEditUrl(row.id)} className="matrix__edit">
                          Edit<span className="visually-hidden"> row {row.ref}</span>
                        </a>
                      ) : null}
                    </th>
                    {columns.map((column, col) => {
                      const key = `${row.id}:${column.id}`;
                      const closed = row.excluded.includes(col);
                      const code = closed ? null : (rowCodes[col] ?? null);
                      const state = states[key];
                      const marked = highlighted?.has(key);
                      const className = `c${code ? ` c${code === "—" ? "N" : code}` : ""}${closed ? " x" : ""}${state ? ` is-${state}` : ""}${marked ? " is-highlighted" : ""}`;
                      const menuOpen = menu !== null && menu.row === index && menu.col === col;
                      return (
                        <td
                          key={column.id}
                          className={className}
                          tabIndex={index === 0 && col === 0 ? 0 : undefined}
                          aria-disabled={closed || undefined}
                        >
                          {closed ? "—" : code}
                          {state === "failed" || state === "conflict" ? <span className="visually-hidden">, {STATE_WORDS[state]}</span> : null}
                          {menuOpen ? (
                            <CodeMenu
                              ref={menuRef}
                              label={`Code for ${row.ref}, ${column.name}`}
                              options={[...allowedCodes(row, col), null]}
                              onKeyDown={onMenuKey}
                              onChoose={(option) => choose(index, col, option)}
                            />
                          ) : null}
                        </td>
                      );
                    })}
                    <td className="matrix__index">{formatIndex(columns.map((c, i) => ({ kind: c.kind, code: rowCodes[i] ?? null })))}</td>
                  </tr>
                );
              })}
            </tbody>
          ))}
        </table>
      </div>
    </div>
  );
}

function formatIndex(cells: Parameters<typeof centralisationIndex>[0]): string {
  const index = centralisationIndex(cells);
  return index === null ? "–" : String(index);
}

interface CodeMenuProps {
  label: string;
  options: (DecisionCode | null)[];
  onKeyDown: (event: KeyboardEvent<HTMLUListElement>, options: (DecisionCode | null)[]) => void;
  onChoose: (code: DecisionCode | null) => void;
}

const CodeMenu = forwardRef<HTMLUListElement, CodeMenuProps>(function CodeMenu({ label, options, onKeyDown, onChoose }, ref) {
  return (
    <ul className="matrix__menu" role="menu" aria-label={label} ref={ref} onKeyDown={(e) => onKeyDown(e, options)}>
      {options.map((option) => (
        <li key={option ?? "clear"} role="none">
          <button type="button" role="menuitem" tabIndex={-1} onClick={() => onChoose(option)}>
            {option ? (
              <>
                <b>{option}</b> {CODE_MEANINGS[option].name}
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
