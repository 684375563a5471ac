/**
 * The delegation matrix editor: a keyboard-operable grid (arrow keys move; D R C A E M I and - set a
 * code; Delete clears; Enter or a click opens the list of codes). Each change is saved at once,
 * row by row in order, naming the revision of the row it started from; a row someone else saved
 * first is reloaded and the cell marked. Without JavaScript the same table is read-only text and
 * each row has its own edit form.
 */
import { Link } from "@remix-run/react";
import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent } from "react";
import { centralisationIndex } from "~/domain/centralisation";
import { CODE_MEANINGS, DECISION_CODES, type DecisionCode } from "~/domain/codes";
import type { MatrixRowView, MatrixView } from "~/domain/matrix-view";
import { BODY_KIND_LABELS } from "~/domain/structure";

type CellState = "saving" | "saved" | "failed" | "conflict";

interface SaveAnswer {
  status: "saved" | "conflict" | "refused";
  rowId?: string;
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

function allowedCodes(row: MatrixRowView, col: number): DecisionCode[] {
  if (row.excluded[col]) return [];
  return DECISION_CODES.filter((c) => !(c === "D" && row.noDecision[col]));
}

function formatIndex(cells: Parameters<typeof centralisationIndex>[0]): string {
  const index = centralisationIndex(cells);
  return index === null ? "–" : String(index);
}

function refusal(row: MatrixRowView, col: number, code: DecisionCode): string | null {
  if (row.excluded[col]) return row.exclusionRule ?? "Nothing may be set here.";
  if (code === "D" && row.noDecision[col]) return row.decisionRule;
  return null;
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
  const [hydrated, setHydrated] = useState(false);

  // Latest values for the save queue, which outlives renders.
  const revisions = useRef(new Map<string, number>());
  const saved = useRef(new Map<string, (DecisionCode | null)[]>());
  const epochs = useRef(new Map<string, number>());
  const queues = useRef(new Map<string, Promise<void>>());
  const cellRefs = useRef(new Map<string, HTMLTableCellElement>());
  const menuRef = useRef<HTMLUListElement>(null);

  useEffect(() => setHydrated(true), []);

  // A fresh view from the server (after a bulk action, or a reload) replaces what the grid holds.
  useEffect(() => {
    setCodes(Object.fromEntries(rows.map((r) => [r.id, r.codes])));
    revisions.current = new Map(rows.map((r) => [r.id, r.revision]));
    saved.current = new Map(rows.map((r) => [r.id, r.codes]));
  }, [rows]);

  const key = (rowId: string, col: number) => `${rowId}:${columns[col]!.id}`;

  const markCell = useCallback((cellKey: string, state: CellState | null) => {
    setStates((s) => {
      const next = { ...s };
      if (state) next[cellKey] = state;
      else delete next[cellKey];
      return next;
    });
  }, []);

  const setCell = (rowId: string, col: number, code: DecisionCode | null) =>
    setCodes((all) => {
      const row = [...(all[rowId] ?? [])];
      row[col] = code;
      return { ...all, [rowId]: row };
    });

  const save = (row: MatrixRowView, col: number, code: DecisionCode | null) => {
    const cellKey = key(row.id, col);
    const epoch = epochs.current.get(row.id) ?? 0;
    setCell(row.id, col, code);
    markCell(cellKey, "saving");
    setPending((n) => n + 1);
    const task = async () => {
      try {
        if ((epochs.current.get(row.id) ?? 0) !== epoch) {
          // The row was reloaded after someone else's save; this change was made on the old row.
          markCell(cellKey, "conflict");
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
            : { status: "refused", message: `The change was not saved (the server answered ${response.status}).` };
        } catch {
          answer = { status: "refused", message: "The change was not saved: the connection to the server failed. Try again." };
        }
        if (answer.status === "saved") {
          revisions.current.set(row.id, answer.revision!);
          const base = [...(saved.current.get(row.id) ?? [])];
          base[col] = code;
          saved.current.set(row.id, base);
          markCell(cellKey, "saved");
          setTimeout(() => setStates((s) => (s[cellKey] === "saved" ? (({ [cellKey]: _, ...rest }) => rest)(s) : s)), 2000);
        } else if (answer.status === "conflict") {
          const fresh = columns.map((c) => (answer.codes?.[c.id] as DecisionCode | undefined) ?? null);
          revisions.current.set(row.id, answer.revision!);
          saved.current.set(row.id, fresh);
          epochs.current.set(row.id, epoch + 1);
          setCodes((all) => ({ ...all, [row.id]: fresh }));
          markCell(cellKey, "conflict");
          setMessage(`${row.ref}: someone else saved this row first. It has been reloaded; your change was not saved.`);
        } else {
          const previous = saved.current.get(row.id)?.[col] ?? null;
          setCell(row.id, col, previous);
          markCell(cellKey, "failed");
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
    } else if (row.excluded[col]) {
      return;
    }
    if ((codes[row.id]?.[col] ?? null) === code) return;
    setMessage("");
    save(row, col, code);
  };

  useEffect(() => {
    if (!hydrated) return;
    const row = rows[focus.row];
    // Focus follows the position only: moving it on other renders would take it from other controls.
    if (row) cellRefs.current.get(key(row.id, focus.col))?.focus({ preventScroll: false });
  }, [focus]);

  useEffect(() => {
    if (menu) (menuRef.current?.querySelectorAll("button")[menu.option] as HTMLButtonElement | undefined)?.focus();
  }, [menu]);

  const move = (row: number, col: number) => {
    setMenu(null);
    setFocus({ row: Math.max(0, Math.min(rows.length - 1, row)), col: Math.max(0, Math.min(columns.length - 1, col)) });
  };

  const onCellKey = (event: KeyboardEvent<HTMLTableCellElement>, rowIndex: number, col: number) => {
    const k = event.key;
    const moves: Record<string, [number, number]> = {
      ArrowRight: [rowIndex, col + 1],
      ArrowLeft: [rowIndex, col - 1],
      ArrowDown: [rowIndex + 1, col],
      ArrowUp: [rowIndex - 1, col],
      Home: [event.ctrlKey ? 0 : rowIndex, 0],
      End: [event.ctrlKey ? rows.length - 1 : rowIndex, columns.length - 1],
      PageDown: [rowIndex + 10, col],
      PageUp: [rowIndex - 10, col],
    };
    const target = moves[k];
    const code = KEY_TO_CODE[k.toLowerCase()];
    const editKey = editable && !event.ctrlKey && !event.metaKey && !event.altKey;
    if (target) move(...target);
    else if (editKey && (k === "Delete" || k === "Backspace")) apply(rowIndex, col, null);
    else if (editKey && (k === "Enter" || k === " ")) {
      if (allowedCodes(rows[rowIndex]!, col).length > 0) setMenu({ row: rowIndex, col, option: 0 });
    } else if (editKey && code) apply(rowIndex, col, code);
    else return;
    event.preventDefault();
    event.stopPropagation();
  };

  const onMenuKey = (event: KeyboardEvent<HTMLUListElement>, options: (DecisionCode | null)[]) => {
    if (!menu) return;
    if (event.key === "Escape") {
      event.preventDefault();
      setMenu(null);
      setFocus({ ...focus });
    } else if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      const step = event.key === "ArrowDown" ? 1 : -1;
      setMenu({ ...menu, option: (menu.option + step + options.length) % options.length });
    } else if (event.key === "Tab") {
      setMenu(null);
    }
  };

  const choose = (rowIndex: number, col: number, code: DecisionCode | null) => {
    setMenu(null);
    apply(rowIndex, col, code);
    setFocus({ row: rowIndex, col });
  };

  let flatIndex = -1;
  const saving = pending > 0;
  const problems = Object.values(states).filter((s) => s === "failed" || s === "conflict").length;

  return (
    <div className="matrix" data-editable={editable || undefined}>
      <p className="matrix__status" role="status" aria-live="polite">
        {!editable ? "This version is read-only." : saving ? "Saving…" : problems > 0 ? "Some changes were not saved: see the marked cells." : "All changes saved."}
      </p>
      <p className="matrix__message" role="alert" aria-live="assertive">
        {message}
      </p>
      <div className="matrix__scroller" tabIndex={-1}>
        <table className="matrix__table" role="grid" aria-label="Delegation matrix" aria-readonly={!editable} aria-rowcount={rows.length + 1}>
          <thead>
            <tr>
              <th scope="col" className="matrix__corner">
                Responsibility
              </th>
              {columns.map((c) => (
                <th key={c.id} scope="col" className={`matrix__head matrix__head--${c.kind}`} title={`${c.name} (${BODY_KIND_LABELS[c.kind]})`}>
                  <span>{c.shortName ?? c.name}</span>
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
                flatIndex += 1;
                const rowIndex = flatIndex;
                const rowCodes = codes[row.id] ?? row.codes;
                return (
                  <tr key={row.id} id={`row-${row.id}`} aria-rowindex={rowIndex + 2}>
                    <th scope="row" className="matrix__row-head">
                      <span className="matrix__ref">{row.ref}</span> <span className="matrix__title">{row.title}</span>
                      {row.statutoryRule ? <span className="matrix__rule"> {row.statutoryRule}</span> : null}
                      {editable ? (
                        <Link to={rowEditUrl(row.id)} className="matrix__edit">
                          Edit<span className="visually-hidden"> row {row.ref}</span>
                        </Link>
                      ) : null}
                    </th>
                    {columns.map((column, col) => {
                      const code = rowCodes[col] ?? null;
                      const cellKey = `${row.id}:${column.id}`;
                      const state = states[cellKey];
                      const closed = row.excluded[col];
                      const isFocus = focus.row === rowIndex && focus.col === col;
                      const menuOpen = menu !== null && menu.row === rowIndex && menu.col === col;
                      const options: (DecisionCode | null)[] = [...allowedCodes(row, col), null];
                      const shown = closed ? "—" : (code ?? "");
                      const label = `${column.name}: ${closed ? "not permitted here" : code ? `${code}, ${CODE_MEANINGS[code].name}` : "no role"}${state === "failed" ? ", not saved" : state === "conflict" ? ", reloaded after someone else's change" : ""}`;
                      return (
                        <td
                          key={column.id}
                          role="gridcell"
                          ref={(el) => {
                            if (el) cellRefs.current.set(cellKey, el);
                            else cellRefs.current.delete(cellKey);
                          }}
                          tabIndex={hydrated && isFocus ? 0 : -1}
                          aria-label={label}
                          aria-readonly={!editable || closed}
                          aria-disabled={closed || undefined}
                          className={[
                            "matrix__cell",
                            code ? `code-${code === "—" ? "none" : code}` : "",
                            closed ? "is-closed" : "",
                            state ? `is-${state}` : "",
                            highlighted?.has(cellKey) ? "is-highlighted" : "",
                          ].join(" ")}
                          onKeyDown={(e) => onCellKey(e, rowIndex, col)}
                          onFocus={() => {
                            if (!isFocus) setFocus({ row: rowIndex, col });
                          }}
                          onClick={() => {
                            setFocus({ row: rowIndex, col });
                            if (editable && !closed) setMenu({ row: rowIndex, col, option: 0 });
                          }}
                        >
                          <span aria-hidden="true">{shown}</span>
                          {menuOpen ? (
                            <ul
                              className="matrix__menu"
                              role="menu"
                              aria-label={`Code for ${row.ref}, ${column.name}`}
                              ref={menuRef}
                              onKeyDown={(e) => onMenuKey(e, options)}
                              onClick={(e) => e.stopPropagation()}
                            >
                              {options.map((option) => (
                                <li key={option ?? "clear"} role="none">
                                  <button type="button" role="menuitem" onClick={() => choose(rowIndex, col, option)}>
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
