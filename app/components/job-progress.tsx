/**
 * The progress of a background job: a labelled <progress> bar with its figures as text, and a live
 * region that a screen reader announces at every tenth of the way and at the end, rather than at
 * every figure the page polls (which would talk over everything else).
 */
import { useId } from "react";

export function percent(done: number, total: number): number {
  return total <= 0 ? 0 : Math.min(100, Math.floor((done / total) * 100));
}

export function JobProgress({ label, done, total, noun, waiting }: { label: string; done: number; total: number; noun: [string, string]; waiting: boolean }) {
  const id = useId();
  const share = percent(done, total);
  const announced = waiting ? `${label}: waiting to start.` : `${label}: ${Math.floor(share / 10) * 10} %.`;
  return (
    <div className="job-progress">
      <label htmlFor={id}>{label}</label>
      {waiting ? (
        // Without a value a progress bar shows that work is waiting or under way, not how far it has got.
        <progress id={id} aria-describedby={`${id}-figures`} />
      ) : (
        <progress id={id} max={Math.max(total, 1)} value={Math.min(done, total)} aria-describedby={`${id}-figures`}>
          {share} %
        </progress>
      )}
      <p id={`${id}-figures`} className="job-progress__figures">
        {waiting ? "Waiting to start…" : `${done} of ${total} ${total === 1 ? noun[0] : noun[1]} (${share} %)`}
      </p>
      <p role="status" className="visually-hidden">
        {announced}
      </p>
    </div>
  );
}
